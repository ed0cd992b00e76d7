-- Enum names come from the C library (jq.names, names.h): complete tables,
-- every name accepted by the builder and read back, unknown names refused.
local T = require("tap")
local jq = require("justice_quarterly")

local keys = { "task_status", "directive_status", "aggregation", "period_kind", "severity",
  "csv_kind", "bound", "result_field", "evidence_level", "report_standing" }
for _, key in ipairs(keys) do
  local names = jq.names[key]
  T.ok(type(names) == "table" and #names > 0, key .. ": a non-empty sequence")
  local seen, complete = {}, true
  for v = 1, #names do
    if type(names[v]) ~= "string" or names[v] == "" or seen[names[v]] then complete = false end
    seen[names[v] or ""] = true
  end
  T.ok(complete, key .. ": every value has its own name")
end
T.same(jq.names.task_status, { "pending", "in_progress", "done" }, "task statuses (docs/FORMAT.md)")
T.same(jq.names.report_standing, { "not_due", "on_time", "late", "missing" },
  "report standings (ds:report_standing)")

local ds = jq.new()
T.is(ds:add_unit({ id = "u", name = "Unit", level = "district" }), true, "a unit")
for i, status in ipairs(jq.names.task_status) do
  local id = "t" .. i
  T.is(ds:add_task({ id = id, title = "task", due = "2014-03-31", owners = { "u" }, status = status,
    completed = status == "done" and "2014-03-20" or nil }), true, "add a task " .. status)
  T.is(ds:task(id).status, status, "task status " .. status .. " read back")
end
for i, status in ipairs(jq.names.directive_status) do
  local id = "d" .. i
  T.is(ds:add_directive({ id = id, issued = "2014-01-10", issuer = "u", text = "x", units = { "u" },
    status = status, completed = status == "done" and "2014-03-20" or nil }), true,
    "add a directive " .. status)
  T.is(ds:directive(id).status, status, "directive status " .. status .. " read back")
end
for i, agg in ipairs(jq.names.aggregation) do
  local id = "i" .. i
  T.is(ds:add_indicator({ id = id, name = "x", aggregation = agg }), true, "add an indicator " .. agg)
  T.is(ds:indicator(id).aggregation, agg, "aggregation " .. agg .. " read back")
end
local again = assert(jq.loads(ds:to_json()))
T.is(again:task("t" .. #jq.names.task_status).status, jq.names.task_status[#jq.names.task_status],
  "the last task status survives a JSON round trip")
T.raises(function() ds:set_task_status("t1", "Done") end, "invalid option", "names are case-sensitive")
T.raises(function() ds:add_indicator({ id = "z", name = "z", aggregation = "average" }) end,
  "aggregation", "an unknown aggregation raises")
T.done()
