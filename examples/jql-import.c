/*
 * jql-import — build or extend a dataset from CSV files (docs/CSV.md).
 *
 *   jql-import [--into DATASET] [-o FILE] [[--kind K] [--separator C]
 *              [--decimal C] [--period P] CSV]...
 *
 * Options before a CSV file apply to it and to the files after it. All the
 * files are imported or none: on any error every problem is printed as
 * FILE:LINE:COLUMN: HEADER: message and nothing is written. The result must
 * also pass jql_dataset_check(). -o writes atomically (a temporary file
 * renamed into place, as every CLI output: cli_output.c), so it may name
 * the --into dataset itself. Exit status: 0 done, 1 invalid input, 2 usage
 * error, 3 a file could not be read or written, 4 out of memory. Public
 * API only.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <justice_quarterly.h>

#include "cli_common.h"

static const char *prog = "jql-import";

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: %s [OPTION]... CSV...\n"
            "Build a justice-quarterly dataset from CSV files, or add them to one\n"
            "(file kinds and columns: docs/CSV.md). All files are imported or none.\n"
            "\n"
            "  -i, --into=DATASET   start from this dataset (\"-\": standard input)\n"
            "  -o, --output=FILE    write the dataset to FILE atomically (default stdout)\n"
            "  -n, --name=TEXT      set the dataset's name\n"
            "      --max-input-size=SIZE  accept inputs up to SIZE bytes (K, M, G suffixes;\n"
            "                       default 512M)\n"
            "Applying to the CSV files that follow:\n"
            "  -k, --kind=KIND      auto (default), stats, stats-wide, reports, tasks,\n"
            "                       directives, assessments, events, units, indicators\n"
            "  -s, --separator=C    ',' or ';' (default: from the header row)\n"
            "  -d, --decimal=C      decimal mark '.' or ',' (default: from the numbers;\n"
            "                       refused when ambiguous)\n"
            "  -p, --period=ID      period of wide statistics without a period column\n"
            "  -h, --help           show this help and exit\n"
            "  -V, --version        show the library version and exit\n"
            "\n"
            "Exit status: 0 done, 1 invalid input, 2 usage error, 3 I/O error,\n"
            "4 out of memory.\n",
            prog);
}

/* ',' / ';' / '.' from "," or "comma", ";" or "semicolon", "." or "point". */
static char parse_char(const char *v)
{
    if (strcmp(v, ",") == 0 || strcmp(v, "comma") == 0)
        return ',';
    if (strcmp(v, ";") == 0 || strcmp(v, "semicolon") == 0)
        return ';';
    if (strcmp(v, ".") == 0 || strcmp(v, "point") == 0 || strcmp(v, "dot") == 0)
        return '.';
    return 0;
}

typedef struct {
    const char *path;
    jql_csv_options opts;
    bool failed;
} csv_file;

/* After a failed file the dataset is built again without it for the files
   after it, reading --into and the files that imported before it again:
   at most this many bytes in all, then the files left are not checked
   (docs/CSV.md). Without it, a run of failing files costs files x dataset
   (300 failing files after 400 good ones of 23 KB: over two minutes). */
#define IMPORT_MAX_REBUILD (32u * 1024u * 1024u)

/* The --into dataset to build again from: its path, or for standard input
   (which cannot be read twice) its canonical text, kept once loaded. */
typedef struct {
    const char *path; /* NULL: no --into */
    char *text;       /* standard input's dataset, canonical */
    size_t len;
} into_source;

static unsigned long long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && st.st_size > 0 ? (unsigned long long)st.st_size : 0;
}

/* The bytes rebuild() reads to build the dataset as it was before file
   @p upto. */
static unsigned long long rebuild_bytes(const into_source *in, const csv_file *files,
                                        size_t upto)
{
    unsigned long long n = in->text ? in->len : in->path ? file_size(in->path) : 0;
    for (size_t k = 0; k < upto; k++)
        if (!files[k].failed)
            n += file_size(files[k].path);
    return n;
}

/* The dataset as it was before file @p upto: --into (or a new one) and the
   files before it that imported, again, silently (their messages are out
   already). Only after a failure, which leaves nothing to write. */
