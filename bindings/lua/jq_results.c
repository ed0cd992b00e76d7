/*
 * Lua binding: scoring results.
 *
 * results:to_json() is the library's jql_results_to_json() text, byte for
 * byte. Tables (results[i], results:units(), results:to_table()) are that
 * JSON decoded once, cached in the results' user value and copied out, so
 * they carry exactly the JSON fields; callers may modify the copies.
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "jq_lua.h"

static jq_results_ud *check_results(lua_State *L, int idx)
{
    jq_results_ud *ud = luaL_checkudata(L, idx, JQ_MT_RESULTS);
    if (ud->r == NULL)
        luaL_argerror(L, idx, "results are closed");
    return ud;
}

/* Push the JSON text (cached in the user value under "json"). */
static void push_json(lua_State *L, int idx)
{
    idx = jqc_absindex(L, idx);
    jq_results_ud *ud = check_results(L, idx);
    jqc_getuservalue(L, idx);
    lua_getfield(L, -1, "json");
    if (!lua_isnil(L, -1)) {
        lua_remove(L, -2);
        return;
    }
    lua_pop(L, 1);
    jq_guard *g = jq_guard_new(L, jq_free_mem);
    size_t len = 0;
    jql_clear_error();
    int rc = jql_results_to_json(ud->r, (char **)&g->p, &len);
    if (rc != JQL_OK)
        luaL_error(L, "%s", jql_last_error()[0] ? jql_last_error() : jql_strerror(rc));
    lua_pushlstring(L, g->p, len);
    jq_guard_release(g);
    lua_remove(L, -2); /* the guard */
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "json");
    lua_remove(L, -2); /* the user value */
}

/* Push the decoded document (cached under "doc"). Not a copy. */
static void push_doc(lua_State *L, int idx)
{
    idx = jqc_absindex(L, idx);
    check_results(L, idx);
    jqc_getuservalue(L, idx);
    lua_getfield(L, -1, "doc");
    if (!lua_isnil(L, -1)) {
        lua_remove(L, -2);
        return;
    }
    lua_pop(L, 1);
    push_json(L, idx);
    size_t len;
    const char *text = lua_tolstring(L, -1, &len);
    jq_json_decode(L, text, len);
    lua_remove(L, -2); /* the text */
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "doc");
    lua_remove(L, -2);
}

/* Deep copy of the table at the top (JSON-shaped: no cycles, no metatables). */
static void copy_table(lua_State *L)
{
    luaL_checkstack(L, 6, "results nested too deeply");
    int src = lua_gettop(L);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, src) != 0) {
        if (lua_istable(L, -1))
            copy_table(L); /* replaces the value with its copy */
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    lua_remove(L, src);
}

/* Push a copy of unit k (1-based), or nil. */
static void push_unit(lua_State *L, int idx, lua_Integer k)
{
    push_doc(L, idx);
    lua_getfield(L, -1, "units");
    lua_remove(L, -2);
    lua_rawgeti(L, -1, (int)k);
    lua_remove(L, -2);
    if (lua_istable(L, -1))
        copy_table(L);
}

static int rs_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)jql_results_unit_count(check_results(L, 1)->r));
    return 1;
}

static int rs_index(lua_State *L)
{
    luaL_checkudata(L, 1, JQ_MT_RESULTS);
    if (lua_type(L, 2) == LUA_TNUMBER) {
        jq_results_ud *ud = check_results(L, 1);
        lua_Number n = lua_tonumber(L, 2);
        lua_Integer k = (lua_Integer)n;
        if ((lua_Number)k != n || k < 1 || (size_t)k > jql_results_unit_count(ud->r))
            return 0;
        push_unit(L, 1, k);
        return 1;
    }
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "methods");
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
    return 1;
}

static int units_next(lua_State *L)
{
    jq_results_ud *ud = lua_touserdata(L, lua_upvalueindex(1));
    if (ud->r == NULL)
        return luaL_error(L, "results are closed");
    lua_Integer k = lua_tointeger(L, lua_upvalueindex(2)) + 1;
    if ((size_t)k > jql_results_unit_count(ud->r))
        return 0;
    lua_pushinteger(L, k);
    lua_replace(L, lua_upvalueindex(2));
    push_unit(L, lua_upvalueindex(1), k);
    return 1;
}

