/*
 * Comparing two scorings unit by unit and node by node
 * (jql_results_compare, include/justice_quarterly/analysis.h). The
 * comparison copies what it shows, so it outlives both results.
 */
#include <string.h>

#include "justice_quarterly/analysis.h"
#include "score_internal.h"
#include "sink.h"
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
    char as_of[2][11]; /* each side's results' as-of date, "" for none */
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

/* ---- the sides ---- */

/* What a comparison reads of one unit of a scoring. */
typedef struct {
    const char *id, *name;
    jql_milli final;
    size_t rank, crank, tier; /* tier: an index in the side's tiers */
    bool leader;
} side_unit;

/* One side of a comparison. A view (of results being compared) borrows
   their strings and reads their points; a kept side (jql_compare_side_new)
   owns copies of both, so its results can be freed before the other side
   is scored: units x nodes points instead of the whole scoring. */
struct jql_compare_side {
    const char *criteria, *period;
    char as_of[11]; /* the results' as-of date (r->as_of), "" for none */
    side_unit *units;
    size_t nunits;
    const char **node_ids;
    size_t nnodes;
    const char **tier_ids;
    size_t ntiers;
    const jql_results *r; /* a view: the points are r's */
    jql_milli *pts;       /* kept: nunits x nnodes points, by unit */
    bool owns;            /* kept: the strings above are copies */
};
typedef struct jql_compare_side cmp_side;

static jql_milli side_points(const cmp_side *s, size_t k, size_t n)
{
    return s->r ? s->r->nodes[s->r->units[k].node_start + n].points : s->pts[k * s->nnodes + n];
}

static void side_clear(cmp_side *s)
{
    if (s->owns) {
        for (size_t k = 0; s->units && k < s->nunits; k++) {
            jql_free((char *)s->units[k].id);
            jql_free((char *)s->units[k].name);
        }
        for (size_t n = 0; s->node_ids && n < s->nnodes; n++)
            jql_free((char *)s->node_ids[n]);
        for (size_t t = 0; s->tier_ids && t < s->ntiers; t++)
            jql_free((char *)s->tier_ids[t]);
        jql_free((char *)s->criteria);
        jql_free((char *)s->period);
    }
    jql_free(s->units);
    jql_free(s->node_ids);
    jql_free(s->tier_ids);
    jql_free(s->pts);
    memset(s, 0, sizeof *s);
}

/* The arrays of a side of r's sizes, zeroed (one spare entry each, so
   that nothing is a zero-sized allocation). */
static int side_alloc(const jql_results *r, cmp_side *s)
{
    memset(s, 0, sizeof *s);
    s->nunits = r->nunits;
    s->nnodes = r->nnodes;
    s->ntiers = r->ntiers;
    s->units = jql_calloc(r->nunits + 1, sizeof *s->units);
    s->node_ids = jql_calloc(r->nnodes + 1, sizeof *s->node_ids);
    s->tier_ids = jql_calloc(r->ntiers + 1, sizeof *s->tier_ids);
    if (!s->units || !s->node_ids || !s->tier_ids) {
        side_clear(s);
        return jql_fail(JQL_ENOMEM, "out of memory");
    }
    return 0;
}

/* Borrowed as it is in a view, a copy in a kept side (*ok false when
   the copy failed; NULL stays NULL). */
static const char *side_str(const cmp_side *s, const char *text, bool *ok)
{
    if (!s->owns || !text)
        return text;
    char *d = jql_strdup(text);
    *ok = *ok && d;
    return d;
}

/* Fill *s from r: a view, or with keep a side owning what it shows. */
static int side_fill(const jql_results *r, bool keep, cmp_side *s)
{
    if (side_alloc(r, s))
        return JQL_ENOMEM;
    s->owns = keep;
    s->r = keep ? NULL : r;
    bool ok = true;
    s->criteria = side_str(s, r->criteria_id, &ok);
    s->period = side_str(s, r->period, &ok);
    memcpy(s->as_of, r->as_of, sizeof s->as_of);
    for (size_t k = 0; k < r->nunits; k++) {
        const jql_res_unit *u = &r->units[k];
        s->units[k] = (side_unit){side_str(s, u->id, &ok), side_str(s, u->name, &ok),
                                  u->v[JQL_RESULT_FIELD_FINAL], u->rank, u->cluster_rank, u->tier,
                                  u->leader};
    }
    for (size_t n = 0; n < r->nnodes; n++)
        s->node_ids[n] = side_str(s, r->nodeinfo[n].id, &ok);
    for (size_t t = 0; t < r->ntiers; t++)
        s->tier_ids[t] = side_str(s, r->tiers[t].id, &ok);
    if (ok && keep) {
        size_t nn = r->nnodes;
        /* nunits x nnodes entries exist in r->nodes: the product fits */
        ok = (s->pts = jql_calloc(r->nunits * nn + 1, sizeof *s->pts)) != NULL;
        for (size_t k = 0; ok && k < r->nunits; k++)
            for (size_t n = 0; n < nn; n++)
                s->pts[k * nn + n] = r->nodes[r->units[k].node_start + n].points;
    }
    if (!ok) {
        side_clear(s);
        return jql_fail(JQL_ENOMEM, "out of memory");
    }
    return 0;
}

