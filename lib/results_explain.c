/*
 * Accessors for the explanation of results (explain.h): the facts the
 * results document writes about each node, item and evidence record.
 */
#include "names.h"
#include "score_internal.h"

/* The public enumerations are the internal ones, value for value. */
_Static_assert((int)JQL_SOURCE_COMPUTED == (int)JQL_SRC_COMPUTED &&
                   (int)JQL_SOURCE_MANUAL == (int)JQL_SRC_MANUAL &&
                   (int)JQL_SOURCE_CUSTOM == (int)JQL_SRC_CUSTOM &&
                   (int)JQL_SOURCE_NOT_APPLICABLE == (int)JQL_SRC_NOT_APPLICABLE &&
                   (int)JQL_SOURCE_MISSING == (int)JQL_SRC_MISSING &&
                   (int)JQL_SOURCE_SUM == (int)JQL_SRC_SUM &&
                   (int)JQL_SOURCE_EVENTS == (int)JQL_SRC_EVENTS,
               "jql_result_source follows jql_source");
_Static_assert((int)JQL_EVIDENCE_REPORT == (int)JQL_EV_REPORT &&
                   (int)JQL_EVIDENCE_TASK == (int)JQL_EV_TASK &&
                   (int)JQL_EVIDENCE_DIRECTIVE == (int)JQL_EV_DIRECTIVE &&
                   (int)JQL_EVIDENCE_STATISTIC == (int)JQL_EV_STAT &&
                   (int)JQL_EVIDENCE_ASSESSMENT == (int)JQL_EV_ASSESSMENT &&
                   (int)JQL_EVIDENCE_EVENT == (int)JQL_EV_EVENT &&
                   (int)JQL_EVIDENCE_KIND_COUNT == (int)JQL_EV_KINDS,
               "jql_evidence_kind follows jql_ev_kind");

jql_milli jql_results_scale(const jql_results *r) { return r ? r->scale : 0; }
bool jql_results_allow_above_scale(const jql_results *r) { return r && r->allow_above_scale; }
size_t jql_results_tier_count(const jql_results *r) { return r ? r->ntiers : 0; }

const char *jql_results_tier_id(const jql_results *r, size_t t)
{
    return r && t < r->ntiers ? r->tiers[t].id : NULL;
}

const char *jql_results_tier_name(const jql_results *r, size_t t)
{
    return r && t < r->ntiers ? r->tiers[t].name : NULL;
}

jql_milli jql_results_tier_min(const jql_results *r, size_t t)
{
    return r && t < r->ntiers ? r->tiers[t].min : 0;
}

static const jql_res_unit *unit_at(const jql_results *r, size_t k)
{
    return r && k < r->nunits ? &r->units[k] : NULL;
}

const char *jql_results_unit_tier_name(const jql_results *r, size_t k)
{
    const jql_res_unit *u = unit_at(r, k);
    return u ? jql_results_tier_name(r, u->tier) : NULL;
}

const char *jql_results_unit_next_tier(const jql_results *r, size_t k)
{
    const jql_res_unit *u = unit_at(r, k);
    return u && u->tier > 0 ? jql_results_tier_id(r, u->tier - 1) : NULL;
}

static const jql_res_node *node_at(const jql_results *r, size_t k, size_t n)
{
    const jql_res_unit *u = unit_at(r, k);
    return u && n < r->nnodes ? &r->nodes[u->node_start + n] : NULL;
}

static const jql_res_node *item_at(const jql_results *r, size_t k, size_t i)
{
    const jql_res_unit *u = unit_at(r, k);
    return u && i < r->nbonus + r->ndeductions ? &r->items[u->item_start + i] : NULL;
}

size_t jql_results_node_parent(const jql_results *r, size_t n)
{
    if (!r || n >= r->nnodes || r->nodeinfo[n].parent >= r->nnodes)
        return JQL_NONE;
    return r->nodeinfo[n].parent;
}

static jql_result_source source_of(const jql_res_node *x)
{
    return x ? (jql_result_source)x->source : JQL_RESULT_SOURCE_COUNT;
}

