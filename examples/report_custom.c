/*
 * jql-report: the custom criteria functions the bundled criteria set uses,
 * registered before scoring so the report scores exactly as jql-score does
 * (docs/CRITERIA.md, "mediation_success_rate").
 *
 * SPDX-License-Identifier: MIT
 */
#include "report_model.h"

#include <stdio.h>
#include <string.h>

/* max × successful mediations ÷ mediation cases over the period, rounded
 * once; 0 without cases; an error when the dataset lacks either indicator. */
static int mediation_success_rate(void *user, const jql_dataset *ds, size_t unit,
                                  const char *period, const char *node_id, jql_milli *points,
                                  char *errbuf, size_t errsize)
{
    const jql_criteria *c = user;
    const char *needed[2] = {"mediation-success", "mediation-cases"};
    jql_milli max = 0, ok = 0, cases = 0;
    size_t ind;
    for (size_t i = 0; i < jql_criteria_node_count(c); i++)
        if (strcmp(jql_criteria_node_id(c, i), node_id) == 0)
            max = jql_criteria_node_max(c, i);
    for (int i = 0; i < 2; i++)
        if (jql_indicator_find(ds, needed[i], &ind) != JQL_OK) {
            snprintf(errbuf, errsize, "the dataset has no indicator \"%s\"", needed[i]);
            return 1;
        }
    const char *uid = jql_unit_id(ds, unit);
    int rc = jql_value(ds, uid, "mediation-cases", period, 0, &cases);
    if (rc == JQL_ENOTFOUND || (rc == JQL_OK && cases == 0)) {
        *points = 0;
        return 0;
    }
    if (rc == JQL_OK)
        rc = jql_value(ds, uid, "mediation-success", period, 0, &ok);
    if (rc == JQL_ENOTFOUND) {
        ok = 0;
        rc = JQL_OK;
    }
    if (rc != JQL_OK) {
        snprintf(errbuf, errsize, "%s", jql_last_error());
        return 1;
    }
    *points = rp_muldiv(max, ok, cases);
    return 0;
}

int rp_register_custom(jql_criteria *c)
{
    return jql_criteria_register_custom(c, "mediation_success_rate", mediation_success_rate, c,
                                        NULL);
}
