-- Lifetimes and memory: results keep their inputs alive, objects free in
-- any order, and 10,000 scores leave collectgarbage("count") where it was.
-- (C-side leaks are caught by the ASan run of this same script.)
local T = require("tap")
local jq = require("justice_quarterly")

local DS = T.data("scoring/worked-example/dataset.json")
local CR = T.data("scoring/worked-example/criteria.json")

local function full_gc()
  for _ = 1, 4 do collectgarbage("collect") end
end

-- Results keep the dataset and criteria alive.
local weak = setmetatable({}, { __mode = "v" })
local r
do
  local ds = assert(jq.load(DS))
  local c = assert(jq.load_criteria(CR))
  weak.ds, weak.c = ds, c
  r = assert(jq.score(ds, c))
end
local json = r:to_json()
full_gc()
T.ok(weak.ds ~= nil and weak.c ~= nil, "results keep their dataset and criteria alive")
T.is(r:to_json(), json, "results intact after the inputs were dropped and collected")
T.is(r[1].total, 9.2, "their tables too")
r = nil
full_gc()
T.ok(weak.ds == nil and weak.c == nil, "dropping the results frees the inputs")

-- Closing the inputs explicitly does not touch the results (they own copies).
local ds = assert(jq.load(DS))
local c = assert(jq.load_criteria(CR))
r = assert(jq.score(ds, c))
ds:close()
c:close()
full_gc()
T.is(r:to_json(), json, "results valid after ds:close() and criteria:close()")
r:close()
T.raises(function() return r[1] end, "results are closed", "closed results raise")
T.raises(function() return #r end, "results are closed", "#closed results raises")
r:close()
T.ok(true, "closing results twice is fine")

-- Any order of dropping.
for _, order in ipairs({ { "r", "ds", "c" }, { "ds", "r", "c" }, { "c", "ds", "r" } }) do
  local objs = { ds = assert(jq.load(DS)), c = assert(jq.load_criteria(CR)) }
  objs.r = assert(jq.score(objs.ds, objs.c))
  for _, k in ipairs(order) do
    objs[k] = nil
    full_gc()
  end
  T.ok(next(objs) == nil, "dropped in the order " .. table.concat(order, ", "))
end

-- 10,000 scores: the Lua heap does not grow.
ds = assert(jq.load(DS))
c = assert(jq.load_criteria(CR))
local function score_loop(n, criteria)
  for i = 1, n do
    local res = assert(jq.score(ds, criteria))
    if i % 100 == 0 then
      assert(#res == 4 and res[1].total == 9.2 and #res:to_json() > 0)
    end
  end
end
score_loop(200, c)
full_gc()
local kb0, rss0 = collectgarbage("count"), T.rss_kib()
score_loop(10000, c)
full_gc()
local kb1, rss1 = collectgarbage("count"), T.rss_kib()
T.diag(("10000 scores: collectgarbage('count') %.1f KiB -> %.1f KiB (%+.1f)"):format(kb0, kb1, kb1 - kb0))
T.ok(kb1 - kb0 < 64, "10,000 scores: the Lua heap is stable", kb1 - kb0)
-- The resident set settles once the allocator has grown to the peak of
-- garbage between collections; a C leak would keep it growing, so a
-- second round of 10,000 must not add to it.
score_loop(10000, c)
full_gc()
local rss2 = T.rss_kib()
if rss0 and rss1 and rss2 then
  T.diag(("resident set: %d KiB -> %d KiB (first 10000) -> %d KiB (next 10000, %+d)"):format(
    rss0, rss1, rss2, rss2 - rss1))
end
if rss1 and rss2 and not T.asan then
  T.ok(rss2 - rss1 < 1024, "another 10,000 scores: the resident set does not grow (no C leak)",
    rss2 - rss1)
else
  T.skip("10,000 scores: the resident set is stable", "not measured under ASan (its own leak check runs)")
end

-- Custom functions, successful and failing, in a loop.
local cc = assert(jq.loads_criteria([[{
  "format": "justice-quarterly/criteria 1.0", "id": "loop", "period": "2014",
  "units": {"levels": ["district"]},
  "criteria": [{"id": "A", "title": "A", "max": 10, "method": {"type": "custom", "function": "f"}}],
  "tiers": [{"id": "low", "name": "Low", "min": 0}]
}]]))
local fail = false
cc:register("f", function(_, unit) if fail then error("even " .. unit) end; return 5 end)
local function custom_loop(n)
  local good, bad = 0, 0
  for i = 1, n do
    fail = i % 2 == 0
    local res, m = jq.score(ds, cc)
    if res then good = good + 1 else bad = bad + 1; assert(m:find("even", 1, true)) end
  end
  return good, bad
end
custom_loop(200)
full_gc()
kb0 = collectgarbage("count")
local good, bad = custom_loop(5000)
full_gc()
kb1 = collectgarbage("count")
T.diag(("5000 scores with a custom function (%d ok, %d failed): %.1f KiB -> %.1f KiB (%+.1f)"):format(
  good, bad, kb0, kb1, kb1 - kb0))
T.ok(good > 0 and bad > 0, "both outcomes happened")
T.ok(kb1 - kb0 < 64, "custom functions: the Lua heap is stable", kb1 - kb0)

-- Failing loads in a loop (diagnostics are freed).
local text = T.read(T.data("invalid/multi.json"))
for _ = 1, 200 do assert(jq.loads(text) == nil) end
full_gc()
kb0 = collectgarbage("count")
for _ = 1, 2000 do assert(jq.loads(text) == nil) end
full_gc()
kb1 = collectgarbage("count")
T.diag(("2000 failing loads: %.1f KiB -> %.1f KiB (%+.1f)"):format(kb0, kb1, kb1 - kb0))
T.ok(kb1 - kb0 < 64, "failing loads: the Lua heap is stable", kb1 - kb0)

T.done()
