/* A program outside the project: built against an installed copy of the
   library with pkg-config, it loads a dataset and prints what it holds. */
#include <justice_quarterly.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    jql_dataset *ds = NULL;
    jql_diagnostics *diag = NULL;
    int rc = jql_dataset_load_path(argv[1], &ds, &diag);
    if (rc != JQL_OK) {
        fprintf(stderr, "load failed: %s\n", jql_strerror(rc));
        jql_diagnostics_free(diag);
        return 1;
    }
    printf("version %s (headers %s)\n", jql_version(), JQL_VERSION_STRING);
    printf("%zu units, first: %s\n", jql_unit_count(ds), jql_unit_name(ds, 0));
    jql_diagnostics_free(diag);
    jql_dataset_free(ds);
    return 0;
}
