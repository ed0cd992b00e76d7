/* Both loaders read JSON through one reader (lib/json_reader.c): the same
   problem gets the same message, at the same kind of location, whether it
   is in a dataset or in a criteria set. Each case is put into a minimal
   document of either format; the diagnostic at the case's path must carry
   the expected message in both, word for word (the format's own name and
   kind substituted where a message names them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

typedef struct {
    const char *name;
    const char *members; /* inserted after the "format" member ("" for none) */
    const char *whole;   /* or the whole document (%s: the format name), when not NULL */
    const char *path;
    const char *message; /* %1$s the format name, %2$s the kind */
} reader_case;

static const reader_case cases[] = {
    {"NUL in a key", "\"k\\u0000x\": 1", NULL, "/k", "key contains a NUL character (\\u0000)"},
    {"duplicate key", "\"name\": \"a\", \"name\": \"b\"", NULL, "/name", "duplicate key \"name\""},
    {"unknown key", "\"colour\": 1", NULL, "/colour", "unknown key \"colour\""},
    {"wrong type", "\"name\": 5", NULL, "/name", "expected a string, found a number"},
    {"null for a string", "\"name\": null", NULL, "/name", "expected a string, found null"},
    {"NUL in a string", "\"name\": \"a\\u0000b\"", NULL, "/name",
     "string contains a NUL character (\\u0000)"},
    {"root not an object", NULL, "[]", "", "expected an object (a %2$s), found an array"},
    {"invalid UTF-8", NULL, "{\"format\": \"\xff\"}", "", "invalid UTF-8 (byte 0xff)"},
    {"syntax", NULL, "{\"format\": 1,}", "", "syntax error: unexpected '}', expected a string key"},
    {"missing format", NULL, "{}", "", "missing required key \"format\" (\"%1$s 1.0\")"},
    {"format of a major version to come", NULL, "{\"format\": \"%1$s 2.0\"}", "/format",
     "unsupported format version 2.0 (this library reads 1.x)"},
    {"format without a version", NULL, "{\"format\": \"%1$s\"}", "/format",
     "invalid format version in \"%1$s\" (expected \"%1$s 1.0\")"},
    {"another format", NULL, "{\"format\": \"csv\"}", "/format",
     "not a %2$s: format \"csv\" (expected \"%1$s 1.0\")"},
    {"format not a string", NULL, "{\"format\": true}", "/format",
     "expected a string, found a boolean"},
};

static int load_dataset(const char *text, size_t len, jql_diagnostics **d)
{
    jql_dataset *ds = NULL;
    int rc = jql_dataset_load_buffer(text, len, "case.json", &ds, d);
    jql_dataset_free(ds);
    return rc;
}

static int load_criteria(const char *text, size_t len, jql_diagnostics **d)
{
    jql_criteria *c = NULL;
    int rc = jql_criteria_load_buffer(text, len, "case.json", &c, d);
    jql_criteria_free(c);
    return rc;
}

/* The message the case expects from the format `format` of kind `kind`. */
static void expected(const reader_case *k, const char *format, const char *kind, char *out,
                     size_t size)
{
    /* only %1$s and %2$s appear: substitute them by hand, in order */
    size_t o = 0;
    for (const char *p = k->message; *p && o + 1 < size; p++) {
        if (p[0] == '%' && (p[1] == '1' || p[1] == '2') && p[2] == '$' && p[3] == 's') {
            const char *s = p[1] == '1' ? format : kind;
            o += (size_t)snprintf(out + o, size - o, "%s", s);
            p += 3;
        } else {
            out[o++] = *p;
        }
    }
    out[o < size ? o : size - 1] = '\0';
}

static void document(const reader_case *k, const char *format, char *out, size_t size)
{
    if (k->whole) {
        char want[256];
        const char *p = k->whole;
        size_t o = 0;
        for (; *p && o + 1 < sizeof want; p++) {
            if (p[0] == '%' && p[1] == '1' && p[2] == '$' && p[3] == 's') {
                o += (size_t)snprintf(want + o, sizeof want - o, "%s", format);
                p += 3;
            } else {
                want[o++] = *p;
            }
        }
        want[o] = '\0';
        snprintf(out, size, "%s", want);
    } else {
        snprintf(out, size, "{\"format\": \"%s 1.0\", %s}", format, k->members);
    }
}

START_TEST(same_problem_same_message)
{
    const reader_case *k = &cases[_i];
    const char *formats[2] = {JQL_DATASET_FORMAT, JQL_CRITERIA_FORMAT};
    const char *kind_names[2] = {"dataset", "criteria set"};
    int (*loads[2])(const char *, size_t, jql_diagnostics **) = {load_dataset, load_criteria};
    char got[2][700];
    for (int f = 0; f < 2; f++) {
        char doc[512], want[512];
        document(k, formats[f], doc, sizeof doc);
        expected(k, formats[f], kind_names[f], want, sizeof want);
        jql_diagnostics *d = NULL;
        int rc = loads[f](doc, strlen(doc), &d);
        ck_assert_msg(rc == JQL_EINVALID, "%s (%s): rc %d", k->name, kind_names[f], rc);
        size_t n = jql_diagnostics_count(d), i = 0;
        while (i < n && strcmp(jql_diagnostics_path(d, i), k->path) != 0)
            i++;
        ck_assert_msg(i < n, "%s (%s): no diagnostic at \"%s\"", k->name, kind_names[f], k->path);
        snprintf(got[f], sizeof got[f], "%s", jql_diagnostics_message(d, i));
        ck_assert_msg(strcmp(got[f], want) == 0, "%s (%s): \"%s\", expected \"%s\"", k->name,
                      kind_names[f], got[f], want);
        jql_diagnostics_free(d);
    }
}
END_TEST

/* Ids: the same rules and words in both formats (a unit id and the criteria
   set's id). */
START_TEST(same_id_rules)
{
    static const struct {
        const char *value, *message;
    } ids[] = {
        {"\"\"", "id must not be empty"},
        {"\"a\\tb\"", "id contains a control character"},
        {"7", "expected a string, found a number"},
    };
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        char doc[512];
        jql_diagnostics *d = NULL;
        snprintf(doc, sizeof doc,
                 "{\"format\": \"justice-quarterly/dataset 1.0\", \"units\": "
                 "[{\"id\": %s, \"name\": \"n\", \"level\": \"l\"}]}",
                 ids[i].value);
        ck_assert_int_eq(load_dataset(doc, strlen(doc), &d), JQL_EINVALID);
        ck_assert_str_eq(jql_diagnostics_path(d, 0), "/units/0/id");
        ck_assert_str_eq(jql_diagnostics_message(d, 0), ids[i].message);
        jql_diagnostics_free(d);
        snprintf(doc, sizeof doc, "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": %s}",
                 ids[i].value);
        ck_assert_int_eq(load_criteria(doc, strlen(doc), &d), JQL_EINVALID);
        size_t n = jql_diagnostics_count(d), k = 0;
        while (k < n && strcmp(jql_diagnostics_path(d, k), "/id") != 0)
            k++;
        ck_assert_uint_lt(k, n);
        ck_assert_str_eq(jql_diagnostics_message(d, k), ids[i].message);
        jql_diagnostics_free(d);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("reader");
    TCase *tc = tcase_create("reader");
    tcase_add_loop_test(tc, same_problem_same_message, 0, (int)(sizeof cases / sizeof *cases));
    tcase_add_test(tc, same_id_rules);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
