/* Utilities: exact decimals, status texts, diagnostics lists. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "util.h"

static const char *fmt(jql_milli v, int places)
{
    static char buf[64];
    int n = jql_milli_format(v, places, buf, sizeof buf);
    ck_assert_int_eq(n, (int)strlen(buf));
    return buf;
}

START_TEST(milli_format_places)
{
    ck_assert_str_eq(fmt(1500, -1), "1.5");
    ck_assert_str_eq(fmt(12000, -1), "12");
    ck_assert_str_eq(fmt(250, -1), "0.25");
    ck_assert_str_eq(fmt(-250, -1), "-0.25");
    ck_assert_str_eq(fmt(0, -1), "0");
    ck_assert_str_eq(fmt(1500, 3), "1.500");
    ck_assert_str_eq(fmt(1234, 2), "1.23");
    ck_assert_str_eq(fmt(1235, 2), "1.24"); /* half away from zero */
    ck_assert_str_eq(fmt(-1235, 2), "-1.24");
    ck_assert_str_eq(fmt(1250, 1), "1.3");
    ck_assert_str_eq(fmt(-1250, 1), "-1.3");
    ck_assert_str_eq(fmt(1500, 0), "2");
    ck_assert_str_eq(fmt(1499, 0), "1");
    ck_assert_str_eq(fmt(-400, 0), "0"); /* never "-0" */
    ck_assert_str_eq(fmt(-500, 0), "-1");
    ck_assert_str_eq(fmt(-40, 1), "0.0"); /* never "-0.0" */
    ck_assert_str_eq(fmt(-4, 2), "0.00");
    ck_assert_str_eq(fmt(-1, -1), "-0.001");
    ck_assert_str_eq(fmt(INT64_MAX, -1), "9223372036854775.807");
    ck_assert_str_eq(fmt(INT64_MIN, 3), "-9223372036854775.808");
}
END_TEST

START_TEST(milli_format_truncates_like_snprintf)
{
    char buf[4];
    int n = jql_milli_format(12345, 3, buf, sizeof buf);
    ck_assert_int_eq(n, 6); /* "12.345" */
    ck_assert_str_eq(buf, "12.");
}
END_TEST

/* jql_buf_size writes what "%zu" does, for the rule texts built per unit. */
START_TEST(buf_size_like_printf)
{
    const size_t cases[] = {0, 1, 9, 10, 99, 100, 12345, (size_t)UINT32_MAX + 1, SIZE_MAX};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        jql_buf b;
        jql_buf_init(&b);
        jql_buf_puts(&b, "band ");
        jql_buf_size(&b, cases[i]);
        char want[64];
        snprintf(want, sizeof want, "band %zu", cases[i]);
        ck_assert_uint_eq(b.len, strlen(want));
        ck_assert_mem_eq(b.data, want, b.len);
        jql_buf_free(&b);
    }
}
END_TEST

START_TEST(milli_parse_ok)
{
    jql_milli v;
    ck_assert_int_eq(jql_milli_parse("12", &v), JQL_OK);
    ck_assert_int_eq(v, 12000);
    ck_assert_int_eq(jql_milli_parse("-1.5", &v), JQL_OK);
    ck_assert_int_eq(v, -1500);
    ck_assert_int_eq(jql_milli_parse("0.250", &v), JQL_OK);
    ck_assert_int_eq(v, 250);
    ck_assert_int_eq(jql_milli_parse("1.5000", &v), JQL_OK);
    ck_assert_int_eq(v, 1500);
    ck_assert_int_eq(jql_milli_parse("1e2", &v), JQL_OK);
    ck_assert_int_eq(v, 100000);
    ck_assert_int_eq(jql_milli_parse("2.5E-1", &v), JQL_OK);
    ck_assert_int_eq(v, 250);
    ck_assert_int_eq(jql_milli_parse("0", &v), JQL_OK);
    ck_assert_int_eq(v, 0);
    ck_assert_int_eq(jql_milli_parse("9000000000000", &v), JQL_OK);
    ck_assert_int_eq(v, JQL_MILLI_MAX);
}
END_TEST

START_TEST(milli_parse_refused)
{
    jql_milli v = 77;
    const char *bad[] = {"0.0005", "1.2345", "", "-", "abc", "1.", ".5", "1e", "1x",
                         "9000000000000.001", "1e20", " 1", "+1"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        ck_assert_msg(jql_milli_parse(bad[k], &v) == JQL_EINVALID, "accepted \"%s\"", bad[k]);
    ck_assert_int_eq(v, 77); /* untouched on failure */
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "+1"));
}
END_TEST

