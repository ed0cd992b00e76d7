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
 * Scoring options. A comparison, a sensitivity run and improvement plans
 * are computed from the results they are given and never score again, so
 * they take no jql_score_options of their own: they show the scorings as
 * those were made. Score each side with jql_score_with() and the options
 * wanted (an as_of date, JQL_SCORE_ALLOW_EMPTY, the limits, threads) and
 * the analysis is that of those scorings: both sides of a comparison as
 * of the same date, say, or the sensitivity of a period scored with
 * JQL_SCORE_ALLOW_EMPTY. A sensitivity run's cases are the rescorings of
 * the weights it tries under the same options (its model reads the
 * section points of @p base, which the options made). The threads a
 * scoring used change nothing in its results, so nothing in an analysis.
 * The analyses record the as-of date of the results they were computed
 * from, not the other options (flags, limits, threads): a comparison
 * document has "as_of_before" / "as_of_after" after its periods, a
 * sensitivity or plans document "as_of" after its period, a trend "as_of"
 * after its periods, each only when those results were scored as of a
 * date (jql_results_as_of(); an output without one is unchanged); the
 * accessors jql_comparison_as_of(), jql_sensitivity_as_of(),
 * jql_improvement_plans_as_of() and jql_trend_period_as_of() read them.
 * Only the trend's constructors score, and take the options:
 * jql_score_periods_with(), jql_score_periods_table_with().
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

/* The "format" member of each analysis document. */
#define JQL_COMPARISON_FORMAT "justice-quarterly/comparison 1.0"
#define JQL_SENSITIVITY_FORMAT "justice-quarterly/sensitivity 1.0"
#define JQL_PLANS_FORMAT "justice-quarterly/plans 1.0"
#define JQL_TREND_FORMAT "justice-quarterly/trend 1.0"

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
/** A side of a comparison kept without its results (jql_compare_side_new()). */
typedef struct jql_compare_side jql_compare_side;
/**
 * One side of a comparison kept on its own: what jql_results_compare*()
 * read of @p before (its units' final scores, ranks, tiers and leadership,
 * its nodes' ids and each unit's points), copied, so that the results can
 * be freed before the other side is scored. A comparison of two large
 * scorings then holds one scoring and this side (8 bytes a unit and node)
 * instead of two scorings. *out is the caller's (jql_compare_side_free()),
 * NULL on failure. Returns JQL_OK, JQL_EINVALID (a NULL argument),
 * JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_compare_side_new(const jql_results *before,
                                                 jql_compare_side **out);
/** Free a side; NULL is a no-op (never fails). */
JQL_API void jql_compare_side_free(jql_compare_side *s);
/** jql_compare_side_compare(): units only (every unit's node count is 0). */
#define JQL_COMPARE_UNITS_ONLY 0x1u
/** jql_results_compare(results of @p before, @p after) as an object; with
 *  JQL_COMPARE_UNITS_ONLY in @p flags, without the changed nodes. *out is
 *  the caller's, NULL on failure. Returns JQL_OK, JQL_EINVALID (a NULL
 *  argument or an unknown flag), JQL_ENOMEM. */
JQL_API JQL_WARN_UNUSED int jql_compare_side_compare(const jql_compare_side *before,
                                                     const jql_results *after, unsigned flags,
                                                     jql_comparison **out);
/**
 * Stream the JSON of jql_results_compare_json(results of @p before,
 * @p after) to @p fn (jql_write_fn), one unit at a time: only one unit's
 * changed nodes are held (when every point moves the document is about
 * 90 bytes a unit and node). Returns JQL_OK; JQL_EINVALID for a NULL
 * argument, before anything is written; JQL_EIO when @p fn returned
 * non-zero (no call follows it); JQL_ENOMEM (the text may then stop
 * part-way, as with JQL_EIO: the caller discards it).
 */
JQL_API JQL_WARN_UNUSED int jql_compare_side_write_cb(const jql_compare_side *before,
                                                      const jql_results *after,
                                                      jql_write_fn fn, void *user);
/** As jql_compare_side_write_cb() to a stream (not closed; JQL_EIO on a
 *  write error; JQL_EINVALID for a NULL argument, before writing). */
JQL_API JQL_WARN_UNUSED int jql_compare_side_write(const jql_compare_side *before,
                                                   const jql_results *after, FILE *fp);
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

/** Criteria set id of @p side (0 = before, 1 = after; borrowed); NULL when
 *  side is out of range or @p c is NULL. */
