/*
 * Scoring a sequence of periods in one call (jql_score_periods) and the
 * per-unit trend across them (jql_trend_to_json).
 */
#include <stdlib.h>
#include <string.h>

#include "justice_quarterly/analysis.h"
#include "score_internal.h"
#include "util.h"

struct jql_trend {
    jql_results **r;
    size_t n;
};

void jql_trend_free(jql_trend *t)
{
    if (!t)
        return;
    for (size_t p = 0; p < t->n; p++)
        jql_results_free(t->r[p]);
    jql_free(t->r);
    jql_free(t);
}

int jql_score_periods(const jql_dataset *ds, const jql_criteria *c, const char *const *periods,
                      size_t n, jql_trend **out)
{
    if (out)
        *out = NULL;
    if (!ds || !c || !out || (!periods && n))
        return jql_fail(JQL_EINVALID, "jql_score_periods: NULL argument");
    if (n == 0)
        return jql_fail(JQL_EINVALID, "jql_score_periods: no period");
    if (n > JQL_TREND_MAX_PERIODS)
        return jql_fail(JQL_ELIMIT, "jql_score_periods: at most %u periods, not %zu",
                        JQL_TREND_MAX_PERIODS, n);
    jql_trend *t = jql_calloc(1, sizeof *t);
    if (!t || !(t->r = jql_calloc(n, sizeof *t->r))) {
        jql_free(t);
        return jql_fail(JQL_ENOMEM, "out of memory");
    }
    for (size_t p = 0; p < n; p++) {
        if (!periods[p]) {
            jql_trend_free(t);
            return jql_fail(JQL_EINVALID, "jql_score_periods: period %zu is NULL", p);
        }
        int rc = jql_score(ds, c, periods[p], &t->r[p]);
        if (rc) {
            char msg[400];
            snprintf(msg, sizeof msg, "%s", jql_last_error());
            jql_trend_free(t);
            return jql_fail(rc, "period %s: %s", periods[p], msg);
        }
        t->n = p + 1;
    }
    *out = t;
    return JQL_OK;
}

size_t jql_trend_period_count(const jql_trend *t) { return t ? t->n : 0; }

const jql_results *jql_trend_results(const jql_trend *t, size_t p)
{
    return t && p < t->n ? t->r[p] : NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int jql_trend_to_json(const jql_trend *t, char **out, size_t *len)
{
    if (out)
        *out = NULL;
    if (!t || !out)
        return jql_fail(JQL_EINVALID, "jql_trend_to_json: NULL argument");
    return jql_results_trend_json((const jql_results *const *)t->r, t->n, out, len);
}

int jql_results_trend_json(const jql_results *const *results, size_t nresults, char **out,
                           size_t *len)
{
    if (out)
        *out = NULL;
    if (!results || !out || nresults == 0)
        return jql_fail(JQL_EINVALID, "jql_results_trend_json: no results");
    for (size_t p = 0; p < nresults; p++)
        if (!results[p])
            return jql_fail(JQL_EINVALID, "jql_results_trend_json: results %zu is NULL", p);
    struct {
        const jql_results *const *r;
        size_t n;
    } tt = {results, nresults}, *t = &tt;
    /* units: the last period's order, then the others by id */
    jql_strmap seen = {0};
    jql_strmap *idx = jql_calloc(t->n, sizeof *idx);
    const char **ids = NULL;
    size_t nids = 0, cap = 0, last_n = 0;
    int rc = idx ? 0 : JQL_ENOMEM;
    for (size_t p = t->n; !rc && p-- > 0;) {
        const jql_results *r = t->r[p];
        size_t start = nids;
        for (size_t k = 0; !rc && k < r->nunits; k++) {
            if (jql_strmap_put(&idx[p], r->units[k].id, k)) {
                rc = JQL_ENOMEM;
                break;
            }
            if (jql_strmap_get(&seen, r->units[k].id, NULL) == JQL_OK)
                continue;
            if (jql_strmap_put(&seen, r->units[k].id, nids) ||
                jql_vec_grow((void **)&ids, &cap, nids + 1, sizeof *ids)) {
                rc = JQL_ENOMEM;
                break;
            }
            ids[nids++] = r->units[k].id;
        }
        if (p == t->n - 1)
            last_n = nids;
        (void)start;
    }
    if (!rc && nids > last_n)
        qsort(ids + last_n, nids - last_n, sizeof *ids, cmp_str);
    jql_buf b;
    jql_buf_init(&b);
    if (!rc) {
        jql_buf_puts(&b, "{\"format\": \"justice-quarterly/trend 1.0\", \"criteria\": ");
        jql_buf_json_string(&b, t->r[0]->criteria_id);
        jql_buf_puts(&b, ", \"periods\": [");
        for (size_t p = 0; p < t->n; p++) {
            if (p)
                jql_buf_puts(&b, ", ");
            jql_buf_json_string(&b, t->r[p]->period);
        }
        jql_buf_puts(&b, "], \"units\": [");
        for (size_t i = 0; i < nids; i++) {
            jql_buf_puts(&b, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
            jql_buf_json_string(&b, ids[i]);
            jql_buf_puts(&b, ", \"periods\": [");
            size_t prev_rank = 0;
            for (size_t p = 0; p < t->n; p++) {
                size_t k;
                const jql_results *r = t->r[p];
                if (p)
                    jql_buf_puts(&b, ", ");
                if (jql_strmap_get(&idx[p], ids[i], &k) != JQL_OK) {
                    jql_buf_puts(&b, "{\"period\": ");
                    jql_buf_json_string(&b, r->period);
                    jql_buf_puts(&b, ", \"final\": null, \"rank\": null, \"tier\": null, "
                                     "\"movement\": null}");
                    prev_rank = 0;
                    continue;
                }
                const jql_res_unit *u = &r->units[k];
                jql_buf_puts(&b, "{\"period\": ");
                jql_buf_json_string(&b, r->period);
                jql_buf_puts(&b, ", \"final\": ");
                jql_buf_milli3(&b, u->v[JQL_RESULT_FIELD_FINAL]);
                jql_buf_printf(&b, ", \"rank\": %zu, \"tier\": ", u->rank);
                jql_buf_json_string(&b, r->tiers[u->tier].id);
                jql_buf_puts(&b, ", \"movement\": ");
                if (prev_rank)
                    jql_buf_printf(&b, "%lld", (long long)prev_rank - (long long)u->rank);
                else
                    jql_buf_puts(&b, "null");
                jql_buf_putc(&b, '}');
                prev_rank = u->rank;
            }
            jql_buf_puts(&b, "]}");
        }
        jql_buf_puts(&b, nids ? "\n  ]}\n" : "]}\n");
    }
    for (size_t p = 0; idx && p < t->n; p++)
        jql_strmap_free(&idx[p]);
    jql_free(idx);
    jql_strmap_free(&seen);
    jql_free(ids);
    if (rc) {
        jql_buf_free(&b);
        return jql_fail(JQL_ENOMEM, "out of memory");
    }
    char *s = jql_buf_take(&b, len);
    if (!s)
        return jql_fail(JQL_ENOMEM, "out of memory");
    *out = s;
    return JQL_OK;
}
