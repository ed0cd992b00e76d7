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
    /* without runs nothing is counted, nor held */
    return s && s->runs && k < s->nu && t < s->nt ? s->tier_runs[k * s->nt + t] : 0;
}
size_t jql_sensitivity_flip_runs(const jql_sensitivity *s, size_t k)
{
    return s && k + 1 < s->nu ? s->flips[k] : 0;
}

/* ---- the rest of the document ---- */

const char *jql_sensitivity_criteria(const jql_sensitivity *s) { return s ? s->criteria_id : NULL; }
const char *jql_sensitivity_period(const jql_sensitivity *s) { return s ? s->period : NULL; }
const char *jql_sensitivity_as_of(const jql_sensitivity *s)
{
    return s && s->as_of[0] ? s->as_of : NULL;
}
unsigned int jql_sensitivity_flags(const jql_sensitivity *s)
{
    /* Monte Carlo with 0 runs computed nothing */
    return !s ? 0 : s->runs ? s->flags : s->flags & ~JQL_SENS_MONTE_CARLO;
}
jql_milli jql_sensitivity_percent(const jql_sensitivity *s) { return s ? s->percent : 0; }
unsigned int jql_sensitivity_run_count(const jql_sensitivity *s) { return s ? s->runs : 0; }
uint64_t jql_sensitivity_seed(const jql_sensitivity *s) { return s ? s->seed : 0; }
const char *jql_sensitivity_distribution(const jql_sensitivity *s) { return s ? "uniform" : NULL; }
size_t jql_sensitivity_section_count(const jql_sensitivity *s) { return s ? s->ns : 0; }
const char *jql_sensitivity_section_id(const jql_sensitivity *s, size_t j)
{
    return s && j < s->ns ? s->sec_ids[j] : NULL;
}
jql_milli jql_sensitivity_section_max(const jql_sensitivity *s, size_t j)
{
    return s && j < s->ns ? s->M[j] : JQL_NO_SCORE;
}
size_t jql_sensitivity_tier_count(const jql_sensitivity *s) { return s ? s->nt : 0; }
const char *jql_sensitivity_tier_id(const jql_sensitivity *s, size_t t)
{
    return s && t < s->nt ? s->tier_ids[t] : NULL;
}
jql_milli jql_sensitivity_run_weight(const jql_sensitivity *s, size_t i, size_t j)
{
    return s && i < s->runs && j < s->ns ? s->mc_w[i * s->ns + j] : JQL_NO_SCORE;
}
jql_milli jql_sensitivity_unit_final(const jql_sensitivity *s, size_t k)
{
    return s && k < s->nu ? s->base_final[k] : JQL_NO_SCORE;
}
size_t jql_sensitivity_unit_rank(const jql_sensitivity *s, size_t k)
{
    return s && k < s->nu ? s->base_rank[k] : 0;
}
size_t jql_sensitivity_unit_tier(const jql_sensitivity *s, size_t k)
{
    return s && k < s->nu ? s->base_tier[k] : JQL_NONE;
}

/* one at a time */
size_t jql_sensitivity_oat_case_count(const jql_sensitivity *s)
{
    return s && (s->flags & JQL_SENS_ONE_AT_A_TIME) ? 2 * s->ns : 0;
}
static bool oat_ok(const jql_sensitivity *s, size_t q) { return q < jql_sensitivity_oat_case_count(s); }
size_t jql_sensitivity_oat_case_section(const jql_sensitivity *s, size_t q)
{
    return oat_ok(s, q) ? q / 2 : JQL_NONE;
}
int jql_sensitivity_oat_case_direction(const jql_sensitivity *s, size_t q)
{
    return oat_ok(s, q) ? (q % 2 ? 1 : -1) : 0;
}
jql_milli jql_sensitivity_oat_case_weight(const jql_sensitivity *s, size_t q, size_t j)
{
    return oat_ok(s, q) && j < s->ns ? s->oat_w[q * s->ns + j] : JQL_NO_SCORE;
}
jql_milli jql_sensitivity_oat_case_final(const jql_sensitivity *s, size_t q, size_t k)
{
    return oat_ok(s, q) && k < s->nu ? s->oat_final[q * s->nu + k] : JQL_NO_SCORE;
}
size_t jql_sensitivity_oat_case_rank(const jql_sensitivity *s, size_t q, size_t k)
{
    return oat_ok(s, q) && k < s->nu ? s->oat_rank[q * s->nu + k] : 0;
}
size_t jql_sensitivity_oat_case_tier(const jql_sensitivity *s, size_t q, size_t k)
{
    return oat_ok(s, q) && k < s->nu ? s->oat_tier[q * s->nu + k] : JQL_NONE;
}