START_TEST(strerror_texts)
{
    ck_assert_str_eq(jql_strerror(JQL_OK), "success");
    ck_assert_str_eq(jql_strerror(JQL_ENOMEM), "out of memory");
    ck_assert_str_eq(jql_strerror(JQL_EINVALID), "invalid input");
    ck_assert_str_eq(jql_strerror(JQL_ENOTFOUND), "not found");
    ck_assert_str_eq(jql_strerror(JQL_EEXISTS), "already exists");
    ck_assert_str_eq(jql_strerror(JQL_ENODATA), "no data");
    ck_assert_str_eq(jql_strerror(12345), "unknown status");
    ck_assert_str_eq(jql_strerror(-100), "unknown status");
}
END_TEST

START_TEST(last_error_and_clear)
{
    jql_milli v;
    jql_clear_error();
    ck_assert_str_eq(jql_last_error(), "");
    ck_assert_int_eq(jql_milli_parse("zz", &v), JQL_EINVALID);
    ck_assert_str_ne(jql_last_error(), "");
    jql_clear_error();
    ck_assert_str_eq(jql_last_error(), "");
}
END_TEST

START_TEST(version_info)
{
    ck_assert_str_eq(jql_version(), JQL_VERSION_STRING);
    ck_assert_int_eq(jql_version_number(), JQL_VERSION_NUMBER);
}
END_TEST

START_TEST(diagnostics_basics)
{
    jql_diagnostics *d = jql_diag_new("in.json");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(jql_diagnostics_source(d), "in.json");
    jql_diag_add(d, JQL_SEVERITY_WARNING, "/units/1", 5, 3, "late %d", 1);
    jql_diag_add(d, JQL_SEVERITY_ERROR, "/units/0/id", 2, 9, "bad id \"%s\"", "x");
    jql_diag_sort(d);
    ck_assert_uint_eq(jql_diagnostics_count(d), 2);
    ck_assert_uint_eq(jql_diagnostics_error_count(d), 1);
    ck_assert_str_eq(jql_diagnostics_path(d, 0), "/units/0/id");
    ck_assert_uint_eq(jql_diagnostics_line(d, 0), 2);
    ck_assert_uint_eq(jql_diagnostics_column(d, 0), 9);
    ck_assert_str_eq(jql_diagnostics_message(d, 0), "bad id \"x\"");
    ck_assert_int_eq(jql_diagnostics_severity(d, 1), JQL_SEVERITY_WARNING);
    ck_assert_str_eq(jql_diagnostics_message(d, 1), "late 1");
    /* out of range and NULL are safe */
    ck_assert_str_eq(jql_diagnostics_path(d, 9), "");
    ck_assert_uint_eq(jql_diagnostics_line(d, 9), 0);
    ck_assert_uint_eq(jql_diagnostics_count(NULL), 0);
    ck_assert_uint_eq(jql_diagnostics_error_count(NULL), 0);
    jql_diagnostics_free(d);
    jql_diagnostics_free(NULL);
}
END_TEST

START_TEST(diagnostics_limit)
{
    jql_diagnostics *d = jql_diag_new(NULL);
    ck_assert_str_eq(jql_diagnostics_source(d), "<memory>");
    for (int k = 0; k < JQL_MAX_DIAGNOSTICS + 5; k++)
        jql_diag_add(d, JQL_SEVERITY_ERROR, "", 1, 1, "e%d", k);
    jql_diag_finish(d);
    ck_assert_uint_eq(jql_diagnostics_count(d), JQL_MAX_DIAGNOSTICS + 1);
    ck_assert_uint_eq(jql_diagnostics_error_count(d), JQL_MAX_DIAGNOSTICS + 5);
    ck_assert_str_eq(jql_diagnostics_message(d, JQL_MAX_DIAGNOSTICS),
                     "5 more problems not shown (limit 200)");
    jql_diagnostics_free(d);
}
END_TEST

