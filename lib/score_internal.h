/*
 * Internal structures of the scoring engine and its results. Private to
 * lib/ (score.c, score_leaf.c, score_rank.c, results.c, results_json.c).
 *
 * Results own copies of the strings they show from the criteria set (an
 * interning pool), so they outlive it. Evidence is references to the
 * dataset's records (record kind and index, 8 bytes each), read when
 * asked: the results hold the dataset (jql_ds_retain), so they outlive
 * its jql_dataset_free() too (score_evidence.c).
 */
#ifndef JQL_SCORE_INTERNAL_H
#define JQL_SCORE_INTERNAL_H

#include <pthread.h>

#include "criteria.h"
#include "model.h"
#include "query.h"

/* Where a node's (or item's) points came from. */
typedef enum {
    JQL_SRC_COMPUTED = 0, /* a measure mapped by the method */
    JQL_SRC_MANUAL,       /* a dataset assessment (manual leaf, or appraised override) */
    JQL_SRC_CUSTOM,       /* a registered callback */
    JQL_SRC_NOT_APPLICABLE,
    JQL_SRC_MISSING,      /* no data: the leaf's `missing` rule decided */
    JQL_SRC_SUM,          /* inner node: sum of its children */
    JQL_SRC_EVENTS        /* bonus/deduction item: points of dated events */
} jql_source;

/* Kinds of evidence records. */
typedef enum {
    JQL_EV_REPORT = 0,
    JQL_EV_TASK,
    JQL_EV_DIRECTIVE,
    JQL_EV_STAT,
    JQL_EV_ASSESSMENT,
    JQL_EV_EVENT,
    JQL_EV_KINDS
} jql_ev_kind;

/* An evidence record as read (jql_evidence_read). Strings point into the
   dataset the results hold. report: a=unit b=period c=kind; task/directive:
   a=id; stat: a=unit b=indicator c=period value; assessment: a=unit
   b=period c=criterion; event: a=unit c=kind date. */
typedef struct {
    jql_ev_kind kind;
    jql_date date;
    const char *a, *b, *c;
    jql_milli value;
    size_t index; /* the record's index in the dataset (evidence level "ids") */
} jql_ev_rec;

/* A node's (or a bonus/deduction item's) result for one unit. */
typedef struct {
    jql_milli points;
    jql_milli value;           /* measured value (thousandths) when has_value */
    jql_milli self, appraised; /* JQL_NO_SCORE when absent */
    const char *rule;          /* pool string */
    size_t ev_start, ev_count; /* slice of results->evlist */
    uint8_t source;            /* jql_source, in a byte: the node is 64 bytes, one
                                  cache line, written once per unit and node */
    bool applicable;
    bool has_value;
    bool no_data;
    bool never; /* a report due was never submitted */
    bool unappraised;
    bool self_differs;
    bool rule_lazy; /* rule formatted on first read (jql_rule_text) from the
                       node's jql_rule_fmt, value and points; NULL until then */
} jql_res_node;
_Static_assert(sizeof(jql_res_node) <= 64, "a node result fits one cache line");

/* What a value-dependent rule text ("linear: 80 / 100 × 10 → 8") needs
   besides the result's value and points: copied from the criteria, so the
   text can be formatted when read, after the criteria set is freed. */
typedef struct {
    int kind; /* jql_method_kind, or JQL_RULE_EVENTS */
    bool per_share;
    jql_milli target, amount;
    const char *event_kind; /* JQL_RULE_EVENTS: the item's kind (pool string; NULL: any) */
} jql_rule_fmt;
/* An events bonus or deduction: "events: <count> <kind> → <points>", the
   count being its evidence count (one record per event counted). */
#define JQL_RULE_EVENTS (-1)

/* A tie-breaker key, ordered so that smaller sorts first: state first
   (values, then "never submitted" or the reverse, then no data), then key,
   the exact measured value (negated for descending order) or points. */
