-- The builder: a dataset made from Lua tables, queried back, saved and
-- reloaded; refusals return nil, message, code; wrong types raise.
local T = require("tap")
local jq = require("justice_quarterly")

local ds = jq.new()
T.is(ds:set_name("Thử nghiệm"), true, "set_name")
T.is(ds:name(), "Thử nghiệm", "name read back")
T.is(ds:set_description(nil), true, "clearing the description")

T.is(ds:add_unit({ id = "P", name = "Province", level = "province" }), true, "add a root unit")
T.is(ds:add_unit({ id = "D1", name = "District 1", level = "district", parent = "P", cluster = "c1",
  attributes = { kind = "huyện" } }), true, "add a unit with parent, cluster, attributes")
T.is(ds:add_unit({ id = "D2", name = "District 2", level = "district", parent = "P" }), true,
  "add a second district")
T.fails(nil, "exists", "a unit id in use", ds:add_unit({ id = "D1", name = "again", level = "district" }))
T.fails(nil, "notfound", "an unknown parent", ds:add_unit({ id = "X", name = "X", level = "x", parent = "nope" }))
T.fails(nil, "invalid", "an empty id", ds:add_unit({ id = "", name = "X", level = "x" }))
T.raises(function() ds:add_unit({ id = "X", level = "x" }) end, "field 'name': required", "a missing field raises")
T.raises(function() ds:add_unit({ id = "X", name = "X", level = "x", parent_id = "P" }) end,
  "unknown field 'parent_id'", "an unknown field raises")
T.raises(function() ds:add_unit({ id = 7, name = "X", level = "x" }) end, "field 'id'", "a number id raises")
T.raises(function() ds:add_unit("X") end, "table expected", "a non-table argument raises")
T.raises(function() ds:add_unit({ id = "X", name = "X", level = "x", attributes = { 1, 2 } }) end,
  "attributes", "non-string attributes raise")
T.is(ds:counts().units, 3, "refused units were not added")

T.is(ds:set_unit("D2", { cluster = "c1", attributes = { kind = "thị xã" } }), true, "set_unit")
T.same(ds:unit("D2"), { id = "D2", name = "District 2", level = "district", parent = "P", cluster = "c1",
  attributes = { kind = "thị xã" } }, "set_unit applied")
T.is(ds:set_unit("D2", { cluster = false, attributes = { kind = false } }), true, "set_unit clears with false")
T.is(ds:unit("D2").cluster, nil, "cluster cleared")
T.same(ds:unit("D2").attributes, {}, "attribute removed")
T.fails("cycle", nil, "set_unit refusing a cycle", ds:set_unit("P", { parent = "D1" }))
T.fails(nil, "notfound", "set_unit of an unknown unit", ds:set_unit("nope", { name = "x" }))

T.is(ds:add_period({ id = "dot-1", name = "Đợt 1", start = "2014-01-01", ["end"] = "2014-02-15" }), true,
  "add a custom period")
T.fails(nil, "invalid", "a period that ends before it starts",
  ds:add_period({ id = "bad", start = "2014-03-01", ["end"] = "2014-02-01" }))
T.raises(function() ds:add_period({ id = "bad", start = "2014-02-30", ["end"] = "2014-03-01" }) end,
  "field 'start'", "an impossible date raises")

T.is(ds:add_indicator({ id = "cases", name = "Cases", measure_unit = "việc", field = "mediation" }), true,
  "add an indicator")
T.is(ds:add_indicator({ id = "staff", name = "Staff", aggregation = "last" }), true, "add a 'last' indicator")
T.raises(function() ds:add_indicator({ id = "x", name = "x", aggregation = "median" }) end,
  "aggregation", "an unknown aggregation raises")