JQL_API const char *jql_comparison_criteria(const jql_comparison *c, int side);
/** Period id of @p side (borrowed); NULL when side is out of range or @p c is NULL. */
JQL_API const char *jql_comparison_period(const jql_comparison *c, int side);
/** As-of date "YYYY-MM-DD" the results of @p side were scored as of
 *  (jql_results_as_of(); borrowed, valid until jql_comparison_free()); NULL
 *  when that side was scored without one, side is out of range or @p c is NULL. */
JQL_API const char *jql_comparison_as_of(const jql_comparison *c, int side);
/** Units present on both sides whose rank differs; 0 for a NULL comparison. */
JQL_API size_t jql_comparison_rank_changes(const jql_comparison *c);
/** Units present on both sides whose tier id differs; 0 for a NULL comparison. */
JQL_API size_t jql_comparison_tier_changes(const jql_comparison *c);
/** Display name of unit k (borrowed); NULL when it has none or k is out of range. */
JQL_API const char *jql_comparison_unit_name(const jql_comparison *c, size_t k);
/** Final score after − before of unit k into *out. Returns JQL_OK;
 *  JQL_ENODATA when the unit is absent on a side; JQL_ENOTFOUND when k is
 *  out of range; JQL_EINVALID for a NULL argument. *out is set only on JQL_OK. */
JQL_API JQL_WARN_UNUSED int jql_comparison_unit_final_change(const jql_comparison *c, size_t k,
                                                             jql_milli *out);
/** Rank before − after of unit k (positive: moved up) into *out. Returns
 *  JQL_OK; JQL_ENODATA when the unit is absent on a side; JQL_ENOTFOUND
 *  when k is out of range; JQL_EINVALID for a NULL argument. */
JQL_API JQL_WARN_UNUSED int jql_comparison_unit_rank_change(const jql_comparison *c, size_t k,
                                                            long long *out);
/** Cluster rank before − after of unit k into *out. Returns JQL_OK;
 *  JQL_ENODATA when the unit is absent on a side or has no cluster rank
 *  there; JQL_ENOTFOUND when k is out of range; JQL_EINVALID for a NULL argument. */
JQL_API JQL_WARN_UNUSED int jql_comparison_unit_cluster_rank_change(const jql_comparison *c,
                                                                    size_t k, long long *out);
/** Tiers moved up by unit k into *out (the before tier looked up among the
 *  after side's tiers). Returns JQL_OK; JQL_ENODATA when the unit is absent
 *  on a side or its before tier is not a tier of the after side;
 *  JQL_ENOTFOUND when k is out of range; JQL_EINVALID for a NULL argument. */
JQL_API JQL_WARN_UNUSED int jql_comparison_unit_tier_change(const jql_comparison *c, size_t k,
                                                            long long *out);
/** Points after − before of node i of unit k into *out. Returns JQL_OK;
 *  JQL_ENODATA when the node is absent on a side; JQL_ENOTFOUND when k or i
 *  is out of range; JQL_EINVALID for a NULL argument. */
JQL_API JQL_WARN_UNUSED int jql_comparison_node_points_change(const jql_comparison *c, size_t k,
                                                              size_t i, jql_milli *out);

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


/*
 * The rest of the document, field by field. Tiers are given as indices
 * into jql_sensitivity_tier_id() (0 = the top tier), JQL_NONE when out of
 * range or not computed. A part that was not run (JQL_SENS_* not in
 * jql_sensitivity_flags()) reads as empty: counts 0, ranks 0, JQL_NO_SCORE.
 */
/** Criteria set id (borrowed); NULL for a NULL analysis. */
JQL_API const char *jql_sensitivity_criteria(const jql_sensitivity *s);
/** Period id (borrowed); NULL for a NULL analysis. */
JQL_API const char *jql_sensitivity_period(const jql_sensitivity *s);
/** As-of date "YYYY-MM-DD" of the results the analysis was run on
 *  (jql_results_as_of(); borrowed, valid until jql_sensitivity_free()); NULL
 *  when they were scored without one, and for a NULL analysis. */
