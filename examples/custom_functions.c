/*
 * Custom criteria functions shared by jql-score and jql-report (and the
 * bundled-data tests), so every program
 * scores the example custom sheet the same way.
 *
 * SPDX-License-Identifier: MIT
 */
#include "custom_functions.h"

#include <stdio.h>

/* "mediation_success_rate": max × successful mediations ÷ mediation cases
 * over the period, by the engine's own rounding (jql_custom_points_from_ratio);
 * 0 without cases; an error when the dataset lacks either indicator. */
static int mediation_success_rate(void *user, jql_custom_ctx *ctx)
{
    (void)user;
    const jql_dataset *ds = jql_custom_dataset(ctx);
    const char *uid = jql_custom_unit_id(ctx), *period = jql_custom_period(ctx);
    size_t ind;
    jql_milli ok = 0, cases = 0, points = 0;
    char msg[160];
    const char *needed[2] = {"mediation-success", "mediation-cases"};
    for (int i = 0; i < 2; i++) {
        if (jql_indicator_find(ds, needed[i], &ind) != JQL_OK) {
            snprintf(msg, sizeof msg, "the dataset has no indicator \"%s\"", needed[i]);
            jql_custom_set_error(ctx, msg);
            return 1;
        }
    }
    int rc = jql_indicator_value(ds, uid, "mediation-cases", period, 0, &cases);
    if (rc == JQL_ENODATA || (rc == JQL_OK && cases == 0)) {
        /* no mediation case in the period: nothing earned */
        rc = jql_custom_set_points(ctx, 0);
        return rc == JQL_OK ? 0 : 1;
    }
    if (rc == JQL_OK)
        rc = jql_indicator_value(ds, uid, "mediation-success", period, 0, &ok);
    if (rc == JQL_ENODATA)
        ok = 0, rc = JQL_OK;
    if (rc == JQL_OK)
        rc = jql_custom_points_from_ratio(ctx, ok, cases, &points);
    if (rc == JQL_OK)
        rc = jql_custom_set_points(ctx, points);
    if (rc != JQL_OK) {
        jql_custom_set_error(ctx, jql_last_error());
        return 1;
    }
    return 0;
}

int cli_register_custom_functions(jql_criteria *c)
{
    return jql_criteria_custom_register(c, "mediation_success_rate", mediation_success_rate, NULL,
                                        NULL);
}
