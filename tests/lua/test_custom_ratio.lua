-- ctx:points_from_ratio(num, den): the C helper jql_custom_points_from_ratio()
-- through the Lua context. Each fraction of tests/data/custom-ratio is scored
-- twice per unit, by the engine's linear method (leaves B and D) and by a
-- custom function returning the helper's points (C and E): they must agree.
local T = require("tap")
local jq = require("justice_quarterly")

local ds = assert(jq.load(T.data("custom-ratio/dataset.json")))
local c = assert(jq.load_criteria(T.data("custom-ratio/criteria.json")))

local seen = {}
assert(c:register("ratio", function(d, unit, period, node, ctx)
  local ok = assert(d:value(unit, "ok", period))
  local cases = assert(d:value(unit, "cases", period))
  local points = ctx:points_from_ratio(ok, cases)
  seen[#seen + 1] = { unit = unit, node = node, points = points }
  return points
end))
local r = assert(jq.score(ds, c))

local function points(unit, id)
  for _, n in ipairs(r:unit(unit).nodes) do
    if n.id == id then return n.points end
  end
end

T.is(#seen, 46, "two custom leaves x 23 units")
local twin = { C = "B", E = "D" }
for _, s in ipairs(seen) do
  T.is(s.points, points(s.unit, twin[s.node]), s.unit .. " " .. s.node .. " equals the linear " .. twin[s.node])
  T.is(points(s.unit, s.node), s.points, s.unit .. " " .. s.node .. " scored as returned")
end

-- The case of the issue: 655/736 of 100 is 88.9945..., rounded once to
-- 88.995 (a hand-written division truncating twice gave 88.994).
T.is(points("U00", "C"), 88.995, "655/736 of 100")
T.is(points("U01", "C"), 88.995, "65.5/73.6 of 100")
-- Halves of a thousandth round away from zero.
T.is(points("U13", "E"), 0.001, "1/2000 of 1")
T.is(points("U14", "E"), 0.002, "3/2000 of 1")
T.is(points("U21", "C"), 0.001, "1/200000 of 100")
T.is(points("U22", "C"), 100, "199999/200000 of 100")
T.is(points("U02", "C"), 66.667, "2/3 of 100")
T.is(points("U03", "E"), 0.333, "1/3 of 1")

-- Edges and errors, inside a call (the context needs one).
local kept
local d2 = assert(jq.load(T.data("custom-ratio/dataset.json")))
local c2 = assert(jq.load_criteria(T.data("custom-ratio/criteria.json")))
local checked = false
assert(c2:register("ratio", function(d, unit, period, node, ctx)
  kept = ctx
  if not checked then
    checked = true
    T.is(ctx.max, 100, "first call: leaf C")
    T.is(ctx:points_from_ratio(0, 7), 0, "0/7: 0")
    T.is(ctx:points_from_ratio(-3, 7), 0, "-3/7: 0")
    T.is(ctx:points_from_ratio(7, 7), 100, "7/7: the max")
    T.is(ctx:points_from_ratio(9, 7), 100, "9/7: the max")
    T.is(ctx:points_from_ratio("655", "736"), 88.995, "decimal strings")
    T.is(ctx:points_from_ratio(0.5, 1.5), 33.333, "numbers with decimals")
    T.fails("denominator 0 is not positive", "invalid", "den 0: nil, message, \"invalid\"",
      ctx:points_from_ratio(1, 0))
    T.fails("is not positive", "invalid", "den -2 (the message gives it in thousandths)", ctx:points_from_ratio(1, -2))
    T.raises(function() return ctx:points_from_ratio(1.0005, 2) end, "3 decimal places",
      "more than 3 decimals raise")
    T.raises(function() return ctx:points_from_ratio({}, 2) end, "number expected", "a table raises")
    T.raises(function() return ctx.points_from_ratio(1, 2) end, "table expected", "called with a dot")
  end
  return 0
end))
assert(jq.score(d2, c2))
T.raises(function() return kept:points_from_ratio(1, 2) end, "valid only during the call",
  "the context refuses once its call has returned")

-- An error of the helper, raised by the function, fails the scoring.
assert(c2:register("ratio", function(d, unit, period, node, ctx)
  local p, msg = ctx:points_from_ratio(1, 0)
  if not p then error(msg, 0) end
  return p
end))
local nothing, msg, code = jq.score(d2, c2)
T.ok(nothing == nil and code == "callback" and msg:find("denominator 0 is not positive", 1, true) ~= nil,
  "jq.score: nil, the helper's message, \"callback\"", msg)

T.done()
