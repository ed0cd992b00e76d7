/*
 * jql-report: the Markdown writer (CommonMark with GitHub tables).
 * Charts are left out; everything they show is in the tables.
 *
 * SPDX-License-Identifier: MIT
 */
#include "report_doc.h"

#include <string.h>

/* Text with Markdown's active characters escaped and line breaks as spaces. */
static void md_text(rp_buf *b, const char *s)
{
    for (; *s; s++) {
        if (strchr("\\`*_[]<>|#", *s))
            rp_putc(b, '\\');
        rp_putc(b, *s == '\n' || *s == '\r' ? ' ' : *s);
    }
}

/* Start a block: blank line after whatever came before. */
static void block(rp_writer *w)
{
    rp_buf *b = w->out;
    if (b->len == 0)
        return;
    if (b->data[b->len - 1] != '\n')
        rp_putc(b, '\n');
    if (b->len < 2 || b->data[b->len - 2] != '\n')
        rp_putc(b, '\n');
}

static void md_begin(rp_writer *w, const char *title)
{
    (void)w;
    (void)title;
}

static void md_end(rp_writer *w)
{
    if (w->out->len && w->out->data[w->out->len - 1] != '\n')
        rp_putc(w->out, '\n');
}

static void md_heading(rp_writer *w, int level, const char *text, const char *id)
{
    (void)id;
    block(w);
    for (int i = 0; i < level; i++)
        rp_putc(w->out, '#');
    rp_putc(w->out, ' ');
    md_text(w->out, text);
    rp_putc(w->out, '\n');
}

static void md_meta(rp_writer *w, const char *label, const char *value)
{
    rp_put(w->out, "**");
    md_text(w->out, label);
    rp_put(w->out, ":** ");
    md_text(w->out, value);
    rp_put(w->out, "  \n"); /* hard line break: the heading block is one paragraph */
}

static void labelled(rp_writer *w, const char *label, const char *text)
{
    if (label) {
        rp_put(w->out, "**");
        md_text(w->out, label);
        rp_put(w->out, ":** ");
    }
    md_text(w->out, text);
    rp_putc(w->out, '\n');
}

static void md_para(rp_writer *w, const char *label, const char *text)
{
    block(w);
    labelled(w, label, text);
}

static void md_list_begin(rp_writer *w)
{
    block(w);
}

static void md_item(rp_writer *w, const char *label, const char *text)
{
    rp_put(w->out, "- ");
    labelled(w, label, text);
}

static void md_list_end(rp_writer *w)
{
    (void)w;
}

static void md_table_begin(rp_writer *w, size_t ncols, const char *const *head,
                           const bool *numeric)
{
    block(w);
    w->ncols = ncols < RP_MAX_COLS ? ncols : RP_MAX_COLS;
    rp_putc(w->out, '|');
    for (size_t i = 0; i < w->ncols; i++) {
        rp_putc(w->out, ' ');
        md_text(w->out, head[i]);
        rp_put(w->out, " |");
    }
    rp_put(w->out, "\n|");
    for (size_t i = 0; i < w->ncols; i++) {
        w->numeric[i] = numeric[i];
        rp_put(w->out, numeric[i] ? " ---: |" : " --- |");
    }
    rp_putc(w->out, '\n');
}

static void md_table_row(rp_writer *w, const char *const *cells, bool strong)
{
    rp_putc(w->out, '|');
    for (size_t i = 0; i < w->ncols; i++) {
        bool bold = strong && cells[i][0];
        rp_put(w->out, bold ? " **" : " ");
        md_text(w->out, cells[i]);
        rp_put(w->out, bold ? "** |" : " |");
    }
    rp_putc(w->out, '\n');
}

static void md_table_end(rp_writer *w)
{
    w->ncols = 0;
}

static void md_chart(rp_writer *w, rp_chart which)
{
    (void)w;
    (void)which;
}

static void md_lines(rp_writer *w, const char *const *lines, size_t n, const char *bold_from)
{
    for (size_t i = 0; i < n; i++) {
        if (!lines[i])
            continue;
        bool bold = bold_from && lines[i] == bold_from;
        rp_put(w->out, bold ? "**" : "");
        md_text(w->out, lines[i]);
        rp_put(w->out, bold ? "**  \n" : "  \n");
    }
}

static void md_form_head(rp_writer *w, const char *const left[3], const char *const right[3])
{
    block(w);
    md_lines(w, left, 3, left[1]);
    rp_putc(w->out, '\n');
    md_lines(w, right, 2, right[0]);
    if (right[2]) {
        rp_putc(w->out, '*');
        md_text(w->out, right[2]);
        rp_put(w->out, "*\n");
    }
}

static void md_form_foot(rp_writer *w, const char *recipients_label, const char *recipients,
                         const char *const sign[3])
{
    block(w);
    if (recipients) {
        rp_put(w->out, "**");
        md_text(w->out, recipients_label);
        rp_put(w->out, ":**  \n");
        for (const char *p = recipients; *p;) {
            size_t n = strcspn(p, "\n");
            rp_put(w->out, "- ");
            md_text(w->out, rp_scratchf("%.*s", (int)n, p));
            rp_putc(w->out, '\n');
            p += n + (p[n] == '\n');
        }
        rp_putc(w->out, '\n');
    }
    md_lines(w, sign, 3, sign[1]);
}

static void md_page_break(rp_writer *w)
{
    block(w);
    rp_put(w->out, "---\n");
}

void rp_writer_md(rp_writer *w, rp_buf *out, rp_lang lang, const rp_model *m)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->lang = lang;
    w->m = m;
    w->begin = md_begin;
    w->end = md_end;
    w->heading = md_heading;
    w->meta = md_meta;
    w->para = md_para;
    w->list_begin = md_list_begin;
    w->item = md_item;
    w->list_end = md_list_end;
    w->table_begin = md_table_begin;
    w->table_row = md_table_row;
    w->table_end = md_table_end;
    w->chart = md_chart;
    w->form_head = md_form_head;
    w->form_foot = md_form_foot;
    w->page_break = md_page_break;
}
