/*
 * jql_sensitivity_run()'s limits (issue 10): its results grow with
 * sections^2 and runs x units, its work with units x sections x runs and,
 * in the margins' searches, units x sections^2. Past the limits it returns
 * JQL_ELIMIT with a message saying which, at once when the size is known
 * up front, rather than take minutes or gigabytes (docs/ANALYSIS.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "justice_quarterly/analysis.h"
#include "testutil.h"

#define OK(x) ck_assert_int_eq((x), JQL_OK)

/* nu district units under a province, scored with ns manual sections of
   equal maxima (a unit's appraisal on one of them) */
static void setup(size_t nu, size_t ns, jql_dataset **ds_out, jql_criteria **c_out,
                  jql_results **r_out)
{
    jql_dataset *ds = jql_dataset_new();
    char id[32], crit[32];
    OK(jql_unit_add(ds, "D", "D", "province", NULL, NULL));
    for (size_t k = 0; k < nu; k++) {
        snprintf(id, sizeof id, "u%zu", k);
        OK(jql_unit_add(ds, id, id, "district", "D", NULL));
        snprintf(crit, sizeof crit, "m%zu", k % ns);
        OK(jql_assessment_add(ds, id, "2014", crit, JQL_NO_SCORE, (jql_milli)(k % 3), NULL));
    }
    size_t cap = 200 + ns * 100, len = 0;
    char *t = malloc(cap);
    len += (size_t)snprintf(t + len, cap - len,
                            "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"c\", "
                            "\"period\": \"2014\", \"units\": {\"levels\": [\"district\"]}, "
                            "\"tiers\": [{\"id\": \"t\", \"name\": \"t\", \"min\": 0}], "
                            "\"criteria\": [");
    for (size_t j = 0; j < ns; j++)
        len += (size_t)snprintf(t + len, cap - len,
                                "%s{\"id\": \"m%zu\", \"title\": \"m\", \"max\": 1, "
                                "\"method\": {\"type\": \"manual\"}}",
                                j ? ", " : "", j);
    len += (size_t)snprintf(t + len, cap - len, "]}");
    jql_criteria *c = NULL;
    OK(jql_criteria_load_buffer(t, len, "<crit>", &c, NULL));
    free(t);
    jql_results *r = NULL;
    OK(jql_score(ds, c, NULL, &r));
    *ds_out = ds;
    *c_out = c;
    *r_out = r;
}

static int sens(const jql_results *r, const jql_criteria *c, unsigned flags, unsigned runs)
{
    jql_sensitivity_options o = JQL_SENSITIVITY_OPTIONS_INIT;
    o.flags = flags;
    o.runs = runs;
    jql_sensitivity *s = NULL;
    int rc = jql_sensitivity_run(r, c, &o, &s);
    ck_assert(rc == JQL_OK ? s != NULL : s == NULL);
    jql_sensitivity_free(s);
    return rc;
}

/* 4,000 sections: 2 x 4,000^2 one-at-a-time weights alone pass the
   25,000,000 results (and their 8 x 32M-number output). */
START_TEST(too_many_results)
{
    jql_dataset *ds;
    jql_criteria *c;
    jql_results *r;
    setup(10, 4000, &ds, &c, &r);
    ck_assert_int_eq(sens(r, c, JQL_SENS_ALL, 1000), JQL_ELIMIT);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "4000 sections and 10 units over 1000 runs"));
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "more than 25000000 results"));
    /* Monte Carlo alone holds runs x (sections + units): 1,000,000 x 4,010 */
    ck_assert_int_eq(sens(r, c, JQL_SENS_MONTE_CARLO, 1000000), JQL_ELIMIT);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* 2,000 units, 100 sections, 5,000 runs: 11.7M results fit, but the runs
   are 5,000 x 2,000 x (100 + 12) steps: refused before the first. */
