/*
 * jql-report: helpers shared by the section writers — table rows built
 * cell by cell, and short-lived formatted strings.
 *
 * SPDX-License-Identifier: MIT
 */
#include "report_doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- rows ----------------------------------------------------------------- */

void rp_row_cell(rp_row *r, const char *text)
{
    if (r->n >= RP_MAX_COLS)
        return;
    r->off[r->n++] = r->b.len;
    rp_put(&r->b, text ? text : "");
    rp_putn(&r->b, "", 1); /* keep the NUL: cells sit one after another */
}

void rp_row_cellf(rp_row *r, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof small) {
        rp_row_cell(r, small);
        return;
    }
    char *big = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!big) {
        r->b.failed = true;
        rp_row_cell(r, "");
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    rp_row_cell(r, big);
    free(big);
}

void rp_row_emit(rp_writer *w, rp_row *r, bool strong)
{
    const char *cells[RP_MAX_COLS];
    for (size_t i = 0; i < RP_MAX_COLS; i++)
        cells[i] = i < r->n && !r->b.failed ? r->b.data + r->off[i] : "";
    if (r->b.failed)
        w->out->failed = true;
    w->table_row(w, cells, strong);
    r->n = 0;
    r->b.len = 0;
}

/* ---- scratch strings ------------------------------------------------------ */

static char **scratch;
static size_t scratch_len, scratch_cap;
static bool scratch_bad;

static const char *keep(char *s)
{
    if (!s) {
        scratch_bad = true;
        return "";
    }
    if (scratch_len == scratch_cap) {
        size_t cap = scratch_cap ? 2 * scratch_cap : 64;
        char **p = realloc(scratch, cap * sizeof *p);
        if (!p) {
            free(s);
            scratch_bad = true;
            return "";
        }
        scratch = p;
        scratch_cap = cap;
    }
    scratch[scratch_len++] = s;
    return s;
}

/* A built string kept at its own length: the buffer has room for 4 KiB or
   more, and scratch strings live until the report is written (one per
   overdue task's owners: 60,000 tasks held 245 MB). */
static const char *keep_buf(rp_buf *b)
{
    char *s = b->failed || !b->data ? NULL : malloc(b->len + 1);
    if (s)
        memcpy(s, b->data, b->len + 1);
    rp_buf_free(b);
    return keep(s);
}

const char *rp_scratchf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s) {
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return keep(s);
}

void rp_scratch_reset(void)
{
    for (size_t i = 0; i < scratch_len; i++)
        free(scratch[i]);
    free(scratch);
    scratch = NULL;
    scratch_len = scratch_cap = 0;
    scratch_bad = false;
}

bool rp_scratch_failed(void)
{
    return scratch_bad;
}

const char *rp_s_num(rp_lang lang, jql_milli v, int places, bool sign)
{
    char b[RP_NUM_MAX];
    rp_num(lang, v, places, sign, b);
    return rp_scratchf("%s", b);
}

const char *rp_s_pct(rp_lang lang, jql_milli pct, bool sign)
{
    char b[RP_NUM_MAX];
    rp_pct(lang, pct, sign, b);
    return rp_scratchf("%s", b);
}

const char *rp_s_date(rp_lang lang, jql_date d)
{
    char b[RP_DATE_MAX];
    rp_date(lang, d, b);
    return rp_scratchf("%s", b);
}

const char *rp_s_period(const jql_dataset *ds, rp_lang lang, const char *id)
{
    rp_buf b = {0};
    rp_period_name(ds, lang, id, &b);
    return keep_buf(&b);
}

const char *rp_s_name(const jql_dataset *ds, rp_lang lang, const char *kind, const char *id,
                      const char *fallback)
{
    if (!id)
        return RP_DASH;
    const char *s = jql_label_lookup(ds, kind, id, lang == RP_EN ? "en" : "vi");
    if (!s)
        s = jql_label_lookup(ds, kind, id, lang == RP_EN ? "vi" : "en");
    if (!s && strcmp(kind, "report_kind") == 0 && strcmp(rp_report_kind_name(lang, id), id) != 0)
        s = rp_report_kind_name(lang, id);
    if (!s && strcmp(kind, "cause_kind") == 0 && strcmp(rp_cause_kind_name(lang, id), id) != 0)
        s = rp_cause_kind_name(lang, id);
    return s ? s : fallback ? fallback : id;
}

const char *rp_s_units(const jql_dataset *ds, const size_t *units, size_t n)
{
    rp_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (i)
            rp_put(&b, ", ");
        rp_put(&b, jql_unit_name(ds, units[i]));
    }
    if (!n)
        rp_put(&b, RP_DASH);
    return keep_buf(&b);
}

/* Bytes of the words every covered unit's name starts with ("Phòng Tư pháp
   "), left out of the matrix's narrow first column; 0 when there are none
   or when a name would be left empty. */
size_t rp_common_prefix(const rp_model *m)
{
    if (m->covered.len < 2)
        return 0;
    const char *first = jql_unit_name(m->ds, m->covered.v[0]);
    size_t n = strlen(first);
    for (size_t u = 1; u < m->covered.len; u++) {
        const char *s = jql_unit_name(m->ds, m->covered.v[u]);
        size_t k = 0;
        while (k < n && s[k] == first[k])
            k++;
        n = k;
    }
    while (n > 0 && first[n - 1] != ' ') /* whole words only */
        n--;
    for (size_t u = 0; u < m->covered.len; u++)
        if (strlen(jql_unit_name(m->ds, m->covered.v[u])) <= n)
            return 0;
    return n;
}

