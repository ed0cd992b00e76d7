/*
 * Lua binding: the dataset builder. Records are added from tables
 * (ds:add_unit{id = "u", name = "U", level = "district"}) and fields edited
 * with set_* methods. Wrong types and unknown fields raise; what the
 * library refuses (an id in use, an unknown unit) returns nil, message, code.
 *
 * A record made of several library calls (a task and its owners) is checked
 * as far as the binding can before the first call, so a refusal rarely
 * leaves a half-made record.
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "jq_lua.h"

#define ARGS 2 /* stack index of the table argument */

/* ------------------------------------------------------------------ */
/* Reading the table argument                                          */
/* ------------------------------------------------------------------ */

static int field_error(lua_State *L, const char *key, const char *msg)
{
    return luaL_error(L, "bad argument #1 (field '%s': %s)", key, msg);
}

/* Refuse keys the record does not have (catches typos such as "parent_id"). */
static void check_keys(lua_State *L, const char *const *allowed)
{
    luaL_checktype(L, ARGS, LUA_TTABLE);
    luaL_checkstack(L, 40, "too many fields");
    lua_pushnil(L);
    while (lua_next(L, ARGS) != 0) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "bad argument #1 (field names must be strings, got %s)",
                       luaL_typename(L, -1));
        if (jq_nul_error(L, -1) != NULL)
            luaL_error(L, "bad argument #1 (field name: %s)", jq_nul_error(L, -1));
        const char *key = lua_tostring(L, -1);
        int ok = 0;
        for (const char *const *a = allowed; *a != NULL && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok)
            luaL_error(L, "bad argument #1 (unknown field '%s')", key);
    }
}

/* String field, NULL when absent. The value stays on the stack. */
static const char *str_field(lua_State *L, const char *key, int required)
{
    lua_getfield(L, ARGS, key);
    if (lua_isnil(L, -1)) {
        if (required)
            field_error(L, key, "required");
        return NULL;
    }
    if (lua_type(L, -1) != LUA_TSTRING)
        field_error(L, key, lua_pushfstring(L, "string expected, got %s", luaL_typename(L, -1)));
    return jq_tostring(L, -1);
}

static jql_date date_field(lua_State *L, const char *key, int required)
{
    jql_date d = JQL_NO_DATE;
    lua_getfield(L, ARGS, key);
    if (lua_isnil(L, -1)) {
        if (required)
            field_error(L, key, "required");
    } else {
        const char *err = jq_to_date(L, -1, &d);
        if (err != NULL)
            field_error(L, key, err);
    }
    lua_pop(L, 1);
    return d;
}

static jql_milli milli_field(lua_State *L, const char *key)
{
    jql_milli v = JQL_NO_SCORE;
    lua_getfield(L, ARGS, key);
    if (!lua_isnil(L, -1)) {
        const char *err = jq_to_milli(L, -1, &v);
        if (err != NULL)
            field_error(L, key, err);
    }
    lua_pop(L, 1);
    return v;
}

static int bool_field(lua_State *L, const char *key, int dflt)
{
    int b = dflt;
    lua_getfield(L, ARGS, key);
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TBOOLEAN)
            field_error(L, key, "boolean expected");
        b = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
    return b;
}

/* A list of strings; returns its absolute index on the stack (0 when absent). */
static int list_field(lua_State *L, const char *key)
{
    lua_getfield(L, ARGS, key);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return 0;
    }
    if (!lua_istable(L, -1))
        field_error(L, key, "list of strings expected");
    int t = lua_gettop(L);
    size_t n = jqc_rawlen(L, t);
    for (size_t k = 1; k <= n; k++) {
        lua_rawgeti(L, t, (int)k);
        if (lua_type(L, -1) != LUA_TSTRING)
            field_error(L, key, "list of strings expected");
        if (jq_nul_error(L, -1) != NULL)
            field_error(L, key, jq_nul_error(L, -1));
        lua_pop(L, 1);
    }
    return t;
}

