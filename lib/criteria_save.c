/*
 * Criteria sets back to JSON, canonically: keys in the order of
 * docs/CRITERIA.md, numbers in their shortest exact form, optional keys
 * only when they differ from the default, quotas in the loader's order.
 * Loading the text gives the same set, and saving that gives the same
 * bytes (tests/test_edit.c), which is what the editing API relies on.
 */
#include <string.h>

#include "criteria.h"
#include "names.h"
#include "util.h"

typedef struct {
    jql_buf *b;
    bool first; /* no member written yet in the current object */
} w_t;

static void open_obj(w_t *w)
{
    jql_buf_putc(w->b, '{');
    w->first = true;
}

static void close_obj(w_t *w)
{
    jql_buf_putc(w->b, '}');
    w->first = false;
}

static void key(w_t *w, const char *k)
{
    if (!w->first)
        jql_buf_puts(w->b, ", ");
    w->first = false;
    jql_buf_json_string(w->b, k);
    jql_buf_puts(w->b, ": ");
}

static void str(w_t *w, const char *k, const char *v)
{
    if (!v)
        return;
    key(w, k);
    jql_buf_json_string(w->b, v);
}

static void num(w_t *w, const char *k, jql_milli v)
{
    key(w, k);
    jql_buf_milli(w->b, v);
}

static void strlist(w_t *w, const char *k, char **v, size_t n)
{
    key(w, k);
    jql_buf_putc(w->b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            jql_buf_puts(w->b, ", ");
        jql_buf_json_string(w->b, v[i]);
    }
    jql_buf_putc(w->b, ']');
}

static void cond(w_t *w, const jql_cond *c)
{
    if (c->has_at_least)
        num(w, jql_bound_name(JQL_BOUND_AT_LEAST), c->at_least);
    if (c->has_above)
        num(w, jql_bound_name(JQL_BOUND_ABOVE), c->above);
    if (c->has_at_most)
        num(w, jql_bound_name(JQL_BOUND_AT_MOST), c->at_most);
    if (c->has_below)
        num(w, jql_bound_name(JQL_BOUND_BELOW), c->below);
}

static void measure(w_t *w, const jql_measure *m)
{
    key(w, "measure");
    open_obj(w);
    str(w, "kind", JQL_NAME_OF(jql_measure_names, m->kind));
    str(w, "report_kind", m->report_kind);
    str(w, "field", m->field);
    str(w, "indicator", m->indicator);
    str(w, "denominator", m->denominator);
    str(w, "event_kind", m->event_kind);
    if (m->rollup) {
        key(w, "rollup");
        jql_buf_puts(w->b, "true");
    }
    close_obj(w);
}

static void method(w_t *w, const jql_method *m)
{
    key(w, "method");
    open_obj(w);
    str(w, "type", JQL_NAME_OF(jql_method_names, m->kind));
    switch (m->kind) {
    case JQL_METHOD_BANDS:
        key(w, "bands");
        jql_buf_putc(w->b, '[');
        for (size_t i = 0; i < m->nbands; i++) {
            if (i)
                jql_buf_puts(w->b, ", ");
            open_obj(w);
            cond(w, &m->bands[i].cond);
            num(w, "points", m->bands[i].points);
            close_obj(w);
        }
        jql_buf_putc(w->b, ']');
        break;
    case JQL_METHOD_LINEAR:
        num(w, "target", m->target);
        break;
    case JQL_METHOD_BOOLEAN:
        cond(w, &m->cond);
        break;
    case JQL_METHOD_PER_OCCURRENCE:
        num(w, m->per_share ? "share" : "amount", m->per_amount);
        break;
    case JQL_METHOD_MANUAL:
        break;
    case JQL_METHOD_CUSTOM:
        str(w, "function", m->custom);
        break;
    case JQL_METHOD_COUNT:
        break;
    }
    close_obj(w);
}

static void missing(w_t *w, jql_missing_rule r)
{
    if (r != JQL_MISSING_ZERO) /* the default */
        str(w, "missing", JQL_NAME_OF(jql_missing_names, r));
}

static void indent(jql_buf *b, size_t depth)
{
    jql_buf_putc(b, '\n');
    for (size_t i = 0; i < depth; i++)
        jql_buf_puts(b, "  ");
}

