/*
 * Lua binding: editing criteria sets and the what-if analysis
 * (docs/ANALYSIS.md). Thin: each method calls one C function; analyses
 * return the library's JSON text (byte-identical to jql-score and the
 * Python binding) and, second, the same document as a table built from
 * the analysis object's accessors (analysis.h): the same keys, values and
 * types as the JSON, a null member left out (Lua tables cannot hold nil).
 * Every change, count, range and margin is the library's; nothing is
 * computed here.
 *
 * Band indices are 1-based here, like every Lua index.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jq_lua.h"

/* ---- building the document tables ---- */

/* A whole number (rank, count, change): an integer where Lua has them. */
static void push_whole(lua_State *L, long long v)
{
#if JQC_HAS_INTEGERS
    lua_pushinteger(L, (lua_Integer)v);
#else
    lua_pushnumber(L, (lua_Number)v);
#endif
}

static void set_whole(lua_State *L, const char *key, long long v)
{
    push_whole(L, v);
    lua_setfield(L, -2, key);
}

static void set_milli(lua_State *L, const char *key, jql_milli v)
{
    jq_push_milli(L, v);
    lua_setfield(L, -2, key);
}

static void set_bool(lua_State *L, const char *key, bool v)
{
    lua_pushboolean(L, v);
    lua_setfield(L, -2, key);
}

/* t[key] = {} and leaves the new table on top. */
static void new_field(lua_State *L, const char *key, int narr, int nrec)
{
    lua_createtable(L, narr, nrec);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, key);
}

/* A rank or cluster rank of a side: 0 means none (null). */
static void set_rank(lua_State *L, const char *key, size_t v)
{
    if (v)
        set_whole(L, key, (long long)v);
}

/* A change accessor's answer: set on JQL_OK, left out (null) otherwise.
   The value is passed by address so that it is read after the accessor
   (given as @p rc) has written it. */
static void set_change(lua_State *L, const char *key, int rc, const long long *v)
{
    if (rc == JQL_OK)
        set_whole(L, key, *v);
}

static void set_milli_change(lua_State *L, const char *key, int rc, const jql_milli *v)
{
    if (rc == JQL_OK)
        set_milli(L, key, *v);
}

static void push_comparison(lua_State *L, const jql_comparison *c)
{
    luaL_checkstack(L, 8, "comparison table");
    lua_createtable(L, 0, 8);
    jq_set_string(L, "format", JQL_COMPARISON_FORMAT);
    jq_set_string(L, "criteria_before", jql_comparison_criteria(c, 0));
    jq_set_string(L, "criteria_after", jql_comparison_criteria(c, 1));
    jq_set_string(L, "period_before", jql_comparison_period(c, 0));
    jq_set_string(L, "period_after", jql_comparison_period(c, 1));
    jq_set_string(L, "as_of_before", jql_comparison_as_of(c, 0)); /* NULL: absent */
    jq_set_string(L, "as_of_after", jql_comparison_as_of(c, 1));
    set_whole(L, "rank_changes", (long long)jql_comparison_rank_changes(c));
    set_whole(L, "tier_changes", (long long)jql_comparison_tier_changes(c));
    size_t nu = jql_comparison_unit_count(c);
    new_field(L, "units", (int)nu, 0);
    for (size_t k = 0; k < nu; k++) {
        lua_createtable(L, 0, 17);
        jq_set_string(L, "id", jql_comparison_unit_id(c, k));
        jq_set_string(L, "name", jql_comparison_unit_name(c, k));
        long long d = 0;
        jql_milli m = 0;
        for (int side = 0; side < 2; side++)
            if (jql_comparison_unit_present(c, k, side))
                set_milli(L, side ? "final_after" : "final_before",
                          jql_comparison_unit_final(c, k, side));
        set_milli_change(L, "final_change", jql_comparison_unit_final_change(c, k, &m), &m);
        set_rank(L, "rank_before", jql_comparison_unit_rank(c, k, 0));
        set_rank(L, "rank_after", jql_comparison_unit_rank(c, k, 1));
        set_change(L, "rank_change", jql_comparison_unit_rank_change(c, k, &d), &d);
        set_rank(L, "cluster_rank_before", jql_comparison_unit_cluster_rank(c, k, 0));
        set_rank(L, "cluster_rank_after", jql_comparison_unit_cluster_rank(c, k, 1));
        set_change(L, "cluster_rank_change", jql_comparison_unit_cluster_rank_change(c, k, &d), &d);
        jq_set_string(L, "tier_before", jql_comparison_unit_tier(c, k, 0));
        jq_set_string(L, "tier_after", jql_comparison_unit_tier(c, k, 1));
        set_change(L, "tier_change", jql_comparison_unit_tier_change(c, k, &d), &d);
        for (int side = 0; side < 2; side++)
            if (jql_comparison_unit_present(c, k, side))
                set_bool(L, side ? "leader_after" : "leader_before",
                         jql_comparison_unit_leader(c, k, side));
        size_t nn = jql_comparison_node_count(c, k);
        new_field(L, "nodes", (int)nn, 0);
        for (size_t i = 0; i < nn; i++) {
            lua_createtable(L, 0, 4);
            jq_set_string(L, "id", jql_comparison_node_id(c, k, i));
            for (int side = 0; side < 2; side++) {
                jql_milli p = jql_comparison_node_points(c, k, i, side);
                if (p != JQL_NO_SCORE)
                    set_milli(L, side ? "points_after" : "points_before", p);
            }
            set_milli_change(L, "points_change", jql_comparison_node_points_change(c, k, i, &m), &m);
            lua_rawseti(L, -2, (int)i + 1);
        }
        lua_pop(L, 1); /* nodes */
        lua_rawseti(L, -2, (int)k + 1);
    }
    lua_pop(L, 1); /* units */
}