JQL_API const char *jql_sensitivity_as_of(const jql_sensitivity *s);
/** The JQL_SENS_* parts computed; 0 for a NULL analysis. */
JQL_API unsigned int jql_sensitivity_flags(const jql_sensitivity *s);
/** x of ±x%, in thousandths of a percent; 0 for a NULL analysis. */
JQL_API jql_milli jql_sensitivity_percent(const jql_sensitivity *s);
/** Monte Carlo runs; 0 for a NULL analysis or when Monte Carlo was not run. */
JQL_API unsigned int jql_sensitivity_run_count(const jql_sensitivity *s);
/** Monte Carlo seed; 0 for a NULL analysis. */
JQL_API uint64_t jql_sensitivity_seed(const jql_sensitivity *s);
/** Name of the Monte Carlo distribution ("uniform", static); NULL for a NULL analysis. */
JQL_API const char *jql_sensitivity_distribution(const jql_sensitivity *s);
/** Number of top-level sections; 0 for a NULL analysis. */
JQL_API size_t jql_sensitivity_section_count(const jql_sensitivity *s);
/** Id of section j (borrowed); NULL when j is out of range. */
JQL_API const char *jql_sensitivity_section_id(const jql_sensitivity *s, size_t j);
/** Maximum (base weight) of section j; JQL_NO_SCORE when j is out of range. */
JQL_API jql_milli jql_sensitivity_section_max(const jql_sensitivity *s, size_t j);
/** Number of tiers of the criteria set; 0 for a NULL analysis. */
JQL_API size_t jql_sensitivity_tier_count(const jql_sensitivity *s);
/** Id of tier t (borrowed), 0 = the top tier; NULL when t is out of range. */
JQL_API const char *jql_sensitivity_tier_id(const jql_sensitivity *s, size_t t);
/** Weight of section j in Monte Carlo run i; JQL_NO_SCORE when i or j is out of range. */
JQL_API jql_milli jql_sensitivity_run_weight(const jql_sensitivity *s, size_t i, size_t j);
/** Base final score of unit k; JQL_NO_SCORE when k is out of range. */
JQL_API jql_milli jql_sensitivity_unit_final(const jql_sensitivity *s, size_t k);
/** Base rank of unit k; 0 when k is out of range. */
JQL_API size_t jql_sensitivity_unit_rank(const jql_sensitivity *s, size_t k);
/** Base tier index of unit k; JQL_NONE when k is out of range. */
JQL_API size_t jql_sensitivity_unit_tier(const jql_sensitivity *s, size_t k);

/* One at a time (oat): case q moves section q / 2 down (q even) or up (q odd). */
/** Number of one-at-a-time cases (2 per section); 0 when not run. */
JQL_API size_t jql_sensitivity_oat_case_count(const jql_sensitivity *s);
/** Section index case q moves; JQL_NONE when q is out of range. */
JQL_API size_t jql_sensitivity_oat_case_section(const jql_sensitivity *s, size_t q);
/** Direction of case q: -1 (minus) or +1 (plus); 0 when q is out of range. */
JQL_API int jql_sensitivity_oat_case_direction(const jql_sensitivity *s, size_t q);
/** Weight of section j in case q; JQL_NO_SCORE when q or j is out of range. */
JQL_API jql_milli jql_sensitivity_oat_case_weight(const jql_sensitivity *s, size_t q, size_t j);
/** Final score of unit k in case q; JQL_NO_SCORE when q or k is out of range. */
JQL_API jql_milli jql_sensitivity_oat_case_final(const jql_sensitivity *s, size_t q, size_t k);
/** Rank of unit k in case q; 0 when q or k is out of range. */
JQL_API size_t jql_sensitivity_oat_case_rank(const jql_sensitivity *s, size_t q, size_t k);
/** Tier index of unit k in case q; JQL_NONE when q or k is out of range. */
JQL_API size_t jql_sensitivity_oat_case_tier(const jql_sensitivity *s, size_t q, size_t k);
/** Best (lowest) rank of unit k over the base and every oat case; 0 when not run or out of range. */
JQL_API size_t jql_sensitivity_unit_oat_rank_min(const jql_sensitivity *s, size_t k);
/** Worst (highest) rank of unit k over the base and every oat case; 0 when not run or out of range. */
JQL_API size_t jql_sensitivity_unit_oat_rank_max(const jql_sensitivity *s, size_t k);
/** Best tier index of unit k over the base and every oat case; JQL_NONE when not run or out of range. */
JQL_API size_t jql_sensitivity_unit_oat_tier_best(const jql_sensitivity *s, size_t k);
/** Worst tier index of unit k over the base and every oat case; JQL_NONE when not run or out of range. */
JQL_API size_t jql_sensitivity_unit_oat_tier_worst(const jql_sensitivity *s, size_t k);