-- Statistics: numbers are exact thousandths; strings are parsed exactly.
T.is(ds:set_stat("D1", "cases", "2014-Q1", 10), true, "set_stat with an integer")
T.is(ds:set_stat("D1", "cases", "2014-Q2", 5.5), true, "set_stat with a decimal")
T.is(ds:set_stat("D2", "cases", "2014-Q1", "2.25"), true, "set_stat with a decimal string")
T.is(ds:set_stat("P", "cases", "2014-Q1", 1), true, "the province's own value")
T.is(ds:set_stat("D1", "cases", "2013-Q1", 8), true, "last year's value")
T.is(ds:set_stat("D1", "staff", "2014-Q1", 4), true, "a stock")
T.is(ds:set_stat("D1", "staff", "2014-Q2", 5), true, "a later stock")
T.raises(function() ds:set_stat("D1", "cases", "2014-Q3", 1.0005) end, "3 decimal places",
  "more than 3 decimals raises")
T.raises(function() ds:set_stat("D1", "cases", "2014-Q3", "1.0005") end, "at most 3 places",
  "a string with 4 decimals raises")
T.raises(function() ds:set_stat("D1", "cases", "2014-Q3", 0 / 0) end, "out of range", "NaN raises")
T.raises(function() ds:set_stat("D1", "cases", "2014-Q3", {}) end, "number expected", "a table raises")
T.fails(nil, "invalid", "a negative value", ds:set_stat("D1", "cases", "2014-Q3", -1))
T.fails(nil, "notfound", "an unknown indicator", ds:set_stat("D1", "nope", "2014-Q3", 1))

T.is(ds:value("D1", "cases", "2014-H1"), 15.5, "sum over the half: 10 + 5.5")
T.is(ds:value("P", "cases", "2014-Q1", true), 13.25, "roll-up: 1 + 10 + 2.25")
T.is(ds:value("P", "cases", "2014-Q1"), 1, "without roll-up: the province alone")
T.is(ds:value("D1", "staff", "2014-H1"), 5, "'last' takes the latest period")
T.same(ds:change("D1", "cases", "2014-Q1"),
  { current = 10, previous = 8, delta = 2, percent = 25, no_data = false }, "change 8 -> 10 = +25%")

-- Reports
T.is(ds:add_report({ unit = "D1", period = "2014-Q1", kind = "statistics", due = "2014-04-10",
  submitted = "2014-04-14" }), true, "add a late report")
T.is(ds:add_report({ unit = "D2", period = "2014-Q1", kind = "statistics", due = "2014-04-10",
  complete = false }), true, "add a report never submitted")
T.fails(nil, "exists", "the same report twice",
  ds:add_report({ unit = "D1", period = "2014-Q1", kind = "statistics", due = "2014-04-10" }))
T.is(ds:reports("D1", "2014-Q1")[1].days_late, 4, "4 days late")
T.is(ds:set_report_submitted("D2", "2014-Q1", "statistics", "2014-04-09"), true, "set_report_submitted")
T.same(ds:reports("D2", "2014-Q1")[1], { unit = "D2", period = "2014-Q1", kind = "statistics",
  due = "2014-04-10", submitted = "2014-04-09", complete = true, days_late = 0 }, "submitted early: 0 days late")
T.fails(nil, "notfound", "set_report_submitted of a missing report",
  ds:set_report_submitted("D2", "2014-Q1", "work", "2014-04-09"))

-- Tasks
T.is(ds:add_task({ id = "t1", title = "Task 1", due = "2014-06-30", owners = { "D1", "D2" },
  field = "mediation", period = "2014-Q2", status = "done", completed = "2014-06-20" }), true, "add a done task")
T.is(ds:add_task({ id = "t2", title = "Task 2", due = "2014-06-30", owners = { "D1" } }), true,
  "add a pending task")
T.raises(function() ds:add_task({ id = "t3", title = "x", due = "2014-06-30", status = "done" }) end,
  "needs a 'completed' date", "done without completion date raises")
T.raises(function() ds:add_task({ id = "t3", title = "x", due = "2014-06-30", status = "finished" }) end,
  "unknown status", "an unknown status raises")
T.fails("unknown unit 'nope'", "notfound", "an unknown owner",
  ds:add_task({ id = "t3", title = "x", due = "2014-06-30", owners = { "nope" } }))
