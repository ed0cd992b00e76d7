/*
 * jql-report: the inline SVG charts of the HTML page. Horizontal bars with
 * the labels in a left column, drawn in a 640-unit-wide viewBox scaled to
 * the page width. Coordinates are whole units computed from jql_milli with
 * integer arithmetic (no floating point, no locale).
 *
 * SPDX-License-Identifier: MIT
 */
#include "report_html.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define T(label) rp_t(w->lang, label)

enum { VB_W = 640, LABEL_W = 236, BAR_X = 244, BAR_W = 330, ROW_H = 22, BAR_H = 15 };

static const char *const tier_colours[] = {"#2e7d32", "#1f5f99", "#e0a100", "#c62828"};
static const char *const section_colours[] = {"#1f5f99", "#2e7d32", "#e0a100", "#8e44ad",
                                              "#c0392b", "#16a085", "#7f8c8d", "#d35400"};
#define COLOUR_PREV "#9aa5b1"
#define COLOUR_CUR "#1f5f99"

static const char *tier_colour(size_t t)
{
    return t < 4 ? tier_colours[t] : "#7b8794";
}

/* Bar length for @p v on a scale where @p max fills @p width (clamped). */
static long bar_len(jql_milli v, jql_milli max, long width)
{
    if (max <= 0 || v <= 0)
        return 0;
    if (v >= max)
        return width;
    return (long)rp_muldiv(v, width, max);
}

static void figure_begin(rp_writer *w, const char *id, const char *caption, long height)
{
    rp_put(w->out, "<figure><figcaption>");
    rp_html_text(w->out, caption);
    rp_put(w->out, "</figcaption>\n<div class=\"chart\">");
    rp_printf(w->out,
              "<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %ld\" "
              "width=\"100%%\" role=\"img\" aria-label=\"",
              id, VB_W, height);
    rp_html_text(w->out, caption);
    rp_put(w->out, "\" font-family=\"Noto Sans, DejaVu Sans, Arial, sans-serif\" "
                   "font-size=\"12\">\n");
}

static void figure_end(rp_writer *w)
{
    rp_put(w->out, "</svg></div></figure>\n");
}

static void text_at(rp_writer *w, long x, long y, const char *anchor, const char *extra,
                    const char *text)
{
    rp_printf(w->out, "<text x=\"%ld\" y=\"%ld\" text-anchor=\"%s\"%s>", x, y, anchor, extra);
    rp_html_text(w->out, text);
    rp_put(w->out, "</text>\n");
}

static void bar(rp_writer *w, long x, long y, long len, long h, const char *fill,
                const char *tip)
{
    rp_printf(w->out, "<rect class=\"bar\" x=\"%ld\" y=\"%ld\" width=\"%ld\" height=\"%ld\" "
                      "fill=\"%s\"><title>",
              x, y, len, h, fill);
    rp_html_text(w->out, tip);
    rp_put(w->out, "</title></rect>\n");
}

static void swatch(rp_writer *w, long x, long y, const char *fill, const char *label)
{
    rp_printf(w->out, "<rect class=\"swatch\" x=\"%ld\" y=\"%ld\" width=\"12\" height=\"12\" "
                      "fill=\"%s\"/>\n",
              x, y - 10, fill);
    text_at(w, x + 17, y, "start", "", label);
}

/* ---- this period against the year before ----------------------------------------- */

/* The chart compares: only indicators with both values are drawn (the
 * tables show the others). */
static bool comparable(const rp_change *c)
{
    return c->has_cur && c->has_prev;
}

