/*
 * Column headers of CSV files: which role each header plays in each kind
 * of file, in English or Vietnamese. Headers are compared folded (case,
 * accents, Unicode normalisation and '_'/'-' ignored, through libutf8proc)
 * so "Đơn vị", "ĐƠN VỊ", "don vi" and a decomposed "Đơn vị" all match.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "csv_import.h"

typedef struct {
    const char *name; /* canonical English header */
    jql_csv_type type;
    const char *aliases[6]; /* folded forms, Vietnamese first */
} role_info;

static const role_info roles[R_COUNT] = {
    [R_NONE] = {"", T_TEXT, {NULL}},
    [R_IGNORE] = {"", T_TEXT, {"stt", "tt", "no", "ghi chu", "note", "notes"}},
    [R_UNIT] = {"unit", T_ID, {"don vi", "ma don vi", "unit id", NULL}},
    [R_UNIT_NAME] = {"unit_name", T_TEXT, {"ten don vi", NULL}},
    [R_PERIOD] = {"period", T_ID, {"ky", "ky bao cao", "thoi ky", "period id", NULL}},
    [R_INDICATOR] = {"indicator", T_ID, {"chi tieu", "ma chi tieu", "indicator id", NULL}},
    [R_VALUE] = {"value", T_NUMBER, {"gia tri", "so lieu", NULL}},
    [R_KIND] = {"kind", T_ID, {"loai", "loai bao cao", "loai su kien", "report kind", "event kind", NULL}},
    [R_DUE] = {"due", T_DATE, {"han", "han nop", "thoi han", "han hoan thanh", NULL}},
    [R_SUBMITTED] = {"submitted", T_DATE, {"ngay nop", "ngay gui", NULL}},
    [R_COMPLETE] = {"complete", T_BOOL, {"day du", NULL}},
    [R_ID] = {"id", T_ID, {"ma", "so hieu", NULL}},
    [R_TITLE] = {"title", T_TEXT, {"nhiem vu", "ten nhiem vu", NULL}},
    [R_NAME] = {"name", T_TEXT, {"ten", NULL}},
    [R_OWNERS] = {"owners", T_LIST, {"don vi chu tri", "don vi thuc hien", "owner", NULL}},
    [R_FIELD] = {"field", T_TEXT, {"linh vuc", NULL}},
    [R_STATUS] = {"status", T_ENUM, {"trang thai", "tinh trang", NULL}},
    [R_COMPLETED] = {"completed", T_DATE, {"ngay hoan thanh", NULL}},
    [R_ISSUED] = {"issued", T_DATE, {"ngay ban hanh", NULL}},
    [R_ISSUER] = {"issuer", T_ID, {"co quan ban hanh", "don vi ban hanh", NULL}},
    [R_TEXT] = {"text", T_TEXT, {"noi dung", NULL}},
    [R_UNITS] = {"units", T_LIST, {"don vi nhan", "noi nhan", NULL}},
    [R_LEVELS] = {"levels", T_LIST, {"cap nhan", NULL}},
    [R_ANSWERS] = {"answers", T_LIST, {"tra loi", "giai quyet", NULL}},
    [R_CRITERION] = {"criterion", T_ID, {"tieu chi", "ma tieu chi", "criterion id", NULL}},
    [R_SELF] = {"self", T_NUMBER, {"tu cham", "diem tu cham", "self score", NULL}},
    [R_APPRAISED] = {"appraised", T_NUMBER, {"tham dinh", "diem tham dinh", "appraised score", NULL}},
    [R_NOT_APPLICABLE] = {"not_applicable", T_BOOL, {"khong ap dung", NULL}},
    [R_EVIDENCE] = {"evidence", T_TEXT, {"minh chung", "tai lieu kiem chung", NULL}},
    [R_DATE] = {"date", T_DATE, {"ngay", NULL}},
    [R_POINTS] = {"points", T_NUMBER, {"diem", NULL}},
    [R_LEVEL] = {"level", T_TEXT, {"cap", NULL}},
    [R_PARENT] = {"parent", T_ID, {"don vi cap tren", "truc thuoc", NULL}},
    [R_CLUSTER] = {"cluster", T_TEXT, {"cum", "cum thi dua", NULL}},
    [R_MEASURE_UNIT] = {"measure_unit", T_TEXT, {"don vi tinh", NULL}},
    [R_AGGREGATION] = {"aggregation", T_ENUM, {"cach tong hop", NULL}},
};

