/*
 * Lua binding: criteria sets, custom leaf methods written in Lua, and
 * jq.score.
 *
 * Custom methods: criteria:register(name, fn) stores fn in the criteria
 * userdata's user value (a table) and registers one C callback with the
 * library. While jq.score runs, the criteria userdata records the running
 * lua_State and a prepared closure; the C callback calls that closure with
 * lua_pcall, so a Lua error never unwinds through the C library: it becomes
 * the callback's error message and jq.score returns nil, message.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jq_lua.h"

/* What the library keeps for one registered function (freed by it). */
typedef struct {
    jq_criteria_ud *owner;
    lua_Alloc alloc;
    void *alloc_ud;
    size_t size;
    char name[];
} custom_user;

/* The state of one callback invocation, passed to the protected call. */
typedef struct {
    custom_user *user;
    jql_custom_ctx *ctx;
    jql_milli points;
} custom_call;

static void custom_user_free(void *p)
{
    custom_user *u = p;
    u->alloc(u->alloc_ud, u, u->size, 0);
}

/* ------------------------------------------------------------------ */
/* Userdata                                                            */
/* ------------------------------------------------------------------ */

static jq_criteria_ud *new_criteria_ud(lua_State *L)
{
    jq_criteria_ud *ud = lua_newuserdata(L, sizeof *ud);
    memset(ud, 0, sizeof *ud);
    jqc_setmetatable(L, JQ_MT_CRITERIA);
    lua_createtable(L, 0, 2); /* user value: {functions = {name = fn}, warnings = {...}} */
    lua_newtable(L);
    lua_setfield(L, -2, "functions");
    jqc_setuservalue(L, -2);
    return ud;
}

jq_criteria_ud *jq_check_criteria(lua_State *L, int idx)
{
    jq_criteria_ud *ud = luaL_checkudata(L, idx, JQ_MT_CRITERIA);
    if (ud->c == NULL)
        luaL_argerror(L, idx, "criteria set is closed");
    return ud;
}

/* criteria:warnings() -> the warnings found when it was loaded */
static int cr_warnings(lua_State *L)
{
    jq_check_criteria(L, 1);
    return jq_push_warnings(L);
}

int jq_load_criteria(lua_State *L)
{
    const char *path = jq_checkstring(L, 1);
    jql_load_options lo;
    jq_load_options(L, 2, &lo);
    jq_criteria_ud *ud = new_criteria_ud(L);
    jq_guard *diag = jq_guard_new(L, jq_free_diag);
    jql_clear_error();
    int rc = jql_criteria_load_path_ext(path, &lo, &ud->c, (jql_diagnostics **)&diag->p);
    return jq_load_result(L, rc, diag);
}

int jq_loads_criteria(lua_State *L)
{
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    const char *source = jq_optstring(L, 2, "<memory>");
    jql_load_options lo;
    jq_load_options(L, 3, &lo);
    jq_criteria_ud *ud = new_criteria_ud(L);
    jq_guard *diag = jq_guard_new(L, jq_free_diag);
    jql_clear_error();
    int rc = jql_criteria_load_buffer_ext(text, len, source, &lo, &ud->c,
                                          (jql_diagnostics **)&diag->p);
    return jq_load_result(L, rc, diag);
}

/* ------------------------------------------------------------------ */
/* Accessors                                                           */
/* ------------------------------------------------------------------ */

static void push_opt_string(lua_State *L, const char *s)
{
    if (s == NULL)
        lua_pushnil(L);
    else
        lua_pushstring(L, s);
}

static int cr_id(lua_State *L)
{
    push_opt_string(L, jql_criteria_id(jq_check_criteria(L, 1)->c));
    return 1;
}

static int cr_name(lua_State *L)
{
    push_opt_string(L, jql_criteria_name(jq_check_criteria(L, 1)->c));
    return 1;
}

static int cr_period(lua_State *L)
{
    push_opt_string(L, jql_criteria_period(jq_check_criteria(L, 1)->c));
    return 1;
}

static int cr_scale(lua_State *L)
{
    jq_push_milli(L, jql_criteria_scale(jq_check_criteria(L, 1)->c));
    return 1;
}