START_TEST(check_id_and_text)
{
    ck_assert_int_eq(jql_check_id("unit", "ok"), JQL_OK);
    ck_assert_int_eq(jql_check_id("unit", ""), JQL_EINVALID);
    ck_assert_int_eq(jql_check_id("unit", NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_check_id("unit", "a\tb"), JQL_EINVALID);
    ck_assert_int_eq(jql_check_id("unit", "\xc3\x28"), JQL_EINVALID);
    char long_id[JQL_MAX_ID_BYTES + 2];
    memset(long_id, 'a', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    ck_assert_int_eq(jql_check_id("unit", long_id), JQL_EINVALID);
    long_id[JQL_MAX_ID_BYTES] = '\0';
    ck_assert_int_eq(jql_check_id("unit", long_id), JQL_OK);
    ck_assert_int_eq(jql_check_text("t", "Sở Tư pháp\n"), JQL_OK);
    ck_assert_int_eq(jql_check_text("t", "\xed\xa0\x80"), JQL_EINVALID); /* surrogate */
}
END_TEST

START_TEST(div_round_half_away)
{
    ck_assert_int_eq(jql_div_round(5, 2), 3);
    ck_assert_int_eq(jql_div_round(-5, 2), -3);
    ck_assert_int_eq(jql_div_round(4, 3), 1);
    ck_assert_int_eq(jql_div_round(5, -2), -3);
}
END_TEST

/* Half away from zero, worked another way: sign * floor((2|n| + d) / 2d). */
static int64_t div_round_ref(int64_t n, int64_t d)
{
    int64_t a = n < 0 ? -n : n, q = (2 * a + d) / (2 * d);
    return n < 0 ? -q : q;
}

START_TEST(div_round_64_and_128)
{
    for (int64_t n = -60; n <= 60; n++)
        for (int64_t d = 1; d <= 13; d++) {
            ck_assert_int_eq(jql_div_round(n, d), div_round_ref(n, d));
            ck_assert_int_eq(jql_div_round(-n, -d), div_round_ref(n, d));
        }
    /* at the edges of 64 bits and past them (the 128-bit way) */
    ck_assert_int_eq(jql_div_round(INT64_MAX, 2), 4611686018427387904LL); /* .5 up */
    ck_assert_int_eq(jql_div_round(-INT64_MAX, 2), -4611686018427387904LL);
    ck_assert_int_eq(jql_div_round(INT64_MAX, 1), INT64_MAX);
    ck_assert_int_eq(jql_div_round(INT64_MAX - 1, INT64_MAX), 1);
    ck_assert_int_eq(jql_div_round(INT64_MAX / 2, INT64_MAX), 0); /* just under half */
    __int128 two64 = (__int128)1 << 64;
    ck_assert_int_eq(jql_div_round(two64, 4), (int64_t)1 << 62);
    ck_assert_int_eq(jql_div_round(two64, two64), 1);
    ck_assert_int_eq(jql_div_round(two64, 3 * ((__int128)1 << 63)), 1);    /* 2/3 */
    ck_assert_int_eq(jql_div_round(-two64, 3 * ((__int128)1 << 63)), -1);  /* -2/3 */
    ck_assert_int_eq(jql_div_round((__int128)INT64_MIN, 2), INT64_MIN / 2); /* whole */
    ck_assert_int_eq(jql_div_round((__int128)INT64_MIN, 3), -3074457345618258603LL);
}
END_TEST

START_TEST(sizevec_push_append)
{
    jql_sizevec v = {0};
    ck_assert_int_eq(jql_sizevec_append(&v, NULL, 0), JQL_OK);
    ck_assert_uint_eq(v.len, 0);
    for (size_t i = 0; i < 1000; i++)
        ck_assert_int_eq(jql_sizevec_push(&v, i * 3), JQL_OK);
    size_t more[5] = {7, 8, 9, 10, 11};
    for (int k = 0; k < 300; k++) /* grows past its capacity more than once */
        ck_assert_int_eq(jql_sizevec_append(&v, more, 5), JQL_OK);
    ck_assert_uint_eq(v.len, 2500);
    ck_assert_uint_ge(v.cap, v.len);
    for (size_t i = 0; i < 1000; i++)
        ck_assert_uint_eq(v.items[i], i * 3);
    for (size_t i = 1000; i < 2500; i++)
        ck_assert_uint_eq(v.items[i], 7 + (i - 1000) % 5);
    jql_sizevec_free(&v);
    ck_assert_ptr_null(v.items);
}
END_TEST

/* Writable whatever the size: below, inside and past the range that takes
   aligned, advised blocks. (Freed with jql_free: valgrind and ASan runs
   check the pairing; the memory is not zeroed, so nothing reads it before
   writing.) */
START_TEST(alloc_paged_sizes)
{
    const size_t sizes[] = {1, 4096, JQL_PAGED_BYTES - 8, JQL_PAGED_BYTES, (size_t)3 << 20,
                            JQL_LARGE_BYTES + 40};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i] / 8 ? sizes[i] / 8 : 1;
        uint64_t *p = jql_alloc_paged(n, sizeof *p), sum = 0;
        ck_assert_ptr_nonnull(p);
        for (size_t k = 0; k < n; k++)
            p[k] = k;
        for (size_t k = 0; k < n; k++)
            sum += p[k];
        ck_assert_uint_eq(sum, (uint64_t)n * (n - 1) / 2);
        jql_free(p);
    }
    ck_assert_ptr_null(jql_alloc_paged(SIZE_MAX / 2, 4)); /* overflow: refused */
}
END_TEST

