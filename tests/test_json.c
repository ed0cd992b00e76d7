/* Loading and saving datasets: values read, files, atomic writes, locale, out of memory. */
#include <dirent.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static jql_date d(int y, int m, int day)
{
    jql_date out;
    ck_assert_int_eq(jql_date_from_ymd(y, m, day, &out), JQL_OK);
    return out;
}

static size_t unit(const jql_dataset *ds, const char *id)
{
    size_t i;
    ck_assert_int_eq(jql_unit_find(ds, id, &i), JQL_OK);
    return i;
}

START_TEST(small_values)
{
    jql_dataset *ds = test_load_dataset(test_data("valid/small.json"));
    ck_assert_str_eq(jql_dataset_name(ds), "Sở Tư pháp tỉnh Long An — bộ dữ liệu nhỏ");
    ck_assert_str_eq(jql_dataset_description(ds),
                     "Dữ liệu kiểm thử: mọi loại bản ghi, mọi trường tuỳ chọn.\n"
                     "Dòng thứ hai có \"ngoặc kép\", dấu \\ và tab\t.");

    /* units: file order kept; the commune names its parent before it appears */
    ck_assert_uint_eq(jql_unit_count(ds), 4);
    ck_assert_str_eq(jql_unit_id(ds, 1), "xa-binh-tam");
    ck_assert_uint_eq(jql_unit_parent(ds, 1), unit(ds, "tan-an"));
    ck_assert_uint_eq(jql_unit_parent(ds, 2), 0);
    ck_assert_uint_eq(jql_unit_parent(ds, 0), JQL_NONE);
    ck_assert_uint_eq(jql_unit_depth(ds, 1), 2);
    ck_assert_str_eq(jql_unit_name(ds, 2), "Phòng Tư pháp thành phố Tân An");
    ck_assert_str_eq(jql_unit_level(ds, 2), "district");
    ck_assert_str_eq(jql_unit_cluster(ds, 2), "cum-2");
    ck_assert_ptr_null(jql_unit_cluster(ds, 0));
    ck_assert_uint_eq(jql_unit_attr_count(ds, 2), 2);
    ck_assert_str_eq(jql_unit_attr_lookup(ds, 2, "dân số"), "145.120");
    ck_assert_str_eq(jql_unit_attr_lookup(ds, 2, "kind"), "thành phố");

    /* declared periods replace the calendar range */
    ck_assert_uint_eq(jql_period_count(ds), 2);
    jql_date s, e;
    ck_assert_int_eq(jql_period_resolve(ds, "2014-Q1", NULL, &s, &e), JQL_OK);
    ck_assert_int_eq(s, d(2013, 12, 15));
    ck_assert_int_eq(e, d(2014, 3, 14));
    ck_assert_str_eq(jql_period_name(ds, 0), "Quý I/2014 (15/12/2013 – 14/3/2014)");
    ck_assert_ptr_null(jql_period_name(ds, 1));

    ck_assert_uint_eq(jql_indicator_count(ds), 2);
    ck_assert_int_eq(jql_indicator_aggregation(ds, 0), JQL_AGG_LAST);
    ck_assert_int_eq(jql_indicator_aggregation(ds, 1), JQL_AGG_SUM);
    ck_assert_str_eq(jql_indicator_measure_unit(ds, 0), "việc");
    ck_assert_str_eq(jql_indicator_field(ds, 0), "civil-status");
    ck_assert_ptr_null(jql_indicator_field(ds, 1));

    /* numbers are exact thousandths */
    ck_assert_uint_eq(jql_stat_count(ds), 5);
    ck_assert_int_eq(jql_stat_value(ds, 0), 1234000);
    ck_assert_int_eq(jql_stat_value(ds, 1), 1500);
    ck_assert_int_eq(jql_stat_value(ds, 2), 250);
    ck_assert_int_eq(jql_stat_value(ds, 3), 0);
    ck_assert_int_eq(jql_stat_value(ds, 4), JQL_MILLI_MAX);
    ck_assert_str_eq(jql_stat_period(ds, 2), "thang-5-2014");

    ck_assert_uint_eq(jql_report_count(ds), 2);
    ck_assert_int_eq(jql_report_due(ds, 0), d(2014, 3, 15));
    ck_assert_int_eq(jql_report_submitted(ds, 0), d(2014, 3, 18));
    ck_assert(jql_report_complete(ds, 0));
    ck_assert_int_eq(jql_report_submitted(ds, 1), JQL_NO_DATE);
    ck_assert(!jql_report_complete(ds, 1));

    ck_assert_uint_eq(jql_task_count(ds), 3);
    ck_assert_int_eq(jql_task_get_status(ds, 0), JQL_TASK_DONE);
    ck_assert_int_eq(jql_task_completed(ds, 0), d(2014, 6, 20));
    ck_assert_uint_eq(jql_task_owner_count(ds, 0), 2);
    ck_assert_uint_eq(jql_task_owner(ds, 0, 1), unit(ds, "duc-hoa"));
    ck_assert_str_eq(jql_task_period(ds, 0), "2014-Q2");
    ck_assert_int_eq(jql_task_get_status(ds, 1), JQL_TASK_IN_PROGRESS);
    ck_assert_int_eq(jql_task_completed(ds, 1), JQL_NO_DATE);
    ck_assert_ptr_null(jql_task_field(ds, 1));
    ck_assert_ptr_null(jql_task_period(ds, 1));

    ck_assert_uint_eq(jql_shortcoming_count(ds), 2);
    ck_assert_uint_eq(jql_shortcoming_cause_count(ds, 0), 2);
    ck_assert_str_eq(jql_shortcoming_cause_kind(ds, 0, 1), "objective");
    ck_assert_str_eq(jql_shortcoming_cause_text(ds, 0, 0), "Tính chủ động chưa cao");
    ck_assert_str_eq(jql_shortcoming_resolved(ds, 0), "2014-H1");
    ck_assert_ptr_null(jql_shortcoming_resolved(ds, 1));
    ck_assert_uint_eq(jql_shortcoming_unit_count(ds, 1), 0);

    ck_assert_uint_eq(jql_directive_count(ds), 2);
    ck_assert_uint_eq(jql_directive_issuer(ds, 0), 0);
    ck_assert_uint_eq(jql_directive_unit_count(ds, 0), 1);
    ck_assert_uint_eq(jql_directive_level_count(ds, 0), 2);
    ck_assert_str_eq(jql_directive_answer(ds, 0, 1), "q2-hien-phap");
    ck_assert_int_eq(jql_directive_get_status(ds, 0), JQL_DIRECTIVE_DONE);
    ck_assert_int_eq(jql_directive_completed(ds, 0), d(2014, 6, 25));
    ck_assert_int_eq(jql_directive_due(ds, 1), JQL_NO_DATE);

    ck_assert_uint_eq(jql_assessment_count(ds), 3);
    ck_assert_int_eq(jql_assessment_self(ds, 0), 3000);
    ck_assert_int_eq(jql_assessment_appraised(ds, 0), 2500);
    ck_assert_int_eq(jql_assessment_self(ds, 1), JQL_NO_SCORE);
    ck_assert_int_eq(jql_assessment_appraised(ds, 1), 125);
    ck_assert(jql_assessment_not_applicable(ds, 1));
    ck_assert(!jql_assessment_not_applicable(ds, 2));
    ck_assert_ptr_null(jql_assessment_evidence(ds, 2));

    ck_assert_uint_eq(jql_event_count(ds), 2);
    ck_assert_int_eq(jql_event_points(ds, 0), 2000);
    ck_assert_int_eq(jql_event_points(ds, 1), JQL_NO_SCORE);
    ck_assert_str_eq(jql_event_evidence(ds, 0), "Quyết định khen thưởng số 5");
    ck_assert_ptr_null(jql_event_text(ds, 1));
    jql_dataset_free(ds);
}
END_TEST

