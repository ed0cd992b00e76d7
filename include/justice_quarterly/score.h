/*
 * libjustice-quarterly — criteria sets and the scoring engine.
 *
 * A criteria set (docs/CRITERIA.md) describes an emulation score sheet: the
 * units it scores, the scored period, the scale, a tree of criteria with
 * maxima, how each leaf is scored, bonus and deductions, tiers, vetoes,
 * quotas, tie-breakers and clusters. jql_score() applies it to a dataset
 * and returns results that explain every point (docs/SCORING.md rules).
 *
 * Thread safety: a loaded criteria set is read-only during scoring; several
 * threads may score with the same criteria and dataset at once, provided
 * registered custom callbacks are themselves thread-safe and nobody
 * registers callbacks or edits the dataset meanwhile. Results are
 * immutable and may be read from several threads; as they read their
 * evidence from the dataset (jql_score()), nobody may edit that dataset
 * while another thread reads them. Freeing it meanwhile is safe.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JUSTICE_QUARTERLY_SCORE_H
#define JUSTICE_QUARTERLY_SCORE_H

#include <stdbool.h>
#include <stdio.h>

#include "common.h"
#include "dataset.h"

#ifdef __cplusplus
extern "C" {
#endif

#define JQL_CRITERIA_FORMAT "justice-quarterly/criteria"
#define JQL_CRITERIA_FORMAT_MAJOR 1

/** Opaque criteria set. */
typedef struct jql_criteria jql_criteria;
/** Opaque scoring results. */
typedef struct jql_results jql_results;

/**
 * Load a criteria set from JSON. Every problem is collected with a JSON
 * Pointer path and line:column, like jql_dataset_load_buffer(); warnings
 * (children's maxima not adding up to the parent's) are reported in *diag
 * on success too. *out is owned by the caller (jql_criteria_free()).
 * Returns JQL_OK, JQL_EINVALID, JQL_ELIMIT, JQL_ENOMEM (JQL_EIO for paths).
 */
JQL_API JQL_WARN_UNUSED int jql_criteria_load_buffer(const char *data, size_t len, const char *source,
                                     jql_criteria **out, jql_diagnostics **diag);
/** jql_criteria_load_buffer() from the file at @p path: the same codes, and
 *  JQL_EIO when it cannot be opened or read (errno kept). */
JQL_API JQL_WARN_UNUSED int jql_criteria_load_path(const char *path, jql_criteria **out, jql_diagnostics **diag);
/** jql_criteria_load_buffer() from a stream read to its end (not closed):
 *  the same codes, and JQL_EIO on a read error. */
JQL_API JQL_WARN_UNUSED int jql_criteria_load_file(FILE *fp, const char *source, jql_criteria **out,
                                   jql_diagnostics **diag);
/** The same with limits from @p opts (NULL: the defaults; see jql_load_options).
 *  Returns the codes of jql_criteria_load_buffer(); JQL_EINVALID also for an
 *  unknown options version or a limit above the library's maximum. */
JQL_API JQL_WARN_UNUSED int jql_criteria_load_buffer_ext(const char *data, size_t len, const char *source,
                                         const jql_load_options *opts, jql_criteria **out,
                                         jql_diagnostics **diag);
/** jql_criteria_load_path() with limits: its codes and those of jql_criteria_load_buffer_ext(). */
JQL_API JQL_WARN_UNUSED int jql_criteria_load_path_ext(const char *path, const jql_load_options *opts,
                                       jql_criteria **out, jql_diagnostics **diag);
/** jql_criteria_load_file() with limits: its codes and those of jql_criteria_load_buffer_ext(). */
JQL_API JQL_WARN_UNUSED int jql_criteria_load_file_ext(FILE *fp, const char *source, const jql_load_options *opts,
                                       jql_criteria **out, jql_diagnostics **diag);

/**
 * Free a criteria set, calling the free functions of registered callbacks'
 * user data. NULL is a no-op. Results made from it stay valid (they copy
 * what they need), so handles may be freed in any order.
 */
JQL_API void jql_criteria_free(jql_criteria *c);

