/*
 * CSV import, private to lib/: the parsed table (csv_import_read.c), the
 * column roles of each kind of file (csv_import_columns.c), cell values
 * (csv_import_values.c) and the rows turned into records (csv_import.c).
 */
#ifndef JQL_CSV_IMPORT_H
#define JQL_CSV_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "justice_quarterly/csv.h"
#include "util.h"

/* ---- the table read from the file ---- */
typedef struct {
    unsigned line; /* line where the row starts */
    size_t first;  /* index of its first cell in jql_csv_table.cells */
    size_t n;      /* number of cells */
} jql_csv_row;

typedef struct {
    jql_buf text;      /* every cell, NUL-terminated, one after the other */
    size_t *cells;     /* offsets into text */
    size_t ncells, cap_cells;
    jql_csv_row *rows; /* rows[0] is the header */
    size_t nrows, cap_rows;
    char separator;
    /* limits, set before jql_csv_read() (0: JQL_MAX_STRING_BYTES and
       JQL_CSV_MAX_ROWS); from the caller's jql_load_options */
    size_t max_cell, max_rows;
} jql_csv_table;

/*
 * Parse CSV text (BOM already removed, valid UTF-8) with libcsv into *t.
 * Syntax problems (bad quoting, unterminated quotes, over-long cells, too
 * many rows or columns) go to diag; parsing resumes on the next line after
 * one. JQL_OK or JQL_ENOMEM.
 */
int jql_csv_read(const char *text, size_t len, char separator, jql_csv_table *t,
                 jql_diagnostics *diag);
void jql_csv_table_free(jql_csv_table *t);
/* Cell k of row r (never NULL; "" past the end of a short row). */
const char *jql_csv_cell(const jql_csv_table *t, size_t r, size_t k);
/* ',' or ';' from the first line (outside quotes); 0 when it has both. */
char jql_csv_detect_separator(const char *text, size_t len);

/* ---- column roles ---- */
typedef enum {
    R_NONE = 0, /* not recognised */
    R_IGNORE,   /* a column officials keep that carries nothing: "STT", notes */
    R_UNIT, R_UNIT_NAME, R_PERIOD, R_INDICATOR, R_VALUE, R_KIND, R_DUE, R_SUBMITTED,
    R_COMPLETE, R_ID, R_TITLE, R_NAME, R_OWNERS, R_FIELD, R_STATUS, R_COMPLETED, R_ISSUED,
    R_ISSUER, R_TEXT, R_UNITS, R_LEVELS, R_ANSWERS, R_CRITERION, R_SELF, R_APPRAISED,
    R_NOT_APPLICABLE, R_EVIDENCE, R_DATE, R_POINTS, R_LEVEL, R_PARENT, R_CLUSTER,
    R_MEASURE_UNIT, R_AGGREGATION,
    R_COUNT
} jql_csv_role;

/* How a role's cells are read. */
typedef enum { T_TEXT, T_ID, T_DATE, T_NUMBER, T_BOOL, T_LIST, T_ENUM } jql_csv_type;

/* Canonical English header of a role ("unit", "not_applicable"...). */
const char *jql_csv_role_name(jql_csv_role r);
jql_csv_type jql_csv_role_type(jql_csv_role r);
/* Role of a header in files of `kind` (R_NONE when unknown there; R_NONE
   and *oom set when out of memory). */
jql_csv_role jql_csv_header_role(jql_csv_kind kind, const char *header, bool *oom);
/* Is the role required / allowed in files of `kind`? */
bool jql_csv_role_required(jql_csv_kind kind, jql_csv_role r);
/* Guess the kind from the header row: the kind whose required columns are
   all there and which recognises the most columns; JQL_CSV_AUTO when none
   or a tie (and *oom set when out of memory). */
jql_csv_kind jql_csv_guess_kind(const jql_csv_table *t, bool *oom);

/*
 * Fold a header or a name for matching: NFKC, case folded, accents removed
 * (đ becomes d), '_' and '-' read as spaces, runs of spaces collapsed,
 * trimmed. Owned by the caller (jql_free); NULL on ENOMEM or invalid text.
 */
char *jql_csv_fold(const char *s);

/* ---- values ---- */
/* Trim ASCII spaces and tabs in place; returns s. */
char *jql_csv_trim(char *s);
/* Exact decimal with the given mark (no thousands grouping), at most three
   decimals judged by value, magnitude at most JQL_MILLI_MAX. */
int jql_csv_parse_decimal(const char *s, char mark, jql_milli *out);
/* "YYYY-MM-DD" or "D/M/YYYY" (the Vietnamese way). */
int jql_csv_parse_date(const char *s, jql_date *out);
/* true/false, yes/no, 1/0, x/"", có/không, đúng/sai. */
int jql_csv_parse_bool(const char *s, bool *out);

#endif /* JQL_CSV_IMPORT_H */