START_TEST(escapes_decoded)
{
    jql_dataset *ds = test_load_dataset(test_data("valid/escapes.json"));
    ck_assert_str_eq(jql_dataset_name(ds), "control \x01\x1f\b\f\r and \"quotes\" \\ / slash");
    ck_assert_str_eq(jql_unit_id(ds, 0), "a/b~c");
    ck_assert_str_eq(jql_unit_attr_lookup(ds, 0, "a\"b"), "\\");
    ck_assert_str_eq(jql_unit_attr_lookup(ds, 0, "z"), "Ω");
    jql_dataset_free(ds);
}
END_TEST

START_TEST(buffer_not_nul_terminated)
{
    static const char text[] = "{\"format\": \"justice-quarterly/dataset 1.0\", \"name\": \"x\"}";
    size_t n = sizeof text - 1;
    char *exact = malloc(n); /* no terminator: valgrind/ASan catch reads past the end */
    memcpy(exact, text, n);
    jql_dataset *ds = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(exact, n, NULL, &ds, NULL), JQL_OK);
    ck_assert_str_eq(jql_dataset_name(ds), "x");
    jql_dataset_free(ds);
    /* cut inside the value: an error, not a read past the end */
    jql_diagnostics *diag = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(exact, n - 5, NULL, &ds, &diag), JQL_EINVALID);
    ck_assert_ptr_null(ds);
    ck_assert_uint_eq(jql_diagnostics_column(diag, 0), n - 4); /* where the input ends */
    jql_diagnostics_free(diag);
    free(exact);
}
END_TEST