static size_t evidence_of(const jql_results *r, const jql_res_node *x, size_t e)
{
    return x && e < x->ev_count ? jql_evidence_number(r, r->evlist[x->ev_start + e]) : JQL_NONE;
}

jql_result_source jql_results_node_source(const jql_results *r, size_t k, size_t n)
{
    return source_of(node_at(r, k, n));
}

bool jql_results_node_no_data(const jql_results *r, size_t k, size_t n)
{
    const jql_res_node *x = node_at(r, k, n);
    return x && x->no_data;
}

bool jql_results_node_never_submitted(const jql_results *r, size_t k, size_t n)
{
    const jql_res_node *x = node_at(r, k, n);
    return x && x->never;
}

bool jql_results_node_unappraised(const jql_results *r, size_t k, size_t n)
{
    const jql_res_node *x = node_at(r, k, n);
    return x && x->unappraised;
}

bool jql_results_node_self_differs(const jql_results *r, size_t k, size_t n)
{
    const jql_res_node *x = node_at(r, k, n);
    return x && x->self_differs;
}

size_t jql_results_node_evidence_count(const jql_results *r, size_t k, size_t n)
{
    const jql_res_node *x = node_at(r, k, n);
    return x ? x->ev_count : 0;
}

size_t jql_results_node_evidence(const jql_results *r, size_t k, size_t n, size_t e)
{
    return evidence_of(r, node_at(r, k, n), e);
}

jql_result_source jql_results_item_source(const jql_results *r, size_t k, size_t i)
{
    return source_of(item_at(r, k, i));
}

bool jql_results_item_value(const jql_results *r, size_t k, size_t i, jql_milli *value)
{
    const jql_res_node *x = item_at(r, k, i);
    if (!x || !x->has_value)
        return false;
    if (value)
        *value = x->value;
    return true;
}

bool jql_results_item_no_data(const jql_results *r, size_t k, size_t i)
{
    const jql_res_node *x = item_at(r, k, i);
    return x && x->no_data;
}

bool jql_results_item_never_submitted(const jql_results *r, size_t k, size_t i)
{
    const jql_res_node *x = item_at(r, k, i);
    return x && x->never;
}

size_t jql_results_item_evidence_count(const jql_results *r, size_t k, size_t i)
{
    const jql_res_node *x = item_at(r, k, i);
    return x ? x->ev_count : 0;
}

size_t jql_results_item_evidence(const jql_results *r, size_t k, size_t i, size_t e)
{
    return evidence_of(r, item_at(r, k, i), e);
}

/* Record ev read from the dataset the results hold (score_evidence.c);
   NULL when out of range. */
static const jql_ev_rec *ev_at(const jql_results *r, size_t ev, jql_ev_rec *buf)
{
    return jql_evidence_read(r, ev, buf) ? buf : NULL;
}

jql_evidence_kind jql_results_evidence_kind(const jql_results *r, size_t ev)
{
    jql_ev_rec buf;
    const jql_ev_rec *e = ev_at(r, ev, &buf);
    return e ? (jql_evidence_kind)e->kind : JQL_EVIDENCE_KIND_COUNT;
}

size_t jql_results_evidence_index(const jql_results *r, size_t ev)
{
    jql_ev_rec buf;
    const jql_ev_rec *e = ev_at(r, ev, &buf);
    return e ? e->index : JQL_NONE;
}

/* Which of the record's strings a (kind, field) pair reads, as the writer
   lays them out (score_internal.h): 'a', 'b', 'c' or 0 for none. */
static const char slot_of[JQL_EV_KINDS][JQL_EVIDENCE_FIELD_COUNT] = {
    [JQL_EV_REPORT] = {[JQL_EVIDENCE_FIELD_UNIT] = 'a', [JQL_EVIDENCE_FIELD_PERIOD] = 'b', [JQL_EVIDENCE_FIELD_REPORT_KIND] = 'c'},
    [JQL_EV_TASK] = {[JQL_EVIDENCE_FIELD_ID] = 'a'},
    [JQL_EV_DIRECTIVE] = {[JQL_EVIDENCE_FIELD_ID] = 'a'},
    [JQL_EV_STAT] = {[JQL_EVIDENCE_FIELD_UNIT] = 'a', [JQL_EVIDENCE_FIELD_INDICATOR] = 'b', [JQL_EVIDENCE_FIELD_PERIOD] = 'c'},
    [JQL_EV_ASSESSMENT] = {[JQL_EVIDENCE_FIELD_UNIT] = 'a', [JQL_EVIDENCE_FIELD_PERIOD] = 'b', [JQL_EVIDENCE_FIELD_CRITERION] = 'c'},
    [JQL_EV_EVENT] = {[JQL_EVIDENCE_FIELD_UNIT] = 'a', [JQL_EVIDENCE_FIELD_EVENT_KIND] = 'c'},
};