static int cr_nodes(lua_State *L)
{
    const jql_criteria *c = jq_check_criteria(L, 1)->c;
    size_t n = jql_criteria_node_count(c);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_createtable(L, 0, 5);
        jq_set_string(L, "id", jql_criteria_node_id(c, i));
        jq_set_string(L, "title", jql_criteria_node_title(c, i));
        jq_push_milli(L, jql_criteria_node_max(c, i));
        lua_setfield(L, -2, "max");
        size_t p = jql_criteria_node_parent(c, i);
        if (p != JQL_NONE)
            jq_set_string(L, "parent", jql_criteria_node_id(c, p));
        lua_pushboolean(L, jql_criteria_node_is_leaf(c, i));
        lua_setfield(L, -2, "leaf");
        lua_rawseti(L, -2, (int)i + 1);
    }
    return 1;
}

static int cr_tiers(lua_State *L)
{
    const jql_criteria *c = jq_check_criteria(L, 1)->c;
    size_t n = jql_criteria_tier_count(c);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_createtable(L, 0, 3);
        jq_set_string(L, "id", jql_criteria_tier_id(c, i));
        jq_set_string(L, "name", jql_criteria_tier_name(c, i));
        jq_push_milli(L, jql_criteria_tier_min(c, i));
        lua_setfield(L, -2, "min");
        lua_rawseti(L, -2, (int)i + 1);
    }
    return 1;
}

/* criteria:check(ds) -> true, warnings | nil, message, errors */
static int cr_check(lua_State *L)
{
    const jql_criteria *c = jq_check_criteria(L, 1)->c;
    const jql_dataset *ds = jq_check_dataset(L, 2)->ds;
    jq_guard *diag = jq_guard_new(L, jq_free_diag);
    jql_clear_error();
    int rc = jql_criteria_check(c, ds, (jql_diagnostics **)&diag->p);
    if (rc == JQL_OK) {
        lua_pushboolean(L, 1);
        jq_push_diagnostics(L, diag->p);
        jq_guard_release(diag);
        return 2;
    }
    lua_pushnil(L);
    jq_push_diag_message(L, diag->p, rc);
    jq_push_diagnostics(L, diag->p);
    jq_guard_release(diag);
    return 3;
}

/* ------------------------------------------------------------------ */
/* Custom methods                                                      */
/* ------------------------------------------------------------------ */

/* ctx:points_from_ratio(num, den): num/den of the leaf's max by
 * jql_custom_points_from_ratio() (the engine's rounding); num and den as
 * points (numbers with at most 3 decimals, or decimal strings). Returns the
 * points, or nil, message, "invalid" for den <= 0. Upvalues: the criteria
 * userdata, the number of the call whose context holds it. */
static int ctx_points_from_ratio(lua_State *L)
{
    jq_criteria_ud *cu = lua_touserdata(L, lua_upvalueindex(1));
    luaL_checktype(L, 1, LUA_TTABLE);
    jql_milli num = jq_check_milli(L, 2), den = jq_check_milli(L, 3), points = 0;
    if (cu->cc == NULL || cu->live_serial != lua_tonumber(L, lua_upvalueindex(2)))
        return luaL_error(L, "ctx:points_from_ratio: the context of a custom function is valid "
                             "only during the call that received it");
    jql_clear_error();
    int rc = jql_custom_points_from_ratio(cu->cc, num, den, &points);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    jq_push_milli(L, points);
    return 1;
}

/* Runs protected. Upvalues: the dataset userdata, the functions table, the
 * criteria userdata. Argument: the custom_call. */
