/*
 * Benchmark of the national shape (gen_national.h) at several sizes, in one
 * run: for each N, a bare cJSON read + parse of the generated file, then
 * jql_dataset_load_path_ext, jql_score (scoring and ranking) and
 * jql_results_write (full evidence, to /dev/null), each in its own child
 * process so its peak memory is its own (counted above the resident set the
 * child starts with: what it inherits is not the phase's). With --evidence none the scoring
 * keeps no evidence either (JQL_SCORE_NO_EVIDENCE, as jql-score does). Prints time per commune and every
 * phase as a ratio to the bare parse of the same file. A program that
 * prints figures, not a test.
 *
 *   bench_national [--sizes 100,1000,3321,10000,100000] [--seed S] [--dir D]
 *                  [--evidence full|ids|none] [--reps R] [--clock wall|cpu] [--keep]
 *                  [--years Y,Y...] [--threads T]
 *   bench_national --write-dataset N PATH [--seed S] [--years Y]
 *
 * --years: Y years of records per commune, the scored year and the years
 * before it (a dataset kept over years; scoring reads the scored year's), a
 * row per size and number of years (default 1).
 * --threads T (above 1): two more columns, a scoring on T threads
 * (jql_score_options.threads) in wall time per commune and as a ratio to
 * the bare parse's wall time: CPU time adds the threads up.
 *   bench_national --write-criteria PATH
 *   bench_national --time-score DATASET CRITERIA REPS [THREADS]   (best jql_score
 *                  seconds; bench/bench_python.py compares Python with it)
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "gen_national.h"

/* Wall time by default; --clock cpu times the process's CPU (user +
   system, page faults included), which keeps the ratios meaningful on a
   machine other jobs load (every phase is single-threaded). */
static clockid_t g_clock = CLOCK_MONOTONIC;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(g_clock, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The benchmark measures, it does not guard: 100,000 communes are 5.3
   million results, past the default limit of one scoring (score.h). */
static jql_score_options bench_score_options(void)
{
    jql_score_options so = JQL_SCORE_OPTIONS_INIT;
    so.max_results = so.max_veto_checks = so.max_veto_text = so.max_evidence = SIZE_MAX;
    return so;
}

/* --threads: its custom function (gen_national_custom) reads only its
   arguments, so it may run on any thread. */
static unsigned g_threads = 1;

static jql_score_options threaded_options(unsigned threads)
{
    jql_score_options so = bench_score_options();
    so.threads = threads;
    so.flags |= JQL_SCORE_CUSTOM_ANY_THREAD;
    return so;
}

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "%s: %s (%s)\n", what, jql_strerror(rc), jql_last_error());
    exit(1);
}

static int write_path(const char *path, int (*fn)(FILE *, unsigned, unsigned long long), unsigned n,
                      unsigned long long seed)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    int rc = fn(f, n, seed);
    if (fclose(f) != 0 || rc != 0) {
        fprintf(stderr, "%s: write error\n", path);
        return -1;
    }
    return 0;
}

static unsigned g_years = 1; /* --years */

static int dataset_fn(FILE *f, unsigned n, unsigned long long seed)
{
    return gen_national_dataset_years(f, n, seed, g_years);
}

static int criteria_fn(FILE *f, unsigned n, unsigned long long seed)
{
    (void)n, (void)seed;
    return gen_national_criteria(f);
}

/* The process's resident set now, in bytes (0 if unknown). */
static double rss_now(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, resident = 0;
    if (!f)
        return 0;
    int got = fscanf(f, "%lu %lu", &size, &resident);
    fclose(f);
    return got == 2 ? (double)resident * (double)sysconf(_SC_PAGESIZE) : 0;
}

/* Run fn in a child; it writes `nvals` doubles to the pipe, the first its
   resident set when it started (what it inherited from this process:
   program, libraries, the generator's freed heap). Returns the child's
   peak RSS in bytes above that start (0 on failure): the memory the
   measured phases took, whatever the parent held. */
static long run_child(void (*fn)(int fd, void *arg), void *arg, double *vals, size_t nvals)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 0;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        fn(fds[1], arg);
        _exit(0);
    }
    close(fds[1]);
    size_t want = nvals * sizeof *vals, got = 0;
    while (got < want) {
        ssize_t k = read(fds[0], (char *)vals + got, want - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fds[0]);
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
        got != want)
        return 0;
    long grown = ru.ru_maxrss * 1024L - (long)vals[0];
    return grown > 0 ? grown : 1;
}