static void chart_indicators(rp_writer *w)
{
    const rp_model *m = w->m;
    const jql_dataset *ds = m->ds;
    size_t shown = 0;
    for (size_t i = 0; m->roots.len && i < m->n_indicators; i++)
        shown += comparable(&m->indicators[i].totals[0]);
    if (!shown)
        return;
    long height = 34 + (long)shown * 58, y = 34;
    const char *cur_name = rp_s_period(ds, w->lang, m->period);
    const char *prev_name = m->year_before[0] ? rp_s_period(ds, w->lang, m->year_before)
                                              : T(L_YEAR_BEFORE);
    figure_begin(w, "chart-indicators",
                 rp_scratchf("%s (%s)", T(L_CHART_INDICATORS), T(L_CHART_OWN_SCALE)), height);
    swatch(w, 0, 16, COLOUR_PREV, prev_name);
    swatch(w, 220, 16, COLOUR_CUR, cur_name);
    for (size_t i = 0; i < m->n_indicators; i++) {
        const rp_indicator *ind = &m->indicators[i];
        const rp_change *c = &ind->totals[0];
        const char *name = jql_indicator_name(ds, ind->index);
        if (!comparable(c))
            continue;
        jql_milli max = c->cur > c->prev ? c->cur : c->prev;
        const long width = VB_W - 90;
        text_at(w, 0, y + 13, "start", " font-weight=\"bold\"",
                c->has_pct ? rp_scratchf("%s (%s)", name, rp_s_pct(w->lang, c->pct, true)) : name);
        const struct { bool has; jql_milli v; const char *fill, *period; long dy; } bars[2] = {
            {c->has_prev, c->prev, COLOUR_PREV, prev_name, 18},
            {c->has_cur, c->cur, COLOUR_CUR, cur_name, 36},
        };
        for (int b = 0; b < 2; b++) {
            const char *value = bars[b].has ? rp_s_num(w->lang, bars[b].v, -1, false) : RP_DASH;
            long len = bars[b].has ? bar_len(bars[b].v, max, width) : 0;
            if (bars[b].has)
                bar(w, 0, y + bars[b].dy, len, BAR_H, bars[b].fill,
                    rp_scratchf("%s — %s: %s", name, bars[b].period, value));
            text_at(w, len + 5, y + bars[b].dy + 12, "start", "", value);
        }
        y += 58;
    }
    figure_end(w);
}

/* ---- final scores by cluster ------------------------------------------------------ */

static jql_milli chart_scale(const rp_emulation *e)
{
    jql_milli scale = jql_criteria_scale(e->criteria);
    for (size_t k = 0; k < jql_results_unit_count(e->results); k++) {
        jql_milli f = jql_results_unit_value(e->results, k, JQL_RESULT_FIELD_FINAL);
        if (f > scale)
            scale = f;
    }
    return scale;
}

