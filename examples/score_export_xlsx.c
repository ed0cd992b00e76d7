/*
 * jql-score --format xlsx: the results as an Excel workbook, through
 * Debian's libxlsxwriter (an optional dependency: without it this file
 * only says so). The file is written through cli_output.c like every
 * other CLI output. Cells are taken from the results JSON (evidence level
 * none) read back with cJSON, and the evidence column from the results'
 * evidence accessors, so the workbook holds exactly what the JSON results say: a
 * "scoreboard" sheet (one row per unit, the keys of the JSON unit object as
 * headers) and one sheet per unit (one row per criterion, bonus and
 * deduction item).
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE /* tdestroy */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "score_export.h"

#ifndef JQL_HAVE_XLSXWRITER

bool score_xlsx_available(void) { return false; }

int score_xlsx_write(const char *prog, const char *path, const jql_results *r,
                     const jql_criteria *c)
{
    (void)path, (void)r, (void)c;
    fprintf(stderr, "%s: this jql-score was built without libxlsxwriter "
                    "(Debian: libxlsxwriter-dev), so it cannot write XLSX\n", prog);
    return CLI_EXIT_USAGE;
}

#else

#include <cjson/cJSON.h>
#include <errno.h>
#include <search.h>
#include <stdint.h>
#include <strings.h>
#include <xlsxwriter.h>

bool score_xlsx_available(void) { return true; }

/* Excel refuses longer cell texts. */
#define CELL_MAX 32000

/* A cut id and the last k of "cut~k" given to it (see sheet_name). */
typedef struct {
    char cut[48];
    unsigned k;
} name_suffix;

typedef struct {
    lxw_workbook *wb;
    const jql_results *r;
    size_t evidence_bytes; /* evidence text written so far (XLSX_MAX_EVIDENCE_TEXT) */
    bool evidence_over;
    lxw_format *head, *num3, *integer, *wrap;
    lxw_worksheet *board; /* the scoreboard */
    const jql_criteria *c;
    cJSON *criteria_doc; /* for the titles of bonus and deduction items */
    char (*names)[48]; /* sheet names used so far */
    size_t nnames;
    void *name_tree;   /* the same, by name ignoring case (tsearch) */
    name_suffix *suffixes; /* the "~k" last given to each cut id (sheet_name) */
    size_t nsuffixes;
    void *suffix_tree; /* the same, by cut id ignoring case */
    cli_tiers tiers;
    lxw_error err;
} book;

static void note(book *b, lxw_error e)
{
    if (e != LXW_NO_ERROR && b->err == LXW_NO_ERROR)
        b->err = e;
}

