/* Helpers shared by the Check suites. */
#include "testutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

const char *test_data(const char *relpath)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", env_or("JQL_TEST_DATA", "tests/data"), relpath);
    return buf;
}

const char *example_data(const char *relpath)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", env_or("JQL_EXAMPLES_DATA", "examples/data"), relpath);
    return buf;
}

char *test_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_msg(fp != NULL, "cannot open %s", path);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    fclose(fp);
    if (len)
        *len = (size_t)n;
    return buf;
}

jql_dataset *test_load_dataset(const char *path)
{
    jql_dataset *ds = NULL;
    jql_diagnostics *diag = NULL;
    int rc = jql_dataset_load_path(path, &ds, &diag);
    if (rc != JQL_OK) {
        for (size_t i = 0; i < jql_diagnostics_count(diag); i++)
            fprintf(stderr, "%s:%u:%u: %s: %s\n", path, jql_diagnostics_line(diag, i),
                    jql_diagnostics_column(diag, i), jql_diagnostics_path(diag, i),
                    jql_diagnostics_message(diag, i));
    }
    jql_diagnostics_free(diag);
    ck_assert_msg(rc == JQL_OK, "loading %s failed: %s (%s)", path, jql_strerror(rc),
                  jql_last_error());
    return ds;
}

int test_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

static long fail_at = -1;
static long count;

static void *failing_malloc(size_t n)
{
    if (fail_at >= 0 && count++ == fail_at)
        return NULL;
    return malloc(n);
}

static void *failing_realloc(void *p, size_t n)
{
    if (fail_at >= 0 && count++ == fail_at)
        return NULL;
    return realloc(p, n);
}

void test_install_failing_allocator(void)
{
    ck_assert_int_eq(jql_allocator_set(failing_malloc, failing_realloc, free), JQL_OK);
}

void test_fail_after(long n)
{
    fail_at = n;
    count = 0;
}

long test_alloc_count(void) { return count; }

static unsigned long long test_rng = 88172645463325252ULL;

unsigned test_rnd(unsigned mod)
{
    test_rng ^= test_rng << 13;
    test_rng ^= test_rng >> 7;
    test_rng ^= test_rng << 17;
    return (unsigned)(test_rng % mod);
}

void test_rnd_seed(unsigned long long seed) { test_rng = seed; }

jql_date test_date(int y, int m, int d)
{
    jql_date out;
    ck_assert_int_eq(jql_date_from_ymd(y, m, d, &out), JQL_OK);
    return out;
}

void test_load_manual_grid(int units, int leaves, jql_dataset **ds, jql_criteria **c)
{
    char *d = NULL, *k = NULL;
    size_t dn = 0, kn = 0;
    FILE *f = open_memstream(&d, &dn);
    ck_assert_ptr_nonnull(f);
    fputs("{\"format\": \"justice-quarterly/dataset 1.0\", \"units\": ["
          "{\"id\": \"R\", \"name\": \"R\", \"level\": \"province\"}", f);
    for (int u = 0; u < units; u++)
        fprintf(f, ", {\"id\": \"u%d\", \"name\": \"u\", \"level\": \"district\", "
                   "\"parent\": \"R\"}", u);
    fputs("], \"assessments\": [", f);
    for (int u = 0; u < units; u++)
        fprintf(f, "%s{\"unit\": \"u%d\", \"period\": \"2014\", \"criterion\": \"m0\", "
                   "\"appraised\": 0.001}", u ? ", " : "", u);
    fputs("]}", f);
    ck_assert_int_eq(fclose(f), 0);
    f = open_memstream(&k, &kn);
    ck_assert_ptr_nonnull(f);
    fputs("{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"k\", "
          "\"period\": \"2014\", \"units\": {\"levels\": [\"district\"]}, "
          "\"tiers\": [{\"id\": \"t\", \"name\": \"t\", \"min\": 0}], \"criteria\": [", f);
    for (int l = 0; l < leaves; l++)
        fprintf(f, "%s{\"id\": \"m%d\", \"title\": \"m\", \"max\": 0.1, "
                   "\"method\": {\"type\": \"manual\"}}", l ? ", " : "", l);
    fputs("]}", f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(jql_dataset_load_buffer(d, dn, "big", ds, NULL), JQL_OK);
    ck_assert_int_eq(jql_criteria_load_buffer(k, kn, "big", c, NULL), JQL_OK);
    free(d);
    free(k);
}

void test_sbuf_printf(test_sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    ck_assert_int_ge(n, 0);
    if (b->len + (size_t)n + 1 > b->cap) {
        b->cap = (b->len + (size_t)n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        ck_assert_ptr_nonnull(b->s);
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}
