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
 *   tally_print --task-status DATASET PERIOD
 *
 * prints the tasks by status, "<jql_task_status_name>=count" for every
 * status: every task ("-"), or those due in PERIOD (jql_tasks_due).
 *
 *   tally_print --labels DATASET
 *
 * prints the dataset's labels ("label KIND ID LANG=NAME") and documents
 * ("document PERIOD FIELD=VALUE"), one per line, backslash and newline
 * escaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <justice_quarterly.h>

static const char *arg(const char *s)
{
    return strcmp(s, "-") == 0 ? NULL : s;
}

static int task_status(const jql_dataset *ds, const char *period)
{
    size_t n = jql_task_count(ds), count[JQL_TASK_STATUS_COUNT] = {0};
    size_t *list = malloc((n + 1) * sizeof *list);
    if (!list)
        return 1;
    size_t k = n;
    if (period) {
        if (jql_tasks_due(ds, NULL, period, list, n, &k) != JQL_OK) {
            fprintf(stderr, "tasks due: %s\n", jql_last_error());
            free(list);
            return 1;
        }
    } else {
        for (size_t i = 0; i < n; i++)
            list[i] = i;
    }
    for (size_t i = 0; i < k; i++) {
        jql_task_status st = jql_task_get_status(ds, list[i]);
        if ((unsigned)st < JQL_TASK_STATUS_COUNT)
            count[st]++;
    }
    free(list);
    for (int st = 0; st < JQL_TASK_STATUS_COUNT; st++)
        printf("%s=%zu\n", jql_task_status_name((jql_task_status)st), count[st]);
    return 0;
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

static jql_dataset *load(const char *path)
{
    jql_dataset *ds = NULL;
    jql_diagnostics *diag = NULL;
    if (jql_dataset_load_path(path, &ds, &diag) != JQL_OK)
        fprintf(stderr, "%s: cannot load: %s\n", path, jql_last_error());
    jql_diagnostics_free(diag);
    return ds;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--task-status") == 0) {
        jql_dataset *ds = load(argv[2]);
        int rc = ds ? task_status(ds, arg(argv[3])) : 1;
        jql_dataset_free(ds);
        return rc;
    }
    if (argc == 3 && strcmp(argv[1], "--labels") == 0) {
        jql_dataset *ds = load(argv[2]);
        int rc = ds ? print_labels(ds) : 1;
        jql_dataset_free(ds);
        return rc;
    }
    if (argc != 7) {
        fprintf(stderr, "usage: tally_print DATASET UNIT PERIOD AS_OF REPORT_KIND ROLLUP\n"
                        "       tally_print --task-status DATASET PERIOD\n"
                        "       tally_print --labels DATASET\n");
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