/* Write s, cut at a character boundary when Excel would refuse it. */
static void text_cell(book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
                      lxw_format *f)
{
    size_t n = strlen(s);
    if (n <= CELL_MAX) {
        note(b, worksheet_write_string(ws, row, col, s, f));
        return;
    }
    char *cut = malloc(CELL_MAX + 8);
    if (!cut) {
        note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    n = CELL_MAX;
    while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(cut, s, n);
    memcpy(cut + n, "\xE2\x80\xA6", 4); /* … */
    note(b, worksheet_write_string(ws, row, col, cut, f));
    free(cut);
}

/* Evidence and other arrays: each entry's values joined by spaces (numbers with
   3 decimals), entries by "; ". */
static char *join_array(const cJSON *a)
{
    size_t cap = 256, len = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    out[0] = '\0';
    const cJSON *e;
    cJSON_ArrayForEach(e, a)
    {
        const cJSON *parts[64];
        size_t np = 0;
        if (cJSON_IsObject(e)) {
            const cJSON *m;
            cJSON_ArrayForEach(m, e) if (np < 64) parts[np++] = m;
        } else {
            parts[np++] = e;
        }
        for (size_t i = 0; i < np; i++) {
            char *owned = NULL, num[64];
            const char *s = num;
            if (cJSON_IsString(parts[i]))
                s = parts[i]->valuestring;
            else if (cJSON_IsNumber(parts[i])) /* as the JSON writes points: 3 decimals */
                snprintf(num, sizeof num, "%.3f", parts[i]->valuedouble);
            else
                s = owned = cJSON_PrintUnformatted(parts[i]);
            const char *sep = i ? " " : (len ? "; " : "");
            size_t need = len + strlen(sep) + strlen(s ? s : "") + 1;
            if (need > cap) {
                while (cap < need)
                    cap *= 2;
                char *p = realloc(out, cap);
                if (!p) {
                    free(out);
                    cJSON_free(owned);
                    return NULL;
                }
                out = p;
            }
            len += (size_t)sprintf(out + len, "%s%s", sep, s ? s : "");
            cJSON_free(owned);
        }
    }
    return out;
}

static bool is_integer_key(const char *k)
{
    return strcmp(k, "rank") == 0 || strcmp(k, "cluster_rank") == 0;
}

/* One JSON value as a cell of the right type. */
static void value_cell(book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                       const cJSON *v, const char *key)
{
    if (!v || cJSON_IsNull(v))
        return; /* a blank cell */
    if (cJSON_IsBool(v)) {
        note(b, worksheet_write_boolean(ws, row, col, cJSON_IsTrue(v), NULL));
    } else if (cJSON_IsNumber(v)) {
        note(b, worksheet_write_number(ws, row, col, v->valuedouble,
                                       is_integer_key(key) ? b->integer : b->num3));
    } else if (cJSON_IsString(v)) {
        text_cell(b, ws, row, col, v->valuestring, NULL);
    } else if (cJSON_IsArray(v)) {
        char *s = join_array(v);
        if (!s)
            note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
        else if (*s) /* an empty list stays a blank cell */
            text_cell(b, ws, row, col, s, NULL);
        free(s);
    } else {
        char *s = cJSON_PrintUnformatted(v);
        if (s)
            text_cell(b, ws, row, col, s, NULL);
        cJSON_free(s);
    }
}

/* Most bytes of evidence text in one workbook. Cells are cut at CELL_MAX,
   but 200,000 rows of 32 KB cells are 6 GB: libxlsxwriter holds every
   string until the book is closed. The national 3,321 communes write
   27 MiB (the 200,000-row limit stops that shape first); a 9,000-unit
   chain citing each unit's subtree (a 1.8 MB dataset) ran out of 24 GB
   when the cells were made from the full results JSON. */
#define XLSX_MAX_EVIDENCE_TEXT (64u << 20)

typedef struct {
    char *s;
    size_t len, cap;
    bool oom;
} text_buf;

static void text_add(text_buf *t, const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b), need = t->len + na + nb + 1;
    if (t->oom)
        return;
    if (need > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < need)
            cap *= 2;
        char *p = realloc(t->s, cap);
        if (!p) {
            t->oom = true;
            return;
        }
        t->s = p;
        t->cap = cap;
    }
    memcpy(t->s + t->len, a, na);
    memcpy(t->s + t->len + na, b, nb);
    t->len += na + nb;
    t->s[t->len] = '\0';
}

/* One evidence record as the cell shows it: its kind, then its fields in
   the results document's order (jql_evidence_kind_fields), by spaces; a
   field the record lacks as "null", values with 3 decimals. */
static void evidence_entry(text_buf *t, const jql_results *r, size_t ev, bool first)
{
    jql_evidence_kind kind = jql_results_evidence_kind(r, ev);
    const jql_evidence_field *f;
    size_t nf = jql_evidence_kind_fields(kind, &f);
    text_add(t, first ? "" : "; ", jql_evidence_kind_name(kind));
    for (size_t i = 0; i < nf; i++) {
        char num[64];
        const char *v = num;
        jql_milli m;
        jql_date d;
        if (f[i] == JQL_EVIDENCE_FIELD_VALUE && jql_results_evidence_value(r, ev, &m))
            jql_milli_format(m, 3, num, sizeof num);
        else if (f[i] == JQL_EVIDENCE_FIELD_DATE && jql_results_evidence_date(r, ev, &d))
            jql_date_format(d, num);
        else if (!(v = jql_results_evidence_text(r, ev, f[i])))
            v = "null";
        text_add(t, " ", v);
    }
}

/* The evidence column of unit k's node n (item: of its item n), read from
   the results, not from their JSON: the cell keeps only its first CELL_MAX
   bytes, so no more are formatted (a roll-up on a deep chain cites
   thousands of records per unit). */
