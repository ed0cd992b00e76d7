/*
 * Scoring results: the string pool that makes them independent of the
 * dataset and criteria, their accessors and their release.
 */
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "names.h"
#include "score_internal.h"

void jql_advise_large(void *p, size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    /* The loader's record arrays and id maps (tens of MB at national
       scale, the maps read at random): on 4 KiB pages a fresh mapping
       faults once per page, and the maps miss the TLB. Asking for
       transparent huge pages cuts the faults 512-fold where the kernel
       allows it (a scoring's results are not advised: jql_alloc_paged).
       Only advice: an error (another allocator's memory, THP off) changes
       nothing, so it is ignored. */
    const uintptr_t page = 4096, min = JQL_LARGE_BYTES;
    if (!p || bytes < min)
        return;
    uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t e = ((uintptr_t)p + bytes) & ~(page - 1);
    if (e > a)
        (void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
    (void)p, (void)bytes;
#endif
}

jql_results *jql_results_alloc(void)
{
    jql_results *r = jql_calloc(1, sizeof *r);
    if (!r)
        jql_fail(JQL_ENOMEM, "out of memory");
    return r;
}

const char *jql_results_intern(jql_results *r, const char *s)
{
    size_t i;
    if (!s)
        return NULL;
    if (jql_strmap_get(&r->pool_map, s, &i) == JQL_OK)
        return r->pool[i];
    if (jql_vec_grow((void **)&r->pool, &r->pool_cap, r->npool + 1, sizeof *r->pool)) {
        jql_fail(JQL_ENOMEM, "out of memory");
        return NULL;
    }
    char *copy = jql_strdup(s);
    if (!copy || jql_strmap_put(&r->pool_map, s, r->npool)) {
        jql_free(copy);
        jql_fail(JQL_ENOMEM, "out of memory");
        return NULL;
    }
    r->pool[r->npool++] = copy;
    return copy;
}

int jql_results_intern_to(jql_results *r, const char *s, const char **out)
{
    *out = jql_results_intern(r, s);
    return (s && !*out) ? JQL_ENOMEM : 0;
}

/* lazy rules read at least once own their text */
static void free_lazy_rules(jql_results *r)
{
    for (size_t i = 0; r->nodes && i < r->nodes_ready; i++)
        if (r->nodes[i].rule_lazy)
            jql_free((char *)r->nodes[i].rule);
    for (size_t i = 0; r->items && i < r->items_ready; i++)
        if (r->items[i].rule_lazy)
            jql_free((char *)r->items[i].rule);
    r->nodes_ready = r->items_ready = 0;
}

void jql_results_spare_free(jql_results_spare *spare)
{
    jql_free(spare->units);
    jql_free(spare->nodes);
    jql_free(spare->items);
    jql_free(spare->tb);
    *spare = (jql_results_spare){0};
}

void jql_results_free_to_spare(jql_results *r, jql_results_spare *spare)
{
    if (!r)
        return;
    jql_results_spare_free(spare);
    free_lazy_rules(r);
    /* every unit has the sheet's tie-breakers (score.c, alloc_units) */
    size_t ntb = r->nunits && r->units ? r->units[0].ntb : 0;
    *spare = (jql_results_spare){r->units, r->nodes, r->items, r->tb, r->nunits, r->nnodes,
                                 r->nbonus + r->ndeductions, ntb};
    r->units = NULL;
    r->nodes = r->items = NULL;
    r->tb = NULL;
    jql_results_free(r);
}

void jql_results_free(jql_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->npool; i++)
        jql_free(r->pool[i]);
    jql_free(r->pool);
    jql_free(r->unit_text);
    jql_strmap_free(&r->pool_map);
    jql_strmap_free(&r->unit_map);
    jql_free(r->nodeinfo);
    jql_free(r->tiers);
    jql_free(r->vetodefs);
    jql_free(r->iteminfo);
    jql_free(r->units);
    free_lazy_rules(r);
    jql_free(r->nodes);
    jql_free(r->items);
    jql_free(r->tb);
    jql_free(r->fired);
    jql_free(r->evlist);
    if (r->src)
        jql_ds_release(r->src);
    jql_diagnostics_free(r->diag);
    jql_free(r);
}

/* ---- accessors (out-of-range indices give neutral values, never a crash) ---- */

static const jql_res_unit *unit_at(const jql_results *r, size_t k)
{
    return r && k < r->nunits ? &r->units[k] : NULL;
}

static const jql_res_node *node_at(const jql_results *r, size_t k, size_t n)
{
    const jql_res_unit *u = unit_at(r, k);
    return u && n < r->nnodes ? &r->nodes[u->node_start + n] : NULL;
}