int jql_compare_side_new(const jql_results *before, jql_compare_side **out)
{
    if (out)
        *out = NULL;
    if (!before || !out)
        return jql_fail(JQL_EINVALID, "jql_compare_side_new: NULL argument");
    cmp_side *s = jql_calloc(1, sizeof *s);
    if (!s)
        return jql_fail(JQL_ENOMEM, "out of memory");
    int rc = side_fill(before, true, s);
    if (rc) {
        jql_free(s);
        return rc;
    }
    *out = s;
    return JQL_OK;
}

void jql_compare_side_free(jql_compare_side *s)
{
    if (!s)
        return;
    side_clear(s);
    jql_free(s);
}

/* ---- matching the sides ---- */

/* The lookups of a comparison (x before, y after): units by id, y's tiers
   by id, and the nodes matched by id once for all units. */
typedef struct cmp_maps {
    jql_strmap xu, yu, yt;
    size_t *ynode_in_x; /* y's node n: x's node of that id, JQL_NONE: none */
    size_t *xonly;      /* x's nodes with an id y has not, in x's order */
    size_t nxonly;
} cmp_maps;

static int index_ids(const char *const *ids, size_t n, jql_strmap *m)
{
    for (size_t i = 0; i < n; i++)
        if (jql_strmap_put(m, ids[i], i))
            return jql_fail(JQL_ENOMEM, "out of memory");
    return 0;
}

static int index_units(const cmp_side *s, jql_strmap *m)
{
    for (size_t k = 0; k < s->nunits; k++)
        if (jql_strmap_put(m, s->units[k].id, k))
            return jql_fail(JQL_ENOMEM, "out of memory");
    return 0;
}

/* The tiers by id, the first of equal ids winning (put in reverse, as a
   put overwrites): a scan of the tiers for every unit is units x tiers. */
static int index_tiers(const cmp_side *s, jql_strmap *m)
{
    for (size_t t = s->ntiers; t-- > 0;)
        if (jql_strmap_put(m, s->tier_ids[t], t))
            return jql_fail(JQL_ENOMEM, "out of memory");
    return 0;
}

static size_t tier_index(const jql_strmap *tiers, const char *id)
{
    size_t t;
    return jql_strmap_get(tiers, id, &t) == JQL_OK ? t : JQL_NONE;
}

/* The nodes of both sides matched by id (the last of equal ids, as a put
   overwrites): the same for every unit, so matched once, not per unit. */
static int match_nodes(const cmp_side *x, const cmp_side *y, cmp_maps *m)
{
    jql_strmap xn = {0}, yn = {0};
    m->ynode_in_x = jql_calloc(y->nnodes + 1, sizeof *m->ynode_in_x);
    m->xonly = jql_calloc(x->nnodes + 1, sizeof *m->xonly);
    int rc = m->ynode_in_x && m->xonly ? 0 : jql_fail(JQL_ENOMEM, "out of memory");
    if (!rc)
        rc = index_ids(x->node_ids, x->nnodes, &xn);
    if (!rc)
        rc = index_ids(y->node_ids, y->nnodes, &yn);
    for (size_t n = 0; !rc && n < y->nnodes; n++)
        if (jql_strmap_get(&xn, y->node_ids[n], &m->ynode_in_x[n]) != JQL_OK)
            m->ynode_in_x[n] = JQL_NONE;
    for (size_t n = 0; !rc && n < x->nnodes; n++)
        if (jql_strmap_get(&yn, x->node_ids[n], NULL) != JQL_OK)
            m->xonly[m->nxonly++] = n;
    jql_strmap_free(&xn);
    jql_strmap_free(&yn);
    return rc;
}

static void maps_free(cmp_maps *m)
{
    jql_strmap_free(&m->xu);
    jql_strmap_free(&m->yu);
    jql_strmap_free(&m->yt);
    jql_free(m->ynode_in_x);
    jql_free(m->xonly);
}

