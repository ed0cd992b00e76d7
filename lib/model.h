/*
 * Internal representation of a dataset. Private to lib/.
 *
 * Records live in growable arrays in insertion order; references between
 * records are indices (size_t), resolved once when a record is added or a
 * dataset is loaded. Look-ups by id go through hash indexes (strmap), and
 * the per-unit indexes below let queries touch only a unit's own records.
 */
#ifndef JQL_MODEL_H
#define JQL_MODEL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "justice_quarterly.h"
#include "keymap.h"
#include "util.h"

typedef struct {
    char *id;
    char *name;
    char *level;
    char *cluster;        /* NULL: none */
    size_t parent;        /* JQL_NONE for a root */
    jql_sizevec children; /* indices, insertion order */
    jql_keymap attrs;     /* read in key order (canonical output) */
} jql_unit_rec;

typedef struct {
    char *id;
    char *name; /* NULL: none */
    jql_period_kind kind;
    jql_date start, end;
    /* The range its statistics cover (work-report cut-off, e.g. 15/12 to
       14/3 for Q1); JQL_NO_DATE when not declared. */
    jql_date cutoff_start, cutoff_end;
} jql_period_rec;

/* A resolved period: what every record's "period" field becomes. As a
   query window it may carry an as-of date: then nothing dated after it
   counts (docs/CRITERIA.md, "As-of date"). Zero-initialised: no as-of. */
typedef struct {
    jql_period_kind kind;
    jql_date start, end;
    bool has_as_of;
    jql_date as_of;
} jql_range;

typedef struct {
    char *id;
    char *name;
    char *measure_unit; /* NULL: none */
    char *field;        /* NULL: none */
    jql_aggregation agg;
} jql_indicator_rec;

typedef struct {
    size_t unit, indicator;
    char *period; /* id as written */
    jql_range range;
    jql_milli value;
} jql_stat_rec;

typedef struct {
    size_t unit;
    char *period;
    jql_range range;
    char *kind;
    jql_date due, submitted; /* submitted: JQL_NO_DATE when never */
    bool complete;
} jql_report_rec;

typedef struct {
    char *id, *title;
    char *field;  /* NULL: none */
    char *period; /* NULL: none */
    jql_range range;
    jql_sizevec owners;
    jql_date due;
    jql_task_status status;
    jql_date completed;
} jql_task_rec;

typedef struct {
    char *kind, *text;
} jql_cause;

typedef struct {
    char *id, *text;
    char *field; /* NULL: none */
    char *period;
    jql_range range;
    char *resolved; /* NULL: open */
    jql_range resolved_range;
    jql_sizevec units;
    jql_cause *causes;
    size_t ncauses;
} jql_shortcoming_rec;

typedef struct {
    char *id, *text;
    jql_date issued;
    size_t issuer;
    jql_date due; /* JQL_NO_DATE: none */
    jql_directive_status status;
    jql_date completed;
    jql_sizevec units;
    char **levels;
    size_t nlevels;
    char **answers;
    size_t nanswers;
    /* the answers as keys (value: position) once there are more than a few
       (records.c), so that a new one is told apart from them without
       reading them all; NULL before */
    jql_strmap *answer_set;
} jql_directive_rec;

typedef struct {
    size_t unit;
    char *period;
    jql_range range;
    char *criterion;
    jql_milli self, appraised; /* JQL_NO_SCORE: absent */
    bool not_applicable;
    char *evidence; /* NULL: none */
} jql_assessment_rec;

typedef struct {
    size_t unit;
    jql_date date;
    char *kind;
    char *text;       /* NULL: none */
    jql_milli points; /* JQL_NO_SCORE: none */
    char *evidence;   /* NULL: none */
} jql_event_rec;

#define JQL_VEC_OF(T, name) \
    typedef struct {        \
        T *items;           \
        size_t len, cap;    \
    } name

JQL_VEC_OF(jql_unit_rec, jql_unit_vec);
JQL_VEC_OF(jql_period_rec, jql_period_vec);
JQL_VEC_OF(jql_indicator_rec, jql_indicator_vec);
JQL_VEC_OF(jql_stat_rec, jql_stat_vec);
JQL_VEC_OF(jql_report_rec, jql_report_vec);
JQL_VEC_OF(jql_task_rec, jql_task_vec);
JQL_VEC_OF(jql_shortcoming_rec, jql_shortcoming_vec);
JQL_VEC_OF(jql_directive_rec, jql_directive_vec);
JQL_VEC_OF(jql_assessment_rec, jql_assessment_vec);
JQL_VEC_OF(jql_event_rec, jql_event_vec);

