/* libFuzzer harness for what is built on a scoring: improvement plans
   (object, in-memory JSON and stream must agree), the sensitivity of the
   ranking (sections and leaves, a few Monte Carlo runs), a comparison of
   the results with themselves (nothing moves), a trend over the set's
   period and an optional one, and every evidence record through the
   explain accessors. Input as fuzz_score: "dataset.json NUL criteria.json
   [NUL period]". Each document must parse; statuses must be documented. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool parses(const char *text, size_t len)
{
    cJSON *doc = cJSON_ParseWithLength(text, len);
    cJSON_Delete(doc);
    return doc != NULL;
}

typedef struct {
    char *data;
    size_t len, cap;
} sink;

static int sink_write(void *user, const char *data, size_t len)
{
    sink *s = user;
    if (s->len + len + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 256;
        while (cap < s->len + len + 1)
            cap *= 2;
        char *p = realloc(s->data, cap);
        FUZZ_ASSERT(p);
        s->data = p;
        s->cap = cap;
    }
    memcpy(s->data + s->len, data, len);
    s->len += len;
    return 0;
}

static void check_plans(const jql_results *r, const jql_criteria *c)
{
    char *json = NULL;
    size_t len = 0;
    int rc = jql_improvement_plans_json(r, c, &json, &len);
    FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID);
    if (rc != JQL_OK) {
        FUZZ_ASSERT(json == NULL);
        return;
    }
    FUZZ_ASSERT(strlen(json) == len && parses(json, len));
    sink s = {0};
    FUZZ_ASSERT(jql_improvement_plans_write_cb(r, c, sink_write, &s) == JQL_OK);
    FUZZ_ASSERT(s.len == len && memcmp(s.data, json, len) == 0);
    jql_improvement_plans *p = NULL;
    FUZZ_ASSERT(jql_improvement_plans_compute(r, c, &p) == JQL_OK);
    char *again = NULL;
    size_t alen = 0;
    FUZZ_ASSERT(jql_improvement_plans_to_json(p, &again, &alen) == JQL_OK);
    FUZZ_ASSERT(alen == len && memcmp(again, json, len) == 0);
    size_t units = jql_improvement_plans_unit_count(p);
    for (size_t k = 0; k < units; k++) {
        FUZZ_ASSERT(jql_improvement_plans_unit_id(p, k) != NULL);
        size_t steps = jql_improvement_plans_step_count(p, k);
        FUZZ_ASSERT(steps <= jql_improvement_plans_leaf_count(p, k));
        for (size_t i = 0; i < steps; i++)
            FUZZ_ASSERT(jql_improvement_plans_step_id(p, k, i) != NULL);
    }
    jql_improvement_plans_free(p);
    jql_free(again);
    jql_free(json);
    free(s.data);
}

static void check_sensitivity(const jql_results *r, const jql_criteria *c)
{
    jql_sensitivity_options o = JQL_SENSITIVITY_OPTIONS_INIT;
    o.flags = JQL_SENS_ALL | JQL_SENS_LEAVES;
    o.runs = 16;
    o.seed = 7;
    jql_sensitivity *s = NULL;
    int rc = jql_sensitivity_run(r, c, &o, &s);
    FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID || rc == JQL_ELIMIT || rc == JQL_ECALLBACK);
    if (rc != JQL_OK) {
        FUZZ_ASSERT(s == NULL && *jql_last_error() != '\0');
        return;
    }
    size_t units = jql_results_unit_count(r);
    for (size_t k = 0; k < units; k++) {
        size_t lo = jql_sensitivity_rank_min(s, k), hi = jql_sensitivity_rank_max(s, k);
        FUZZ_ASSERT(lo >= 1 && lo <= hi && hi <= units);
        size_t med = jql_sensitivity_rank_median(s, k);
        FUZZ_ASSERT(med >= lo && med <= hi);
    }
    char *json = NULL;
    size_t len = 0;
    FUZZ_ASSERT(jql_sensitivity_to_json(s, &json, &len) == JQL_OK);
    FUZZ_ASSERT(parses(json, len));
    jql_free(json);
    jql_sensitivity_free(s);
}

static void check_self_comparison(const jql_results *r)
{
    jql_comparison *cmp = NULL;
    FUZZ_ASSERT(jql_results_compare(r, r, &cmp) == JQL_OK);
    FUZZ_ASSERT(jql_comparison_rank_changes(cmp) == 0);
    FUZZ_ASSERT(jql_comparison_tier_changes(cmp) == 0);
    char *json = NULL;
    size_t len = 0;
    FUZZ_ASSERT(jql_comparison_to_json(cmp, &json, &len) == JQL_OK && parses(json, len));
    jql_free(json);
    jql_comparison_free(cmp);
}

static void check_trend(const jql_dataset *ds, const jql_criteria *c, const char *period)
{
    const char *periods[2] = {jql_criteria_period(c), period};
    size_t n = period && period[0] ? 2 : 1;
    if (!periods[0])
        return;
    jql_trend *t = NULL;
    int rc = jql_score_periods(ds, c, periods, n, &t);
    if (rc != JQL_OK) {
        FUZZ_ASSERT(t == NULL && *jql_last_error() != '\0');
        return;
    }
    FUZZ_ASSERT(jql_trend_period_count(t) == n);
    char *json = NULL;
    size_t len = 0;
    FUZZ_ASSERT(jql_trend_to_json(t, &json, &len) == JQL_OK && parses(json, len));
    jql_free(json);
    jql_trend_free(t);
}

/* Every evidence record of every node and item, through the accessors. */
static void check_evidence(const jql_results *r)
{
    size_t units = jql_results_unit_count(r), nodes = jql_results_node_count(r);
    size_t items = jql_results_item_count(r);
    for (size_t k = 0; k < units; k++)
        for (size_t n = 0; n < nodes + items; n++) {
            bool item = n >= nodes;
            size_t i = item ? n - nodes : n;
            size_t cnt = item ? jql_results_item_evidence_count(r, k, i)
                              : jql_results_node_evidence_count(r, k, n);
            for (size_t e = 0; e < cnt; e++) {
                size_t ev = item ? jql_results_item_evidence(r, k, i, e)
                                 : jql_results_node_evidence(r, k, n, e);
                FUZZ_ASSERT(ev != JQL_NONE);
                jql_evidence_kind kind = jql_results_evidence_kind(r, ev);
                FUZZ_ASSERT(kind < JQL_EVIDENCE_KIND_COUNT);
                const jql_evidence_field *f;
                size_t nf = jql_evidence_kind_fields(kind, &f);
                for (size_t j = 0; j < nf; j++)
                    (void)jql_results_evidence_text(r, ev, f[j]);
                FUZZ_ASSERT(jql_results_evidence_index(r, ev) != JQL_NONE);
            }
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data, *crit;
    size_t ds_len, crit_len;
    char period[64];
    if (!fuzz_split(data, size, &ds_len, &crit, &crit_len, period))
        return 0;
    jql_dataset *ds = NULL;
    if (jql_dataset_load_buffer(text, ds_len, "<fuzz-dataset>", &ds, NULL) != JQL_OK)
        return 0;
    jql_criteria *c = NULL;
    if (jql_criteria_load_buffer(crit, crit_len, "<fuzz-criteria>", &c, NULL) != JQL_OK) {
        jql_dataset_free(ds);
        return 0;
    }
    fuzz_register_customs(c);
    jql_results *r = NULL;
    if (jql_score(ds, c, NULL, &r) == JQL_OK) {
        check_plans(r, c);
        check_sensitivity(r, c);
        check_self_comparison(r);
        check_evidence(r);
        jql_results_free(r);
    }
    check_trend(ds, c, period);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    return 0;
}
