/*
 * Writing a dataset as canonical JSON (docs/FORMAT.md, "Canonical form").
 * Built by hand with jql_buf rather than cJSON: the layout (one record per
 * line, fixed key order) and exact decimal numbers are part of the format,
 * and nothing here depends on the locale.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "justice_quarterly/io.h"
#include "names.h"
#include "util.h"

/* One compact record: {"key": value, "key": value} */
typedef struct {
    jql_buf *b;
    bool first;
} rec;

static void key(rec *r, const char *k)
{
    jql_buf_puts(r->b, r->first ? "{" : ", ");
    jql_buf_json_string(r->b, k); /* attribute names are free text */
    jql_buf_puts(r->b, ": ");
    r->first = false;
}

static void str(rec *r, const char *k, const char *v)
{
    if (!v)
        return;
    key(r, k);
    jql_buf_json_string(r->b, v);
}

static void date(rec *r, const char *k, jql_date d)
{
    if (d == JQL_NO_DATE)
        return;
    key(r, k);
    jql_buf_putc(r->b, '"');
    jql_buf_date(r->b, d);
    jql_buf_putc(r->b, '"');
}

static void num(rec *r, const char *k, jql_milli v)
{
    if (v == JQL_NO_SCORE)
        return;
    key(r, k);
    jql_buf_milli(r->b, v);
}

static void end(rec *r) { jql_buf_putc(r->b, '}'); }

/* ["a", "b"] from n strings given by a getter. */
typedef const char *(*str_at)(const jql_dataset *ds, size_t i, size_t k);

static void str_list(rec *r, const char *k, const jql_dataset *ds, size_t i, size_t n,
                     str_at get)
{
    if (n == 0)
        return;
    key(r, k);
    jql_buf_putc(r->b, '[');
    for (size_t j = 0; j < n; j++) {
        if (j)
            jql_buf_puts(r->b, ", ");
        jql_buf_json_string(r->b, get(ds, i, j));
    }
    jql_buf_putc(r->b, ']');
}

static const char *unit_id_of(const jql_dataset *ds, size_t unit)
{
    return jql_unit_id(ds, unit);
}

static const char *task_owner_id(const jql_dataset *ds, size_t i, size_t k)
{
    return unit_id_of(ds, jql_task_owner(ds, i, k));
}

static const char *shortcoming_unit_id(const jql_dataset *ds, size_t i, size_t k)
{
    return unit_id_of(ds, jql_shortcoming_unit(ds, i, k));
}

static const char *directive_unit_id(const jql_dataset *ds, size_t i, size_t k)
{
    return unit_id_of(ds, jql_directive_unit(ds, i, k));
}

static void write_unit(rec *r, const jql_dataset *ds, size_t i)
{
    str(r, "id", jql_unit_id(ds, i));
    str(r, "name", jql_unit_name(ds, i));
    str(r, "level", jql_unit_level(ds, i));
    size_t p = jql_unit_parent(ds, i);
    if (p != JQL_NONE)
        str(r, "parent", jql_unit_id(ds, p));
    str(r, "cluster", jql_unit_cluster(ds, i));
    size_t n = jql_unit_attr_count(ds, i);
    if (n) {
        key(r, "attributes");
        rec a = {r->b, true};
        for (size_t k = 0; k < n; k++)
            str(&a, jql_unit_attr_key(ds, i, k), jql_unit_attr_value(ds, i, k));
        end(&a);
    }
}

static void write_period(rec *r, const jql_dataset *ds, size_t i)
{
    const char *id = jql_period_id(ds, i);
    jql_date start = JQL_NO_DATE, stop = JQL_NO_DATE;
    if (jql_period_resolve(ds, id, NULL, &start, &stop) != JQL_OK)
        start = stop = JQL_NO_DATE; /* a declared period always resolves */
    str(r, "id", id);
    str(r, "name", jql_period_name(ds, i));
    date(r, "start", start);
    date(r, "end", stop);
    if (jql_period_cutoff(ds, id, &start, &stop) == JQL_OK) {
        date(r, "cutoff_start", start);
        date(r, "cutoff_end", stop);
    }
}

static void write_label(rec *r, const jql_dataset *ds, size_t i)
{
    str(r, "kind", jql_label_kind(ds, i));
    str(r, "id", jql_label_id(ds, i));
    key(r, "names");
    rec a = {r->b, true};
    for (size_t k = 0; k < jql_label_name_count(ds, i); k++)
        str(&a, jql_label_name_lang(ds, i, k), jql_label_name_text(ds, i, k));
    end(&a);
}

static void write_document(rec *r, const jql_dataset *ds, size_t i)
{
    str(r, "period", jql_document_period(ds, i));
    key(r, "fields");
    rec a = {r->b, true};
    for (size_t k = 0; k < jql_document_field_count(ds, i); k++)
        str(&a, jql_document_field_key(ds, i, k), jql_document_field_value(ds, i, k));
    end(&a);
}

