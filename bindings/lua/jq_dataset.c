/*
 * Lua binding: datasets — loading, queries, output, lifetime.
 * The builder methods are in jq_builder.c.
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "jq_lua.h"

/* ------------------------------------------------------------------ */
/* Userdata                                                            */
/* ------------------------------------------------------------------ */

static jq_dataset_ud *new_dataset_ud(lua_State *L)
{
    jq_dataset_ud *ud = lua_newuserdata(L, sizeof *ud);
    ud->ds = NULL;
    ud->busy = 0;
    jqc_setmetatable(L, JQ_MT_DATASET);
    lua_newtable(L); /* user value: {warnings = {...}} */
    jqc_setuservalue(L, -2);
    return ud;
}

jq_dataset_ud *jq_check_dataset(lua_State *L, int idx)
{
    jq_dataset_ud *ud = luaL_checkudata(L, idx, JQ_MT_DATASET);
    if (ud->ds == NULL)
        luaL_argerror(L, idx, "dataset is closed");
    return ud;
}

jq_dataset_ud *jq_check_dataset_edit(lua_State *L, int idx)
{
    jq_dataset_ud *ud = jq_check_dataset(L, idx);
    if (ud->busy > 0)
        luaL_error(L, "dataset cannot be changed while it is being scored");
    return ud;
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */
/* ------------------------------------------------------------------ */

/* ds:warnings() -> the warnings found when it was loaded */
static int ds_warnings(lua_State *L)
{
    jq_check_dataset(L, 1);
    return jq_push_warnings(L);
}

/* Load options from an optional table {max_input_size = bytes} at idx. */
void jq_load_options(lua_State *L, int idx, jql_load_options *lo)
{
    jql_load_options d = JQL_LOAD_OPTIONS_INIT;
    *lo = d;
    if (lua_isnoneornil(L, idx))
        return;
    luaL_checktype(L, idx, LUA_TTABLE);
    lua_getfield(L, idx, "max_input_size");
    if (!lua_isnil(L, -1)) {
        lua_Number n = luaL_checknumber(L, -1);
        if (!(n >= 1 && n <= 9007199254740992.0))
            luaL_error(L, "max_input_size must be a positive number of bytes");
        lo->max_input_bytes = (size_t)n;
    }
    lua_pop(L, 1);
}

int jq_load(lua_State *L)
{
    const char *path = jq_checkstring(L, 1);
    jql_load_options lo;
    jq_load_options(L, 2, &lo);
    jq_dataset_ud *ud = new_dataset_ud(L);
    jq_guard *diag = jq_guard_new(L, jq_free_diag);
    jql_clear_error();
    int rc = jql_dataset_load_path_ext(path, &lo, &ud->ds, (jql_diagnostics **)&diag->p);
    return jq_load_result(L, rc, diag);
}

int jq_loads(lua_State *L)
{
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    const char *source = jq_optstring(L, 2, "<memory>");
    jql_load_options lo;
    jq_load_options(L, 3, &lo);
    jq_dataset_ud *ud = new_dataset_ud(L);
    jq_guard *diag = jq_guard_new(L, jq_free_diag);
    jql_clear_error();
    int rc = jql_dataset_load_buffer_ext(text, len, source, &lo, &ud->ds,
                                         (jql_diagnostics **)&diag->p);
    return jq_load_result(L, rc, diag);
}

int jq_new(lua_State *L)
{
    jq_dataset_ud *ud = new_dataset_ud(L);
    ud->ds = jql_dataset_new();
    if (ud->ds == NULL)
        return luaL_error(L, "not enough memory");
    return 1;
}

/* ------------------------------------------------------------------ */
/* Records as tables                                                   */
/* ------------------------------------------------------------------ */

static void set_unit_id(lua_State *L, const jql_dataset *ds, const char *key, size_t unit)
{
    if (unit != JQL_NONE && unit < jql_unit_count(ds))
        jq_set_string(L, key, jql_unit_id(ds, unit));
}

static void set_date(lua_State *L, const char *key, jql_date d)
{
    if (d == JQL_NO_DATE)
        return;
    jq_push_date(L, d);
    lua_setfield(L, -2, key);
}

static void set_milli(lua_State *L, const char *key, jql_milli v)
{
    if (v == JQL_NO_SCORE)
        return;
    jq_push_milli(L, v);
    lua_setfield(L, -2, key);
}

static void set_bool(lua_State *L, const char *key, int b)
{
    lua_pushboolean(L, b);
    lua_setfield(L, -2, key);
}

static void push_unit(lua_State *L, const jql_dataset *ds, size_t i)
{
    lua_createtable(L, 0, 6);
    jq_set_string(L, "id", jql_unit_id(ds, i));
    jq_set_string(L, "name", jql_unit_name(ds, i));
    jq_set_string(L, "level", jql_unit_level(ds, i));
    set_unit_id(L, ds, "parent", jql_unit_parent(ds, i));
    jq_set_string(L, "cluster", jql_unit_cluster(ds, i));
    size_t n = jql_unit_attr_count(ds, i);
    lua_createtable(L, 0, (int)n);
    for (size_t k = 0; k < n; k++)
        jq_set_string(L, jql_unit_attr_key(ds, i, k), jql_unit_attr_value(ds, i, k));
    lua_setfield(L, -2, "attributes");
}

static void push_report(lua_State *L, const jql_dataset *ds, size_t i)
{
    lua_createtable(L, 0, 7);
    set_unit_id(L, ds, "unit", jql_report_unit(ds, i));
    jq_set_string(L, "period", jql_report_period(ds, i));
    jq_set_string(L, "kind", jql_report_kind(ds, i));
    set_date(L, "due", jql_report_due(ds, i));
    set_date(L, "submitted", jql_report_submitted(ds, i));
    set_bool(L, "complete", jql_report_complete(ds, i));
    int32_t days = -1; /* never submitted: JQL_ENODATA */
    if (jql_report_days_late(ds, i, &days) != JQL_OK)
        days = -1;
    lua_pushinteger(L, (lua_Integer)days);
    lua_setfield(L, -2, "days_late");
}

static void push_task(lua_State *L, const jql_dataset *ds, size_t i)
{
    lua_createtable(L, 0, 8);
    jq_set_string(L, "id", jql_task_id(ds, i));
    jq_set_string(L, "title", jql_task_title(ds, i));
    jq_set_string(L, "field", jql_task_field(ds, i));
    jq_set_string(L, "period", jql_task_period(ds, i));
    size_t n = jql_task_owner_count(ds, i);
    lua_createtable(L, (int)n, 0);
    for (size_t k = 0; k < n; k++) {
        lua_pushstring(L, jql_unit_id(ds, jql_task_owner(ds, i, k)));
        lua_rawseti(L, -2, (int)k + 1);
    }
    lua_setfield(L, -2, "owners");
    set_date(L, "due", jql_task_due(ds, i));
    jq_set_string(L, "status", jql_task_status_name(jql_task_get_status(ds, i)));
    set_date(L, "completed", jql_task_completed(ds, i));
}

static void push_strings(lua_State *L, const char *key, size_t n,
                         const char *(*get)(const jql_dataset *, size_t, size_t),
                         const jql_dataset *ds, size_t i)
{
    lua_createtable(L, (int)n, 0);
    for (size_t k = 0; k < n; k++) {
        lua_pushstring(L, get(ds, i, k));
        lua_rawseti(L, -2, (int)k + 1);
    }
    lua_setfield(L, -2, key);
}

static void push_directive(lua_State *L, const jql_dataset *ds, size_t i)
{
    lua_createtable(L, 0, 10);
    jq_set_string(L, "id", jql_directive_id(ds, i));
    jq_set_string(L, "text", jql_directive_text(ds, i));
    set_date(L, "issued", jql_directive_issued(ds, i));
    set_unit_id(L, ds, "issuer", jql_directive_issuer(ds, i));
    set_date(L, "due", jql_directive_due(ds, i));
    jq_set_string(L, "status", jql_directive_status_name(jql_directive_get_status(ds, i)));
    set_date(L, "completed", jql_directive_completed(ds, i));
    size_t n = jql_directive_unit_count(ds, i);
    lua_createtable(L, (int)n, 0);
    for (size_t k = 0; k < n; k++) {
        lua_pushstring(L, jql_unit_id(ds, jql_directive_unit(ds, i, k)));
        lua_rawseti(L, -2, (int)k + 1);
    }
    lua_setfield(L, -2, "units");
    push_strings(L, "levels", jql_directive_level_count(ds, i), jql_directive_level, ds, i);
    push_strings(L, "answers", jql_directive_answer_count(ds, i), jql_directive_answer, ds, i);
}

static void push_shortcoming(lua_State *L, const jql_dataset *ds, size_t i)
{
    lua_createtable(L, 0, 7);
    jq_set_string(L, "id", jql_shortcoming_id(ds, i));
    jq_set_string(L, "text", jql_shortcoming_text(ds, i));
    jq_set_string(L, "field", jql_shortcoming_field(ds, i));
    jq_set_string(L, "period", jql_shortcoming_period(ds, i));
    jq_set_string(L, "resolved", jql_shortcoming_resolved(ds, i));
    size_t n = jql_shortcoming_unit_count(ds, i);
    lua_createtable(L, (int)n, 0);
    for (size_t k = 0; k < n; k++) {
        lua_pushstring(L, jql_unit_id(ds, jql_shortcoming_unit(ds, i, k)));
        lua_rawseti(L, -2, (int)k + 1);
    }
    lua_setfield(L, -2, "units");
    n = jql_shortcoming_cause_count(ds, i);
    lua_createtable(L, (int)n, 0);
    for (size_t k = 0; k < n; k++) {
        lua_createtable(L, 0, 2);
        jq_set_string(L, "kind", jql_shortcoming_cause_kind(ds, i, k));
        jq_set_string(L, "text", jql_shortcoming_cause_text(ds, i, k));
        lua_rawseti(L, -2, (int)k + 1);
    }
    lua_setfield(L, -2, "causes");
}

static void push_event(lua_State *L, const jql_dataset *ds, size_t i)
{
    lua_createtable(L, 0, 6);
    set_unit_id(L, ds, "unit", jql_event_unit(ds, i));
    set_date(L, "date", jql_event_date(ds, i));
    jq_set_string(L, "kind", jql_event_kind(ds, i));
    jq_set_string(L, "text", jql_event_text(ds, i));
    set_milli(L, "points", jql_event_points(ds, i));
    jq_set_string(L, "evidence", jql_event_evidence(ds, i));
}

static void push_assessment(lua_State *L, const jql_dataset *ds, size_t i)
{
    lua_createtable(L, 0, 7);
    set_unit_id(L, ds, "unit", jql_assessment_unit(ds, i));
    jq_set_string(L, "period", jql_assessment_period(ds, i));
    jq_set_string(L, "criterion", jql_assessment_criterion(ds, i));
    set_milli(L, "self", jql_assessment_self(ds, i));
    set_milli(L, "appraised", jql_assessment_appraised(ds, i));
    set_bool(L, "not_applicable", jql_assessment_not_applicable(ds, i));
    jq_set_string(L, "evidence", jql_assessment_evidence(ds, i));
}

static void push_indicator(lua_State *L, const jql_dataset *ds, size_t i)
{
    lua_createtable(L, 0, 5);
    jq_set_string(L, "id", jql_indicator_id(ds, i));
    jq_set_string(L, "name", jql_indicator_name(ds, i));
    jq_set_string(L, "measure_unit", jql_indicator_measure_unit(ds, i));
    jq_set_string(L, "field", jql_indicator_field(ds, i));
    jq_set_string(L, "aggregation", jql_aggregation_name(jql_indicator_aggregation(ds, i)));
}

/* An index buffer owned by the Lua GC (left on the stack). */
static size_t *index_buffer(lua_State *L, long n)
{
    return lua_newuserdata(L, (size_t)(n > 0 ? n : 1) * sizeof(size_t));
}

static void push_list(lua_State *L, const jql_dataset *ds, const size_t *idx, long n,
                      void (*push)(lua_State *, const jql_dataset *, size_t))
{
    lua_createtable(L, (int)n, 0);
    for (long k = 0; k < n; k++) {
        push(L, ds, idx[k]);
        lua_rawseti(L, -2, (int)k + 1);
    }
}

/* ------------------------------------------------------------------ */
/* General                                                             */
/* ------------------------------------------------------------------ */

static int ds_name(lua_State *L)
{
    const char *s = jql_dataset_name(jq_check_dataset(L, 1)->ds);
    if (s == NULL)
        lua_pushnil(L);
    else
        lua_pushstring(L, s);
    return 1;
}

static int ds_description(lua_State *L)
{
    const char *s = jql_dataset_description(jq_check_dataset(L, 1)->ds);
    if (s == NULL)
        lua_pushnil(L);
    else
        lua_pushstring(L, s);
    return 1;
}

static void set_count(lua_State *L, const char *key, size_t n)
{
    lua_pushinteger(L, (lua_Integer)n);
    lua_setfield(L, -2, key);
}

static int ds_counts(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    lua_createtable(L, 0, 10);
    set_count(L, "units", jql_unit_count(ds));
    set_count(L, "periods", jql_period_count(ds));
    set_count(L, "indicators", jql_indicator_count(ds));
    set_count(L, "statistics", jql_stat_count(ds));
    set_count(L, "reports", jql_report_count(ds));
    set_count(L, "tasks", jql_task_count(ds));
    set_count(L, "shortcomings", jql_shortcoming_count(ds));
    set_count(L, "directives", jql_directive_count(ds));
    set_count(L, "assessments", jql_assessment_count(ds));
    set_count(L, "events", jql_event_count(ds));
    return 1;
}

static int ds_check(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    jq_guard *diag = jq_guard_new(L, jq_free_diag);
    jql_clear_error();
    int rc = jql_dataset_check(ds, (jql_diagnostics **)&diag->p);
    if (rc == JQL_OK) {
        jq_guard_release(diag);
        lua_pushboolean(L, 1);
        return 1;
    }
    lua_pushnil(L);
    jq_push_diag_message(L, diag->p, rc);
    jq_push_diagnostics(L, diag->p);
    jq_guard_release(diag);
    return 3;
}

/* ------------------------------------------------------------------ */
/* Units                                                               */
/* ------------------------------------------------------------------ */

/* Index of the unit named at idx, or a failure already pushed (returns 0). */
static int find_unit(lua_State *L, const jql_dataset *ds, int idx, size_t *out)
{
    const char *id = jq_checkstring(L, idx);
    jql_clear_error();
    if (jql_unit_find(ds, id, out) == JQL_OK)
        return 1;
    lua_pushnil(L);
    lua_pushfstring(L, "unknown unit '%s'", id);
    lua_pushstring(L, jq_status_name(JQL_ENOTFOUND));
    return 0;
}

static int ds_unit(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    size_t i;
    if (jql_unit_find(ds, jq_checkstring(L, 2), &i) != JQL_OK)
        return 0;
    push_unit(L, ds, i);
    return 1;
}

static int units_next(lua_State *L)
{
    jq_dataset_ud *ud = lua_touserdata(L, lua_upvalueindex(1));
    if (ud->ds == NULL)
        return luaL_error(L, "dataset is closed");
    lua_Integer k = lua_tointeger(L, lua_upvalueindex(2));
    if ((size_t)k >= jql_unit_count(ud->ds))
        return 0;
    lua_pushinteger(L, k + 1);
    lua_replace(L, lua_upvalueindex(2));
    push_unit(L, ud->ds, (size_t)k);
    return 1;
}

static int ds_units(lua_State *L)
{
    jq_check_dataset(L, 1);
    lua_settop(L, 1);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, units_next, 2);
    return 1;
}

