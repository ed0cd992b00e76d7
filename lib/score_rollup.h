/*
 * Roll-ups summed once per subtree (score_rollup.c, and for statistics
 * score_rollup_stats.c): what the two files share. Internal.
 */
#ifndef JQL_SCORE_ROLLUP_H
#define JQL_SCORE_ROLLUP_H

#include "score_internal.h"

/* Summaries kept while scoring, in all (past it roll-ups are walked):
   this, or twice the bytes of the scoring's nodes and items when more. A
   summary takes 112 bytes per unit of the dataset and roll-up filter, a
   result 64 per scored unit and criterion: with the fixed budget alone a
   4,000-unit chain under 1,000 roll-up leaves of distinct task fields
   (2.9 MB of input) had 415 leaves walked, n^2/2 units each: 115 s.
   That was before a roll-up of a task field, event kind or report kind
   past the budget read only the units holding the field or kind
   (owners_in, score_rollup.c): those summaries (and their indexes) now
   take what the results leave of ROLLUP_MEMO_MAX, ROLLUP_OWNED_MIN at
   least, which the twice-the-results rule does not raise. The same chain
   scored -f json --evidence ids peaked at 759 MB with twice the results
   (256 MB of them), 552 MB at 256 MB, 355 MB at 64 MB, in about the same
   time. Not a fixed 64 MB: where the results are small the summaries
   save walks (a 4,000-unit chain of 80,000 tasks under 200 leaves of
   distinct fields, -f csv: 1.1 s of CPU with its 90 MB of summaries,
   about 2.5 s with 64 MB); where the results are large the memory comes
   first (the chain under 1,000 leaves with 60,000 tasks, -f csv: 712 ->
   342 MB of peak RSS, 3.6-4.2 s of CPU either way, best of three). */
#define ROLLUP_MEMO_MAX ((size_t)256 << 20)
#define ROLLUP_OWNED_MIN ((size_t)64 << 20)

/* Tests only (tests/test_rollup_budget.c): when not 0, both budgets above
   (budget_forced), or the task fields', event kinds' and report kinds'
   alone (owned_forced, after it), are this many bytes for the scorings
   that start after it is set; the results are the same bytes whatever the
   budgets. */
extern size_t jql_rollup_budget_forced, jql_rollup_owned_forced;

typedef enum { RU_REPORTS, RU_EVENTS, RU_TASKS, RU_DIRECTIVES } ru_kind;

typedef struct ru_agg ru_agg;
typedef struct st_agg st_agg;
typedef struct ru_index ru_index;

/* Ancestors by binary lifting (rollup_tasks.c). */
typedef struct {
    const jql_dataset *ds;
    size_t n, levels;
    size_t *depth, *up; /* up[j * n + u]: u's ancestor 2^j above (a root: itself) */
} jql_lifting;

struct jql_rollup {
    size_t *pre;         /* units in pre-order */
    jql_strmap keys;     /* kind and filter -> memo index */
    ru_agg **memo;
    ru_index **ix;       /* parallel to memo: its records by unit (score_rollup_ev.c) */
    size_t nmemo, memo_cap, ix_cap, bytes;
    size_t budget;       /* ROLLUP_MEMO_MAX or twice the results (above) */
    size_t owned_budget; /* of a task field, event kind or report kind:
                            ROLLUP_MEMO_MAX less the results, at least
                            ROLLUP_OWNED_MIN (above) */
    /* the units' pre-order positions, subtree sizes and ancestors, made
       with the first index */
    size_t *pos, *size;
    jql_lifting lift;
    bool off;            /* no pre-order (never for a valid dataset) */
    jql_strmap st_keys;  /* statistics: measure -> index in st_memo */
    st_agg **st_memo;
    ru_index **st_ix;    /* two per st_memo entry: its parts' records by unit */
    size_t nst, st_cap, st_ix_cap;
    /* The last memo found, found again without making its key: a pass
       over every unit (a veto's) asks for one measure each time. A filter
       is remembered by address (its text may be equal at another). */
    struct { int kind; const char *filter; size_t at; bool set; } last;
    /* past the budget: the units holding each task field ([0]: by owner),
       event kind ([1]) or report kind ([2]), by pre-order position
       (score_rollup.c) */
    struct ru_owner *owners[3];
    size_t nowners[3];
    bool owners_made[3];
    struct { int what; size_t a, b, at; bool set; } st_last;
};

/* ctx->rollup->pos, size and lift made (score_rollup_ev.c); JQL_OK or
   JQL_ENOMEM. */
int jql_rollup_tree_ready(jql_score_ctx *ctx);

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

/* The lowest common ancestor of units a and b (JQL_NONE: two trees), and
   the lifting of the forest whose pre-order is pre (all its units): JQL_OK
   or JQL_ENOMEM; freed by jql_lifting_free (also when zeroed). */
size_t jql_lca(const jql_lifting *l, size_t a, size_t b);
int jql_lifting_make(const jql_dataset *ds, const size_t *pre, jql_lifting *l);
void jql_lifting_free(jql_lifting *l);

/* score_rollup_ev.c: the records of memo (kind, filter) by unit in
   pre-order, kept to list a subtree's distinct records in time linear in
   their number (a walk of the subtree visits its every unit and each
   record once per owner in it). *out NULL when it would pass `room` bytes
   (the memo's budget): the subtrees are walked. JQL_OK or JQL_ENOMEM. */
int jql_rollup_index_make(jql_score_ctx *ctx, ru_kind kind, const char *filter, size_t room,
                          ru_index **out);
size_t jql_rollup_index_bytes(const ru_index *ix);
/* An index that would pass the budget (never made; freeing it does nothing). */
extern char jql_rollup_no_index;
#define RU_NO_INDEX ((ru_index *)&jql_rollup_no_index)
/* Append unit u's subtree's distinct records, ascending, to ev (the walk's
   evidence: jql_q_tasks, jql_q_directives... with rollup); for directives
   also count them, due and completed, in n[0] and n[1] (n may be NULL).
   JQL_OK or JQL_ENOMEM. */
int jql_rollup_index_list(jql_score_ctx *ctx, const ru_index *ix, size_t u, jql_sizevec *ev,
                          size_t n[2]);
void jql_rollup_index_free(ru_index *ix);
/* The same for the statistics of indicator ind over window win (a part of
   a statistics roll-up: each unit's records of its own value). */
int jql_rollup_stat_index_make(jql_score_ctx *ctx, size_t ind, jql_range win, size_t room,
                               ru_index **out);
/* Append the records of parts ix[0] and ix[1] (NULL: one part) of unit
   u's subtree, ascending, to ev. JQL_OK or JQL_ENOMEM. */
int jql_rollup_stat_list(jql_score_ctx *ctx, ru_index *const ix[2], size_t u, jql_sizevec *ev);

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
