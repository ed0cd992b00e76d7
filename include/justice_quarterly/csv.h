/*
 * libjustice-quarterly — importing records from CSV files (the form
 * officials get from "Save as CSV" in a spreadsheet). The columns of each
 * kind of file are documented in docs/CSV.md.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JUSTICE_QUARTERLY_CSV_H
#define JUSTICE_QUARTERLY_CSV_H

#include <stdio.h>

#include "common.h"
#include "dataset.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a CSV file holds. */
typedef enum jql_csv_kind {
    JQL_CSV_AUTO = 0,        /**< tell from the header row */
    JQL_CSV_STATS = 1,       /**< long statistics: unit, period, indicator, value */
    JQL_CSV_STATS_WIDE = 2,  /**< one row per unit, one column per indicator */
    JQL_CSV_REPORTS = 3,     /**< report submissions */
    JQL_CSV_TASKS = 4,       /**< the work programme */
    JQL_CSV_DIRECTIVES = 5,
    JQL_CSV_ASSESSMENTS = 6, /**< self and appraised scores per criterion */
    JQL_CSV_EVENTS = 7,
    JQL_CSV_UNITS = 8,
    JQL_CSV_INDICATORS = 9,
    /** Number of kinds (not a kind; grows when one is added). */
    JQL_CSV_KIND_COUNT
} jql_csv_kind;

/** Limits of a CSV input (besides JQL_MAX_INPUT_BYTES and JQL_MAX_STRING_BYTES per cell).
    The _ext functions take them from jql_load_options: max_input_bytes and
    max_string_bytes (per cell) as for JSON, max_records (when set) instead of
    JQL_CSV_MAX_ROWS. */
#define JQL_CSV_MAX_COLUMNS 1024u
#define JQL_CSV_MAX_ROWS 1000000u

/**
 * How to read a CSV file. Zero fields mean "detect":
 * - separator: ',' or ';'; detected from the header row (refused when the
 *   header row has both outside quotes).
 * - decimal_mark: '.' or ','; detected from the numbers of the file and
 *   refused when ambiguous (both marks used, or only values such as
 *   "93.550" that could be a decimal or a thousands grouping).
 * - period: for wide statistics without a period column, the period every
 *   row is about.
 */
typedef struct jql_csv_options {
    unsigned int version; /**< JQL_CSV_OPTIONS_VERSION (1 still accepted: no flags) */
    jql_csv_kind kind;
    char separator;
    char decimal_mark;
    const char *period;
    /** Version 2: JQL_CSV_* bit flags. */
    unsigned int flags;
} jql_csv_options;

#define JQL_CSV_OPTIONS_VERSION 2
#define JQL_CSV_OPTIONS_INIT { JQL_CSV_OPTIONS_VERSION, JQL_CSV_AUTO, 0, 0, NULL, 0 }

/**
 * Apply the rows to the dataset itself, not to a working copy: no longer
 * all or nothing. On JQL_OK the dataset is what it would be without the
 * flag; on any failure it holds an unspecified part of the file's rows and
 * the caller must discard it (or build it again). The working copy is a
 * canonical JSON round trip of the whole dataset per file, so a program
 * importing many files into one dataset (jql-import) spent files x dataset
 * on copies: 102 files of 100 KB took 34 s.
 */
#define JQL_CSV_IN_PLACE 0x1u

/**
 * Name of a kind ("stats", "stats-wide", "reports", ...); "auto" for
 * JQL_CSV_AUTO; NULL for another value (see names.h).
 */
JQL_API const char *jql_csv_kind_name(jql_csv_kind kind);
/** Kind of a name as jql_csv_kind_name() writes it: JQL_OK or JQL_EINVALID. */
JQL_API JQL_WARN_UNUSED int jql_csv_kind_from_name(const char *name, jql_csv_kind *out);

/**
 * Import the records of a CSV text of @p len bytes into @p ds (a new empty
 * dataset or an existing one). All or nothing: on any error the dataset is
 * left exactly as it was. RFC 4180 quoting, UTF-8 with or without a BOM,
 * headers in English or Vietnamese (matched ignoring case, accents and
 * '_'/'-'), numbers read as exact decimals (never through floating point).
 *
 * Every problem is collected into *diag (when not NULL; owned by the
 * caller, jql_diagnostics_free(); it may hold warnings on success, e.g. a
 * statistic whose earlier value is replaced). For CSV, an entry's line is
 * the line where the row starts (the header is line 1), its column the
 * 1-based field number, and its path the header of that column ("" for a
 * whole row).
 *
 * @param source  name used in messages ("<memory>" when NULL).
 * @param opts    NULL for all defaults (JQL_CSV_OPTIONS_INIT).
 * @return JQL_OK, JQL_EINVALID (see *diag), JQL_ELIMIT (input larger than
 *         JQL_MAX_INPUT_BYTES), JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_csv_import_buffer(jql_dataset *ds, const char *data, size_t len,
                                  const char *source, const jql_csv_options *opts,
                                  jql_diagnostics **diag);

/** As jql_csv_import_buffer(), reading the file at @p path (JQL_EIO when it cannot be read). */
JQL_API JQL_WARN_UNUSED int jql_csv_import_path(jql_dataset *ds, const char *path, const jql_csv_options *opts,
                                jql_diagnostics **diag);

/**
 * The same with the limits of @p limits (NULL: the defaults; see
 * jql_load_options): an input above max_input_bytes is JQL_ELIMIT, a cell
 * above max_string_bytes and more rows than max_records (when not 0;
 * otherwise JQL_CSV_MAX_ROWS) are located errors. JQL_EINVALID for options
 * the library does not support.
 */
JQL_API JQL_WARN_UNUSED int jql_csv_import_buffer_ext(jql_dataset *ds, const char *data, size_t len,
                                      const char *source, const jql_csv_options *opts,
                                      const jql_load_options *limits, jql_diagnostics **diag);
/** As jql_csv_import_buffer_ext(), reading the file at @p path: JQL_EIO when it cannot be read. */
JQL_API JQL_WARN_UNUSED int jql_csv_import_path_ext(jql_dataset *ds, const char *path,
                                    const jql_csv_options *opts, const jql_load_options *limits,
                                    jql_diagnostics **diag);
/** Reads @p fp to its end (never more than the limit); @p source names it in messages. */
JQL_API JQL_WARN_UNUSED int jql_csv_import_file_ext(jql_dataset *ds, FILE *fp, const char *source,
                                    const jql_csv_options *opts, const jql_load_options *limits,
                                    jql_diagnostics **diag);

#ifdef __cplusplus
}
#endif
#endif /* JUSTICE_QUARTERLY_CSV_H */