static int ds_children(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    size_t i;
    if (!find_unit(L, ds, 2, &i))
        return 3;
    size_t n = jql_unit_child_count(ds, i);
    lua_createtable(L, (int)n, 0);
    for (size_t k = 0; k < n; k++) {
        lua_pushstring(L, jql_unit_id(ds, jql_unit_child(ds, i, k)));
        lua_rawseti(L, -2, (int)k + 1);
    }
    return 1;
}

static int ds_descendants(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    size_t i;
    if (!find_unit(L, ds, 2, &i))
        return 3;
    size_t n = jql_unit_descendants(ds, i, NULL, 0);
    size_t *buf = index_buffer(L, (long)n);
    n = jql_unit_descendants(ds, i, buf, n);
    lua_createtable(L, (int)n, 0);
    for (size_t k = 0; k < n; k++) {
        lua_pushstring(L, jql_unit_id(ds, buf[k]));
        lua_rawseti(L, -2, (int)k + 1);
    }
    return 1;
}

/* ------------------------------------------------------------------ */
/* Periods and indicators                                              */
/* ------------------------------------------------------------------ */

static int ds_period(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    const char *id = jq_checkstring(L, 2);
    jql_period_kind kind;
    jql_date start, end;
    if (jql_period_resolve(ds, id, &kind, &start, &end) != JQL_OK)
        return 0;
    lua_createtable(L, 0, 5);
    jq_set_string(L, "id", id);
    jq_set_string(L, "kind", jql_period_kind_name(kind));
    set_date(L, "start", start);
    set_date(L, "end", end);
    size_t i;
    if (jql_period_find(ds, id, &i) == JQL_OK) /* declared: its name */
        jq_set_string(L, "name", jql_period_name(ds, i));
    jql_clear_error();
    return 1;
}

