/*
 * jql-report: the HTML writer — one self-contained page (inline CSS and
 * inline SVG, no script, nothing fetched), readable on a phone and printable
 * on A4. Every piece of text goes through rp_html_text().
 *
 * SPDX-License-Identifier: MIT
 */
#include "report_html.h"

#include <string.h>

void rp_html_text(rp_buf *b, const char *s)
{
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '&': rp_put(b, "&amp;"); break;
        case '<': rp_put(b, "&lt;"); break;
        case '>': rp_put(b, "&gt;"); break;
        case '"': rp_put(b, "&quot;"); break;
        case '\'': rp_put(b, "&#39;"); break;
        default: rp_putc(b, *p);
        }
    }
}

static const char css[] =
    ":root{--ink:#1f2933;--muted:#52606d;--line:#cbd2d9;--head:#eef2f6;--accent:#1f5f99}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;background:#fff;color:var(--ink);line-height:1.45;"
    "font-family:\"Noto Sans\",\"DejaVu Sans\",\"Segoe UI\",Arial,sans-serif;font-size:15px}\n"
    "main{max-width:1040px;margin:0 auto;padding:16px 20px 32px}\n"
    "h1{font-size:1.55rem;color:var(--accent);margin:.2em 0 .5em}\n"
    "h2{font-size:1.25rem;color:var(--accent);border-bottom:2px solid var(--accent);"
    "padding-bottom:.15em;margin:1.6em 0 .6em}\n"
    "h3{font-size:1.05rem;margin:1.2em 0 .4em}\n"
    "h4{font-size:.98rem;margin:1em 0 .3em;color:var(--muted)}\n"
    "p{margin:.4em 0}\n"
    ".meta{margin:.1em 0}.meta .k{font-weight:bold}\n"
    ".table-wrap{overflow-x:auto;margin:.4em 0 1em}\n"
    "table{border-collapse:collapse;width:100%;font-size:.88rem}\n"
    "th,td{border:1px solid var(--line);padding:4px 7px;text-align:left;vertical-align:top}\n"
    "th{background:var(--head)}\n"
    "th.num,td.num{text-align:right;font-variant-numeric:tabular-nums}td.num{white-space:nowrap}\n"
    "tr.total td{font-weight:bold;background:#f7f9fb}\n"
    "ul{padding-left:1.3em}\n"
    "figure{margin:1em 0 1.4em}\n"
    "figcaption{font-weight:bold;margin-bottom:.4em}\n"
    ".chart{overflow-x:auto}\n"
    ".chart svg{display:block;width:100%;max-width:820px;height:auto;min-width:420px}\n"
    ".note{color:var(--muted);font-size:.85rem;margin-top:2em}\n"
    "@media (max-width:640px){body{font-size:14px}main{padding:10px}h1{font-size:1.3rem}"
    "table{font-size:.8rem}}\n"
    "table.form{border:0;margin:0 0 1.2em;font-size:.95rem}\n"
    "table.form td{border:0;padding:0 4px;text-align:center;width:50%}\n"
    ".form-head .left .l1,.form-head .right .l0,.form-head .right .l1,.form-foot .sign .l1"
    "{font-weight:bold}\n"
    ".form-head .left .l1:after,.form-head .right .l1:after{content:\"\";display:block;"
    "width:40%;margin:2px auto 4px;border-bottom:1px solid var(--ink)}\n"
    ".form-head .right .l2{font-style:italic}\n"
    ".form-foot td.left{text-align:left;font-size:.85rem}.form-foot ul{margin:.2em 0;"
    "padding-left:1.1em}\n.form-foot .k{font-weight:bold;font-style:italic}\n"
    ".form-foot .sign .l0,.form-foot .sign .l1{font-weight:bold}"
    ".form-foot .sign .l2{margin-top:4em;font-weight:bold}\n"
    ".doc-title{text-align:center}.doc-title h1{margin-bottom:.1em}"
    ".doc-title p{font-weight:bold;margin:0 0 1em}\n"
    "table.dense{font-size:.74rem}table.dense th,table.dense td{padding:2px 3px}\n"
    "table.dense th{font-weight:600;white-space:normal;vertical-align:bottom}\n"
    "table.dense td:first-child{min-width:9em}\n"
    "h1{text-align:center}h1+p{text-align:center;font-weight:bold;margin-bottom:1em}\n"
    ".page-break{break-before:page;height:0}\n"
    "table.sheet{table-layout:fixed}table.sheet th:nth-child(1){width:44%}"
    "table.sheet th:nth-child(2),table.sheet th:nth-child(3),table.sheet th:nth-child(4),"
    "table.sheet th:nth-child(5){width:8%}table.sheet td{line-height:1.2}\n"
    "@media print{table.dense.sheet{font-size:6.6pt}table.dense.sheet td,"
    "table.dense.sheet th{padding:0 3px}}\n"
    "@media screen{.page-break{border-top:2px dashed var(--line);margin:2em 0}}\n"
    "@page{size:A4;margin:14mm 12mm 16mm;"
    "@bottom-center{content:counter(page) \" / \" counter(pages);font-size:9pt;color:#52606d}}\n"
    "@media print{body{font-size:9pt;line-height:1.3}main{max-width:none;padding:0}"
    "h2{margin:1em 0 .4em}h3{margin:.8em 0 .3em}h4{margin:.6em 0 .2em}"
    "table{font-size:8.5pt}table.dense{font-size:7pt}th,td{padding:1px 4px}"
    ".chart svg{max-width:62%}figure{margin:.6em 0}"
    ".table-wrap,.chart{overflow:visible}.chart svg{min-width:0}"
    "figure,tr{break-inside:avoid}h2,h3,h4{break-after:avoid}"
    "th{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

