/*
 * Comparing two scorings unit by unit and node by node
 * (jql_results_compare, include/justice_quarterly/analysis.h). The
 * comparison copies what it shows, so it outlives both results.
 */
#include <string.h>

#include "justice_quarterly/analysis.h"
#include "score_internal.h"
#include "util.h"

typedef struct {
    char *id, *name;
    bool has[2];
    jql_milli final[2];
    size_t rank[2], crank[2];
    char *tier[2];
    bool leader[2];
    bool tier_comparable;
    long long tier_change;
    size_t node_start, node_count;
} cmp_unit;

typedef struct {
    char *id;
    jql_milli pts[2]; /* JQL_NO_SCORE: absent on that side */
} cmp_node;

struct jql_comparison {
    char *criteria[2], *period[2];
    cmp_unit *units;
    size_t nunits;
    cmp_node *nodes;
    size_t nnodes, nodes_cap;
    size_t rank_changes, tier_changes;
};

void jql_comparison_free(jql_comparison *c)
{
    if (!c)
        return;
    for (int s = 0; s < 2; s++) {
        jql_free(c->criteria[s]);
        jql_free(c->period[s]);
    }
    for (size_t k = 0; c->units && k < c->nunits; k++) {
        jql_free(c->units[k].id);
        jql_free(c->units[k].name);
        jql_free(c->units[k].tier[0]);
        jql_free(c->units[k].tier[1]);
    }
    for (size_t i = 0; i < c->nnodes; i++)
        jql_free(c->nodes[i].id);
    jql_free(c->units);
    jql_free(c->nodes);
    jql_free(c);
}

static int index_units(const jql_results *r, jql_strmap *m)
{
    for (size_t k = 0; k < r->nunits; k++)
        if (jql_strmap_put(m, r->units[k].id, k))
            return jql_fail(JQL_ENOMEM, "out of memory");
    return 0;
}

static int index_nodes(const jql_results *r, jql_strmap *m)
{
    for (size_t n = 0; n < r->nnodes; n++)
        if (jql_strmap_put(m, r->nodeinfo[n].id, n))
            return jql_fail(JQL_ENOMEM, "out of memory");
    return 0;
}

/* The tiers by id, the first of equal ids winning (put in reverse, as a
   put overwrites): a scan of the tiers for every unit is units x tiers. */
static int index_tiers(const jql_results *r, jql_strmap *m)
{
    for (size_t t = r->ntiers; t-- > 0;)
        if (jql_strmap_put(m, r->tiers[t].id, t))
            return jql_fail(JQL_ENOMEM, "out of memory");
    return 0;
}

static size_t tier_index(const jql_strmap *tiers, const char *id)
{
    size_t t;
    return jql_strmap_get(tiers, id, &t) == JQL_OK ? t : JQL_NONE;
}

static int dup_to(char **slot, const char *s)
{
    *slot = NULL;
    if (s && !(*slot = jql_strdup(s)))
        return jql_fail(JQL_ENOMEM, "out of memory");
    return 0;
}

static int add_node(jql_comparison *c, const char *id, jql_milli before, jql_milli after)
{
    if (jql_vec_grow((void **)&c->nodes, &c->nodes_cap, c->nnodes + 1, sizeof *c->nodes))
        return jql_fail(JQL_ENOMEM, "out of memory");
    cmp_node *n = &c->nodes[c->nnodes];
    if (dup_to(&n->id, id))
        return JQL_ENOMEM;
    n->pts[0] = before;
    n->pts[1] = after;
    c->nnodes++;
    return 0;
}

/* The changed nodes of a unit present on both sides: after's nodes (y),
   then before's nodes that after does not have. */