typedef struct {
    const char *data_path, *crit_path;
    jql_evidence_level level;
} job;

static void send(int fd, const double *v, size_t n)
{
    if (write(fd, v, n * sizeof *v) != (ssize_t)(n * sizeof *v))
        _exit(1);
}

static void bare_parse(int fd, void *arg)
{
    const job *j = arg;
    double base = rss_now();
    double t0 = now_s(), w0 = wall_s();
    FILE *f = fopen(j->data_path, "rb");
    if (!f)
        _exit(1);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)size + 1);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size)
        _exit(1);
    fclose(f);
    cJSON *root = cJSON_ParseWithLength(buf, (size_t)size);
    double t = now_s() - t0, w = wall_s() - w0;
    if (!root)
        _exit(1);
    double v[3] = {base, t, w};
    send(fd, v, 3);
    /* freeing is not part of "parse"; the child exits */
}

static void jql_run(int fd, void *arg)
{
    const job *j = arg;
    double base = rss_now();
    jql_load_options lo = JQL_LOAD_OPTIONS_INIT;
    lo.max_input_bytes = (size_t)8 << 30; /* the benchmark measures, it does not guard */
    jql_dataset *ds = NULL;
    jql_criteria *c = NULL;
    jql_diagnostics *diag = NULL;
    double t0 = now_s();
    int rc = jql_dataset_load_path_ext(j->data_path, &lo, &ds, &diag);
    double t_load = now_s() - t0;
    if (rc)
        die("load", rc);
    jql_diagnostics_free(diag);
    if ((rc = jql_criteria_load_path(j->crit_path, &c, NULL)))
        die("criteria", rc);
    if ((rc = jql_criteria_custom_register(c, GEN_CUSTOM_NAME, gen_national_custom, NULL, NULL)))
        die("register", rc);
    jql_results *r = NULL;
    jql_score_options so = bench_score_options();
    if (j->level == JQL_EVIDENCE_NONE)
        so.flags |= JQL_SCORE_NO_EVIDENCE;
    t0 = now_s();
    rc = jql_score_with(ds, c, NULL, &so, &r);
    double t_score = now_s() - t0;
    if (rc)
        die("score", rc);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double peak_score = ru.ru_maxrss * 1024.0 - base;
    double t_threads = 0; /* --threads: the same scoring on several threads, wall time */
    if (g_threads > 1) {
        jql_results *rt = NULL;
        jql_score_options st = threaded_options(g_threads);
        if (j->level == JQL_EVIDENCE_NONE)
            st.flags |= JQL_SCORE_NO_EVIDENCE;
        t0 = wall_s();
        rc = jql_score_with(ds, c, NULL, &st, &rt);
        t_threads = wall_s() - t0;
        if (rc)
            die("score on threads", rc);
        jql_results_free(rt);
    }
    FILE *out = fopen("/dev/null", "wb");
    t0 = now_s();
    rc = jql_results_write(r, out, j->level);
    long bytes = ftell(out);
    fclose(out);
    double t_out = now_s() - t0;
    if (rc)
        die("write", rc);
    double v[7] = {base,       t_load,    t_score, t_out, peak_score, (double)jql_results_unit_count(r),
                   t_threads};
    (void)bytes;
    send(fd, v, 7);
}

/* Output size, measured once by counting bytes through the callback writer. */
static int count_bytes(void *user, const char *data, size_t len)
{
    (void)data;
    *(size_t *)user += len;
    return 0;
}

static void out_size(int fd, void *arg)
{
    const job *j = arg;
    double base = rss_now();
    jql_load_options lo = JQL_LOAD_OPTIONS_INIT;
    lo.max_input_bytes = (size_t)8 << 30;
    jql_dataset *ds = NULL;
    jql_criteria *c = NULL;
    jql_results *r = NULL;
    int rc = jql_dataset_load_path_ext(j->data_path, &lo, &ds, NULL);
    if (!rc)
        rc = jql_criteria_load_path(j->crit_path, &c, NULL);
    if (!rc)
        rc = jql_criteria_custom_register(c, GEN_CUSTOM_NAME, gen_national_custom, NULL, NULL);
    jql_score_options so = bench_score_options();
    if (!rc)
        rc = jql_score_with(ds, c, NULL, &so, &r);
    if (rc)
        die("score", rc);
    double v[4] = {base};
    for (int level = 0; level < 3; level++) {
        size_t n = 0;
        if ((rc = jql_results_write_cb(r, count_bytes, &n, (jql_evidence_level)level)))
            die("write", rc);
        v[level + 1] = (double)n;
    }
    send(fd, v, 4);
}