/** Id of the set (borrowed); NULL for a NULL set. */
JQL_API const char *jql_criteria_id(const jql_criteria *c);
/** Display name of the set (borrowed); NULL when it has none or for a NULL set. */
JQL_API const char *jql_criteria_name(const jql_criteria *c);
/** Default scored period id (borrowed); NULL for a NULL set. */
JQL_API const char *jql_criteria_period(const jql_criteria *c);
/** The scale (usually 100.000 = 100000 thousandths); 0 for a NULL set. */
JQL_API jql_milli jql_criteria_scale(const jql_criteria *c);

/* Nodes of the tree in document pre-order, by index i. */

/** Number of nodes; 0 for a NULL set. */
JQL_API size_t jql_criteria_node_count(const jql_criteria *c);
/** Id of node i (borrowed); NULL when i is out of range. */
JQL_API const char *jql_criteria_node_id(const jql_criteria *c, size_t i);
/** Title of node i (borrowed); NULL when i is out of range. */
JQL_API const char *jql_criteria_node_title(const jql_criteria *c, size_t i);
/** Maximum of node i (thousandths); 0 when i is out of range. */
JQL_API jql_milli jql_criteria_node_max(const jql_criteria *c, size_t i);
/** Parent node index, or JQL_NONE for a top-level node or i out of range. */
JQL_API size_t jql_criteria_node_parent(const jql_criteria *c, size_t i);
/** True when node i is a leaf; false for an inner node or i out of range. */
JQL_API bool jql_criteria_node_is_leaf(const jql_criteria *c, size_t i);
/**
 * The index of the node with id @p id (compared in Unicode NFC) in *index.
 * Returns JQL_OK, JQL_ENOTFOUND (no such node; *index untouched), or
 * JQL_EINVALID for a NULL argument.
 */
JQL_API JQL_WARN_UNUSED int jql_criteria_node_find(const jql_criteria *c, const char *id, size_t *index);

/* Tiers from the top, by index i. */

/** Number of tiers; 0 for a NULL set. */
JQL_API size_t jql_criteria_tier_count(const jql_criteria *c);
/** Id of tier i (borrowed); NULL when i is out of range. */
JQL_API const char *jql_criteria_tier_id(const jql_criteria *c, size_t i);
/** Display name of tier i (borrowed); NULL when i is out of range. */
JQL_API const char *jql_criteria_tier_name(const jql_criteria *c, size_t i);
/** Minimum final score of tier i (thousandths); 0 when i is out of range. */
JQL_API jql_milli jql_criteria_tier_min(const jql_criteria *c, size_t i);
/**
 * The index of the tier with id @p id (compared in Unicode NFC) in *index.
 * Returns JQL_OK, JQL_ENOTFOUND (no such tier; *index untouched), or
 * JQL_EINVALID for a NULL argument.
 */
JQL_API JQL_WARN_UNUSED int jql_criteria_tier_find(const jql_criteria *c, const char *id, size_t *index);

/* Vetoes in document order, by index i. */

/** Number of vetoes; 0 for a NULL set. */
JQL_API size_t jql_criteria_veto_count(const jql_criteria *c);
/** Id of veto i (borrowed); NULL when i is out of range. */
JQL_API const char *jql_criteria_veto_id(const jql_criteria *c, size_t i);
/** Reason of veto i (borrowed); NULL when i is out of range. */
JQL_API const char *jql_criteria_veto_reason(const jql_criteria *c, size_t i);
/** Index of the tier veto i caps a unit at; JQL_NONE when i is out of range. */
JQL_API size_t jql_criteria_veto_cap(const jql_criteria *c, size_t i);
/**
 * The index of the veto with id @p id (compared in Unicode NFC) in *index.
 * Returns JQL_OK, JQL_ENOTFOUND (no such veto; *index untouched), or
 * JQL_EINVALID for a NULL argument.
 */
JQL_API JQL_WARN_UNUSED int jql_criteria_veto_find(const jql_criteria *c, const char *id, size_t *index);

/**
 * Check the criteria set against a dataset: indicators it names exist,
 * declared clusters cover the scored units' clusters (errors); report and
 * event kinds never seen in the dataset (warnings). jql_score() performs
 * the same check and fails with JQL_EINVALID on errors.
 * *diag (may be NULL) is owned by the caller.
 */
JQL_API JQL_WARN_UNUSED int jql_criteria_check(const jql_criteria *c, const jql_dataset *ds,
                               jql_diagnostics **diag);

/** The context of one call of a custom function (justice_quarterly/custom.h). */
typedef struct jql_custom_ctx jql_custom_ctx;