static int period_step(lua_State *L, int (*fn)(const jql_dataset *, const char *, char *, size_t))
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    char buf[2 * JQL_MAX_ID_BYTES + 2];
    jql_clear_error();
    int rc = fn(ds, jq_checkstring(L, 2), buf, sizeof buf);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    lua_pushstring(L, buf);
    return 1;
}

static int ds_previous_period(lua_State *L)
{
    return period_step(L, jql_period_previous);
}

static int ds_year_before(lua_State *L)
{
    return period_step(L, jql_period_year_before);
}

static int ds_next_period(lua_State *L)
{
    return period_step(L, jql_period_next);
}

/* ds:period_name(id [, lang]): jql_period_display_name, lang "vi" (default) or "en". */
static int ds_period_name(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    const char *id = jq_checkstring(L, 2);
    const char *lang = jq_optstring(L, 3, "vi");
    char buf[4 * JQL_MAX_ID_BYTES + 64];
    jql_clear_error();
    int rc = jql_period_display_name(ds, id, lang, buf, sizeof buf);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    lua_pushstring(L, buf);
    return 1;
}

/* ds:label(kind, id [, lang]): jql_label_lookup, lang "vi" (default) or any other; nil when unnamed */
static int ds_label(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    const char *kind = jq_checkstring(L, 2);
    const char *id = jq_checkstring(L, 3);
    const char *name = jql_label_lookup(ds, kind, id, jq_optstring(L, 4, "vi"));
    if (name == NULL)
        return 0;
    lua_pushstring(L, name);
    return 1;
}