static const char *direction(int d) { return d < 0 ? "-" : "+"; }

/* {final, rank, tier} of unit k in one-at-a-time case q. */
static void push_outcome(lua_State *L, const jql_sensitivity *s, size_t q, size_t k)
{
    lua_createtable(L, 0, 3);
    set_milli(L, "final", jql_sensitivity_oat_case_final(s, q, k));
    set_whole(L, "rank", (long long)jql_sensitivity_oat_case_rank(s, q, k));
    jq_set_string(L, "tier", jql_sensitivity_tier_id(s, jql_sensitivity_oat_case_tier(s, q, k)));
}

/* {section, weight_change} when the margin exists (else left out); by
   address as set_change(). */
static void set_margin(lua_State *L, const jql_sensitivity *s, const char *key, int rc,
                       const size_t *sec, const jql_milli *change)
{
    if (rc != JQL_OK)
        return;
    lua_createtable(L, 0, 2);
    jq_set_string(L, "section", jql_sensitivity_section_id(s, *sec));
    set_milli(L, "weight_change", *change);
    lua_setfield(L, -2, key);
}

/* The seed as the JSON's decimal: an integer where it fits. */
static void set_seed(lua_State *L, uint64_t seed)
{
#if JQC_HAS_INTEGERS
    if (seed <= (uint64_t)LUA_MAXINTEGER) {
        lua_pushinteger(L, (lua_Integer)seed);
        lua_setfield(L, -2, "seed");
        return;
    }
#endif
    lua_pushnumber(L, (lua_Number)seed);
    lua_setfield(L, -2, "seed");
}

static void push_sens_unit(lua_State *L, const jql_sensitivity *s, size_t k)
{
    unsigned flags = jql_sensitivity_flags(s);
    size_t ns = jql_sensitivity_section_count(s);
    lua_createtable(L, 0, 9);
    jq_set_string(L, "id", jql_sensitivity_unit_id(s, k));
    set_milli(L, "final", jql_sensitivity_unit_final(s, k));
    set_whole(L, "rank", (long long)jql_sensitivity_unit_rank(s, k));
    jq_set_string(L, "tier", jql_sensitivity_tier_id(s, jql_sensitivity_unit_tier(s, k)));
    if (flags & JQL_SENS_ONE_AT_A_TIME) {
        new_field(L, "one_at_a_time", 0, 5);
        set_whole(L, "rank_min", (long long)jql_sensitivity_unit_oat_rank_min(s, k));
        set_whole(L, "rank_max", (long long)jql_sensitivity_unit_oat_rank_max(s, k));
        jq_set_string(L, "tier_best",
                      jql_sensitivity_tier_id(s, jql_sensitivity_unit_oat_tier_best(s, k)));
        jq_set_string(L, "tier_worst",
                      jql_sensitivity_tier_id(s, jql_sensitivity_unit_oat_tier_worst(s, k)));
        new_field(L, "tornado", (int)ns, 0);
        for (size_t j = 0; j < ns; j++) {
            lua_createtable(L, 0, 3);
            jq_set_string(L, "section", jql_sensitivity_section_id(s, j));
            push_outcome(L, s, 2 * j, k);
            lua_setfield(L, -2, "minus");
            push_outcome(L, s, 2 * j + 1, k);
            lua_setfield(L, -2, "plus");
            lua_rawseti(L, -2, (int)j + 1);
        }
        lua_pop(L, 2); /* tornado, one_at_a_time */
    }
    if (flags & JQL_SENS_LEAVES) {
        new_field(L, "leaves", 0, 6);
        set_milli(L, "final_min", jql_sensitivity_unit_leaves_final_min(s, k));
        set_milli(L, "final_max", jql_sensitivity_unit_leaves_final_max(s, k));
        set_whole(L, "rank_min", (long long)jql_sensitivity_unit_leaves_rank_min(s, k));
        set_whole(L, "rank_max", (long long)jql_sensitivity_unit_leaves_rank_max(s, k));
        jq_set_string(L, "tier_best",
                      jql_sensitivity_tier_id(s, jql_sensitivity_unit_leaves_tier_best(s, k)));
        jq_set_string(L, "tier_worst",
                      jql_sensitivity_tier_id(s, jql_sensitivity_unit_leaves_tier_worst(s, k)));
        lua_pop(L, 1);
    }
    if (flags & JQL_SENS_MONTE_CARLO) {
        new_field(L, "monte_carlo", 0, 4);
        set_whole(L, "rank_min", (long long)jql_sensitivity_rank_min(s, k));
        set_whole(L, "rank_median", (long long)jql_sensitivity_rank_median(s, k));
        set_whole(L, "rank_max", (long long)jql_sensitivity_rank_max(s, k));
        size_t nt = jql_sensitivity_tier_count(s);
        new_field(L, "tier_runs", 0, (int)nt);
        for (size_t t = 0; t < nt; t++)
            set_whole(L, jql_sensitivity_tier_id(s, t), (long long)jql_sensitivity_tier_runs(s, k, t));
        lua_pop(L, 2);
    }
    if (flags & JQL_SENS_MARGINS) {
        size_t sec = 0;
        jql_milli ch = 0;
        set_margin(L, s, "margin_up", jql_sensitivity_unit_margin_up(s, k, &sec, &ch), &sec, &ch);
        set_margin(L, s, "margin_down", jql_sensitivity_unit_margin_down(s, k, &sec, &ch), &sec, &ch);
    }
}

