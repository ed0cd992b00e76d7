/*
 * jql-score's what-if modes, kept apart from the plain scoring of
 * jql-score.c:
 *
 *   jql-score DATASET CRITERIA --compare OTHER-CRITERIA [--period P]
 *   jql-score DATASET CRITERIA --weight NODE=MAX [--weight ...]   (compare with
 *       the sheet whose NODE is worth MAX, its siblings rescaled to keep the total)
 *   jql-score DATASET CRITERIA --periods P1,P2,...
 *   jql-score DATASET CRITERIA --sensitivity PCT [--runs N] [--seed S] [--leaves]
 *   jql-score DATASET CRITERIA --plans
 *
 * with [--as-of DATE] [--allow-empty] [--threads N|auto] [--format text|json]
 * [-o FILE]. The plain scoring's options (--as-of, --allow-empty, parsed by
 * the same cli_score_option(), and --threads) reach every scoring a mode
 * makes: both sides of --compare and --weight, the base of --sensitivity
 * and --plans (whose analyses are computed from that one scoring's
 * results), each period of --periods (jql_score_periods_table_with()). The
 * JSON is the library's own (docs/ANALYSIS.md); text is a short table.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <justice_quarterly.h>

#include "cli_common.h"
#include "custom_functions.h"
#include "score_analysis.h"

static const char *prog = "jql-score";

bool score_analysis_wanted(int argc, char **argv)
{
    static const char *const names[] = {"compare", "periods", "sensitivity", "plans", "weight"};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return false;
        for (size_t n = 0; n < sizeof names / sizeof names[0]; n++) {
            size_t l = strlen(names[n]);
            if (strncmp(argv[i], "--", 2) == 0 && strncmp(argv[i] + 2, names[n], l) == 0 &&
                (argv[i][2 + l] == '\0' || argv[i][2 + l] == '='))
                return true;
        }
    }
    return false;
}

typedef struct {
    char *data;
    size_t len, cap;
    bool failed;
} obuf;

static void ob_printf(obuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || b->failed) {
        va_end(ap2);
        b->failed = true;
        return;
    }
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = (b->len + (size_t)n + 1) * 2;
        char *d = realloc(b->data, cap);
        if (!d) {
            va_end(ap2);
            b->failed = true;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    b->len += (size_t)n;
}

static const char *milli(jql_milli v, char buf[32])
{
    jql_milli_format(v, 3, buf, 32);
    return buf;
}

static int load_criteria(const char *arg, jql_criteria **out)
{
    jql_diagnostics *diag = NULL;
    int rc = strcmp(arg, "-") == 0
                 ? jql_criteria_load_file_ext(stdin, "<stdin>", cli_load_options(), out, &diag)
                 : jql_criteria_load_path_ext(arg, cli_load_options(), out, &diag);
    if (rc != JQL_OK || jql_diagnostics_count(diag))
        cli_print_diagnostics(stderr, cli_display_name(arg), diag, rc, jql_last_error());
    jql_diagnostics_free(diag);
    if (rc == JQL_OK && (rc = cli_register_custom_functions(*out)) != JQL_OK)
        fprintf(stderr, "%s: %s: %s\n", prog, cli_display_name(arg), jql_last_error());
    return rc;
}

/* "as of DATE" above a table whose scorings were scored as of a date
   (--as-of); nothing otherwise, so the table is what it always was. */
static void text_as_of(obuf *b, const char *as_of)
{
    if (as_of)
        ob_printf(b, "as of %s\n", as_of);
}

/* The after side's units of a comparison (listed first, in its order):
   jql_compare_side_compare() with JQL_COMPARE_UNITS_ONLY. */
