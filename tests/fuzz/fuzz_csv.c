/* libFuzzer harness: jql_csv_import_buffer() on arbitrary bytes, into a
   small dataset. The first byte chooses the kind, separator and decimal
   mark (stated or detected). Accepted: the dataset still saves, loads and
   saves again to the same bytes. Refused: a clean status with located
   diagnostics, and the dataset exactly as it was (all or nothing).
   The same bytes imported in place (JQL_CSV_IN_PLACE, no working copy)
   give the same status and messages, and on success the same dataset. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base_json[] =
    "{\"format\": \"justice-quarterly/dataset 1.0\", \"units\": ["
    "{\"id\": \"p\", \"name\": \"Sở\", \"level\": \"province\"},"
    "{\"id\": \"a\", \"name\": \"Phòng A\", \"level\": \"district\", \"parent\": \"p\"},"
    "{\"id\": \"b\", \"name\": \"Phòng B\", \"level\": \"district\", \"parent\": \"p\"}],"
    "\"indicators\": [{\"id\": \"x\", \"name\": \"Số vụ\"}, {\"id\": \"y\", \"name\": \"Tỷ lệ\"}],"
    "\"tasks\": [{\"id\": \"t\", \"title\": \"T\", \"units\": [\"a\"], \"due\": \"2014-03-01\","
    " \"status\": \"pending\"}]}";

/* The diagnostics of the two imports, entry by entry. */
static void same_diagnostics(const jql_diagnostics *a, const jql_diagnostics *b)
{
    size_t n = jql_diagnostics_count(a);
    FUZZ_ASSERT(n == jql_diagnostics_count(b));
    for (size_t i = 0; i < n; i++) {
        FUZZ_ASSERT(strcmp(jql_diagnostics_message(a, i), jql_diagnostics_message(b, i)) == 0);
        FUZZ_ASSERT(strcmp(jql_diagnostics_path(a, i), jql_diagnostics_path(b, i)) == 0);
        FUZZ_ASSERT(jql_diagnostics_line(a, i) == jql_diagnostics_line(b, i));
        FUZZ_ASSERT(jql_diagnostics_column(a, i) == jql_diagnostics_column(b, i));
    }
}

static jql_dataset *load_base(void)
{
    jql_dataset *ds = NULL;
    FUZZ_ASSERT(jql_dataset_load_buffer(base_json, sizeof base_json - 1, "base", &ds, NULL) ==
                JQL_OK);
    return ds;
}

/* Import in place into a fresh base dataset: the status and messages of
   the copying import, and on success its dataset's bytes (`after`). */
static void in_place_agrees(const uint8_t *data, size_t size, jql_csv_options o, int rc,
                            const jql_diagnostics *diag, const char *after)
{
    jql_dataset *ds = load_base();
    o.flags |= JQL_CSV_IN_PLACE;
    jql_diagnostics *d2 = NULL;
    int rc2 = jql_csv_import_buffer(ds, (const char *)data + 1, size - 1, "<fuzz>", &o, &d2);
    FUZZ_ASSERT(rc2 == rc);
    same_diagnostics(diag, d2);
    if (rc == JQL_OK) {
        char *mine = NULL;
        FUZZ_ASSERT(jql_dataset_to_json(ds, &mine, NULL) == JQL_OK);
        FUZZ_ASSERT(strcmp(mine, after) == 0);
        jql_free(mine);
    }
    jql_diagnostics_free(d2);
    jql_dataset_free(ds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    jql_csv_options o = JQL_CSV_OPTIONS_INIT;
    unsigned sel = data[0];
    o.kind = (jql_csv_kind)(sel % 10);
    o.separator = (sel / 10) % 3 == 0 ? 0 : (sel / 10) % 3 == 1 ? ',' : ';';
    o.decimal_mark = (sel / 30) % 3 == 0 ? 0 : (sel / 30) % 3 == 1 ? '.' : ',';
    o.period = (sel & 0x80) ? "2014-Q1" : NULL;
    jql_dataset *ds = load_base();
    char *before = NULL, *after = NULL;
    FUZZ_ASSERT(jql_dataset_to_json(ds, &before, NULL) == JQL_OK);
    jql_diagnostics *diag = NULL;
    int rc = jql_csv_import_buffer(ds, (const char *)data + 1, size - 1, "<fuzz>", &o, &diag);
    fuzz_check_diag(diag);
    FUZZ_ASSERT(jql_dataset_to_json(ds, &after, NULL) == JQL_OK);
    in_place_agrees(data, size, o, rc, diag, after);
    if (rc == JQL_OK) {
        FUZZ_ASSERT(jql_diagnostics_error_count(diag) == 0);
        fuzz_check_roundtrip(ds);
    } else {
        FUZZ_ASSERT(rc == JQL_EINVALID || rc == JQL_ELIMIT);
        FUZZ_ASSERT(jql_diagnostics_error_count(diag) > 0);
        FUZZ_ASSERT(strcmp(before, after) == 0);
    }
    jql_free(after);
    jql_free(before);
    jql_dataset_free(ds);
    jql_diagnostics_free(diag);
    return 0;
}