static int changed_nodes(jql_comparison *c, const jql_results *x, const jql_res_unit *ux,
                         const jql_results *y, const jql_res_unit *uy, const jql_strmap *xn,
                         const jql_strmap *yn)
{
    int rc = 0;
    for (size_t n = 0; !rc && n < y->nnodes; n++) {
        size_t o;
        jql_milli a = y->nodes[uy->node_start + n].points;
        jql_milli b = jql_strmap_get(xn, y->nodeinfo[n].id, &o) == JQL_OK
                          ? x->nodes[ux->node_start + o].points
                          : JQL_NO_SCORE;
        if (a != b)
            rc = add_node(c, y->nodeinfo[n].id, b, a);
    }
    for (size_t n = 0; !rc && n < x->nnodes; n++)
        if (jql_strmap_get(yn, x->nodeinfo[n].id, NULL) != JQL_OK)
            rc = add_node(c, x->nodeinfo[n].id, x->nodes[ux->node_start + n].points,
                          JQL_NO_SCORE);
    return rc;
}

static int fill_side(cmp_unit *cu, int side, const jql_results *r, const jql_res_unit *u)
{
    if (!u)
        return 0;
    cu->has[side] = true;
    cu->final[side] = u->v[JQL_RESULT_FIELD_FINAL];
    cu->rank[side] = u->rank;
    cu->crank[side] = u->cluster_rank;
    cu->leader[side] = u->leader;
    return dup_to(&cu->tier[side], r->tiers[u->tier].id);
}

/* The lookups of a comparison: units, nodes (x before, y after), y's tiers. */
typedef struct cmp_maps {
    jql_strmap xu, yu, xn, yn, yt;
} cmp_maps;

static int add_unit(jql_comparison *c, const jql_results *x, const jql_res_unit *ux,
                    const jql_results *y, const jql_res_unit *uy, const cmp_maps *m)
{
    cmp_unit *cu = &c->units[c->nunits++];
    const jql_res_unit *u = uy ? uy : ux;
    int rc = dup_to(&cu->id, u->id);
    if (!rc)
        rc = dup_to(&cu->name, u->name);
    if (!rc)
        rc = fill_side(cu, 0, x, ux);
    if (!rc)
        rc = fill_side(cu, 1, y, uy);
    cu->node_start = c->nnodes;
    if (!rc && ux && uy) {
        /* tiers are listed from the top: moving up lowers the index */
        size_t ib = tier_index(&m->yt, cu->tier[0]);
        cu->tier_comparable = ib != JQL_NONE;
        cu->tier_change = cu->tier_comparable ? (long long)ib - (long long)uy->tier : 0;
        c->rank_changes += ux->rank != uy->rank;
        c->tier_changes += strcmp(cu->tier[0], cu->tier[1]) != 0;
        rc = changed_nodes(c, x, ux, y, uy, &m->xn, &m->yn);
    }
    cu->node_count = c->nnodes - cu->node_start;
    return rc;
}

int jql_results_compare(const jql_results *before, const jql_results *after, jql_comparison **out)
{
    if (out)
        *out = NULL;
    if (!before || !after || !out)
        return jql_fail(JQL_EINVALID, "jql_results_compare: NULL argument");
    const jql_results *x = before, *y = after;
    jql_comparison *c = jql_calloc(1, sizeof *c);
    if (!c || !(c->units = jql_calloc(x->nunits + y->nunits + 1, sizeof *c->units))) {
        jql_free(c);
        return jql_fail(JQL_ENOMEM, "out of memory");
    }
    cmp_maps m = {0};
    int rc = index_units(x, &m.xu);
    if (!rc)
        rc = index_units(y, &m.yu);
    if (!rc)
        rc = index_nodes(x, &m.xn);
    if (!rc)
        rc = index_nodes(y, &m.yn);
    if (!rc)
        rc = index_tiers(y, &m.yt);
    for (int s = 0; !rc && s < 2; s++) {
        const jql_results *r = s ? y : x;
        if (!(rc = dup_to(&c->criteria[s], r->criteria_id)))
            rc = dup_to(&c->period[s], r->period);
    }
    for (size_t k = 0; !rc && k < y->nunits; k++) {
        size_t i;
        const jql_res_unit *ux =
            jql_strmap_get(&m.xu, y->units[k].id, &i) == JQL_OK ? &x->units[i] : NULL;
        rc = add_unit(c, x, ux, y, &y->units[k], &m);
    }
    for (size_t k = 0; !rc && k < x->nunits; k++)
        if (jql_strmap_get(&m.yu, x->units[k].id, NULL) != JQL_OK)
            rc = add_unit(c, x, &x->units[k], y, NULL, &m);
    jql_strmap_free(&m.xu);
    jql_strmap_free(&m.yu);
    jql_strmap_free(&m.xn);
    jql_strmap_free(&m.yn);
    jql_strmap_free(&m.yt);
    if (rc) {
        jql_comparison_free(c);
        return rc;
    }
    *out = c;
    return JQL_OK;
}

