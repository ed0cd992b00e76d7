-- Custom functions get a fifth argument, the context of the C handle as a
-- table (node_id, node_index, max, unit_id, unit_index, period; indices
-- 1-based as in Lua lists); four-argument functions keep working.
local T = require("tap")
local jq = require("justice_quarterly")

local CRITERIA = [[{
  "format": "justice-quarterly/criteria 1.0",
  "id": "ctx-test",
  "period": "2014",
  "scale": 10,
  "units": {"levels": ["district"]},
  "criteria": [
    {"id": "A", "title": "Group", "max": 6, "children": [
      {"id": "A1", "title": "Manual", "max": 2, "method": {"type": "manual"}},
      {"id": "A2", "title": "Custom A2", "max": 4, "method": {"type": "custom", "function": "f"}}]},
    {"id": "B", "title": "Custom B", "max": 4, "method": {"type": "custom", "function": "f"}}
  ],
  "tiers": [{"id": "top", "name": "Top", "min": 5}, {"id": "low", "name": "Low", "min": 0}]
}]]

local ds = jq.new()
assert(ds:add_unit({ id = "P", name = "Province", level = "province" }))
assert(ds:add_unit({ id = "D1", name = "District 1", level = "district", parent = "P" }))
assert(ds:add_unit({ id = "D2", name = "District 2", level = "district", parent = "P" }))
assert(ds:add_event({ unit = "D1", date = "2014-05-01", kind = "note" }))
local c = assert(jq.loads_criteria(CRITERIA, "ctx-test.json"))

local seen = {}
c:register("f", function(d, unit, period, node, ctx)
  seen[#seen + 1] = ctx
  T.is(ctx.node_id, node, "node_id is the fourth argument (" .. node .. ")")
  T.is(ctx.unit_id, unit, "unit_id is the second argument (" .. unit .. ")")
  T.is(ctx.period, period, "period is the third argument")
  -- points: the leaf's max less the unit's position
  return ctx.max - ctx.unit_index
end)
local r = assert(jq.score(ds, c))
T.is(#seen, 4, "two units x two custom leaves")
-- node_index and max agree with the criteria's own node list; unit_index with the dataset's
local nodes = c:nodes()
local position = {}
for u in ds:units() do position[#position + 1] = u.id end
for _, ctx in ipairs(seen) do
  T.is(nodes[ctx.node_index].id, ctx.node_id, "node_index of " .. ctx.node_id)
  T.is(nodes[ctx.node_index].max, ctx.max, "max of " .. ctx.node_id)
  T.is(position[ctx.unit_index], ctx.unit_id, "unit_index of " .. ctx.unit_id)
end
T.is(r:unit("D1").nodes[3].points, 2, "A2 for D1: 4 - 2")
T.is(r:unit("D2").nodes[4].points, 1, "B for D2: 4 - 3")

-- A function of four arguments is unchanged.
c:register("f", function(d, unit, period, node) return 1 end)
r = assert(jq.score(ds, c))
T.is(r:unit("D2").nodes[4].points, 1, "four arguments still work")

T.done()
