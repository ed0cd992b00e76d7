/* jql_file_write_atomic (and so jql_dataset_save_path and the bindings'
   save): what is at the path decides. A new file gets 0666 less the umask,
   a replaced one keeps its mode, a symbolic link has its target written
   and stays a link, a directory or FIFO is refused and left alone, and no
   temporary file is left behind. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static char dir[] = "/tmp/jql-save-XXXXXX";

static const char *at(const char *name)
{
    static char buf[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static unsigned mode_of(const char *path)
{
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    return st.st_mode & 0777;
}

static char *contents(const char *path)
{
    return test_read_file(path, NULL);
}

/* Entries of the directory (temporary files would show up here). */
static int entries(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void setup(void)
{
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    strcpy(dir, "/tmp/jql-save-XXXXXX");
}

START_TEST(new_files_honour_the_umask)
{
    mode_t old = umask(077);
    ck_assert_int_eq(jql_file_write_atomic(at("a"), "x", 1), JQL_OK);
    umask(027);
    ck_assert_int_eq(jql_file_write_atomic(at("b"), "x", 1), JQL_OK);
    umask(old);
    ck_assert_uint_eq(mode_of(at("a")), 0600);
    ck_assert_uint_eq(mode_of(at("b")), 0640);
    ck_assert_int_eq(entries(), 2);
}
END_TEST

START_TEST(replaced_files_keep_their_mode)
{
    ck_assert_int_eq(jql_file_write_atomic(at("a"), "old", 3), JQL_OK);
    ck_assert_int_eq(chmod(at("a"), 0604), 0);
    mode_t old = umask(077);
    ck_assert_int_eq(jql_file_write_atomic(at("a"), "new", 3), JQL_OK);
    umask(old);
    ck_assert_uint_eq(mode_of(at("a")), 0604);
    char *s = contents(at("a"));
    ck_assert_str_eq(s, "new");
    free(s);
    ck_assert_int_eq(entries(), 1);
}
END_TEST

START_TEST(symlinks_have_their_target_written)
{
    ck_assert_int_eq(mkdir(at("sub"), 0755), 0);
    ck_assert_int_eq(jql_file_write_atomic(at("sub/t"), "old", 3), JQL_OK);
    ck_assert_int_eq(symlink("sub/t", at("link")), 0);
    ck_assert_int_eq(symlink("link", at("link2")), 0);
    ck_assert_int_eq(jql_file_write_atomic(at("link2"), "new", 3), JQL_OK);
    struct stat st;
    ck_assert_int_eq(lstat(at("link"), &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    ck_assert_int_eq(lstat(at("link2"), &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    char *s = contents(at("sub/t"));
    ck_assert_str_eq(s, "new");
    free(s);
    ck_assert_int_eq(symlink("sub/made", at("dangling")), 0);
    ck_assert_int_eq(jql_file_write_atomic(at("dangling"), "m", 1), JQL_OK);
    s = contents(at("sub/made"));
    ck_assert_str_eq(s, "m");
    free(s);
    ck_assert_int_eq(entries(), 4); /* sub, link, link2, dangling */
}
END_TEST

START_TEST(directories_and_fifos_are_refused)
{
    ck_assert_int_eq(mkdir(at("d"), 0755), 0);
    ck_assert_int_eq(symlink("d", at("dlink")), 0);
    ck_assert_int_eq(mkfifo(at("fifo"), 0644), 0);
    ck_assert_int_eq(jql_file_write_atomic(at("d"), "x", 1), JQL_EIO);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "directory"));
    ck_assert_int_eq(jql_file_write_atomic(at("dlink"), "x", 1), JQL_EIO);
    ck_assert_int_eq(jql_file_write_atomic(at("fifo"), "x", 1), JQL_EIO);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "not a regular file"));
    struct stat st;
    ck_assert_int_eq(lstat(at("dlink"), &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    ck_assert_int_eq(lstat(at("fifo"), &st), 0);
    ck_assert(S_ISFIFO(st.st_mode));
    ck_assert_int_eq(entries(), 3);
}
END_TEST

START_TEST(dataset_save_follows_the_same_rules)
{
    jql_dataset *ds = jql_dataset_new();
    ck_assert_int_eq(jql_file_write_atomic(at("t.json"), "old", 3), JQL_OK);
    ck_assert_int_eq(symlink("t.json", at("l.json")), 0);
    ck_assert_int_eq(jql_dataset_save_path(ds, at("l.json")), JQL_OK);
    jql_dataset *back = test_load_dataset(at("t.json"));
    jql_dataset_free(back);
    struct stat st;
    ck_assert_int_eq(lstat(at("l.json"), &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    ck_assert_int_eq(jql_dataset_save_path(ds, dir), JQL_EIO);
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("save_files");
    TCase *tc = tcase_create("save_files");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, new_files_honour_the_umask);
    tcase_add_test(tc, replaced_files_keep_their_mode);
    tcase_add_test(tc, symlinks_have_their_target_written);
    tcase_add_test(tc, directories_and_fifos_are_refused);
    tcase_add_test(tc, dataset_save_follows_the_same_rules);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
