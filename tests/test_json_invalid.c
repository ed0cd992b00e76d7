/* Invalid datasets: every problem is found, with its JSON Pointer and line:column. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

typedef struct {
    const char *path;
    unsigned line, column;
    const char *message; /* a substring of the message */
} expected_diag;

typedef struct {
    const char *file;
    size_t count;
    expected_diag diags[12];
} fixture;

/* Positions were computed independently of the library, by searching the
   fixture bytes for the offending token (see the commit that added them). */
static const fixture fixtures[] = {
    {"syntax.json", 1, {{"", 4, 48, "syntax error: unexpected '\"', expected ',' or '}'"}}},
    {"trailing.json", 1, {{"", 4, 1, "unexpected data after the JSON value"}}},
    {"utf8.json", 1, {{"", 4, 32, "invalid UTF-8"}}},
    {"empty.json", 1, {{"", 1, 1, "empty input"}}},
    {"root_array.json", 1, {{"", 1, 1, "expected an object (a dataset), found an array"}}},
    {"types.json", 4, {{"/units/0/name", 4, 31, "expected a string, found a number"},
        {"/units/0/attributes/kind", 4, 78, "expected a string, found a boolean"},
        {"/reports/0/complete", 7, 120, "expected true or false, found a string"},
        {"/events", 9, 13, "expected an array, found an object"}}},
    {"missing.json", 1, {{"/units/0", 4, 5, "missing required key \"name\""}}},
    {"unknown_key.json", 1, {{"/units/0/colour", 4, 70, "unknown key \"colour\""}}},
    {"duplicate_key.json", 1, {{"/units/0/id", 4, 70, "duplicate key \"id\""}}},
    {"duplicate_id.json", 1, {{"/units/1/id", 5, 12, "duplicate unit id \"long-an\""}}},
    {"unknown_unit.json", 1, {{"/units/3/parent", 7, 102, "unknown unit \"kien-tuong\""}}},
    {"unknown_indicator.json", 1, {{"/statistics/0/indicator", 7, 37, "unknown indicator \"hoa-giai\""}}},
    {"unknown_period.json", 1, {{"/reports/0/period", 7, 34, "unknown period \"2014-T1\""}}},
    {"malformed_period.json", 1, {{"/assessments/0/period", 7, 34, "unknown period \"2014-Q5\""}}},
    {"bad_date.json", 1, {{"/events/0/date", 7, 32, "invalid date \"2014-02-30\""}}},
    {"period_order.json", 1, {{"/periods/0/end", 4, 53, "end 2013-12-15 is before start 2014-03-14"}}},
    {"cycle.json", 2, {{"/units/1/parent", 5, 61, "parent \"a\" makes a cycle"},
        {"/units/2/parent", 6, 60, "parent \"c\" makes a cycle"}}},
    {"negative.json", 1, {{"/statistics/0/value", 10, 79, "negative value -3 for a count"}}},
    {"decimals.json", 1, {{"/events/0/points", 7, 78, "more than 3 decimal places"}}},
    {"deep.json", 1, {{"", 4, 92, "nesting deeper than 32 levels"}}},
    {"long_string.json", 1, {{"/name", 3, 11, "65537 bytes long, more than the limit of 65536"}}},
    {"long_id.json", 1, {{"/units/0/id", 4, 12, "129 bytes long, more than the limit of 128"}}},
    {"version.json", 1, {{"/format", 2, 13, "unsupported format version 2.0"}}},
    {"no_format.json", 1, {{"", 1, 1, "missing required key \"format\""}}},
    {"done_no_completed.json", 1, {{"/tasks/0", 7, 5, "status \"done\" requires a \"completed\" date"}}},
    {"nul.json", 1, {{"/units/0/name", 4, 30, "NUL character"}}},
    {"multi.json", 10, {{"/units/1/parent", 5, 92, "unknown unit \"kien-tuong\""},
        {"/units/2", 6, 5, "missing required key \"name\""},
        {"/units/2/colour", 6, 65, "unknown key \"colour\""},
        {"/indicators/0/aggregation", 9, 62, "invalid aggregation \"median\""},
        {"/statistics/0/indicator", 12, 37, "unknown indicator \"ho-tich\""},
        {"/statistics/2/value", 14, 80, "more than 3 decimal places"},
        {"/tasks/0/units", 17, 49, "at least one unit"},
        {"/tasks/0/due", 17, 60, "invalid date \"2014-02-30\""},
        {"/tasks/0/completed", 17, 108, "\"completed\" is only allowed when status is \"done\""},
        {"/directives/0/answers/0", 20, 140, "unknown shortcoming or task \"sc-khong-co\""}}},
};

