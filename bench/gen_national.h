/*
 * The national shape (issue 10): N communes in 34 provinces, a year of four
 * quarters plus last year's quarters for three indicators, and a 40-leaf
 * criteria set using every method. Seeded: the same (n, seed) gives the same
 * bytes. Written as JSON to any stream (a file, or memory through
 * open_memstream), so the same data can be loaded by C, Python and Lua.
 */
#ifndef JQL_BENCH_GEN_NATIONAL_H
#define JQL_BENCH_GEN_NATIONAL_H

#include <stdio.h>

#include <justice_quarterly.h>

#define GEN_PROVINCES 34

/* Write the dataset of n communes. 0, or -1 on a write error. */
int gen_national_dataset(FILE *out, unsigned n, unsigned long long seed);
/* The same with `years` of records (1: the scored year, as above; more: the
   years before it too, each unit's in time order, ids of the years before
   suffixed "-yYYYY"), the history a dataset kept over years holds. */
int gen_national_dataset_years(FILE *out, unsigned n, unsigned long long seed, unsigned years);
/* Write the criteria set (scored period "2025"). 0, or -1 on a write error. */
int gen_national_criteria(FILE *out);
/* The criteria's custom leaf: points from the unit id's last digit
   (0, 0.5 or 1), so Python can register the same function. */
int gen_national_custom(void *user, jql_custom_ctx *ctx);
#define GEN_CUSTOM_NAME "bench-digit"

/* Both as malloc'ed JSON text (free()); NULL on failure. */
char *gen_national_dataset_text(unsigned n, unsigned long long seed, size_t *len);
char *gen_national_criteria_text(size_t *len);

#endif