/* Every entry of the list at t must name a unit (checked before adding). */
static int check_units(lua_State *L, const jql_dataset *ds, int t, const char *key)
{
    if (t == 0)
        return 1;
    size_t n = jqc_rawlen(L, t), i;
    for (size_t k = 1; k <= n; k++) {
        lua_rawgeti(L, t, (int)k);
        const char *id = jq_tostring(L, -1);
        if (jql_unit_find(ds, id, &i) != JQL_OK) {
            lua_pushnil(L);
            lua_pushfstring(L, "%s: unknown unit '%s'", key, id);
            lua_pushstring(L, jq_status_name(JQL_ENOTFOUND));
            return 0;
        }
        lua_pop(L, 1);
    }
    return 1;
}

/* Apply fn(ds, index, string) to every entry of the list at t. */
static int each_string(lua_State *L, jql_dataset *ds, size_t index, int t,
                       int (*fn)(jql_dataset *, size_t, const char *))
{
    if (t == 0)
        return JQL_OK;
    size_t n = jqc_rawlen(L, t);
    for (size_t k = 1; k <= n; k++) {
        lua_rawgeti(L, t, (int)k);
        int rc = fn(ds, index, jq_tostring(L, -1));
        lua_pop(L, 1);
        if (rc != JQL_OK)
            return rc;
    }
    return JQL_OK;
}

static int ok(lua_State *L)
{
    lua_pushboolean(L, 1);
    return 1;
}

/* Status names are the library's (names.h): the binding keeps no copy. */
typedef int (*name_parser)(const char *name, int *value);

static int task_status_parse(const char *name, int *value)
{
    jql_task_status v;
    int rc = jql_task_status_from_name(name, &v);
    *value = (int)v;
    return rc;
}

static int directive_status_parse(const char *name, int *value)
{
    jql_directive_status v;
    int rc = jql_directive_status_from_name(name, &v);
    *value = (int)v;
    return rc;
}

/* Status name at the top of the stack (nil: dflt) as its value. */
static int status_value(lua_State *L, const char *key, name_parser parse, int dflt)
{
    if (lua_isnil(L, -1))
        return dflt;
    const char *s = jq_tostring(L, -1);
    int v;
    if (s != NULL && parse(s, &v) == JQL_OK)
        return v;
    return field_error(L, key, "unknown status");
}

/* Status name argument @p arg as its value (the message luaL_checkoption gives). */
static int status_arg(lua_State *L, int arg, name_parser parse)
{
    const char *s = luaL_checkstring(L, arg);
    int v;
    if (parse(s, &v) == JQL_OK)
        return v;
    return jq_bad_name(L, arg);
}

/* The library's rule, checked before anything is added. */
static void check_completion(lua_State *L, int done, jql_date completed)
{
    if (done && completed == JQL_NO_DATE)
        luaL_error(L, "bad argument (status 'done' needs a 'completed' date)");
    if (!done && completed != JQL_NO_DATE)
        luaL_error(L, "bad argument (only status 'done' takes a 'completed' date)");
}

/* ------------------------------------------------------------------ */
/* Dataset and units                                                   */
/* ------------------------------------------------------------------ */

static int set_text(lua_State *L, int (*fn)(jql_dataset *, const char *))
{
    jql_dataset *ds = jq_check_dataset_edit(L, 1)->ds;
    const char *s = lua_isnoneornil(L, 2) ? NULL : jq_checkstring(L, 2);
    jql_clear_error();
    int rc = fn(ds, s);
    return rc == JQL_OK ? ok(L) : jq_fail(L, rc);
}

static int b_set_name(lua_State *L)
{
    return set_text(L, jql_dataset_set_name);
}

static int b_set_description(lua_State *L)
{
    return set_text(L, jql_dataset_set_description);
}

/* Attributes table at the top: string keys and string values (or false to remove). */
static void check_attributes(lua_State *L, int t, int allow_false)
{
    if (!lua_istable(L, t))
        field_error(L, "attributes", "table expected");
    lua_pushnil(L);
    while (lua_next(L, t) != 0) {
        int vt = lua_type(L, -1);
        if (lua_type(L, -2) != LUA_TSTRING ||
            !(vt == LUA_TSTRING || (allow_false && vt == LUA_TBOOLEAN && !lua_toboolean(L, -1))))
            field_error(L, "attributes", "string keys and string values expected");
        if (jq_nul_error(L, -1) != NULL || jq_nul_error(L, -2) != NULL)
            field_error(L, "attributes", "a key or value contains an embedded NUL character (\\0)");
        lua_pop(L, 1);
    }
}

