/* libFuzzer harness for the engine: the input is a dataset and a criteria
   set separated by the first NUL byte (JSON text never holds a raw NUL,
   so the seeds are "dataset.json \0 criteria.json"). When both load, the
   set is scored on the dataset, over its own period and over an optional
   period id given after a second NUL; the results are serialised, read
   through every accessor and must be deterministic. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data, *crit;
    size_t ds_len, crit_len;
    char period[64];
    if (!fuzz_split(data, size, &ds_len, &crit, &crit_len, period))
        return 0;

    jql_dataset *ds = NULL;
    jql_diagnostics *diag = NULL;
    int rc = jql_dataset_load_buffer(text, ds_len, "<fuzz-dataset>", &ds, &diag);
    fuzz_check_diag(diag);
    if (rc != JQL_OK)
        fuzz_check_refusal(rc, ds, diag);
    jql_diagnostics_free(diag);
    if (rc != JQL_OK)
        return 0;
    jql_criteria *c = NULL;
    diag = NULL;
    rc = jql_criteria_load_buffer(crit, crit_len, "<fuzz-criteria>", &c, &diag);
    fuzz_check_diag(diag);
    if (rc != JQL_OK)
        fuzz_check_refusal(rc, c, diag);
    jql_diagnostics_free(diag);
    if (rc != JQL_OK) {
        jql_dataset_free(ds);
        return 0;
    }
    fuzz_walk_criteria(c);
    jql_diagnostics *check = NULL;
    rc = jql_criteria_check(c, ds, &check);
    FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID);
    fuzz_check_diag(check);
    jql_diagnostics_free(check);
    fuzz_register_customs(c);
    fuzz_score_and_dump(ds, c, NULL);
    if (period[0])
        fuzz_score_and_dump(ds, c, period);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    return 0;
}
