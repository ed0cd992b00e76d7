-- Custom leaf methods written in Lua: arguments, points, rounding,
-- clamping, and every way a function can fail (an error, a wrong return
-- type, touching what is being scored, yielding), after which the
-- objects stay usable.
local T = require("tap")
local jq = require("justice_quarterly")

local CRITERIA = [[{
  "format": "justice-quarterly/criteria 1.0",
  "id": "custom-test",
  "period": "2014",
  "scale": 10,
  "units": {"levels": ["district"]},
  "criteria": [
    {"id": "A", "title": "Custom A", "max": 6, "method": {"type": "custom", "function": "fa"}},
    {"id": "B", "title": "Custom B", "max": 4, "method": {"type": "custom", "function": "fb"}}
  ],
  "tiers": [{"id": "top", "name": "Top", "min": 5}, {"id": "low", "name": "Low", "min": 0}]
}]]

local ds = jq.new()
assert(ds:add_unit({ id = "P", name = "Province", level = "province" }))
assert(ds:add_unit({ id = "D1", name = "District 1", level = "district", parent = "P" }))
assert(ds:add_unit({ id = "D2", name = "District 2", level = "district", parent = "P" }))
-- a record in the period: a period with nothing in it is refused
assert(ds:add_event({ unit = "D1", date = "2014-05-01", kind = "note" }))

local c = assert(jq.loads_criteria(CRITERIA, "custom-test.json"))

-- Not registered yet.
local r, msg, code = jq.score(ds, c)
T.ok(r == nil and msg:find("fa", 1, true) ~= nil, "an unregistered function makes score fail", msg)