START_TEST(bad_arguments)
{
    jql_dataset *ds = (jql_dataset *)1;
    jql_diagnostics *diag = (jql_diagnostics *)1;
    ck_assert_int_eq(jql_dataset_load_buffer(NULL, 3, NULL, &ds, &diag), JQL_EINVALID);
    ck_assert_ptr_null(ds);
    ck_assert_ptr_null(diag);
    ck_assert_int_eq(jql_dataset_load_buffer("{}", 2, NULL, NULL, NULL), JQL_EINVALID);
    char *out = (char *)1;
    ck_assert_int_eq(jql_dataset_to_json(NULL, &out, NULL), JQL_EINVALID);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(jql_dataset_save_file(NULL, stdout), JQL_EINVALID);
    ck_assert_int_eq(jql_file_write_atomic(NULL, "x", 1), JQL_EINVALID);
    ck_assert_int_eq(jql_dataset_load_file(NULL, "x", &ds, NULL), JQL_EINVALID);
}
END_TEST

START_TEST(load_path_errors)
{
    jql_dataset *ds = (jql_dataset *)1;
    jql_diagnostics *diag = (jql_diagnostics *)1;
    ck_assert_int_eq(jql_dataset_load_path("/nonexistent/dir/x.json", &ds, &diag), JQL_EIO);
    ck_assert_ptr_null(ds);
    ck_assert_ptr_null(diag);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "/nonexistent/dir/x.json"));
    ck_assert_ptr_nonnull(strstr(jql_last_error(), strerror(ENOENT)));
    /* a directory opens but cannot be read */
    ck_assert_int_eq(jql_dataset_load_path("/", &ds, NULL), JQL_EIO);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), strerror(EISDIR)));
}
END_TEST

START_TEST(load_from_stream)
{
    FILE *fp = fopen(test_data("valid/small.json"), "rb");
    ck_assert_ptr_nonnull(fp);
    jql_dataset *ds = NULL;
    jql_diagnostics *diag = NULL;
    ck_assert_int_eq(jql_dataset_load_file(fp, "<stdin>", &ds, &diag), JQL_OK);
    ck_assert_uint_eq(jql_diagnostics_count(diag), 0);
    ck_assert_str_eq(jql_diagnostics_source(diag), "<stdin>");
    ck_assert_uint_eq(jql_unit_count(ds), 4);
    jql_diagnostics_free(diag);
    jql_dataset_free(ds);
    fclose(fp);

    /* errors name the given source */
    fp = tmpfile();
    fputs("{\"format\": \"justice-quarterly/dataset 1.0\",\n \"oops\": 1}", fp);
    rewind(fp);
    ck_assert_int_eq(jql_dataset_load_file(fp, "<stdin>", &ds, &diag), JQL_EINVALID);
    ck_assert_str_eq(jql_diagnostics_source(diag), "<stdin>");
    ck_assert_str_eq(jql_last_error(), "<stdin>:2:2: /oops: unknown key \"oops\"");
    jql_diagnostics_free(diag);
    fclose(fp);
}
END_TEST

static char tmpdir[256];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/jql-json-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

/* Number of entries in tmpdir (besides . and ..). */
static int tmpdir_entries(void)
{
    DIR *dir = opendir(tmpdir);
    ck_assert_ptr_nonnull(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dir)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(dir);
    return n;
}