START_TEST(too_much_work_up_front)
{
    jql_dataset *ds;
    jql_criteria *c;
    jql_results *r;
    setup(2000, 100, &ds, &c, &r);
    ck_assert_int_eq(sens(r, c, JQL_SENS_MONTE_CARLO, 5000), JQL_ELIMIT);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "more than 600000000 steps of work"));
    /* within the limit: 50 runs, then one-at-a-time (200 runs) */
    ck_assert_int_eq(sens(r, c, JQL_SENS_MONTE_CARLO, 50), JQL_OK);
    ck_assert_int_eq(sens(r, c, JQL_SENS_ONE_AT_A_TIME, 0), JQL_OK);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* 3,000 leaves under one section: each lists its 3,000 siblings and their
   weights in both cases, 2.7 x 10^7 results (4.2 s and 1 GB before): with
   JQL_SENS_LEAVES refused at once, without it run as usual. 100 sections
   of 100 leaves each (3 x 10^6 of them) still fit. */
static void setup_groups(size_t groups, size_t leaves, jql_dataset **ds_out,
                         jql_criteria **c_out, jql_results **r_out)
{
    jql_dataset *ds = jql_dataset_new();
    char id[32];
    OK(jql_unit_add(ds, "D", "D", "province", NULL, NULL));
    for (size_t k = 0; k < 10; k++) {
        snprintf(id, sizeof id, "u%zu", k);
        OK(jql_unit_add(ds, id, id, "district", "D", NULL));
        OK(jql_assessment_add(ds, id, "2014", "m0_0", JQL_NO_SCORE, (jql_milli)(k % 3), NULL));
    }
    size_t cap = 300 + groups * (100 + leaves * 100), len = 0;
    char *t = malloc(cap);
    len += (size_t)snprintf(t + len, cap - len,
                            "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"c\", "
                            "\"period\": \"2014\", \"units\": {\"levels\": [\"district\"]}, "
                            "\"tiers\": [{\"id\": \"t\", \"name\": \"t\", \"min\": 0}], "
                            "\"criteria\": [");
    for (size_t g = 0; g < groups; g++) {
        len += (size_t)snprintf(t + len, cap - len,
                                "%s{\"id\": \"s%zu\", \"title\": \"s\", \"max\": %zu, "
                                "\"children\": [",
                                g ? ", " : "", g, leaves);
        for (size_t k = 0; k < leaves; k++)
            len += (size_t)snprintf(t + len, cap - len,
                                    "%s{\"id\": \"m%zu_%zu\", \"title\": \"m\", \"max\": 1, "
                                    "\"method\": {\"type\": \"manual\"}}",
                                    k ? ", " : "", g, k);
        len += (size_t)snprintf(t + len, cap - len, "]}");
    }
    len += (size_t)snprintf(t + len, cap - len, "]}");
    jql_criteria *c = NULL;
    OK(jql_criteria_load_buffer(t, len, "<crit>", &c, NULL));
    free(t);
    jql_results *r = NULL;
    OK(jql_score(ds, c, NULL, &r));
    *ds_out = ds;
    *c_out = c;
    *r_out = r;
}

START_TEST(leaf_groups)
{
    jql_dataset *ds;
    jql_criteria *c;
    jql_results *r;
    setup_groups(1, 3000, &ds, &c, &r);
    ck_assert_int_eq(sens(r, c, JQL_SENS_ALL | JQL_SENS_LEAVES, 10), JQL_ELIMIT);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "more than 25000000 results"));
    ck_assert_int_eq(sens(r, c, JQL_SENS_ALL, 10), JQL_OK);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    setup_groups(100, 100, &ds, &c, &r);
    ck_assert_int_eq(sens(r, c, JQL_SENS_ONE_AT_A_TIME | JQL_SENS_LEAVES, 0), JQL_OK);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sens_limits");
    TCase *tc = tcase_create("sens_limits");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, too_many_results);
    tcase_add_test(tc, too_much_work_up_front);
    tcase_add_test(tc, leaf_groups);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
