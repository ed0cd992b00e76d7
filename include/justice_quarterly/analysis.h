/*
 * libjustice-quarterly — what-if analysis over scoring results
 * (docs/ANALYSIS.md): comparing two scorings, sensitivity of the ranking
 * to the sections' weights, improvement plans and multi-period trends.
 *
 * Every analysis is exact (integer thousandths) and deterministic: the
 * same inputs (and seed) give byte-identical JSON on every run, machine,
 * locale and binding. Analysis objects borrow nothing: they stay valid
 * after the results, criteria and dataset they came from are freed.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JUSTICE_QUARTERLY_ANALYSIS_H
#define JUSTICE_QUARTERLY_ANALYSIS_H

#include <stdbool.h>
#include <stdint.h>

#include "common.h"
#include "dataset.h"
#include "score.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- comparison of two scorings ------------------------------------------ */

/**
 * Compare two scorings (e.g. the same dataset under two criteria sets, or
 * two periods) unit by unit: the change of final score, rank, cluster
 * rank, tier and leadership, and per node (matched by id) the change of
 * points. Units are matched by id; one present on one side only is listed
 * with nulls on the other. As JSON ("justice-quarterly/comparison 1.0"):
 * units in @p after's result order, then those only in @p before in its
 * order; nodes in @p after's order then @p before's; only nodes whose
 * points (or presence) differ are listed. Deltas are after − before;
 * rank_change is before − after (positive: moved up), tier_change is
 * the number of tiers moved up (both need the same tier ids).
 * *out is owned by the caller (jql_free()). JQL_OK, JQL_EINVALID, JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_results_compare_json(const jql_results *before, const jql_results *after,
                                     char **out, size_t *len);

/** The same comparison as an object (it copies what it shows). */
typedef struct jql_comparison jql_comparison;
/** The comparison of jql_results_compare_json() as an object; *out is the
 *  caller's (jql_comparison_free()), NULL on failure. Returns JQL_OK,
 *  JQL_EINVALID (a NULL argument), JQL_ENOMEM. */
JQL_API JQL_WARN_UNUSED int jql_results_compare(const jql_results *before, const jql_results *after,
                                jql_comparison **out);
/** Free a comparison; NULL is a no-op (never fails). */
JQL_API void jql_comparison_free(jql_comparison *c);
/** The comparison as the JSON of jql_results_compare_json() (*out: jql_free()).
 *  Returns JQL_OK, JQL_EINVALID (a NULL argument), JQL_ENOMEM. */
JQL_API JQL_WARN_UNUSED int jql_comparison_to_json(const jql_comparison *c, char **out, size_t *len);
/** Number of units, in the JSON's order; 0 for a NULL comparison. */
JQL_API size_t jql_comparison_unit_count(const jql_comparison *c);
/** Id of unit k (borrowed); NULL when k is out of range. */
JQL_API const char *jql_comparison_unit_id(const jql_comparison *c, size_t k);
/* side: 0 = before, 1 = after. A unit absent on that side gives false,
   JQL_NO_SCORE, 0 or NULL. */
/** True when unit k is scored on @p side; false when not, or k or side is out of range. */
JQL_API bool jql_comparison_unit_present(const jql_comparison *c, size_t k, int side);
/** Final score on @p side; JQL_NO_SCORE when absent there or out of range. */
JQL_API jql_milli jql_comparison_unit_final(const jql_comparison *c, size_t k, int side);
/** Rank on @p side; 0 when absent there or out of range. */
JQL_API size_t jql_comparison_unit_rank(const jql_comparison *c, size_t k, int side);
/** Rank within the cluster on @p side; 0 when the unit has no cluster,
 *  is absent there or out of range. */