static void text_compare(obuf *b, const jql_comparison *c)
{
    char b1[32], b2[32], b3[32];
    /* one date for both sides (one --as-of), else each side's own */
    const char *before = jql_comparison_as_of(c, 0), *after = jql_comparison_as_of(c, 1);
    if (before && after && strcmp(before, after) == 0)
        text_as_of(b, after);
    else if (before || after)
        ob_printf(b, "before as of %s, after as of %s\n", before ? before : "-",
                  after ? after : "-");
    ob_printf(b, "%-6s %-6s %-8s %-24s %10s %10s %9s  %s\n", "before", "after", "change", "unit",
              "final", "was", "change", "tier");
    for (size_t k = 0; k < jql_comparison_unit_count(c) && jql_comparison_unit_present(c, k, 1);
         k++) {
        const char *id = jql_comparison_unit_id(c, k);
        jql_milli fa = jql_comparison_unit_final(c, k, 1);
        size_t ra = jql_comparison_unit_rank(c, k, 1);
        if (!jql_comparison_unit_present(c, k, 0)) {
            ob_printf(b, "%-6s %-6zu %-8s %-24s %10s\n", "-", ra, "new", id, milli(fa, b1));
            continue;
        }
        jql_milli fb = jql_comparison_unit_final(c, k, 0);
        size_t rb = jql_comparison_unit_rank(c, k, 0);
        long long d = (long long)rb - (long long)ra;
        char mv[16];
        snprintf(mv, sizeof mv, d > 0 ? "+%lld" : d < 0 ? "%lld" : "=", d);
        const char *ta = jql_comparison_unit_tier(c, k, 1), *tb = jql_comparison_unit_tier(c, k, 0);
        ob_printf(b, "%-6zu %-6zu %-8s %-24s %10s %10s %9s  %s%s%s\n", rb, ra, mv, id,
                  milli(fa, b1), milli(fb, b2), milli(fa - fb, b3), tb,
                  strcmp(ta, tb) ? " -> " : "", strcmp(ta, tb) ? ta : "");
    }
}

/* The trend's table (jql_score_periods_table_with keeps no results): the units
   of the last period, which come first, in its order. */
static void text_trend(obuf *b, const jql_trend *t)
{
    size_t np = jql_trend_period_count(t);
    char b1[32];
    text_as_of(b, jql_trend_period_as_of(t, 0)); /* every period's: one --as-of */
    ob_printf(b, "%-24s", "unit");
    for (size_t p = 0; p < np; p++)
        ob_printf(b, " %16s", jql_trend_period_id(t, p));
    ob_printf(b, "\n");
    for (size_t i = 0; i < jql_trend_unit_count(t) && jql_trend_unit_present(t, i, np - 1); i++) {
        ob_printf(b, "%-24s", jql_trend_unit_id(t, i));
        for (size_t p = 0; p < np; p++) {
            if (!jql_trend_unit_present(t, i, p)) {
                ob_printf(b, " %16s", "-");
                continue;
            }
            char cell[48];
            snprintf(cell, sizeof cell, "%s #%zu", milli(jql_trend_unit_final(t, i, p), b1),
                     jql_trend_unit_rank(t, i, p));
            ob_printf(b, " %16s", cell);
        }
        ob_printf(b, "\n");
    }
}

static void text_sensitivity(obuf *b, const jql_sensitivity *s, const jql_results *r)
{
    text_as_of(b, jql_sensitivity_as_of(s));
    ob_printf(b, "%-5s %-24s %6s %6s %6s %10s\n", "rank", "unit", "min", "median", "max", "flips");
    for (size_t k = 0; k < jql_sensitivity_unit_count(s); k++)
        ob_printf(b, "%-5zu %-24s %6zu %6zu %6zu %10zu\n", jql_results_unit_rank(r, k),
                  jql_sensitivity_unit_id(s, k), jql_sensitivity_rank_min(s, k),
                  jql_sensitivity_rank_median(s, k), jql_sensitivity_rank_max(s, k),
                  jql_sensitivity_flip_runs(s, k));
}

static bool parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
    if (!s || !*s || *s == '-')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

/* --plans: streamed to stdout or -o FILE (a temporary file renamed over
   it once complete) one unit's plan at a time, never held whole (issue 10:
   1,000 units x 5,000 leaves make about 1 GB). A CLI_EXIT_* code. */