static int apply_attributes(lua_State *L, jql_dataset *ds, size_t i, int t)
{
    lua_pushnil(L);
    while (lua_next(L, t) != 0) {
        const char *v = lua_type(L, -1) == LUA_TSTRING ? jq_tostring(L, -1) : NULL;
        int rc = jql_unit_set_attr(ds, i, jq_tostring(L, -2), v);
        lua_pop(L, 1);
        if (rc != JQL_OK) {
            lua_pop(L, 1);
            return rc;
        }
    }
    return JQL_OK;
}

static void free_dataset(void *p)
{
    jql_dataset_free(p);
}

/*
 * A unit is added, then its cluster and attributes set, one library call
 * each: a refused cluster or attribute would leave the unit half made. So
 * the same calls are rehearsed first on a scratch dataset (the library's own
 * checks, not a copy of them); only what depends on the real dataset (id in
 * use, parent, cycles) is left to fail there, before anything changes.
 * id NULL: a set_unit, rehearsed on a unit "u" with placeholder fields.
 */
static int rehearse_unit(lua_State *L, const char *id, const char *name, const char *level,
                         const char *cluster, int attrs)
{
    jq_guard *g = jq_guard_new(L, free_dataset); /* freed even if a Lua error escapes */
    jql_dataset *scratch = g->p = jql_dataset_new();
    if (!scratch)
        luaL_error(L, "not enough memory");
    size_t i;
    int rc = jql_unit_add(scratch, id ? id : "u", name ? name : "u", level ? level : "u", NULL, &i);
    if (rc == JQL_OK && id == NULL && name != NULL)
        rc = jql_unit_set_name(scratch, i, name);
    if (rc == JQL_OK && id == NULL && level != NULL)
        rc = jql_unit_set_level(scratch, i, level);
    if (rc == JQL_OK && cluster != NULL)
        rc = jql_unit_set_cluster(scratch, i, cluster);
    if (rc == JQL_OK && attrs)
        rc = apply_attributes(L, scratch, i, attrs);
    jq_guard_release(g);
    lua_pop(L, 1);
    return rc;
}

static int b_add_unit(lua_State *L)
{
    static const char *const keys[] = {"id", "name", "level", "parent", "cluster", "attributes",
                                       NULL};
    jql_dataset *ds = jq_check_dataset_edit(L, 1)->ds;
    check_keys(L, keys);
    const char *id = str_field(L, "id", 1);
    const char *name = str_field(L, "name", 1);
    const char *level = str_field(L, "level", 1);
    const char *parent = str_field(L, "parent", 0);
    const char *cluster = str_field(L, "cluster", 0);
    lua_getfield(L, ARGS, "attributes");
    int attrs = lua_isnil(L, -1) ? 0 : lua_gettop(L);
    if (attrs)
        check_attributes(L, attrs, 0);
    size_t i;
    jql_clear_error();
    int rc = rehearse_unit(L, id, name, level, cluster, attrs);
    if (rc == JQL_OK)
        rc = jql_unit_add(ds, id, name, level, parent, &i);
    if (rc == JQL_OK && cluster != NULL)
        rc = jql_unit_set_cluster(ds, i, cluster);
    if (rc == JQL_OK && attrs)
        rc = apply_attributes(L, ds, i, attrs);
    return rc == JQL_OK ? ok(L) : jq_fail(L, rc);
}

/* ds:set_unit(id, {name=, level=, cluster= (false clears), parent= (false: root),
 * attributes = {key = value or false}}) */
