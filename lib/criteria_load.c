/*
 * Loading a criteria set from JSON (docs/CRITERIA.md): the criteria set's
 * schema on top of the reader the dataset loader uses too (json_reader.h:
 * one parse path, paths, diagnostics, key checks, typed fields, the format
 * check, the same words for the same problems). One walk fills the
 * jql_criteria and collects every problem with its JSON Pointer and
 * line:column.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "criteria.h"
#include "names.h"
#include "fileio.h"
#include "json_reader.h"

typedef struct {
    jql_reader r;    /* text, tree, positions, path, diagnostics (json_reader.h) */
    jql_criteria *c;
    jql_strmap ids;  /* node and item ids (one namespace) */
    /* look-ups that keep hostile lists (a million tiers or vetoes) linear */
    jql_strmap tier_ids, veto_ids;
    bool *quota_on_tier, *tier_listed; /* per tier: has a quota / in this quota's "of" */
    size_t nodes_cap;
    bool compare;    /* reading a list of values matched against the dataset */
} ctx_t;

/* ---- paths and diagnostics: the shared reader's, under short names ---- */

static size_t path_key(ctx_t *x, const char *key) { return jql_reader_push_key(&x->r, key); }
static size_t path_index(ctx_t *x, size_t i) { return jql_reader_push_index(&x->r, i); }
static void path_pop(ctx_t *x, size_t old) { jql_reader_pop(&x->r, old); }

