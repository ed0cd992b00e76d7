/*
 * Enumerations to and from names (names.h): every value of every public
 * enumeration has a name that reads back to it, unknown names are refused,
 * and the dataset format reads and writes exactly these names.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "testutil.h"

/* One enumeration seen through int, so a single loop checks them all. */
typedef struct {
    const char *what;
    int count;
    const char *(*name)(int v);
    int (*from_name)(const char *name, int *v);
} enum_api;

#define API(prefix, type)                                                  \
    static const char *prefix##_n(int v) { return jql_##prefix##_name((type)v); } \
    static int prefix##_f(const char *s, int *v)                           \
    {                                                                      \
        type t = (type)-12345;                                             \
        int rc = jql_##prefix##_from_name(s, &t);                          \
        *v = (int)t;                                                       \
        return rc;                                                         \
    }
API(task_status, jql_task_status)
API(directive_status, jql_directive_status)
API(report_standing, jql_report_standing)
API(aggregation, jql_aggregation)
API(period_kind, jql_period_kind)
API(severity, jql_severity)
API(csv_kind, jql_csv_kind)
API(bound, jql_bound)
API(result_field, jql_result_field)
API(evidence_level, jql_evidence_level)
API(result_source, jql_result_source)
API(evidence_kind, jql_evidence_kind)
API(evidence_field, jql_evidence_field)
#undef API

#define ENTRY(prefix, count) {#prefix, count, prefix##_n, prefix##_f}
static const enum_api enums[] = {
    ENTRY(task_status, JQL_TASK_STATUS_COUNT),
    ENTRY(directive_status, JQL_DIRECTIVE_STATUS_COUNT),
    ENTRY(report_standing, JQL_REPORT_STANDING_COUNT),
    ENTRY(aggregation, JQL_AGGREGATION_COUNT),
    ENTRY(period_kind, JQL_PERIOD_KIND_COUNT),
    ENTRY(severity, JQL_SEVERITY_COUNT),
    ENTRY(csv_kind, JQL_CSV_KIND_COUNT),
    ENTRY(bound, JQL_BOUND_COUNT),
    ENTRY(result_field, JQL_RESULT_FIELD_COUNT),
    ENTRY(evidence_level, JQL_EVIDENCE_LEVEL_COUNT),
    ENTRY(result_source, JQL_RESULT_SOURCE_COUNT),
    ENTRY(evidence_kind, JQL_EVIDENCE_KIND_COUNT),
    ENTRY(evidence_field, JQL_EVIDENCE_FIELD_COUNT),
};
#undef ENTRY
#define N_ENUMS (sizeof enums / sizeof enums[0])

/* Every value up to the _COUNT sentinel has a distinct, non-empty name that
   reads back to the same value: a value added without a name fails here. */
START_TEST(every_value_round_trips)
{
    const enum_api *e = &enums[_i];
    ck_assert_int_gt(e->count, 0);
    for (int v = 0; v < e->count; v++) {
        const char *s = e->name(v);
        ck_assert_msg(s != NULL && s[0], "%s %d has no name", e->what, v);
        for (int w = 0; w < v; w++)
            ck_assert_msg(strcmp(s, e->name(w)) != 0, "%s %d and %d share \"%s\"", e->what, w,
                          v, s);
        int back = -1;
        ck_assert_int_eq(e->from_name(s, &back), JQL_OK);
        ck_assert_int_eq(back, v);
    }
    ck_assert_ptr_null(e->name(e->count));
    ck_assert_ptr_null(e->name(-1));
    ck_assert_ptr_null(e->name(1000));
}
END_TEST

START_TEST(unknown_names_are_refused)
{
    const enum_api *e = &enums[_i];
    const char *first = e->name(0);
    char upper[64], padded[64];
    snprintf(upper, sizeof upper, "%s", first);
    for (char *p = upper; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    snprintf(padded, sizeof padded, "%s ", first);
    const char *bad[] = {"", upper, padded, "no-such-name", NULL};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        int v = 777;
        jql_clear_error();
        ck_assert_msg(e->from_name(bad[k], &v) == JQL_EINVALID, "%s accepted \"%s\"", e->what,
                      bad[k] ? bad[k] : "(null)");
        ck_assert_int_eq(v, -12345); /* the output is left alone */
        ck_assert_msg(strstr(jql_last_error(), first) != NULL, "message lists the names: %s",
                      jql_last_error());
    }
}
END_TEST