/**
 * A custom leaf method. Called once per scored unit and leaf whose method
 * is {"type": "custom", "function": NAME}, with the pointer given at
 * registration and a context valid during the call only: the leaf, unit,
 * period and inputs are read, and the points set, through the
 * jql_custom_*() functions of justice_quarterly/custom.h.
 *
 * @return 0 after jql_custom_set_points(); any other value aborts scoring:
 *         jql_score() returns JQL_ECALLBACK with the message given to
 *         jql_custom_set_error() in jql_last_error().
 */
typedef int (*jql_custom_fn)(void *user, jql_custom_ctx *ctx);

/**
 * Register (or replace) the custom function @p name. @p free_user, when not
 * NULL, is called with @p user when the registration is replaced or the
 * criteria set is freed. Not thread-safe with concurrent scoring.
 * Returns JQL_OK, JQL_EINVALID (NULL criteria or function, a name that is
 * not a valid id), JQL_ENOMEM (then @p user is not freed).
 */
JQL_API JQL_WARN_UNUSED int jql_criteria_custom_register(jql_criteria *c, const char *name,
                                                         jql_custom_fn fn, void *user,
                                                         void (*free_user)(void *));

/**
 * Score every unit the criteria set covers over @p period (NULL: the set's
 * own period). *out is owned by the caller (jql_results_free()); the results
 * stay valid after the dataset and criteria are freed. Their evidence
 * records are read from the dataset, which the results hold: freeing the
 * dataset first is allowed, and its memory is released with the last
 * results scored from it. Records added to the dataset later, and
 * statistic values changed later, do not change what the results show
 * (they keep the value scored). Re-score after editing the dataset by
 * calling jql_score() again.
 * Returns JQL_OK, JQL_EINVALID (criteria do not fit the dataset, or no
 * record of the scored units falls in the period; message in
 * jql_last_error()), JQL_ENOTFOUND (unknown period), JQL_ECALLBACK,
 * JQL_ELIMIT (values or event points of the dataset whose sum does not fit
 * 64 bits; more results than JQL_MAX_SCORE_RESULTS or JQL_MAX_SCORE_VETOES
 * allow, below), JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_score(const jql_dataset *ds, const jql_criteria *c, const char *period,
                      jql_results **out);

/**
 * Limits of one scoring (docs/CRITERIA.md, "Limits"): the results hold one
 * entry per scored unit and criterion, bonus or deduction item and
 * tie-breaker, check every veto for every scored unit and show the reason
 * of a fired veto for each unit, so a large sheet times a large dataset
 * could ask for billions. Beyond any of these products jql_score() fails
 * with JQL_ELIMIT, a message naming the counts. They are defaults against
 * hostile input: jql_score_options (version 2) raises or lowers each for
 * one scoring. A year of the country's 10,000 communes on a sheet of 50
 * criteria is 500,000 results.
 */
#define JQL_MAX_SCORE_RESULTS 5000000u /**< scored units x (nodes + items + tie-breakers) */
#define JQL_MAX_SCORE_VETOES 20000000u /**< scored units x vetoes */
#define JQL_MAX_SCORE_VETO_TEXT (256u * 1024u * 1024u) /**< scored units x bytes of veto reasons */
/** Evidence records one results document may cite (levels full and ids): a
    roll-up leaf cites its unit's whole subtree, so a chain of units makes
    the citations grow with its square. About 4 GB of JSON at level full. */
#define JQL_MAX_RESULTS_EVIDENCE 50000000u
/** Bytes of the cited records' ids, periods and kinds one results document
    may write at evidence level full (a report or event kind is any text of
    up to 64 KiB, repeated at every citation): 4 GiB. */
#define JQL_MAX_RESULTS_EVIDENCE_TEXT (4ull * 1024u * 1024u * 1024u)
/** Evidence references one scoring keeps (8 bytes each: 400 MB). Shared
    slices count once, so a scoring that keeps more would cite more than
    JQL_MAX_RESULTS_EVIDENCE too: it is refused while scoring, not after. */
#define JQL_MAX_SCORE_EVIDENCE 50000000u
/** Bands of one bands method (a leaf's or an item's), a limit of the
    criteria format: a unit's value is tried against each band in order, for
    every scored unit, so one leaf of 250,000 bands on 10,000 units tried
    2.5 x 10^9 (5 s; --plans 14 s). A longer list is a load error. */