JQL_API size_t jql_comparison_unit_cluster_rank(const jql_comparison *c, size_t k, int side);
/** Tier id on @p side (borrowed); NULL when absent there or out of range. */
JQL_API const char *jql_comparison_unit_tier(const jql_comparison *c, size_t k, int side);
/** True when unit k leads its cluster on @p side; false when not, absent or out of range. */
JQL_API bool jql_comparison_unit_leader(const jql_comparison *c, size_t k, int side);
/** The unit's nodes whose points differ (or exist on one side only); 0 when k is out of range. */
JQL_API size_t jql_comparison_node_count(const jql_comparison *c, size_t k);
/** Id of the i-th of them (borrowed); NULL when k or i is out of range. */
JQL_API const char *jql_comparison_node_id(const jql_comparison *c, size_t k, size_t i);
/** JQL_NO_SCORE when the node is absent on that side. */
JQL_API jql_milli jql_comparison_node_points(const jql_comparison *c, size_t k, size_t i,
                                             int side);

/* ---- sensitivity to the sections' weights ------------------------------- */

/** What jql_sensitivity_run() computes (bit flags). */
#define JQL_SENS_ONE_AT_A_TIME 1u /**< each section's weight −x% and +x% */
#define JQL_SENS_MONTE_CARLO 2u   /**< `runs` seeded random perturbations */
#define JQL_SENS_MARGINS 4u       /**< stability margins of pairs and tier boundaries */
#define JQL_SENS_ALL 7u            /**< the three above (leaves are opt-in) */
#define JQL_SENS_LEAVES 8u         /**< also each leaf's maximum −x% and +x%, siblings rescaled */

typedef struct jql_sensitivity_options {
    unsigned int version; /* JQL_SENSITIVITY_OPTIONS_VERSION */
    unsigned int flags;   /* JQL_SENS_* */
    jql_milli percent;    /* x, in thousandths of a percent: 10000 = ±10% */
    unsigned int runs;    /* Monte Carlo runs (at most JQL_SENS_MAX_RUNS) */
    uint64_t seed;        /* Monte Carlo seed */
} jql_sensitivity_options;
#define JQL_SENSITIVITY_OPTIONS_VERSION 1
#define JQL_SENSITIVITY_OPTIONS_INIT { JQL_SENSITIVITY_OPTIONS_VERSION, JQL_SENS_ALL, 10000, 1000, 0 }
#define JQL_SENS_MAX_RUNS 1000000u

typedef struct jql_sensitivity jql_sensitivity;

/**
 * Sensitivity of the ranking in @p base (scored with @p c, whose quotas and
 * tie-breakers are re-applied) to the weights of the top-level sections.
 * The model (docs/ANALYSIS.md): each unit's section points are computed
 * once; under weights W a section with maximum M contributes
 * round(points × W ÷ M) (half away from zero) and its applicable maximum
 * likewise, then total, normalized, final, tiers, vetoes' caps, quotas and
 * ranks follow SCORING.md with the unit's bonus and deductions unchanged.
 * Weights always add up to the sections' total: when one moves, the others
 * share the rest by jql_milli_apportion(). JQL_SENS_LEAVES moves each leaf below
 * the top level the same way among its siblings (their sum, so the
 * parent's maximum, stays), rescaling the siblings' points and re-summing
 * the tree with its clamps. Monte Carlo: each section's weight is
 * drawn uniformly among the whole thousandths of [M − d, M + d],
 * d = round(M × x ÷ 100), by xoshiro256** seeded with splitmix64(seed),
 * then all are rescaled to the total by jql_milli_apportion().
 * JQL_OK, JQL_EINVALID (options, or @p c not the set of @p base), JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_sensitivity_run(const jql_results *base, const jql_criteria *c,
                                const jql_sensitivity_options *opts, jql_sensitivity **out);
/** Free an analysis; NULL is a no-op (never fails). */
JQL_API void jql_sensitivity_free(jql_sensitivity *s);
/** Number of units, in @p base's result order; 0 for a NULL analysis. */
JQL_API size_t jql_sensitivity_unit_count(const jql_sensitivity *s);
/** Id of unit k (borrowed); NULL when k is out of range. */
JQL_API const char *jql_sensitivity_unit_id(const jql_sensitivity *s, size_t k);
/* Monte Carlo ranks of unit k: minimum, (lower) median and maximum. */
/** Minimum Monte Carlo rank of unit k; 0 when there are no runs or k is out of range. */
JQL_API size_t jql_sensitivity_rank_min(const jql_sensitivity *s, size_t k);
/** Lower median Monte Carlo rank of unit k; 0 when there are no runs or k is out of range. */
JQL_API size_t jql_sensitivity_rank_median(const jql_sensitivity *s, size_t k);
/** Maximum Monte Carlo rank of unit k; 0 when there are no runs or k is out of range. */
JQL_API size_t jql_sensitivity_rank_max(const jql_sensitivity *s, size_t k);
/** Monte Carlo runs in which unit k ended in tier t; 0 when k or t is out of range. */
JQL_API size_t jql_sensitivity_tier_runs(const jql_sensitivity *s, size_t k, size_t t);
/** Monte Carlo runs in which unit k+1 ranked strictly above unit k; 0 when
 *  k is the last unit or out of range. */