#if defined(__GNUC__)
static void vreport(ctx_t *x, jql_severity sev, size_t off, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
#endif
static void vreport(ctx_t *x, jql_severity sev, size_t off, const char *fmt, va_list ap)
{
    jql_reader_verror(&x->r, sev, off, fmt, ap);
}

/* An error about the value `v` at the current path. */
static void err(ctx_t *x, const cJSON *v, const char *fmt, ...) JQL_PRINTF(3, 4);
static void err(ctx_t *x, const cJSON *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(x, JQL_SEVERITY_ERROR, jql_json_pos_offset(x->r.pos, v), fmt, ap);
    va_end(ap);
}

/* An error located at an object member's key (at the current path). */
static void err_key(ctx_t *x, const cJSON *member, const char *fmt, ...) JQL_PRINTF(3, 4);
static void err_key(ctx_t *x, const cJSON *member, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(x, JQL_SEVERITY_ERROR, jql_json_pos_key_offset(x->r.pos, member), fmt, ap);
    va_end(ap);
}

static void warn(ctx_t *x, const cJSON *v, const char *fmt, ...) JQL_PRINTF(3, 4);
static void warn(ctx_t *x, const cJSON *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(x, JQL_SEVERITY_WARNING, jql_json_pos_offset(x->r.pos, v), fmt, ap);
    va_end(ap);
}

static const char *shorten(const char *s, char buf[112]) { return jql_reader_shorten(s, buf); }

/* ---- keys and typed values ---- */

static void check_keys(ctx_t *x, const cJSON *obj, const char *const *allowed)
{
    jql_reader_check_keys(&x->r, obj, allowed);
}

/* The first member named key (NUL and duplicate keys skipped: reported). */
#define get(obj, key) jql_reader_member(&x->r, (obj), (key))

static bool is_object(ctx_t *x, const cJSON *v, const char *what)
{
    return jql_reader_is_object(&x->r, v, what);
}

static bool is_array(ctx_t *x, const cJSON *v, bool nonempty)
{
    return jql_reader_is_array(&x->r, v, nonempty);
}

static char *dup(ctx_t *x, const char *s)
{
    char *d = jql_strdup(s);
    if (!d)
        x->r.oom = true;
    return d;
}

/* A string value (an id when is_id) at the current path. *out gets a copy. */
static bool read_string(ctx_t *x, const cJSON *v, bool is_id, char **out)
{
    const char *s;
    if (!jql_reader_string(&x->r, v, is_id, &s))
        return false;
    /* matched strings are kept in NFC, free text byte for byte (the reader
       gave the file's one warning about text not in NFC) */
    if (out && (is_id || x->compare)) {
        if (!(*out = jql_strdup_nfc(s)))
            x->r.oom = true;
    } else if (out) {
        *out = dup(x, s);
    }
    return true;
}

/* A number value: exact thousandths from the literal source text. */
static bool read_number(ctx_t *x, const cJSON *v, jql_milli *out)
{
    return jql_reader_number(&x->r, v, out);
}

/* Optional or required member readers: they push the key on the path.
   They return false only when the member is present and wrong, or missing
   while required (the problem is reported). */
static bool key_string(ctx_t *x, const cJSON *obj, const char *key, bool required, bool is_id,
                       char **out)
{
    const cJSON *v = get(obj, key);
    if (!v) {
        if (required)
            err(x, obj, "missing required key \"%s\"", key);
        return !required;
    }
    size_t old = path_key(x, key);
    bool ok = read_string(x, v, is_id, out);
    path_pop(x, old);
    return ok;
}

static bool key_number(ctx_t *x, const cJSON *obj, const char *key, bool required,
                       jql_milli *out, bool *present)
{
    const cJSON *v = get(obj, key);
    if (present)
        *present = false;
    if (!v) {
        if (required)
            err(x, obj, "missing required key \"%s\"", key);
        return !required;
    }
    size_t old = path_key(x, key);
    bool ok = read_number(x, v, out);
    path_pop(x, old);
    if (ok && present)
        *present = true;
    return ok;
}

/* Check a number already read from obj[key] against a rule, at its path. */
static bool num_rule(ctx_t *x, const cJSON *obj, const char *key, bool ok, const char *fmt, ...)
    JQL_PRINTF(5, 6);
static bool num_rule(ctx_t *x, const cJSON *obj, const char *key, bool ok, const char *fmt, ...)
{
    if (ok)
        return true;
    size_t old = path_key(x, key);
    va_list ap;
    va_start(ap, fmt);
    vreport(x, JQL_SEVERITY_ERROR, jql_json_pos_offset(x->r.pos, get(obj, key)), fmt, ap);
    va_end(ap);
    path_pop(x, old);
    return false;
}

static const char *milli_str(jql_milli v, char buf[32]);

/* A share of 1 or less is almost certainly a fraction (0.2 meant 20%):
   shares are percentages, so warn, naming the value and the fix. */
static void share_fraction(ctx_t *x, const cJSON *obj, jql_milli share)
{
    if (share <= 0 || share > 1000)
        return;
    char b1[32], b2[32];
    size_t old = path_key(x, "share");
    warn(x, get(obj, "share"),
         "share %s is a percentage (%s%%), not a fraction: if %s%% was meant, write \"share\": %s",
         milli_str(share, b1), b1, milli_str(share * 100, b2), b2);
    path_pop(x, old);
}

static const char *milli_str(jql_milli v, char buf[32])
{
    jql_milli_format(v, -1, buf, 32);
    return buf;
}

/* An array of strings (ids when is_id), non-empty and without repeats. */
static bool key_strlist(ctx_t *x, const cJSON *obj, const char *key, bool required, bool is_id,
                        char ***out, size_t *nout)
{
    const cJSON *v = get(obj, key);
    if (!v) {
        if (required)
            err(x, obj, "missing required key \"%s\"", key);
        return !required;
    }
    size_t old = path_key(x, key);
    bool ok = is_array(x, v, true);
    if (ok) {
        size_t n = (size_t)cJSON_GetArraySize(v), i = 0;
        char **list = jql_calloc(n, sizeof *list);
        if (!list) {
            x->r.oom = true;
            path_pop(x, old);
            return false;
        }
        *out = list;
        *nout = n;
        char sb[112];
        jql_strmap seen = {0}; /* repeats found by hash: lists may be long */
        x->compare = true; /* levels, attribute values, clusters, unit ids */
        for (const cJSON *e = v->child; e; e = e->next, i++) {
            size_t o2 = path_index(x, i);
            if (read_string(x, e, is_id, &list[i])) {
                if (!list[i]) {
                    /* out of memory, already noted */
                } else if (jql_strmap_get(&seen, list[i], NULL) == JQL_OK) {
                    err(x, e, "\"%s\" is listed twice", shorten(list[i], sb));
                    ok = false;
                } else if (jql_strmap_put(&seen, list[i], i)) {
                    x->r.oom = true;
                }
            } else {
                ok = false;
            }
            path_pop(x, o2);
        }
        x->compare = false;
        jql_strmap_free(&seen);
    }
    path_pop(x, old);
    return ok;
}

/* ---- measures, conditions, methods ---- */

enum { F_REPORT = 1, F_FIELD = 2, F_IND = 4, F_DEN = 8, F_EVENT = 16 };

/* What each measure kind allows; its name is in names.c. */
static const struct {
    unsigned filters;
    bool countable; /* usable with per_occurrence: n is a count (or days late) */
} MEASURES[JQL_M_COUNT] = {
    [JQL_M_REPORT_DAYS_LATE_WORST] = {F_REPORT, true},
    [JQL_M_REPORT_DAYS_LATE_LATEST] = {F_REPORT, true},
    [JQL_M_REPORT_SHARE_ON_TIME] = {F_REPORT, false},
    [JQL_M_REPORT_MISSING] = {F_REPORT, true},
    [JQL_M_REPORT_INCOMPLETE] = {F_REPORT, true},
    [JQL_M_TASK_SHARE_COMPLETED] = {F_FIELD, false},
    [JQL_M_TASK_OVERDUE] = {F_FIELD, true},
    [JQL_M_TASK_SHARE_LATE] = {F_FIELD, false},
    [JQL_M_DIRECTIVE_SHARE_COMPLETED] = {0, false},
    [JQL_M_INDICATOR_VALUE] = {F_IND, true},
    [JQL_M_INDICATOR_RATIO] = {F_IND | F_DEN, false},
    [JQL_M_INDICATOR_CHANGE] = {F_IND, false},
    [JQL_M_EVENT_COUNT] = {F_EVENT, true},
    [JQL_M_EVENT_POINTS] = {F_EVENT, false},
};

static const char *const MEASURE_KEYS[] = {"kind",        "report_kind", "field",    "indicator",
                                           "denominator", "event_kind",  "rollup",   NULL};

static const struct {
    const char *key;
    unsigned flag;
} FILTERS[] = {{"report_kind", F_REPORT}, {"field", F_FIELD}, {"indicator", F_IND},
               {"denominator", F_DEN},    {"event_kind", F_EVENT}};

/* Parse obj["measure"] (the key must be present). per_occurrence: only
   countable kinds are allowed. */
static bool parse_measure(ctx_t *x, const cJSON *obj, jql_measure *m, bool per_occurrence)
{
    const cJSON *v = get(obj, "measure");
    size_t old = path_key(x, "measure");
    bool ok = is_object(x, v, "a measure");
    if (!ok)
        goto out;
    check_keys(x, v, MEASURE_KEYS);
    char *kind = NULL;
    if (!key_string(x, v, "kind", true, true, &kind) || !kind) {
        ok = false;
        goto out;
    }
    int k;
    bool known = JQL_NAME_FIND(jql_measure_names, kind, &k);
    size_t o2 = path_key(x, "kind");
    char sb[112];
    if (!known) {
        err(x, get(v, "kind"), "unknown measure kind \"%s\"", shorten(kind, sb));
        ok = false;
    } else if (per_occurrence && !MEASURES[k].countable) {
        err(x, get(v, "kind"),
            "measure kind \"%s\" cannot be used with per_occurrence (it needs a count or "
            "days late)",
            kind);
        ok = false;
    }
    path_pop(x, o2);
    jql_free(kind);
    if (!ok)
        goto out;
    m->kind = (jql_measure_kind)k;
    char **slots[] = {&m->report_kind, &m->field, &m->indicator, &m->denominator,
                      &m->event_kind};
    for (size_t f = 0; f < sizeof FILTERS / sizeof FILTERS[0]; f++) {
        const cJSON *fv = get(v, FILTERS[f].key);
        bool allowed = MEASURES[k].filters & FILTERS[f].flag;
        if (fv && !allowed) {
            size_t o3 = path_key(x, FILTERS[f].key);
            err_key(x, fv, "\"%s\" does not apply to measure kind \"%s\"", FILTERS[f].key,
                    jql_measure_names[k]);
            path_pop(x, o3);
            ok = false;
            continue;
        }
        bool required = FILTERS[f].flag & (F_IND | F_DEN);
        if (allowed && !key_string(x, v, FILTERS[f].key, required, true, slots[f]))
            ok = false;
    }
    const cJSON *r = get(v, "rollup");
    if (r) {
        size_t o3 = path_key(x, "rollup");
        if (cJSON_IsBool(r)) {
            m->rollup = cJSON_IsTrue(r);
        } else {
            err(x, r, "expected true or false, found %s", jql_reader_type_name(r));
            ok = false;
        }
        path_pop(x, o3);
    }
out:
    path_pop(x, old);
    return ok;
}

/* Read the four condition words from obj; *any tells whether one was given. */
static bool parse_cond(ctx_t *x, const cJSON *obj, jql_cond *c, bool *any)
{
    bool ok = true;
    bool *has[JQL_BOUND_COUNT] = {
        [JQL_BOUND_AT_LEAST] = &c->has_at_least, [JQL_BOUND_ABOVE] = &c->has_above,
        [JQL_BOUND_AT_MOST] = &c->has_at_most, [JQL_BOUND_BELOW] = &c->has_below};
    jql_milli *val[JQL_BOUND_COUNT] = {
        [JQL_BOUND_AT_LEAST] = &c->at_least, [JQL_BOUND_ABOVE] = &c->above,
        [JQL_BOUND_AT_MOST] = &c->at_most, [JQL_BOUND_BELOW] = &c->below};
    *any = false;
    for (int i = 0; i < JQL_BOUND_COUNT; i++) {
        if (!key_number(x, obj, jql_bound_name((jql_bound)i), false, val[i], has[i]))
            ok = false;
        *any = *any || *has[i];
    }
    return ok;
}

static const char *const BAND_KEYS[] = {"at_least", "above", "at_most", "below", "points", NULL};

static bool parse_bands(ctx_t *x, const cJSON *obj, jql_method *m, jql_milli max)
{
    const cJSON *v = get(obj, "bands");
    if (!v) {
        err(x, obj, "missing required key \"bands\"");
        return false;
    }
    size_t old = path_key(x, "bands");
    bool ok = is_array(x, v, true);
    if (ok && (size_t)cJSON_GetArraySize(v) > JQL_MAX_BANDS) {
        err(x, v, "%d bands, more than the limit of %u (docs/CRITERIA.md, \"Limits\")",
            cJSON_GetArraySize(v), JQL_MAX_BANDS);
        ok = false;
    }
    if (ok) {
        size_t n = (size_t)cJSON_GetArraySize(v), i = 0;
        if (!(m->bands = jql_calloc(n, sizeof *m->bands))) {
            x->r.oom = true;
            path_pop(x, old);
            return false;
        }
        m->nbands = n;
        char b1[32], b2[32];
        for (const cJSON *e = v->child; e; e = e->next, i++) {
            size_t o2 = path_index(x, i);
            if (is_object(x, e, "a band")) {
                check_keys(x, e, BAND_KEYS);
                bool any;
                jql_band *b = &m->bands[i];
                if (!parse_cond(x, e, &b->cond, &any))
                    ok = false;
                if (!key_number(x, e, "points", true, &b->points, NULL)) {
                    ok = false;
                } else if (b->points < 0 || b->points > max) {
                    size_t o3 = path_key(x, "points");
                    err(x, get(e, "points"), "band points %s outside [0, %s]",
                        milli_str(b->points, b1), milli_str(max, b2));
                    path_pop(x, o3);
                    ok = false;
                }
            } else {
                ok = false;
            }
            path_pop(x, o2);
        }
    }
    path_pop(x, old);
    return ok;
}

/* The keys each method type allows; its name is in names.c. */
static const struct {
    const char *const keys[7];
} METHODS[JQL_METHOD_COUNT] = {
    [JQL_METHOD_BANDS] = {{"type", "bands", NULL}},
    [JQL_METHOD_LINEAR] = {{"type", "target", NULL}},
    [JQL_METHOD_BOOLEAN] = {{"type", "at_least", "above", "at_most", "below", NULL}},
    [JQL_METHOD_PER_OCCURRENCE] = {{"type", "amount", "share", NULL}},
    [JQL_METHOD_MANUAL] = {{"type", NULL}},
    [JQL_METHOD_CUSTOM] = {{"type", "function", NULL}},
};

/* Parse obj["method"] (present) for a leaf (or computed item when item). */
static bool parse_method(ctx_t *x, const cJSON *obj, jql_method *m, jql_milli max, bool item)
{
    const cJSON *v = get(obj, "method");
    size_t old = path_key(x, "method");
    bool ok = is_object(x, v, "a method");
    char *type = NULL;
    if (!ok || !key_string(x, v, "type", true, true, &type) || !type) {
        ok = false;
        goto out;
    }
    int k;
    bool known = JQL_NAME_FIND(jql_method_names, type, &k);
    size_t o2 = path_key(x, "type");
    char sb[112];
    if (!known) {
        err(x, get(v, "type"), "unknown method type \"%s\"", shorten(type, sb));
        ok = false;
    } else if (item && (k == JQL_METHOD_MANUAL || k == JQL_METHOD_CUSTOM)) {
        err(x, get(v, "type"),
            "method \"%s\" is not allowed for a computed item (use source \"manual\" or "
            "\"events\")",
            type);
        ok = false;
    }
    path_pop(x, o2);
    if (!ok)
        goto out;
    m->kind = (jql_method_kind)k;
    check_keys(x, v, METHODS[k].keys);
    char b1[32];
    switch (m->kind) {
    case JQL_METHOD_BANDS:
        ok = parse_bands(x, v, m, max);
        break;
    case JQL_METHOD_LINEAR:
        if (key_number(x, v, "target", true, &m->target, NULL))
            ok = num_rule(x, v, "target", m->target > 0, "target must be greater than 0, not %s",
                          milli_str(m->target, b1));
        else
            ok = false;
        break;
    case JQL_METHOD_BOOLEAN: {
        bool any;
        ok = parse_cond(x, v, &m->cond, &any);
        break;
    }
    case JQL_METHOD_PER_OCCURRENCE: {
        bool has_amount = false, has_share = false;
        jql_milli share = 0;
        ok = key_number(x, v, "amount", false, &m->per_amount, &has_amount);
        ok = key_number(x, v, "share", false, &share, &has_share) && ok;
        if (has_amount && has_share) {
            err(x, v, "give \"amount\" or \"share\", not both");
            ok = false;
        } else if (!has_amount && !has_share && ok) {
            err(x, v, "missing \"amount\" or \"share\"");
            ok = false;
        } else if (has_amount) {
            ok = num_rule(x, v, "amount", m->per_amount >= 0, "amount must not be negative: %s",
                          milli_str(m->per_amount, b1));
        } else if (has_share) {
            m->per_share = true;
            m->per_amount = share;
            ok = num_rule(x, v, "share", share >= 0 && share <= 100000,
                          "share must be a percentage from 0 to 100, not %s",
                          milli_str(share, b1));
            if (ok)
                share_fraction(x, v, share);
        }
        break;
    }
    case JQL_METHOD_MANUAL:
        break;
    case JQL_METHOD_CUSTOM:
        ok = key_string(x, v, "function", true, true, &m->custom);
        break;
    case JQL_METHOD_COUNT:
        break;
    }
out:
    jql_free(type);
    path_pop(x, old);
    return ok;
}

static bool is_computed(jql_method_kind k)
{
    return k != JQL_METHOD_MANUAL && k != JQL_METHOD_CUSTOM;
}

static bool parse_missing(ctx_t *x, const cJSON *obj, jql_missing_rule *out, bool allow_na)
{
    char *s = NULL;
    if (!get(obj, "missing"))
        return true;
    if (!key_string(x, obj, "missing", false, true, &s) || !s)
        return false;
    bool ok = true;
    int r;
    if (JQL_NAME_FIND(jql_missing_names, s, &r) &&
        (allow_na || r != JQL_MISSING_NOT_APPLICABLE)) {
        *out = (jql_missing_rule)r;
    } else {
        char sb[112];
        size_t old = path_key(x, "missing");
        const char *const *m = jql_missing_names;
        if (allow_na)
            err(x, get(obj, "missing"), "\"missing\" must be \"%s\", \"%s\" or \"%s\", not \"%s\"",
                m[JQL_MISSING_ZERO], m[JQL_MISSING_FULL], m[JQL_MISSING_NOT_APPLICABLE],
                shorten(s, sb));
        else
            err(x, get(obj, "missing"), "\"missing\" must be \"%s\" or \"%s\", not \"%s\"",
                m[JQL_MISSING_ZERO], m[JQL_MISSING_FULL], shorten(s, sb));
        path_pop(x, old);
        ok = false;
    }
    jql_free(s);
    return ok;
}

static const char *const NA_KEYS[] = {"levels", "attribute", "in", NULL};

static bool parse_na(ctx_t *x, const cJSON *obj, jql_na_rule *r)
{
    const cJSON *v = get(obj, "not_applicable_if");
    size_t old = path_key(x, "not_applicable_if");
    bool ok = is_object(x, v, "a condition on the unit");
    if (ok) {
        check_keys(x, v, NA_KEYS);
        ok = key_strlist(x, v, "levels", false, true, &r->levels, &r->nlevels);
        ok = key_string(x, v, "attribute", false, true, &r->attr_key) && ok;
        ok = key_strlist(x, v, "in", false, false, &r->attr_values, &r->nattr_values) && ok;
        bool has_attr = get(v, "attribute"), has_in = get(v, "in");
        if (has_attr != has_in) {
            err(x, v, "\"attribute\" and \"in\" go together");
            ok = false;
        } else if (!has_attr && !get(v, "levels")) {
            err(x, v, "give \"levels\" or \"attribute\" with \"in\"");
            ok = false;
        }
    }
    path_pop(x, old);
    return ok;
}

/* Claim an id in the node/item namespace; reports a duplicate. */
static bool claim_id(ctx_t *x, const cJSON *obj, const char *id, size_t value)
{
    if (jql_strmap_get(&x->ids, id, NULL) == JQL_OK) {
        size_t old = path_key(x, "id");
        err(x, get(obj, "id"), "duplicate id \"%s\" (ids are unique among criteria and items)",
            id);
        path_pop(x, old);
        return false;
    }
    if (jql_strmap_put(&x->ids, id, value))
        x->r.oom = true;
    return true;
}

/* Report obj[key] as not allowed here (when present). */
static void refuse(ctx_t *x, const cJSON *obj, const char *key, const char *why)
{
    const cJSON *v = get(obj, key);
    if (!v)
        return;
    size_t old = path_key(x, key);
    err_key(x, v, "\"%s\" is not allowed %s", key, why);
    path_pop(x, old);
}

/* ---- the tree ---- */

static const char *const NODE_KEYS[] = {"id",      "title",   "max",    "note",
                                        "not_applicable_if", "children", "measure",
                                        "method",  "missing", "enabled", NULL};

static void max_sum_warning(ctx_t *x, const cJSON *at, __int128 sum, jql_milli max,
                            const char *what)
{
    if (sum == max)
        return;
    char b1[48], b2[32];
    if (sum > JQL_MILLI_MAX)
        snprintf(b1, sizeof b1, "more than %s", milli_str(JQL_MILLI_MAX, b2));
    else
        milli_str((jql_milli)sum, b1);
    warn(x, at, "the maxima of %s add up to %s, not %s", what, b1, milli_str(max, b2));
}

/* Parse one node (an object at the current path) and its subtree. Returns
   its index, or JQL_NONE when out of memory or not an object. */
static size_t parse_node(ctx_t *x, const cJSON *v, size_t parent, size_t depth)
{
    if (!is_object(x, v, "a criterion"))
        return JQL_NONE;
    jql_criteria *c = x->c;
    if (jql_vec_grow((void **)&c->nodes, &x->nodes_cap, c->nnodes + 1, sizeof *c->nodes)) {
        x->r.oom = true;
        return JQL_NONE;
    }
    size_t idx = c->nnodes++;
    jql_node *n = &c->nodes[idx];
    memset(n, 0, sizeof *n);
    n->parent = parent;
    n->depth = depth;
    check_keys(x, v, NODE_KEYS);
    if (key_string(x, v, "id", true, true, &n->id) && n->id && claim_id(x, v, n->id, idx) &&
        jql_strmap_put(&c->node_ids, n->id, idx))
        x->r.oom = true;
    key_string(x, v, "title", true, false, &n->title);
    char b1[32];
    if (key_number(x, v, "max", true, &n->max, NULL))
        num_rule(x, v, "max", n->max > 0, "max must be greater than 0, not %s",
                 milli_str(n->max, b1));
    key_string(x, v, "note", false, false, &n->note);
    const cJSON *en = get(v, "enabled");
    if (en) {
        size_t o2 = path_key(x, "enabled");
        if (cJSON_IsBool(en))
            n->disabled = !cJSON_IsTrue(en);
        else
            err(x, en, "expected true or false");
        path_pop(x, o2);
    }
    if (get(v, "not_applicable_if")) {
        n->has_na_rule = true;
        parse_na(x, v, &n->na_rule);
    }
    const cJSON *children = get(v, "children");
    if (children && get(v, "method")) {
        err(x, v, "a criterion has either \"children\" or \"method\", not both");
        return idx;
    }
    if (children) {
        refuse(x, v, "measure", "on a criterion with children");
        refuse(x, v, "missing", "on a criterion with children");
        size_t old = path_key(x, "children");
        if (is_array(x, children, true)) {
            size_t i = 0, e0 = x->r.errors;
            __int128 sum = 0;
            for (const cJSON *e = children->child; e; e = e->next, i++) {
                size_t o2 = path_index(x, i);
                size_t ci = parse_node(x, e, idx, depth + 1);
                path_pop(x, o2);
                if (ci == JQL_NONE)
                    continue;
                c->nodes[ci].pos = i;
                sum += c->nodes[ci].max;
                if (jql_sizevec_push(&c->nodes[idx].children, ci))
                    x->r.oom = true;
            }
            path_pop(x, old);
            n = &c->nodes[idx];
            if (n->max > 0 && x->r.errors == e0) { /* a broken child would skew the sum */
                size_t o2 = path_key(x, "max");
                max_sum_warning(x, get(v, "max"), sum, n->max, "its children");
                path_pop(x, o2);
            }
        } else {
            path_pop(x, old);
        }
        return idx;
    }
    n->is_leaf = true;
    if (!get(v, "method")) {
        err(x, v, "missing \"children\" or \"method\"");
        return idx;
    }
    if (!parse_method(x, v, &n->method, n->max, false))
        return idx;
    if (is_computed(n->method.kind)) {
        if (!get(v, "measure"))
            err(x, v, "missing required key \"measure\" (method \"%s\" needs one)",
                jql_method_names[n->method.kind]);
        else
            parse_measure(x, v, &n->measure, n->method.kind == JQL_METHOD_PER_OCCURRENCE);
    } else {
        refuse(x, v, "measure", "with a manual or custom method");
    }
    parse_missing(x, v, &n->missing, true);
    return idx;
}

/* ---- bonus and deduction items ---- */

static const char *const ITEM_KEYS[] = {"id",      "title",   "max",     "source", "event_kind",
                                        "measure", "method",  "missing", NULL};

static void parse_item(ctx_t *x, const cJSON *v, jql_item *it)
{
    if (!is_object(x, v, "an item"))
        return;
    check_keys(x, v, ITEM_KEYS);
    if (key_string(x, v, "id", true, true, &it->id) && it->id)
        claim_id(x, v, it->id, JQL_NONE);
    key_string(x, v, "title", true, false, &it->title);
    char b1[32];
    if (key_number(x, v, "max", true, &it->max, NULL))
        num_rule(x, v, "max", it->max > 0, "max must be greater than 0, not %s",
                 milli_str(it->max, b1));
    char *src = NULL;
    if (!key_string(x, v, "source", true, true, &src) || !src)
        return;
    int kind = JQL_ITEM_KIND_COUNT;
    JQL_NAME_FIND(jql_item_source_names, src, &kind);
    if (kind == JQL_ITEM_EVENTS) {
        it->kind = JQL_ITEM_EVENTS;
        key_string(x, v, "event_kind", true, true, &it->event_kind);
    } else if (kind == JQL_ITEM_MANUAL) {
        it->kind = JQL_ITEM_MANUAL;
        refuse(x, v, "event_kind", "with source \"manual\"");
    } else if (kind == JQL_ITEM_COMPUTED) {
        it->kind = JQL_ITEM_COMPUTED;
        refuse(x, v, "event_kind", "with source \"computed\"");
        if (!get(v, "method"))
            err(x, v, "missing required key \"method\"");
        else if (parse_method(x, v, &it->method, it->max, true)) {
            if (!get(v, "measure"))
                err(x, v, "missing required key \"measure\"");
            else
                parse_measure(x, v, &it->measure,
                              it->method.kind == JQL_METHOD_PER_OCCURRENCE);
        }
        parse_missing(x, v, &it->missing, false);
    } else {
        char sb[112];
        size_t old = path_key(x, "source");
        const char *const *n = jql_item_source_names;
        err(x, get(v, "source"), "\"source\" must be \"%s\", \"%s\" or \"%s\", not \"%s\"",
            n[JQL_ITEM_EVENTS], n[JQL_ITEM_MANUAL], n[JQL_ITEM_COMPUTED], shorten(src, sb));
        path_pop(x, old);
    }
    if (kind != JQL_ITEM_COMPUTED) {
        refuse(x, v, "measure", "unless source is \"computed\"");
        refuse(x, v, "method", "unless source is \"computed\"");
        refuse(x, v, "missing", "unless source is \"computed\"");
    }
    jql_free(src);
}

/* Parse an array of items at the current path into (*items, *n). */
static void parse_items(ctx_t *x, const cJSON *v, jql_item **items, size_t *n)
{
    if (!is_array(x, v, false) || !v->child)
        return;
    size_t count = (size_t)cJSON_GetArraySize(v), i = 0;
    if (!(*items = jql_calloc(count, sizeof **items))) {
        x->r.oom = true;
        return;
    }
    *n = count;
    __int128 sum = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        size_t old = path_index(x, i);
        parse_item(x, e, &(*items)[i]);
        path_pop(x, old);
        if ((*items)[i].max > 0)
            sum += (*items)[i].max;
    }
    /* The engine adds the items' points (each at most its max) in 64 bits. */
    if (sum > JQL_MILLI_MAX) {
        char b1[32];
        err(x, v, "the maxima of these items add up to more than %s",
            milli_str(JQL_MILLI_MAX, b1));
    }
}

