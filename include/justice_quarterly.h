/*
 * libjustice-quarterly — umbrella header.
 *
 * A data model and scoring engine for the quarterly review of a provincial
 * Department of Justice: units, periods, statistics, reports, tasks,
 * shortcomings, directives, assessments, events; criteria-based emulation
 * scoring with an explanation of every point.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JUSTICE_QUARTERLY_H
#define JUSTICE_QUARTERLY_H

#include "justice_quarterly/common.h"
#include "justice_quarterly/csv.h"
#include "justice_quarterly/dataset.h"
#include "justice_quarterly/io.h"
#include "justice_quarterly/score.h"
#include "justice_quarterly/explain.h"
#include "justice_quarterly/custom.h"
#include "justice_quarterly/edit.h"
#include "justice_quarterly/analysis.h"
#include "justice_quarterly/tally.h"
#include "justice_quarterly/names.h"

#endif /* JUSTICE_QUARTERLY_H */
