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

/* The shallow tree and every element of its shallow arrays, built one by
   one (jql_json_tree_shallow, jql_json_pos_next, jql_json_pos_build_at). */
static int walk_shallow(const char *buf, size_t len)
{
    cJSON *root = NULL;
    jql_json_pos *pos = NULL;
    int rc = jql_json_tree_shallow(buf, len, &root, &pos);
    if (rc)
        return rc;
    const cJSON *arrays[64];
    size_t n = 0;
    if (cJSON_IsArray(root))
        arrays[n++] = root;
    for (const cJSON *m = cJSON_IsObject(root) ? root->child : NULL; m && n < 64; m = m->next)
        if (cJSON_IsArray(m))
            arrays[n++] = m;
    for (size_t k = 0; k < n && rc == JQL_OK; k++) {
        size_t at = 0, elements = 0;
        cJSON *e;
        while ((rc = jql_json_pos_next(pos, arrays[k], &at, &e)) == JQL_OK && e) {
            size_t again = jql_json_pos_offset(pos, e);
            if ((rc = jql_json_pos_build_at(pos, &again, &e)))
                break;
            if (++elements > len) /* a changed text may not loop for ever */
                break;
        }
    }
    jql_json_pos_free(pos);
    return rc;
}

START_TEST(changed_after_validation_shallow)
{
    const char *text = texts[_i];
    size_t len = strlen(text), nodes = 0;
    jql_json_error e;
    ck_assert(jql_json_validate(text, len, &nodes, &e));
    char *changed = malloc(len + 1);
    ck_assert_ptr_nonnull(changed);
    for (size_t i = 0; i < len; i++) {
        for (const char *r = replacements; *r; r++) {
            char *buf = malloc(len);
            ck_assert_ptr_nonnull(buf);
            memcpy(buf, text, len);
            buf[i] = *r;
            int rc = walk_shallow(buf, len);
            ck_assert(rc == JQL_OK || rc == JQL_ERROR);
            free(buf);
        }
    }
    for (size_t cut = 1; cut < len; cut++) {
        char *buf = malloc(cut);
        ck_assert_ptr_nonnull(buf);
        memcpy(buf, text, cut);
        int rc = walk_shallow(buf, cut);
        ck_assert(rc == JQL_OK || rc == JQL_ERROR);
        free(buf);
    }
    free(changed);
}
END_TEST

/* Each element built on its own is the element of the whole tree: same
   types, strings, positions and flags, in the same order. */
static void same_tree(const jql_json_pos *pa, const cJSON *a, const jql_json_pos *pb,
                      const cJSON *b)
{
    ck_assert_int_eq(a->type & 0xff, b->type & 0xff);
    ck_assert_uint_eq(jql_json_pos_offset(pa, a), jql_json_pos_offset(pb, b));
    ck_assert_uint_eq(jql_json_pos_key_offset(pa, a), jql_json_pos_key_offset(pb, b));
    ck_assert_uint_eq(jql_json_pos_flags(pa, a), jql_json_pos_flags(pb, b));
    ck_assert((a->string == NULL) == (b->string == NULL));
    if (a->string)
        ck_assert_str_eq(a->string, b->string);
    if (cJSON_IsString(a))
        ck_assert_str_eq(a->valuestring, b->valuestring);
    const cJSON *x = a->child, *y = b->child;
    for (; x && y; x = x->next, y = y->next)
        same_tree(pa, x, pb, y);
    ck_assert(!x && !y);
}

START_TEST(shallow_elements_match_whole_tree)
{
    const char *text = texts[_i];
    size_t len = strlen(text), nodes = 0;
    jql_json_error e;
    ck_assert(jql_json_validate(text, len, &nodes, &e));
    cJSON *whole = NULL, *top = NULL;
    jql_json_pos *pw = NULL, *ps = NULL;
    ck_assert_int_eq(jql_json_tree_new(text, len, nodes, &whole, &pw), JQL_OK);
    ck_assert_int_eq(jql_json_tree_shallow(text, len, &top, &ps), JQL_OK);
    size_t checked = 0;
    const cJSON *w = cJSON_IsArray(whole) ? whole : whole->child;
    const cJSON *t = cJSON_IsArray(top) ? top : top->child;
    for (; w && t; w = cJSON_IsArray(whole) ? NULL : w->next,
                   t = cJSON_IsArray(top) ? NULL : t->next) {
        ck_assert_uint_eq(jql_json_pos_offset(pw, w), jql_json_pos_offset(ps, t));
        if (!cJSON_IsArray(t) && !cJSON_IsObject(t)) {
            same_tree(pw, w, ps, t);
            continue;
        }
        ck_assert(jql_json_pos_flags(ps, t) & JQL_POS_SHALLOW);
        ck_assert_ptr_null(t->child);
        ck_assert_uint_eq(jql_json_shallow_count(t), (size_t)cJSON_GetArraySize(w));
        if (!cJSON_IsArray(t))
            continue;
        size_t at = 0;
        cJSON *el;
        const cJSON *we = w->child;
        while (jql_json_pos_next(ps, t, &at, &el) == JQL_OK && el) {
            ck_assert_ptr_nonnull(we);
            same_tree(pw, we, ps, el);
            we = we->next;
            checked++;
        }
        ck_assert_ptr_null(we);
    }
    ck_assert(!w && !t);
    ck_assert_uint_gt(checked + (size_t)cJSON_GetArraySize(whole), 0);
    jql_json_pos_free(pw);
    jql_json_pos_free(ps);
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
    tcase_add_loop_test(tc, changed_after_validation_shallow, 0, n);
    tcase_add_loop_test(tc, shallow_elements_match_whole_tree, 0, n);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