static const char *const BONUS_KEYS[] = {"cap", "items", NULL};

static void parse_bonus(ctx_t *x, const cJSON *v)
{
    if (!is_object(x, v, "bonus: {\"cap\", \"items\"}"))
        return;
    jql_criteria *c = x->c;
    check_keys(x, v, BONUS_KEYS);
    char b1[32];
    if (key_number(x, v, "cap", false, &c->bonus_cap, &c->has_bonus_cap) && c->has_bonus_cap)
        num_rule(x, v, "cap", c->bonus_cap >= 0, "cap must not be negative: %s",
                 milli_str(c->bonus_cap, b1));
    const cJSON *items = get(v, "items");
    if (!items) {
        err(x, v, "missing required key \"items\"");
        return;
    }
    size_t old = path_key(x, "items");
    parse_items(x, items, &c->bonus, &c->nbonus);
    path_pop(x, old);
}

/* ---- tiers, vetoes, quotas, tie-breakers ---- */

/* Index of the first tier with this id, or JQL_NONE. */
static size_t tier_index(const ctx_t *x, const char *id)
{
    size_t i;
    return id && jql_strmap_get(&x->tier_ids, id, &i) == JQL_OK ? i : JQL_NONE;
}

/* Read obj[key] as a tier id and resolve it. */
static size_t key_tier(ctx_t *x, const cJSON *obj, const char *key)
{
    char *id = NULL;
    if (!key_string(x, obj, key, true, true, &id) || !id)
        return JQL_NONE;
    size_t t = tier_index(x, id);
    if (t == JQL_NONE) {
        size_t old = path_key(x, key);
        err(x, get(obj, key), "unknown tier \"%s\"", id);
        path_pop(x, old);
    }
    jql_free(id);
    return t;
}

