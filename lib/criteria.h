/*
 * Internal representation of a criteria set (emulation score sheet).
 * Filled by the criteria loader (criteria_load.c), read by the engine
 * (score*.c). See docs/CRITERIA.md for the JSON form and docs/SCORING.md
 * for the rules.
 */
#ifndef JQL_CRITERIA_H
#define JQL_CRITERIA_H

#include "model.h"
#include "justice_quarterly/score.h"

/* What a computed leaf (or computed bonus/deduction item, veto, tie-breaker)
   measures for a unit over the scored period. */
typedef enum {
    JQL_M_NONE = 0,
    JQL_M_REPORT_DAYS_LATE_WORST,  /* days late of the worst report (never = infinite) */
    JQL_M_REPORT_DAYS_LATE_LATEST, /* days late of the latest report */
    JQL_M_REPORT_SHARE_ON_TIME,    /* % of reports due that were on time */
    JQL_M_REPORT_MISSING,          /* count never submitted */
    JQL_M_REPORT_INCOMPLETE,       /* count submitted incomplete */
    JQL_M_TASK_SHARE_COMPLETED,    /* % of tasks due in the period completed */
    JQL_M_TASK_OVERDUE,            /* count overdue */
    JQL_M_TASK_SHARE_LATE,         /* % of tasks due completed late */
    JQL_M_DIRECTIVE_SHARE_COMPLETED, /* % of directives due completed */
    JQL_M_INDICATOR_VALUE,         /* indicator value over the period */
    JQL_M_INDICATOR_RATIO,         /* 100 * indicator / denominator indicator (%) */
    JQL_M_INDICATOR_CHANGE,        /* % change against a year before */
    JQL_M_EVENT_COUNT,             /* events of a kind in the period */
    JQL_M_EVENT_POINTS,            /* sum of the points of events of a kind */
    JQL_M_COUNT                    /* not a kind: the number of values (names.c) */
} jql_measure_kind;

typedef struct {
    jql_measure_kind kind;
    char *report_kind;   /* filter, NULL: any */
    char *field;         /* task filter, NULL: any */
    char *indicator;     /* indicator id */
    char *denominator;   /* ratio: second indicator id */
    char *event_kind;    /* filter, NULL: any */
    bool rollup;         /* include descendants */
} jql_measure;

/* A condition: all given bounds must hold. The "infinite" value (a report
   never submitted) meets every at_least/above and no at_most/below. */
typedef struct {
    bool has_at_least, has_above, has_at_most, has_below;
    jql_milli at_least, above, at_most, below;
} jql_cond;

typedef struct {
    jql_cond cond;
    jql_milli points;
} jql_band;

typedef enum {
    JQL_METHOD_BANDS,
    JQL_METHOD_LINEAR,         /* points = max * value / target */
    JQL_METHOD_BOOLEAN,        /* full when cond holds (no bounds: value > 0) */
    JQL_METHOD_PER_OCCURRENCE, /* max - n * (amount | share% of max), floor 0 */
    JQL_METHOD_MANUAL,         /* from the dataset's assessments */
    JQL_METHOD_CUSTOM,         /* registered callback */
    JQL_METHOD_COUNT           /* not a method: the number of values (names.c) */
} jql_method_kind;

typedef enum {
    JQL_MISSING_ZERO = 0, /* default */
    JQL_MISSING_FULL,
    JQL_MISSING_NOT_APPLICABLE,
    JQL_MISSING_COUNT     /* not a rule: the number of values (names.c) */
} jql_missing_rule;

typedef struct {
    jql_method_kind kind;
    jql_band *bands;
    size_t nbands;
    jql_milli target;      /* linear */
    jql_cond cond;         /* boolean */
    bool per_share;        /* per occurrence: share (%) of max, else fixed amount */
    jql_milli per_amount;  /* per occurrence: points or % per occurrence */
    char *custom;          /* custom: registered function name */
} jql_method;

/* Condition on the unit that makes a node not applicable to it. */
typedef struct {
    char **levels;      /* unit level in this list */
    size_t nlevels;
    char *attr_key;     /* or unit attribute attr_key in attr_values */
    char **attr_values;
    size_t nattr_values;
} jql_na_rule;

