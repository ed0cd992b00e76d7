/*
 * jql-report: the emulation section — scoreboard overall and per cluster,
 * tiers, vetoes and quota demotions, strongest and weakest criteria, gap
 * to the next tier.
 *
 * SPDX-License-Identifier: MIT
 */
#include "report_doc.h"

#include <stdint.h>
#include <string.h>

#define T(label) rp_t(w->lang, label)

static const char *tier_name(const jql_criteria *c, const char *id)
{
    size_t t = rp_tier_index(c, id);
    const char *name = t == SIZE_MAX ? NULL : jql_criteria_tier_name(c, t);
    return name ? name : id ? id : RP_DASH;
}

/* Points always with three decimals: they are exact thousandths, and a
   column must not mix 93,55 with 90,839. */
static const char *pts(rp_writer *w, jql_milli v)
{
    return rp_s_num(w->lang, v, 3, false);
}

static const char *cluster_name(rp_writer *w, const char *cluster)
{
    return rp_s_name(w->m->ds, w->lang, "cluster", cluster,
                     rp_scratchf("%s %s", T(L_CLUSTER), cluster));
}

static const char *veto_name(rp_writer *w, const jql_results *r, size_t k, size_t v)
{
    return rp_s_name(w->m->ds, w->lang, "veto", jql_results_unit_veto_id(r, k, v),
                     jql_results_unit_veto_reason(r, k, v));
}

static const char *relative_text(rp_writer *w, const rp_emulation *e, const rp_relative *rel)
{
    if (rel->node == SIZE_MAX)
        return RP_DASH;
    return rp_scratchf("%s: %s %s (%s %s)", jql_criteria_node_title(e->criteria, rel->node),
                       T(L_SHARE_OF_MAX), rp_s_pct(w->lang, rel->share, false), T(L_OTHERS_MEAN),
                       rp_s_pct(w->lang, rel->others, false));
}

static const char *gap_text(rp_writer *w, const rp_emulation *e, size_t k)
{
    const jql_results *r = e->results;
    size_t t = rp_tier_index(e->criteria, jql_results_unit_tier(r, k));
    const char *held = jql_results_unit_held_back(r, k);
    if (t == 0 || t == SIZE_MAX)
        return T(L_TOP_TIER);
    const char *next = jql_criteria_tier_name(e->criteria, t - 1);
    const char *why = held && strcmp(held, "veto") == 0    ? T(L_HELD_VETO)
                      : held && strcmp(held, "quota") == 0 ? T(L_HELD_QUOTA)
                                                           : NULL;
    jql_milli gap = jql_results_unit_value(r, k, JQL_RESULT_FIELD_GAP);
    if (!next)
        next = jql_criteria_tier_id(e->criteria, t - 1);
    /* a veto blocks the next tier whatever the points: no gap to offer */
    if (held && strcmp(held, "veto") == 0)
        return rp_scratchf("%s: %s", next, why);
    if (why && gap <= 0) /* the score is enough: only the quota holds it back */
        return rp_scratchf("%s: %s", next, why);
    if (why)
        return rp_scratchf("%s → %s; %s", pts(w, gap), next, why);
    return rp_scratchf("%s → %s", pts(w, gap), next);
}