/* Columns of each kind: required ones first, then optional; 0 ends. */
typedef struct {
    jql_csv_role required[6];
    jql_csv_role optional[8];
} kind_columns;

static const kind_columns kinds[] = {
    [JQL_CSV_STATS] = {{R_UNIT, R_PERIOD, R_INDICATOR, R_VALUE}, {R_UNIT_NAME}},
    [JQL_CSV_STATS_WIDE] = {{R_UNIT}, {R_PERIOD, R_UNIT_NAME}},
    [JQL_CSV_REPORTS] = {{R_UNIT, R_PERIOD, R_KIND, R_DUE}, {R_SUBMITTED, R_COMPLETE, R_UNIT_NAME}},
    [JQL_CSV_TASKS] = {{R_ID, R_TITLE, R_DUE, R_OWNERS}, {R_FIELD, R_PERIOD, R_STATUS, R_COMPLETED}},
    [JQL_CSV_DIRECTIVES] = {{R_ID, R_ISSUED, R_ISSUER, R_TEXT},
                            {R_DUE, R_UNITS, R_LEVELS, R_ANSWERS, R_STATUS, R_COMPLETED}},
    [JQL_CSV_ASSESSMENTS] = {{R_UNIT, R_PERIOD, R_CRITERION},
                             {R_SELF, R_APPRAISED, R_NOT_APPLICABLE, R_EVIDENCE, R_UNIT_NAME}},
    [JQL_CSV_EVENTS] = {{R_UNIT, R_DATE, R_KIND}, {R_TEXT, R_POINTS, R_EVIDENCE, R_UNIT_NAME}},
    [JQL_CSV_UNITS] = {{R_ID, R_NAME, R_LEVEL}, {R_PARENT, R_CLUSTER}},
    [JQL_CSV_INDICATORS] = {{R_ID, R_NAME}, {R_MEASURE_UNIT, R_AGGREGATION, R_FIELD}},
};

const char *jql_csv_role_name(jql_csv_role r) { return roles[r].name; }

jql_csv_type jql_csv_role_type(jql_csv_role r) { return roles[r].type; }

static bool kind_has(jql_csv_kind kind, jql_csv_role r, bool required_only)
{
    const kind_columns *k = &kinds[kind];
    for (size_t i = 0; i < 6 && k->required[i]; i++)
        if (k->required[i] == r)
            return true;
    for (size_t i = 0; !required_only && i < 8 && k->optional[i]; i++)
        if (k->optional[i] == r)
            return true;
    return false;
}

bool jql_csv_role_required(jql_csv_kind kind, jql_csv_role r) { return kind_has(kind, r, true); }