START_TEST(save_and_reload)
{
    make_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/out.json", tmpdir);
    jql_dataset *ds = test_load_dataset(test_data("valid/small.json"));
    ck_assert_int_eq(jql_dataset_save_path(ds, path), JQL_OK);
    size_t n1, n2;
    char *want = test_read_file(test_data("valid/small.json"), &n1);
    char *got = test_read_file(path, &n2);
    ck_assert_str_eq(got, want);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0644);
    free(got);

    /* an existing file keeps its mode when replaced */
    ck_assert_int_eq(chmod(path, 0600), 0);
    ck_assert_int_eq(jql_dataset_save_path(ds, path), JQL_OK);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    ck_assert_int_eq(tmpdir_entries(), 1); /* no temporary left behind */

    /* save_file writes the same bytes */
    FILE *fp = tmpfile();
    ck_assert_int_eq(jql_dataset_save_file(ds, fp), JQL_OK);
    ck_assert_int_eq(ftell(fp), (long)n1);
    rewind(fp);
    char *back = calloc(1, n1 + 1);
    ck_assert_uint_eq(fread(back, 1, n1 + 1, fp), n1);
    ck_assert_str_eq(back, want);
    free(back);
    fclose(fp);

    /* a stream opened for reading cannot be written */
    fp = fopen(path, "r");
    ck_assert_int_eq(jql_dataset_save_file(ds, fp), JQL_EIO);
    fclose(fp);

    free(want);
    jql_dataset_free(ds);
    unlink(path);
    rmdir(tmpdir);
}
END_TEST

START_TEST(atomic_write_failures)
{
    make_tmpdir();
    char path[512];
    /* the directory does not exist: nothing can be created */
    snprintf(path, sizeof path, "%s/missing/out.json", tmpdir);
    ck_assert_int_eq(jql_file_write_atomic(path, "x", 1), JQL_EIO);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), path));
    ck_assert_ptr_nonnull(strstr(jql_last_error(), strerror(ENOENT)));

    /* the target is a directory: the rename fails and the temporary is removed */
    snprintf(path, sizeof path, "%s/sub", tmpdir);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    ck_assert_int_eq(jql_file_write_atomic(path, "abc", 3), JQL_EIO);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), path));
    ck_assert_ptr_nonnull(strstr(jql_last_error(), strerror(EISDIR)));
    ck_assert_int_eq(tmpdir_entries(), 1);
    rmdir(path);

    /* an existing file is replaced whole */
    snprintf(path, sizeof path, "%s/f.txt", tmpdir);
    ck_assert_int_eq(jql_file_write_atomic(path, "first version", 13), JQL_OK);
    ck_assert_int_eq(jql_file_write_atomic(path, "2nd", 3), JQL_OK);
    size_t n;
    char *got = test_read_file(path, &n);
    ck_assert_str_eq(got, "2nd");
    free(got);
    ck_assert_int_eq(jql_file_write_atomic(path, NULL, 0), JQL_OK);
    got = test_read_file(path, &n);
    ck_assert_uint_eq(n, 0);
    free(got);
    unlink(path);
    rmdir(tmpdir);
}
END_TEST

/* Make a de_DE.UTF-8 locale available: installed, or compiled into a temp dir. */
static bool german_locale(char *locdir, size_t size)
{
    locdir[0] = '\0';
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8"))
        return true;
    snprintf(locdir, size, "/tmp/jql-locale-XXXXXX");
    if (!mkdtemp(locdir))
        return false;
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1", locdir);
    if (system(cmd) != 0)
        return false;
    setenv("LOCPATH", locdir, 1);
    return setlocale(LC_NUMERIC, "de_DE.UTF-8") != NULL;
}

START_TEST(locale_independent)
{
    size_t n;
    char *want = test_read_file(test_data("valid/small.json"), &n);
    char locdir[256];
    bool have = german_locale(locdir, sizeof locdir);
    if (!have) {
        fprintf(stderr, "# SKIP locale part: no de_DE.UTF-8 locale and localedef failed\n");
    } else {
        struct lconv *lc = localeconv();
        ck_assert_str_eq(lc->decimal_point, ","); /* the locale really is active */
    }
    jql_dataset *ds = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(want, n, NULL, &ds, NULL), JQL_OK);
    ck_assert_int_eq(jql_stat_value(ds, 1), 1500);
    char *out;
    ck_assert_int_eq(jql_dataset_to_json(ds, &out, NULL), JQL_OK);
    ck_assert_str_eq(out, want);
    jql_free(out);
    jql_dataset_free(ds);
    setlocale(LC_NUMERIC, "C");
    if (locdir[0]) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf %s", locdir);
        ck_assert_int_eq(system(cmd), 0);
        unsetenv("LOCPATH");
    }
    free(want);
}
END_TEST

