/*
 * Enumerations to and from names: the single table of each enumeration.
 * The JSON reader and writer, the CSV importer, the CLIs and the bindings
 * all go through here, so a name cannot differ between them.
 */
#include <stdio.h>
#include <string.h>

#include "csv_import.h"
#include "names.h"
#include "util.h"

/* Each table is indexed by value and ends with NULL at index _COUNT: a value
   added without a name leaves a NULL hole, which tests/test_names.c finds. */
const char *const jql_task_status_names[JQL_TASK_STATUS_COUNT + 1] = {
    [JQL_TASK_PENDING] = "pending",
    [JQL_TASK_IN_PROGRESS] = "in_progress",
    [JQL_TASK_DONE] = "done",
    NULL,
};
const char *const jql_directive_status_names[JQL_DIRECTIVE_STATUS_COUNT + 1] = {
    [JQL_DIRECTIVE_OPEN] = "open",
    [JQL_DIRECTIVE_DONE] = "done",
    NULL,
};
static const char *const report_standing_names[JQL_REPORT_STANDING_COUNT + 1] = {
    [JQL_REPORT_STANDING_NOT_DUE] = "not_due",
    [JQL_REPORT_STANDING_ON_TIME] = "on_time",
    [JQL_REPORT_STANDING_LATE] = "late",
    [JQL_REPORT_STANDING_MISSING] = "missing",
    NULL,
};
const char *const jql_aggregation_names[JQL_AGGREGATION_COUNT + 1] = {
    [JQL_AGG_SUM] = "sum", [JQL_AGG_LAST] = "last", [JQL_AGG_MEAN] = "mean",
    [JQL_AGG_MIN] = "min", [JQL_AGG_MAX] = "max",   NULL,
};
const char *const jql_csv_kind_names[JQL_CSV_KIND_COUNT + 1] = {
    [JQL_CSV_AUTO] = "auto",
    [JQL_CSV_STATS] = "stats",
    [JQL_CSV_STATS_WIDE] = "stats-wide",
    [JQL_CSV_REPORTS] = "reports",
    [JQL_CSV_TASKS] = "tasks",
    [JQL_CSV_DIRECTIVES] = "directives",
    [JQL_CSV_ASSESSMENTS] = "assessments",
    [JQL_CSV_EVENTS] = "events",
    [JQL_CSV_UNITS] = "units",
    [JQL_CSV_INDICATORS] = "indicators",
    NULL,
};
static const char *const severity_names[JQL_SEVERITY_COUNT + 1] = {
    [JQL_SEVERITY_ERROR] = "error",
    [JQL_SEVERITY_WARNING] = "warning",
    NULL,
};
static const char *const period_kind_names[JQL_PERIOD_KIND_COUNT + 1] = {
    [JQL_PERIOD_YEAR] = "year",
    [JQL_PERIOD_HALF] = "half",
    [JQL_PERIOD_QUARTER] = "quarter",
    [JQL_PERIOD_NINE_MONTHS] = "nine_months",
    [JQL_PERIOD_CUSTOM] = "custom",
    NULL,
};
static const char *const bound_names[JQL_BOUND_COUNT + 1] = {
    [JQL_BOUND_AT_LEAST] = "at_least",
    [JQL_BOUND_ABOVE] = "above",
    [JQL_BOUND_AT_MOST] = "at_most",
    [JQL_BOUND_BELOW] = "below",
    NULL,
};
static const char *const result_field_names[JQL_RESULT_FIELD_COUNT + 1] = {
    [JQL_RESULT_FIELD_TOTAL] = "total",
    [JQL_RESULT_FIELD_APPLICABLE_MAX] = "applicable_max",
    [JQL_RESULT_FIELD_NORMALIZED] = "normalized",
    [JQL_RESULT_FIELD_BONUS] = "bonus",
    [JQL_RESULT_FIELD_BONUS_RAW] = "bonus_raw",
    [JQL_RESULT_FIELD_DEDUCTIONS] = "deductions",
    [JQL_RESULT_FIELD_FINAL] = "final",
    [JQL_RESULT_FIELD_SELF_TOTAL] = "self_total",
    [JQL_RESULT_FIELD_GAP] = "gap",
    NULL,
};
static const char *const evidence_level_names[JQL_EVIDENCE_LEVEL_COUNT + 1] = {
    [JQL_EVIDENCE_FULL] = "full",
    [JQL_EVIDENCE_IDS] = "ids",
    [JQL_EVIDENCE_NONE] = "none",
    NULL,
};
static const char *const result_source_names[JQL_RESULT_SOURCE_COUNT + 1] = {
    [JQL_SOURCE_COMPUTED] = "computed",
    [JQL_SOURCE_MANUAL] = "manual",
    [JQL_SOURCE_CUSTOM] = "custom",
    [JQL_SOURCE_NOT_APPLICABLE] = "not_applicable",
    [JQL_SOURCE_MISSING] = "missing",
    [JQL_SOURCE_SUM] = "sum",
    [JQL_SOURCE_EVENTS] = "events",
    NULL,
};
static const char *const evidence_kind_names[JQL_EVIDENCE_KIND_COUNT + 1] = {
    [JQL_EVIDENCE_REPORT] = "report",
    [JQL_EVIDENCE_TASK] = "task",
    [JQL_EVIDENCE_DIRECTIVE] = "directive",
    [JQL_EVIDENCE_STATISTIC] = "statistic",
    [JQL_EVIDENCE_ASSESSMENT] = "assessment",
    [JQL_EVIDENCE_EVENT] = "event",
    NULL,
};
static const char *const evidence_field_names[JQL_EVIDENCE_FIELD_COUNT + 1] = {
    [JQL_EVIDENCE_FIELD_ID] = "id",
    [JQL_EVIDENCE_FIELD_UNIT] = "unit",
    [JQL_EVIDENCE_FIELD_PERIOD] = "period",
    [JQL_EVIDENCE_FIELD_REPORT_KIND] = "report_kind",
    [JQL_EVIDENCE_FIELD_INDICATOR] = "indicator",
    [JQL_EVIDENCE_FIELD_CRITERION] = "criterion",
    [JQL_EVIDENCE_FIELD_EVENT_KIND] = "event_kind",
    [JQL_EVIDENCE_FIELD_VALUE] = "value",
    [JQL_EVIDENCE_FIELD_DATE] = "date",
    NULL,
};
/* ---- private tables (names.h in lib/): the criteria format, the results ---- */

