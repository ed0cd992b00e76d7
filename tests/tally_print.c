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
 *
 *   tally_print --standings DATASET PERIOD AS_OF
 *
 * prints each report of PERIOD (jql_reports_in_period) as the library
 * judges it (jql_report_get_standing): "report UNIT KIND OWN_PERIOD=STANDING
 * DAYS INCOMPLETE" (DAYS "-" unless on time or late, INCOMPLETE 0 or 1), and
 * for jql-report's problem list "problem KIND|UNIT NAME|STATUS|DAYS" for
 * each report missing, late or incomplete.
 *
 *   tally_print --directives DATASET PERIOD AS_OF
 *
 * prints the directives due in PERIOD and issued by AS_OF
 * (jql_directives_due) as "directive ID=done|open" and "directive-text
 * TEXT=done|open" by jql_directive_done_by.
 *
 *   tally_print --changes DATASET PERIOD
 *
 * prints jql_indicator_value_change() (rolled up) of every unit and
 * indicator that has one, "change UNIT INDICATOR=PERCENT" (PERCENT in %,
 * three decimals), and for jql-report's matrix one line per row (the units
 * under the roots, then the roots) "row N=P1 P2 ...": the change of each
 * indicator to 0.1%, in tenths (jql_milli_muldiv(delta, 1000, previous)).
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


static int standings(const jql_dataset *ds, const char *period, const char *as_of_text)
{
    jql_date as_of = JQL_NO_DATE;
    size_t n = 0;
    if ((as_of_text && jql_date_parse(as_of_text, &as_of) != JQL_OK) ||
        jql_reports_in_period(ds, NULL, period, NULL, NULL, 0, &n) != JQL_OK) {
        fprintf(stderr, "standings: %s\n", jql_last_error());
        return 1;
    }
    size_t *list = malloc((n + 1) * sizeof *list);
    if (!list || jql_reports_in_period(ds, NULL, period, NULL, list, n, &n) != JQL_OK) {
        free(list);
        return 1;
    }
    for (size_t k = 0; k < n; k++) {
        size_t r = list[k];
        jql_report_standing st;
        int32_t days;
        bool inc;
        if (jql_report_get_standing(ds, r, as_of, &st, &days, &inc) != JQL_OK) {
            free(list);
            return 1;
        }
        const char *unit = jql_unit_id(ds, jql_report_unit(ds, r));
        printf("report %s %s %s=%s ", unit, jql_report_kind(ds, r), jql_report_period(ds, r),
               jql_report_standing_name(st));
        if (days >= 0)
            printf("%d %d\n", (int)days, (int)inc);
        else
            printf("- %d\n", (int)inc);
        const char *status = st == JQL_REPORT_STANDING_MISSING ? "Not submitted"
                             : st == JQL_REPORT_STANDING_LATE  ? (inc ? "Late, Incomplete" : "Late")
                             : inc                             ? "Incomplete"
                                                               : NULL;
        if (status && st != JQL_REPORT_STANDING_NOT_DUE) {
            printf("problem %s|%s|%s|", jql_report_kind(ds, r),
                   jql_unit_name(ds, jql_report_unit(ds, r)), status);
            if (days > 0)
                printf("%d\n", (int)days);
            else
                printf("-\n");
        }
    }
    free(list);
    return 0;
}

static int directives(const jql_dataset *ds, const char *period, const char *as_of_text)
{
    jql_date as_of = JQL_NO_DATE;
    size_t n = 0;
    if ((as_of_text && jql_date_parse(as_of_text, &as_of) != JQL_OK) ||
        jql_directives_due(ds, NULL, period, NULL, 0, &n) != JQL_OK) {
        fprintf(stderr, "directives: %s\n", jql_last_error());
        return 1;
    }
    size_t *list = malloc((n + 1) * sizeof *list);
    if (!list || jql_directives_due(ds, NULL, period, list, n, &n) != JQL_OK) {
        free(list);
        return 1;
    }
    for (size_t k = 0; k < n; k++) {
        bool done = false;
        if (as_of != JQL_NO_DATE && jql_directive_issued(ds, list[k]) > as_of)
            continue; /* not issued yet */
        if (jql_directive_done_by(ds, list[k], as_of, &done) != JQL_OK) {
            free(list);
            return 1;
        }
        printf("directive %s=%s\n", jql_directive_id(ds, list[k]), done ? "done" : "open");
        printf("directive-text %s=%s\n", jql_directive_text(ds, list[k]), done ? "done" : "open");
    }
    free(list);
    return 0;
}

