/* Eight threads at once on one shared dataset and criteria set: scoring,
   queries, saving to JSON, and loading datasets and criteria sets of their
   own, while an "application" thread parses with cJSON itself and checks
   that its parse errors stay its own. Results must equal a single-threaded
   run. tests/run.sh runs this suite under ThreadSanitizer.

   The library may not touch cJSON's process-wide state: its parser writes an
   error pointer even on success, racing with every other cJSON user of the
   process. The system cJSON is not instrumented, so ThreadSanitizer cannot
   see that write; this program therefore defines the parse functions itself
   (the library, linked statically, calls these), counts calls from any
   thread but the application's, and forwards them to the real cJSON. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "testutil.h"

static _Thread_local bool application_thread;
static _Thread_local int library_parses;

typedef cJSON *(*parse_opts_fn)(const char *, size_t, const char **, cJSON_bool);
typedef cJSON *(*parse_fn)(const char *);
static parse_opts_fn real_parse_with_length_opts;
static parse_fn real_parse;

static void seen_parse(const char *value)
{
    (void)value;
    if (!application_thread)
        library_parses++;
}

cJSON *cJSON_ParseWithLengthOpts(const char *value, size_t len, const char **end,
                                 cJSON_bool require_null_terminated)
{
    seen_parse(value);
    return real_parse_with_length_opts(value, len, end, require_null_terminated);
}

cJSON *cJSON_ParseWithOpts(const char *value, const char **end, cJSON_bool require_null_terminated)
{
    seen_parse(value);
    return real_parse_with_length_opts(value, value ? strlen(value) + 1 : 0, end,
                                       require_null_terminated);
}

cJSON *cJSON_ParseWithLength(const char *value, size_t len)
{
    seen_parse(value);
    return real_parse_with_length_opts(value, len, NULL, 0);
}

cJSON *cJSON_Parse(const char *value)
{
    seen_parse(value);
    return real_parse(value);
}

#define THREADS 8
#define ROUNDS 6

typedef struct {
    int id;
    const jql_dataset *ds;
    const jql_criteria *crit;
    const char *want, *ds_text, *crit_text, *crit_path, *ds_saved;
    size_t ds_len, crit_len;
    int failures, mismatches, lost_errors, parses;
} job;

static int half_points(void *user, jql_custom_ctx *ctx)
{
    (void)user;
    return jql_custom_set_points(ctx, 500) == JQL_OK ? 0 : 1;
}

static void score_shared(job *j)
{
    jql_results *r = NULL;
    char *json = NULL;
    if (jql_score(j->ds, j->crit, NULL, &r) != JQL_OK || jql_results_to_json(r, &json, NULL))
        j->failures++;
    else if (strcmp(json, j->want) != 0)
        j->mismatches++;
    jql_free(json);
    jql_results_free(r);
}

static void query_shared(job *j)
{
    jql_milli v;
    size_t u;
    if (jql_indicator_value(j->ds, "long-an", "civil-status", "2014-Q1", JQL_ROLLUP, &v) != JQL_OK)
        j->failures++;
    if (jql_unit_find(j->ds, "long-an", &u) != JQL_OK)
        j->failures++;
    size_t n = jql_unit_count(j->ds);
    for (size_t i = 0; i < n; i++)
        if (jql_unit_find(j->ds, jql_unit_id(j->ds, i), &u) != JQL_OK || u != i)
            j->failures++;
    char *json = NULL;
    if (jql_dataset_to_json(j->ds, &json, NULL) != JQL_OK)
        j->failures++;
    else if (strcmp(json, j->ds_saved) != 0)
        j->mismatches++;
    jql_free(json);
}

static void load_own(job *j)
{
    jql_dataset *ds = NULL;
    jql_criteria *c = NULL, *c2 = NULL;
    jql_diagnostics *diag = NULL;
    if (jql_dataset_load_buffer(j->ds_text, j->ds_len, "shared.json", &ds, &diag) != JQL_OK)
        j->failures++;
    jql_diagnostics_free(diag);
    diag = NULL;
    if (jql_criteria_load_buffer(j->crit_text, j->crit_len, "criteria.json", &c, &diag) != JQL_OK)
        j->failures++;
    jql_diagnostics_free(diag);
    diag = NULL;
    if (jql_criteria_load_path(j->crit_path, &c2, &diag) != JQL_OK)
        j->failures++;
    jql_diagnostics_free(diag);
    diag = NULL;
    /* an invalid criteria set: its errors are found on this thread */
    static const char bad[] = "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": 7}";
    jql_criteria *none = NULL;
    if (jql_criteria_load_buffer(bad, sizeof bad - 1, "bad.json", &none, &diag) != JQL_EINVALID ||
        jql_diagnostics_error_count(diag) == 0)
        j->failures++;
    jql_diagnostics_free(diag);
    if (ds && c) { /* its own dataset scored with the shared criteria set */
        jql_results *r = NULL;
        char *json = NULL;
        if (jql_score(ds, j->crit, NULL, &r) != JQL_OK || jql_results_to_json(r, &json, NULL))
            j->failures++;
        else if (strcmp(json, j->want) != 0)
            j->mismatches++;
        jql_free(json);
        jql_results_free(r);
    }
    jql_criteria_free(c2);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}

