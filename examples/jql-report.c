/*
 * jql-report — the quarterly review a Department presents: statistics
 * against the same period a year earlier, reporting discipline, the work
 * programme, shortcomings, follow-through on directives and, with a
 * criteria set, the emulation scores. Markdown or one self-contained HTML
 * page with SVG charts; Vietnamese by default, English with --lang en.
 *
 *   jql-report DATASET [CRITERIA] [--period P] [--score-period P] [--as-of DATE]
 *              [--lang vi|en] [--format md|html] [--threads N|auto] [-o FILE]
 *
 * Public API only (plus cli_common and the report_* modules).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <justice_quarterly.h>

#include "cli_common.h"
#include "custom_functions.h"
#include "report_doc.h"

static const char *prog = "jql-report";

typedef struct options {
    const char *dataset, *criteria;
    const char *period, *score_period, *output, *as_of, *score_sheet;
    rp_lang lang;
    bool html;
} options;

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: %s [OPTION]... DATASET [CRITERIA]\n"
            "Write the quarterly review report of a justice-quarterly dataset; with a\n"
            "criteria set, add the emulation scores. \"-\" reads DATASET from standard input.\n"
            "\n"
            "  -p, --period=P        the reviewed period (default: the latest quarter that\n"
            "                        has statistics, else the latest period with statistics,\n"
            "                        else the criteria set's period)\n"
            "      --score-period=P  the period the criteria are scored over (default: the\n"
            "                        criteria set's own period)\n"
            "      --as-of=DATE      the report as it stood on DATE (YYYY-MM-DD; default:\n"
            "                        the period's end): nothing dated after it is shown or\n"
            "                        counted, and the criteria are scored as of then\n"
            "      --score-sheet=UNIT  write the per-unit score sheets (phiếu chấm điểm)\n"
            "                        instead of the review: UNIT's id, or \"all\" for every\n"
            "                        scored unit, one a page (needs CRITERIA)\n"
            "  -l, --lang=LANG       vi (default: Vietnamese labels, 1.234,5 and 21/3/2014)\n"
            "                        or en (English labels, 1,234.5 and 21 Mar 2014)\n"
            "  -f, --format=FMT      md (default: Markdown) or html (one self-contained page\n"
            "                        with inline CSS and SVG charts, printable on A4)\n"
            "  -o, --output=FILE     write to FILE atomically (default: standard output)\n"
            "      --allow-empty     score the criteria even over a period in which the\n"
            "                        scored units have no record (otherwise an error)\n"
            "      --max-input-size=SIZE  accept inputs up to SIZE bytes (K, M, G suffixes;\n"
            "                        default 512M)\n"
            "      --threads=N       score the criteria on up to N threads (default 1), or\n"
            "                        auto: one per online CPU; the report is the same\n"
            "                        bytes whatever N\n"
            "  -h, --help            show this help and exit\n"
            "  -V, --version         show the library version and exit\n"
            "\n"
            "The Department is the root unit of the dataset; the units covered are its\n"
            "direct children. Statistics are rolled up from each unit's subtree.\n"
            "\n"
            "Exit status: 0 written, 1 invalid input (or the criteria could not be scored:\n"
            "the report is still written, saying so), 2 usage error, 3 a file could not be\n"
            "read or written, 4 out of memory.\n",
            prog);
}

static int usage_error(const char *what, const char *arg)
{
    if (arg)
        fprintf(stderr, "%s: %s '%s'\n", prog, what, arg);
    else
        fprintf(stderr, "%s: %s\n", prog, what);
    usage(stderr);
    return CLI_EXIT_USAGE;
}

/* 0: parsed; otherwise the exit code (help and version print and end with 0 too). */
static int parse_args(int argc, char **argv, options *o, bool *done)
{
    int npos = 0;
    bool only_files = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *value = NULL;
        int r;
        if (only_files || arg[0] != '-' || arg[1] == '\0') {
            if (npos == 2)
                return usage_error("too many arguments:", arg);
            *(npos++ == 0 ? &o->dataset : &o->criteria) = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_files = true;
            continue;
        }
        if (cli_is_flag(arg, "help", 'h')) {
            usage(stdout);
            *done = true;
            return cli_finish_stdout(prog);
        }
        if (cli_is_flag(arg, "version", 'V')) {
            printf("%s (libjustice-quarterly) %s\n", prog, jql_version());
            *done = true;
            return cli_finish_stdout(prog);
        }
        if (cli_is_flag(arg, "allow-empty", 0)) {
            rp_score_flags |= JQL_SCORE_ALLOW_EMPTY;
            continue;
        }
        if ((r = cli_max_input_option(argc, argv, &i, prog)) != 0 ||
            (r = cli_threads_option(argc, argv, &i, prog)) != 0) {
            if (r < 0)
                return CLI_EXIT_USAGE;
            continue;
        }
        static const struct { const char *name; char short_name; } opts[] = {
            {"period", 'p'}, {"score-period", 0}, {"lang", 'l'}, {"format", 'f'}, {"output", 'o'},
            {"as-of", 0}, {"score-sheet", 0},
        };
        size_t k;
        for (k = 0, r = 0; k < sizeof opts / sizeof opts[0] && r == 0; k++)
            r = cli_option_value(argc, argv, &i, opts[k].name, opts[k].short_name, &value);
        if (r < 0)
            return usage_error("missing value for option", arg);
        if (r == 0)
            return usage_error("unknown option", arg);
        switch (k - 1) {
        case 0: o->period = value; break;
        case 1: o->score_period = value; break;
        case 2:
            if (!rp_parse_lang(value, &o->lang))
                return usage_error("unknown language (use vi or en):", value);
            break;
        case 3:
            if (strcmp(value, "md") != 0 && strcmp(value, "html") != 0)
                return usage_error("unknown format (use md or html):", value);
            o->html = strcmp(value, "html") == 0;
            break;
        case 4: o->output = value; break;
        case 6: o->score_sheet = value; break;
        default: {
            jql_date d;
            if (jql_date_parse(value, &d) != JQL_OK)
                return usage_error("--as-of needs an existing date YYYY-MM-DD:", value);
            o->as_of = value;
            break;
        }
        }
    }
    if (!o->dataset)
        return usage_error("no DATASET given", NULL);
    if (o->score_sheet && !o->criteria)
        return usage_error("--score-sheet needs a CRITERIA file", NULL);
    if (o->criteria && strcmp(o->criteria, "-") == 0 && strcmp(o->dataset, "-") == 0)
        return usage_error("only one input can be standard input", NULL);
    return 0;
}

