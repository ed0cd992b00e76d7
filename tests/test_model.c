/* The data model and its builder: every record kind, the unit hierarchy,
   per-unit indexes, the global check, and failure under memory pressure. */
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "testutil.h"

static jql_date D(int y, int m, int d)
{
    jql_date out;
    ck_assert_int_eq(jql_date_from_ymd(y, m, d, &out), JQL_OK);
    return out;
}

#define OK(expr) ck_assert_msg((expr) == JQL_OK, "%s: %s", #expr, jql_last_error())

/* province > 2 districts > communes > hamlet (4 levels). */
static jql_dataset *tree(void)
{
    jql_dataset *ds = jql_dataset_new();
    ck_assert_ptr_nonnull(ds);
    OK(jql_unit_add(ds, "long-an", "Sở Tư pháp tỉnh Long An", "province", NULL, NULL)); /* 0 */
    OK(jql_unit_add(ds, "tan-an", "Phòng Tư pháp TP Tân An", "district", "long-an", NULL)); /* 1 */
    OK(jql_unit_add(ds, "duc-hoa", "Phòng Tư pháp Đức Hòa", "district", "long-an", NULL)); /* 2 */
    OK(jql_unit_add(ds, "p1", "Phường 1", "commune", "tan-an", NULL));   /* 3 */
    OK(jql_unit_add(ds, "p2", "Phường 2", "commune", "tan-an", NULL));   /* 4 */
    OK(jql_unit_add(ds, "ap-1", "Ấp 1", "hamlet", "p1", NULL));          /* 5 */
    OK(jql_unit_add(ds, "hd-1", "Xã Hòa Khánh", "commune", "duc-hoa", NULL)); /* 6 */
    return ds;
}

START_TEST(dataset_basics)
{
    jql_dataset *ds = jql_dataset_new();
    ck_assert_ptr_null(jql_dataset_name(ds));
    ck_assert_ptr_null(jql_dataset_description(ds));
    OK(jql_dataset_set_name(ds, "Long An 2014"));
    OK(jql_dataset_set_description(ds, "Báo cáo quý"));
    ck_assert_str_eq(jql_dataset_name(ds), "Long An 2014");
    ck_assert_str_eq(jql_dataset_description(ds), "Báo cáo quý");
    ck_assert_int_eq(jql_dataset_set_name(ds, "\xc0\xaf"), JQL_EINVALID);
    ck_assert_str_eq(jql_dataset_name(ds), "Long An 2014");
    OK(jql_dataset_set_name(ds, NULL));
    ck_assert_ptr_null(jql_dataset_name(ds));
    ck_assert_uint_eq(jql_unit_count(ds), 0);
    ck_assert_uint_eq(jql_stat_count(ds), 0);
    jql_diagnostics *diag = (jql_diagnostics *)1;
    ck_assert_int_eq(jql_dataset_check(ds, &diag), JQL_OK);
    ck_assert_ptr_null(diag);
    jql_dataset_free(ds);
    jql_dataset_free(NULL);
    /* NULL dataset reads as empty */
    ck_assert_uint_eq(jql_unit_count(NULL), 0);
    ck_assert_ptr_null(jql_unit_id(NULL, 0));
    ck_assert_ptr_null(jql_dataset_name(NULL));
}
END_TEST