static void evidence_cell(book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, size_t k,
                          bool item, size_t n)
{
    size_t count = item ? jql_results_item_evidence_count(b->r, k, n)
                        : jql_results_node_evidence_count(b->r, k, n);
    text_buf t = {0};
    for (size_t e = 0; e < count && t.len <= CELL_MAX && !t.oom; e++)
        evidence_entry(&t, b->r,
                       item ? jql_results_item_evidence(b->r, k, n, e)
                            : jql_results_node_evidence(b->r, k, n, e),
                       e == 0);
    if (t.oom)
        note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
    else if (t.len) /* no evidence: a blank cell */
        text_cell(b, ws, row, col, t.s, NULL);
    b->evidence_bytes += t.len < CELL_MAX ? t.len : CELL_MAX;
    if (b->evidence_bytes > XLSX_MAX_EVIDENCE_TEXT)
        b->evidence_over = true;
    free(t.s);
}

static const char *tier_name(const book *b, const char *id)
{
    size_t i = cli_tiers_find(&b->tiers, id);
    if (i != SIZE_MAX && jql_criteria_tier_name(b->c, i))
        return jql_criteria_tier_name(b->c, i);
    return id;
}

/* The first object with this "id" and a "title" anywhere in the criteria file. */
static const char *doc_title(const cJSON *x, const char *id)
{
    const cJSON *m;
    if (cJSON_IsObject(x)) {
        const cJSON *xid = cJSON_GetObjectItemCaseSensitive(x, "id");
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(x, "title");
        if (cJSON_IsString(xid) && cJSON_IsString(t) && strcmp(xid->valuestring, id) == 0)
            return t->valuestring;
    }
    if (cJSON_IsObject(x) || cJSON_IsArray(x))
        cJSON_ArrayForEach(m, x)
        {
            const char *t = doc_title(m, id);
            if (t)
                return t;
        }
    return NULL;
}

static const char *node_title(const book *b, const char *id)
{
    size_t i;
    if (id && jql_criteria_node_find(b->c, id, &i) == JQL_OK)
        return jql_criteria_node_title(b->c, i);
    return id && b->criteria_doc ? doc_title(b->criteria_doc, id) : NULL;
}

/* Keys of the scoreboard: every scalar key of a unit, plus tier names. */
static const char *const board_keys[] = {
    "rank", "cluster_rank", "id", "name", "cluster", "total", "applicable_max", "normalized",
    "bonus", "bonus_raw", "deductions", "final", "self_total", "tier", "tier_name",
    "tier_before_caps", "tier_after_vetoes", "leader", "vetoes", "quota_demoted", "quota_tie",
    "gap", "next_tier", "held_back", "unappraised", "self_differs",
};
static const double board_widths[] = {6, 8, 14, 36, 10, 10, 10, 10, 10, 10, 10, 10, 10,
                                      14, 18, 14, 14, 8, 16, 8, 8, 10, 14, 10, 16, 16};

static void scoreboard_sheet(book *b)
{
    lxw_worksheet *ws = b->board = workbook_add_worksheet(b->wb, "scoreboard");
    size_t nk = sizeof board_keys / sizeof board_keys[0];
    if (!ws) {
        note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    for (size_t k = 0; k < nk; k++) {
        note(b, worksheet_write_string(ws, 0, (lxw_col_t)k, board_keys[k], b->head));
        note(b, worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, board_widths[k], NULL));
    }
    worksheet_freeze_panes(ws, 1, 0);
}

/* Unit u's row of the scoreboard. */
static void scoreboard_row(book *b, lxw_row_t row, const cJSON *u)
{
    lxw_worksheet *ws = b->board;
    size_t nk = sizeof board_keys / sizeof board_keys[0];
    if (!ws)
        return;
    for (size_t k = 0; k < nk; k++) {
        if (strcmp(board_keys[k], "tier_name") == 0) {
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(u, "tier");
            if (cJSON_IsString(t))
                text_cell(b, ws, row, (lxw_col_t)k, tier_name(b, t->valuestring), NULL);
            continue;
        }
        if (strcmp(board_keys[k], "vetoes") == 0) { /* their ids */
            cJSON *ids = cJSON_CreateArray();
            const cJSON *v;
            cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(u, "vetoes"))
            {
                const cJSON *id = cJSON_GetObjectItemCaseSensitive(v, "id");
                if (ids && cJSON_IsString(id))
                    cJSON_AddItemToArray(ids, cJSON_CreateString(id->valuestring));
            }
            value_cell(b, ws, row, (lxw_col_t)k, ids, "vetoes");
            cJSON_Delete(ids);
            continue;
        }
        value_cell(b, ws, row, (lxw_col_t)k,
                   cJSON_GetObjectItemCaseSensitive(u, board_keys[k]), board_keys[k]);
    }
}