static int maps_build(const cmp_side *x, const cmp_side *y, cmp_maps *m)
{
    memset(m, 0, sizeof *m);
    int rc = index_units(x, &m->xu);
    if (!rc)
        rc = index_units(y, &m->yu);
    if (!rc)
        rc = index_tiers(y, &m->yt);
    if (!rc)
        rc = match_nodes(x, y, m);
    if (rc) {
        maps_free(m);
        memset(m, 0, sizeof *m); /* the caller's maps_free() frees nothing */
    }
    return rc;
}

/* x's unit of y's unit k's id; JQL_NONE: none. */
static size_t x_of_y(const cmp_maps *m, const cmp_side *y, size_t k)
{
    size_t i;
    return jql_strmap_get(&m->xu, y->units[k].id, &i) == JQL_OK ? i : JQL_NONE;
}

/* ---- comparing ---- */

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

/* The changed nodes of a unit present on both sides (x's unit kx, y's
   ky): y's nodes, then x's nodes that y does not have. */
static int changed_nodes(jql_comparison *c, const cmp_side *x, size_t kx, const cmp_side *y,
                         size_t ky, const cmp_maps *m)
{
    int rc = 0;
    for (size_t n = 0; !rc && n < y->nnodes; n++) {
        size_t o = m->ynode_in_x[n];
        jql_milli a = side_points(y, ky, n);
        jql_milli b = o != JQL_NONE ? side_points(x, kx, o) : JQL_NO_SCORE;
        if (a != b)
            rc = add_node(c, y->node_ids[n], b, a);
    }
    for (size_t i = 0; !rc && i < m->nxonly; i++)
        rc = add_node(c, x->node_ids[m->xonly[i]], side_points(x, kx, m->xonly[i]),
                      JQL_NO_SCORE);
    return rc;
}

static int fill_side(cmp_unit *cu, int side, const cmp_side *s, size_t k)
{
    if (k == JQL_NONE)
        return 0;
    const side_unit *u = &s->units[k];
    cu->has[side] = true;
    cu->final[side] = u->final;
    cu->rank[side] = u->rank;
    cu->crank[side] = u->crank;
    cu->leader[side] = u->leader;
    return dup_to(&cu->tier[side], s->tier_ids[u->tier]);
}

/* Fill *cu with x's unit kx and y's unit ky (JQL_NONE: absent on that
   side) and append its changed nodes to c (unless units_only). */
static int add_unit(jql_comparison *c, cmp_unit *cu, const cmp_side *x, size_t kx,
                    const cmp_side *y, size_t ky, const cmp_maps *m, bool units_only)
{
    const side_unit *u = ky != JQL_NONE ? &y->units[ky] : &x->units[kx];
    int rc = dup_to(&cu->id, u->id);
    if (!rc)
        rc = dup_to(&cu->name, u->name);
    if (!rc)
        rc = fill_side(cu, 0, x, kx);
    if (!rc)
        rc = fill_side(cu, 1, y, ky);
    cu->node_start = c->nnodes;
    if (!rc && kx != JQL_NONE && ky != JQL_NONE) {
        /* tiers are listed from the top: moving up lowers the index */
        size_t ib = tier_index(&m->yt, cu->tier[0]);
        cu->tier_comparable = ib != JQL_NONE;
        cu->tier_change = cu->tier_comparable ? (long long)ib - (long long)y->units[ky].tier : 0;
        if (!units_only)
            rc = changed_nodes(c, x, kx, y, ky, m);
    }
    cu->node_count = c->nnodes - cu->node_start;
    return rc;
}

static int copy_heads(jql_comparison *c, const cmp_side *x, const cmp_side *y)
{
    int rc = 0;
    for (int s = 0; !rc && s < 2; s++) {
        const cmp_side *r = s ? y : x;
        memcpy(c->as_of[s], r->as_of, sizeof c->as_of[s]);
        if (!(rc = dup_to(&c->criteria[s], r->criteria)))
            rc = dup_to(&c->period[s], r->period);
    }
    return rc;
}

/* The units on both sides whose rank, and whose tier id, differ. */
static void count_changes(jql_comparison *c, const cmp_side *x, const cmp_side *y,
                          const cmp_maps *m)
{
    for (size_t k = 0; k < y->nunits; k++) {
        size_t i = x_of_y(m, y, k);
        if (i == JQL_NONE)
            continue;
        c->rank_changes += x->units[i].rank != y->units[k].rank;
        c->tier_changes +=
            strcmp(x->tier_ids[x->units[i].tier], y->tier_ids[y->units[k].tier]) != 0;
    }
}

