/* libFuzzer harness: jql_dataset_load_buffer() on arbitrary bytes.
   Accepted: the dataset checks clean, and saving, loading the save and
   saving again gives the same bytes (nothing is lost or altered).
   Refused: a clean status with located diagnostics. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    jql_dataset *ds = NULL;
    jql_diagnostics *diag = NULL;
    int rc = jql_dataset_load_buffer((const char *)data, size, "<fuzz>", &ds, &diag);
    fuzz_check_diag(diag);
    if (rc == JQL_OK) {
        FUZZ_ASSERT(ds != NULL);
        FUZZ_ASSERT(jql_diagnostics_error_count(diag) == 0);
        jql_diagnostics *check = NULL;
        FUZZ_ASSERT(jql_dataset_check(ds, &check) == JQL_OK);
        fuzz_check_diag(check);
        jql_diagnostics_free(check);
        fuzz_check_roundtrip(ds);
    } else {
        fuzz_check_refusal(rc, ds, diag);
    }
    jql_dataset_free(ds);
    jql_diagnostics_free(diag);
    return 0;
}