typedef struct {
    int state;
    jql_ratio key;
} jql_tb_key;

typedef enum {
    JQL_HELD_NONE = 0,
    JQL_HELD_VETO,
    JQL_HELD_QUOTA,
    JQL_HELD_COUNT /* not a reason: the number of values (names.c) */
} jql_held;

typedef struct {
    const char *id, *name;  /* in r->unit_text */
    const char *cluster;     /* pool string; may be NULL */
    size_t ds_index;                 /* index in the dataset while scoring */
    jql_milli v[JQL_RESULT_FIELD_GAP + 1];     /* indexed by jql_result_field */
    size_t tier, tier_before_caps, tier_after_vetoes;
    size_t rank, cluster_rank;
    size_t cluster_idx; /* JQL_NONE: no cluster */
    bool leader, quota_demoted, quota_tie;
    jql_held held_back;
    size_t veto_start, veto_count; /* slice of results->fired (veto indices) */
    size_t node_start;             /* nnodes entries in results->nodes */
    size_t item_start;             /* nbonus + ndeductions entries in results->items */
    const jql_tb_key *tb;          /* ntb keys */
    size_t ntb;
} jql_res_unit;

typedef struct {
    const char *id, *title;
    size_t parent;
    bool leaf;
    jql_milli max;
    jql_rule_fmt fmt;
} jql_res_nodeinfo;

typedef struct {
    const char *id, *name;
    jql_milli min;
} jql_res_tier;

typedef struct {
    const char *id, *reason;
    size_t cap;
} jql_res_veto;

typedef struct {
    const char *id, *title;
    jql_milli max;
    jql_rule_fmt fmt;
} jql_res_item;

struct jql_results {
    const char *criteria_id, *period;
    /* "YYYY-MM-DD" of the scoring's as-of date (jql_score_options.as_of,
       as parsed), "" when scored without one (jql_results_as_of) */
    char as_of[11];
    jql_milli scale;
    bool allow_above_scale;

    jql_res_nodeinfo *nodeinfo;
    size_t nnodes;
    jql_res_tier *tiers;
    size_t ntiers;
    jql_res_veto *vetodefs;
    size_t nvetodefs;
    jql_res_item *iteminfo; /* bonus items, then deduction items */
    size_t nbonus, ndeductions;

    jql_res_unit *units; /* result order after scoring */
    size_t nunits;
    jql_res_node *nodes; /* nunits * nnodes, by the unit's node_start */
    jql_res_node *items; /* nunits * (nbonus + ndeductions) */
    /* how many of each are initialized (all, once scored; fewer when a
       scoring stopped on an error): the arrays are not zeroed */
    size_t nodes_ready, items_ready;
    jql_tb_key *tb;      /* nunits * ntb */

    size_t *fired; /* veto indices, sliced per unit */
    size_t nfired, fired_cap;

    uint64_t *evlist; /* sliced per node: jql_evidence_ref() references to records of src */
    size_t nevlist, evlist_cap;
    size_t evlist_max; /* references one scoring may keep (0: no limit) */
    bool no_evidence; /* scored with JQL_SCORE_NO_EVIDENCE: every slice is empty */
    /* The scored dataset, held (jql_ds_retain) so that evidence is read
       from its records, never copied: its records are only ever appended
       and the fields evidence shows never change, except a statistic's
       value, read as of stat_mark (jql_ds_stat_value). NULL before the
       end of scoring. */
    jql_dataset *src;
    size_t stat_mark;
    /* record numbers (the public evidence handles): ev_base[k] + index,
       over the dataset's record counts when it was scored */
    size_t ev_base[JQL_EV_KINDS + 1];

    jql_diagnostics *diag; /* warnings about the scoring (score_checks.c) */

    /* unit id (NFC) -> index in result order, for jql_results_unit_find();
       built once the units are in their final order */
    jql_strmap unit_map;
    bool unit_map_ok;

