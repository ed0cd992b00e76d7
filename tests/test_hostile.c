/* Hostile inputs: seeded random mutations of valid files (bytes flipped,
   ranges deleted or repeated, JSON-ish tokens and invalid UTF-8 inserted,
   truncation) and pathological documents. Every one must load or be refused
   with located errors; nothing may crash, leak or trip the sanitizers; a
   mutated file that loads must save and load again identically. The same
   seeds give the same inputs on every run. JQL_HOSTILE_ROUNDS overrides the
   number of mutations per file. */
#include <dirent.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* The libFuzzer harnesses (tests/fuzz/), compiled in under other names so
   the inputs they once crashed on replay through the very same checks:
   a broken promise aborts, which Check reports as a failure. */
#define LLVMFuzzerTestOneInput replay_dataset
#include "fuzz/fuzz_dataset.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput replay_criteria
#include "fuzz/fuzz_criteria.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput replay_score
#include "fuzz/fuzz_score.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput replay_analysis
#include "fuzz/fuzz_analysis.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput replay_queries
#include "fuzz/fuzz_queries.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput replay_csv
#include "fuzz/fuzz_csv.c"
#undef LLVMFuzzerTestOneInput

static unsigned long long rng_state;

static unsigned rnd(unsigned mod)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return mod ? (unsigned)(rng_state % mod) : 0;
}

static const char *const tokens[] = {
    "{", "}", "[", "]", "\"", ":", ",", "\\u", "\\ud800", "-", "1e999", "0.0005", "-1",
    "null", "true", "\xff", "\xc3", "\xe1\xbb", "\"format\"", "\"units\"", "\"parent\"",
    "2014-02-30", "2014-Q5", "\"\\u0000\"", "99999999999999999999", "NaN",
};

/* Apply 1-3 random mutations to a copy of src; returns a malloc'd buffer. */
static char *mutate(const char *src, size_t len, size_t *out_len)
{
    size_t cap = len * 2 + 256;
    char *buf = malloc(cap);
    memcpy(buf, src, len);
    size_t n = len;
    int count = 1 + (int)rnd(3);
    for (int m = 0; m < count && n > 0; m++) {
        size_t at = rnd((unsigned)n);
        switch (rnd(5)) {
        case 0: /* flip a byte */
            buf[at] = (char)rnd(256);
            break;
        case 1: { /* delete a range */
            size_t k = 1 + rnd(40);
            if (at + k > n)
                k = n - at;
            memmove(buf + at, buf + at + k, n - at - k);
            n -= k;
            break;
        }
        case 2: { /* repeat a range */
            size_t k = 1 + rnd(60);
            if (at + k > n)
                k = n - at;
            if (n + k >= cap)
                break;
            memmove(buf + at + k, buf + at, n - at);
            n += k;
            break;
        }
        case 3: { /* insert a token */
            const char *t = tokens[rnd(sizeof tokens / sizeof *tokens)];
            size_t k = strlen(t);
            if (n + k >= cap)
                break;
            memmove(buf + at + k, buf + at, n - at);
            memcpy(buf + at, t, k);
            n += k;
            break;
        }
        default: /* truncate */
            n = at;
        }
    }
    *out_len = n;
    return buf;
}

static int rounds(void)
{
    const char *v = getenv("JQL_HOSTILE_ROUNDS");
    return v && atoi(v) > 0 ? atoi(v) : 400;
}

static void check_refusal(int rc, const jql_diagnostics *diag)
{
    ck_assert_msg(rc == JQL_EINVALID || rc == JQL_ELIMIT, "unexpected status %s",
                  jql_strerror(rc));
    ck_assert_uint_gt(jql_diagnostics_error_count(diag), 0);
    for (size_t i = 0; i < jql_diagnostics_count(diag); i++)
        ck_assert_str_ne(jql_diagnostics_message(diag, i), "");
}

