/*
 * libjustice-quarterly — enumerations to and from their names.
 *
 * One table per enumeration, the one the JSON reader and writer, the CSV
 * importer, the example programs and both bindings use: the names are the
 * strings of the file formats ("in_progress", "mean", "stats-wide"), so a
 * program never keeps its own copy.
 *
 * Every pair follows the same rules:
 * - jql_<enum>_name(value) returns a static string (never freed), or NULL
 *   for a value outside the enumeration (including its _COUNT sentinel);
 * - jql_<enum>_from_name(name, &value) returns JQL_OK and sets *value, or
 *   JQL_EINVALID (with jql_last_error() listing the accepted names) for an
 *   unknown name, a NULL name or a NULL output; *value is then unchanged.
 *   Names are matched exactly (case-sensitive, no trimming).
 * Every enumeration except jql_status ends with a _COUNT sentinel: the
 * values 0 .. _COUNT-1 all have names.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JUSTICE_QUARTERLY_NAMES_H
#define JUSTICE_QUARTERLY_NAMES_H

#include "common.h"
#include "csv.h"
#include "dataset.h"
#include "edit.h"
#include "explain.h"
#include "score.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Identifier of a status code ("JQL_OK", "JQL_EINVALID", ...), or NULL for a
 * number that is not one. The codes run from JQL_OK down without gaps.
 */
JQL_API const char *jql_status_name(int status);
/** Status code of an identifier such as "JQL_ENOTFOUND": JQL_OK or JQL_EINVALID. */
JQL_API JQL_WARN_UNUSED int jql_status_from_name(const char *name, int *out);

/** "error" or "warning"; NULL for another value. */
JQL_API const char *jql_severity_name(jql_severity severity);
/** Severity of "error" or "warning": JQL_OK or JQL_EINVALID. */
JQL_API JQL_WARN_UNUSED int jql_severity_from_name(const char *name, jql_severity *out);

/** "year", "half", "quarter", "nine_months" or "custom"; NULL for another value. */
JQL_API const char *jql_period_kind_name(jql_period_kind kind);
/** Period kind of a name as jql_period_kind_name() writes it: JQL_OK or JQL_EINVALID. */
JQL_API JQL_WARN_UNUSED int jql_period_kind_from_name(const char *name, jql_period_kind *out);

/** "sum", "last", "mean", "min" or "max" (the JSON "aggregation"); NULL for another value. */
JQL_API const char *jql_aggregation_name(jql_aggregation agg);
/** Aggregation of a name as the dataset format writes it: JQL_OK or JQL_EINVALID. */
JQL_API JQL_WARN_UNUSED int jql_aggregation_from_name(const char *name, jql_aggregation *out);

/** "pending", "in_progress" or "done" (the JSON task "status"); NULL for another value. */
JQL_API const char *jql_task_status_name(jql_task_status status);
/** Task status of a name as the dataset format writes it: JQL_OK or JQL_EINVALID. */
JQL_API JQL_WARN_UNUSED int jql_task_status_from_name(const char *name, jql_task_status *out);

/** "open" or "done" (the JSON directive "status"); NULL for another value. */
JQL_API const char *jql_directive_status_name(jql_directive_status status);
/** Directive status of a name as the dataset format writes it: JQL_OK or JQL_EINVALID. */
JQL_API JQL_WARN_UNUSED int jql_directive_status_from_name(const char *name, jql_directive_status *out);

/** "not_due", "on_time", "late" or "missing"; NULL for another value. */
JQL_API const char *jql_report_standing_name(jql_report_standing standing);
/** Report standing of a name such as "on_time": JQL_OK or JQL_EINVALID. */
JQL_API JQL_WARN_UNUSED int jql_report_standing_from_name(const char *name, jql_report_standing *out);

/** "at_least", "above", "at_most" or "below" (the criteria keys); NULL for another value. */
JQL_API const char *jql_bound_name(jql_bound bound);
/** Bound of a criteria key such as "at_least": JQL_OK or JQL_EINVALID. */
JQL_API JQL_WARN_UNUSED int jql_bound_from_name(const char *name, jql_bound *out);

/**
 * Key of a result field in the results document ("total", "applicable_max",
 * "normalized", "bonus", "bonus_raw", "deductions", "final", "self_total",
 * "gap"); NULL for another value.
 */
JQL_API const char *jql_result_field_name(jql_result_field field);
/** Result field of a results-document key: JQL_OK or JQL_EINVALID. */
JQL_API JQL_WARN_UNUSED int jql_result_field_from_name(const char *name, jql_result_field *out);

/** "full", "ids" or "none" (jql-score --evidence); NULL for another value. */
JQL_API const char *jql_evidence_level_name(jql_evidence_level level);
/** Evidence level of "full", "ids" or "none": JQL_OK or JQL_EINVALID. */
JQL_API JQL_WARN_UNUSED int jql_evidence_level_from_name(const char *name, jql_evidence_level *out);

/**
 * "computed", "manual", "custom", "not_applicable", "missing", "sum" or
 * "events" (the results' "source"); NULL for another value.
 */
JQL_API const char *jql_result_source_name(jql_result_source source);
/** Result source of a name as the results document writes it: JQL_OK or JQL_EINVALID. */
JQL_API JQL_WARN_UNUSED int jql_result_source_from_name(const char *name, jql_result_source *out);

/**
 * "report", "task", "directive", "statistic", "assessment" or "event" (the
 * "kind" of a results evidence object); NULL for another value.
 */
JQL_API const char *jql_evidence_kind_name(jql_evidence_kind kind);
/** Evidence kind of a name as the results document writes it: JQL_OK or JQL_EINVALID. */
JQL_API JQL_WARN_UNUSED int jql_evidence_kind_from_name(const char *name, jql_evidence_kind *out);

/**
 * Key of an evidence text field in the results document ("id", "unit",
 * "period", "report_kind", "indicator", "criterion", "event_kind"); NULL for
 * another value.
 */
JQL_API const char *jql_evidence_field_name(jql_evidence_field field);
/** Evidence field of a results-document key: JQL_OK or JQL_EINVALID. */
JQL_API JQL_WARN_UNUSED int jql_evidence_field_from_name(const char *name, jql_evidence_field *out);

/* jql_csv_kind: jql_csv_kind_name() and jql_csv_kind_from_name() in csv.h. */

#ifdef __cplusplus
}
#endif

#endif /* JUSTICE_QUARTERLY_NAMES_H */