static void write_indicator(rec *r, const jql_dataset *ds, size_t i)
{
    str(r, "id", jql_indicator_id(ds, i));
    str(r, "name", jql_indicator_name(ds, i));
    str(r, "unit", jql_indicator_measure_unit(ds, i));
    str(r, "field", jql_indicator_field(ds, i));
    jql_aggregation agg = jql_indicator_aggregation(ds, i);
    if (agg != JQL_AGG_SUM)
        str(r, "aggregation", jql_aggregation_name(agg));
}

static void write_stat(rec *r, const jql_dataset *ds, size_t i)
{
    str(r, "unit", unit_id_of(ds, jql_stat_unit(ds, i)));
    str(r, "indicator", jql_indicator_id(ds, jql_stat_indicator(ds, i)));
    str(r, "period", jql_stat_period(ds, i));
    num(r, "value", jql_stat_value(ds, i));
}

static void write_report(rec *r, const jql_dataset *ds, size_t i)
{
    str(r, "unit", unit_id_of(ds, jql_report_unit(ds, i)));
    str(r, "period", jql_report_period(ds, i));
    str(r, "kind", jql_report_kind(ds, i));
    date(r, "due", jql_report_due(ds, i));
    jql_date sub = jql_report_submitted(ds, i);
    if (sub == JQL_NO_DATE) {
        key(r, "submitted");
        jql_buf_puts(r->b, "null");
    } else {
        date(r, "submitted", sub);
    }
    key(r, "complete");
    jql_buf_puts(r->b, jql_report_complete(ds, i) ? "true" : "false");
}

static void write_task(rec *r, const jql_dataset *ds, size_t i)
{
    str(r, "id", jql_task_id(ds, i));
    str(r, "title", jql_task_title(ds, i));
    str(r, "field", jql_task_field(ds, i));
    str_list(r, "units", ds, i, jql_task_owner_count(ds, i), task_owner_id);
    str(r, "period", jql_task_period(ds, i));
    date(r, "due", jql_task_due(ds, i));
    jql_task_status st = jql_task_get_status(ds, i);
    str(r, "status", jql_task_status_name(st));
    if (st == JQL_TASK_DONE)
        date(r, "completed", jql_task_completed(ds, i));
}

static void write_shortcoming(rec *r, const jql_dataset *ds, size_t i)
{
    str(r, "id", jql_shortcoming_id(ds, i));
    str(r, "period", jql_shortcoming_period(ds, i));
    str_list(r, "units", ds, i, jql_shortcoming_unit_count(ds, i), shortcoming_unit_id);
    str(r, "field", jql_shortcoming_field(ds, i));
    str(r, "text", jql_shortcoming_text(ds, i));
    size_t n = jql_shortcoming_cause_count(ds, i);
    if (n) {
        key(r, "causes");
        jql_buf_putc(r->b, '[');
        for (size_t k = 0; k < n; k++) {
            if (k)
                jql_buf_puts(r->b, ", ");
            rec c = {r->b, true};
            str(&c, "kind", jql_shortcoming_cause_kind(ds, i, k));
            str(&c, "text", jql_shortcoming_cause_text(ds, i, k));
            end(&c);
        }
        jql_buf_putc(r->b, ']');
    }
    str(r, "resolved", jql_shortcoming_resolved(ds, i));
}

static void write_directive(rec *r, const jql_dataset *ds, size_t i)
{
    str(r, "id", jql_directive_id(ds, i));
    date(r, "issued", jql_directive_issued(ds, i));
    str(r, "issuer", unit_id_of(ds, jql_directive_issuer(ds, i)));
    key(r, "addressees");
    rec a = {r->b, true};
    str_list(&a, "units", ds, i, jql_directive_unit_count(ds, i), directive_unit_id);
    str_list(&a, "levels", ds, i, jql_directive_level_count(ds, i), jql_directive_level);
    if (a.first)
        jql_buf_putc(r->b, '{'); /* no addressee: only an unchecked dataset */
    end(&a);
    str(r, "text", jql_directive_text(ds, i));
    date(r, "due", jql_directive_due(ds, i));
    str_list(r, "answers", ds, i, jql_directive_answer_count(ds, i), jql_directive_answer);
    jql_directive_status st = jql_directive_get_status(ds, i);
    str(r, "status", jql_directive_status_name(st));
    if (st == JQL_DIRECTIVE_DONE)
        date(r, "completed", jql_directive_completed(ds, i));
}

