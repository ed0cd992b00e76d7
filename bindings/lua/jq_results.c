/*
 * Lua binding: scoring results.
 *
 * results:to_json() is the library's jql_results_to_json() text, byte for
 * byte. Tables (results[i], results:units(), results:to_table()) are built
 * from the C accessors (score.h, explain.h) at each call, with exactly the
 * fields of that JSON; callers may modify them. Evidence records are the
 * exception: one table per record, built when first cited and shared by
 * every citation (read them, do not modify them).
 *
 * SPDX-License-Identifier: MIT
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

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

/* ---- the document as Lua tables, from the C accessors ----
   The same fields, values and insertion order as the results JSON
   (docs/CRITERIA.md, "Results"): a JSON null is a missing key, numbers
   are pushed like every other jql_milli (jq_push_milli). */

static void set_str(lua_State *L, const char *k, const char *v)
{
    if (!v)
        return; /* null */
    lua_pushstring(L, k);
    lua_pushstring(L, v);
    lua_rawset(L, -3);
}

static void set_milli(lua_State *L, const char *k, jql_milli v)
{
    lua_pushstring(L, k);
    jq_push_milli(L, v);
    lua_rawset(L, -3);
}

static void set_opt_milli(lua_State *L, const char *k, bool has, jql_milli v)
{
    if (has)
        set_milli(L, k, v);
}

static void set_bool(lua_State *L, const char *k, bool v)
{
    lua_pushstring(L, k);
    lua_pushboolean(L, v);
    lua_rawset(L, -3);
}

/* Counts are written as JSON integers, which read back as jql_milli. */
static void set_count(lua_State *L, const char *k, size_t v)
{
    set_milli(L, k, (jql_milli)v * 1000);
}

/* One evidence record, its keys in the writer's order: per kind, the text
   fields, with VALUE and DATE where the statistic's value and the event's
   date go. */
static void push_record(lua_State *L, const jql_results *r, size_t ev)
{
    jql_evidence_kind kind = jql_results_evidence_kind(r, ev);
    lua_createtable(L, 0, 8);
    if ((int)kind < 0 || kind >= JQL_EVIDENCE_KIND_COUNT)
        return;
    set_str(L, "kind", jql_evidence_kind_name(kind));
    /* the document's order of the kind's fields, from the library */
    const jql_evidence_field *fields;
    size_t nf = jql_evidence_kind_fields(kind, &fields);
    for (size_t i = 0; i < nf; i++) {
        jql_evidence_field f = fields[i];
        jql_milli value;
        jql_date date;
        char d[11];
        if (f == JQL_EVIDENCE_FIELD_VALUE) {
            if (jql_results_evidence_value(r, ev, &value))
                set_milli(L, jql_evidence_field_name(f), value);
        } else if (f == JQL_EVIDENCE_FIELD_DATE) {
            if (jql_results_evidence_date(r, ev, &date)) {
                jql_date_format(date, d);
                set_str(L, jql_evidence_field_name(f), d);
            }
        } else {
            set_str(L, jql_evidence_field_name(f), jql_results_evidence_text(r, ev, f));
        }
    }
}

/* Evidence record ev from the results' record tables (the user value's
   "records", by record number), built the first time it is cited: a
   roll-up leaf cites its unit's whole subtree, so along a chain of units
   the citations grow with the square of the dataset while the records do
   not (a 20,000-unit chain: 200 million tables, more than 120 s for
   results:units(), for 20,000 records). The tables are shared by every
   citation, in every unit and document, like the results' own lists. */
static void push_cited(lua_State *L, int records, const jql_results *r, size_t ev)
{
    if (ev >= (size_t)INT_MAX) { /* no slot for it: a table of its own */
        push_record(L, r, ev);
        return;
    }
    lua_rawgeti(L, records, (int)ev + 1);
    if (!lua_isnil(L, -1))
        return;
    lua_pop(L, 1);
    push_record(L, r, ev);
    lua_pushvalue(L, -1);
    lua_rawseti(L, records, (int)ev + 1);
}

/* What a node and an item share, after their id and max. */
typedef struct {
    jql_milli points, value, self, appraised;
    bool applicable, has_value, no_data, never;
    const char *rule;
    jql_result_source source;
    size_t nev;
} part;