const char *const jql_measure_names[JQL_M_COUNT + 1] = {
    [JQL_M_NONE] = NULL, /* manual and custom leaves measure nothing */
    [JQL_M_REPORT_DAYS_LATE_WORST] = "report_days_late_worst",
    [JQL_M_REPORT_DAYS_LATE_LATEST] = "report_days_late_latest",
    [JQL_M_REPORT_SHARE_ON_TIME] = "report_share_on_time",
    [JQL_M_REPORT_MISSING] = "report_missing",
    [JQL_M_REPORT_INCOMPLETE] = "report_incomplete",
    [JQL_M_TASK_SHARE_COMPLETED] = "task_share_completed",
    [JQL_M_TASK_OVERDUE] = "task_overdue",
    [JQL_M_TASK_SHARE_LATE] = "task_share_late",
    [JQL_M_DIRECTIVE_SHARE_COMPLETED] = "directive_share_completed",
    [JQL_M_INDICATOR_VALUE] = "indicator_value",
    [JQL_M_INDICATOR_RATIO] = "indicator_ratio",
    [JQL_M_INDICATOR_CHANGE] = "indicator_change",
    [JQL_M_EVENT_COUNT] = "event_count",
    [JQL_M_EVENT_POINTS] = "event_points",
    NULL,
};
const char *const jql_method_names[JQL_METHOD_COUNT + 1] = {
    [JQL_METHOD_BANDS] = "bands",
    [JQL_METHOD_LINEAR] = "linear",
    [JQL_METHOD_BOOLEAN] = "boolean",
    [JQL_METHOD_PER_OCCURRENCE] = "per_occurrence",
    [JQL_METHOD_MANUAL] = "manual",
    [JQL_METHOD_CUSTOM] = "custom",
    NULL,
};
const char *const jql_missing_names[JQL_MISSING_COUNT + 1] = {
    [JQL_MISSING_ZERO] = "zero",
    [JQL_MISSING_FULL] = "full",
    [JQL_MISSING_NOT_APPLICABLE] = "not_applicable",
    NULL,
};
const char *const jql_item_source_names[JQL_ITEM_KIND_COUNT + 1] = {
    [JQL_ITEM_EVENTS] = "events",
    [JQL_ITEM_MANUAL] = "manual",
    [JQL_ITEM_COMPUTED] = "computed",
    NULL,
};
const char *const jql_tiebreak_names[JQL_TB_KIND_COUNT + 1] = {
    [JQL_TB_FEWER_DEDUCTIONS] = "deductions",
    [JQL_TB_NODE] = "node",
    [JQL_TB_MEASURE] = "measure",
    NULL,
};
const char *const jql_held_names[JQL_HELD_COUNT + 1] = {
    [JQL_HELD_NONE] = NULL, /* nothing holds the unit back */
    [JQL_HELD_VETO] = "veto",
    [JQL_HELD_QUOTA] = "quota",
    NULL,
};