/* The comparison of two sides as an object: y's units in its order, then
   those only in x in x's order. */
static int compare_sides(const cmp_side *x, const cmp_side *y, bool units_only,
                         jql_comparison **out)
{
    jql_comparison *c = jql_calloc(1, sizeof *c);
    if (!c || !(c->units = jql_calloc(x->nunits + y->nunits + 1, sizeof *c->units))) {
        jql_free(c);
        return jql_fail(JQL_ENOMEM, "out of memory");
    }
    cmp_maps m;
    int rc = maps_build(x, y, &m);
    if (rc) {
        jql_comparison_free(c);
        return rc;
    }
    rc = copy_heads(c, x, y);
    if (!rc)
        count_changes(c, x, y, &m);
    for (size_t k = 0; !rc && k < y->nunits; k++)
        rc = add_unit(c, &c->units[c->nunits++], x, x_of_y(&m, y, k), y, k, &m, units_only);
    for (size_t k = 0; !rc && k < x->nunits; k++)
        if (jql_strmap_get(&m.yu, x->units[k].id, NULL) != JQL_OK)
            rc = add_unit(c, &c->units[c->nunits++], x, k, y, JQL_NONE, &m, units_only);
    maps_free(&m);
    if (rc) {
        jql_comparison_free(c);
        return rc;
    }
    *out = c;
    return JQL_OK;
}

int jql_results_compare(const jql_results *before, const jql_results *after, jql_comparison **out)
{
    if (out)
        *out = NULL;
    if (!before || !after || !out)
        return jql_fail(JQL_EINVALID, "jql_results_compare: NULL argument");
    cmp_side x, y;
    int rc = side_fill(before, false, &x);
    if (rc)
        return rc;
    if (!(rc = side_fill(after, false, &y))) {
        rc = compare_sides(&x, &y, false, out);
        side_clear(&y);
    }
    side_clear(&x);
    return rc;
}

