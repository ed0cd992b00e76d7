/*
 * libjustice-quarterly — why a unit got its points, without JSON.
 *
 * Every fact the results document (jql_results_to_json()) states about a
 * node or a bonus/deduction item: where the points came from, whether the
 * measure had data, the evidence records behind them; and about the
 * results as a whole: the scale and the tiers with their display names.
 * The points, maxima, measured value and rule text are in score.h
 * (jql_results_node_points(), jql_results_node_value(),
 * jql_results_node_rule()...).
 *
 * Indices are as in score.h: k a unit in result order, n a node index,
 * i an item index (bonus items, then deduction items). An index out of
 * range never crashes: it gives the neutral value each function states.
 *
 * Evidence records are numbered: a record cited by several nodes or units
 * has one record number in a results handle (numbers are not kept across
 * scorings). jql_results_node_evidence() gives the record number r of the
 * e-th record behind a node; jql_results_evidence_*() read it, from the
 * dataset the results hold (jql_score()): strings are borrowed until the
 * results are freed.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JUSTICE_QUARTERLY_EXPLAIN_H
#define JUSTICE_QUARTERLY_EXPLAIN_H

#include <stdbool.h>

#include "common.h"
#include "score.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The "format" of the results document (jql_results_to_json()). */
#define JQL_RESULTS_FORMAT "justice-quarterly/results 1.0"

/** Where a node's or item's points came from (the results' "source"). */
typedef enum jql_result_source {
    JQL_SOURCE_COMPUTED = 0,    /**< "computed": a measure mapped by the leaf's method */
    JQL_SOURCE_MANUAL,          /**< "manual": a dataset assessment (manual leaf or appraised override) */
    JQL_SOURCE_CUSTOM,          /**< "custom": a registered custom function */
    JQL_SOURCE_NOT_APPLICABLE,  /**< "not_applicable": the node does not apply to the unit */
    JQL_SOURCE_MISSING,         /**< "missing": no data, the leaf's `missing` rule decided */
    JQL_SOURCE_SUM,             /**< "sum": an inner node, the sum of its children */
    JQL_SOURCE_EVENTS,          /**< "events": a bonus/deduction item, points of dated events */
    /** Number of sources (not a source; grows when one is added). */
    JQL_RESULT_SOURCE_COUNT
} jql_result_source;

/** Kinds of evidence records (the "kind" of an evidence object). */
typedef enum jql_evidence_kind {
    JQL_EVIDENCE_REPORT = 0, /**< "report": unit, period, report_kind */
    JQL_EVIDENCE_TASK,       /**< "task": id */
    JQL_EVIDENCE_DIRECTIVE,  /**< "directive": id */
    JQL_EVIDENCE_STATISTIC,  /**< "statistic": unit, indicator, period and a value */
    JQL_EVIDENCE_ASSESSMENT, /**< "assessment": unit, period, criterion */
    JQL_EVIDENCE_EVENT,      /**< "event": unit, event_kind and a date */
    /** Number of kinds (not a kind; grows when one is added). */
    JQL_EVIDENCE_KIND_COUNT
} jql_evidence_kind;

/**
 * Fields of an evidence record, named as the keys of the results document.
 * All but the last two are text (jql_results_evidence_text()); a
 * statistic's value and an event's date are read with
 * jql_results_evidence_value() and jql_results_evidence_date().
 */
typedef enum jql_evidence_field {
    JQL_EVIDENCE_FIELD_ID = 0,      /**< "id": task or directive id */
    JQL_EVIDENCE_FIELD_UNIT,        /**< "unit" */
    JQL_EVIDENCE_FIELD_PERIOD,      /**< "period" */
    JQL_EVIDENCE_FIELD_REPORT_KIND, /**< "report_kind" */
    JQL_EVIDENCE_FIELD_INDICATOR,   /**< "indicator" */
    JQL_EVIDENCE_FIELD_CRITERION,   /**< "criterion": the assessed node id */
    JQL_EVIDENCE_FIELD_EVENT_KIND,  /**< "event_kind" */
    JQL_EVIDENCE_FIELD_VALUE,       /**< "value": a statistic's (not text) */
    JQL_EVIDENCE_FIELD_DATE,        /**< "date": an event's (not text) */
    /** Number of fields (not a field; grows when one is added). */
    JQL_EVIDENCE_FIELD_COUNT
} jql_evidence_field;

/* ---- the results as a whole ---- */

/** The scale the results were scored on (thousandths); 0 for NULL results. */
JQL_API jql_milli jql_results_scale(const jql_results *r);
/** True when the final score may exceed the scale; false for NULL results. */
JQL_API bool jql_results_allow_above_scale(const jql_results *r);
/** Number of tiers, from the top; 0 for NULL results. */
JQL_API size_t jql_results_tier_count(const jql_results *r);
/** Id of tier t (borrowed), or NULL when t is out of range. */
JQL_API const char *jql_results_tier_id(const jql_results *r, size_t t);
/** Display name of tier t (borrowed), or NULL when t is out of range. */
JQL_API const char *jql_results_tier_name(const jql_results *r, size_t t);
/** Minimum final score of tier t (thousandths), or 0 when t is out of range. */
JQL_API jql_milli jql_results_tier_min(const jql_results *r, size_t t);

