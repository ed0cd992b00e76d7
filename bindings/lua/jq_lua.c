/*
 * Lua binding: module entry point and the helpers every file shares
 * (errors, diagnostics, exact numbers, dates, guards).
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jq_lua.h"

/* ------------------------------------------------------------------ */
/* Guards: library memory parked where __gc will find it              */
/* ------------------------------------------------------------------ */

static int guard_gc(lua_State *L)
{
    jq_guard *g = luaL_checkudata(L, 1, JQ_MT_GUARD);
    jq_guard_release(g);
    return 0;
}

jq_guard *jq_guard_new(lua_State *L, void (*free_fn)(void *))
{
    jq_guard *g = lua_newuserdata(L, sizeof *g);
    g->p = NULL;
    g->free_fn = free_fn;
    jqc_setmetatable(L, JQ_MT_GUARD);
    return g;
}

void jq_guard_release(jq_guard *g)
{
    if (g->p != NULL)
        g->free_fn(g->p);
    g->p = NULL;
}

void jq_free_diag(void *p)
{
    jql_diagnostics_free(p);
}

void jq_free_mem(void *p)
{
    jql_free(p);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/* The library's identifier in lower case, without "JQL_E": JQL_ENOTFOUND is
   "notfound"; JQL_ERROR and codes the library does not name are "error".
   The string lives until the next call on the same thread. */
const char *jq_status_name(int rc)
{
    static _Thread_local char buf[32];
    const char *id = jql_status_name(rc);
    if (id == NULL || rc == JQL_ERROR || strncmp(id, "JQL_", 4) != 0)
        return "error";
    id += 4;
    if (id[0] == 'E')
        id++;
    size_t n = 0;
    for (; id[n] != '\0' && n + 1 < sizeof buf; n++)
        buf[n] = (char)(id[n] >= 'A' && id[n] <= 'Z' ? id[n] - 'A' + 'a' : id[n]);
    buf[n] = '\0';
    return buf;
}

int jq_fail(lua_State *L, int rc)
{
    const char *msg = jql_last_error();
    lua_pushnil(L);
    lua_pushstring(L, (msg != NULL && msg[0] != '\0') ? msg : jql_strerror(rc));
    lua_pushstring(L, jq_status_name(rc));
    return 3;
}

/* ---- streamed output ---- */

void jq_sink_begin(lua_State *L, int idx, jq_sink *s)
{
    idx = jqc_absindex(L, idx);
    if (!lua_istable(L, idx) && !lua_isuserdata(L, idx))
        luaL_argerror(L, idx, "an object with a write method (a file) expected");
    lua_getfield(L, idx, "write");
    if (lua_isnil(L, -1))
        luaL_argerror(L, idx, "an object with a write method (a file) expected");
    *s = (jq_sink){L, idx, lua_gettop(L), LUA_NOREF, LUA_NOREF};
}

int jq_sink_chunk(void *user, const char *data, size_t len)
{
    jq_sink *s = user;
    lua_State *L = s->L;
    lua_pushvalue(L, s->fn);
    lua_pushvalue(L, s->obj);
    lua_pushlstring(L, data, len);
    /* protected: an error must not unwind through the library's frames */
    if (lua_pcall(L, 2, 2, 0) != 0) {
        s->error_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        return -1;
    }
    if (lua_isnil(L, -2) || (lua_isboolean(L, -2) && !lua_toboolean(L, -2))) {
        if (!lua_isstring(L, -1)) {
            lua_pop(L, 1);
            lua_pushliteral(L, "write failed");
        }
        s->refused_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        lua_pop(L, 1);
        return -1;
    }
    lua_pop(L, 2);
    return 0;
}

int jq_sink_end(lua_State *L, jq_sink *s, int rc)
{
    if (s->error_ref != LUA_NOREF) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, s->error_ref);
        luaL_unref(L, LUA_REGISTRYINDEX, s->error_ref);
        return lua_error(L);
    }
    if (s->refused_ref != LUA_NOREF) {
        lua_pushnil(L);
        lua_rawgeti(L, LUA_REGISTRYINDEX, s->refused_ref);
        luaL_unref(L, LUA_REGISTRYINDEX, s->refused_ref);
        lua_pushstring(L, jq_status_name(JQL_EIO));
        return 3;
    }
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    lua_pushboolean(L, 1);
    return 1;
}

