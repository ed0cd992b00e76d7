/* Helpers shared by the Check suites. */
#ifndef JQL_TESTUTIL_H
#define JQL_TESTUTIL_H

#include <check.h>
#include <stddef.h>

#include "justice_quarterly.h"

/* Path of a fixture under tests/data (static buffer, valid until the next call). */
const char *test_data(const char *relpath);
/* Path of a file under examples/data. */
const char *example_data(const char *relpath);
/* Read a whole file (NUL-terminated, malloc'd); aborts the test on failure. */
char *test_read_file(const char *path, size_t *len);
/* Load a dataset fixture; fails the test with every diagnostic when it does not load. */
jql_dataset *test_load_dataset(const char *path);
/* Run a suite with CK_ENV settings; returns the process exit status. */
int test_run_suite(Suite *s);
/* A pseudo-random number in [0, mod): xorshift from a fixed seed, so every
   run of a suite draws the same cases. */
unsigned test_rnd(unsigned mod);
/* Start test_rnd()'s sequence again from `seed` (not 0). */
void test_rnd_seed(unsigned long long seed);
/* The date y-m-d; fails the test when there is no such date. */
jql_date test_date(int y, int m, int d);

/* A dataset of `units` districts under one province, each with an
   appraised 0.001 on m0 for 2014, and a sheet of `leaves` manual leaves m0,
   m1, ... worth 0.1 each: units x leaves results a scoring of 2014 keeps.
   Fails the test when either does not load. */
void test_load_manual_grid(int units, int leaves, jql_dataset **ds, jql_criteria **c);

/* Allocation failure injection: after jql_test_fail_after(n), the n-th next
   allocation (0-based) fails; -1 disables. Installed by test_install_failing_allocator(). */
void test_install_failing_allocator(void);
void test_fail_after(long n);
long test_alloc_count(void);

/* A growing string for generated inputs; free(b.s) when done. */
typedef struct {
    char *s;
    size_t len, cap;
} test_sbuf;
/* Appends to b, printf-style (the test fails when out of memory). */
void test_sbuf_printf(test_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