static int custom_protected(lua_State *L)
{
    custom_call *call = lua_touserdata(L, 1);
    const char *name = call->user->name;
    lua_getfield(L, lua_upvalueindex(2), name);
    if (!lua_isfunction(L, -1))
        return luaL_error(L, "custom function '%s' is not registered", name);
    jql_custom_ctx *cc = call->ctx;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushstring(L, jql_custom_unit_id(cc));
    lua_pushstring(L, jql_custom_period(cc));
    lua_pushstring(L, jql_custom_node_id(cc));
    /* 5th argument, ignored by functions taking four: the context as a
       table (indices 1-based as in Lua lists, max in points) */
    lua_createtable(L, 0, 7);
    lua_pushvalue(L, lua_upvalueindex(3));
    lua_pushnumber(L, call->user->owner->live_serial);
    lua_pushcclosure(L, ctx_points_from_ratio, 2);
    lua_setfield(L, -2, "points_from_ratio");
    lua_pushstring(L, jql_custom_node_id(cc));
    lua_setfield(L, -2, "node_id");
    lua_pushnumber(L, (lua_Number)jql_custom_node_index(cc) + 1);
    lua_setfield(L, -2, "node_index");
    jq_push_milli(L, jql_custom_node_max(cc));
    lua_setfield(L, -2, "max");
    lua_pushstring(L, jql_custom_unit_id(cc));
    lua_setfield(L, -2, "unit_id");
    lua_pushnumber(L, (lua_Number)jql_custom_unit_index(cc) + 1);
    lua_setfield(L, -2, "unit_index");
    lua_pushstring(L, jql_custom_period(cc));
    lua_setfield(L, -2, "period");
    lua_call(L, 5, 1);
    if (lua_type(L, -1) != LUA_TNUMBER)
        return luaL_error(L, "custom function '%s' returned %s, expected a number", name,
                          luaL_typename(L, -1));
    jql_milli v;
#if JQC_HAS_INTEGERS
    if (lua_isinteger(L, -1)) {
        lua_Integer i = lua_tointeger(L, -1);
        v = i > JQL_MILLI_MAX / 1000    ? JQL_MILLI_MAX
            : i < -JQL_MILLI_MAX / 1000 ? -JQL_MILLI_MAX
                                        : (jql_milli)i * 1000;
        call->points = v;
        return 0;
    }
#endif
    lua_Number d = lua_tonumber(L, -1);
    if (isnan(d))
        return luaL_error(L, "custom function '%s' returned NaN", name);
    /* Points are rounded once to thousandths (half away from zero); the
     * engine then clamps them to [0, max]. */
    double x = d * 1000.0;
    if (x > (double)JQL_MILLI_MAX)
        v = JQL_MILLI_MAX;
    else if (x < -(double)JQL_MILLI_MAX)
        v = -JQL_MILLI_MAX;
    else
        v = (jql_milli)round(x);
    call->points = v;
    return 0;
}

static int custom_callback(void *user, jql_custom_ctx *cc)
{
    custom_user *u = user;
    lua_State *L = u->owner->L;
    char errbuf[512];
    if (L == NULL) {
        snprintf(errbuf, sizeof errbuf, "custom function '%s' called outside jq.score", u->name);
        jql_custom_set_error(cc, errbuf);
        return -1;
    }
    custom_call call = {u, cc, 0};
    /* A custom function may score again (nested calls): restore after. */
    jq_criteria_ud *cu = u->owner;
    jql_custom_ctx *saved_cc = cu->cc;
    lua_Number saved_serial = cu->live_serial;
    cu->cc = cc;
    cu->live_serial = ++cu->call_serial;
    int top = lua_gettop(L);
    /* jq.score reserved stack space; these pushes do not allocate. */
    lua_pushvalue(L, u->owner->closure_index);
    lua_pushlightuserdata(L, &call);
    int failed = lua_pcall(L, 1, 0, 0) != 0;
    cu->cc = saved_cc;
    cu->live_serial = saved_serial;
    if (failed) {
        if (lua_type(L, -1) == LUA_TSTRING)
            jql_custom_set_error(cc, lua_tostring(L, -1));
        else {
            snprintf(errbuf, sizeof errbuf, "custom function '%s' raised a %s value", u->name,
                     lua_typename(L, lua_type(L, -1)));
            jql_custom_set_error(cc, errbuf);
        }
        lua_settop(L, top);
        return -1;
    }
    lua_settop(L, top);
    return jql_custom_set_points(cc, call.points) == JQL_OK ? 0 : -1;
}

/* criteria:register(name, function(ds, unit_id, period, node_id, ctx) return points end);
   ctx = {node_id, node_index, max, unit_id, unit_index, period, points_from_ratio}
   may be ignored */
static int cr_register(lua_State *L)
{
    jq_criteria_ud *cu = jq_check_criteria(L, 1);
    size_t len;
    const char *name = luaL_checklstring(L, 2, &len);
    luaL_checktype(L, 3, LUA_TFUNCTION);
    if (strlen(name) != len)
        return luaL_argerror(L, 2, "name contains a NUL byte");
    if (cu->busy > 0)
        return luaL_error(L, "cannot register a function while the criteria set is scoring");
    lua_settop(L, 3);
    void *alloc_ud;
    lua_Alloc alloc = lua_getallocf(L, &alloc_ud);
    size_t size = sizeof(custom_user) + len + 1;
    custom_user *u = alloc(alloc_ud, NULL, 0, size);
    if (u == NULL)
        return luaL_error(L, "not enough memory");
    u->owner = cu;
    u->alloc = alloc;
    u->alloc_ud = alloc_ud;
    u->size = size;
    memcpy(u->name, name, len + 1);
    jql_clear_error();
    int rc = jql_criteria_custom_register(cu->c, name, custom_callback, u, custom_user_free);
    if (rc != JQL_OK) {
        custom_user_free(u);
        return jq_fail(L, rc);
    }
    /* The function lives in the criteria userdata's user value table. */
    jqc_getuservalue(L, 1);
    lua_getfield(L, -1, "functions");
    lua_pushvalue(L, 3);
    lua_setfield(L, -2, name);
    lua_pushboolean(L, 1);
    return 1;
}