/* ---- accessors ---- */

static const cmp_unit *cu_at(const jql_comparison *c, size_t k)
{
    return c && k < c->nunits ? &c->units[k] : NULL;
}

static int side_ok(int side) { return side == 0 || side == 1; }

size_t jql_comparison_unit_count(const jql_comparison *c) { return c ? c->nunits : 0; }

const char *jql_comparison_unit_id(const jql_comparison *c, size_t k)
{
    const cmp_unit *u = cu_at(c, k);
    return u ? u->id : NULL;
}

bool jql_comparison_unit_present(const jql_comparison *c, size_t k, int side)
{
    const cmp_unit *u = cu_at(c, k);
    return u && side_ok(side) && u->has[side];
}

jql_milli jql_comparison_unit_final(const jql_comparison *c, size_t k, int side)
{
    return jql_comparison_unit_present(c, k, side) ? c->units[k].final[side] : JQL_NO_SCORE;
}

size_t jql_comparison_unit_rank(const jql_comparison *c, size_t k, int side)
{
    return jql_comparison_unit_present(c, k, side) ? c->units[k].rank[side] : 0;
}

size_t jql_comparison_unit_cluster_rank(const jql_comparison *c, size_t k, int side)
{
    return jql_comparison_unit_present(c, k, side) ? c->units[k].crank[side] : 0;
}

const char *jql_comparison_unit_tier(const jql_comparison *c, size_t k, int side)
{
    return jql_comparison_unit_present(c, k, side) ? c->units[k].tier[side] : NULL;
}

bool jql_comparison_unit_leader(const jql_comparison *c, size_t k, int side)
{
    return jql_comparison_unit_present(c, k, side) && c->units[k].leader[side];
}

size_t jql_comparison_node_count(const jql_comparison *c, size_t k)
{
    const cmp_unit *u = cu_at(c, k);
    return u ? u->node_count : 0;
}

const char *jql_comparison_node_id(const jql_comparison *c, size_t k, size_t i)
{
    const cmp_unit *u = cu_at(c, k);
    return u && i < u->node_count ? c->nodes[u->node_start + i].id : NULL;
}

jql_milli jql_comparison_node_points(const jql_comparison *c, size_t k, size_t i, int side)
{
    const cmp_unit *u = cu_at(c, k);
    return u && i < u->node_count && side_ok(side) ? c->nodes[u->node_start + i].pts[side]
                                                   : JQL_NO_SCORE;
}

const char *jql_comparison_criteria(const jql_comparison *c, int side)
{
    return c && side_ok(side) ? c->criteria[side] : NULL;
}

const char *jql_comparison_period(const jql_comparison *c, int side)
{
    return c && side_ok(side) ? c->period[side] : NULL;
}

size_t jql_comparison_rank_changes(const jql_comparison *c) { return c ? c->rank_changes : 0; }
size_t jql_comparison_tier_changes(const jql_comparison *c) { return c ? c->tier_changes : 0; }

const char *jql_comparison_unit_name(const jql_comparison *c, size_t k)
{
    const cmp_unit *u = cu_at(c, k);
    return u ? u->name : NULL;
}

/* The unit of a change accessor, or a failure status in *rc. */
static const cmp_unit *change_unit(const jql_comparison *c, size_t k, const void *out,
                                   const char *fn, int *rc)
{
    *rc = JQL_OK;
    if (!c || !out) {
        *rc = jql_fail(JQL_EINVALID, "%s: NULL argument", fn);
        return NULL;
    }
    const cmp_unit *u = cu_at(c, k);
    if (!u)
        *rc = jql_fail(JQL_ENOTFOUND, "%s: unit %zu out of range", fn, k);
    else if (!u->has[0] || !u->has[1])
        *rc = jql_fail(JQL_ENODATA, "%s: unit %s is not on both sides", fn, u->id);
    return *rc ? NULL : u;
}