START_TEST(unit_accessors)
{
    jql_dataset *ds = tree();
    size_t i;
    ck_assert_uint_eq(jql_unit_count(ds), 7);
    OK(jql_unit_find(ds, "duc-hoa", &i));
    ck_assert_uint_eq(i, 2);
    ck_assert_str_eq(jql_unit_id(ds, 2), "duc-hoa");
    ck_assert_str_eq(jql_unit_name(ds, 2), "Phòng Tư pháp Đức Hòa");
    ck_assert_str_eq(jql_unit_level(ds, 2), "district");
    ck_assert_ptr_null(jql_unit_cluster(ds, 2));
    OK(jql_unit_set_cluster(ds, 2, "cum-1"));
    ck_assert_str_eq(jql_unit_cluster(ds, 2), "cum-1");
    OK(jql_unit_set_cluster(ds, 2, NULL));
    ck_assert_ptr_null(jql_unit_cluster(ds, 2));
    OK(jql_unit_set_name(ds, 2, "Đức Hòa"));
    ck_assert_str_eq(jql_unit_name(ds, 2), "Đức Hòa");
    OK(jql_unit_set_level(ds, 2, "town"));
    ck_assert_str_eq(jql_unit_level(ds, 2), "town");
    ck_assert_int_eq(jql_unit_set_level(ds, 2, ""), JQL_EINVALID);
    ck_assert_int_eq(jql_unit_set_name(ds, 2, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_unit_find(ds, "nope", &i), JQL_ENOTFOUND);
    ck_assert_str_eq(jql_last_error(), "unknown unit \"nope\"");
    /* out of range */
    ck_assert_ptr_null(jql_unit_id(ds, 7));
    ck_assert_ptr_null(jql_unit_name(ds, 99));
    ck_assert_ptr_null(jql_unit_level(ds, 99));
    ck_assert_uint_eq(jql_unit_parent(ds, 99), JQL_NONE);
    ck_assert_uint_eq(jql_unit_child_count(ds, 99), 0);
    ck_assert_uint_eq(jql_unit_child(ds, 0, 5), JQL_NONE);
    ck_assert_uint_eq(jql_unit_depth(ds, 99), 0);
    ck_assert(!jql_unit_is_within(ds, 99, 0));
    ck_assert_uint_eq(jql_unit_descendants(ds, 99, NULL, 0), 0);
    ck_assert_int_eq(jql_unit_set_name(ds, 99, "x"), JQL_ENOTFOUND);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(unit_hierarchy)
{
    jql_dataset *ds = tree();
    ck_assert_uint_eq(jql_unit_parent(ds, 0), JQL_NONE);
    ck_assert_uint_eq(jql_unit_parent(ds, 5), 3);
    ck_assert_uint_eq(jql_unit_child_count(ds, 0), 2);
    ck_assert_uint_eq(jql_unit_child(ds, 0, 0), 1);
    ck_assert_uint_eq(jql_unit_child(ds, 0, 1), 2);
    ck_assert_uint_eq(jql_unit_child_count(ds, 1), 2);
    ck_assert_uint_eq(jql_unit_depth(ds, 0), 0);
    ck_assert_uint_eq(jql_unit_depth(ds, 1), 1);
    ck_assert_uint_eq(jql_unit_depth(ds, 3), 2);
    ck_assert_uint_eq(jql_unit_depth(ds, 5), 3);
    ck_assert(jql_unit_is_within(ds, 5, 0));
    ck_assert(jql_unit_is_within(ds, 5, 1));
    ck_assert(jql_unit_is_within(ds, 5, 5));
    ck_assert(!jql_unit_is_within(ds, 5, 2));
    ck_assert(!jql_unit_is_within(ds, 0, 5));
    size_t out[16];
    ck_assert_uint_eq(jql_unit_descendants(ds, 0, NULL, 0), 6);
    ck_assert_uint_eq(jql_unit_descendants(ds, 0, out, 16), 6);
    size_t want[] = {1, 3, 5, 4, 2, 6}; /* pre-order */
    for (size_t k = 0; k < 6; k++)
        ck_assert_uint_eq(out[k], want[k]);
    /* a short buffer gets the first entries, the full count is returned */
    size_t few[2] = {77, 77};
    ck_assert_uint_eq(jql_unit_descendants(ds, 0, few, 1), 6);
    ck_assert_uint_eq(few[0], 1);
    ck_assert_uint_eq(few[1], 77);
    ck_assert_uint_eq(jql_unit_descendants(ds, 1, out, 16), 3);
    ck_assert_uint_eq(out[0], 3);
    ck_assert_uint_eq(out[1], 5);
    ck_assert_uint_eq(out[2], 4);
    ck_assert_uint_eq(jql_unit_descendants(ds, 5, out, 16), 0);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(unit_deep_chain)
{
    /* deeper than the walk's fixed stack, with side branches on the way */
    jql_dataset *ds = jql_dataset_new();
    char id[32], parent[32];
    OK(jql_unit_add(ds, "n0", "n0", "l", NULL, NULL));
    for (int k = 1; k <= 100; k++) {
        snprintf(id, sizeof id, "n%d", k);
        snprintf(parent, sizeof parent, "n%d", k - 1);
        OK(jql_unit_add(ds, id, id, "l", parent, NULL));
        snprintf(id, sizeof id, "s%d", k);
        OK(jql_unit_add(ds, id, id, "l", parent, NULL)); /* sibling leaf */
    }
    ck_assert_uint_eq(jql_unit_depth(ds, 200), 100); /* n100 */
    size_t out[256];
    ck_assert_uint_eq(jql_unit_descendants(ds, 0, out, 256), 200);
    /* pre-order: n1 n2 ... n100 s100 s99 ... s1 */
    for (int k = 0; k < 100; k++)
        ck_assert_uint_eq(out[k], (size_t)(2 * k + 1));
    for (int k = 0; k < 100; k++)
        ck_assert_uint_eq(out[100 + k], (size_t)(200 - 2 * k));
    jql_dataset_free(ds);
}
END_TEST

START_TEST(unit_errors)
{
    jql_dataset *ds = tree();
    ck_assert_int_eq(jql_unit_add(ds, "p1", "x", "commune", NULL, NULL), JQL_EEXISTS);
    ck_assert_str_eq(jql_last_error(), "id \"p1\" already used by another unit");
    ck_assert_int_eq(jql_unit_add(ds, "p9", "x", "commune", "ghost", NULL), JQL_ENOTFOUND);
    ck_assert_str_eq(jql_last_error(), "unknown unit \"ghost\"");
    ck_assert_int_eq(jql_unit_add(ds, "", "x", "commune", NULL, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_unit_add(ds, NULL, "x", "commune", NULL, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_unit_add(ds, "a\x01", "x", "commune", NULL, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_unit_add(ds, "ok", "\xff", "commune", NULL, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_unit_add(ds, "ok", NULL, "commune", NULL, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_unit_add(ds, "ok", "x", NULL, NULL, NULL), JQL_EINVALID);
    ck_assert_uint_eq(jql_unit_count(ds), 7);
    ck_assert_uint_eq(jql_unit_child_count(ds, 3), 1);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(unit_set_parent)
{
    jql_dataset *ds = tree();
    /* cycles refused: onto itself, onto a descendant (any depth) */
    ck_assert_int_eq(jql_unit_set_parent(ds, 1, "tan-an"), JQL_EINVALID);
    ck_assert_int_eq(jql_unit_set_parent(ds, 0, "ap-1"), JQL_EINVALID);
    ck_assert_int_eq(jql_unit_set_parent(ds, 1, "p1"), JQL_EINVALID);
    ck_assert_int_eq(jql_unit_set_parent(ds, 1, "ghost"), JQL_ENOTFOUND);
    ck_assert_uint_eq(jql_unit_parent(ds, 1), 0);
    /* move p1 (with its hamlet) under duc-hoa */
    OK(jql_unit_set_parent(ds, 3, "duc-hoa"));
    ck_assert_uint_eq(jql_unit_parent(ds, 3), 2);
    ck_assert_uint_eq(jql_unit_child_count(ds, 1), 1);
    ck_assert_uint_eq(jql_unit_child(ds, 1, 0), 4);
    ck_assert_uint_eq(jql_unit_child_count(ds, 2), 2);
    ck_assert_uint_eq(jql_unit_child(ds, 2, 1), 3);
    ck_assert(jql_unit_is_within(ds, 5, 2));
    ck_assert(!jql_unit_is_within(ds, 5, 1));
    /* same parent again: no change */
    OK(jql_unit_set_parent(ds, 3, "duc-hoa"));
    ck_assert_uint_eq(jql_unit_child_count(ds, 2), 2);
    /* make a root, then re-attach */
    OK(jql_unit_set_parent(ds, 2, NULL));
    ck_assert_uint_eq(jql_unit_parent(ds, 2), JQL_NONE);
    ck_assert_uint_eq(jql_unit_child_count(ds, 0), 1);
    ck_assert_uint_eq(jql_unit_depth(ds, 5), 2);
    OK(jql_unit_set_parent(ds, 0, "duc-hoa")); /* old root under the new root */
    ck_assert_uint_eq(jql_unit_depth(ds, 4), 3);
    size_t out[8];
    ck_assert_uint_eq(jql_unit_descendants(ds, 2, out, 8), 6);
    size_t want[] = {6, 3, 5, 0, 1, 4};
    for (size_t k = 0; k < 6; k++)
        ck_assert_uint_eq(out[k], want[k]);
    /* a unit added later can become a parent of an earlier one */
    OK(jql_unit_add(ds, "late", "Late", "x", NULL, NULL));
    OK(jql_unit_set_parent(ds, 2, "late"));
    ck_assert_uint_eq(jql_unit_depth(ds, 5), 3);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(unit_attrs)
{
    jql_dataset *ds = tree();
    OK(jql_unit_set_attr(ds, 1, "kind", "thành phố"));
    OK(jql_unit_set_attr(ds, 1, "area", "81.95"));
    OK(jql_unit_set_attr(ds, 1, "zip", "82000"));
    OK(jql_unit_set_attr(ds, 1, "code", "1"));
    ck_assert_uint_eq(jql_unit_attr_count(ds, 1), 4);
    const char *keys[] = {"area", "code", "kind", "zip"};
    for (size_t k = 0; k < 4; k++)
        ck_assert_str_eq(jql_unit_attr_key(ds, 1, k), keys[k]);
    ck_assert_str_eq(jql_unit_attr_value(ds, 1, 2), "thành phố");
    ck_assert_str_eq(jql_unit_attr_lookup(ds, 1, "zip"), "82000");
    ck_assert_ptr_null(jql_unit_attr_lookup(ds, 1, "nope"));
    OK(jql_unit_set_attr(ds, 1, "code", "2")); /* replace */
    ck_assert_str_eq(jql_unit_attr_lookup(ds, 1, "code"), "2");
    ck_assert_uint_eq(jql_unit_attr_count(ds, 1), 4);
    OK(jql_unit_set_attr(ds, 1, "code", NULL)); /* remove */
    OK(jql_unit_set_attr(ds, 1, "never", NULL)); /* removing nothing is fine */
    ck_assert_uint_eq(jql_unit_attr_count(ds, 1), 3);
    ck_assert_str_eq(jql_unit_attr_key(ds, 1, 1), "kind");
    ck_assert_ptr_null(jql_unit_attr_key(ds, 1, 3));
    ck_assert_ptr_null(jql_unit_attr_value(ds, 1, 3));
    ck_assert_ptr_null(jql_unit_attr_lookup(ds, 1, NULL));
    ck_assert_uint_eq(jql_unit_attr_count(ds, 0), 0);
    ck_assert_int_eq(jql_unit_set_attr(ds, 1, NULL, "v"), JQL_EINVALID);
    ck_assert_int_eq(jql_unit_set_attr(ds, 1, "k", "\xff"), JQL_EINVALID);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(indicators_and_stats)
{
    jql_dataset *ds = tree();
    size_t idx;
    OK(jql_indicator_add(ds, "civil", "Đăng ký hộ tịch", "việc", JQL_AGG_SUM, &idx));
    ck_assert_uint_eq(idx, 0);
    OK(jql_indicator_add(ds, "staff", "Biên chế", NULL, JQL_AGG_LAST, &idx));
    ck_assert_uint_eq(idx, 1);
    OK(jql_indicator_set_field(ds, 0, "civil-status"));
    ck_assert_uint_eq(jql_indicator_count(ds), 2);
    OK(jql_indicator_find(ds, "staff", &idx));
    ck_assert_uint_eq(idx, 1);
    ck_assert_int_eq(jql_indicator_find(ds, "x", &idx), JQL_ENOTFOUND);
    ck_assert_str_eq(jql_indicator_id(ds, 0), "civil");
    ck_assert_str_eq(jql_indicator_name(ds, 0), "Đăng ký hộ tịch");
    ck_assert_str_eq(jql_indicator_measure_unit(ds, 0), "việc");
    ck_assert_ptr_null(jql_indicator_measure_unit(ds, 1));
    ck_assert_str_eq(jql_indicator_field(ds, 0), "civil-status");
    ck_assert_ptr_null(jql_indicator_field(ds, 1));
    ck_assert_int_eq(jql_indicator_aggregation(ds, 1), JQL_AGG_LAST);
    ck_assert_ptr_null(jql_indicator_id(ds, 2));
    ck_assert_int_eq(jql_indicator_add(ds, "civil", "x", NULL, JQL_AGG_SUM, NULL), JQL_EEXISTS);
    ck_assert_str_eq(jql_last_error(), "id \"civil\" already used by another indicator");
    ck_assert_int_eq(jql_indicator_add(ds, "z", "x", NULL, (jql_aggregation)9, NULL),
                     JQL_EINVALID);
    ck_assert_int_eq(jql_indicator_set_field(ds, 5, "f"), JQL_ENOTFOUND);

    OK(jql_stat_set_value(ds, "tan-an", "civil", "2014-Q1", 1234000));
    OK(jql_stat_set_value(ds, "p1", "civil", "2014-Q1", 1500));
    OK(jql_stat_set_value(ds, "tan-an", "civil", "2014-Q2", 0));
    OK(jql_stat_set_value(ds, "tan-an", "civil", "2014-Q1", 1300000)); /* replaces */
    ck_assert_uint_eq(jql_stat_count(ds), 3);
    ck_assert_uint_eq(jql_stat_unit(ds, 0), 1);
    ck_assert_uint_eq(jql_stat_indicator(ds, 0), 0);
    ck_assert_str_eq(jql_stat_period(ds, 0), "2014-Q1");
    ck_assert_int_eq(jql_stat_value(ds, 0), 1300000);
    ck_assert_int_eq(jql_stat_value(ds, 1), 1500);
    ck_assert_int_eq(ds->stats.items[2].range.start, D(2014, 4, 1));
    ck_assert_int_eq(ds->stats.items[2].range.end, D(2014, 6, 30));
    ck_assert_uint_eq(jql_stat_unit(ds, 3), JQL_NONE);
    ck_assert_ptr_null(jql_stat_period(ds, 3));
    ck_assert_int_eq(jql_stat_value(ds, 3), 0);
    /* per-unit index */
    ck_assert_uint_eq(ds->by_unit[1].stats.len, 2);
    ck_assert_uint_eq(ds->by_unit[1].stats.items[1], 2);
    ck_assert_uint_eq(ds->by_unit[3].stats.len, 1);
    ck_assert_uint_eq(ds->by_unit[0].stats.len, 0);
    /* errors */
    ck_assert_int_eq(jql_stat_set_value(ds, "tan-an", "civil", "2014-Q3", -1), JQL_EINVALID);
    ck_assert_int_eq(jql_stat_set_value(ds, "tan-an", "civil", "2014-Q3", JQL_MILLI_MAX + 1),
                     JQL_EINVALID);
    ck_assert_int_eq(jql_stat_set_value(ds, "ghost", "civil", "2014-Q3", 1), JQL_ENOTFOUND);
    ck_assert_str_eq(jql_last_error(), "unknown unit \"ghost\"");
    ck_assert_int_eq(jql_stat_set_value(ds, "tan-an", "ghost", "2014-Q3", 1), JQL_ENOTFOUND);
    ck_assert_str_eq(jql_last_error(), "unknown indicator \"ghost\"");
    ck_assert_int_eq(jql_stat_set_value(ds, "tan-an", "civil", "2014-Q5", 1), JQL_ENOTFOUND);
    ck_assert_str_eq(jql_last_error(), "unknown period \"2014-Q5\"");
    ck_assert_uint_eq(jql_stat_count(ds), 3);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(reports)
{
    jql_dataset *ds = tree();
    size_t idx;
    OK(jql_period_add(ds, "2014-Q1", NULL, D(2013, 12, 15), D(2014, 3, 14), NULL));
    OK(jql_report_add(ds, "tan-an", "2014-Q1", "statistics", D(2014, 3, 15), D(2014, 3, 18),
                      true, &idx));
    ck_assert_uint_eq(idx, 0);
    OK(jql_report_add(ds, "tan-an", "2014-Q1", "quarterly-work", D(2014, 3, 15), JQL_NO_DATE,
                      false, &idx));
    ck_assert_uint_eq(idx, 1);
    ck_assert_uint_eq(jql_report_count(ds), 2);
    ck_assert_uint_eq(jql_report_unit(ds, 0), 1);
    ck_assert_str_eq(jql_report_period(ds, 0), "2014-Q1");
    ck_assert_str_eq(jql_report_kind(ds, 1), "quarterly-work");
    ck_assert_int_eq(jql_report_due(ds, 0), D(2014, 3, 15));
    ck_assert_int_eq(jql_report_submitted(ds, 0), D(2014, 3, 18));
    ck_assert_int_eq(jql_report_submitted(ds, 1), JQL_NO_DATE);
    ck_assert(jql_report_complete(ds, 0));
    ck_assert(!jql_report_complete(ds, 1));
    /* the declared cut-off range is stored */
    ck_assert_int_eq(ds->reports.items[0].range.start, D(2013, 12, 15));
    OK(jql_report_set_submitted(ds, 1, D(2014, 3, 20), true));
    ck_assert_int_eq(jql_report_submitted(ds, 1), D(2014, 3, 20));
    ck_assert(jql_report_complete(ds, 1));
    ck_assert_uint_eq(ds->by_unit[1].reports.len, 2);
    ck_assert_int_eq(jql_report_add(ds, "tan-an", "2014-Q1", "statistics", D(2014, 3, 15),
                                    JQL_NO_DATE, false, NULL),
                     JQL_EEXISTS);
    ck_assert_str_eq(jql_last_error(),
                     "unit \"tan-an\" already has a \"statistics\" report for period \"2014-Q1\"");
    ck_assert_int_eq(jql_report_add(ds, "tan-an", "2014-Q2", "statistics", JQL_NO_DATE,
                                    JQL_NO_DATE, false, NULL),
                     JQL_EINVALID);
    ck_assert_int_eq(jql_report_add(ds, "tan-an", "2014-Q2", "", D(2014, 6, 15), JQL_NO_DATE,
                                    false, NULL),
                     JQL_EINVALID);
    ck_assert_int_eq(jql_report_add(ds, "x", "2014-Q2", "s", D(2014, 6, 15), JQL_NO_DATE, false,
                                    NULL),
                     JQL_ENOTFOUND);
    ck_assert_int_eq(jql_report_set_submitted(ds, 2, JQL_NO_DATE, false), JQL_ENOTFOUND);
    ck_assert_uint_eq(jql_report_unit(ds, 2), JQL_NONE);
    ck_assert_int_eq(jql_report_due(ds, 2), JQL_NO_DATE);
    ck_assert(!jql_report_complete(ds, 2));
    ck_assert_uint_eq(jql_report_count(ds), 2);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(tasks)
{
    jql_dataset *ds = tree();
    size_t idx;
    OK(jql_task_add(ds, "q2-hp", "Triển khai Hiến pháp năm 2013", D(2014, 6, 30), &idx));
    ck_assert_uint_eq(idx, 0);
    OK(jql_task_add_owner(ds, 0, "tan-an"));
    OK(jql_task_add_owner(ds, 0, "duc-hoa"));
    OK(jql_task_set_field(ds, 0, "legal-dissemination"));
    OK(jql_task_set_period(ds, 0, "2014-Q2"));
    OK(jql_task_set_status(ds, 0, JQL_TASK_DONE, D(2014, 6, 20)));
    ck_assert_uint_eq(jql_task_count(ds), 1);
    OK(jql_task_find(ds, "q2-hp", &idx));
    ck_assert_uint_eq(idx, 0);
    ck_assert_str_eq(jql_task_id(ds, 0), "q2-hp");
    ck_assert_str_eq(jql_task_title(ds, 0), "Triển khai Hiến pháp năm 2013");
    ck_assert_str_eq(jql_task_field(ds, 0), "legal-dissemination");
    ck_assert_str_eq(jql_task_period(ds, 0), "2014-Q2");
    ck_assert_int_eq(ds->tasks.items[0].range.end, D(2014, 6, 30));
    ck_assert_uint_eq(jql_task_owner_count(ds, 0), 2);
    ck_assert_uint_eq(jql_task_owner(ds, 0, 0), 1);
    ck_assert_uint_eq(jql_task_owner(ds, 0, 1), 2);
    ck_assert_uint_eq(jql_task_owner(ds, 0, 2), JQL_NONE);
    ck_assert_int_eq(jql_task_due(ds, 0), D(2014, 6, 30));
    ck_assert_int_eq(jql_task_get_status(ds, 0), JQL_TASK_DONE);
    ck_assert_int_eq(jql_task_completed(ds, 0), D(2014, 6, 20));
    /* listed under each owner */
    ck_assert_uint_eq(ds->by_unit[1].tasks.len, 1);
    ck_assert_uint_eq(ds->by_unit[2].tasks.len, 1);
    ck_assert_uint_eq(ds->by_unit[0].tasks.len, 0);
    /* status consistency */
    ck_assert_int_eq(jql_task_set_status(ds, 0, JQL_TASK_DONE, JQL_NO_DATE), JQL_EINVALID);
    ck_assert_int_eq(jql_task_set_status(ds, 0, JQL_TASK_PENDING, D(2014, 6, 1)), JQL_EINVALID);
    ck_assert_int_eq(jql_task_set_status(ds, 0, (jql_task_status)7, JQL_NO_DATE), JQL_EINVALID);
    ck_assert_int_eq(jql_task_get_status(ds, 0), JQL_TASK_DONE);
    OK(jql_task_set_status(ds, 0, JQL_TASK_IN_PROGRESS, JQL_NO_DATE));
    ck_assert_int_eq(jql_task_completed(ds, 0), JQL_NO_DATE);
    /* clearing optional fields */
    OK(jql_task_set_field(ds, 0, NULL));
    OK(jql_task_set_period(ds, 0, NULL));
    ck_assert_ptr_null(jql_task_field(ds, 0));
    ck_assert_ptr_null(jql_task_period(ds, 0));
    /* errors */
    ck_assert_int_eq(jql_task_add_owner(ds, 0, "tan-an"), JQL_EEXISTS);
    ck_assert_int_eq(jql_task_add_owner(ds, 0, "ghost"), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_task_add_owner(ds, 1, "tan-an"), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_task_set_period(ds, 0, "2014-Q7"), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_task_add(ds, "q2-hp", "again", D(2014, 1, 1), NULL), JQL_EEXISTS);
    ck_assert_str_eq(jql_last_error(), "id \"q2-hp\" already used by another task");
    ck_assert_int_eq(jql_task_add(ds, "t2", "x", JQL_NO_DATE, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_task_add(ds, "t2", NULL, D(2014, 1, 1), NULL), JQL_EINVALID);
    ck_assert_uint_eq(jql_task_owner_count(ds, 0), 2);
    ck_assert_ptr_null(jql_task_id(ds, 1));
    ck_assert_int_eq(jql_task_due(ds, 1), JQL_NO_DATE);
    ck_assert_int_eq(jql_task_completed(ds, 1), JQL_NO_DATE);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(shortcomings)
{
    jql_dataset *ds = tree();
    size_t idx;
    OK(jql_shortcoming_add(ds, "sc-bc", "2014-Q1", "Công tác báo cáo chưa kịp thời", &idx));
    ck_assert_uint_eq(idx, 0);
    OK(jql_shortcoming_add_unit(ds, 0, "duc-hoa"));
    OK(jql_shortcoming_add_unit(ds, 0, "p1"));
    OK(jql_shortcoming_add_cause(ds, 0, "subjective", "Tính chủ động chưa cao"));
    OK(jql_shortcoming_add_cause(ds, 0, "objective", "Thiếu biên chế"));
    OK(jql_shortcoming_set_field(ds, 0, "reporting"));
    OK(jql_shortcoming_add(ds, "sc-all", "2014-H1", "Chung", NULL));
    ck_assert_uint_eq(jql_shortcoming_count(ds), 2);
    OK(jql_shortcoming_find(ds, "sc-all", &idx));
    ck_assert_uint_eq(idx, 1);
    ck_assert_str_eq(jql_shortcoming_id(ds, 0), "sc-bc");
    ck_assert_str_eq(jql_shortcoming_text(ds, 0), "Công tác báo cáo chưa kịp thời");
    ck_assert_str_eq(jql_shortcoming_field(ds, 0), "reporting");
    ck_assert_ptr_null(jql_shortcoming_field(ds, 1));
    ck_assert_str_eq(jql_shortcoming_period(ds, 0), "2014-Q1");
    ck_assert_ptr_null(jql_shortcoming_resolved(ds, 0));
    ck_assert_uint_eq(jql_shortcoming_unit_count(ds, 0), 2);
    ck_assert_uint_eq(jql_shortcoming_unit(ds, 0, 1), 3);
    ck_assert_uint_eq(jql_shortcoming_unit(ds, 0, 2), JQL_NONE);
    ck_assert_uint_eq(jql_shortcoming_unit_count(ds, 1), 0);
    ck_assert_uint_eq(jql_shortcoming_cause_count(ds, 0), 2);
    ck_assert_str_eq(jql_shortcoming_cause_kind(ds, 0, 1), "objective");
    ck_assert_str_eq(jql_shortcoming_cause_text(ds, 0, 0), "Tính chủ động chưa cao");
    ck_assert_ptr_null(jql_shortcoming_cause_kind(ds, 0, 2));
    ck_assert_ptr_null(jql_shortcoming_cause_text(ds, 9, 0));
    OK(jql_shortcoming_set_resolved(ds, 0, "2014-Q3"));
    ck_assert_str_eq(jql_shortcoming_resolved(ds, 0), "2014-Q3");
    ck_assert_int_eq(ds->shortcomings.items[0].resolved_range.start, D(2014, 7, 1));
    OK(jql_shortcoming_set_resolved(ds, 0, NULL));
    ck_assert_ptr_null(jql_shortcoming_resolved(ds, 0));
    /* per-unit index: under each unit concerned */
    ck_assert_uint_eq(ds->by_unit[2].shortcomings.len, 1);
    ck_assert_uint_eq(ds->by_unit[3].shortcomings.len, 1);
    ck_assert_uint_eq(ds->by_unit[1].shortcomings.len, 0);
    /* errors */
    ck_assert_int_eq(jql_shortcoming_add(ds, "sc-bc", "2014-Q1", "x", NULL), JQL_EEXISTS);
    ck_assert_int_eq(jql_shortcoming_add(ds, "sc-3", "never", "x", NULL), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_shortcoming_add(ds, "sc-3", "2014", NULL, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_shortcoming_add_unit(ds, 0, "p1"), JQL_EEXISTS);
    ck_assert_int_eq(jql_shortcoming_add_cause(ds, 0, "", "x"), JQL_EINVALID);
    ck_assert_int_eq(jql_shortcoming_add_cause(ds, 0, "k", NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_shortcoming_set_resolved(ds, 0, "bad"), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_shortcoming_set_field(ds, 7, "x"), JQL_ENOTFOUND);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(directives)
{
    jql_dataset *ds = tree();
    size_t idx;
    OK(jql_directive_add(ds, "cd-1", D(2014, 3, 21), "long-an", "Triển khai Hiến pháp", &idx));
    ck_assert_uint_eq(idx, 0);
    OK(jql_directive_add_level(ds, 0, "district"));
    OK(jql_directive_add_unit(ds, 0, "p2"));
    OK(jql_directive_add_answer(ds, 0, "sc-later"));
    OK(jql_directive_set_due(ds, 0, D(2014, 6, 30)));
    ck_assert_uint_eq(jql_directive_count(ds), 1);
    OK(jql_directive_find(ds, "cd-1", &idx));
    ck_assert_int_eq(jql_directive_find(ds, "cd-2", &idx), JQL_ENOTFOUND);
    ck_assert_str_eq(jql_directive_id(ds, 0), "cd-1");
    ck_assert_str_eq(jql_directive_text(ds, 0), "Triển khai Hiến pháp");
    ck_assert_int_eq(jql_directive_issued(ds, 0), D(2014, 3, 21));
    ck_assert_uint_eq(jql_directive_issuer(ds, 0), 0);
    ck_assert_int_eq(jql_directive_due(ds, 0), D(2014, 6, 30));
    ck_assert_int_eq(jql_directive_get_status(ds, 0), JQL_DIRECTIVE_OPEN);
    ck_assert_int_eq(jql_directive_completed(ds, 0), JQL_NO_DATE);
    ck_assert_uint_eq(jql_directive_unit_count(ds, 0), 1);
    ck_assert_uint_eq(jql_directive_unit(ds, 0, 0), 4);
    ck_assert_uint_eq(jql_directive_unit(ds, 0, 1), JQL_NONE);
    ck_assert_uint_eq(jql_directive_level_count(ds, 0), 1);
    ck_assert_str_eq(jql_directive_level(ds, 0, 0), "district");
    ck_assert_ptr_null(jql_directive_level(ds, 0, 1));
    ck_assert_uint_eq(jql_directive_answer_count(ds, 0), 1);
    ck_assert_str_eq(jql_directive_answer(ds, 0, 0), "sc-later");
    ck_assert_ptr_null(jql_directive_answer(ds, 0, 1));
    /* addressed by level (districts) or by id (p2) only */
    ck_assert(jql_directive_addresses(ds, 0, 1));
    ck_assert(jql_directive_addresses(ds, 0, 2));
    ck_assert(jql_directive_addresses(ds, 0, 4));
    ck_assert(!jql_directive_addresses(ds, 0, 0));
    ck_assert(!jql_directive_addresses(ds, 0, 3));
    ck_assert(!jql_directive_addresses(ds, 0, 99));
    ck_assert(!jql_directive_addresses(ds, 5, 1));
    OK(jql_directive_set_status(ds, 0, JQL_DIRECTIVE_DONE, D(2014, 6, 29)));
    ck_assert_int_eq(jql_directive_completed(ds, 0), D(2014, 6, 29));
    ck_assert_int_eq(jql_directive_set_status(ds, 0, JQL_DIRECTIVE_DONE, JQL_NO_DATE),
                     JQL_EINVALID);
    ck_assert_int_eq(jql_directive_set_status(ds, 0, JQL_DIRECTIVE_OPEN, D(2014, 1, 1)),
                     JQL_EINVALID);
    OK(jql_directive_set_due(ds, 0, JQL_NO_DATE));
    ck_assert_int_eq(jql_directive_due(ds, 0), JQL_NO_DATE);
    /* errors */
    ck_assert_int_eq(jql_directive_add(ds, "cd-1", D(2014, 3, 21), "long-an", "x", NULL),
                     JQL_EEXISTS);
    ck_assert_int_eq(jql_directive_add(ds, "cd-2", D(2014, 3, 21), "ghost", "x", NULL),
                     JQL_ENOTFOUND);
    ck_assert_int_eq(jql_directive_add(ds, "cd-2", JQL_NO_DATE, "long-an", "x", NULL),
                     JQL_EINVALID);
    ck_assert_int_eq(jql_directive_add_unit(ds, 0, "ghost"), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_directive_add_unit(ds, 0, "p2"), JQL_EEXISTS);
    ck_assert_int_eq(jql_directive_add_level(ds, 0, "district"), JQL_EEXISTS);
    ck_assert_int_eq(jql_directive_add_level(ds, 0, ""), JQL_EINVALID);
    ck_assert_int_eq(jql_directive_add_answer(ds, 0, ""), JQL_EINVALID);
    ck_assert_int_eq(jql_directive_add_answer(ds, 0, "sc-later"), JQL_EEXISTS);
    ck_assert_int_eq(jql_directive_set_due(ds, 3, JQL_NO_DATE), JQL_ENOTFOUND);
    ck_assert_uint_eq(jql_directive_issuer(ds, 3), JQL_NONE);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(assessments)
{
    jql_dataset *ds = tree();
    size_t idx;
    OK(jql_assessment_add(ds, "tan-an", "2014", "lead-plan", 3000, 2500, &idx));
    ck_assert_uint_eq(idx, 0);
    OK(jql_assessment_add(ds, "tan-an", "2014", "bonus", JQL_NO_SCORE, JQL_NO_SCORE, &idx));
    OK(jql_assessment_add(ds, "duc-hoa", "2014", "lead-plan", 0, 0, NULL));
    OK(jql_assessment_set_not_applicable(ds, 1, true));
    OK(jql_assessment_set_evidence(ds, 0, "Kế hoạch số 12/KH-PTP"));
    ck_assert_uint_eq(jql_assessment_count(ds), 3);
    ck_assert_uint_eq(jql_assessment_unit(ds, 0), 1);
    ck_assert_str_eq(jql_assessment_period(ds, 0), "2014");
    ck_assert_str_eq(jql_assessment_criterion(ds, 1), "bonus");
    ck_assert_int_eq(jql_assessment_self(ds, 0), 3000);
    ck_assert_int_eq(jql_assessment_appraised(ds, 0), 2500);
    ck_assert_int_eq(jql_assessment_self(ds, 1), JQL_NO_SCORE);
    ck_assert(!jql_assessment_not_applicable(ds, 0));
    ck_assert(jql_assessment_not_applicable(ds, 1));
    ck_assert_str_eq(jql_assessment_evidence(ds, 0), "Kế hoạch số 12/KH-PTP");
    ck_assert_ptr_null(jql_assessment_evidence(ds, 1));
    OK(jql_assessment_find(ds, "duc-hoa", "2014", "lead-plan", &idx));
    ck_assert_uint_eq(idx, 2);
    ck_assert_int_eq(jql_assessment_find(ds, "duc-hoa", "2014", "bonus", &idx), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_assessment_find(ds, NULL, "2014", "bonus", &idx), JQL_ENOTFOUND);
    OK(jql_assessment_set_scores(ds, 2, 1500, JQL_NO_SCORE));
    ck_assert_int_eq(jql_assessment_self(ds, 2), 1500);
    ck_assert_int_eq(jql_assessment_appraised(ds, 2), JQL_NO_SCORE);
    ck_assert_uint_eq(ds->by_unit[1].assessments.len, 2);
    ck_assert_uint_eq(ds->by_unit[2].assessments.len, 1);
    /* errors */
    ck_assert_int_eq(jql_assessment_add(ds, "tan-an", "2014", "lead-plan", 1, 1, NULL),
                     JQL_EEXISTS);
    ck_assert_int_eq(jql_assessment_add(ds, "tan-an", "2014-H1", "x", -1, 1, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_assessment_add(ds, "tan-an", "2014-H1", "x", 1, -5, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_assessment_add(ds, "tan-an", "2014-H1", "", 1, 1, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_assessment_add(ds, "tan-an", "H1", "x", 1, 1, NULL), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_assessment_set_scores(ds, 0, -1, 0), JQL_EINVALID);
    ck_assert_int_eq(jql_assessment_self(ds, 0), 3000);
    ck_assert_int_eq(jql_assessment_set_evidence(ds, 9, "x"), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_assessment_self(ds, 9), JQL_NO_SCORE);
    ck_assert_uint_eq(jql_assessment_count(ds), 3);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(events)
{
    jql_dataset *ds = tree();
    size_t idx;
    OK(jql_event_add(ds, "p2", D(2014, 5, 10), "initiative", "Mô hình hòa giải điểm", &idx));
    ck_assert_uint_eq(idx, 0);
    OK(jql_event_add(ds, "p2", D(2014, 6, 1), "discipline", NULL, &idx));
    OK(jql_event_set_points(ds, 0, 2000));
    OK(jql_event_set_evidence(ds, 0, "QĐ 5"));
    ck_assert_uint_eq(jql_event_count(ds), 2);
    ck_assert_uint_eq(jql_event_unit(ds, 0), 4);
    ck_assert_int_eq(jql_event_date(ds, 0), D(2014, 5, 10));
    ck_assert_str_eq(jql_event_kind(ds, 0), "initiative");
    ck_assert_str_eq(jql_event_text(ds, 0), "Mô hình hòa giải điểm");
    ck_assert_ptr_null(jql_event_text(ds, 1));
    ck_assert_int_eq(jql_event_points(ds, 0), 2000);
    ck_assert_int_eq(jql_event_points(ds, 1), JQL_NO_SCORE);
    ck_assert_str_eq(jql_event_evidence(ds, 0), "QĐ 5");
    ck_assert_ptr_null(jql_event_evidence(ds, 1));
    OK(jql_event_set_evidence(ds, 0, NULL));
    ck_assert_ptr_null(jql_event_evidence(ds, 0));
    OK(jql_event_set_points(ds, 0, JQL_NO_SCORE));
    ck_assert_uint_eq(ds->by_unit[4].events.len, 2);
    ck_assert_int_eq(jql_event_add(ds, "p2", JQL_NO_DATE, "k", NULL, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_event_add(ds, "p2", D(2014, 1, 1), NULL, NULL, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_event_add(ds, "zz", D(2014, 1, 1), "k", NULL, NULL), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_event_set_points(ds, 1, -1000), JQL_EINVALID);
    ck_assert_int_eq(jql_event_set_points(ds, 2, 1000), JQL_ENOTFOUND);
    ck_assert_uint_eq(jql_event_unit(ds, 2), JQL_NONE);
    ck_assert_int_eq(jql_event_date(ds, 2), JQL_NO_DATE);
    ck_assert_ptr_null(jql_event_kind(ds, 2));
    jql_dataset_free(ds);
}
END_TEST

START_TEST(check_dataset)
{
    jql_dataset *ds = tree();
    OK(jql_task_add(ds, "t1", "Việc 1", D(2014, 6, 30), NULL)); /* no owner */
    OK(jql_shortcoming_add(ds, "sc1", "2014-Q2", "x", NULL));
    OK(jql_shortcoming_set_resolved(ds, 0, "2014-Q1")); /* before it was found */
    OK(jql_shortcoming_add(ds, "sc2", "2014-Q2", "y", NULL));
    OK(jql_shortcoming_set_resolved(ds, 1, "2014-H1")); /* same end: fine */
    OK(jql_directive_add(ds, "cd1", D(2014, 3, 1), "long-an", "a", NULL));
    OK(jql_directive_add_level(ds, 0, "district"));
    OK(jql_directive_add_answer(ds, 0, "sc1"));
    OK(jql_directive_add_answer(ds, 0, "t1"));
    OK(jql_directive_add_answer(ds, 0, "ghost"));
    OK(jql_directive_add(ds, "cd2", D(2014, 3, 1), "long-an", "b", NULL)); /* no addressee */
    jql_diagnostics *diag = NULL;
    ck_assert_int_eq(jql_dataset_check(ds, &diag), JQL_EINVALID);
    ck_assert_ptr_nonnull(diag);
    ck_assert_uint_eq(jql_diagnostics_count(diag), 4);
    ck_assert_uint_eq(jql_diagnostics_error_count(diag), 4);
    ck_assert_str_eq(jql_diagnostics_path(diag, 0), "/tasks/0/units");
    ck_assert_str_eq(jql_diagnostics_path(diag, 1), "/shortcomings/0/resolved");
    ck_assert_str_eq(jql_diagnostics_path(diag, 2), "/directives/0/answers/2");
    ck_assert_str_eq(jql_diagnostics_message(diag, 2), "unknown shortcoming or task \"ghost\"");
    ck_assert_str_eq(jql_diagnostics_path(diag, 3), "/directives/1/addressees");
    ck_assert_uint_eq(jql_diagnostics_line(diag, 0), 0);
    ck_assert_uint_eq(jql_diagnostics_column(diag, 0), 0);
    jql_diagnostics_free(diag);
    ck_assert_int_eq(jql_dataset_check(ds, NULL), JQL_EINVALID);
    /* fix everything */
    OK(jql_task_add_owner(ds, 0, "p1"));
    OK(jql_shortcoming_set_resolved(ds, 0, "2014-Q3"));
    OK(jql_task_add(ds, "ghost", "now it exists", D(2014, 1, 1), NULL));
    OK(jql_task_add_owner(ds, 1, "p1"));
    OK(jql_directive_add_unit(ds, 1, "p2"));
    ck_assert_int_eq(jql_dataset_check(ds, &diag), JQL_OK);
    ck_assert_ptr_null(diag);
    jql_dataset_free(ds);
}
END_TEST

/* A small dataset touching every builder path that allocates. */
static int build_all(jql_dataset **out)
{
    int rc;
    jql_dataset *ds = jql_dataset_new();
    *out = ds;
    if (!ds)
        return JQL_ENOMEM;
#define TRY(expr)              \
    if ((rc = (expr)) != JQL_OK) \
    return rc
    jql_date d = 16071; /* 2014-01-01 */
    TRY(jql_dataset_set_name(ds, "n"));
    TRY(jql_dataset_set_description(ds, "d"));
    TRY(jql_unit_add(ds, "a", "A", "province", NULL, NULL));
    TRY(jql_unit_add(ds, "b", "B", "district", "a", NULL));
    TRY(jql_unit_add(ds, "c", "C", "district", "a", NULL));
    TRY(jql_unit_add(ds, "d", "D", "commune", "b", NULL));
    TRY(jql_unit_set_parent(ds, 3, "c"));
    TRY(jql_unit_set_cluster(ds, 1, "k1"));
    TRY(jql_unit_set_attr(ds, 1, "z", "1"));
    TRY(jql_unit_set_attr(ds, 1, "a", "2"));
    TRY(jql_unit_set_attr(ds, 1, "a", "3"));
    TRY(jql_period_add(ds, "2014-Q1", "Q1", d - 17, d + 72, NULL));
    TRY(jql_period_add(ds, "dot", NULL, d, d + 10, NULL));
    TRY(jql_indicator_add(ds, "i1", "I1", "cases", JQL_AGG_SUM, NULL));
    TRY(jql_indicator_set_field(ds, 0, "f"));
    TRY(jql_stat_set_value(ds, "b", "i1", "2014-Q1", 5000));
    TRY(jql_stat_set_value(ds, "b", "i1", "2014-Q1", 6000));
    TRY(jql_stat_set_value(ds, "c", "i1", "dot", 7000));
    TRY(jql_report_add(ds, "b", "2014-Q1", "statistics", d + 75, d + 80, true, NULL));
    TRY(jql_task_add(ds, "t1", "T1", d + 30, NULL));
    TRY(jql_task_add_owner(ds, 0, "b"));
    TRY(jql_task_add_owner(ds, 0, "c"));
    TRY(jql_task_set_field(ds, 0, "f"));
    TRY(jql_task_set_period(ds, 0, "2014-Q1"));
    TRY(jql_task_set_status(ds, 0, JQL_TASK_DONE, d + 20));
    TRY(jql_shortcoming_add(ds, "s1", "2014-Q1", "S", NULL));
    TRY(jql_shortcoming_add_unit(ds, 0, "d"));
    TRY(jql_shortcoming_add_cause(ds, 0, "subjective", "why"));
    TRY(jql_shortcoming_set_field(ds, 0, "f"));
    TRY(jql_shortcoming_set_resolved(ds, 0, "2014-Q2"));
    TRY(jql_directive_add(ds, "x1", d, "a", "X", NULL));
    TRY(jql_directive_add_unit(ds, 0, "b"));
    TRY(jql_directive_add_level(ds, 0, "commune"));
    TRY(jql_directive_add_answer(ds, 0, "s1"));
    TRY(jql_assessment_add(ds, "b", "2014", "c1", 1000, 2000, NULL));
    TRY(jql_assessment_set_evidence(ds, 0, "e"));
    TRY(jql_event_add(ds, "d", d + 3, "initiative", "text", NULL));
    TRY(jql_event_set_evidence(ds, 0, "e"));
    jql_diagnostics *diag = NULL;
    TRY(jql_dataset_check(ds, &diag));
    jql_diagnostics_free(diag);
#undef TRY
    return JQL_OK;
}

START_TEST(out_of_memory)
{
    test_install_failing_allocator();
    long n;
    for (n = 0;; n++) {
        jql_dataset *ds = NULL;
        test_fail_after(n);
        int rc = build_all(&ds);
        /* on until a build makes no more allocations: past a first success
           whose failure was made up for, too */
        bool hit = test_alloc_count() > n;
        test_fail_after(-1);
        if (rc == JQL_OK) {
            ck_assert_uint_eq(jql_unit_count(ds), 4);
            ck_assert_uint_eq(jql_stat_count(ds), 2);
            ck_assert_int_eq(jql_stat_value(ds, 0), 6000);
            ck_assert_str_eq(jql_unit_attr_key(ds, 1, 0), "a");
            jql_dataset_free(ds);
            if (!hit)
                break;
            continue;
        }
        ck_assert_msg(rc == JQL_ENOMEM, "allocation %ld: got %d (%s)", n, rc, jql_last_error());
        /* whatever was built is still consistent and frees cleanly */
        ck_assert_uint_le(jql_unit_count(ds), 4);
        for (size_t i = 0; i < jql_unit_count(ds); i++)
            ck_assert_ptr_nonnull(jql_unit_id(ds, i));
        jql_dataset_free(ds);
    }
    ck_assert_int_gt(n, 40);
    ck_assert_int_eq(jql_allocator_set(NULL, NULL, NULL), JQL_OK);
}
END_TEST

START_TEST(failed_add_leaves_dataset_unchanged)
{
    /* after a failed allocation, retrying the same call works */
    jql_dataset *ds = tree();
    test_install_failing_allocator();
    long n;
    for (n = 0;; n++) {
        test_fail_after(n);
        int rc = jql_unit_add(ds, "new", "New", "commune", "p1", NULL);
        test_fail_after(-1);
        if (rc == JQL_OK)
            break;
        ck_assert_int_eq(rc, JQL_ENOMEM);
        ck_assert_uint_eq(jql_unit_count(ds), 7);
        ck_assert_uint_eq(jql_unit_child_count(ds, 3), 1);
        ck_assert_int_eq(jql_unit_find(ds, "new", NULL), JQL_ENOTFOUND);
    }
    ck_assert_uint_eq(jql_unit_count(ds), 8);
    ck_assert_uint_eq(jql_unit_child(ds, 3, 1), 7);
    jql_dataset_free(ds);
    ck_assert_int_eq(jql_allocator_set(NULL, NULL, NULL), JQL_OK);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, dataset_basics);
    tcase_add_test(tc, unit_accessors);
    tcase_add_test(tc, unit_hierarchy);
    tcase_add_test(tc, unit_deep_chain);
    tcase_add_test(tc, unit_errors);
    tcase_add_test(tc, unit_set_parent);
    tcase_add_test(tc, unit_attrs);
    tcase_add_test(tc, indicators_and_stats);
    tcase_add_test(tc, reports);
    tcase_add_test(tc, tasks);
    tcase_add_test(tc, shortcomings);
    tcase_add_test(tc, directives);
    tcase_add_test(tc, assessments);
    tcase_add_test(tc, events);
    tcase_add_test(tc, check_dataset);
    suite_add_tcase(s, tc);
    TCase *mem = tcase_create("memory");
    tcase_add_test(mem, out_of_memory);
    tcase_add_test(mem, failed_add_leaves_dataset_unchanged);
    tcase_set_timeout(mem, 60);
    suite_add_tcase(s, mem);
    return test_run_suite(s);
}
