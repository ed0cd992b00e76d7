/*
 * Results as JSON (docs/CRITERIA.md, "Results"). Written by hand with the
 * string builder: fixed key order, points with exactly 3 decimals, no
 * floating point and nothing locale-dependent, so the same results give
 * the same bytes on every run, locale and binding.
 */
#include "names.h"
#include "score_internal.h"
#include "sink.h"

/* A key: the library's own names (literals, names.c), none needing an
   escape, so written as they are. */
static inline void key(jql_buf *b, const char *k)
{
    jql_buf_putc(b, '"');
    jql_buf_puts(b, k);
    jql_buf_puts(b, "\": ");
}

static void str_field(jql_buf *b, const char *k, const char *v)
{
    key(b, k);
    if (v)
        jql_buf_json_string(b, v);
    else
        jql_buf_puts(b, "null");
}

static void milli_field(jql_buf *b, const char *k, jql_milli v)
{
    key(b, k);
    jql_buf_milli3(b, v);
}

static void opt_milli_field(jql_buf *b, const char *k, bool has, jql_milli v)
{
    key(b, k);
    if (has)
        jql_buf_milli3(b, v);
    else
        jql_buf_puts(b, "null");
}

static void bool_field(jql_buf *b, const char *k, bool v)
{
    key(b, k);
    jql_buf_puts(b, v ? "true" : "false");
}

static void size_field(jql_buf *b, const char *k, size_t v)
{
    key(b, k);
    jql_buf_size(b, v);
}

static const char *const kind_arrays[JQL_EV_KINDS] = {
    [JQL_EV_REPORT] = "/reports/",         [JQL_EV_TASK] = "/tasks/",
    [JQL_EV_DIRECTIVE] = "/directives/",   [JQL_EV_STAT] = "/statistics/",
    [JQL_EV_ASSESSMENT] = "/assessments/", [JQL_EV_EVENT] = "/events/",
};

static void evidence(jql_buf *b, const jql_results *r, const jql_res_node *x,
                     jql_evidence_level lvl)
{
    if (lvl == JQL_EVIDENCE_NONE)
        return;
    jql_buf_puts(b, ", ");
    key(b, "evidence");
    jql_buf_putc(b, '[');
    if (lvl == JQL_EVIDENCE_IDS) {
        for (size_t i = 0; i < x->ev_count; i++) {
            uint64_t ref = r->evlist[x->ev_start + i];
            jql_buf_puts(b, i ? ", \"" : "\"");
            jql_buf_puts(b, kind_arrays[jql_evidence_ref_kind(ref)]);
            jql_buf_size(b, jql_evidence_ref_index(ref));
            jql_buf_putc(b, '"');
        }
        jql_buf_putc(b, ']');
        return;
    }
    for (size_t i = 0; i < x->ev_count; i++) {
        jql_ev_rec e;
        jql_evidence_read_ref(r, r->evlist[x->ev_start + i], &e);
        /* the fields in the order every surface uses (jql_evidence_kind_fields) */
        const jql_evidence_field *f;
        size_t nf = jql_evidence_kind_fields((jql_evidence_kind)e.kind, &f);
        jql_buf_puts(b, i ? ", {" : "{");
        str_field(b, "kind", jql_evidence_kind_name((jql_evidence_kind)e.kind));
        for (size_t j = 0; j < nf; j++) {
            const char *name = jql_evidence_field_name(f[j]);
            jql_buf_puts(b, ", ");
            if (f[j] == JQL_EVIDENCE_FIELD_VALUE) {
                milli_field(b, name, e.value);
            } else if (f[j] == JQL_EVIDENCE_FIELD_DATE) {
                key(b, name);
                jql_buf_putc(b, '"');
                jql_buf_date(b, e.date);
                jql_buf_putc(b, '"');
            } else {
                str_field(b, name, jql_ev_rec_text(&e, f[j]));
            }
        }
        jql_buf_putc(b, '}');
    }
    jql_buf_putc(b, ']');
}