/* ------------------------------------------------------------------ */
/* Scoring                                                             */
/* ------------------------------------------------------------------ */

int jq_score_options(lua_State *L, int idx, jql_score_options *opts, char *as_of)
{
    lua_getfield(L, idx, "as_of");
    if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
        return luaL_argerror(L, idx, "as_of must be a string \"YYYY-MM-DD\"");
    if (!lua_isnil(L, -1)) {
        snprintf(as_of, JQ_AS_OF_BYTES, "%s", jq_tostring(L, -1)); /* NUL refused */
        opts->as_of = as_of;
    }
    lua_pop(L, 1);
    lua_getfield(L, idx, "allow_empty");
    if (lua_toboolean(L, -1))
        opts->flags |= JQL_SCORE_ALLOW_EMPTY;
    lua_pop(L, 1);
    lua_getfield(L, idx, "evidence"); /* false: JQL_SCORE_NO_EVIDENCE */
    if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TBOOLEAN)
        return luaL_argerror(L, idx, "evidence must be a boolean");
    if (lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1))
        opts->flags |= JQL_SCORE_NO_EVIDENCE;
    lua_pop(L, 1);
    /* the limits of one scoring (nil: the defaults) */
    static const char *const limit_names[] = {"max_results", "max_veto_checks",
                                              "max_veto_text", "max_evidence"};
    size_t *limits[] = {&opts->max_results, &opts->max_veto_checks, &opts->max_veto_text,
                        &opts->max_evidence};
    for (int i = 0; i < 4; i++) {
        lua_getfield(L, idx, limit_names[i]);
        if (!lua_isnil(L, -1)) {
            if (lua_type(L, -1) != LUA_TNUMBER)
                return luaL_argerror(L, idx, "a limit must be a positive number");
            lua_Number n = lua_tonumber(L, -1);
            if (!(n >= 1 && n <= 9007199254740992.0))
                return luaL_argerror(L, idx, "a limit must be a positive number");
            *limits[i] = (size_t)n;
        }
        lua_pop(L, 1);
    }
    /* threads to score on (nil: 1). Never JQL_SCORE_CUSTOM_ANY_THREAD: a
       Lua custom function runs in this lua_State (cu->L), which only the
       thread of jq.score may enter, so a criteria set with a custom leaf
       is scored on this thread alone. */
    lua_getfield(L, idx, "threads");
    if (!lua_isnil(L, -1)) {
        lua_Number n = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : 0;
        if (!(n >= 1 && n <= 9007199254740992.0) || n != floor(n))
            return luaL_argerror(L, idx, "threads must be a whole number from 1");
        /* the library starts at most JQL_SCORE_MAX_THREADS */
        opts->threads = n > JQL_SCORE_MAX_THREADS ? JQL_SCORE_MAX_THREADS : (unsigned)n;
    }
    lua_pop(L, 1);
    return 0;
}