/* Leaves one at a time (JQL_SENS_LEAVES): case q moves leaf q / 2 down
   (q even) or up (q odd) among its siblings. */
/** Number of leaf cases (2 per leaf below the top level); 0 when not run. */
JQL_API size_t jql_sensitivity_leaf_case_count(const jql_sensitivity *s);
/** Id of the leaf case q moves (borrowed); NULL when q is out of range. */
JQL_API const char *jql_sensitivity_leaf_case_leaf(const jql_sensitivity *s, size_t q);
/** Direction of leaf case q: -1 or +1; 0 when q is out of range. */
JQL_API int jql_sensitivity_leaf_case_direction(const jql_sensitivity *s, size_t q);
/** Siblings of the moved leaf (itself included); 0 when q is out of range. */
JQL_API size_t jql_sensitivity_leaf_case_sibling_count(const jql_sensitivity *s, size_t q);
/** Id of sibling g (borrowed); NULL when q or g is out of range. */
JQL_API const char *jql_sensitivity_leaf_case_sibling_id(const jql_sensitivity *s, size_t q,
                                                         size_t g);
/** Weight (maximum) of sibling g in case q; JQL_NO_SCORE when q or g is out of range. */
JQL_API jql_milli jql_sensitivity_leaf_case_weight(const jql_sensitivity *s, size_t q, size_t g);
/** Units whose rank differs from the base in case q; 0 when q is out of range. */
JQL_API size_t jql_sensitivity_leaf_case_rank_changes(const jql_sensitivity *s, size_t q);
/** Units whose tier differs from the base in case q; 0 when q is out of range. */
JQL_API size_t jql_sensitivity_leaf_case_tier_changes(const jql_sensitivity *s, size_t q);
/** Lowest final of unit k over the base and every leaf case; JQL_NO_SCORE when not run or out of range. */
JQL_API jql_milli jql_sensitivity_unit_leaves_final_min(const jql_sensitivity *s, size_t k);
/** Highest final of unit k over the base and every leaf case; JQL_NO_SCORE when not run or out of range. */
JQL_API jql_milli jql_sensitivity_unit_leaves_final_max(const jql_sensitivity *s, size_t k);
/** Best rank of unit k over the base and every leaf case; 0 when not run or out of range. */
JQL_API size_t jql_sensitivity_unit_leaves_rank_min(const jql_sensitivity *s, size_t k);
/** Worst rank of unit k over the base and every leaf case; 0 when not run or out of range. */
JQL_API size_t jql_sensitivity_unit_leaves_rank_max(const jql_sensitivity *s, size_t k);
/** Best tier index of unit k over the base and every leaf case; JQL_NONE when not run or out of range. */
JQL_API size_t jql_sensitivity_unit_leaves_tier_best(const jql_sensitivity *s, size_t k);
/** Worst tier index of unit k over the base and every leaf case; JQL_NONE when not run or out of range. */
JQL_API size_t jql_sensitivity_unit_leaves_tier_worst(const jql_sensitivity *s, size_t k);

/* Margins (JQL_SENS_MARGINS): the smallest weight change of one section
   that changes the outcome, as *section (index) and *change (signed
   thousandths). */
/** Margin for unit k to reach a better tier. Returns JQL_OK; JQL_ENODATA
 *  when margins were not run or no change within reach does it;
 *  JQL_ENOTFOUND when k is out of range; JQL_EINVALID for a NULL argument. */
JQL_API JQL_WARN_UNUSED int jql_sensitivity_unit_margin_up(const jql_sensitivity *s, size_t k,
                                                           size_t *section, jql_milli *change);
/** Margin for unit k to drop to a worse tier. Returns JQL_OK; JQL_ENODATA
 *  when margins were not run or no change within reach does it;
 *  JQL_ENOTFOUND when k is out of range; JQL_EINVALID for a NULL argument. */
JQL_API JQL_WARN_UNUSED int jql_sensitivity_unit_margin_down(const jql_sensitivity *s, size_t k,
                                                             size_t *section, jql_milli *change);
/** Pairs of neighbours in the base ranking: pair k is unit k above unit
 *  k+1. Returns their number (units − 1); 0 for fewer than two units. */
JQL_API size_t jql_sensitivity_pair_count(const jql_sensitivity *s);
/** Margin for pair k to swap. Returns JQL_OK; JQL_ENODATA when margins were
 *  not run or no change within reach swaps them; JQL_ENOTFOUND when k is
 *  not a pair; JQL_EINVALID for a NULL argument. */