    /* string pool */
    jql_strmap pool_map;
    char **pool;
    size_t npool, pool_cap;
    char *unit_text; /* every unit's id and name, one block (score.c alloc_units) */
};

/* ---- results.c ---- */
jql_results *jql_results_alloc(void);
/* Intern a copy of s (NULL gives NULL). NULL with JQL_ENOMEM set on failure. */
const char *jql_results_intern(jql_results *r, const char *s);
/* Intern; returns 0 or JQL_ENOMEM into *out. */
int jql_results_intern_to(jql_results *r, const char *s, const char **out);
/* Index the units by id (after ranking, which reorders them). 0 or JQL_ENOMEM. */
int jql_results_index_units(jql_results *r);
/* The unit, node, item and tie-breaker arrays of freed results, kept for the next
   scoring of the same sheet to write into (jql_score_reusing): each period
   of jql_score_periods_table*() mapped them afresh, and on this project's
   VM fresh pages cost four times the scoring itself (64 periods of 150
   units x 4,000 criteria: 5.0 s, reused 1.3 s). */
typedef struct {
    jql_res_unit *units;
    jql_res_node *nodes, *items;
    jql_tb_key *tb;
    size_t nunits, nnodes, nitems, ntb;
} jql_results_spare;
/* jql_results_free(r), those arrays of it moved into *spare
   (whose earlier ones are freed). */
void jql_results_free_to_spare(jql_results *r, jql_results_spare *spare);
void jql_results_spare_free(jql_results_spare *spare);
/* A measured value. Shares, ratios and changes are exact fractions
   (thousandths of a percent): conditions, methods and tie-breakers use
   `exact`, so the points are the only rounding (docs/SCORING.md: a leaf rounds
   once). Counts, days late, event points and indicator values are whole
   thousandths (den 1), except an indicator's `mean`, which is the exact
   fraction sum / count (a roll-up: the mean of the units' exact means).
   Bounds (query.c, ratio_make): |num| < 2^110, 0 < den <= 2^64, the value
   rounded to 0.001 fits 64 bits. */
typedef struct jql_mval {
    bool no_data; /* nothing to measure (no report due, no statistic...) */
    bool never;   /* a report never submitted: later than any number of days */
    jql_ratio exact;
    jql_milli value; /* exact rounded once to 0.001: what the results show */
} jql_mval;

/* ---- scoring context (score.c, score_leaf.c) ---- */
typedef struct jql_rule_slot {
    const char *s; /* interned rule */
    size_t len;
    uint64_t hash;
} jql_rule_slot;

/* A leaf's band or boolean outcome: its one text, interned (score_leaf.c). */
typedef struct jql_fixed_rule {
    const jql_method *m;
    size_t outcome;
    jql_milli max;
    const char *s;
} jql_fixed_rule;