static void push_weights(lua_State *L, size_t n, const jql_sensitivity *s, size_t q,
                         jql_milli (*w)(const jql_sensitivity *, size_t, size_t))
{
    lua_createtable(L, (int)n, 0);
    for (size_t j = 0; j < n; j++) {
        jq_push_milli(L, w(s, q, j));
        lua_rawseti(L, -2, (int)j + 1);
    }
}

static void push_sensitivity(lua_State *L, const jql_sensitivity *s)
{
    luaL_checkstack(L, 10, "sensitivity table");
    unsigned flags = jql_sensitivity_flags(s);
    size_t ns = jql_sensitivity_section_count(s), nu = jql_sensitivity_unit_count(s);
    lua_createtable(L, 0, 13);
    jq_set_string(L, "format", JQL_SENSITIVITY_FORMAT);
    jq_set_string(L, "criteria", jql_sensitivity_criteria(s));
    jq_set_string(L, "period", jql_sensitivity_period(s));
    jq_set_string(L, "as_of", jql_sensitivity_as_of(s)); /* NULL: absent */
    set_milli(L, "percent", jql_sensitivity_percent(s));
    jq_set_string(L, "distribution", jql_sensitivity_distribution(s));
    unsigned runs = jql_sensitivity_run_count(s);
    set_whole(L, "runs", runs);
    set_seed(L, jql_sensitivity_seed(s));
    new_field(L, "sections", (int)ns, 0);
    for (size_t j = 0; j < ns; j++) {
        lua_createtable(L, 0, 2);
        jq_set_string(L, "id", jql_sensitivity_section_id(s, j));
        set_milli(L, "max", jql_sensitivity_section_max(s, j));
        lua_rawseti(L, -2, (int)j + 1);
    }
    lua_pop(L, 1);
    size_t nq = jql_sensitivity_oat_case_count(s);
    new_field(L, "one_at_a_time", (int)nq, 0);
    for (size_t q = 0; q < nq; q++) {
        lua_createtable(L, 0, 3);
        jq_set_string(L, "section",
                      jql_sensitivity_section_id(s, jql_sensitivity_oat_case_section(s, q)));
        jq_set_string(L, "change", direction(jql_sensitivity_oat_case_direction(s, q)));
        push_weights(L, ns, s, q, jql_sensitivity_oat_case_weight);
        lua_setfield(L, -2, "weights");
        lua_rawseti(L, -2, (int)q + 1);
    }
    lua_pop(L, 1);
    if (flags & JQL_SENS_LEAVES) {
        size_t nl = jql_sensitivity_leaf_case_count(s);
        new_field(L, "leaves_one_at_a_time", (int)nl, 0);
        for (size_t q = 0; q < nl; q++) {
            size_t ng = jql_sensitivity_leaf_case_sibling_count(s, q);
            lua_createtable(L, 0, 6);
            jq_set_string(L, "leaf", jql_sensitivity_leaf_case_leaf(s, q));
            jq_set_string(L, "change", direction(jql_sensitivity_leaf_case_direction(s, q)));
            new_field(L, "siblings", (int)ng, 0);
            for (size_t g = 0; g < ng; g++) {
                lua_pushstring(L, jql_sensitivity_leaf_case_sibling_id(s, q, g));
                lua_rawseti(L, -2, (int)g + 1);
            }
            lua_pop(L, 1);
            push_weights(L, ng, s, q, jql_sensitivity_leaf_case_weight);
            lua_setfield(L, -2, "weights");
            set_whole(L, "rank_changes", (long long)jql_sensitivity_leaf_case_rank_changes(s, q));
            set_whole(L, "tier_changes", (long long)jql_sensitivity_leaf_case_tier_changes(s, q));
            lua_rawseti(L, -2, (int)q + 1);
        }
        lua_pop(L, 1);
    }
    new_field(L, "monte_carlo_weights", (int)runs, 0);
    for (size_t i = 0; i < runs; i++) {
        push_weights(L, ns, s, i, jql_sensitivity_run_weight);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_pop(L, 1);
    new_field(L, "units", (int)nu, 0);
    for (size_t k = 0; k < nu; k++) {
        push_sens_unit(L, s, k);
        lua_rawseti(L, -2, (int)k + 1);
    }
    lua_pop(L, 1);
    size_t np = jql_sensitivity_pair_count(s);
    new_field(L, "pairs", (int)np, 0);
    for (size_t k = 0; k < np; k++) {
        lua_createtable(L, 0, 4);
        jq_set_string(L, "above", jql_sensitivity_unit_id(s, k));
        jq_set_string(L, "below", jql_sensitivity_unit_id(s, k + 1));
        if (flags & JQL_SENS_MONTE_CARLO)
            set_whole(L, "flip_runs", (long long)jql_sensitivity_flip_runs(s, k));
        size_t sec = 0;
        jql_milli ch = 0;
        set_margin(L, s, "margin", jql_sensitivity_pair_margin(s, k, &sec, &ch), &sec, &ch);
        lua_rawseti(L, -2, (int)k + 1);
    }
    lua_pop(L, 1);
}

static void push_plans(lua_State *L, const jql_improvement_plans *p)
{
    luaL_checkstack(L, 8, "plans table");
    lua_createtable(L, 0, 4);
    jq_set_string(L, "format", JQL_PLANS_FORMAT);
    jq_set_string(L, "criteria", jql_improvement_plans_criteria(p));
    jq_set_string(L, "period", jql_improvement_plans_period(p));
    jq_set_string(L, "as_of", jql_improvement_plans_as_of(p)); /* NULL: absent */
    size_t nu = jql_improvement_plans_unit_count(p);
    new_field(L, "units", (int)nu, 0);
    for (size_t k = 0; k < nu; k++) {
        lua_createtable(L, 0, 11);
        jq_set_string(L, "id", jql_improvement_plans_unit_id(p, k));
        jq_set_string(L, "name", jql_improvement_plans_unit_name(p, k));
        set_milli(L, "final", jql_improvement_plans_unit_final(p, k));
        jq_set_string(L, "tier", jql_improvement_plans_unit_tier(p, k));
        jq_set_string(L, "next_tier", jql_improvement_plans_unit_next_tier(p, k));
        set_milli(L, "gap", jql_improvement_plans_unit_gap(p, k));
        jq_set_string(L, "held_back", jql_improvement_plans_unit_held_back(p, k));
        set_bool(L, "closes_gap", jql_improvement_plans_unit_closes_gap(p, k));
        set_milli(L, "final_with_plan", jql_improvement_plans_unit_final_with_plan(p, k));
        size_t n = jql_improvement_plans_step_count(p, k);
        new_field(L, "plan", (int)n, 0);
        for (size_t i = 0; i < n; i++) {
            lua_pushstring(L, jql_improvement_plans_step_id(p, k, i));
            lua_rawseti(L, -2, (int)i + 1);
        }
        lua_pop(L, 1);
        n = jql_improvement_plans_leaf_count(p, k);
        new_field(L, "leaves", (int)n, 0);
        for (size_t i = 0; i < n; i++) {
            lua_createtable(L, 0, 7);
            jq_set_string(L, "id", jql_improvement_plans_leaf_id(p, k, i));
            jq_set_string(L, "title", jql_improvement_plans_leaf_title(p, k, i));
            set_milli(L, "points", jql_improvement_plans_leaf_points(p, k, i));
            set_milli(L, "max", jql_improvement_plans_leaf_max(p, k, i));
            set_milli(L, "left", jql_improvement_plans_leaf_left(p, k, i));
            jq_set_string(L, "need", jql_improvement_plans_leaf_need(p, k, i));
            jq_set_string(L, "action", jql_improvement_plans_leaf_action(p, k, i));
            lua_rawseti(L, -2, (int)i + 1);
        }
        lua_pop(L, 1);
        lua_rawseti(L, -2, (int)k + 1);
    }
    lua_pop(L, 1);
}

/* The periods' as-of dates as jql_trend_to_json() writes them:
   jql_trend_as_of() as as_of, or, when the periods' dates vary,
   as_of_by_period (a date per period, nil for none); nothing when none
   has one. */
static void set_trend_as_of(lua_State *L, const jql_trend *t, size_t np)
{
    const char *shared = jql_trend_as_of(t);
    if (shared) {
        jq_set_string(L, "as_of", shared);
        return;
    }
    if (!jql_trend_as_of_varies(t))
        return;
    new_field(L, "as_of_by_period", (int)np, 0);
    for (size_t p = 0; p < np; p++)
        if (jql_trend_period_as_of(t, p)) {
            lua_pushstring(L, jql_trend_period_as_of(t, p));
            lua_rawseti(L, -2, (int)p + 1);
        }
    lua_pop(L, 1);
}

static void push_trend(lua_State *L, const jql_trend *t)
{
    luaL_checkstack(L, 8, "trend table");
    size_t np = jql_trend_period_count(t), nu = jql_trend_unit_count(t);
    lua_createtable(L, 0, 4);
    jq_set_string(L, "format", JQL_TREND_FORMAT);
    jq_set_string(L, "criteria", jql_trend_criteria(t));
    new_field(L, "periods", (int)np, 0);
    for (size_t p = 0; p < np; p++) {
        lua_pushstring(L, jql_trend_period_id(t, p));
        lua_rawseti(L, -2, (int)p + 1);
    }
    lua_pop(L, 1);
    set_trend_as_of(L, t, np);
    new_field(L, "units", (int)nu, 0);
    for (size_t i = 0; i < nu; i++) {
        lua_createtable(L, 0, 2);
        jq_set_string(L, "id", jql_trend_unit_id(t, i));
        new_field(L, "periods", (int)np, 0);
        for (size_t p = 0; p < np; p++) {
            lua_createtable(L, 0, 5);
            jq_set_string(L, "period", jql_trend_period_id(t, p));
            if (jql_trend_unit_present(t, i, p)) {
                set_milli(L, "final", jql_trend_unit_final(t, i, p));
                set_whole(L, "rank", (long long)jql_trend_unit_rank(t, i, p));
                jq_set_string(L, "tier", jql_trend_unit_tier(t, i, p));
            }
            long long mv = 0;
            set_change(L, "movement", jql_trend_unit_movement(t, i, p, &mv), &mv);
            lua_rawseti(L, -2, (int)p + 1);
        }
        lua_pop(L, 1);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_pop(L, 1);
}

/* The analysis object in guard @p obj: its JSON text, then its table. */
typedef int (*to_json_fn)(const void *, char **, size_t *);
typedef void (*push_fn)(lua_State *, const void *);

static int push_analysis(lua_State *L, jq_guard *obj, to_json_fn to_json, push_fn push)
{
    jq_guard *g = jq_guard_new(L, jq_free_mem);
    size_t len = 0;
    int rc = to_json(obj->p, (char **)&g->p, &len);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    lua_pushlstring(L, g->p, len);
    jq_guard_release(g);
    push(L, obj->p);
    return 2;
}

static int cmp_to_json(const void *p, char **o, size_t *n) { return jql_comparison_to_json(p, o, n); }
static void cmp_push(lua_State *L, const void *p) { push_comparison(L, p); }
static void free_cmp(void *p) { jql_comparison_free(p); }
static int sens_to_json(const void *p, char **o, size_t *n) { return jql_sensitivity_to_json(p, o, n); }
static void sens_push(lua_State *L, const void *p) { push_sensitivity(L, p); }
static int plans_to_json(const void *p, char **o, size_t *n)
{
    return jql_improvement_plans_to_json(p, o, n);
}
static void plans_push(lua_State *L, const void *p) { push_plans(L, p); }
static void free_plans(void *p) { jql_improvement_plans_free(p); }
static int trend_to_json(const void *p, char **o, size_t *n) { return jql_trend_to_json(p, o, n); }
static void trend_push(lua_State *L, const void *p) { push_trend(L, p); }
static void free_trend(void *p) { jql_trend_free(p); }

static jq_criteria_ud *editable(lua_State *L)
{
    jq_criteria_ud *cu = jq_check_criteria(L, 1);
    if (cu->busy > 0)
        luaL_error(L, "cannot edit the criteria set while it is scoring");
    return cu;
}

/* After an edit: true, warnings; or nil, message, code, errors. */
static int edit_result(lua_State *L, int rc, jq_guard *diag)
{
    if (rc != JQL_OK) {
        jq_fail(L, rc);
        jq_push_diagnostics(L, diag->p);
        jq_guard_release(diag);
        return 4;
    }
    lua_pushboolean(L, 1);
    jq_push_diagnostics(L, diag->p);
    jq_guard_release(diag);
    return 2;
}

/* criteria:to_json() -> canonical JSON text */
static int cr_to_json(lua_State *L)
{
    jq_criteria_ud *cu = jq_check_criteria(L, 1);
    jq_guard *g = jq_guard_new(L, jq_free_mem);
    size_t len = 0;
    jql_clear_error();
    int rc = jql_criteria_to_json(cu->c, (char **)&g->p, &len);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    lua_pushlstring(L, g->p, len);
    jq_guard_release(g);
    return 1;
}

/* criteria:save(path) -> true | nil, message, code */
static int cr_save(lua_State *L)
{
    jq_criteria_ud *cu = jq_check_criteria(L, 1);
    const char *path = luaL_checkstring(L, 2);
    jql_clear_error();
    int rc = jql_criteria_save_path(cu->c, path);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    lua_pushboolean(L, 1);
    return 1;
}

/* criteria:clone() -> a copy with the same Lua functions registered */
static int cr_clone(lua_State *L)
{
    jq_criteria_ud *cu = jq_check_criteria(L, 1);
    lua_settop(L, 1);
    /* a fresh userdata through the loader, then swap in the copy */
    lua_pushcfunction(L, jq_loads_criteria);
    lua_pushcfunction(L, cr_to_json);
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1);
    lua_call(L, 1, 3);
    if (lua_isnil(L, 2))
        return 3;
    lua_settop(L, 2);
    /* re-register each function on the copy (it must call into its own userdata) */
    jqc_getuservalue(L, 1);
    lua_getfield(L, -1, "functions");
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        lua_getfield(L, 2, "register");
        lua_pushvalue(L, 2);
        lua_pushvalue(L, -4); /* name */
        lua_pushvalue(L, -4); /* function */
        lua_call(L, 3, 3);
        if (lua_isnil(L, -3))
            return 3;
        lua_pop(L, 4); /* 3 results and the value */
    }
    (void)cu;
    lua_settop(L, 2);
    return 1;
}