static void set_part(lua_State *L, const jql_results *r, int records, const part *x,
                     size_t (*evidence)(const jql_results *, size_t, size_t, size_t), size_t k,
                     size_t n)
{
    set_milli(L, "points", x->points);
    set_bool(L, "applicable", x->applicable);
    set_opt_milli(L, "value", x->has_value, x->value);
    set_bool(L, "no_data", x->no_data);
    set_bool(L, "never_submitted", x->never);
    set_str(L, "rule", x->rule ? x->rule : "");
    set_str(L, "source", jql_result_source_name(x->source));
    set_opt_milli(L, "self", x->self != JQL_NO_SCORE, x->self);
    set_opt_milli(L, "appraised", x->appraised != JQL_NO_SCORE, x->appraised);
    lua_pushliteral(L, "evidence");
    lua_createtable(L, x->nev < INT_MAX ? (int)x->nev : 0, 0);
    for (size_t e = 0; e < x->nev; e++) {
        push_cited(L, records, r, evidence(r, k, n, e));
        lua_rawseti(L, -2, (int)e + 1);
    }
    lua_rawset(L, -3);
}

static void push_nodes(lua_State *L, const jql_results *r, int records, size_t k)
{
    size_t nn = jql_results_node_count(r);
    /* tables made at their final size: growing each one key by key was
       most of the time of a large document */
    lua_createtable(L, nn < INT_MAX ? (int)nn : 0, 0);
    for (size_t n = 0; n < nn; n++) {
        luaL_checkstack(L, 8, "results");
        lua_createtable(L, 0, 14);
        set_str(L, "id", jql_results_node_id(r, n));
        size_t parent = jql_results_node_parent(r, n);
        set_str(L, "parent", parent == JQL_NONE ? NULL : jql_results_node_id(r, parent));
        set_milli(L, "max", jql_results_node_max(r, k, n));
        part x = {jql_results_node_points(r, k, n), 0, jql_results_node_self(r, k, n),
                  jql_results_node_appraised(r, k, n), jql_results_node_applicable(r, k, n),
                  false, jql_results_node_no_data(r, k, n),
                  jql_results_node_never_submitted(r, k, n), jql_results_node_rule(r, k, n),
                  jql_results_node_source(r, k, n), jql_results_node_evidence_count(r, k, n)};
        x.has_value = jql_results_node_value(r, k, n, &x.value);
        set_part(L, r, records, &x, jql_results_node_evidence, k, n);
        lua_rawseti(L, -2, (int)n + 1);
    }
}

static void push_items(lua_State *L, const jql_results *r, int records, size_t k,
                       bool deductions)
{
    size_t ni = jql_results_item_count(r);
    int pos = 0;
    lua_newtable(L);
    for (size_t i = 0; i < ni; i++) {
        if (jql_results_item_is_deduction(r, i) != deductions)
            continue;
        luaL_checkstack(L, 8, "results");
        lua_createtable(L, 0, 13);
        set_str(L, "id", jql_results_item_id(r, i));
        set_milli(L, "max", jql_results_item_max(r, i));
        /* items always apply (the writer's "applicable" is true) */
        part x = {jql_results_item_points(r, k, i), 0, jql_results_item_self(r, k, i),
                  jql_results_item_appraised(r, k, i), true, false,
                  jql_results_item_no_data(r, k, i), jql_results_item_never_submitted(r, k, i),
                  jql_results_item_rule(r, k, i), jql_results_item_source(r, k, i),
                  jql_results_item_evidence_count(r, k, i)};
        x.has_value = jql_results_item_value(r, k, i, &x.value);
        set_part(L, r, records, &x, jql_results_item_evidence, k, i);
        lua_rawseti(L, -2, ++pos);
    }
}

/* The ids of the leaves whose flag is set, in node order. */
static void set_leaf_list(lua_State *L, const jql_results *r, size_t k, const char *key,
                          bool (*flag)(const jql_results *, size_t, size_t))
{
    int pos = 0;
    lua_pushstring(L, key);
    lua_newtable(L);
    for (size_t n = 0; n < jql_results_node_count(r); n++)
        if (flag(r, k, n)) {
            lua_pushstring(L, jql_results_node_id(r, n));
            lua_rawseti(L, -2, ++pos);
        }
    lua_rawset(L, -3);
}