static void write_assessment(rec *r, const jql_dataset *ds, size_t i)
{
    str(r, "unit", unit_id_of(ds, jql_assessment_unit(ds, i)));
    str(r, "period", jql_assessment_period(ds, i));
    str(r, "criterion", jql_assessment_criterion(ds, i));
    num(r, "self", jql_assessment_self(ds, i));
    num(r, "appraised", jql_assessment_appraised(ds, i));
    if (jql_assessment_not_applicable(ds, i)) {
        key(r, "not_applicable");
        jql_buf_puts(r->b, "true");
    }
    str(r, "evidence", jql_assessment_evidence(ds, i));
}

static void write_event(rec *r, const jql_dataset *ds, size_t i)
{
    str(r, "unit", unit_id_of(ds, jql_event_unit(ds, i)));
    date(r, "date", jql_event_date(ds, i));
    str(r, "kind", jql_event_kind(ds, i));
    str(r, "text", jql_event_text(ds, i));
    num(r, "points", jql_event_points(ds, i));
    str(r, "evidence", jql_event_evidence(ds, i));
}

typedef void (*write_fn)(rec *r, const jql_dataset *ds, size_t i);

/* Top-level member separator and key. */
static void top_key(jql_buf *b, bool *first, const char *k)
{
    jql_buf_puts(b, *first ? "\n  \"" : ",\n  \"");
    jql_buf_puts(b, k);
    jql_buf_puts(b, "\": ");
    *first = false;
}

static void array(jql_buf *b, bool *first, const char *k, const jql_dataset *ds, size_t n,
                  write_fn fn)
{
    if (n == 0)
        return;
    top_key(b, first, k);
    jql_buf_putc(b, '[');
    for (size_t i = 0; i < n && !b->failed; i++) {
        jql_buf_puts(b, i ? ",\n    " : "\n    ");
        rec r = {b, true};
        fn(&r, ds, i);
        end(&r);
    }
    jql_buf_puts(b, "\n  ]");
}

int jql_dataset_to_json(const jql_dataset *ds, char **out, size_t *len)
{
    if (out)
        *out = NULL;
    if (len)
        *len = 0;
    if (!ds || !out)
        return jql_fail(JQL_EINVALID, "jql_dataset_to_json: no dataset or output pointer");
    jql_buf b;
    jql_buf_init(&b);
    bool first = true;
    jql_buf_putc(&b, '{');
    top_key(&b, &first, "format");
    jql_buf_printf(&b, "\"%s %d.%d\"", JQL_DATASET_FORMAT, JQL_DATASET_FORMAT_MAJOR,
                   JQL_DATASET_FORMAT_MINOR);
    if (jql_dataset_name(ds)) {
        top_key(&b, &first, "name");
        jql_buf_json_string(&b, jql_dataset_name(ds));
    }
    if (jql_dataset_description(ds)) {
        top_key(&b, &first, "description");
        jql_buf_json_string(&b, jql_dataset_description(ds));
    }
    array(&b, &first, "labels", ds, jql_label_count(ds), write_label);
    array(&b, &first, "documents", ds, jql_document_count(ds), write_document);
    array(&b, &first, "units", ds, jql_unit_count(ds), write_unit);
    array(&b, &first, "periods", ds, jql_period_count(ds), write_period);
    array(&b, &first, "indicators", ds, jql_indicator_count(ds), write_indicator);
    array(&b, &first, "statistics", ds, jql_stat_count(ds), write_stat);
    array(&b, &first, "reports", ds, jql_report_count(ds), write_report);
    array(&b, &first, "tasks", ds, jql_task_count(ds), write_task);
    array(&b, &first, "shortcomings", ds, jql_shortcoming_count(ds), write_shortcoming);
    array(&b, &first, "directives", ds, jql_directive_count(ds), write_directive);
    array(&b, &first, "assessments", ds, jql_assessment_count(ds), write_assessment);
    array(&b, &first, "events", ds, jql_event_count(ds), write_event);
    jql_buf_puts(&b, "\n}\n");
    char *s = jql_buf_take(&b, len);
    if (!s)
        return jql_fail(JQL_ENOMEM, "out of memory writing the dataset");
    *out = s;
    return JQL_OK;
}

int jql_dataset_save_file(const jql_dataset *ds, FILE *fp)
{
    if (!fp)
        return jql_fail(JQL_EINVALID, "jql_dataset_save_file: no stream");
    char *s;
    size_t n;
    int rc = jql_dataset_to_json(ds, &s, &n);
    if (rc)
        return rc;
    errno = 0;
    size_t w = fwrite(s, 1, n, fp);
    jql_free(s);
    if (w != n || fflush(fp) != 0)
        return jql_fail(JQL_EIO, "cannot write the dataset: %s",
                        strerror(errno ? errno : EIO));
    return JQL_OK;
}

int jql_dataset_save_path(const jql_dataset *ds, const char *path)
{
    char *s;
    size_t n;
    int rc = jql_dataset_to_json(ds, &s, &n);
    if (rc)
        return rc;
    rc = jql_file_write_atomic(path, s, n);
    jql_free(s);
    return rc;
}