#define JQL_MAX_BANDS 100u

/**
 * Options of jql_score_with(). Initialise with JQL_SCORE_OPTIONS_INIT so
 * members added later keep their defaults; `version` says which members
 * the caller knows.
 */
typedef struct jql_score_options {
    unsigned int version; /**< JQL_SCORE_OPTIONS_VERSION */
    unsigned int flags;   /**< JQL_SCORE_* bit flags (e.g. JQL_SCORE_ALLOW_EMPTY) */
    /* "YYYY-MM-DD" or NULL: score as things stood on that date. Nothing
       dated after it counts: reports due later are not due yet and
       submissions after it are not made; tasks and directives due (or
       directives issued) later are not counted and completions after it
       are not made; events after it do not count; statistics count once
       their period (or its declared cut-off) has ended. Assessments carry
       no date and count as given (docs/CRITERIA.md, "As-of date"). */
    const char *as_of;
    /* Version 2: the limits of one scoring (above); 0 keeps the default. */
    size_t max_results;     /**< default JQL_MAX_SCORE_RESULTS */
    size_t max_veto_checks; /**< default JQL_MAX_SCORE_VETOES */
    size_t max_veto_text;   /**< default JQL_MAX_SCORE_VETO_TEXT */
    /* Version 3. */
    size_t max_evidence; /**< default JQL_MAX_SCORE_EVIDENCE (references kept) */
    /* Version 4: threads to score on (0 or 1: the calling thread alone).
       Up to this many threads (the calling one included) each score a
       block of consecutive units; the results are the same bytes
       whatever the number, and an error is the one a scoring on one
       thread reports (the scoring is then done again on the calling
       thread to find it). The calling thread alone scores, whatever this
       says: a criteria set with a roll-up measure (a leaf, item, veto or
       tie-breaker with "rollup": their sums are shared across units), or
       with a custom leaf unless JQL_SCORE_CUSTOM_ANY_THREAD; and each
       thread takes at least JQL_SCORE_UNITS_PER_THREAD units. The
       allocator (jql_allocator_set) is called from every one of them. */
    unsigned int threads;
    /* Version 5: how the caller's users allow an empty period, named in
       the refusal of an empty or unknown period ("... (allow empty periods
       to score it anyway: --allow-empty)"): a front end's own option, e.g.
       "--allow-empty", "allow_empty=True". NULL or "": the library's own,
       "JQL_SCORE_ALLOW_EMPTY". Only named in the message; the flag is what
       allows it. */
    const char *allow_empty_name;
} jql_score_options;
#define JQL_SCORE_OPTIONS_VERSION 5
#define JQL_SCORE_OPTIONS_INIT { JQL_SCORE_OPTIONS_VERSION, 0, NULL, 0, 0, 0, 0, 0, NULL }
/** Most threads one scoring starts (jql_score_options.threads above it
    is this many). */
#define JQL_SCORE_MAX_THREADS 64u
/** Fewest units a scoring thread takes: starting a thread costs more than
    scoring a few units. */
#define JQL_SCORE_UNITS_PER_THREAD 256u

/**
 * Score a period in which the scored units (and their descendants) hold no
 * record of any kind. Without it such a period is an error: JQL_EINVALID,
 * or JQL_ENOTFOUND when the dataset does not declare the period and no
 * record at all falls in it (an unknown period, e.g. a mistyped year).
 * With it the period is scored (every measure has no data) and the results
 * carry a warning. Whether the period is empty is decided on the whole
 * period, whatever the as-of date: a period scored as of a date before its
 * first record is not empty (its measures simply have no data yet).
 */
#define JQL_SCORE_ALLOW_EMPTY 0x1u

/**
 * Keep no evidence: points, values, rules, tiers and ranks are exactly
 * those of a scoring with evidence, but no node or item cites records
 * (jql_results_node_evidence_count() and jql_results_item_evidence_count()
 * are 0), writing the results at evidence level full or ids fails with
 * JQL_EINVALID (level none works) and the improvement plans refuse
 * them. For callers that show no evidence (a scoreboard, a CSV, a report):
 * a roll-up's evidence lists its unit's whole subtree, so in a deep tree
 * the evidence alone grows with units x depth; without it a roll-up is one
 * bottom-up sum per subtree and scoring stays linear in the records.
 */
