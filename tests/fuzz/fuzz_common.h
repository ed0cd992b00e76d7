/* Shared checks of the libFuzzer harnesses: an input is either accepted or
   refused with a clean status and located, non-empty diagnostics. Any
   broken promise aborts, which libFuzzer reports as a crash. */
#ifndef JQL_FUZZ_COMMON_H
#define JQL_FUZZ_COMMON_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "justice_quarterly.h"

#define FUZZ_ASSERT(cond)                                                             \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: assertion failed: %s (last error: %s)\n", __FILE__, \
                    __LINE__, #cond, jql_last_error());                              \
            abort();                                                                  \
        }                                                                             \
    } while (0)

/* Every entry has a message and a path; the list is bounded
   (JQL_MAX_DIAGNOSTICS plus one summary line); the error count is that of
   the entries, or more when the summary stands for errors not listed. */
static inline void fuzz_check_diag(const jql_diagnostics *diag)
{
    size_t n = jql_diagnostics_count(diag), errors = 0;
    FUZZ_ASSERT(n <= JQL_MAX_DIAGNOSTICS + 1);
    for (size_t i = 0; i < n; i++) {
        const char *msg = jql_diagnostics_message(diag, i);
        FUZZ_ASSERT(msg && *msg);
        FUZZ_ASSERT(jql_diagnostics_path(diag, i) != NULL);
        if (jql_diagnostics_severity(diag, i) == JQL_SEVERITY_ERROR)
            errors++;
    }
    if (n <= JQL_MAX_DIAGNOSTICS)
        FUZZ_ASSERT(errors == jql_diagnostics_error_count(diag));
    else /* the summary entry is not itself an error found */
        FUZZ_ASSERT(errors - 1 <= jql_diagnostics_error_count(diag));
    if (diag)
        FUZZ_ASSERT(jql_diagnostics_source(diag) != NULL);
}

/* A refused input: a clean status, no object, at least one error. */
static inline void fuzz_check_refusal(int rc, const void *obj, const jql_diagnostics *diag)
{
    FUZZ_ASSERT(rc == JQL_EINVALID || rc == JQL_ELIMIT);
    FUZZ_ASSERT(obj == NULL);
    FUZZ_ASSERT(jql_diagnostics_error_count(diag) > 0);
    FUZZ_ASSERT(*jql_last_error() != '\0');
}

/* Save, load again and save again: both saves must be the same bytes. */
static inline void fuzz_check_roundtrip(const jql_dataset *ds)
{
    char *a = NULL, *b = NULL;
    size_t alen = 0, blen = 0;
    FUZZ_ASSERT(jql_dataset_to_json(ds, &a, &alen) == JQL_OK);
    FUZZ_ASSERT(strlen(a) == alen);
    jql_dataset *again = NULL;
    jql_diagnostics *diag = NULL;
    int rc = jql_dataset_load_buffer(a, alen, "<saved>", &again, &diag);
    if (rc != JQL_OK) {
        fprintf(stderr, "saved dataset does not load again:\n");
        for (size_t i = 0; i < jql_diagnostics_count(diag); i++)
            fprintf(stderr, "  %u:%u: %s: %s\n", jql_diagnostics_line(diag, i),
                    jql_diagnostics_column(diag, i), jql_diagnostics_path(diag, i),
                    jql_diagnostics_message(diag, i));
        fprintf(stderr, "%s\n", a);
    }
    FUZZ_ASSERT(rc == JQL_OK);
    FUZZ_ASSERT(jql_dataset_to_json(again, &b, &blen) == JQL_OK);
    if (alen != blen || memcmp(a, b, alen) != 0)
        fprintf(stderr, "first save:\n%s\nsecond save:\n%s\n", a, b);
    FUZZ_ASSERT(alen == blen && memcmp(a, b, alen) == 0);
    jql_free(a);
    jql_free(b);
    jql_dataset_free(again);
    jql_diagnostics_free(diag);
}

/* Score, serialise and read every result accessor. Returns the status of
   jql_score(), which must be one of the documented ones. */
