/*
 * Editing criteria sets (include/justice_quarterly/edit.h).
 *
 * Every edit is made on a private copy, which is then written canonically
 * (criteria_save.c) and loaded back with the ordinary loader: the edit is
 * kept only when that load succeeds, so an edited set is always one a
 * file could hold, and a refused edit leaves the set untouched with the
 * loader's own diagnostics (paths and line:column into the canonical text).
 */
#include <string.h>

#include "criteria.h"
#include "justice_quarterly/edit.h"
#include "util.h"

#define EDIT_SOURCE "<edited criteria>"

/* Largest remainder (Hamilton): floor shares, then one thousandth each to
   the largest remainders, earlier entries first on equal remainders. */
int jql_milli_apportion(const jql_milli *weights, size_t n, jql_milli total, jql_milli *out)
{
    if ((!weights || !out) && n)
        return jql_fail(JQL_EINVALID, "jql_milli_apportion: NULL argument");
    if (total < 0)
        return jql_fail(JQL_EINVALID, "jql_milli_apportion: negative total");
    __int128 sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (weights[i] < 0)
            return jql_fail(JQL_EINVALID, "jql_milli_apportion: negative weight");
        sum += weights[i];
    }
    if (sum == 0) {
        if (total != 0)
            return jql_fail(JQL_EINVALID, "jql_milli_apportion: nothing to share %s among",
                            n ? "a non-zero total" : "");
        for (size_t i = 0; i < n; i++)
            out[i] = 0;
        return JQL_OK;
    }
    size_t *order = jql_malloc(n * sizeof *order);
    __int128 *rem = jql_malloc(n * sizeof *rem);
    if (!order || !rem) {
        jql_free(order);
        jql_free(rem);
        return jql_fail(JQL_ENOMEM, "out of memory");
    }
    __int128 given = 0;
    for (size_t i = 0; i < n; i++) {
        __int128 p = (__int128)weights[i] * total;
        out[i] = (jql_milli)(p / sum);
        rem[i] = p % sum;
        given += out[i];
        /* insertion by remainder, descending; stable for equal remainders */
        size_t j = i;
        while (j > 0 && rem[order[j - 1]] < rem[i]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    for (size_t k = 0; given < total; k++, given++)
        out[order[k]]++;
    jql_free(order);
    jql_free(rem);
    return JQL_OK;
}

/* Scale what a leaf gives in points (band points, a per-occurrence amount)
   from maximum `from` to `to`: each rounded once, half away from zero. */
static void scale_leaf(jql_node *n, jql_milli from, jql_milli to)
{
    jql_method *m = &n->method;
    for (size_t b = 0; b < m->nbands; b++)
        m->bands[b].points = jql_div_round((__int128)m->bands[b].points * to, from);
    if (m->kind == JQL_METHOD_PER_OCCURRENCE && !m->per_share)
        m->per_amount = jql_div_round((__int128)m->per_amount * to, from);
}

/* Give node i the maximum `to`, scaling its subtree. */
static int set_subtree(jql_criteria *c, size_t i, jql_milli to)
{
    jql_node *n = &c->nodes[i];
    jql_milli from = n->max;
    n->max = to;
    if (from == to)
        return JQL_OK;
    if (n->is_leaf) {
        scale_leaf(n, from, to);
        return JQL_OK;
    }
    size_t k = n->children.len;
    jql_milli *w = jql_malloc(k * sizeof *w), *nw = jql_malloc(k * sizeof *nw);
    int rc = (!w || !nw) ? jql_fail(JQL_ENOMEM, "out of memory") : JQL_OK;
    __int128 sum = 0;
    for (size_t j = 0; !rc && j < k; j++)
        sum += w[j] = c->nodes[n->children.items[j]].max;
    if (!rc) {
        /* children that added up to the parent keep doing so exactly */
        __int128 target = sum == from ? to : jql_div_round(sum * to, from);
        if (target > JQL_MILLI_MAX)
            rc = jql_fail(JQL_ELIMIT, "scaled maxima exceed the largest number");
        else
            rc = jql_milli_apportion(w, k, (jql_milli)target, nw);
    }
    for (size_t j = 0; !rc && j < k; j++)
        rc = set_subtree(c, c->nodes[i].children.items[j], nw[j]);
    jql_free(w);
    jql_free(nw);
    return rc;
}

static int copy_raw(const jql_criteria *c, jql_criteria **out)
{
    char *text;
    size_t len;
    *out = NULL;
    int rc = jql_criteria_to_json(c, &text, &len);
    if (rc)
        return rc;
    rc = jql_criteria_load_buffer(text, len, c->source, out, NULL);
    jql_free(text);
    return rc;
}

int jql_criteria_clone(const jql_criteria *c, jql_criteria **out)
{
    if (out)
        *out = NULL;
    if (!c || !out)
        return jql_fail(JQL_EINVALID, "jql_criteria_clone: NULL argument");
    jql_criteria *cp;
    int rc = copy_raw(c, &cp);
    for (size_t i = 0; !rc && i < c->ncustoms; i++)
        rc = jql_criteria_custom_register(cp, c->customs[i].name, c->customs[i].fn,
                                          c->customs[i].user, NULL);
    if (rc) {
        jql_criteria_free(cp);
        return rc;
    }
    *out = cp;
    return JQL_OK;
}

/* Validate `work` as a load would and, when it loads, make it c's content
   (c keeps its source name and custom registrations). Frees work. */
static int commit(jql_criteria *c, jql_criteria *work, jql_diagnostics **diag)
{
    char *text;
    size_t len;
    int rc = jql_criteria_to_json(work, &text, &len);
    jql_criteria_free(work);
    if (rc)
        return rc;
    jql_criteria *fresh;
    jql_diagnostics *d = NULL;
    rc = jql_criteria_load_buffer(text, len, EDIT_SOURCE, &fresh, &d);
    jql_free(text);
    if (diag)
        *diag = d;
    else
        jql_diagnostics_free(d);
    if (rc)
        return rc;
    jql_free(fresh->source);
    fresh->source = c->source;
    c->source = NULL;
    fresh->customs = c->customs;
    fresh->ncustoms = c->ncustoms;
    fresh->customs_cap = c->customs_cap;
    c->customs = NULL;
    c->ncustoms = c->customs_cap = 0;
    jql_criteria tmp = *c;
    *c = *fresh;
    *fresh = tmp;
    jql_criteria_free(fresh);
    return JQL_OK;
}

/* Start an edit: a private copy and, when id is given, the node. */
static int begin(jql_criteria *c, const char *fn, const char *id, jql_criteria **work,
                 size_t *node, jql_diagnostics **diag)
{
    if (diag)
        *diag = NULL;
    *work = NULL;
    if (!c)
        return jql_fail(JQL_EINVALID, "%s: NULL criteria", fn);
    if (node) {
        if (!id)
            return jql_fail(JQL_EINVALID, "%s: NULL id", fn);
        if (jql_criteria_node_index(c, id, node) != JQL_OK)
            return jql_fail(JQL_ENOTFOUND, "%s: no criterion \"%s\"", fn, id);
    }
    return copy_raw(c, work);
}

/* Drop the private copy of a refused edit; the message is already set. */
static int refuse(jql_criteria *work, int status)
{
    jql_criteria_free(work);
    return status;
}

int jql_criteria_set_max(jql_criteria *c, const char *node_id, jql_milli max, unsigned flags,
                         jql_diagnostics **diag)
{
    jql_criteria *w;
    size_t i;
    int rc = begin(c, "jql_criteria_set_max", node_id, &w, &i, diag);
    if (rc)
        return rc;
    if (max <= 0 || max > JQL_MILLI_MAX)
        return refuse(w, jql_fail(JQL_EINVALID, "jql_criteria_set_max: \"%s\": max must be greater than 0%s",
                      node_id, ""));
    if (flags & JQL_EDIT_KEEP_TOTAL) {
        /* the siblings share what the node does not take, in proportion */
        size_t parent = w->nodes[i].parent;
        const jql_sizevec *sib = parent == JQL_NONE ? &w->roots : &w->nodes[parent].children;
        size_t k = sib->len;
        __int128 sum = 0;
        for (size_t j = 0; j < k; j++)
            sum += w->nodes[sib->items[j]].max;
        if (sum - max > JQL_MILLI_MAX)
            return refuse(w, jql_fail(JQL_ELIMIT, "jql_criteria_set_max: \"%s\": %s", node_id,
                                      "the siblings' maxima exceed the largest number"));
        if (k < 2 || sum - max <= 0) {
            return refuse(w, jql_fail(JQL_EINVALID, "jql_criteria_set_max: \"%s\": %s", node_id,
                                      k < 2 ? "no sibling to rebalance"
                                            : "the new maximum leaves nothing to the siblings"));
        }
        jql_milli *ow = jql_malloc(k * sizeof *ow), *nw = jql_malloc(k * sizeof *nw);
        rc = (!ow || !nw) ? jql_fail(JQL_ENOMEM, "out of memory") : JQL_OK;
        size_t m = 0;
        for (size_t j = 0; !rc && j < k; j++)
            if (sib->items[j] != i)
                ow[m++] = w->nodes[sib->items[j]].max;
        if (!rc)
            rc = jql_milli_apportion(ow, m, (jql_milli)(sum - max), nw);
        for (size_t j = 0, q = 0; !rc && j < k; j++)
            if (sib->items[j] != i)
                rc = set_subtree(w, sib->items[j], nw[q++]);
        jql_free(ow);
        jql_free(nw);
    }
    if (!rc)
        rc = set_subtree(w, i, max);
    if (rc) {
        jql_criteria_free(w);
        return rc;
    }
    return commit(c, w, diag);
}

/* The leaf's condition `band` (JQL_NONE: a boolean method's condition). */
static jql_cond *leaf_cond(jql_node *n, size_t band)
{
    if (!n->is_leaf)
        return NULL;
    if (band == JQL_NONE)
        return n->method.kind == JQL_METHOD_BOOLEAN ? &n->method.cond : NULL;
    if (n->method.kind != JQL_METHOD_BANDS || band >= n->method.nbands)
        return NULL;
    return &n->method.bands[band].cond;
}

int jql_criteria_set_condition(jql_criteria *c, const char *node_id, size_t band,
                               jql_bound bound, bool present, jql_milli value,
                               jql_diagnostics **diag)
{
    jql_criteria *w;
    size_t i;
    int rc = begin(c, "jql_criteria_set_condition", node_id, &w, &i, diag);
    if (rc)
        return rc;
    jql_cond *cd = leaf_cond(&w->nodes[i], band);
    if (!cd)
        return refuse(w, jql_fail(JQL_EINVALID, "jql_criteria_set_condition: \"%s\" has no such %s",
                                  node_id, band == JQL_NONE ? "boolean condition" : "band"));
    bool *has[] = {&cd->has_at_least, &cd->has_above, &cd->has_at_most, &cd->has_below};
    jql_milli *val[] = {&cd->at_least, &cd->above, &cd->at_most, &cd->below};
    if ((unsigned)bound > JQL_BOUND_BELOW)
        return refuse(w, jql_fail(JQL_EINVALID, "jql_criteria_set_condition: \"%s\": %s", node_id,
                      "unknown bound"));
    *has[bound] = present;
    *val[bound] = present ? value : 0;
    return commit(c, w, diag);
}

int jql_criteria_set_band_points(jql_criteria *c, const char *node_id, size_t band,
                                 jql_milli points, jql_diagnostics **diag)
{
    jql_criteria *w;
    size_t i;
    int rc = begin(c, "jql_criteria_set_band_points", node_id, &w, &i, diag);
    if (rc)
        return rc;
    jql_node *n = &w->nodes[i];
    if (!n->is_leaf || n->method.kind != JQL_METHOD_BANDS || band >= n->method.nbands)
        return refuse(w, jql_fail(JQL_EINVALID, "jql_criteria_set_band_points: \"%s\" has no band %s",
                      node_id, "at that index"));
    n->method.bands[band].points = points;
    return commit(c, w, diag);
}

int jql_criteria_set_target(jql_criteria *c, const char *node_id, jql_milli target,
                            jql_diagnostics **diag)
{
    jql_criteria *w;
    size_t i;
    int rc = begin(c, "jql_criteria_set_target", node_id, &w, &i, diag);
    if (rc)
        return rc;
    jql_node *n = &w->nodes[i];
    if (!n->is_leaf || n->method.kind != JQL_METHOD_LINEAR)
        return refuse(w, jql_fail(JQL_EINVALID, "jql_criteria_set_target: \"%s\" is not a %s leaf",
                      node_id, "linear"));
    n->method.target = target;
    return commit(c, w, diag);
}

static size_t tier_of(const jql_criteria *c, const char *id)
{
    for (size_t t = 0; id && t < c->ntiers; t++)
        if (strcmp(c->tiers[t].id, id) == 0)
            return t;
    return JQL_NONE;
}

int jql_criteria_set_tier_min(jql_criteria *c, const char *tier_id, jql_milli min,
                              jql_diagnostics **diag)
{
    jql_criteria *w;
    int rc = begin(c, "jql_criteria_set_tier_min", NULL, &w, NULL, diag);
    if (rc)
        return rc;
    size_t t = tier_of(w, tier_id);
    if (t == JQL_NONE)
        return refuse(w, jql_fail(JQL_ENOTFOUND, "jql_criteria_set_tier_min: no tier \"%s\"%s",
                      tier_id ? tier_id : "(null)", ""));
    w->tiers[t].min = min;
    return commit(c, w, diag);
}

int jql_criteria_set_quota_share(jql_criteria *c, const char *tier_id, jql_milli share,
                                 jql_diagnostics **diag)
{
    jql_criteria *w;
    int rc = begin(c, "jql_criteria_set_quota_share", NULL, &w, NULL, diag);
    if (rc)
        return rc;
    size_t t = tier_of(w, tier_id), q = 0;
    while (t != JQL_NONE && q < w->nquotas && w->quotas[q].tier != t)
        q++;
    if (t == JQL_NONE || q == w->nquotas)
        return refuse(w, jql_fail(JQL_ENOTFOUND, "jql_criteria_set_quota_share: no quota on tier \"%s\"%s",
                      tier_id ? tier_id : "(null)", ""));
    w->quotas[q].share = share;
    return commit(c, w, diag);
}

int jql_criteria_set_enabled(jql_criteria *c, const char *node_id, bool enabled,
                             jql_diagnostics **diag)
{
    jql_criteria *w;
    size_t i;
    int rc = begin(c, "jql_criteria_set_enabled", node_id, &w, &i, diag);
    if (rc)
        return rc;
    w->nodes[i].disabled = !enabled;
    return commit(c, w, diag);
}

bool jql_criteria_node_enabled(const jql_criteria *c, size_t i)
{
    return c && i < c->nnodes && !c->nodes[i].disabled;
}
