/* Evidence read from the dataset the results hold (lib/score_evidence.c):
   the results outlive jql_dataset_free(), records appended after scoring
   change nothing they show, a statistic's value edited after scoring stays
   as scored, and record numbers name one record each. */
#include <pthread.h>

#include "score_helpers.h"

static jql_criteria *explain_criteria(void)
{
    jql_criteria *c = NULL;
    ck_assert_int_eq(
        jql_criteria_load_path(test_data("scoring/explain/criteria.json"), &c, NULL), JQL_OK);
    return c;
}

static char *to_json(const jql_results *r)
{
    char *s = NULL;
    size_t n = 0;
    ck_assert_int_eq(jql_results_to_json(r, &s, &n), JQL_OK);
    return s;
}

/* Every evidence record of every node, described through the accessors,
   one line each (what a binding reads; record numbers are handles of one
   results, so they are left out). */
static char *describe(const jql_results *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    for (size_t k = 0; k < jql_results_unit_count(r); k++)
        for (size_t n = 0; n < jql_results_node_count(r); n++)
            for (size_t e = 0; e < jql_results_node_evidence_count(r, k, n); e++) {
                size_t ev = jql_results_node_evidence(r, k, n, e);
                fprintf(f, "%zu %zu: %d %zu", k, n, (int)jql_results_evidence_kind(r, ev),
                        jql_results_evidence_index(r, ev));
                for (int fld = 0; fld < JQL_EVIDENCE_FIELD_COUNT; fld++) {
                    const char *t = jql_results_evidence_text(r, ev, (jql_evidence_field)fld);
                    fprintf(f, " %s", t ? t : "-");
                }
                jql_milli v;
                if (jql_results_evidence_value(r, ev, &v))
                    fprintf(f, " v=%lld", (long long)v);
                jql_date d;
                if (jql_results_evidence_date(r, ev, &d))
                    fprintf(f, " d=%ld", (long)d);
                fputc('\n', f);
            }
    fclose(f);
    return buf;
}

/* The first statistic any node cites: its unit, indicator and period. */
static bool first_stat(const jql_results *r, char *unit, char *ind, char *period, jql_milli *v)
{
    for (size_t k = 0; k < jql_results_unit_count(r); k++)
        for (size_t n = 0; n < jql_results_node_count(r); n++)
            for (size_t e = 0; e < jql_results_node_evidence_count(r, k, n); e++) {
                size_t ev = jql_results_node_evidence(r, k, n, e);
                if (jql_results_evidence_kind(r, ev) != JQL_EVIDENCE_STATISTIC)
                    continue;
                strcpy(unit, jql_results_evidence_text(r, ev, JQL_EVIDENCE_FIELD_UNIT));
                strcpy(ind, jql_results_evidence_text(r, ev, JQL_EVIDENCE_FIELD_INDICATOR));
                strcpy(period, jql_results_evidence_text(r, ev, JQL_EVIDENCE_FIELD_PERIOD));
                ck_assert(jql_results_evidence_value(r, ev, v));
                return true;
            }
    return false;
}

/* The value results r show for the statistic (unit, ind, period). */
static jql_milli shown_value(const jql_results *r, const char *unit, const char *ind,
                             const char *period)
{
    for (size_t k = 0; k < jql_results_unit_count(r); k++)
        for (size_t n = 0; n < jql_results_node_count(r); n++)
            for (size_t e = 0; e < jql_results_node_evidence_count(r, k, n); e++) {
                size_t ev = jql_results_node_evidence(r, k, n, e);
                jql_milli v;
                if (jql_results_evidence_kind(r, ev) == JQL_EVIDENCE_STATISTIC &&
                    strcmp(jql_results_evidence_text(r, ev, JQL_EVIDENCE_FIELD_UNIT), unit) == 0 &&
                    strcmp(jql_results_evidence_text(r, ev, JQL_EVIDENCE_FIELD_INDICATOR), ind) == 0 &&
                    strcmp(jql_results_evidence_text(r, ev, JQL_EVIDENCE_FIELD_PERIOD), period) == 0 &&
                    jql_results_evidence_value(r, ev, &v))
                    return v;
            }
    ck_abort_msg("statistic %s/%s/%s not cited", unit, ind, period);
    return -1;
}

