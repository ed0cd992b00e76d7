/*
 * Sensitivity results: freeing, accessors and the JSON form
 * ("justice-quarterly/sensitivity 1.0", docs/ANALYSIS.md).
 */
#include <stdint.h>

#include "analysis_internal.h"

void jql_sensitivity_free(jql_sensitivity *s)
{
    if (!s)
        return;
    for (size_t k = 0; s->unit_ids && k < s->nu; k++)
        jql_free(s->unit_ids[k]);
    for (size_t k = 0; s->unit_names && k < s->nu; k++)
        jql_free(s->unit_names[k]);
    for (size_t j = 0; s->sec_ids && j < s->ns; j++)
        jql_free(s->sec_ids[j]);
    for (size_t t = 0; s->tier_ids && t < s->nt; t++)
        jql_free(s->tier_ids[t]);
    for (size_t i = 0; s->sib_pool && i < s->nsib_pool; i++)
        jql_free(s->sib_pool[i]);
    for (size_t i = 0; s->leaf_ids && i < s->nl; i++)
        jql_free(s->leaf_ids[i]);
    void *q[] = {s->leaf_ids, s->leaf_group, s->leaf_ngroup, s->leaf_sib_ids, s->sib_pool,
                 s->leaf_w, s->leaf_rank, s->leaf_tier, s->leaf_final};
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        jql_free(q[i]);
    void *p[] = {s->criteria_id, s->period, s->unit_ids, s->unit_names, s->sec_ids, s->tier_ids,
                 s->M, s->base_final, s->base_rank, s->base_tier, s->oat_w, s->oat_rank,
                 s->oat_tier, s->oat_final, s->mc_w, s->rmin, s->rmed, s->rmax, s->tier_runs,
                 s->flips, s->pair_margin, s->up, s->down};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
        jql_free(p[i]);
    jql_free(s);
}

size_t jql_sensitivity_unit_count(const jql_sensitivity *s) { return s ? s->nu : 0; }
const char *jql_sensitivity_unit_id(const jql_sensitivity *s, size_t k)
{
    return s && k < s->nu ? s->unit_ids[k] : NULL;
}
size_t jql_sensitivity_rank_min(const jql_sensitivity *s, size_t k)
{
    return s && k < s->nu ? s->rmin[k] : 0;
}
size_t jql_sensitivity_rank_median(const jql_sensitivity *s, size_t k)
{
    return s && k < s->nu ? s->rmed[k] : 0;
}
size_t jql_sensitivity_rank_max(const jql_sensitivity *s, size_t k)
{
    return s && k < s->nu ? s->rmax[k] : 0;
}
size_t jql_sensitivity_tier_runs(const jql_sensitivity *s, size_t k, size_t t)
{
    return s && k < s->nu && t < s->nt ? s->tier_runs[k * s->nt + t] : 0;
}
size_t jql_sensitivity_flip_runs(const jql_sensitivity *s, size_t k)
{
    return s && k + 1 < s->nu ? s->flips[k] : 0;
}

/* ---- JSON ---- */

static void jkey(jql_buf *b, const char *k, bool first)
{
    if (!first)
        jql_buf_puts(b, ", ");
    jql_buf_json_string(b, k);
    jql_buf_puts(b, ": ");
}

static void weights(jql_buf *b, const jql_milli *W, size_t n)
{
    jql_buf_putc(b, '[');
    for (size_t j = 0; j < n; j++) {
        if (j)
            jql_buf_puts(b, ", ");
        jql_buf_milli3(b, W[j]);
    }
    jql_buf_putc(b, ']');
}

static void margin_json(jql_buf *b, const jql_sensitivity *s, const char *k, jql_margin mg)
{
    jkey(b, k, false);
    if (mg.sec == JQL_NONE) {
        jql_buf_puts(b, "null");
        return;
    }
    jql_buf_puts(b, "{\"section\": ");
    jql_buf_json_string(b, s->sec_ids[mg.sec]);
    jql_buf_puts(b, ", \"weight_change\": ");
    jql_buf_milli3(b, mg.change);
    jql_buf_putc(b, '}');
}

static void outcome(jql_buf *b, const jql_sensitivity *s, size_t q, size_t k)
{
    size_t i = q * s->nu + k;
    jql_buf_puts(b, "{\"final\": ");
    jql_buf_milli3(b, s->oat_final[i]);
    jql_buf_printf(b, ", \"rank\": %u, \"tier\": ", (unsigned)s->oat_rank[i]);
    jql_buf_json_string(b, s->tier_ids[s->oat_tier[i]]);
    jql_buf_putc(b, '}');
}

