/*
 * Helpers shared by the example command-line programs (jql-validate,
 * jql-score, jql-report): option parsing, loading a dataset from a path or
 * standard input, printing diagnostics as text or JSON, exit codes.
 * Uses only the public API of libjustice-quarterly.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JQL_CLI_COMMON_H
#define JQL_CLI_COMMON_H

#include <stdbool.h>
#include <stdio.h>

#include <justice_quarterly.h>

/* Exit codes shared by every program (the highest one met wins). */
enum {
    CLI_EXIT_OK = 0,      /* everything valid / done */
    CLI_EXIT_INVALID = 1, /* invalid input */
    CLI_EXIT_USAGE = 2,   /* bad command line */
    CLI_EXIT_IO = 3,      /* a file could not be read or written */
    CLI_EXIT_NOMEM = 4    /* out of memory: the input may be fine, retry with more */
};

typedef enum cli_format { CLI_FORMAT_TEXT = 0, CLI_FORMAT_JSON = 1 } cli_format;

/* "text" or "json" into *out: true, or false for anything else. */
bool cli_parse_format(const char *text, cli_format *out);

/*
 * Does argv[*i] name the option --LONG_NAME (or -SHORT_NAME, when not 0)?
 * For a flag, returns true when it does.
 */
bool cli_is_flag(const char *arg, const char *long_name, char short_name);

/*
 * An option taking a value: "--name=value", "--name value", "-n value",
 * "-nvalue". Returns 1 and sets *value (advancing *i past a separate value)
 * when argv[*i] is that option, 0 when it is not, -1 when its value is
 * missing.
 */
int cli_option_value(int argc, char **argv, int *i, const char *long_name, char short_name,
                     const char **value);

/* Exit code for a library status: OK 0, EIO 3, ENOMEM 4, anything else 1. */
int cli_exit_for_status(int status);

/* Name shown for a file argument: "<stdin>" for "-", else the argument. */
const char *cli_display_name(const char *arg);

/*
 * Load the dataset named by @p arg ("-" reads standard input).
 * Returns the library status; *out and *diag as jql_dataset_load_file().
 * On failure *errmsg receives a copy of jql_last_error() (free() it; NULL
 * when out of memory), on success NULL: the message would not survive the
 * next library call.
 */
int cli_load_dataset(const char *arg, jql_dataset **out, jql_diagnostics **diag, char **errmsg);

/*
 * Print every entry of @p diag as "FILE:LINE:COL: PATH: message" (the
 * location parts are left out when unknown; warnings say "warning: ").
 * When @p status is a failure and @p diag holds no error, prints
 * "FILE: error: <errmsg>" (or the status text when errmsg is NULL or
 * empty) so a failure is never silent.
 */
void cli_print_diagnostics(FILE *fp, const char *name, const jql_diagnostics *diag, int status,
                           const char *errmsg);

/*
 * Write @p s as a JSON string literal (quotes included): escapes '"', '\\'
 * and control characters; valid UTF-8 is written as is, invalid bytes are
 * replaced by U+FFFD so the output is always valid JSON. NULL writes null.
 */
void cli_json_string(FILE *fp, const char *s);

/*
 * Write the diagnostics as a JSON array of objects
 * {"path", "line", "column", "message", "severity"}. As in
 * cli_print_diagnostics(), a failure without located errors becomes one
 * entry with @p errmsg (path "", line and column 0).
 */
void cli_json_diagnostics(FILE *fp, const jql_diagnostics *diag, int status, const char *errmsg);

/*
 * --max-input-size=SIZE: bytes, or with a K, M or G suffix (powers of 1024).
 * Returns 1 and records the limit when argv[*i] is that option, 0 when it
 * is not, -1 (message printed) when its value is missing or malformed.
 */
int cli_max_input_option(int argc, char **argv, int *i, const char *prog);

/* The load options every CLI load uses (the limit set by --max-input-size). */
const jql_load_options *cli_load_options(void);

/*
 * --threads=N: score on up to N threads (a whole number from 1; the library
 * starts at most JQL_SCORE_MAX_THREADS), or "auto": the number of online
 * CPUs (sysconf(_SC_NPROCESSORS_ONLN)). Returns 1 and records the number
 * (1 without the option) when argv[*i] is that option, 0 when it is not,
 * -1 (message printed) when its value is missing or malformed (0,
 * negative, not a number).
 */
int cli_threads_option(int argc, char **argv, int *i, const char *prog);

/*
 * Set the threads of a scoring from --threads: opts->threads, and
 * JQL_SCORE_CUSTOM_ANY_THREAD when more than one, since the custom
 * functions the programs register (custom_functions.c) only read the
 * dataset and may be called from any thread. The output is the same bytes
 * whatever the number.
 */