/* ds:labels(): {{kind=, id=, names={[lang]=name}}...} in the order first set */
static int ds_labels(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    size_t n = jql_label_count(ds);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_createtable(L, 0, 3);
        lua_pushstring(L, jql_label_kind(ds, i));
        lua_setfield(L, -2, "kind");
        lua_pushstring(L, jql_label_id(ds, i));
        lua_setfield(L, -2, "id");
        size_t nn = jql_label_name_count(ds, i);
        lua_createtable(L, 0, (int)nn);
        for (size_t k = 0; k < nn; k++) {
            lua_pushstring(L, jql_label_name_text(ds, i, k));
            lua_setfield(L, -2, jql_label_name_lang(ds, i, k));
        }
        lua_setfield(L, -2, "names");
        lua_rawseti(L, -2, (int)i + 1);
    }
    return 1;
}

/* The fields of document i as a table {[field]=value}. */
static void push_document(lua_State *L, const jql_dataset *ds, size_t i)
{
    size_t n = jql_document_field_count(ds, i);
    lua_createtable(L, 0, (int)n);
    for (size_t k = 0; k < n; k++) {
        lua_pushstring(L, jql_document_field_value(ds, i, k));
        lua_setfield(L, -2, jql_document_field_key(ds, i, k));
    }
}