static void fuzz_dataset_file(const char *path, unsigned long long seed)
{
    size_t len;
    char *src = test_read_file(path, &len);
    rng_state = seed;
    int loaded = 0;
    for (int i = 0; i < rounds(); i++) {
        size_t n;
        char *buf = mutate(src, len, &n);
        jql_dataset *ds = NULL;
        jql_diagnostics *diag = NULL;
        int rc = jql_dataset_load_buffer(buf, n, "<mutated>", &ds, &diag);
        if (rc == JQL_OK) {
            loaded++;
            char *a = NULL, *b = NULL;
            size_t alen, blen;
            jql_dataset *again = NULL;
            jql_diagnostics *d2 = NULL;
            ck_assert_int_eq(jql_dataset_to_json(ds, &a, &alen), JQL_OK);
            ck_assert_int_eq(jql_dataset_load_buffer(a, alen, "<saved>", &again, &d2), JQL_OK);
            ck_assert_int_eq(jql_dataset_to_json(again, &b, &blen), JQL_OK);
            ck_assert_uint_eq(alen, blen);
            ck_assert(memcmp(a, b, alen) == 0);
            jql_free(a);
            jql_free(b);
            jql_dataset_free(again);
            jql_diagnostics_free(d2);
        } else {
            ck_assert_ptr_null(ds);
            check_refusal(rc, diag);
        }
        jql_dataset_free(ds);
        jql_diagnostics_free(diag);
        free(buf);
    }
    fprintf(stderr, "# %s: %d of %d mutations still loaded\n", path, loaded, rounds());
    free(src);
}

static void fuzz_criteria_file(const char *path, const jql_dataset *ds, unsigned long long seed)
{
    size_t len;
    char *src = test_read_file(path, &len);
    rng_state = seed;
    for (int i = 0; i < rounds(); i++) {
        size_t n;
        char *buf = mutate(src, len, &n);
        jql_criteria *c = NULL;
        jql_diagnostics *diag = NULL;
        int rc = jql_criteria_load_buffer(buf, n, "<mutated>", &c, &diag);
        if (rc == JQL_OK) {
            /* whatever it says, scoring it must not crash */
            jql_results *r = NULL;
            int src_rc = jql_score(ds, c, NULL, &r);
            ck_assert_msg(src_rc == JQL_OK || src_rc == JQL_EINVALID || src_rc == JQL_ENOTFOUND,
                          "score: %s", jql_strerror(src_rc));
            if (r) {
                char *json = NULL;
                ck_assert_int_eq(jql_results_to_json(r, &json, NULL), JQL_OK);
                jql_free(json);
            }
            jql_results_free(r);
        } else {
            ck_assert_ptr_null(c);
            check_refusal(rc, diag);
        }
        jql_criteria_free(c);
        jql_diagnostics_free(diag);
        free(buf);
    }
    free(src);
}

START_TEST(mutated_datasets)
{
    fuzz_dataset_file(test_data("valid/small.json"), 0x9E3779B97F4A7C15ULL);
    fuzz_dataset_file(example_data("long-an-2014/dataset.json"), 0xD1B54A32D192ED03ULL);
}
END_TEST

START_TEST(mutated_criteria)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/worked-example/dataset.json"));
    fuzz_criteria_file(test_data("scoring/worked-example/criteria.json"), ds,
                       0x8CB92BA72F3D8DD7ULL);
    jql_dataset_free(ds);
}
END_TEST

/* Pathological documents: each refused with a located error. */
static void expect_refused(const char *what, const char *buf, size_t n, int want_rc)
{
    jql_dataset *ds = NULL;
    jql_diagnostics *diag = NULL;
    int rc = jql_dataset_load_buffer(buf, n, what, &ds, &diag);
    ck_assert_msg(rc == want_rc, "%s: got %s", what, jql_strerror(rc));
    ck_assert_uint_gt(jql_diagnostics_error_count(diag), 0);
    jql_diagnostics_free(diag);
    ck_assert_ptr_null(ds);
}

START_TEST(pathological_documents)
{
    /* 100,000 nested arrays: refused at the depth limit, without deep recursion */
    size_t depth = 100000;
    char *deep = malloc(depth * 2);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    expect_refused("deep", deep, depth * 2, JQL_EINVALID);
    jql_criteria *c = NULL;
    jql_diagnostics *diag = NULL;
    ck_assert_int_eq(jql_criteria_load_buffer(deep, depth * 2, "deep", &c, &diag), JQL_EINVALID);
    jql_diagnostics_free(diag);
    free(deep);

    /* one byte over the size limit */
    size_t big = JQL_MAX_INPUT_BYTES + 1;
    char *spaces = malloc(big);
    memset(spaces, ' ', big);
    expect_refused("big", spaces, big, JQL_ELIMIT);
    free(spaces);

    /* a string over the length limit, a number overflowing, a lone surrogate */
    size_t slen = JQL_MAX_STRING_BYTES + 200;
    char *longstr = malloc(slen + 200);
    int k = sprintf(longstr, "{\"format\": \"justice-quarterly/dataset 1.0\", \"name\": \"");
    memset(longstr + k, 'a', slen);
    strcpy(longstr + k + slen, "\"}");
    expect_refused("long string", longstr, strlen(longstr), JQL_EINVALID);
    free(longstr);
    const char *num =
        "{\"format\": \"justice-quarterly/dataset 1.0\", \"units\": [{\"id\": \"u\", "
        "\"name\": \"U\", \"level\": \"x\"}], \"indicators\": [{\"id\": \"i\", \"name\": "
        "\"I\"}], \"statistics\": [{\"unit\": \"u\", \"indicator\": \"i\", \"period\": "
        "\"2014\", \"value\": 1e400}]}";
    expect_refused("huge number", num, strlen(num), JQL_EINVALID);
    const char *sur = "{\"format\": \"justice-quarterly/dataset 1.0\", \"name\": \"\\udc00\"}";
    expect_refused("lone surrogate", sur, strlen(sur), JQL_EINVALID);
    expect_refused("empty", "", 0, JQL_EINVALID);
    expect_refused("nul bytes", "\0\0\0", 3, JQL_EINVALID);
}
END_TEST

