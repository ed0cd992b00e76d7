/* A loaded dataset and criteria set are read from several threads at once:
   every thread scores and serialises, and all outputs are identical to a
   single-threaded run (run under valgrind and the sanitizers by run.sh). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define THREADS 4
#define ROUNDS 5

typedef struct {
    const jql_dataset *ds;
    const jql_criteria *crit;
    const char *want;
    int mismatches, failures;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    for (int i = 0; i < ROUNDS; i++) {
        jql_results *r = NULL;
        char *json = NULL;
        char value[32];
        if (jql_score(j->ds, j->crit, NULL, &r) != JQL_OK || jql_results_to_json(r, &json, NULL)) {
            j->failures++;
        } else if (strcmp(json, j->want) != 0) {
            j->mismatches++;
        }
        /* plain queries too, concurrently with the scoring of other threads */
        jql_milli v;
        if (jql_indicator_value(j->ds, "long-an", "civil-status", "2014-Q1", JQL_ROLLUP, &v) != JQL_OK)
            j->failures++;
        jql_milli_format(v, 3, value, sizeof value);
        jql_free(json);
        jql_results_free(r);
    }
    return NULL;
}

START_TEST(concurrent_scoring_is_identical)
{
    jql_dataset *ds = test_load_dataset(example_data("long-an-2014/dataset.json"));
    jql_criteria *crit = NULL;
    jql_diagnostics *diag = NULL;
    ck_assert_int_eq(jql_criteria_load_path(example_data("long-an-2014/criteria-2014.json"),
                                            &crit, &diag),
                     JQL_OK);
    jql_diagnostics_free(diag);
    jql_results *r = NULL;
    ck_assert_int_eq(jql_score(ds, crit, NULL, &r), JQL_OK);
    char *want = NULL;
    ck_assert_int_eq(jql_results_to_json(r, &want, NULL), JQL_OK);
    jql_results_free(r);

    pthread_t tid[THREADS];
    job jobs[THREADS];
    for (int t = 0; t < THREADS; t++) {
        jobs[t] = (job){ds, crit, want, 0, 0};
        ck_assert_int_eq(pthread_create(&tid[t], NULL, worker, &jobs[t]), 0);
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(tid[t], NULL);
        ck_assert_int_eq(jobs[t].failures, 0);
        ck_assert_int_eq(jobs[t].mismatches, 0);
    }
    jql_free(want);
    jql_criteria_free(crit);
    jql_dataset_free(ds);
}
END_TEST


static void *clear_error_thread(void *arg)
{
    (void)arg;
    jql_clear_error();
    return NULL;
}

START_TEST(error_messages_are_per_thread)
{
    /* a failure on one thread does not change another thread's message */
    jql_clear_error();
    jql_dataset *ds = jql_dataset_new();
    ck_assert_int_eq(jql_unit_add(ds, "", "x", "district", NULL, NULL), JQL_EINVALID);
    char mine[512];
    snprintf(mine, sizeof mine, "%s", jql_last_error());
    ck_assert_str_ne(mine, "");
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, clear_error_thread, NULL), 0);
    pthread_join(t, NULL);
    ck_assert_str_eq(jql_last_error(), mine);
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("threads");
    TCase *tc = tcase_create("threads");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, concurrent_scoring_is_identical);
    tcase_add_test(tc, error_messages_are_per_thread);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