/* The fields a node and an item share, after their id and max. */
static void node_body(jql_buf *b, const jql_results *r, const jql_res_node *x,
                      const jql_rule_fmt *fmt, jql_milli max, jql_evidence_level lvl)
{
    milli_field(b, "points", x->points);
    jql_buf_puts(b, ", ");
    bool_field(b, "applicable", x->applicable);
    jql_buf_puts(b, ", ");
    opt_milli_field(b, "value", x->has_value, x->value);
    jql_buf_puts(b, ", ");
    bool_field(b, "no_data", x->no_data);
    jql_buf_puts(b, ", ");
    bool_field(b, "never_submitted", x->never);
    jql_buf_puts(b, ", ");
    if (x->rule_lazy && fmt->kind != JQL_RULE_EVENTS) {
        /* formatted straight into the output: digits, letters and UTF-8
           signs, nothing JSON escapes */
        key(b, "rule");
        jql_buf_putc(b, '"');
        jql_rule_format(fmt, max, x, b);
        jql_buf_putc(b, '"');
    } else if (x->rule_lazy) {
        /* an events rule names the criteria's event kind, any text: escaped
           ("i\"nitiative" was written with a bare quote, invalid JSON) */
        jql_buf rule;
        jql_buf_init(&rule);
        jql_rule_format(fmt, max, x, &rule);
        if (rule.failed)
            b->failed = true;
        str_field(b, "rule", rule.data ? rule.data : "");
        jql_buf_free(&rule);
    } else {
        str_field(b, "rule", x->rule ? x->rule : "");
    }
    jql_buf_puts(b, ", ");
    str_field(b, "source", jql_result_source_name((jql_result_source)x->source));
    jql_buf_puts(b, ", ");
    opt_milli_field(b, "self", x->self != JQL_NO_SCORE, x->self);
    jql_buf_puts(b, ", ");
    opt_milli_field(b, "appraised", x->appraised != JQL_NO_SCORE, x->appraised);
    evidence(b, r, x, lvl);
}

static void nodes(jql_buf *b, const jql_results *r, const jql_res_unit *u, jql_evidence_level lvl)
{
    jql_buf_puts(b, "      \"nodes\": [");
    for (size_t n = 0; n < r->nnodes; n++) {
        const jql_res_nodeinfo *ni = &r->nodeinfo[n];
        jql_buf_puts(b, n ? ",\n        {" : "\n        {");
        str_field(b, "id", ni->id);
        jql_buf_puts(b, ", ");
        str_field(b, "parent", ni->parent < r->nnodes ? r->nodeinfo[ni->parent].id : NULL);
        jql_buf_puts(b, ", ");
        milli_field(b, "max", ni->max);
        jql_buf_puts(b, ", ");
        node_body(b, r, &r->nodes[u->node_start + n], &ni->fmt, ni->max, lvl);
        jql_buf_putc(b, '}');
    }
    jql_buf_puts(b, r->nnodes ? "\n      ],\n" : "],\n");
}

static void items(jql_buf *b, const jql_results *r, const jql_res_unit *u, bool deductions,
                  jql_evidence_level lvl)
{
    size_t first = deductions ? r->nbonus : 0;
    size_t n = deductions ? r->ndeductions : r->nbonus;
    jql_buf_puts(b, deductions ? "      \"deduction_items\": [" : "      \"bonus_items\": [");
    for (size_t i = 0; i < n; i++) {
        const jql_res_item *info = &r->iteminfo[first + i];
        jql_buf_puts(b, i ? ",\n        {" : "\n        {");
        str_field(b, "id", info->id);
        jql_buf_puts(b, ", ");
        milli_field(b, "max", info->max);
        jql_buf_puts(b, ", ");
        node_body(b, r, &r->items[u->item_start + first + i], &info->fmt, info->max, lvl);
        jql_buf_putc(b, '}');
    }
    jql_buf_puts(b, n ? "\n      ]" : "]");
}

/* Leaf ids whose flag is set, as a JSON array. */
static void leaf_list(jql_buf *b, const jql_results *r, const jql_res_unit *u, bool differs)
{
    bool first = true;
    jql_buf_putc(b, '[');
    for (size_t n = 0; n < r->nnodes; n++) {
        const jql_res_node *x = &r->nodes[u->node_start + n];
        if (differs ? !x->self_differs : !x->unappraised)
            continue;
        if (!first)
            jql_buf_puts(b, ", ");
        jql_buf_json_string(b, r->nodeinfo[n].id);
        first = false;
    }
    jql_buf_putc(b, ']');
}

static const char *tier_id(const jql_results *r, size_t t)
{
    return t < r->ntiers ? r->tiers[t].id : NULL;
}