const char *const jql_tally_field_names[JQL_TALLY_FIELD_END + 1] = {
    [JQL_TALLY_REPORTS_DUE] = "reports_due",
    [JQL_TALLY_REPORTS_ON_TIME] = "reports_on_time",
    [JQL_TALLY_REPORTS_LATE] = "reports_late",
    [JQL_TALLY_REPORTS_MISSING] = "reports_missing",
    [JQL_TALLY_REPORTS_INCOMPLETE] = "reports_incomplete",
    [JQL_TALLY_TASKS_DUE] = "tasks_due",
    [JQL_TALLY_TASKS_DONE] = "tasks_done",
    [JQL_TALLY_TASKS_DONE_LATE] = "tasks_done_late",
    [JQL_TALLY_TASKS_OVERDUE] = "tasks_overdue",
    [JQL_TALLY_DIRECTIVES_DUE] = "directives_due",
    [JQL_TALLY_DIRECTIVES_DONE] = "directives_done",
    NULL,
};

/* The engine's private enumerations are written with the public names:
   they must stay the same values (a new value on one side fails to build). */
#define SAME(a, b) _Static_assert((int)(a) == (int)(b), #a " differs from " #b)
SAME(JQL_SRC_COMPUTED, JQL_SOURCE_COMPUTED);
SAME(JQL_SRC_MANUAL, JQL_SOURCE_MANUAL);
SAME(JQL_SRC_CUSTOM, JQL_SOURCE_CUSTOM);
SAME(JQL_SRC_NOT_APPLICABLE, JQL_SOURCE_NOT_APPLICABLE);
SAME(JQL_SRC_MISSING, JQL_SOURCE_MISSING);
SAME(JQL_SRC_SUM, JQL_SOURCE_SUM);
SAME(JQL_SRC_EVENTS, JQL_SOURCE_EVENTS);
SAME(JQL_SRC_EVENTS + 1, JQL_RESULT_SOURCE_COUNT);
SAME(JQL_EV_REPORT, JQL_EVIDENCE_REPORT);
SAME(JQL_EV_TASK, JQL_EVIDENCE_TASK);
SAME(JQL_EV_DIRECTIVE, JQL_EVIDENCE_DIRECTIVE);
SAME(JQL_EV_STAT, JQL_EVIDENCE_STATISTIC);
SAME(JQL_EV_ASSESSMENT, JQL_EVIDENCE_ASSESSMENT);
SAME(JQL_EV_EVENT, JQL_EVIDENCE_EVENT);
SAME(JQL_EV_KINDS, JQL_EVIDENCE_KIND_COUNT);
#undef SAME

/* Accepted spellings of the statuses (names.h in lib/ lists them), folded
   with jql_csv_fold(); row k is status value k. */
#define MAX_SPELLINGS 5
static const char *const task_spellings[JQL_TASK_STATUS_COUNT][MAX_SPELLINGS] = {
    [JQL_TASK_PENDING] = {"pending", "chua thuc hien", "chua", NULL},
    [JQL_TASK_IN_PROGRESS] = {"in progress", "dang thuc hien", NULL},
    [JQL_TASK_DONE] = {"done", "hoan thanh", "da hoan thanh", "da thuc hien", NULL},
};
static const char *const directive_spellings[JQL_DIRECTIVE_STATUS_COUNT][MAX_SPELLINGS] = {
    [JQL_DIRECTIVE_OPEN] = {"open", "chua hoan thanh", "dang thuc hien", NULL},
    [JQL_DIRECTIVE_DONE] = {"done", "hoan thanh", "da hoan thanh", "da thuc hien", NULL},
};

static int parse_spelling(const char *const (*rows)[MAX_SPELLINGS], int count, const char *text,
                          int *out)
{
    if (!text || !out)
        return JQL_EINVALID;
    char *f = jql_csv_fold(text);
    if (!f) /* not UTF-8 (or no memory, which the caller cannot tell apart) */
        return JQL_EINVALID;
    int rc = JQL_EINVALID;
    for (int k = 0; k < count && rc != JQL_OK; k++)
        for (int a = 0; a < MAX_SPELLINGS && rows[k][a] && rc != JQL_OK; a++)
            if (strcmp(rows[k][a], f) == 0) {
                *out = k;
                rc = JQL_OK;
            }
    jql_free(f);
    return rc;
}

int jql_task_status_parse_text(const char *text, jql_task_status *out)
{
    int v;
    int rc = parse_spelling(task_spellings, JQL_TASK_STATUS_COUNT, text, &v);
    if (rc == JQL_OK && out)
        *out = (jql_task_status)v;
    return rc;
}

int jql_directive_status_parse_text(const char *text, jql_directive_status *out)
{
    int v;
    int rc = parse_spelling(directive_spellings, JQL_DIRECTIVE_STATUS_COUNT, text, &v);
    if (rc == JQL_OK && out)
        *out = (jql_directive_status)v;
    return rc;
}