static void push_unit_table(lua_State *L, const jql_results *r, int records, size_t k)
{
    luaL_checkstack(L, 8, "results");
    lua_newtable(L);
    set_str(L, "id", jql_results_unit_id(r, k));
    set_str(L, "name", jql_results_unit_name(r, k));
    const char *cluster = jql_results_unit_cluster(r, k);
    set_str(L, "cluster", cluster);
    static const jql_result_field first[] = {JQL_RESULT_FIELD_TOTAL,     JQL_RESULT_FIELD_APPLICABLE_MAX,
                                             JQL_RESULT_FIELD_NORMALIZED, JQL_RESULT_FIELD_BONUS,
                                             JQL_RESULT_FIELD_BONUS_RAW,  JQL_RESULT_FIELD_DEDUCTIONS,
                                             JQL_RESULT_FIELD_FINAL};
    for (size_t f = 0; f < sizeof first / sizeof first[0]; f++)
        set_milli(L, jql_result_field_name(first[f]), jql_results_unit_value(r, k, first[f]));
    set_str(L, "tier", jql_results_unit_tier(r, k));
    set_str(L, "tier_before_caps", jql_results_unit_tier_before_caps(r, k));
    set_str(L, "tier_after_vetoes", jql_results_unit_tier_after_vetoes(r, k));
    set_count(L, "rank", jql_results_unit_rank(r, k));
    if (cluster)
        set_count(L, "cluster_rank", jql_results_unit_cluster_rank(r, k));
    set_bool(L, "leader", jql_results_unit_is_leader(r, k));
    lua_pushliteral(L, "vetoes");
    lua_newtable(L);
    for (size_t v = 0; v < jql_results_unit_veto_count(r, k); v++) {
        lua_newtable(L);
        set_str(L, "id", jql_results_unit_veto_id(r, k, v));
        set_str(L, "reason", jql_results_unit_veto_reason(r, k, v));
        set_str(L, "cap", jql_results_unit_veto_cap(r, k, v));
        lua_rawseti(L, -2, (int)v + 1);
    }
    lua_rawset(L, -3);
    set_bool(L, "quota_demoted", jql_results_unit_quota_demoted(r, k));
    set_bool(L, "quota_tie", jql_results_unit_quota_tie(r, k));
    set_milli(L, jql_result_field_name(JQL_RESULT_FIELD_GAP), jql_results_unit_value(r, k, JQL_RESULT_FIELD_GAP));
    set_str(L, "next_tier", jql_results_unit_next_tier(r, k));
    const char *held = jql_results_unit_held_back(r, k);
    set_str(L, "held_back", held && held[0] ? held : NULL);
    set_milli(L, jql_result_field_name(JQL_RESULT_FIELD_SELF_TOTAL),
              jql_results_unit_value(r, k, JQL_RESULT_FIELD_SELF_TOTAL));
    set_leaf_list(L, r, k, "unappraised", jql_results_node_unappraised);
    set_leaf_list(L, r, k, "self_differs", jql_results_node_self_differs);
    lua_pushliteral(L, "nodes");
    push_nodes(L, r, records, k);
    lua_rawset(L, -3);
    lua_pushliteral(L, "bonus_items");
    push_items(L, r, records, k, false);
    lua_rawset(L, -3);
    lua_pushliteral(L, "deduction_items");
    push_items(L, r, records, k, true);
    lua_rawset(L, -3);
}

/* The whole document as one table. */
static void build_doc(lua_State *L, const jql_results *r, int records)
{
    luaL_checkstack(L, 8, "results");
    lua_newtable(L);
    set_str(L, "format", JQL_RESULTS_FORMAT);
    set_str(L, "criteria", jql_results_criteria_id(r));
    set_str(L, "period", jql_results_period(r));
    if (jql_results_as_of(r)) /* only when scored as of a date, as the JSON */
        set_str(L, "as_of", jql_results_as_of(r));
    set_milli(L, "scale", jql_results_scale(r));
    set_bool(L, "allow_above_scale", jql_results_allow_above_scale(r));
    lua_pushliteral(L, "tiers");
    lua_newtable(L);
    for (size_t t = 0; t < jql_results_tier_count(r); t++) {
        lua_newtable(L);
        set_str(L, "id", jql_results_tier_id(r, t));
        set_str(L, "name", jql_results_tier_name(r, t));
        set_milli(L, "min", jql_results_tier_min(r, t));
        lua_rawseti(L, -2, (int)t + 1);
    }
    lua_rawset(L, -3);
    lua_pushliteral(L, "units");
    lua_newtable(L);
    for (size_t k = 0; k < jql_results_unit_count(r); k++) {
        push_unit_table(L, r, records, k);
        lua_rawseti(L, -2, (int)k + 1);
    }
    lua_rawset(L, -3);
}