START_TEST(results_outlive_the_dataset)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/explain/dataset.json"));
    jql_criteria *c = explain_criteria();
    jql_results *r = score_ok(ds, c, NULL);
    char *json = to_json(r), *text = describe(r);
    ck_assert_ptr_nonnull(strstr(json, "\"evidence\": [{"));
    jql_dataset_free(ds);
    jql_criteria_free(c);
    char *json2 = to_json(r), *text2 = describe(r);
    ck_assert(strcmp(json2, json) == 0);
    ck_assert(strcmp(text2, text) == 0);
    jql_results_free(r);
    free(json), free(json2), free(text), free(text2);
}
END_TEST

START_TEST(appended_records_change_nothing_shown)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/explain/dataset.json"));
    jql_criteria *c = explain_criteria();
    jql_results *r = score_ok(ds, c, NULL);
    char *json = to_json(r), *text = describe(r);
    /* enough records to move the arrays evidence reads; outside the scored
       year, so results scored again cite the same records */
    char id[32];
    jql_date due;
    ck_assert_int_eq(jql_date_parse("2016-05-01", &due), JQL_OK);
    for (int i = 0; i < 5000; i++) {
        size_t t;
        snprintf(id, sizeof id, "extra-%d", i);
        ck_assert_int_eq(jql_task_add(ds, id, "extra", due, &t), JQL_OK);
        ck_assert_int_eq(jql_task_add_owner(ds, t, "U1"), JQL_OK);
        snprintf(id, sizeof id, "%d", 3000 + i);
        ck_assert_int_eq(jql_stat_set_value(ds, "C1", "success", id, 1000), JQL_OK);
    }
    char *json2 = to_json(r), *text2 = describe(r);
    ck_assert(strcmp(json2, json) == 0);
    ck_assert(strcmp(text2, text) == 0);
    /* results scored now cite the same records */
    jql_results *r2 = score_ok(ds, c, NULL);
    char *text3 = describe(r2);
    ck_assert(strcmp(text3, text) == 0);
    jql_results_free(r2);
    jql_results_free(r);
    jql_dataset_free(ds);
    jql_criteria_free(c);
    free(json), free(json2), free(text), free(text2), free(text3);
}
END_TEST

START_TEST(edited_value_stays_as_scored)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/explain/dataset.json"));
    jql_criteria *c = explain_criteria();
    jql_results *r1 = score_ok(ds, c, NULL);
    char unit[64], ind[64], period[64];
    jql_milli v1;
    ck_assert(first_stat(r1, unit, ind, period, &v1));
    char *json1 = to_json(r1);

    jql_milli v2 = v1 + 7000, v3 = v1 + 11000;
    ck_assert_int_eq(jql_stat_set_value(ds, unit, ind, period, v2), JQL_OK);
    jql_results *r2 = score_ok(ds, c, NULL);
    ck_assert_int_eq(jql_stat_set_value(ds, unit, ind, period, v3), JQL_OK);
    /* setting the same value again is no change */
    ck_assert_int_eq(jql_stat_set_value(ds, unit, ind, period, v3), JQL_OK);
    jql_results *r3 = score_ok(ds, c, NULL);
    ck_assert_int_eq(jql_stat_set_value(ds, unit, ind, period, v1), JQL_OK);

    ck_assert_int_eq(shown_value(r1, unit, ind, period), v1);
    ck_assert_int_eq(shown_value(r2, unit, ind, period), v2);
    ck_assert_int_eq(shown_value(r3, unit, ind, period), v3);
    char *again = to_json(r1);
    ck_assert(strcmp(again, json1) == 0);
    /* the dataset itself has the newest value */
    jql_results *r4 = score_ok(ds, c, NULL);
    ck_assert_int_eq(shown_value(r4, unit, ind, period), v1);
    char *json4 = to_json(r4);
    ck_assert(strcmp(json4, json1) == 0);
    jql_dataset_free(ds);
    ck_assert_int_eq(shown_value(r2, unit, ind, period), v2);
    ck_assert_int_eq(shown_value(r3, unit, ind, period), v3);
    jql_results_free(r1);
    jql_results_free(r2);
    jql_results_free(r3);
    jql_results_free(r4);
    jql_criteria_free(c);
    free(json1), free(again), free(json4);
}
END_TEST