void cli_score_threads(jql_score_options *opts);

/*
 * jql-score's scoring options, for its plain scoring and every what-if mode:
 * --as-of=DATE (an existing date YYYY-MM-DD) sets opts->as_of, pointing
 * into argv; --allow-empty sets JQL_SCORE_ALLOW_EMPTY in opts->flags.
 * Returns 1 when argv[*i] is one of them, 0 when it is not, -1 (message
 * printed) when the date is missing or malformed.
 */
int cli_score_option(int argc, char **argv, int *i, const char *prog, jql_score_options *opts);

/* The CLIs' option that allows an empty period, named by the library when
   it refuses one (jql_score_options.allow_empty_name). */
#define CLI_ALLOW_EMPTY_NAME "--allow-empty"

/*
 * Stream the results JSON at @p level to @p output (NULL: stdout) without
 * holding it in memory: a file is written to a temporary name in its
 * directory and renamed over @p output once complete. A CLI_EXIT_* code.
 */
int cli_write_results_json(const char *prog, const char *output, const jql_results *r,
                           jql_evidence_level level);

/*
 * Output files (-o FILE; cli_output.c). A regular file (or none) is written
 * through a temporary file renamed over it, which SIGINT/SIGTERM/SIGHUP
 * remove; a symbolic link has the file it points to written that way; a
 * FIFO or character device, "-", /dev/stdout and /dev/fd/N are written to
 * directly; anything else is refused. New files get 0666 less the umask,
 * replaced ones keep their mode.
 *
 * cli_output_open() returns the stream to write to, or NULL after printing
 * why on stderr (*code: CLI_EXIT_IO or CLI_EXIT_NOMEM). cli_output_close()
 * finishes (flush, fsync, rename) and returns CLI_EXIT_OK or CLI_EXIT_IO
 * after printing the error; cli_output_discard() abandons the output and
 * removes the temporary file. cli_write_output() does all three for a
 * buffer.
 */
typedef struct cli_output cli_output;
FILE *cli_output_open(const char *prog, const char *path, cli_output **out, int *code);
int cli_output_close(const char *prog, cli_output *o);
void cli_output_discard(cli_output *o);
int cli_write_output(const char *prog, const char *path, const char *data, size_t len);

/* Flush stdout and report a write error on stderr: CLI_EXIT_OK or CLI_EXIT_IO. */
int cli_finish_stdout(const char *prog);

/* A growable text buffer for output built before it is written. A failed
   allocation (or a printf longer than 1 KiB) sets `failed` and later calls
   do nothing, so callers check once at the end. Zero-initialise; free(data). */
typedef struct cli_buf {
    char *data;
    size_t len, cap;
    bool failed;
} cli_buf;
void cli_buf_add(cli_buf *b, const char *s, size_t n);
void cli_buf_puts(cli_buf *b, const char *s);
void cli_buf_printf(cli_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * The tiers of a criteria set by id, sorted once: jql_criteria_tier_find()
 * reads the tiers one by one, and the programs look up the tier of every
 * unit (units x tiers with a criteria set of many tiers).
 */
typedef struct cli_tiers {
    const jql_criteria *c;
    size_t *order; /* tier positions, by id then position; NULL: none built */
    size_t n;
} cli_tiers;

/* Index the tiers of @p c; false when out of memory (finds still work, slowly). */
bool cli_tiers_init(cli_tiers *t, const jql_criteria *c);
/* Position of the tier with id @p id (as jql_criteria_tier_find()), or SIZE_MAX. */
size_t cli_tiers_find(const cli_tiers *t, const char *id);
void cli_tiers_free(cli_tiers *t);

/*
 * Names a scoreboard or a report repeats for every unit (tier names, the
 * titles of the top-level criteria): a 240 KB criteria set of 60 KB tier
 * names and titles made 600 MB to 1.2 GB for 5,000 units. At most
 * CLI_MAX_REPEATED_TEXT bytes of them (units x the per-unit bytes of
 * cli_repeated_text()); past it the programs write nothing and exit 1.
 */
#define CLI_MAX_REPEATED_TEXT (256u * 1024u * 1024u)
/* An estimate from above of the bytes repeated per unit: @p tier_names
   times the longest tier name plus @p titles times the longest title of a
   top-level criterion. */
size_t cli_repeated_text(const jql_criteria *c, size_t tier_names, size_t titles);
/* false (and a message naming the sizes, "PROG: WHAT: ...") when @p units
   times @p per_unit passes CLI_MAX_REPEATED_TEXT; @p hint (or NULL) ends it. */
bool cli_repeated_text_fits(const char *prog, const char *what, size_t units, size_t per_unit,
                            const char *hint);

#endif /* JQL_CLI_COMMON_H */