static const char *const TIER_KEYS[] = {"id", "name", "min", NULL};

static void parse_tiers(ctx_t *x, const cJSON *v)
{
    jql_criteria *c = x->c;
    if (!is_array(x, v, true))
        return;
    size_t n = (size_t)cJSON_GetArraySize(v), i = 0;
    if (!(c->tiers = jql_calloc(n, sizeof *c->tiers))) {
        x->r.oom = true;
        return;
    }
    c->ntiers = n;
    char b1[32], b2[32];
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        size_t old = path_index(x, i);
        jql_tier *t = &c->tiers[i];
        t->min = -1;
        if (is_object(x, e, "a tier")) {
            check_keys(x, e, TIER_KEYS);
            if (key_string(x, e, "id", true, true, &t->id) && t->id) {
                if (tier_index(x, t->id) != JQL_NONE) {
                    size_t o2 = path_key(x, "id");
                    err(x, get(e, "id"), "duplicate tier id \"%s\"", t->id);
                    path_pop(x, o2);
                } else if (jql_strmap_put(&x->tier_ids, t->id, i)) {
                    x->r.oom = true;
                }
            }
            key_string(x, e, "name", true, false, &t->name);
            if (key_number(x, e, "min", true, &t->min, NULL)) {
                if (t->min < 0)
                    num_rule(x, e, "min", false, "min must not be negative: %s",
                             milli_str(t->min, b1));
                else if (i > 0 && c->tiers[i - 1].min >= 0 && t->min >= c->tiers[i - 1].min) {
                    size_t o2 = path_key(x, "min");
                    err(x, get(e, "min"),
                        "tier minima must be strictly descending: %s is not below %s",
                        milli_str(t->min, b1), milli_str(c->tiers[i - 1].min, b2));
                    path_pop(x, o2);
                }
            } else {
                t->min = -1;
            }
            if (!e->next && t->min > 0) {
                size_t o2 = path_key(x, "min");
                err(x, get(e, "min"), "the lowest tier must have min 0, not %s",
                    milli_str(t->min, b1));
                path_pop(x, o2);
            }
        }
        path_pop(x, old);
    }
}

