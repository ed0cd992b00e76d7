/*
 * jql-score — score a dataset with a criteria set and print the scoreboard.
 *
 *   jql-score DATASET CRITERIA [--period P] [--as-of DATE] [--allow-empty]
 *             [--format text|json|csv] [--threads N|auto] [-o FILE]
 *
 * (the what-if modes, score_analysis.c, take --as-of, --allow-empty and
 * --threads too, for every scoring they make)
 *
 * text: a readable scoreboard (columns aligned by display width, so
 * Vietnamese names line up); json: jql_results_to_json(); csv: one row per
 * unit (RFC 4180). -o writes the output atomically (cli_output.c). Exit
 * status: 0 done, 1 invalid input (diagnostics on stderr, like
 * jql-validate), 2 usage error, 3 a file could not be read or written,
 * 4 out of memory. Public API only.
 *
 * Registers the custom function "mediation_success_rate" (used by the
 * example sheet criteria-2014-custom.json; the bundled sheet needs none):
 * points = max × (successful mediations ÷ mediation cases), from the
 * indicators "mediation-success" and "mediation-cases" over the scored
 * period; 0 when the unit had no mediation case; an error when the
 * dataset lacks either indicator. It only reads the dataset, so with
 * --threads the scoring may call it from any of its threads
 * (JQL_SCORE_CUSTOM_ANY_THREAD).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <justice_quarterly.h>

#include "cli_common.h"
#include "custom_functions.h"
#include "score_export.h"
#include "score_analysis.h"

static const char *prog = "jql-score";

enum out_format { OUT_TEXT, OUT_JSON, OUT_CSV, OUT_XLSX };

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: %s [OPTION]... DATASET CRITERIA\n"
            "Score a justice-quarterly dataset with a criteria set (docs/CRITERIA.md);\n"
            "\"-\" reads the dataset from standard input.\n"
            "\n"
            "  -p, --period=ID    score this period instead of the criteria set's own\n"
            "      --as-of=DATE   score as things stood on DATE (YYYY-MM-DD): nothing dated\n"
            "                     after it counts (docs/CRITERIA.md, \"As-of date\")\n"
            "      --allow-empty  score a period in which the scored units have no record\n"
            "                     (otherwise an error: most often a mistyped period)\n"
            "  -f, --format=FMT   output format: text (default), json, csv or xlsx\n"
            "                     (xlsx needs -o; see docs/CSV.md for both spreadsheet forms)\n"
            "      --csv-dialect=D\n"
            "                     csv as default (',' and '.', English headers, tier ids)\n"
            "                     or excel-vi (BOM, ';', decimal comma, Vietnamese\n"
            "                     headers, tier names)\n"
            "  -l, --lang=LANG    text in en (default) or vi (Vietnamese words)\n"
            "  -o, --output=FILE  write the output to FILE (atomically) instead of stdout\n"
            "      --evidence=LVL json evidence: full (default), ids (JSON Pointers into the\n"
            "                     dataset) or none; json is streamed, never held whole\n"
            "      --max-input-size=SIZE  accept inputs up to SIZE bytes (K, M, G suffixes;\n"
            "                     default 512M)\n"
            "      --threads=N    score on up to N threads (default 1), or auto: one per\n"
            "                     online CPU; the output is the same bytes whatever N\n"
            "                     (a sheet with a roll-up measure is scored on one;\n"
            "                     each thread takes at least %u units)\n"
            "      --compare=CRITERIA2  compare with a scoring under CRITERIA2\n"
            "      --weight=NODE=MAX    compare with NODE worth MAX (siblings rescaled)\n"
            "      --periods=P1,P2,...  score several periods: scores, ranks, movement\n"
            "      --sensitivity=PCT    rank ranges under +-PCT%% section weights\n"
            "        [--runs=N] [--seed=S]  Monte Carlo runs (1000) and seed (0)\n"
            "        [--leaves]             also each leaf among its siblings\n"
            "      --plans              improvement plans (JSON)\n"
            "                     these modes write --format text or json (not csv, xlsx);\n"
            "                     --as-of, --allow-empty and --threads reach every scoring\n"
            "                     they make: both sides of --compare and --weight, each\n"
            "                     period of --periods (on N threads in turn), the one\n"
            "                     scoring --sensitivity and --plans are computed from\n"
            "  -h, --help         show this help and exit\n"
            "  -V, --version      show the library version and exit\n"
            "\n"
            "Text marks: L leads its cluster, V capped by a veto, Q moved down by a quota,\n"
            "T moved down because tied units straddled a quota.\n"
            "\n"
            "Exit status: 0 done, 1 invalid input, 2 usage error, 3 I/O error,\n"
            "4 out of memory.\n",
            prog, JQL_SCORE_UNITS_PER_THREAD);
}

static void sb_milli(cli_buf *b, jql_milli v)
{
    char tmp[40];
    jql_milli_format(v, 3, tmp, sizeof tmp);
    cli_buf_puts(b, tmp);
}

/* Display width: UTF-8 code points, not bytes. */
static size_t display_width(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static void sb_pad(cli_buf *b, const char *s, size_t width)
{
    cli_buf_puts(b, s ? s : "");
    for (size_t w = display_width(s); w < width; w++)
        cli_buf_add(b, " ", 1);
}

/* ---- output formats ----------------------------------------------------- */

static const char *tier_name(const cli_tiers *tiers, const char *id)
{
    size_t i = cli_tiers_find(tiers, id);
    if (i != SIZE_MAX) {
        const char *name = jql_criteria_tier_name(tiers->c, i);
        return name ? name : id;
    }
    return id ? id : "";
}

static void marks(const jql_results *r, size_t k, char out[8])
{
    size_t n = 0;
    if (jql_results_unit_is_leader(r, k))
        out[n++] = 'L';
    if (jql_results_unit_veto_count(r, k))
        out[n++] = 'V';
    if (jql_results_unit_quota_demoted(r, k))
        out[n++] = 'Q';
    if (jql_results_unit_quota_tie(r, k))
        out[n++] = 'T';
    out[n] = '\0';
}

/* The text scoreboard's words, in Vietnamese and English: one language per
   output, and every column named for what it holds. */
typedef struct text_labels {
    const char *criteria, *period, *units, *rank, *cluster_rank, *unit, *final, *tier, *marks,
        *gap, *held, *veto, *quota, *as_of;
} text_labels;

static const text_labels labels_en = {
    "Criteria", "Scored period", "units scored", "Rank", "In cluster", "Unit", "Final", "Tier",
    "Marks", "Gap", "Held back by", "veto", "quota", "as of"};
static const text_labels labels_vi = {
    "Bộ tiêu chí", "Kỳ chấm điểm", "đơn vị được chấm", "Hạng", "Hạng cụm", "Đơn vị",
    "Tổng điểm", "Xếp loại", "Ký hiệu", "Còn thiếu", "Bị giữ lại do", "điều kiện loại trừ",
    "tỷ lệ khống chế", "tính đến ngày"};

/* ", as of 2014-12-20" (vi: ", tính đến ngày 20/12/2014", the reports' date
   style) after the period when the results were scored as of a date; ""
   when not, so that such a header is what it always was. */
static void as_of_clause(const jql_results *r, const text_labels *L, bool vi, char out[64])
{
    const char *as_of = jql_results_as_of(r);
    jql_date d;
    int y, m, day;
    out[0] = '\0';
    if (!as_of)
        return;
    if (vi && jql_date_parse(as_of, &d) == JQL_OK) {
        jql_date_to_ymd(d, &y, &m, &day);
        snprintf(out, 64, ", %s %d/%d/%d", L->as_of, day, m, y);
    } else {
        snprintf(out, 64, ", %s %s", L->as_of, as_of);
    }
}

/* Right-align s in width display columns. */
static void sb_rpad(cli_buf *b, const char *s, size_t width)
{
    for (size_t w = display_width(s); w < width; w++)
        cli_buf_add(b, " ", 1);
    cli_buf_puts(b, s);
}

static size_t max_sz(size_t a, size_t b) { return a > b ? a : b; }

/* The widest the name and tier columns are padded to (display columns). */
#define TEXT_MAX_PAD 100

/* Vietnamese writes the decimal separator as a comma (93,550). */
static void vi_decimal(char *num, bool vi)
{
    char *dot = vi ? strchr(num, '.') : NULL;
    if (dot)
        *dot = ',';
}

static void write_text(cli_buf *b, const jql_results *r, const jql_criteria *c, bool vi)
{
    const text_labels *L = vi ? &labels_vi : &labels_en;
    size_t n = jql_results_unit_count(r);
    size_t wname = display_width(L->unit), wtier = display_width(L->tier);
    cli_tiers tiers;
    if (!cli_tiers_init(&tiers, c))
        b->failed = true;
    for (size_t k = 0; k < n; k++) {
        wname = max_sz(wname, display_width(jql_results_unit_name(r, k)));
        wtier = max_sz(wtier, display_width(tier_name(&tiers, jql_results_unit_tier(r, k))));
    }
    /* a longer name is written whole but pads no other row: one 60,000
       character name padded all 20,000 rows to it (1.2 GB in 6.6 s) */
    wname = wname < TEXT_MAX_PAD ? wname : TEXT_MAX_PAD;
    wtier = wtier < TEXT_MAX_PAD ? wtier : TEXT_MAX_PAD;
    size_t wrank = max_sz(4, display_width(L->rank)), wcl = max_sz(7, display_width(L->cluster_rank));
    size_t wfin = max_sz(9, display_width(L->final)), wmk = max_sz(5, display_width(L->marks));
    size_t wgap = max_sz(8, display_width(L->gap));
    const char *name = jql_criteria_name(c);
    char when[64];
    as_of_clause(r, L, vi, when);
    cli_buf_printf(b, "%s: %s\n%s: %s%s, %zu %s\n\n", L->criteria,
                   name ? name : jql_results_criteria_id(r), L->period, jql_results_period(r),
                   when, n, L->units);
    sb_rpad(b, L->rank, wrank);
    cli_buf_puts(b, "  ");
    sb_rpad(b, L->cluster_rank, wcl);
    cli_buf_puts(b, "  ");
    sb_pad(b, L->unit, wname);
    cli_buf_puts(b, "  ");
    sb_rpad(b, L->final, wfin);
    cli_buf_puts(b, "  ");
    sb_pad(b, L->tier, wtier);
    cli_buf_puts(b, "  ");
    sb_pad(b, L->marks, wmk);
    cli_buf_puts(b, " ");
    sb_rpad(b, L->gap, wgap);
    cli_buf_printf(b, "  %s\n", L->held);
    for (size_t k = 0; k < n; k++) {
        char mk[8], num[40];
        cli_buf_printf(b, "%*zu  ", (int)wrank, jql_results_unit_rank(r, k));
        if (jql_results_unit_cluster(r, k))
            cli_buf_printf(b, "%*zu  ", (int)wcl, jql_results_unit_cluster_rank(r, k));
        else
            cli_buf_printf(b, "%*s  ", (int)wcl, "-");
        sb_pad(b, jql_results_unit_name(r, k), wname);
        jql_milli_format(jql_results_unit_value(r, k, JQL_RESULT_FIELD_FINAL), 3, num, sizeof num);
        vi_decimal(num, vi);
        cli_buf_puts(b, "  ");
        sb_rpad(b, num, wfin);
        cli_buf_puts(b, "  ");
        sb_pad(b, tier_name(&tiers, jql_results_unit_tier(r, k)), wtier);
        marks(r, k, mk);
        cli_buf_puts(b, "  ");
        sb_pad(b, mk, wmk);
        jql_milli_format(jql_results_unit_value(r, k, JQL_RESULT_FIELD_GAP), 3, num, sizeof num);
        vi_decimal(num, vi);
        cli_buf_puts(b, " ");
        sb_rpad(b, num, wgap);
        cli_buf_puts(b, "  ");
        const char *held = jql_results_unit_held_back(r, k);
        cli_buf_puts(b, strcmp(held, "veto") == 0 ? L->veto : strcmp(held, "quota") == 0 ? L->quota : "-");
        for (size_t v = 0; v < jql_results_unit_veto_count(r, k); v++)
            cli_buf_printf(b, "%s%s", v ? ", " : " (", jql_results_unit_veto_reason(r, k, v));
        if (jql_results_unit_veto_count(r, k))
            cli_buf_puts(b, ")");
        /* trailing blanks never end a line */
        while (b->len && b->data[b->len - 1] == ' ')
            b->data[--b->len] = '\0';
        cli_buf_puts(b, "\n");
    }
    cli_tiers_free(&tiers);
}

static void csv_field(cli_buf *b, const char *s)
{
    s = s ? s : "";
    if (!strpbrk(s, ",\"\r\n")) {
        cli_buf_puts(b, s);
        return;
    }
    cli_buf_puts(b, "\"");
    for (; *s; s++)
        cli_buf_add(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
    cli_buf_puts(b, "\"");
}

static void write_csv(cli_buf *b, const jql_results *r)
{
    /* the columns are named as the results document names the fields */
    static const jql_result_field nums[] = {
        JQL_RESULT_FIELD_TOTAL,      JQL_RESULT_FIELD_APPLICABLE_MAX, JQL_RESULT_FIELD_NORMALIZED,  JQL_RESULT_FIELD_BONUS,
        JQL_RESULT_FIELD_DEDUCTIONS, JQL_RESULT_FIELD_FINAL,          JQL_RESULT_FIELD_SELF_TOTAL,
    };
    size_t nn = sizeof nums / sizeof nums[0];
    cli_buf_puts(b, "rank,cluster_rank,unit_id,unit_name,cluster");
    for (size_t i = 0; i < nn; i++)
        cli_buf_printf(b, ",%s", jql_result_field_name(nums[i]));
    cli_buf_puts(b, ",tier,tier_before_caps,leader,vetoes,quota_demoted,quota_tie,gap,held_back\r\n");
    for (size_t k = 0; k < jql_results_unit_count(r); k++) {
        cli_buf_printf(b, "%zu,", jql_results_unit_rank(r, k));
        if (jql_results_unit_cluster(r, k))
            cli_buf_printf(b, "%zu", jql_results_unit_cluster_rank(r, k));
        cli_buf_puts(b, ",");
        csv_field(b, jql_results_unit_id(r, k));
        cli_buf_puts(b, ",");
        csv_field(b, jql_results_unit_name(r, k));
        cli_buf_puts(b, ",");
        csv_field(b, jql_results_unit_cluster(r, k));
        for (size_t i = 0; i < nn; i++) {
            cli_buf_puts(b, ",");
            sb_milli(b, jql_results_unit_value(r, k, nums[i]));
        }
        cli_buf_puts(b, ",");
        csv_field(b, jql_results_unit_tier(r, k));
        cli_buf_puts(b, ",");
        csv_field(b, jql_results_unit_tier_before_caps(r, k));
        cli_buf_puts(b, jql_results_unit_is_leader(r, k) ? ",true," : ",false,");
        cli_buf v = {0};
        for (size_t i = 0; i < jql_results_unit_veto_count(r, k); i++) {
            if (i)
                cli_buf_puts(&v, ";");
            cli_buf_puts(&v, jql_results_unit_veto_id(r, k, i));
        }
        csv_field(b, v.data);
        if (v.failed)
            b->failed = true;
        free(v.data);
        cli_buf_puts(b, jql_results_unit_quota_demoted(r, k) ? ",true" : ",false");
        cli_buf_puts(b, jql_results_unit_quota_tie(r, k) ? ",true," : ",false,");
        sb_milli(b, jql_results_unit_value(r, k, JQL_RESULT_FIELD_GAP));
        cli_buf_puts(b, ",");
        csv_field(b, jql_results_unit_held_back(r, k));
        cli_buf_puts(b, "\r\n");
    }
}

/* ---- main ------------------------------------------------------------------ */

static int load_criteria(const char *arg, jql_criteria **out)
{
    jql_diagnostics *diag = NULL;
    int rc;
    if (strcmp(arg, "-") == 0)
        rc = jql_criteria_load_file_ext(stdin, "<stdin>", cli_load_options(), out, &diag);
    else
        rc = jql_criteria_load_path_ext(arg, cli_load_options(), out, &diag);
    if (rc != JQL_OK || jql_diagnostics_count(diag))
        cli_print_diagnostics(stderr, cli_display_name(arg), diag, rc, jql_last_error());
    jql_diagnostics_free(diag);
    return rc;
}

int main(int argc, char **argv)
{
    const char *period = NULL, *output = NULL, *files[2] = {NULL, NULL};
    jql_score_options sopts = JQL_SCORE_OPTIONS_INIT;
    sopts.allow_empty_name = CLI_ALLOW_EMPTY_NAME;
    bool vi = false;
    enum out_format fmt = OUT_TEXT;
    jql_evidence_level evidence = JQL_EVIDENCE_FULL;
    bool excel_vi = false;
    size_t nfiles = 0;
    if (score_analysis_wanted(argc, argv)) { /* --compare, --weight, --periods, ... */
        /* --help and --version still answer next to an analysis option. */
        for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
            if (cli_is_flag(argv[i], "help", 'h')) {
                usage(stdout);
                return cli_finish_stdout(prog);
            }
            if (cli_is_flag(argv[i], "version", 'V')) {
                printf("%s %s\n", prog, jql_version());
                return cli_finish_stdout(prog);
            }
        }
        return score_analysis_main(argc, argv);
    }
    for (int i = 1; i < argc; i++) {
        const char *val = NULL;
        int r;
        if (cli_is_flag(argv[i], "help", 'h')) {
            usage(stdout);
            return cli_finish_stdout(prog);
        }
        if (cli_is_flag(argv[i], "version", 'V')) {
            printf("%s %s\n", prog, jql_version());
            return cli_finish_stdout(prog);
        }
        if ((r = cli_score_option(argc, argv, &i, prog, &sopts)) != 0) {
            if (r < 0)
                return CLI_EXIT_USAGE; /* --as-of, --allow-empty */
            continue;
        }
        if ((r = cli_option_value(argc, argv, &i, "period", 'p', &val)) ||
            (r = cli_option_value(argc, argv, &i, "output", 'o', &output)) != 0) {
            if (r < 0) {
                fprintf(stderr, "%s: option %s needs a value\n", prog, argv[i]);
                return CLI_EXIT_USAGE;
            }
            if (val)
                period = val;
            continue;
        }
        if ((r = cli_option_value(argc, argv, &i, "lang", 'l', &val)) != 0) {
            if (r < 0 || !val || (strcmp(val, "vi") != 0 && strcmp(val, "en") != 0)) {
                fprintf(stderr, "%s: option --lang needs vi or en\n", prog);
                return CLI_EXIT_USAGE;
            }
            vi = strcmp(val, "vi") == 0;
            continue;
        }
        if ((r = cli_max_input_option(argc, argv, &i, prog)) != 0 ||
            (r = cli_threads_option(argc, argv, &i, prog)) != 0) {
            if (r < 0)
                return CLI_EXIT_USAGE;
            continue;
        }
        if ((r = cli_option_value(argc, argv, &i, "evidence", 0, &val)) != 0) {
            if (r < 0 || !val) {
                fprintf(stderr, "%s: option --evidence needs a value\n", prog);
                return CLI_EXIT_USAGE;
            }
            if (jql_evidence_level_from_name(val, &evidence) != JQL_OK) {
                fprintf(stderr, "%s: unknown evidence level \"%s\" (full, ids or none)\n", prog,
                        val);
                return CLI_EXIT_USAGE;
            }
            continue;
        }
        if ((r = cli_option_value(argc, argv, &i, "csv-dialect", 0, &val)) != 0) {
            if (r < 0 || (strcmp(val, "default") != 0 && strcmp(val, "excel-vi") != 0)) {
                fprintf(stderr, "%s: --csv-dialect is default or excel-vi\n", prog);
                return CLI_EXIT_USAGE;
            }
            excel_vi = strcmp(val, "excel-vi") == 0;
            continue;
        }
        if ((r = cli_option_value(argc, argv, &i, "format", 'f', &val)) != 0) {
            if (r < 0 || !val) {
                fprintf(stderr, "%s: option --format needs a value\n", prog);
                return CLI_EXIT_USAGE;
            }
            if (strcmp(val, "text") == 0)
                fmt = OUT_TEXT;
            else if (strcmp(val, "json") == 0)
                fmt = OUT_JSON;
            else if (strcmp(val, "csv") == 0)
                fmt = OUT_CSV;
            else if (strcmp(val, "xlsx") == 0)
                fmt = OUT_XLSX;
            else {
                fprintf(stderr, "%s: unknown format \"%s\" (text, json, csv or xlsx)\n", prog, val);
                return CLI_EXIT_USAGE;
            }
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "%s: unknown option %s\n", prog, argv[i]);
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
        if (nfiles == 2) {
            fprintf(stderr, "%s: too many arguments\n", prog);
            return CLI_EXIT_USAGE;
        }
        files[nfiles++] = argv[i];
    }
    if (nfiles != 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (fmt == OUT_XLSX && !output) {
        fprintf(stderr, "%s: --format xlsx needs -o FILE\n", prog);
        return CLI_EXIT_USAGE;
    }
    if (excel_vi && fmt != OUT_CSV) {
        fprintf(stderr, "%s: --csv-dialect applies to --format csv\n", prog);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(files[0], "-") == 0 && strcmp(files[1], "-") == 0) {
        fprintf(stderr, "%s: only one input can be standard input\n", prog);
        return CLI_EXIT_USAGE;
    }

    jql_dataset *ds = NULL;
    jql_criteria *c = NULL;
    jql_results *res = NULL;
    jql_diagnostics *diag = NULL;
    char *errmsg = NULL;
    int rc = cli_load_dataset(files[0], &ds, &diag, &errmsg);
    if (rc != JQL_OK || jql_diagnostics_count(diag))
        cli_print_diagnostics(stderr, cli_display_name(files[0]), diag, rc, errmsg);
    jql_diagnostics_free(diag);
    free(errmsg);
    if (rc != JQL_OK)
        return cli_exit_for_status(rc);
    if ((rc = load_criteria(files[1], &c)) != JQL_OK) {
        jql_dataset_free(ds);
        return cli_exit_for_status(rc);
    }
    rc = cli_register_custom_functions(c);
    if (rc == JQL_OK) {
        cli_score_threads(&sopts); /* --threads: the same bytes whatever the number */
        /* text and csv show no evidence (json --evidence none neither; the
           xlsx sheets do): a deep tree's roll-ups then cost one sum per
           subtree, not a list of the subtree per unit */
        if (fmt == OUT_TEXT || fmt == OUT_CSV || (fmt == OUT_JSON && evidence == JQL_EVIDENCE_NONE))
            sopts.flags |= JQL_SCORE_NO_EVIDENCE;
        rc = jql_score_with(ds, c, period, &sopts, &res);
    }
    if (rc != JQL_OK) {
        fprintf(stderr, "%s: %s: %s\n", prog, cli_display_name(files[1]), jql_last_error());
        jql_criteria_free(c);
        jql_dataset_free(ds);
        return cli_exit_for_status(rc);
    }

    /* warnings about the scoring (an empty period, leaves without data) */
    const jql_diagnostics *warn = jql_results_diagnostics(res);
    if (jql_diagnostics_count(warn))
        cli_print_diagnostics(stderr, cli_display_name(files[1]), warn, JQL_OK, NULL);

    cli_buf out = {0};
    int status = CLI_EXIT_OK;
    /* text: a tier name a row; excel-vi: two (tier and tier before caps) */
    size_t names = fmt == OUT_TEXT ? 1 : fmt == OUT_CSV && excel_vi ? 2 : 0;
    if (names && !cli_repeated_text_fits(prog, fmt == OUT_TEXT ? "--format text" : "--csv-dialect excel-vi",
                                         jql_results_unit_count(res), cli_repeated_text(c, names, 0),
                                         " (or use --format json, which names tiers by id)")) {
        jql_results_free(res);
        jql_criteria_free(c);
        jql_dataset_free(ds);
        return CLI_EXIT_INVALID;
    }
    if (fmt == OUT_JSON) {
        /* streamed: a national scoreboard is never held whole */
        status = cli_write_results_json(prog, output, res, evidence);
        jql_results_free(res);
        jql_criteria_free(c);
        jql_dataset_free(ds);
        return status;
    } else if (fmt == OUT_XLSX) {
        status = score_xlsx_write(prog, output, res, c);
    } else if (fmt == OUT_CSV && excel_vi) {
        char *text = NULL;
        size_t len = 0;
        if (score_csv_excel_vi(res, c, &text, &len))
            cli_buf_add(&out, text, len);
        else
            out.failed = true;
        free(text);
    } else if (fmt == OUT_CSV) {
        write_csv(&out, res);
    } else {
        write_text(&out, res, c, vi);
    }
    if (out.failed) {
        fprintf(stderr, "%s: out of memory\n", prog);
        status = CLI_EXIT_NOMEM;
    } else if (fmt == OUT_XLSX) {
        /* already written by score_xlsx_write(), through cli_output_open() */
    } else if (output) {
        status = cli_write_output(prog, output, out.data ? out.data : "", out.len);
    } else {
        fwrite(out.data ? out.data : "", 1, out.len, stdout);
        status = cli_finish_stdout(prog);
    }
    free(out.data);
    jql_results_free(res);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    return status;
}
