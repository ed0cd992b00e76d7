/*
 * Labels (display names per language) and review documents (the
 * administrative form of a period's report): builder, loader, canonical
 * save and its round trip, load errors (docs/FORMAT.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

static const char doc[] =
    "{\n"
    "  \"format\": \"justice-quarterly/dataset 1.0\",\n"
    "  \"labels\": [\n"
    "    {\"kind\": \"level\", \"id\": \"district\", \"names\": {\"en\": \"district level\", \"vi\": \"cấp huyện\"}},\n"
    "    {\"kind\": \"cluster\", \"id\": \"cum-1\", \"names\": {\"vi\": \"Cụm thi đua số 1\"}}\n"
    "  ],\n"
    "  \"documents\": [\n"
    "    {\"period\": \"2014-Q1\", \"fields\": {\"issuer\": \"SỞ TƯ PHÁP\", \"number\": \"Số: 45/BC-STP\", \"recipients\": \"- Bộ Tư pháp;\\n- UBND tỉnh;\"}}\n"
    "  ],\n"
    "  \"units\": [\n"
    "    {\"id\": \"P\", \"name\": \"Sở Tư pháp\", \"level\": \"province\"}\n"
    "  ]\n"
    "}\n";

START_TEST(load_query_and_round_trip)
{
    jql_dataset *ds = NULL;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(doc, strlen(doc), "t", &ds, &d), JQL_OK);
    jql_diagnostics_free(d);
    ck_assert_str_eq(jql_label_lookup(ds, "level", "district", "vi"), "cấp huyện");
    ck_assert_str_eq(jql_label_lookup(ds, "level", "district", "en"), "district level");
    ck_assert_ptr_null(jql_label_lookup(ds, "cluster", "cum-1", "en"));
    ck_assert_ptr_null(jql_label_lookup(ds, "level", "province", "vi"));
    ck_assert_uint_eq(jql_label_count(ds), 2);
    ck_assert_str_eq(jql_label_name_lang(ds, 0, 0), "en"); /* sorted by language */
    ck_assert_str_eq(jql_document_field_lookup(ds, "2014-Q1", "number"), "Số: 45/BC-STP");
    ck_assert_str_eq(jql_document_field_lookup(ds, "2014-Q1", "recipients"), "- Bộ Tư pháp;\n- UBND tỉnh;");
    ck_assert_ptr_null(jql_document_field_lookup(ds, "2014-Q2", "number"));
    /* the period's document by its key, as the bindings' document(period) */
    size_t di = 99;
    ck_assert_int_eq(jql_document_find(ds, "2014-Q1", &di), JQL_OK);
    ck_assert_str_eq(jql_document_period(ds, di), "2014-Q1");
    ck_assert_int_eq(jql_document_find(ds, "2014-Q1", NULL), JQL_OK);
    di = 99;
    ck_assert_int_eq(jql_document_find(ds, "2014-Q2", &di), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_document_find(ds, NULL, &di), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_document_find(NULL, "2014-Q1", &di), JQL_ENOTFOUND);
    ck_assert_uint_eq(di, 99);

    /* the document above is canonical: saving reproduces it byte for byte */
    char *out = NULL;
    size_t n = 0;
    ck_assert_int_eq(jql_dataset_to_json(ds, &out, &n), JQL_OK);
    ck_assert_str_eq(out, doc);
    jql_free(out);

    /* builder: replace, remove, refuse */
    ck_assert_int_eq(jql_label_set(ds, "cluster", "cum-1", "en", "Cluster 1"), JQL_OK);
    ck_assert_str_eq(jql_label_lookup(ds, "cluster", "cum-1", "en"), "Cluster 1");
    ck_assert_int_eq(jql_label_set(ds, "cluster", "cum-1", "en", NULL), JQL_OK);
    ck_assert_ptr_null(jql_label_lookup(ds, "cluster", "cum-1", "en"));
    ck_assert_int_eq(jql_label_set(ds, "", "x", "vi", "y"), JQL_EINVALID);
    ck_assert_int_eq(jql_label_set(ds, "level", "x", "vi", ""), JQL_EINVALID);
    ck_assert_int_eq(jql_document_set(ds, "no-such-period", "title", "x"), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_document_set(ds, "2014-Q1", "number", NULL), JQL_OK);
    ck_assert_ptr_null(jql_document_field_lookup(ds, "2014-Q1", "number"));
    jql_dataset_free(ds);
}
END_TEST

/* Ids are matched in Unicode NFC (docs/SCORING.md, section 13): a label
   or document keyed in decomposed form is found by the composed id, and
   the stored id is the NFC one, as for units. */
