/*
 * jql-report: the document the sections are written into. The content
 * (report_sections.c, report_emu_sections.c) says "a heading, a table, a
 * list"; a writer lays that out as Markdown (report_md.c) or HTML
 * (report_html.c, with the SVG charts of report_svg.c). All text handed to
 * a writer is plain UTF-8: the writer escapes it for its format.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JQL_REPORT_DOC_H
#define JQL_REPORT_DOC_H

#include "report_i18n.h"
#include "report_model.h"

typedef enum rp_chart { RP_CHART_INDICATORS, RP_CHART_CLUSTERS, RP_CHART_SECTIONS } rp_chart;

enum { RP_MAX_COLS = 12 };

typedef struct rp_writer rp_writer;
struct rp_writer {
    rp_buf *out;
    rp_lang lang;
    const rp_model *m;
    size_t ncols; /* of the open table */
    bool numeric[RP_MAX_COLS];

    void (*begin)(rp_writer *w, const char *title);
    void (*end)(rp_writer *w);
    /* level 1..4; id: an anchor (HTML) or NULL */
    void (*heading)(rp_writer *w, int level, const char *text, const char *id);
    /* "label: value" lines of the report's heading block */
    void (*meta)(rp_writer *w, const char *label, const char *value);
    /* a paragraph; label (may be NULL) is set in bold before the text */
    void (*para)(rp_writer *w, const char *label, const char *text);
    void (*list_begin)(rp_writer *w);
    void (*item)(rp_writer *w, const char *label, const char *text);
    void (*list_end)(rp_writer *w);
    /* numeric[i]: column i is right-aligned */
    void (*table_begin)(rp_writer *w, size_t ncols, const char *const *head,
                        const bool *numeric);
    /* strong: a total row */
    void (*table_row)(rp_writer *w, const char *const *cells, bool strong);
    void (*table_end)(rp_writer *w);
    /* a chart (HTML only; Markdown leaves it out) */
    void (*chart)(rp_writer *w, rp_chart which);
    /* The administrative form: the heading block (issuing body and number on
       the left, motto and place/date on the right) and the closing block
       (recipients on the left, signature on the right). Any text may be NULL
       (left out); recipients are one a line. */
    void (*form_head)(rp_writer *w, const char *const left[3], const char *const right[3]);
    void (*form_foot)(rp_writer *w, const char *recipients_label, const char *recipients,
                      const char *const sign[3]);
    /* the next table is dense (many columns): a smaller type in HTML */
    bool dense;
    /* the next table is a score sheet: fixed column widths in HTML */
    bool sheet;
    /* start a new page (HTML: a print page break; Markdown: a rule) */
    void (*page_break)(rp_writer *w);
};

void rp_writer_md(rp_writer *w, rp_buf *out, rp_lang lang, const rp_model *m);
void rp_writer_html(rp_writer *w, rp_buf *out, rp_lang lang, const rp_model *m);

/* Write the whole report through @p w. */
void rp_write_report(rp_writer *w);
/* Sections of report_follow.c: directives due in the period, shortcomings,
   the next period's programme (text, tasks, directives). */
void rp_write_directives_due(rp_writer *w, const char *number);
void rp_write_shortcomings(rp_writer *w, const char *number);
void rp_write_next_period(rp_writer *w, const char *number);
/* The emulation section (report_emu_sections.c). */
void rp_write_emulation(rp_writer *w, const char *number);
/* The per-unit score sheets (report_sheet.c): @p unit NULL for all units. */
void rp_write_score_sheets(rp_writer *w, const char *unit);

/* A field of the period's document in the report's language (a field
   "X_en" stands for X in English), or NULL. */
const char *rp_doc(const rp_writer *w, const char *field);
/* The paragraphs of a text (split at blank lines), one para each. */
void rp_paragraphs(rp_writer *w, const char *text);

/* ---- helpers for the section writers ------------------------------------- */

/* A table row being built: cells stored one after another in a buffer. */
typedef struct rp_row {
    rp_buf b;
    size_t off[RP_MAX_COLS];
    size_t n;
} rp_row;

void rp_row_cell(rp_row *r, const char *text);
void rp_row_cellf(rp_row *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand the row to the writer and empty it for the next one. */
void rp_row_emit(rp_writer *w, rp_row *r, bool strong);

/* Strongest and weakest criterion and gap of the unit at result position
   @p only (SIZE_MAX: every unit), as a table (report_emu_sections.c). */
void rp_write_strengths(rp_writer *w, const rp_emulation *e, rp_row *row, size_t only);


/* Temporary strings: each call returns a new string that stays valid until
 * rp_scratch_reset(); NULL-safe (returns "" when out of memory). */
const char *rp_scratchf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rp_scratch_reset(void);
/* True when a scratch allocation failed since the last reset. */
bool rp_scratch_failed(void);

/* Formatting shortcuts returning scratch strings. */
const char *rp_s_num(rp_lang lang, jql_milli v, int places, bool sign);
const char *rp_s_pct(rp_lang lang, jql_milli pct, bool sign);
const char *rp_s_date(rp_lang lang, jql_date d);
const char *rp_s_period(const jql_dataset *ds, rp_lang lang, const char *id);
/*
 * Display name of an id of @p kind ("level", "cluster", "field",
 * "report_kind", "event_kind", "cause_kind", "veto"...): the dataset's
 * label in the language, else in the other language, else the report's
 * own name for well-known ids, else @p fallback (NULL: the id itself, for
 * data that names nothing).
 */
const char *rp_s_name(const jql_dataset *ds, rp_lang lang, const char *kind, const char *id,
                      const char *fallback);
/* Bytes of the whole words every covered unit's name starts with
   ("Phòng Tư pháp "), which narrow columns leave out; 0 when none. */
size_t rp_common_prefix(const rp_model *m);
/* Unit names joined with ", ". */
const char *rp_s_units(const jql_dataset *ds, const size_t *units, size_t n);

#endif /* JQL_REPORT_DOC_H */