/* criteria:set_max(id, max [, keep_total]) */
static int cr_set_max(lua_State *L)
{
    jq_criteria_ud *cu = editable(L);
    const char *id = luaL_checkstring(L, 2);
    jql_milli max = jq_check_milli(L, 3);
    unsigned flags = lua_toboolean(L, 4) ? JQL_EDIT_KEEP_TOTAL : 0;
    jq_guard *diag = jq_guard_new(L, jq_free_diag);
    jql_clear_error();
    int rc = jql_criteria_set_max(cu->c, id, max, flags, (jql_diagnostics **)&diag->p);
    return edit_result(L, rc, diag);
}

/* criteria:set_condition(id, band (1-based) | nil, bound, value | nil) */
static int cr_set_condition(lua_State *L)
{
    jq_criteria_ud *cu = editable(L);
    const char *id = luaL_checkstring(L, 2);
    size_t band = JQL_NONE;
    if (!lua_isnoneornil(L, 3)) {
        lua_Integer b = luaL_checkinteger(L, 3);
        if (b < 1)
            return luaL_argerror(L, 3, "band indices start at 1");
        band = (size_t)(b - 1);
    }
    jql_bound bound;
    if (jql_bound_from_name(luaL_checkstring(L, 4), &bound) != JQL_OK)
        return jq_bad_name(L, 4);
    bool present = !lua_isnoneornil(L, 5);
    jql_milli v = present ? jq_check_milli(L, 5) : 0;
    jq_guard *diag = jq_guard_new(L, jq_free_diag);
    jql_clear_error();
    int rc = jql_criteria_set_condition(cu->c, id, band, bound, present, v,
                                        (jql_diagnostics **)&diag->p);
    return edit_result(L, rc, diag);
}