/* ds:documents(): {[period]={[field]=value}} */
static int ds_documents(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    size_t n = jql_document_count(ds);
    lua_createtable(L, 0, (int)n);
    for (size_t i = 0; i < n; i++) {
        push_document(L, ds, i);
        lua_setfield(L, -2, jql_document_period(ds, i));
    }
    return 1;
}

/* ds:document(period): {[field]=value}, empty when the period has none */
static int ds_document(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    const char *period = jq_checkstring(L, 2);
    size_t i;
    if (jql_document_find(ds, period, &i) == JQL_OK)
        push_document(L, ds, i);
    else
        lua_newtable(L);
    jql_clear_error();
    return 1;
}

static int ds_indicator(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    size_t i;
    if (jql_indicator_find(ds, jq_checkstring(L, 2), &i) != JQL_OK)
        return 0;
    push_indicator(L, ds, i);
    return 1;
}

static int ds_indicators(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    size_t n = jql_indicator_count(ds);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        push_indicator(L, ds, i);
        lua_rawseti(L, -2, (int)i + 1);
    }
    return 1;
}

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

static int ds_value(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    const char *unit = jq_checkstring(L, 2);
    const char *ind = jq_checkstring(L, 3);
    const char *period = jq_checkstring(L, 4);
    unsigned flags = lua_toboolean(L, 5) ? JQL_ROLLUP : 0u;
    jql_milli v;
    jql_clear_error();
    int rc = jql_indicator_value(ds, unit, ind, period, flags, &v);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    jq_push_milli(L, v);
    return 1;
}

static int ds_change(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    const char *unit = jq_checkstring(L, 2);
    const char *ind = jq_checkstring(L, 3);
    const char *period = jq_checkstring(L, 4);
    unsigned flags = lua_toboolean(L, 5) ? JQL_ROLLUP : 0u;
    /* Outputs the library could not compute stay at the sentinel. */
    jql_milli cur = JQL_NO_SCORE, prev = JQL_NO_SCORE, delta = JQL_NO_SCORE,
              pct = JQL_NO_SCORE;
    jql_clear_error();
    int rc = jql_indicator_value_change(ds, unit, ind, period, flags, &cur, &prev, &delta, &pct);
    if (rc != JQL_OK && rc != JQL_ENODATA)
        return jq_fail(L, rc);
    lua_createtable(L, 0, 5);
    set_milli(L, "current", cur);
    set_milli(L, "previous", prev);
    set_milli(L, "delta", delta);
    set_milli(L, "percent", pct);
    set_bool(L, "no_data", rc == JQL_ENODATA);
    return 1;
}

