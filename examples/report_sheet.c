/*
 * jql-report --score-sheet: the per-unit score sheet (phiếu chấm điểm) as
 * officials use it — every criterion with its maximum (điểm chuẩn), the
 * self score (tự chấm), the appraised score (thẩm định), the points and the
 * evidence (minh chứng); bonus and deductions; totals and tier; then the
 * unit's strongest and weakest criteria. One unit a page.
 *
 * SPDX-License-Identifier: MIT
 */
#include "report_doc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define T(label) rp_t(w->lang, label)

static const char *score_or_dash(rp_writer *w, jql_milli v)
{
    return v == JQL_NO_SCORE ? RP_DASH : rp_s_num(w->lang, v, 3, false);
}

/* What the sheets look up for every node and rule, built once for all
   units (rp_write_score_sheets): scanning the criteria or the labels there
   instead is quadratic in a large criteria set or label list. */
typedef struct ev_label {
    const char *id;
    size_t label; /* its position in the dataset's labels */
} ev_label;

static struct {
    size_t *pos;        /* per node: its position among its siblings, from 1 */
    ev_label *ev;       /* the event_kind labels, sorted by id */
    size_t n_ev, max_id; /* and the longest id's length */
} sheet_index;

static int cmp_ev_label(const void *a, const void *b)
{
    return strcmp(((const ev_label *)a)->id, ((const ev_label *)b)->id);
}

static void sheet_index_free(void)
{
    free(sheet_index.pos);
    free(sheet_index.ev);
    memset(&sheet_index, 0, sizeof sheet_index);
}

static bool sheet_index_build(const jql_criteria *c, const jql_dataset *ds)
{
    size_t nodes = jql_criteria_node_count(c), labels = jql_label_count(ds);
    size_t *seen = calloc(nodes + 1, sizeof *seen); /* children so far; [nodes]: top level */
    sheet_index.pos = malloc((nodes + 1) * sizeof *sheet_index.pos);
    sheet_index.ev = malloc((labels + 1) * sizeof *sheet_index.ev);
    if (!seen || !sheet_index.pos || !sheet_index.ev) {
        free(seen);
        sheet_index_free();
        return false;
    }
    for (size_t n = 0; n < nodes; n++) {
        size_t parent = jql_criteria_node_parent(c, n);
        sheet_index.pos[n] = ++seen[parent == JQL_NONE ? nodes : parent];
    }
    free(seen);
    for (size_t i = 0; i < labels; i++) {
        const char *id = jql_label_id(ds, i);
        if (strcmp(jql_label_kind(ds, i), "event_kind") != 0)
            continue;
        if (strlen(id) > sheet_index.max_id)
            sheet_index.max_id = strlen(id);
        sheet_index.ev[sheet_index.n_ev++] = (ev_label){id, i};
    }
    if (sheet_index.n_ev > 1) /* qsort must not be given a NULL array, even empty */
        qsort(sheet_index.ev, sheet_index.n_ev, sizeof *sheet_index.ev, cmp_ev_label);
    return true;
}

/* "1.2.3" numbering of node n from its position among its siblings. */
static const char *numbering(const jql_criteria *c, size_t n)
{
    size_t path[32], depth = 0;
    for (size_t x = n; x != JQL_NONE && depth < 32; x = jql_criteria_node_parent(c, x))
        path[depth++] = sheet_index.pos[x];
    rp_buf b = {0};
    for (size_t i = depth; i-- > 0;)
        rp_printf(&b, "%zu.", path[i]);
    const char *s = rp_scratchf("%s", b.data && !b.failed ? b.data : "");
    rp_buf_free(&b);
    return s;
}

/* The engine's rule text ("band 2: at_least 75 → 1.5", "appraised"...) in
   Vietnamese words and decimal commas, for the Vietnamese sheet. */