/* Free strings about the dataset (metadata.c): a display-name label (kind
   and id named, map: language -> name) or a review document's form (id:
   the period, map: field -> text). Maps are read in key order. */
typedef struct {
    char *kind; /* labels only */
    char *id;
    jql_keymap map;
} jql_meta_rec;
JQL_VEC_OF(jql_meta_rec, jql_meta_vec);

/*
 * The dates of a unit's list by block: for every JQL_DATE_BLOCK entries of
 * the list, the least and greatest date its records are asked by (a
 * statistic's, report's or assessment's start, a task's or directive's due
 * date, an event's date). A query over a window reads only the blocks that reach
 * into it, so a unit with years of history costs what its window holds,
 * not its whole history (records come roughly in time order: a quarter's
 * after the one before). A block's span may be wider than its entries'
 * dates (after a record is inserted before others), never narrower.
 */
#define JQL_DATE_BLOCK 16
/* A list this short is read whole: its entries cost less to read than its
   block dates (another allocation, often another cache miss) save. */
#define JQL_DATES_READ_ALL (4 * JQL_DATE_BLOCK)
typedef struct {
    jql_date lo, hi;
} jql_date_span;
JQL_VEC_OF(jql_date_span, jql_date_spans);

/*
 * Per-unit indexes: for each unit, the indices of its records of each kind
 * (in insertion order). Kept up to date by every add function, so queries
 * and scoring never scan all records.
 */
typedef struct {
    jql_sizevec stats, reports, tasks, shortcomings, assessments, events;
    jql_sizevec directives; /* addressed to the unit by id, ascending */
    /* the dates of stats, reports, tasks, assessments, events and directives
       (their due dates) by block */
    jql_date_spans stats_at, reports_at, tasks_at, assessments_at, events_at, directives_at;
} jql_unit_index;

/* A list's entry at pos (the list now len long) was inserted with date d:
   its block and those after it (whose entries moved by one) widened. 0 or
   JQL_ENOMEM (then the spans are unchanged but for widening: still sound).
   A list with no spans is read whole (records.c keeps none for a list of up
   to JQL_DATES_READ_ALL entries). */
int jql_dates_insert(jql_date_spans *s, size_t pos, size_t len, jql_date d);

/* The date of the list's entry at pos changed to d: its block widened. */
void jql_dates_widen(jql_date_spans *s, size_t pos, jql_date d);

/* Whether block b of a list with spans s may hold a date in [lo, hi]. */
static inline bool jql_dates_may(const jql_date_spans *s, size_t b, jql_date lo, jql_date hi)
{
    return b >= s->len || (s->items[b].lo <= hi && s->items[b].hi >= lo);
}

/* The first block start from `at` (a block start) of a list len long whose
   block may hold a date in [lo, hi]; len when none. */
static inline size_t jql_dates_next(const jql_date_spans *s, size_t at, size_t len, jql_date lo,
                                    jql_date hi)
{
    if (len <= JQL_DATES_READ_ALL) /* a year of a unit's, read at once */
        return at;
    while (at < len && !jql_dates_may(s, at / JQL_DATE_BLOCK, lo, hi))
        at += JQL_DATE_BLOCK;
    return at < len ? at : len;
}

/* The head of a loop over the block starts `at` of a list len long whose
   blocks may hold a date in [lo, hi]: for (JQL_DATED_BLOCKS(...)) then the
   entries from at to jql_dates_block_end(at, len). */
#define JQL_DATED_BLOCKS(at, spans, len, lo, hi) \
    size_t at = jql_dates_next(spans, 0, len, lo, hi); at < (len); \
    at = jql_dates_next(spans, jql_dates_block_end(at, len), len, lo, hi)

/* The end of the block starting at entry `at` of a list len long (a list
   read whole is one block). */
static inline size_t jql_dates_block_end(size_t at, size_t len)
{
    return len <= JQL_DATES_READ_ALL || len - at <= JQL_DATE_BLOCK ? len : at + JQL_DATE_BLOCK;
}

/* A long pair's statistics in the order a value combines them, and all of
   them combined (query.c builds it, frees it with jql_q_pair_index_free). */
typedef struct jql_pair_index jql_pair_index;
void jql_q_pair_index_free(jql_pair_index *x);

/* The statistics of one (unit, indicator) pair, in record order: a value
   reads only its pair's records, not every statistic of the unit (80,000
   indicators of one unit in jql-report: 42 s). */
