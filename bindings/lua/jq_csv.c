/*
 * Lua binding: CSV import (docs/CSV.md), thin over jql_csv_import_buffer().
 *
 *   ok, msg, errors = ds:import_csv(path [, opts])
 *   ok, msg, errors = ds:import_csv_text(text [, opts])
 *
 * opts: {kind = "auto"|"stats"|"stats-wide"|..., separator = "," or ";",
 * decimal_mark = "." or ",", period = "2014-Q1", source = "name"}.
 * All or nothing. On success: true and the warnings; on failure: nil, the
 * first located error (and how many more), and every error as
 * {path=, line=, column=, message=, severity=} (path: the column header);
 * an unreadable file gives nil, the message, "io".
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "jq_lua.h"

/* One optional single-character option among `allowed`. */
static char opt_char(lua_State *L, int opts, const char *key, const char *allowed)
{
    char c = 0;
    lua_getfield(L, opts, key);
    if (!lua_isnil(L, -1)) {
        size_t n;
        const char *s = lua_tolstring(L, -1, &n);
        if (!s || n != 1 || !strchr(allowed, s[0]))
            luaL_error(L, "option %s must be one of \"%s\" (one character)", key, allowed);
        c = s[0];
    }
    lua_pop(L, 1);
    return c;
}

static const char *opt_string(lua_State *L, int opts, const char *key)
{
    lua_getfield(L, opts, key);
    const char *s = lua_isnil(L, -1) ? NULL : luaL_checkstring(L, -1);
    lua_pop(L, 1); /* the string stays referenced by the options table */
    return s;
}

static void read_options(lua_State *L, int idx, jql_csv_options *o, const char **source,
                         jql_load_options *lo)
{
    jql_load_options d = JQL_LOAD_OPTIONS_INIT;
    *lo = d;
    if (lua_isnoneornil(L, idx))
        return;
    luaL_checktype(L, idx, LUA_TTABLE);
    /* the input limit, as for jq.load(path, {max_input_size = bytes}) */
    lua_getfield(L, idx, "max_input_size");
    if (!lua_isnil(L, -1)) {
        lua_Number n = luaL_checknumber(L, -1);
        if (!(n >= 1 && n <= 9007199254740992.0))
            luaL_error(L, "max_input_size must be a positive number of bytes");
        lo->max_input_bytes = (size_t)n;
    }
    lua_pop(L, 1);
    const char *kind = opt_string(L, idx, "kind");
    if (kind && jql_csv_kind_from_name(kind, &o->kind) != JQL_OK)
        luaL_error(L, "unknown CSV kind \"%s\"", kind);
    o->separator = opt_char(L, idx, "separator", ",;");
    o->decimal_mark = opt_char(L, idx, "decimal_mark", ".,");
    o->period = opt_string(L, idx, "period");
    const char *s = opt_string(L, idx, "source");
    if (s)
        *source = s;
}

static int import_result(lua_State *L, int rc, jq_guard *diag)
{
    if (rc != JQL_OK) {
        lua_pushnil(L);
        jq_push_diag_message(L, diag->p, rc);
        jq_push_diagnostics(L, diag->p);
        jq_guard_release(diag);
        return 3;
    }
    lua_pushboolean(L, 1);
    jq_push_diagnostics(L, diag->p); /* the warnings */
    jq_guard_release(diag);
    return 2;
}

/* ds:import_csv_text(text [, opts]) */
static int ds_import_csv_text(lua_State *L)
{
    jq_dataset_ud *ud = jq_check_dataset_edit(L, 1);
    size_t len;
    const char *text = luaL_checklstring(L, 2, &len);
    jql_csv_options o = JQL_CSV_OPTIONS_INIT;
    const char *source = "<memory>";
    jql_load_options lo;
    read_options(L, 3, &o, &source, &lo);
    jq_guard *diag = jq_guard_new(L, jq_free_diag);
    jql_clear_error();
    int rc = jql_csv_import_buffer_ext(ud->ds, text, len, source, &o, &lo,
                                       (jql_diagnostics **)&diag->p);
    return import_result(L, rc, diag);
}

/* ds:import_csv(path [, opts]) */
static int ds_import_csv(lua_State *L)
{
    jq_dataset_ud *ud = jq_check_dataset_edit(L, 1);
    const char *path = luaL_checkstring(L, 2);
    jql_csv_options o = JQL_CSV_OPTIONS_INIT;
    const char *source = path;
    jql_load_options lo;
    read_options(L, 3, &o, &source, &lo);
    jq_guard *diag = jq_guard_new(L, jq_free_diag);
    jql_clear_error();
    int rc = jql_csv_import_path_ext(ud->ds, path, &o, &lo, (jql_diagnostics **)&diag->p);
    if (rc == JQL_EIO)
        return jq_fail(L, rc);
    return import_result(L, rc, diag);
}

static const luaL_Reg csv_methods[] = {
    {"import_csv", ds_import_csv},
    {"import_csv_text", ds_import_csv_text},
    {NULL, NULL},
};

void jq_csv_methods(lua_State *L)
{
    jqc_setfuncs(L, csv_methods, 0);
}