/* ---- limits: extreme but valid values, long lists, deep hierarchies ---- */

#define CRIT_HEAD                                                                                  \
    "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"x\", \"period\": \"2014\", "
#define TWO_TIERS "\"tiers\": [{\"id\": \"a\", \"name\": \"A\", \"min\": 1}, " \
                  "{\"id\": \"b\", \"name\": \"B\", \"min\": 0}]"
#define MAXPTS "9000000000000" /* JQL_MILLI_MAX in points */

static jql_criteria *load_criteria_text(const test_sbuf *b, int want)
{
    jql_criteria *c = NULL;
    jql_diagnostics *d = NULL;
    int rc = jql_criteria_load_buffer(b->s, b->len, "<generated>", &c, &d);
    ck_assert_msg(rc == want, "got %s: %s", jql_strerror(rc), jql_last_error());
    jql_diagnostics_free(d);
    return c;
}

/* 10,000 children at the largest max: the sums need more than 64 bits
   and are clamped to the parent's max, never wrapped. */
START_TEST(extreme_tree_sums)
{
    enum { N = 10000 };
    test_sbuf b = {0};
    test_sbuf_printf(&b,
                     CRIT_HEAD "\"scale\": " MAXPTS ", \"units\": {\"ids\": [\"u\"]}, "
                               "\"criteria\": [{\"id\": \"R\", \"title\": \"R\", \"max\": " MAXPTS
                               ", \"children\": [");
    for (int i = 0; i < N; i++)
        test_sbuf_printf(&b,
                         "%s{\"id\": \"n%d\", \"title\": \"t\", \"max\": " MAXPTS
                         ", \"method\": {\"type\": \"manual\"}}",
                         i ? ", " : "", i);
    test_sbuf_printf(&b, "]}], " TWO_TIERS "}");
    jql_criteria *c = load_criteria_text(&b, JQL_OK);
    jql_dataset *ds = jql_dataset_new();
    ck_assert_int_eq(jql_unit_add(ds, "u", "U", "district", NULL, NULL), JQL_OK);
    for (int i = 0; i < N; i++) {
        char id[16];
        snprintf(id, sizeof id, "n%d", i);
        ck_assert_int_eq(jql_assessment_add(ds, "u", "2014", id, JQL_MILLI_MAX, JQL_MILLI_MAX,
                                            NULL),
                         JQL_OK);
    }
    jql_results *r = NULL;
    ck_assert_int_eq(jql_score(ds, c, NULL, &r), JQL_OK);
    ck_assert_int_eq(jql_results_unit_value(r, 0, JQL_RESULT_FIELD_TOTAL), JQL_MILLI_MAX);
    ck_assert_int_eq(jql_results_unit_value(r, 0, JQL_RESULT_FIELD_APPLICABLE_MAX), JQL_MILLI_MAX);
    ck_assert_int_eq(jql_results_unit_value(r, 0, JQL_RESULT_FIELD_SELF_TOTAL), JQL_MILLI_MAX);
    ck_assert_int_eq(jql_results_unit_value(r, 0, JQL_RESULT_FIELD_NORMALIZED), JQL_MILLI_MAX);
    ck_assert_int_eq(jql_results_unit_value(r, 0, JQL_RESULT_FIELD_FINAL), JQL_MILLI_MAX);
    ck_assert_int_eq(jql_results_node_points(r, 0, 0), JQL_MILLI_MAX);
    char *json = NULL;
    ck_assert_int_eq(jql_results_to_json(r, &json, NULL), JQL_OK);
    jql_free(json);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    free(b.s);
}
END_TEST

/* Bonus and deduction points are summed in 64 bits: the loader refuses
   items whose maxima add up to more than JQL_MILLI_MAX, at their path. */
