/*
 * Internal queries over a dataset, by index and date range. The public
 * query functions (dataset.h) resolve ids and call these; the scoring
 * engine calls them directly. Every function touches only the records of
 * the units asked about (per-unit indexes in model.h), never all records.
 *
 * `rollup`: include the unit's descendants. `evidence`, when not NULL,
 * receives the indices of the records that produced the answer (statistics,
 * reports, tasks, directives or events, by the function's kind), in
 * insertion order, appended to what it already holds.
 */
#ifndef JQL_QUERY_H
#define JQL_QUERY_H

#include "model.h"

/* The units a query covers: the unit itself, plus its descendants with
   rollup (pre-order). Appends to `out`. 0 or JQL_ENOMEM. */
int jql_q_units(const jql_dataset *ds, size_t unit, bool rollup, jql_sizevec *out);

/* An exact value num / den in thousandths, den > 0: the scoring engine
   holds measured shares, ratios and changes so, and rounds only the points
   (and the value it shows). */
typedef struct {
    __int128 num, den;
} jql_ratio;

/* Indicator value over a range, following the rules of jql_indicator_value() in
   dataset.h (exact record wins; else nested-aware combination; rollup
   values each unit first), rounded once to 0.001. JQL_OK, JQL_ENOTFOUND
   (no data), JQL_ELIMIT, JQL_ENOMEM. */
int jql_q_value(const jql_dataset *ds, size_t unit, size_t indicator, jql_range r, bool rollup,
                jql_milli *out, jql_sizevec *evidence);

/* The same value exact (a `mean` is sum / count, a roll-up `mean` the mean
   of the units' exact values): the scoring engine rounds only points. */
int jql_q_value_exact(const jql_dataset *ds, size_t unit, size_t indicator, jql_range r,
                      bool rollup, jql_ratio *out, jql_sizevec *evidence);

/* The same range one year earlier (both dates shifted; 29 Feb -> 28 Feb). */
jql_range jql_range_year_before(jql_range r);

/* Change in % (thousandths) of the value over r against r one year earlier:
   100000 * (cur - prev) / prev, exact. JQL_ENOTFOUND when either value is
   missing or the earlier one is zero; JQL_ELIMIT when the change rounded to
   0.001 does not fit 64 bits. Bounds: |cur - prev| < 2^64, so
   |num| < 10^5 * 2^64 < 2^81 and 0 < den < 2^63. */
int jql_q_change_exact(const jql_dataset *ds, size_t unit, size_t indicator, jql_range r,
                       bool rollup, jql_ratio *pct, jql_sizevec *evidence);
/* The same rounded once half away from zero (for display and the public
   jql_indicator_value_change()). */
int jql_q_change_pct(const jql_dataset *ds, size_t unit, size_t indicator, jql_range r,
                     bool rollup, jql_milli *pct, jql_sizevec *evidence);

/* Ratio in % (thousandths) of two indicators over r: 100000 * a / b, exact.
   JQL_ENOTFOUND when either is missing or b is zero; JQL_ELIMIT as above.
   Bounds: |num| < 10^5 * 2^63 < 2^80, 0 < den < 2^63. */
int jql_q_ratio_exact(const jql_dataset *ds, size_t unit, size_t ind_a, size_t ind_b,
                      jql_range r, bool rollup, jql_ratio *pct, jql_sizevec *evidence);
/* jql_q_value_exact(), jql_q_change_exact() or jql_q_ratio_exact() (ind_b:
   the denominator) with, without roll-up, the unit's statistics already
   split by indicator (by_ind, from jql_q_stats_by_indicator; NULL: none):
   the same results, each value reading only its indicator's records. */
typedef enum { JQL_Q_STAT_VALUE, JQL_Q_STAT_CHANGE, JQL_Q_STAT_RATIO } jql_q_stat;
int jql_q_stat_exact(const jql_dataset *ds, size_t unit, jql_q_stat what, size_t ind_a,
                     size_t ind_b, jql_range r, bool rollup, const jql_sizevec *by_ind,
                     jql_ratio *out, jql_sizevec *evidence);
/* jql_q_stat_exact()'s arithmetic on values the caller supplies: fn(arg,
   indicator, window, out) gives each value (JQL_OK, JQL_ENOTFOUND for no
   data, or an error), asked in the same order as jql_q_stat_exact() asks
   them; the answer is the one jql_q_stat_exact() gives from those values. */
