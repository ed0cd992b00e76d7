/*
 * jql-report: pieces shared by the HTML writer (report_html.c) and its
 * SVG charts (report_svg.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JQL_REPORT_HTML_H
#define JQL_REPORT_HTML_H

#include "report_doc.h"

/* Append @p s with & < > " ' escaped (safe in text and in attribute values). */
void rp_html_text(rp_buf *b, const char *s);

/*
 * Write a chart as <figure><figcaption>...</figcaption><svg id="chart-...">:
 * chart-indicators (this period against the year before for the province
 * total: two bars per indicator that has both values), chart-clusters (one bar per scored unit, coloured
 * by tier) and chart-sections (one bar per unit and top-level criterion).
 * Every data bar is a <rect class="bar">; nothing is written when there is
 * nothing to draw.
 */
void rp_svg_chart(rp_writer *w, rp_chart which);

#endif /* JQL_REPORT_HTML_H */