static int b_set_unit(lua_State *L)
{
    static const char *const keys[] = {"name", "level", "parent", "cluster", "attributes", NULL};
    jql_dataset *ds = jq_check_dataset_edit(L, 1)->ds;
    const char *id = jq_checkstring(L, 2);
    lua_remove(L, 2); /* the fields table becomes ARGS */
    check_keys(L, keys);
    size_t i;
    if (jql_unit_find(ds, id, &i) != JQL_OK) {
        lua_pushnil(L);
        lua_pushfstring(L, "unknown unit '%s'", id);
        lua_pushstring(L, jq_status_name(JQL_ENOTFOUND));
        return 3;
    }
    const char *name = str_field(L, "name", 0);
    const char *level = str_field(L, "level", 0);
    int clear_cluster = 0, make_root = 0;
    lua_getfield(L, ARGS, "cluster");
    const char *cluster = jq_tostring(L, -1);
    if (lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1))
        clear_cluster = 1;
    else if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
        field_error(L, "cluster", "string or false expected");
    lua_getfield(L, ARGS, "parent");
    const char *parent = jq_tostring(L, -1);
    if (lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1))
        make_root = 1;
    else if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
        field_error(L, "parent", "string or false expected");
    lua_getfield(L, ARGS, "attributes");
    int attrs = lua_isnil(L, -1) ? 0 : lua_gettop(L);
    if (attrs)
        check_attributes(L, attrs, 1);
    jql_clear_error();
    /* Rehearsed first, and the parent (which may make a cycle) set before
       the rest: a refusal leaves the unit as it was. */
    int rc = rehearse_unit(L, NULL, name, level, cluster, attrs);
    if (rc == JQL_OK && (parent != NULL || make_root))
        rc = jql_unit_set_parent(ds, i, make_root ? NULL : parent);
    if (rc == JQL_OK && name != NULL)
        rc = jql_unit_set_name(ds, i, name);
    if (rc == JQL_OK && level != NULL)
        rc = jql_unit_set_level(ds, i, level);
    if (rc == JQL_OK && (cluster != NULL || clear_cluster))
        rc = jql_unit_set_cluster(ds, i, clear_cluster ? NULL : cluster);
    if (rc == JQL_OK && attrs)
        rc = apply_attributes(L, ds, i, attrs);
    return rc == JQL_OK ? ok(L) : jq_fail(L, rc);
}

/* ------------------------------------------------------------------ */
/* Periods, indicators, statistics                                     */
/* ------------------------------------------------------------------ */

static int b_add_period(lua_State *L)
{
    static const char *const keys[] = {"id", "name", "start", "end", NULL};
    jql_dataset *ds = jq_check_dataset_edit(L, 1)->ds;
    check_keys(L, keys);
    const char *id = str_field(L, "id", 1);
    const char *name = str_field(L, "name", 0);
    jql_date start = date_field(L, "start", 1), end = date_field(L, "end", 1);
    jql_clear_error();
    int rc = jql_period_add(ds, id, name, start, end, NULL);
    return rc == JQL_OK ? ok(L) : jq_fail(L, rc);
}

static int b_add_indicator(lua_State *L)
{
    static const char *const keys[] = {"id", "name", "measure_unit", "aggregation", "field",
                                       NULL};
    jql_dataset *ds = jq_check_dataset_edit(L, 1)->ds;
    check_keys(L, keys);
    const char *id = str_field(L, "id", 1);
    const char *name = str_field(L, "name", 1);
    const char *mu = str_field(L, "measure_unit", 0);
    const char *field = str_field(L, "field", 0);
    const char *agg_name = str_field(L, "aggregation", 0);
    jql_aggregation agg = JQL_AGG_SUM;
    if (agg_name != NULL && jql_aggregation_from_name(agg_name, &agg) != JQL_OK)
        field_error(L, "aggregation", "one of sum, last, mean, min, max expected");
    size_t i;
    jql_clear_error();
    int rc = jql_indicator_add(ds, id, name, mu, agg, &i);
    if (rc == JQL_OK && field != NULL)
        rc = jql_indicator_set_field(ds, i, field);
    return rc == JQL_OK ? ok(L) : jq_fail(L, rc);
}

