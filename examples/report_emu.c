/*
 * jql-report: the emulation part of the review — score the criteria set,
 * then find each unit's strongest and weakest criteria against the others.
 *
 * SPDX-License-Identifier: MIT
 */
#include "report_model.h"
#include "cli_common.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The emulation's tiers by id (rp_emulation_build), for the tier of every
   unit the report names; another criteria set is looked up directly. */
static cli_tiers tiers;

size_t rp_tier_index(const jql_criteria *c, const char *tier)
{
    size_t t;
    if (tiers.order && tiers.c == c)
        return cli_tiers_find(&tiers, tier);
    return tier && jql_criteria_tier_find(c, tier, &t) == JQL_OK ? t : SIZE_MAX;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct cluster ids, sorted: all of them sorted, then the repeats
   dropped (a search of those seen so far is quadratic in clusters). */
static int gather_clusters(rp_emulation *e)
{
    size_t n = jql_results_unit_count(e->results), w = 0;
    e->clusters = calloc(n + 1, sizeof *e->clusters);
    if (!e->clusters)
        return JQL_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        const char *c = jql_results_unit_cluster(e->results, k);
        if (c)
            e->clusters[e->n_clusters++] = c;
        else
            e->any_unclustered = true;
    }
    qsort(e->clusters, e->n_clusters, sizeof *e->clusters, cmp_str);
    for (size_t k = 0; k < e->n_clusters; k++)
        if (!w || strcmp(e->clusters[w - 1], e->clusters[k]) != 0)
            e->clusters[w++] = e->clusters[k];
    e->n_clusters = w;
    return JQL_OK;
}

/* The share of its maximum each unit scored on each leaf (thousandths of a
 * percent), or INT64_MIN where the leaf does not apply. */
static jql_milli *leaf_shares(const rp_emulation *e, size_t units, size_t nodes)
{
    jql_milli *s = malloc((units * nodes + 1) * sizeof *s);
    if (!s)
        return NULL;
    for (size_t k = 0; k < units; k++)
        for (size_t n = 0; n < nodes; n++) {
            jql_milli max = jql_results_node_max(e->results, k, n);
            bool use = jql_criteria_node_is_leaf(e->criteria, n) &&
                       jql_results_node_applicable(e->results, k, n) && max > 0;
            s[k * nodes + n] = use ? rp_muldiv(jql_results_node_points(e->results, k, n),
                                               100000, max)
                                   : INT64_MIN;
        }
    return s;
}

static int compare_units(rp_emulation *e)
{
    size_t units = jql_results_unit_count(e->results);
    size_t nodes = jql_results_node_count(e->results);
    if (nodes > jql_criteria_node_count(e->criteria))
        nodes = jql_criteria_node_count(e->criteria);
    e->strongest = calloc(units + 1, sizeof *e->strongest);
    e->weakest = calloc(units + 1, sizeof *e->weakest);
    jql_milli *s = leaf_shares(e, units, nodes);
    if (!e->strongest || !e->weakest || !s) {
        free(s);
        return JQL_ENOMEM;
    }
    /* Each leaf's total and count over all units, once: "the others' mean"
       is then (total - mine) / (count - 1), linear rather than units^2. */
    jql_milli *total = calloc(nodes + 1, sizeof *total), *all = calloc(nodes + 1, sizeof *all);
    if (!total || !all) {
        free(total);
        free(all);
        free(s);
        return JQL_ENOMEM;
    }
    for (size_t j = 0; j < units; j++)
        for (size_t n = 0; n < nodes; n++)
            if (s[j * nodes + n] != INT64_MIN) {
                total[n] += s[j * nodes + n];
                all[n]++;
            }
    for (size_t k = 0; k < units; k++) {
        rp_relative *hi = &e->strongest[k], *lo = &e->weakest[k];
        jql_milli best = 0, worst = 0;
        hi->node = lo->node = SIZE_MAX;
        for (size_t n = 0; n < nodes; n++) {
            jql_milli mine = s[k * nodes + n];
            if (mine == INT64_MIN)
                continue;
            jql_milli sum = total[n] - mine, count = all[n] - 1;
            if (!count)
                continue;
            jql_milli mean = rp_muldiv(sum, 1, count);
            jql_milli diff = mine - mean;
            if (diff > best) { /* strictly better: the first in tree order wins ties */
                best = diff;
                *hi = (rp_relative){n, mine, mean};
            }
            if (diff < worst) {
                worst = diff;
                *lo = (rp_relative){n, mine, mean};
            }
        }
    }
    free(total);
    free(all);
    free(s);
    return JQL_OK;
}

unsigned rp_score_flags;

int rp_emulation_build(rp_model *m, const jql_criteria *c, const char *score_period)
{
    jql_score_options opts = JQL_SCORE_OPTIONS_INIT;
    opts.allow_empty_name = CLI_ALLOW_EMPTY_NAME;
    opts.flags = rp_score_flags | JQL_SCORE_NO_EVIDENCE; /* the report cites no records */
    rp_emulation *e = calloc(1, sizeof *e);
    if (!e)
        return JQL_ENOMEM;
    m->emu = e;
    e->criteria = c;
    opts.as_of = m->as_of_text; /* the same as-of rule as the rest of the report */
    cli_score_threads(&opts);   /* --threads: the same results whatever the number */
    int rc = jql_score_with(m->ds, c, score_period, &opts, &e->results);
    if (rc == JQL_ENOMEM)
        return rc;
    if (rc != JQL_OK) {
        const char *msg = jql_last_error();
        e->results = NULL;
        e->error = strdup(msg && *msg ? msg : jql_strerror(rc));
        return e->error ? JQL_OK : JQL_ENOMEM;
    }
    if (!cli_tiers_init(&tiers, c))
        return JQL_ENOMEM;
    e->tier_counts = calloc(jql_criteria_tier_count(c) + 1, sizeof *e->tier_counts);
    e->sections = calloc(jql_criteria_node_count(c) + 1, sizeof *e->sections);
    if (!e->tier_counts || !e->sections)
        return JQL_ENOMEM;
    for (size_t k = 0; k < jql_results_unit_count(e->results); k++) {
        size_t t = rp_tier_index(c, jql_results_unit_tier(e->results, k));
        if (t != SIZE_MAX)
            e->tier_counts[t]++;
    }
    for (size_t n = 0; n < jql_criteria_node_count(c); n++)
        if (jql_criteria_node_parent(c, n) == JQL_NONE)
            e->sections[e->n_sections++] = n;
    rc = gather_clusters(e);
    if (rc == JQL_OK)
        rc = compare_units(e);
    return rc;
}

void rp_emulation_free(rp_emulation *e)
{
    cli_tiers_free(&tiers);
    jql_results_free(e->results);
    free(e->error);
    free(e->clusters);
    free(e->tier_counts);
    free(e->sections);
    free(e->strongest);
    free(e->weakest);
    free(e);
}