/* The host application's own use of cJSON, on one thread only. */
static void application_parse(job *j)
{
    static const char broken[] = "{\"a\": [1, 2,, 3]}";
    for (int k = 0; k < 50; k++) {
        cJSON *ok = cJSON_Parse("{\"fine\": true}");
        cJSON_Delete(ok);
        cJSON *no = cJSON_Parse(broken);
        const char *where = cJSON_GetErrorPtr();
        if (no || !where || where < broken || where >= broken + sizeof broken)
            j->lost_errors++;
        cJSON_Delete(no);
    }
}

static void *worker(void *arg)
{
    job *j = arg;
    application_thread = j->id == 0;
    library_parses = 0;
    for (int i = 0; i < ROUNDS; i++) {
        if (j->id == 0) {
            application_parse(j);
            continue;
        }
        switch ((j->id + i) % 3) {
        case 0: score_shared(j); break;
        case 1: query_shared(j); break;
        default: load_own(j); break;
        }
    }
    j->parses = library_parses;
    return NULL;
}

START_TEST(eight_threads_score_query_and_load)
{
    real_parse_with_length_opts =
        (parse_opts_fn)dlsym(RTLD_NEXT, "cJSON_ParseWithLengthOpts");
    real_parse = (parse_fn)dlsym(RTLD_NEXT, "cJSON_Parse");
    ck_assert_ptr_nonnull(real_parse_with_length_opts);
    ck_assert_ptr_nonnull(real_parse);

    size_t ds_len, crit_len;
    char *ds_text = test_read_file(example_data("long-an-2014/dataset.json"), &ds_len);
    const char *crit_path = example_data("long-an-2014/criteria-2014.json");
    char crit_path_copy[4096];
    snprintf(crit_path_copy, sizeof crit_path_copy, "%s", crit_path);
    char *crit_text = test_read_file(crit_path_copy, &crit_len);
    jql_dataset *ds = NULL;
    jql_criteria *crit = NULL;
    jql_diagnostics *diag = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(ds_text, ds_len, "dataset.json", &ds, &diag), JQL_OK);
    jql_diagnostics_free(diag);
    diag = NULL;
    ck_assert_int_eq(jql_criteria_load_buffer(crit_text, crit_len, "criteria.json", &crit, &diag),
                     JQL_OK);
    jql_diagnostics_free(diag);
    ck_assert_int_eq(
        jql_criteria_custom_register(crit, "mediation_success_rate", half_points, NULL, NULL),
        JQL_OK);
    jql_results *r = NULL;
    char *want = NULL, *saved = NULL;
    ck_assert_int_eq(jql_score(ds, crit, NULL, &r), JQL_OK);
    ck_assert_int_eq(jql_results_to_json(r, &want, NULL), JQL_OK);
    jql_results_free(r);
    ck_assert_int_eq(jql_dataset_to_json(ds, &saved, NULL), JQL_OK);

    pthread_t tid[THREADS];
    job jobs[THREADS];
    for (int t = 0; t < THREADS; t++) {
        jobs[t] = (job){.id = t, .ds = ds, .crit = crit, .want = want, .ds_text = ds_text,
                        .ds_len = ds_len, .crit_text = crit_text, .crit_len = crit_len,
                        .crit_path = crit_path_copy, .ds_saved = saved};
        ck_assert_int_eq(pthread_create(&tid[t], NULL, worker, &jobs[t]), 0);
    }
    for (int t = 0; t < THREADS; t++)
        pthread_join(tid[t], NULL);
    for (int t = 0; t < THREADS; t++) {
        ck_assert_msg(jobs[t].failures == 0, "thread %d: %d failures", t, jobs[t].failures);
        ck_assert_msg(jobs[t].mismatches == 0, "thread %d: %d mismatches", t, jobs[t].mismatches);
        ck_assert_msg(jobs[t].parses == 0, "thread %d: the library called cJSON's parser %d times",
                      t, jobs[t].parses);
        ck_assert_msg(jobs[t].lost_errors == 0, "thread %d: lost its cJSON error %d times", t,
                      jobs[t].lost_errors);
    }
    jql_free(saved);
    jql_free(want);
    jql_criteria_free(crit);
    jql_dataset_free(ds);
    free(crit_text);
    free(ds_text);
}
END_TEST