/* ------------------------------------------------------------------ */
/* Reports, tasks, directives, shortcomings, events, assessments       */
/* ------------------------------------------------------------------ */

/* The reports of a period (jql_reports_in_period), or only the late and
   never submitted ones (jql_reports_late): the library filters. */
static int reports_query(lua_State *L, int late_only)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    const char *unit = jq_checkstring(L, 2);
    const char *period = jq_checkstring(L, 3);
    const char *kind = jq_optstring(L, 4, NULL);
    int (*query)(const jql_dataset *, const char *, const char *, const char *, size_t *, size_t,
                 size_t *) = late_only ? jql_reports_late : jql_reports_in_period;
    jql_clear_error();
    size_t n = 0;
    int rc = query(ds, unit, period, kind, NULL, 0, &n);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    size_t *buf = index_buffer(L, (long)n);
    rc = query(ds, unit, period, kind, buf, n, &n);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    push_list(L, ds, buf, (long)n, push_report);
    return 1;
}

/* ds:report(unit, period, kind): the report's table (jql_report_find), or nil. */
static int ds_report(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    size_t i;
    if (jql_report_find(ds, jq_checkstring(L, 2), jq_checkstring(L, 3), jq_checkstring(L, 4),
                        &i) != JQL_OK)
        return 0;
    push_report(L, ds, i);
    return 1;
}

/* ds:report_standing(unit, period, kind [, as_of]): standing name ("on_time",
   "late", "missing", "not_due"), days late (nil unless on time or late) and
   incomplete, as the tallies count (jql_report_get_standing); nil when there
   is no such report. */
static int ds_report_standing(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    const char *unit = jq_checkstring(L, 2), *period = jq_checkstring(L, 3);
    const char *kind = jq_checkstring(L, 4);
    jql_date as_of = jq_opt_date(L, 5);
    size_t i;
    if (jql_report_find(ds, unit, period, kind, &i) != JQL_OK)
        return 0;
    jql_report_standing st;
    int32_t days = -1;
    bool incomplete = false;
    int rc = jql_report_get_standing(ds, i, as_of, &st, &days, &incomplete);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    lua_pushstring(L, jql_report_standing_name(st));
    if (days >= 0)
        lua_pushinteger(L, (lua_Integer)days);
    else
        lua_pushnil(L);
    lua_pushboolean(L, incomplete);
    return 3;
}

/* ds:directive_done(id [, as_of]): whether it was done by then
   (jql_directive_done_by), or nil for an unknown id. */
static int ds_directive_done(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    const char *id = jq_checkstring(L, 2);
    jql_date as_of = jq_opt_date(L, 3);
    size_t i;
    bool done = false;
    if (jql_directive_find(ds, id, &i) != JQL_OK)
        return 0;
    int rc = jql_directive_done_by(ds, i, as_of, &done);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    lua_pushboolean(L, done);
    return 1;
}

static int ds_reports(lua_State *L)
{
    return reports_query(L, 0);
}

static int ds_late_reports(lua_State *L)
{
    return reports_query(L, 1);
}

/* A unit's records due in a period (unit optional), as a list of tables. */
static int due_query(lua_State *L,
                     int (*fn)(const jql_dataset *, const char *, const char *, size_t *, size_t,
                               size_t *),
                     void (*push)(lua_State *, const jql_dataset *, size_t))
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    const char *unit = jq_optstring(L, 2, NULL);
    const char *period = jq_checkstring(L, 3);
    jql_clear_error();
    size_t n = 0;
    int rc = fn(ds, unit, period, NULL, 0, &n);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    size_t *buf = index_buffer(L, (long)n);
    rc = fn(ds, unit, period, buf, n, &n);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    push_list(L, ds, buf, (long)n, push);
    return 1;
}

static int ds_tasks_due(lua_State *L)
{
    return due_query(L, jql_tasks_due, push_task);
}

static int ds_tasks_overdue(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    const char *unit = jq_optstring(L, 2, NULL);
    jql_date as_of = jq_check_date(L, 3);
    jql_clear_error();
    size_t n = 0;
    int rc = jql_tasks_overdue(ds, unit, as_of, NULL, 0, &n);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    size_t *buf = index_buffer(L, (long)n);
    rc = jql_tasks_overdue(ds, unit, as_of, buf, n, &n);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    push_list(L, ds, buf, (long)n, push_task);
    return 1;
}

