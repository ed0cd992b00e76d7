/*
 * libjustice-quarterly — custom leaf methods: the context a callback gets.
 *
 * A leaf with {"type": "custom", "function": NAME} is scored by the
 * jql_custom_fn registered under NAME (jql_criteria_custom_register(),
 * score.h). The callback receives an opaque jql_custom_ctx instead of a
 * fixed list of arguments, so what it can read and set grows with new
 * accessors, never with a new signature.
 *
 * The context is valid only during the call that received it: do not keep
 * it, nor the strings it lends. A callback reads the leaf, the unit, the
 * period and the inputs through the jql_custom_*() accessors, computes
 * its points (jql_custom_points_from_ratio() applies the engine's own
 * rounding), sets them with jql_custom_set_points() and returns 0. It may
 * also set the measured value, a rule text and the evidence records the
 * results show for the leaf. Any non-zero return aborts scoring:
 * jql_score() returns JQL_ECALLBACK with the message of
 * jql_custom_set_error() in jql_last_error().
 *
 * Threads: several threads may score at once with one criteria set; each
 * call gets its own context, so the accessors need no locking.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JUSTICE_QUARTERLY_CUSTOM_H
#define JUSTICE_QUARTERLY_CUSTOM_H

#include <stdbool.h>

#include "common.h"
#include "dataset.h"
#include "explain.h"
#include "score.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- what is being scored ---- */

/** The name the function was registered under (borrowed); NULL for a NULL context. */
JQL_API const char *jql_custom_function_name(const jql_custom_ctx *ctx);
/** Id of the leaf being scored (borrowed); NULL for a NULL context. */
JQL_API const char *jql_custom_node_id(const jql_custom_ctx *ctx);
/** Index of the leaf, as in jql_criteria_node_*(); JQL_NONE for a NULL context. */
JQL_API size_t jql_custom_node_index(const jql_custom_ctx *ctx);
/** The leaf's maximum (thousandths): the engine clamps the points to
 *  [0, max]. Returns 0 for a NULL context. */
JQL_API jql_milli jql_custom_node_max(const jql_custom_ctx *ctx);
/** The unit's index in jql_custom_dataset(); JQL_NONE for a NULL context. */
JQL_API size_t jql_custom_unit_index(const jql_custom_ctx *ctx);
/** The unit's id (borrowed); NULL for a NULL context. */
JQL_API const char *jql_custom_unit_id(const jql_custom_ctx *ctx);
/** The scored period id (borrowed); NULL for a NULL context. */
JQL_API const char *jql_custom_period(const jql_custom_ctx *ctx);
/** First day of the scored period; JQL_NO_DATE for a NULL context. */
JQL_API jql_date jql_custom_period_start(const jql_custom_ctx *ctx);
/** Last day of the scored period (inclusive); JQL_NO_DATE for a NULL context. */
JQL_API jql_date jql_custom_period_end(const jql_custom_ctx *ctx);
/** The as-of date of the scoring (jql_score_options): nothing dated after
 *  it may count. Returns JQL_NO_DATE when there is none or for a NULL context. */
JQL_API jql_date jql_custom_as_of(const jql_custom_ctx *ctx);
/** The dataset being scored (read only); NULL for a NULL context. */
JQL_API const jql_dataset *jql_custom_dataset(const jql_custom_ctx *ctx);
/** The criteria set being applied (read only); NULL for a NULL context. */
JQL_API const jql_criteria *jql_custom_criteria(const jql_custom_ctx *ctx);

/* ---- exact arithmetic ---- */

/**
 * The points of the fraction num/den of the leaf's maximum, by the rule
 * the engine applies to a linear method (docs/SCORING.md): max × num ÷ den
 * computed exactly and rounded once, half away from zero; 0 when num <= 0,
 * the maximum when num >= den. A hand-written integer division truncates
 * or rounds twice and can lose a thousandth.
 * Returns JQL_OK, or JQL_EINVALID for a NULL context or output, or den <= 0
 * (*points is then left alone).
 */
JQL_API JQL_WARN_UNUSED int jql_custom_points_from_ratio(const jql_custom_ctx *ctx, jql_milli num,
                                                         jql_milli den, jql_milli *points);

/* ---- the result ---- */

/**
 * Set the points (thousandths); the engine clamps them to [0, max] and
 * says so in the rule text. A callback that returns 0 without setting them
 * fails the scoring (JQL_ECALLBACK). Setting twice keeps the last.
 * Returns JQL_OK, or JQL_EINVALID for a NULL context or JQL_NO_SCORE.
 */
JQL_API JQL_WARN_UNUSED int jql_custom_set_points(jql_custom_ctx *ctx, jql_milli points);
/**
 * Set the measured value the results show for the leaf (thousandths, e.g.
 * a share in thousandths of a percent: jql_milli_muldiv(num, 100000, den)).
 * Without it the leaf has no value. Returns JQL_OK, or JQL_EINVALID for a
 * NULL context or JQL_NO_SCORE.
 */
JQL_API JQL_WARN_UNUSED int jql_custom_set_value(jql_custom_ctx *ctx, jql_milli value);
/**
 * A text saying how the points were found, shown in the leaf's rule as
 * "custom: NAME: TEXT → points" (copied). Returns JQL_OK, or JQL_EINVALID
 * for a NULL context or text, invalid UTF-8, a control character, or more
 * than JQL_MAX_STRING_BYTES bytes; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_custom_set_rule(jql_custom_ctx *ctx, const char *text);
/**
 * Cite record @p index of @p kind of the dataset (a statistic's index below
 * jql_stat_count(), a report's from jql_reports_in_period()...) as evidence of the leaf's points, after those
 * already cited; citing a record twice cites it once. An appraised score
 * that overrides the custom one adds its assessment after them. In a
 * scoring with JQL_SCORE_NO_EVIDENCE the record is checked and not kept.
 * Returns JQL_OK, or JQL_EINVALID for a NULL context, an unknown kind or
 * an index out of range; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_custom_add_evidence(jql_custom_ctx *ctx, jql_evidence_kind kind,
                                                    size_t index);
/**
 * The message jql_last_error() gives when the callback then returns
 * non-zero ("custom function NAME failed for unit U, node N: MESSAGE").
 * Copied, cut at 511 bytes (on a character boundary); a NULL message clears
 * it ("no message"). Never fails; a NULL context is ignored.
 */
JQL_API void jql_custom_set_error(jql_custom_ctx *ctx, const char *message);

#ifdef __cplusplus
}
#endif
#endif /* JUSTICE_QUARTERLY_CUSTOM_H */