static int write_plans(const char *output, const jql_results *res, const jql_criteria *c,
                       const char *criteria_file)
{
    cli_output *o = NULL;
    int code = CLI_EXIT_OK;
    FILE *fp = stdout;
    if (output && !(fp = cli_output_open(prog, output, &o, &code)))
        return code;
    int rc = jql_improvement_plans_write(res, c, fp);
    if (rc != JQL_OK && rc != JQL_EIO) {
        fprintf(stderr, "%s: %s: %s\n", prog, cli_display_name(criteria_file), jql_last_error());
        cli_output_discard(o); /* the temporary file goes; FILE is untouched */
        return cli_exit_for_status(rc);
    }
    /* JQL_EIO: a short write left ferror() set, which the close reports */
    return output ? cli_output_close(prog, o) : cli_finish_stdout(prog);
}

/* --compare/--weight -f json: the comparison streamed to stdout or -o
   FILE (a temporary file renamed over it once complete). A CLI_EXIT_*
   code; what failed is named after `what`. */
static int write_comparison(const char *output, const jql_compare_side *before,
                            const jql_results *after, const char *what)
{
    cli_output *o = NULL;
    int code = CLI_EXIT_OK;
    FILE *fp = stdout;
    if (output && !(fp = cli_output_open(prog, output, &o, &code)))
        return code;
    int rc = jql_compare_side_write(before, after, fp);
    if (rc != JQL_OK && rc != JQL_EIO) {
        fprintf(stderr, "%s: %s: %s\n", prog, what, jql_last_error());
        cli_output_discard(o);
        return cli_exit_for_status(rc);
    }
    return output ? cli_output_close(prog, o) : cli_finish_stdout(prog);
}

/* A scoring's warnings (an empty period, a leaf no unit has data for),
   after the name of the criteria they are about, as the plain jql-score
   prints them: a typo in an id looks exactly like this. */
static void print_warnings(const char *name, const jql_diagnostics *warn)
{
    if (jql_diagnostics_count(warn))
        cli_print_diagnostics(stderr, name, warn, JQL_OK, NULL);
}

/* Score ds under c (before) and c2 (after) one at a time, each with the
   scoring options of the command line (@p opts: --as-of, --allow-empty,
   --threads): the before scoring is freed once what the comparison reads
   of it is kept, and neither keeps evidence, which no comparison shows
   (issue 10: two scorings of 1,000 units x 4,400 criteria held 585 MB).
   A failed scoring is reported after the name of its side (@p before_name,
   @p after_name), and so are its warnings (the after side's only when
   @p warn_after: the same sheet reweighted warns as the sheet). Text goes to b; JSON is streamed (*written, its
   CLI_EXIT_* code in *status). */
static int compare_scorings(const jql_dataset *ds, const jql_criteria *c, const jql_criteria *c2,
                            const char *period, const jql_score_options *opts,
                            const char *before_name, const char *after_name, bool warn_after,
                            bool json,
                            const char *output, obuf *b, bool *written, int *status)
{
    jql_score_options so = *opts;
    so.flags |= JQL_SCORE_NO_EVIDENCE;
    jql_results *r = NULL;
    jql_compare_side *before = NULL;
    jql_comparison *cmp = NULL;
    const char *failed = before_name;
    int rc = jql_score_with(ds, c, period, &so, &r);
    if (rc == JQL_OK) {
        print_warnings(before_name, jql_results_diagnostics(r));
        rc = jql_compare_side_new(r, &before);
    }
    jql_results_free(r);
    r = NULL;
    if (rc == JQL_OK) {
        failed = after_name;
        if ((rc = jql_score_with(ds, c2, period, &so, &r)) == JQL_OK && warn_after)
            print_warnings(after_name, jql_results_diagnostics(r));
    }
    if (rc == JQL_OK && json) {
        *status = write_comparison(output, before, r, cli_display_name(output ? output : "-"));
        *written = true;
    } else if (rc == JQL_OK &&
               (rc = jql_compare_side_compare(before, r, JQL_COMPARE_UNITS_ONLY, &cmp)) == JQL_OK) {
        text_compare(b, cmp);
    }
    if (rc != JQL_OK)
        fprintf(stderr, "%s: %s: %s\n", prog, failed, jql_last_error());
    jql_comparison_free(cmp);
    jql_results_free(r);
    jql_compare_side_free(before);
    return rc;
}