static void write_scoreboard(rp_writer *w, const rp_emulation *e, rp_row *row)
{
    const jql_results *r = e->results;
    /* unit names without the words they all start with, as in the matrix */
    size_t cut = rp_common_prefix(w->m);
    const char *unit_head = T(L_UNIT);
    for (size_t k = 0; cut && k < jql_results_unit_count(r); k++)
        if (strncmp(jql_results_unit_name(r, k), jql_unit_name(w->m->ds, w->m->covered.v[0]),
                    cut) != 0 || strlen(jql_results_unit_name(r, k)) <= cut)
            cut = 0;
    if (cut)
        unit_head = rp_scratchf("%s (%.*s…)", T(L_UNIT), (int)(cut - 1),
                                jql_results_unit_name(r, 0));
    const char *head[] = {T(L_RANK), unit_head, T(L_CLUSTER_AND_RANK), T(L_NORMALIZED),
                          T(L_BONUS), T(L_DEDUCTIONS), T(L_FINAL), T(L_TIER), T(L_GAP)};
    const bool num[] = {true, false, false, true, true, true, true, false, false};

    w->heading(w, 4, T(L_SCOREBOARD), NULL);
    w->dense = true;
    w->table_begin(w, 9, head, num);
    for (size_t k = 0; k < jql_results_unit_count(r); k++) {
        const char *cluster = jql_results_unit_cluster(r, k);
        rp_row_cellf(row, "%zu", jql_results_unit_rank(r, k));
        rp_row_cell(row, jql_results_unit_name(r, k) + cut);
        if (!cluster)
            rp_row_cell(row, RP_DASH);
        else
            rp_row_cellf(row, "%s (%zu%s%s)", cluster_name(w, cluster),
                         jql_results_unit_cluster_rank(r, k),
                         jql_results_unit_is_leader(r, k) ? ", " : "",
                         jql_results_unit_is_leader(r, k) ? T(L_LEADER) : "");
        rp_row_cell(row, pts(w, jql_results_unit_value(r, k, JQL_RESULT_FIELD_NORMALIZED)));
        rp_row_cell(row, pts(w, jql_results_unit_value(r, k, JQL_RESULT_FIELD_BONUS)));
        rp_row_cell(row, pts(w, jql_results_unit_value(r, k, JQL_RESULT_FIELD_DEDUCTIONS)));
        rp_row_cell(row, pts(w, jql_results_unit_value(r, k, JQL_RESULT_FIELD_FINAL)));
        rp_row_cell(row, tier_name(e->criteria, jql_results_unit_tier(r, k)));
        rp_row_cell(row, gap_text(w, e, k));
        rp_row_emit(w, row, false);
    }
    w->table_end(w);
}

static void write_tiers(rp_writer *w, const rp_emulation *e, rp_row *row)
{
    const char *head[] = {T(L_TIER), T(L_MIN_SCORE), T(L_COUNT)};
    const bool num[] = {false, true, true};
    w->heading(w, 4, T(L_TIERS), NULL);
    w->table_begin(w, 3, head, num);
    for (size_t t = 0; t < jql_criteria_tier_count(e->criteria); t++) {
        const char *name = jql_criteria_tier_name(e->criteria, t);
        rp_row_cell(row, name ? name : jql_criteria_tier_id(e->criteria, t));
        rp_row_cell(row, pts(w, jql_criteria_tier_min(e->criteria, t)));
        rp_row_cellf(row, "%zu", e->tier_counts[t]);
        rp_row_emit(w, row, false);
    }
    w->table_end(w);
}

/* A fired veto changed the unit's tier only when its cap is below the
   tier the score alone gives; the others fired with no effect. */
static bool veto_changed_tier(const rp_emulation *e, size_t k)
{
    const jql_results *r = e->results;
    size_t before = rp_tier_index(e->criteria, jql_results_unit_tier_before_caps(r, k));
    size_t after = rp_tier_index(e->criteria, jql_results_unit_tier_after_vetoes(r, k));
    return before != SIZE_MAX && after != SIZE_MAX && after > before;
}