#define JQL_SCORE_NO_EVIDENCE 0x2u

/**
 * With jql_score_options.threads above 1: the custom functions may be
 * called from the scoring's other threads, one call at a time (a mutex
 * of the scoring keeps them from running at once; the calling thread
 * waits meanwhile). Without it a criteria set with a custom leaf is
 * scored on the calling thread alone, as a host whose functions belong
 * to its own thread (Python, Lua) needs.
 */
#define JQL_SCORE_CUSTOM_ANY_THREAD 0x4u

/**
 * jql_score() with options (NULL: the defaults, exactly jql_score()).
 * Also fails with JQL_EINVALID for an unknown options version or flag or a
 * malformed as_of, and refuses an empty or unknown period unless
 * JQL_SCORE_ALLOW_EMPTY (see above).
 */
JQL_API JQL_WARN_UNUSED int jql_score_with(const jql_dataset *ds, const jql_criteria *c, const char *period,
                           const jql_score_options *opts, jql_results **out);

/**
 * Warnings about the scoring, in a stable order (borrowed, freed with the
 * results; never NULL for results from jql_score()). Severity
 * JQL_SEVERITY_WARNING; paths are JSON Pointers into the criteria document
 * (line and column 0):
 * - `/period`: the period holds no record of the scored units (scored only
 *   with JQL_SCORE_ALLOW_EMPTY);
 * - a manual leaf no scored unit has an assessment for in the period;
 * - a computed leaf whose measure has no data for any scored unit.
 * Leaves not applicable to every unit are not reported. A typo in an id or a
 * missing file looks exactly like this, so the CLIs print these on stderr.
 */
JQL_API const jql_diagnostics *jql_results_diagnostics(const jql_results *r);

/** Free results. NULL is a no-op. */
JQL_API void jql_results_free(jql_results *r);

/** The scored period id (borrowed); NULL for NULL results. */
JQL_API const char *jql_results_period(const jql_results *r);
/** The criteria set's id (borrowed); NULL for NULL results. */
JQL_API const char *jql_results_criteria_id(const jql_results *r);
/**
 * The as-of date the results were scored as of (jql_score_options.as_of),
 * "YYYY-MM-DD"; NULL when scored without one (every record counted) and
 * for NULL results. Borrowed: owned by @p r, valid until jql_results_free().
 * Written in the results JSON as "as_of" (docs/CRITERIA.md, "Results"),
 * and carried into what is computed from the results (docs/ANALYSIS.md).
 */
JQL_API const char *jql_results_as_of(const jql_results *r);

/*
 * Scored units, in result order: by rank, then by unit id (byte order).
 * Index k below is a position in that order.
 */

/** Number of scored units; 0 for NULL results. */
JQL_API size_t jql_results_unit_count(const jql_results *r);
/** Id of unit k (borrowed); NULL when k is out of range. */
JQL_API const char *jql_results_unit_id(const jql_results *r, size_t k);
/** Display name of unit k (borrowed); NULL when k is out of range. */
JQL_API const char *jql_results_unit_name(const jql_results *r, size_t k);
/**
 * The position k of the unit with id @p id (compared in Unicode NFC) in
 * *index. Returns JQL_OK, JQL_ENOTFOUND (the unit was not scored; *index
 * untouched), or JQL_EINVALID for a NULL argument.
 */
JQL_API JQL_WARN_UNUSED int jql_results_unit_find(const jql_results *r, const char *id, size_t *index);
/** Cluster id, or NULL (no cluster, or k out of range). */
JQL_API const char *jql_results_unit_cluster(const jql_results *r, size_t k);

