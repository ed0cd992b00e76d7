/*
 * jql_sensitivity_run()'s limits (issue 10): its results grow with
 * sections^2 and runs x units, its work with units x sections x runs and,
 * in the margins' searches, units x sections^2. Past the limits it returns
 * JQL_ELIMIT with a message saying which, at once when the size is known
 * up front, rather than take minutes or gigabytes (docs/ANALYSIS.md).
 */
#include <stdbool.h>
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

/* nu units scored on one manual section with nt tiers (minima falling by
   0.01 from 90, the last 0) and, with quotas, one on each tier but the
   last two, of its tier and the next (half of them, at least one). */
/* nu units on nt tiers; with quotas, one on each tier but the last two,
   each counting `of` tiers from its own on (2: itself and the next; more:
   every tier but the last when of >= nt - 1). */
static void setup_tiers(size_t nu, size_t nt, size_t of, jql_dataset **ds_out,
                        jql_criteria **c_out, jql_results **r_out)
{
    jql_dataset *ds = jql_dataset_new();
    char id[32];
    OK(jql_unit_add(ds, "D", "D", "province", NULL, NULL));
    for (size_t k = 0; k < nu; k++) {
        snprintf(id, sizeof id, "u%zu", k);
        OK(jql_unit_add(ds, id, id, "district", "D", NULL));
        OK(jql_assessment_add(ds, id, "2014", "m", JQL_NO_SCORE, (jql_milli)(k % 1000), NULL));
    }
    size_t cap = 400 + nt * 150 + (of ? nt * of * 12 : 0), len = 0;
    char *t = malloc(cap);
    len += (size_t)snprintf(t + len, cap - len,
                            "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"c\", "
                            "\"period\": \"2014\", \"units\": {\"levels\": [\"district\"]}, "
                            "\"criteria\": [{\"id\": \"m\", \"title\": \"m\", \"max\": 1, "
                            "\"method\": {\"type\": \"manual\"}}], \"tiers\": [");
    for (size_t k = 0; k < nt; k++)
        len += (size_t)snprintf(t + len, cap - len,
                                "%s{\"id\": \"t%zu\", \"name\": \"t\", \"min\": %.2f}",
                                k ? ", " : "", k, k + 1 < nt ? 90.0 - (double)k * 0.01 : 0.0);
    len += (size_t)snprintf(t + len, cap - len, "]");
    if (of) {
        len += (size_t)snprintf(t + len, cap - len, ", \"quotas\": [");
        for (size_t k = 0; k + 2 < nt; k++) {
            len += (size_t)snprintf(t + len, cap - len,
                                    "%s{\"tier\": \"t%zu\", \"share\": 50, \"minimum\": 1, "
                                    "\"of\": [",
                                    k ? ", " : "", k);
            for (size_t j = 0; j < of; j++)
                len += (size_t)snprintf(t + len, cap - len, "%s\"t%zu\"", j ? ", " : "",
                                        (of == 2 ? k + j : j) % (nt - 1));
            len += (size_t)snprintf(t + len, cap - len, "]}");
        }
        len += (size_t)snprintf(t + len, cap - len, "]");
    }
    len += (size_t)snprintf(t + len, cap - len, "}");
    jql_criteria *c = NULL;
    jql_diagnostics *d = NULL;
    int rc = jql_criteria_load_buffer(t, len, "<crit>", &c, &d);
    ck_assert_msg(rc == JQL_OK, "%s", jql_diagnostics_count(d) ? jql_diagnostics_message(d, 0)
                                                                : jql_last_error());
    jql_diagnostics_free(d);
    free(t);
    jql_results *r = NULL;
    OK(jql_score(ds, c, NULL, &r));
    *ds_out = ds;
    *c_out = c;
    *r_out = r;
}

/* Monte Carlo counts each unit's runs in every tier, and the JSON lists
   them all: 3,000 units x 9,001 tiers are 27 x 10^6 (40,001 tiers on
   10,000 units made 5 GB of JSON from a 4.8 MB sheet): refused with runs,
   fine without (then nothing is counted or held). */
START_TEST(tiers_times_units)
{
    jql_dataset *ds;
    jql_criteria *c;
    jql_results *r;
    setup_tiers(3000, 9001, 0, &ds, &c, &r);
    ck_assert_int_eq(sens(r, c, JQL_SENS_MONTE_CARLO, 10), JQL_ELIMIT);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "3000 units x 9001 tiers, each unit's runs"));
    jql_sensitivity_options o = JQL_SENSITIVITY_OPTIONS_INIT;
    o.flags = JQL_SENS_ONE_AT_A_TIME;
    jql_sensitivity *s = NULL;
    OK(jql_sensitivity_run(r, c, &o, &s));
    ck_assert_uint_eq(jql_sensitivity_tier_count(s), 9001);
    ck_assert_uint_eq(jql_sensitivity_tier_runs(s, 2999, 9000), 0);
    jql_sensitivity_free(s);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* Each run ranks the units, quotas included. A quota's work no longer
   grows with the units (1,999 quotas of two tiers on 2,000 tiers and
   3,000 units, 2 x 10^9 steps over 1,000 runs once, now run), but each
   counts its `of` tiers: 998 quotas each naming 999 tiers, about 10^9
   steps over 1,000 runs, are refused at once naming the quotas; 20 runs
   fit. */
START_TEST(quotas_are_work)
{
    jql_dataset *ds;
    jql_criteria *c;
    jql_results *r;
    setup_tiers(3000, 2000, 2, &ds, &c, &r);
    ck_assert_int_eq(sens(r, c, JQL_SENS_MONTE_CARLO, 1000), JQL_OK);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    setup_tiers(1000, 1000, 999, &ds, &c, &r);
    ck_assert_int_eq(sens(r, c, JQL_SENS_MONTE_CARLO, 1000), JQL_ELIMIT);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "more than 600000000 steps of work"));
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "the quotas and their tiers x runs"));
    ck_assert_int_eq(sens(r, c, JQL_SENS_MONTE_CARLO, 20), JQL_OK);
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
    tcase_add_test(tc, tiers_times_units);
    tcase_add_test(tc, quotas_are_work);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
