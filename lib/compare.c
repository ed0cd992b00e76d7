/*
 * Comparing two scorings unit by unit and node by node
 * (jql_results_compare_json, include/justice_quarterly/analysis.h).
 */
#include <string.h>

#include "justice_quarterly/analysis.h"
#include "score_internal.h"
#include "util.h"

/* Position of each unit of `r` by id, and the position of unit ids of
   `other` in r (JQL_NONE when absent). */
static int index_units(const jql_results *r, jql_strmap *m)
{
    for (size_t k = 0; k < r->nunits; k++)
        if (jql_strmap_put(m, r->units[k].id, k))
            return jql_fail(JQL_ENOMEM, "out of memory");
    return 0;
}

static size_t tier_index(const jql_results *r, const char *id)
{
    for (size_t t = 0; t < r->ntiers; t++)
        if (strcmp(r->tiers[t].id, id) == 0)
            return t;
    return JQL_NONE;
}

static void key(jql_buf *b, const char *k)
{
    jql_buf_puts(b, ", ");
    jql_buf_json_string(b, k);
    jql_buf_puts(b, ": ");
}

static void opt_milli(jql_buf *b, const char *k, const jql_milli *v)
{
    key(b, k);
    if (v)
        jql_buf_milli3(b, *v);
    else
        jql_buf_puts(b, "null");
}

static void opt_size(jql_buf *b, const char *k, bool has, size_t v)
{
    key(b, k);
    if (has && v)
        jql_buf_printf(b, "%zu", v);
    else
        jql_buf_puts(b, "null");
}

static void opt_str(jql_buf *b, const char *k, const char *s)
{
    key(b, k);
    if (s)
        jql_buf_json_string(b, s);
    else
        jql_buf_puts(b, "null");
}

static void opt_bool(jql_buf *b, const char *k, bool has, bool v)
{
    key(b, k);
    jql_buf_puts(b, !has ? "null" : v ? "true" : "false");
}

static void signed_delta(jql_buf *b, const char *k, bool has, long long v)
{
    key(b, k);
    if (has)
        jql_buf_printf(b, "%lld", v);
    else
        jql_buf_puts(b, "null");
}

/* The changed nodes of one unit present on both sides. */
static void nodes(jql_buf *b, const jql_results *x, const jql_res_unit *ux,
                  const jql_results *y, const jql_res_unit *uy, const jql_strmap *ynodes,
                  const jql_strmap *xnodes)
{
    key(b, "nodes");
    jql_buf_putc(b, '[');
    bool first = true;
    /* after's nodes (y), then before's nodes missing from after */
    for (size_t pass = 0; pass < 2; pass++) {
        const jql_results *r = pass ? x : y;
        const jql_res_unit *u = pass ? ux : uy;
        for (size_t n = 0; n < r->nnodes; n++) {
            size_t other;
            const jql_strmap *om = pass ? ynodes : xnodes;
            bool in_other = jql_strmap_get(om, r->nodeinfo[n].id, &other) == JQL_OK;
            if (pass && in_other)
                continue;
            const jql_milli *pb = NULL, *pa = NULL;
            jql_milli vb = 0, va = 0;
            if (pass) {
                vb = r->nodes[u->node_start + n].points;
                pb = &vb;
            } else {
                va = r->nodes[u->node_start + n].points;
                pa = &va;
                if (in_other) {
                    vb = x->nodes[ux->node_start + other].points;
                    pb = &vb;
                }
            }
            if (pa && pb && va == vb)
                continue;
            jql_buf_puts(b, first ? "{" : ", {");
            first = false;
            jql_buf_puts(b, "\"id\": ");
            jql_buf_json_string(b, r->nodeinfo[n].id);
            opt_milli(b, "points_before", pb);
            opt_milli(b, "points_after", pa);
            jql_milli d = va - vb;
            opt_milli(b, "points_change", pa && pb ? &d : NULL);
            jql_buf_putc(b, '}');
        }
    }
    jql_buf_putc(b, ']');
}