static void node(w_t *w, const jql_criteria *c, size_t i, size_t depth)
{
    const jql_node *n = &c->nodes[i];
    open_obj(w);
    str(w, "id", n->id);
    str(w, "title", n->title);
    num(w, "max", n->max);
    if (n->disabled) {
        key(w, "enabled");
        jql_buf_puts(w->b, "false");
    }
    str(w, "note", n->note);
    if (n->has_na_rule) {
        const jql_na_rule *r = &n->na_rule;
        key(w, "not_applicable_if");
        open_obj(w);
        if (r->nlevels)
            strlist(w, "levels", r->levels, r->nlevels);
        if (r->attr_key) {
            str(w, "attribute", r->attr_key);
            strlist(w, "in", r->attr_values, r->nattr_values);
        }
        close_obj(w);
        w->first = false;
    }
    if (!n->is_leaf) {
        key(w, "children");
        jql_buf_putc(w->b, '[');
        for (size_t k = 0; k < n->children.len; k++) {
            if (k)
                jql_buf_putc(w->b, ',');
            indent(w->b, depth + 1);
            node(w, c, n->children.items[k], depth + 1);
        }
        jql_buf_putc(w->b, ']');
    } else {
        if (n->measure.kind != JQL_M_NONE)
            measure(w, &n->measure);
        method(w, &n->method);
        missing(w, n->missing);
    }
    close_obj(w);
}

static void items(w_t *w, const jql_item *it, size_t n, size_t depth)
{
    jql_buf_putc(w->b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            jql_buf_putc(w->b, ',');
        indent(w->b, depth);
        open_obj(w);
        str(w, "id", it[i].id);
        str(w, "title", it[i].title);
        num(w, "max", it[i].max);
        str(w, "source", JQL_NAME_OF(jql_item_source_names, it[i].kind));
        str(w, "event_kind", it[i].event_kind);
        if (it[i].kind == JQL_ITEM_COMPUTED) {
            measure(w, &it[i].measure);
            method(w, &it[i].method);
            missing(w, it[i].missing);
        }
        close_obj(w);
    }
    jql_buf_putc(w->b, ']');
}

/* Top-level key on its own line. */
static void top(w_t *w, const char *k)
{
    if (!w->first)
        jql_buf_putc(w->b, ',');
    w->first = true;
    indent(w->b, 1);
    key(w, k);
}

