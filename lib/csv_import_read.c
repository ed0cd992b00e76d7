/*
 * CSV text to a table of cells, through Debian's libcsv (RFC 4180, strict
 * mode). The text is fed one line at a time so every row knows the line it
 * starts on, and a syntax error costs only its own row: the parser is
 * restarted on the next line and later rows are still checked.
 */
#include <csv.h>
#include <string.h>

#include "csv_import.h"

typedef struct {
    jql_csv_table *t;
    jql_diagnostics *diag;
    unsigned line;       /* line of the chunk being parsed */
    unsigned row_line;   /* line the current row starts on */
    size_t row_first;    /* first cell of the current row */
    size_t row_cells;    /* cells of the current row so far */
    bool row_bad;        /* the current row had a problem: drop it */
    bool oom;
    bool too_many_rows;
} reader;

static void *csv_realloc(void *p, size_t n) { return jql_realloc(p, n); }

static void on_field(void *data, size_t len, void *ctx)
{
    reader *r = ctx;
    jql_csv_table *t = r->t;
    if (r->row_cells == 0) {
        /* a first cell spanning lines started that many lines earlier */
        unsigned nl = 0;
        for (size_t i = 0; i < len; i++)
            nl += ((const char *)data)[i] == '\n';
        r->row_line = r->line - nl;
    }
    r->row_cells++;
    if (r->row_bad)
        return;
    size_t max_cell = t->max_cell ? t->max_cell : JQL_MAX_STRING_BYTES;
    if (len > max_cell) {
        jql_diag_add(r->diag, JQL_SEVERITY_ERROR, "", r->row_line, (unsigned)r->row_cells,
                     "cell longer than %zu bytes", max_cell);
        r->row_bad = true;
        return;
    }
    if (r->row_cells > JQL_CSV_MAX_COLUMNS) {
        jql_diag_add(r->diag, JQL_SEVERITY_ERROR, "", r->row_line, (unsigned)r->row_cells,
                     "more than %u columns", JQL_CSV_MAX_COLUMNS);
        r->row_bad = true;
        return;
    }
    if (memchr(data, '\0', len)) {
        jql_diag_add(r->diag, JQL_SEVERITY_ERROR, "", r->row_line, (unsigned)r->row_cells,
                     "cell contains a NUL byte");
        r->row_bad = true;
        return;
    }
    if (jql_vec_grow((void **)&t->cells, &t->cap_cells, t->ncells + 1, sizeof *t->cells)) {
        r->oom = true;
        return;
    }
    t->cells[t->ncells++] = t->text.len;
    jql_buf_add(&t->text, data ? data : "", data ? len : 0);
    jql_buf_putc(&t->text, '\0');
    r->oom = r->oom || t->text.failed;
}

static void end_row(reader *r)
{
    jql_csv_table *t = r->t;
    if (r->row_bad || r->row_cells == 0) {
        t->ncells = r->row_first;
    } else if (t->nrows > (t->max_rows ? t->max_rows : JQL_CSV_MAX_ROWS)) {
        if (!r->too_many_rows)
            jql_diag_add(r->diag, JQL_SEVERITY_ERROR, "", r->row_line, 0, "more than %zu rows",
                         t->max_rows ? t->max_rows : (size_t)JQL_CSV_MAX_ROWS);
        r->too_many_rows = true;
        t->ncells = r->row_first;
    } else if (jql_vec_grow((void **)&t->rows, &t->cap_rows, t->nrows + 1, sizeof *t->rows)) {
        r->oom = true;
    } else {
        t->rows[t->nrows++] = (jql_csv_row){r->row_line, r->row_first, r->row_cells};
    }
    r->row_cells = 0;
    r->row_bad = false;
    r->row_first = t->ncells;
}

static void on_row(int c, void *ctx)
{
    (void)c;
    end_row(ctx);
}

static int start(struct csv_parser *p, char separator)
{
    if (csv_init(p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return JQL_ENOMEM;
    csv_set_delim(p, (unsigned char)separator);
    csv_set_realloc_func(p, csv_realloc);
    csv_set_free_func(p, jql_free);
    return JQL_OK;
}

int jql_csv_read(const char *text, size_t len, char separator, jql_csv_table *t,
                 jql_diagnostics *diag)
{
    struct csv_parser p;
    reader r = {.t = t, .diag = diag, .line = 1, .row_line = 1};
    t->separator = separator;
    if (start(&p, separator) != JQL_OK)
        return JQL_ENOMEM;
    size_t pos = 0;
    while (pos < len && !r.oom) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) + 1 : len - pos;
        size_t done = csv_parse(&p, text + pos, n, on_field, on_row, &r);
        if (done < n) {
            if (csv_error(&p) != CSV_EPARSE) {
                r.oom = true;
                break;
            }
            jql_diag_add(diag, JQL_SEVERITY_ERROR, t->nrows ? jql_csv_cell(t, 0, r.row_cells) : "",
                         r.row_cells ? r.row_line : r.line,
                         (unsigned)r.row_cells + 1,
                         "bad quoting: a quote inside an unquoted cell, or text after a "
                         "closing quote (write a quote inside a quoted cell as \"\")");
            /* drop the broken row and start afresh on the next line */
            r.row_bad = true;
            end_row(&r);
            csv_free(&p);
            if (start(&p, separator) != JQL_OK)
                return JQL_ENOMEM;
        }
        pos += n;
        r.line++;
    }
    if (!r.oom && csv_fini(&p, on_field, on_row, &r) != 0) {
        if (csv_error(&p) == CSV_EPARSE)
            jql_diag_add(diag, JQL_SEVERITY_ERROR, t->nrows ? jql_csv_cell(t, 0, r.row_cells) : "",
                         r.row_line, (unsigned)r.row_cells + 1, "a quoted cell is never closed");
        else
            r.oom = true;
    }
    csv_free(&p);
    return r.oom ? JQL_ENOMEM : JQL_OK;
}

void jql_csv_table_free(jql_csv_table *t)
{
    jql_buf_free(&t->text);
    jql_free(t->cells);
    jql_free(t->rows);
    memset(t, 0, sizeof *t);
}

const char *jql_csv_cell(const jql_csv_table *t, size_t r, size_t k)
{
    if (r >= t->nrows || k >= t->rows[r].n)
        return "";
    return t->text.data + t->cells[t->rows[r].first + k];
}

char jql_csv_detect_separator(const char *text, size_t len)
{
    bool quoted = false, comma = false, semi = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r'))
            break;
        else if (!quoted && c == ',')
            comma = true;
        else if (!quoted && c == ';')
            semi = true;
    }
    if (comma && semi)
        return 0;
    return semi ? ';' : ',';
}
