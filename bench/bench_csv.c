/*
 * Benchmark of CSV import: a wide statistics file (one row per commune, one
 * column per indicator, decimal commas, Vietnamese headers) imported into a
 * dataset of 3,321 communes, at 1x and 4x the rows, against loading the
 * resulting dataset from JSON. Prints rows per second and the ratios (4x
 * over 1x near 4 means linear time). A program that prints figures, not a
 * test.
 *
 *   ./build/bench/bench_csv [repetitions]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <justice_quarterly.h>

#define COMMUNES 3321
#define INDICATORS 12

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void check(int rc, const char *what, jql_diagnostics *d)
{
    if (rc != JQL_OK) {
        fprintf(stderr, "%s: %s (%s)\n", what, jql_strerror(rc), jql_last_error());
        for (size_t i = 0; i < jql_diagnostics_count(d) && i < 5; i++)
            fprintf(stderr, "  %u:%u: %s\n", jql_diagnostics_line(d, i),
                    jql_diagnostics_column(d, i), jql_diagnostics_message(d, i));
        exit(1);
    }
    jql_diagnostics_free(d);
}

static jql_dataset *base(int copies)
{
    jql_dataset *ds = jql_dataset_new();
    char id[64], name[96];
    check(jql_unit_add(ds, "tinh", "Sở Tư pháp", "province", NULL, NULL), "unit", NULL);
    for (int c = 0; c < COMMUNES * copies; c++) {
        snprintf(id, sizeof id, "xa-%05d", c);
        snprintf(name, sizeof name, "Ủy ban nhân dân xã số %d", c);
        check(jql_unit_add(ds, id, name, "commune", "tinh", NULL), "unit", NULL);
    }
    for (int i = 0; i < INDICATORS; i++) {
        snprintf(id, sizeof id, "chi-tieu-%02d", i);
        snprintf(name, sizeof name, "Chỉ tiêu số %d về hòa giải cơ sở", i);
        check(jql_indicator_add(ds, id, name, "vụ", JQL_AGG_SUM, NULL), "indicator", NULL);
    }
    return ds;
}

static char *wide_csv(int copies, size_t *len)
{
    size_t cap = (size_t)COMMUNES * copies * (16 + INDICATORS * 12) + 4096, n = 0;
    char *s = malloc(cap);
    if (!s)
        exit(1);
    n += (size_t)snprintf(s + n, cap - n, "\xEF\xBB\xBFSTT;Đơn vị");
    for (int i = 0; i < INDICATORS; i++)
        n += (size_t)snprintf(s + n, cap - n, ";Chỉ tiêu số %d về hòa giải cơ sở", i);
    n += (size_t)snprintf(s + n, cap - n, "\r\n");
    unsigned long long rng = 88172645463325252ULL;
    for (int c = 0; c < COMMUNES * copies; c++) {
        n += (size_t)snprintf(s + n, cap - n, "%d;xa-%05d", c + 1, c);
        for (int i = 0; i < INDICATORS; i++) {
            rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
            n += (size_t)snprintf(s + n, cap - n, ";%u,%02u", (unsigned)(rng % 5000),
                                  (unsigned)(rng >> 20) % 100);
        }
        n += (size_t)snprintf(s + n, cap - n, "\r\n");
    }
    *len = n;
    return s;
}

/* Milliseconds of the best of `reps` imports; *json_ms: loading the result from JSON. */
static double run(int copies, int reps, double *json_ms, size_t *bytes)
{
    size_t len;
    char *csv = wide_csv(copies, &len);
    jql_csv_options o = JQL_CSV_OPTIONS_INIT;
    o.period = "2014-Q1";
    double best = 1e18, best_json = 1e18;
    for (int r = 0; r < reps; r++) {
        jql_dataset *ds = base(copies);
        jql_diagnostics *d = NULL;
        double t0 = now_ms();
        int rc = jql_csv_import_buffer(ds, csv, len, "bench.csv", &o, &d);
        double t1 = now_ms();
        check(rc, "import", d);
        if (jql_stat_count(ds) != (size_t)COMMUNES * copies * INDICATORS) {
            fprintf(stderr, "wrong statistics count %zu\n", jql_stat_count(ds));
            exit(1);
        }
        char *json = NULL;
        size_t jlen = 0;
        check(jql_dataset_to_json(ds, &json, &jlen), "to_json", NULL);
        jql_dataset *back = NULL;
        double t2 = now_ms();
        check(jql_dataset_load_buffer(json, jlen, "bench.json", &back, NULL), "load", NULL);
        double t3 = now_ms();
        best = t1 - t0 < best ? t1 - t0 : best;
        best_json = t3 - t2 < best_json ? t3 - t2 : best_json;
        jql_free(json);
        jql_dataset_free(back);
        jql_dataset_free(ds);
    }
    free(csv);
    *json_ms = best_json;
    *bytes = len;
    return best;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 3;
    reps = reps > 0 ? reps : 1;
    double j1, j4;
    size_t b1, b4;
    double t1 = run(1, reps, &j1, &b1);
    double t4 = run(4, reps, &j4, &b4);
    printf("wide CSV import, %d indicators, best of %d:\n", INDICATORS, reps);
    printf("  1x: %6d rows, %8zu bytes: %8.1f ms (%.0f rows/s); JSON load of the result %8.1f ms\n",
           COMMUNES, b1, t1, COMMUNES / (t1 / 1e3), j1);
    printf("  4x: %6d rows, %8zu bytes: %8.1f ms (%.0f rows/s); JSON load of the result %8.1f ms\n",
           COMMUNES * 4, b4, t4, COMMUNES * 4 / (t4 / 1e3), j4);
    printf("  ratio 4x/1x: %.2f (4.00 is linear); import / JSON load at 4x: %.2f\n", t4 / t1,
           t4 / j4);
    return 0;
}
