/*
 * explain: why did a unit get its points on a criterion? Everything comes
 * from the results' accessors (justice_quarterly/explain.h and score.h);
 * no JSON is parsed or written.
 *
 * Usage: explain DATASET CRITERIA UNIT [NODE]
 * Without NODE every node of the unit is explained, in criteria order.
 * Exit status 0, 1 for an unknown unit or node, 2 for a file that does not
 * load or a sheet that does not score.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <justice_quarterly.h>

#include "custom_functions.h"

/* Thousandths as "1.500" (the way the results document writes points). */
static void put_milli(jql_milli m)
{
    unsigned long long a = m < 0 ? 0ULL - (unsigned long long)m : (unsigned long long)m;
    printf("%s%llu.%03llu", m < 0 ? "-" : "", a / 1000, a % 1000);
}

static void put_opt(const char *label, jql_milli m)
{
    printf("  %s: ", label);
    if (m == JQL_NO_SCORE)
        fputs("none", stdout);
    else
        put_milli(m);
    putchar('\n');
}

static void put_record(const jql_results *r, size_t ev)
{
    jql_milli value;
    jql_date date;
    printf("    %s", jql_evidence_kind_name(jql_results_evidence_kind(r, ev)));
    for (int f = 0; f < JQL_EVIDENCE_FIELD_COUNT; f++) {
        const char *text = jql_results_evidence_text(r, ev, (jql_evidence_field)f);
        if (text)
            printf(" %s=%s", jql_evidence_field_name((jql_evidence_field)f), text);
    }
    if (jql_results_evidence_value(r, ev, &value)) {
        fputs(" value=", stdout);
        put_milli(value);
    }
    if (jql_results_evidence_date(r, ev, &date)) {
        char d[11];
        jql_date_format(date, d);
        printf(" date=%s", d);
    }
    putchar('\n');
}

static void explain(const jql_results *r, size_t k, size_t n)
{
    printf("Why did %s get ", jql_results_unit_id(r, k));
    put_milli(jql_results_node_points(r, k, n));
    fputs(" of ", stdout);
    put_milli(jql_results_node_max(r, k, n));
    printf(" on criterion %s?\n", jql_results_node_id(r, n));
    printf("  rule: %s\n", jql_results_node_rule(r, k, n));
    printf("  source: %s\n", jql_result_source_name(jql_results_node_source(r, k, n)));
    jql_milli value;
    fputs("  measured: ", stdout);
    if (jql_results_node_value(r, k, n, &value))
        put_milli(value);
    else if (jql_results_node_never_submitted(r, k, n))
        fputs("never submitted", stdout);
    else if (jql_results_node_no_data(r, k, n))
        fputs("no data", stdout);
    else
        fputs("none", stdout);
    putchar('\n');
    put_opt("self-assessed", jql_results_node_self(r, k, n));
    put_opt("appraised", jql_results_node_appraised(r, k, n));
    size_t count = jql_results_node_evidence_count(r, k, n);
    printf("  evidence: %zu\n", count);
    for (size_t e = 0; e < count; e++)
        put_record(r, jql_results_node_evidence(r, k, n, e));
}

static int score(const char *dpath, const char *cpath, jql_results **out)
{
    jql_dataset *ds = NULL;
    jql_criteria *c = NULL;
    int rc = jql_dataset_load_path(dpath, &ds, NULL);
    if (rc == JQL_OK)
        rc = jql_criteria_load_path(cpath, &c, NULL);
    if (rc == JQL_OK)
        rc = cli_register_custom_functions(c);
    if (rc == JQL_OK)
        rc = jql_score(ds, c, NULL, out);
    if (rc != JQL_OK)
        fprintf(stderr, "explain: %s\n", jql_last_error());
    jql_criteria_free(c);
    jql_dataset_free(ds);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc > 5) {
        fputs("usage: explain DATASET CRITERIA UNIT [NODE]\n", stderr);
        return 2;
    }
    jql_results *r = NULL;
    if (score(argv[1], argv[2], &r) != JQL_OK)
        return 2;
    size_t k = 0, nn = jql_results_node_count(r);
    int status = 0;
    if (jql_results_unit_find(r, argv[3], &k) != JQL_OK) {
        fprintf(stderr, "explain: no unit \"%s\" in the results\n", argv[3]);
        status = 1;
    } else {
        printf("%s (%s): final ", jql_results_unit_id(r, k), jql_results_unit_name(r, k));
        put_milli(jql_results_unit_value(r, k, JQL_RESULT_FIELD_FINAL));
        printf(", tier %s\n", jql_results_unit_tier_name(r, k));
        bool found = false;
        for (size_t n = 0; n < nn; n++)
            if (argc == 4 || strcmp(jql_results_node_id(r, n), argv[4]) == 0) {
                explain(r, k, n);
                found = true;
            }
        if (!found) {
            fprintf(stderr, "explain: no criterion \"%s\"\n", argv[4]);
            status = 1;
        }
    }
    jql_results_free(r);
    return status;
}