START_TEST(record_numbers_name_one_record)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/explain/dataset.json"));
    jql_criteria *c = explain_criteria();
    jql_results *r = score_ok(ds, c, NULL);
    size_t seen = 0;
    for (size_t k = 0; k < jql_results_unit_count(r); k++)
        for (size_t n = 0; n < jql_results_node_count(r); n++)
            for (size_t e = 0; e < jql_results_node_evidence_count(r, k, n); e++) {
                size_t a = jql_results_node_evidence(r, k, n, e);
                /* same (kind, index) <=> same number, across every citation */
                for (size_t k2 = 0; k2 < jql_results_unit_count(r); k2++)
                    for (size_t n2 = 0; n2 < jql_results_node_count(r); n2++)
                        for (size_t e2 = 0; e2 < jql_results_node_evidence_count(r, k2, n2); e2++) {
                            size_t b = jql_results_node_evidence(r, k2, n2, e2);
                            bool same = jql_results_evidence_kind(r, a) ==
                                            jql_results_evidence_kind(r, b) &&
                                        jql_results_evidence_index(r, a) ==
                                            jql_results_evidence_index(r, b);
                            ck_assert_int_eq(same, a == b);
                        }
                seen++;
            }
    ck_assert_uint_gt(seen, 5);
    /* out of range: neutral values, never a crash */
    ck_assert_int_eq(jql_results_evidence_kind(r, (size_t)-2), JQL_EVIDENCE_KIND_COUNT);
    ck_assert_uint_eq(jql_results_evidence_index(r, (size_t)-2), JQL_NONE);
    ck_assert_ptr_null(jql_results_evidence_text(r, (size_t)-2, JQL_EVIDENCE_FIELD_UNIT));
    ck_assert_int_eq(jql_results_evidence_kind(NULL, 0), JQL_EVIDENCE_KIND_COUNT);
    const jql_evidence_field *f = (const jql_evidence_field *)1;
    ck_assert_uint_eq(jql_evidence_kind_fields(JQL_EVIDENCE_KIND_COUNT, &f), 0);
    ck_assert_ptr_null(f);
    ck_assert_uint_eq(jql_evidence_kind_fields(JQL_EVIDENCE_STATISTIC, NULL), 4);
    jql_results_free(r);
    jql_dataset_free(ds);
    jql_criteria_free(c);
}
END_TEST

/* Threads read the results while the owner frees the dataset: the last
   holder frees it, whichever thread that is. */
typedef struct {
    const jql_results *r;
    const char *want;
    int mismatches;
} reader_arg;

static void *reader(void *p)
{
    reader_arg *a = p;
    for (int i = 0; i < 20; i++) {
        char *s = NULL;
        size_t n;
        if (jql_results_to_json(a->r, &s, &n) != JQL_OK || strcmp(s, a->want) != 0)
            a->mismatches++;
        jql_free(s);
    }
    return NULL;
}

START_TEST(free_while_threads_read)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/explain/dataset.json"));
    jql_criteria *c = explain_criteria();
    jql_results *r = score_ok(ds, c, NULL);
    char *want = to_json(r);
    pthread_t th[4];
    reader_arg args[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (reader_arg){r, want, 0};
        ck_assert_int_eq(pthread_create(&th[i], NULL, reader, &args[i]), 0);
    }
    jql_dataset_free(ds);
    jql_criteria_free(c);
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(args[i].mismatches, 0);
    }
    jql_results_free(r);
    free(want);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("evidence_hold");
    TCase *tc = tcase_create("hold");
    tcase_add_test(tc, results_outlive_the_dataset);
    tcase_add_test(tc, appended_records_change_nothing_shown);
    tcase_add_test(tc, edited_value_stays_as_scored);
    tcase_add_test(tc, record_numbers_name_one_record);
    tcase_add_test(tc, free_while_threads_read);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