/* Rule texts of a computed leaf are formatted on first read: eight threads
   reading the same results at once, after the dataset and criteria set are
   freed, all get the text a separate single-threaded read gives, and the
   same pointer for the same rule (one copy kept). */
typedef struct {
    const jql_results *r;
    const char **got; /* per (unit, node or item), written by this thread */
} rule_job;

static void *read_rules(void *arg)
{
    rule_job *j = arg;
    size_t nu = jql_results_unit_count(j->r), nn = jql_results_node_count(j->r),
           ni = jql_results_item_count(j->r);
    for (size_t k = 0; k < nu; k++) {
        for (size_t n = 0; n < nn; n++)
            j->got[k * (nn + ni) + n] = jql_results_node_rule(j->r, k, n);
        for (size_t i = 0; i < ni; i++)
            j->got[k * (nn + ni) + nn + i] = jql_results_item_rule(j->r, k, i);
    }
    return NULL;
}

START_TEST(lazy_rules_read_by_eight_threads)
{
    jql_dataset *ds = test_load_dataset(example_data("long-an-2014/dataset.json"));
    jql_criteria *crit = NULL;
    ck_assert_int_eq(
        jql_criteria_load_path(example_data("long-an-2014/criteria-2014.json"), &crit, NULL),
        JQL_OK);
    ck_assert_int_eq(
        jql_criteria_custom_register(crit, "mediation_success_rate", half_points, NULL, NULL),
        JQL_OK);
    jql_results *shared = NULL, *alone = NULL;
    ck_assert_int_eq(jql_score(ds, crit, NULL, &shared), JQL_OK);
    ck_assert_int_eq(jql_score(ds, crit, NULL, &alone), JQL_OK);
    jql_criteria_free(crit);
    jql_dataset_free(ds);
    size_t nu = jql_results_unit_count(shared), nn = jql_results_node_count(shared),
           ni = jql_results_item_count(shared), total = nu * (nn + ni);
    ck_assert_uint_gt(total, 0);
    rule_job jobs[THREADS + 1];
    pthread_t tid[THREADS];
    for (int t = 0; t <= THREADS; t++) {
        jobs[t].r = t < THREADS ? shared : alone;
        jobs[t].got = calloc(total, sizeof *jobs[t].got);
        ck_assert_ptr_nonnull(jobs[t].got);
    }
    read_rules(&jobs[THREADS]); /* the expected texts, from the other results */
    for (int t = 0; t < THREADS; t++)
        ck_assert_int_eq(pthread_create(&tid[t], NULL, read_rules, &jobs[t]), 0);
    for (int t = 0; t < THREADS; t++)
        pthread_join(tid[t], NULL);
    size_t linear = 0;
    for (size_t e = 0; e < total; e++) {
        const char *want = jobs[THREADS].got[e];
        linear += want && strncmp(want, "linear: ", 8) == 0;
        for (int t = 0; t < THREADS; t++) {
            ck_assert_ptr_nonnull(jobs[t].got[e]);
            ck_assert_str_eq(jobs[t].got[e], want);
            ck_assert_ptr_eq(jobs[t].got[e], jobs[0].got[e]);
        }
    }
    ck_assert_uint_gt(linear, 0); /* the fixture has value-dependent rules */
    for (int t = 0; t <= THREADS; t++)
        free(jobs[t].got);
    jql_results_free(shared);
    jql_results_free(alone);
}
END_TEST

