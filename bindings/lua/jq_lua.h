/*
 * Lua binding of libjustice-quarterly: declarations shared by the module's
 * files. Every computation happens in the C library; these files only move
 * values between Lua and C.
 *
 * Ownership: each library object lives in a full userdata whose __gc (and
 * __close on 5.4, and :close()) frees it. Memory returned by the library is
 * first parked in a "guard" userdata so that a Lua error (out of memory
 * while pushing a string) cannot leak it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JQ_LUA_H
#define JQ_LUA_H

#include <justice_quarterly.h>

#include "compat.h"

#define JQ_MT_DATASET "justice_quarterly.dataset"
#define JQ_MT_CRITERIA "justice_quarterly.criteria"
#define JQ_MT_RESULTS "justice_quarterly.results"
#define JQ_MT_GUARD "justice_quarterly.guard"

typedef struct {
    jql_dataset *ds; /* NULL once closed */
    int busy;        /* > 0 while being scored: no edits, no closing */
} jq_dataset_ud;

typedef struct {
    jql_criteria *c; /* NULL once closed */
    int busy;
    /* Set only while jq.score runs: where custom callbacks find Lua. */
    lua_State *L;
    int closure_index; /* stack index (in L) of the closure callbacks run in */
    /* The custom call running now (NULL outside one) and its number: a
       context's ctx:points_from_ratio works only while its call runs. */
    jql_custom_ctx *cc;
    lua_Number call_serial; /* numbers every call; exact far beyond any count */
    lua_Number live_serial; /* cc's number; 0 when none */
} jq_criteria_ud;

typedef struct {
    jql_results *r;
    int busy; /* > 0 while streamed to a write method: no closing */
} jq_results_ud;

/* A pointer freed by __gc unless released first. */
typedef struct {
    void *p;
    void (*free_fn)(void *);
} jq_guard;

/* Streamed output to any object with a write method (a Lua file, or a
   table collecting chunks): each chunk is obj:write(chunk), called
   protected. jq_sink_begin takes the object at idx (its write method
   looked up there, before the library runs); jq_sink_end turns the
   library's status into Lua results: true; nil, message, "io" when write
   returned nil or false (its message); the method's own error re-raised;
   otherwise jq_fail's. */
typedef struct {
    lua_State *L;
    int obj, fn;     /* stack indices of the object and its write method */
    int error_ref;   /* the method's error (registry), LUA_NOREF when none */
    int refused_ref; /* its message when it returned nil/false, LUA_NOREF when none */
} jq_sink;
void jq_sink_begin(lua_State *L, int idx, jq_sink *s);
int jq_sink_chunk(void *user, const char *data, size_t len);
int jq_sink_end(lua_State *L, jq_sink *s, int rc);

/* ---- jq_lua.c: shared helpers ---- */
jq_guard *jq_guard_new(lua_State *L, void (*free_fn)(void *));
void jq_guard_release(jq_guard *g);
void jq_free_diag(void *p);
void jq_free_mem(void *p);

const char *jq_status_name(int rc);
/* Push nil, message, code name (the luv convention); returns 3. */
int jq_fail(lua_State *L, int rc);
/* Push a diagnostics list as {{path=, line=, column=, message=, severity=}...}. */
void jq_push_diagnostics(lua_State *L, const jql_diagnostics *d);
/* Push "source:line:column: message" of the first error (+ how many more). */
void jq_push_diag_message(lua_State *L, const jql_diagnostics *d, int rc);
/* Shared tail of the load functions, with [object userdata, guard] on top of
 * the stack: the object alone on success (its warnings kept in its
 * uservalue for :warnings()), else nil, message, errors. Only one value on
 * success, so jq.score(ds, assert(jq.load(p))) stays safe. */
int jq_load_result(lua_State *L, int rc, jq_guard *diag);
/* Load options from an optional table {max_input_size = bytes} at idx
   (jq.load, jq.loads, jq.load_criteria, jq.loads_criteria). */
void jq_load_options(lua_State *L, int idx, jql_load_options *lo);
/* obj:warnings() for the userdata at index 1 (already type-checked). */
int jq_push_warnings(lua_State *L);

/* Strings handed to the library. C strings end at the first NUL, so a Lua
 * string holding one would silently name something else ("a\0evil" -> "a"):
 * these refuse it with a Lua error. Every string the binding passes to C
 * goes through them (jq_tostring: like lua_tostring, NULL for non-strings). */
const char *jq_tostring(lua_State *L, int idx);
const char *jq_checkstring(lua_State *L, int arg);
const char *jq_optstring(lua_State *L, int arg, const char *def);
/* NULL when the string at idx has no embedded NUL, else what is wrong. */
const char *jq_nul_error(lua_State *L, int idx);

/* Exact thousandths <-> Lua numbers. */
void jq_push_milli(lua_State *L, jql_milli v);
/* jq_to_*: NULL on success, else what is wrong (no Lua error raised). */
const char *jq_to_milli(lua_State *L, int idx, jql_milli *out);
jql_milli jq_check_milli(lua_State *L, int idx);
/* nil/none -> JQL_NO_SCORE */
jql_milli jq_opt_score(lua_State *L, int idx);

/* Dates as "YYYY-MM-DD" strings; JQL_NO_DATE <-> nil. */
void jq_push_date(lua_State *L, jql_date d);
const char *jq_to_date(lua_State *L, int idx, jql_date *out);
jql_date jq_check_date(lua_State *L, int idx);
jql_date jq_opt_date(lua_State *L, int idx);

/* t[key] = value for the table at the top; skips NULL values. */
void jq_set_string(lua_State *L, const char *key, const char *value);
/* Raise the error luaL_checkoption gives for a name the library's table
   (names.h) does not know: argument @p arg is the name. */
int jq_bad_name(lua_State *L, int arg);

/* ---- userdata access ---- */
jq_dataset_ud *jq_check_dataset(lua_State *L, int idx);
jq_dataset_ud *jq_check_dataset_edit(lua_State *L, int idx);
jq_criteria_ud *jq_check_criteria(lua_State *L, int idx);

/* ---- per-file registration ---- */
void jq_open_dataset(lua_State *L);  /* metatable + methods */
void jq_open_criteria(lua_State *L);
void jq_open_results(lua_State *L);
void jq_builder_methods(lua_State *L); /* adds builder methods to the table on top */
void jq_csv_methods(lua_State *L);     /* adds import_csv, import_csv_text (jq_csv.c) */
void jq_open_analysis(lua_State *L);   /* jq_analysis.c: editing and analysis methods */

int jq_load(lua_State *L);
int jq_loads(lua_State *L);
int jq_new(lua_State *L);
int jq_load_criteria(lua_State *L);
int jq_loads_criteria(lua_State *L);
int jq_score(lua_State *L);
/* jq.score's options table at @p idx (as_of, allow_empty, evidence, the
   limits, threads) into *opts, as_of copied into @p as_of (64 bytes: a
   longer text is no date, and stays none once cut); returns 0, or raises
   a Lua error naming argument @p idx for a bad value. jq.score and jq.score_periods
   read their options with it. Never JQL_SCORE_CUSTOM_ANY_THREAD. */
#define JQ_AS_OF_BYTES 64
int jq_score_options(lua_State *L, int idx, jql_score_options *opts, char *as_of);
/* The option a Lua caller allows an empty period with, named when one is
   refused (jql_score_options.allow_empty_name). */
#define JQ_ALLOW_EMPTY_NAME "{allow_empty = true}"

#endif /* JQ_LUA_H */
