/*
 * jql-validate — check dataset files against docs/FORMAT.md, and criteria
 * sets against docs/CRITERIA.md (--criteria, or told apart by their
 * "format" field).
 *
 *   jql-validate [--format text|json] [--quiet] [--summary] [--criteria] FILE...
 *
 * Every diagnostic is printed (text: on stderr, as FILE:LINE:COL: PATH:
 * message; json: inside the one document written to stdout). Exit status:
 * 0 all files valid, 1 a file is invalid, 2 usage error, 3 a file could not
 * be read (the highest code met wins). Public API only.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE /* tdestroy */
#include <stdio.h>
#include <stdlib.h>
#include <search.h>
#include <string.h>
#include <sys/stat.h>

#include <justice_quarterly.h>

#include "cli_common.h"

static const char *prog = "jql-validate";

typedef struct options {
    cli_format format;
    bool quiet;
    bool summary;
    bool criteria; /* every file is a criteria set */
} options;

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: %s [OPTION]... FILE...\n"
            "Check justice-quarterly dataset files (docs/FORMAT.md) and criteria sets\n"
            "(docs/CRITERIA.md); \"-\" reads standard input. A file whose \"format\" names\n"
            "a criteria set is checked as one.\n"
            "\n"
            "  -c, --criteria    check every FILE as a criteria set\n"
            "  -f, --format=FMT  output format: text (default) or json\n"
            "  -q, --quiet       print nothing for valid files (text format)\n"
            "  -s, --summary     also summarise each valid dataset: units by level, periods,\n"
            "                    reports on time/late/incomplete/missing, tasks by status\n"
            "      --max-input-size=SIZE  accept files up to SIZE bytes (K, M, G suffixes;\n"
            "                    default 512M)\n"
            "  -h, --help        show this help and exit\n"
            "  -V, --version     show the library version and exit\n"
            "\n"
            "Text output: a summary line per valid file on stdout, every diagnostic on\n"
            "stderr as FILE:LINE:COL: PATH: message. JSON output: one document on stdout,\n"
            "{\"files\": [{\"file\", \"valid\", \"errors\", \"counts\"}...]}.\n"
            "\n"
            "Exit status: 0 all files valid, 1 a file is invalid, 2 usage error,\n"
            "3 a file could not be read, 4 out of memory.\n",
            prog);
}

/* ---- counts and summary ---------------------------------------------- */

enum { N_COUNTS = 10 };

static void counts_of(const jql_dataset *ds, size_t out[N_COUNTS])
{
    out[0] = jql_unit_count(ds);
    out[1] = jql_period_count(ds);
    out[2] = jql_indicator_count(ds);
    out[3] = jql_stat_count(ds);
    out[4] = jql_report_count(ds);
    out[5] = jql_task_count(ds);
    out[6] = jql_shortcoming_count(ds);
    out[7] = jql_directive_count(ds);
    out[8] = jql_assessment_count(ds);
    out[9] = jql_event_count(ds);
}

static const char *const count_names[N_COUNTS] = {
    "units", "periods", "indicators", "statistics", "reports",
    "tasks", "shortcomings", "directives", "assessments", "events",
};

/* Distinct strings with a count each, in order of first appearance. A
   search tree (tsearch) finds a key's slot in O(log n): a linear search
   made 200,000 distinct levels take minutes. */
typedef struct tally {
    const char **keys; /* borrowed from the dataset */
    size_t *counts;
    size_t len, cap;
    bool failed;
    void *tree;      /* of tally_node, freed with tdestroy */
} tally;

typedef struct tally_node {
    const char *key;
    size_t index;
} tally_node;

static int tally_cmp(const void *a, const void *b)
{
    return strcmp(((const tally_node *)a)->key, ((const tally_node *)b)->key);
}

static void tally_add(tally *t, const char *key)
{
    if (!key || t->failed)
        return;
    tally_node probe = {key, 0};
    tally_node **found = tfind(&probe, &t->tree, tally_cmp);
    if (found) {
        t->counts[(*found)->index]++;
        return;
    }
    if (t->len == t->cap) {
        /* nodes are allocated one by one: the tree keeps pointers to them */
        size_t cap = t->cap ? 2 * t->cap : 8;
        const char **keys = realloc(t->keys, cap * sizeof *keys);
        size_t *counts;

        if (keys)
            t->keys = keys;
        counts = keys ? realloc(t->counts, cap * sizeof *counts) : NULL;
        if (!counts) {
            t->failed = true;
            return;
        }
        t->counts = counts;
        t->cap = cap;
    }
    tally_node *node = malloc(sizeof *node);
    if (node) {
        node->key = key;
        node->index = t->len;
    }
    if (!node || !tsearch(node, &t->tree, tally_cmp)) {
        free(node);
        t->failed = true;
        return;
    }
    t->keys[t->len] = key;
    t->counts[t->len++] = 1;
}