static int b_set_stat(lua_State *L)
{
    jql_dataset *ds = jq_check_dataset_edit(L, 1)->ds;
    const char *unit = jq_checkstring(L, 2);
    const char *ind = jq_checkstring(L, 3);
    const char *period = jq_checkstring(L, 4);
    jql_milli v = jq_check_milli(L, 5);
    jql_clear_error();
    int rc = jql_stat_set_value(ds, unit, ind, period, v);
    return rc == JQL_OK ? ok(L) : jq_fail(L, rc);
}

/* ------------------------------------------------------------------ */
/* Reports                                                             */
/* ------------------------------------------------------------------ */

static int b_add_report(lua_State *L)
{
    static const char *const keys[] = {"unit", "period", "kind", "due", "submitted", "complete",
                                       NULL};
    jql_dataset *ds = jq_check_dataset_edit(L, 1)->ds;
    check_keys(L, keys);
    const char *unit = str_field(L, "unit", 1);
    const char *period = str_field(L, "period", 1);
    const char *kind = str_field(L, "kind", 1);
    jql_date due = date_field(L, "due", 1), sub = date_field(L, "submitted", 0);
    int complete = bool_field(L, "complete", 1);
    jql_clear_error();
    int rc = jql_report_add(ds, unit, period, kind, due, sub, complete, NULL);
    return rc == JQL_OK ? ok(L) : jq_fail(L, rc);
}

/* ds:set_report_submitted(unit, period, kind, submitted|nil [, complete=true]) */
static int b_set_report_submitted(lua_State *L)
{
    jql_dataset *ds = jq_check_dataset_edit(L, 1)->ds;
    const char *unit = jq_checkstring(L, 2);
    const char *period = jq_checkstring(L, 3);
    const char *kind = jq_checkstring(L, 4);
    jql_date sub = jq_opt_date(L, 5);
    int complete = lua_isnoneornil(L, 6) ? 1 : lua_toboolean(L, 6);
    /* The report with exactly this unit, period id and kind. */
    jql_clear_error();
    size_t i;
    int rc = jql_report_find(ds, unit, period, kind, &i);
    if (rc == JQL_OK)
        rc = jql_report_set_submitted(ds, i, sub, complete);
    return rc == JQL_OK ? ok(L) : jq_fail(L, rc);
}

/* ------------------------------------------------------------------ */
/* Tasks                                                               */
/* ------------------------------------------------------------------ */

static int b_add_task(lua_State *L)
{
    static const char *const keys[] = {"id", "title", "due", "owners", "field", "period",
                                       "status", "completed", NULL};
    jql_dataset *ds = jq_check_dataset_edit(L, 1)->ds;
    check_keys(L, keys);
    const char *id = str_field(L, "id", 1);
    const char *title = str_field(L, "title", 1);
    const char *field = str_field(L, "field", 0);
    const char *period = str_field(L, "period", 0);
    jql_date due = date_field(L, "due", 1), completed = date_field(L, "completed", 0);
    lua_getfield(L, ARGS, "status");
    int status = status_value(L, "status", task_status_parse, JQL_TASK_PENDING);
    check_completion(L, status == JQL_TASK_DONE, completed);
    int owners = list_field(L, "owners");
    if (!check_units(L, ds, owners, "owners"))
        return 3;
    if (period != NULL && jql_period_resolve(ds, period, NULL, NULL, NULL) != JQL_OK) {
        lua_pushnil(L);
        lua_pushfstring(L, "unknown period '%s'", period);
        lua_pushstring(L, jq_status_name(JQL_ENOTFOUND));
        return 3;
    }
    size_t i;
    jql_clear_error();
    int rc = jql_task_add(ds, id, title, due, &i);
    if (rc == JQL_OK)
        rc = each_string(L, ds, i, owners, jql_task_add_owner);
    if (rc == JQL_OK && field != NULL)
        rc = jql_task_set_field(ds, i, field);
    if (rc == JQL_OK && period != NULL)
        rc = jql_task_set_period(ds, i, period);
    if (rc == JQL_OK)
        rc = jql_task_set_status(ds, i, (jql_task_status)status, completed);
    return rc == JQL_OK ? ok(L) : jq_fail(L, rc);
}