static void unit(jql_buf *b, const jql_results *r, const jql_res_unit *u, jql_evidence_level lvl)
{
    jql_buf_puts(b, "    {\n      ");
    str_field(b, "id", u->id);
    jql_buf_puts(b, ", ");
    str_field(b, "name", u->name);
    jql_buf_puts(b, ", ");
    str_field(b, "cluster", u->cluster);
    jql_buf_puts(b, ",\n      ");
    milli_field(b, jql_result_field_name(JQL_RESULT_FIELD_TOTAL), u->v[JQL_RESULT_FIELD_TOTAL]);
    jql_buf_puts(b, ", ");
    milli_field(b, jql_result_field_name(JQL_RESULT_FIELD_APPLICABLE_MAX), u->v[JQL_RESULT_FIELD_APPLICABLE_MAX]);
    jql_buf_puts(b, ", ");
    milli_field(b, jql_result_field_name(JQL_RESULT_FIELD_NORMALIZED), u->v[JQL_RESULT_FIELD_NORMALIZED]);
    jql_buf_puts(b, ",\n      ");
    milli_field(b, jql_result_field_name(JQL_RESULT_FIELD_BONUS), u->v[JQL_RESULT_FIELD_BONUS]);
    jql_buf_puts(b, ", ");
    milli_field(b, jql_result_field_name(JQL_RESULT_FIELD_BONUS_RAW), u->v[JQL_RESULT_FIELD_BONUS_RAW]);
    jql_buf_puts(b, ", ");
    milli_field(b, jql_result_field_name(JQL_RESULT_FIELD_DEDUCTIONS), u->v[JQL_RESULT_FIELD_DEDUCTIONS]);
    jql_buf_puts(b, ", ");
    milli_field(b, jql_result_field_name(JQL_RESULT_FIELD_FINAL), u->v[JQL_RESULT_FIELD_FINAL]);
    jql_buf_puts(b, ",\n      ");
    str_field(b, "tier", tier_id(r, u->tier));
    jql_buf_puts(b, ", ");
    str_field(b, "tier_before_caps", tier_id(r, u->tier_before_caps));
    jql_buf_puts(b, ", ");
    str_field(b, "tier_after_vetoes", tier_id(r, u->tier_after_vetoes));
    jql_buf_puts(b, ",\n      ");
    size_field(b, "rank", u->rank);
    jql_buf_puts(b, ", ");
    key(b, "cluster_rank");
    if (u->cluster)
        jql_buf_size(b, u->cluster_rank);
    else
        jql_buf_puts(b, "null");
    jql_buf_puts(b, ", ");
    bool_field(b, "leader", u->leader);
    jql_buf_puts(b, ",\n      ");
    key(b, "vetoes");
    jql_buf_putc(b, '[');
    for (size_t v = 0; v < u->veto_count; v++) {
        const jql_res_veto *d = &r->vetodefs[r->fired[u->veto_start + v]];
        jql_buf_puts(b, v ? ", {" : "{");
        str_field(b, "id", d->id);
        jql_buf_puts(b, ", ");
        str_field(b, "reason", d->reason);
        jql_buf_puts(b, ", ");
        str_field(b, "cap", tier_id(r, d->cap));
        jql_buf_putc(b, '}');
    }
    jql_buf_puts(b, "], ");
    bool_field(b, "quota_demoted", u->quota_demoted);
    jql_buf_puts(b, ", ");
    bool_field(b, "quota_tie", u->quota_tie);
    jql_buf_puts(b, ",\n      ");
    milli_field(b, jql_result_field_name(JQL_RESULT_FIELD_GAP), u->v[JQL_RESULT_FIELD_GAP]);
    jql_buf_puts(b, ", ");
    str_field(b, "next_tier", u->tier > 0 ? tier_id(r, u->tier - 1) : NULL);
    jql_buf_puts(b, ", ");
    str_field(b, "held_back", JQL_NAME_OF(jql_held_names, u->held_back));
    jql_buf_puts(b, ",\n      ");
    milli_field(b, jql_result_field_name(JQL_RESULT_FIELD_SELF_TOTAL), u->v[JQL_RESULT_FIELD_SELF_TOTAL]);
    jql_buf_puts(b, ", ");
    key(b, "unappraised");
    leaf_list(b, r, u, false);
    jql_buf_puts(b, ", ");
    key(b, "self_differs");
    leaf_list(b, r, u, true);
    jql_buf_puts(b, ",\n");
    nodes(b, r, u, lvl);
    items(b, r, u, false, lvl);
    jql_buf_puts(b, ",\n");
    items(b, r, u, true, lvl);
    jql_buf_puts(b, "\n    }");
}

