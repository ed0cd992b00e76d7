-- The bundled example data from Lua: the bundled sheet scores with no
-- registration; the custom-function example sheet fails with its own
-- message until the function is registered, then agrees with the built-in
-- leaf it mirrors.
local T = dofile((arg[0]:match("^(.*)/[^/]*$") or ".") .. "/tap.lua")
local jq = require("justice_quarterly")

local ds = assert(jq.load(T.long_an))
local c = assert(jq.load_criteria(T.long_an_criteria))
local r, e = jq.score(ds, c)
if T.ok(r ~= nil, "the bundled 2014 sheet scores with no registration", e) then
  T.is(#r, 15, "15 district offices scored")
end

local cc = assert(jq.load_criteria(T.examples_data .. "/long-an-2014/criteria-2014-custom.json"))
local rc, msg = jq.score(ds, cc)
T.ok(rc == nil and msg:find('custom function "mediation_success_rate" (criterion mediation-success) is not registered', 1, true) ~= nil,
  "unregistered custom function: its own message", msg)
T.ok(msg and msg:find("do not fit", 1, true) == nil, "not reported as criteria that do not fit", msg)

cc:register("mediation_success_rate", T.mediation_success_rate(cc))
rc, msg = jq.score(ds, cc)
if T.ok(rc ~= nil, "the custom sheet scores once registered", msg) and r then
  local function points(results, unit_id, node_id)
    local u = results:unit(unit_id)
    for _, n in ipairs(u.nodes) do
      if n.id == node_id then return n.points end
    end
  end
  local same, spread, first = true, false, nil
  for u in rc:units() do
    local pc, pb = points(rc, u.id, "mediation-success"), points(r, u.id, "mediation-success")
    if pc ~= pb then
      same = false
      T.diag(u.id .. ": built-in " .. tostring(pb) .. ", custom " .. tostring(pc))
    end
    if first == nil then first = pc elseif pc ~= first then spread = true end
  end
  T.ok(same, "custom function and built-in ratio + linear leaf give identical points")
  T.ok(spread, "the points differ between units (a real comparison)")
end

-- The two-tier example (province -> communes, 2025 rules) from Lua.
local tn = assert(jq.load(T.examples_data .. "/tay-ninh-2026/dataset.json"))
local tc = assert(jq.load_criteria(T.examples_data .. "/tay-ninh-2026/criteria-2026.json"))
local tr, te = jq.score(tn, tc)
if T.ok(tr ~= nil, "the two-tier 2026 example scores with no registration", te) then
  T.is(#tr, 12, "12 communes scored")
  local cli = T.cli_json(T.examples_data .. "/tay-ninh-2026/dataset.json",
    T.examples_data .. "/tay-ninh-2026/criteria-2026.json")
  if cli then
    T.is(tr:to_json(), cli, "two-tier: to_json() byte-identical to jql-score --format json")
  else
    T.skip("two-tier: to_json() byte-identical to jql-score", "JQL_SCORE_BIN not set")
  end
end

-- Labels, documents and cut-offs round-trip through the binding: the bundled
-- files are canonical, so to_json() reproduces them byte for byte.
for _, rel in ipairs({ "/long-an-2014/dataset.json", "/tay-ninh-2026/dataset.json" }) do
  local path = T.examples_data .. rel
  local d = assert(jq.load(path))
  T.is(d:to_json(), T.read(path), "canonical round trip of " .. rel)
end

T.done()