-- Arguments and points.
local calls = {}
T.is(c:register("fa", function(d, unit, period, node)
  calls[#calls + 1] = { same_ds = rawequal(d, ds), unit = unit, period = period, node = node,
    name = d:unit(unit).name }
  return unit == "D1" and 2.5 or 6
end), true, "register returns true")
c:register("fb", function() return 1 / 3 end)
r, msg = jq.score(ds, c)
if T.ok(r ~= nil, "score with two custom functions", msg) then
  T.is(#calls, 2, "fa called once per scored unit")
  local seen = {}
  for _, call in ipairs(calls) do seen[call.unit] = call end
  T.ok(seen.D1 and seen.D1.same_ds and seen.D1.period == "2014" and seen.D1.node == "A" and
    seen.D1.name == "District 1", "arguments: the dataset, unit id, period, node id")
  local d1, d2 = r:unit("D1"), r:unit("D2")
  T.is(d1.nodes[1].points, 2.5, "D1 A = 2.5")
  T.is(d1.nodes[2].points, 0.333, "1/3 is rounded once to 0.333")
  T.is(d1.total, 2.833, "D1 total 2.5 + 0.333")
  T.is(d2.total, 6.333, "D2 total 6 + 0.333")
  T.is(r[1].id, "D2", "D2 ranks first")
end

-- The engine clamps to [0, max].
c:register("fa", function(_, unit) return unit == "D1" and 100 or -5 end)
r, msg = jq.score(ds, c, "2014-Q2")
if T.ok(r ~= nil, "score with out-of-range points", msg) then
  T.is(r:unit("D1").nodes[1].points, 6, "100 is clamped to the max 6")
  T.is(r:unit("D2").nodes[1].points, 0, "-5 is clamped to 0")
  T.is(r:period(), "2014-Q2", "the period passed to score")
end
local got_period
c:register("fa", function(_, _, period) got_period = period; return 1 end)
jq.score(ds, c, "2014-Q2")
T.is(got_period, "2014-Q2", "the function receives the scored period")

-- Failures: score returns nil, message, "callback".
local function fails_with(fn, fragment, name)
  c:register("fa", fn)
  local res, m, k = jq.score(ds, c)
  T.ok(res == nil and type(m) == "string" and m:find(fragment, 1, true) ~= nil and k == "callback",
    name, "got: " .. tostring(res) .. ", " .. tostring(m) .. ", " .. tostring(k))
end
fails_with(function() error("boom in fa") end, "boom in fa", "an error raised inside: its message")
fails_with(function() error("boom in fa") end, "test_custom.lua:", "the message keeps the Lua position")
fails_with(function() error({ code = 1 }) end, "table", "an error object that is not a string")
fails_with(function() return "3" end, "returned string", "a string return is refused")
fails_with(function() return "3" end, "expected a number", "the message says a number was expected")
fails_with(function() return nil end, "returned nil", "a nil return is refused")
fails_with(function() end, "returned nil", "no return value is refused")
fails_with(function() return true end, "returned boolean", "a boolean return is refused")
fails_with(function() return {} end, "returned table", "a table return is refused")
fails_with(function() return 0 / 0 end, "NaN", "NaN is refused")
fails_with(function() local x = nil; return x.field end, "attempt to index", "a runtime error")

-- Touching what is being scored is refused (and reported, not crashed).
fails_with(function(d) d:add_unit({ id = "X", name = "X", level = "district" }) return 1 end,
  "cannot be changed while it is being scored", "editing the dataset inside is refused")
fails_with(function(d) d:close() return 1 end, "cannot be closed", "closing the dataset inside is refused")
fails_with(function() c:close() return 1 end, "cannot be closed", "closing the criteria inside is refused")
fails_with(function() c:register("fb", function() return 0 end) return 1 end, "cannot register",
  "registering inside is refused")
T.is(ds:counts().units, 3, "the dataset was not changed")

-- Yielding across the C library is refused.
c:register("fa", function() coroutine.yield(1) return 1 end)
local co = coroutine.create(function() return jq.score(ds, c) end)
local resumed, res, m = coroutine.resume(co)
T.ok(resumed and res == nil and type(m) == "string" and m:find("yield", 1, true) ~= nil,
  "yielding inside a custom function is an error", tostring(m))

-- Scoring inside a coroutine works.
c:register("fa", function() return 3 end)
co = coroutine.create(function() return jq.score(ds, c) end)
resumed, res = coroutine.resume(co)
T.ok(resumed and res ~= nil and res:unit("D1").nodes[1].points == 3, "score inside a coroutine")

-- Nested scoring from inside a custom function (same criteria).
local depth = 0
c:register("fa", function(d)
  if depth > 0 then return 2 end
  depth = depth + 1
  local inner, e = jq.score(d, c)
  depth = depth - 1
  if not inner then error(e, 0) end
  return inner:unit("D1").nodes[1].points + 1
end)
r, msg = jq.score(ds, c)
T.ok(r ~= nil and r:unit("D1").nodes[1].points == 3, "nested jq.score inside a custom function", msg)

-- After all that the criteria set and dataset still work.
c:register("fa", function() return 4 end)
r, msg = jq.score(ds, c)
T.ok(r ~= nil and r:unit("D2").nodes[1].points == 4, "objects usable after failures", msg)
local before = r:to_json()

-- Results outlive the criteria and the dataset being closed.
c:close()
T.is(r:to_json(), before, "results stay valid after criteria:close()")
T.is(r:unit("D1").nodes[1].points, 4, "their tables too")

-- Registration refused by the library: nil, message, code.
local c2 = assert(jq.loads_criteria(CRITERIA))
T.fails(nil, "invalid", "an empty function name", c2:register("", function() return 0 end))
T.raises(function() c2:register(nil, function() end) end, "bad argument #1", "a nil name raises")
T.raises(function() c2:register("f\0g", function() end) end, "NUL byte", "a name with a NUL byte raises")

-- Integer and float returns give the same points.
c2:register("fa", function() return 3 end)
c2:register("fb", function() return 1.5 end)
r = assert(jq.score(ds, c2))
T.is(r:unit("D1").total, 4.5, "integer 3 and float 1.5")

T.done()