static void tally_free(tally *t)
{
    tdestroy(t->tree, free);
    free(t->keys);
    free(t->counts);
}

typedef struct summary {
    tally levels;  /* units by level */
    tally periods; /* periods used by the records, then the declared ones */
    jql_tally reports; /* the library's counts over every period */
    bool oom;
    size_t task_status[JQL_TASK_STATUS_COUNT]; /* by status value */
    size_t open_shortcomings;
} summary;

static void summarise(const jql_dataset *ds, summary *s)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < jql_unit_count(ds); i++)
        tally_add(&s->levels, jql_unit_level(ds, i));
    for (size_t i = 0; i < jql_period_count(ds); i++)
        tally_add(&s->periods, jql_period_id(ds, i));
    for (size_t i = 0; i < jql_stat_count(ds); i++)
        tally_add(&s->periods, jql_stat_period(ds, i));
    for (size_t i = 0; i < jql_report_count(ds); i++)
        tally_add(&s->periods, jql_report_period(ds, i));
    s->reports.version = JQL_TALLY_VERSION;
    if (jql_tally_compute(ds, NULL, NULL, NULL, &s->reports) != JQL_OK)
        s->oom = true;
    for (size_t i = 0; i < jql_task_count(ds); i++) {
        jql_task_status st = jql_task_get_status(ds, i);

        tally_add(&s->periods, jql_task_period(ds, i));
        if ((unsigned)st < JQL_TASK_STATUS_COUNT)
            s->task_status[st]++;
    }
    for (size_t i = 0; i < jql_shortcoming_count(ds); i++) {
        tally_add(&s->periods, jql_shortcoming_period(ds, i));
        if (!jql_shortcoming_resolved(ds, i))
            s->open_shortcomings++;
    }
}

static void summary_free(summary *s)
{
    tally_free(&s->levels);
    tally_free(&s->periods);
}

static void print_summary_text(const summary *s)
{
    fputs("  units by level:", stdout);
    for (size_t i = 0; i < s->levels.len; i++)
        printf("%s %zu %s", i ? "," : "", s->levels.counts[i], s->levels.keys[i]);
    fputs("\n  periods:", stdout);
    for (size_t i = 0; i < s->periods.len; i++)
        printf("%s %s", i ? "," : "", s->periods.keys[i]);
    printf("\n  reports: %zu on time, %zu late, %zu never submitted, %zu incomplete\n",
           s->reports.reports_on_time, s->reports.reports_late, s->reports.reports_missing,
           s->reports.reports_incomplete);
    printf("  tasks: %zu done, %zu in progress, %zu pending\n", s->task_status[JQL_TASK_DONE],
           s->task_status[JQL_TASK_IN_PROGRESS], s->task_status[JQL_TASK_PENDING]);
    printf("  shortcomings still open: %zu\n", s->open_shortcomings);
}

/* Every status, in the order the summary lists them. */
static const jql_task_status task_order[] = {JQL_TASK_DONE, JQL_TASK_IN_PROGRESS,
                                             JQL_TASK_PENDING};
_Static_assert(sizeof task_order / sizeof task_order[0] == JQL_TASK_STATUS_COUNT,
               "a task status is missing from the summary");