static void unit(jql_buf *b, const jql_results *x, const jql_res_unit *ux, const jql_results *y,
                 const jql_res_unit *uy, const jql_strmap *xnodes, const jql_strmap *ynodes,
                 bool first)
{
    const jql_res_unit *u = uy ? uy : ux;
    jql_buf_puts(b, first ? "\n    {" : ",\n    {");
    jql_buf_puts(b, "\"id\": ");
    jql_buf_json_string(b, u->id);
    opt_str(b, "name", u->name);
    const jql_milli *fb = ux ? &ux->v[JQL_RF_FINAL] : NULL, *fa = uy ? &uy->v[JQL_RF_FINAL] : NULL;
    jql_milli d = fa && fb ? *fa - *fb : 0;
    opt_milli(b, "final_before", fb);
    opt_milli(b, "final_after", fa);
    opt_milli(b, "final_change", fa && fb ? &d : NULL);
    opt_size(b, "rank_before", ux, ux ? ux->rank : 0);
    opt_size(b, "rank_after", uy, uy ? uy->rank : 0);
    signed_delta(b, "rank_change", ux && uy,
                 ux && uy ? (long long)ux->rank - (long long)uy->rank : 0);
    opt_size(b, "cluster_rank_before", ux, ux ? ux->cluster_rank : 0);
    opt_size(b, "cluster_rank_after", uy, uy ? uy->cluster_rank : 0);
    bool both_cl = ux && uy && ux->cluster_rank && uy->cluster_rank;
    signed_delta(b, "cluster_rank_change", both_cl,
                 both_cl ? (long long)ux->cluster_rank - (long long)uy->cluster_rank : 0);
    const char *tb = ux ? x->tiers[ux->tier].id : NULL, *ta = uy ? y->tiers[uy->tier].id : NULL;
    opt_str(b, "tier_before", tb);
    opt_str(b, "tier_after", ta);
    /* tiers are listed from the top: moving up lowers the index */
    size_t ib = tb ? tier_index(y, tb) : JQL_NONE;
    bool comparable = ux && uy && ib != JQL_NONE;
    signed_delta(b, "tier_change", comparable,
                 comparable ? (long long)ib - (long long)uy->tier : 0);
    opt_bool(b, "leader_before", ux, ux && ux->leader);
    opt_bool(b, "leader_after", uy, uy && uy->leader);
    if (ux && uy)
        nodes(b, x, ux, y, uy, ynodes, xnodes);
    else {
        key(b, "nodes");
        jql_buf_puts(b, "[]");
    }
    jql_buf_putc(b, '}');
}

static int node_map(const jql_results *r, jql_strmap *m)
{
    for (size_t n = 0; n < r->nnodes; n++)
        if (jql_strmap_put(m, r->nodeinfo[n].id, n))
            return jql_fail(JQL_ENOMEM, "out of memory");
    return 0;
}

int jql_results_compare_json(const jql_results *before, const jql_results *after, char **out,
                             size_t *len)
{
    if (out)
        *out = NULL;
    if (!before || !after || !out)
        return jql_fail(JQL_EINVALID, "jql_results_compare_json: NULL argument");
    const jql_results *x = before, *y = after;
    jql_strmap xu = {0}, yu = {0}, xn = {0}, yn = {0};
    int rc = index_units(x, &xu);
    if (!rc)
        rc = index_units(y, &yu);
    if (!rc)
        rc = node_map(x, &xn);
    if (!rc)
        rc = node_map(y, &yn);
    jql_buf b;
    jql_buf_init(&b);
    if (!rc) {
        jql_buf_puts(&b, "{\"format\": \"justice-quarterly/comparison 1.0\"");
        opt_str(&b, "criteria_before", x->criteria_id);
        opt_str(&b, "criteria_after", y->criteria_id);
        opt_str(&b, "period_before", x->period);
        opt_str(&b, "period_after", y->period);
        size_t moved = 0, tiers = 0;
        for (size_t k = 0; k < y->nunits; k++) {
            size_t i;
            if (jql_strmap_get(&xu, y->units[k].id, &i) != JQL_OK)
                continue;
            moved += x->units[i].rank != y->units[k].rank;
            tiers += strcmp(x->tiers[x->units[i].tier].id, y->tiers[y->units[k].tier].id) != 0;
        }
        key(&b, "rank_changes");
        jql_buf_printf(&b, "%zu", moved);
        key(&b, "tier_changes");
        jql_buf_printf(&b, "%zu", tiers);
        key(&b, "units");
        jql_buf_putc(&b, '[');
        bool first = true;
        for (size_t k = 0; k < y->nunits; k++) {
            size_t i;
            const jql_res_unit *ux =
                jql_strmap_get(&xu, y->units[k].id, &i) == JQL_OK ? &x->units[i] : NULL;
            unit(&b, x, ux, y, &y->units[k], &xn, &yn, first);
            first = false;
        }
        for (size_t k = 0; k < x->nunits; k++) {
            if (jql_strmap_get(&yu, x->units[k].id, NULL) == JQL_OK)
                continue;
            unit(&b, x, &x->units[k], y, NULL, &xn, &yn, first);
            first = false;
        }
        jql_buf_puts(&b, first ? "]}\n" : "\n  ]}\n");
    }
    jql_strmap_free(&xu);
    jql_strmap_free(&yu);
    jql_strmap_free(&xn);
    jql_strmap_free(&yn);
    if (rc) {
        jql_buf_free(&b);
        return rc;
    }
    char *s = jql_buf_take(&b, len);
    if (!s)
        return jql_fail(JQL_ENOMEM, "out of memory");
    *out = s;
    return JQL_OK;
}