static const char *const VETO_KEYS[] = {"id",       "reason", "cap",     "event_kind", "measure",
                                        "at_least", "above",  "at_most", "below",      NULL};

static void parse_veto(ctx_t *x, const cJSON *e, size_t i)
{
    jql_criteria *c = x->c;
    jql_veto *vt = &c->vetoes[i];
    vt->cap_tier = JQL_NONE;
    if (!is_object(x, e, "a veto"))
        return;
    check_keys(x, e, VETO_KEYS);
    if (key_string(x, e, "id", true, true, &vt->id) && vt->id) {
        if (jql_strmap_get(&x->veto_ids, vt->id, NULL) == JQL_OK) {
            size_t o2 = path_key(x, "id");
            err(x, get(e, "id"), "duplicate veto id \"%s\"", vt->id);
            path_pop(x, o2);
        } else if (jql_strmap_put(&x->veto_ids, vt->id, i)) {
            x->r.oom = true;
        }
    }
    key_string(x, e, "reason", true, false, &vt->reason);
    vt->cap_tier = key_tier(x, e, "cap");
    bool any = false;
    parse_cond(x, e, &vt->cond, &any);
    bool has_event = get(e, "event_kind"), has_measure = get(e, "measure");
    if (has_event && has_measure) {
        err(x, e, "a veto has either \"event_kind\" or \"measure\", not both");
    } else if (has_event) {
        vt->on_event = true;
        key_string(x, e, "event_kind", true, true, &vt->event_kind);
        for (int k = 0; k < JQL_BOUND_COUNT; k++)
            refuse(x, e, jql_bound_name((jql_bound)k), "on an event veto");
    } else if (has_measure) {
        parse_measure(x, e, &vt->measure, false);
        if (!any)
            err(x, e, "a measure veto needs a condition (at_least, above, at_most or below)");
    } else {
        err(x, e, "missing \"event_kind\" or \"measure\"");
    }
}