const char *jql_results_period(const jql_results *r) { return r ? r->period : NULL; }
const char *jql_results_criteria_id(const jql_results *r) { return r ? r->criteria_id : NULL; }
const char *jql_results_as_of(const jql_results *r) { return r && r->as_of[0] ? r->as_of : NULL; }
size_t jql_results_unit_count(const jql_results *r) { return r ? r->nunits : 0; }

const char *jql_results_unit_id(const jql_results *r, size_t k)
{
    const jql_res_unit *u = unit_at(r, k);
    return u ? u->id : NULL;
}

const char *jql_results_unit_name(const jql_results *r, size_t k)
{
    const jql_res_unit *u = unit_at(r, k);
    return u ? u->name : NULL;
}

const char *jql_results_unit_cluster(const jql_results *r, size_t k)
{
    const jql_res_unit *u = unit_at(r, k);
    return u ? u->cluster : NULL;
}

jql_milli jql_results_unit_value(const jql_results *r, size_t k, jql_result_field f)
{
    const jql_res_unit *u = unit_at(r, k);
    if (!u || (int)f < 0 || f > JQL_RESULT_FIELD_GAP)
        return 0;
    return u->v[f];
}

const char *jql_results_unit_tier(const jql_results *r, size_t k)
{
    const jql_res_unit *u = unit_at(r, k);
    return u && u->tier < r->ntiers ? r->tiers[u->tier].id : NULL;
}

const char *jql_results_unit_tier_before_caps(const jql_results *r, size_t k)
{
    const jql_res_unit *u = unit_at(r, k);
    return u && u->tier_before_caps < r->ntiers ? r->tiers[u->tier_before_caps].id : NULL;
}

size_t jql_results_unit_rank(const jql_results *r, size_t k)
{
    const jql_res_unit *u = unit_at(r, k);
    return u ? u->rank : 0;
}

size_t jql_results_unit_cluster_rank(const jql_results *r, size_t k)
{
    const jql_res_unit *u = unit_at(r, k);
    return u ? u->cluster_rank : 0;
}

bool jql_results_unit_is_leader(const jql_results *r, size_t k)
{
    const jql_res_unit *u = unit_at(r, k);
    return u && u->leader;
}

bool jql_results_unit_quota_demoted(const jql_results *r, size_t k)
{
    const jql_res_unit *u = unit_at(r, k);
    return u && u->quota_demoted;
}

bool jql_results_unit_quota_tie(const jql_results *r, size_t k)
{
    const jql_res_unit *u = unit_at(r, k);
    return u && u->quota_tie;
}

const char *jql_results_unit_held_back(const jql_results *r, size_t k)
{
    const jql_res_unit *u = unit_at(r, k);
    if (!u)
        return "";
    const char *name = JQL_NAME_OF(jql_held_names, u->held_back);
    return name ? name : "";
}

size_t jql_results_unit_veto_count(const jql_results *r, size_t k)
{
    const jql_res_unit *u = unit_at(r, k);
    return u ? u->veto_count : 0;
}

const char *jql_results_unit_veto_id(const jql_results *r, size_t k, size_t v)
{
    const jql_res_unit *u = unit_at(r, k);
    if (!u || v >= u->veto_count)
        return NULL;
    return r->vetodefs[r->fired[u->veto_start + v]].id;
}

const char *jql_results_unit_veto_reason(const jql_results *r, size_t k, size_t v)
{
    const jql_res_unit *u = unit_at(r, k);
    if (!u || v >= u->veto_count)
        return NULL;
    return r->vetodefs[r->fired[u->veto_start + v]].reason;
}

const char *jql_results_unit_veto_cap(const jql_results *r, size_t k, size_t v)
{
    const jql_res_unit *u = unit_at(r, k);
    if (!u || v >= u->veto_count)
        return NULL;
    size_t cap = r->vetodefs[r->fired[u->veto_start + v]].cap;
    return cap < r->ntiers ? r->tiers[cap].id : NULL;
}

const char *jql_results_unit_tier_after_vetoes(const jql_results *r, size_t k)
{
    const jql_res_unit *u = unit_at(r, k);
    return u && u->tier_after_vetoes < r->ntiers ? r->tiers[u->tier_after_vetoes].id : NULL;
}

size_t jql_results_node_count(const jql_results *r) { return r ? r->nnodes : 0; }

const char *jql_results_node_id(const jql_results *r, size_t n)
{
    return r && n < r->nnodes ? r->nodeinfo[n].id : NULL;
}

jql_milli jql_results_node_points(const jql_results *r, size_t k, size_t n)
{
    const jql_res_node *x = node_at(r, k, n);
    return x ? x->points : 0;
}

jql_milli jql_results_node_max(const jql_results *r, size_t k, size_t n)
{
    return node_at(r, k, n) ? r->nodeinfo[n].max : 0;
}