int jql_sensitivity_to_json(const jql_sensitivity *s, char **out, size_t *len)
{
    if (out)
        *out = NULL;
    if (!s || !out)
        return jql_fail(JQL_EINVALID, "jql_sensitivity_to_json: NULL argument");
    jql_buf b;
    jql_buf_init(&b);
    bool oat = s->flags & JQL_SENS_ONE_AT_A_TIME, mg = s->flags & JQL_SENS_MARGINS;
    jql_buf_puts(&b, "{\"format\": \"justice-quarterly/sensitivity 1.0\"");
    jkey(&b, "criteria", false);
    jql_buf_json_string(&b, s->criteria_id);
    jkey(&b, "period", false);
    jql_buf_json_string(&b, s->period);
    jkey(&b, "percent", false);
    jql_buf_milli3(&b, s->percent);
    jkey(&b, "distribution", false);
    jql_buf_puts(&b, "\"uniform\"");
    jkey(&b, "runs", false);
    jql_buf_printf(&b, "%u", s->runs);
    jkey(&b, "seed", false);
    jql_buf_printf(&b, "%llu", (unsigned long long)s->seed);
    jkey(&b, "sections", false);
    jql_buf_putc(&b, '[');
    for (size_t j = 0; j < s->ns; j++) {
        jql_buf_puts(&b, j ? ", {\"id\": " : "{\"id\": ");
        jql_buf_json_string(&b, s->sec_ids[j]);
        jql_buf_puts(&b, ", \"max\": ");
        jql_buf_milli3(&b, s->M[j]);
        jql_buf_putc(&b, '}');
    }
    jql_buf_putc(&b, ']');
    jkey(&b, "one_at_a_time", false);
    jql_buf_putc(&b, '[');
    for (size_t q = 0; oat && q < 2 * s->ns; q++) {
        jql_buf_puts(&b, q ? ",\n    {\"section\": " : "\n    {\"section\": ");
        jql_buf_json_string(&b, s->sec_ids[q / 2]);
        jql_buf_puts(&b, q % 2 ? ", \"change\": \"+\", \"weights\": " : ", \"change\": \"-\", \"weights\": ");
        weights(&b, &s->oat_w[q * s->ns], s->ns);
        jql_buf_putc(&b, '}');
    }
    jql_buf_putc(&b, ']');
    bool leaves = s->flags & JQL_SENS_LEAVES;
    if (leaves) {
        jkey(&b, "leaves_one_at_a_time", false);
        jql_buf_putc(&b, '[');
        for (size_t q = 0; q < 2 * s->nl; q++) {
            size_t li = q / 2, ng = s->leaf_ngroup[li], moved = 0, tiers = 0;
            for (size_t k = 0; k < s->nu; k++) {
                moved += s->leaf_rank[q * s->nu + k] != s->base_rank[k];
                tiers += s->leaf_tier[q * s->nu + k] != s->base_tier[k];
            }
            jql_buf_puts(&b, q ? ",\n    {\"leaf\": " : "\n    {\"leaf\": ");
            jql_buf_json_string(&b, s->leaf_ids[li]);
            jql_buf_puts(&b, q % 2 ? ", \"change\": \"+\", \"siblings\": [" : ", \"change\": \"-\", \"siblings\": [");
            for (size_t g = 0; g < ng; g++) {
                if (g)
                    jql_buf_puts(&b, ", ");
                jql_buf_json_string(&b, s->leaf_sib_ids[li][g]);
            }
            jql_buf_puts(&b, "], \"weights\": ");
            weights(&b, &s->leaf_w[s->leaf_group[q]], ng);
            jql_buf_printf(&b, ", \"rank_changes\": %zu, \"tier_changes\": %zu}", moved, tiers);
        }
        jql_buf_putc(&b, ']');
    }
    jkey(&b, "monte_carlo_weights", false);
    jql_buf_putc(&b, '[');
    for (size_t i = 0; i < s->runs; i++) {
        jql_buf_puts(&b, i ? ",\n    " : "\n    ");
        weights(&b, &s->mc_w[i * s->ns], s->ns);
    }
    jql_buf_putc(&b, ']');
    jkey(&b, "units", false);
    jql_buf_putc(&b, '[');
    for (size_t k = 0; k < s->nu; k++) {
        jql_buf_puts(&b, k ? ",\n    {\"id\": " : "\n    {\"id\": ");
        jql_buf_json_string(&b, s->unit_ids[k]);
        jkey(&b, "final", false);
        jql_buf_milli3(&b, s->base_final[k]);
        jkey(&b, "rank", false);
        jql_buf_printf(&b, "%u", (unsigned)s->base_rank[k]);
        jkey(&b, "tier", false);
        jql_buf_json_string(&b, s->tier_ids[s->base_tier[k]]);
        if (oat) {
            uint32_t lo = s->base_rank[k], hi = lo, tlo = s->base_tier[k], thi = tlo;
            for (size_t q = 0; q < 2 * s->ns; q++) {
                uint32_t rk = s->oat_rank[q * s->nu + k], tr = s->oat_tier[q * s->nu + k];
                lo = rk < lo ? rk : lo;
                hi = rk > hi ? rk : hi;
                tlo = tr < tlo ? tr : tlo;
                thi = tr > thi ? tr : thi;
            }
            jql_buf_printf(&b, ", \"one_at_a_time\": {\"rank_min\": %u, \"rank_max\": %u, "
                               "\"tier_best\": ", lo, hi);
            jql_buf_json_string(&b, s->tier_ids[tlo]);
            jql_buf_puts(&b, ", \"tier_worst\": ");
            jql_buf_json_string(&b, s->tier_ids[thi]);
            jql_buf_puts(&b, ", \"tornado\": [");
            for (size_t j = 0; j < s->ns; j++) {
                jql_buf_puts(&b, j ? ", {\"section\": " : "{\"section\": ");
                jql_buf_json_string(&b, s->sec_ids[j]);
                jql_buf_puts(&b, ", \"minus\": ");
                outcome(&b, s, 2 * j, k);
                jql_buf_puts(&b, ", \"plus\": ");
                outcome(&b, s, 2 * j + 1, k);
                jql_buf_putc(&b, '}');
            }
            jql_buf_puts(&b, "]}");
        }
        if (leaves) {
            uint32_t lo = s->base_rank[k], hi = lo, tlo = s->base_tier[k], thi = tlo;
            jql_milli flo = s->base_final[k], fhi = flo;
            for (size_t q = 0; q < 2 * s->nl; q++) {
                uint32_t rk = s->leaf_rank[q * s->nu + k], tr = s->leaf_tier[q * s->nu + k];
                jql_milli f = s->leaf_final[q * s->nu + k];
                lo = rk < lo ? rk : lo;
                hi = rk > hi ? rk : hi;
                tlo = tr < tlo ? tr : tlo;
                thi = tr > thi ? tr : thi;
                flo = f < flo ? f : flo;
                fhi = f > fhi ? f : fhi;
            }
            jql_buf_puts(&b, ", \"leaves\": {\"final_min\": ");
            jql_buf_milli3(&b, flo);
            jql_buf_puts(&b, ", \"final_max\": ");
            jql_buf_milli3(&b, fhi);
            jql_buf_printf(&b, ", \"rank_min\": %u, \"rank_max\": %u, \"tier_best\": ",
                           lo, hi);
            jql_buf_json_string(&b, s->tier_ids[tlo]);
            jql_buf_puts(&b, ", \"tier_worst\": ");
            jql_buf_json_string(&b, s->tier_ids[thi]);
            jql_buf_putc(&b, '}');
        }
        if (s->runs) {
            jql_buf_printf(&b, ", \"monte_carlo\": {\"rank_min\": %u, \"rank_median\": %u, "
                               "\"rank_max\": %u, \"tier_runs\": {",
                           (unsigned)s->rmin[k], (unsigned)s->rmed[k], (unsigned)s->rmax[k]);
            for (size_t t = 0; t < s->nt; t++) {
                if (t)
                    jql_buf_puts(&b, ", ");
                jql_buf_json_string(&b, s->tier_ids[t]);
                jql_buf_printf(&b, ": %zu", s->tier_runs[k * s->nt + t]);
            }
            jql_buf_puts(&b, "}}");
        }
        if (mg) {
            margin_json(&b, s, "margin_up", s->up[k]);
            margin_json(&b, s, "margin_down", s->down[k]);
        }
        jql_buf_putc(&b, '}');
    }
    jql_buf_puts(&b, s->nu ? "\n  ]" : "]");
    jkey(&b, "pairs", false);
    jql_buf_putc(&b, '[');
    for (size_t k = 0; k + 1 < s->nu; k++) {
        jql_buf_puts(&b, k ? ",\n    {\"above\": " : "\n    {\"above\": ");
        jql_buf_json_string(&b, s->unit_ids[k]);
        jql_buf_puts(&b, ", \"below\": ");
        jql_buf_json_string(&b, s->unit_ids[k + 1]);
        if (s->runs)
            jql_buf_printf(&b, ", \"flip_runs\": %zu", s->flips[k]);
        if (mg)
            margin_json(&b, s, "margin", s->pair_margin[k]);
        jql_buf_putc(&b, '}');
    }
    jql_buf_puts(&b, s->nu > 1 ? "\n  ]}\n" : "]}\n");
    char *t = jql_buf_take(&b, len);
    if (!t)
        return jql_fail(JQL_ENOMEM, "out of memory");
    *out = t;
    return JQL_OK;
}
