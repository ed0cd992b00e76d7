/*
 * Benchmark of the sensitivity analysis on the national-scale data of
 * bench_score.c (3,321 communes, 40 leaves): 1,000 Monte Carlo
 * perturbations of the section weights against 20 full scorings, plus the
 * one-at-a-time cases and the stability margins. Prints figures and the
 * ratio within one run; not a test.
 *
 *   ./build/bench/bench_sensitivity [runs]
 */
/* bench_score.c's generator, its main() renamed out of the way */
int bench_score_main(int argc, char **argv);
#define main bench_score_main
#include "bench_score.c"
#undef main

int main(int argc, char **argv)
{
    unsigned runs = argc > 1 ? (unsigned)atoi(argv[1]) : 1000;
    jql_dataset *ds = build_dataset();
    char *ctext = build_criteria();
    jql_criteria *crit = NULL;
    check(jql_criteria_load_buffer(ctext, strlen(ctext), "<bench criteria>", &crit, NULL),
          "criteria");

    /* 20 full scorings */
    jql_results *res = NULL;
    double t0 = now_ms();
    for (int i = 0; i < 20; i++) {
        jql_results_free(res);
        res = NULL;
        check(jql_score(ds, crit, NULL, &res), "score");
    }
    double t_score20 = now_ms() - t0;

    jql_sensitivity_options o = JQL_SENSITIVITY_OPTIONS_INIT;
    o.flags = JQL_SENS_MONTE_CARLO;
    o.runs = runs;
    o.seed = 2014;
    jql_sensitivity *s = NULL;
    t0 = now_ms();
    check(jql_sensitivity_run(res, crit, &o, &s), "monte carlo");
    double t_mc = now_ms() - t0;
    jql_sensitivity_free(s);

    o.flags = JQL_SENS_ONE_AT_A_TIME;
    t0 = now_ms();
    check(jql_sensitivity_run(res, crit, &o, &s), "one at a time");
    double t_oat = now_ms() - t0;
    jql_sensitivity_free(s);

    o.flags = JQL_SENS_LEAVES;
    t0 = now_ms();
    check(jql_sensitivity_run(res, crit, &o, &s), "leaves");
    double t_leaves = now_ms() - t0;
    jql_sensitivity_free(s);

    o.flags = JQL_SENS_MARGINS;
    t0 = now_ms();
    check(jql_sensitivity_run(res, crit, &o, &s), "margins");
    double t_mg = now_ms() - t0;
    char *json;
    size_t len;
    o.flags = JQL_SENS_ALL;
    jql_sensitivity_free(s);
    check(jql_sensitivity_run(res, crit, &o, &s), "all");
    t0 = now_ms();
    check(jql_sensitivity_to_json(s, &json, &len), "json");
    double t_json = now_ms() - t0;

    printf("units scored: %zu, criteria nodes: %zu\n", jql_results_unit_count(res),
           jql_criteria_node_count(crit));
    printf("20 full scorings:           %9.1f ms (%.1f ms each)\n", t_score20, t_score20 / 20);
    printf("%u Monte Carlo runs:      %9.1f ms (%.3f ms each)\n", runs, t_mc, t_mc / runs);
    printf("one at a time (2 x sections): %7.1f ms\n", t_oat);
    printf("leaves one at a time:       %9.1f ms\n", t_leaves);
    printf("stability margins:          %9.1f ms\n", t_mg);
    printf("sensitivity JSON (all):     %9.1f ms (%zu bytes)\n", t_json, len);
    printf("ratio: %u perturbations / 20 full scorings = %.2f\n", runs, t_mc / t_score20);
    jql_free(json);
    jql_sensitivity_free(s);
    jql_results_free(res);
    jql_criteria_free(crit);
    free(ctext);
    jql_dataset_free(ds);
    return 0;
}
