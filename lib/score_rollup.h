/*
 * Roll-ups summed once per subtree (score_rollup.c, and for statistics
 * score_rollup_stats.c): what the two files share. Internal.
 */
#ifndef JQL_SCORE_ROLLUP_H
#define JQL_SCORE_ROLLUP_H

#include "score_internal.h"

/* Summaries kept while scoring, in all (past it roll-ups are walked). */
#define ROLLUP_MEMO_MAX ((size_t)256 << 20)

typedef struct ru_agg ru_agg;
typedef struct st_agg st_agg;

struct jql_rollup {
    size_t *pre;         /* units in pre-order */
    jql_strmap keys;     /* kind and filter -> memo index */
    ru_agg **memo;
    size_t nmemo, memo_cap, bytes;
    bool off;            /* no pre-order (never for a valid dataset) */
    jql_strmap st_keys;  /* statistics: measure -> index in st_memo */
    st_agg **st_memo;
    size_t nst, st_cap;
    /* The last memo found, found again without making its key: a pass
       over every unit (a veto's) asks for one measure each time. A filter
       is remembered by address (its text may be equal at another). */
    struct { int kind; const char *filter; size_t at; bool set; } last;
    struct { int what; size_t a, b, at; bool set; } st_last;
};

/* ctx->rollup made, with the units' pre-order; JQL_OK or JQL_ENOMEM
   (ctx->rollup->off: no pre-order, every roll-up walked). */
int jql_rollup_ready(jql_score_ctx *ctx);

/* Where a unit's cnt records, from lo to hi (record indices of kind k),
   lie as one run in its parent's stored slice of parent_cnt references at
   parent_at: the run's position in r->evlist, or JQL_NONE. The parent's
   slice is sorted and holds every record of the unit's, so a run from lo
   of cnt references ending at hi is exactly the unit's. */
size_t jql_rollup_run(const jql_results *r, size_t parent_at, size_t parent_cnt, jql_ev_kind k,
                      size_t cnt, size_t lo, size_t hi);

/* rollup_tasks.c: per unit, what to add to the bottom-up sums of the task
   counts (due, completed, completed late, overdue) of its subtree so that
   a task of several owners in it counts once (the sums count it once per
   owner); *out NULL when no such task counts (jql_free it). pre: the units
   in pre-order, all of them. JQL_OK or JQL_ENOMEM. */
int jql_rollup_task_dups(const jql_dataset *ds, const size_t *pre, jql_range r, const char *field,
                         int64_t (**out)[4]);
/* The same for the directives addressed by id to several units (and to no
   level), counted due and completed in out[u][0] and [1]. */
int jql_rollup_directive_dups(const jql_dataset *ds, const size_t *pre, jql_range r,
                              int64_t (**out)[4]);

#endif
