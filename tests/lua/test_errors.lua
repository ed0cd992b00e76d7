-- Error paths: every invalid fixture fails with nil, message, errors
-- (located), the same through load and loads; I/O failures; the luv
-- convention (nil, message, code) for runtime failures.
local T = require("tap")
local jq = require("justice_quarterly")

local function check_errors(errors, name)
  local good = type(errors) == "table" and #errors >= 1
  for _, e in ipairs(errors or {}) do
    good = good and type(e.path) == "string" and type(e.line) == "number" and
        type(e.column) == "number" and type(e.message) == "string" and e.message ~= "" and
        (e.severity == "error" or e.severity == "warning")
  end
  return T.ok(good, name, "errors: " .. tostring(errors and #errors))
end

local function invalid_dir(dir, load, loads, what)
  local files = T.list(dir, ".json")
  T.ok(#files > 0, what .. ": fixtures found in " .. dir)
  for _, file in ipairs(files) do
    local path = dir .. "/" .. file
    local obj, msg, errors = load(path)
    T.ok(obj == nil and type(msg) == "string" and msg ~= "", what .. " " .. file .. ": nil, message",
      tostring(msg))
    if file ~= "too-large.json" or #errors > 0 then
      check_errors(errors, what .. " " .. file .. ": located errors")
    end
    -- A message about the file names it with line:column when known.
    local first
    for _, e in ipairs(errors or {}) do
      if e.severity == "error" then first = first or e end
    end
    if first and first.line > 0 then
      T.ok(msg:find(path .. ":" .. first.line .. ":" .. first.column .. ": ", 1, true) == 1,
        what .. " " .. file .. ": message is path:line:column: text", msg)
    end
    -- loads gives the same errors for the same text.
    local text = T.read(path)
    local obj2, msg2, errors2 = loads(text, path)
    T.ok(obj2 == nil and msg2 == msg and #errors2 == #errors, what .. " " .. file .. ": loads agrees", msg2)
  end
end

invalid_dir(T.data("invalid"), jq.load, jq.loads, "dataset")
invalid_dir(T.data("criteria/invalid"), jq.load_criteria, jq.loads_criteria, "criteria")

-- Several problems in one file are all reported.
local _, msg, errors = jq.load(T.data("invalid/multi.json"))
T.ok(#errors >= 2, "multi.json: several errors", #errors)
T.ok(msg:find("more error", 1, true) ~= nil, "the message says how many more", msg)

-- Syntax errors from memory.
local ds, m, e = jq.loads("{")
T.ok(ds == nil and m:find("<memory>:1:", 1, true) == 1 and #e == 1 and e[1].line == 1,
  "loads('{'): <memory>:line:column", m)
ds, m, e = jq.loads("")
T.ok(ds == nil and type(m) == "string" and #e >= 1, "loads(''): an error", m)
ds, m, e = jq.loads("[]", "mine.json")
T.ok(ds == nil and m:find("mine.json:", 1, true) == 1, "loads names the given source", m)
ds, m, e = jq.loads("{\"format\": \"justice-quarterly/dataset 1.0\"}\0trailing")
T.ok(ds == nil, "a NUL byte inside the text is not a terminator", m)

-- I/O failures: a message, an empty list of located errors.
ds, m, e = jq.load("/nonexistent/dataset.json")
T.ok(ds == nil and m:find("/nonexistent/dataset.json", 1, true) ~= nil and type(e) == "table",
  "load of a missing file", m)
local c
c, m, e = jq.load_criteria("/nonexistent/criteria.json")
T.ok(c == nil and type(m) == "string" and type(e) == "table", "load_criteria of a missing file", m)
ds, m, e = jq.load("/")
T.ok(ds == nil and type(m) == "string", "load of a directory", m)

-- Warnings come back on success.
local cw = assert(jq.load_criteria(T.data("criteria/valid/warnings.json")))
local warnings = cw:warnings()
T.ok(#warnings >= 1 and warnings[1].severity == "warning" and type(warnings[1].path) == "string" and
  warnings[1].line > 0, "criteria warnings kept for criteria:warnings()", #warnings)
T.is(select("#", jq.load_criteria(T.data("criteria/valid/warnings.json"))), 1,
  "load_criteria returns only the criteria on success (safe inside jq.score(...))")

-- Criteria that do not fit a dataset: check() and score() agree.
local small = assert(jq.load(T.data("valid/small.json")))
local every = assert(jq.load_criteria(T.data("criteria/valid/everything.json")))
local ok, cm, ce = every:check(small)
if ok then
  T.ok(type(cm) == "table", "check() returns true and the warnings")
else
  T.ok(type(cm) == "string" and #ce >= 1, "check() lists why the criteria do not fit", cm)
  local r, sm, code = jq.score(small, every)
  T.ok(r == nil and code == "invalid", "score() refuses them too", sm)
end

-- Runtime failures return nil, message, code; none raise.
T.fails(nil, "nodata", "value without data", small:value("duc-hoa", "mediation", "2014-Q1"))
T.fails(nil, "notfound", "value of an unknown unit", small:value("x", "mediation", "2014"))
T.fails(nil, "notfound", "value of an unknown period", small:value("tan-an", "mediation", "not-a-period"))
T.fails(nil, nil, "tasks_due of an unknown period", small:tasks_due(nil, "not-a-period"))
T.fails(nil, nil, "directives_due of an unknown unit", small:directives_due("x", "2014"))
T.fails(nil, nil, "events of an unknown unit", small:events("x", nil, "2014"))
T.fails(nil, nil, "shortcomings_open of an unknown period", small:shortcomings_open("not-a-period"))
T.fails(nil, "nodata", "directive_completion with none due", small:directive_completion("long-an", "2010"))
T.fails(nil, "io", "save to a directory that does not exist", small:save("/nonexistent/x.json"))

-- Programmer errors raise.
T.raises(function() small:value("tan-an", "mediation") end, "bad argument #3", "value: missing period")
T.raises(function() small:reports({}, "2014") end, "bad argument #1", "reports: table unit")
T.raises(function() small:save() end, "bad argument #1", "save: no path")
T.raises(function() small:tasks_overdue(nil, "2014-13-01") end, "invalid date", "an impossible date")
T.raises(function() small:set_stat("tan-an", "mediation", "2014", true) end, "number expected",
  "set_stat: boolean value")
T.raises(function() jq.loads_criteria({}) end, "bad argument #1", "loads_criteria: table")

T.done()
