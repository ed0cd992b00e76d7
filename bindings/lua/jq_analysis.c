/*
 * Lua binding: editing criteria sets and the what-if analysis
 * (docs/ANALYSIS.md). Thin: each method calls one C function; analyses
 * return the library's JSON text (byte-identical to jql-score and the
 * Python binding) and, second, that document decoded to a table. The
 * table comes from the text (jq_json.c), not from analysis.h's accessors:
 * those give only part of each document (a comparison's finals, ranks,
 * tiers, leaders and node points; a sensitivity's rank range, tier and flip
 * runs; nothing for plans and trends), while the documents also carry the
 * changes, counts, margins and weights the library computes; building the
 * rest here would compute them a second time.
 *
 * Band indices are 1-based here, like every Lua index.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "jq_lua.h"

/* Push text owned by the library (freed even if pushing fails), then the
   decoded table. Returns 2, or jq_fail's 3 on failure. */
static int push_text(lua_State *L, int rc, jq_guard *g, size_t len)
{
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    lua_pushlstring(L, g->p, len);
    jq_guard_release(g);
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    jq_json_decode(L, s, n);
    return 2;
}

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
    jq_guard *g = jq_guard_new(L, jq_free_mem);
    size_t len = 0;
    jql_clear_error();
    int rc = jql_results_compare_json(x->r, y->r, (char **)&g->p, &len);
    return push_text(L, rc, g, len);
}

/* results:plans() -> json, table */
static int rs_plans(lua_State *L)
{
    jq_results_ud *r = check_results(L, 1);
    jq_criteria_ud *cu = results_criteria(L, 1);
    jq_guard *g = jq_guard_new(L, jq_free_mem);
    size_t len = 0;
    jql_clear_error();
    int rc = jql_improvement_plans_json(r->r, cu->c, (char **)&g->p, &len);
    return push_text(L, rc, g, len);
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
    jq_guard *g = jq_guard_new(L, jq_free_mem);
    size_t len = 0;
    rc = jql_sensitivity_to_json(sg->p, (char **)&g->p, &len);
    return push_text(L, rc, g, len);
}

/* jq.score_periods(ds, criteria, {periods}) -> json, table, {results}
   (each period scored by jq.score, so Lua custom functions work) */
static int jq_score_periods(lua_State *L)
{
    jq_check_dataset(L, 1);
    jq_check_criteria(L, 2);
    luaL_checktype(L, 3, LUA_TTABLE);
    lua_settop(L, 3);
    size_t n = jqc_rawlen(L, 3);
    if (n == 0 || n > JQL_TREND_MAX_PERIODS)
        return luaL_argerror(L, 3, "1 to 64 period ids");
    lua_createtable(L, (int)n, 0); /* 4: the results */
    const jql_results *rs[JQL_TREND_MAX_PERIODS];
    for (size_t p = 0; p < n; p++) {
        lua_pushcfunction(L, jq_score);
        lua_pushvalue(L, 1);
        lua_pushvalue(L, 2);
        lua_rawgeti(L, 3, (int)p + 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            return luaL_argerror(L, 3, "period ids are strings");
        lua_call(L, 3, 3);
        if (lua_isnil(L, -3))
            return 3;
        lua_pop(L, 2);
        rs[p] = check_results(L, -1)->r;
        lua_rawseti(L, 4, (int)p + 1);
    }
    jq_guard *g = jq_guard_new(L, jq_free_mem);
    size_t len = 0;
    jql_clear_error();
    int rc = jql_results_trend_json(rs, n, (char **)&g->p, &len);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    lua_pushlstring(L, g->p, len);
    jq_guard_release(g);
    size_t tl;
    const char *t = lua_tolstring(L, -1, &tl);
    jq_json_decode(L, t, tl);
    lua_pushvalue(L, 4);
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