static void items_limit(const char *key, int count, int want)
{
    test_sbuf b = {0};
    test_sbuf_printf(&b, CRIT_HEAD "\"units\": {\"ids\": [\"u\"]}, \"criteria\": [{\"id\": "
                                   "\"R\", \"title\": \"R\", \"max\": 100, \"method\": {\"type\": "
                                   "\"manual\"}}], " TWO_TIERS ", ");
    test_sbuf_printf(&b, strcmp(key, "bonus") == 0 ? "\"bonus\": {\"items\": [" : "\"%s\": [", key);
    for (int i = 0; i < count; i++)
        test_sbuf_printf(&b,
                         "%s{\"id\": \"i%d\", \"title\": \"t\", \"max\": 4500000000000"
                         ", \"source\": \"manual\"}",
                         i ? ", " : "", i);
    test_sbuf_printf(&b, strcmp(key, "bonus") == 0 ? "]}}" : "]}");
    jql_criteria *c = NULL;
    jql_diagnostics *d = NULL;
    int rc = jql_criteria_load_buffer(b.s, b.len, "<generated>", &c, &d);
    ck_assert_msg(rc == want, "%s x %d: %s", key, count, jql_last_error());
    if (want != JQL_OK) {
        ck_assert_uint_eq(jql_diagnostics_error_count(d), 1);
        ck_assert_str_eq(jql_diagnostics_path(d, 0),
                         strcmp(key, "bonus") == 0 ? "/bonus/items" : "/deductions");
        ck_assert_str_eq(jql_diagnostics_message(d, 0),
                         "the maxima of these items add up to more than 9000000000000");
        ck_assert_uint_gt(jql_diagnostics_line(d, 0), 0);
    }
    jql_diagnostics_free(d);
    jql_criteria_free(c);
    free(b.s);
}

START_TEST(item_maxima_limit)
{
    items_limit("bonus", 2, JQL_OK); /* 2 x 4.5e12 points: exactly JQL_MILLI_MAX */
    items_limit("bonus", 3, JQL_EINVALID);
    items_limit("deductions", 2, JQL_OK);
    items_limit("deductions", 3, JQL_EINVALID);
}
END_TEST

/* 1,025 events of 9e12 points: their sum does not fit 64 bits. Scoring
   points fails with JQL_ELIMIT (not "out of memory"); counting them works. */
START_TEST(event_points_overflow)
{
    jql_dataset *ds = jql_dataset_new();
    ck_assert_int_eq(jql_unit_add(ds, "u", "U", "district", NULL, NULL), JQL_OK);
    jql_date day;
    ck_assert_int_eq(jql_date_from_ymd(2014, 5, 1, &day), JQL_OK);
    for (int i = 0; i < 1025; i++) {
        size_t e;
        ck_assert_int_eq(jql_event_add(ds, "u", day, "initiative", "x", &e), JQL_OK);
        ck_assert_int_eq(jql_event_set_points(ds, e, JQL_MILLI_MAX), JQL_OK);
    }
    static const char *const leaf[] = {
        /* bonus item of source events */
        "\"criteria\": [{\"id\": \"R\", \"title\": \"R\", \"max\": 100, \"method\": "
        "{\"type\": \"manual\"}}], \"bonus\": {\"items\": [{\"id\": \"b\", \"title\": "
        "\"B\", \"max\": 10, \"source\": \"events\", \"event_kind\": \"initiative\"}]}",
        /* a leaf measuring event points */
        "\"criteria\": [{\"id\": \"R\", \"title\": \"R\", \"max\": 100, \"measure\": "
        "{\"kind\": \"event_points\"}, \"method\": {\"type\": \"linear\", \"target\": 1}}]",
        /* a leaf counting the events */
        "\"criteria\": [{\"id\": \"R\", \"title\": \"R\", \"max\": 100, \"measure\": "
        "{\"kind\": \"event_count\", \"event_kind\": \"initiative\"}, \"method\": "
        "{\"type\": \"linear\", \"target\": 2050}}]"};
    for (int k = 0; k < 3; k++) {
        test_sbuf b = {0};
        test_sbuf_printf(&b, CRIT_HEAD "\"units\": {\"ids\": [\"u\"]}, %s, " TWO_TIERS "}",
                         leaf[k]);
        jql_criteria *c = load_criteria_text(&b, JQL_OK);
        jql_results *r = NULL;
        int rc = jql_score(ds, c, NULL, &r);
        if (k < 2) {
            ck_assert_int_eq(rc, JQL_ELIMIT);
            ck_assert_ptr_null(r);
            ck_assert_ptr_null(strstr(jql_last_error(), "memory"));
            ck_assert_ptr_nonnull(strstr(jql_last_error(), "64-bit"));
        } else {
            ck_assert_int_eq(rc, JQL_OK);
            ck_assert_int_eq(jql_results_unit_value(r, 0, JQL_RESULT_FIELD_TOTAL),
                             50000); /* 1025/2050 */
        }
        jql_results_free(r);
        jql_criteria_free(c);
        free(b.s);
    }
    jql_dataset_free(ds);
}
END_TEST