/* "12.345" from thousandths, sign first. */
static void print_milli(jql_milli v)
{
    printf("%s%lld.%03lld", v < 0 ? "-" : "", (long long)(v < 0 ? -v : v) / 1000,
           (long long)(v < 0 ? -v : v) % 1000);
}

/* One matrix row of jql-report: the unit's changes to 0.1%, in tenths. */
static void change_row(const jql_dataset *ds, size_t row, size_t unit, const char *period)
{
    printf("row %zu=", row);
    const char *sep = "";
    for (size_t i = 0; i < jql_indicator_count(ds); i++) {
        jql_milli cur, prev, delta, pct, tenths;
        if (jql_indicator_value_change(ds, jql_unit_id(ds, unit), jql_indicator_id(ds, i), period,
                                       JQL_ROLLUP, &cur, &prev, &delta, &pct) != JQL_OK ||
            jql_milli_muldiv(delta, 1000, prev, &tenths) != JQL_OK)
            continue;
        printf("%s%lld", sep, (long long)tenths);
        sep = " ";
    }
    printf("\n");
}

static int changes(const jql_dataset *ds, const char *period)
{
    for (size_t u = 0; u < jql_unit_count(ds); u++)
        for (size_t i = 0; i < jql_indicator_count(ds); i++) {
            jql_milli cur, prev, delta, pct;
            int rc = jql_indicator_value_change(ds, jql_unit_id(ds, u), jql_indicator_id(ds, i),
                                                period, JQL_ROLLUP, &cur, &prev, &delta, &pct);
            if (rc == JQL_ENODATA)
                continue;
            if (rc != JQL_OK) {
                fprintf(stderr, "change: %s\n", jql_last_error());
                return 1;
            }
            printf("change %s %s=", jql_unit_id(ds, u), jql_indicator_id(ds, i));
            print_milli(pct);
            printf("\n");
        }
    /* jql-report's rows: the units under the roots, then the roots */
    size_t row = 0;
    for (size_t u = 0; u < jql_unit_count(ds); u++)
        if (jql_unit_parent(ds, u) == JQL_NONE)
            for (size_t k = 0; k < jql_unit_child_count(ds, u); k++)
                change_row(ds, ++row, jql_unit_child(ds, u, k), period);
    for (size_t u = 0; u < jql_unit_count(ds); u++)
        if (jql_unit_parent(ds, u) == JQL_NONE)
            change_row(ds, ++row, u, period);
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
    if ((argc == 5 || argc == 4) && (strcmp(argv[1], "--standings") == 0 ||
                                     strcmp(argv[1], "--directives") == 0 ||
                                     strcmp(argv[1], "--changes") == 0)) {
        jql_dataset *ds = load(argv[2]);
        int rc = !ds                                    ? 1
                 : strcmp(argv[1], "--changes") == 0    ? (argc == 4 ? changes(ds, argv[3]) : 2)
                 : argc != 5                            ? 2
                 : strcmp(argv[1], "--standings") == 0  ? standings(ds, argv[3], arg(argv[4]))
                                                        : directives(ds, argv[3], arg(argv[4]));
        jql_dataset_free(ds);
        return rc;
    }
    if (argc != 7) {
        fprintf(stderr, "usage: tally_print DATASET UNIT PERIOD AS_OF REPORT_KIND ROLLUP\n"
                        "       tally_print --task-status DATASET PERIOD\n"
                        "       tally_print --labels DATASET\n"
                        "       tally_print --standings|--directives DATASET PERIOD AS_OF\n"
                        "       tally_print --changes DATASET PERIOD\n");
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