/* The document's order of each kind's fields (lib/results_json.c writes by it). */
static const jql_evidence_field order_report[] = {
    JQL_EVIDENCE_FIELD_UNIT, JQL_EVIDENCE_FIELD_PERIOD, JQL_EVIDENCE_FIELD_REPORT_KIND};
static const jql_evidence_field order_id[] = {JQL_EVIDENCE_FIELD_ID};
static const jql_evidence_field order_stat[] = {
    JQL_EVIDENCE_FIELD_UNIT, JQL_EVIDENCE_FIELD_INDICATOR, JQL_EVIDENCE_FIELD_PERIOD,
    JQL_EVIDENCE_FIELD_VALUE};
static const jql_evidence_field order_assessment[] = {
    JQL_EVIDENCE_FIELD_UNIT, JQL_EVIDENCE_FIELD_PERIOD, JQL_EVIDENCE_FIELD_CRITERION};
static const jql_evidence_field order_event[] = {
    JQL_EVIDENCE_FIELD_UNIT, JQL_EVIDENCE_FIELD_DATE, JQL_EVIDENCE_FIELD_EVENT_KIND};

#define ORDER(a) {a, sizeof a / sizeof *a}
static const struct {
    const jql_evidence_field *fields;
    size_t n;
} field_order[JQL_EVIDENCE_KIND_COUNT] = {
    [JQL_EVIDENCE_REPORT] = ORDER(order_report),
    [JQL_EVIDENCE_TASK] = ORDER(order_id),
    [JQL_EVIDENCE_DIRECTIVE] = ORDER(order_id),
    [JQL_EVIDENCE_STATISTIC] = ORDER(order_stat),
    [JQL_EVIDENCE_ASSESSMENT] = ORDER(order_assessment),
    [JQL_EVIDENCE_EVENT] = ORDER(order_event),
};
#undef ORDER

size_t jql_evidence_kind_fields(jql_evidence_kind kind, const jql_evidence_field **fields)
{
    bool known = (int)kind >= 0 && kind < JQL_EVIDENCE_KIND_COUNT;
    if (fields)
        *fields = known ? field_order[kind].fields : NULL;
    return known ? field_order[kind].n : 0;
}

const char *jql_results_evidence_text(const jql_results *r, size_t ev, jql_evidence_field f)
{
    jql_ev_rec buf;
    const jql_ev_rec *e = ev_at(r, ev, &buf);
    return e ? jql_ev_rec_text(e, f) : NULL;
}

const char *jql_ev_rec_text(const jql_ev_rec *e, jql_evidence_field f)
{
    if ((int)f < 0 || f >= JQL_EVIDENCE_FIELD_COUNT)
        return NULL;
    switch (slot_of[e->kind][f]) {
    case 'a':
        return e->a;
    case 'b':
        return e->b;
    case 'c':
        return e->c;
    default:
        return NULL;
    }
}

bool jql_results_evidence_value(const jql_results *r, size_t ev, jql_milli *value)
{
    jql_ev_rec buf;
    const jql_ev_rec *e = ev_at(r, ev, &buf);
    if (!e || e->kind != JQL_EV_STAT)
        return false;
    if (value)
        *value = e->value;
    return true;
}

bool jql_results_evidence_date(const jql_results *r, size_t ev, jql_date *date)
{
    jql_ev_rec buf;
    const jql_ev_rec *e = ev_at(r, ev, &buf);
    if (!e || e->kind != JQL_EV_EVENT)
        return false;
    if (date)
        *date = e->date;
    return true;
}
