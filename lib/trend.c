/*
 * Scoring a sequence of periods in one call (jql_score_periods) and the
 * per-unit trend across them (jql_trend_to_json).
 */
#include <stdlib.h>
#include <string.h>

#include "justice_quarterly/analysis.h"
#include "score_internal.h"
#include "util.h"

typedef struct {
    bool has, has_move;
    jql_milli final;
    size_t rank;
    char *tier;
    long long move; /* previous rank - rank */
} trend_cell;

/* The per-unit table is built once; the JSON and the accessors read it. */
struct jql_trend {
    jql_results **r; /* NULL when built by jql_results_trend() */
    size_t n;
    char *criteria;
    char **periods;
    char (*as_of)[11]; /* per period: its results' as-of date, "" for none */
    char **ids;
    size_t nids;
    trend_cell *cells; /* nids x n */
    jql_diagnostics *warnings; /* every period's scoring warnings, in period order */
};

void jql_trend_free(jql_trend *t)
{
    if (!t)
        return;
    for (size_t p = 0; t->r && p < t->n; p++)
        jql_results_free(t->r[p]);
    for (size_t p = 0; t->periods && p < t->n; p++)
        jql_free(t->periods[p]);
    for (size_t i = 0; t->ids && i < t->nids; i++)
        jql_free(t->ids[i]);
    for (size_t i = 0; t->cells && i < t->nids * t->n; i++)
        jql_free(t->cells[i].tier);
    jql_free(t->r);
    jql_diagnostics_free(t->warnings);
    jql_free(t->criteria);
    jql_free(t->periods);
    jql_free(t->as_of);
    jql_free(t->ids);
    jql_free(t->cells);
    jql_free(t);
}

/* Append period results r's warnings (jql_results_diagnostics, each of
   which names its period) to the trend's, in period order: what a scoring
   of each period alone would have said, which the table, keeping no
   results, cannot give otherwise. JQL_OK or JQL_ENOMEM. */
static int add_warnings(jql_trend *t, const jql_results *r)
{
    const jql_diagnostics *w = jql_results_diagnostics(r);
    if (!t->warnings && !(t->warnings = jql_diag_new(jql_diagnostics_source(w))))
        return jql_fail(JQL_ENOMEM, "out of memory");
    for (size_t i = 0; i < jql_diagnostics_count(w); i++)
        jql_diag_add(t->warnings, jql_diagnostics_severity(w, i), jql_diagnostics_path(w, i),
                     jql_diagnostics_line(w, i), jql_diagnostics_column(w, i), "%s",
                     jql_diagnostics_message(w, i));
    return jql_diag_oom(t->warnings) ? jql_fail(JQL_ENOMEM, "out of memory") : JQL_OK;
}

/* Every period's warnings added: the list closed (a summary past
   JQL_MAX_DIAGNOSTICS). */
static int finish_warnings(jql_trend *t, const jql_results *const *results)
{
    int rc = JQL_OK;
    for (size_t p = 0; results && rc == JQL_OK && p < t->n; p++)
        rc = add_warnings(t, results[p]);
    if (rc == JQL_OK && !t->warnings && !(t->warnings = jql_diag_new("criteria")))
        rc = jql_fail(JQL_ENOMEM, "out of memory");
    if (rc == JQL_OK) {
        jql_diag_finish(t->warnings);
        if (jql_diag_oom(t->warnings))
            rc = jql_fail(JQL_ENOMEM, "out of memory");
    }
    return rc;
}