/** Fields of a unit's result (thousandths). */
typedef enum jql_result_field {
    JQL_RESULT_FIELD_TOTAL = 0,       /**< root score (sum of top-level nodes, clamped to the scale) */
    JQL_RESULT_FIELD_APPLICABLE_MAX,  /**< sum of applicable maxima (tree-clamped, at most the scale) */
    JQL_RESULT_FIELD_NORMALIZED,      /**< total * scale / applicable max */
    JQL_RESULT_FIELD_BONUS,           /**< bonus after the cap */
    JQL_RESULT_FIELD_BONUS_RAW,       /**< bonus before the cap */
    JQL_RESULT_FIELD_DEDUCTIONS,
    JQL_RESULT_FIELD_FINAL,           /**< max(0, normalized + bonus - deductions), capped by the scale unless allowed */
    JQL_RESULT_FIELD_SELF_TOTAL,      /**< total computed from self-assessed scores */
    JQL_RESULT_FIELD_GAP,             /**< points needed for the next tier up (0 at the top) */
    /** Number of fields (not a field; grows when one is added). */
    JQL_RESULT_FIELD_COUNT
} jql_result_field;
/** Field @p f of unit k (thousandths); 0 when k or f is out of range. */
JQL_API jql_milli jql_results_unit_value(const jql_results *r, size_t k, jql_result_field f);

/** Final tier id of unit k (borrowed); NULL when k is out of range. */
JQL_API const char *jql_results_unit_tier(const jql_results *r, size_t k);
/** Id of the tier the final score alone gives (borrowed); NULL when k is out of range. */
JQL_API const char *jql_results_unit_tier_before_caps(const jql_results *r, size_t k);
/** Overall rank (1-based, standard competition ranking); 0 when k is out of range. */
JQL_API size_t jql_results_unit_rank(const jql_results *r, size_t k);
/** Rank within the unit's cluster, 0 when the unit has no cluster. */
JQL_API size_t jql_results_unit_cluster_rank(const jql_results *r, size_t k);
/** True when the unit leads its cluster (nominated for the emulation flag). */
JQL_API bool jql_results_unit_is_leader(const jql_results *r, size_t k);
/** True when a quota moved the unit down (at least one tier). */
JQL_API bool jql_results_unit_quota_demoted(const jql_results *r, size_t k);
/** True when the unit was moved down because tied units straddled a quota limit. */
JQL_API bool jql_results_unit_quota_tie(const jql_results *r, size_t k);
/** What holds the unit below the next tier: "" (points or top), "veto" or
 *  "quota" (static strings); returns "" when k is out of range. */
JQL_API const char *jql_results_unit_held_back(const jql_results *r, size_t k);
/** Number of vetoes that fired for unit k, in criteria order; 0 when k is out of range. */
JQL_API size_t jql_results_unit_veto_count(const jql_results *r, size_t k);
/** Id of the v-th veto that fired (borrowed); NULL when k or v is out of range. */
JQL_API const char *jql_results_unit_veto_id(const jql_results *r, size_t k, size_t v);
/** Its reason (borrowed); NULL when k or v is out of range. */
JQL_API const char *jql_results_unit_veto_reason(const jql_results *r, size_t k, size_t v);
/** Id of the tier it caps the unit at (borrowed); NULL when k or v is out of range. */
JQL_API const char *jql_results_unit_veto_cap(const jql_results *r, size_t k, size_t v);
/** The tier after the vetoes' caps, before quotas (borrowed id); NULL when
 *  k is out of range. A veto changed the unit's tier when this differs
 *  from tier_before_caps. */
JQL_API const char *jql_results_unit_tier_after_vetoes(const jql_results *r, size_t k);

/* Per-node results: node index n as in jql_criteria_node_*(). */

/** Number of nodes; 0 for NULL results. */
JQL_API size_t jql_results_node_count(const jql_results *r);
/** Id of node n (borrowed); NULL when n is out of range. */
JQL_API const char *jql_results_node_id(const jql_results *r, size_t n);
/** Unit k's points on node n (thousandths); 0 when k or n is out of range. */
JQL_API jql_milli jql_results_node_points(const jql_results *r, size_t k, size_t n);
/** Node n's maximum (thousandths); 0 when k or n is out of range. */
JQL_API jql_milli jql_results_node_max(const jql_results *r, size_t k, size_t n);
/** True when node n applies to unit k; false when not, or k or n is out of range. */
JQL_API bool jql_results_node_applicable(const jql_results *r, size_t k, size_t n);
/** The dataset's self-assessed score of the node (JQL_NO_SCORE when none). */
JQL_API jql_milli jql_results_node_self(const jql_results *r, size_t k, size_t n);
/** The appraised score of the node; JQL_NO_SCORE when none or k or n is out of range. */
JQL_API jql_milli jql_results_node_appraised(const jql_results *r, size_t k, size_t n);
/** The measured value shown (rounded to 0.001): false when there is none. */
JQL_API bool jql_results_node_value(const jql_results *r, size_t k, size_t n, jql_milli *value);
/** What produced the points ("band 2: at_most 2 → 1.5", "appraised"...;
 *  borrowed); NULL when k or n is out of range. */
