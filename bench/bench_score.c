/*
 * Benchmark: a national-scale dataset (34 provinces, 3,321 communes, four
 * quarters of statistics, reports, tasks, events and assessments) and a
 * 40-leaf criteria set, generated in memory with the builder API; prints how
 * long building, saving, loading and scoring take. A program that prints
 * figures, not a test: run it and read them.
 *
 *   ./build/bench/bench_score [repetitions]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <justice_quarterly.h>

#define PROVINCES 34
#define COMMUNES 3321
#define INDICATORS 8
#define QUARTERS 4
#define TASKS_PER_QUARTER 3

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void check(int rc, const char *what)
{
    if (rc != JQL_OK) {
        fprintf(stderr, "%s: %s (%s)\n", what, jql_strerror(rc), jql_last_error());
        exit(1);
    }
}

/* Deterministic pseudo-random numbers (xorshift), so every run builds the same data. */
static unsigned long long rng = 88172645463325252ULL;
static unsigned next_rand(unsigned mod)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % mod);
}

static jql_date day(int y, int m, int d)
{
    jql_date out;
    check(jql_date_from_ymd(y, m, d, &out), "date");
    return out;
}

static jql_dataset *build_dataset(void)
{
    jql_dataset *ds = jql_dataset_new();
    char id[64], parent[64], period[16];
    check(jql_unit_add(ds, "vn", "Bộ Tư pháp", "country", NULL, NULL), "unit");
    for (int p = 0; p < PROVINCES; p++) {
        snprintf(id, sizeof id, "p%02d", p);
        check(jql_unit_add(ds, id, "Sở Tư pháp", "province", "vn", NULL), "unit");
    }
    for (int i = 0; i < INDICATORS; i++) {
        snprintf(id, sizeof id, "ind%d", i);
        check(jql_indicator_add(ds, id, "Chỉ tiêu", "việc", i == 7 ? JQL_AGG_LAST : JQL_AGG_SUM,
                                NULL),
              "indicator");
    }
    for (int c = 0; c < COMMUNES; c++) {
        snprintf(id, sizeof id, "c%04d", c);
        snprintf(parent, sizeof parent, "p%02d", c % PROVINCES);
        size_t u;
        check(jql_unit_add(ds, id, "Ủy ban nhân dân xã", "commune", parent, &u), "unit");
        snprintf(parent, sizeof parent, "cum-%d", c % 12);
        check(jql_unit_set_cluster(ds, u, parent), "cluster");
        for (int q = 1; q <= QUARTERS; q++) {
            snprintf(period, sizeof period, "2025-Q%d", q);
            for (int i = 0; i < INDICATORS; i++) {
                char ind[16];
                snprintf(ind, sizeof ind, "ind%d", i);
                check(jql_stat_set_value(ds, id, ind, period, (jql_milli)next_rand(500) * 1000), "stat");
                snprintf(period, sizeof period, "2024-Q%d", q);
                check(jql_stat_set_value(ds, id, ind, period, (jql_milli)next_rand(500) * 1000), "stat");
                snprintf(period, sizeof period, "2025-Q%d", q);
            }
            jql_date due = day(2025, q * 3, 15);
            unsigned late = next_rand(20);
            jql_date sub = late == 19 ? JQL_NO_DATE : due + (jql_date)(late > 12 ? late - 12 : 0);
            check(jql_report_add(ds, id, period, "statistics", due, sub, next_rand(10) != 0, NULL),
                  "report");
            for (int t = 0; t < TASKS_PER_QUARTER; t++) {
                char tid[96];
                size_t ti;
                snprintf(tid, sizeof tid, "%s-t%d-%d", id, q, t);
                check(jql_task_add(ds, tid, "Nhiệm vụ", day(2025, q * 3, 20), &ti), "task");
                check(jql_task_add_owner(ds, ti, id), "owner");
                if (next_rand(4))
                    check(jql_task_set_status(ds, ti, JQL_TASK_DONE, day(2025, q * 3, 10 + (int)next_rand(18))),
                          "status");
            }
        }
        if (next_rand(50) == 0)
            check(jql_event_add(ds, id, day(2025, 5, 1), "discipline", "Kỷ luật", NULL), "event");
        size_t ev;
        if (next_rand(5) == 0) {
            check(jql_event_add(ds, id, day(2025, 6, 1), "initiative", "Sáng kiến", &ev), "event");
            check(jql_event_set_points(ds, ev, 1000), "points");
        }
        for (int m = 0; m < 8; m++) {
            char crit[16];
            snprintf(crit, sizeof crit, "m%d", m);
            check(jql_assessment_add(ds, id, "2025", crit, 2000, (jql_milli)next_rand(2001), NULL),
                  "assessment");
        }
    }
    return ds;
}

/* 40 leaves in 5 sections of 8: bands on days late, linear on task share,
   per occurrence on overdue tasks, boolean on an indicator, manual. */
