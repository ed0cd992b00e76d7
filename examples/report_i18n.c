/*
 * jql-report: labels, text building and locale-independent formatting.
 * Digits are produced by jql_milli_format() (always '.') and regrouped
 * here, so the C locale never matters.
 *
 * SPDX-License-Identifier: MIT
 */
#include "report_i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool rp_parse_lang(const char *text, rp_lang *out)
{
    if (strcmp(text, "vi") == 0)
        *out = RP_VI;
    else if (strcmp(text, "en") == 0)
        *out = RP_EN;
    else
        return false;
    return true;
}

/* ---- buffer ------------------------------------------------------------ */

static bool grow(rp_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void rp_putn(rp_buf *b, const char *s, size_t n)
{
    if (!grow(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void rp_put(rp_buf *b, const char *s)
{
    rp_putn(b, s, strlen(s));
}

void rp_putc(rp_buf *b, char c)
{
    rp_putn(b, &c, 1);
}

void rp_printf(rp_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if (!grow(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void rp_buf_free(rp_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

/* ---- numbers and dates --------------------------------------------------- */

void rp_num(rp_lang lang, jql_milli v, int places, bool sign, char out[RP_NUM_MAX])
{
    char raw[40];
    char group = lang == RP_EN ? ',' : '.';
    char point = lang == RP_EN ? '.' : ',';
    jql_milli_format(v, places, raw, sizeof raw);

    const char *p = raw;
    size_t o = 0;
    if (*p == '-')
        out[o++] = *p++;
    else if (sign && v > 0)
        out[o++] = '+';
    size_t digits = strcspn(p, ".");
    for (size_t i = 0; i < digits; i++) {
        if (i > 0 && (digits - i) % 3 == 0)
            out[o++] = group;
        out[o++] = p[i];
    }
    if (p[digits] == '.') {
        out[o++] = point;
        for (const char *q = p + digits + 1; *q && o < RP_NUM_MAX - 1; q++)
            out[o++] = *q;
    }
    out[o] = '\0';
}

void rp_pct(rp_lang lang, jql_milli pct, bool sign, char out[RP_NUM_MAX])
{
    rp_num(lang, pct, 1, sign, out);
    strcat(out, "%");
}

static const char *const months_en[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void rp_date(rp_lang lang, jql_date d, char out[RP_DATE_MAX])
{
    int y, m, day;
    if (d == JQL_NO_DATE) {
        strcpy(out, RP_DASH);
        return;
    }
    jql_date_to_ymd(d, &y, &m, &day);
    if (lang == RP_EN)
        snprintf(out, RP_DATE_MAX, "%d %s %d", day, months_en[(m - 1) % 12], y);
    else
        snprintf(out, RP_DATE_MAX, "%d/%d/%d", day, m, y);
}

void rp_period_name(const jql_dataset *ds, rp_lang lang, const char *id, rp_buf *b)
{
    /* the library's display name; a name longer than this is shown as the id */
    char name[4 * JQL_MAX_ID_BYTES + 64];
    if (jql_period_display_name(ds, id, lang == RP_EN ? "en" : "vi", name, sizeof name) ==
        JQL_OK)
        rp_put(b, name);
    else
        rp_put(b, id);
}

/* ---- labels -------------------------------------------------------------- */

static const char *const labels[L_LABEL_COUNT][2] = {
    [L_TITLE] = {"Báo cáo sơ kết công tác tư pháp", "Quarterly review report"},
    [L_DEPARTMENT] = {"Cơ quan", "Department"},
    [L_PERIOD] = {"Kỳ báo cáo", "Period"},
    [L_DATES] = {"Thời gian", "Dates"},
    [L_UNITS_COVERED] = {"Đơn vị thuộc phạm vi báo cáo", "Units covered"},
    [L_GENERATED_NOTE] = {"Báo cáo được lập tự động từ dữ liệu bằng jql-report.",
                          "Generated from the dataset by jql-report."},
    [L_SEC_STATS] = {"Kết quả thực hiện các chỉ tiêu thống kê", "Statistics"},
    [L_SEC_DISCIPLINE] = {"Việc chấp hành chế độ báo cáo", "Reporting discipline"},
    [L_SEC_TASKS] = {"Thực hiện chương trình công tác", "Work programme"},
    [L_SEC_SHORTCOMINGS] = {"Tồn tại, hạn chế và nguyên nhân", "Shortcomings and their causes"},
    [L_SEC_DIRECTIVES] = {"Thực hiện ý kiến chỉ đạo", "Follow-through on directives"},
    [L_SEC_EMULATION] = {"Kết quả chấm điểm thi đua", "Emulation scores"},
    [L_STATS_INTRO] = {"So sánh với cùng kỳ năm trước", "Compared with the same period a year earlier"},
    [L_INDICATOR] = {"Chỉ tiêu", "Indicator"},
    [L_MEASURE] = {"Đơn vị tính", "Measure"},
    [L_UNIT] = {"Đơn vị", "Unit"},
    [L_TOTAL] = {"Toàn tỉnh", "Province total"},
    [L_THIS_PERIOD] = {"Kỳ này", "This period"},
    [L_YEAR_BEFORE] = {"Cùng kỳ", "Year before"},
    [L_CHANGE] = {"Tăng/giảm", "Change"},
    [L_CHANGE_PCT] = {"Tỷ lệ", "Change %"},
    [L_LARGEST_RISE] = {"Tăng nhiều nhất", "Largest rise"},
    [L_LARGEST_FALL] = {"Giảm nhiều nhất", "Largest fall"},
    [L_NO_STATS] = {"Không có số liệu thống kê cho kỳ này.", "No statistics for this period."},
    [L_REPORT_KIND] = {"Loại báo cáo", "Report kind"},
    [L_REPORTS_DUE] = {"Phải nộp", "Due"},
    [L_ON_TIME] = {"Đúng hạn", "On time"},
    [L_LATE] = {"Trễ hạn", "Late"},
    [L_INCOMPLETE] = {"Chưa đầy đủ", "Incomplete"},
    [L_NOT_SUBMITTED] = {"Chưa nộp", "Not submitted"},
    [L_DAYS_LATE] = {"Số ngày trễ", "Days late"},
    [L_DUE] = {"Hạn", "Due"},
    [L_SUBMITTED] = {"Ngày nộp", "Submitted"},
    [L_NO_REPORTS] = {"Không có báo cáo phải nộp trong kỳ.", "No report was due in the period."},
    [L_ON_TIME_NOTE] = {"Đúng hạn: nộp trước hoặc đúng ngày hạn, đầy đủ hay chưa (như khi "
                        "chấm điểm); chưa đầy đủ: đã nộp nhưng thiếu nội dung, đúng hạn hay trễ hạn.",
                        "On time: submitted on or before the due date, complete or not (as "
                        "scored); incomplete: submitted without full content, on time or late."},
    [L_ALL_ON_TIME] = {"Tất cả báo cáo đều đúng hạn và đầy đủ.",
                       "Every report was on time and complete."},
    [L_DAYS] = {"ngày", "days"},
    [L_TASKS_DUE] = {"Nhiệm vụ đến hạn", "Tasks due"},
    [L_DONE] = {"Hoàn thành", "Done"},
    [L_DONE_LATE] = {"Hoàn thành trễ hạn", "Done late"},
    [L_NOT_DONE] = {"Chưa hoàn thành (quá hạn)", "Not done (overdue)"},
    [L_COMPLETION] = {"Tỷ lệ hoàn thành", "Completion"},
    [L_BY_UNIT] = {"Theo đơn vị", "By unit"},
    [L_BY_FIELD] = {"Theo lĩnh vực", "By field"},
    [L_FIELD] = {"Lĩnh vực", "Field"},
    [L_ALL] = {"Tổng cộng", "All"},
    [L_OVERDUE_LIST] = {"Nhiệm vụ chưa hoàn thành", "Tasks not done"},
    [L_TASK] = {"Nhiệm vụ", "Task"},
    [L_OWNERS] = {"Đơn vị thực hiện", "Owners"},
    [L_STATUS] = {"Tình trạng", "Status"},
    [L_NO_TASKS] = {"Không có nhiệm vụ đến hạn trong kỳ.", "No task was due in the period."},
    [L_NONE] = {"Không có.", "None."},
    [L_OPEN_SHORTCOMINGS] = {"Tồn tại, hạn chế chưa khắc phục", "Shortcomings still open"},
    [L_RESOLVED_SHORTCOMINGS] = {"Tồn tại đã khắc phục trong kỳ", "Resolved in the period"},
    [L_FOUND_IN] = {"Phát hiện", "Found"},
    [L_RESOLVED_IN] = {"Khắc phục", "Resolved"},
    [L_UNITS] = {"Đơn vị", "Units"},
    [L_CAUSES] = {"Nguyên nhân", "Causes"},
    [L_NO_SHORTCOMINGS] = {"Không có.", "None."},
    [L_OBJECTIVE] = {"khách quan", "objective"},
    [L_SUBJECTIVE] = {"chủ quan", "subjective"},
    [L_DIRECTIVES_DUE] = {"Ý kiến chỉ đạo đến hạn trong kỳ", "Directives due in the period"},
    [L_DIRECTIVES_NEXT] = {"Chỉ đạo, nhiệm vụ kỳ tới", "Directives for the next period"},
    [L_DIRECTIVE] = {"Nội dung chỉ đạo", "Directive"},
    [L_ADDRESSEES] = {"Đơn vị thực hiện", "Addressees"},
    [L_ISSUED] = {"Ngày ban hành", "Issued"},
    [L_COMPLETED_ON] = {"Hoàn thành ngày", "Completed"},
    [L_OPEN] = {"Chưa hoàn thành", "Not done"},
    [L_BY_ADDRESSEE] = {"Theo đơn vị thực hiện", "By addressee"},
    [L_NO_DIRECTIVES] = {"Không có.", "None."},
    [L_LEVEL_ALL] = {"các", "all"},
    [L_CRITERIA] = {"Bộ tiêu chí", "Criteria"},
    [L_SCORED_PERIOD] = {"Kỳ chấm điểm", "Scored period"},
    [L_SCOREBOARD] = {"Bảng điểm", "Scoreboard"},
    [L_BY_CLUSTER] = {"Theo cụm thi đua", "By cluster"},
    [L_RANK] = {"Hạng", "Rank"},
    [L_CLUSTER] = {"Cụm", "Cluster"},
    [L_CLUSTER_RANK] = {"Hạng trong cụm", "Cluster rank"},
    [L_SCORE_TOTAL] = {"Điểm tiêu chí", "Criteria points"},
    [L_NORMALIZED] = {"Điểm quy đổi", "Normalized"},
    [L_BONUS] = {"Điểm thưởng", "Bonus"},
    [L_DEDUCTIONS] = {"Điểm trừ", "Deductions"},
    [L_FINAL] = {"Tổng điểm", "Final score"},
    [L_TIER] = {"Xếp loại", "Tier"},
    [L_LEADER] = {"dẫn đầu cụm", "cluster leader"},
    [L_TIERS] = {"Xếp loại", "Tiers"},
    [L_COUNT] = {"Số đơn vị", "Units"},
    [L_MIN_SCORE] = {"Điểm tối thiểu", "Minimum score"},
    [L_VETOES_QUOTAS] = {"Hạ bậc do điều kiện loại trừ và tỷ lệ khống chế",
                         "Vetoes and quota demotions"},
    [L_VETO] = {"Điều kiện loại trừ", "Veto"},
    [L_QUOTA_DEMOTED] = {"Hạ một bậc do vượt tỷ lệ khống chế",
                         "Moved down by a quota"},
    [L_QUOTA_TIE] = {"bằng điểm tại ngưỡng tỷ lệ", "tied at the quota limit"},
    [L_NO_VETOES] = {"Không có đơn vị bị hạ bậc.", "No unit was moved down."},
    [L_STRENGTHS] = {"Mặt mạnh, mặt yếu so với các đơn vị khác",
                     "Strengths and weaknesses against the other units"},
    [L_STRONGEST] = {"Mạnh nhất", "Strongest"},
    [L_WEAKEST] = {"Yếu nhất", "Weakest"},
    [L_SHARE_OF_MAX] = {"đạt", "scored"},
    [L_OTHERS_MEAN] = {"bình quân đơn vị khác", "mean of the others"},
    [L_GAP] = {"Còn thiếu để lên hạng", "Gap to the next tier"},
    [L_NEXT_TIER] = {"hạng trên", "next tier"},
    [L_TOP_TIER] = {"đã ở hạng cao nhất", "already in the top tier"},
    [L_HELD_VETO] = {"bị giữ lại do điều kiện loại trừ", "held back by a veto"},
    [L_HELD_QUOTA] = {"bị giữ lại do tỷ lệ khống chế", "held back by a quota"},
    [L_NO_CLUSTER] = {"Không thuộc cụm", "No cluster"},
    [L_CHART_CLUSTERS] = {"Tổng điểm theo cụm thi đua (màu theo xếp loại)",
                          "Final scores by cluster (colour: tier)"},
    [L_CHART_SECTIONS] = {"Điểm theo phần tiêu chí", "Points by section"},
    [L_CHART_INDICATORS] = {"Kỳ này so với cùng kỳ năm trước (toàn tỉnh)",
                            "This period against the same period last year (province)"},
    [L_CHART_OWN_SCALE] = {"mỗi chỉ tiêu theo thang riêng", "each indicator on its own scale"},
    [L_SCORE_FAILED] = {"Không chấm điểm được", "Scoring failed"},
    [L_SHORTCOMING] = {"Tồn tại, hạn chế", "Shortcoming"},
    [L_STATS_DETAIL] = {"Chi tiết theo đơn vị", "Detail by unit"},
    [L_VETO_NO_EFFECT] = {"Điều kiện loại trừ phát sinh nhưng không làm thay đổi xếp loại",
                          "Vetoes that fired with no effect on the tier"},
    [L_AS_OF] = {"tính đến ngày", "as of"},
    [L_CHART_SECTIONS_NOTE] = {"Các đơn vị xếp theo tổng điểm các tiêu chí (chưa cộng điểm "
                               "thưởng, chưa trừ điểm trừ), ghi ở cuối mỗi thanh",
                               "Units ordered by their criteria total (before bonus and "
                               "deductions), shown at the end of each bar"},
    [L_STATS_RANGE] = {"Số liệu tính từ ngày", "Figures cover"},
    [L_AS_OF_META] = {"Số liệu, tình hình tính đến ngày", "As of"},
    [L_STATS_NOT_YET] = {"Chưa có số liệu thống kê của kỳ này tính đến ngày",
                         "The period's figures were not in as of"},
    [L_CHART_LEFT_OUT] = {"Không vẽ biểu đồ điểm theo phần tiêu chí: số thanh (đơn vị × phần) "
                          "vượt quá",
                          "Points by section not drawn: its bars (units × sections) are more "
                          "than"},
    [L_CHART_TEXT_LEFT_OUT] = {"Không vẽ biểu đồ điểm theo phần tiêu chí: tên đơn vị và tên phần "
                               "ghi trên các thanh vượt quá (byte)",
                               "Points by section not drawn: the unit names and section titles "
                               "its bars are labelled with are more than (bytes)"},
    [L_MATRIX_NOTE] = {"Mỗi ô: số liệu kỳ này và, dòng dưới, tỷ lệ tăng/giảm so với cùng kỳ.",
                       "Each cell: this period's figure and, below it, the change against the "
                       "same period a year earlier."},
    [L_PART_RESULTS] = {"KẾT QUẢ ĐẠT ĐƯỢC", "RESULTS ACHIEVED"},
    [L_PART_NEXT] = {"PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI", "PROGRAMME FOR THE NEXT PERIOD"},
    [L_GENERAL] = {"Tình hình chung", "Overview"},
    [L_RECIPIENTS] = {"Nơi nhận", "Recipients"},
    [L_NEXT_TASKS] = {"Nhiệm vụ trong chương trình công tác", "Tasks in the work programme"},
    [L_PROGRAMME] = {"Nhiệm vụ trọng tâm", "Priorities"},
    [L_SCORE_SHEET] = {"PHIẾU CHẤM ĐIỂM THI ĐUA", "EMULATION SCORE SHEET"},
    [L_CRITERION] = {"Tiêu chí", "Criterion"},
    [L_MAX_POINTS] = {"Điểm chuẩn", "Maximum"},
    [L_SELF] = {"Tự chấm", "Self-assessed"},
    [L_APPRAISED] = {"Thẩm định", "Appraised"},
    [L_EVIDENCE] = {"Minh chứng", "Evidence"},
    [L_POINTS] = {"Điểm", "Points"},
    [L_RANK_IN_CLUSTER] = {"Hạng trong cụm", "Rank in cluster"},
    [L_UNITS_ALL_ON_TIME] = {"Đơn vị hoàn thành đúng hạn mọi nhiệm vụ đến hạn",
                             "Units that completed every task due on time"},
    [L_ALL_UNITS_OF] = {"tất cả", "all"},
    [L_NOT_APPLICABLE] = {"Không áp dụng", "Not applicable"},
    [L_CLUSTER_AND_RANK] = {"Cụm (hạng trong cụm)", "Cluster (rank in it)"},
};

const char *rp_t(rp_lang lang, rp_label label)
{
    if ((unsigned)label >= L_LABEL_COUNT)
        return "";
    const char *s = labels[label][lang == RP_EN ? 1 : 0];
    return s ? s : "";
}

const char *rp_report_kind_name(rp_lang lang, const char *kind)
{
    if (strcmp(kind, "statistics") == 0)
        return lang == RP_EN ? "Statistics report" : "Báo cáo thống kê";
    if (strcmp(kind, "quarterly-work") == 0)
        return lang == RP_EN ? "Quarterly work report" : "Báo cáo công tác quý";
    return kind;
}

const char *rp_cause_kind_name(rp_lang lang, const char *kind)
{
    if (strcmp(kind, "objective") == 0)
        return rp_t(lang, L_OBJECTIVE);
    if (strcmp(kind, "subjective") == 0)
        return rp_t(lang, L_SUBJECTIVE);
    return kind;
}