/* criteria:set_band_points(id, band (1-based), points) */
static int cr_set_band_points(lua_State *L)
{
    jq_criteria_ud *cu = editable(L);
    const char *id = luaL_checkstring(L, 2);
    lua_Integer b = luaL_checkinteger(L, 3);
    if (b < 1)
        return luaL_argerror(L, 3, "band indices start at 1");
    jql_milli p = jq_check_milli(L, 4);
    jq_guard *diag = jq_guard_new(L, jq_free_diag);
    jql_clear_error();
    int rc = jql_criteria_set_band_points(cu->c, id, (size_t)(b - 1), p,
                                          (jql_diagnostics **)&diag->p);
    return edit_result(L, rc, diag);
}

typedef int (*edit_fn)(jql_criteria *, const char *, jql_milli, jql_diagnostics **);

static int simple_edit(lua_State *L, edit_fn fn)
{
    jq_criteria_ud *cu = editable(L);
    const char *id = luaL_checkstring(L, 2);
    jql_milli v = jq_check_milli(L, 3);
    jq_guard *diag = jq_guard_new(L, jq_free_diag);
    jql_clear_error();
    int rc = fn(cu->c, id, v, (jql_diagnostics **)&diag->p);
    return edit_result(L, rc, diag);
}

static int cr_set_target(lua_State *L) { return simple_edit(L, jql_criteria_set_target); }
static int cr_set_tier_min(lua_State *L) { return simple_edit(L, jql_criteria_set_tier_min); }
static int cr_set_quota_share(lua_State *L)
{
    return simple_edit(L, jql_criteria_set_quota_share);
}