/* The range of a unit over the base and a family of cases (one at a time
   or leaves): the JSON and the accessors both read it from here. */
typedef struct {
    bool ok;
    jql_milli flo, fhi;
    uint32_t lo, hi, tlo, thi;
} span;

static span unit_span(const jql_sensitivity *s, size_t k, bool leaves)
{
    span r = {0};
    if (!s || k >= s->nu ||
        !(s->flags & (leaves ? JQL_SENS_LEAVES : JQL_SENS_ONE_AT_A_TIME)))
        return r;
    size_t ncase = leaves ? 2 * s->nl : 2 * s->ns;
    const uint32_t *rank = leaves ? s->leaf_rank : s->oat_rank;
    const uint32_t *tier = leaves ? s->leaf_tier : s->oat_tier;
    const jql_milli *fin = leaves ? s->leaf_final : s->oat_final;
    r.ok = true;
    r.lo = r.hi = s->base_rank[k];
    r.tlo = r.thi = s->base_tier[k];
    r.flo = r.fhi = s->base_final[k];
    for (size_t q = 0; q < ncase; q++) {
        uint32_t rk = rank[q * s->nu + k], tr = tier[q * s->nu + k];
        jql_milli f = fin[q * s->nu + k];
        r.lo = rk < r.lo ? rk : r.lo;
        r.hi = rk > r.hi ? rk : r.hi;
        r.tlo = tr < r.tlo ? tr : r.tlo;
        r.thi = tr > r.thi ? tr : r.thi;
        r.flo = f < r.flo ? f : r.flo;
        r.fhi = f > r.fhi ? f : r.fhi;
    }
    return r;
}

size_t jql_sensitivity_unit_oat_rank_min(const jql_sensitivity *s, size_t k)
{
    span r = unit_span(s, k, false);
    return r.ok ? r.lo : 0;
}
size_t jql_sensitivity_unit_oat_rank_max(const jql_sensitivity *s, size_t k)
{
    span r = unit_span(s, k, false);
    return r.ok ? r.hi : 0;
}
size_t jql_sensitivity_unit_oat_tier_best(const jql_sensitivity *s, size_t k)
{
    span r = unit_span(s, k, false);
    return r.ok ? r.tlo : JQL_NONE;
}
size_t jql_sensitivity_unit_oat_tier_worst(const jql_sensitivity *s, size_t k)
{
    span r = unit_span(s, k, false);
    return r.ok ? r.thi : JQL_NONE;
}

/* leaves one at a time */
size_t jql_sensitivity_leaf_case_count(const jql_sensitivity *s)
{
    return s && (s->flags & JQL_SENS_LEAVES) ? 2 * s->nl : 0;
}
static bool leaf_ok(const jql_sensitivity *s, size_t q) { return q < jql_sensitivity_leaf_case_count(s); }
const char *jql_sensitivity_leaf_case_leaf(const jql_sensitivity *s, size_t q)
{
    return leaf_ok(s, q) ? s->leaf_ids[q / 2] : NULL;
}
int jql_sensitivity_leaf_case_direction(const jql_sensitivity *s, size_t q)
{
    return leaf_ok(s, q) ? (q % 2 ? 1 : -1) : 0;
}
size_t jql_sensitivity_leaf_case_sibling_count(const jql_sensitivity *s, size_t q)
{
    return leaf_ok(s, q) ? s->leaf_ngroup[q / 2] : 0;
}
const char *jql_sensitivity_leaf_case_sibling_id(const jql_sensitivity *s, size_t q, size_t g)
{
    return g < jql_sensitivity_leaf_case_sibling_count(s, q) ? s->leaf_sib_ids[q / 2][g] : NULL;
}
jql_milli jql_sensitivity_leaf_case_weight(const jql_sensitivity *s, size_t q, size_t g)
{
    return g < jql_sensitivity_leaf_case_sibling_count(s, q) ? s->leaf_w[s->leaf_group[q] + g]
                                                             : JQL_NO_SCORE;
}
static size_t leaf_changes(const jql_sensitivity *s, size_t q, bool tiers)
{
    size_t n = 0;
    for (size_t k = 0; leaf_ok(s, q) && k < s->nu; k++)
        n += tiers ? s->leaf_tier[q * s->nu + k] != s->base_tier[k]
                   : s->leaf_rank[q * s->nu + k] != s->base_rank[k];
    return n;
}
size_t jql_sensitivity_leaf_case_rank_changes(const jql_sensitivity *s, size_t q)
{
    return leaf_changes(s, q, false);
}
size_t jql_sensitivity_leaf_case_tier_changes(const jql_sensitivity *s, size_t q)
{
    return leaf_changes(s, q, true);
}
jql_milli jql_sensitivity_unit_leaves_final_min(const jql_sensitivity *s, size_t k)
{
    span r = unit_span(s, k, true);
    return r.ok ? r.flo : JQL_NO_SCORE;
}
jql_milli jql_sensitivity_unit_leaves_final_max(const jql_sensitivity *s, size_t k)
{
    span r = unit_span(s, k, true);
    return r.ok ? r.fhi : JQL_NO_SCORE;
}
size_t jql_sensitivity_unit_leaves_rank_min(const jql_sensitivity *s, size_t k)
{
    span r = unit_span(s, k, true);
    return r.ok ? r.lo : 0;
}
size_t jql_sensitivity_unit_leaves_rank_max(const jql_sensitivity *s, size_t k)
{
    span r = unit_span(s, k, true);
    return r.ok ? r.hi : 0;
}
size_t jql_sensitivity_unit_leaves_tier_best(const jql_sensitivity *s, size_t k)
{
    span r = unit_span(s, k, true);
    return r.ok ? r.tlo : JQL_NONE;
}
size_t jql_sensitivity_unit_leaves_tier_worst(const jql_sensitivity *s, size_t k)
{
    span r = unit_span(s, k, true);
    return r.ok ? r.thi : JQL_NONE;
}

