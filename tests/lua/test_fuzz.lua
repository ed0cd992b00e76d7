-- A seeded random driver of the Lua binding (the same calls on every run;
-- JQL_LUA_FUZZ_SEED and JQL_LUA_FUZZ_ROUNDS change them). Properties:
--  * a builder call with random arguments works, returns nil, message, code,
--    or raises; when it does not work the dataset is unchanged;
--  * whatever was built saves, loads back and saves again identically;
--  * random bytes and valid files with random bytes changed, given to
--    jq.loads / jq.loads_criteria, give an object or nil, message, code;
--  * random custom function results score or fail with "callback".
-- tests/run.sh runs it under ASan too (memory errors abort the run).
local T = require("tap")
local jq = require("justice_quarterly")

local seed = tonumber(os.getenv("JQL_LUA_FUZZ_SEED") or "") or 20261203
local rounds = tonumber(os.getenv("JQL_LUA_FUZZ_ROUNDS") or "") or 400
T.diag("seed " .. seed .. ", " .. rounds .. " rounds")

-- Park-Miller: exact in doubles on every Lua (no integer or bit operations).
local state = seed % 2147483646 + 1
local function rand(n) -- 1..n
  state = state * 16807 % 2147483647
  return state % n + 1
end
local function pick(list) return list[rand(#list)] end

local strings = { "P", "U1", "U2", "x", "", "2014-Q1", "2014", "dot-1", "a\0b", "Thử", "\240\159\152\128",
  "2014-04-10", "2014-02-30", "statistics", "sum", "mean", "median", "1.5", "1e3", "-0",
  string.rep("y", 300), "\255\254", "district", "province" }
local function random_value()
  local r = rand(10)
  if r <= 6 then return pick(strings) end
  if r == 7 then return pick({ 0, 1, -1, 2.5, 1 / 3, 1e300, 0 / 0, 2 ^ 53, -7 }) end
  if r == 8 then return pick({ true, false }) end
  if r == 9 then return nil end
  return { pick(strings), pick(strings) }
end
local function random_fields(keys)
  local t = {}
  for _, k in ipairs(keys) do
    if rand(5) > 1 then t[k] = random_value() end
  end
  if rand(20) == 1 then t[pick(strings)] = random_value() end
  return t
end

local calls = {
  function(ds) return ds:add_unit(random_fields({ "id", "name", "level", "parent", "cluster" })) end,
  function(ds) return ds:add_unit({ id = pick(strings), name = "n", level = pick(strings),
    parent = rand(2) == 1 and pick(strings) or nil, attributes = { [pick(strings)] = pick(strings) } }) end,
  function(ds) return ds:set_unit(pick(strings), random_fields({ "name", "level", "parent", "cluster" })) end,
  function(ds) return ds:add_period(random_fields({ "id", "name", "start", "end" })) end,
  function(ds) return ds:add_indicator(random_fields({ "id", "name", "measure_unit", "aggregation", "field" })) end,
  function(ds) return ds:set_stat(pick(strings), pick(strings), pick(strings), random_value()) end,
  function(ds) return ds:add_report(random_fields({ "unit", "period", "kind", "due", "submitted", "complete" })) end,
  function(ds) return ds:add_event(random_fields({ "unit", "date", "kind", "text", "points", "evidence" })) end,
  function(ds) return ds:set_name(random_value()) end,
}

-- ---- builder sequences ----------------------------------------------------------
local changed_on_failure, worked, refused, raised = 0, 0, 0, 0
local roundtrip_bad = 0
for _ = 1, math.max(1, math.floor(rounds / 20)) do
  local ds = jq.new()
  for _ = 1, 20 do
    local before = ds:to_json()
    local k = rand(#calls)
    local ok, res, msg = pcall(calls[k], ds)
    if ok and res == true then
      worked = worked + 1
    else
      if ok then refused = refused + 1 else raised = raised + 1 end
      if ds:to_json() ~= before then
        changed_on_failure = changed_on_failure + 1
        T.diag(("changed by failed call #%d: %s %s"):format(k, tostring(res), tostring(msg)))
      end
    end
  end
  local text = ds:to_json()
  local again = jq.loads(text)
  if not again or again:to_json() ~= text then roundtrip_bad = roundtrip_bad + 1 end
end
T.diag(("builder calls: %d worked, %d refused, %d raised"):format(worked, refused, raised))
T.ok(worked > 0 and refused + raised > 0, "the driver makes calls that work and calls that fail")
T.is(changed_on_failure, 0, "a failed builder call leaves the dataset unchanged")
T.is(roundtrip_bad, 0, "every built dataset saves, loads and saves again identically")

-- ---- random and changed bytes -------------------------------------------------------
local function clean_load(fn, text)
  local ok, obj, msg, code = pcall(fn, text)
  if not ok then return false end
  if obj ~= nil then return true end
  return type(msg) == "string" and (type(code) == "table" or type(code) == "string")
end
local function random_bytes(n)
  local b = {}
  for i = 1, n do b[i] = string.char(rand(256) - 1) end
  return table.concat(b)
end
local fixtures = {
  { jq.loads, T.read(T.data("scoring/worked-example/dataset.json")) },
  { jq.loads_criteria, T.read(T.data("scoring/worked-example/criteria.json")) },
}
local jsonish = { '"', "\\", "{", "}", "[", "]", ",", ":", "\\u0000", "\255", "1e999", "-", "null", "\0", "" }
local bad_random, bad_changed, loaded = 0, 0, 0
for _ = 1, rounds do
  local s = random_bytes(rand(200) - 1)
  if not clean_load(jq.loads, s) or not clean_load(jq.loads_criteria, s) then bad_random = bad_random + 1 end
  local f = pick(fixtures)
  local text = f[2]
  for _ = 1, rand(3) do
    local at = rand(#text)
    text = text:sub(1, at - 1) .. pick(jsonish) .. text:sub(at + rand(3) - 1)
  end
  local ok, obj = pcall(f[1], text)
  if not clean_load(f[1], text) then bad_changed = bad_changed + 1 end
  if ok and obj then loaded = loaded + 1 end
end
T.is(bad_random, 0, "random bytes: an object or nil, message, code (never an error raised)")
T.is(bad_changed, 0, "changed files: an object or nil, message, code")
T.diag(loaded .. " changed files still loaded")

-- ---- custom functions returning anything -----------------------------------------------
local ds = jq.new()
assert(ds:add_unit({ id = "P", name = "Province", level = "province" }))
assert(ds:add_unit({ id = "D1", name = "District 1", level = "district", parent = "P" }))
-- a record in the period: a period with nothing in it is refused
assert(ds:add_event({ unit = "D1", date = "2014-05-01", kind = "note" }))
local c = assert(jq.loads_criteria([[{
  "format": "justice-quarterly/criteria 1.0", "id": "fuzz", "period": "2014", "scale": 10,
  "units": {"levels": ["district"]},
  "criteria": [{"id": "A", "title": "A", "max": 6, "method": {"type": "custom", "function": "fa"}}],
  "tiers": [{"id": "top", "name": "Top", "min": 5}, {"id": "low", "name": "Low", "min": 0}]
}]]))
local bad_score, scored = 0, 0
for _ = 1, math.max(1, math.floor(rounds / 4)) do
  local v = random_value()
  c:register("fa", function() return v end)
  local ok, r, msg, code = pcall(jq.score, ds, c)
  if ok and r then
    scored = scored + 1
    local p = r[1].nodes[1].points
    if type(p) ~= "number" or p < 0 or p > 6 then bad_score = bad_score + 1 end
  elseif not (ok and r == nil and type(msg) == "string" and code == "callback") then
    bad_score = bad_score + 1
  end
end
T.ok(scored > 0, "some random results score")
T.is(bad_score, 0, "every other result fails with 'callback'; points stay within [0, max]")

T.done()