static char *build_criteria(void)
{
    size_t cap = 1 << 16, len = 0;
    char *s = malloc(cap);
#define OUT(...) len += (size_t)snprintf(s + len, cap - len, __VA_ARGS__)
    OUT("{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"bench\", \"period\": \"2025\","
        " \"scale\": 100, \"units\": {\"levels\": [\"commune\"]}, \"criteria\": [");
    int manual = 0;
    for (int sec = 0; sec < 5; sec++) {
        OUT("%s{\"id\": \"s%d\", \"title\": \"Mục %d\", \"max\": 20, \"children\": [", sec ? ", " : "",
            sec, sec);
        for (int l = 0; l < 8; l++) {
            int kind = (sec * 8 + l) % 5;
            if (kind == 4 && manual < 8) /* manual leaves are m0..m7 (the dataset's assessments) */
                OUT("%s{\"id\": \"m%d\", ", l ? ", " : "", manual++);
            else
                OUT("%s{\"id\": \"s%dl%d\", ", l ? ", " : "", sec, l);
            OUT("\"title\": \"Tiêu chí\", \"max\": 2.5, ");
            switch (kind) {
            case 0:
                OUT("\"measure\": {\"kind\": \"report_days_late_worst\"}, \"method\": {\"type\": \"bands\", "
                    "\"bands\": [{\"at_most\": 0, \"points\": 2.5}, {\"at_most\": 2, \"points\": 2}, "
                    "{\"at_most\": 5, \"points\": 1}, {\"points\": 0}]}}");
                break;
            case 1:
                OUT("\"measure\": {\"kind\": \"task_share_completed\"}, \"method\": {\"type\": \"linear\", "
                    "\"target\": 100}}");
                break;
            case 2:
                OUT("\"measure\": {\"kind\": \"task_overdue\"}, \"method\": {\"type\": \"per_occurrence\", "
                    "\"share\": 25}}");
                break;
            case 3:
                OUT("\"measure\": {\"kind\": \"indicator_change\", \"indicator\": \"ind%d\"}, "
                    "\"method\": {\"type\": \"boolean\", \"at_least\": 0}}",
                    l % INDICATORS);
                break;
            default:
                OUT("\"method\": {\"type\": \"manual\"}}");
            }
        }
        OUT("]}");
    }
    OUT("], \"bonus\": {\"cap\": 5, \"items\": [{\"id\": \"b1\", \"title\": \"Sáng kiến\", \"max\": 5, "
        "\"source\": \"events\", \"event_kind\": \"initiative\"}]},"
        " \"tiers\": [{\"id\": \"excellent\", \"name\": \"Xuất sắc\", \"min\": 90},"
        " {\"id\": \"good\", \"name\": \"Tốt\", \"min\": 70}, {\"id\": \"completed\", \"name\": \"Hoàn thành\", \"min\": 50},"
        " {\"id\": \"not-completed\", \"name\": \"Không hoàn thành\", \"min\": 0}],"
        " \"vetoes\": [{\"id\": \"discipline\", \"reason\": \"Kỷ luật\", \"cap\": \"not-completed\", \"event_kind\": \"discipline\"}],"
        " \"quotas\": [{\"tier\": \"excellent\", \"share\": 20, \"of\": [\"good\"], \"minimum\": 1}],"
        " \"tie_breakers\": [{\"by\": \"deductions\"}, {\"by\": \"node\", \"node\": \"s0\"}]}");
#undef OUT
    return s;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    if (reps < 1)
        reps = 1;
    double t0 = now_ms();
    jql_dataset *ds = build_dataset();
    double t_build = now_ms() - t0;

    char *json;
    size_t json_len;
    t0 = now_ms();
    check(jql_dataset_to_json(ds, &json, &json_len), "to_json");
    double t_save = now_ms() - t0;

    jql_dataset *loaded = NULL;
    jql_diagnostics *diag = NULL;
    t0 = now_ms();
    check(jql_dataset_load_buffer(json, json_len, "<bench>", &loaded, &diag), "load");
    double t_load = now_ms() - t0;
    jql_diagnostics_free(diag);

    char *ctext = build_criteria();
    jql_criteria *crit = NULL;
    int rc = jql_criteria_load_buffer(ctext, strlen(ctext), "<bench criteria>", &crit, &diag);
    if (rc != JQL_OK) {
        for (size_t i = 0; i < jql_diagnostics_count(diag); i++)
            fprintf(stderr, "criteria: %s: %s\n", jql_diagnostics_path(diag, i),
                    jql_diagnostics_message(diag, i));
        check(rc, "criteria");
    }
    jql_diagnostics_free(diag);

    double best = 1e99, total = 0;
    size_t units = 0;
    for (int r = 0; r < reps; r++) {
        jql_results *res = NULL;
        t0 = now_ms();
        check(jql_score(loaded, crit, NULL, &res), "score");
        double t = now_ms() - t0;
        total += t;
        if (t < best)
            best = t;
        units = jql_results_unit_count(res);
        jql_results_free(res);
    }
    jql_results *res = NULL;
    check(jql_score(loaded, crit, NULL, &res), "score");
    char *rjson;
    size_t rlen;
    t0 = now_ms();
    check(jql_results_to_json(res, &rjson, &rlen), "results json");
    double t_rjson = now_ms() - t0;

    printf("dataset: %zu units, %zu statistics, %zu reports, %zu tasks, %zu assessments, %zu events\n",
           jql_unit_count(loaded), jql_stat_count(loaded), jql_report_count(loaded),
           jql_task_count(loaded), jql_assessment_count(loaded), jql_event_count(loaded));
    printf("criteria: %zu nodes; units scored: %zu\n", jql_criteria_node_count(crit), units);
    printf("build (builder API): %9.1f ms\n", t_build);
    printf("save to JSON:        %9.1f ms (%zu bytes)\n", t_save, json_len);
    printf("load from JSON:      %9.1f ms\n", t_load);
    printf("score: best %.1f ms, mean %.1f ms over %d runs\n", best, total / reps, reps);
    printf("results to JSON:     %9.1f ms (%zu bytes)\n", t_rjson, rlen);

    jql_free(rjson);
    jql_results_free(res);
    jql_criteria_free(crit);
    free(ctext);
    jql_free(json);
    jql_dataset_free(loaded);
    jql_dataset_free(ds);
    return 0;
}