typedef struct {
    const jql_dataset *ds;
    const jql_criteria *c;
    jql_results *r;
    const char *period;
    jql_range range;
    bool evidence;       /* keep evidence (not JQL_SCORE_NO_EVIDENCE) */
    bool custom_any_thread; /* JQL_SCORE_CUSTOM_ANY_THREAD */
    /* scoring on several threads: custom functions are called under it */
    pthread_mutex_t *custom_lock;
    /* the other threads' blocks still being moved into the results while
       the calling thread ranks (score_threads.c; NULL: none) */
    struct jql_score_workers *pending;
    jql_sizevec scratch; /* record indices from a query */
    const jql_sizevec *ev_src; /* instead of scratch: a remembered query's records */
    jql_buf rule;        /* rule text being built */
    /* jql_method_apply(): rule_defer_ok (set by the caller: nothing will be
       appended to the rule) lets it leave a value-dependent text to be
       formatted when read (rule_deferred) or give a text it already
       interned (rule_ready, a band or boolean outcome of a leaf) */
    bool rule_defer_ok, rule_deferred;
    const char *rule_ready;
#define JQL_FIXED_RULES 1024 /* most slots, a power of two */
#define JQL_CONST_RULES 32 /* texts that never vary (score.c, rule_const) */
    struct {
        const char *key, *s; /* a string literal, its interned copy */
    } const_rules[JQL_CONST_RULES];
    size_t nconst_rules;
    struct jql_fixed_rule *fixed_rules;
#define JQL_RULE_CACHE 8192 /* most slots, a power of two */
    struct jql_rule_slot *rule_cache; /* interned rules (jql_rule_take) */
    /* slots - 1 of each: sized by the scoring's work (score.c, ctx_init),
       as a small scoring pays a page fault for every page it touches */
    size_t fixed_mask, rule_mask;
#define JQL_IND_CACHE 64
#define JQL_REP_MEMO 4 /* report queries remembered per unit */
    struct {
        const char *key; /* a criteria string: an indicator id */
        size_t index;    /* in ds->indicators */
    } ind_cache[JQL_IND_CACHE];
    struct {
        const char *key; /* a criteria string: a filter */
        const char *pooled; /* jql_q_pooled(ds, key) */
    } pool_cache[JQL_IND_CACHE];
    struct {
        const char *key; /* an assessment's criterion (pooled by the dataset) */
        size_t node;     /* its node, JQL_NONE: none */
    } crit_cache[JQL_IND_CACHE];
    const char **unit_ids; /* interned unit ids by dataset index, lazily */
    /* the tasks of unit tasks_unit due in the range (jql_q_tasks_due), shared
       by the unit's task leaves without roll-up */
    jql_sizevec tasks_due;
    size_t tasks_unit;
    /* of those, per task field the leaves ask (pooled, NULL: all; kept
       from unit to unit): the summary and the tasks, all computed in one
       pass when the unit changes, so leaves asking the same field (every
       leaf without one) filter and count once */
#define JQL_TASK_FIELDS 16
    const char *task_field[JQL_TASK_FIELDS];
    jql_task_summary task_sum[JQL_TASK_FIELDS];
    jql_sizevec task_hits[JQL_TASK_FIELDS];
    size_t ntask_fields;
    /* the last report queries without roll-up (unit, kind: a few kinds,
       as a sheet's report leaves alternate between all reports and one
       kind) and the directive query of a unit: their summaries and
       records, reused by the unit's other leaves measuring the same */
    struct jql_rep_memo {
        size_t unit;
        const char *kind;
        jql_report_summary sum;
        jql_sizevec hits;
    } rep[JQL_REP_MEMO];
    size_t rep_next; /* the entry the next new query replaces */
    size_t dir_unit;
    jql_directive_summary dir_sum;
    jql_sizevec dir_hits;
    /* the statistics of unit stats_unit by indicator (jql_q_stats_by_indicator) */
    jql_sizevec *stats_by_ind, stats_touched;
    size_t stats_unit;
    /* per node, for the unit being scored */
    size_t *asmt;        /* assessment index, JQL_NONE: none */
    size_t *stamp;       /* == seq when the unit has an assessment naming the node */
    size_t seq;
    bool *na;            /* not applicable */
    size_t *na_nodes, nna_nodes; /* nodes disabled or with not_applicable_if */
    /* not_applicable_if lists longer than JQL_NA_LINEAR, as hash sets: a
       rule may list thousands of levels or values, looked up per unit */
    struct jql_na_sets {
        jql_strmap levels, values;
    } *na_sets;
    size_t *na_set_of, nna_sets; /* per node: its sets, JQL_NONE: none */
    /* sum_tree(): per node its parent, maximum and leafness (read from
       small arrays, not the criteria's nodes), and the sums its children
       add to it */
    struct jql_tree_node {
        size_t parent;
        jql_milli max;
        bool leaf;
    } *tree;
    struct jql_tree_sum {
        __int128 points, amax, self; /* of its applicable children */
        bool any;                    /* one child is applicable */
    } *sums;
    char errbuf[512];    /* custom callbacks' messages */
    /* vetoes measuring the same thing are measured once per unit: the
       first veto with an equal measure (or event kind), and its value */
    size_t *veto_first;
    struct jql_mval *veto_val;
    size_t *veto_events;
    /* many vetoes and items on event kinds: each unit's events counted by
       kind once (score.c, plan_event_kinds); ek_slot per veto, then per
       bonus and deduction item, ek_unit the unit counted (JQL_NONE: none) */
    bool ek_on;
    jql_event_kinds ek;
    size_t *ek_slot;
    size_t ek_unit;
    /* and the event vetoes by kind (ek_vhead per slot, then ek_vnext per
       veto; JQL_NONE ends), the others (ek_other), a unit's fired ones */
    size_t *ek_vhead, *ek_vnext, *ek_other, nek_other;
    jql_sizevec ek_fired;
    /* per node: the last evidence slice stored, which a roll-up leaf of a
       unit below may share (score.c, share_evidence) */
    size_t *ev_prev_start, *ev_prev_count;
    /* roll-ups summed once per subtree (score_rollup.c); from the last
       jql_measure_eval(): its evidence as a slice already stored (ev_at,
       ev_n; ev_at JQL_NONE: appended), and whether the slice it appended
       is pinned (another unit's evidence may point into it) */
    struct jql_rollup *rollup;
    size_t ev_at, ev_n;
    size_t *ev_memo;
    bool ev_pinned;
    /* roll-up vetoes measured before scoring: for the first veto_pre[i]
       scored units (all, or those before the one whose measurement
       failed), whether veto i fires for the k-th (bit k * nvetoes + i) */
    size_t *veto_pre;
    uint64_t *veto_bits;
    /* roll-up tie-breakers likewise: the first tb_pre[i] scored units have
       key i in their key array already */
    size_t *tb_pre;
    /* roll-up leaves likewise when no evidence is kept and their summaries
       would pass the budget (score_rollup.c, leaves_before): leaf n's
       value of the k-th scored unit is leaf_val[n][k] for k < leaf_pre[n]
       (leaf_val NULL, or leaf_val[n] NULL: measured while scored) */
    size_t *leaf_pre;
    struct jql_mval **leaf_val;
    /* measures alike in content (a leaf and a bonus measuring one thing,
       two leaves with different methods) measured once per unit
       (score_leaf.c, measure_memo): each measure's address leads to the
       entry of its content */
    struct jql_measure_slot {
        const jql_measure *m; /* NULL: an empty slot */
        size_t memo;          /* index in memos */
    } *mslots;
    size_t mslots_mask, mslots_used;
    jql_strmap memo_keys; /* a measure's content -> index in memos */
    struct jql_measure_memo {
        size_t unit; /* JQL_NONE: nothing yet */
        bool has_ev; /* measured with its evidence, stored at [at, at + n) */
        jql_mval v;
        size_t at, n;
    } *memos;
    size_t nmemos, memos_cap;
    /* per node, then per bonus and deduction item: the memo entry its
       measure shares with another node or item, JQL_NONE when measured
       alone (jql_measure_share) */
    size_t *share;
} jql_score_ctx;