JQL_API const char *jql_results_node_rule(const jql_results *r, size_t k, size_t n);

/* Bonus items, then deduction items, in criteria order (index i). */

/** Number of bonus and deduction items; 0 for NULL results. */
JQL_API size_t jql_results_item_count(const jql_results *r);
/** True when item i is a deduction; false for a bonus item or i out of range. */
JQL_API bool jql_results_item_is_deduction(const jql_results *r, size_t i);
/** Id of item i (borrowed); NULL when i is out of range. */
JQL_API const char *jql_results_item_id(const jql_results *r, size_t i);
/** Title of item i (borrowed); NULL when i is out of range. */
JQL_API const char *jql_results_item_title(const jql_results *r, size_t i);
/** Maximum of item i (thousandths); 0 when i is out of range. */
JQL_API jql_milli jql_results_item_max(const jql_results *r, size_t i);
/** Unit k's points on item i (thousandths, positive for deductions too); 0 when out of range. */
JQL_API jql_milli jql_results_item_points(const jql_results *r, size_t k, size_t i);
/** Unit k's self-assessed score of item i; JQL_NO_SCORE when none or out of range. */
JQL_API jql_milli jql_results_item_self(const jql_results *r, size_t k, size_t i);
/** The appraised score of item i; JQL_NO_SCORE when none or out of range. */
JQL_API jql_milli jql_results_item_appraised(const jql_results *r, size_t k, size_t i);
/** What produced unit k's points on item i (borrowed); NULL when out of range. */
JQL_API const char *jql_results_item_rule(const jql_results *r, size_t k, size_t i);

/**
 * The results as JSON (docs/CRITERIA.md, "Results"): stable keys, units
 * ordered by rank then id, points as decimals with exactly 3 places.
 * Byte-identical for the same inputs on every run, locale and binding.
 * *out is owned by the caller (jql_free()). JQL_OK or JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_results_to_json(const jql_results *r, char **out, size_t *len);

/** How much evidence the results JSON carries. */
typedef enum jql_evidence_level {
    /** every record behind the points, described in full (jql_results_to_json()) */
    JQL_EVIDENCE_FULL = 0,
    /** each record as a JSON Pointer into the dataset's canonical JSON
        ("/reports/12", "/tasks/40"): a fraction of the size */
    JQL_EVIDENCE_IDS = 1,
    /** no "evidence" member: the scoreboard only */
    JQL_EVIDENCE_NONE = 2,
    /** Number of levels (not a level; grows when one is added). */
    JQL_EVIDENCE_LEVEL_COUNT
} jql_evidence_level;

/** A sink for streamed output: consume @p len bytes; non-zero stops writing. */
typedef int (*jql_write_fn)(void *user, const char *data, size_t len);

/**
 * Stream the results JSON to @p fn, one unit at a time, never holding the
 * whole text. The bytes are identical to jql_results_to_json_level() with
 * the same level (at JQL_EVIDENCE_FULL, to jql_results_to_json()).
 * Levels other than full add "evidence_level" after "allow_above_scale".
 * JQL_OK, JQL_EINVALID, JQL_EIO (the sink failed), JQL_ENOMEM; JQL_ELIMIT,
 * before writing anything, when the results cite more than
 * JQL_MAX_RESULTS_EVIDENCE evidence records at level full or ids.
 */
JQL_API JQL_WARN_UNUSED int jql_results_write_cb(const jql_results *r, jql_write_fn fn, void *user,
                                 jql_evidence_level level);
/** As jql_results_write_cb() to a stream (not closed; JQL_EIO on a write error). */
JQL_API JQL_WARN_UNUSED int jql_results_write(const jql_results *r, FILE *fp, jql_evidence_level level);
/** As jql_results_to_json() at an evidence level. */
JQL_API JQL_WARN_UNUSED int jql_results_to_json_level(const jql_results *r, jql_evidence_level level, char **out,
                                      size_t *len);

#ifdef __cplusplus
}
#endif
#endif /* JUSTICE_QUARTERLY_SCORE_H */