int score_analysis_main(int argc, char **argv)
{
    const char *files[2] = {NULL, NULL}, *period = NULL, *output = NULL, *compare = NULL;
    const char *periods = NULL, *pct = NULL, *runs_s = NULL, *seed_s = NULL;
    bool plans = false, json = false, leaves = false;
    /* --as-of, --allow-empty and --threads: every scoring of every mode */
    jql_score_options sopts = JQL_SCORE_OPTIONS_INIT;
    sopts.allow_empty_name = CLI_ALLOW_EMPTY_NAME;
    size_t nfiles = 0, modes = 0, nweights = 0;
    enum { MAX_WEIGHTS = 32 };
    const char *weights[MAX_WEIGHTS];
    for (int i = 1; i < argc; i++) {
        const char *val = NULL;
        int r;
        const char **slot = NULL;
        if ((r = cli_option_value(argc, argv, &i, "weight", 0, &val)) != 0) {
            if (r < 0 || !val || !strchr(val, '=') || nweights == MAX_WEIGHTS) {
                fprintf(stderr, "%s: --weight takes NODE=MAX (at most %d times)\n", prog,
                        MAX_WEIGHTS);
                return CLI_EXIT_USAGE;
            }
            modes += nweights == 0;
            weights[nweights++] = val;
            continue;
        }
        if ((r = cli_max_input_option(argc, argv, &i, prog)) != 0) {
            if (r < 0)
                return CLI_EXIT_USAGE;
            continue;
        }
        if ((r = cli_threads_option(argc, argv, &i, prog)) != 0) {
            if (r < 0)
                return CLI_EXIT_USAGE;
            continue;
        }
        if ((r = cli_score_option(argc, argv, &i, prog, &sopts)) != 0) {
            if (r < 0)
                return CLI_EXIT_USAGE;
            continue;
        }
        if (cli_is_flag(argv[i], "plans", 0)) {
            plans = true;
            modes++;
            continue;
        }
        if (cli_is_flag(argv[i], "leaves", 0)) {
            leaves = true;
            continue;
        }
        struct {
            const char *name;
            char sh;
            const char **slot;
        } opts[] = {{"period", 'p', &period},     {"output", 'o', &output},
                    {"compare", 0, &compare},     {"periods", 0, &periods},
                    {"sensitivity", 0, &pct},     {"runs", 0, &runs_s},
                    {"seed", 0, &seed_s},         {"format", 'f', NULL}};
        for (size_t o = 0; o < sizeof opts / sizeof opts[0]; o++) {
            r = cli_option_value(argc, argv, &i, opts[o].name, opts[o].sh, &val);
            if (r == 0)
                continue;
            if (r < 0 || !val) {
                fprintf(stderr, "%s: option --%s needs a value\n", prog, opts[o].name);
                return CLI_EXIT_USAGE;
            }
            slot = opts[o].slot ? opts[o].slot : &val;
            if (!opts[o].slot) {
                if (strcmp(val, "json") == 0)
                    json = true;
                else if (strcmp(val, "text") == 0)
                    json = false;
                else {
                    fprintf(stderr, "%s: unknown format \"%s\" (text or json here)\n", prog, val);
                    return CLI_EXIT_USAGE;
                }
            } else {
                *slot = val;
                modes += slot == &compare || slot == &periods || slot == &pct;
            }
            break;
        }
        if (slot)
            continue;
        if (cli_option_value(argc, argv, &i, "csv-dialect", 0, &val) != 0) {
            fprintf(stderr, "%s: --csv-dialect applies to --format csv, not to --compare, "
                            "--weight, --periods, --sensitivity or --plans\n", prog);
            return CLI_EXIT_USAGE;
        }
        if (cli_option_value(argc, argv, &i, "evidence", 0, &val) != 0) {
            fprintf(stderr, "%s: --evidence applies to the results of --format json, not to "
                            "--compare, --weight, --periods, --sensitivity or --plans\n", prog);
            return CLI_EXIT_USAGE;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "%s: unknown option %s\n", prog, argv[i]);
            return CLI_EXIT_USAGE;
        }
        if (nfiles == 2) {
            fprintf(stderr, "%s: too many arguments\n", prog);
            return CLI_EXIT_USAGE;
        }
        files[nfiles++] = argv[i];
    }
    if (nfiles != 2 || modes != 1) {
        fprintf(stderr, "%s: give DATASET CRITERIA and one of --compare, --weight, --periods, "
                        "--sensitivity, --plans\n", prog);
        return CLI_EXIT_USAGE;
    }
    cli_score_threads(&sopts);
    jql_sensitivity_options so = JQL_SENSITIVITY_OPTIONS_INIT;
    if (pct) {
        jql_milli p;
        unsigned long long v;
        if (jql_milli_parse(pct, &p) != JQL_OK || p < 0 || p > 100000) {
            fprintf(stderr, "%s: --sensitivity takes a percentage from 0 to 100, not \"%s\"\n",
                    prog, pct);
            return CLI_EXIT_USAGE;
        }
        so.percent = p;
        if (runs_s) {
            if (!parse_u64(runs_s, JQL_SENS_MAX_RUNS, &v)) {
                fprintf(stderr, "%s: --runs takes a whole number from 0 to %u\n", prog,
                        JQL_SENS_MAX_RUNS);
                return CLI_EXIT_USAGE;
            }
            so.runs = (unsigned)v;
        }
        if (seed_s) {
            if (!parse_u64(seed_s, UINT64_MAX, &v)) {
                fprintf(stderr, "%s: --seed takes a whole number\n", prog);
                return CLI_EXIT_USAGE;
            }
            so.seed = v;
        }
        if (leaves)
            so.flags |= JQL_SENS_LEAVES;
    } else if (runs_s || seed_s || leaves) {
        fprintf(stderr, "%s: --runs, --seed and --leaves go with --sensitivity\n", prog);
        return CLI_EXIT_USAGE;
    }
    /* --periods: a comma-separated list */
    char *plist = NULL;
    const char *pv[JQL_TREND_MAX_PERIODS];
    size_t np = 0;
    if (periods) {
        if (!(plist = strdup(periods))) {
            fprintf(stderr, "%s: out of memory\n", prog);
            return CLI_EXIT_NOMEM;
        }
        for (char *p = plist, *e; p; p = e) {
            if ((e = strchr(p, ',')))
                *e++ = '\0';
            if (!*p || np == JQL_TREND_MAX_PERIODS) {
                fprintf(stderr, "%s: --periods takes 1 to %u comma-separated period ids\n", prog,
                        JQL_TREND_MAX_PERIODS);
                free(plist);
                return CLI_EXIT_USAGE;
            }
            pv[np++] = p;
        }
    }

    jql_dataset *ds = NULL;
    jql_criteria *c = NULL, *c2 = NULL;
    jql_results *res = NULL;
    jql_trend *trend = NULL;
    jql_sensitivity *sens = NULL;
    jql_diagnostics *diag = NULL;
    char *errmsg = NULL, *text = NULL;
    size_t len = 0;
    obuf out = {0};
    int plans_status = CLI_EXIT_OK, streamed_status = CLI_EXIT_OK;
    bool streamed = false; /* a comparison written already */
    int rc = cli_load_dataset(files[0], &ds, &diag, &errmsg);
    if (rc != JQL_OK || jql_diagnostics_count(diag))
        cli_print_diagnostics(stderr, cli_display_name(files[0]), diag, rc, errmsg);
    jql_diagnostics_free(diag);
    free(errmsg);
    if (rc == JQL_OK)
        rc = load_criteria(files[1], &c);
    if (rc == JQL_OK && compare) {
        if ((rc = load_criteria(compare, &c2)) == JQL_OK)
            rc = compare_scorings(ds, c, c2, period, &sopts, cli_display_name(files[1]),
                                  cli_display_name(compare), true, json, output, &out, &streamed,
                                  &streamed_status);
    } else if (rc == JQL_OK && nweights) {
        /* the same sheet with the weights changed, one edit at a time; the
           custom function reads maxima from the set it is registered on */
        rc = jql_criteria_clone(c, &c2);
        if (rc == JQL_OK)
            rc = cli_register_custom_functions(c2);
        for (size_t w = 0; rc == JQL_OK && w < nweights; w++) {
            const char *eq = strrchr(weights[w], '=');
            char node[256];
            jql_milli max;
            size_t nl = (size_t)(eq - weights[w]);
            if (nl == 0 || nl >= sizeof node || jql_milli_parse(eq + 1, &max) != JQL_OK) {
                fprintf(stderr, "%s: --weight %s: expected NODE=MAX with a decimal MAX\n", prog,
                        weights[w]);
                rc = JQL_EINVALID;
                break;
            }
            memcpy(node, weights[w], nl);
            node[nl] = '\0';
            jql_diagnostics *d = NULL;
            rc = jql_criteria_set_max(c2, node, max, JQL_EDIT_KEEP_TOTAL, &d);
            if (rc != JQL_OK || jql_diagnostics_count(d))
                cli_print_diagnostics(stderr, "--weight", d, rc, jql_last_error());
            jql_diagnostics_free(d);
        }
        if (rc == JQL_OK)
            rc = compare_scorings(ds, c, c2, period, &sopts, cli_display_name(files[1]),
                                  "--weight", false, json, output, &out, &streamed, &streamed_status);
    } else if (rc == JQL_OK && periods) {
        /* each period scored as the plain jql-score scores it with the same
           options (no evidence: the table shows none) */
        if ((rc = jql_score_periods_table_with(ds, c, pv, np, &sopts, &trend)) == JQL_OK) {
            print_warnings(cli_display_name(files[1]), jql_trend_diagnostics(trend));
            if (json)
                rc = jql_trend_to_json(trend, &text, &len);
            else
                text_trend(&out, trend);
        }
        if (rc)
            fprintf(stderr, "%s: %s: %s\n", prog, cli_display_name(files[1]), jql_last_error());
    } else if (rc == JQL_OK) {
        /* one scoring with the command line's options, evidence kept (the
           plans cite it); the sensitivity's perturbations are computed from
           its section points, not scored again */
        if ((rc = jql_score_with(ds, c, period, &sopts, &res)) == JQL_OK) {
            print_warnings(cli_display_name(files[1]), jql_results_diagnostics(res));
            if (plans)
                plans_status = write_plans(output, res, c, files[1]);
            else if ((rc = jql_sensitivity_run(res, c, &so, &sens)) == JQL_OK) {
                if (json)
                    rc = jql_sensitivity_to_json(sens, &text, &len);
                else
                    text_sensitivity(&out, sens, res);
            }
        }
        if (rc)
            fprintf(stderr, "%s: %s: %s\n", prog, cli_display_name(files[1]), jql_last_error());
    }
    int status = rc == JQL_OK ? CLI_EXIT_OK : cli_exit_for_status(rc);
    if (rc == JQL_OK && plans) {
        status = plans_status; /* written already */
    } else if (rc == JQL_OK && streamed) {
        status = streamed_status;
    } else if (rc == JQL_OK && out.failed) {
        fprintf(stderr, "%s: out of memory\n", prog);
        status = CLI_EXIT_NOMEM;
    } else if (rc == JQL_OK) {
        const char *data = text ? text : out.data ? out.data : "";
        size_t n = text ? len : out.len;
        if (output) {
            status = cli_write_output(prog, output, data, n);
        } else {
            fwrite(data, 1, n, stdout);
            status = cli_finish_stdout(prog);
        }
    }
    jql_free(text);
    free(out.data);
    free(plist);
    jql_sensitivity_free(sens);
    jql_trend_free(trend);
    jql_results_free(res);
    jql_criteria_free(c);
    jql_criteria_free(c2);
    jql_dataset_free(ds);
    return status;
}