static int rebuild(const into_source *in, const char *name, const csv_file *files, size_t upto,
                   jql_dataset **out)
{
    jql_dataset *ds = NULL;
    int rc = JQL_OK;
    if (in->text) {
        rc = jql_dataset_load_buffer_ext(in->text, in->len, "<stdin>", cli_load_options(), &ds,
                                         NULL);
    } else if (in->path) {
        char *errmsg = NULL;
        rc = cli_load_dataset(in->path, &ds, NULL, &errmsg);
        free(errmsg);
    } else if (!(ds = jql_dataset_new())) {
        rc = JQL_ENOMEM;
    }
    if (rc == JQL_OK && name && jql_dataset_set_name(ds, name) != JQL_OK)
        jql_clear_error(); /* reported already, as the first time */
    for (size_t k = 0; rc == JQL_OK && k < upto; k++) {
        if (files[k].failed)
            continue;
        jql_csv_options o = files[k].opts;
        o.flags |= JQL_CSV_IN_PLACE;
        rc = jql_csv_import_path_ext(ds, files[k].path, &o, cli_load_options(), NULL);
    }
    if (rc != JQL_OK) {
        jql_dataset_free(ds);
        ds = NULL;
    }
    *out = ds;
    return rc;
}

static int import_one(jql_dataset *ds, const csv_file *f)
{
    jql_diagnostics *diag = NULL;
    int rc;
    if (strcmp(f->path, "-") == 0)
        rc = jql_csv_import_file_ext(ds, stdin, "<stdin>", &f->opts, cli_load_options(), &diag);
    else
        rc = jql_csv_import_path_ext(ds, f->path, &f->opts, cli_load_options(), &diag);
    if (rc != JQL_OK || jql_diagnostics_count(diag))
        cli_print_diagnostics(stderr, cli_display_name(f->path), diag, rc, jql_last_error());
    jql_diagnostics_free(diag);
    return rc;
}