static const char *const QUOTA_KEYS[] = {"tier", "share", "of", "minimum", NULL};

static void parse_quota(ctx_t *x, const cJSON *e, size_t i)
{
    jql_criteria *c = x->c;
    jql_quota *q = &c->quotas[i];
    q->tier = JQL_NONE;
    if (!is_object(x, e, "a quota"))
        return;
    check_keys(x, e, QUOTA_KEYS);
    q->tier = key_tier(x, e, "tier");
    size_t old;
    if (q->tier != JQL_NONE && q->tier + 1 == c->ntiers) {
        old = path_key(x, "tier");
        err(x, get(e, "tier"), "a quota on the lowest tier is not allowed");
        path_pop(x, old);
    }
    if (q->tier != JQL_NONE && x->quota_on_tier[q->tier]) {
        old = path_key(x, "tier");
        err(x, get(e, "tier"), "a second quota on tier \"%s\"", c->tiers[q->tier].id);
        path_pop(x, old);
    } else if (q->tier != JQL_NONE) {
        x->quota_on_tier[q->tier] = true;
    }
    char b1[32];
    if (key_number(x, e, "share", true, &q->share, NULL) &&
        num_rule(x, e, "share", q->share >= 0 && q->share <= 100000,
                 "share must be a percentage from 0 to 100, not %s", milli_str(q->share, b1)))
        share_fraction(x, e, q->share);
    jql_milli minimum = 0;
    if (key_number(x, e, "minimum", false, &minimum, &q->has_minimum) && q->has_minimum) {
        if (num_rule(x, e, "minimum", minimum >= 0 && minimum % 1000 == 0,
                     "minimum must be a whole number of units, not %s", milli_str(minimum, b1)))
            q->minimum = (size_t)(minimum / 1000);
    }
    const cJSON *of = get(e, "of");
    if (!of) {
        err(x, e, "missing required key \"of\"");
        return;
    }
    old = path_key(x, "of");
    if (is_array(x, of, true)) {
        size_t k = 0;
        for (const cJSON *t = of->child; t; t = t->next, k++) {
            size_t o2 = path_index(x, k);
            size_t ti = JQL_NONE;
            if (read_string(x, t, true, NULL)) {
                ti = tier_index(x, t->valuestring);
                if (ti == JQL_NONE) {
                    err(x, t, "unknown tier \"%s\"", t->valuestring);
                } else if (x->tier_listed[ti]) {
                    err(x, t, "tier \"%s\" is listed twice", t->valuestring);
                    ti = JQL_NONE;
                }
            }
            if (ti != JQL_NONE) {
                x->tier_listed[ti] = true;
                if (jql_sizevec_push(&q->of, ti))
                    x->r.oom = true;
            }
            path_pop(x, o2);
        }
        for (size_t k2 = 0; k2 < q->of.len; k2++) /* ready for the next quota */
            x->tier_listed[q->of.items[k2]] = false;
    }
    path_pop(x, old);
}

static const char *const TB_KEYS[] = {"by", "node", "measure", "order", NULL};