JQL_API JQL_WARN_UNUSED int jql_sensitivity_pair_margin(const jql_sensitivity *s, size_t k,
                                                        size_t *section, jql_milli *change);

/* ---- improvement plans ---------------------------------------------------- */

/** Bytes of leaf titles one set of plans may repeat: every unit planned
    (below the top tier) times the titles of the sheet's leaves. Past it
    every plans function fails with JQL_ELIMIT before anything is written. */
#define JQL_MAX_PLANS_TEXT (512u * 1024u * 1024u)

/**
 * For each unit below the top tier, where its points are: the applicable
 * leaves with points left (max − points), most first, with what the
 * measure would need for full points, and the smallest set of those leaves
 * whose full points lift the final score to the next tier's minimum
 * (largest first: the fewest leaves whenever children's maxima add up to
 * their parents'; with clamped parents it is a greedy choice). A unit held
 * back by a veto or a quota is marked so: points alone cannot move it.
 * JSON "justice-quarterly/plans 1.0". @p c must be the set @p r was
 * scored with. *out is the caller's (jql_free()), NULL on failure.
 * JQL_OK; JQL_EINVALID for a NULL argument, @p c not the set @p r was
 * scored with, or results scored with JQL_SCORE_NO_EVIDENCE; JQL_ENOMEM.
 * The whole text is held in memory: for many units, stream it with
 * jql_improvement_plans_write_cb().
 */
JQL_API JQL_WARN_UNUSED int jql_improvement_plans_json(const jql_results *r, const jql_criteria *c,
                                       char **out, size_t *len);

/**
 * Stream the JSON of jql_improvement_plans_json() to @p fn (jql_write_fn,
 * as jql_results_write_cb()), byte for byte the same, computing one unit's
 * plan at a time and handing the text over in chunks of about 64 KiB:
 * memory stays that of one unit's plan plus the chunk, whatever the number
 * of units. Nothing is kept after the call; @p r and @p c are only read.
 * Returns JQL_OK; JQL_EINVALID for a NULL argument, @p c not the set @p r
 * was scored with, or results scored with JQL_SCORE_NO_EVIDENCE, all
 * detected before @p fn is first called (no byte written); JQL_EIO when
 * @p fn returned non-zero (no call follows it); JQL_ENOMEM (the text may
 * then stop part-way, as with JQL_EIO: the caller discards it).
 */
JQL_API JQL_WARN_UNUSED int jql_improvement_plans_write_cb(const jql_results *r,
                                                           const jql_criteria *c,
                                                           jql_write_fn fn, void *user);
/** As jql_improvement_plans_write_cb() to a stream (not closed; JQL_EIO on
 *  a write error; JQL_EINVALID for a NULL @p fp, before writing). */
JQL_API JQL_WARN_UNUSED int jql_improvement_plans_write(const jql_results *r,
                                                        const jql_criteria *c, FILE *fp);


/** The improvement plans as an object (it copies what it shows). */
typedef struct jql_improvement_plans jql_improvement_plans;
/** The plans of jql_improvement_plans_json() as an object; *out is the
 *  caller's (jql_improvement_plans_free()), NULL on failure. Returns JQL_OK;
 *  JQL_EINVALID for a NULL argument or @p c not the set @p r was scored
 *  with; JQL_ENOMEM. */
JQL_API JQL_WARN_UNUSED int jql_improvement_plans_compute(const jql_results *r,
                                                          const jql_criteria *c,
                                                          jql_improvement_plans **out);
/** Free plans; NULL is a no-op (never fails). */
JQL_API void jql_improvement_plans_free(jql_improvement_plans *p);
/** The plans as the JSON of jql_improvement_plans_json() (*out: jql_free()).
 *  Returns JQL_OK, JQL_EINVALID (a NULL argument), JQL_ENOMEM. */
JQL_API JQL_WARN_UNUSED int jql_improvement_plans_to_json(const jql_improvement_plans *p,
                                                          char **out, size_t *len);
/** Criteria set id (borrowed); NULL for NULL plans. */
JQL_API const char *jql_improvement_plans_criteria(const jql_improvement_plans *p);
/** Period id (borrowed); NULL for NULL plans. */
JQL_API const char *jql_improvement_plans_period(const jql_improvement_plans *p);
/** As-of date "YYYY-MM-DD" of the results the plans were computed from
 *  (jql_results_as_of(); borrowed, valid until jql_improvement_plans_free());
 *  NULL when they were scored without one, and for NULL plans. */