static int option_error(const char *opt)
{
    fprintf(stderr, "%s: option %s needs a value\n", prog, opt);
    return CLI_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    const char *into = NULL, *output = NULL, *name = NULL;
    jql_csv_options cur = JQL_CSV_OPTIONS_INIT;
    csv_file *files = calloc((size_t)argc, sizeof *files);
    size_t nfiles = 0;
    int stdin_uses = 0;
    if (!files) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return CLI_EXIT_NOMEM;
    }
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        int r;
        if (cli_is_flag(argv[i], "help", 'h')) {
            free(files);
            usage(stdout);
            return cli_finish_stdout(prog);
        }
        if (cli_is_flag(argv[i], "version", 'V')) {
            free(files);
            printf("%s %s\n", prog, jql_version());
            return cli_finish_stdout(prog);
        }
        if ((r = cli_option_value(argc, argv, &i, "into", 'i', &into)) ||
            (r = cli_option_value(argc, argv, &i, "output", 'o', &output)) ||
            (r = cli_option_value(argc, argv, &i, "name", 'n', &name)) ||
            (r = cli_option_value(argc, argv, &i, "period", 'p', &cur.period))) {
            if (r < 0) {
                free(files);
                return option_error(argv[i]);
            }
            continue;
        }
        if ((r = cli_max_input_option(argc, argv, &i, prog)) != 0) {
            if (r < 0) {
                free(files);
                return CLI_EXIT_USAGE;
            }
            continue;
        }
        if ((r = cli_option_value(argc, argv, &i, "kind", 'k', &v)) != 0) {
            if (r < 0 || jql_csv_kind_from_name(v, &cur.kind) != JQL_OK) {
                fprintf(stderr, "%s: unknown kind \"%s\" (see --help)\n", prog, v ? v : "");
                free(files);
                return CLI_EXIT_USAGE;
            }
            continue;
        }
        if ((r = cli_option_value(argc, argv, &i, "separator", 's', &v)) != 0) {
            char c = r > 0 ? parse_char(v) : 0;
            if (c != ',' && c != ';') {
                fprintf(stderr, "%s: --separator is ',' or ';'\n", prog);
                free(files);
                return CLI_EXIT_USAGE;
            }
            cur.separator = c;
            continue;
        }
        if ((r = cli_option_value(argc, argv, &i, "decimal", 'd', &v)) != 0) {
            char c = r > 0 ? parse_char(v) : 0;
            if (c != ',' && c != '.') {
                fprintf(stderr, "%s: --decimal is '.' or ','\n", prog);
                free(files);
                return CLI_EXIT_USAGE;
            }
            cur.decimal_mark = c;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "%s: unknown option %s\n", prog, argv[i]);
            usage(stderr);
            free(files);
            return CLI_EXIT_USAGE;
        }
        stdin_uses += strcmp(argv[i], "-") == 0;
        files[nfiles++] = (csv_file){argv[i], cur, false};
    }
    if (nfiles == 0) {
        usage(stderr);
        free(files);
        return CLI_EXIT_USAGE;
    }
    if (stdin_uses + (into && strcmp(into, "-") == 0) > 1) {
        fprintf(stderr, "%s: only one input can be standard input\n", prog);
        free(files);
        return CLI_EXIT_USAGE;
    }

    jql_dataset *ds = NULL;
    int worst = JQL_OK;
    into_source in = {into, NULL, 0};
    if (into) {
        jql_diagnostics *diag = NULL;
        char *errmsg = NULL;
        int rc = cli_load_dataset(into, &ds, &diag, &errmsg);
        if (rc != JQL_OK || jql_diagnostics_count(diag))
            cli_print_diagnostics(stderr, cli_display_name(into), diag, rc, errmsg);
        jql_diagnostics_free(diag);
        free(errmsg);
        if (rc != JQL_OK) {
            free(files);
            return cli_exit_for_status(rc);
        }
        if (strcmp(into, "-") == 0 && !stdin_uses &&
            (rc = jql_dataset_to_json(ds, &in.text, &in.len)) != JQL_OK) {
            fprintf(stderr, "%s: %s\n", prog, jql_last_error());
            jql_dataset_free(ds);
            free(files);
            return cli_exit_for_status(rc);
        }
    } else if (!(ds = jql_dataset_new())) {
        fprintf(stderr, "%s: out of memory\n", prog);
        free(files);
        return CLI_EXIT_NOMEM;
    }
    if (name && jql_dataset_set_name(ds, name) != JQL_OK) {
        fprintf(stderr, "%s: --name: %s\n", prog, jql_last_error());
        worst = JQL_EINVALID;
    }
    /* every file is tried, so one run shows every problem. Rows go straight
       into the dataset (a working copy per file was files x dataset: 102
       files of 100 KB, 34 s); a failed file leaves its rows in it, so the
       dataset is built again without it for the files after it, within
       IMPORT_MAX_REBUILD bytes read again. Every message is as with a copy
       per file. A CSV on standard input cannot be read twice: then a copy
       per file. */
    bool in_place = !stdin_uses;
    unsigned long long reread = 0;
    for (size_t k = 0; k < nfiles; k++) {
        if (in_place)
            files[k].opts.flags |= JQL_CSV_IN_PLACE;
        int rc = import_one(ds, &files[k]);
        files[k].opts.flags &= ~JQL_CSV_IN_PLACE;
        files[k].failed = rc != JQL_OK;
        if (rc != JQL_OK && (worst == JQL_OK || rc == JQL_EIO))
            worst = rc;
        if (rc == JQL_OK || !in_place || k + 1 == nfiles)
            continue;
        jql_dataset_free(ds);
        ds = NULL;
        unsigned long long cost = rebuild_bytes(&in, files, k + 1);
        if (reread + cost > IMPORT_MAX_REBUILD) {
            fprintf(stderr,
                    "%s: %s and the %zu files after it not checked: building the dataset "
                    "again without each failed file would read more than %u MiB "
                    "(docs/CSV.md)\n",
                    prog, cli_display_name(files[k + 1].path), nfiles - k - 2,
                    IMPORT_MAX_REBUILD >> 20);
            break;
        }
        reread += cost;
        int brc = rebuild(&in, name, files, k + 1, &ds);
        if (brc != JQL_OK) {
            fprintf(stderr, "%s: %s\n", prog,
                    brc == JQL_ENOMEM ? "out of memory" : jql_last_error());
            worst = brc;
            break;
        }
    }
    jql_free(in.text);
    free(files);
    if (worst == JQL_OK) {
        jql_diagnostics *diag = NULL;
        worst = jql_dataset_check(ds, &diag);
        if (worst != JQL_OK)
            cli_print_diagnostics(stderr, "dataset after import", diag, worst,
                                  jql_last_error());
        jql_diagnostics_free(diag);
    }
    if (worst != JQL_OK) {
        fprintf(stderr, "%s: nothing written\n", prog);
        jql_dataset_free(ds);
        return cli_exit_for_status(worst);
    }

    /* the canonical text, then one write through the CLIs' output path */
    char *text = NULL;
    size_t len = 0;
    int status;
    if ((worst = jql_dataset_to_json(ds, &text, &len)) != JQL_OK) {
        fprintf(stderr, "%s: %s\n", prog, jql_last_error());
        status = cli_exit_for_status(worst);
    } else if (output) {
        status = cli_write_output(prog, output, text, len);
    } else {
        fwrite(text, 1, len, stdout);
        status = cli_finish_stdout(prog);
    }
    jql_free(text);
    jql_dataset_free(ds);
    return status;
}
