-- Dataset queries over the shared fixtures (tests/data/valid/small.json and
-- the Long An example), values written out by hand from the files.
local T = require("tap")
local jq = require("justice_quarterly")

local ds, err = jq.load(T.data("valid/small.json"))
if not T.ok(ds ~= nil, "load small.json", err) then T.done() return end
T.is(select("#", jq.load(T.data("valid/small.json"))), 1, "load returns only the dataset on success")
T.same(ds:warnings(), {}, "no warnings")
T.is(ds:name(), "Sở Tư pháp tỉnh Long An — bộ dữ liệu nhỏ", "name, UTF-8 kept byte for byte")
T.ok(ds:description():find('"ngoặc kép", dấu \\ và tab\t.', 1, true) ~= nil,
  "description keeps escapes decoded", ds:description())
T.same(ds:counts(), {
  units = 4, periods = 2, indicators = 2, statistics = 5, reports = 2, tasks = 3,
  shortcomings = 2, directives = 2, assessments = 3, events = 2,
}, "counts of every record kind")
T.is(ds:check(), true, "check() of a valid dataset")

-- Units
T.same(ds:unit("tan-an"), {
  id = "tan-an", name = "Phòng Tư pháp thành phố Tân An", level = "district",
  parent = "long-an", cluster = "cum-2",
  attributes = { ["dân số"] = "145.120", kind = "thành phố" },
}, "unit(id) as a table")
T.same(ds:unit("long-an"), {
  id = "long-an", name = "Sở Tư pháp tỉnh Long An", level = "province", attributes = {},
}, "a root unit has no parent and no cluster")
T.is(ds:unit("nope"), nil, "unit(unknown) is nil")
local ids = {}
for u in ds:units() do ids[#ids + 1] = u.id end
T.same(ids, { "long-an", "xa-binh-tam", "tan-an", "duc-hoa" }, "units() iterates in insertion order")
T.same(ds:children("long-an"), { "tan-an", "duc-hoa" }, "children(long-an)")
T.same(ds:children("tan-an"), { "xa-binh-tam" }, "children(tan-an)")
T.same(ds:children("duc-hoa"), {}, "children of a leaf unit")
T.same(ds:descendants("long-an"), { "tan-an", "xa-binh-tam", "duc-hoa" }, "descendants in pre-order")
T.fails("unknown unit 'nope'", "notfound", "children(unknown)", ds:children("nope"))

-- Periods and indicators
T.same(ds:period("2014-Q1"), {
  id = "2014-Q1", kind = "quarter", start = "2013-12-15", ["end"] = "2014-03-14",
  name = "Quý I/2014 (15/12/2013 – 14/3/2014)",
}, "a declared standard period keeps its cut-off range and name")
T.same(ds:period("2014"), { id = "2014", kind = "year", start = "2014-01-01", ["end"] = "2014-12-31" },
  "a standard year without declaration")
T.same(ds:period("thang-5-2014"),
  { id = "thang-5-2014", kind = "custom", start = "2014-05-01", ["end"] = "2014-05-31" },
  "a custom period")
T.is(ds:period("bogus"), nil, "period(unknown) is nil")
T.is(ds:previous_period("2014-Q1"), "2013-Q4", "previous_period")
T.is(ds:year_before("2014-H1"), "2013-H1", "year_before")
T.fails(nil, "notfound", "previous_period(unknown)", ds:previous_period("bogus"))
T.same(ds:indicator("civil-status"), {
  id = "civil-status", name = "Đăng ký hộ tịch", measure_unit = "việc",
  field = "civil-status", aggregation = "last",
}, "indicator(id)")
T.is(ds:indicator("mediation").aggregation, "sum", "aggregation defaults to sum")
T.is(#ds:indicators(), 2, "indicators()")

-- Values: exact thousandths; whole values are integers on 5.3+.
T.is(ds:value("tan-an", "civil-status", "2014-Q1"), 1234, "a whole value")
T.is(ds:value("tan-an", "mediation", "2014-Q1"), 1.5, "a value with decimals")
T.is(ds:value("tan-an", "mediation", "2014-Q1"), 1500 / 1000, "value equals thousandths / 1000")
T.is(ds:value("duc-hoa", "mediation", "thang-5-2014"), 0.25, "a value in a custom period")
T.is(ds:value("duc-hoa", "civil-status", "2014"), 0, "a zero value")
T.is(ds:value("xa-binh-tam", "civil-status", "2014-H1"), 9000000000000, "the largest value")
T.fails(nil, "nodata", "value without data", ds:value("duc-hoa", "mediation", "2014-Q1"))
T.fails(nil, "notfound", "value of an unknown unit", ds:value("nope", "mediation", "2014"))
T.fails(nil, "notfound", "value of an unknown indicator", ds:value("tan-an", "nope", "2014"))

-- Reports
local r = ds:reports("tan-an", "2014-Q1")
T.same(r, { {
  unit = "tan-an", period = "2014-Q1", kind = "statistics", due = "2014-03-15",
  submitted = "2014-03-18", complete = true, days_late = 3,
} }, "reports(unit, period)")
r = ds:reports("duc-hoa", "2014-Q1")
T.ok(#r == 1 and r[1].submitted == nil and r[1].complete == false and r[1].days_late == -1,
  "a report never submitted: no date, days_late -1")
T.same(ds:reports("tan-an", "2014-Q1", "quarterly-work"), {}, "reports filtered by kind")
T.is(#ds:late_reports("tan-an", "2014-Q1"), 1, "late_reports")
T.fails(nil, nil, "reports of an unknown unit", ds:reports("nope", "2014-Q1"))

-- Tasks
T.same(ds:task("q2-hien-phap"), {
  id = "q2-hien-phap", title = "Triển khai Hiến pháp năm 2013", field = "legal-dissemination",
  period = "2014-Q2", owners = { "tan-an", "duc-hoa" }, due = "2014-06-30", status = "done",
  completed = "2014-06-20",
}, "task(id)")
T.is(ds:task("ra-soat-vb").status, "in_progress", "an in-progress task")
T.is(ds:task("nope"), nil, "task(unknown) is nil")
T.is(#ds:tasks_due(nil, "2014"), 3, "tasks due in 2014, any unit")
local due = ds:tasks_due("duc-hoa", "2014")
T.ok(#due == 2 and due[1].id == "q2-hien-phap" and due[2].id == "ra-soat-vb", "tasks of a unit due")
T.is(#ds:tasks_due("tan-an", "2014-Q3"), 0, "no task due")
T.is(ds:task_completion("duc-hoa", "2014"), 50, "completion share: 1 of 2 = 50%")
T.is(ds:task_completion("tan-an", "2014"), 100, "completion share: 1 of 1")
T.fails(nil, "nodata", "completion share with no task due", ds:task_completion("long-an", "2014"))
local overdue = ds:tasks_overdue("duc-hoa", "2014-12-31")
T.ok(#overdue == 1 and overdue[1].id == "ra-soat-vb", "tasks overdue at a date")
T.raises(function() ds:tasks_overdue("duc-hoa", "31/12/2014") end, "YYYY-MM-DD", "a bad date raises")

-- Directives, shortcomings, events, assessments
local d = ds:directive("cd-q2-hien-phap")
T.same(d, {
  id = "cd-q2-hien-phap", text = "Triển khai sâu rộng Hiến pháp", issued = "2014-03-21",
  issuer = "long-an", due = "2014-06-30", status = "done", completed = "2014-06-25",
  units = { "tan-an" }, levels = { "district", "commune" }, answers = { "sc-bao-cao", "q2-hien-phap" },
}, "directive(id)")
local dd = ds:directives_due("tan-an", "2014-Q2")
T.ok(#dd >= 1 and dd[1].id == "cd-q2-hien-phap", "directives due for a unit")
T.is(ds:directive_completion("tan-an", "2014-Q2"), 100, "directives' follow-through")
T.is(ds:directive("cd-bao-cao").due, nil, "a directive without due date")
T.is(#ds:shortcomings_open("2014-Q1"), 2, "both shortcomings open at the end of Q1")
local open = ds:shortcomings_open("2014")
T.ok(#open == 1 and open[1].id == "sc-chung", "resolved in 2014-H1: closed by the end of 2014")
local sc = ds:shortcoming("sc-bao-cao")
T.ok(sc.resolved == "2014-H1" and #sc.causes == 2 and sc.causes[2].kind == "objective" and
  sc.causes[2].text == "Biên chế còn thiếu", "shortcoming with causes")
T.is(#ds:events(nil, nil, "2014"), 2, "events in 2014")
local ev = ds:events("tan-an", "initiative", "2014")
T.same(ev, { {
  unit = "tan-an", date = "2014-05-10", kind = "initiative", text = "Mô hình hòa giải điểm",
  points = 2, evidence = "Quyết định khen thưởng số 5",
} }, "events filtered by unit and kind")
T.is(ds:events("duc-hoa", nil, "2014")[1].points, nil, "an event without points")
T.same(ds:assessment("tan-an", "2014", "lead-plan"), {
  unit = "tan-an", period = "2014", criterion = "lead-plan", self = 3, appraised = 2.5,
  not_applicable = false, evidence = "Kế hoạch số 12/KH-PTP",
}, "assessment")
local a = ds:assessment("duc-hoa", "2014", "lead-plan")
T.ok(a.self == nil and a.appraised == 0.125 and a.not_applicable == true,
  "assessment without self score, not applicable")
T.is(ds:assessment("duc-hoa", "2014", "nope"), nil, "assessment(unknown) is nil")

-- Output
local json = ds:to_json()
T.is(type(json), "string", "to_json")
local again = assert(jq.loads(json, "again"))
T.is(again:to_json(), json, "to_json of the reloaded JSON is the same (canonical)")
T.is(json, T.read(T.data("valid/small.json")), "small.json is canonical: to_json reproduces it")
local tmp = os.tmpname()
T.is(ds:save(tmp), true, "save")
T.is(T.read(tmp), json, "the saved file is the canonical JSON")
os.remove(tmp)
T.fails(nil, "io", "save into a missing directory", ds:save("/nonexistent-dir/x/y.json"))

-- The Long An example: counts and values from its file.
local la = assert(jq.load(T.long_an))
local text = T.read(T.long_an)
local function occurrences(pattern)
  local k = 0
  for _ in text:gmatch(pattern) do k = k + 1 end
  return k
end
local n = la:counts()
T.is(n.units, 16, "Long An: 16 units")
T.is(n.statistics, occurrences('{"unit": "[^"]+", "indicator": '), "Long An: statistics as in the file")
T.is(n.directives, occurrences('{"id": "[^"]+", "issued": '), "Long An: directives as in the file")
T.is(#la:children("long-an"), 15, "15 district offices")
T.is(la:value("tan-an", "civil-status", "2014-Q1"), 1103, "Tân An civil status 2014-Q1")
local ch = la:change("tan-an", "civil-status", "2014-Q1")
-- 884 -> 1103: +219, 219 / 884 = 24.7737...% -> 24.774
T.same(ch, { current = 1103, previous = 884, delta = 219, percent = 24.774, no_data = false },
  "change against the same period a year earlier")
local nd = la:change("tan-an", "civil-status", "2014-Q2")
T.is(nd.no_data, true, "change without data is no_data")
T.fails(nil, "notfound", "change of an unknown unit", la:change("nope", "civil-status", "2014-Q1"))

-- Roll-up: the sum of the district offices' values, computed here from the file.
local sum = 0
for unit, ind, period, value in text:gmatch(
    '{"unit": "([^"]+)", "indicator": "([^"]+)", "period": "([^"]+)", "value": ([%d%.]+)}') do
  if ind == "legal-aid" and period == "2014-Q1" then sum = sum + tonumber(value) end
end
T.ok(sum > 0, "the file has legal-aid values", sum)
T.is(la:value("long-an", "legal-aid", "2014-Q1", true), sum, "roll-up over the province")
T.fails(nil, "nodata", "the province alone has no value", la:value("long-an", "legal-aid", "2014-Q1"))
local late = la:late_reports("moc-hoa", "2014-Q1", "statistics")
T.ok(#late == 1 and late[1].days_late == -1, "Mộc Hóa's statistics never submitted")

T.done()