bool jql_results_node_applicable(const jql_results *r, size_t k, size_t n)
{
    const jql_res_node *x = node_at(r, k, n);
    return x && x->applicable;
}

/* ---- what a score sheet prints: assessments, rules, items ---- */

jql_milli jql_results_node_self(const jql_results *r, size_t k, size_t n)
{
    const jql_res_node *x = node_at(r, k, n);
    return x ? x->self : JQL_NO_SCORE;
}

jql_milli jql_results_node_appraised(const jql_results *r, size_t k, size_t n)
{
    const jql_res_node *x = node_at(r, k, n);
    return x ? x->appraised : JQL_NO_SCORE;
}

bool jql_results_node_value(const jql_results *r, size_t k, size_t n, jql_milli *value)
{
    const jql_res_node *x = node_at(r, k, n);
    if (!x || !x->has_value)
        return false;
    if (value)
        *value = x->value;
    return true;
}

const char *jql_results_node_rule(const jql_results *r, size_t k, size_t n)
{
    const jql_res_node *x = node_at(r, k, n);
    return x ? jql_rule_text(&r->nodeinfo[n].fmt, r->nodeinfo[n].max, x) : NULL;
}

size_t jql_results_item_count(const jql_results *r) { return r ? r->nbonus + r->ndeductions : 0; }

bool jql_results_item_is_deduction(const jql_results *r, size_t i)
{
    return r && i >= r->nbonus && i < r->nbonus + r->ndeductions;
}

const char *jql_results_item_id(const jql_results *r, size_t i)
{
    return r && i < r->nbonus + r->ndeductions ? r->iteminfo[i].id : NULL;
}

const char *jql_results_item_title(const jql_results *r, size_t i)
{
    return r && i < r->nbonus + r->ndeductions ? r->iteminfo[i].title : NULL;
}

jql_milli jql_results_item_max(const jql_results *r, size_t i)
{
    return r && i < r->nbonus + r->ndeductions ? r->iteminfo[i].max : 0;
}

static const jql_res_node *item_at(const jql_results *r, size_t k, size_t i)
{
    const jql_res_unit *u = unit_at(r, k);
    return u && i < r->nbonus + r->ndeductions ? &r->items[u->item_start + i] : NULL;
}

jql_milli jql_results_item_points(const jql_results *r, size_t k, size_t i)
{
    const jql_res_node *x = item_at(r, k, i);
    return x ? x->points : 0;
}

jql_milli jql_results_item_self(const jql_results *r, size_t k, size_t i)
{
    const jql_res_node *x = item_at(r, k, i);
    return x ? x->self : JQL_NO_SCORE;
}

jql_milli jql_results_item_appraised(const jql_results *r, size_t k, size_t i)
{
    const jql_res_node *x = item_at(r, k, i);
    return x ? x->appraised : JQL_NO_SCORE;
}

const char *jql_results_item_rule(const jql_results *r, size_t k, size_t i)
{
    const jql_res_node *x = item_at(r, k, i);
    return x ? jql_rule_text(&r->iteminfo[i].fmt, r->iteminfo[i].max, x) : NULL;
}

int jql_results_index_units(jql_results *r)
{
    /* sized once, and each id hashed once (the spot of the look-up) */
    if (jql_strmap_reserve(&r->unit_map, r->nunits))
        return jql_fail(JQL_ENOMEM, "out of memory");
    for (size_t k = 0; k < r->nunits; k++) {
        size_t at;
        jql_strmap_spot spot;
        /* the first of equal ids wins, as a scan from the top would find */
        if (jql_strmap_get_spot(&r->unit_map, r->units[k].id, &at, &spot) == JQL_OK)
            continue;
        if (jql_strmap_put_spot(&r->unit_map, r->units[k].id, k, &spot))
            return jql_fail(JQL_ENOMEM, "out of memory");
    }
    r->unit_map_ok = true;
    return 0;
}

/* One look-up for every caller (the CLIs scanned the ids themselves), by
   the id map built after ranking: the bindings ask once per unit. */
int jql_results_unit_find(const jql_results *r, const char *id, size_t *index)
{
    if (!r || !id || !index)
        return jql_fail(JQL_EINVALID, "jql_results_unit_find: NULL argument");
    char buf[256], *heap = NULL;
    const char *key = jql_nfc_key(id, buf, sizeof buf, &heap);
    size_t k = 0;
    if (r->unit_map_ok) {
        if (jql_strmap_get(&r->unit_map, key, &k) != JQL_OK)
            k = r->nunits;
    } else { /* an index not built: a scan */
        while (k < r->nunits && strcmp(r->units[k].id, key) != 0)
            k++;
    }
    jql_free(heap);
    if (k == r->nunits)
        return jql_fail(JQL_ENOTFOUND, "unit \"%s\" is not in the results", id);
    *index = k;
    return JQL_OK;
}
