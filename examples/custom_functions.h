/* The custom criteria functions the example programs register (the bundled
   criteria set uses "mediation_success_rate"; see docs/CRITERIA.md). */
#ifndef JQL_EXAMPLES_CUSTOM_FUNCTIONS_H
#define JQL_EXAMPLES_CUSTOM_FUNCTIONS_H

#include <justice_quarterly.h>

/* Register every custom function on @p c. JQL_OK or a jql_status. */
int cli_register_custom_functions(jql_criteria *c);

#endif