/* Lists of 100,000 entries load and check in linear time (repeats were
   once found by comparing every pair: hours for a 64 MiB file). */
START_TEST(long_lists_are_linear)
{
    enum { N = 100000 };
    jql_dataset *ds = jql_dataset_new();
    ck_assert_int_eq(jql_unit_add(ds, "u0", "U", "district", NULL, NULL), JQL_OK);
    ck_assert_int_eq(jql_unit_set_cluster(ds, 0, "c0"), JQL_OK);
    for (int k = 0; k < 7; k++) {
        test_sbuf b = {0};
        test_sbuf_printf(&b, CRIT_HEAD);
        const char *sep = "";
        switch (k) {
        case 0: /* unit ids */
            test_sbuf_printf(&b, "\"units\": {\"ids\": [");
            for (int i = 0; i < N; i++, sep = ", ")
                test_sbuf_printf(&b, "%s\"u%d\"", sep, i);
            test_sbuf_printf(&b, "]}, ");
            break;
        case 1: /* clusters */
        case 2: /* levels */
            test_sbuf_printf(&b, k == 1 ? "\"units\": {\"ids\": [\"u0\"]}, \"clusters\": ["
                                        : "\"units\": {\"levels\": [");
            for (int i = 0; i < N; i++, sep = ", ")
                test_sbuf_printf(&b, "%s\"%s%d\"", sep, k == 1 ? "c" : "district", i);
            test_sbuf_printf(&b, k == 1 ? "], " : ", \"district\"]}, ");
            break;
        default: test_sbuf_printf(&b, "\"units\": {\"ids\": [\"u0\"]}, ");
        }
        if (k == 6) { /* 100,000 leaves under one node */
            test_sbuf_printf(&b, "\"criteria\": [{\"id\": \"R\", \"title\": \"R\", \"max\": 100, "
                                 "\"children\": [");
            for (int i = 0; i < N; i++)
                test_sbuf_printf(&b,
                                 "%s{\"id\": \"n%d\", \"title\": \"t\", \"max\": 0.001, "
                                 "\"measure\": {\"kind\": \"indicator_value\", \"indicator\": "
                                 "\"i%d\"}, \"method\": {\"type\": \"linear\", \"target\": 1}}",
                                 i ? ", " : "", i, i);
            test_sbuf_printf(&b, "]}], ");
        } else {
            test_sbuf_printf(&b, "\"criteria\": [{\"id\": \"R\", \"title\": \"R\", \"max\": 100, "
                                 "\"method\": {\"type\": \"manual\"}}], ");
        }
        if (k == 3 || k == 4 || k == 5) { /* tiers, with vetoes or a quota naming them */
            test_sbuf_printf(&b, "\"tiers\": [");
            for (int i = 0; i < N; i++)
                test_sbuf_printf(&b, "{\"id\": \"t%d\", \"name\": \"T\", \"min\": %d}, ", i, N - i);
            test_sbuf_printf(&b, "{\"id\": \"last\", \"name\": \"L\", \"min\": 0}]");
            if (k == 4) {
                test_sbuf_printf(&b, ", \"vetoes\": [");
                for (int i = 0; i < N; i++)
                    test_sbuf_printf(&b,
                                     "%s{\"id\": \"v%d\", \"reason\": \"r\", \"cap\": \"t%d\", "
                                     "\"event_kind\": \"e\"}",
                                     i ? ", " : "", i, i);
                test_sbuf_printf(&b, "]");
            } else if (k == 5) {
                test_sbuf_printf(&b, ", \"quotas\": [{\"tier\": \"t0\", \"share\": 10, \"of\": [");
                for (int i = 1; i <= N; i++)
                    test_sbuf_printf(&b, "%s\"t%d\"", i > 1 ? ", " : "", i % N);
                test_sbuf_printf(&b, "]}]");
            }
        } else {
            test_sbuf_printf(&b, TWO_TIERS);
        }
        test_sbuf_printf(&b, "}");
        jql_criteria *c = load_criteria_text(&b, JQL_OK);
        jql_diagnostics *d = NULL;
        int rc = jql_criteria_check(c, ds, &d);
        /* unknown units (k 0) and indicators (k 6) are errors; the rest fit */
        ck_assert_int_eq(rc, k == 0 || k == 6 ? JQL_EINVALID : JQL_OK);
        if (k == 6)
            ck_assert_str_eq(jql_diagnostics_path(d, 1),
                             "/criteria/0/children/1/measure/indicator");
        jql_diagnostics_free(d);
        jql_criteria_free(c);
        free(b.s);
    }
    jql_dataset_free(ds);
}
END_TEST