int jql_compare_side_compare(const jql_compare_side *before, const jql_results *after,
                             unsigned flags, jql_comparison **out)
{
    if (out)
        *out = NULL;
    if (!before || !after || !out)
        return jql_fail(JQL_EINVALID, "jql_compare_side_compare: NULL argument");
    if (flags & ~JQL_COMPARE_UNITS_ONLY)
        return jql_fail(JQL_EINVALID, "jql_compare_side_compare: unknown flags 0x%x", flags);
    cmp_side y;
    int rc = side_fill(after, false, &y);
    if (!rc) {
        rc = compare_sides(before, &y, (flags & JQL_COMPARE_UNITS_ONLY) != 0, out);
        side_clear(&y);
    }
    return rc;
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

const char *jql_comparison_as_of(const jql_comparison *c, int side)
{
    return c && side_ok(side) && c->as_of[side][0] ? c->as_of[side] : NULL;
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

static void doc_head(jql_buf *b, const jql_comparison *c)
{
    jql_buf_puts(b, "{\"format\": \"" JQL_COMPARISON_FORMAT "\"");
    str_or_null(b, "criteria_before", c->criteria[0]);
    str_or_null(b, "criteria_after", c->criteria[1]);
    str_or_null(b, "period_before", c->period[0]);
    str_or_null(b, "period_after", c->period[1]);
    /* each only when that side was scored as of a date: the rest unchanged */
    if (c->as_of[0][0])
        str_or_null(b, "as_of_before", c->as_of[0]);
    if (c->as_of[1][0])
        str_or_null(b, "as_of_after", c->as_of[1]);
    key(b, "rank_changes");
    jql_buf_printf(b, "%zu", c->rank_changes);
    key(b, "tier_changes");
    jql_buf_printf(b, "%zu", c->tier_changes);
    key(b, "units");
    jql_buf_putc(b, '[');
}

static void doc_tail(jql_buf *b, size_t nunits)
{
    jql_buf_puts(b, nunits ? "\n  ]}\n" : "]}\n");
}

int jql_comparison_to_json(const jql_comparison *c, char **out, size_t *len)
{
    if (out)
        *out = NULL;
    if (!c || !out)
        return jql_fail(JQL_EINVALID, "jql_comparison_to_json: NULL argument");
    jql_buf b;
    jql_buf_init(&b);
    doc_head(&b, c);
    for (size_t k = 0; k < c->nunits; k++)
        unit_json(&b, c, &c->units[k], k == 0);
    doc_tail(&b, c->nunits);
    char *s = jql_buf_take(&b, len);
    if (!s)
        return jql_fail(JQL_ENOMEM, "out of memory");
    *out = s;
    return JQL_OK;
}

/* Empty the one-unit comparison of the stream for the next unit. */
static void one_reset(jql_comparison *one)
{
    cmp_unit *u = &one->units[0];
    jql_free(u->id);
    jql_free(u->name);
    jql_free(u->tier[0]);
    jql_free(u->tier[1]);
    memset(u, 0, sizeof *u);
    for (size_t i = 0; i < one->nnodes; i++)
        jql_free(one->nodes[i].id);
    one->nnodes = 0;
    one->nunits = 0;
}

/* Write one unit of the stream (x's kx, y's ky) through the one-unit
   comparison: only this unit's changed nodes are held. */
static int stream_unit(jql_sink *w, jql_comparison *one, const cmp_side *x, size_t kx,
                       const cmp_side *y, size_t ky, const cmp_maps *m, bool first)
{
    one_reset(one);
    one->nunits = 1;
    int rc = add_unit(one, &one->units[0], x, kx, y, ky, m, false);
    if (!rc) {
        unit_json(&w->b, one, &one->units[0], first);
        jql_sink_flush_full(w);
    }
    return rc;
}

/* The JSON of jql_results_compare_json(), written unit by unit: what is
   held is the two sides and one unit's changed nodes, not every unit's
   (units x nodes of them when every point moves). */
static int stream_write(const cmp_side *x, const cmp_side *y, jql_write_fn fn, void *user)
{
    jql_comparison *one = jql_calloc(1, sizeof *one);
    if (!one || !(one->units = jql_calloc(1, sizeof *one->units))) {
        jql_free(one);
        return jql_fail(JQL_ENOMEM, "out of memory");
    }
    cmp_maps m;
    int rc = maps_build(x, y, &m);
    if (!rc)
        rc = copy_heads(one, x, y);
    if (rc) {
        maps_free(&m);
        jql_comparison_free(one);
        return rc;
    }
    count_changes(one, x, y, &m);
    jql_sink w;
    jql_sink_init(&w, fn, user);
    doc_head(&w.b, one);
    size_t written = 0;
    for (size_t k = 0; !rc && k < y->nunits && jql_sink_ok(&w); k++)
        rc = stream_unit(&w, one, x, x_of_y(&m, y, k), y, k, &m, written++ == 0);
    for (size_t k = 0; !rc && k < x->nunits && jql_sink_ok(&w); k++)
        if (jql_strmap_get(&m.yu, x->units[k].id, NULL) != JQL_OK)
            rc = stream_unit(&w, one, x, k, y, JQL_NONE, &m, written++ == 0);
    doc_tail(&w.b, written);
    int end = jql_sink_end(&w, "the comparison");
    one_reset(one);
    maps_free(&m);
    jql_comparison_free(one);
    return rc ? rc : end;
}

int jql_results_compare_json(const jql_results *before, const jql_results *after, char **out,
                             size_t *len)
{
    if (out)
        *out = NULL;
    if (!before || !after || !out)
        return jql_fail(JQL_EINVALID, "jql_results_compare: NULL argument");
    cmp_side x, y;
    int rc = side_fill(before, false, &x);
    if (rc)
        return rc;
    if (!(rc = side_fill(after, false, &y))) {
        jql_buf all;
        jql_buf_init(&all);
        rc = jql_sink_take_text(stream_write(&x, &y, jql_sink_to_buf, &all), &all, out, len);
        side_clear(&y);
    }
    side_clear(&x);
    return rc;
}

/* jql_compare_side_write*(): the after side a view of its results. */
static int side_write(const jql_compare_side *before, const jql_results *after,
                      jql_write_fn fn, void *user)
{
    cmp_side y;
    int rc = side_fill(after, false, &y);
    if (rc)
        return rc;
    rc = stream_write(before, &y, fn, user);
    side_clear(&y);
    return rc;
}

int jql_compare_side_write_cb(const jql_compare_side *before, const jql_results *after,
                              jql_write_fn fn, void *user)
{
    if (!before || !after || !fn)
        return jql_fail(JQL_EINVALID, "jql_compare_side_write_cb: NULL argument");
    return side_write(before, after, fn, user);
}

int jql_compare_side_write(const jql_compare_side *before, const jql_results *after, FILE *fp)
{
    if (!before || !after || !fp)
        return jql_fail(JQL_EINVALID, "jql_compare_side_write: NULL argument");
    return side_write(before, after, jql_sink_to_file, fp);
}