static int share_query(lua_State *L, int (*fn)(const jql_dataset *, const char *,
                                               const char *, jql_milli *))
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    const char *unit = jq_checkstring(L, 2);
    const char *period = jq_checkstring(L, 3);
    jql_milli share;
    jql_clear_error();
    int rc = fn(ds, unit, period, &share);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    jq_push_milli(L, share);
    return 1;
}

static int ds_task_completion(lua_State *L)
{
    return share_query(L, jql_tasks_completion_share);
}

static int ds_directive_completion(lua_State *L)
{
    return share_query(L, jql_directives_completion_share);
}

static int ds_directives_due(lua_State *L)
{
    return due_query(L, jql_directives_due, push_directive);
}

/* A string option of the tally table (left on the stack, so it stays valid
   for the call); NULL when absent. */
static const char *tally_opt(lua_State *L, int t, const char *key)
{
    lua_getfield(L, t, key);
    if (lua_isnil(L, -1))
        return NULL;
    if (lua_type(L, -1) != LUA_TSTRING)
        luaL_error(L, "tally option %s must be a string", key);
    return jq_tostring(L, -1); /* NUL refused */
}

/* ds:tally(unit, period [, {rollup=, as_of=, report_kind=, task_field=}]):
   the library's counts (jql_tally_compute) in a table keyed by the
   library's own field names. unit and period may be nil (every unit,
   every record). */
static int ds_tally(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    const char *unit = jq_optstring(L, 2, NULL);
    const char *period = jq_optstring(L, 3, NULL);
    jql_tally_options o = JQL_TALLY_OPTIONS_INIT;
    if (!lua_isnoneornil(L, 4)) {
        luaL_checktype(L, 4, LUA_TTABLE);
        static const char *const keys[] = {"rollup", "as_of", "report_kind", "task_field"};
        lua_pushnil(L);
        while (lua_next(L, 4)) {
            int known = 0;
            for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
                known |= lua_type(L, -2) == LUA_TSTRING &&
                         strcmp(lua_tostring(L, -2), keys[k]) == 0;
            if (!known)
                return luaL_error(L, "unknown tally option %s",
                                  lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2)
                                                                 : "(not a string)");
            lua_pop(L, 1);
        }
        lua_getfield(L, 4, "rollup");
        o.flags = lua_toboolean(L, -1) ? JQL_ROLLUP : 0u;
        lua_pop(L, 1);
        o.as_of = tally_opt(L, 4, "as_of");
        o.report_kind = tally_opt(L, 4, "report_kind");
        o.task_field = tally_opt(L, 4, "task_field");
    }
    jql_tally t = JQL_TALLY_INIT;
    jql_clear_error();
    int rc = jql_tally_compute(ds, unit, period, &o, &t);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    lua_createtable(L, 0, (int)jql_tally_field_count());
    for (size_t f = 0; f < jql_tally_field_count(); f++) {
        size_t v;
        if (jql_tally_get(&t, (jql_tally_field)f, &v) != JQL_OK)
            continue; /* a field newer than the struct this module was built with */
        lua_pushinteger(L, (lua_Integer)v);
        lua_setfield(L, -2, jql_tally_field_name((jql_tally_field)f));
    }
    return 1;
}

static int ds_shortcomings_open(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    const char *period = jq_checkstring(L, 2);
    jql_clear_error();
    size_t n = 0;
    int rc = jql_shortcomings_open(ds, NULL, period, NULL, 0, &n);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    size_t *buf = index_buffer(L, (long)n);
    rc = jql_shortcomings_open(ds, NULL, period, buf, n, &n);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    push_list(L, ds, buf, (long)n, push_shortcoming);
    return 1;
}

static int ds_events(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    const char *unit = jq_optstring(L, 2, NULL);
    const char *kind = jq_optstring(L, 3, NULL);
    const char *period = jq_checkstring(L, 4);
    jql_clear_error();
    size_t n = 0;
    int rc = jql_events_in_period(ds, unit, period, kind, NULL, 0, &n);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    size_t *buf = index_buffer(L, (long)n);
    rc = jql_events_in_period(ds, unit, period, kind, buf, n, &n);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    push_list(L, ds, buf, (long)n, push_event);
    return 1;
}

/* Look-ups by id: the record's table, or nil. */
#define LOOKUP_BY_ID(fname, find, push)                                      \
    static int fname(lua_State *L)                                           \
    {                                                                        \
        const jql_dataset *ds = jq_check_dataset(L, 1)->ds;                  \
        size_t i;                                                            \
        if (find(ds, jq_checkstring(L, 2), &i) != JQL_OK)                  \
            return 0;                                                        \
        push(L, ds, i);                                                      \
        return 1;                                                            \
    }