/* criteria:set_enabled(id, enabled) */
static int cr_set_enabled(lua_State *L)
{
    jq_criteria_ud *cu = editable(L);
    const char *id = luaL_checkstring(L, 2);
    luaL_checktype(L, 3, LUA_TBOOLEAN);
    bool on = lua_toboolean(L, 3);
    jq_guard *diag = jq_guard_new(L, jq_free_diag);
    jql_clear_error();
    int rc = jql_criteria_set_enabled(cu->c, id, on, (jql_diagnostics **)&diag->p);
    return edit_result(L, rc, diag);
}

static jq_results_ud *check_results(lua_State *L, int idx)
{
    jq_results_ud *ud = luaL_checkudata(L, idx, JQ_MT_RESULTS);
    if (ud->r == NULL)
        luaL_argerror(L, idx, "results are closed");
    return ud;
}

/* The criteria set results were scored with (kept in their user value). */
static jq_criteria_ud *results_criteria(lua_State *L, int idx)
{
    jqc_getuservalue(L, idx);
    lua_getfield(L, -1, "criteria");
    jq_criteria_ud *cu = luaL_checkudata(L, -1, JQ_MT_CRITERIA);
    if (cu->c == NULL)
        luaL_error(L, "the criteria set of these results is closed");
    lua_pop(L, 2); /* still referenced by the results' user value */
    return cu;
}