/* Load and report problems; returns the exit code (0 when loaded). */
static int load_inputs(const options *o, jql_dataset **ds, jql_criteria **c)
{
    jql_diagnostics *diag = NULL;
    char *errmsg = NULL;
    int st = cli_load_dataset(o->dataset, ds, &diag, &errmsg);
    if (st != JQL_OK || jql_diagnostics_count(diag))
        cli_print_diagnostics(stderr, cli_display_name(o->dataset), diag, st, errmsg);
    jql_diagnostics_free(diag);
    free(errmsg);
    if (st != JQL_OK || !o->criteria)
        return cli_exit_for_status(st);

    diag = NULL;
    if (strcmp(o->criteria, "-") == 0)
        st = jql_criteria_load_file_ext(stdin, "<stdin>", cli_load_options(), c, &diag);
    else
        st = jql_criteria_load_path_ext(o->criteria, cli_load_options(), c, &diag);
    if (st != JQL_OK || jql_diagnostics_count(diag))
        cli_print_diagnostics(stderr, cli_display_name(o->criteria), diag, st,
                              st != JQL_OK ? jql_last_error() : NULL);
    jql_diagnostics_free(diag);
    if (st == JQL_OK && (st = cli_register_custom_functions(*c)) != JQL_OK)
        fprintf(stderr, "%s: %s\n", prog, jql_last_error());
    return cli_exit_for_status(st);
}

static int write_output(const options *o, const rp_buf *b)
{
    if (o->output)
        return cli_write_output(prog, o->output, b->data, b->len);
    fwrite(b->data, 1, b->len, stdout);
    return cli_finish_stdout(prog);
}

/* Rows of --score-sheet=all: a row per criterion, about 10 more per sheet
   (bonus, deductions, totals, strengths). 2,000 units x 2,000 leaves, a
   440 KB input, took 8.6 s and 1.4 GB for a 311 MB document. */
#define MAX_SHEET_ROWS 500000
#define SHEET_FIXED_ROWS 10
/* Text every sheet repeats: the criteria's titles (and the set's name,
   the longest tier name, two section titles among the strengths). 300
   units on 150 criteria titled 54 KB each (an 8 MB sheet) made 2.5 GB in
   26 s, held whole. */
#define MAX_SHEET_TEXT (256u * 1024u * 1024u)

static size_t longer(size_t a, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return n > a ? n : a;
}

/* The bytes of titles and names one sheet repeats (an estimate from above). */
static size_t sheet_text(const jql_criteria *c, const jql_results *r)
{
    size_t sum = longer(0, jql_criteria_name(c)), title = 0, tier = 0;
    for (size_t n = 0; n < jql_criteria_node_count(c); n++) {
        sum += strlen(jql_criteria_node_title(c, n));
        title = longer(title, jql_criteria_node_title(c, n));
    }
    for (size_t i = 0; i < jql_results_item_count(r); i++)
        sum += longer(0, jql_results_item_title(r, i));
    for (size_t t = 0; t < jql_criteria_tier_count(c); t++)
        tier = longer(tier, jql_criteria_tier_name(c, t));
    return sum + 2 * title + tier;
}