/* for unit in results:units() do ... end */
static int rs_units(lua_State *L)
{
    check_results(L, 1);
    lua_settop(L, 1);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, units_next, 2);
    return 1;
}

/* results:unit(id) -> the unit's table, or nil */
static int rs_unit(lua_State *L)
{
    jq_results_ud *ud = check_results(L, 1);
    const char *id = jq_checkstring(L, 2);
    size_t n = jql_results_unit_count(ud->r);
    for (size_t k = 0; k < n; k++) {
        const char *uid = jql_results_unit_id(ud->r, k);
        if (uid != NULL && strcmp(uid, id) == 0) {
            push_unit(L, 1, (lua_Integer)k + 1);
            return 1;
        }
    }
    return 0;
}

static int rs_to_table(lua_State *L)
{
    push_doc(L, 1);
    copy_table(L);
    return 1;
}

/* results:to_json([evidence]): "full" (default, cached), "ids" or "none" */
static int rs_to_json(lua_State *L)
{
    jql_evidence_level level = JQL_EVIDENCE_FULL;
    if (!lua_isnoneornil(L, 2) &&
        jql_evidence_level_from_name(luaL_checkstring(L, 2), &level) != JQL_OK)
        return jq_bad_name(L, 2);
    if (level == JQL_EVIDENCE_FULL) {
        push_json(L, 1);
        return 1;
    }
    jq_results_ud *ud = check_results(L, 1);
    jq_guard *g = jq_guard_new(L, jq_free_mem);
    size_t len = 0;
    jql_clear_error();
    int rc = jql_results_to_json_level(ud->r, level, (char **)&g->p, &len);
    if (rc != JQL_OK)
        return luaL_error(L, "%s", jql_last_error()[0] ? jql_last_error() : jql_strerror(rc));
    lua_pushlstring(L, g->p, len);
    return 1;
}

static int rs_period(lua_State *L)
{
    lua_pushstring(L, jql_results_period(check_results(L, 1)->r));
    return 1;
}

static int rs_criteria_id(lua_State *L)
{
    lua_pushstring(L, jql_results_criteria_id(check_results(L, 1)->r));
    return 1;
}

static int rs_close(lua_State *L)
{
    jq_results_ud *ud = luaL_checkudata(L, 1, JQ_MT_RESULTS);
    jql_results_free(ud->r);
    ud->r = NULL;
    return 0;
}

static int rs_tostring(lua_State *L)
{
    jq_results_ud *ud = luaL_checkudata(L, 1, JQ_MT_RESULTS);
    if (ud->r == NULL)
        lua_pushfstring(L, "justice_quarterly.results (closed): %p", (void *)ud);
    else
        lua_pushfstring(L, "justice_quarterly.results (%s, %s, %d units): %p",
                        jql_results_criteria_id(ud->r), jql_results_period(ud->r),
                        (int)jql_results_unit_count(ud->r), (void *)ud);
    return 1;
}

/* r:warnings(): the warnings about the scoring (jql_results_diagnostics()),
   a list of {path, line, column, message, severity} like ds:warnings(). */
static int rs_warnings(lua_State *L)
{
    jq_push_diagnostics(L, jql_results_diagnostics(check_results(L, 1)->r));
    return 1;
}

static const luaL_Reg rs_methods[] = {
    {"warnings", rs_warnings},
    {"units", rs_units},
    {"unit", rs_unit},
    {"to_table", rs_to_table},
    {"to_json", rs_to_json},
    {"period", rs_period},
    {"criteria_id", rs_criteria_id},
    {"close", rs_close},
    {NULL, NULL},
};

void jq_open_results(lua_State *L)
{
    luaL_newmetatable(L, JQ_MT_RESULTS);
    jqc_newlib(L, rs_methods);
    lua_setfield(L, -2, "methods");
    lua_pushcfunction(L, rs_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, rs_len);
    lua_setfield(L, -2, "__len");
    lua_pushcfunction(L, rs_close);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, rs_close);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, rs_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "justice_quarterly.results");
    lua_setfield(L, -2, "__name");
    lua_pushliteral(L, "justice_quarterly.results");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
}
