/*
 * Labels (display names per language) and review documents (the
 * administrative form of a period's report): builder, loader, canonical
 * save and its round trip, load errors (docs/FORMAT.md).
 */
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
        test_fail_after(-1);
        if (rc == JQL_OK) {
            ck_assert_str_eq(out, doc);
            jql_free(out);
            jql_dataset_free(ds);
            break;
        }
        ck_assert_msg(rc == JQL_ENOMEM, "allocation %ld: %s", k, jql_strerror(rc));
        jql_dataset_free(ds);
    }
    ck_assert_int_gt(k, 10);
    ck_assert_int_eq(jql_allocator_set(NULL, NULL, NULL), JQL_OK);
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
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return test_run_suite(metadata_suite()); }