int jq_score(lua_State *L)
{
    jq_dataset_ud *du = jq_check_dataset(L, 1);
    jq_criteria_ud *cu = jq_check_criteria(L, 2);
    /* jq.score(ds, c [, period] [, {as_of = "YYYY-MM-DD", allow_empty = true, evidence = false,
       max_results = n, max_veto_checks = n, max_veto_text = n, max_evidence = n,
       threads = n}]); the options table may also stand in third place, with an
       optional `period`. */
    jql_score_options opts = JQL_SCORE_OPTIONS_INIT;
    opts.allow_empty_name = JQ_ALLOW_EMPTY_NAME;
    int opt_index = 0;
    if (lua_istable(L, 3))
        opt_index = 3;
    else if (lua_istable(L, 4))
        opt_index = 4;
    else if (!lua_isnoneornil(L, 4))
        return luaL_argerror(L, 4, "options table expected");
    const char *period = opt_index == 3 ? NULL : jq_optstring(L, 3, NULL);
    /* Copies: the options table is dropped below, before scoring (a longer
       text is no date, and stays none once cut). */
    char as_of[JQ_AS_OF_BYTES], pbuf[JQL_MAX_ID_BYTES + 2];
    if (opt_index) {
        jq_score_options(L, opt_index, &opts, as_of);
        if (opt_index == 3) {
            lua_getfield(L, 3, "period");
            if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
                return luaL_argerror(L, 3, "period must be a string");
            if (!lua_isnil(L, -1)) {
                const char *s = jq_tostring(L, -1); /* NUL refused */
                if (strlen(s) >= sizeof pbuf) /* lua_rawlen is not in 5.1 */
                    return luaL_argerror(L, 3, "period id too long");
                snprintf(pbuf, sizeof pbuf, "%s", s);
                period = pbuf;
            }
            lua_pop(L, 1);
            lua_pushnil(L);
            lua_replace(L, 3);
        }
    }
    lua_settop(L, 3);

    /* 4: the results userdata, made first so nothing below can leak. */
    jq_results_ud *ru = lua_newuserdata(L, sizeof *ru);
    ru->r = NULL;
    ru->busy = 0;
    jqc_setmetatable(L, JQ_MT_RESULTS);
    lua_createtable(L, 0, 4); /* keeps the inputs alive; caches JSON */
    lua_pushvalue(L, 1);
    lua_setfield(L, -2, "dataset");
    lua_pushvalue(L, 2);
    lua_setfield(L, -2, "criteria");
    jqc_setuservalue(L, 4);

    /* 5: the closure custom callbacks run in. */
    lua_pushvalue(L, 1);
    jqc_getuservalue(L, 2);
    lua_getfield(L, -1, "functions");
    lua_remove(L, -2);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, custom_protected, 3);
    luaL_checkstack(L, 16, "scoring");

    /* Nested jq.score calls (from a custom function) restore what they saved. */
    lua_State *saved_L = cu->L;
    int saved_index = cu->closure_index;
    cu->L = L;
    cu->closure_index = lua_gettop(L);
    du->busy++;
    cu->busy++;
    jql_clear_error();
    int rc = jql_score_with(du->ds, cu->c, period, &opts, &ru->r);
    du->busy--;
    cu->busy--;
    cu->L = saved_L;
    cu->closure_index = saved_index;
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    /* The collector cannot see the library's memory behind the small
     * userdata: account for a rough estimate of it so that dropped results
     * are collected at a pace matching their real size. */
    size_t units = jql_results_unit_count(ru->r), nodes = jql_results_node_count(ru->r);
    size_t kib = (1024 + units * (256 + nodes * 96)) / 1024;
    lua_gc(L, LUA_GCSTEP, kib > 1024 ? 1024 : (int)kib);
    lua_pushvalue(L, 4);
    return 1;
}

/* ------------------------------------------------------------------ */
/* Lifetime                                                            */
/* ------------------------------------------------------------------ */

/* close, __close and __gc alike: `busy` means a direct call during scoring
 * (the collector never finalizes a criteria set jq.score holds). */
static int cr_close(lua_State *L)
{
    jq_criteria_ud *ud = luaL_checkudata(L, 1, JQ_MT_CRITERIA);
    if (ud->busy > 0)
        return luaL_error(L, "criteria set cannot be closed while it is scoring");
    jql_criteria_free(ud->c);
    ud->c = NULL;
    return 0;
}

static int cr_tostring(lua_State *L)
{
    jq_criteria_ud *ud = luaL_checkudata(L, 1, JQ_MT_CRITERIA);
    if (ud->c == NULL)
        lua_pushfstring(L, "justice_quarterly.criteria (closed): %p", (void *)ud);
    else
        lua_pushfstring(L, "justice_quarterly.criteria (%s, %d nodes): %p",
                        jql_criteria_id(ud->c), (int)jql_criteria_node_count(ud->c),
                        (void *)ud);
    return 1;
}

static const luaL_Reg cr_methods[] = {
    {"id", cr_id},
    {"name", cr_name},
    {"period", cr_period},
    {"scale", cr_scale},
    {"nodes", cr_nodes},
    {"tiers", cr_tiers},
    {"check", cr_check},
    {"warnings", cr_warnings},
    {"register", cr_register},
    {"close", cr_close},
    {NULL, NULL},
};

void jq_open_criteria(lua_State *L)
{
    luaL_newmetatable(L, JQ_MT_CRITERIA);
    jqc_newlib(L, cr_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, cr_close);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, cr_close);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, cr_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "justice_quarterly.criteria");
    lua_setfield(L, -2, "__name");
    lua_pushliteral(L, "justice_quarterly.criteria");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
}