void jq_push_diagnostics(lua_State *L, const jql_diagnostics *d)
{
    size_t n = jql_diagnostics_count(d);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_createtable(L, 0, 5);
        lua_pushstring(L, jql_diagnostics_path(d, i));
        lua_setfield(L, -2, "path");
        lua_pushinteger(L, (lua_Integer)jql_diagnostics_line(d, i));
        lua_setfield(L, -2, "line");
        lua_pushinteger(L, (lua_Integer)jql_diagnostics_column(d, i));
        lua_setfield(L, -2, "column");
        lua_pushstring(L, jql_diagnostics_message(d, i));
        lua_setfield(L, -2, "message");
        lua_pushstring(L, jql_severity_name(jql_diagnostics_severity(d, i)));
        lua_setfield(L, -2, "severity");
        lua_rawseti(L, -2, (int)i + 1);
    }
}

void jq_push_diag_message(lua_State *L, const jql_diagnostics *d, int rc)
{
    size_t n = jql_diagnostics_count(d), errors = jql_diagnostics_error_count(d);
    for (size_t i = 0; i < n; i++) {
        if (jql_diagnostics_severity(d, i) != JQL_SEVERITY_ERROR)
            continue;
        const char *src = jql_diagnostics_source(d);
        unsigned line = jql_diagnostics_line(d, i);
        if (line > 0)
            lua_pushfstring(L, "%s:%d:%d: %s", src ? src : "<memory>", (int)line,
                            (int)jql_diagnostics_column(d, i), jql_diagnostics_message(d, i));
        else
            lua_pushfstring(L, "%s: %s: %s", src ? src : "<memory>",
                            jql_diagnostics_path(d, i), jql_diagnostics_message(d, i));
        if (errors > 1) {
            lua_pushfstring(L, " (and %d more error%s)", (int)(errors - 1),
                            errors > 2 ? "s" : "");
            lua_concat(L, 2);
        }
        return;
    }
    const char *msg = jql_last_error();
    lua_pushstring(L, (msg != NULL && msg[0] != '\0') ? msg : jql_strerror(rc));
}

int jq_load_result(lua_State *L, int rc, jq_guard *diag)
{
    if (rc != JQL_OK) {
        lua_pushnil(L);
        jq_push_diag_message(L, diag->p, rc);
        jq_push_diagnostics(L, diag->p);
        jq_guard_release(diag);
        return 3;
    }
    jqc_getuservalue(L, -2); /* the object's, below the guard */
    jq_push_diagnostics(L, diag->p);
    lua_setfield(L, -2, "warnings");
    lua_pop(L, 1);
    jq_guard_release(diag);
    lua_pushvalue(L, -2);
    return 1;
}

int jq_push_warnings(lua_State *L)
{
    jqc_getuservalue(L, 1);
    lua_getfield(L, -1, "warnings");
    if (lua_isnil(L, -1))
        lua_newtable(L);
    return 1;
}

/* ------------------------------------------------------------------ */
/* Exact numbers                                                       */
/* ------------------------------------------------------------------ */

void jq_push_milli(lua_State *L, jql_milli v)
{
    if (v % 1000 == 0) {
#if JQC_HAS_INTEGERS
        lua_pushinteger(L, (lua_Integer)(v / 1000));
#else
        lua_pushnumber(L, (lua_Number)(v / 1000));
#endif
    } else {
        /* |v| < 2^53, so both operands are exact and the quotient is the
         * double nearest to the decimal (9200 / 1000.0 == 9.2). */
        lua_pushnumber(L, (lua_Number)v / 1000.0);
    }
}

/* ------------------------------------------------------------------ */
/* Strings with an embedded NUL                                        */
/* ------------------------------------------------------------------ */

#define NUL_MESSAGE "string contains an embedded NUL character (\\0)"

const char *jq_nul_error(lua_State *L, int idx)
{
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    return s != NULL && strlen(s) != len ? NUL_MESSAGE : NULL;
}

const char *jq_tostring(lua_State *L, int idx)
{
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    if (s != NULL && strlen(s) != len)
        luaL_error(L, "bad value (" NUL_MESSAGE ")");
    return s;
}

