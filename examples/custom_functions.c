/*
 * Custom criteria functions shared by jql-score and jql-report (and the
 * bundled-data tests), so every program
 * scores the example custom sheet the same way.
 *
 * SPDX-License-Identifier: MIT
 */
#include "custom_functions.h"

#include <stdio.h>
#include <string.h>

/* "mediation_success_rate": max × successful mediations ÷ mediation cases
 * over the period, rounded once half away from zero; 0 without cases; an
 * error when the dataset lacks either indicator. */
static int mediation_success_rate(void *user, const jql_dataset *ds, size_t unit,
                                  const char *period, const char *node_id, jql_milli *points,
                                  char *errbuf, size_t errsize)
{
    const jql_criteria *c = user;
    size_t ind;
    jql_milli max = 0, ok = 0, cases = 0;
    for (size_t i = 0; i < jql_criteria_node_count(c); i++)
        if (strcmp(jql_criteria_node_id(c, i), node_id) == 0)
            max = jql_criteria_node_max(c, i);
    const char *needed[2] = {"mediation-success", "mediation-cases"};
    for (int i = 0; i < 2; i++) {
        if (jql_indicator_find(ds, needed[i], &ind) != JQL_OK) {
            snprintf(errbuf, errsize, "the dataset has no indicator \"%s\"", needed[i]);
            return 1;
        }
    }
    const char *uid = jql_unit_id(ds, unit);
    int rc = jql_indicator_value(ds, uid, "mediation-cases", period, 0, &cases);
    if (rc == JQL_ENODATA || (rc == JQL_OK && cases == 0)) {
        *points = 0; /* no mediation case in the period: nothing earned */
        return 0;
    }
    if (rc == JQL_OK)
        rc = jql_indicator_value(ds, uid, "mediation-success", period, 0, &ok);
    if (rc == JQL_ENODATA)
        ok = 0, rc = JQL_OK;
    if (rc != JQL_OK) {
        snprintf(errbuf, errsize, "%s", jql_last_error());
        return 1;
    }
    /* max * ok / cases, rounded once half away from zero (all >= 0) */
    __int128 num = (__int128)max * ok;
    *points = (jql_milli)((num * 2 + cases) / (2 * (__int128)cases));
    return 0;
}

int cli_register_custom_functions(jql_criteria *c)
{
    return jql_criteria_register_custom(c, "mediation_success_rate", mediation_success_rate, c,
                                        NULL);
}