typedef struct {
    size_t unit, indicator;
    size_t next;      /* 1 + slot of the indicator's next pair; 0: none */
    size_t one;       /* its statistic while it has one (JQL_NONE: none) */
    jql_sizevec more; /* all of them once it has two (items NULL before):
                         most pairs have one, and allocate nothing */
    jql_date lo, hi;  /* the earliest start and the latest end among them (a
                         range outside holds none of them: no need to read) */
    /* NULL until a value of a long pair needs it; built once by whichever
       reading thread comes first (published atomically), freed by any new
       statistic of the pair or changed value */
    _Atomic(jql_pair_index *) index;
    atomic_size_t asked; /* values asked since the pair changed (query.c) */
} jql_stat_pair;

/* Free a pair's index (a statistic was added to or taken from it, or a
   value changed). Edits have the dataset to themselves: no reader races
   here, and loading a statistic pays one plain load. */
static inline void jql_stat_pair_index_drop(jql_stat_pair *p)
{
    atomic_store_explicit(&p->asked, 0, memory_order_relaxed);
    jql_pair_index *x = atomic_load_explicit(&p->index, memory_order_relaxed);
    if (x) {
        atomic_store_explicit(&p->index, NULL, memory_order_relaxed);
        jql_q_pair_index_free(x);
    }
}

/* An indicator's pairs, a chain through jql_stat_pair.next, oldest first. */
typedef struct {
    size_t first, last; /* 1 + slot; 0: none */
    size_t count;
} jql_ind_pairs;

/* The statistics of a pair as a list (a view: valid until the next edit). */
static inline jql_sizevec jql_stat_pair_list(const jql_stat_pair *p)
{
    if (p->more.items)
        return p->more;
    return (jql_sizevec){.items = (size_t *)&p->one, .len = p->one != JQL_NONE, .cap = 1};
}

/* A unit's reports or events of one kind, or tasks of one field, in a
   window of dates, found without reading its others (kind_index.c): built
   for the units whose list is longer than JQL_DATES_READ_ALL when a query
   filtered by kind first needs it, published atomically, dropped by any new
   report or event (they are only ever appended), task owner or field, or
   unit. */
typedef enum { JQL_KIND_REPORTS, JQL_KIND_EVENTS, JQL_KIND_TASKS, JQL_KIND_NINDEX } jql_kind_records;
typedef struct jql_kind_index jql_kind_index;
void jql_kind_index_free(jql_kind_index *x);

/* Unit's records of `which` whose kind is `kind` (a filter of the
   criteria, or an id given; a task's field) and whose date (an event's
   date, a report's period start, a task's due date) is within [from, to],
   some of them perhaps outside the
   query's other conditions: *out, *n (ascending by date, not by index),
   or *out NULL when the unit's list is short or kind NULL (then the
   caller reads the list). JQL_OK or JQL_ENOMEM. */
int jql_kind_records_in(const jql_dataset *ds, jql_kind_records which, size_t unit,
                        const char *kind, jql_date from, jql_date to, const size_t **out,
                        size_t *n);

/* The units in pre-order (roots by index, children in order), as
   jql_q_units() walks them: a subtree is one slice, order[pos[u] ..
   pos[u] + size[u]). Built by the first roll-up that needs it after the
   hierarchy changed (query.c), dropped by any change (dataset.c). */
typedef struct jql_unit_preorder {
    size_t *order, *pos, *size;
} jql_unit_preorder;

/* A statistic's value before an edit, kept while results scored from the
   dataset are alive: their evidence shows the value they were scored with
   (jql_ds_stat_value). */
typedef struct {
    jql_milli old;
    size_t prev; /* 1 + index of the same statistic's earlier change; 0: none */
} jql_stat_change;

struct jql_dataset {
    char *name, *description;

    /* Holders: the owner until jql_dataset_free(), and every results scored
       from it, whose evidence reads its records rather than copies of them
       (score_evidence.c). The memory goes with the last holder. */
    atomic_size_t refs;

    /* Statistic values changed while results were alive, oldest first; a
       results reads the changes made after it (at or beyond its
       stat_changes mark). stat_last_change[i]: 1 + index of statistic i's
       newest change, 0 none (sized lazily, stat_last_len entries). */
    jql_stat_change *stat_changes;
    size_t nstat_changes, stat_changes_cap;
    size_t *stat_last_change, stat_last_len;

    jql_unit_vec units;
    jql_period_vec periods;
    jql_indicator_vec indicators;
    jql_stat_vec stats;
    jql_report_vec reports;
    jql_task_vec tasks;
    jql_shortcoming_vec shortcomings;
    jql_directive_vec directives;
    jql_assessment_vec assessments;
    jql_event_vec events;