/* The evidence records the document would cite: a roll-up leaf cites its
   unit's whole subtree, so along a chain of units the citations grow with
   the square of the dataset (times the roll-up leaves), while the results
   hold each list once (score.c, share_evidence). */
size_t jql_results_citation_count(const jql_results *r)
{
    size_t n = 0;
    if (!r)
        return 0;
    for (size_t i = 0; i < r->nodes_ready; i++)
        n += r->nodes[i].ev_count;
    for (size_t i = 0; i < r->items_ready; i++)
        n += r->items[i].ev_count;
    return n;
}

/* Bytes of s as a JSON string's content: quotes and backslashes take 2,
   control characters up to 6 (\u001f). */
static uint64_t escaped_len(const char *s)
{
    uint64_t n = 0;
    for (; s && *s; s++)
        n += *s == '"' || *s == '\\' ? 2 : (unsigned char)*s < 0x20 ? 6 : 1;
    return n;
}

static size_t longer(size_t a, uint64_t b) { return b > a ? (size_t)b : a; }

typedef struct {
    const char *s;
    uint64_t len;
} len_memo;

static uint64_t memo_len(len_memo *m, const char *p)
{
    if (!p)
        return 0;
    len_memo *e = &m[((uintptr_t)p >> 4) & 255];
    if (e->s != p) {
        e->s = p;
        e->len = escaped_len(p);
    }
    return e->len;
}

/* The text the cited records' strings add to a document at level full
   (their ids, periods, kinds, indicators and criteria, escaped): past
   `limit`, limit + 1. A report or event kind is any text of up to 64 KiB,
   so a few records cited by every leaf of every unit wrote hundreds of GB
   within the limit on records (150 events of a 64 KiB kind on 150 units,
   33,000 leaves counting them: 320 GB from a 10 MB dataset). First bounded
   by the longest of each string a record may show, read from the dataset's
   units, indicators, tasks, directives and shared strings (a real
   dataset's bound is far below the limit); counted record by record only
   when that bound passes it. */
static uint64_t evidence_text(const jql_results *r, size_t cited, uint64_t limit)
{
    const jql_dataset *ds = r->src;
    if (!ds || cited == 0)
        return 0;
    size_t unit = 0, ind = 0, ids = 0, pooled = 0;
    for (size_t i = 0; i < ds->units.len; i++)
        unit = longer(unit, escaped_len(ds->units.items[i].id));
    for (size_t i = 0; i < ds->indicators.len; i++)
        ind = longer(ind, escaped_len(ds->indicators.items[i].id));
    for (size_t i = 0; i < ds->tasks.len; i++)
        ids = longer(ids, escaped_len(ds->tasks.items[i].id));
    for (size_t i = 0; i < ds->directives.len; i++)
        ids = longer(ids, escaped_len(ds->directives.items[i].id));
    for (size_t i = 0; i < ds->interned.cap; i++) /* periods, kinds, criteria */
        if (ds->interned.slots[i].key)
            pooled = longer(pooled, escaped_len(ds->interned.slots[i].key));
    uint64_t per = (uint64_t)unit + 2 * (uint64_t)(pooled > ind ? pooled : ind);
    if (ids > per)
        per = ids;
    if (per <= limit / cited)
        return per * cited;
    /* a kind repeats as one shared copy: its length is remembered by address */
    len_memo memo[256] = {{0}};
    uint64_t n = 0;
    const jql_res_node *lists[2] = {r->nodes, r->items};
    size_t counts[2] = {r->nodes_ready, r->items_ready};
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < counts[l]; i++)
            for (size_t k = 0; k < lists[l][i].ev_count; k++) {
                jql_ev_rec e;
                jql_evidence_read_ref(r, r->evlist[lists[l][i].ev_start + k], &e);
                n += memo_len(memo, e.a) + memo_len(memo, e.b) + memo_len(memo, e.c);
                if (n > limit)
                    return limit + 1;
            }
    return n;
}