JQL_API size_t jql_sensitivity_flip_runs(const jql_sensitivity *s, size_t k);
/** The whole analysis as JSON ("justice-quarterly/sensitivity 1.0"; *out:
 *  jql_free()). Returns JQL_OK, JQL_EINVALID (a NULL argument), JQL_ENOMEM. */
JQL_API JQL_WARN_UNUSED int jql_sensitivity_to_json(const jql_sensitivity *s, char **out, size_t *len);

/* ---- improvement plans ---------------------------------------------------- */

/**
 * For each unit below the top tier, where its points are: the applicable
 * leaves with points left (max − points), most first, with what the
 * measure would need for full points, and the smallest set of those leaves
 * whose full points lift the final score to the next tier's minimum
 * (largest first: the fewest leaves whenever children's maxima add up to
 * their parents'; with clamped parents it is a greedy choice). A unit held
 * back by a veto or a quota is marked so: points alone cannot move it.
 * JSON "justice-quarterly/plans 1.0". @p c must be the set @p r was
 * scored with. JQL_OK, JQL_EINVALID, JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_improvement_plans_json(const jql_results *r, const jql_criteria *c,
                                       char **out, size_t *len);

/* ---- trends over periods -------------------------------------------------- */

typedef struct jql_trend jql_trend;

#define JQL_TREND_MAX_PERIODS 64u
/**
 * Score @p n periods (at most JQL_TREND_MAX_PERIODS) in one call, in the
 * order given; *out is the caller's (jql_trend_free()), NULL on failure.
 * Returns JQL_OK; JQL_EINVALID for a NULL argument or period, or n = 0;
 * JQL_ELIMIT for more than JQL_TREND_MAX_PERIODS; otherwise fails like
 * jql_score() on the first period that fails (its id in jql_last_error()).
 */
JQL_API JQL_WARN_UNUSED int jql_score_periods(const jql_dataset *ds, const jql_criteria *c,
                              const char *const *periods, size_t n, jql_trend **out);
/** Free a trend and its results; NULL is a no-op (never fails). */
JQL_API void jql_trend_free(jql_trend *t);
/** Number of periods scored; 0 for a NULL trend. */
JQL_API size_t jql_trend_period_count(const jql_trend *t);
/** The results of period p (borrowed from the trend); NULL when p is out of range. */
JQL_API const jql_results *jql_trend_results(const jql_trend *t, size_t p);
/**
 * JSON "justice-quarterly/trend 1.0": per unit (in the last period's result
 * order, then by id) its final score, rank and tier in each period (null
 * when not scored) and the movement from the previous period (ranks up).
 */
JQL_API JQL_WARN_UNUSED int jql_trend_to_json(const jql_trend *t, char **out, size_t *len);
/**
 * The same JSON from results scored separately (e.g. by a binding that
 * scores period by period), in the order given: identical bytes to
 * jql_trend_to_json() for the same periods.
 */
JQL_API JQL_WARN_UNUSED int jql_results_trend_json(const jql_results *const *results, size_t n, char **out,
                                   size_t *len);

#ifdef __cplusplus
}
#endif
#endif /* JUSTICE_QUARTERLY_ANALYSIS_H */