/* A key looked up and missed is put where the look-up left it, or, when
   the map changed in between (another key, a rehash), found again: every
   key ends up once, with its value, however the two calls interleave. */
START_TEST(strmap_spot_puts)
{
    for (int between = 0; between < 4; between++) {
        jql_strmap m = {0};
        m.nfc = between == 3; /* NFC keys: "cafe\u0301" is put as "caf\u00e9" */
        char key[32], other[32];
        for (size_t k = 0; k < 200; k++) {
            snprintf(key, sizeof key, "key-%zu", k);
            jql_strmap_spot spot;
            ck_assert_int_eq(jql_strmap_get_spot(&m, key, NULL, &spot), JQL_ENOTFOUND);
            if (between == 1) { /* another key first: the spot may be taken */
                snprintf(other, sizeof other, "other-%zu", k);
                ck_assert_int_eq(jql_strmap_put(&m, other, 1000 + k), JQL_OK);
            } else if (between == 2) { /* the map grown (rehashed) in between */
                ck_assert_int_eq(jql_strmap_reserve(&m, 2 * k + 40), JQL_OK);
            }
            ck_assert_int_eq(jql_strmap_put_spot(&m, key, k, &spot), JQL_OK);
        }
        ck_assert_uint_eq(m.len, between == 1 ? 400 : 200);
        for (size_t k = 0; k < 200; k++) {
            size_t v = 0;
            jql_strmap_spot spot;
            snprintf(key, sizeof key, "key-%zu", k);
            ck_assert_int_eq(jql_strmap_get_spot(&m, key, &v, &spot), JQL_OK);
            ck_assert_uint_eq(v, k);
            if (between == 1) {
                snprintf(other, sizeof other, "other-%zu", k);
                ck_assert_int_eq(jql_strmap_get(&m, other, &v), JQL_OK);
                ck_assert_uint_eq(v, 1000 + k);
            }
        }
        if (between == 3) {
            jql_strmap_spot spot;
            ck_assert_int_eq(jql_strmap_get_spot(&m, "cafe\xcc\x81", NULL, &spot),
                             JQL_ENOTFOUND);
            ck_assert_int_eq(jql_strmap_put_spot(&m, "cafe\xcc\x81", 7, &spot), JQL_OK);
            size_t v = 0;
            ck_assert_int_eq(jql_strmap_get(&m, "caf\xc3\xa9", &v), JQL_OK);
            ck_assert_uint_eq(v, 7);
            ck_assert_str_eq(jql_strmap_find_key(&m, "caf\xc3\xa9"), "caf\xc3\xa9");
        }
        jql_strmap_free(&m);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("util");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, milli_format_places);
    tcase_add_test(tc, milli_format_truncates_like_snprintf);
    tcase_add_test(tc, buf_size_like_printf);
    tcase_add_test(tc, milli_parse_ok);
    tcase_add_test(tc, milli_parse_refused);
    tcase_add_test(tc, strerror_texts);
    tcase_add_test(tc, last_error_and_clear);
    tcase_add_test(tc, version_info);
    tcase_add_test(tc, diagnostics_basics);
    tcase_add_test(tc, diagnostics_limit);
    tcase_add_test(tc, check_id_and_text);
    tcase_add_test(tc, div_round_half_away);
    tcase_add_test(tc, div_round_64_and_128);
    tcase_add_test(tc, sizevec_push_append);
    tcase_add_test(tc, alloc_paged_sizes);
    tcase_add_test(tc, strmap_spot_puts);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