static void h_begin(rp_writer *w, const char *title)
{
    rp_printf(w->out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
              w->lang == RP_EN ? "en" : "vi");
    rp_put(w->out, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    rp_put(w->out, "<title>");
    rp_html_text(w->out, title);
    rp_put(w->out, "</title>\n<style>\n");
    rp_put(w->out, css);
    rp_put(w->out, "</style>\n</head>\n<body>\n<main>\n");
}

static void h_end(rp_writer *w)
{
    rp_put(w->out, "</main>\n</body>\n</html>\n");
}

static void h_heading(rp_writer *w, int level, const char *text, const char *id)
{
    rp_printf(w->out, "<h%d", level);
    if (id) {
        rp_put(w->out, " id=\"");
        rp_html_text(w->out, id);
        rp_putc(w->out, '"');
    }
    rp_putc(w->out, '>');
    rp_html_text(w->out, text);
    rp_printf(w->out, "</h%d>\n", level);
}

static void h_meta(rp_writer *w, const char *label, const char *value)
{
    rp_put(w->out, "<p class=\"meta\"><span class=\"k\">");
    rp_html_text(w->out, label);
    rp_put(w->out, ":</span> ");
    rp_html_text(w->out, value);
    rp_put(w->out, "</p>\n");
}

static void labelled(rp_writer *w, const char *label, const char *text)
{
    if (label) {
        rp_put(w->out, "<strong>");
        rp_html_text(w->out, label);
        rp_put(w->out, ":</strong> ");
    }
    rp_html_text(w->out, text);
}

static void h_para(rp_writer *w, const char *label, const char *text)
{
    rp_put(w->out, "<p>");
    labelled(w, label, text);
    rp_put(w->out, "</p>\n");
}

static void h_list_begin(rp_writer *w)
{
    rp_put(w->out, "<ul>\n");
}

static void h_item(rp_writer *w, const char *label, const char *text)
{
    rp_put(w->out, "<li>");
    labelled(w, label, text);
    rp_put(w->out, "</li>\n");
}

static void h_list_end(rp_writer *w)
{
    rp_put(w->out, "</ul>\n");
}

static void h_table_begin(rp_writer *w, size_t ncols, const char *const *head,
                          const bool *numeric)
{
    w->ncols = ncols < RP_MAX_COLS ? ncols : RP_MAX_COLS;
    rp_put(w->out, w->sheet   ? "<div class=\"table-wrap\"><table class=\"dense sheet\">\n<thead><tr>"
                   : w->dense ? "<div class=\"table-wrap\"><table class=\"dense\">\n<thead><tr>"
                              : "<div class=\"table-wrap\"><table>\n<thead><tr>");
    w->dense = w->sheet = false;
    for (size_t i = 0; i < w->ncols; i++) {
        w->numeric[i] = numeric[i];
        rp_put(w->out, numeric[i] ? "<th class=\"num\">" : "<th>");
        rp_html_text(w->out, head[i]);
        rp_put(w->out, "</th>");
    }
    rp_put(w->out, "</tr></thead>\n<tbody>\n");
}

static void h_table_row(rp_writer *w, const char *const *cells, bool strong)
{
    rp_put(w->out, strong ? "<tr class=\"total\">" : "<tr>");
    for (size_t i = 0; i < w->ncols; i++) {
        rp_put(w->out, w->numeric[i] ? "<td class=\"num\">" : "<td>");
        for (const char *p = cells[i]; *p;) { /* a line break in a cell: <br> */
            size_t n = strcspn(p, "\n");
            rp_html_text(w->out, rp_scratchf("%.*s", (int)n, p));
            if (p[n] == '\n')
                rp_put(w->out, "<br>");
            p += n + (p[n] == '\n');
        }
        rp_put(w->out, "</td>");
    }
    rp_put(w->out, "</tr>\n");
}

static void h_table_end(rp_writer *w)
{
    rp_put(w->out, "</tbody>\n</table></div>\n");
    w->ncols = 0;
}

static void h_cell_lines(rp_writer *w, const char *const *lines, size_t n, const char *cls)
{
    rp_printf(w->out, "<td class=\"%s\">", cls);
    for (size_t i = 0; i < n; i++) {
        if (!lines[i])
            continue;
        rp_printf(w->out, "<div class=\"l%zu\">", i);
        rp_html_text(w->out, lines[i]);
        rp_put(w->out, "</div>");
    }
    rp_put(w->out, "</td>");
}

static void h_form_head(rp_writer *w, const char *const left[3], const char *const right[3])
{
    rp_put(w->out, "<table class=\"form form-head\"><tr>");
    h_cell_lines(w, left, 3, "left");
    h_cell_lines(w, right, 3, "right");
    rp_put(w->out, "</tr></table>\n");
}

static void h_form_foot(rp_writer *w, const char *recipients_label, const char *recipients,
                        const char *const sign[3])
{
    rp_put(w->out, "<table class=\"form form-foot\"><tr><td class=\"left\">");
    if (recipients) {
        rp_put(w->out, "<div class=\"k\">");
        rp_html_text(w->out, recipients_label);
        rp_put(w->out, ":</div><ul>");
        for (const char *p = recipients; *p;) {
            size_t n = strcspn(p, "\n");
            rp_put(w->out, "<li>");
            rp_html_text(w->out, rp_scratchf("%.*s", (int)n, p));
            rp_put(w->out, "</li>");
            p += n + (p[n] == '\n');
        }
        rp_put(w->out, "</ul>");
    }
    rp_put(w->out, "</td>");
    h_cell_lines(w, sign, 3, "right sign");
    rp_put(w->out, "</tr></table>\n");
}

static void h_page_break(rp_writer *w)
{
    rp_put(w->out, "<div class=\"page-break\"></div>\n");
}

void rp_writer_html(rp_writer *w, rp_buf *out, rp_lang lang, const rp_model *m)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->lang = lang;
    w->m = m;
    w->begin = h_begin;
    w->end = h_end;
    w->heading = h_heading;
    w->meta = h_meta;
    w->para = h_para;
    w->list_begin = h_list_begin;
    w->item = h_item;
    w->list_end = h_list_end;
    w->table_begin = h_table_begin;
    w->table_row = h_table_row;
    w->table_end = h_table_end;
    w->chart = rp_svg_chart;
    w->form_head = h_form_head;
    w->form_foot = h_form_foot;
    w->page_break = h_page_break;
}
