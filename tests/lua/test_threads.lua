-- jq.score(ds, c, period, {threads = n}): the results are the same whatever n
-- (to_json at every evidence level, to_table, the unit tables), on the shared
-- fixtures and on tests/data/threads' generated 1031 units (4 blocks of 256
-- or more), and the same bytes as jql-score's; a Lua custom function stays
-- on the thread of jq.score; the number reaches the library (a preloaded
-- helper, tests/cli/count_threads.c, counts the threads a scoring starts).
local T = require("tap")
local jq = require("justice_quarterly")

local thr = T.data("threads")

local function succeeded(a, b, c) -- os.execute on 5.1 (a code) and 5.2+ (true, "exit", code)
  if type(a) == "number" then return a == 0 end
  return a == true and (c == nil or c == 0)
end

-- The generated dataset, as tests/cli/test_threads.sh and tests/python write it
-- (the interpreter runs without the ASan runtime the tests may preload).
local py = T.exists("/usr/bin/python3") and "/usr/bin/python3" or "python3"
local big_path = os.tmpname()
local generated = succeeded(os.execute("env -u LD_PRELOAD " .. py .. " " ..
  T.quote(thr .. "/generate.py") .. " >" .. T.quote(big_path)))

-- Everything the results give, for comparison.
local function outputs(r, evidence)
  local out = { units = {} }
  for _, level in ipairs(evidence == false and { "none" } or { "full", "ids", "none" }) do
    out[level] = r:to_json(level)
  end
  if evidence ~= false then out.table = r:to_table() end
  for u in r:units() do out.units[#out.units + 1] = u end
  out.warnings = r:warnings()
  return out
end

local function load_sheet(path)
  local c = assert(jq.load_criteria(path))
  c:register("mediation_success_rate", T.mediation_success_rate(c))
  return c
end

-- the shared fixtures and the bundled examples (too small for a second
-- thread: the engine takes the same path, which these check)
do
  local cases = {}
  for _, case in ipairs(T.list(T.data("scoring"))) do
    local dir = T.data("scoring/" .. case)
    for _, sheet in ipairs(T.list(dir, ".json")) do
      if sheet:find("^criteria") and T.exists(dir .. "/dataset.json") then
        cases[#cases + 1] = { case .. "/" .. sheet, dir .. "/dataset.json", dir .. "/" .. sheet }
      end
    end
  end
  cases[#cases + 1] = { "long-an-2014", T.long_an, T.long_an_criteria }
  cases[#cases + 1] = { "long-an-2014 custom", T.long_an, T.examples_data .. "/long-an-2014/criteria-2014-custom.json" }
  cases[#cases + 1] = { "tay-ninh-2026", T.examples_data .. "/tay-ninh-2026/dataset.json",
                        T.examples_data .. "/tay-ninh-2026/criteria-2026.json" }
  for _, case in ipairs(cases) do
    local ds = assert(jq.load(case[2]))
    local c = load_sheet(case[3])
    local one = outputs(assert(jq.score(ds, c)))
    for _, n in ipairs({ 2, 4 }) do
      T.same(outputs(assert(jq.score(ds, c, nil, { threads = n }))), one,
        case[1] .. ": the same on " .. n .. " threads")
    end
  end
  T.ok(#cases >= 12, "the shared scoring fixtures were all compared (" .. #cases .. ")")
end

if not generated then
  T.skip("the generated dataset", "tests/data/threads/generate.py did not run (" .. py .. ")")
  T.done()
  return
end

local big = assert(jq.load(big_path))

-- the generated dataset, both sheets, every output, 1, 2, 3 and 4 threads
for _, sheet in ipairs({ "criteria.json", "criteria-custom.json" }) do
  local c = load_sheet(thr .. "/" .. sheet)
  local r1 = assert(jq.score(big, c))
  T.is(#r1, 1031, sheet .. ": 1031 units scored")
  T.ok(#r1 >= 4 * jq.SCORE_UNITS_PER_THREAD, sheet .. ": four blocks of units")
  local one = outputs(r1)
  for _, n in ipairs({ 2, 3, 4 }) do
    T.same(outputs(assert(jq.score(big, c, nil, { threads = n }))), one,
      sheet .. ": every output the same on " .. n .. " threads")
  end
  -- the options table in third place, with the period
  T.is(assert(jq.score(big, c, { period = "2026", threads = 2 })):to_json(), one.full,
    sheet .. ": {period =, threads = 2} in third place")
  if T.score_bin then
    for _, n in ipairs({ "1", "3" }) do
      local p = io.popen(T.quote(T.score_bin) .. " --format json --threads " .. n .. " " ..
        T.quote(big_path) .. " " .. T.quote(thr .. "/" .. sheet) .. " 2>/dev/null")
      local cli = p:read("*a")
      p:close()
      T.is(assert(jq.score(big, c, nil, { threads = 4 })):to_json(), cli,
        sheet .. ": threads = 4 writes jql-score --threads " .. n .. "'s bytes")
    end
  else
    T.skip(sheet .. ": to_json() byte-identical to jql-score", "JQL_SCORE_BIN not set")
  end
end

-- without evidence and as of a date
do
  local c = load_sheet(thr .. "/criteria.json")
  for _, o in ipairs({ { evidence = false }, { as_of = "2026-08-31" } }) do
    local one = outputs(assert(jq.score(big, c, nil, o)), o.evidence)
    o.threads = 4
    T.same(outputs(assert(jq.score(big, c, nil, o)), o.evidence), one,
      (o.as_of and "as_of" or "evidence = false") .. ": the same on 4 threads")
  end
end

-- a Lua custom function: every call, in unit order, whatever threads says
do
  local c = assert(jq.load_criteria(thr .. "/criteria-custom.json"))
  local rate, calls = T.mediation_success_rate(c), {}
  local co = coroutine.running()
  c:register("mediation_success_rate", function(ds, unit, period, node, ctx)
    calls[#calls + 1] = unit
    assert(coroutine.running() == co, "called from the coroutine of jq.score")
    return rate(ds, unit, period, node, ctx)
  end)
  local one = assert(jq.score(big, c)):to_json()
  local order = table.concat(calls, ",")
  T.is(#calls, 1031, "custom: one call a unit")
  for _, n in ipairs({ 4, 64 }) do
    calls = {}
    local r, msg = jq.score(big, c, nil, { threads = n })
    T.ok(r ~= nil and r:to_json() == one, "custom: the same results on " .. n .. " threads", msg)
    T.is(table.concat(calls, ","), order, "custom: the same calls in the same order on " .. n .. " threads")
  end
  -- a function that fails for a unit of the last block fails the same
  c:register("mediation_success_rate", function(ds, unit)
    if unit == "u0900" then error("no mediation for " .. unit, 0) end
    return 1
  end)
  local _, m1, c1 = jq.score(big, c)
  local _, m4, c4 = jq.score(big, c, nil, { threads = 4 })
  T.ok(m1 ~= nil and m1 == m4 and c1 == "callback" and c4 == c1 and m1:find("u0900", 1, true),
    "custom: a failure is the same on 4 threads", tostring(m1), tostring(m4))
end

-- score_periods: every period on the threads asked for, the trend and each
-- period's results the same whatever the number, jql-score --periods' bytes
local quarters = { "2026-Q1", "2026-Q2", "2026-Q4" }
for _, sheet in ipairs({ "criteria.json", "criteria-custom.json" }) do
  local c = load_sheet(thr .. "/" .. sheet)
  for _, o in ipairs({ {}, { as_of = "2026-08-31" } }) do
    local what = sheet .. (o.as_of and ", as_of" or "") .. ": score_periods"
    local tj, _, rs = assert(jq.score_periods(big, c, quarters, o))
    local each = true
    for i, q in ipairs(quarters) do
      each = each and rs[i]:to_json() == assert(jq.score(big, c, q, o)):to_json()
    end
    T.ok(each, what .. ": each period as jq.score scores it")
    for _, n in ipairs({ 2, 4 }) do
      o.threads = n
      local oj, _, ors = assert(jq.score_periods(big, c, quarters, o))
      local same = oj == tj
      for i = 1, #quarters do same = same and ors[i]:to_json() == rs[i]:to_json() end
      T.ok(same, what .. ": the same on " .. n .. " threads")
    end
    if T.score_bin then
      local p = io.popen(T.quote(T.score_bin) .. " --format json --threads 3 --periods " ..
        table.concat(quarters, ",") .. (o.as_of and (" --as-of " .. o.as_of) or "") .. " " ..
        T.quote(big_path) .. " " .. T.quote(thr .. "/" .. sheet) .. " 2>/dev/null")
      local cli = p:read("*a")
      p:close()
      T.is(tj, cli, what .. ": jql-score --periods --threads 3's bytes")
    else
      T.skip(what .. ": byte-identical to jql-score", "JQL_SCORE_BIN not set")
    end
    if o.as_of then
      T.ok(assert(jq.score_periods(big, c, quarters, { threads = 4 })) ~= tj,
        what .. ": another trend without the date")
    end
  end
end
do -- a Lua custom function: called on the coroutine of score_periods only
  local c = assert(jq.load_criteria(thr .. "/criteria-custom.json"))
  local rate, calls = T.mediation_success_rate(c), 0
  local co = coroutine.running()
  c:register("mediation_success_rate", function(ds, unit, period, node, ctx)
    calls = calls + 1
    assert(coroutine.running() == co, "called from the coroutine of jq.score_periods")
    return rate(ds, unit, period, node, ctx)
  end)
  local tj = jq.score_periods(big, c, { "2026-Q1", "2026-Q2" }, { threads = 4 })
  T.ok(tj ~= nil and calls == 2 * 1031, "score_periods, custom, threads = 4: every call here", calls)
end

-- bad values are refused (raised: wrong arguments)
do
  local c = assert(jq.load_criteria(thr .. "/criteria.json"))
  for _, bad in ipairs({ 0, -1, 1.5, "2", true, 1 / 0, 0 / 0, 2 ^ 60 }) do
    T.raises(function() jq.score(big, c, nil, { threads = bad }) end,
      "threads must be a whole number from 1", "threads = " .. T.show(bad) .. " is refused")
  end
  local one = assert(jq.score(big, c)):to_json()
  T.is(assert(jq.score(big, c, nil, { threads = jq.SCORE_MAX_THREADS + 1 })):to_json(), one,
    "more than SCORE_MAX_THREADS is that many")
  T.is(assert(jq.score(big, c, nil, { threads = 2.0 })):to_json(), one, "threads = 2.0 is 2")
  T.is(jq.SCORE_MAX_THREADS, 64, "jq.SCORE_MAX_THREADS")
end

-- the number reaches the library: threads started, counted by the helper
local helper = os.getenv("JQL_COUNT_THREADS")
local lua = arg and arg[-1]
if helper and helper ~= "" and T.exists(helper) and lua then
  local script = os.tmpname()
  local f = assert(io.open(script, "w"))
  f:write([[
local jq = require("justice_quarterly")
local ds = assert(jq.load(arg[1]))
local c = assert(jq.load_criteria(arg[2]))
c:register("mediation_success_rate", function() return 1 end)
if arg[4] then -- score_periods over these comma-separated periods
  local ps = {}
  for p in arg[4]:gmatch("[^,]+") do ps[#ps + 1] = p end
  assert(jq.score_periods(ds, c, ps, {threads = tonumber(arg[3])}))
else
  assert(jq.score(ds, c, nil, {threads = tonumber(arg[3])}))
end
]])
  f:close()
  local count = os.tmpname()
  local preload = helper .. ((os.getenv("LD_PRELOAD") or "") ~= "" and (" " .. os.getenv("LD_PRELOAD")) or "")
  local function started(sheet, n, periods)
    os.remove(count)
    local ok = succeeded(os.execute("JQL_COUNT_THREADS_FILE=" .. T.quote(count) ..
      " LD_PRELOAD=" .. T.quote(preload) ..
      " ASAN_OPTIONS=" .. T.quote((os.getenv("ASAN_OPTIONS") or "") .. ":verify_asan_link_order=0") ..
      " " .. T.quote(lua) .. " " .. T.quote(script) .. " " .. T.quote(big_path) .. " " ..
      T.quote(thr .. "/" .. sheet) .. " " .. n .. (periods and (" " .. periods) or "")))
    local h = io.open(count, "r")
    local line = h and h:read("*l")
    if h then h:close() end
    return ok and line and tonumber(line:match("^(%d+)")) or nil
  end
  for _, case in ipairs({ { "criteria.json", 1, 0 }, { "criteria.json", 2, 1 },
                          { "criteria.json", 4, 3 }, { "criteria.json", 64, 3 },
                          { "criteria-custom.json", 4, 0 } }) do
    T.is(started(case[1], case[2]), case[3], case[1] .. ", threads = " .. case[2] .. ": " ..
      case[3] .. " thread(s) started" .. (case[1]:find("custom") and " (a Lua function: one)" or ""))
  end
  T.is(started("criteria.json", 4, "2026-Q1,2026-Q2,2026-Q4"), 9,
    "score_periods, 3 periods, threads = 4: 3 threads a period")
  T.is(started("criteria-custom.json", 4, "2026-Q1,2026-Q2"), 0,
    "score_periods, custom sheet, threads = 4: none (a Lua function)")
  os.remove(script)
  os.remove(count)
else
  T.skip("threads started", "no thread-counting helper (JQL_COUNT_THREADS) or no interpreter path")
end

os.remove(big_path)
T.done()