LOOKUP_BY_ID(ds_task, jql_task_find, push_task)
LOOKUP_BY_ID(ds_directive, jql_directive_find, push_directive)
LOOKUP_BY_ID(ds_shortcoming, jql_shortcoming_find, push_shortcoming)

static int ds_assessment(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    size_t i;
    if (jql_assessment_find(ds, jq_checkstring(L, 2), jq_checkstring(L, 3),
                            jq_checkstring(L, 4), &i) != JQL_OK)
        return 0;
    push_assessment(L, ds, i);
    return 1;
}

/* ------------------------------------------------------------------ */
/* Output and lifetime                                                 */
/* ------------------------------------------------------------------ */

static int ds_to_json(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    jq_guard *g = jq_guard_new(L, jq_free_mem);
    size_t len = 0;
    jql_clear_error();
    int rc = jql_dataset_to_json(ds, (char **)&g->p, &len);
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    lua_pushlstring(L, g->p, len);
    jq_guard_release(g);
    return 1;
}

static int ds_save(lua_State *L)
{
    const jql_dataset *ds = jq_check_dataset(L, 1)->ds;
    jql_clear_error();
    int rc = jql_dataset_save_path(ds, jq_checkstring(L, 2));
    if (rc != JQL_OK)
        return jq_fail(L, rc);
    lua_pushboolean(L, 1);
    return 1;
}

/* close, __close and __gc alike. The collector never finalizes a dataset
 * jq.score is using (it is on that call's stack), so `busy` here means a
 * direct call, e.g. through debug.getmetatable(ds).__gc from a custom
 * function: freeing then would pull the dataset from under the scoring. */
static int ds_close(lua_State *L)
{
    jq_dataset_ud *ud = luaL_checkudata(L, 1, JQ_MT_DATASET);
    if (ud->busy > 0)
        return luaL_error(L, "dataset cannot be closed while it is being scored");
    jql_dataset_free(ud->ds);
    ud->ds = NULL;
    return 0;
}

static int ds_tostring(lua_State *L)
{
    jq_dataset_ud *ud = luaL_checkudata(L, 1, JQ_MT_DATASET);
    if (ud->ds == NULL)
        lua_pushfstring(L, "justice_quarterly.dataset (closed): %p", (void *)ud);
    else
        lua_pushfstring(L, "justice_quarterly.dataset (%d units): %p",
                        (int)jql_unit_count(ud->ds), (void *)ud);
    return 1;
}

static const luaL_Reg ds_methods[] = {
    {"name", ds_name},
    {"description", ds_description},
    {"counts", ds_counts},
    {"check", ds_check},
    {"warnings", ds_warnings},
    {"unit", ds_unit},
    {"units", ds_units},
    {"children", ds_children},
    {"descendants", ds_descendants},
    {"period", ds_period},
    {"previous_period", ds_previous_period},
    {"year_before", ds_year_before},
    {"next_period", ds_next_period},
    {"period_name", ds_period_name},
    {"label", ds_label},
    {"labels", ds_labels},
    {"documents", ds_documents},
    {"document", ds_document},
    {"indicator", ds_indicator},
    {"indicators", ds_indicators},
    {"value", ds_value},
    {"change", ds_change},
    {"reports", ds_reports},
    {"late_reports", ds_late_reports},
    {"report", ds_report},
    {"report_standing", ds_report_standing},
    {"task", ds_task},
    {"tasks_due", ds_tasks_due},
    {"tasks_overdue", ds_tasks_overdue},
    {"task_completion", ds_task_completion},
    {"directive", ds_directive},
    {"directive_done", ds_directive_done},
    {"directives_due", ds_directives_due},
    {"directive_completion", ds_directive_completion},
    {"tally", ds_tally},
    {"shortcoming", ds_shortcoming},
    {"shortcomings_open", ds_shortcomings_open},
    {"events", ds_events},
    {"assessment", ds_assessment},
    {"to_json", ds_to_json},
    {"save", ds_save},
    {"close", ds_close},
    {NULL, NULL},
};

void jq_open_dataset(lua_State *L)
{
    luaL_newmetatable(L, JQ_MT_DATASET);
    jqc_newlib(L, ds_methods);
    jq_builder_methods(L);
    jq_csv_methods(L);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, ds_close);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, ds_close);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, ds_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "justice_quarterly.dataset");
    lua_setfield(L, -2, "__name");
    lua_pushliteral(L, "justice_quarterly.dataset");
    lua_setfield(L, -2, "__metatable"); /* getmetatable(ds) gives this, not the table */
    lua_pop(L, 1);
}