char *jql_csv_fold(const char *s)
{
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT |
                                          UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                                          UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
    if (n < 0)
        return NULL;
    char *out = jql_malloc((size_t)n + 1);
    if (!out) {
        free(folded);
        return NULL;
    }
    size_t o = 0;
    bool space = true; /* drops leading spaces */
    for (const unsigned char *p = folded; *p; p++) {
        unsigned char c = *p;
        if (c == 0xC4 && p[1] == 0x91) { /* đ (Đ is folded to it) */
            c = 'd';
            p++;
        }
        if (c == ' ' || c == '\t' || c == '_' || c == '-' || c == '\r' || c == '\n') {
            if (!space)
                out[o++] = ' ';
            space = true;
            continue;
        }
        out[o++] = (char)c;
        space = false;
    }
    while (o && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    free(folded);
    return out;
}

/* Whether folded header f is role name `name` folded. The names are
   lowercase ASCII words joined by '_', which folds to ' ': compared as
   they are, so that no allocation can fail here and turn an out-of-memory
   into an unknown column. */
static bool is_role_name(const char *name, const char *f)
{
    for (; *name && *f; name++, f++)
        if ((*name == '_' ? ' ' : *name) != *f)
            return false;
    return *name == *f;
}

/* The role of a header already folded (jql_csv_fold). */
static jql_csv_role folded_role(jql_csv_kind kind, const char *f)
{
    jql_csv_role found = R_NONE;
    for (int r = R_IGNORE; r < R_COUNT && !found; r++) {
        if (r != R_IGNORE && !kind_has(kind, (jql_csv_role)r, false))
            continue;
        if (roles[r].name[0] && is_role_name(roles[r].name, f))
            found = (jql_csv_role)r;
        for (size_t a = 0; !found && a < 6 && roles[r].aliases[a]; a++)
            if (strcmp(roles[r].aliases[a], f) == 0)
                found = (jql_csv_role)r;
    }
    return found;
}

jql_csv_role jql_csv_header_role(jql_csv_kind kind, const char *header, bool *oom)
{
    char *f = jql_csv_fold(header); /* the text is UTF-8 (checked): NULL is no memory */
    if (!f) {
        *oom = true;
        return R_NONE;
    }
    jql_csv_role found = folded_role(kind, f);
    jql_free(f);
    return found;
}

/* The headers folded once: guessing tries every kind on every header (a
   9 MB header row of 1,023 unknown columns was folded 10 times: 1.8 s).
   NULL when out of memory. */
static char **fold_headers(const jql_csv_table *t)
{
    size_t n = t->rows[0].n;
    char **f = jql_calloc(n + 1, sizeof *f);
    for (size_t c = 0; f && c < n; c++)
        if (!(f[c] = jql_csv_fold(jql_csv_cell(t, 0, c)))) {
            for (size_t d = 0; d < c; d++)
                jql_free(f[d]);
            jql_free(f);
            return NULL;
        }
    return f;
}

jql_csv_kind jql_csv_guess_kind(const jql_csv_table *t, bool *oom)
{
    if (t->nrows == 0)
        return JQL_CSV_AUTO;
    char **folded = fold_headers(t);
    if (!folded) {
        *oom = true;
        return JQL_CSV_AUTO;
    }
    jql_csv_kind best = JQL_CSV_AUTO;
    size_t best_known = 0;
    bool tie = false;
    for (int k = JQL_CSV_STATS; k <= JQL_CSV_INDICATORS; k++) {
        if (k == JQL_CSV_STATS_WIDE)
            continue; /* the fallback below */
        bool seen[R_COUNT] = {false};
        size_t known = 0;
        for (size_t c = 0; c < t->rows[0].n; c++) {
            jql_csv_role r = folded_role((jql_csv_kind)k, folded[c]);
            if (r != R_NONE && r != R_IGNORE) {
                seen[r] = true;
                known++;
            }
        }
        bool complete = true;
        for (size_t i = 0; i < 6 && kinds[k].required[i]; i++)
            complete = complete && seen[kinds[k].required[i]];
        if (!complete)
            continue;
        if (known > best_known) {
            best = (jql_csv_kind)k;
            best_known = known;
            tie = false;
        } else if (known == best_known) {
            tie = true;
        }
    }
    jql_csv_kind guess = tie ? JQL_CSV_AUTO : best;
    /* a unit column and nothing else we know: one column per indicator */
    for (size_t c = 0; !tie && guess == JQL_CSV_AUTO && c < t->rows[0].n; c++)
        if (folded_role(JQL_CSV_STATS_WIDE, folded[c]) == R_UNIT)
            guess = JQL_CSV_STATS_WIDE;
    for (size_t c = 0; c < t->rows[0].n; c++)
        jql_free(folded[c]);
    jql_free(folded);
    return guess;
}