/* before:compare(after) -> json, table */
static int rs_compare(lua_State *L)
{
    jq_results_ud *x = check_results(L, 1), *y = check_results(L, 2);
    jq_guard *c = jq_guard_new(L, free_cmp);
    jql_clear_error();
    int rc = jql_results_compare(x->r, y->r, (jql_comparison **)&c->p);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    return push_analysis(L, c, cmp_to_json, cmp_push);
}

/* results:plans() -> json, table */
static int rs_plans(lua_State *L)
{
    jq_results_ud *r = check_results(L, 1);
    jq_criteria_ud *cu = results_criteria(L, 1);
    jq_guard *p = jq_guard_new(L, free_plans);
    jql_clear_error();
    int rc = jql_improvement_plans_compute(r->r, cu->c, (jql_improvement_plans **)&p->p);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    return push_analysis(L, p, plans_to_json, plans_push);
}

/* r:write_plans(file): the bytes of r:plans():to_json() streamed to
   file:write(chunk), one unit's plan at a time (jql_improvement_plans_write_cb). */
static int rs_write_plans(lua_State *L)
{
    jq_results_ud *r = check_results(L, 1);
    jq_criteria_ud *cu = results_criteria(L, 1);
    jq_sink s;
    jq_sink_begin(L, 2, &s);
    jql_clear_error();
    r->busy++; /* write may call anything: not closing either meanwhile */
    cu->busy++;
    int rc = jql_improvement_plans_write_cb(r->r, cu->c, jq_sink_chunk, &s);
    r->busy--;
    cu->busy--;
    return jq_sink_end(L, &s, rc);
}

static void free_sens(void *p) { jql_sensitivity_free(p); }

/* A seed: a whole number (exact up to 2^53 in every Lua) or a decimal string. */
static uint64_t check_seed(lua_State *L, int idx)
{
    if (lua_type(L, idx) == LUA_TSTRING) {
        const char *s = lua_tostring(L, idx);
        char *end;
        if (*s < '0' || *s > '9')
            luaL_argerror(L, idx, "seed: a whole number");
        unsigned long long v = strtoull(s, &end, 10);
        if (*end)
            luaL_argerror(L, idx, "seed: a whole number");
        return v;
    }
    lua_Number n = luaL_checknumber(L, idx);
    if (n < 0 || n > 9007199254740992.0 || n != (lua_Number)(uint64_t)n)
        luaL_argerror(L, idx, "seed: a whole number from 0 to 2^53 (a string for more)");
    return (uint64_t)n;
}

/* results:sensitivity{percent=10, runs=1000, seed=0, one_at_a_time=true,
   monte_carlo=true, margins=true, leaves=false} -> json, table */
static int rs_sensitivity(lua_State *L)
{
    jq_results_ud *r = check_results(L, 1);
    jq_criteria_ud *cu = results_criteria(L, 1);
    jql_sensitivity_options o = JQL_SENSITIVITY_OPTIONS_INIT;
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        lua_getfield(L, 2, "percent");
        if (!lua_isnil(L, -1))
            o.percent = jq_check_milli(L, -1);
        lua_getfield(L, 2, "runs");
        if (!lua_isnil(L, -1)) {
            lua_Number n = luaL_checknumber(L, -1);
            if (n < 0 || n > JQL_SENS_MAX_RUNS || n != (lua_Number)(unsigned)n)
                return luaL_argerror(L, 2, "runs: a whole number from 0 to 1000000");
            o.runs = (unsigned)n;
        }
        lua_getfield(L, 2, "seed");
        if (!lua_isnil(L, -1))
            o.seed = check_seed(L, lua_gettop(L));
        static const struct {
            const char *key;
            unsigned flag;
        } fl[] = {{"one_at_a_time", JQL_SENS_ONE_AT_A_TIME},
                  {"monte_carlo", JQL_SENS_MONTE_CARLO},
                  {"margins", JQL_SENS_MARGINS},
                  {"leaves", JQL_SENS_LEAVES}};
        for (size_t i = 0; i < 4; i++) {
            lua_getfield(L, 2, fl[i].key);
            if (lua_isboolean(L, -1) && !lua_toboolean(L, -1))
                o.flags &= ~fl[i].flag;
            else if (lua_toboolean(L, -1))
                o.flags |= fl[i].flag;
        }
        lua_settop(L, 2);
    }
    jq_guard *sg = jq_guard_new(L, free_sens);
    jql_clear_error();
    int rc = jql_sensitivity_run(r->r, cu->c, &o, (jql_sensitivity **)&sg->p);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    return push_analysis(L, sg, sens_to_json, sens_push);
}

/* jq.score_periods(ds, criteria, {periods} [, options]) -> json, table, {results}
   (each period scored by jq.score with the options, so Lua custom functions work) */