int jql_criteria_to_json(const jql_criteria *c, char **out, size_t *len)
{
    if (!c || !out)
        return jql_fail(JQL_EINVALID, "jql_criteria_to_json: NULL argument");
    *out = NULL;
    jql_buf b;
    jql_buf_init(&b);
    w_t w = {&b, true};
    bool disabled = false;
    for (size_t i = 0; i < c->nnodes; i++)
        disabled = disabled || c->nodes[i].disabled;
    jql_buf_putc(&b, '{');
    /* "enabled" is new in 1.1: older readers refuse the key, so say so */
    top(&w, "format");
    jql_buf_json_string(&b, disabled ? JQL_CRITERIA_FORMAT " 1.1" : JQL_CRITERIA_FORMAT " 1.0");
    top(&w, "id");
    jql_buf_json_string(&b, c->id);
    if (c->name) {
        top(&w, "name");
        jql_buf_json_string(&b, c->name);
    }
    if (c->description) {
        top(&w, "description");
        jql_buf_json_string(&b, c->description);
    }
    top(&w, "period");
    jql_buf_json_string(&b, c->period);
    top(&w, "scale");
    jql_buf_milli(&b, c->scale);
    if (c->allow_above_scale) {
        top(&w, "allow_above_scale");
        jql_buf_puts(&b, "true");
    }
    top(&w, "units");
    open_obj(&w);
    if (c->nunit_ids)
        strlist(&w, "ids", c->unit_ids, c->nunit_ids);
    else
        strlist(&w, "levels", c->unit_levels, c->nunit_levels);
    close_obj(&w);
    if (c->nclusters) {
        top(&w, "clusters");
        jql_buf_putc(&b, '[');
        for (size_t i = 0; i < c->nclusters; i++) {
            if (i)
                jql_buf_puts(&b, ", ");
            jql_buf_json_string(&b, c->clusters[i]);
        }
        jql_buf_putc(&b, ']');
    }
    top(&w, "criteria");
    jql_buf_putc(&b, '[');
    for (size_t k = 0; k < c->roots.len; k++) {
        if (k)
            jql_buf_putc(&b, ',');
        indent(&b, 2);
        node(&w, c, c->roots.items[k], 2);
    }
    jql_buf_putc(&b, ']');
    if (c->nbonus || c->has_bonus_cap) {
        top(&w, "bonus");
        open_obj(&w);
        if (c->has_bonus_cap)
            num(&w, "cap", c->bonus_cap);
        key(&w, "items");
        items(&w, c->bonus, c->nbonus, 2);
        close_obj(&w);
    }
    if (c->ndeductions) {
        top(&w, "deductions");
        items(&w, c->deductions, c->ndeductions, 2);
    }
    top(&w, "tiers");
    jql_buf_putc(&b, '[');
    for (size_t i = 0; i < c->ntiers; i++) {
        if (i)
            jql_buf_putc(&b, ',');
        indent(&b, 2);
        open_obj(&w);
        str(&w, "id", c->tiers[i].id);
        str(&w, "name", c->tiers[i].name);
        num(&w, "min", c->tiers[i].min);
        close_obj(&w);
    }
    jql_buf_putc(&b, ']');
    if (c->nvetoes) {
        top(&w, "vetoes");
        jql_buf_putc(&b, '[');
        for (size_t i = 0; i < c->nvetoes; i++) {
            const jql_veto *v = &c->vetoes[i];
            if (i)
                jql_buf_putc(&b, ',');
            indent(&b, 2);
            open_obj(&w);
            str(&w, "id", v->id);
            str(&w, "reason", v->reason);
            str(&w, "cap", c->tiers[v->cap_tier].id);
            if (v->on_event) {
                str(&w, "event_kind", v->event_kind);
            } else {
                measure(&w, &v->measure);
                cond(&w, &v->cond);
            }
            close_obj(&w);
        }
        jql_buf_putc(&b, ']');
    }
    if (c->nquotas) {
        top(&w, "quotas");
        jql_buf_putc(&b, '[');
        for (size_t i = 0; i < c->nquotas; i++) {
            const jql_quota *q = &c->quotas[i];
            if (i)
                jql_buf_putc(&b, ',');
            indent(&b, 2);
            open_obj(&w);
            str(&w, "tier", c->tiers[q->tier].id);
            num(&w, "share", q->share);
            key(&w, "of");
            jql_buf_putc(&b, '[');
            for (size_t j = 0; j < q->of.len; j++) {
                if (j)
                    jql_buf_puts(&b, ", ");
                jql_buf_json_string(&b, c->tiers[q->of.items[j]].id);
            }
            jql_buf_putc(&b, ']');
            if (q->has_minimum) {
                key(&w, "minimum");
                jql_buf_printf(&b, "%zu", q->minimum);
            }
            close_obj(&w);
        }
        jql_buf_putc(&b, ']');
    }
    if (c->ntiebreaks) {
        top(&w, "tie_breakers");
        jql_buf_putc(&b, '[');
        for (size_t i = 0; i < c->ntiebreaks; i++) {
            const jql_tiebreak *t = &c->tiebreaks[i];
            if (i)
                jql_buf_putc(&b, ',');
            indent(&b, 2);
            open_obj(&w);
            str(&w, "by", JQL_NAME_OF(jql_tiebreak_names, t->kind));
            if (t->kind == JQL_TB_NODE) {
                str(&w, "node", c->nodes[t->node].id);
            } else if (t->kind == JQL_TB_MEASURE) {
                measure(&w, &t->measure);
                str(&w, "order", t->ascending ? "asc" : "desc");
            }
            close_obj(&w);
        }
        jql_buf_putc(&b, ']');
    }
    jql_buf_puts(&b, "\n}\n");
    char *s = jql_buf_take(&b, len);
    if (!s)
        return jql_fail(JQL_ENOMEM, "out of memory writing the criteria set");
    *out = s;
    return JQL_OK;
}

int jql_criteria_save_path(const jql_criteria *c, const char *path)
{
    char *s;
    size_t n;
    int rc = jql_criteria_to_json(c, &s, &n);
    if (rc)
        return rc;
    rc = jql_file_write_atomic(path, s, n);
    jql_free(s);
    return rc;
}