/* ---- score.c ---- */
/* Set up (and free) a context whose ds, c, r, period, range and evidence
   are set: its caches and scratch. 0 or JQL_ENOMEM (free it anyway). */
int jql_score_ctx_init(jql_score_ctx *ctx, const jql_dataset *ds, const jql_criteria *c);
void jql_score_ctx_free(jql_score_ctx *ctx);
/* Score the units [from, to) of ctx->r, in order. After the first few,
   the evidence list is given room for room_for units at their rate (the
   first block's list takes the other blocks' too). */
int jql_score_block(jql_score_ctx *ctx, size_t from, size_t to, size_t room_for);

/* The caller's options (NULL: the defaults) in a current-version struct:
   members of versions later than the caller's are not read (its struct
   may end before them) and keep their defaults. */
jql_score_options jql_score_options_current(const jql_score_options *opts);

/* The checks jql_score_with() makes of its options (version, flags,
   as_of into *as_of, JQL_NO_DATE when none), its messages starting with
   fn; the as_of one too when name_as_of (jql_score_with's never did).
   JQL_OK or JQL_EINVALID. */
int jql_score_options_check(const jql_score_options *opts, const char *fn, bool name_as_of,
                            jql_date *as_of);

/* jql_score_with(), writing into the arrays of @p spare (NULL: none) when
   they have the sizes this scoring needs (then taken, and *spare emptied). */