static int time_score(const char *data, const char *crit, int reps, unsigned threads)
{
    jql_load_options lo = JQL_LOAD_OPTIONS_INIT;
    lo.max_input_bytes = (size_t)8 << 30;
    jql_dataset *ds = NULL;
    jql_criteria *c = NULL;
    int rc = jql_dataset_load_path_ext(data, &lo, &ds, NULL);
    if (!rc)
        rc = jql_criteria_load_path(crit, &c, NULL);
    if (!rc)
        rc = jql_criteria_custom_register(c, GEN_CUSTOM_NAME, gen_national_custom, NULL, NULL);
    if (rc)
        die("load", rc);
    double best = 1e99;
    for (int k = 0; k < (reps > 0 ? reps : 1); k++) {
        jql_results *r = NULL;
        double t0 = now_s();
        jql_score_options so = threaded_options(threads);
        if ((rc = jql_score_with(ds, c, NULL, &so, &r)))
            die("score", rc);
        double t = now_s() - t0;
        if (t < best)
            best = t;
        jql_results_free(r);
    }
    printf("%.6f\n", best);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    return 0;
}

static jql_evidence_level parse_level(const char *s)
{
    if (strcmp(s, "none") == 0)
        return JQL_EVIDENCE_NONE;
    if (strcmp(s, "ids") == 0)
        return JQL_EVIDENCE_IDS;
    return JQL_EVIDENCE_FULL;
}

/* One row of the table: N communes with g_years years of records. */
static int bench_row(unsigned n, const char *dir, const char *crit_path,
                     jql_evidence_level level, int reps, unsigned long long seed, int keep)
{
    char data_path[4096];
    snprintf(data_path, sizeof data_path, "%s/national-%u.json", dir, n);
    if (write_path(data_path, dataset_fn, n, seed))
        return -1;
    struct stat st;
    stat(data_path, &st);
    job j = {data_path, crit_path, level};
    /* each child's first value is its starting resident set (run_child) */
    double parse[2] = {1e99, 1e99}, run[6] = {1e99, 1e99, 1e99, 0, 0, 1e99}, sz[3] = {0};
    long rss_parse = 0, rss_run = 0, rss_sz;
    /* best of `reps` alternating runs: a busy machine slows some runs, not the best */
    for (int r = 0; r < reps; r++) {
        double p1[3], r1v[7], *r1 = r1v + 1;
        long a = run_child(bare_parse, &j, p1, 3), b = run_child(jql_run, &j, r1v, 7);
        if (!a || !b) {
            fprintf(stderr, "N=%u: a child failed\n", n);
            return -1;
        }
        rss_parse = a > rss_parse ? a : rss_parse;
        rss_run = b > rss_run ? b : rss_run;
        parse[0] = p1[1] < parse[0] ? p1[1] : parse[0];
        parse[1] = p1[2] < parse[1] ? p1[2] : parse[1];
        run[5] = r1[5] < run[5] ? r1[5] : run[5];
        for (int k = 0; k < 3; k++)
            run[k] = r1[k] < run[k] ? r1[k] : run[k];
        run[3] = r1[3] > run[3] ? r1[3] : run[3];
        run[4] = r1[4];
    }
    double szv[4];
    if (!(rss_sz = run_child(out_size, &j, szv, 4))) {
        fprintf(stderr, "N=%u: a child failed\n", n);
        return -1;
    }
    memcpy(sz, szv + 1, sizeof sz);
    double units = run[4] > 0 ? run[4] : 1;
    printf("| %u | %u | %.1f | %.3f | %.1f | %.2f | %.1f | %.2f | %.4f | %.2f | %.0f | %.2f | %.2f | %.1f/%.1f/%.1f |",
           n, g_years, st.st_size / 1e6, parse[0], run[0] / units * 1e6, run[1] / units * 1e6,
           run[2] / units * 1e6, run[0] / parse[0], run[1] / parse[0], run[2] / parse[0],
           run[3] / 1e6, run[3] / (double)st.st_size, rss_parse / (double)st.st_size,
           sz[0] / 1e6, sz[1] / 1e6, sz[2] / 1e6);
    if (g_threads > 1) /* the row goes on: the threads' columns */
        printf(" %.2f | %.4f |", run[5] / units * 1e6, run[5] / parse[1]);
    printf("\n");
    fflush(stdout);
    if (!keep)
        unlink(data_path);
    return 0;
}

