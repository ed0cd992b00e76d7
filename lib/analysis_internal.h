/* Internals of the what-if analysis shared with the tests. Private to lib/. */
#ifndef JQL_ANALYSIS_INTERNAL_H
#define JQL_ANALYSIS_INTERNAL_H

#include <stdint.h>

/* splitmix64 (Steele, Lea & Flood; Vigna's reference code): advances *x. */
uint64_t jql_splitmix64(uint64_t *x);
/* xoshiro256** 1.0 (Blackman & Vigna, reference code): advances s. */
uint64_t jql_xoshiro256ss(uint64_t s[4]);

#endif /* JQL_ANALYSIS_INTERNAL_H */