JQL_API const char *jql_improvement_plans_as_of(const jql_improvement_plans *p);
/** Units below the top tier, in result order; 0 for NULL plans. */
JQL_API size_t jql_improvement_plans_unit_count(const jql_improvement_plans *p);
/** Id of unit k (borrowed); NULL when k is out of range. */
JQL_API const char *jql_improvement_plans_unit_id(const jql_improvement_plans *p, size_t k);
/** Display name of unit k (borrowed); NULL when k is out of range. */
JQL_API const char *jql_improvement_plans_unit_name(const jql_improvement_plans *p, size_t k);
/** Final score of unit k; JQL_NO_SCORE when k is out of range. */
JQL_API jql_milli jql_improvement_plans_unit_final(const jql_improvement_plans *p, size_t k);
/** Tier id of unit k (borrowed); NULL when k is out of range. */
JQL_API const char *jql_improvement_plans_unit_tier(const jql_improvement_plans *p, size_t k);
/** Id of the next tier up (borrowed); NULL when k is out of range. */
JQL_API const char *jql_improvement_plans_unit_next_tier(const jql_improvement_plans *p,
                                                         size_t k);
/** Points missing to the next tier's minimum (the results' gap); JQL_NO_SCORE when k is out of range. */
JQL_API jql_milli jql_improvement_plans_unit_gap(const jql_improvement_plans *p, size_t k);
/** Why points alone cannot move unit k ("veto", "quota": static names as
 *  jql_results_unit_held_back()); NULL when it is not held back or k is out of range. */
JQL_API const char *jql_improvement_plans_unit_held_back(const jql_improvement_plans *p,
                                                         size_t k);
/** True when the plan reaches the next tier's minimum; false when not, or k is out of range. */
JQL_API bool jql_improvement_plans_unit_closes_gap(const jql_improvement_plans *p, size_t k);
/** Final score with the plan's leaves at full points; JQL_NO_SCORE when k is out of range. */
JQL_API jql_milli jql_improvement_plans_unit_final_with_plan(const jql_improvement_plans *p,
                                                             size_t k);
/** Leaves in the plan (its steps); 0 when k is out of range. */
JQL_API size_t jql_improvement_plans_step_count(const jql_improvement_plans *p, size_t k);
/** Leaf id of step i of unit k (borrowed); NULL when k or i is out of range. */
JQL_API const char *jql_improvement_plans_step_id(const jql_improvement_plans *p, size_t k,
                                                  size_t i);
/** Applicable leaves with points left, most first; 0 when k is out of range. */
JQL_API size_t jql_improvement_plans_leaf_count(const jql_improvement_plans *p, size_t k);
/** Id of leaf i of unit k (borrowed); NULL when k or i is out of range. */
JQL_API const char *jql_improvement_plans_leaf_id(const jql_improvement_plans *p, size_t k,
                                                  size_t i);
/** Title of leaf i (borrowed); NULL when k or i is out of range. */
JQL_API const char *jql_improvement_plans_leaf_title(const jql_improvement_plans *p, size_t k,
                                                     size_t i);
/** Points of leaf i; JQL_NO_SCORE when k or i is out of range. */
JQL_API jql_milli jql_improvement_plans_leaf_points(const jql_improvement_plans *p, size_t k,
                                                   size_t i);
/** Maximum of leaf i; JQL_NO_SCORE when k or i is out of range. */
JQL_API jql_milli jql_improvement_plans_leaf_max(const jql_improvement_plans *p, size_t k,
                                                size_t i);
/** Points left (max − points) of leaf i; JQL_NO_SCORE when k or i is out of range. */
JQL_API jql_milli jql_improvement_plans_leaf_left(const jql_improvement_plans *p, size_t k,
                                                 size_t i);
/** What the measure would need for full points (borrowed text); NULL when k or i is out of range. */
JQL_API const char *jql_improvement_plans_leaf_need(const jql_improvement_plans *p, size_t k,
                                                    size_t i);
/** A concrete action ("complete 2 more of 9 tasks", borrowed); NULL when
 *  there is none or k or i is out of range. */
JQL_API const char *jql_improvement_plans_leaf_action(const jql_improvement_plans *p, size_t k,
                                                      size_t i);

/* ---- trends over periods -------------------------------------------------- */

typedef struct jql_trend jql_trend;