const char *jq_checkstring(lua_State *L, int arg)
{
    size_t len;
    const char *s = luaL_checklstring(L, arg, &len);
    if (strlen(s) != len)
        luaL_argerror(L, arg, NUL_MESSAGE);
    return s;
}

const char *jq_optstring(lua_State *L, int arg, const char *def)
{
    return lua_isnoneornil(L, arg) ? def : jq_checkstring(L, arg);
}

const char *jq_to_milli(lua_State *L, int idx, jql_milli *out)
{
    if (lua_type(L, idx) == LUA_TSTRING) {
        if (jq_nul_error(L, idx) != NULL)
            return NUL_MESSAGE;
        if (jql_milli_parse(lua_tostring(L, idx), out) != JQL_OK)
            return "not a decimal with at most 3 places";
        return NULL;
    }
    if (lua_type(L, idx) != LUA_TNUMBER)
        return "number expected";
#if JQC_HAS_INTEGERS
    if (lua_isinteger(L, idx)) {
        lua_Integer i = lua_tointeger(L, idx);
        if (i > JQL_MILLI_MAX / 1000 || i < -(JQL_MILLI_MAX / 1000))
            return "number out of range";
        *out = (jql_milli)i * 1000;
        return NULL;
    }
#endif
    lua_Number d = lua_tonumber(L, idx);
    if (!isfinite(d) || fabs(d) > (double)(JQL_MILLI_MAX / 1000))
        return "number out of range";
    double r = round(d * 1000.0);
    /* Accept d only when it is the double nearest to r thousandths, i.e. it
     * was written with at most 3 decimals (9.2 yes, 9.2005 no). */
    if (r / 1000.0 != d)
        return "more than 3 decimal places (pass a string to be exact)";
    *out = (jql_milli)r;
    return NULL;
}

jql_milli jq_check_milli(lua_State *L, int idx)
{
    jql_milli v = 0;
    const char *err = jq_to_milli(L, idx, &v);
    if (err != NULL)
        luaL_argerror(L, idx, err);
    return v;
}

jql_milli jq_opt_score(lua_State *L, int idx)
{
    if (lua_isnoneornil(L, idx))
        return JQL_NO_SCORE;
    return jq_check_milli(L, idx);
}

/* ------------------------------------------------------------------ */
/* Dates                                                               */
/* ------------------------------------------------------------------ */

void jq_push_date(lua_State *L, jql_date d)
{
    if (d == JQL_NO_DATE) {
        lua_pushnil(L);
        return;
    }
    char buf[11];
    jql_date_format(d, buf);
    lua_pushstring(L, buf);
}

const char *jq_to_date(lua_State *L, int idx, jql_date *out)
{
    if (lua_type(L, idx) != LUA_TSTRING || jq_nul_error(L, idx) != NULL ||
        jql_date_parse(lua_tostring(L, idx), out) != JQL_OK)
        return "expected a date YYYY-MM-DD";
    return NULL;
}

jql_date jq_check_date(lua_State *L, int idx)
{
    jql_date d = 0;
    jq_checkstring(L, idx);
    if (jq_to_date(L, idx, &d) != NULL)
        luaL_argerror(L, idx, lua_pushfstring(L, "invalid date '%s' (YYYY-MM-DD)",
                                              lua_tostring(L, idx)));
    return d;
}

jql_date jq_opt_date(lua_State *L, int idx)
{
    return lua_isnoneornil(L, idx) ? JQL_NO_DATE : jq_check_date(L, idx);
}

/* ------------------------------------------------------------------ */
/* Table fields                                                        */
/* ------------------------------------------------------------------ */

int jq_bad_name(lua_State *L, int arg)
{
    return luaL_argerror(L, arg, lua_pushfstring(L, "invalid option '%s'", lua_tostring(L, arg)));
}

void jq_set_string(lua_State *L, const char *key, const char *value)
{
    if (value == NULL)
        return;
    lua_pushstring(L, value);
    lua_setfield(L, -2, key);
}


/* ------------------------------------------------------------------ */
/* Module                                                              */
/* ------------------------------------------------------------------ */