/* ---- per unit ---- */

/** Display name of unit k's final tier (borrowed), or NULL when k is out of range. */
JQL_API const char *jql_results_unit_tier_name(const jql_results *r, size_t k);
/** Id of the tier above unit k's (borrowed): NULL at the top tier or when k is out of range. */
JQL_API const char *jql_results_unit_next_tier(const jql_results *r, size_t k);

/* ---- nodes ---- */

/** Parent of node n (a node index), or JQL_NONE for a top-level node or n out of range. */
JQL_API size_t jql_results_node_parent(const jql_results *r, size_t n);
/**
 * Where unit k's points on node n came from; JQL_RESULT_SOURCE_COUNT when k or n is out of
 * range.
 */
JQL_API jql_result_source jql_results_node_source(const jql_results *r, size_t k, size_t n);
/** True when node n's measure had no data for unit k ("no_data"); false when out of range. */
JQL_API bool jql_results_node_no_data(const jql_results *r, size_t k, size_t n);
/** True when a report node n counts was never submitted by unit k; false when out of range. */
JQL_API bool jql_results_node_never_submitted(const jql_results *r, size_t k, size_t n);
/** True when unit k's points on leaf n are its unappraised self-assessment
 *  (the results' "unappraised" list); false when out of range. */
JQL_API bool jql_results_node_unappraised(const jql_results *r, size_t k, size_t n);
/** True when unit k's self-assessed score of leaf n (clamped to the maximum)
 *  differs from its points (the results' "self_differs" list); false when out of range. */
JQL_API bool jql_results_node_self_differs(const jql_results *r, size_t k, size_t n);
/** Number of evidence records behind unit k's points on node n; 0 when out of range. */
JQL_API size_t jql_results_node_evidence_count(const jql_results *r, size_t k, size_t n);
/**
 * Record number of the e-th of them (for jql_results_evidence_*()), or JQL_NONE when out of
 * range.
 */
JQL_API size_t jql_results_node_evidence(const jql_results *r, size_t k, size_t n, size_t e);

/* ---- bonus and deduction items ---- */

/** Where unit k's points on item i came from; JQL_RESULT_SOURCE_COUNT when out of range. */
JQL_API jql_result_source jql_results_item_source(const jql_results *r, size_t k, size_t i);
/** The measured value of item i for unit k: false when there is none or out of range. */
JQL_API bool jql_results_item_value(const jql_results *r, size_t k, size_t i, jql_milli *value);
/** True when item i's measure had no data for unit k; false when out of range. */
JQL_API bool jql_results_item_no_data(const jql_results *r, size_t k, size_t i);
/** True when a report item i counts was never submitted by unit k; false when out of range. */
JQL_API bool jql_results_item_never_submitted(const jql_results *r, size_t k, size_t i);
/** Number of evidence records behind unit k's points on item i; 0 when out of range. */
JQL_API size_t jql_results_item_evidence_count(const jql_results *r, size_t k, size_t i);
/** Record number of the e-th of them, or JQL_NONE when out of range. */
JQL_API size_t jql_results_item_evidence(const jql_results *r, size_t k, size_t i, size_t e);
/**
 * The evidence records the whole results cite: the sum of every unit's
 * node and item evidence counts, what a results document lists at level
 * full or ids (past JQL_MAX_RESULTS_EVIDENCE it is refused); 0 for NULL.
 */
JQL_API size_t jql_results_citation_count(const jql_results *r);

/* ---- evidence records (record numbers from the two functions above) ---- */

/**
 * The fields of an evidence record of @p kind, after its "kind", in the
 * order the results document writes them: *fields points to a static
 * array of that many (NULL, and 0, for an unknown kind). Bindings build
 * records in this order, so all surfaces agree with the document.
 */
JQL_API size_t jql_evidence_kind_fields(jql_evidence_kind kind, const jql_evidence_field **fields);
/** Kind of evidence record ev; JQL_EVIDENCE_KIND_COUNT when ev is out of range. */
JQL_API jql_evidence_kind jql_results_evidence_kind(const jql_results *r, size_t ev);
/** The record's index in its dataset array (the n of "/reports/n" at evidence
 *  level "ids"); JQL_NONE when ev is out of range. */
JQL_API size_t jql_results_evidence_index(const jql_results *r, size_t ev);
/** Text field f of record ev (borrowed): NULL when the record's kind has no such
 *  field (a task has no "unit"), f is the value or date (not text) or ev or f
 *  is out of range. */
JQL_API const char *jql_results_evidence_text(const jql_results *r, size_t ev, jql_evidence_field f);
/** The value of a statistic record (thousandths): false for another kind or ev out of range. */
JQL_API bool jql_results_evidence_value(const jql_results *r, size_t ev, jql_milli *value);
/** The date of an event record: false for another kind or ev out of range. */
JQL_API bool jql_results_evidence_date(const jql_results *r, size_t ev, jql_date *date);

#ifdef __cplusplus
}
#endif
#endif /* JUSTICE_QUARTERLY_EXPLAIN_H */