int jql_score_reusing(const jql_dataset *ds, const jql_criteria *c, const char *period,
                      const jql_score_options *opts, jql_results_spare *spare,
                      jql_results **out);

/* True when this thread's last jql_score_with() failed on its results
   limit (scored units x criteria, items and tie-breakers), not another. */
bool jql_score_results_limit_hit(void);

/* ---- score_threads.c ---- */
/* Score every unit of ctx->r, on up to `threads` threads (the calling one
   included: jql_score_options.threads). JQL_SCORE_AGAIN_ALONE when a
   thread failed or the threads' evidence together passes the limit: then
   the caller scores again on one thread, whose error is the one to
   report. Else as jql_score_block(), except that on success the other
   blocks' evidence may still be on its way into the results
   (ctx->pending): until jql_score_units_done() neither r->evlist's
   entries nor the nodes' and items' ev_start may be read. Every unit's
   other fields, the units array (ranking may reorder it), the fired
   vetoes and r->nevlist are final. */
int jql_score_units(jql_score_ctx *ctx, unsigned threads);
#define JQL_SCORE_AGAIN_ALONE 1
/* Wait for what jql_score_units() left moving, and free its threads'
   lists; nothing to do when nothing is pending. Never fails. */
void jql_score_units_done(jql_score_ctx *ctx);

/* ---- score_leaf.c ---- */
/* Free what jql_measure_eval() remembered of measures alike (ctx_free). */
void jql_measure_memo_free(jql_score_ctx *ctx);
/* Measure for unit u over ctx->range. When `evidence` is true the records
   used are appended to r->evlist (count added to *ev_count), or, for a
   measure alike in content to one already measured for u (or a roll-up
   stored so), named as the slice ctx->ev_at, ctx->ev_n already stored.
   JQL_OK, JQL_EINVALID (unknown indicator), JQL_ENOMEM. */
int jql_measure_eval(jql_score_ctx *ctx, size_t u, const jql_measure *m, jql_mval *out,
                     bool evidence, size_t *ev_count);
/* The same for a node's or item's measure with its entry of ctx->share
   (JQL_NONE: measured afresh, nothing remembered). */
int jql_measure_eval_shared(jql_score_ctx *ctx, size_t u, const jql_measure *m, size_t share,
                            jql_mval *out, bool evidence, size_t *ev_count);
/* Fill share[i] for the n measures ms[i] (NULL: none) of the nodes and
   items: the memo entry of measures alike in content when two or more
   are, else JQL_NONE. 0 or JQL_ENOMEM. */
int jql_measure_share(jql_score_ctx *ctx, const jql_measure *const *ms, size_t n, size_t *share);
/* Compare two exact values: < 0, 0, > 0. No product is formed, so any
   num and den > 0 (up to 2^126) compare without overflow. */
int jql_ratio_cmp(jql_ratio a, jql_ratio b);
/* True when the condition holds for the exact value (never submitted: every
   at_least/above and no at_most/below). */