static bool sheets_fit(const rp_model *m)
{
    const jql_results *r = m->emu ? m->emu->results : NULL;
    size_t units = r ? jql_results_unit_count(r) : 0, nodes = r ? jql_results_node_count(r) : 0;
    if (!units)
        return true;
    if (nodes + SHEET_FIXED_ROWS > MAX_SHEET_ROWS / units) {
        fprintf(stderr,
                "%s: --score-sheet=all: %zu sheets of %zu criteria would be more than %d rows: "
                "ask for one unit's sheet (--score-sheet=UNIT)\n",
                prog, units, nodes, MAX_SHEET_ROWS);
        return false;
    }
    size_t text = sheet_text(m->emu->criteria, r);
    if (text > MAX_SHEET_TEXT / units) {
        fprintf(stderr,
                "%s: --score-sheet=all: %zu sheets each repeating %zu bytes of criterion titles "
                "and names would be more than %u bytes: ask for one unit's sheet "
                "(--score-sheet=UNIT)\n",
                prog, units, text, MAX_SHEET_TEXT);
        return false;
    }
    return true;
}

static int run(const options *o, const jql_dataset *ds, const jql_criteria *c)
{
    const char *period = o->period ? o->period : rp_default_period(ds);
    if (!period && c)
        period = jql_criteria_period(c);
    if (!period)
        return usage_error("the dataset has no statistics: give --period", NULL);
    if (jql_period_resolve(ds, period, NULL, NULL, NULL) != JQL_OK)
        return usage_error("unknown period", period);

    jql_date as_of = JQL_NO_DATE;
    if (o->as_of && jql_date_parse(o->as_of, &as_of) != JQL_OK)
        as_of = JQL_NO_DATE; /* checked when the options were parsed */
    rp_model m;
    int st = rp_model_build(&m, ds, period, c, o->score_period, as_of);
    if (st != JQL_OK) {
        const char *why = st == JQL_ELIMIT ? rp_model_error() : NULL;
        fprintf(stderr, "%s: %s\n", prog, why ? why : jql_strerror(st));
        return cli_exit_for_status(st);
    }
    if (m.emu && m.emu->results) { /* warnings about the scoring */
        const jql_diagnostics *warn = jql_results_diagnostics(m.emu->results);
        if (jql_diagnostics_count(warn))
            cli_print_diagnostics(stderr, cli_display_name(o->criteria), warn, JQL_OK, NULL);
    }
    rp_buf out = {0};
    rp_writer w;
    if (o->html)
        rp_writer_html(&w, &out, o->lang, &m);
    else
        rp_writer_md(&w, &out, o->lang, &m);
    /* a review (or every sheet) names each unit's tier in several tables
       and its strongest and weakest sections */
    const bool one_sheet = o->score_sheet && strcmp(o->score_sheet, "all") != 0;
    if (!one_sheet && m.emu && m.emu->results &&
        !cli_repeated_text_fits(prog, o->score_sheet ? "--score-sheet=all" : "the report",
                                jql_results_unit_count(m.emu->results),
                                cli_repeated_text(m.emu->criteria, 4, 2),
                                " (or ask for one unit's sheet, --score-sheet=UNIT)")) {
        rp_buf_free(&out);
        rp_model_free(&m);
        return CLI_EXIT_INVALID;
    }
    if (o->score_sheet) {
        const char *unit = strcmp(o->score_sheet, "all") == 0 ? NULL : o->score_sheet;
        size_t k;
        if (unit && m.emu && m.emu->results &&
            jql_results_unit_find(m.emu->results, unit, &k) != JQL_OK) {
            rp_buf_free(&out);
            rp_model_free(&m);
            return usage_error("--score-sheet: not a scored unit:", unit);
        }
        if (!unit && !sheets_fit(&m)) {
            rp_buf_free(&out);
            rp_model_free(&m);
            return CLI_EXIT_INVALID;
        }
        rp_write_score_sheets(&w, unit);
    } else {
        rp_write_report(&w);
    }
    rp_scratch_reset();

    int code;
    if (out.failed || !out.data) {
        fprintf(stderr, "%s: %s\n", prog, jql_strerror(JQL_ENOMEM));
        code = CLI_EXIT_NOMEM;
    } else {
        code = write_output(o, &out);
    }
    if (code == CLI_EXIT_OK && m.emu && m.emu->error) {
        fprintf(stderr, "%s: %s: the criteria could not be scored: %s\n", prog,
                cli_display_name(o->criteria), m.emu->error);
        code = CLI_EXIT_INVALID;
    }
    rp_buf_free(&out);
    rp_model_free(&m);
    return code;
}

int main(int argc, char **argv)
{
    options o = {0};
    bool done = false;
    int code = parse_args(argc, argv, &o, &done);
    if (code != 0 || done)
        return code;

    jql_dataset *ds = NULL;
    jql_criteria *c = NULL;
    code = load_inputs(&o, &ds, &c);
    if (code == CLI_EXIT_OK)
        code = run(&o, ds, c);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    return code;
}