    /* id -> index */
    jql_strmap unit_ids, period_ids, indicator_ids, task_ids, shortcoming_ids, directive_ids;
    /* "unit\x1fperiod\x1fcriterion" -> assessment index;
       "unit\x1fperiod\x1fkind" -> report index */
    jql_strmap assessment_keys, report_keys;
    /* unit index, indicator index and dates (day numbers) -> stat index:
       two period ids with the same dates may not both carry a statistic,
       so these also find a statistic by its period id (jql_ds_stat_find),
       with no second map of every statistic */
    jql_strmap stat_range_keys;
    /* "s<start>", "e<end>", "r<start>:<end>" (day numbers) -> the first
       declared period with that start, end or both: the neighbours of a
       custom period (previous, next, a year before) without reading every
       period (period.c) */
    jql_strmap period_dates;
    /* (unit, indicator) -> 1 + slot in stat_pairs, open addressing on the
       two indices (pair_tab_cap a power of two, at most half full; 0:
       empty); ind_pairs[i]: indicator i's pairs (nind_pairs entries) */
    size_t *pair_tab, pair_tab_cap;
    jql_stat_pair *stat_pairs;
    size_t nstat_pairs, stat_pairs_cap;
    jql_ind_pairs *ind_pairs;
    size_t nind_pairs;
    /* the pair the last statistic went to: 1 + slot, 0 none (a file lists a
       pair's periods one after another: no look-up for them) */
    size_t last_pair;
    /* NULL until a roll-up needs it; built once by whichever reading thread
       comes first (published atomically), freed by any hierarchy change */
    _Atomic(jql_unit_preorder *) preorder;
    /* NULL until a query by kind needs it (kind_index.c; the same rules) */
    _Atomic(jql_kind_index *) kind_index[JQL_KIND_NINDEX];

    /* parallel to units: per-unit record indexes (see above) */
    jql_unit_index *by_unit;
    size_t by_unit_cap;

    /* metadata.c: labels (key "kind\x1fid") and documents (key: period) */
    jql_meta_vec labels, documents;
    jql_strmap label_keys, document_keys;

    /* directives addressed to a level: level -> slot in level_directives */
    jql_strmap directive_levels;
    jql_sizevec *level_directives;
    jql_date_spans *level_directives_at; /* their due dates by block */
    size_t nlevel_directives;

    size_t max_records; /* per record kind; 0: JQL_MAX_RECORDS (jql_load_options) */

    /* csv_import.c: the folded names (jql_csv_fold) of the first csv_units
       units -> the unit (or a mark for a name two share), and of the first
       csv_indicators indicators -> the first so named. Kept from one CSV
       file to the next (each file built them again: 300 files naming units
       by name among 50,000 took 13 s), extended when a file first needs
       them, dropped when a unit is renamed (indicators keep their names).
       NULL: none yet. */
    jql_strmap *csv_unit_names, *csv_indicator_names;
    size_t csv_units, csv_indicators;

    /* One shared NFC copy of the short strings many records repeat: the
       period of statistics, reports, tasks, shortcomings (and resolved)
       and assessments, report and event kinds, task fields, assessment
       criteria (records.c). Record fields point into it: never freed one
       by one. */
    jql_strmap interned;
};

/* Another holder of ds (results scored from it); released with
   jql_ds_release(), which frees the dataset when the last holder goes. */
void jql_ds_retain(const jql_dataset *ds);
void jql_ds_release(jql_dataset *ds);

/* Statistic i's value as results marked at `mark` (ds->nstat_changes when
   they were scored) saw it. */
jql_milli jql_ds_stat_value(const jql_dataset *ds, size_t i, size_t mark);

/* Free the labels and documents (metadata.c). */
void jql_meta_free(jql_dataset *ds);

/* Most records of one kind this dataset takes. */
static inline size_t jql_ds_max_records(const jql_dataset *ds)
{
    return ds->max_records ? ds->max_records : JQL_MAX_RECORDS;
}

/* Grow a JQL_VEC_OF vector so one more item fits. 0 or JQL_ENOMEM. */
#define JQL_VEC_RESERVE1(vec) \
    jql_vec_grow((void **)&(vec).items, &(vec).cap, (vec).len + 1, sizeof(*(vec).items))

/* The slot in ds->stat_pairs of (unit, indicator); JQL_NONE: none. */
size_t jql_ds_stat_pair(const jql_dataset *ds, size_t unit, size_t indicator);

/* Drop the units' pre-order (the hierarchy changed). */
void jql_ds_preorder_drop(jql_dataset *ds);