static void parse_tiebreak(ctx_t *x, const cJSON *e, jql_tiebreak *tb)
{
    tb->node = JQL_NONE;
    if (!is_object(x, e, "a tie-breaker"))
        return;
    check_keys(x, e, TB_KEYS);
    char *by = NULL;
    if (!key_string(x, e, "by", true, true, &by) || !by)
        return;
    int kind = JQL_TB_KIND_COUNT;
    JQL_NAME_FIND(jql_tiebreak_names, by, &kind);
    if (kind == JQL_TB_FEWER_DEDUCTIONS) {
        tb->kind = JQL_TB_FEWER_DEDUCTIONS;
        refuse(x, e, "node", "with \"by\": \"deductions\"");
        refuse(x, e, "measure", "with \"by\": \"deductions\"");
        refuse(x, e, "order", "with \"by\": \"deductions\"");
    } else if (kind == JQL_TB_NODE) {
        tb->kind = JQL_TB_NODE;
        char *id = NULL;
        if (key_string(x, e, "node", true, true, &id) && id &&
            jql_strmap_get(&x->c->node_ids, id, &tb->node) != JQL_OK) {
            size_t old = path_key(x, "node");
            err(x, get(e, "node"), "unknown criterion \"%s\"", id);
            path_pop(x, old);
        }
        jql_free(id);
        refuse(x, e, "measure", "with \"by\": \"node\"");
        refuse(x, e, "order", "with \"by\": \"node\"");
    } else if (kind == JQL_TB_MEASURE) {
        tb->kind = JQL_TB_MEASURE;
        refuse(x, e, "node", "with \"by\": \"measure\"");
        if (!get(e, "measure"))
            err(x, e, "missing required key \"measure\"");
        else
            parse_measure(x, e, &tb->measure, false);
        char *order = NULL;
        if (key_string(x, e, "order", true, true, &order) && order) {
            if (strcmp(order, "asc") == 0 || strcmp(order, "desc") == 0) {
                tb->ascending = order[0] == 'a';
            } else {
                size_t old = path_key(x, "order");
                err(x, get(e, "order"), "\"order\" must be \"asc\" or \"desc\"");
                path_pop(x, old);
            }
        }
        jql_free(order);
    } else {
        size_t old = path_key(x, "by");
        err(x, get(e, "by"), "\"by\" must be \"deductions\", \"node\" or \"measure\"");
        path_pop(x, old);
    }
    jql_free(by);
}

/* Allocate *arr for the elements of array obj[key] and run fn on each. */
#define PARSE_LIST(x, obj, key, arr, n, fn)                                         \
    do {                                                                            \
        const cJSON *list_ = get(obj, key);                                         \
        if (!list_)                                                                 \
            break;                                                                  \
        size_t old_ = path_key(x, key);                                             \
        if (is_array(x, list_, false) && list_->child) {                            \
            size_t cnt_ = (size_t)cJSON_GetArraySize(list_), i_ = 0;                \
            if (!((arr) = jql_calloc(cnt_, sizeof *(arr)))) {                       \
                x->r.oom = true;                                                      \
            } else {                                                                \
                (n) = cnt_;                                                         \
                for (const cJSON *e_ = list_->child; e_; e_ = e_->next, i_++) {     \
                    size_t o2_ = path_index(x, i_);                                 \
                    fn;                                                             \
                    path_pop(x, o2_);                                               \
                }                                                                   \
            }                                                                       \
        }                                                                           \
        path_pop(x, old_);                                                          \
    } while (0)

static int quota_cmp(const void *a, const void *b)
{
    size_t ta = ((const jql_quota *)a)->tier, tb = ((const jql_quota *)b)->tier;
    return ta < tb ? -1 : ta > tb;
}

/* ---- top level ---- */

static const char *const TOP_KEYS[] = {
    "format", "id",       "name",  "description", "period",  "scale",
    "allow_above_scale",  "units", "clusters",    "criteria", "bonus",
    "deductions",         "tiers", "vetoes",      "quotas",  "tie_breakers", NULL};

/* False when the document is not a criteria set of a major version we read. */
static bool check_format(ctx_t *x, const cJSON *root)
{
    return jql_reader_check_format(&x->r, root, JQL_CRITERIA_FORMAT, "criteria set",
                                   JQL_CRITERIA_FORMAT_MAJOR, 0);
}

static const char *const UNITS_KEYS[] = {"levels", "ids", NULL};

static void parse_units(ctx_t *x, const cJSON *root)
{
    jql_criteria *c = x->c;
    const cJSON *v = get(root, "units");
    if (!v) {
        err(x, root, "missing required key \"units\"");
        return;
    }
    size_t old = path_key(x, "units");
    if (is_object(x, v, "{\"levels\": [...]} or {\"ids\": [...]}")) {
        check_keys(x, v, UNITS_KEYS);
        bool lv = get(v, "levels"), ids = get(v, "ids");
        if (lv && ids)
            err(x, v, "give \"levels\" or \"ids\", not both");
        else if (!lv && !ids)
            err(x, v, "missing \"levels\" or \"ids\"");
        else if (lv)
            key_strlist(x, v, "levels", true, true, &c->unit_levels, &c->nunit_levels);
        else
            key_strlist(x, v, "ids", true, true, &c->unit_ids, &c->nunit_ids);
    }
    path_pop(x, old);
}

static void parse_criteria(ctx_t *x, const cJSON *root)
{
    jql_criteria *c = x->c;
    const cJSON *v = get(root, "criteria");
    if (!v) {
        err(x, root, "missing required key \"criteria\"");
        return;
    }
    size_t old = path_key(x, "criteria");
    if (is_array(x, v, true)) {
        size_t i = 0, e0 = x->r.errors;
        __int128 sum = 0;
        for (const cJSON *e = v->child; e; e = e->next, i++) {
            size_t o2 = path_index(x, i);
            size_t ni = parse_node(x, e, JQL_NONE, 0);
            path_pop(x, o2);
            if (ni == JQL_NONE)
                continue;
            c->nodes[ni].pos = i;
            sum += c->nodes[ni].max;
            if (jql_sizevec_push(&c->roots, ni))
                x->r.oom = true;
        }
        if (x->r.errors == e0 && c->scale > 0) {
            const cJSON *scale = get(root, "scale");
            path_pop(x, old);
            old = path_key(x, scale ? "scale" : "criteria");
            max_sum_warning(x, scale ? scale : v, sum, c->scale, "the top-level criteria");
        }
    }
    path_pop(x, old);
}