/* Sheet names are unique ignoring case (Excel's rule); a tree of the names
   used, not a search of them all for each unit's sheet (units^2). */
static int cmp_name(const void *a, const void *b)
{
    return strcasecmp(a, b);
}

static void no_free(void *p)
{
    (void)p; /* the names are in book.names */
}

/* A clashing name becomes "cut~k", the first k from 2 not taken. Names are
   never removed, so every k below the one a cut id last got is still taken:
   each cut id resumes from there (trying every k from 2 again was units^2:
   8,000 ids alike in their first 28 characters took 12.7 s, not 3.3 s). */
static void clash_name(book *b, const char *base, size_t cut, char out[48])
{
    name_suffix *s = &b->suffixes[b->nsuffixes];
    snprintf(s->cut, sizeof s->cut, "%.*s", (int)cut, base);
    s->k = 1;
    name_suffix **found = tsearch(s, &b->suffix_tree, cmp_name);
    if (!found) {
        note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    if (*found == s)
        b->nsuffixes++;
    s = *found;
    do
        snprintf(out, 48, "%.*s~%u", (int)cut, base, ++s->k);
    while (tfind(out, &b->name_tree, cmp_name));
}

/* Sheet name from a unit id: at most 31 characters, none of []:*?/\, unique. */
static void sheet_name(book *b, const char *id, char out[48])
{
    size_t n = 0, chars = 0;
    for (const char *p = id; *p && chars < 28; chars++) {
        size_t len = 1;
        while (((unsigned char)p[len] & 0xC0) == 0x80)
            len++;
        if (n + len > 28)
            break;
        if (len == 1 && strchr("[]:*?/\\'", *p))
            out[n++] = '_';
        else
            memcpy(out + n, p, len), n += len;
        p += len;
    }
    out[n] = '\0';
    if (n == 0 || strcmp(out, "scoreboard") == 0 || strcasecmp(out, "history") == 0)
        out[n++] = '_', out[n] = '\0';
    char base[48];
    memcpy(base, out, n + 1);
    size_t cut = n < 20 ? n : 20; /* room for "~k" within 31 characters */
    while (cut && ((unsigned char)base[cut] & 0xC0) == 0x80)
        cut--;
    if (tfind(out, &b->name_tree, cmp_name))
        clash_name(b, base, cut, out);
    memcpy(b->names[b->nnames], out, 48);
    if (!tsearch(b->names[b->nnames++], &b->name_tree, cmp_name))
        note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
}

static const char *const sheet_keys[] = {
    "section", "id", "title", "parent", "max", "self", "appraised", "points", "applicable",
    "value", "no_data", "never_submitted", "rule", "source", "evidence",
};
static const double sheet_widths[] = {10, 18, 48, 14, 10, 10, 10, 10, 10, 10, 8, 8, 40, 10, 60};

static void unit_sheet(book *b, const cJSON *u, size_t unit)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(u, "id");
    char name[48];
    sheet_name(b, cJSON_IsString(id) ? id->valuestring : "", name);
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, name);
    size_t nk = sizeof sheet_keys / sizeof sheet_keys[0];
    if (!ws) {
        note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    for (size_t k = 0; k < nk; k++) {
        note(b, worksheet_write_string(ws, 0, (lxw_col_t)k, sheet_keys[k], b->head));
        note(b, worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, sheet_widths[k], NULL));
    }
    worksheet_freeze_panes(ws, 1, 0);
    static const char *const sections[][2] = {
        {"nodes", "criterion"}, {"bonus_items", "bonus"}, {"deduction_items", "deduction"}};
    lxw_row_t row = 1;
    /* the results number items bonus first, then deductions */
    size_t nbonus = (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(u, "bonus_items"));
    for (size_t s = 0; s < 3; s++) {
        const cJSON *item;
        size_t j = s == 2 ? nbonus : 0; /* node, or item, index in the results */
        cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(u, sections[s][0]))
        {
            const cJSON *nid = cJSON_GetObjectItemCaseSensitive(item, "id");
            for (size_t k = 0; k < nk; k++) {
                if (strcmp(sheet_keys[k], "evidence") == 0) {
                    evidence_cell(b, ws, row, (lxw_col_t)k, unit, s > 0, j);
                } else if (k == 0) {
                    note(b, worksheet_write_string(ws, row, 0, sections[s][1], NULL));
                } else if (strcmp(sheet_keys[k], "title") == 0) {
                    const char *t = node_title(b, cJSON_IsString(nid) ? nid->valuestring : NULL);
                    if (t)
                        text_cell(b, ws, row, (lxw_col_t)k, t, NULL);
                } else {
                    value_cell(b, ws, row, (lxw_col_t)k,
                               cJSON_GetObjectItemCaseSensitive(item, sheet_keys[k]),
                               sheet_keys[k]);
                }
            }
            row++;
            j++;
        }
    }
}