#define JQL_TREND_MAX_PERIODS 64u
/** Results the periods of jql_score_periods_table() share (scored units x
    criteria, items and tie-breakers, summed over the periods): each period
    is scored with at most this divided by the number of periods (and never
    more than JQL_MAX_SCORE_RESULTS, or the caller's max_results of
    jql_score_periods_table_with()), refused with JQL_ELIMIT before it is
    scored. 64 periods of 1,000 units x 4,400 criteria took 12 s. */
#define JQL_TREND_MAX_RESULTS 40000000u
/**
 * Score @p n periods (at most JQL_TREND_MAX_PERIODS) in one call, in the
 * order given; *out is the caller's (jql_trend_free()), NULL on failure.
 * Returns JQL_OK; JQL_EINVALID for a NULL argument or period, or n = 0;
 * JQL_ELIMIT for more than JQL_TREND_MAX_PERIODS; otherwise fails like
 * jql_score() on the first period that fails (its id in jql_last_error()).
 */
JQL_API JQL_WARN_UNUSED int jql_score_periods(const jql_dataset *ds, const jql_criteria *c,
                              const char *const *periods, size_t n, jql_trend **out);
/**
 * jql_score_periods() keeping no results: each period is scored without
 * evidence (JQL_SCORE_NO_EVIDENCE: the same scores, ranks and tiers) and
 * freed once its units' rows are in the table, so memory is one period's
 * scoring plus the table, not every period's results (64 periods of
 * 1,000 units x 4,400 criteria would hold 18 GB). jql_trend_results() gives
 * NULL, as for jql_results_trend(); every other accessor and
 * jql_trend_to_json() give what they give for jql_score_periods(). Fails
 * as jql_score_periods() does, and with JQL_ELIMIT when the periods
 * together would go past JQL_TREND_MAX_RESULTS.
 */
JQL_API JQL_WARN_UNUSED int jql_score_periods_table(const jql_dataset *ds, const jql_criteria *c,
                                    const char *const *periods, size_t n, jql_trend **out);
/**
 * jql_score_periods() with scoring options: every period is scored as
 * jql_score_with(ds, c, period, opts, ...) scores it (the same as_of,
 * flags, limits and threads; each period gets the limits whole), and its
 * results are kept as jql_score_periods() keeps them. @p opts NULL is
 * exactly jql_score_periods(); the options are the caller's and only read
 * during the call. *out is the caller's (jql_trend_free()), NULL on
 * failure. Returns the codes of jql_score_periods(), and JQL_EINVALID,
 * before any period is scored, for an unknown options version or flag or a
 * malformed as_of (named in jql_last_error()); a period empty of records
 * fails unless JQL_SCORE_ALLOW_EMPTY. With threads above 1 each period is
 * scored on up to that many threads, the periods one after another; the
 * trend is the same bytes whatever the number.
 */
JQL_API JQL_WARN_UNUSED int jql_score_periods_with(const jql_dataset *ds, const jql_criteria *c,
                                                   const char *const *periods, size_t n,
                                                   const jql_score_options *opts,
                                                   jql_trend **out);
/**
 * jql_score_periods_table() with scoring options: every period is scored
 * as jql_score_with() scores it with @p opts plus JQL_SCORE_NO_EVIDENCE
 * (added whatever opts->flags say), and freed once its rows are in the
 * table. A period's bound on results is the smaller of its share,
 * JQL_TREND_MAX_RESULTS / n, and opts->max_results (0, or opts NULL or of
 * version 1: one scoring's JQL_MAX_SCORE_RESULTS), so a caller can lower
 * it, and raise it up to the share, never past the share; beyond the
 * bound JQL_ELIMIT before the period is scored: when the share is what
 * bound it, the message names the periods, the results they share and
 * each one's share ("64 periods share 40000000 results, 625000 each");
 * otherwise it is jql_score_with()'s, after the period's id. The other
 * limits apply to each period whole. @p opts NULL is exactly
 * jql_score_periods_table(). Returns its codes and those of
 * jql_score_periods_with() (options refused before anything is scored).
 */
JQL_API JQL_WARN_UNUSED int jql_score_periods_table_with(const jql_dataset *ds,
                                                         const jql_criteria *c,
                                                         const char *const *periods, size_t n,
                                                         const jql_score_options *opts,
                                                         jql_trend **out);