typedef struct {
    char *id, *title;
    jql_milli max;
    size_t parent;     /* JQL_NONE for a top-level node */
    jql_sizevec children;
    size_t depth;      /* 0 for top-level */
    size_t pos;        /* index among its siblings in the document */
    /* leaves only (measure.kind is JQL_M_NONE for manual/custom leaves): */
    bool is_leaf;
    jql_measure measure;
    jql_method method;
    jql_missing_rule missing;
    /* any node (on an inner node the rule covers every leaf under it): */
    bool has_na_rule;
    jql_na_rule na_rule;
    char *note;        /* NULL: none */
    bool disabled;     /* "enabled": false: not applicable to every unit */
} jql_node;

/* A bonus or deduction item: entered in the dataset (event points of a
   kind, or manual assessments keyed by the item id) or computed like a leaf. */
typedef enum {
    JQL_ITEM_EVENTS, /* sum of points of events of event_kind in the period */
    JQL_ITEM_MANUAL, /* assessment of the item id */
    JQL_ITEM_COMPUTED,
    JQL_ITEM_KIND_COUNT /* not a kind: the number of values (names.c) */
} jql_item_kind;

typedef struct {
    char *id, *title;
    jql_item_kind kind;
    jql_milli max;      /* upper bound of the item (computed: its maximum) */
    char *event_kind;
    jql_measure measure;
    jql_method method;
    jql_missing_rule missing; /* computed: outcome with no data (never NOT_APPLICABLE: zero) */
} jql_item;

typedef struct {
    char *id, *name;
    jql_milli min;
} jql_tier;

typedef struct {
    char *id, *reason;
    size_t cap_tier;    /* index into tiers */
    bool on_event;      /* event veto: event_kind */
    char *event_kind;
    jql_measure measure; /* measure veto: cond over measure */
    jql_cond cond;
} jql_veto;

typedef struct {
    size_t tier;        /* the limited tier */
    jql_milli share;    /* % of the count of units in `of` tiers */
    jql_sizevec of;     /* tier indices */
    size_t minimum;
    bool has_minimum;
} jql_quota;

typedef enum {
    JQL_TB_FEWER_DEDUCTIONS,
    JQL_TB_NODE,        /* higher points on node first */
    JQL_TB_MEASURE,     /* by a measure; no data sorts after every value */
    JQL_TB_KIND_COUNT   /* not a kind: the number of values (names.c) */
} jql_tb_kind;

typedef struct {
    jql_tb_kind kind;
    size_t node;        /* JQL_TB_NODE */
    jql_measure measure;
    bool ascending;     /* JQL_TB_MEASURE: smaller first when true */
} jql_tiebreak;

typedef struct {
    char *name;
    jql_custom_fn fn;
    void *user;
    void (*free_user)(void *);
} jql_custom_reg;

struct jql_criteria {
    char *id, *name, *description;
    char *source;            /* name the set was loaded from (diagnostics of jql_criteria_check) */
    char *period;            /* default scored period id */
    jql_milli scale;
    bool allow_above_scale;
    /* which units are scored */
    char **unit_levels;
    size_t nunit_levels;
    char **unit_ids;
    size_t nunit_ids;
    /* the tree, nodes in document (pre-)order; top-level nodes listed in roots */
    jql_node *nodes;
    size_t nnodes;
    jql_sizevec roots;
    jql_strmap node_ids;
    jql_item *bonus;
    size_t nbonus;
    jql_milli bonus_cap;
    bool has_bonus_cap;
    jql_item *deductions;
    size_t ndeductions;
    jql_tier *tiers;          /* from the top; the last has min 0 */
    size_t ntiers;
    jql_veto *vetoes;
    size_t nvetoes;
    jql_quota *quotas;        /* sorted by tier, top tier first */
    size_t nquotas;
    jql_tiebreak *tiebreaks;
    size_t ntiebreaks;
    char **clusters;          /* declared clusters (NULL/0: any) */
    size_t nclusters;
    jql_custom_reg *customs;
    size_t ncustoms, customs_cap;
};

/* Find a node by id: JQL_OK or JQL_ENOTFOUND. */
int jql_criteria_node_index(const jql_criteria *c, const char *id, size_t *index);

/* The registration of custom function name, or NULL (also for a NULL name):
   the one look-up the registry, the checks and the engine share. */
jql_custom_reg *jql_criteria_custom_find(const jql_criteria *c, const char *name);

#endif /* JQL_CRITERIA_H */