/* num / den reduced (den > 0), as every exact value here is: JQL_OK,
   JQL_ENOTFOUND for den 0, JQL_ELIMIT past the bounds of exact values. */
int jql_q_ratio_make(__int128 num, __int128 den, jql_ratio *out);
typedef int (*jql_q_value_fn)(void *arg, size_t indicator, jql_range r, jql_ratio *out);
int jql_q_stat_combine(jql_q_stat what, size_t ind_a, size_t ind_b, jql_range r,
                       jql_q_value_fn fn, void *arg, jql_ratio *out);
/* Split unit's statistics by indicator into by_ind (one list per
   indicator of the dataset, in the unit's order): every one that starts in
   [lo, hi], and those of the same blocks of dates (model.h). `touched` lists
   the non-empty ones, emptied again on the next call. 0 or JQL_ENOMEM. */
int jql_q_stats_by_indicator(const jql_dataset *ds, size_t unit, jql_date lo, jql_date hi,
                             jql_sizevec *by_ind, jql_sizevec *touched);
/* The same rounded once half away from zero. */
int jql_q_ratio_pct(const jql_dataset *ds, size_t unit, size_t ind_a, size_t ind_b, jql_range r,
                    bool rollup, jql_milli *pct, jql_sizevec *evidence);

/* Ask the processor to fetch unit's own records of every kind (hints
   only, no effect on results): the scoring calls it for the next unit,
   whose records then arrive while the current one is scored instead of
   one cache miss at a time. Only the records that may fall in [lo, hi]
   (model.h, the dates of a unit's lists by block). */
void jql_q_prefetch_unit(const jql_dataset *ds, size_t unit, jql_date lo, jql_date hi);

/* Report submissions of the covered units whose own period lies inside r,
   optionally of one kind (NULL: all). unit JQL_NONE: every report. These
   counts are the library's one definition (scoring and jql_tally_compute). */
typedef struct {
    size_t due;        /* reports counted */
    size_t on_time;    /* submitted on or before the due date */
    size_t missing;    /* never submitted */
    size_t incomplete; /* submitted but not complete */
    /* Days late, -1 meaning never submitted (later than any number);
       worst = the largest; latest = that of the report whose period ends
       last (ties: later due date, then insertion order). 0 when due == 0. */
    int32_t worst_days_late;
    int32_t latest_days_late;
} jql_report_summary;
int jql_q_reports(const jql_dataset *ds, size_t unit, jql_range r, const char *kind, bool rollup,
                  jql_report_summary *out, jql_sizevec *evidence);

/* Days late of one report: 0 on time, >0 late, -1 never submitted. */
int32_t jql_q_days_late(const jql_report_rec *rep);

/* The per-record rules jql_q_reports, jql_q_tasks and jql_q_events apply,
   for code that sums the same records another way (score_rollup.c):
   - a date after the window's as-of date has not happened yet;
   - days late as of then (a submission after it: -1, never submitted);
   - -1 (never submitted) is later than any number of days;
   - the report whose period ends last; ties: later due date, then worse. */
bool jql_q_after_as_of(jql_date d, jql_range r);
int32_t jql_q_days_late_as_of(const jql_report_rec *rep, jql_range r);
bool jql_q_later_than(int32_t a, int32_t b);
bool jql_q_report_after(const jql_report_rec *a, const jql_report_rec *b, jql_range r);

/* Tasks owned by the covered units and due inside r, optionally of one
   field (NULL: all). A task owned by several covered units counts once.
   unit JQL_NONE: every task, owned or not. */
typedef struct {
    size_t due;
    size_t completed;      /* done (whenever) */
    size_t completed_late; /* done after its due date */
    size_t overdue;        /* due in r and not completed */
} jql_task_summary;
int jql_q_tasks(const jql_dataset *ds, size_t unit, jql_range r, const char *field, bool rollup,
                jql_task_summary *out, jql_sizevec *evidence);
/* jql_q_tasks() for one unit without roll-up, in two steps, so a scoring
   with several task leaves filters a unit's tasks by date once: the
   unit's tasks due in r (ascending, into *out, emptied first), then the
   summary of those of one field, given pooled (jql_q_pooled: compared by
   address). The same results as jql_q_tasks(). */
int jql_q_tasks_due(const jql_dataset *ds, size_t unit, jql_range r, jql_sizevec *out);
int jql_q_tasks_of(const jql_dataset *ds, const jql_sizevec *due, jql_range r, const char *field,
                   jql_task_summary *out, jql_sizevec *evidence);