static inline int fuzz_score_and_dump(const jql_dataset *ds, const jql_criteria *c,
                                      const char *period)
{
    jql_results *r = NULL;
    int rc = jql_score(ds, c, period, &r);
#ifdef FUZZ_DEBUG
    fprintf(stderr, "score %s: %s %s\n", period ? period : "(own)", jql_strerror(rc),
            rc ? jql_last_error() : "");
#endif
    FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID || rc == JQL_ENOTFOUND ||
                rc == JQL_ECALLBACK || rc == JQL_ELIMIT);
    if (rc != JQL_OK) {
        FUZZ_ASSERT(r == NULL);
        FUZZ_ASSERT(*jql_last_error() != '\0');
        return rc;
    }
    FUZZ_ASSERT(r != NULL);
    char *json = NULL;
    size_t len = 0;
    FUZZ_ASSERT(jql_results_to_json(r, &json, &len) == JQL_OK);
    FUZZ_ASSERT(strlen(json) == len);
    /* valid JSON whatever the inputs' texts (an event kind with a quote
       once reached a rule unescaped) */
    cJSON *doc = cJSON_ParseWithLength(json, len);
    FUZZ_ASSERT(doc != NULL);
    cJSON_Delete(doc);
    size_t units = jql_results_unit_count(r), nodes = jql_results_node_count(r);
    jql_milli scale = jql_criteria_scale(c);
    for (size_t k = 0; k < units; k++) {
        FUZZ_ASSERT(jql_results_unit_id(r, k) != NULL);
        FUZZ_ASSERT(jql_results_unit_rank(r, k) >= 1 && jql_results_unit_rank(r, k) <= units);
        jql_milli fin = jql_results_unit_value(r, k, JQL_RESULT_FIELD_FINAL);
        FUZZ_ASSERT(fin >= 0);
        FUZZ_ASSERT(jql_results_unit_value(r, k, JQL_RESULT_FIELD_TOTAL) >= 0);
        FUZZ_ASSERT(jql_results_unit_value(r, k, JQL_RESULT_FIELD_TOTAL) <= scale);
        FUZZ_ASSERT(jql_results_unit_value(r, k, JQL_RESULT_FIELD_GAP) >= 0);
        (void)jql_results_unit_tier(r, k);
        FUZZ_ASSERT(jql_results_unit_held_back(r, k) != NULL);
        for (size_t v = 0; v < jql_results_unit_veto_count(r, k); v++)
            FUZZ_ASSERT(jql_results_unit_veto_id(r, k, v) != NULL);
        for (size_t n = 0; n < nodes; n++) {
            jql_milli p = jql_results_node_points(r, k, n);
            jql_milli m = jql_results_node_max(r, k, n);
            FUZZ_ASSERT(p >= 0 && p <= m);
        }
        if (k > 0)
            FUZZ_ASSERT(jql_results_unit_rank(r, k) >= jql_results_unit_rank(r, k - 1));
    }
    /* the same inputs give the same bytes */
    jql_results *r2 = NULL;
    FUZZ_ASSERT(jql_score(ds, c, period, &r2) == JQL_OK);
    char *json2 = NULL;
    size_t len2 = 0;
    FUZZ_ASSERT(jql_results_to_json(r2, &json2, &len2) == JQL_OK);
    FUZZ_ASSERT(len == len2 && memcmp(json, json2, len) == 0);
    /* without evidence: the same results but for evidence */
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    o.flags = JQL_SCORE_NO_EVIDENCE;
    jql_results *r3 = NULL;
    FUZZ_ASSERT(jql_score_with(ds, c, period, &o, &r3) == JQL_OK);
    char *none = NULL, *none3 = NULL;
    size_t nlen = 0, nlen3 = 0;
    FUZZ_ASSERT(jql_results_to_json_level(r, JQL_EVIDENCE_NONE, &none, &nlen) == JQL_OK);
    FUZZ_ASSERT(jql_results_to_json_level(r3, JQL_EVIDENCE_NONE, &none3, &nlen3) == JQL_OK);
    FUZZ_ASSERT(nlen == nlen3 && memcmp(none, none3, nlen) == 0);
    jql_free(none);
    jql_free(none3);
    jql_results_free(r3);
    jql_free(json);
    jql_free(json2);
    jql_results_free(r);
    jql_results_free(r2);
    return rc;
}

/* "dataset NUL criteria [NUL period]" (fuzz_score, fuzz_analysis): false
   without a first NUL; the period (at most 63 bytes) is "" when absent. */
static inline bool fuzz_split(const uint8_t *data, size_t size, size_t *ds_len,
                              const char **crit, size_t *crit_len, char period[64])
{
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size);
    period[0] = '\0';
    if (!nul)
        return false;
    *ds_len = (size_t)(nul - text);
    *crit = nul + 1;
    *crit_len = size - *ds_len - 1;
    const char *nul2 = memchr(*crit, '\0', *crit_len);
    if (nul2) {
        size_t plen = *crit_len - (size_t)(nul2 - *crit) - 1;
        if (plen > 63)
            plen = 63;
        memcpy(period, nul2 + 1, plen);
        period[plen] = '\0';
        *crit_len = (size_t)(nul2 - *crit);
    }
    return true;
}

/* A custom function for {"type": "custom"} leaves: deterministic points
   from the unit and node, and a failure for one node id. */
static inline int fuzz_custom(void *user, jql_custom_ctx *ctx)
{
    (void)user;
    const char *node_id = jql_custom_node_id(ctx);
    size_t unit = jql_custom_unit_index(ctx);
    if (strcmp(node_id, "fail") == 0) {
        jql_custom_set_error(ctx, "custom function failed on purpose");
        return 1;
    }
    size_t h = strlen(node_id) * 7919u + unit * 104729u + strlen(jql_custom_unit_id(ctx));
    /* may be negative: the engine clamps */
    return jql_custom_set_points(ctx, (jql_milli)(h % 5000u) - 1000) == JQL_OK ? 0 : 1;
}

static inline void fuzz_register_customs(jql_criteria *c)
{
    static const char *const names[] = {"mediation_success_rate", "f", "custom", "x"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        FUZZ_ASSERT(jql_criteria_custom_register(c, names[i], fuzz_custom, NULL, NULL) == JQL_OK);
}

/* Read every accessor of a criteria set. */
static inline void fuzz_walk_criteria(const jql_criteria *c)
{
    FUZZ_ASSERT(jql_criteria_id(c) != NULL);
    (void)jql_criteria_name(c);
    (void)jql_criteria_period(c);
    FUZZ_ASSERT(jql_criteria_scale(c) > 0);
    size_t n = jql_criteria_node_count(c);
    for (size_t i = 0; i < n; i++) {
        FUZZ_ASSERT(jql_criteria_node_id(c, i) != NULL);
        FUZZ_ASSERT(jql_criteria_node_max(c, i) > 0);
        size_t p = jql_criteria_node_parent(c, i);
        FUZZ_ASSERT(p == JQL_NONE || p < i);
        (void)jql_criteria_node_title(c, i);
        (void)jql_criteria_node_is_leaf(c, i);
    }
    for (size_t i = 0; i < jql_criteria_tier_count(c); i++) {
        FUZZ_ASSERT(jql_criteria_tier_id(c, i) != NULL);
        (void)jql_criteria_tier_name(c, i);
        (void)jql_criteria_tier_min(c, i);
    }
}

#endif