static void assert_diags(const jql_diagnostics *d, const char *what, const expected_diag *want,
                         size_t n)
{
    size_t got = jql_diagnostics_count(d);
    for (size_t i = 0; got != n && i < got; i++)
        fprintf(stderr, "# %s: %u:%u %s: %s\n", what, jql_diagnostics_line(d, i),
                jql_diagnostics_column(d, i), jql_diagnostics_path(d, i),
                jql_diagnostics_message(d, i));
    ck_assert_msg(got == n, "%s: %zu diagnostics, expected %zu", what, got, n);
    ck_assert_uint_eq(jql_diagnostics_error_count(d), n);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(jql_diagnostics_severity(d, i), JQL_SEVERITY_ERROR);
        ck_assert_msg(strcmp(jql_diagnostics_path(d, i), want[i].path) == 0,
                      "%s #%zu: path \"%s\", expected \"%s\"", what, i,
                      jql_diagnostics_path(d, i), want[i].path);
        ck_assert_msg(jql_diagnostics_line(d, i) == want[i].line &&
                          jql_diagnostics_column(d, i) == want[i].column,
                      "%s #%zu: at %u:%u, expected %u:%u", what, i, jql_diagnostics_line(d, i),
                      jql_diagnostics_column(d, i), want[i].line, want[i].column);
        ck_assert_msg(strstr(jql_diagnostics_message(d, i), want[i].message) != NULL,
                      "%s #%zu: message \"%s\" lacks \"%s\"", what, i,
                      jql_diagnostics_message(d, i), want[i].message);
    }
}

START_TEST(invalid_fixture)
{
    const fixture *f = &fixtures[_i];
    char path[4096];
    snprintf(path, sizeof path, "%s", test_data("invalid"));
    strncat(path, "/", sizeof path - strlen(path) - 1);
    strncat(path, f->file, sizeof path - strlen(path) - 1);
    jql_dataset *ds = (jql_dataset *)1;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_dataset_load_path(path, &ds, &d), JQL_EINVALID);
    ck_assert_ptr_null(ds);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(jql_diagnostics_source(d), path);
    /* the thread's message names the first problem with its position */
    char where[64];
    snprintf(where, sizeof where, ":%u:%u: ", f->diags[0].line, f->diags[0].column);
    ck_assert_msg(strstr(jql_last_error(), where) != NULL, "last error \"%s\"",
                  jql_last_error());
    assert_diags(d, f->file, f->diags, f->count);
    jql_diagnostics_free(d);
    /* without a diagnostics pointer: same status, nothing leaks */
    ck_assert_int_eq(jql_dataset_load_path(path, &ds, NULL), JQL_EINVALID);
    ck_assert_ptr_null(ds);
}
END_TEST

/* Load text from memory and compare with the expected diagnostics. */
static void check_text(const char *text, const expected_diag *want, size_t n)
{
    jql_dataset *ds = NULL;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(text, strlen(text), NULL, &ds, &d), JQL_EINVALID);
    ck_assert_ptr_null(ds);
    ck_assert_str_eq(jql_diagnostics_source(d), "<memory>");
    assert_diags(d, text, want, n);
    jql_diagnostics_free(d);
}

#define HEAD "{\"format\": \"justice-quarterly/dataset 1.0\", "
#define UNIT "\"units\": [{\"id\": \"u\", \"name\": \"U\", \"level\": \"x\"}]"

