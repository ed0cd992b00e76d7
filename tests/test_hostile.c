/* Hostile inputs: seeded random mutations of valid files (bytes flipped,
   ranges deleted or repeated, JSON-ish tokens and invalid UTF-8 inserted,
   truncation) and pathological documents. Every one must load or be refused
   with located errors; nothing may crash, leak or trip the sanitizers; a
   mutated file that loads must save and load again identically. The same
   seeds give the same inputs on every run. JQL_HOSTILE_ROUNDS overrides the
   number of mutations per file. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

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
    const char *num = "{\"format\": \"justice-quarterly/dataset 1.0\", \"units\": [{\"id\": \"u\", "
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

int main(void)
{
    Suite *s = suite_create("hostile");
    TCase *tc = tcase_create("hostile");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, mutated_datasets);
    tcase_add_test(tc, mutated_criteria);
    tcase_add_test(tc, pathological_documents);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