int jql_comparison_unit_final_change(const jql_comparison *c, size_t k, jql_milli *out)
{
    int rc;
    const cmp_unit *u = change_unit(c, k, out, "jql_comparison_unit_final_change", &rc);
    if (u)
        *out = u->final[1] - u->final[0];
    return rc;
}

int jql_comparison_unit_rank_change(const jql_comparison *c, size_t k, long long *out)
{
    int rc;
    const cmp_unit *u = change_unit(c, k, out, "jql_comparison_unit_rank_change", &rc);
    if (u)
        *out = (long long)u->rank[0] - (long long)u->rank[1];
    return rc;
}

int jql_comparison_unit_cluster_rank_change(const jql_comparison *c, size_t k, long long *out)
{
    int rc;
    const cmp_unit *u = change_unit(c, k, out, "jql_comparison_unit_cluster_rank_change", &rc);
    if (!u)
        return rc;
    if (!u->crank[0] || !u->crank[1])
        return jql_fail(JQL_ENODATA, "unit %s has no cluster rank on both sides", u->id);
    *out = (long long)u->crank[0] - (long long)u->crank[1];
    return JQL_OK;
}

int jql_comparison_unit_tier_change(const jql_comparison *c, size_t k, long long *out)
{
    int rc;
    const cmp_unit *u = change_unit(c, k, out, "jql_comparison_unit_tier_change", &rc);
    if (!u)
        return rc;
    if (!u->tier_comparable)
        return jql_fail(JQL_ENODATA, "unit %s: tier %s is not a tier of the after side", u->id,
                        u->tier[0]);
    *out = u->tier_change;
    return JQL_OK;
}

int jql_comparison_node_points_change(const jql_comparison *c, size_t k, size_t i,
                                      jql_milli *out)
{
    if (!c || !out)
        return jql_fail(JQL_EINVALID, "jql_comparison_node_points_change: NULL argument");
    const cmp_unit *u = cu_at(c, k);
    if (!u || i >= u->node_count)
        return jql_fail(JQL_ENOTFOUND, "jql_comparison_node_points_change: out of range");
    const cmp_node *n = &c->nodes[u->node_start + i];
    if (n->pts[0] == JQL_NO_SCORE || n->pts[1] == JQL_NO_SCORE)
        return jql_fail(JQL_ENODATA, "node %s is not on both sides", n->id);
    *out = n->pts[1] - n->pts[0];
    return JQL_OK;
}

/* ---- JSON ---- */

static void key(jql_buf *b, const char *k)
{
    jql_buf_puts(b, ", ");
    jql_buf_json_string(b, k);
    jql_buf_puts(b, ": ");
}

static void milli_or_null(jql_buf *b, const char *k, bool has, jql_milli v)
{
    key(b, k);
    if (has)
        jql_buf_milli3(b, v);
    else
        jql_buf_puts(b, "null");
}

static void size_or_null(jql_buf *b, const char *k, size_t v)
{
    key(b, k);
    if (v)
        jql_buf_printf(b, "%zu", v);
    else
        jql_buf_puts(b, "null");
}

static void str_or_null(jql_buf *b, const char *k, const char *s)
{
    key(b, k);
    if (s)
        jql_buf_json_string(b, s);
    else
        jql_buf_puts(b, "null");
}

static void bool_or_null(jql_buf *b, const char *k, bool has, bool v)
{
    key(b, k);
    jql_buf_puts(b, !has ? "null" : v ? "true" : "false");
}

static void int_or_null(jql_buf *b, const char *k, bool has, long long v)
{
    key(b, k);
    if (has)
        jql_buf_printf(b, "%lld", v);
    else
        jql_buf_puts(b, "null");
}