static int cmp_cluster(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Result positions grouped by cluster (e->clusters' order, then the
   unclustered), each group in result order; *start[g] is where group g
   begins (groups + 1 entries). Counted in one pass rather than a pass over
   every unit per cluster. NULL when out of memory. */
static size_t *units_by_cluster(const rp_emulation *e, size_t groups, size_t **start)
{
    const jql_results *r = e->results;
    size_t units = jql_results_unit_count(r);
    size_t *group = malloc((units + 1) * sizeof *group), *order = malloc((units + 1) * sizeof *order);
    size_t *at = calloc(groups + 2, sizeof *at);
    if (!group || !order || !at) {
        free(group);
        free(order);
        free(at);
        return NULL;
    }
    for (size_t k = 0; k < units; k++) {
        const char *c = jql_results_unit_cluster(r, k);
        const char *const *hit =
            c ? bsearch(&c, e->clusters, e->n_clusters, sizeof *e->clusters, cmp_cluster) : NULL;
        group[k] = hit ? (size_t)(hit - e->clusters) : e->n_clusters;
        at[group[k] + 1]++;
    }
    for (size_t g = 0; g < groups; g++)
        at[g + 1] += at[g];
    *start = at;
    size_t *next = malloc((groups + 1) * sizeof *next);
    if (!next) {
        free(group);
        free(order);
        free(at);
        return NULL;
    }
    memcpy(next, at, (groups + 1) * sizeof *next);
    for (size_t k = 0; k < units; k++)
        order[next[group[k]]++] = k;
    free(next);
    free(group);
    return order;
}

static void chart_clusters(rp_writer *w)
{
    const rp_emulation *e = w->m->emu;
    const jql_results *r = e->results;
    size_t units = jql_results_unit_count(r), groups = e->n_clusters + e->any_unclustered;
    size_t tiers = jql_criteria_tier_count(e->criteria);
    if (!units)
        return;
    size_t *start = NULL, *order = units_by_cluster(e, groups, &start);
    if (!order) {
        w->out->failed = true;
        return;
    }
    jql_milli scale = chart_scale(e);
    long legend_rows = (long)(tiers + 1) / 2;
    long top = 24 + legend_rows * 18, height = top + (long)(units + groups) * ROW_H + 10;
    figure_begin(w, "chart-clusters", T(L_CHART_CLUSTERS), height);
    for (size_t t = 0; t < tiers; t++) /* legend: two columns */
        swatch(w, (long)(t % 2) * 320, 14 + (long)(t / 2) * 18, tier_colour(t),
               jql_criteria_tier_name(e->criteria, t) ? jql_criteria_tier_name(e->criteria, t)
                                                       : jql_criteria_tier_id(e->criteria, t));
    for (size_t t = 0; t < tiers; t++) { /* tier thresholds */
        jql_milli min = jql_criteria_tier_min(e->criteria, t);
        if (min <= 0)
            continue;
        long x = BAR_X + bar_len(min, scale, BAR_W);
        rp_printf(w->out, "<line x1=\"%ld\" y1=\"%ld\" x2=\"%ld\" y2=\"%ld\" stroke=\"%s\" "
                          "stroke-dasharray=\"4 3\"/>\n",
                  x, top - 6, x, height - 8, tier_colour(t));
        text_at(w, x, top - 9, "middle", " font-size=\"10\"", rp_s_num(w->lang, min, -1, false));
    }
    long y = top;
    for (size_t g = 0; g < groups; g++) {
        const char *cluster = g < e->n_clusters ? e->clusters[g] : NULL;
        text_at(w, 0, y + 15, "start", " font-weight=\"bold\"",
                cluster ? rp_s_name(w->m->ds, w->lang, "cluster", cluster,
                                    rp_scratchf("%s %s", T(L_CLUSTER), cluster))
                        : T(L_NO_CLUSTER));
        y += ROW_H;
        for (size_t i = start[g]; i < start[g + 1]; i++) {
            size_t k = order[i];
            jql_milli f = jql_results_unit_value(r, k, JQL_RESULT_FIELD_FINAL);
            size_t t = rp_tier_index(e->criteria, jql_results_unit_tier(r, k));
            long len = bar_len(f, scale, BAR_W);
            const char *score = rp_s_num(w->lang, f, 3, false);
            text_at(w, LABEL_W, y + 15, "end", "", jql_results_unit_name(r, k));
            bar(w, BAR_X, y + 3, len, BAR_H, tier_colour(t),
                rp_scratchf("%s: %s", jql_results_unit_name(r, k), score));
            text_at(w, BAR_X + len + 5, y + 15, "start", "", score);
            y += ROW_H;
        }
    }
    free(order);
    free(start);
    figure_end(w);
}

/* ---- points by section -------------------------------------------------------------- */

static const jql_results *sort_results;

/* By criteria total, highest first; equal totals keep result order. */
static int cmp_total(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    jql_milli tx = jql_results_unit_value(sort_results, x, JQL_RESULT_FIELD_TOTAL);
    jql_milli ty = jql_results_unit_value(sort_results, y, JQL_RESULT_FIELD_TOTAL);
    if (tx != ty)
        return tx > ty ? -1 : 1;
    return (x > y) - (x < y);
}

/* Most bars of the chart of points by section (one per unit and section,
   about 200 bytes each): 5,000 units x 400 sections, a 750 KB input, made
   a 230 MB page in 5.7 s; beyond it a sentence says why there is none. */
#define RP_MAX_CHART_BARS 200000
/* Most bytes of unit names and section titles those bars are labelled
   with (each bar's tooltip names its unit and section): 150 units of
   48 KB names on 100 sections, a 9.5 MB input, made a 720 MB page in 3.5 s
   and 1.6 GB; beyond it a sentence says why there is none. */
#define RP_MAX_CHART_TEXT (32u * 1024u * 1024u)

static void chart_sections(rp_writer *w)
{
    const rp_emulation *e = w->m->emu;
    const jql_results *r = e->results;
    const jql_criteria *c = e->criteria;
    size_t units = jql_results_unit_count(r);
    if (!units || !e->n_sections)
        return;
    if (units > RP_MAX_CHART_BARS / e->n_sections) { /* a bar per unit and section */
        w->para(w, NULL,
                rp_scratchf("%s %d: %zu × %zu.", T(L_CHART_LEFT_OUT), RP_MAX_CHART_BARS, units,
                            e->n_sections));
        return;
    }
    uint64_t text = 0; /* each bar names its unit and its section */
    for (size_t k = 0; k < units; k++) {
        const char *name = jql_results_unit_name(r, k);
        text += (uint64_t)(name ? strlen(name) : 0) * e->n_sections;
    }
    for (size_t s = 0; s < e->n_sections; s++) {
        const char *title = jql_criteria_node_title(c, e->sections[s]);
        text += (uint64_t)(title ? strlen(title) : 0) * units;
    }
    if (text > RP_MAX_CHART_TEXT) {
        w->para(w, NULL,
                rp_scratchf("%s %u: %llu.", T(L_CHART_TEXT_LEFT_OUT), RP_MAX_CHART_TEXT,
                            (unsigned long long)text));
        return;
    }
    /* bars are labelled with the criteria total, so they are ordered by it */
    size_t *order = malloc(units * sizeof *order);
    if (!order) {
        w->out->failed = true;
        return;
    }
    for (size_t k = 0; k < units; k++)
        order[k] = k;
    sort_results = r;
    qsort(order, units, sizeof *order, cmp_total);
    jql_milli scale = jql_criteria_scale(c);
    long legend = (long)e->n_sections * 18;
    long height = legend + 12 + (long)units * ROW_H + 8;
    figure_begin(w, "chart-sections",
                 rp_scratchf("%s. %s.", T(L_CHART_SECTIONS), T(L_CHART_SECTIONS_NOTE)), height);
    for (size_t s = 0; s < e->n_sections; s++) {
        size_t n = e->sections[s];
        swatch(w, 0, 14 + (long)s * 18, section_colours[s % 8],
               rp_scratchf("%s (%s)", jql_criteria_node_title(c, n),
                           rp_s_num(w->lang, jql_criteria_node_max(c, n), -1, false)));
    }
    long y = legend + 12;
    for (size_t i = 0; i < units; i++, y += ROW_H) {
        size_t k = order[i];
        long x = BAR_X, sum_len = 0;
        text_at(w, LABEL_W, y + 15, "end", "", jql_results_unit_name(r, k));
        for (size_t s = 0; s < e->n_sections; s++) {
            size_t n = e->sections[s];
            jql_milli p = n < jql_results_node_count(r) ? jql_results_node_points(r, k, n) : 0;
            long len = bar_len(p, scale, BAR_W);
            if (sum_len + len > BAR_W)
                len = BAR_W - sum_len;
            bar(w, x, y + 3, len, BAR_H, section_colours[s % 8],
                rp_scratchf("%s — %s: %s", jql_results_unit_name(r, k),
                            jql_criteria_node_title(c, n), rp_s_num(w->lang, p, 3, false)));
            x += len;
            sum_len += len;
        }
        text_at(w, x + 5, y + 15, "start", "",
                rp_s_num(w->lang, jql_results_unit_value(r, k, JQL_RESULT_FIELD_TOTAL), 3, false));
    }
    free(order);
    figure_end(w);
}

void rp_svg_chart(rp_writer *w, rp_chart which)
{
    if (which == RP_CHART_INDICATORS)
        chart_indicators(w);
    else if (w->m->emu && w->m->emu->results)
        (which == RP_CHART_CLUSTERS ? chart_clusters : chart_sections)(w);
}
