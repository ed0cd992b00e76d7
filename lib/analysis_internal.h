/* Internals of the what-if analysis shared with the tests. Private to lib/. */
#ifndef JQL_ANALYSIS_INTERNAL_H
#define JQL_ANALYSIS_INTERNAL_H

#include <stdint.h>

#include "justice_quarterly/analysis.h"
#include "util.h"

/* splitmix64 (Steele, Lea & Flood; Vigna's reference code): advances *x. */
uint64_t jql_splitmix64(uint64_t *x);
/* xoshiro256** 1.0 (Blackman & Vigna, reference code): advances s. */
uint64_t jql_xoshiro256ss(uint64_t s[4]);

/* ---- prng.c ---- */
typedef struct {
    uint64_t s[4];
} jql_rng;
/* Uniform in [0, range) (range > 0), without modulo bias. */
uint64_t jql_rng_uniform(jql_rng *g, uint64_t range);

/* ---- sensitivity.c (runs) and sensitivity_json.c (accessors, JSON) ---- */
typedef struct {
    size_t sec;          /* JQL_NONE: none within reach */
    jql_milli change;    /* signed weight change, thousandths */
} jql_margin;

struct jql_sensitivity {
    unsigned flags;
    jql_milli percent;
    unsigned runs;
    uint64_t seed;
    char *criteria_id, *period;
    char as_of[11]; /* the base results' as-of date, "" for none */
    size_t nu, ns, nt;
    char **unit_ids, **unit_names, **sec_ids, **tier_ids;
    jql_milli *M;
    jql_milli *base_final;
    uint32_t *base_rank, *base_tier;
    /* one at a time: case q = 2*j + (0: minus, 1: plus) */
    jql_milli *oat_w;    /* 2ns * ns */
    uint32_t *oat_rank, *oat_tier;
    jql_milli *oat_final; /* 2ns * nu */
    /* Monte Carlo */
    jql_milli *mc_w; /* runs * ns */
    uint32_t *rmin, *rmed, *rmax;
    size_t *tier_runs; /* nu * nt */
    size_t *flips;     /* nu (pair k, k+1) */
    /* margins */
    jql_margin *pair_margin, *up, *down;
    /* leaves one at a time: case q = 2*i + dir for leaf i of leaf_node */
    size_t nl, nn;
    char **leaf_ids;
    size_t *leaf_group;    /* per case: offset into leaf_w */
    size_t *leaf_ngroup;   /* per leaf: siblings (the leaf included) */
    char ***leaf_sib_ids;  /* per leaf: sibling ids (borrowed from sib_pool) */
    char **sib_pool;
    size_t nsib_pool;
    jql_milli *leaf_w;     /* weights of the siblings, per case */
    uint32_t *leaf_rank, *leaf_tier; /* 2nl * nu */
    jql_milli *leaf_final;
};


#endif /* JQL_ANALYSIS_INTERNAL_H */