static void print_summary_json(const summary *s)
{
    fputs(", \"summary\": {\"levels\": {", stdout);
    for (size_t i = 0; i < s->levels.len; i++) {
        fputs(i ? ", " : "", stdout);
        cli_json_string(stdout, s->levels.keys[i]);
        printf(": %zu", s->levels.counts[i]);
    }
    fputs("}, \"periods\": [", stdout);
    for (size_t i = 0; i < s->periods.len; i++) {
        fputs(i ? ", " : "", stdout);
        cli_json_string(stdout, s->periods.keys[i]);
    }
    printf("], \"reports\": {\"on_time\": %zu, \"late\": %zu, \"missing\": %zu, "
           "\"incomplete\": %zu}",
           s->reports.reports_on_time, s->reports.reports_late, s->reports.reports_missing,
           s->reports.reports_incomplete);
    /* keys are the library's status names; done first, as in the text */
    fputs(", \"tasks\": {", stdout);
    for (size_t i = 0; i < sizeof task_order / sizeof task_order[0]; i++) {
        fputs(i ? ", " : "", stdout);
        cli_json_string(stdout, jql_task_status_name(task_order[i]));
        printf(": %zu", s->task_status[task_order[i]]);
    }
    fputc('}', stdout);
    printf(", \"open_shortcomings\": %zu}", s->open_shortcomings);
}

/* ---- criteria sets --------------------------------------------------- */

/* Does the file start like a criteria set? Reads the first 64 KiB of a
   regular file and looks for a top-level "format":
   "justice-quarterly/criteria..." member. */