const jql_diagnostics *jql_trend_diagnostics(const jql_trend *t)
{
    return t ? t->warnings : NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static char *dup_or(const char *s, int *rc)
{
    char *d = jql_strdup(s);
    if (!d)
        *rc = JQL_ENOMEM;
    return d;
}

/* What the table reads of one period's results: the unit rows in result
   order, its strings borrowed from the results (jql_results_trend) or from
   a pool (jql_score_periods_table, which frees each period's results). */
typedef struct {
    const char *id, *tier;
    jql_milli final;
    size_t rank;
} period_unit;

typedef struct {
    const char *criteria, *period;
    char as_of[11]; /* the results' as-of date, "" for none */
    period_unit *u;
    size_t n;
} period_rows;

static int period_rows_of(const jql_results *r, period_rows *pr)
{
    pr->criteria = r->criteria_id;
    pr->period = r->period;
    memcpy(pr->as_of, r->as_of, sizeof pr->as_of);
    pr->n = r->nunits;
    pr->u = jql_calloc(r->nunits + 1, sizeof *pr->u);
    if (!pr->u)
        return JQL_ENOMEM;
    for (size_t k = 0; k < r->nunits; k++) {
        const jql_res_unit *u = &r->units[k];
        pr->u[k] = (period_unit){u->id, r->tiers[u->tier].id, u->v[JQL_RESULT_FIELD_FINAL],
                                 u->rank};
    }
    return JQL_OK;
}

/* Units: the last period's order, then the others by id. */
static int collect_units(jql_trend *t, const period_rows *res, jql_strmap *idx,
                         const char ***ids_out)
{
    jql_strmap seen = {0};
    const char **ids = NULL;
    size_t nids = 0, cap = 0, last_n = 0;
    int rc = 0;
    for (size_t p = t->n; !rc && p-- > 0;) {
        const period_rows *r = &res[p];
        for (size_t k = 0; !rc && k < r->n; k++) {
            if (jql_strmap_put(&idx[p], r->u[k].id, k)) {
                rc = JQL_ENOMEM;
                break;
            }
            if (jql_strmap_get(&seen, r->u[k].id, NULL) == JQL_OK)
                continue;
            if (jql_strmap_put(&seen, r->u[k].id, nids) ||
                jql_vec_grow((void **)&ids, &cap, nids + 1, sizeof *ids)) {
                rc = JQL_ENOMEM;
                break;
            }
            ids[nids++] = r->u[k].id;
        }
        if (p == t->n - 1)
            last_n = nids;
    }
    if (!rc && nids > last_n)
        qsort(ids + last_n, nids - last_n, sizeof *ids, cmp_str);
    jql_strmap_free(&seen);
    *ids_out = ids;
    t->nids = nids;
    return rc;
}

static int build_table(jql_trend *t, const period_rows *res)
{
    jql_strmap *idx = jql_calloc(t->n, sizeof *idx);
    const char **ids = NULL;
    int rc = idx ? 0 : JQL_ENOMEM;
    if (!rc)
        rc = collect_units(t, res, idx, &ids);
    if (!rc) {
        t->criteria = dup_or(res[0].criteria, &rc);
        t->periods = jql_calloc(t->n, sizeof *t->periods);
        t->as_of = jql_calloc(t->n, sizeof *t->as_of);
        t->ids = jql_calloc(t->nids + 1, sizeof *t->ids);
        t->cells = jql_calloc(t->nids * t->n + 1, sizeof *t->cells);
        if (!t->periods || !t->as_of || !t->ids || !t->cells)
            rc = JQL_ENOMEM;
    }
    for (size_t p = 0; !rc && p < t->n; p++) {
        t->periods[p] = dup_or(res[p].period, &rc);
        memcpy(t->as_of[p], res[p].as_of, sizeof t->as_of[p]);
    }
    for (size_t i = 0; !rc && i < t->nids; i++) {
        t->ids[i] = dup_or(ids[i], &rc);
        const trend_cell *prev = NULL;
        for (size_t p = 0; !rc && p < t->n; p++) {
            trend_cell *cell = &t->cells[i * t->n + p];
            size_t k;
            if (jql_strmap_get(&idx[p], ids[i], &k) == JQL_OK) {
                const period_unit *u = &res[p].u[k];
                cell->has = true;
                cell->final = u->final;
                cell->rank = u->rank;
                cell->tier = dup_or(u->tier, &rc);
                cell->has_move = prev && prev->has;
                cell->move = cell->has_move ? (long long)prev->rank - (long long)u->rank : 0;
            }
            prev = cell;
        }
    }
    for (size_t p = 0; idx && p < t->n; p++)
        jql_strmap_free(&idx[p]);
    jql_free(idx);
    jql_free(ids);
    return rc ? jql_fail(JQL_ENOMEM, "out of memory") : JQL_OK;
}

/* The table of results held elsewhere (the caller's or the trend's own). */
static int build_table_of(jql_trend *t, const jql_results *const *results)
{
    period_rows *rows = jql_calloc(t->n, sizeof *rows);
    int rc = rows ? JQL_OK : JQL_ENOMEM;
    for (size_t p = 0; !rc && p < t->n; p++)
        rc = period_rows_of(results[p], &rows[p]);
    if (!rc)
        rc = build_table(t, rows);
    for (size_t p = 0; rows && p < t->n; p++)
        jql_free(rows[p].u); /* the results stay */
    jql_free(rows);
    return rc == JQL_ENOMEM ? jql_fail(JQL_ENOMEM, "out of memory") : rc;
}

int jql_results_trend(const jql_results *const *results, size_t n, jql_trend **out)
{
    if (out)
        *out = NULL;
    if (!results || !out || n == 0)
        return jql_fail(JQL_EINVALID, "jql_results_trend: no results");
    /* the same bound as jql_score_periods: the table is periods x units */
    if (n > JQL_TREND_MAX_PERIODS)
        return jql_fail(JQL_ELIMIT, "jql_results_trend: at most %u periods, not %zu",
                        JQL_TREND_MAX_PERIODS, n);
    for (size_t p = 0; p < n; p++)
        if (!results[p])
            return jql_fail(JQL_EINVALID, "jql_results_trend: results %zu is NULL", p);
    jql_trend *t = jql_calloc(1, sizeof *t);
    if (!t)
        return jql_fail(JQL_ENOMEM, "out of memory");
    t->n = n;
    int rc = build_table_of(t, results);
    if (rc == JQL_OK)
        rc = finish_warnings(t, results);
    if (rc) {
        jql_trend_free(t);
        return rc;
    }
    *out = t;
    return JQL_OK;
}

static int check_periods(const char *fn, const jql_dataset *ds, const jql_criteria *c,
                         const char *const *periods, size_t n, jql_trend **out)
{
    if (out)
        *out = NULL;
    if (!ds || !c || !out || (!periods && n))
        return jql_fail(JQL_EINVALID, "%s: NULL argument", fn);
    if (n == 0)
        return jql_fail(JQL_EINVALID, "%s: no period", fn);
    if (n > JQL_TREND_MAX_PERIODS)
        return jql_fail(JQL_ELIMIT, "%s: at most %u periods, not %zu", fn,
                        JQL_TREND_MAX_PERIODS, n);
    for (size_t p = 0; p < n; p++)
        if (!periods[p])
            return jql_fail(JQL_EINVALID, "%s: period %zu is NULL", fn, p);
    return JQL_OK;
}

/* The options checked as jql_score_with() checks them, before any period is
   scored (it would refuse them on the first period only, after nothing was
   kept, but a bad option is the caller's mistake, not the period's). */
static int check_options(const char *fn, const jql_score_options *opts)
{
    jql_date as_of;
    return jql_score_options_check(opts, fn, true, &as_of);
}

/* Score one period. @p shared: the results bound of opts is the share of
   JQL_TREND_MAX_RESULTS the @p n periods of jql_score_periods_table*()
   each get (a JQL_ELIMIT of that bound says so; another limit's is
   jql_score_with()'s own); false: the caller's own (or none). */
static int score_one(const jql_dataset *ds, const jql_criteria *c, const char *period,
                     const jql_score_options *opts, size_t n, bool shared,
                     jql_results_spare *spare, jql_results **out)
{
    int rc = jql_score_reusing(ds, c, period, opts, spare, out);
    if (rc) {
        char msg[400];
        snprintf(msg, sizeof msg, "%s", jql_last_error());
        if (rc == JQL_ELIMIT && shared && jql_score_results_limit_hit())
            return jql_fail(rc, "period %s: %s; %zu periods share %u results, %zu each: score "
                                "fewer periods", period, msg, n, JQL_TREND_MAX_RESULTS,
                            opts->max_results);
        return jql_fail(rc, "period %s: %s", period, msg);
    }
    return JQL_OK;
}

static int score_periods(const char *fn, const jql_dataset *ds, const jql_criteria *c,
                         const char *const *periods, size_t n, const jql_score_options *opts,
                         jql_trend **out)
{
    int rc = check_periods(fn, ds, c, periods, n, out);
    if (rc || (rc = check_options(fn, opts)) != JQL_OK)
        return rc;
    jql_trend *t = jql_calloc(1, sizeof *t);
    if (!t || !(t->r = jql_calloc(n, sizeof *t->r))) {
        jql_free(t);
        return jql_fail(JQL_ENOMEM, "out of memory");
    }
    /* every period exactly as jql_score_with(ds, c, period, opts) */
    for (size_t p = 0; p < n; p++) {
        if ((rc = score_one(ds, c, periods[p], opts, n, false, NULL, &t->r[p])) != JQL_OK) {
            jql_trend_free(t);
            return rc;
        }
        t->n = p + 1;
    }
    if ((rc = build_table_of(t, (const jql_results *const *)t->r)) != JQL_OK ||
        (rc = finish_warnings(t, (const jql_results *const *)t->r)) != JQL_OK) {
        jql_trend_free(t);
        return rc;
    }
    *out = t;
    return JQL_OK;
}

int jql_score_periods(const jql_dataset *ds, const jql_criteria *c, const char *const *periods,
                      size_t n, jql_trend **out)
{
    return score_periods("jql_score_periods", ds, c, periods, n, NULL, out);
}

int jql_score_periods_with(const jql_dataset *ds, const jql_criteria *c,
                           const char *const *periods, size_t n, const jql_score_options *opts,
                           jql_trend **out)
{
    return score_periods("jql_score_periods_with", ds, c, periods, n, opts, out);
}

/* One period's rows with their strings copied into @p pool, so that the
   results can go before the next period is scored. */
static int pooled_rows(const jql_results *r, jql_strmap *pool, period_rows *pr)
{
    if (period_rows_of(r, pr))
        return JQL_ENOMEM;
    pr->criteria = jql_strmap_intern(pool, pr->criteria);
    pr->period = jql_strmap_intern(pool, pr->period);
    bool ok = pr->criteria && pr->period;
    for (size_t k = 0; ok && k < pr->n; k++) {
        pr->u[k].id = jql_strmap_intern(pool, pr->u[k].id);
        pr->u[k].tier = jql_strmap_intern(pool, pr->u[k].tier);
        ok = pr->u[k].id && pr->u[k].tier;
    }
    return ok ? JQL_OK : JQL_ENOMEM;
}

static int score_periods_table(const char *fn, const jql_dataset *ds, const jql_criteria *c,
                               const char *const *periods, size_t n,
                               const jql_score_options *caller, jql_trend **out)
{
    int rc = check_periods(fn, ds, c, periods, n, out);
    if (rc || (rc = check_options(fn, caller)) != JQL_OK)
        return rc;
    /* the caller's options (as_of, flags, limits, threads), and: scores,
       ranks and tiers do not depend on the evidence kept */
    jql_score_options opts = jql_score_options_current(caller);
    opts.flags |= JQL_SCORE_NO_EVIDENCE;
    /* the periods share one budget of results (every period scores the
       same units on the same sheet): refused before the first is scored.
       A period's bound is the smaller of its share and the caller's
       max_results (none: one scoring's default). */
    size_t own = opts.max_results ? opts.max_results : JQL_MAX_SCORE_RESULTS;
    size_t share = JQL_TREND_MAX_RESULTS / n;
    bool shared = share < own;
    opts.max_results = shared ? share : own;
    jql_strmap pool = {0};
    jql_results_spare spare = {0}; /* each period's arrays, for the next (score_internal.h) */
    period_rows *rows = jql_calloc(n, sizeof *rows);
    jql_trend *t = jql_calloc(1, sizeof *t);
    rc = rows && t ? JQL_OK : jql_fail(JQL_ENOMEM, "out of memory");
    for (size_t p = 0; !rc && p < n; p++) {
        jql_results *r = NULL;
        if ((rc = score_one(ds, c, periods[p], &opts, n, shared, &spare, &r)) == JQL_OK &&
            pooled_rows(r, &pool, &rows[p]) != JQL_OK)
            rc = jql_fail(JQL_ENOMEM, "out of memory");
        if (rc == JQL_OK)
            rc = add_warnings(t, r);
        jql_results_free_to_spare(r, &spare);
    }
    jql_results_spare_free(&spare);
    if (!rc) {
        t->n = n;
        rc = build_table(t, rows);
    }
    if (!rc)
        rc = finish_warnings(t, NULL);
    for (size_t p = 0; rows && p < n; p++)
        jql_free(rows[p].u);
    jql_free(rows);
    jql_strmap_free(&pool);
    if (rc) {
        jql_trend_free(t);
        return rc;
    }
    *out = t;
    return JQL_OK;
}

int jql_score_periods_table(const jql_dataset *ds, const jql_criteria *c,
                            const char *const *periods, size_t n, jql_trend **out)
{
    return score_periods_table("jql_score_periods", ds, c, periods, n, NULL, out);
}

int jql_score_periods_table_with(const jql_dataset *ds, const jql_criteria *c,
                                 const char *const *periods, size_t n,
                                 const jql_score_options *opts, jql_trend **out)
{
    return score_periods_table("jql_score_periods_table_with", ds, c, periods, n, opts, out);
}

size_t jql_trend_period_count(const jql_trend *t) { return t ? t->n : 0; }


/* ---- accessors ---- */

const jql_results *jql_trend_results(const jql_trend *t, size_t p)
{
    return t && t->r && p < t->n ? t->r[p] : NULL;
}

const char *jql_trend_criteria(const jql_trend *t) { return t ? t->criteria : NULL; }

const char *jql_trend_period_id(const jql_trend *t, size_t p)
{
    return t && p < t->n ? t->periods[p] : NULL;
}

const char *jql_trend_period_as_of(const jql_trend *t, size_t p)
{
    return t && p < t->n && t->as_of[p][0] ? t->as_of[p] : NULL;
}

/* Whether some period was scored as of a date, and whether every period
   has the first one's (none included). */
static void as_of_shape(const jql_trend *t, bool *any, bool *same)
{
    *any = false;
    *same = true;
    for (size_t p = 0; p < t->n; p++) {
        *any = *any || t->as_of[p][0];
        *same = *same && strcmp(t->as_of[p], t->as_of[0]) == 0;
    }
}

const char *jql_trend_as_of(const jql_trend *t)
{
    bool any, same;
    if (!t)
        return NULL;
    as_of_shape(t, &any, &same);
    return any && same ? t->as_of[0] : NULL;
}

bool jql_trend_as_of_varies(const jql_trend *t)
{
    bool any, same;
    if (!t)
        return false;
    as_of_shape(t, &any, &same);
    return any && !same;
}

/* The as-of dates of the periods in the JSON, after "periods", only when
   some period was scored as of a date (the rest unchanged): "as_of", one
   date, when every period was scored as of the same one (always so from
   jql_score_periods*_with()); else "as_of_by_period", one date or null per
   period (results of different dates given to jql_results_trend()). The
   bindings ask the same two functions. */
static void as_of_json(jql_buf *b, const jql_trend *t)
{
    const char *shared = jql_trend_as_of(t);
    if (shared) {
        jql_buf_puts(b, ", \"as_of\": ");
        jql_buf_json_string(b, shared);
        return;
    }
    if (!jql_trend_as_of_varies(t))
        return;
    jql_buf_puts(b, ", \"as_of_by_period\": [");
    for (size_t p = 0; p < t->n; p++) {
        if (p)
            jql_buf_puts(b, ", ");
        if (t->as_of[p][0])
            jql_buf_json_string(b, t->as_of[p]);
        else
            jql_buf_puts(b, "null");
    }
    jql_buf_putc(b, ']');
}

size_t jql_trend_unit_count(const jql_trend *t) { return t ? t->nids : 0; }

const char *jql_trend_unit_id(const jql_trend *t, size_t i)
{
    return t && i < t->nids ? t->ids[i] : NULL;
}

static const trend_cell *cell_at(const jql_trend *t, size_t i, size_t p)
{
    return t && i < t->nids && p < t->n ? &t->cells[i * t->n + p] : NULL;
}

bool jql_trend_unit_present(const jql_trend *t, size_t i, size_t p)
{
    const trend_cell *c = cell_at(t, i, p);
    return c && c->has;
}

jql_milli jql_trend_unit_final(const jql_trend *t, size_t i, size_t p)
{
    const trend_cell *c = cell_at(t, i, p);
    return c && c->has ? c->final : JQL_NO_SCORE;
}

size_t jql_trend_unit_rank(const jql_trend *t, size_t i, size_t p)
{
    const trend_cell *c = cell_at(t, i, p);
    return c && c->has ? c->rank : 0;
}

const char *jql_trend_unit_tier(const jql_trend *t, size_t i, size_t p)
{
    const trend_cell *c = cell_at(t, i, p);
    return c && c->has ? c->tier : NULL;
}

int jql_trend_unit_movement(const jql_trend *t, size_t i, size_t p, long long *out)
{
    if (!t || !out)
        return jql_fail(JQL_EINVALID, "jql_trend_unit_movement: NULL argument");
    const trend_cell *c = cell_at(t, i, p);
    if (!c)
        return jql_fail(JQL_ENOTFOUND, "jql_trend_unit_movement: out of range");
    if (!c->has_move)
        return jql_fail(JQL_ENODATA, "unit %s: no rank in period %zu and the one before", t->ids[i], p);
    *out = c->move;
    return JQL_OK;
}

/* ---- JSON ---- */

int jql_trend_to_json(const jql_trend *t, char **out, size_t *len)
{
    if (out)
        *out = NULL;
    if (!t || !out)
        return jql_fail(JQL_EINVALID, "jql_trend_to_json: NULL argument");
    jql_buf b;
    jql_buf_init(&b);
    jql_buf_puts(&b, "{\"format\": \"" JQL_TREND_FORMAT "\", \"criteria\": ");
    jql_buf_json_string(&b, t->criteria);
    jql_buf_puts(&b, ", \"periods\": [");
    for (size_t p = 0; p < t->n; p++) {
        if (p)
            jql_buf_puts(&b, ", ");
        jql_buf_json_string(&b, t->periods[p]);
    }
    jql_buf_putc(&b, ']');
    as_of_json(&b, t);
    jql_buf_puts(&b, ", \"units\": [");
    for (size_t i = 0; i < t->nids; i++) {
        jql_buf_puts(&b, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
        jql_buf_json_string(&b, t->ids[i]);
        jql_buf_puts(&b, ", \"periods\": [");
        for (size_t p = 0; p < t->n; p++) {
            const trend_cell *c = &t->cells[i * t->n + p];
            if (p)
                jql_buf_puts(&b, ", ");
            jql_buf_puts(&b, "{\"period\": ");
            jql_buf_json_string(&b, t->periods[p]);
            if (!c->has) {
                jql_buf_puts(&b, ", \"final\": null, \"rank\": null, \"tier\": null, "
                                 "\"movement\": null}");
                continue;
            }
            jql_buf_puts(&b, ", \"final\": ");
            jql_buf_milli3(&b, c->final);
            jql_buf_printf(&b, ", \"rank\": %zu, \"tier\": ", c->rank);
            jql_buf_json_string(&b, c->tier);
            jql_buf_puts(&b, ", \"movement\": ");
            if (c->has_move)
                jql_buf_printf(&b, "%lld", c->move);
            else
                jql_buf_puts(&b, "null");
            jql_buf_putc(&b, '}');
        }
        jql_buf_puts(&b, "]}");
    }
    jql_buf_puts(&b, t->nids ? "\n  ]}\n" : "]}\n");
    char *s = jql_buf_take(&b, len);
    if (!s)
        return jql_fail(JQL_ENOMEM, "out of memory");
    *out = s;
    return JQL_OK;
}

int jql_results_trend_json(const jql_results *const *results, size_t nresults, char **out,
                           size_t *len)
{
    if (out)
        *out = NULL;
    if (!results || !out || nresults == 0)
        return jql_fail(JQL_EINVALID, "jql_results_trend_json: no results");
    jql_trend *t;
    int rc = jql_results_trend(results, nresults, &t);
    if (rc)
        return rc;
    rc = jql_trend_to_json(t, out, len);
    jql_trend_free(t);
    return rc;
}
