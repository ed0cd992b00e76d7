/*
 * How far the scoring is from the least any scoring keeping these results
 * could take (issue 10's goal: score and rank within 2% of a bare cJSON
 * parse of the same file). On one thread, best of REPS rounds:
 *
 *   parse    cJSON read + parse of the file;
 *   score    jql_score(), scoring and ranking;
 *   read     every record of every scored unit read once, nothing
 *            computed: the least a scoring must read;
 *   write    results of the scoring's own size (its nodes, items and
 *            evidence references) written into fresh memory taken the
 *            way the engine takes it (jql_alloc_paged): the least a
 *            scoring keeping them must write.
 *
 * read + write is the floor; the figures are printed as milliseconds and
 * as shares of the parse. Each round runs in a fresh child process that
 * parses the file, then loads it, so that the parse, the scoring and the
 * writing are a program's first, on fresh memory, as bench_national
 * measures them. Reads the library's internal structures (its records and result
 * sizes): linked statically for that. A program that prints figures, not
 * a test.
 *
 *   bench_floor DATASET CRITERIA [REPS]   (files of bench_national --write-dataset
 *                                          and --write-criteria)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "gen_national.h"
#include "score_internal.h"

/* what the reads and writes add up to, kept so the compiler keeps them */
static volatile long g_sink;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double parse_ms(const char *path)
{
    double t0 = now_ms();
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)size + 1);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fclose(f);
        free(buf);
        return -1;
    }
    fclose(f);
    cJSON *root = cJSON_ParseWithLength(buf, (size_t)size);
    double t = now_ms() - t0;
    cJSON_Delete(root);
    free(buf);
    return root ? t : -1;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Every record of the scored units read once, in the dataset's order as
   the scoring reads them (the results are in rank order); the sum keeps
   the reads. */
static long read_records(const jql_dataset *ds, const size_t *scored, size_t n)
{
    long sink = 0;
    for (size_t k = 0; k < n; k++) {
        const jql_unit_index *x = &ds->by_unit[scored[k]];
        for (size_t i = 0; i < x->stats.len; i++) {
            const jql_stat_rec *s = &ds->stats.items[x->stats.items[i]];
            sink += s->value + s->range.start + s->range.end + (long)s->indicator;
        }
        for (size_t i = 0; i < x->tasks.len; i++) {
            const jql_task_rec *t = &ds->tasks.items[x->tasks.items[i]];
            sink += t->due + t->status + t->completed + (long)(uintptr_t)t->field;
        }
        for (size_t i = 0; i < x->reports.len; i++) {
            const jql_report_rec *p = &ds->reports.items[x->reports.items[i]];
            sink += p->due + p->submitted + p->complete + p->range.end;
        }
        for (size_t i = 0; i < x->directives.len; i++) {
            const jql_directive_rec *d = &ds->directives.items[x->directives.items[i]];
            sink += d->due + d->status + d->completed;
        }
        for (size_t i = 0; i < x->assessments.len; i++) {
            const jql_assessment_rec *a = &ds->assessments.items[x->assessments.items[i]];
            sink += a->self + a->appraised;
        }
        for (size_t i = 0; i < x->events.len; i++) {
            const jql_event_rec *e = &ds->events.items[x->events.items[i]];
            sink += e->date + (long)(uintptr_t)e->kind;
        }
    }
    return sink;
}

/* Results of this size written into fresh memory. */
static long write_results(size_t nnodes, size_t nitems, size_t nev)
{
    jql_res_node *nodes = jql_alloc_paged(nnodes ? nnodes : 1, sizeof *nodes);
    jql_res_node *items = jql_alloc_paged(nitems ? nitems : 1, sizeof *items);
    uint64_t *ev = jql_alloc_paged(nev ? nev : 1, sizeof *ev);
    if (!nodes || !items || !ev) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < nnodes; i++)
        nodes[i] = (jql_res_node){
            .self = JQL_NO_SCORE, .appraised = JQL_NO_SCORE, .points = (jql_milli)i};
    for (size_t i = 0; i < nitems; i++)
        items[i] = (jql_res_node){.self = JQL_NO_SCORE, .points = (jql_milli)i};
    for (size_t i = 0; i < nev; i++)
        ev[i] = (uint64_t)i * 7;
    long sink = (nnodes ? nodes[nnodes / 2].points : 0) + (nev ? (long)ev[nev / 2] : 0);
    jql_free(nodes);
    jql_free(items);
    jql_free(ev);
    return sink;
}