int main(int argc, char **argv)
{
    const char *sizes = "100,1000,3321,10000,100000", *years = "1", *dir = NULL;
    unsigned long long seed = 20251;
    jql_evidence_level level = JQL_EVIDENCE_FULL;
    int keep = 0, reps = 3;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--write-dataset") == 0 && i + 2 < argc) {
            unsigned n = (unsigned)strtoul(argv[i + 1], NULL, 10);
            for (int k = i + 3; k + 1 < argc; k++)
                if (strcmp(argv[k], "--seed") == 0)
                    seed = strtoull(argv[k + 1], NULL, 10);
                else if (strcmp(argv[k], "--years") == 0)
                    g_years = (unsigned)strtoul(argv[k + 1], NULL, 10);
            return write_path(argv[i + 2], dataset_fn, n, seed) ? 1 : 0;
        } else if (strcmp(argv[i], "--time-score") == 0 && i + 3 < argc) {
            return time_score(argv[i + 1], argv[i + 2], atoi(argv[i + 3]),
                              i + 4 < argc ? (unsigned)strtoul(argv[i + 4], NULL, 10) : 1);
        } else if (strcmp(argv[i], "--write-criteria") == 0 && i + 1 < argc) {
            return write_path(argv[i + 1], criteria_fn, 0, 0) ? 1 : 0;
        } else if (strcmp(argv[i], "--sizes") == 0 && i + 1 < argc) {
            sizes = argv[++i];
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            seed = strtoull(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--years") == 0 && i + 1 < argc) {
            years = argv[++i];
        } else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else if (strcmp(argv[i], "--evidence") == 0 && i + 1 < argc) {
            level = parse_level(argv[++i]);
        } else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
            reps = atoi(argv[++i]) > 0 ? atoi(argv[i]) : 1;
        } else if (strcmp(argv[i], "--clock") == 0 && i + 1 < argc) {
            g_clock = strcmp(argv[++i], "cpu") == 0 ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC;
        } else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            g_threads = (unsigned)strtoul(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--keep") == 0) {
            keep = 1;
        } else {
            fprintf(stderr, "usage: %s [--sizes N,N...] [--seed S] [--dir D] [--evidence "
                            "full|ids|none] [--reps R] [--clock wall|cpu] [--keep] [--years Y,Y...] "
                            "[--threads T]\n",
                    argv[0]);
            return 2;
        }
    }
    char tmpl[] = "/tmp/jql-bench-XXXXXX";
    if (!dir && !(dir = mkdtemp(tmpl))) {
        perror("mkdtemp");
        return 1;
    }
    char crit_path[4096];
    snprintf(crit_path, sizeof crit_path, "%s/national-criteria.json", dir);
    if (write_path(crit_path, criteria_fn, 0, 0))
        return 1;
    static const char *const lv[] = {"full", "ids", "none"};
    printf("national shape, seed %llu, evidence %s, best of %d, %s time; times per commune in "
           "microseconds, ratios to the bare cJSON read+parse of the same file\n\n",
           seed, lv[level], reps, g_clock == CLOCK_MONOTONIC ? "wall" : "CPU");
    printf("| communes | years | file MB | bare parse s | load us/u | score us/u | output us/u | load/parse "
           "| score/parse | output/parse | peak load+score MB | peak/input | bare parse peak/input | output MB full/ids/none |");
    if (g_threads > 1)
        printf(" score us/u wall, %u threads | score/parse wall, %u threads |", g_threads, g_threads);
    printf("\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|%s\n",
           g_threads > 1 ? "---:|---:|" : "");
    for (const char *p = sizes; *p;) {
        char *end;
        unsigned n = (unsigned)strtoul(p, &end, 10);
        if (end == p)
            break;
        p = *end == ',' ? end + 1 : end;
        for (const char *y = years; *y;) {
            g_years = (unsigned)strtoul(y, &end, 10);
            if (end == y)
                break;
            y = *end == ',' ? end + 1 : end;
            if (bench_row(n, dir, crit_path, level, reps, seed, keep))
                return 1;
        }
    }
    if (!keep) {
        unlink(crit_path);
        if (strcmp(dir, tmpl) == 0)
            rmdir(dir);
    }
    return 0;
}