/* jql_q_tasks_of() for n distinct fields at once (pooled; NULL: all), in
   one pass over the due tasks (up to JQL_Q_TASK_FIELDS_MAX fields; more,
   one pass each): field i's summary into sums[i] and its tasks appended
   to hits[i]. The same results. 0 or JQL_ENOMEM. */
#define JQL_Q_TASK_FIELDS_MAX 16
int jql_q_tasks_of_fields(const jql_dataset *ds, const jql_sizevec *due, jql_range r,
                          const char *const *fields, size_t n, jql_task_summary *sums,
                          jql_sizevec *hits);
/* A criteria filter string as the dataset's own interned copy (records'
   periods, kinds and task fields point into ds->interned), so a filter is
   one pointer comparison per record: the copy, NULL for NULL, or
   jql_q_no_match() when no record can have that value. */
const char *jql_q_pooled(const jql_dataset *ds, const char *s);
const char *jql_q_no_match(void);

/* A unit's events counted by kind in one pass, for the kinds of a table
   (score.c: thousands of vetoes and bonus or deduction items on event
   kinds each queried every unit's events). Open addressing by the pooled
   kind's address; `n` of a slot is the unit's count of that kind. */
typedef struct {
    const char **kind; /* cap slots (a power of two), NULL: empty */
    size_t *n;
    size_t *touched; /* the slots with n > 0, to clear for the next unit */
    size_t ntouched, cap;
} jql_event_kinds;
/* The slot of pooled kind k, added if need be (cap must exceed the kinds
   added), or JQL_NONE when no record can have kind k (k: a criteria
   string, as jql_q_events() takes it). */
size_t jql_event_kinds_add(const jql_dataset *ds, jql_event_kinds *t, const char *k);
/* Count the events of unit dated in r, not after its as-of date and of a
   kind in t: each slot's n is then jql_q_events(ds, unit, r, kind, false)'s
   count for that kind. */
void jql_q_event_kinds_count(const jql_dataset *ds, size_t unit, jql_range r,
                             jql_event_kinds *t);

/* Directives due inside r addressed to the covered units (by id or level).
   unit JQL_NONE: every directive. */
typedef struct {
    size_t due;
    size_t completed;
} jql_directive_summary;
int jql_q_directives(const jql_dataset *ds, size_t unit, jql_range r, bool rollup,
                     jql_directive_summary *out, jql_sizevec *evidence);
/* Whether directive i is counted as due in r (and *completed, whether it
   counts as completed), by jql_q_directives()'s rule. */
bool jql_q_directive_due(const jql_dataset *ds, size_t i, jql_range r, bool *completed);

/* Events of the covered units dated inside r, optionally of one kind.
   *count receives the number; *points (may be NULL) the sum of their
   points (events without points count 0). 0 or JQL_ENOMEM. */
int jql_q_events(const jql_dataset *ds, size_t unit, jql_range r, const char *kind, bool rollup,
                 size_t *count, jql_milli *points, jql_sizevec *evidence);
/* jql_q_tasks(), jql_q_events() and jql_q_reports() of a roll-up over
   `units`: a unit's subtree, or only those of its units that hold a
   record of the field or kind (score_rollup.c, past the summaries'
   budget): the same answers. */
int jql_q_reports_over(const jql_dataset *ds, const jql_sizevec *units, jql_range r,
                       const char *kind, jql_report_summary *out, jql_sizevec *evidence);
int jql_q_tasks_over(const jql_dataset *ds, const jql_sizevec *units, jql_range r,
                     const char *field, jql_task_summary *out, jql_sizevec *evidence);
int jql_q_events_over(const jql_dataset *ds, const jql_sizevec *units, jql_range r,
                      const char *kind, size_t *count, jql_milli *points, jql_sizevec *evidence);

/* The assessment of (unit, criterion) for exactly the period whose range
   equals r, or else the one whose period lies inside r and ends last.
   JQL_OK with *index set, or JQL_ENOTFOUND. */
int jql_q_assessment(const jql_dataset *ds, size_t unit, const char *criterion, jql_range r,
                     size_t *index);

/* share = 100 * part / whole in thousandths (of a percent), exact:
   100000 * part / whole (whole > 0; 0/1 for whole 0). num < 10^5 * 2^64 <
   2^81, den < 2^64. */
jql_ratio jql_share_exact(size_t part, size_t whole);
/* The same rounded half away from zero, for display (0 for whole 0). */
jql_milli jql_share_pct(size_t part, size_t whole);

#endif /* JQL_QUERY_H */