START_TEST(null_output_is_refused)
{
    ck_assert_int_eq(jql_task_status_from_name("done", NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_aggregation_from_name("sum", NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_status_from_name("JQL_OK", NULL), JQL_EINVALID);
}
END_TEST

/* Status codes: named exactly when jql_strerror() knows them (two separate
   tables), without gaps from JQL_OK down, each name reading back. */
START_TEST(status_codes)
{
    int named = 0;
    bool gap = false;
    for (int s = 5; s >= -100; s--) {
        const char *n = jql_status_name(s);
        bool known = strcmp(jql_strerror(s), "unknown status") != 0;
        ck_assert_msg((n != NULL) == known, "status %d: name %s, strerror \"%s\"", s,
                      n ? n : "NULL", jql_strerror(s));
        if (!n) {
            gap = s <= 0;
            continue;
        }
        ck_assert_msg(!gap, "status %d follows a gap", s);
        ck_assert_int_eq(strncmp(n, "JQL_", 4), 0);
        int back = 1;
        ck_assert_int_eq(jql_status_from_name(n, &back), JQL_OK);
        ck_assert_int_eq(back, s);
        named++;
    }
    ck_assert_int_ge(named, 10);
    ck_assert_str_eq(jql_status_name(JQL_EINVALID), "JQL_EINVALID");
    ck_assert_str_eq(jql_status_name(JQL_ENOTFOUND), "JQL_ENOTFOUND");
    ck_assert_str_eq(jql_status_name(JQL_ENODATA), "JQL_ENODATA");
    ck_assert_ptr_null(jql_status_name(JQL_ENODATA - 1)); /* the last code */
    int v = 1;
    ck_assert_int_eq(jql_status_from_name("EINVALID", &v), JQL_EINVALID);
    ck_assert_int_eq(v, 1);
    ck_assert_int_eq(jql_status_from_name("JQL_ENODATA", &v), JQL_OK);
    ck_assert_int_eq(v, JQL_ENODATA);
}
END_TEST

/* The names are the ones docs/FORMAT.md gives (the file format is the spec). */
START_TEST(names_of_the_formats)
{
    ck_assert_str_eq(jql_task_status_name(JQL_TASK_PENDING), "pending");
    ck_assert_str_eq(jql_task_status_name(JQL_TASK_IN_PROGRESS), "in_progress");
    ck_assert_str_eq(jql_task_status_name(JQL_TASK_DONE), "done");
    ck_assert_str_eq(jql_directive_status_name(JQL_DIRECTIVE_OPEN), "open");
    ck_assert_str_eq(jql_directive_status_name(JQL_DIRECTIVE_DONE), "done");
    ck_assert_str_eq(jql_aggregation_name(JQL_AGG_MEAN), "mean");
    ck_assert_str_eq(jql_csv_kind_name(JQL_CSV_STATS_WIDE), "stats-wide");
    ck_assert_str_eq(jql_period_kind_name(JQL_PERIOD_NINE_MONTHS), "nine_months");
    ck_assert_str_eq(jql_result_field_name(JQL_RESULT_FIELD_APPLICABLE_MAX), "applicable_max");
    ck_assert_str_eq(jql_bound_name(JQL_BOUND_AT_MOST), "at_most");
    ck_assert_str_eq(jql_evidence_level_name(JQL_EVIDENCE_IDS), "ids");
    ck_assert_str_eq(jql_severity_name(JQL_SEVERITY_WARNING), "warning");
    ck_assert_str_eq(jql_result_source_name(JQL_SOURCE_NOT_APPLICABLE), "not_applicable");
    ck_assert_str_eq(jql_evidence_kind_name(JQL_EVIDENCE_STATISTIC), "statistic");
    ck_assert_str_eq(jql_evidence_field_name(JQL_EVIDENCE_FIELD_REPORT_KIND), "report_kind");
}
END_TEST

/* ---- the library's private tables (lib/names.h) ---- */

typedef struct {
    const char *what;
    const char *const *names;
    int count, first; /* values first .. count-1 have names */
} private_table;

#define PRIV(table, count, first) {#table, table, count, first}
static const private_table privates[] = {
    PRIV(jql_measure_names, JQL_M_COUNT, JQL_M_NONE + 1),
    PRIV(jql_method_names, JQL_METHOD_COUNT, 0),
    PRIV(jql_missing_names, JQL_MISSING_COUNT, 0),
    PRIV(jql_item_source_names, JQL_ITEM_KIND_COUNT, 0),
    PRIV(jql_tiebreak_names, JQL_TB_KIND_COUNT, 0),
    PRIV(jql_held_names, JQL_HELD_COUNT, JQL_HELD_NONE + 1),
    PRIV(jql_tally_field_names, JQL_TALLY_FIELD_END, 0),
};
#undef PRIV
#define N_PRIVATES (sizeof privates / sizeof privates[0])

/* A value added to a private enumeration (before its _COUNT) without a name
   leaves a NULL hole here; the name reads back to the value. */
START_TEST(private_tables_are_complete)
{
    const private_table *t = &privates[_i];
    ck_assert_int_gt(t->count, t->first);
    for (int v = 0; v < t->first; v++)
        ck_assert_ptr_null(jql_name_in(t->names, t->count, v));
    for (int v = t->first; v < t->count; v++) {
        const char *s = jql_name_in(t->names, t->count, v);
        ck_assert_msg(s != NULL && s[0], "%s[%d] has no name", t->what, v);
        for (int w = t->first; w < v; w++)
            ck_assert_msg(strcmp(s, t->names[w]) != 0, "%s: %d and %d share \"%s\"", t->what,
                          w, v, s);
        int back = -1;
        ck_assert(jql_name_find(t->names, t->count, s, &back));
        ck_assert_int_eq(back, v);
    }
    ck_assert_ptr_null(t->names[t->count]);
    ck_assert_ptr_null(jql_name_in(t->names, t->count, t->count));
    ck_assert_ptr_null(jql_name_in(t->names, t->count, -1));
    int out = 7;
    ck_assert(!jql_name_find(t->names, t->count, "no-such-name", &out));
    ck_assert(!jql_name_find(t->names, t->count, NULL, &out));
    ck_assert_int_eq(out, 7);
}
END_TEST

static void add(char **doc, size_t *len, size_t *cap, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(*doc + *len, *cap - *len, fmt, ap);
        va_end(ap);
        ck_assert_int_ge(n, 0);
        if ((size_t)n < *cap - *len) {
            *len += (size_t)n;
            return;
        }
        *cap = (*cap + (size_t)n) * 2;
        *doc = realloc(*doc, *cap);
        ck_assert_ptr_nonnull(*doc);
    }
}

/* Filters a measure kind needs to load (an indicator ratio needs two). */
static const char *measure_extra(const char *kind)
{
    if (strncmp(kind, "indicator_", 10) != 0)
        return "";
    return strcmp(kind, "indicator_ratio") == 0 ? ", \"indicator\": \"i\", \"denominator\": \"d\""
                                                : ", \"indicator\": \"i\"";
}

/* A criteria set using every name of every private table: the loader reads
   each one, and the writer gives each one back under its key. */
START_TEST(criteria_format_uses_the_names)
{
    size_t len = 0, cap = 256;
    char *doc = malloc(cap);
    ck_assert_ptr_nonnull(doc);
    add(&doc, &len, &cap, "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"n\", "
                          "\"period\": \"2014\", \"units\": {\"levels\": [\"district\"]}, "
                          "\"criteria\": [");
    int leaf = 0;
    for (int m = JQL_M_NONE + 1; m < JQL_M_COUNT; m++, leaf++)
        add(&doc, &len, &cap,
            "%s{\"id\": \"m%d\", \"title\": \"t\", \"max\": 1, \"measure\": {\"kind\": \"%s\"%s}, "
            "\"method\": {\"type\": \"boolean\"}}",
            leaf ? ", " : "", m, jql_measure_names[m], measure_extra(jql_measure_names[m]));
    for (int k = 0; k < JQL_METHOD_COUNT; k++) {
        const char *type = jql_method_names[k], *method = "";
        switch ((jql_method_kind)k) {
        case JQL_METHOD_BANDS: method = ", \"bands\": [{\"points\": 1}]"; break;
        case JQL_METHOD_LINEAR: method = ", \"target\": 5"; break;
        case JQL_METHOD_PER_OCCURRENCE: method = ", \"amount\": 1"; break;
        case JQL_METHOD_CUSTOM: method = ", \"function\": \"f\""; break;
        default: break;
        }
        bool computed = k != JQL_METHOD_MANUAL && k != JQL_METHOD_CUSTOM;
        add(&doc, &len, &cap, ", {\"id\": \"k%d\", \"title\": \"t\", \"max\": 1, %s\"method\": "
                              "{\"type\": \"%s\"%s}}",
            k, computed ? "\"measure\": {\"kind\": \"report_missing\"}, " : "", type, method);
    }
    for (int r = 0; r < JQL_MISSING_COUNT; r++)
        add(&doc, &len, &cap,
            ", {\"id\": \"r%d\", \"title\": \"t\", \"max\": 1, \"measure\": {\"kind\": "
            "\"task_overdue\"}, \"method\": {\"type\": \"boolean\"}, \"missing\": \"%s\"}",
            r, jql_missing_names[r]);
    add(&doc, &len, &cap, "], \"bonus\": {\"items\": [");
    for (int i = 0; i < JQL_ITEM_KIND_COUNT; i++) {
        const char *extra = i == JQL_ITEM_EVENTS ? ", \"event_kind\": \"e\""
                            : i == JQL_ITEM_COMPUTED
                                ? ", \"measure\": {\"kind\": \"event_count\"}, \"method\": "
                                  "{\"type\": \"boolean\"}"
                                : "";
        add(&doc, &len, &cap, "%s{\"id\": \"s%d\", \"title\": \"t\", \"max\": 1, \"source\": "
                              "\"%s\"%s}",
            i ? ", " : "", i, jql_item_source_names[i], extra);
    }
    add(&doc, &len, &cap, "]}, \"tie_breakers\": [");
    for (int b = 0; b < JQL_TB_KIND_COUNT; b++) {
        const char *extra =
            b == JQL_TB_NODE      ? ", \"node\": \"m1\""
            : b == JQL_TB_MEASURE ? ", \"measure\": {\"kind\": \"event_count\"}, \"order\": \"asc\""
                                  : "";
        add(&doc, &len, &cap, "%s{\"by\": \"%s\"%s}", b ? ", " : "", jql_tiebreak_names[b],
            extra);
    }
    add(&doc, &len, &cap, "], \"scale\": %d, \"tiers\": [{\"id\": \"a\", \"name\": \"A\", "
                          "\"min\": 0}]}",
        (JQL_M_COUNT - 1) + JQL_METHOD_COUNT + JQL_MISSING_COUNT); /* one point a leaf */

    jql_criteria *c = NULL;
    jql_diagnostics *diag = NULL;
    int rc = jql_criteria_load_buffer(doc, len, "names.json", &c, &diag);
    ck_assert_msg(rc == JQL_OK, "%s", diag && jql_diagnostics_count(diag)
                                            ? jql_diagnostics_message(diag, 0)
                                            : jql_last_error());
    jql_diagnostics_free(diag);
    char *out = NULL;
    size_t olen = 0;
    ck_assert_int_eq(jql_criteria_to_json(c, &out, &olen), JQL_OK);
    char want[128];
    for (int m = JQL_M_NONE + 1; m < JQL_M_COUNT; m++) {
        snprintf(want, sizeof want, "\"kind\": \"%s\"", jql_measure_names[m]);
        ck_assert_msg(strstr(out, want), "saved criteria lack %s", want);
    }
    for (int k = 0; k < JQL_METHOD_COUNT; k++) {
        snprintf(want, sizeof want, "\"type\": \"%s\"", jql_method_names[k]);
        ck_assert_msg(strstr(out, want), "saved criteria lack %s", want);
    }
    for (int r = JQL_MISSING_ZERO + 1; r < JQL_MISSING_COUNT; r++) { /* zero: the default */
        snprintf(want, sizeof want, "\"missing\": \"%s\"", jql_missing_names[r]);
        ck_assert_msg(strstr(out, want), "saved criteria lack %s", want);
    }
    for (int i = 0; i < JQL_ITEM_KIND_COUNT; i++) {
        snprintf(want, sizeof want, "\"source\": \"%s\"", jql_item_source_names[i]);
        ck_assert_msg(strstr(out, want), "saved criteria lack %s", want);
    }
    for (int b = 0; b < JQL_TB_KIND_COUNT; b++) {
        snprintf(want, sizeof want, "\"by\": \"%s\"", jql_tiebreak_names[b]);
        ck_assert_msg(strstr(out, want), "saved criteria lack %s", want);
    }
    jql_free(out);
    jql_criteria_free(c);
    free(doc);
}
END_TEST

/* Every status's own name parses as text (so a status added to the enum
   without spellings fails here), the Vietnamese spellings too, folded. */
START_TEST(status_spellings)
{
    for (int v = 0; v < JQL_TASK_STATUS_COUNT; v++) {
        jql_task_status t = (jql_task_status)-1;
        ck_assert_int_eq(jql_task_status_parse_text(jql_task_status_name((jql_task_status)v), &t),
                         JQL_OK);
        ck_assert_int_eq(t, v);
    }
    for (int v = 0; v < JQL_DIRECTIVE_STATUS_COUNT; v++) {
        jql_directive_status d = (jql_directive_status)-1;
        ck_assert_int_eq(jql_directive_status_parse_text(
                             jql_directive_status_name((jql_directive_status)v), &d),
                         JQL_OK);
        ck_assert_int_eq(d, v);
    }
    jql_task_status t = JQL_TASK_PENDING;
    ck_assert_int_eq(jql_task_status_parse_text("Đã hoàn thành", &t), JQL_OK);
    ck_assert_int_eq(t, JQL_TASK_DONE);
    ck_assert_int_eq(jql_task_status_parse_text(" ĐANG thực hiện ", &t), JQL_OK);
    ck_assert_int_eq(t, JQL_TASK_IN_PROGRESS);
    ck_assert_int_eq(jql_task_status_parse_text("In-Progress", &t), JQL_OK);
    ck_assert_int_eq(t, JQL_TASK_IN_PROGRESS);
    ck_assert_int_eq(jql_task_status_parse_text("chưa", &t), JQL_OK);
    ck_assert_int_eq(t, JQL_TASK_PENDING);
    jql_directive_status d = JQL_DIRECTIVE_DONE;
    ck_assert_int_eq(jql_directive_status_parse_text("đang thực hiện", &d), JQL_OK);
    ck_assert_int_eq(d, JQL_DIRECTIVE_OPEN); /* a directive in progress is open */
    t = JQL_TASK_DONE;
    ck_assert_int_eq(jql_task_status_parse_text("open", &t), JQL_EINVALID);
    ck_assert_int_eq(jql_task_status_parse_text("", &t), JQL_EINVALID);
    ck_assert_int_eq(jql_task_status_parse_text(NULL, &t), JQL_EINVALID);
    ck_assert_int_eq(jql_task_status_parse_text("\xff", &t), JQL_EINVALID);
    ck_assert_int_eq(t, JQL_TASK_DONE);
    ck_assert_int_eq(jql_directive_status_parse_text("in progress", &d), JQL_EINVALID);
    ck_assert_int_eq(d, JQL_DIRECTIVE_OPEN);
}
END_TEST

static bool has(const char *json, const char *key, const char *value)
{
    char want[96];
    snprintf(want, sizeof want, "\"%s\": \"%s\"", key, value);
    return strstr(json, want) != NULL;
}

/* The writer puts every task and directive status, and every aggregation
   other than the default, by its name; the reader takes the names back. */
START_TEST(dataset_format_uses_the_names)
{
    jql_dataset *ds = jql_dataset_new();
    jql_date due, done;
    ck_assert_ptr_nonnull(ds);
    ck_assert_int_eq(jql_date_from_ymd(2014, 3, 31, &due), JQL_OK);
    ck_assert_int_eq(jql_date_from_ymd(2014, 3, 20, &done), JQL_OK);
    ck_assert_int_eq(jql_unit_add(ds, "u", "Unit", "district", NULL, NULL), JQL_OK);
    for (int v = 0; v < JQL_TASK_STATUS_COUNT; v++) {
        char id[16];
        size_t i;
        snprintf(id, sizeof id, "t%d", v);
        ck_assert_int_eq(jql_task_add(ds, id, "task", due, &i), JQL_OK);
        ck_assert_int_eq(jql_task_add_owner(ds, i, "u"), JQL_OK);
        ck_assert_int_eq(jql_task_set_status(ds, i, (jql_task_status)v,
                                             v == JQL_TASK_DONE ? done : JQL_NO_DATE),
                         JQL_OK);
    }
    for (int v = 0; v < JQL_DIRECTIVE_STATUS_COUNT; v++) {
        char id[16];
        size_t i;
        snprintf(id, sizeof id, "d%d", v);
        ck_assert_int_eq(jql_directive_add(ds, id, due, "u", "text", &i), JQL_OK);
        ck_assert_int_eq(jql_directive_add_unit(ds, i, "u"), JQL_OK);
        ck_assert_int_eq(jql_directive_set_status(ds, i, (jql_directive_status)v,
                                                  v == JQL_DIRECTIVE_DONE ? done : JQL_NO_DATE),
                         JQL_OK);
    }
    for (int v = 0; v < JQL_AGGREGATION_COUNT; v++) {
        char id[16];
        snprintf(id, sizeof id, "i%d", v);
        ck_assert_int_eq(jql_indicator_add(ds, id, "indicator", NULL, (jql_aggregation)v, NULL),
                         JQL_OK);
    }
    char *json = NULL;
    ck_assert_int_eq(jql_dataset_to_json(ds, &json, NULL), JQL_OK);
    for (int v = 0; v < JQL_TASK_STATUS_COUNT; v++)
        ck_assert_msg(has(json, "status", jql_task_status_name((jql_task_status)v)), "%s",
                      jql_task_status_name((jql_task_status)v));
    for (int v = 0; v < JQL_DIRECTIVE_STATUS_COUNT; v++)
        ck_assert(has(json, "status", jql_directive_status_name((jql_directive_status)v)));
    for (int v = 1; v < JQL_AGGREGATION_COUNT; v++) /* sum is the default, left out */
        ck_assert(has(json, "aggregation", jql_aggregation_name((jql_aggregation)v)));

    jql_dataset *back = NULL;
    jql_diagnostics *diag = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(json, strlen(json), "<names>", &back, &diag), JQL_OK);
    for (size_t i = 0; i < jql_task_count(ds); i++)
        ck_assert_int_eq(jql_task_get_status(back, i), jql_task_get_status(ds, i));
    for (size_t i = 0; i < jql_directive_count(ds); i++)
        ck_assert_int_eq(jql_directive_get_status(back, i), jql_directive_get_status(ds, i));
    for (size_t i = 0; i < jql_indicator_count(ds); i++)
        ck_assert_int_eq(jql_indicator_aggregation(back, i), jql_indicator_aggregation(ds, i));
    jql_diagnostics_free(diag);
    jql_dataset_free(back);
    jql_free(json);
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("names");
    TCase *tc = tcase_create("names");
    tcase_add_loop_test(tc, every_value_round_trips, 0, (int)N_ENUMS);
    tcase_add_loop_test(tc, unknown_names_are_refused, 0, (int)N_ENUMS);
    tcase_add_test(tc, null_output_is_refused);
    tcase_add_test(tc, status_codes);
    tcase_add_test(tc, names_of_the_formats);
    tcase_add_test(tc, dataset_format_uses_the_names);
    tcase_add_loop_test(tc, private_tables_are_complete, 0, (int)N_PRIVATES);
    tcase_add_test(tc, criteria_format_uses_the_names);
    tcase_add_test(tc, status_spellings);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
