/*
 * jql-report: text building, labels in Vietnamese and English, and the
 * locale-independent formatting of numbers, percentages, dates and period
 * names (Vietnamese: 1.234,5 and 21/3/2014; English: 1,234.5 and
 * 21 Mar 2014). Public API only.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JQL_REPORT_I18N_H
#define JQL_REPORT_I18N_H

#include <stdbool.h>
#include <stddef.h>

#include <justice_quarterly.h>

typedef enum rp_lang { RP_VI = 0, RP_EN = 1 } rp_lang;

/* "vi" or "en" into *out: true, or false for anything else. */
bool rp_parse_lang(const char *text, rp_lang *out);

/* ---- a growing string; after a failed allocation it stays failed ---- */
typedef struct rp_buf {
    char *data;
    size_t len, cap;
    bool failed;
} rp_buf;

void rp_put(rp_buf *b, const char *s);
void rp_putn(rp_buf *b, const char *s, size_t n);
void rp_putc(rp_buf *b, char c);
/* printf into the buffer: use only %s, %d, %u, %zu, %ld, %c (no %f). */
void rp_printf(rp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rp_buf_free(rp_buf *b);

/* ---- formatting into fixed buffers --------------------------------- */
enum { RP_NUM_MAX = 64, RP_DATE_MAX = 32 };

/*
 * A number with @p places decimals (0..3; -1: the shortest exact form),
 * thousands grouped: "1.234,5" (vi) or "1,234.5" (en). With @p sign,
 * positive numbers get a leading '+'.
 */
void rp_num(rp_lang lang, jql_milli v, int places, bool sign, char out[RP_NUM_MAX]);
/* A percentage held as thousandths of a percent (12.5% = 12500), one decimal: "12,5%". */
void rp_pct(rp_lang lang, jql_milli pct, bool sign, char out[RP_NUM_MAX]);
/* "21/3/2014" (vi) or "21 Mar 2014" (en); JQL_NO_DATE gives "—". */
void rp_date(rp_lang lang, jql_date d, char out[RP_DATE_MAX]);
/*
 * Display name of a period: in Vietnamese the declared name when there is
 * one ("Quý I/2014"), else one made from a standard id; in English one made
 * from a standard id ("Q1 2014"), else the declared name, else the id.
 */
void rp_period_name(const jql_dataset *ds, rp_lang lang, const char *id, rp_buf *b);

/* "—": shown where there is no data. */
#define RP_DASH "\xe2\x80\x94"

/* ---- labels ---------------------------------------------------------- */
typedef enum rp_label {
    L_TITLE, L_DEPARTMENT, L_PERIOD, L_DATES, L_UNITS_COVERED, L_GENERATED_NOTE,
    L_SEC_STATS, L_SEC_DISCIPLINE, L_SEC_TASKS, L_SEC_SHORTCOMINGS, L_SEC_DIRECTIVES,
    L_SEC_EMULATION,
    L_STATS_INTRO, L_INDICATOR, L_MEASURE, L_UNIT, L_TOTAL, L_THIS_PERIOD, L_YEAR_BEFORE,
    L_CHANGE, L_CHANGE_PCT, L_LARGEST_RISE, L_LARGEST_FALL, L_NO_STATS,
    L_REPORT_KIND, L_REPORTS_DUE, L_ON_TIME, L_LATE, L_INCOMPLETE, L_NOT_SUBMITTED,
    L_DAYS_LATE, L_DUE, L_SUBMITTED, L_NO_REPORTS, L_ALL_ON_TIME, L_ON_TIME_NOTE, L_DAYS,
    L_TASKS_DUE, L_DONE, L_DONE_LATE, L_NOT_DONE, L_COMPLETION, L_BY_UNIT, L_BY_FIELD,
    L_FIELD, L_ALL, L_OVERDUE_LIST, L_TASK, L_OWNERS, L_STATUS, L_NO_TASKS, L_NONE,
    L_OPEN_SHORTCOMINGS, L_RESOLVED_SHORTCOMINGS, L_FOUND_IN, L_RESOLVED_IN, L_UNITS,
    L_CAUSES, L_NO_SHORTCOMINGS, L_OBJECTIVE, L_SUBJECTIVE,
    L_DIRECTIVES_DUE, L_DIRECTIVES_NEXT, L_DIRECTIVE, L_ADDRESSEES, L_ISSUED,
    L_COMPLETED_ON, L_OPEN, L_BY_ADDRESSEE, L_NO_DIRECTIVES, L_LEVEL_ALL,
    L_CRITERIA, L_SCORED_PERIOD, L_SCOREBOARD, L_BY_CLUSTER, L_RANK, L_CLUSTER,
    L_CLUSTER_RANK, L_SCORE_TOTAL, L_NORMALIZED, L_BONUS, L_DEDUCTIONS, L_FINAL, L_TIER,
    L_LEADER, L_TIERS, L_COUNT, L_MIN_SCORE, L_VETOES_QUOTAS, L_VETO, L_QUOTA_DEMOTED,
    L_QUOTA_TIE, L_NO_VETOES, L_STRENGTHS, L_STRONGEST, L_WEAKEST, L_SHARE_OF_MAX,
    L_OTHERS_MEAN, L_GAP, L_NEXT_TIER, L_TOP_TIER, L_HELD_VETO, L_HELD_QUOTA, L_NO_CLUSTER,
    L_CHART_CLUSTERS, L_CHART_SECTIONS, L_CHART_INDICATORS, L_CHART_OWN_SCALE,
    L_SCORE_FAILED, L_STATS_DETAIL, L_SHORTCOMING, L_VETO_NO_EFFECT, L_AS_OF,
    L_CHART_SECTIONS_NOTE, L_STATS_RANGE, L_AS_OF_META, L_STATS_NOT_YET, L_MATRIX_NOTE,
    L_PART_RESULTS, L_PART_NEXT, L_GENERAL, L_RECIPIENTS, L_NEXT_TASKS, L_PROGRAMME,
    L_SCORE_SHEET, L_CRITERION, L_MAX_POINTS, L_SELF, L_APPRAISED, L_EVIDENCE, L_POINTS,
    L_RANK_IN_CLUSTER, L_UNITS_ALL_ON_TIME, L_ALL_UNITS_OF, L_CLUSTER_AND_RANK, L_NOT_APPLICABLE,
    L_CHART_LEFT_OUT, L_CHART_TEXT_LEFT_OUT,
    L_LABEL_COUNT
} rp_label;

/* The label in that language (static UTF-8 text). */
const char *rp_t(rp_lang lang, rp_label label);

/* Display names of the usual report kinds ("statistics", "quarterly-work")
 * and cause kinds ("objective", "subjective"); other strings as given. */
const char *rp_report_kind_name(rp_lang lang, const char *kind);
const char *rp_cause_kind_name(rp_lang lang, const char *kind);

#endif /* JQL_REPORT_I18N_H */
