/*
 * Scoreboard exports of jql-score for spreadsheet users: the "excel-vi"
 * CSV dialect (score_export_csv.c) and XLSX workbooks through
 * libxlsxwriter (score_export_xlsx.c). Public API only.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JQL_SCORE_EXPORT_H
#define JQL_SCORE_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include <justice_quarterly.h>

/*
 * The scoreboard as CSV for Vietnamese Excel: UTF-8 BOM, ';' separator,
 * decimal comma, Vietnamese headers, tier names instead of ids, "có" and
 * "không" for yes and no; same columns and order as the default CSV.
 * *out is malloc'd (free()). Returns false when out of memory.
 */
bool score_csv_excel_vi(const jql_results *r, const jql_criteria *c, char **out, size_t *len);

/* True when this build can write XLSX (libxlsxwriter was found). */
bool score_xlsx_available(void);

/*
 * Write the results as an XLSX workbook to @p path through the CLIs' output
 * path (cli_output_open()/cli_output_close(): a temporary file renamed into
 * place, links, FIFOs and devices as for every other output): a scoreboard
 * sheet and one score sheet per unit, numbers as numeric cells shown with
 * 3 decimals, frozen header rows, set column widths. The cells come from
 * jql_results_to_json(), so they equal the JSON results; titles of bonus
 * and deduction items come from the criteria set @p c. Errors are printed
 * on stderr prefixed with @p prog; returns a CLI_EXIT_* code (CLI_EXIT_USAGE
 * when this build has no libxlsxwriter).
 */
int score_xlsx_write(const char *prog, const char *path, const jql_results *r,
                     const jql_criteria *c);

#endif /* JQL_SCORE_EXPORT_H */