START_TEST(syntax_details)
{
    static const struct {
        const char *text;
        expected_diag d;
    } cases[] = {
        {"{\"a\": \"x\ty\"}", {"", 1, 9, "control character in string"}},
        {"{\"a\": \"\\ud800x\"}", {"", 1, 8, "lone high surrogate"}},
        {"{\"a\": \"\\udc00\"}", {"", 1, 8, "lone low surrogate"}},
        {"{\"a\": \"\\q\"}", {"", 1, 8, "invalid escape"}},
        {"{\"a\": 012}", {"", 1, 7, "leading zero"}},
        {"{\"a\": 1.}", {"", 1, 7, "digit expected after '.'"}},
        {"{\"a\": NaN}", {"", 1, 7, "unexpected 'N'"}},
        {"{\"a\": -Infinity}", {"", 1, 7, "invalid number"}},
        {"{\"a\": tru}", {"", 1, 7, "expected a JSON value"}},
        {"{\"a\" 1}", {"", 1, 6, "expected ':' after the key"}},
        {"{\"a\": 1,}", {"", 1, 9, "expected a string key"}},
        {"[1, 2", {"", 1, 6, "unexpected end of input"}},
        {"{\"a\": \"abc", {"", 1, 7, "unterminated string"}},
        {"  \n ", {"", 2, 2, "only whitespace"}},
        {"\xef\xbb\xbf{}", {"", 1, 1, "unexpected byte 0xef"}},
        {"{\"a\": 1} {}", {"", 1, 10, "unexpected data after the JSON value"}},
        {"{\"a\": 1}\n\x80", {"", 2, 1, "invalid UTF-8"}},
        {"{\"a\": \"\xed\xa0\x80\"}", {"", 1, 8, "invalid UTF-8"}}, /* encoded surrogate */
        {"{\"a\": \"\xc0\xaf\"}", {"", 1, 8, "invalid UTF-8"}},     /* overlong */
        {"{\"a\": 1234567890123456789012345678901234567890123456789012345678901234}",
         {"", 1, 7, "longer than 63 characters"}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_text(cases[i].text, &cases[i].d, 1);
}
END_TEST

START_TEST(value_details)
{
    static const struct {
        const char *text;
        expected_diag d;
    } cases[] = {
        /* RFC 6901: "~" is written "~0" and "/" is "~1" */
        {HEAD "\"a/b~c\": 1}", {"/a~1b~0c", 1, 45, "unknown key \"a/b~c\""}},
        {HEAD "\"k\\u0000x\": 1}", {"/k", 1, 45, "key contains a NUL character"}},
        {HEAD "\"units\": [{\"id\": \"u\", \"name\": \"U\", \"level\": \"x\", \"cluster\": null}]}",
         {"/units/0/cluster", 1, 105, "expected a string, found null"}},
        {HEAD "\"units\": [{\"id\": \"\", \"name\": \"U\", \"level\": \"x\"}]}",
         {"/units/0/id", 1, 62, "must not be empty"}},
        {HEAD "\"units\": [{\"id\": \"a\\nb\", \"name\": \"U\", \"level\": \"x\"}]}",
         {"/units/0/id", 1, 62, "control character"}},
        {HEAD "\"units\": [7]}", {"/units/0", 1, 55, "expected an object, found a number"}},
        {HEAD UNIT ", \"indicators\": [{\"id\": \"i\", \"name\": \"I\"}], \"statistics\": "
              "[{\"unit\": \"u\", \"indicator\": \"i\", \"period\": \"2014\", \"value\": 1e999}]}",
         {"/statistics/0/value", 1, 212, "too large"}},
        {HEAD UNIT ", \"indicators\": [{\"id\": \"i\", \"name\": \"I\"}], \"statistics\": "
              "[{\"unit\": \"u\", \"indicator\": \"i\", \"period\": \"2014\", \"value\": 1.5e-4}]}",
         {"/statistics/0/value", 1, 212, "more than 3 decimal places"}},
        {HEAD UNIT ", \"indicators\": [{\"id\": \"i\", \"name\": \"I\"}], \"statistics\": "
              "[{\"unit\": \"u\", \"indicator\": \"i\", \"period\": \"2014\", \"value\": \"5\"}]}",
         {"/statistics/0/value", 1, 212, "expected a number, found a string"}},
        {HEAD UNIT ", \"events\": [{\"unit\": \"u\", \"date\": \"2014-1-05\", \"kind\": \"k\"}]}",
         {"/events/0/date", 1, 129, "invalid date"}},
        {HEAD UNIT ", \"events\": [{\"unit\": \"u\", \"date\": \"1899-12-31\", \"kind\": \"k\"}]}",
         {"/events/0/date", 1, 129, "invalid date"}},
        {HEAD UNIT ", \"events\": [{\"unit\": \"u\", \"date\": \"2014-05-01\", \"kind\": \"k\", "
              "\"points\": -0.5}]}",
         {"/events/0/points", 1, 166, "negative value -0.5"}},
        {HEAD UNIT ", \"assessments\": [{\"unit\": \"u\", \"period\": \"2014\", \"criterion\": "
              "\"c\", \"self\": 1}, {\"unit\": \"u\", \"period\": \"2014\", \"criterion\": \"c\"}]}",
         {"/assessments/1", 1, 174, "duplicate assessment"}},
        {HEAD UNIT ", \"reports\": [{\"unit\": \"u\", \"period\": \"2014\", \"kind\": \"k\", \"due\": "
              "\"2014-01-01\", \"submitted\": null, \"complete\": false}, {\"unit\": \"u\", "
              "\"period\": \"2014\", \"kind\": \"k\", \"due\": \"2014-01-02\", \"submitted\": "
              "\"2014-01-01\", \"complete\": true}]}",
         {"/reports/1", 1, 213, "duplicate report"}},
        {HEAD UNIT ", \"directives\": [{\"id\": \"d\", \"issued\": \"2014-01-01\", \"issuer\": "
              "\"u\", \"addressees\": {\"units\": []}, \"text\": \"t\", \"status\": \"open\"}]}",
         {"/directives/0/addressees", 1, 176, "at least one addressee"}},
        {HEAD UNIT ", \"directives\": [{\"id\": \"d\", \"issued\": \"2014-01-01\", \"issuer\": "
              "\"u\", \"addressees\": {\"levels\": [\"x\"]}, \"text\": \"t\", \"status\": "
              "\"closed\"}]}",
         {"/directives/0/status", 1, 218, "invalid status \"closed\""}},
        {HEAD "\"format\": \"justice-quarterly/dataset 1.0\"}",
         {"/format", 1, 45, "duplicate key \"format\""}},
        {"{\"format\": \"justice-quarterly/dataset\"}", {"/format", 1, 12, "invalid format version in \"justice-quarterly/dataset\""}},
        {"{\"format\": 1}", {"/format", 1, 12, "expected a string, found a number"}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_text(cases[i].text, &cases[i].d, 1);
}
END_TEST

START_TEST(duplicate_statistic)
{
    const char *text = HEAD UNIT ", \"indicators\": [{\"id\": \"i\", \"name\": \"I\"}],\n"
                            "\"statistics\": [\n"
                            "{\"unit\": \"u\", \"indicator\": \"i\", \"period\": \"2014\", \"value\": 1},\n"
                            "{\"unit\": \"u\", \"indicator\": \"i\", \"period\": \"2014\", \"value\": 2}]}";
    expected_diag want = {"/statistics/1", 4, 1, "duplicate statistic"};
    check_text(text, &want, 1);
}
END_TEST

START_TEST(forward_parent_reference)
{
    /* parents may be declared after their children */
    const char *text = HEAD "\"units\": [{\"id\": \"c\", \"name\": \"C\", \"level\": \"x\", "
                            "\"parent\": \"p\"}, {\"id\": \"p\", \"name\": \"P\", \"level\": \"y\"}]}";
    jql_dataset *ds = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(text, strlen(text), NULL, &ds, NULL), JQL_OK);
    ck_assert_uint_eq(jql_unit_parent(ds, 0), 1);
    ck_assert_uint_eq(jql_unit_parent(ds, 1), JQL_NONE);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(many_errors_are_capped)
{
    /* 250 records with an unknown key each: 200 entries plus one summary */
    size_t cap = 64 + 250 * 64;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    size_t n = (size_t)snprintf(text, cap, HEAD "\"units\": [");
    for (int i = 0; i < 250; i++)
        n += (size_t)snprintf(text + n, cap - n,
                              "%s\n{\"id\": \"u%d\", \"name\": \"U\", \"level\": \"x\", \"q\": 1}",
                              i ? "," : "", i);
    n += (size_t)snprintf(text + n, cap - n, "]}");
    jql_dataset *ds = NULL;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(text, n, "many.json", &ds, &d), JQL_EINVALID);
    ck_assert_uint_eq(jql_diagnostics_count(d), JQL_MAX_DIAGNOSTICS + 1);
    ck_assert_uint_eq(jql_diagnostics_error_count(d), 250);
    ck_assert_str_eq(jql_diagnostics_path(d, 0), "/units/0/q");
    ck_assert_uint_eq(jql_diagnostics_line(d, 0), 2);
    ck_assert_uint_eq(jql_diagnostics_column(d, 0), 41);
    ck_assert_str_eq(jql_diagnostics_path(d, 199), "/units/199/q");
    ck_assert_uint_eq(jql_diagnostics_line(d, 199), 201);
    ck_assert_str_eq(jql_diagnostics_message(d, 200), "50 more problems not shown (limit 200)");
    jql_diagnostics_free(d);
    free(text);
}
END_TEST

START_TEST(input_too_large)
{
    size_t n = (size_t)JQL_MAX_INPUT_BYTES + 1;
    char *big = calloc(1, n);
    ck_assert_ptr_nonnull(big);
    jql_dataset *ds = NULL;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(big, n, "big.json", &ds, &d), JQL_ELIMIT);
    ck_assert_ptr_null(ds);
    ck_assert_uint_eq(jql_diagnostics_count(d), 1);
    ck_assert_ptr_nonnull(strstr(jql_diagnostics_message(d, 0), "larger than the limit"));
    jql_diagnostics_free(d);
    free(big);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json_invalid");
    TCase *tc = tcase_create("fixtures");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, invalid_fixture, 0, (int)(sizeof fixtures / sizeof *fixtures));
    suite_add_tcase(s, tc);
    TCase *tm = tcase_create("memory");
    tcase_set_timeout(tm, 120);
    tcase_add_test(tm, syntax_details);
    tcase_add_test(tm, value_details);
    tcase_add_test(tm, duplicate_statistic);
    tcase_add_test(tm, forward_parent_reference);
    tcase_add_test(tm, many_errors_are_capped);
    tcase_add_test(tm, input_too_large);
    suite_add_tcase(s, tm);
    return test_run_suite(s);
}