/* Push the record tables of the results at idx (made on first use). */
static void push_records(lua_State *L, int idx)
{
    idx = jqc_absindex(L, idx);
    jqc_getuservalue(L, idx);
    lua_getfield(L, -1, "records");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, "records");
    }
    lua_remove(L, -2); /* the user value */
}

/* Push unit k (1-based) of the results at idx as a table of its own,
   built from the accessors as the document builds it: a unit no longer
   builds the whole document (1,000 units x 4,400 criteria: the first
   results:unit() or iteration built and kept 6.4 GB of tables for 34 s). */
static void push_unit(lua_State *L, int idx, const jql_results *r, lua_Integer k)
{
    push_records(L, idx);
    push_unit_table(L, r, lua_gettop(L), (size_t)k - 1);
    lua_remove(L, -2); /* the records */
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
        push_unit(L, 1, ud->r, k);
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
    push_unit(L, lua_upvalueindex(1), ud->r, k);
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
    size_t k;
    if (jql_results_unit_find(ud->r, id, &k) != JQL_OK) {
        jql_clear_error();
        return 0;
    }
    push_unit(L, 1, ud->r, (lua_Integer)k + 1);
    return 1;
}

/* A fresh document each call, never cached: a cached one and its copy
   held the results twice. Refused, as results:to_json() is, past the
   citations one document may list (JQL_MAX_RESULTS_EVIDENCE): a 20,000-unit
   chain with a roll-up leaf cites 200 million and took 32 s and 7.8 GB
   before failing for memory. The error names the caller's line. */
static int rs_to_table(lua_State *L)
{
    const jql_results *r = check_results(L, 1)->r;
    size_t cited = jql_results_citation_count(r);
    if (cited > JQL_MAX_RESULTS_EVIDENCE) {
        char msg[256];
        snprintf(msg, sizeof msg,
                 "the results cite %zu evidence records, over the limit of %u one document "
                 "may list (docs/CRITERIA.md, \"Limits\"): read units one at a time "
                 "(results:units()) or use results:write(file, \"none\")",
                 cited, JQL_MAX_RESULTS_EVIDENCE);
        return luaL_error(L, "%s", msg);
    }
    push_records(L, 1);
    build_doc(L, r, lua_gettop(L));
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

/* r:write(file [, evidence]): the bytes of r:to_json(evidence) streamed to
   file:write(chunk), one unit at a time (jql_results_write_cb). */
static int rs_write(lua_State *L)
{
    jq_results_ud *ud = check_results(L, 1);
    jql_evidence_level level = JQL_EVIDENCE_FULL;
    if (!lua_isnoneornil(L, 3) &&
        jql_evidence_level_from_name(luaL_checkstring(L, 3), &level) != JQL_OK)
        return jq_bad_name(L, 3);
    jq_sink s;
    jq_sink_begin(L, 2, &s);
    jql_clear_error();
    ud->busy++; /* write may call anything: not r:close() meanwhile */
    int rc = jql_results_write_cb(ud->r, jq_sink_chunk, &s, level);
    ud->busy--;
    return jq_sink_end(L, &s, rc);
}

static int rs_period(lua_State *L)
{
    lua_pushstring(L, jql_results_period(check_results(L, 1)->r));
    return 1;
}

/* r:as_of(): "YYYY-MM-DD" the results were scored as of, nil without one */
static int rs_as_of(lua_State *L)
{
    const char *as_of = jql_results_as_of(check_results(L, 1)->r);
    if (as_of)
        lua_pushstring(L, as_of);
    else
        lua_pushnil(L);
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
    /* the collector never finalizes results r:write holds (on its stack) */
    if (ud->busy > 0)
        return luaL_error(L, "results cannot be closed while they are written");
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
    {"write", rs_write},
    {"period", rs_period},
    {"as_of", rs_as_of},
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