/* ds:set_task_status(id, "pending"|"in_progress"|"done" [, completed]) */
static int b_set_task_status(lua_State *L)
{
    jql_dataset *ds = jq_check_dataset_edit(L, 1)->ds;
    const char *id = jq_checkstring(L, 2);
    int status = status_arg(L, 3, task_status_parse);
    jql_date completed = jq_opt_date(L, 4);
    size_t i;
    jql_clear_error();
    int rc = jql_task_find(ds, id, &i);
    if (rc == JQL_OK)
        rc = jql_task_set_status(ds, i, (jql_task_status)status, completed);
    return rc == JQL_OK ? ok(L) : jq_fail(L, rc);
}

/* ------------------------------------------------------------------ */
/* Shortcomings                                                        */
/* ------------------------------------------------------------------ */

static int b_add_shortcoming(lua_State *L)
{
    static const char *const keys[] = {"id", "period", "text", "units", "field", "causes",
                                       "resolved", NULL};
    jql_dataset *ds = jq_check_dataset_edit(L, 1)->ds;
    check_keys(L, keys);
    const char *id = str_field(L, "id", 1);
    const char *period = str_field(L, "period", 1);
    const char *text = str_field(L, "text", 1);
    const char *field = str_field(L, "field", 0);
    const char *resolved = str_field(L, "resolved", 0);
    int units = list_field(L, "units");
    if (!check_units(L, ds, units, "units"))
        return 3;
    lua_getfield(L, ARGS, "causes");
    int causes = lua_isnil(L, -1) ? 0 : lua_gettop(L);
    size_t ncauses = 0;
    if (causes) {
        if (!lua_istable(L, causes))
            field_error(L, "causes", "list of {kind=, text=} expected");
        ncauses = jqc_rawlen(L, causes);
        for (size_t k = 1; k <= ncauses; k++) {
            lua_rawgeti(L, causes, (int)k);
            int bad = !lua_istable(L, -1);
            if (!bad) {
                lua_getfield(L, -1, "kind");
                lua_getfield(L, -2, "text");
                bad = lua_type(L, -1) != LUA_TSTRING || lua_type(L, -2) != LUA_TSTRING;
                if (!bad && (jq_nul_error(L, -1) != NULL || jq_nul_error(L, -2) != NULL))
                    field_error(L, "causes", "a kind or text contains an embedded NUL character (\\0)");
                lua_pop(L, 2);
            }
            if (bad)
                field_error(L, "causes", "list of {kind=, text=} expected");
            lua_pop(L, 1);
        }
    }
    size_t i;
    jql_clear_error();
    int rc = jql_shortcoming_add(ds, id, period, text, &i);
    if (rc == JQL_OK)
        rc = each_string(L, ds, i, units, jql_shortcoming_add_unit);
    for (size_t k = 1; rc == JQL_OK && k <= ncauses; k++) {
        lua_rawgeti(L, causes, (int)k);
        lua_getfield(L, -1, "kind");
        lua_getfield(L, -2, "text");
        rc = jql_shortcoming_add_cause(ds, i, jq_tostring(L, -2), jq_tostring(L, -1));
        lua_pop(L, 3);
    }
    if (rc == JQL_OK && field != NULL)
        rc = jql_shortcoming_set_field(ds, i, field);
    if (rc == JQL_OK && resolved != NULL)
        rc = jql_shortcoming_set_resolved(ds, i, resolved);
    return rc == JQL_OK ? ok(L) : jq_fail(L, rc);
}

/* ds:set_shortcoming_resolved(id, period|nil) */
static int b_set_shortcoming_resolved(lua_State *L)
{
    jql_dataset *ds = jq_check_dataset_edit(L, 1)->ds;
    const char *id = jq_checkstring(L, 2);
    const char *period = lua_isnoneornil(L, 3) ? NULL : jq_checkstring(L, 3);
    size_t i;
    jql_clear_error();
    int rc = jql_shortcoming_find(ds, id, &i);
    if (rc == JQL_OK)
        rc = jql_shortcoming_set_resolved(ds, i, period);
    return rc == JQL_OK ? ok(L) : jq_fail(L, rc);
}