static int jq_version_fn(lua_State *L)
{
    lua_pushstring(L, jql_version());
    return 1;
}

static const luaL_Reg module_fns[] = {
    {"load", jq_load},
    {"loads", jq_loads},
    {"new", jq_new},
    {"load_criteria", jq_load_criteria},
    {"loads_criteria", jq_loads_criteria},
    {"score", jq_score},
    {"version", jq_version_fn},
    {NULL, NULL},
};

#if defined(__GNUC__)
#define JQ_EXPORT __attribute__((visibility("default")))
#else
#define JQ_EXPORT
#endif

JQ_EXPORT int luaopen_justice_quarterly(lua_State *L);

/* jq.names.<enum>: the library's name table of each enumeration (names.h),
   a sequence in value order (value v is at index v + 1). */
#define NAME_OF(key, type) \
    static const char *name_of_##key(int v) { return jql_##key##_name((type)v); }
NAME_OF(task_status, jql_task_status)
NAME_OF(directive_status, jql_directive_status)
NAME_OF(report_standing, jql_report_standing)
NAME_OF(aggregation, jql_aggregation)
NAME_OF(period_kind, jql_period_kind)
NAME_OF(severity, jql_severity)
NAME_OF(csv_kind, jql_csv_kind)
NAME_OF(bound, jql_bound)
NAME_OF(result_field, jql_result_field)
NAME_OF(evidence_level, jql_evidence_level)
#undef NAME_OF

static void push_names(lua_State *L)
{
    static const struct {
        const char *key;
        int count;
        const char *(*name)(int v);
    } enums[] = {
#define ENUM(key, count) {#key, count, name_of_##key}
        ENUM(task_status, JQL_TASK_STATUS_COUNT),
        ENUM(directive_status, JQL_DIRECTIVE_STATUS_COUNT),
        ENUM(report_standing, JQL_REPORT_STANDING_COUNT),
        ENUM(aggregation, JQL_AGGREGATION_COUNT),
        ENUM(period_kind, JQL_PERIOD_KIND_COUNT),
        ENUM(severity, JQL_SEVERITY_COUNT),
        ENUM(csv_kind, JQL_CSV_KIND_COUNT),
        ENUM(bound, JQL_BOUND_COUNT),
        ENUM(result_field, JQL_RESULT_FIELD_COUNT),
        ENUM(evidence_level, JQL_EVIDENCE_LEVEL_COUNT),
#undef ENUM
    };
    lua_createtable(L, 0, (int)(sizeof enums / sizeof enums[0]));
    for (size_t e = 0; e < sizeof enums / sizeof enums[0]; e++) {
        lua_createtable(L, enums[e].count, 0);
        for (int v = 0; v < enums[e].count; v++) {
            lua_pushstring(L, enums[e].name(v)); /* nil for a value without a name */
            lua_rawseti(L, -2, v + 1);
        }
        lua_setfield(L, -2, enums[e].key);
    }
}

int luaopen_justice_quarterly(lua_State *L)
{
    /* Metatables live in the registry of this lua_State only: no C globals. */
    if (luaL_newmetatable(L, JQ_MT_GUARD)) {
        lua_pushcfunction(L, guard_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushliteral(L, "justice_quarterly.guard");
        lua_setfield(L, -2, "__metatable");
    }
    lua_pop(L, 1);
    jq_open_dataset(L);
    jq_open_criteria(L);
    jq_open_results(L);

    jqc_newlib(L, module_fns);
    lua_pushliteral(L, "justice_quarterly");
    lua_setfield(L, -2, "_NAME");
    lua_pushliteral(L, JQL_VERSION_STRING);
    lua_setfield(L, -2, "_VERSION");
    push_names(L);
    lua_setfield(L, -2, "names");
    /* jq.score's {threads = n}: the most threads one scoring starts, and the
       fewest units each takes */
    lua_pushinteger(L, JQL_SCORE_MAX_THREADS);
    lua_setfield(L, -2, "SCORE_MAX_THREADS");
    lua_pushinteger(L, JQL_SCORE_UNITS_PER_THREAD);
    lua_setfield(L, -2, "SCORE_UNITS_PER_THREAD");
    jq_open_analysis(L);
    return 1;
}