/* Long unit chains: linking each unit is not a walk to the root (that was
   quadratic), in document order from the root, or from the leaf, or with
   many subtrees hung under the deep end; cycles are still found. */
START_TEST(deep_unit_chains)
{
    enum { N = 100000 };
    for (int k = 0; k < 3; k++) {
        test_sbuf b = {0};
        test_sbuf_printf(&b, "{\"format\": \"justice-quarterly/dataset 1.0\", \"units\": [\n");
        const char *sep = "";
        for (int i = 0; i < N; i++, sep = ",\n") {
            test_sbuf_printf(&b, "%s{\"id\": \"u%d\", \"name\": \"U\", \"level\": \"x\"", sep, i);
            if (k == 0 && i > 0)
                test_sbuf_printf(&b, ", \"parent\": \"u%d\"", i - 1);
            if (k == 1 && i < N - 1)
                test_sbuf_printf(&b, ", \"parent\": \"u%d\"", i + 1);
            if (k == 2 && i > 0 && i < N / 2)
                test_sbuf_printf(&b, ", \"parent\": \"u%d\"", i - 1);
            test_sbuf_printf(&b, "}");
        }
        if (k == 2) /* leaves, then their parents hung under the chain's end */
            for (int j = 0; j < N / 4; j++)
                test_sbuf_printf(&b,
                                 ",\n{\"id\": \"l%d\", \"name\": \"L\", \"level\": \"x\", "
                                 "\"parent\": \"x%d\"}",
                                 j, j);
        if (k == 2)
            for (int j = 0; j < N / 4; j++)
                test_sbuf_printf(&b,
                                 ",\n{\"id\": \"x%d\", \"name\": \"X\", \"level\": \"x\", "
                                 "\"parent\": \"u%d\"}",
                                 j, N / 2 - 1);
        test_sbuf_printf(&b, "]}");
        jql_dataset *ds = NULL;
        jql_diagnostics *d = NULL;
        ck_assert_int_eq(jql_dataset_load_buffer(b.s, b.len, "<chain>", &ds, &d), JQL_OK);
        size_t deepest;
        ck_assert_int_eq(jql_unit_find(ds, k == 1 ? "u0" : k == 0 ? "u99999" : "l0", &deepest),
                         JQL_OK);
        ck_assert_uint_eq(jql_unit_depth(ds, deepest), k == 2 ? N / 2 + 1 : N - 1);
        /* closing the chain into a cycle is refused, from either end */
        ck_assert_int_eq(jql_unit_set_parent(ds, k == 1 ? N - 1 : 0, k == 1 ? "u0" : "u49999"),
                         JQL_EINVALID);
        jql_diagnostics_free(d);
        jql_dataset_free(ds);
        free(b.s);
    }
}
END_TEST

/* Descendants of a hierarchy deeper than the walk's fixed position stack
   (64 levels; then a heap array that doubles): exact pre-order. */
START_TEST(deep_descendants)
{
    jql_dataset *ds = jql_dataset_new();
    char id[32], parent[32];
    ck_assert_int_eq(jql_unit_add(ds, "c0", "C", "x", NULL, NULL), JQL_OK);
    for (int i = 1; i < 200; i++) {
        snprintf(id, sizeof id, "c%d", i);
        snprintf(parent, sizeof parent, "c%d", i - 1);
        ck_assert_int_eq(jql_unit_add(ds, id, "C", "x", parent, NULL), JQL_OK);
    }
    for (int i = 0; i < 1000; i++) {
        snprintf(id, sizeof id, "l%d", i);
        ck_assert_int_eq(jql_unit_add(ds, id, "L", "x", "c199", NULL), JQL_OK);
    }
    for (int i = 0; i < 3; i++) {
        snprintf(id, sizeof id, "s%d", i);
        ck_assert_int_eq(jql_unit_add(ds, id, "S", "x", "c100", NULL), JQL_OK);
    }
    size_t n = jql_unit_descendants(ds, 0, NULL, 0);
    ck_assert_uint_eq(n, 199 + 1000 + 3);
    size_t *out = malloc(n * sizeof *out);
    ck_assert_uint_eq(jql_unit_descendants(ds, 0, out, n), n);
    ck_assert_str_eq(jql_unit_id(ds, out[0]), "c1");
    ck_assert_str_eq(jql_unit_id(ds, out[198]), "c199");
    ck_assert_str_eq(jql_unit_id(ds, out[199]), "l0");
    ck_assert_str_eq(jql_unit_id(ds, out[1198]), "l999");
    ck_assert_str_eq(jql_unit_id(ds, out[1199]), "s0");
    ck_assert_str_eq(jql_unit_id(ds, out[1201]), "s2");
    ck_assert_uint_eq(jql_unit_descendants(ds, 100, NULL, 0), 99 + 1000 + 3);
    free(out);
    jql_dataset_free(ds);
}
END_TEST