/* ------------------------------------------------------------------ */
/* Directives                                                          */
/* ------------------------------------------------------------------ */

static int b_add_directive(lua_State *L)
{
    static const char *const keys[] = {"id", "issued", "issuer", "text", "due", "units",
                                       "levels", "answers", "status", "completed", NULL};
    jql_dataset *ds = jq_check_dataset_edit(L, 1)->ds;
    check_keys(L, keys);
    const char *id = str_field(L, "id", 1);
    const char *issuer = str_field(L, "issuer", 1);
    const char *text = str_field(L, "text", 1);
    jql_date issued = date_field(L, "issued", 1), due = date_field(L, "due", 0);
    jql_date completed = date_field(L, "completed", 0);
    lua_getfield(L, ARGS, "status");
    int status = status_value(L, "status", directive_status_parse, JQL_DIRECTIVE_OPEN);
    check_completion(L, status == JQL_DIRECTIVE_DONE, completed);
    int units = list_field(L, "units");
    int levels = list_field(L, "levels");
    int answers = list_field(L, "answers");
    if (!check_units(L, ds, units, "units"))
        return 3;
    size_t i;
    jql_clear_error();
    int rc = jql_directive_add(ds, id, issued, issuer, text, &i);
    if (rc == JQL_OK && due != JQL_NO_DATE)
        rc = jql_directive_set_due(ds, i, due);
    if (rc == JQL_OK)
        rc = each_string(L, ds, i, units, jql_directive_add_unit);
    if (rc == JQL_OK)
        rc = each_string(L, ds, i, levels, jql_directive_add_level);
    if (rc == JQL_OK)
        rc = each_string(L, ds, i, answers, jql_directive_add_answer);
    if (rc == JQL_OK)
        rc = jql_directive_set_status(ds, i, (jql_directive_status)status, completed);
    return rc == JQL_OK ? ok(L) : jq_fail(L, rc);
}

/* ds:set_directive_status(id, "open"|"done" [, completed]) */
static int b_set_directive_status(lua_State *L)
{
    jql_dataset *ds = jq_check_dataset_edit(L, 1)->ds;
    const char *id = jq_checkstring(L, 2);
    int status = status_arg(L, 3, directive_status_parse);
    jql_date completed = jq_opt_date(L, 4);
    size_t i;
    jql_clear_error();
    int rc = jql_directive_find(ds, id, &i);
    if (rc == JQL_OK)
        rc = jql_directive_set_status(ds, i, (jql_directive_status)status, completed);
    return rc == JQL_OK ? ok(L) : jq_fail(L, rc);
}

/* ------------------------------------------------------------------ */
/* Assessments and events                                              */
/* ------------------------------------------------------------------ */

static int b_add_assessment(lua_State *L)
{
    static const char *const keys[] = {"unit", "period", "criterion", "self", "appraised",
                                       "not_applicable", "evidence", NULL};
    jql_dataset *ds = jq_check_dataset_edit(L, 1)->ds;
    check_keys(L, keys);
    const char *unit = str_field(L, "unit", 1);
    const char *period = str_field(L, "period", 1);
    const char *crit = str_field(L, "criterion", 1);
    const char *evidence = str_field(L, "evidence", 0);
    jql_milli self = milli_field(L, "self"), appraised = milli_field(L, "appraised");
    int na = bool_field(L, "not_applicable", 0);
    size_t i;
    jql_clear_error();
    int rc = jql_assessment_add(ds, unit, period, crit, self, appraised, &i);
    if (rc == JQL_OK && na)
        rc = jql_assessment_set_not_applicable(ds, i, true);
    if (rc == JQL_OK && evidence != NULL)
        rc = jql_assessment_set_evidence(ds, i, evidence);
    return rc == JQL_OK ? ok(L) : jq_fail(L, rc);
}