static void load(const char *data, const char *crit, jql_dataset **ds, jql_criteria **c)
{
    jql_load_options lo = JQL_LOAD_OPTIONS_INIT;
    lo.max_input_bytes = (size_t)8 << 30;
    if (jql_dataset_load_path_ext(data, &lo, ds, NULL) || jql_criteria_load_path(crit, c, NULL) ||
        jql_criteria_custom_register(*c, GEN_CUSTOM_NAME, gen_national_custom, NULL, NULL)) {
        fprintf(stderr, "load: %s\n", jql_last_error());
        _exit(1);
    }
}

/* One round in a fresh child process that loads the files, so that the
   scoring and the writing take fresh memory as a program's first scoring
   does (a child of a process holding the dataset would copy the pages
   its allocator reuses): v = score, read and write milliseconds, the
   units scored, the bytes of nodes and items, and of evidence, and the
   parse's milliseconds. */
static int one_round(const char *data, const char *crit, double v[7])
{
    int fds[2];
    if (pipe(fds))
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(fds[0]);
        double parse = parse_ms(data);
        if (parse < 0) {
            fprintf(stderr, "%s: cannot read or parse\n", data);
            _exit(1);
        }
        jql_dataset *ds = NULL;
        jql_criteria *c = NULL;
        load(data, crit, &ds, &c);
        jql_results *r = NULL;
        double t0 = now_ms();
        if (jql_score(ds, c, NULL, &r)) {
            fprintf(stderr, "score: %s\n", jql_last_error());
            _exit(1);
        }
        double out[7] = {now_ms() - t0, 0, 0, (double)r->nunits, 0, 0, parse};
        size_t units = r->nunits;
        size_t *scored = malloc((units ? units : 1) * sizeof *scored);
        if (!scored)
            _exit(1);
        for (size_t i = 0; i < units; i++)
            scored[i] = r->units[i].ds_index;
        qsort(scored, units, sizeof *scored, cmp_size);
        size_t nnodes = units * r->nnodes, nitems = units * (r->nbonus + r->ndeductions),
               nev = r->nevlist;
        t0 = now_ms();
        g_sink += read_records(ds, scored, units);
        out[1] = now_ms() - t0;
        jql_results_free(r); /* its memory goes back, as before a next scoring */
        t0 = now_ms();
        g_sink += write_results(nnodes, nitems, nev);
        out[2] = now_ms() - t0;
        out[4] = (double)((nnodes + nitems) * sizeof(jql_res_node));
        out[5] = (double)(nev * sizeof(uint64_t));
        if (write(fds[1], out, sizeof out) != (ssize_t)sizeof out)
            _exit(1);
        _exit(0);
    }
    close(fds[1]);
    ssize_t got = read(fds[0], v, 7 * sizeof *v);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return got == (ssize_t)(7 * sizeof *v) && WIFEXITED(status) && WEXITSTATUS(status) == 0
               ? 0
               : -1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_floor DATASET CRITERIA [REPS]\n");
        return 2;
    }
    int reps = argc > 3 ? atoi(argv[3]) : 11;
    if (reps < 1)
        reps = 1;
    double parse = 1e30, score = 1e30, read = 1e30, write = 1e30;
    size_t units = 0;
    double node_mb = 0, ev_mb = 0;
    for (int k = 0; k < reps; k++) {
        double v[7];
        if (one_round(argv[1], argv[2], v))
            return 1;
        parse = v[6] < parse ? v[6] : parse;
        score = v[0] < score ? v[0] : score;
        read = v[1] < read ? v[1] : read;
        write = v[2] < write ? v[2] : write;
        units = (size_t)v[3];
        node_mb = v[4] / 1048576;
        ev_mb = v[5] / 1048576;
    }
    double floor = read + write;
    printf("%zu units, best of %d, milliseconds and share of the parse:\n", units, reps);
    printf("  parse %9.2f\n", parse);
    printf("  score %9.2f  %6.2f%%   (jql_score, one thread)\n", score, 100 * score / parse);
    printf("  read  %9.2f  %6.2f%%   (every record of the scored units once)\n", read,
           100 * read / parse);
    printf("  write %9.2f  %6.2f%%   (results of the scoring's size, fresh memory: %.1f MB of "
           "nodes and items, %.1f MB of evidence)\n",
           write, 100 * write / parse, node_mb, ev_mb);
    printf("  floor %9.2f  %6.2f%%   (read + write; score / floor %.2f)\n", floor,
           100 * floor / parse, score / floor);
    printf("  2%% of the parse: %.2f ms\n", parse * 0.02);
    return 0;
}