bool jql_cond_holds(const jql_cond *cond, const jql_mval *v);
/* Apply a method (not manual/custom) to a measured value that has data,
   with maximum `max`. Writes the rule into ctx->rule (appended). */
jql_milli jql_method_apply(jql_score_ctx *ctx, const jql_method *m, jql_milli max,
                           const jql_mval *v);

/* The rule text of result x with format f and maximum max (x->rule_lazy),
   appended to b: the same bytes jql_method_apply() would have written. */
void jql_rule_format(const jql_rule_fmt *f, jql_milli max, const jql_res_node *x, jql_buf *b);
/* x's rule: x->rule, or for a lazy rule its text formatted once on first
   read and kept (an atomic compare-exchange: results are read from several
   threads). NULL only when out of memory. */
const char *jql_rule_text(const jql_rule_fmt *f, jql_milli max, const jql_res_node *x);
/* The method's format for lazy rules. */
jql_rule_fmt jql_rule_fmt_of(const jql_method *m);

/* ---- score_evidence.c ---- */
/* A reference in r->evlist: (kind << JQL_EV_REF_SHIFT) | record index. */
#define JQL_EV_REF_SHIFT 56
static inline jql_ev_kind jql_evidence_ref_kind(uint64_t ref)
{
    return (jql_ev_kind)(ref >> JQL_EV_REF_SHIFT);
}
static inline size_t jql_evidence_ref_index(uint64_t ref)
{
    return (size_t)(ref & ((UINT64_C(1) << JQL_EV_REF_SHIFT) - 1));
}
/* Append references to the records (of kind k) in ctx->ev_src, else in
   ctx->scratch, to r->evlist; ev_src is cleared. Adds the count to *count.
   0 or JQL_ENOMEM. */
int jql_evidence_add(jql_score_ctx *ctx, jql_ev_kind k, size_t *count);
/* Room for `need` references in r->evlist, exactly. 0 or JQL_ENOMEM. */
int jql_evidence_reserve(jql_results *r, size_t need);
/* Append a reference to one record as evidence. 0 or JQL_ENOMEM. */
int jql_evidence_add_one(jql_score_ctx *ctx, jql_ev_kind k, size_t index, size_t *count);
/* The reference to record `index` of kind k that r->evlist holds while
   scoring (ascending with the index within a kind). */
uint64_t jql_evidence_ref(jql_ev_kind k, size_t index);
/* Make the slice (*start, count) the last of r->evlist (a copy when it is
   not), so a record can be appended to it. 0 or JQL_ENOMEM. */
int jql_evidence_detach(jql_score_ctx *ctx, size_t *start, size_t count);
/* After the last unit: hold the dataset and number its records. Never fails. */
void jql_evidence_finish(jql_score_ctx *ctx);
/* The record number of a reference in r->evlist. */
size_t jql_evidence_number(const jql_results *r, uint64_t ref);
/* Read record number ev (jql_evidence_number) into *out: false when out of
   range. */
bool jql_evidence_read(const jql_results *r, size_t ev, jql_ev_rec *out);
/* Text field f of a record read (results_explain.c); NULL when its kind has
   none or f is not text. */
const char *jql_ev_rec_text(const jql_ev_rec *e, jql_evidence_field f);
/* Read the record a reference in r->evlist names. */
void jql_evidence_read_ref(const jql_results *r, uint64_t ref, jql_ev_rec *out);
/* Append a condition's text ("at_least 75, below 95") to b. */
void jql_cond_text(jql_buf *b, const jql_cond *cond);
/* Write a text left in ctx->rule_ready into ctx->rule, before appending
   to it. */
void jql_rule_materialize(jql_score_ctx *ctx);
/* Finish the rule being built: intern ctx->rule and reset it. */
int jql_rule_take_text(jql_score_ctx *ctx, const char **out);
/* ...inline for the usual cases (a fixed text, a deferred one): called
   once per node, the out-of-line call's prologue cost more than these. */
