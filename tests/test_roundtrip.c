/* Canonical JSON round trips: load a canonical file, save it, get the same bytes. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

/* Load text, save it canonically; returns the malloc'd-by-library output. */
static char *canonical_of(const char *text, size_t len, const char *source, size_t *out_len)
{
    jql_dataset *ds = NULL;
    jql_diagnostics *diag = NULL;
    int rc = jql_dataset_load_buffer(text, len, source, &ds, &diag);
    for (size_t i = 0; rc != JQL_OK && i < jql_diagnostics_count(diag); i++)
        fprintf(stderr, "%s:%u:%u: %s: %s\n", source, jql_diagnostics_line(diag, i),
                jql_diagnostics_column(diag, i), jql_diagnostics_path(diag, i),
                jql_diagnostics_message(diag, i));
    ck_assert_msg(rc == JQL_OK, "%s does not load: %s", source, jql_last_error());
    ck_assert_uint_eq(jql_diagnostics_error_count(diag), 0);
    jql_diagnostics_free(diag);
    char *out = NULL;
    ck_assert_int_eq(jql_dataset_to_json(ds, &out, out_len), JQL_OK);
    ck_assert_uint_eq(strlen(out), *out_len);
    jql_dataset_free(ds);
    return out;
}

/* First differing line, for a readable failure. */
static void assert_same(const char *want, const char *got, const char *what)
{
    if (strcmp(want, got) == 0)
        return;
    size_t i = 0, line = 1, start = 0;
    for (; want[i] && want[i] == got[i]; i++)
        if (want[i] == '\n') {
            line++;
            start = i + 1;
        }
    ck_abort_msg("%s differs at line %zu:\nwant: %.120s\ngot:  %.120s", what, line,
                 want + start, got + start);
}

static void roundtrip_file(const char *path)
{
    size_t len, out_len;
    char *text = test_read_file(path, &len);
    char *out = canonical_of(text, len, path, &out_len);
    assert_same(text, out, path);
    ck_assert_uint_eq(out_len, len);
    jql_free(out);
    free(text);
}

START_TEST(every_valid_fixture)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", test_data("valid"));
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 5, ".json") != 0)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        roundtrip_file(path);
        n++;
    }
    closedir(d);
    ck_assert_int_ge(n, 3); /* small.json, minimal.json, escapes.json at least */
}
END_TEST

START_TEST(example_dataset)
{
    const char *path = example_data("long-an-2014/dataset.json");
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "# SKIP example dataset round trip: %s does not exist yet\n", path);
        return;
    }
    roundtrip_file(path);
    /* the two-tier example too: labels, documents and all */
    roundtrip_file(example_data("tay-ninh-2026/dataset.json"));
}
END_TEST

/* The same data as tests/data/valid/small.json's first records, but with keys
   reordered, odd whitespace, escapes where none are needed, numbers written
   differently and optional defaults spelled out. */
static const char noncanonical[] =
    "  {\"units\":[{\"level\":\"province\",\"name\":\"S\\u1edf T\\u01b0 ph\\u00e1p\",\"id\":\"long-an\"},\n"
    "\t{ \"parent\" : \"long-an\" , \"id\":\"tan-an\",\"name\":\"T\u00e2n An\",\"level\":\"district\","
    "\"attributes\":{\"z\":\"1\",\"a\":\"2\"}}],\r\n"
    "\"format\":\"justice-quarterly/dataset 1.7\",\n"
    "\"indicators\":[{\"aggregation\":\"sum\",\"name\":\"Hòa giải\",\"id\":\"m\"}],\n"
    "\"statistics\":[{\"value\":1.5000,\"period\":\"2014\",\"indicator\":\"m\",\"unit\":\"tan-an\"},"
    "{\"value\":2.5E-1,\"period\":\"2014-Q1\",\"indicator\":\"m\",\"unit\":\"tan-an\"},"
    "{\"value\":1e2,\"period\":\"2014-Q2\",\"indicator\":\"m\",\"unit\":\"tan-an\"},"
    "{\"value\":-0,\"period\":\"2014-Q3\",\"indicator\":\"m\",\"unit\":\"tan-an\"}],\n"
    "\"assessments\":[{\"unit\":\"tan-an\",\"period\":\"2014\",\"criterion\":\"c\",\"not_applicable\":false}],\n"
    "\"tasks\":[],\"events\":[]}\n\n";

static const char canonical[] =
    "{\n"
    "  \"format\": \"justice-quarterly/dataset 1.0\",\n"
    "  \"units\": [\n"
    "    {\"id\": \"long-an\", \"name\": \"Sở Tư pháp\", \"level\": \"province\"},\n"
    "    {\"id\": \"tan-an\", \"name\": \"Tân An\", \"level\": \"district\", \"parent\": \"long-an\", "
    "\"attributes\": {\"a\": \"2\", \"z\": \"1\"}}\n"
    "  ],\n"
    "  \"indicators\": [\n"
    "    {\"id\": \"m\", \"name\": \"Hòa giải\"}\n"
    "  ],\n"
    "  \"statistics\": [\n"
    "    {\"unit\": \"tan-an\", \"indicator\": \"m\", \"period\": \"2014\", \"value\": 1.5},\n"
    "    {\"unit\": \"tan-an\", \"indicator\": \"m\", \"period\": \"2014-Q1\", \"value\": 0.25},\n"
    "    {\"unit\": \"tan-an\", \"indicator\": \"m\", \"period\": \"2014-Q2\", \"value\": 100},\n"
    "    {\"unit\": \"tan-an\", \"indicator\": \"m\", \"period\": \"2014-Q3\", \"value\": 0}\n"
    "  ],\n"
    "  \"assessments\": [\n"
    "    {\"unit\": \"tan-an\", \"period\": \"2014\", \"criterion\": \"c\"}\n"
    "  ]\n"
    "}\n";

START_TEST(noncanonical_to_canonical)
{
    size_t n1, n2;
    char *once = canonical_of(noncanonical, strlen(noncanonical), "<noncanonical>", &n1);
    assert_same(canonical, once, "canonical form of the non-canonical input");
    /* idempotent: the canonical output loads and saves to itself */
    char *twice = canonical_of(once, n1, "<canonical>", &n2);
    assert_same(once, twice, "second save");
    ck_assert_uint_eq(n1, n2);
    jql_free(once);
    jql_free(twice);
}
END_TEST

START_TEST(empty_dataset_canonical)
{
    jql_dataset *ds = jql_dataset_new();
    char *out;
    size_t n;
    ck_assert_int_eq(jql_dataset_to_json(ds, &out, &n), JQL_OK);
    ck_assert_str_eq(out, "{\n  \"format\": \"justice-quarterly/dataset 1.0\"\n}\n");
    ck_assert_uint_eq(n, strlen(out));
    jql_free(out);
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("roundtrip");
    TCase *tc = tcase_create("roundtrip");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, every_valid_fixture);
    tcase_add_test(tc, example_dataset);
    tcase_add_test(tc, noncanonical_to_canonical);
    tcase_add_test(tc, empty_dataset_canonical);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
