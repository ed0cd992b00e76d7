/* libFuzzer harness: jql_csv_import_buffer() on arbitrary bytes, into a
   small dataset. The first byte chooses the kind, separator and decimal
   mark (stated or detected). Accepted: the dataset still saves, loads and
   saves again to the same bytes. Refused: a clean status with located
   diagnostics, and the dataset exactly as it was (all or nothing). */
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
    jql_dataset *ds = NULL;
    FUZZ_ASSERT(jql_dataset_load_buffer(base_json, sizeof base_json - 1, "base", &ds, NULL) ==
                JQL_OK);
    char *before = NULL;
    FUZZ_ASSERT(jql_dataset_to_json(ds, &before, NULL) == JQL_OK);
    jql_diagnostics *diag = NULL;
    int rc = jql_csv_import_buffer(ds, (const char *)data + 1, size - 1, "<fuzz>", &o, &diag);
    fuzz_check_diag(diag);
    if (rc == JQL_OK) {
        FUZZ_ASSERT(jql_diagnostics_error_count(diag) == 0);
        fuzz_check_roundtrip(ds);
    } else {
        FUZZ_ASSERT(rc == JQL_EINVALID || rc == JQL_ELIMIT);
        FUZZ_ASSERT(jql_diagnostics_error_count(diag) > 0);
        char *after = NULL;
        FUZZ_ASSERT(jql_dataset_to_json(ds, &after, NULL) == JQL_OK);
        FUZZ_ASSERT(strcmp(before, after) == 0);
        jql_free(after);
    }
    jql_free(before);
    jql_dataset_free(ds);
    jql_diagnostics_free(diag);
    return 0;
}