/* margins */
static int margin_out(const jql_sensitivity *s, const jql_margin *a, size_t k, size_t n,
                      size_t *section, jql_milli *change, const char *fn)
{
    if (!s || !section || !change)
        return jql_fail(JQL_EINVALID, "%s: NULL argument", fn);
    if (k >= n)
        return jql_fail(JQL_ENOTFOUND, "%s: index %zu out of range", fn, k);
    if (!(s->flags & JQL_SENS_MARGINS) || a[k].sec == JQL_NONE)
        return jql_fail(JQL_ENODATA, "%s: no margin", fn);
    *section = a[k].sec;
    *change = a[k].change;
    return JQL_OK;
}
int jql_sensitivity_unit_margin_up(const jql_sensitivity *s, size_t k, size_t *section,
                                   jql_milli *change)
{
    return margin_out(s, s ? s->up : NULL, k, s ? s->nu : 0, section, change,
                      "jql_sensitivity_unit_margin_up");
}
int jql_sensitivity_unit_margin_down(const jql_sensitivity *s, size_t k, size_t *section,
                                     jql_milli *change)
{
    return margin_out(s, s ? s->down : NULL, k, s ? s->nu : 0, section, change,
                      "jql_sensitivity_unit_margin_down");
}
size_t jql_sensitivity_pair_count(const jql_sensitivity *s) { return s && s->nu > 1 ? s->nu - 1 : 0; }
int jql_sensitivity_pair_margin(const jql_sensitivity *s, size_t k, size_t *section,
                                jql_milli *change)
{
    return margin_out(s, s ? s->pair_margin : NULL, k, jql_sensitivity_pair_count(s), section,
                      change, "jql_sensitivity_pair_margin");
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
    jql_buf_puts(&b, "{\"format\": \"" JQL_SENSITIVITY_FORMAT "\"");
    jkey(&b, "criteria", false);
    jql_buf_json_string(&b, s->criteria_id);
    jkey(&b, "period", false);
    jql_buf_json_string(&b, s->period);
    if (s->as_of[0]) { /* only when scored as of a date: the rest unchanged */
        jkey(&b, "as_of", false);
        jql_buf_json_string(&b, s->as_of);
    }
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
            size_t li = q / 2, ng = s->leaf_ngroup[li];
            size_t moved = jql_sensitivity_leaf_case_rank_changes(s, q),
                   tiers = jql_sensitivity_leaf_case_tier_changes(s, q);
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
            span r = unit_span(s, k, false);
            uint32_t lo = r.lo, hi = r.hi, tlo = r.tlo, thi = r.thi;
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
            span r = unit_span(s, k, true);
            uint32_t lo = r.lo, hi = r.hi, tlo = r.tlo, thi = r.thi;
            jql_milli flo = r.flo, fhi = r.fhi;
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