/* The builder's cycle check walks both ways: exact answers on a small tree. */
START_TEST(set_parent_cycles)
{
    jql_dataset *ds = jql_dataset_new();
    ck_assert_int_eq(jql_unit_add(ds, "r", "R", "x", NULL, NULL), JQL_OK);
    ck_assert_int_eq(jql_unit_add(ds, "a", "A", "x", "r", NULL), JQL_OK);
    ck_assert_int_eq(jql_unit_add(ds, "b", "B", "x", "a", NULL), JQL_OK);
    ck_assert_int_eq(jql_unit_add(ds, "b2", "B", "x", "a", NULL), JQL_OK);
    ck_assert_int_eq(jql_unit_add(ds, "c", "C", "x", "b2", NULL), JQL_OK);
    ck_assert_int_eq(jql_unit_set_parent(ds, 1, "c"), JQL_EINVALID); /* a under its grandchild */
    ck_assert_int_eq(jql_unit_set_parent(ds, 1, "a"), JQL_EINVALID); /* itself */
    ck_assert_int_eq(jql_unit_set_parent(ds, 0, "b"), JQL_EINVALID); /* root under a leaf */
    ck_assert_int_eq(jql_unit_set_parent(ds, 4, "r"), JQL_OK);       /* c moves up */
    ck_assert_int_eq(jql_unit_set_parent(ds, 1, "c"), JQL_OK);       /* now a may go under c */
    ck_assert_uint_eq(jql_unit_depth(ds, 3), 3);                     /* r > c > a > b2 */
    ck_assert_int_eq(jql_dataset_check(ds, NULL), JQL_OK);
    /* an attribute key must not be empty (the JSON form refuses it) */
    ck_assert_int_eq(jql_unit_set_attr(ds, 0, "", "x"), JQL_EINVALID);
    jql_dataset_free(ds);
}
END_TEST

/* The builder takes day numbers: those outside the years 1900..9999 could
   not be saved and read back, so they are refused everywhere. */
