/*
 * Portable pseudo-random numbers for the sensitivity analysis: integer
 * arithmetic only, so every machine and binding draws the same numbers.
 */
#include "analysis_internal.h"

/* ---- portable PRNG: splitmix64 seeds xoshiro256** (Blackman & Vigna,
   reference code at prng.di.unimi.it); integer only, so every machine
   draws the same numbers. ---- */

uint64_t jql_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t jql_xoshiro256ss(uint64_t s[4])
{
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, range) without modulo bias (reject the short first lap). */
uint64_t jql_rng_uniform(jql_rng *g, uint64_t range)
{
    uint64_t threshold = (0 - range) % range;
    for (;;) {
        uint64_t v = jql_xoshiro256ss(g->s);
        if (v >= threshold)
            return v % range;
    }
}