START_TEST(ids_in_nfc)
{
    static const char nfd[] =
        "{\"format\": \"justice-quarterly/dataset 1.0\", \"labels\": [{\"kind\": \"cluster\", "
        "\"id\": \"cu\\u0323m-1\", \"names\": {\"vi\": \"C\\u1ee5m 1\"}}], "
        "\"periods\": [{\"id\": \"qu\\u00fd-1\", \"name\": \"Q\", \"start\": \"2014-01-01\", "
        "\"end\": \"2014-03-31\"}], "
        "\"documents\": [{\"period\": \"quy\\u0301-1\", \"fields\": {\"title\": \"B\\u00e1o c\\u00e1o\"}}]}";
    jql_dataset *ds = NULL;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(nfd, strlen(nfd), "t", &ds, &d), JQL_OK);
    jql_diagnostics_free(d);
    ck_assert_str_eq(jql_label_lookup(ds, "cluster", "c\xe1\xbb\xa5m-1", "vi"), "C\xe1\xbb\xa5m 1");
    ck_assert_str_eq(jql_label_lookup(ds, "cluster", "cu\xcc\xa3m-1", "vi"), "C\xe1\xbb\xa5m 1");
    ck_assert_str_eq(jql_label_id(ds, 0), "c\xe1\xbb\xa5m-1");
    ck_assert_str_eq(jql_document_field_lookup(ds, "qu\xc3\xbd-1", "title"), "B\xc3\xa1o c\xc3\xa1o");
    ck_assert_str_eq(jql_document_period(ds, 0), "qu\xc3\xbd-1");
    jql_dataset_free(ds);
}
END_TEST

START_TEST(load_errors)
{
    static const char *const docs[][3] = {
        {"{\"format\": \"justice-quarterly/dataset 1.0\", \"labels\": [{\"kind\": \"level\", "
         "\"id\": \"d\", \"names\": {}}]}",
         "/labels/0/names", "expected a non-empty object of strings, found an empty object"},
        {"{\"format\": \"justice-quarterly/dataset 1.0\", \"labels\": [{\"kind\": \"level\", "
         "\"id\": \"d\", \"names\": {\"vi\": \"a\"}}, {\"kind\": \"level\", \"id\": \"d\", "
         "\"names\": {\"vi\": \"b\"}}]}",
         "/labels/1", "duplicate label: kind \"level\", id \"d\" already named"},
        {"{\"format\": \"justice-quarterly/dataset 1.0\", \"documents\": [{\"period\": "
         "\"nope\", \"fields\": {\"title\": \"x\"}}]}",
         "/documents/0/period", NULL},
        {"{\"format\": \"justice-quarterly/dataset 1.0\", \"documents\": [{\"period\": "
         "\"2014\", \"fields\": {\"title\": \"x\"}}, {\"period\": \"2014\", \"fields\": "
         "{\"title\": \"y\"}}]}",
         "/documents/1", "duplicate document for period \"2014\""},
        {"{\"format\": \"justice-quarterly/dataset 1.0\", \"documents\": [{\"period\": "
         "\"2014\", \"fields\": {\"title\": 3}}]}",
         "/documents/0/fields/title", NULL},
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        jql_dataset *ds = NULL;
        jql_diagnostics *d = NULL;
        ck_assert_int_eq(jql_dataset_load_buffer(docs[i][0], strlen(docs[i][0]), "t", &ds, &d),
                         JQL_EINVALID);
        ck_assert_uint_ge(jql_diagnostics_count(d), 1);
        ck_assert_str_eq(jql_diagnostics_path(d, 0), docs[i][1]);
        if (docs[i][2])
            ck_assert_str_eq(jql_diagnostics_message(d, 0), docs[i][2]);
        jql_diagnostics_free(d);
    }
}
END_TEST

/* Every allocation of loading and saving labels and documents may fail:
   JQL_ENOMEM, nothing half-built, nothing leaked (valgrind/ASan runs). */
START_TEST(out_of_memory)
{
    test_install_failing_allocator();
    long k;
    for (k = 0;; k++) {
        jql_dataset *ds = NULL;
        test_fail_after(k);
        int rc = jql_dataset_load_buffer(doc, strlen(doc), "t", &ds, NULL);
        char *out = NULL;
        if (rc == JQL_OK)
            rc = jql_dataset_to_json(ds, &out, NULL);
        bool hit = test_alloc_count() > k; /* on past a failure made up for */
        test_fail_after(-1);
        if (rc == JQL_OK) {
            ck_assert_str_eq(out, doc);
            jql_free(out);
            jql_dataset_free(ds);
            if (!hit)
                break;
            continue;
        }
        ck_assert_msg(rc == JQL_ENOMEM, "allocation %ld: %s", k, jql_strerror(rc));
        jql_dataset_free(ds);
    }
    ck_assert_int_gt(k, 10);
    ck_assert_int_eq(jql_allocator_set(NULL, NULL, NULL), JQL_OK);
}
END_TEST

/* Keys set out of order through the public API (a unit's attributes, a
   label's names, a document's fields): 3,000 keys in descending and in
   shuffled order, some replaced and some removed between, are read back in
   key order with their last values, looked up before and after the first
   read, and saved byte for byte as the same keys set in order (keymap.c:
   out-of-order keys wait and are merged once, not moved at every set). */
enum { KEYS = 3000 };

static int set_key(jql_dataset *ds, int what, const char *key, const char *value)
{
    return what == 0   ? jql_unit_set_attr(ds, 0, key, value)
           : what == 1 ? jql_label_set(ds, "level", "district", key, value)
                       : jql_document_set(ds, "2014", key, value);
}