static inline int jql_rule_take(jql_score_ctx *ctx, const char **out)
{
    if (ctx->rule_ready) { /* a fixed text already interned */
        *out = ctx->rule_ready;
        ctx->rule_ready = NULL;
        ctx->rule.len = 0;
        return 0;
    }
    if (ctx->rule_deferred) { /* formatted when read */
        *out = NULL;
        ctx->rule_deferred = false;
        ctx->rule.len = 0;
        return 0;
    }
    return jql_rule_take_text(ctx, out);
}

/* ---- score_checks.c ---- */
/* Before scoring: the scored units (sel) and their descendants must hold a
   record of some kind in r, unless allow_empty; *empty tells. A period the
   dataset does not declare and no record falls in is unknown
   (JQL_ENOTFOUND); a known one with nothing of the scored units is
   JQL_EINVALID; either refusal names @p allow_empty_name, the way the
   caller's users allow an empty period (jql_score_options, version 5).
   JQL_OK, those, or JQL_ENOMEM. */
int jql_score_check_period(const jql_dataset *ds, const char *period, jql_range r,
                           const jql_sizevec *sel, bool allow_empty,
                           const char *allow_empty_name, bool *empty);
/* After scoring: warnings into r->diag (an empty period; manual leaves no
   scored unit has an assessment for; computed leaves whose measure has no
   data for any scored unit). as_of: the as-of date or JQL_NO_DATE; the
   computed-leaf warnings name it, since a record dated later is not
   missing, only not counted yet. 0 or JQL_ENOMEM. */
int jql_score_warn(jql_results *r, const jql_criteria *c, bool empty, jql_date as_of);

/* ---- score_rollup.c ---- */
/* Roll-up queries (query.h, rollup true) over ctx->range, summed once per
   subtree when they can be. Evidence: appended to `ev`, or when the
   records are already stored as one slice, ctx->ev_at and ctx->ev_n are
   set and `ev` is left alone. Return codes as the query layer. */
int jql_rollup_reports(jql_score_ctx *ctx, size_t u, const char *kind, jql_report_summary *out,
                       jql_sizevec *ev);
int jql_rollup_events(jql_score_ctx *ctx, size_t u, const char *kind, size_t *count,
                      jql_milli *points, jql_sizevec *ev);
int jql_rollup_tasks(jql_score_ctx *ctx, size_t u, const char *field, jql_task_summary *out,
                     jql_sizevec *ev);
int jql_rollup_directives(jql_score_ctx *ctx, size_t u, jql_directive_summary *out,
                          jql_sizevec *ev);
/* jql_q_stat_exact() with roll-up for unit u over ctx->range (what: value,
   change or ratio of indicators a and b). */
int jql_rollup_stats(jql_score_ctx *ctx, size_t u, jql_q_stat what, size_t a, size_t b,
                     jql_ratio *out, jql_sizevec *ev);
/* Measure the roll-up vetoes and tie-breakers for every scored unit, in
   scoring order, up to a unit whose measurement fails (ctx->veto_pre,
   ctx->veto_bits, ctx->tb_pre and the units' keys): that one and those
   after it are measured while scored, so an error comes where it came
   without this. 0 or JQL_ENOMEM. */
int jql_rollup_before_scoring(jql_score_ctx *ctx);
/* A tie-breaker's key from its measured value (score.c). */
void jql_tb_key_of(const jql_tiebreak *t, const jql_mval *mv, jql_tb_key *key);
void jql_rollup_free(jql_score_ctx *ctx);

/* ---- score_rank.c ---- */
/* Rank, cluster ranks, leaders, quotas and gaps. Units must hold their
   final scores, tiers after vetoes and tie-breaker keys. Reorders
   r->units into result order. 0 or JQL_ENOMEM. */
int jql_rank_units(jql_results *r, const jql_criteria *c);

#endif /* JQL_SCORE_INTERNAL_H */