static int jq_score_periods(lua_State *L)
{
    jq_check_dataset(L, 1);
    jq_check_criteria(L, 2);
    luaL_checktype(L, 3, LUA_TTABLE);
    if (!lua_isnoneornil(L, 4))
        luaL_checktype(L, 4, LUA_TTABLE);
    lua_settop(L, 4);
    size_t n = jqc_rawlen(L, 3);
    if (n == 0 || n > JQL_TREND_MAX_PERIODS)
        return luaL_argerror(L, 3, "1 to 64 period ids");
    /* jq.score's options, checked as it checks them before any period is
       scored (every period is then scored with them) */
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    o.allow_empty_name = JQ_ALLOW_EMPTY_NAME;
    char as_of[JQ_AS_OF_BYTES];
    if (lua_istable(L, 4)) {
        jq_score_options(L, 4, &o, as_of);
        lua_getfield(L, 4, "period");
        if (!lua_isnil(L, -1))
            return luaL_argerror(L, 4, "no period option: the periods are the third argument");
        lua_pop(L, 1);
    }
    /* the results are all kept: together they get one scoring's
       (JQL_MAX_SCORE_RESULTS; 64 periods of 1,000 units x 4,400 criteria
       would hold 18 GB); each period's bound is the smaller of its share
       and the caller's max_results */
    size_t share = JQL_MAX_SCORE_RESULTS / n;
    size_t own = o.max_results ? o.max_results : JQL_MAX_SCORE_RESULTS;
    int shared = share < own;
    lua_createtable(L, (int)n, 0); /* 5: the results */
    lua_createtable(L, 0, 8);      /* 6: jq.score's options: the caller's, and the bound */
    if (lua_istable(L, 4)) {
        lua_pushnil(L);
        while (lua_next(L, 4)) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, 6);
        }
    }
    lua_pushnumber(L, (lua_Number)(shared ? share : own));
    lua_setfield(L, 6, "max_results");
    const jql_results *rs[JQL_TREND_MAX_PERIODS];
    for (size_t p = 0; p < n; p++) {
        lua_pushcfunction(L, jq_score);
        lua_pushvalue(L, 1);
        lua_pushvalue(L, 2);
        lua_rawgeti(L, 3, (int)p + 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            return luaL_argerror(L, 3, "period ids are strings");
        lua_pushvalue(L, 6);
        lua_call(L, 4, 3);
        /* a limit names the period it arose in (as jql_score_periods_with
           does), and the share when that was the bound passed (not the
           veto checks, the evidence...) */
        if (lua_isnil(L, -3) && lua_type(L, -1) == LUA_TSTRING &&
            strcmp(lua_tostring(L, -1), "limit") == 0) {
            lua_rawgeti(L, 3, (int)p + 1);
            char bound[64]; /* the share named only when it is the limit passed */
            snprintf(bound, sizeof bound, "limit of %zu results", share);
            if (shared && strstr(lua_tostring(L, -3), bound))
                lua_pushfstring(L, "score_periods: period %s: %d periods share %d results, "
                                   "%d each: %s", lua_tostring(L, -1), (int)n,
                                (int)JQL_MAX_SCORE_RESULTS, (int)share, lua_tostring(L, -3));
            else
                lua_pushfstring(L, "score_periods: period %s: %s", lua_tostring(L, -1),
                                lua_tostring(L, -3));
            lua_replace(L, -4);
            lua_pop(L, 1);
        }
        if (lua_isnil(L, -3))
            return 3;
        lua_pop(L, 2);
        rs[p] = check_results(L, -1)->r;
        lua_rawseti(L, 5, (int)p + 1);
    }
    jq_guard *t = jq_guard_new(L, free_trend);
    jql_clear_error();
    int rc = jql_results_trend(rs, n, (jql_trend **)&t->p);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    if (push_analysis(L, t, trend_to_json, trend_push) != 2)
        return 3;
    lua_pushvalue(L, 5);
    return 3;
}

static void add(lua_State *L, const luaL_Reg *fns)
{
    for (; fns->name; fns++) {
        lua_pushcfunction(L, fns->func);
        lua_setfield(L, -2, fns->name);
    }
}

void jq_open_analysis(lua_State *L)
{
    static const luaL_Reg cr[] = {
        {"to_json", cr_to_json},       {"save", cr_save},
        {"clone", cr_clone},           {"set_max", cr_set_max},
        {"set_condition", cr_set_condition}, {"set_band_points", cr_set_band_points},
        {"set_target", cr_set_target}, {"set_tier_min", cr_set_tier_min},
        {"set_quota_share", cr_set_quota_share}, {"set_enabled", cr_set_enabled},
        {NULL, NULL}};
    static const luaL_Reg rs[] = {{"compare", rs_compare},
                                  {"sensitivity", rs_sensitivity},
                                  {"plans", rs_plans},
                                  {"write_plans", rs_write_plans},
                                  {NULL, NULL}};
    static const luaL_Reg mod[] = {{"score_periods", jq_score_periods}, {NULL, NULL}};
    luaL_getmetatable(L, JQ_MT_CRITERIA);
    lua_getfield(L, -1, "__index");
    add(L, cr);
    lua_pop(L, 2);
    luaL_getmetatable(L, JQ_MT_RESULTS);
    lua_getfield(L, -1, "methods");
    add(L, rs);
    lua_pop(L, 2);
    add(L, mod); /* the module table is on top */
}