/* ds:set_assessment_scores(unit, period, criterion, self|nil, appraised|nil) */
static int b_set_assessment_scores(lua_State *L)
{
    jql_dataset *ds = jq_check_dataset_edit(L, 1)->ds;
    const char *unit = jq_checkstring(L, 2);
    const char *period = jq_checkstring(L, 3);
    const char *crit = jq_checkstring(L, 4);
    jql_milli self = jq_opt_score(L, 5), appraised = jq_opt_score(L, 6);
    size_t i;
    jql_clear_error();
    int rc = jql_assessment_find(ds, unit, period, crit, &i);
    if (rc == JQL_OK)
        rc = jql_assessment_set_scores(ds, i, self, appraised);
    return rc == JQL_OK ? ok(L) : jq_fail(L, rc);
}

static int b_add_event(lua_State *L)
{
    static const char *const keys[] = {"unit", "date", "kind", "text", "points", "evidence",
                                       NULL};
    jql_dataset *ds = jq_check_dataset_edit(L, 1)->ds;
    check_keys(L, keys);
    const char *unit = str_field(L, "unit", 1);
    const char *kind = str_field(L, "kind", 1);
    const char *text = str_field(L, "text", 0);
    const char *evidence = str_field(L, "evidence", 0);
    jql_date date = date_field(L, "date", 1);
    jql_milli points = milli_field(L, "points");
    size_t i;
    jql_clear_error();
    int rc = jql_event_add(ds, unit, date, kind, text, &i);
    if (rc == JQL_OK && points != JQL_NO_SCORE)
        rc = jql_event_set_points(ds, i, points);
    if (rc == JQL_OK && evidence != NULL)
        rc = jql_event_set_evidence(ds, i, evidence);
    return rc == JQL_OK ? ok(L) : jq_fail(L, rc);
}

/* ------------------------------------------------------------------ */
/* Labels and documents                                                */
/* ------------------------------------------------------------------ */

/* A string, or nil for "remove" (NULL). */
static const char *opt_nil_string(lua_State *L, int arg)
{
    return lua_isnoneornil(L, arg) ? NULL : jq_checkstring(L, arg);
}

/* ds:set_label(kind, id, lang, name | nil) */
static int b_set_label(lua_State *L)
{
    jql_dataset *ds = jq_check_dataset_edit(L, 1)->ds;
    const char *kind = jq_checkstring(L, 2);
    const char *id = jq_checkstring(L, 3);
    const char *lang = jq_checkstring(L, 4);
    const char *name = opt_nil_string(L, 5);
    jql_clear_error();
    int rc = jql_label_set(ds, kind, id, lang, name);
    return rc == JQL_OK ? ok(L) : jq_fail(L, rc);
}

/* ds:set_document_field(period, field, value | nil) */
static int b_set_document_field(lua_State *L)
{
    jql_dataset *ds = jq_check_dataset_edit(L, 1)->ds;
    const char *period = jq_checkstring(L, 2);
    const char *field = jq_checkstring(L, 3);
    const char *value = opt_nil_string(L, 4);
    jql_clear_error();
    int rc = jql_document_set(ds, period, field, value);
    return rc == JQL_OK ? ok(L) : jq_fail(L, rc);
}

static const luaL_Reg builder_methods[] = {
    {"set_name", b_set_name},
    {"set_description", b_set_description},
    {"add_unit", b_add_unit},
    {"set_unit", b_set_unit},
    {"add_period", b_add_period},
    {"add_indicator", b_add_indicator},
    {"set_stat", b_set_stat},
    {"add_report", b_add_report},
    {"set_report_submitted", b_set_report_submitted},
    {"add_task", b_add_task},
    {"set_task_status", b_set_task_status},
    {"add_shortcoming", b_add_shortcoming},
    {"set_shortcoming_resolved", b_set_shortcoming_resolved},
    {"add_directive", b_add_directive},
    {"set_directive_status", b_set_directive_status},
    {"add_assessment", b_add_assessment},
    {"set_assessment_scores", b_set_assessment_scores},
    {"add_event", b_add_event},
    {"set_label", b_set_label},
    {"set_document_field", b_set_document_field},
    {NULL, NULL},
};

void jq_builder_methods(lua_State *L)
{
    jqc_setfuncs(L, builder_methods, 0);
}