static void unit_json(jql_buf *b, const jql_comparison *c, const cmp_unit *u, bool first)
{
    bool both = u->has[0] && u->has[1];
    jql_buf_puts(b, first ? "\n    {\"id\": " : ",\n    {\"id\": ");
    jql_buf_json_string(b, u->id);
    str_or_null(b, "name", u->name);
    milli_or_null(b, "final_before", u->has[0], u->final[0]);
    milli_or_null(b, "final_after", u->has[1], u->final[1]);
    milli_or_null(b, "final_change", both, both ? u->final[1] - u->final[0] : 0);
    size_or_null(b, "rank_before", u->has[0] ? u->rank[0] : 0);
    size_or_null(b, "rank_after", u->has[1] ? u->rank[1] : 0);
    int_or_null(b, "rank_change", both, (long long)u->rank[0] - (long long)u->rank[1]);
    size_or_null(b, "cluster_rank_before", u->has[0] ? u->crank[0] : 0);
    size_or_null(b, "cluster_rank_after", u->has[1] ? u->crank[1] : 0);
    bool cl = both && u->crank[0] && u->crank[1];
    int_or_null(b, "cluster_rank_change", cl, (long long)u->crank[0] - (long long)u->crank[1]);
    str_or_null(b, "tier_before", u->tier[0]);
    str_or_null(b, "tier_after", u->tier[1]);
    int_or_null(b, "tier_change", both && u->tier_comparable, u->tier_change);
    bool_or_null(b, "leader_before", u->has[0], u->leader[0]);
    bool_or_null(b, "leader_after", u->has[1], u->leader[1]);
    key(b, "nodes");
    jql_buf_putc(b, '[');
    for (size_t i = 0; i < u->node_count; i++) {
        const cmp_node *n = &c->nodes[u->node_start + i];
        bool hb = n->pts[0] != JQL_NO_SCORE, ha = n->pts[1] != JQL_NO_SCORE;
        jql_buf_puts(b, i ? ", {\"id\": " : "{\"id\": ");
        jql_buf_json_string(b, n->id);
        milli_or_null(b, "points_before", hb, n->pts[0]);
        milli_or_null(b, "points_after", ha, n->pts[1]);
        /* JQL_NO_SCORE is INT64_MIN: subtract only when both sides have points */
        milli_or_null(b, "points_change", hb && ha, hb && ha ? n->pts[1] - n->pts[0] : 0);
        jql_buf_putc(b, '}');
    }
    jql_buf_puts(b, "]}");
}

int jql_comparison_to_json(const jql_comparison *c, char **out, size_t *len)
{
    if (out)
        *out = NULL;
    if (!c || !out)
        return jql_fail(JQL_EINVALID, "jql_comparison_to_json: NULL argument");
    jql_buf b;
    jql_buf_init(&b);
    jql_buf_puts(&b, "{\"format\": \"" JQL_COMPARISON_FORMAT "\"");
    str_or_null(&b, "criteria_before", c->criteria[0]);
    str_or_null(&b, "criteria_after", c->criteria[1]);
    str_or_null(&b, "period_before", c->period[0]);
    str_or_null(&b, "period_after", c->period[1]);
    key(&b, "rank_changes");
    jql_buf_printf(&b, "%zu", c->rank_changes);
    key(&b, "tier_changes");
    jql_buf_printf(&b, "%zu", c->tier_changes);
    key(&b, "units");
    jql_buf_putc(&b, '[');
    for (size_t k = 0; k < c->nunits; k++)
        unit_json(&b, c, &c->units[k], k == 0);
    jql_buf_puts(&b, c->nunits ? "\n  ]}\n" : "]}\n");
    char *s = jql_buf_take(&b, len);
    if (!s)
        return jql_fail(JQL_ENOMEM, "out of memory");
    *out = s;
    return JQL_OK;
}

int jql_results_compare_json(const jql_results *before, const jql_results *after, char **out,
                             size_t *len)
{
    if (out)
        *out = NULL;
    jql_comparison *c;
    int rc = jql_results_compare(before, after, &c);
    if (rc)
        return rc;
    rc = jql_comparison_to_json(c, out, len);
    jql_comparison_free(c);
    return rc;
}