/* Drop the CSV import's folded unit names (a unit was renamed), and with
   `indicators` its indicator names too (the dataset is freed). */
void jql_ds_csv_names_drop(jql_dataset *ds, bool indicators);

/* Drop an index of records by kind (a record of its kind or a unit was
   added); JQL_KIND_NINDEX: both. */
void jql_ds_kind_index_drop(jql_dataset *ds, jql_kind_records which);

/* Resolve a period id (declared first, then standard) to a range.
   JQL_OK or JQL_ENOTFOUND. */
int jql_ds_resolve_period(const jql_dataset *ds, const char *id, jql_range *out);

/* Parse a standard period id ("2014", "2014-H1", "2014-Q3", "2014-9M").
   JQL_OK or JQL_ENOTFOUND when the id is not of a standard shape or its
   year is out of range. */
int jql_standard_period(const char *id, jql_range *out);

/* The statistic of (unit, indicator) whose period has the dates of r under
   another period id than `period`: JQL_OK with *other set, JQL_ENOTFOUND
   (none), or JQL_ENOMEM. */
int jql_ds_stat_same_dates(const jql_dataset *ds, size_t unit, size_t indicator, jql_range r,
                           const char *period, size_t *other);

/* The statistic of (unit, indicator) for period id `period` whose dates
   are r: JQL_OK with *index set, JQL_ENOTFOUND or JQL_ENOMEM. */
int jql_ds_stat_find(const jql_dataset *ds, size_t unit, size_t indicator, jql_range r,
                     const char *period, size_t *index);

/* Bytes of the key of a statistic's dates (records.c). */
#define RANGE_KEY_BYTES 72

/* The statistic of (unit, indicator) whose period has the dates of r,
   whatever its period id: JQL_OK with *index set, or JQL_ENOTFOUND, and
   then *spot (may be NULL) says where its key goes (jql_ds_stat_append). */
int jql_ds_stat_by_dates(const jql_dataset *ds, size_t unit, size_t indicator, jql_range r,
                         size_t *index, jql_strmap_spot *spot);

/* Start loading where jql_ds_stat_by_dates() of these will look (see
   jql_strmap_prefetch). */
void jql_ds_stat_prefetch(const jql_dataset *ds, size_t unit, size_t indicator, jql_range r);

/* Append a statistic whose unit, indicator and period are resolved and
   which the caller checked is new (no statistic of these dates): what
   jql_stat_set_value() does last. spot: from the jql_ds_stat_by_dates()
   that found none, or NULL. period: the dataset's shared copy of the
   period id (jql_ds_intern). JQL_OK, JQL_EINVALID (value), JQL_ELIMIT or
   JQL_ENOMEM, with its messages. */
int jql_ds_stat_append(jql_dataset *ds, size_t unit, size_t indicator, jql_range r,
                       const char *period, jql_milli value, const jql_strmap_spot *spot);

/* The ids of a statistic as the caller gave them (for messages; the
   period is also the one stored, in NFC). */
typedef struct {
    const char *unit, *indicator, *period;
} jql_stat_names;

/* jql_stat_set_value() once its unit, indicator and period (dates r) are
   resolved, with one look-up of the dates instead of four: the CSV
   import's way for each value. *replaced (may be NULL): the value the
   statistic had, set only when one was replaced. The same statuses and
   messages as jql_stat_set_value(). */
int jql_ds_stat_set_resolved(jql_dataset *ds, size_t unit, size_t indicator, jql_stat_names names,
                             jql_range r, jql_milli value, jql_milli *replaced);

/* The dataset's shared copy in NFC of a repeated short string (periods,
   kinds, fields: ds->interned); NULL in or out of memory: NULL. A loader
   that remembers copies can set them without looking them up again. */
char *jql_ds_intern(jql_dataset *ds, const char *s);

/* jql_task_add_owner() of unit index u (the caller resolved the id; the
   id is for the message). */
int jql_ds_task_add_owner_at(jql_dataset *ds, size_t i, size_t u, const char *unit);

/* Register a freshly appended unit (index = units.len-1) in the per-unit
   index array. 0 or JQL_ENOMEM. */
int jql_ds_grow_unit_index(jql_dataset *ds);

/* True when inner lies within outer (both ends inclusive). */
static inline bool jql_range_within(jql_range inner, jql_range outer)
{
    return inner.start >= outer.start && inner.end <= outer.end;
}

static inline bool jql_date_within(jql_date d, jql_range r)
{
    return d != JQL_NO_DATE && d >= r.start && d <= r.end;
}

#endif /* JQL_MODEL_H */
