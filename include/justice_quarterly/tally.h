/*
 * libjustice-quarterly — tallies: the counts of reports, tasks and
 * directives over a period, with the definitions the scoring engine uses.
 *
 * A program that prints "11 reports on time" asks here rather than
 * counting records itself, so the figure is the one the scores rest on:
 * - a report is due when its own period lies inside the period (and, with
 *   an as-of date, its due date has come); it is on time when submitted on
 *   or before its due date (complete or not), late when submitted after,
 *   never submitted when it has no submission (as of then). Incomplete is
 *   a separate count: submitted but not complete. due = on_time + late +
 *   missing.
 * - a task is due when its due date lies inside the period; done when its
 *   status is done (completed by the as-of date); done late when done after
 *   its due date; overdue when due and not done. A task owned by several
 *   counted units counts once. due = done + overdue.
 * - a directive is due when its due date lies inside the period and it is
 *   addressed (by id or by level) to a counted unit; done when its status
 *   is done (completed by the as-of date).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JUSTICE_QUARTERLY_TALLY_H
#define JUSTICE_QUARTERLY_TALLY_H

#include <stddef.h>

#include "common.h"
#include "dataset.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * What to count. Initialise with JQL_TALLY_OPTIONS_INIT so members added
 * later keep their defaults; `version` says which members the caller knows.
 * The strings are borrowed for the duration of the call only.
 */
typedef struct jql_tally_options {
    unsigned int version;    /**< JQL_TALLY_OPTIONS_VERSION */
    unsigned int flags;      /**< JQL_ROLLUP: the unit and its descendants */
    /** "YYYY-MM-DD" or NULL: count as things stood on that date, by the
        as-of rule of jql_score_options (nothing dated later counts). */
    const char *as_of;
    const char *report_kind; /**< count only reports of this kind; NULL: all */
    const char *task_field;  /**< count only tasks of this field; NULL: all */
} jql_tally_options;
#define JQL_TALLY_OPTIONS_VERSION 1
#define JQL_TALLY_OPTIONS_INIT { JQL_TALLY_OPTIONS_VERSION, 0, NULL, NULL, NULL }

/**
 * The counts. The caller owns the struct and sets `version` (use
 * JQL_TALLY_INIT); jql_tally_compute() fills the members of that version.
 * Later versions only append members.
 */
typedef struct jql_tally {
    unsigned int version;      /**< JQL_TALLY_VERSION, set by the caller */
    size_t reports_due;        /**< reports due in the period */
    size_t reports_on_time;    /**< submitted on or before the due date */
    size_t reports_late;       /**< submitted after the due date */
    size_t reports_missing;    /**< never submitted (as of then) */
    size_t reports_incomplete; /**< submitted but not complete (on time or late) */
    size_t tasks_due;          /**< tasks due in the period */
    size_t tasks_done;         /**< done (by the as-of date) */
    size_t tasks_done_late;    /**< done after the due date */
    size_t tasks_overdue;      /**< due and not done */
    size_t directives_due;     /**< directives due in the period */
    size_t directives_done;    /**< done (by the as-of date) */
} jql_tally;
#define JQL_TALLY_VERSION 1
#define JQL_TALLY_INIT { JQL_TALLY_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }

/**
 * Count the reports, tasks and directives of @p unit over @p period.
 *
 * @param ds      the dataset (read only).
 * @param unit    a unit id; with JQL_ROLLUP in opts->flags its descendants
 *                too. NULL: every unit (and every record, owned or not);
 *                JQL_ROLLUP is then implied.
 * @param period  a period id (declared or standard, as jql_period_resolve()
 *                takes); NULL: every record whatever its dates.
 * @param opts    NULL for the defaults (JQL_TALLY_OPTIONS_INIT).
 * @param out     caller-owned, with out->version set; on success every
 *                member of that version is written, on failure the counts
 *                are 0 (when out and its version are valid).
 * @return JQL_OK;
 *         JQL_EINVALID when @p ds or @p out is NULL, out->version or
 *         opts->version is unknown, opts->flags holds a bit other than
 *         JQL_ROLLUP, or opts->as_of is not an existing date YYYY-MM-DD;
 *         JQL_ENOTFOUND when @p unit or @p period is not an id of the
 *         dataset (a standard period id is always known);
 *         JQL_ENOMEM when memory runs out.
 *         The message is in jql_last_error().
 */
JQL_API JQL_WARN_UNUSED int jql_tally_compute(const jql_dataset *ds, const char *unit, const char *period,
                              const jql_tally_options *opts, jql_tally *out);

/**
 * The counts by name, for bindings and generic printers: field k of the
 * tally (0, 1, ... in the order of the struct members) is named
 * jql_tally_field_name(k) ("reports_due", "reports_on_time"...) and read
 * with jql_tally_get(). Names are static strings (never freed).
 */
typedef enum jql_tally_field {
    JQL_TALLY_REPORTS_DUE = 0,
    JQL_TALLY_REPORTS_ON_TIME,
    JQL_TALLY_REPORTS_LATE,
    JQL_TALLY_REPORTS_MISSING,
    JQL_TALLY_REPORTS_INCOMPLETE,
    JQL_TALLY_TASKS_DUE,
    JQL_TALLY_TASKS_DONE,
    JQL_TALLY_TASKS_DONE_LATE,
    JQL_TALLY_TASKS_OVERDUE,
    JQL_TALLY_DIRECTIVES_DUE,
    JQL_TALLY_DIRECTIVES_DONE
} jql_tally_field;

/** Number of fields the linked library knows (11 for JQL_TALLY_VERSION 1). */
JQL_API size_t jql_tally_field_count(void);

/** Name of field @p f, or NULL when @p f is not below jql_tally_field_count(). */
JQL_API const char *jql_tally_field_name(jql_tally_field f);

/**
 * Value of field @p f of @p t. Errors: JQL_EINVALID when @p t or @p value
 * is NULL, @p f is unknown, or t->version does not hold field @p f.
 */
JQL_API JQL_WARN_UNUSED int jql_tally_get(const jql_tally *t, jql_tally_field f, size_t *value);

#ifdef __cplusplus
}
#endif
#endif /* JUSTICE_QUARTERLY_TALLY_H */
