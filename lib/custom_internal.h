/*
 * Custom leaf methods: the call of a registered jql_custom_fn with its
 * context (custom.c), made by the engine for each scored unit and custom
 * leaf (score.c).
 */
#ifndef JQL_CUSTOM_INTERNAL_H
#define JQL_CUSTOM_INTERNAL_H

#include "score_internal.h"

/* Score leaf n of unit u with its registered function: points (clamped),
   measured value, rule text (appended to ctx->rule, not taken) and
   evidence into x. JQL_OK, JQL_EINVALID (not registered), JQL_ECALLBACK
   (the callback failed or set no points; message in jql_last_error()),
   JQL_ENOMEM. */
int jql_custom_call(jql_score_ctx *ctx, size_t u, size_t n, jql_res_node *x);

#endif /* JQL_CUSTOM_INTERNAL_H */