static bool looks_like_criteria(const char *arg)
{
    struct stat st;
    if (strcmp(arg, "-") == 0 || stat(arg, &st) != 0 || !S_ISREG(st.st_mode))
        return false; /* a pipe or device is read once, by the loader */
    FILE *fp = fopen(arg, "rb");
    if (!fp)
        return false; /* the dataset loader reports it */
    static char head[65536];
    size_t n = fread(head, 1, sizeof head - 1, fp);
    fclose(fp);
    head[n] = '\0';
    for (const char *p = strstr(head, "\"format\""); p; p = strstr(p + 1, "\"format\"")) {
        const char *q = p + 8;
        while (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')
            q++;
        if (*q++ != ':')
            continue;
        while (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')
            q++;
        return strncmp(q, "\"" JQL_CRITERIA_FORMAT, strlen(JQL_CRITERIA_FORMAT) + 1) == 0;
    }
    return false;
}

static int validate_criteria(const char *arg, const options *opt, bool first)
{
    const char *name = cli_display_name(arg);
    jql_criteria *c = NULL;
    jql_diagnostics *diag = NULL;
    int st = strcmp(arg, "-") == 0
                 ? jql_criteria_load_file_ext(stdin, "<stdin>", cli_load_options(), &c, &diag)
                 : jql_criteria_load_path_ext(arg, cli_load_options(), &c, &diag);
    char *errmsg = st == JQL_OK ? NULL : strdup(jql_last_error());
    size_t nodes = c ? jql_criteria_node_count(c) : 0, tiers = c ? jql_criteria_tier_count(c) : 0;
    if (opt->format == CLI_FORMAT_JSON) {
        fputs(first ? "\n  {\"file\": " : ",\n  {\"file\": ", stdout);
        cli_json_string(stdout, name);
        printf(", \"valid\": %s, \"errors\": ", st == JQL_OK ? "true" : "false");
        cli_json_diagnostics(stdout, diag, st, errmsg);
        if (c)
            printf(", \"counts\": {\"criteria\": %zu, \"tiers\": %zu}}", nodes, tiers);
        else
            fputs(", \"counts\": null}", stdout);
    } else {
        fflush(stdout);
        cli_print_diagnostics(stderr, name, diag, st, errmsg);
        if (c && !opt->quiet)
            printf("%s: valid criteria set: %zu criteria, %zu tiers\n", name, nodes, tiers);
    }
    free(errmsg);
    jql_diagnostics_free(diag);
    jql_criteria_free(c);
    return cli_exit_for_status(st);
}

/* ---- one file -------------------------------------------------------- */

/* Check one file, print its result, return its exit code. */
static int validate_one(const char *arg, const options *opt, bool first)
{
    if (opt->criteria || looks_like_criteria(arg))
        return validate_criteria(arg, opt, first);
    const char *name = cli_display_name(arg);
    jql_dataset *ds = NULL;
    jql_diagnostics *diag = NULL;
    char *errmsg = NULL;
    int st = cli_load_dataset(arg, &ds, &diag, &errmsg);
    size_t counts[N_COUNTS];
    summary sum;
    bool summarised = false;

    if (ds)
        counts_of(ds, counts);
    if (ds && opt->summary) {
        summarise(ds, &sum);
        summarised = !sum.levels.failed && !sum.periods.failed && !sum.oom;
    }

    if (opt->format == CLI_FORMAT_JSON) {
        fputs(first ? "\n  {\"file\": " : ",\n  {\"file\": ", stdout);
        cli_json_string(stdout, name);
        printf(", \"valid\": %s, \"errors\": ", st == JQL_OK ? "true" : "false");
        cli_json_diagnostics(stdout, diag, st, errmsg);
        fputs(", \"counts\": ", stdout);
        if (ds) {
            for (size_t i = 0; i < N_COUNTS; i++)
                printf("%s\"%s\": %zu", i ? ", " : "{", count_names[i], counts[i]);
            fputc('}', stdout);
        } else {
            fputs("null", stdout);
        }
        if (summarised)
            print_summary_json(&sum);
        fputc('}', stdout);
    } else {
        fflush(stdout); /* keep stdout and stderr lines in order on a terminal */
        cli_print_diagnostics(stderr, name, diag, st, errmsg);
        if (ds && !opt->quiet) {
            printf("%s: valid:", name);
            for (size_t i = 0; i < N_COUNTS; i++)
                printf("%s %zu %s", i ? "," : "", counts[i], count_names[i]);
            fputc('\n', stdout);
            if (summarised)
                print_summary_text(&sum);
        }
    }
    if (ds && opt->summary)
        summary_free(&sum);
    if (ds && opt->summary && !summarised)
        fprintf(stderr, "%s: %s: out of memory while summarising\n", prog, name);
    bool oom = ds && opt->summary && !summarised;
    free(errmsg);
    jql_diagnostics_free(diag);
    jql_dataset_free(ds);
    return oom ? CLI_EXIT_NOMEM : cli_exit_for_status(st);
}

/* ---- command line ---------------------------------------------------- */

/* Print "PROG: WHAT 'ARG'" (or just WHAT when arg is NULL) and the usage. */
static int usage_error(const char *what, const char *arg)
{
    if (arg)
        fprintf(stderr, "%s: %s '%s'\n", prog, what, arg);
    else
        fprintf(stderr, "%s: %s\n", prog, what);
    usage(stderr);
    return CLI_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    options opt = {CLI_FORMAT_TEXT, false, false, false};
    int status = CLI_EXIT_OK;
    int nfiles = 0;
    bool only_files = false;
    /* Files are compacted to the front of argv: options may come anywhere. */
    char **files = argv + 1;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = NULL;
        int r;

        if (only_files || arg[0] != '-' || arg[1] == '\0') { /* a file, or "-" for stdin */
            files[nfiles++] = argv[i];
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_files = true;
            continue;
        }
        if (cli_is_flag(arg, "help", 'h')) {
            usage(stdout);
            return cli_finish_stdout(prog);
        }
        if (cli_is_flag(arg, "version", 'V')) {
            printf("%s (libjustice-quarterly) %s\n", prog, jql_version());
            return cli_finish_stdout(prog);
        }
        if (cli_is_flag(arg, "quiet", 'q')) {
            opt.quiet = true;
            continue;
        }
        if (cli_is_flag(arg, "criteria", 'c')) {
            opt.criteria = true;
            continue;
        }
        if (cli_is_flag(arg, "summary", 's')) {
            opt.summary = true;
            continue;
        }
        if ((r = cli_max_input_option(argc, argv, &i, prog)) != 0) {
            if (r < 0)
                return CLI_EXIT_USAGE;
            continue;
        }
        r = cli_option_value(argc, argv, &i, "format", 'f', &value);
        if (r < 0)
            return usage_error("missing value for option", arg);
        if (r > 0) {
            if (!cli_parse_format(value, &opt.format))
                return usage_error("unknown format (use text or json):", value);
            continue;
        }
        return usage_error("unknown option", arg);
    }
    if (nfiles == 0)
        return usage_error("no FILE given", NULL);

    if (opt.format == CLI_FORMAT_JSON)
        fputs("{\"files\": [", stdout);
    for (int i = 0; i < nfiles; i++) {
        int code = validate_one(files[i], &opt, i == 0);
        if (code > status)
            status = code;
    }
    if (opt.format == CLI_FORMAT_JSON)
        fputs("\n]}\n", stdout);
    if (cli_finish_stdout(prog) != CLI_EXIT_OK && status < CLI_EXIT_IO)
        status = CLI_EXIT_IO;
    return status;
}
