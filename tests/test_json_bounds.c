/* The JSON tree builder reads a text the validator accepted a moment
   before. A caller's buffer may change in between (another
   thread writing to it, as Python's loads() of a bytearray once allowed):
   whatever the text holds by then, they may only report a mismatch, never
   read or write outside the buffer. Every single-byte change and every
   truncation of a few valid texts is tried, each in a buffer of its exact
   size so that ASan and valgrind see the first byte past it. */
#include <stdlib.h>
#include <string.h>

#include "json_pos.h"
#include "testutil.h"

static const char *const texts[] = {
    "{\"a\":\"b\"}",
    "{\"units\": [{\"id\": \"u\\\"1\", \"x\": [1, -2.5e3, true, false, null]}], \"k\": \"\"}",
    "[\"\\u00e9\\ud83d\\ude00\\u0000z\", {\"\\u0000\": {}, \"\\n\\t\\\\\": []}, \"end\"]",
    "  {\"nested\": {\"a\": [[], [{}], \"s\\/\"]}, \"dup\": 1, \"dup\": \"v\"}  ",
};

static const char replacements[] = "\"\\x}]{[,: u0";

/* Build from `changed` with the node count `text` validated to. */
static void try_changed(const char *changed, size_t len, size_t nodes)
{
    char *buf = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(buf);
    memcpy(buf, changed, len);
    cJSON *root = NULL;
    jql_json_pos *pos = NULL;
    int rc = jql_json_tree_new(buf, len, nodes, &root, &pos);
    ck_assert(rc == JQL_OK || rc == JQL_ERROR);
    jql_json_pos_free(pos);
    free(buf);
}

START_TEST(changed_after_validation)
{
    const char *text = texts[_i];
    size_t len = strlen(text), nodes = 0, tried = 0;
    jql_json_error e;
    ck_assert_msg(jql_json_validate(text, len, &nodes, &e), "%s", e.message);
    char *changed = malloc(len + 1);
    ck_assert_ptr_nonnull(changed);
    for (size_t i = 0; i < len; i++) {
        for (const char *r = replacements; *r; r++) {
            memcpy(changed, text, len);
            changed[i] = *r;
            try_changed(changed, len, nodes);
            tried++;
        }
    }
    for (size_t cut = 0; cut < len; cut++) { /* the same count, a shorter text */
        try_changed(text, cut, nodes);
        tried++;
    }
    free(changed);
    ck_assert_uint_gt(tried, len);
}
END_TEST

/* The unchanged text still builds the same tree cJSON builds. */
START_TEST(unchanged_text_builds)
{
    const char *text = texts[_i];
    size_t len = strlen(text), nodes = 0;
    jql_json_error e;
    ck_assert(jql_json_validate(text, len, &nodes, &e));
    cJSON *root = NULL;
    jql_json_pos *pos = NULL;
    ck_assert_int_eq(jql_json_tree_new(text, len, nodes, &root, &pos), JQL_OK);
    cJSON *ref = cJSON_Parse(text);
    ck_assert_ptr_nonnull(ref);
    ck_assert_int_eq(cJSON_GetArraySize(root), cJSON_GetArraySize(ref));
    ck_assert_int_eq(root->type & 0xff, ref->type & 0xff);
    cJSON_Delete(ref);
    jql_json_pos_free(pos);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json_bounds");
    TCase *tc = tcase_create("json_bounds");
    tcase_set_timeout(tc, 300);
    int n = (int)(sizeof texts / sizeof *texts);
    tcase_add_loop_test(tc, changed_after_validation, 0, n);
    tcase_add_loop_test(tc, unchanged_text_builds, 0, n);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
