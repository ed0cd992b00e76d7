/* libFuzzer harness: jql_criteria_load_buffer() on arbitrary bytes.
   Accepted sets are checked against a small fixed dataset (built here with
   the builder, with the ids the seed criteria use) and scored; results are
   serialised, read through every accessor and must be deterministic. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static jql_dataset *fixed;

static jql_date d(int y, int m, int day)
{
    jql_date out;
    FUZZ_ASSERT(jql_date_from_ymd(y, m, day, &out) == JQL_OK);
    return out;
}

#define OK(call) FUZZ_ASSERT((call) == JQL_OK)

static jql_dataset *build_fixed(void)
{
    jql_dataset *ds = jql_dataset_new();
    FUZZ_ASSERT(ds);
    static const char *const districts[] = {"U1", "U2", "U3", "U4", "tan-an", "ben-luc"};
    static const char *const clusters[] = {"c1", "c1", "c1", "cum-1", "cum-2", "cum-2"};
    OK(jql_unit_add(ds, "P", "Province", "province", NULL, NULL));
    for (size_t i = 0; i < 6; i++) {
        size_t u;
        OK(jql_unit_add(ds, districts[i], districts[i], "district", "P", &u));
        OK(jql_unit_set_cluster(ds, u, clusters[i]));
    }
    OK(jql_unit_set_attr(ds, 5, "kind", "thành phố"));
    OK(jql_unit_add(ds, "X1", "Commune", "commune", "U1", NULL));
    OK(jql_unit_add(ds, "X2", "Commune", "commune", "tan-an", NULL));
    static const char *const inds[] = {"signed", "sent", "errors-found", "civil-status",
                                       "cases", "x", "a", "success", "legal-aid",
                                       "mediation-cases", "mediators"};
    for (size_t i = 0; i < sizeof inds / sizeof *inds; i++)
        OK(jql_indicator_add(ds, inds[i], inds[i], "cases", (jql_aggregation)(i % 5), NULL));
    static const char *const periods[] = {"2013", "2014-Q1", "2014-Q2", "2014-H2", "2013-Q1"};
    for (size_t u = 0; u < 8; u++) {
        const char *uid = u < 6 ? districts[u] : u == 6 ? "X1" : "X2";
        for (size_t i = 0; i < sizeof inds / sizeof *inds; i++)
            for (size_t p = 0; p < 5; p++)
                if ((u + i + p) % 3 != 0)
                    OK(jql_stat_set_value(ds, uid, inds[i], periods[p],
                                    (jql_milli)((u * 37 + i * 11 + p * 5) % 23) * 500));
        OK(jql_report_add(ds, uid, "2014-Q1", "statistics", d(2014, 4, 10),
                          u % 4 == 3 ? JQL_NO_DATE : d(2014, 4, 8 + (int)u * 2), u % 3 != 0,
                          NULL));
        OK(jql_report_add(ds, uid, "2014-Q2", "quarterly-work", d(2014, 7, 10),
                          d(2014, 7, 10 + (int)u), true, NULL));
        size_t t;
        char id[32];
        snprintf(id, sizeof id, "t%zu", u);
        OK(jql_task_add(ds, id, "Task", d(2014, 3 + (int)u, 28), &t));
        OK(jql_task_add_owner(ds, t, uid));
        OK(jql_task_set_field(ds, t, u % 2 ? "reporting" : "legal-dissemination"));
        if (u % 3 == 1)
            OK(jql_task_set_status(ds, t, JQL_TASK_DONE, d(2014, 3 + (int)u, 20 + (int)u)));
        size_t e;
        OK(jql_event_add(ds, uid, d(2014, 5, 1 + (int)u), u % 2 ? "initiative" : "complaint",
                         "event", &e));
        OK(jql_event_set_points(ds, e, (jql_milli)u * 250));
        if (u == 2)
            OK(jql_event_add(ds, uid, d(2014, 6, 1), "discipline", "warning", NULL));
        OK(jql_assessment_add(ds, uid, "2014", "manual", (jql_milli)u * 100, (jql_milli)u * 90,
                              NULL));
        OK(jql_assessment_add(ds, uid, "2014-H1", "b-manual", (jql_milli)u * 60, JQL_NO_SCORE,
                              NULL));
    }
    size_t dir;
    OK(jql_directive_add(ds, "d1", d(2014, 1, 5), "P", "Directive", &dir));
    OK(jql_directive_set_due(ds, dir, d(2014, 5, 30)));
    OK(jql_directive_add_level(ds, dir, "district"));
    OK(jql_directive_add(ds, "d2", d(2014, 1, 5), "P", "Directive", &dir));
    OK(jql_directive_set_due(ds, dir, d(2014, 2, 28)));
    OK(jql_directive_add_unit(ds, dir, "U2"));
    OK(jql_directive_set_status(ds, dir, JQL_DIRECTIVE_DONE, d(2014, 2, 27)));
    size_t sc;
    OK(jql_shortcoming_add(ds, "s1", "2013", "Late reports", &sc));
    OK(jql_shortcoming_add_unit(ds, sc, "U3"));
    OK(jql_dataset_check(ds, NULL));
    return ds;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fixed)
        fixed = build_fixed();
    jql_criteria *c = NULL;
    jql_diagnostics *diag = NULL;
    int rc = jql_criteria_load_buffer((const char *)data, size, "<fuzz>", &c, &diag);
    fuzz_check_diag(diag);
    if (rc != JQL_OK) {
        fuzz_check_refusal(rc, c, diag);
        jql_diagnostics_free(diag);
        return 0;
    }
    FUZZ_ASSERT(c != NULL);
    jql_diagnostics_free(diag);
    fuzz_walk_criteria(c);
    jql_diagnostics *check = NULL;
    rc = jql_criteria_check(c, fixed, &check);
    FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID);
    fuzz_check_diag(check);
    if (rc == JQL_EINVALID)
        FUZZ_ASSERT(jql_diagnostics_error_count(check) > 0);
    jql_diagnostics_free(check);
    /* unregistered custom functions first, then registered ones */
    fuzz_score_and_dump(fixed, c, NULL);
    fuzz_register_customs(c);
    fuzz_score_and_dump(fixed, c, NULL);
    fuzz_score_and_dump(fixed, c, "2014-Q1");
    jql_criteria_free(c);
    return 0;
}