START_TEST(builder_dates_in_range)
{
    const jql_date first = -25567, last = 2932896; /* 1900-01-01, 9999-12-31 */
    char buf[11];
    jql_date_format(first, buf);
    ck_assert_str_eq(buf, "1900-01-01");
    jql_date_format(last, buf);
    ck_assert_str_eq(buf, "9999-12-31");
    jql_date_format(INT32_MAX, buf); /* no overflow, whatever it prints */
    jql_date_format(JQL_NO_DATE, buf);
    jql_dataset *ds = jql_dataset_new();
    size_t t, dir, rep;
    ck_assert_int_eq(jql_unit_add(ds, "u", "U", "x", NULL, NULL), JQL_OK);
    ck_assert_int_eq(jql_task_add(ds, "t0", "T", last + 1, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_task_add(ds, "t", "T", last, &t), JQL_OK);
    ck_assert_int_eq(jql_task_set_status(ds, t, JQL_TASK_DONE, first - 1), JQL_EINVALID);
    ck_assert_int_eq(jql_task_set_status(ds, t, JQL_TASK_DONE, first), JQL_OK);
    ck_assert_int_eq(jql_event_add(ds, "u", INT32_MAX, "k", "x", NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_report_add(ds, "u", "2014", "k", last, last + 1, true, NULL),
                     JQL_EINVALID);
    ck_assert_int_eq(jql_report_add(ds, "u", "2014", "k", last, JQL_NO_DATE, true, &rep), JQL_OK);
    ck_assert_int_eq(jql_report_set_submitted(ds, rep, INT32_MIN + 1, true), JQL_EINVALID);
    ck_assert_int_eq(jql_directive_add(ds, "d", -30000, "u", "x", NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_directive_add(ds, "d", first, "u", "x", &dir), JQL_OK);
    ck_assert_int_eq(jql_directive_set_due(ds, dir, last + 400), JQL_EINVALID);
    ck_assert_int_eq(jql_directive_set_status(ds, dir, JQL_DIRECTIVE_DONE, 1 << 30),
                     JQL_EINVALID);
    ck_assert_int_eq(jql_period_add(ds, "p", NULL, first - 1, first, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_period_add(ds, "p", NULL, first, last, NULL), JQL_OK);
    /* what was accepted saves and loads back as it was */
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_task_add_owner(ds, t, "u"), JQL_OK);
    ck_assert_int_eq(jql_directive_add_unit(ds, dir, "u"), JQL_OK);
    ck_assert_msg(jql_dataset_check(ds, &d) == JQL_OK, "%s", jql_last_error());
    jql_diagnostics_free(d);
    fuzz_check_roundtrip(ds);
    jql_dataset_free(ds);
}
END_TEST

/* The CSV harness on every CSV fixture (valid and invalid) behind the
   option bytes its seeds use (tests/fuzz/run.sh): all or nothing, located
   diagnostics, round trips. */
START_TEST(csv_harness_on_fixtures)
{
    static const char *const names[] = {
        "csv/units.csv", "csv/indicators.csv", "csv/stats-wide-vi.csv", "csv/stats-long.csv",
        "csv/reports.csv", "csv/tasks.csv", "csv/directives.csv", "csv/assessments.csv",
        "csv/events.csv", "csv/invalid/ragged.csv", "csv/invalid/bad-quoting.csv",
        "csv/invalid/unterminated.csv", "csv/invalid/invalid-utf8.csv",
        "csv/invalid/wide-unknown-column.csv", "csv/invalid/ambiguous-decimal.csv"};
    static const unsigned char sel[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 130, 162};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t len;
        char *text = test_read_file(test_data(names[i]), &len);
        uint8_t *buf = malloc(len + 1);
        ck_assert_ptr_nonnull(buf);
        memcpy(buf + 1, text, len);
        for (size_t k = 0; k < sizeof sel; k++) {
            buf[0] = sel[k];
            ck_assert_int_eq(replay_csv(buf, len + 1), 0);
        }
        free(buf);
        free(text);
    }
}
END_TEST

/* Every file of tests/data/fuzz-regressions/ through the harness its name
   starts with: dataset-, criteria-, score- and analysis- (dataset NUL
   criteria),
   queries- (dataset NUL program) or csv- (option byte, CSV text). */
static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(fuzz_regressions)
{
    static const struct {
        const char *prefix;
        int (*run)(const uint8_t *, size_t);
    } harness[] = {{"dataset-", replay_dataset},
                   {"criteria-", replay_criteria},
                   {"score-", replay_score},
                   {"analysis-", replay_analysis},
                   {"queries-", replay_queries},
                   {"csv-", replay_csv}};
    const size_t nh = sizeof harness / sizeof harness[0];
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", test_data("fuzz-regressions"));
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    char *names[512];
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.' && n < 512)
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, name_cmp);
    ck_assert_uint_gt(n, 0);
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (k < nh && strncmp(names[i], harness[k].prefix, strlen(harness[k].prefix)) != 0)
            k++;
        ck_assert_msg(k < nh,
                      "%s: name must start with dataset-, criteria-, score-, queries- or csv-",
                      names[i]);
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t len;
        char *data = test_read_file(path, &len);
        fprintf(stderr, "# replaying %s\n", names[i]);
        ck_assert_int_eq(harness[k].run((const uint8_t *)data, len), 0);
        free(data);
        free(names[i]);
    }
    jql_dataset_free(fixed); /* the criteria harness's fixed dataset */
    fixed = NULL;
}
END_TEST

int main(void)
{
    Suite *s = suite_create("hostile");
    TCase *tc = tcase_create("hostile");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, mutated_datasets);
    tcase_add_test(tc, mutated_criteria);
    tcase_add_test(tc, pathological_documents);
    tcase_add_test(tc, fuzz_regressions);
    tcase_add_test(tc, csv_harness_on_fixtures);
    tcase_add_test(tc, extreme_tree_sums);
    tcase_add_test(tc, item_maxima_limit);
    tcase_add_test(tc, event_points_overflow);
    tcase_add_test(tc, set_parent_cycles);
    tcase_add_test(tc, builder_dates_in_range);
    tcase_add_test(tc, deep_descendants);
    suite_add_tcase(s, tc);
    /* quadratic code takes minutes here: a short timeout catches it */
    TCase *lin = tcase_create("linear");
    tcase_set_timeout(lin, 60);
    tcase_add_test(lin, long_lists_are_linear);
    tcase_add_test(lin, deep_unit_chains);
    suite_add_tcase(s, lin);
    return test_run_suite(s);
}
