/*
 * Prints jql_tally_compute()'s counts, one "name=value" line each, for the
 * cross-interface check tests/cli/test_tally.sh (which asks the CLIs,
 * Python and Lua the same question).
 *
 *   tally_print DATASET UNIT PERIOD AS_OF REPORT_KIND ROLLUP
 *
 * "-" stands for NULL (every unit, every period, no as-of date, every
 * kind); ROLLUP is 0 or 1.
 *
 *   tally_print DATASET --labels
 *
 * prints the dataset's labels ("label KIND ID LANG=NAME") and documents
 * ("document PERIOD FIELD=VALUE"), one per line, for the same check.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <justice_quarterly.h>

static const char *arg(const char *s)
{
    return strcmp(s, "-") == 0 ? NULL : s;
}

/* A value on one line: backslash and newline escaped as \\ and \n. */
static void put_escaped(const char *s)
{
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\\\", stdout);
        else if (*s == '\n')
            fputs("\\n", stdout);
        else
            putchar(*s);
    }
    putchar('\n');
}

static int print_labels(const jql_dataset *ds)
{
    for (size_t i = 0; i < jql_label_count(ds); i++)
        for (size_t k = 0; k < jql_label_name_count(ds, i); k++) {
            printf("label %s %s %s=", jql_label_kind(ds, i), jql_label_id(ds, i),
                   jql_label_name_lang(ds, i, k));
            put_escaped(jql_label_name_text(ds, i, k));
        }
    for (size_t i = 0; i < jql_document_count(ds); i++)
        for (size_t k = 0; k < jql_document_field_count(ds, i); k++) {
            printf("document %s %s=", jql_document_period(ds, i),
                   jql_document_field_key(ds, i, k));
            put_escaped(jql_document_field_value(ds, i, k));
        }
    return 0;
}

int main(int argc, char **argv)
{
    bool labels = argc == 3 && strcmp(argv[2], "--labels") == 0;
    if (argc != 7 && !labels) {
        fprintf(stderr, "usage: tally_print DATASET UNIT PERIOD AS_OF REPORT_KIND ROLLUP\n"
                        "       tally_print DATASET --labels\n");
        return 2;
    }
    jql_dataset *ds = NULL;
    jql_diagnostics *diag = NULL;
    if (jql_dataset_load_path(argv[1], &ds, &diag) != JQL_OK) {
        fprintf(stderr, "%s: cannot load: %s\n", argv[1], jql_last_error());
        jql_diagnostics_free(diag);
        return 1;
    }
    jql_diagnostics_free(diag);
    if (labels) {
        int rc = print_labels(ds);
        jql_dataset_free(ds);
        return rc;
    }
    jql_tally_options o = JQL_TALLY_OPTIONS_INIT;
    o.as_of = arg(argv[4]);
    o.report_kind = arg(argv[5]);
    o.flags = strcmp(argv[6], "1") == 0 ? JQL_ROLLUP : 0;
    jql_tally t = JQL_TALLY_INIT;
    int rc = jql_tally_compute(ds, arg(argv[2]), arg(argv[3]), &o, &t);
    if (rc != JQL_OK) {
        fprintf(stderr, "tally: %s\n", jql_last_error());
        jql_dataset_free(ds);
        return 1;
    }
    for (size_t f = 0; f < jql_tally_field_count(); f++) {
        size_t v = 0;
        if (jql_tally_get(&t, (jql_tally_field)f, &v) == JQL_OK)
            printf("%s=%zu\n", jql_tally_field_name((jql_tally_field)f), v);
    }
    jql_dataset_free(ds);
    return 0;
}