/* Unit k: its scoreboard row, then its sheet. */
static void add_unit(book *b, const cJSON *u, size_t k)
{
    scoreboard_row(b, (lxw_row_t)(k + 1), u);
    unit_sheet(b, u, k);
}

/* The elements of the top-level "units" array of a results JSON text (the
   library's own output, so well formed), each parsed alone and given to
   add_unit(): the whole document as cJSON took ten times its text
   (3,321 communes: 43 MB of JSON). */
static void each_unit(book *b, const char *s, size_t len)
{
    int depth = 0;
    bool in_units = false;
    const char *key = "";
    size_t key_len = 0, start = 0, k = 0;
    for (size_t i = 0; i < len && !b->evidence_over && b->err == LXW_NO_ERROR; i++) {
        char ch = s[i];
        if (ch == '"') { /* a string: skipped, remembered when a root member's name */
            size_t j = i + 1;
            while (j < len && s[j] != '"')
                j += s[j] == '\\' ? 2 : 1;
            if (depth == 1) {
                key = s + i + 1;
                key_len = j - i - 1;
            }
            i = j;
        } else if (ch == '{' || ch == '[') {
            if (depth == 1 && ch == '[')
                in_units = key_len == 5 && memcmp(key, "units", 5) == 0;
            if (depth == 2 && in_units)
                start = i;
            depth++;
        } else if (ch == '}' || ch == ']') {
            depth--;
            if (depth == 2 && in_units) {
                cJSON *u = cJSON_ParseWithLength(s + start, i + 1 - start);
                if (!u)
                    note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
                else
                    add_unit(b, u, k++);
                cJSON_Delete(u);
            }
        }
    }
}

/* The loaded criteria set as cJSON (its canonical text, jql_criteria_to_json(),
   so the titles are those of the set actually scored, wherever it came
   from), or NULL when out of memory. */
static cJSON *criteria_json(const jql_criteria *c)
{
    char *text = NULL;
    size_t len = 0;
    if (jql_criteria_to_json(c, &text, &len) != JQL_OK)
        return NULL;
    cJSON *doc = cJSON_ParseWithLength(text, len);
    jql_free(text);
    return doc;
}

/* Build the workbook into @p stage (an anonymous temporary file; the
   library writes it by name, so through /dev/fd). CLI_EXIT_*. */
static int build_book(const char *prog, const char *path, FILE *stage, const char *json,
                      size_t json_len, const jql_results *r, const jql_criteria *c,
                      cJSON *criteria_doc)
{
    char name[40];
    snprintf(name, sizeof name, "/dev/fd/%d", fileno(stage));
    book b = {.r = r, .c = c, .criteria_doc = criteria_doc};
    b.names = calloc(jql_results_unit_count(r) + 1, sizeof *b.names);
    b.suffixes = calloc(jql_results_unit_count(r) + 1, sizeof *b.suffixes);
    b.wb = b.names && b.suffixes && cli_tiers_init(&b.tiers, c) ? workbook_new(name) : NULL;
    if (!b.wb) {
        free(b.names);
        free(b.suffixes);
        cli_tiers_free(&b.tiers);
        fprintf(stderr, "%s: %s: out of memory\n", prog, path);
        return CLI_EXIT_NOMEM;
    }
    /* a fixed creation time, so the same results give the same bytes */
    lxw_doc_properties props = {.title = "Kết quả chấm điểm thi đua", .created = 946684800};
    note(&b, workbook_set_properties(b.wb, &props));
    b.head = workbook_add_format(b.wb);
    format_set_bold(b.head);
    b.num3 = workbook_add_format(b.wb);
    format_set_num_format(b.num3, "0.000");
    b.integer = workbook_add_format(b.wb);
    format_set_num_format(b.integer, "0");
    scoreboard_sheet(&b);
    each_unit(&b, json, json_len); /* stops early past the evidence limit (refused below) */
    note(&b, workbook_close(b.wb));
    tdestroy(b.name_tree, no_free);
    tdestroy(b.suffix_tree, no_free);
    free(b.suffixes);
    cli_tiers_free(&b.tiers);
    free(b.names);
    if (b.evidence_over) {
        fprintf(stderr,
                "%s: %s: the evidence cells would hold more than %u MiB of text: use --format "
                "json (--evidence ids) or csv\n",
                prog, path, XLSX_MAX_EVIDENCE_TEXT >> 20);
        return CLI_EXIT_INVALID;
    }
    if (b.err != LXW_NO_ERROR) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, lxw_strerror(b.err));
        return b.err == LXW_ERROR_MEMORY_MALLOC_FAILED ? CLI_EXIT_NOMEM : CLI_EXIT_IO;
    }
    return CLI_EXIT_OK;
}

