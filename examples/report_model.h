/*
 * jql-report: the figures of the review, gathered once from the dataset
 * (and the scoring results) so the Markdown and HTML writers only lay
 * them out. Public API only; every list holds dataset indices.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JQL_REPORT_MODEL_H
#define JQL_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <justice_quarterly.h>

/* A growing list of indices. */
typedef struct rp_idx {
    size_t *v;
    size_t len, cap;
} rp_idx;

/* A value this period against the same period a year earlier. */
typedef struct rp_change {
    bool has_cur, has_prev, has_pct;
    /* delta needs both; pct (thousandths of a percent, rounded to 0.1%)
     * needs prev != 0 */
    jql_milli cur, prev, delta, pct;
} rp_change;

typedef struct rp_indicator {
    size_t index;      /* the indicator */
    rp_change *totals; /* one per root unit (rolled up) */
    rp_change *units;  /* one per covered unit */
    size_t rise, fall; /* positions in covered with the largest rise / fall in %, or SIZE_MAX */
} rp_indicator;

typedef struct rp_report_kind {
    const char *kind;
    jql_tally counts;                 /* the library's counts of this kind */
    rp_idx late, incomplete, missing; /* the reports behind them (indices) */
} rp_report_kind;

typedef struct rp_tally {
    size_t due, done, done_late, not_done;
} rp_tally;

typedef struct rp_tally_row {
    size_t unit;       /* for rows by unit */
    const char *field; /* for rows by field (NULL: none) */
    rp_tally t;
} rp_tally_row;

typedef struct rp_addressee_row {
    size_t unit;
    size_t due, done;
} rp_addressee_row;

/* How a scored unit stands against the others on one criterion. */
typedef struct rp_relative {
    size_t node;        /* criteria node, SIZE_MAX when none */
    jql_milli share;    /* points / max, thousandths of a percent */
    jql_milli others;   /* mean share of the other units where it applies */
} rp_relative;

typedef struct rp_emulation {
    const jql_criteria *criteria; /* borrowed */
    jql_results *results;         /* owned; NULL when scoring failed */
    char *error;                  /* why scoring failed (owned), or NULL */
    const char **clusters;        /* distinct cluster ids, byte order (borrowed from results) */
    size_t n_clusters;
    bool any_unclustered;
    size_t *tier_counts;          /* per criteria tier */
    size_t *sections;             /* top-level criteria nodes */
    size_t n_sections;
    rp_relative *strongest, *weakest; /* per result position */
} rp_emulation;

typedef struct rp_model {
    const jql_dataset *ds;
    const char *period;
    jql_date start, end;
    /* Nothing dated after it is shown or counted (default: the period's end). */
    jql_date as_of;
    char as_of_text[11];        /* YYYY-MM-DD, for jql_score_with() */
    jql_date stats_start, stats_end; /* the range the figures cover (cut-off, else the period) */
    bool stats_known;           /* the period's figures were known by as_of */
    char year_before[JQL_MAX_ID_BYTES + 1]; /* "" when none */
    jql_date next_start, next_end;          /* the period after */
    char next_id[JQL_MAX_ID_BYTES + 1];     /* "" when it has no id */

    rp_idx roots, covered;

    rp_indicator *indicators;
    size_t n_indicators;

    rp_report_kind *kinds;
    size_t n_kinds;

    rp_tally tasks;
    rp_tally_row *task_units, *task_fields;
    size_t n_task_units, n_task_fields;
    rp_idx tasks_not_done;

    rp_idx sc_open, sc_resolved;

    rp_idx dir_due, dir_next;
    rp_addressee_row *addressees;
    size_t n_addressees;

    rp_emulation *emu; /* NULL without criteria */
} rp_model;

/* Most cells of the statistics table (indicators with a statistic x
 * covered units and roots): past it rp_model_build() returns JQL_ELIMIT. */
#define RP_MAX_STAT_CELLS 2000000

/* Why the last rp_model_build() returned JQL_ELIMIT (NULL: it did not). */
const char *rp_model_error(void);

/*
 * Gather the review of @p period (which must resolve in @p ds). With
 * criteria, score them over @p score_period (NULL: the set's own period);
 * a scoring failure is kept in the model (emu->error), not returned.
 * Returns JQL_OK, JQL_ENOTFOUND (unknown period), JQL_ELIMIT (the
 * statistics table over RP_MAX_STAT_CELLS) or JQL_ENOMEM.
 */
int rp_model_build(rp_model *m, const jql_dataset *ds, const char *period,
                   const jql_criteria *criteria, const char *score_period, jql_date as_of);
void rp_model_free(rp_model *m);

/* The emulation part (report_emu.c): score, then compare units. */
int rp_emulation_build(rp_model *m, const jql_criteria *c, const char *score_period);
/* jql_score_options flags the emulation is scored with (JQL_SCORE_ALLOW_EMPTY
   from --allow-empty); set once by main before building. */
extern unsigned rp_score_flags;
void rp_emulation_free(rp_emulation *e);


/* Verdicts as of m->as_of, shared by the writers: the library's
 * (jql_directive_done_by, jql_report_get_standing), so a list and the
 * tally beside it never disagree. */
bool rp_directive_done(const rp_model *m, size_t d);
typedef struct rp_report_verdict {
    jql_report_standing standing;
    int32_t days_late; /* 0 on time, > 0 late, -1 missing or not due */
    bool incomplete;   /* submitted by then and not complete */
} rp_report_verdict;
rp_report_verdict rp_report_verdict_of(const rp_model *m, size_t rep);
/* Submission date as of then, or JQL_NO_DATE. */
jql_date rp_report_submitted(const rp_model *m, size_t rep);

/* Position of the criteria tier with id @p tier, or SIZE_MAX. */
size_t rp_tier_index(const jql_criteria *c, const char *tier);

/* (a * b) / c rounded half away from zero (jql_milli_muldiv()); c > 0. */
jql_milli rp_muldiv(jql_milli a, jql_milli b, jql_milli c);

/*
 * The default period: the latest-ending quarter that has statistics, else
 * the latest-ending period with statistics. NULL when there are none.
 */
const char *rp_default_period(const jql_dataset *ds);

#endif /* JQL_REPORT_MODEL_H */