static const char *key_at(const jql_dataset *ds, int what, size_t k, bool value)
{
    if (what == 0)
        return value ? jql_unit_attr_value(ds, 0, k) : jql_unit_attr_key(ds, 0, k);
    if (what == 1)
        return value ? jql_label_name_text(ds, 0, k) : jql_label_name_lang(ds, 0, k);
    return value ? jql_document_field_value(ds, 0, k) : jql_document_field_key(ds, 0, k);
}

static size_t key_count(const jql_dataset *ds, int what)
{
    return what == 0 ? jql_unit_attr_count(ds, 0)
           : what == 1 ? jql_label_name_count(ds, 0)
                       : jql_document_field_count(ds, 0);
}

static const char *key_lookup(const jql_dataset *ds, int what, const char *key)
{
    return what == 0   ? jql_unit_attr_lookup(ds, 0, key)
           : what == 1 ? jql_label_lookup(ds, "level", "district", key)
                       : jql_document_field_lookup(ds, "2014", key);
}

/* Key i (its value in round r: v<i>.<r>; every 7th removed in round 1). */
static void key_name(char *b, size_t n, size_t i) { snprintf(b, n, "k%05zu", i); }

static jql_dataset *keys_dataset(int what, const size_t *order, bool read_between)
{
    jql_dataset *ds = jql_dataset_new();
    ck_assert_ptr_nonnull(ds);
    ck_assert_int_eq(jql_unit_add(ds, "P", "P", "province", NULL, NULL), JQL_OK);
    char k[16], v[32];
    for (int round = 0; round < 2; round++)
        for (size_t j = 0; j < KEYS; j++) {
            size_t i = order[j];
            key_name(k, sizeof k, i);
            snprintf(v, sizeof v, "v%zu.%d", i, round);
            bool gone = round == 1 && i % 7 == 0;
            ck_assert_int_eq(set_key(ds, what, k, gone ? NULL : v), JQL_OK);
            /* a key waiting to be merged is found before any read by position */
            if (j % 101 == 0 && gone)
                ck_assert_ptr_null(key_lookup(ds, what, k));
            else if (j % 101 == 0)
                ck_assert_str_eq(key_lookup(ds, what, k), v);
            if (read_between && j % 500 == 250) /* a read by position merges them */
                ck_assert_ptr_nonnull(key_at(ds, what, 0, false));
        }
    return ds;
}

START_TEST(keys_out_of_order)
{
    size_t asc[KEYS], desc[KEYS], shuf[KEYS];
    for (size_t i = 0; i < KEYS; i++)
        asc[i] = shuf[i] = i, desc[i] = KEYS - 1 - i;
    uint64_t x = 88172645463325252u;
    for (size_t i = KEYS; i-- > 1;) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t j = (size_t)(x % (i + 1)), t = shuf[i];
        shuf[i] = shuf[j], shuf[j] = t;
    }
    const size_t *orders[] = {desc, shuf};
    for (int what = 0; what < 3; what++) {
        jql_dataset *ref = keys_dataset(what, asc, false);
        char *want = NULL;
        ck_assert_int_eq(jql_dataset_to_json(ref, &want, NULL), JQL_OK);
        for (int o = 0; o < 2; o++)
            for (int between = 0; between < 2; between++) {
                jql_dataset *ds = keys_dataset(what, orders[o], between);
                char k[16], v[32];
                /* looked up before the first read by position */
                for (size_t i = 0; i < KEYS; i += 13) {
                    key_name(k, sizeof k, i);
                    snprintf(v, sizeof v, "v%zu.1", i);
                    if (i % 7 == 0)
                        ck_assert_ptr_null(key_lookup(ds, what, k));
                    else
                        ck_assert_str_eq(key_lookup(ds, what, k), v);
                }
                ck_assert_uint_eq(key_count(ds, what), KEYS - (KEYS + 6) / 7);
                size_t at = 0;
                for (size_t i = 0; i < KEYS; i++) {
                    if (i % 7 == 0)
                        continue;
                    key_name(k, sizeof k, i);
                    snprintf(v, sizeof v, "v%zu.1", i);
                    ck_assert_str_eq(key_at(ds, what, at, false), k);
                    ck_assert_str_eq(key_at(ds, what, at, true), v);
                    at++;
                }
                ck_assert_ptr_null(key_at(ds, what, at, false));
                key_name(k, sizeof k, 1);
                ck_assert_str_eq(key_lookup(ds, what, k), "v1.1");
                char *got = NULL;
                ck_assert_int_eq(jql_dataset_to_json(ds, &got, NULL), JQL_OK);
                ck_assert_str_eq(got, want);
                jql_free(got);
                jql_dataset_free(ds);
            }
        jql_free(want);
        jql_dataset_free(ref);
    }
}
END_TEST

static Suite *metadata_suite(void)
{
    Suite *s = suite_create("metadata");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, load_query_and_round_trip);
    tcase_add_test(tc, load_errors);
    tcase_add_test(tc, ids_in_nfc);
    tcase_add_test(tc, out_of_memory);
    tcase_add_test(tc, keys_out_of_order);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return test_run_suite(metadata_suite()); }