/* Most rows of the unit sheets (units x criteria). libxlsxwriter holds
   every cell until the book is closed: the national 3,321 communes x 53
   rows take 4.6 s and 450 MB (1.26 GB while the whole results JSON, with
   its evidence, was parsed at once). 2,000 units x 2,001 criteria, a
   440 KB input, took 92 s and 12 GB; past this the CLI says so instead. */
#define XLSX_MAX_ROWS 200000

int score_xlsx_write(const char *prog, const char *path, const jql_results *r,
                     const jql_criteria *c)
{
    size_t nunits = jql_results_unit_count(r), nodes = jql_results_node_count(r);
    if (nunits && nodes > XLSX_MAX_ROWS / nunits) {
        fprintf(stderr,
                "%s: %s: a sheet per unit of %zu units x %zu criteria would be more than %d "
                "rows: use --format csv or json\n",
                prog, path, nunits, nodes, XLSX_MAX_ROWS);
        return CLI_EXIT_INVALID;
    }
    char *json = NULL;
    size_t len = 0;
    /* the cells' values; the evidence column is read from the results */
    if (jql_results_to_json_level(r, JQL_EVIDENCE_NONE, &json, &len) != JQL_OK) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return CLI_EXIT_NOMEM;
    }
    cJSON *criteria_doc = criteria_json(c);
    if (!criteria_doc) {
        jql_free(json);
        fprintf(stderr, "%s: out of memory\n", prog);
        return CLI_EXIT_NOMEM;
    }
    /* Like every output of the CLIs, the workbook reaches @p path through
       cli_output_open()/cli_output_close() (temporary file renamed into
       place, links, FIFOs and devices handled there). libxlsxwriter writes
       a zip it seeks in, by file name: it is built in an anonymous
       temporary file first and copied to the output. */
    cli_output *o = NULL;
    int status;
    FILE *fp = cli_output_open(prog, path, &o, &status);
    FILE *stage = fp ? tmpfile() : NULL;
    if (fp && !stage) {
        int e = errno;
        fprintf(stderr, "%s: cannot create a temporary file for %s: %s\n", prog, path,
                strerror(e));
        status = e == ENOMEM ? CLI_EXIT_NOMEM : CLI_EXIT_IO;
    }
    if (stage)
        status = build_book(prog, path, stage, json, len, r, c, criteria_doc);
    if (stage && status == CLI_EXIT_OK) {
        char buf[1 << 16];
        size_t n;
        rewind(stage);
        while ((n = fread(buf, 1, sizeof buf, stage)) > 0)
            if (fwrite(buf, 1, n, fp) != n)
                break; /* ferror(fp): reported by cli_output_close() */
        if (ferror(stage)) {
            int e = errno;
            fprintf(stderr, "%s: %s: cannot read back the workbook: %s\n", prog, path,
                    strerror(e));
            status = CLI_EXIT_IO;
        }
    }
    if (stage)
        fclose(stage);
    if (fp) {
        if (status == CLI_EXIT_OK)
            status = cli_output_close(prog, o);
        else
            cli_output_discard(o);
    }
    cJSON_Delete(criteria_doc);
    jql_free(json);
    return status;
}

#endif /* JQL_HAVE_XLSXWRITER */