/* Attributes set out of order through the API wait until the map is
   first read by position (keymap.c): eight threads reading a unit's
   attributes at once, by position and by key, while those keys still
   wait, all merge them once and read the key order a single thread
   reads (run under ThreadSanitizer by tests/run.sh). */
typedef struct {
    const jql_dataset *ds;
    size_t n;
    bool by_key_first; /* half the threads look keys up before reading by position */
    bool ok;
} attr_job;

static void *read_attrs(void *arg)
{
    attr_job *j = arg;
    char key[32], want[32];
    j->ok = jql_unit_attr_count(j->ds, 0) == j->n;
    for (int pass = 0; pass < 2 && j->ok; pass++) {
        bool by_key = (pass == 0) == j->by_key_first;
        for (size_t k = 0; k < j->n && j->ok; k++) {
            snprintf(key, sizeof key, "k%06zu", k);
            snprintf(want, sizeof want, "v%zu", k);
            const char *got = by_key ? jql_unit_attr_lookup(j->ds, 0, key)
                                     : jql_unit_attr_value(j->ds, 0, k);
            j->ok = got && strcmp(got, want) == 0 &&
                    (by_key || strcmp(jql_unit_attr_key(j->ds, 0, k), key) == 0);
        }
    }
    return NULL;
}

START_TEST(attributes_set_out_of_order_read_by_eight_threads)
{
    enum { N = 3000 };
    jql_dataset *ds = jql_dataset_new();
    ck_assert_ptr_nonnull(ds);
    ck_assert_int_eq(jql_unit_add(ds, "u", "Xã Một", "commune", NULL, NULL), JQL_OK);
    char key[32], value[32];
    for (size_t k = N; k-- > 0;) { /* descending: every key waits */
        snprintf(key, sizeof key, "k%06zu", k);
        snprintf(value, sizeof value, "v%zu", k);
        ck_assert_int_eq(jql_unit_set_attr(ds, 0, key, value), JQL_OK);
    }
    attr_job jobs[THREADS];
    pthread_t tid[THREADS];
    for (int t = 0; t < THREADS; t++) {
        jobs[t] = (attr_job){ds, N, t % 2 == 0, false};
        ck_assert_int_eq(pthread_create(&tid[t], NULL, read_attrs, &jobs[t]), 0);
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(tid[t], NULL);
        ck_assert_msg(jobs[t].ok, "thread %d read another order or value", t);
    }
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("concurrency");
    TCase *tc = tcase_create("concurrency");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, eight_threads_score_query_and_load);
    tcase_add_test(tc, lazy_rules_read_by_eight_threads);
    tcase_add_test(tc, attributes_set_out_of_order_read_by_eight_threads);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