T.is(ds:task("t3"), nil, "the refused task was not added")
T.is(ds:task_completion("D1", "2014-Q2"), 50, "D1: 1 of 2 tasks done")
T.is(ds:set_task_status("t2", "done", "2014-07-02"), true, "set_task_status")
T.is(ds:task_completion("D1", "2014-Q2"), 100, "D1: 2 of 2 tasks done")
T.fails(nil, "invalid", "done without a date", ds:set_task_status("t2", "done"))
T.raises(function() ds:set_task_status("t2", "bogus") end, "invalid option", "an unknown status raises")

-- Shortcomings and directives
T.is(ds:add_shortcoming({ id = "s1", period = "2014-Q1", text = "Late reports", units = { "D1" },
  field = "reporting", causes = { { kind = "subjective", text = "Chủ quan" } } }), true, "add a shortcoming")
T.is(ds:set_shortcoming_resolved("s1", "2014-Q2"), true, "resolve it")
T.is(ds:shortcoming("s1").resolved, "2014-Q2", "resolved period")
T.raises(function() ds:add_shortcoming({ id = "s2", period = "2014-Q1", text = "x", causes = { "x" } }) end,
  "causes", "malformed causes raise")
T.is(ds:add_directive({ id = "d1", issued = "2014-03-21", issuer = "P", text = "Report on time",
  due = "2014-06-30", levels = { "district" }, answers = { "s1" } }), true, "add a directive")
T.is(ds:directive_completion("D2", "2014-Q2"), 0, "nothing done yet")
T.is(ds:set_directive_status("d1", "done", "2014-06-01"), true, "set_directive_status")
T.is(ds:directive_completion("D2", "2014-Q2"), 100, "done")
T.fails(nil, "notfound", "an unknown issuer",
  ds:add_directive({ id = "d2", issued = "2014-03-21", issuer = "nope", text = "x", units = { "D1" } }))

-- Assessments and events
T.is(ds:add_assessment({ unit = "D1", period = "2014", criterion = "plan", self = 3, appraised = "2.5",
  evidence = "KH 12" }), true, "add an assessment")
T.is(ds:set_assessment_scores("D1", "2014", "plan", 2.75, nil), true, "set_assessment_scores")
local a = ds:assessment("D1", "2014", "plan")
T.ok(a.self == 2.75 and a.appraised == nil and a.evidence == "KH 12", "scores replaced")
T.fails(nil, "exists", "the same assessment twice",
  ds:add_assessment({ unit = "D1", period = "2014", criterion = "plan" }))
T.fails(nil, "notfound", "set_assessment_scores of a missing one",
  ds:set_assessment_scores("D2", "2014", "plan", 1, 1))
T.is(ds:add_event({ unit = "D2", date = "2014-05-10", kind = "initiative", text = "Mô hình", points = 1.5 }),
  true, "add an event with points")
T.is(ds:events("D2", nil, "2014")[1].points, 1.5, "event points")

-- The whole dataset survives a JSON round trip.
T.is(ds:check(), true, "the built dataset is valid")
local json = ds:to_json()
local back, w = jq.loads(json)
T.ok(back ~= nil, "the JSON loads", w)
T.is(back and back:to_json(), json, "reloaded JSON is identical")
T.is(back and back:value("P", "cases", "2014-Q1", true), 13.25, "values survive the round trip")

-- A check that only the whole dataset can fail: a directive answering nothing known.
local bad = jq.new()
bad:add_unit({ id = "P", name = "P", level = "province" })
bad:add_directive({ id = "d", issued = "2014-01-01", issuer = "P", text = "x", units = { "P" },
  answers = { "missing" } })
local ok, msg, errors = bad:check()
T.ok(ok == nil and type(msg) == "string" and type(errors) == "table" and #errors >= 1 and
  type(errors[1].path) == "string" and errors[1].severity == "error", "check() lists problems", msg)

T.done()
