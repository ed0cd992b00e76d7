-- ds:tally(): the library's counts from Lua (tests/data/as-of/, counted by
-- hand as in tests/test_tally.c). tests/cli/test_tally.sh compares the same
-- counts through C, the CLIs and Python.
local T = dofile((arg[0]:match("^(.*)/[^/]*$") or ".") .. "/tap.lua")
local jq = require("justice_quarterly")

local ds = assert(jq.load(T.data("as-of/dataset.json")))
local keys = { "reports_due", "reports_on_time", "reports_late", "reports_missing",
               "reports_incomplete", "tasks_due", "tasks_done", "tasks_done_late",
               "tasks_overdue", "directives_due", "directives_done" }

local function check(t, want, name)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  T.is(n, #keys, name .. ": every count")
  for i, k in ipairs(keys) do T.is(t[k], want[i], name .. ": " .. k) end
end

check(assert(ds:tally("U", "2014-Q1")), { 2, 0, 2, 0, 1, 3, 2, 1, 1, 3, 2 }, "U in 2014-Q1")
check(assert(ds:tally("P", "2014-Q1", { rollup = true })), { 2, 0, 2, 0, 1, 3, 2, 1, 1, 3, 2 },
  "P's subtree")
check(assert(ds:tally("P", "2014-Q1")), { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "P alone")
check(assert(ds:tally("U", "2014-Q1", { as_of = "2014-03-21" })),
  { 2, 0, 1, 1, 0, 2, 1, 0, 1, 2, 1 }, "as of 21/3/2014")
local t = assert(ds:tally(nil, nil, { report_kind = "statistics" }))
T.is(t.reports_due, 2, "every record of one kind: due")
T.is(t.reports_on_time, 1, "every record of one kind: on time")

local v, msg, code = ds:tally("nobody", "2014-Q1")
T.ok(v == nil and code == "notfound" and msg:find("nobody", 1, true), "unknown unit: notfound")
v, msg, code = ds:tally("U", "2014-Q1", { as_of = "2014-02-30" })
T.ok(v == nil and code == "invalid", "impossible as_of: invalid")
T.ok(not pcall(ds.tally, ds, "U", "2014-Q1", { rolup = true }), "unknown option raises")
T.ok(not pcall(ds.tally, ds, "U", "2014-Q1", { as_of = 20140321 }), "as_of not a string raises")

-- periods: the next one and display names come from the library
T.is(ds:next_period("2014-Q4"), "2015-Q1", "next period of a quarter")
T.is(ds:next_period("2014-9M"), "2014-Q4", "next period of nine months")
T.is(ds:previous_period(ds:next_period("2014-H2")), "2014-H2", "previous of next")
T.is(ds:period_name("2014-Q1"), "Quý I/2014", "declared name (vi)")
T.is(ds:period_name("2014-Q1", "en"), "Q1 2014", "English name")
T.is(ds:period_name("2014-H2"), "6 tháng cuối năm 2014", "standard name (vi)")
local name, err, why = ds:period_name("2014-Q1", "fr")
T.ok(name == nil and why == "invalid", "unknown language: invalid")

-- one report's standing and one directive's completion (the rules the
-- counts use), found by id with jql_report_find / jql_directive_find
local st, days, inc = ds:report_standing("U", "2014-Q1", "quarterly-work")
T.same({ st, days, inc }, { "late", 10, true }, "standing: late by 10 days, incomplete")
st, days, inc = ds:report_standing("U", "2014-Q1", "quarterly-work", "2014-03-21")
T.ok(st == "missing" and days == nil and inc == false, "standing as of 21/3: missing")
st = ds:report_standing("U", "2014-Q1", "statistics", "2014-03-14")
T.is(st, "not_due", "standing before the due date: not due")
st, days, inc = ds:report_standing("U", "2014-Q2", "statistics")
T.ok(st == "on_time" and days == 0 and inc == false, "standing: on time")
T.is(ds:report_standing("U", "2014-Q3", "statistics"), nil, "no such report: nil")
T.is(ds:report("U", "2014-Q1", "statistics").due, "2014-03-15", "report found by its key")
T.is(ds:report("nobody", "2014-Q1", "statistics"), nil, "no report: nil")
T.is(#ds:late_reports("U", "2014-Q1"), 2, "late reports: both of Q1")
T.is(#ds:late_reports("U", "2014-Q2"), 0, "late reports: none in Q2")
T.is(ds:directive_done("D1"), true, "D1 done")
T.is(ds:directive_done("D2", "2014-03-21"), false, "D2 not done by 21/3")
T.is(ds:directive_done("D2", "2014-03-22"), true, "D2 done by 22/3")
T.is(ds:directive_done("D3"), false, "D3 open")
T.is(ds:directive_done("D9"), nil, "unknown directive: nil")
T.is(ds:period("2014-Q1").name, "Quý I/2014", "declared period found by id")
T.is(ds:period("2014-Q2").name, nil, "standard period: no declared name")
T.done()