int jql_results_write_cb(const jql_results *r, jql_write_fn fn, void *user,
                         jql_evidence_level level)
{
    if (!r || !fn)
        return jql_fail(JQL_EINVALID, "jql_results_write: NULL argument");
    if ((int)level < JQL_EVIDENCE_FULL || level > JQL_EVIDENCE_NONE)
        return jql_fail(JQL_EINVALID, "unknown evidence level %d", (int)level);
    if (r->no_evidence && level != JQL_EVIDENCE_NONE)
        return jql_fail(JQL_EINVALID, "the results were scored without evidence "
                                      "(JQL_SCORE_NO_EVIDENCE): write them at evidence level none");
    size_t cited = level == JQL_EVIDENCE_NONE ? 0 : jql_results_citation_count(r);
    if (cited > JQL_MAX_RESULTS_EVIDENCE)
        return jql_fail(JQL_ELIMIT,
                        "the results cite %zu evidence records, over the limit of %u one "
                        "document may list (docs/CRITERIA.md, \"Limits\"): write them at "
                        "evidence level \"none\"",
                        cited, JQL_MAX_RESULTS_EVIDENCE);
    if (level == JQL_EVIDENCE_FULL &&
        evidence_text(r, cited, JQL_MAX_RESULTS_EVIDENCE_TEXT) > JQL_MAX_RESULTS_EVIDENCE_TEXT)
        return jql_fail(JQL_ELIMIT,
                        "the %zu evidence records the results cite would write more than %llu "
                        "bytes of ids, periods and kinds at evidence level \"full\" (docs/"
                        "CRITERIA.md, \"Limits\"): write them at evidence level \"ids\" or "
                        "\"none\"",
                        cited, (unsigned long long)JQL_MAX_RESULTS_EVIDENCE_TEXT);
    jql_sink w;
    jql_sink_init(&w, fn, user);
    jql_buf *b = &w.b;
    jql_buf_puts(b, "{\n  ");
    str_field(b, "format", JQL_RESULTS_FORMAT);
    jql_buf_puts(b, ",\n  ");
    str_field(b, "criteria", r->criteria_id);
    jql_buf_puts(b, ",\n  ");
    str_field(b, "period", r->period);
    if (r->as_of[0]) { /* only when scored as of a date: the rest unchanged */
        jql_buf_puts(b, ",\n  ");
        str_field(b, "as_of", r->as_of);
    }
    jql_buf_puts(b, ",\n  ");
    milli_field(b, "scale", r->scale);
    jql_buf_puts(b, ",\n  ");
    bool_field(b, "allow_above_scale", r->allow_above_scale);
    if (level != JQL_EVIDENCE_FULL) {
        jql_buf_puts(b, ",\n  ");
        str_field(b, "evidence_level", jql_evidence_level_name(level));
    }
    jql_buf_puts(b, ",\n  \"tiers\": [");
    for (size_t t = 0; t < r->ntiers; t++) {
        jql_buf_puts(b, t ? ", {" : "{");
        str_field(b, "id", r->tiers[t].id);
        jql_buf_puts(b, ", ");
        str_field(b, "name", r->tiers[t].name);
        jql_buf_puts(b, ", ");
        milli_field(b, "min", r->tiers[t].min);
        jql_buf_putc(b, '}');
    }
    jql_buf_puts(b, "],\n  \"units\": [");
    for (size_t k = 0; k < r->nunits && jql_sink_ok(&w); k++) {
        jql_buf_puts(b, k ? ",\n" : "\n");
        unit(b, r, &r->units[k], level);
        jql_sink_flush_full(&w);
    }
    jql_buf_puts(b, r->nunits ? "\n  ]\n}\n" : "]\n}\n");
    return jql_sink_end(&w, "the results");
}

int jql_results_write(const jql_results *r, FILE *fp, jql_evidence_level level)
{
    if (!fp)
        return jql_fail(JQL_EINVALID, "jql_results_write: NULL stream");
    return jql_results_write_cb(r, jql_sink_to_file, fp, level);
}

int jql_results_to_json_level(const jql_results *r, jql_evidence_level level, char **out,
                              size_t *len)
{
    if (out)
        *out = NULL;
    if (len)
        *len = 0;
    if (!r || !out)
        return jql_fail(JQL_EINVALID, "jql_results_to_json: NULL argument");
    jql_buf all;
    jql_buf_init(&all);
    return jql_sink_take_text(jql_results_write_cb(r, jql_sink_to_buf, &all, level), &all, out,
                              len);
}

int jql_results_to_json(const jql_results *r, char **out, size_t *len)
{
    return jql_results_to_json_level(r, JQL_EVIDENCE_FULL, out, len);
}
