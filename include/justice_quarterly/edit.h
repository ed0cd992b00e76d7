/*
 * libjustice-quarterly — editing criteria sets (docs/ANALYSIS.md).
 *
 * A criteria set can be cloned, edited and saved. Every edit is validated
 * exactly as loading the edited set from a file would be: an edit the
 * loader would refuse returns JQL_EINVALID, leaves the set unchanged and
 * fills *diag (may be NULL) with the loader's diagnostics, whose paths and
 * line:column point into the canonical text (jql_criteria_to_json()).
 * On success *diag holds the loader's warnings (e.g. maxima that no longer
 * add up to the parent's). Edits are not thread-safe with scoring on the
 * same set: clone first.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JUSTICE_QUARTERLY_EDIT_H
#define JUSTICE_QUARTERLY_EDIT_H

#include <stdbool.h>

#include "common.h"
#include "score.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Write the set as canonical JSON: keys in the order of docs/CRITERIA.md,
 * numbers in their shortest exact form, defaults omitted. Loading the text
 * and writing it again gives the same bytes. *out is owned by the caller
 * (jql_free()). JQL_OK, JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_criteria_to_json(const jql_criteria *c, char **out, size_t *len);
/**
 * Write the canonical JSON to @p path (a temp file renamed into place). JQL_OK; JQL_EIO when the
 * file cannot be written or renamed; JQL_EINVALID for a NULL argument; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_criteria_save_path(const jql_criteria *c, const char *path);

/**
 * An independent copy. Custom functions registered on @p c are registered
 * on the copy with the same function and user pointer but no free function:
 * the copy borrows the user data, so keep @p c alive while the copy scores,
 * or register the functions again on the copy — which a callback whose user
 * data is the criteria set itself (to read its maxima) needs anyway.
 * JQL_OK and *out owned by the caller (jql_criteria_free()); JQL_EINVALID for a NULL argument;
 * JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_criteria_clone(const jql_criteria *c, jql_criteria **out);

/**
 * Split @p total thousandths among @p n entries in proportion to
 * @p weights, exactly, by the largest-remainder rule: each entry gets
 * floor(weight × total ÷ sum), then the thousandths left go one each to the
 * entries with the largest remainders, the earlier entry first when two
 * remainders are equal. The results add up to @p total.
 * JQL_OK; JQL_EINVALID for negative inputs or all-zero weights with a
 * non-zero total; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_milli_apportion(const jql_milli *weights, size_t n, jql_milli total, jql_milli *out);

/** Flags of jql_criteria_set_max(). */
#define JQL_EDIT_KEEP_TOTAL 1u /**< rescale the node's siblings so their sum stays */

/**
 * Give node @p node_id the maximum @p max, scaling its subtree exactly:
 * the children's maxima are the parent's new maximum split by
 * jql_milli_apportion() in proportion to their old maxima (so children that
 * added up to the parent still do; otherwise their sum is scaled and
 * rounded half away from zero), recursively; a leaf's band points and
 * per-occurrence amount are scaled by new/old max and rounded once, half
 * away from zero. Linear targets, shares and conditions are relative and
 * stay. With JQL_EDIT_KEEP_TOTAL the siblings (top-level: the other
 * sections) share what the node's parent held before, split the same way,
 * so the scale stays. JQL_OK, JQL_ENOTFOUND, JQL_EINVALID, JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_criteria_set_max(jql_criteria *c, const char *node_id, jql_milli max,
                                 unsigned flags, jql_diagnostics **diag);

/** The four bounds of a condition. */
typedef enum jql_bound {
    JQL_BOUND_AT_LEAST = 0,
    JQL_BOUND_ABOVE,
    JQL_BOUND_AT_MOST,
    JQL_BOUND_BELOW,
    /** Number of bounds (not a bound; grows when one is added). */
    JQL_BOUND_COUNT
} jql_bound;

/**
 * Set (present) or remove one bound of band @p band (0-based) of a bands
 * leaf, or of a boolean leaf's condition when @p band is JQL_NONE.
 */
JQL_API JQL_WARN_UNUSED int jql_criteria_set_condition(jql_criteria *c, const char *node_id, size_t band,
                                       jql_bound bound, bool present, jql_milli value,
                                       jql_diagnostics **diag);
/**
 * Points of band @p band (0-based) of a bands leaf. JQL_OK; JQL_ENOTFOUND for an unknown @p
 * node_id; JQL_EINVALID (with *diag) when it is not a bands leaf, @p band is out of range or the
 * loader refuses the result; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_criteria_set_band_points(jql_criteria *c, const char *node_id, size_t band,
                                         jql_milli points, jql_diagnostics **diag);
/**
 * Target of a linear leaf. JQL_OK; JQL_ENOTFOUND for an unknown @p node_id; JQL_EINVALID (with
 * *diag) when it is not a linear leaf or the loader refuses the target; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_criteria_set_target(jql_criteria *c, const char *node_id, jql_milli target,
                                    jql_diagnostics **diag);
/**
 * Minimum final score of a tier. JQL_OK; JQL_ENOTFOUND for an unknown @p tier_id; JQL_EINVALID
 * (with *diag) when the loader refuses the result (tiers out of order); JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_criteria_set_tier_min(jql_criteria *c, const char *tier_id, jql_milli min,
                                      jql_diagnostics **diag);
/**
 * Share (% in thousandths, 0..100000) of the quota on tier @p tier_id. JQL_OK; JQL_ENOTFOUND for
 * an unknown @p tier_id; JQL_EINVALID (with *diag) for a share outside 0..100000 or a result the
 * loader refuses; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_criteria_set_quota_share(jql_criteria *c, const char *tier_id,
                                         jql_milli share, jql_diagnostics **diag);
/**
 * Enable or disable a node. A disabled node (`"enabled": false`, format
 * 1.1) is not applicable to any unit: it leaves the applicable maximum, and
 * the normalized score rescales the rest to the scale.
 */
JQL_API JQL_WARN_UNUSED int jql_criteria_set_enabled(jql_criteria *c, const char *node_id, bool enabled,
                                     jql_diagnostics **diag);
/** False when node @p i is disabled. */
JQL_API bool jql_criteria_node_enabled(const jql_criteria *c, size_t i);

#ifdef __cplusplus
}
#endif
#endif /* JUSTICE_QUARTERLY_EDIT_H */
