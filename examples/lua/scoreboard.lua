-- Scoreboard of the Long An example, by cluster, with the Lua binding.
--
--   lua5.4 examples/lua/scoreboard.lua [DATASET CRITERIA [PERIOD]]
--
-- Loads examples/data/long-an-2014 (or the files given), registers the
-- custom function the example sheet criteria-2014-custom.json names
-- ("mediation_success_rate", the same rule jql-score uses; the bundled
-- sheet needs none), scores, and prints each cluster's ranking.
-- The module must be on package.cpath (LUA_CPATH), e.g. the build folder:
--   LUA_CPATH='build/bindings/lua/?.so' lua5.4 examples/lua/scoreboard.lua
local jq = require("justice_quarterly")

local here = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
local data = os.getenv("JQL_EXAMPLES_DATA") or (here .. "/../data")
local dataset_path = arg[1] or (data .. "/long-an-2014/dataset.json")
local criteria_path = arg[2] or (data .. "/long-an-2014/criteria-2014.json")
local period = arg[3]

local function die(msg, errors)
  io.stderr:write("scoreboard: ", tostring(msg), "\n")
  for i, e in ipairs(errors or {}) do
    if i > 1 then io.stderr:write(("  %s:%d:%d: %s\n"):format(e.path, e.line, e.column, e.message)) end
  end
  os.exit(1)
end

local ds, msg, errors = jq.load(dataset_path)
if not ds then die(msg, errors) end
local criteria
criteria, msg, errors = jq.load_criteria(criteria_path)
if not criteria then die(msg, errors) end

-- points = max x successful mediations / mediation cases, by the engine's
-- own rounding: ctx:points_from_ratio is exact and rounds once, half away
-- from zero, to 0.001, as the C example does.
criteria:register("mediation_success_rate", function(d, unit, p, node, ctx)
  for _, ind in ipairs({ "mediation-success", "mediation-cases" }) do
    if not d:indicator(ind) then error('the dataset has no indicator "' .. ind .. '"', 0) end
  end
  local cases, err, code = d:value(unit, "mediation-cases", p)
  if cases == nil and code ~= "notfound" then error(err, 0) end
  if cases == nil or cases == 0 then return 0 end
  local ok, err2, code2 = d:value(unit, "mediation-success", p)
  if ok == nil then
    if code2 ~= "notfound" then error(err2, 0) end
    ok = 0
  end
  local points, err3 = ctx:points_from_ratio(ok, cases)
  if points == nil then error(err3, 0) end
  return points
end)

local results
results, msg = jq.score(ds, criteria, period)
if not results then die(msg) end

local tier_names = {}
for _, tier in ipairs(criteria:tiers()) do tier_names[tier.id] = tier.name or tier.id end

-- Pad by characters, not bytes, so Vietnamese names line up.
local function width(s) return select(2, s:gsub("[^\128-\191]", "")) end
local function pad(s, n) return s .. string.rep(" ", math.max(0, n - width(s))) end

-- Group units by cluster, in cluster rank order.
local clusters, order = {}, {}
for unit in results:units() do
  local key = unit.cluster or "(no cluster)"
  if not clusters[key] then
    clusters[key] = {}
    order[#order + 1] = key
  end
  table.insert(clusters[key], unit)
end
table.sort(order)

local name_width = 0
for unit in results:units() do name_width = math.max(name_width, width(unit.name)) end

print(("%s — %s"):format(criteria:name() or criteria:id(), results:period()))
for _, key in ipairs(order) do
  print()
  print("Cụm " .. key)
  local units = clusters[key]
  table.sort(units, function(a, b)
    if (a.cluster_rank or a.rank) ~= (b.cluster_rank or b.rank) then
      return (a.cluster_rank or a.rank) < (b.cluster_rank or b.rank)
    end
    return a.id < b.id
  end)
  for _, unit in ipairs(units) do
    local marks = {}
    if unit.leader then marks[#marks + 1] = "cờ thi đua" end
    for _, veto in ipairs(unit.vetoes or {}) do marks[#marks + 1] = "veto: " .. (veto.id or "?") end
    if unit.quota_demoted then marks[#marks + 1] = "quota" end
    print(("  %2d. %s %8.3f  %-4s %s%s"):format(unit.cluster_rank or unit.rank, pad(unit.name, name_width),
      unit.final, "#" .. unit.rank, tier_names[unit.tier] or unit.tier,
      #marks > 0 and ("  (" .. table.concat(marks, ", ") .. ")") or ""))
  end
end