/** Free a trend and its results; NULL is a no-op (never fails). */
JQL_API void jql_trend_free(jql_trend *t);
/** Number of periods scored; 0 for a NULL trend. */
JQL_API size_t jql_trend_period_count(const jql_trend *t);
/**
 * The warnings of every period's scoring (jql_results_diagnostics(), whose
 * messages name their period), in period order, the same entries.
 * Borrowed, freed with the trend;
 * never NULL for a trend from jql_score_periods*() or jql_results_trend()
 * (empty when no period warned), NULL for a NULL trend. The table
 * (jql_score_periods_table*()) keeps no results, so these are its only
 * record of, e.g., a leaf no unit has data for in some period.
 */
JQL_API const jql_diagnostics *jql_trend_diagnostics(const jql_trend *t);
/** The results of period p (borrowed from the trend); NULL when p is out of
 *  range or the trend came from jql_results_trend() (which keeps no results). */
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
 * jql_trend_to_json() for the same periods. Fails like jql_results_trend()
 * (JQL_ELIMIT beyond JQL_TREND_MAX_PERIODS).
 */
JQL_API JQL_WARN_UNUSED int jql_results_trend_json(const jql_results *const *results, size_t n, char **out,
                                   size_t *len);


/**
 * The trend of results scored separately, in the order given, as an object
 * (it copies what it shows; the results are not kept). *out is the
 * caller's (jql_trend_free()), NULL on failure. Returns JQL_OK;
 * JQL_EINVALID for a NULL argument or result, or n = 0; JQL_ELIMIT for
 * more than JQL_TREND_MAX_PERIODS; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_results_trend(const jql_results *const *results, size_t n,
                                              jql_trend **out);
/** Criteria set id of the first period (borrowed); NULL for a NULL trend. */
JQL_API const char *jql_trend_criteria(const jql_trend *t);
/** Id of period p (borrowed); NULL when p is out of range. */
JQL_API const char *jql_trend_period_id(const jql_trend *t, size_t p);
/** As-of date "YYYY-MM-DD" period p was scored as of (jql_results_as_of() of
 *  its results; borrowed, valid until jql_trend_free()); NULL when it was
 *  scored without one or p is out of range. */
JQL_API const char *jql_trend_period_as_of(const jql_trend *t, size_t p);
/** As-of date "YYYY-MM-DD" every period was scored as of (borrowed, valid
 *  until jql_trend_free()): the JSON's "as_of". NULL when no period was
 *  scored as of a date, when the periods' dates differ (see
 *  jql_trend_as_of_varies()), or for a NULL trend. */
JQL_API const char *jql_trend_as_of(const jql_trend *t);
/** Whether the periods were scored as of different dates, or some as of a
 *  date and some without (results given to jql_results_trend()): the JSON
 *  then has "as_of_by_period", jql_trend_period_as_of() of each period.
 *  Never so from jql_score_periods*_with(). false for a NULL trend. */
JQL_API bool jql_trend_as_of_varies(const jql_trend *t);
/** Units in the JSON's order (the last period's result order, then the
 *  others by id); 0 for a NULL trend. */
JQL_API size_t jql_trend_unit_count(const jql_trend *t);
/** Id of unit i (borrowed); NULL when i is out of range. */
JQL_API const char *jql_trend_unit_id(const jql_trend *t, size_t i);
/** True when unit i is scored in period p; false when not, or i or p is out of range. */
JQL_API bool jql_trend_unit_present(const jql_trend *t, size_t i, size_t p);
/** Final score of unit i in period p; JQL_NO_SCORE when not scored there or out of range. */
JQL_API jql_milli jql_trend_unit_final(const jql_trend *t, size_t i, size_t p);
/** Rank of unit i in period p; 0 when not scored there or out of range. */
JQL_API size_t jql_trend_unit_rank(const jql_trend *t, size_t i, size_t p);
/** Tier id of unit i in period p (borrowed); NULL when not scored there or out of range. */
JQL_API const char *jql_trend_unit_tier(const jql_trend *t, size_t i, size_t p);
/** Ranks moved up since period p − 1 (previous rank − rank) into *out.
 *  Returns JQL_OK; JQL_ENODATA when p is 0 or the unit is not scored in p
 *  or p − 1; JQL_ENOTFOUND when i or p is out of range; JQL_EINVALID for a
 *  NULL argument. */
JQL_API JQL_WARN_UNUSED int jql_trend_unit_movement(const jql_trend *t, size_t i, size_t p,
                                                    long long *out);

#ifdef __cplusplus
}
#endif
#endif /* JUSTICE_QUARTERLY_ANALYSIS_H */
