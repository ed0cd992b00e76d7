/*
 * The "excel-vi" CSV dialect of jql-score: what Vietnamese Excel opens
 * correctly by double-click (its list separator is ';' and its decimal
 * mark ','; without a BOM it reads UTF-8 as a legacy code page).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "score_export.h"

/* A field, quoted when it holds ';', a quote or a line break. */
static void field(cli_buf *b, const char *s)
{
    s = s ? s : "";
    if (!strpbrk(s, ";\"\r\n")) {
        cli_buf_puts(b, s);
        return;
    }
    cli_buf_add(b, "\"", 1);
    for (; *s; s++)
        cli_buf_add(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
    cli_buf_add(b, "\"", 1);
}

/* 93.550 written 93,550 */
static void number(cli_buf *b, jql_milli v)
{
    char tmp[40];
    jql_milli_format(v, 3, tmp, sizeof tmp);
    char *dot = strchr(tmp, '.');
    if (dot)
        *dot = ',';
    cli_buf_puts(b, tmp);
}

static void count(cli_buf *b, size_t v)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%zu", v);
    cli_buf_puts(b, tmp);
}

static const char *tier_name(const cli_tiers *tiers, const char *id)
{
    size_t i = cli_tiers_find(tiers, id);
    if (i != SIZE_MAX) {
        const char *name = jql_criteria_tier_name(tiers->c, i);
        return name ? name : id;
    }
    return id ? id : "";
}

static const char *yes_no(bool v) { return v ? "có" : "không"; }

static const char *held_back(const char *s)
{
    if (strcmp(s, "veto") == 0)
        return "bị loại trừ";
    if (strcmp(s, "quota") == 0)
        return "giới hạn tỷ lệ";
    return s;
}

bool score_csv_excel_vi(const jql_results *r, const jql_criteria *c, char **out, size_t *len)
{
    static const struct {
        const char *header;
        jql_result_field f;
    } nums[] = {
        {"Tổng điểm", JQL_RESULT_FIELD_TOTAL},         {"Điểm tối đa áp dụng", JQL_RESULT_FIELD_APPLICABLE_MAX},
        {"Điểm quy đổi", JQL_RESULT_FIELD_NORMALIZED}, {"Điểm thưởng", JQL_RESULT_FIELD_BONUS},
        {"Điểm trừ", JQL_RESULT_FIELD_DEDUCTIONS},     {"Điểm cuối cùng", JQL_RESULT_FIELD_FINAL},
        {"Điểm tự chấm", JQL_RESULT_FIELD_SELF_TOTAL},
    };
    cli_buf b = {0};
    cli_tiers tiers;
    if (!cli_tiers_init(&tiers, c))
        b.failed = true;
    cli_buf_puts(&b, "\xEF\xBB\xBF" "Hạng;Hạng trong cụm;Mã đơn vị;Tên đơn vị;Cụm");
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        cli_buf_puts(&b, ";");
        cli_buf_puts(&b, nums[i].header);
    }
    cli_buf_puts(&b, ";Xếp loại;Xếp loại theo điểm;Dẫn đầu cụm;Tiêu chí loại trừ;Bị hạ do giới hạn tỷ "
              "lệ;Bằng điểm tại giới hạn;Điểm còn thiếu;Lý do chưa lên hạng\r\n");
    for (size_t k = 0; k < jql_results_unit_count(r); k++) {
        count(&b, jql_results_unit_rank(r, k));
        cli_buf_puts(&b, ";");
        if (jql_results_unit_cluster(r, k))
            count(&b, jql_results_unit_cluster_rank(r, k));
        cli_buf_puts(&b, ";");
        field(&b, jql_results_unit_id(r, k));
        cli_buf_puts(&b, ";");
        field(&b, jql_results_unit_name(r, k));
        cli_buf_puts(&b, ";");
        field(&b, jql_results_unit_cluster(r, k));
        for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
            cli_buf_puts(&b, ";");
            number(&b, jql_results_unit_value(r, k, nums[i].f));
        }
        cli_buf_puts(&b, ";");
        field(&b, tier_name(&tiers, jql_results_unit_tier(r, k)));
        cli_buf_puts(&b, ";");
        field(&b, tier_name(&tiers, jql_results_unit_tier_before_caps(r, k)));
        cli_buf_puts(&b, ";");
        cli_buf_puts(&b, yes_no(jql_results_unit_is_leader(r, k)));
        cli_buf_puts(&b, ";");
        cli_buf v = {0};
        for (size_t i = 0; i < jql_results_unit_veto_count(r, k); i++) {
            if (i)
                cli_buf_puts(&v, ", ");
            cli_buf_puts(&v, jql_results_unit_veto_id(r, k, i));
        }
        field(&b, v.data);
        b.failed = b.failed || v.failed;
        free(v.data);
        cli_buf_puts(&b, ";");
        cli_buf_puts(&b, yes_no(jql_results_unit_quota_demoted(r, k)));
        cli_buf_puts(&b, ";");
        cli_buf_puts(&b, yes_no(jql_results_unit_quota_tie(r, k)));
        cli_buf_puts(&b, ";");
        number(&b, jql_results_unit_value(r, k, JQL_RESULT_FIELD_GAP));
        cli_buf_puts(&b, ";");
        field(&b, held_back(jql_results_unit_held_back(r, k)));
        cli_buf_puts(&b, "\r\n");
    }
    cli_tiers_free(&tiers);
    if (b.failed) {
        free(b.data);
        return false;
    }
    *out = b.data;
    *len = b.len;
    return true;
}