/* Status codes are negative: indexed by -status. */
static const char *const status_names[] = {
    [-JQL_OK] = "JQL_OK",
    [-JQL_ERROR] = "JQL_ERROR",
    [-JQL_ENOMEM] = "JQL_ENOMEM",
    [-JQL_EINVALID] = "JQL_EINVALID",
    [-JQL_ENOTFOUND] = "JQL_ENOTFOUND",
    [-JQL_EEXISTS] = "JQL_EEXISTS",
    [-JQL_EIO] = "JQL_EIO",
    [-JQL_ELIMIT] = "JQL_ELIMIT",
    [-JQL_ECALLBACK] = "JQL_ECALLBACK",
    [-JQL_ENODATA] = "JQL_ENODATA",
    NULL,
};

static const char *name_of(const char *const *names, int count, int value)
{
    return value >= 0 && value < count ? names[value] : NULL;
}

const char *jql_name_in(const char *const *names, int count, int v)
{
    return name_of(names, count, v);
}

bool jql_name_find(const char *const *names, int count, const char *name, int *out)
{
    for (int i = 0; name && i < count; i++)
        if (names[i] && strcmp(names[i], name) == 0) {
            *out = i;
            return true;
        }
    return false;
}

static int from_name(const char *const *names, int count, const char *what, const char *name,
                     int *out)
{
    for (int i = 0; name && i < count; i++)
        if (names[i] && strcmp(names[i], name) == 0) {
            *out = i;
            return JQL_OK;
        }
    jql_buf allowed;
    jql_buf_init(&allowed);
    for (int i = 0; i < count; i++)
        jql_buf_printf(&allowed, "%s\"%s\"", i ? ", " : "", names[i] ? names[i] : "?");
    char shown[64];
    snprintf(shown, sizeof shown, "%s", name ? name : "(null)");
    jql_fail(JQL_EINVALID, "unknown %s \"%s\" (expected one of %s)", what, shown,
             allowed.data ? allowed.data : "");
    jql_buf_free(&allowed);
    return JQL_EINVALID;
}

/* One public pair per enumeration; the enum is read and written through an
   int so that a caller's out-of-range value never reaches the table. */
#define NAME_PAIR(type, prefix, table, what)                                                  \
    const char *prefix##_name(type value)                                                     \
    {                                                                                         \
        return name_of(table, (int)(sizeof table / sizeof table[0]) - 1, (int)value);         \
    }                                                                                         \
    int prefix##_from_name(const char *name, type *out)                                       \
    {                                                                                         \
        int v;                                                                                \
        if (!out)                                                                             \
            return jql_fail(JQL_EINVALID, "no output for the %s", what);                      \
        int rc = from_name(table, (int)(sizeof table / sizeof table[0]) - 1, what, name, &v); \
        if (rc == JQL_OK)                                                                     \
            *out = (type)v;                                                                   \
        return rc;                                                                            \
    }

NAME_PAIR(jql_task_status, jql_task_status, jql_task_status_names, "task status")
NAME_PAIR(jql_directive_status, jql_directive_status, jql_directive_status_names,
          "directive status")
NAME_PAIR(jql_report_standing, jql_report_standing, report_standing_names, "report standing")
NAME_PAIR(jql_aggregation, jql_aggregation, jql_aggregation_names, "aggregation")
NAME_PAIR(jql_csv_kind, jql_csv_kind, jql_csv_kind_names, "CSV kind")
NAME_PAIR(jql_severity, jql_severity, severity_names, "severity")
NAME_PAIR(jql_period_kind, jql_period_kind, period_kind_names, "period kind")
NAME_PAIR(jql_bound, jql_bound, bound_names, "bound")
NAME_PAIR(jql_result_field, jql_result_field, result_field_names, "result field")
NAME_PAIR(jql_evidence_level, jql_evidence_level, evidence_level_names, "evidence level")
NAME_PAIR(jql_result_source, jql_result_source, result_source_names, "result source")
NAME_PAIR(jql_evidence_kind, jql_evidence_kind, evidence_kind_names, "evidence kind")
NAME_PAIR(jql_evidence_field, jql_evidence_field, evidence_field_names, "evidence field")

const char *jql_status_name(int status)
{
    if (status > 0 || status < -(int)(sizeof status_names / sizeof status_names[0]) + 1)
        return NULL;
    return status_names[-status];
}

int jql_status_from_name(const char *name, int *out)
{
    if (!out)
        return jql_fail(JQL_EINVALID, "no output for the status code");
    int v;
    int rc = from_name(status_names, (int)(sizeof status_names / sizeof status_names[0]) - 1,
                       "status code", name, &v);
    if (rc == JQL_OK)
        *out = -v;
    return rc;
}