START_TEST(out_of_memory_load)
{
    size_t n;
    char *text = test_read_file(test_data("valid/small.json"), &n);
    test_install_failing_allocator();
    long k;
    for (k = 0;; k++) {
        jql_dataset *ds = (jql_dataset *)1;
        jql_diagnostics *diag = NULL;
        test_fail_after(k);
        int rc = jql_dataset_load_buffer(text, n, "small.json", &ds, &diag);
        /* on until a load makes no more allocations: past a first success
           whose failure was made up for, too */
        bool hit = test_alloc_count() > k;
        if (rc == JQL_OK) {
            test_fail_after(-1);
            ck_assert_uint_eq(jql_unit_count(ds), 4);
            ck_assert_uint_eq(jql_event_count(ds), 2);
            jql_diagnostics_free(diag);
            jql_dataset_free(ds);
            if (!hit)
                break;
            continue;
        }
        ck_assert_msg(rc == JQL_ENOMEM, "allocation %ld: %s (%s)", k, jql_strerror(rc),
                      jql_last_error());
        ck_assert_ptr_null(ds);
        ck_assert_ptr_null(diag);
    }
    test_fail_after(-1);
    ck_assert_int_gt(k, 50); /* the loop really went through the loader */
    ck_assert_int_eq(jql_allocator_set(NULL, NULL, NULL), JQL_OK);
    free(text);
}
END_TEST

START_TEST(out_of_memory_invalid)
{
    /* failures while collecting diagnostics are JQL_ENOMEM too, never half a list */
    size_t n;
    char *text = test_read_file(test_data("invalid/multi.json"), &n);
    test_install_failing_allocator();
    for (long k = 0;; k++) {
        jql_dataset *ds = NULL;
        jql_diagnostics *diag = NULL;
        test_fail_after(k);
        int rc = jql_dataset_load_buffer(text, n, "multi.json", &ds, &diag);
        bool hit = test_alloc_count() > k; /* on past a failure made up for */
        test_fail_after(-1);
        ck_assert_ptr_null(ds);
        if (rc == JQL_EINVALID) {
            ck_assert_uint_eq(jql_diagnostics_count(diag), 10);
            jql_diagnostics_free(diag);
            if (!hit)
                break;
            continue;
        }
        ck_assert_msg(rc == JQL_ENOMEM, "allocation %ld: %s", k, jql_strerror(rc));
        ck_assert_ptr_null(diag);
    }
    ck_assert_int_eq(jql_allocator_set(NULL, NULL, NULL), JQL_OK);
    free(text);
}
END_TEST

START_TEST(out_of_memory_save)
{
    jql_dataset *ds = test_load_dataset(test_data("valid/small.json"));
    test_install_failing_allocator();
    for (long k = 0;; k++) {
        char *out = (char *)1;
        test_fail_after(k);
        int rc = jql_dataset_to_json(ds, &out, NULL);
        bool hit = test_alloc_count() > k; /* on past a failure made up for */
        test_fail_after(-1);
        if (rc == JQL_OK) {
            jql_free(out);
            if (!hit)
                break;
            continue;
        }
        ck_assert_int_eq(rc, JQL_ENOMEM);
        ck_assert_ptr_null(out);
    }
    test_fail_after(0);
    ck_assert_int_eq(jql_dataset_save_path(ds, "/tmp/never-written.json"), JQL_ENOMEM);
    test_fail_after(-1);
    ck_assert_int_eq(jql_allocator_set(NULL, NULL, NULL), JQL_OK);
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("load");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, small_values);
    tcase_add_test(tc, escapes_decoded);
    tcase_add_test(tc, buffer_not_nul_terminated);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, load_path_errors);
    tcase_add_test(tc, load_from_stream);
    suite_add_tcase(s, tc);
    TCase *ts = tcase_create("save");
    tcase_set_timeout(ts, 120);
    tcase_add_test(ts, save_and_reload);
    tcase_add_test(ts, atomic_write_failures);
    tcase_add_test(ts, locale_independent);
    suite_add_tcase(s, ts);
    TCase *tm = tcase_create("memory");
    tcase_set_timeout(tm, 300);
    tcase_add_test(tm, out_of_memory_load);
    tcase_add_test(tm, out_of_memory_invalid);
    tcase_add_test(tm, out_of_memory_save);
    suite_add_tcase(s, tm);
    return test_run_suite(s);
}