static void write_demotions(rp_writer *w, const rp_emulation *e)
{
    const jql_results *r = e->results;
    bool any = false;
    w->heading(w, 4, T(L_VETOES_QUOTAS), NULL);
    for (size_t k = 0; k < jql_results_unit_count(r); k++) {
        size_t vetoes = jql_results_unit_veto_count(r, k);
        bool quota = jql_results_unit_quota_demoted(r, k);
        bool vetoed = vetoes && veto_changed_tier(e, k);
        if (!vetoed && !quota)
            continue;
        if (!any)
            w->list_begin(w);
        any = true;
        const char *before = tier_name(e->criteria, jql_results_unit_tier_before_caps(r, k));
        const char *mid = tier_name(e->criteria, jql_results_unit_tier_after_vetoes(r, k));
        const char *after = tier_name(e->criteria, jql_results_unit_tier(r, k));
        for (size_t v = 0; vetoed && v < vetoes; v++)
            w->item(w, jql_results_unit_name(r, k),
                    rp_scratchf("%s: %s (%s → %s)", T(L_VETO), veto_name(w, r, k, v), before,
                                mid));
        if (quota)
            w->item(w, jql_results_unit_name(r, k),
                    rp_scratchf("%s%s%s (%s → %s)", T(L_QUOTA_DEMOTED),
                                jql_results_unit_quota_tie(r, k) ? ", " : "",
                                jql_results_unit_quota_tie(r, k) ? T(L_QUOTA_TIE) : "", mid,
                                after));
    }
    if (any)
        w->list_end(w);
    else
        w->para(w, NULL, T(L_NO_VETOES));

    /* vetoes that fired without changing anything, said so */
    bool none_yet = true;
    for (size_t k = 0; k < jql_results_unit_count(r); k++) {
        size_t vetoes = jql_results_unit_veto_count(r, k);
        if (!vetoes || veto_changed_tier(e, k))
            continue;
        if (none_yet) {
            w->heading(w, 4, T(L_VETO_NO_EFFECT), NULL);
            w->list_begin(w);
            none_yet = false;
        }
        for (size_t v = 0; v < vetoes; v++)
            w->item(w, jql_results_unit_name(r, k),
                    rp_scratchf("%s (%s: %s)", veto_name(w, r, k, v), T(L_TIER),
                                tier_name(e->criteria, jql_results_unit_tier_before_caps(r, k))));
    }
    if (!none_yet)
        w->list_end(w);
}

void rp_write_strengths(rp_writer *w, const rp_emulation *e, rp_row *row, size_t only)
{
    const jql_results *r = e->results;
    const char *head[] = {T(L_UNIT), T(L_STRONGEST), T(L_WEAKEST), T(L_GAP)};
    const bool num[] = {false, false, false, false};
    w->heading(w, 4, T(L_STRENGTHS), NULL);
    w->dense = true;
    w->table_begin(w, 4, head, num);
    /* one unit's row (a score sheet, one per unit) or every unit's */
    size_t n = jql_results_unit_count(r), from = only == SIZE_MAX ? 0 : only;
    size_t to = only == SIZE_MAX ? n : only < n ? only + 1 : 0;
    for (size_t k = from; k < to; k++) {
        rp_row_cell(row, jql_results_unit_name(r, k));
        rp_row_cell(row, relative_text(w, e, &e->strongest[k]));
        rp_row_cell(row, relative_text(w, e, &e->weakest[k]));
        rp_row_cell(row, gap_text(w, e, k));
        rp_row_emit(w, row, false);
    }
    w->table_end(w);
}

void rp_write_emulation(rp_writer *w, const char *number)
{
    const rp_emulation *e = w->m->emu;
    const jql_criteria *c = e->criteria;
    rp_row row = {0};

    w->heading(w, 3, rp_scratchf("%s %s", number, T(L_SEC_EMULATION)), "emulation");
    w->para(w, T(L_CRITERIA),
            jql_criteria_name(c) ? jql_criteria_name(c)
                                 : rp_s_name(w->m->ds, w->lang, "criteria", jql_criteria_id(c),
                                             NULL));
    if (!e->results) {
        w->para(w, T(L_SCORE_FAILED), e->error ? e->error : "");
        return;
    }
    const char *sp = jql_results_period(e->results);
    /* say plainly which period is scored, and as of when */
    w->para(w, T(L_SCORED_PERIOD),
            rp_scratchf("%s, %s %s", rp_s_period(w->m->ds, w->lang, sp), T(L_AS_OF),
                        rp_s_date(w->lang, w->m->as_of)));
    w->chart(w, RP_CHART_CLUSTERS);
    write_scoreboard(w, e, &row);
    write_tiers(w, e, &row);
    write_demotions(w, e);
    w->chart(w, RP_CHART_SECTIONS);
    if (row.b.failed)
        w->out->failed = true;
    rp_buf_free(&row.b);
}