/* The event_kind label whose id is the n bytes at p, or NULL. */
static const ev_label *event_label(const char *p, size_t n)
{
    size_t lo = 0, hi = sheet_index.n_ev;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *id = sheet_index.ev[mid].id;
        size_t len = strlen(id);
        int c = memcmp(p, id, n < len ? n : len);
        if (!c)
            c = (n > len) - (n < len);
        if (!c)
            return &sheet_index.ev[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* The event_kind id the rule has at p, a word start: of the ids that end
   there at a space or the end, the first label in the dataset; NULL. */
static const ev_label *event_kind_at(const char *p)
{
    const ev_label *best = NULL;
    for (size_t n = 1; n <= sheet_index.max_id && p[n - 1]; n++) {
        if (p[n] != ' ' && p[n] != '\0')
            continue;
        const ev_label *l = event_label(p, n);
        if (l && (!best || l->label < best->label))
            best = l;
    }
    return best;
}

/* Event kinds in a rule ("events: 2 initiative → 3") by their display names. */
static const char *kind_names(rp_writer *w, const char *rule)
{
    const jql_dataset *ds = w->m->ds;
    rp_buf b = {0};
    for (const char *p = rule; *p;) {
        const ev_label *l =
            sheet_index.n_ev && (p == rule || p[-1] == ' ') ? event_kind_at(p) : NULL;
        if (l) {
            rp_put(&b, rp_s_name(ds, w->lang, "event_kind", l->id, NULL));
            p += strlen(l->id);
        } else {
            rp_putc(&b, *p++);
        }
    }
    const char *s = rp_scratchf("%s", b.data && !b.failed ? b.data : rule);
    rp_buf_free(&b);
    return s;
}

static const char *rule_text(rp_writer *w, const char *rule)
{
    if (!rule)
        return rule;
    rule = kind_names(w, rule);
    if (w->lang != RP_VI)
        return rule;
    static const char *const words[][2] = {
        {"self-assessed (unappraised)", "tự chấm (chưa thẩm định)"},
        {"appraised", "thẩm định"},
        {"overrides", "thay thế"},
        {"not applicable: not_applicable_if", "không áp dụng theo điều kiện của tiêu chí"},
        {"not applicable: assessment", "không áp dụng (theo đánh giá)"},
        {"not applicable: parent not applicable", "không áp dụng (tiêu chí cha không áp dụng)"},
        {"missing: not_applicable", "không có số liệu: không áp dụng"},
        {"missing: full", "không có số liệu: tính đủ điểm"},
        {"missing: zero", "không có số liệu: 0 điểm"},
        {"no assessment", "chưa có đánh giá"},
        {"never submitted", "không nộp"},
        {"no band matched", "không mức nào phù hợp"},
        {"per occurrence:", "mỗi lần:"},
        {"linear:", "tỷ lệ:"},
        {"boolean:", "đạt/không đạt:"},
        {"events:", "sự kiện:"},
        {"custom:", "hàm:"},
        {"band ", "mức "},
        {"at_least ", "≥ "},
        {"at_most ", "≤ "},
        {"above ", "> "},
        {"below ", "< "},
        {"otherwise", "còn lại"},
        {"value > 0", "giá trị > 0"},
        {" holds", " đạt"},
        {" fails", " không đạt"},
        {" clamped", " (giới hạn)"},
        {" of ", " của "},
    };
    rp_buf b = {0};
    for (const char *p = rule; *p;) {
        size_t k, n = sizeof words / sizeof words[0];
        for (k = 0; k < n; k++)
            if (strncmp(p, words[k][0], strlen(words[k][0])) == 0)
                break;
        if (k < n) {
            rp_put(&b, words[k][1]);
            p += strlen(words[k][0]);
        } else if (*p == '.' && p > rule && p[-1] >= '0' && p[-1] <= '9' && p[1] >= '0' &&
                   p[1] <= '9') {
            rp_putc(&b, ','); /* 2.691 -> 2,691 */
            p++;
        } else {
            rp_putc(&b, *p++);
        }
    }
    const char *s = rp_scratchf("%s", b.data && !b.failed ? b.data : rule);
    rp_buf_free(&b);
    return s;
}

/* Minh chứng: the assessment's evidence text, else what the points came from. */
static const char *evidence(rp_writer *w, const rp_emulation *e, size_t k, size_t n,
                            const char *unit, const char *period)
{
    const jql_results *r = e->results;
    size_t a;
    if (jql_assessment_find(w->m->ds, unit, period, jql_criteria_node_id(e->criteria, n), &a) ==
            JQL_OK &&
        jql_assessment_evidence(w->m->ds, a))
        return jql_assessment_evidence(w->m->ds, a);
    const char *rule = rule_text(w, jql_results_node_rule(r, k, n));
    jql_milli v;
    if (jql_results_node_value(r, k, n, &v))
        return rp_scratchf("%s; %s", rp_s_num(w->lang, v, -1, false), rule ? rule : "");
    return rule ? rule : RP_DASH;
}

static void write_sheet(rp_writer *w, const rp_emulation *e, size_t k, rp_row *row)
{
    const jql_results *r = e->results;
    const jql_criteria *c = e->criteria;
    const char *unit = jql_results_unit_id(r, k), *period = jql_results_period(r);
    const char *head[] = {T(L_CRITERION), T(L_MAX_POINTS), T(L_SELF), T(L_APPRAISED),
                          T(L_POINTS), T(L_EVIDENCE)};
    const bool num[] = {false, true, true, true, true, false};

    w->heading(w, 2, rp_scratchf("%s — %s", T(L_SCORE_SHEET), jql_results_unit_name(r, k)),
               rp_scratchf("sheet-%s", unit));
    w->meta(w, T(L_CRITERIA),
            rp_scratchf("%s. %s: %s, %s %s",
                        jql_criteria_name(c) ? jql_criteria_name(c)
                                             : rp_s_name(w->m->ds, w->lang, "criteria",
                                                         jql_criteria_id(c), NULL),
                        T(L_SCORED_PERIOD), rp_s_period(w->m->ds, w->lang, period), T(L_AS_OF),
                        rp_s_date(w->lang, w->m->as_of)));
    w->dense = true;
    w->sheet = true;
    w->table_begin(w, 6, head, num);
    for (size_t n = 0; n < jql_criteria_node_count(c) && n < jql_results_node_count(r); n++) {
        bool leaf = jql_criteria_node_is_leaf(c, n);
        bool applies = jql_results_node_applicable(r, k, n);
        rp_row_cellf(row, "%s %s", numbering(c, n), jql_criteria_node_title(c, n));
        rp_row_cell(row, rp_s_num(w->lang, jql_criteria_node_max(c, n), 3, false));
        rp_row_cell(row, leaf ? score_or_dash(w, jql_results_node_self(r, k, n)) : "");
        rp_row_cell(row, leaf ? score_or_dash(w, jql_results_node_appraised(r, k, n)) : "");
        rp_row_cell(row, applies ? rp_s_num(w->lang, jql_results_node_points(r, k, n), 3, false)
                                 : T(L_NOT_APPLICABLE));
        rp_row_cell(row, leaf ? evidence(w, e, k, n, unit, period) : "");
        rp_row_emit(w, row, !leaf);
    }
    for (size_t i = 0; i < jql_results_item_count(r); i++) {
        rp_row_cellf(row, "%s: %s",
                     jql_results_item_is_deduction(r, i) ? T(L_DEDUCTIONS) : T(L_BONUS),
                     jql_results_item_title(r, i));
        rp_row_cell(row, rp_s_num(w->lang, jql_results_item_max(r, i), 3, false));
        rp_row_cell(row, score_or_dash(w, jql_results_item_self(r, k, i)));
        rp_row_cell(row, score_or_dash(w, jql_results_item_appraised(r, k, i)));
        rp_row_cell(row, rp_s_num(w->lang, jql_results_item_points(r, k, i), 3, false));
        const char *rule = rule_text(w, jql_results_item_rule(r, k, i));
        rp_row_cell(row, rule ? rule : RP_DASH);
        rp_row_emit(w, row, false);
    }
    rp_row_cell(row, T(L_SCORE_TOTAL));
    rp_row_cell(row, rp_s_num(w->lang, jql_criteria_scale(c), 3, false));
    rp_row_cell(row, rp_s_num(w->lang, jql_results_unit_value(r, k, JQL_RESULT_FIELD_SELF_TOTAL), 3, false));
    rp_row_cell(row, "");
    rp_row_cell(row, rp_s_num(w->lang, jql_results_unit_value(r, k, JQL_RESULT_FIELD_TOTAL), 3, false));
    rp_row_cell(row, "");
    rp_row_emit(w, row, true);
    rp_row_cell(row, T(L_FINAL));
    rp_row_cell(row, "");
    rp_row_cell(row, "");
    rp_row_cell(row, "");
    rp_row_cell(row, rp_s_num(w->lang, jql_results_unit_value(r, k, JQL_RESULT_FIELD_FINAL), 3, false));
    size_t tier = rp_tier_index(c, jql_results_unit_tier(r, k));
    const char *tname = tier == SIZE_MAX ? NULL : jql_criteria_tier_name(c, tier);
    /* final = normalized + bonus - deductions: said in one line */
    rp_row_cell(row, rp_scratchf("%s %s + %s %s − %s %s; %s: %s (%s %zu)", T(L_NORMALIZED),
                                 rp_s_num(w->lang, jql_results_unit_value(r, k, JQL_RESULT_FIELD_NORMALIZED),
                                          3, false),
                                 T(L_BONUS),
                                 rp_s_num(w->lang, jql_results_unit_value(r, k, JQL_RESULT_FIELD_BONUS), 3,
                                          false),
                                 T(L_DEDUCTIONS),
                                 rp_s_num(w->lang,
                                          jql_results_unit_value(r, k, JQL_RESULT_FIELD_DEDUCTIONS), 3,
                                          false),
                                 T(L_TIER), tname ? tname : RP_DASH, T(L_RANK),
                                 jql_results_unit_rank(r, k)));
    rp_row_emit(w, row, true);
    w->table_end(w);
    rp_write_strengths(w, e, row, k);
}

void rp_write_score_sheets(rp_writer *w, const char *unit)
{
    const rp_emulation *e = w->m->emu;
    rp_row row = {0};
    bool first = true;
    w->begin(w, T(L_SCORE_SHEET));
    if (!e || !e->results) {
        w->para(w, T(L_SCORE_FAILED), e && e->error ? e->error : "");
    } else if (!sheet_index_build(e->criteria, w->m->ds)) {
        w->out->failed = true;
    } else {
        /* in the dataset's unit order, the order of the sheets officials file */
        for (size_t u = 0; u < jql_unit_count(w->m->ds); u++) {
            const char *id = jql_unit_id(w->m->ds, u);
            if (unit && strcmp(unit, id) != 0)
                continue;
            size_t k;
            if (jql_results_unit_find(e->results, id, &k) != JQL_OK)
                continue; /* not scored */
            if (!first)
                w->page_break(w);
            first = false;
            write_sheet(w, e, k, &row);
        }
    }
    sheet_index_free();
    w->end(w);
    if (row.b.failed || rp_scratch_failed())
        w->out->failed = true;
    rp_buf_free(&row.b);
}