static void parse_root(ctx_t *x, const cJSON *root)
{
    jql_criteria *c = x->c;
    if (!is_object(x, root, "a criteria set"))
        return;
    if (!check_format(x, root))
        return;
    check_keys(x, root, TOP_KEYS);
    key_string(x, root, "id", true, true, &c->id);
    key_string(x, root, "name", false, false, &c->name);
    key_string(x, root, "description", false, false, &c->description);
    key_string(x, root, "period", true, true, &c->period);
    bool has_scale = false;
    char b1[32];
    c->scale = 100000;
    if (key_number(x, root, "scale", false, &c->scale, &has_scale) && has_scale)
        num_rule(x, root, "scale", c->scale > 0, "scale must be greater than 0, not %s",
                 milli_str(c->scale, b1));
    const cJSON *above = get(root, "allow_above_scale");
    if (above) {
        size_t old = path_key(x, "allow_above_scale");
        if (cJSON_IsBool(above))
            c->allow_above_scale = cJSON_IsTrue(above);
        else
            err(x, above, "expected true or false, found %s", jql_reader_type_name(above));
        path_pop(x, old);
    }
    parse_units(x, root);
    key_strlist(x, root, "clusters", false, true, &c->clusters, &c->nclusters);
    parse_criteria(x, root);
    const cJSON *bonus = get(root, "bonus");
    if (bonus) {
        size_t old = path_key(x, "bonus");
        parse_bonus(x, bonus);
        path_pop(x, old);
    }
    const cJSON *ded = get(root, "deductions");
    if (ded) {
        size_t old = path_key(x, "deductions");
        parse_items(x, ded, &c->deductions, &c->ndeductions);
        path_pop(x, old);
    }
    const cJSON *tiers = get(root, "tiers");
    if (!tiers) {
        err(x, root, "missing required key \"tiers\"");
    } else {
        size_t old = path_key(x, "tiers");
        parse_tiers(x, tiers);
        path_pop(x, old);
    }
    PARSE_LIST(x, root, "vetoes", c->vetoes, c->nvetoes, parse_veto(x, e_, i_));
    if (get(root, "quotas") && c->ntiers) {
        x->quota_on_tier = jql_calloc(c->ntiers, sizeof *x->quota_on_tier);
        x->tier_listed = jql_calloc(c->ntiers, sizeof *x->tier_listed);
        if (!x->quota_on_tier || !x->tier_listed) {
            x->r.oom = true;
            return;
        }
    }
    PARSE_LIST(x, root, "quotas", c->quotas, c->nquotas, parse_quota(x, e_, i_));
    PARSE_LIST(x, root, "tie_breakers", c->tiebreaks, c->ntiebreaks,
               parse_tiebreak(x, e_, &c->tiebreaks[i_]));
    if (c->nquotas > 1)
        qsort(c->quotas, c->nquotas, sizeof *c->quotas, quota_cmp);
}

/* ---- entry points ---- */

static int finish(ctx_t *x, int rc, const char *source, jql_criteria **out,
                  jql_diagnostics **diag)
{
    jql_strmap_free(&x->ids);
    jql_strmap_free(&x->tier_ids);
    jql_strmap_free(&x->veto_ids);
    jql_free(x->quota_on_tier);
    jql_free(x->tier_listed);
    rc = jql_reader_finish(&x->r, rc, source);
    jql_reader_free(&x->r);
    if (rc != JQL_OK) {
        jql_criteria_free(x->c);
        x->c = NULL;
    }
    if (rc == JQL_ENOMEM || !diag)
        jql_diagnostics_free(x->r.diag);
    else
        *diag = x->r.diag;
    *out = x->c;
    return rc;
}

int jql_criteria_load_buffer(const char *data, size_t len, const char *source,
                             jql_criteria **out, jql_diagnostics **diag)
{
    return jql_criteria_load_buffer_ext(data, len, source, NULL, out, diag);
}

int jql_criteria_load_buffer_ext(const char *data, size_t len, const char *source,
                                 const jql_load_options *opts, jql_criteria **out,
                                 jql_diagnostics **diag)
{
    if (out)
        *out = NULL;
    if (diag)
        *diag = NULL;
    jql_limits lim;
    int lrc = jql_limits_from(opts, &lim);
    if (lrc)
        return lrc;
    if (!out || (!data && len))
        return jql_fail(JQL_EINVALID, "jql_criteria_load_buffer: NULL argument");
    if (!source)
        source = "<memory>";
    ctx_t x;
    memset(&x, 0, sizeof x);
    if (jql_reader_init(&x.r, source) != JQL_OK)
        return jql_fail(JQL_ENOMEM, "out of memory");
    jql_reader_set_limits(&x.r, &lim);
    int rc = jql_reader_parse(&x.r, data, len);
    if (rc == JQL_OK && !(x.c = jql_calloc(1, sizeof *x.c)))
        x.r.oom = true;
    if (rc == JQL_OK && x.c) {
        x.c->scale = 100000;
        x.c->node_ids.nfc = x.ids.nfc = x.tier_ids.nfc = x.veto_ids.nfc = true;
        if (!(x.c->source = jql_strdup(source)))
            x.r.oom = true;
        else
            parse_root(&x, x.r.root);
    }
    return finish(&x, rc, source, out, diag);
}

int jql_criteria_load_file(FILE *fp, const char *source, jql_criteria **out,
                           jql_diagnostics **diag)
{
    return jql_criteria_load_file_ext(fp, source, NULL, out, diag);
}

int jql_criteria_load_file_ext(FILE *fp, const char *source, const jql_load_options *opts,
                               jql_criteria **out, jql_diagnostics **diag)
{
    if (out)
        *out = NULL;
    if (diag)
        *diag = NULL;
    if (!fp || !out)
        return jql_fail(JQL_EINVALID, "jql_criteria_load_file: NULL argument");
    if (!source)
        source = "<stream>";
    jql_limits lim;
    int rc = jql_limits_from(opts, &lim);
    if (rc)
        return rc;
    char *data = NULL;
    size_t len = 0;
    rc = jql_read_stream(fp, source, lim.max_input + 1, &data, &len);
    if (rc)
        return rc;
    rc = jql_criteria_load_buffer_ext(data, len, source, opts, out, diag);
    jql_free(data);
    return rc;
}

int jql_criteria_load_path(const char *path, jql_criteria **out, jql_diagnostics **diag)
{
    return jql_criteria_load_path_ext(path, NULL, out, diag);
}

int jql_criteria_load_path_ext(const char *path, const jql_load_options *opts, jql_criteria **out,
                               jql_diagnostics **diag)
{
    if (out)
        *out = NULL;
    if (diag)
        *diag = NULL;
    if (!path || !out)
        return jql_fail(JQL_EINVALID, "jql_criteria_load_path: NULL argument");
    jql_limits lim;
    int rc = jql_limits_from(opts, &lim);
    if (rc)
        return rc;
    char *data = NULL;
    size_t len = 0;
    rc = jql_read_path(path, lim.max_input + 1, &data, &len);
    if (rc)
        return rc;
    rc = jql_criteria_load_buffer_ext(data, len, path, opts, out, diag);
    jql_free(data);
    return rc;
}
