-- Editing criteria sets and the what-if analysis from Lua: exact
-- arithmetic, validation, and byte-identity with jql-score on the same
-- fixtures (tests/data/ and the bundled Long An data).
local T = require("tap")
local jq = require("justice_quarterly")

local WORKED = T.data("scoring/worked-example")
local TREE = T.data("analysis/tree.json")
local REWEIGHTED = T.data("analysis/worked-example-reweighted.json")

local function maxima(c)
  local m = {}
  for _, n in ipairs(c:nodes()) do m[n.id] = n.max end
  return m
end

-- The CLI's output for extra arguments, or nil when it is not built.
local function cli(args)
  if not T.score_bin then return nil end
  local p = io.popen(T.quote(T.score_bin) .. " " .. args .. " 2>/dev/null")
  local s = p:read("*a")
  p:close()
  return s
end

-- Exact rescaling: S3 2 -> 3 keeping the scale leaves 7 for S1 (3) and
-- S2 (5): 2.625 and 4.375; S1's children 0.875 each.
do
  local c = assert(jq.load_criteria(TREE))
  local ok, warnings = c:set_max("S3", 3, true)
  T.ok(ok and #warnings == 0, "set_max keeping the total: no warning")
  local m = maxima(c)
  T.is(m.S1, 2.625, "S1 gets 7 x 3/8")
  T.is(m.S2, 4.375, "S2 gets 7 x 5/8")
  T.is(m.a, 0.875, "S1's children scaled")
  -- S1 3 -> 10: children 3.334, 3.333, 3.333 (largest remainder, earliest first)
  c = assert(jq.load_criteria(TREE))
  ok, warnings = c:set_max("S1", 10)
  T.ok(ok and #warnings == 1 and warnings[1].path == "/scale", "top level no longer adds up: warning")
  m = maxima(c)
  T.is(m.a, 3.334, "largest remainder: first child")
  T.is(m.b, 3.333, "second child")
end

-- A refused edit is the loader's error and changes nothing.
do
  local c = assert(jq.load_criteria(TREE))
  local before = c:to_json()
  local v, msg, code, errors = c:set_tier_min("good", "9.5")
  T.ok(v == nil and code == "invalid" and #errors >= 1 and errors[1].path:find("^/tiers/"),
       "tier minima out of order refused", msg)
  v = c:set_band_points("S3", 1, 2.5)
  T.ok(v == nil, "band points above the max refused")
  v, msg, code = c:set_max("nope", 1)
  T.is(code, "notfound", "unknown node")
  T.is(c:to_json(), before, "nothing changed")
  T.raises(function() c:set_band_points("S3", 0, 1) end, "start at 1", "bands are 1-based")
  assert(c:set_condition("S3", 2, "at_most", 3))
  assert(c:set_enabled("b", false))
  T.ok(c:to_json():find('"at_most": 3', 1, true) and c:to_json():find('"enabled": false', 1, true),
       "edits in the canonical JSON")
  local again = assert(jq.loads_criteria(c:to_json()))
  T.is(again:to_json(), c:to_json(), "canonical JSON reloads to the same bytes")
end

-- A disabled node is not applicable to anyone.
do
  local ds = assert(jq.load(WORKED .. "/dataset.json"))
  local c = assert(jq.load_criteria(WORKED .. "/criteria.json"))
  assert(c:set_enabled("A", false))
  local doc = assert(jq.score(ds, c)):to_table()
  local all = true
  for _, u in ipairs(doc.units) do
    all = all and u.nodes[1].id == "A" and u.nodes[1].applicable == false and u.applicable_max == 8
  end
  T.ok(all, "disabled node: not applicable, applicable maximum 8")
end

-- Comparison, sensitivity, plans and trends: the CLI's bytes.
do
  local dpath, cpath = WORKED .. "/dataset.json", WORKED .. "/criteria.json"
  local ds = assert(jq.load(dpath))
  local c = assert(jq.load_criteria(cpath))
  local other = assert(jq.load_criteria(REWEIGHTED))
  local before, after = assert(jq.score(ds, c)), assert(jq.score(ds, other))
  local json, doc = before:compare(after)
  for _, u in ipairs(doc.units) do
    if u.id == "U2" then T.is(u.final_change, -1, "U2 loses 1 point (A 1/2 -> 2/4, B 8 -> 6)") end
  end
  local want = cli("--format json " .. T.quote(dpath) .. " " .. T.quote(cpath) ..
                   " --compare " .. T.quote(REWEIGHTED))
  if want then T.is(json, want, "compare: byte-identical to jql-score --compare") end

  local s1 = before:sensitivity{percent = 20, runs = 300, seed = 11}
  local s2, sdoc = before:sensitivity{percent = 20, runs = 300, seed = 11}
  T.is(s1, s2, "sensitivity: same seed, same bytes")
  T.ok(s1 ~= before:sensitivity{percent = 20, runs = 300, seed = "12"}, "another seed differs")
  want = cli("--format json --sensitivity 20 --runs 300 --seed 11 " .. T.quote(dpath) .. " " .. T.quote(cpath))
  if want then T.is(s1, want, "sensitivity: byte-identical to jql-score --sensitivity") end
  local total_ok = true
  for _, w in ipairs(sdoc.monte_carlo_weights) do
    local sum = 0
    for _, x in ipairs(w) do sum = sum + math.floor(x * 1000 + 0.5) end
    total_ok = total_ok and sum == 10000
  end
  T.ok(total_ok, "every run's weights add up to the scale")

  local cl = assert(jq.load_criteria(TREE))
  local rl = assert(jq.score(ds, cl))
  local lj = rl:sensitivity{percent = 50, runs = 10, seed = 1, leaves = true}
  want = cli("--format json --sensitivity 50 --runs 10 --seed 1 --leaves " .. T.quote(dpath) ..
             " " .. T.quote(TREE))
  if want then T.is(lj, want, "leaves: byte-identical to jql-score --leaves") end

  want = cli("--plans " .. T.quote(dpath) .. " " .. T.quote(cpath))
  if want then T.is((before:plans()), want, "plans: byte-identical to jql-score --plans") end

  local periods = { "2014-Q1", "2014-H1", "2014" }
  local tjson, tdoc, results = jq.score_periods(ds, c, periods)
  T.is(#results, 3, "one result per period")
  T.is(tdoc.periods[3], "2014", "periods in order")
  want = cli("--format json --periods 2014-Q1,2014-H1,2014 " .. T.quote(dpath) .. " " .. T.quote(cpath))
  if want then T.is(tjson, want, "trend: byte-identical to jql-score --periods") end
  local v, msg = jq.score_periods(ds, c, { "2014", "1999-Q9" })
  T.ok(v == nil and msg, "an unknown period fails", msg)
end

-- The periods' results are all kept, so they share one scoring's 5,000,000
-- (64 periods of 1,000 units x 4,400 criteria would hold 18 GB): 1,000
-- units x 100 leaves score twice, and 64 times is refused.
do
  local big = jq.new()
  assert(big:add_unit({ id = "R", name = "R", level = "province" }))
  for i = 1, 1000 do
    assert(big:add_unit({ id = "u" .. i, name = "u", level = "district", parent = "R" }))
    assert(big:add_event({ unit = "u" .. i, date = "2014-05-01", kind = "note" }))
  end
  local leaves = {}
  for l = 1, 100 do
    leaves[l] = string.format('{"id": "m%d", "title": "m", "max": 1, "method": {"type": "manual"}}', l)
  end
  local bc = assert(jq.loads_criteria('{"format": "justice-quarterly/criteria 1.0", "id": "c", '
    .. '"period": "2014", "units": {"levels": ["district"]}, '
    .. '"tiers": [{"id": "t", "name": "t", "min": 0}], "criteria": [' .. table.concat(leaves, ", ") .. ']}'))
  local tj, tt, rs = jq.score_periods(big, bc, { "2014", "2014" })
  T.ok(tj ~= nil and #rs == 2 and #tt.units == 1000, "1,000 units x 100 leaves over 2 periods")
  local many = {}
  for p = 1, 64 do many[p] = "2014" end
  local v, msg, kind = jq.score_periods(big, bc, many)
  T.ok(v == nil and kind == "limit" and
       msg:find("score_periods: period 2014: 64 periods share 5000000 results, 78125 each: ", 1, true) == 1,
    "64 periods of them are refused, the period and the share named", msg)
end

-- score_periods takes jq.score's options table (fourth): each period scored
-- as jq.score scores it with them, the trend jql-score --periods' bytes
-- with the same options; a bad option raised before any period is scored;
-- max_results the smaller of the share and the caller's.
do
  local dpath, cpath = WORKED .. "/dataset.json", WORKED .. "/criteria.json"
  local ds, c = assert(jq.load(dpath)), assert(jq.load_criteria(cpath))
  local periods = { "2014-Q1", "2014-H1", "2014" }
  local plain = assert(jq.score_periods(ds, c, periods))
  local tj, _, rs = jq.score_periods(ds, c, periods, { as_of = "2014-04-12", threads = 4 })
  T.ok(tj ~= nil and tj ~= plain, "as_of: another trend than without")
  local same = tj ~= nil
  for i, q in ipairs(periods) do
    same = same and rs[i]:to_json() == assert(jq.score(ds, c, q, { as_of = "2014-04-12" })):to_json()
  end
  T.ok(same, "as_of: each period's results are jq.score's with the date")
  local want = cli("--format json --periods 2014-Q1,2014-H1,2014 --as-of 2014-04-12 " ..
                   T.quote(dpath) .. " " .. T.quote(cpath))
  if want then T.is(tj, want, "as_of: byte-identical to jql-score --periods --as-of") end

  local empty = { "2013-Q1", "2014-Q1" }
  T.fails("2013-Q1", "notfound", "a period without records fails", jq.score_periods(ds, c, empty))
  local ej, _, ers = jq.score_periods(ds, c, empty, { allow_empty = true })
  T.ok(ej ~= nil and ers[1]:warnings()[1].path == "/period", "allow_empty: scored, with its warning")
  want = cli("--format json --periods 2013-Q1,2014-Q1 --allow-empty " .. T.quote(dpath) .. " " ..
             T.quote(cpath))
  if want then T.is(ej, want, "allow_empty: byte-identical to jql-score --periods --allow-empty") end

  local nj, _, nrs = jq.score_periods(ds, c, periods, { evidence = false })
  T.ok(nj == plain and not pcall(function() return nrs[1]:to_json() end) and
       nrs[1]:to_json("none") == assert(jq.score(ds, c, "2014-Q1", { evidence = false })):to_json("none"),
       "evidence = false: the same trend, results without evidence")

  -- bad options: raised before any period is scored (no custom call)
  local lc = assert(jq.load_criteria(T.examples_data .. "/long-an-2014/criteria-2014-custom.json"))
  local la = assert(jq.load(T.long_an))
  local calls = 0
  lc:register("mediation_success_rate", function() calls = calls + 1; return 0 end)
  for _, bad in ipairs({ { as_of = 20140331 }, { threads = 0 }, { evidence = "no" },
                         { max_results = 0 }, { period = "2014" } }) do
    local k = next(bad)
    T.raises(function() jq.score_periods(la, lc, { "2014-Q1", "2014-Q2" }, bad) end,
      "bad argument #4", "score_periods refuses " .. k .. " = " .. T.show(bad[k]))
  end
  T.fails("is not an existing date", "invalid", "a malformed as_of fails",
          jq.score_periods(la, lc, { "2014-Q1", "2014-Q2" }, { as_of = "2014-02-30" }))
  T.is(calls, 0, "bad options: nothing scored")
  assert(jq.score_periods(la, lc, { "2014-Q1", "2014-Q2" }, { as_of = "2014-03-31", threads = 2 }))
  T.ok(calls > 0, "the same options fixed: scored")
end

-- limits: 1,000 units x 100 leaves (100,000 results a period)
do
  local big = jq.new()
  assert(big:add_unit({ id = "R", name = "R", level = "province" }))
  for i = 1, 1000 do
    assert(big:add_unit({ id = "u" .. i, name = "u", level = "district", parent = "R" }))
    assert(big:add_event({ unit = "u" .. i, date = "2014-05-01", kind = "note" }))
  end
  local leaves = {}
  for l = 1, 100 do
    leaves[l] = string.format('{"id": "m%d", "title": "m", "max": 1, "method": {"type": "manual"}}', l)
  end
  local head = '{"format": "justice-quarterly/criteria 1.0", "id": "c", "period": "2014", ' ..
    '"units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}], '
  local bc = assert(jq.loads_criteria(head .. '"criteria": [' .. table.concat(leaves, ", ") .. ']}'))
  local v, msg, kind = jq.score_periods(big, bc, { "2014", "2014" }, { max_results = 99999 })
  T.ok(v == nil and kind == "limit" and msg:find("limit of 99999 results", 1, true) and
       not msg:find("share", 1, true), "a lower max_results is the bound, named as the caller's", msg)
  T.ok(jq.score_periods(big, bc, { "2014", "2014" }, { max_results = 100000 }) ~= nil,
       "max_results = the results of a period: scored")
  local many = {}
  for p = 1, 64 do many[p] = "2014" end
  v, msg, kind = jq.score_periods(big, bc, many, { max_results = 1e9 })
  T.ok(v == nil and kind == "limit" and msg:find("64 periods share 5000000 results, 78125 each", 1, true),
    "a higher max_results never passes the share", msg)
  local vc = assert(jq.loads_criteria(head .. '"vetoes": [{"id": "v", "reason": "r", ' ..
    '"event_kind": "x", "cap": "t"}], "criteria": [' .. table.concat(leaves, ", ") .. ']}'))
  v, msg, kind = jq.score_periods(big, vc, { "2014", "2014" }, { max_veto_checks = 999 })
  T.ok(v == nil and kind == "limit" and msg:find("veto checks", 1, true),
    "max_veto_checks reaches the periods", msg)
  -- named after its period, not the results' share (2 periods: 2,500,000 each)
  T.ok(msg and msg:find("score_periods: period 2014: ", 1, true) == 1 and not msg:find("share", 1, true),
    "the veto checks' limit: its period named, not the share", msg)
end

-- A limit names the period it arose in, as jql_score_periods_with() does:
-- 300 districts with one note in 2014-Q1 and three in 2014-Q2, a leaf
-- counting them (300 evidence references in Q1, 900 in Q2).
do
  local d = jq.new()
  assert(d:add_unit({ id = "R", name = "R", level = "province" }))
  for i = 1, 300 do
    assert(d:add_unit({ id = "u" .. i, name = "u", level = "district", parent = "R" }))
    assert(d:add_event({ unit = "u" .. i, date = "2014-02-01", kind = "note" }))
    for day = 1, 3 do assert(d:add_event({ unit = "u" .. i, date = "2014-05-0" .. day, kind = "note" })) end
  end
  local nc = assert(jq.loads_criteria('{"format": "justice-quarterly/criteria 1.0", "id": "c", ' ..
    '"period": "2014", "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}], ' ..
    '"criteria": [{"id": "n", "title": "n", "max": 10, "measure": {"kind": "event_count", ' ..
    '"event_kind": "note"}, "method": {"type": "linear", "target": 3}}]}'))
  T.ok(jq.score_periods(d, nc, { "2014-Q1", "2014-Q1" }, { max_evidence = 600 }) ~= nil,
    "300 references a period: within max_evidence = 600")
  local v, msg, kind = jq.score_periods(d, nc, { "2014-Q1", "2014-Q2", "2014-Q1" }, { max_evidence = 600 })
  T.ok(v == nil and kind == "limit" and msg:find("score_periods: period 2014-Q2: ", 1, true) == 1 and
       msg:find("600 references", 1, true) and not msg:find("2014-Q1", 1, true) and
       not msg:find("share", 1, true), "the evidence limit: 2014-Q2 named, not the share", msg)
  v, msg, kind = jq.score_periods(d, nc, { "2014-Q2", "2014-Q1" }, { max_results = 299 })
  T.ok(v == nil and kind == "limit" and msg:find("score_periods: period 2014-Q2: ", 1, true) == 1 and
       msg:find("limit of 299 results", 1, true) and not msg:find("share", 1, true),
       "a lower max_results: its period named", msg)
end

-- The analyses take the results they are given: the comparison, sensitivity
-- and plans of results scored with jq.score's options are jql-score
-- --compare, --weight, --sensitivity and --plans with the same options, byte
-- for byte (as of 2014-04-12: another answer than without; 2013-Q1, no
-- record, refused without allow_empty; the same bytes on 4 threads).
do
  local dpath, cpath = WORKED .. "/dataset.json", WORKED .. "/criteria.json"
  local ds, c = assert(jq.load(dpath)), assert(jq.load_criteria(cpath))
  local other = assert(jq.load_criteria(REWEIGHTED))
  local args = T.quote(dpath) .. " " .. T.quote(cpath)
  local o = { as_of = "2014-04-12" }
  local b, a = assert(jq.score(ds, c, nil, o)), assert(jq.score(ds, other, nil, o))
  local b4 = assert(jq.score(ds, c, nil, { as_of = "2014-04-12", threads = 4 }))
  local cw = assert(c:clone())
  assert(cw:set_max("A", 4, true))
  local w = assert(jq.score(ds, cw, nil, o))
  local pb, pa = assert(jq.score(ds, c)), assert(jq.score(ds, other))
  local sens = { percent = 20, runs = 50, seed = 9 }
  T.ok((b:compare(a)) ~= (pb:compare(pa)), "compare as of a date: another comparison than without")
  T.ok((b:sensitivity(sens)) ~= (pb:sensitivity(sens)), "sensitivity as of a date: another run")
  T.ok((b:plans()) ~= (pb:plans()), "plans as of a date: other plans")
  local want = cli("--format json --as-of 2014-04-12 --compare " .. T.quote(REWEIGHTED) .. " " .. args)
  if want then T.is((b:compare(a)), want, "compare as of: jql-score --compare --as-of's bytes") end
  want = cli("--format json --as-of 2014-04-12 --weight A=4 " .. args)
  if want then T.is((b:compare(w)), want, "weight as of: jql-score --weight --as-of's bytes") end
  want = cli("--format json --as-of 2014-04-12 --sensitivity 20 --runs 50 --seed 9 " .. args)
  if want then T.is((b:sensitivity(sens)), want, "sensitivity as of: jql-score --sensitivity --as-of's bytes") end
  want = cli("--plans --as-of 2014-04-12 " .. args)
  if want then T.is((b:plans()), want, "plans as of: jql-score --plans --as-of's bytes") end
  T.ok((b4:sensitivity(sens)) == (b:sensitivity(sens)) and (b4:plans()) == (b:plans()) and
       (b4:compare(a)) == (b:compare(a)), "scored on 4 threads: the same analyses")

  T.fails("2013-Q1", "notfound", "2013-Q1 without allow_empty fails", jq.score(ds, c, "2013-Q1"))
  local e = assert(jq.score(ds, c, "2013-Q1", { allow_empty = true }))
  local eo = assert(jq.score(ds, other, "2013-Q1", { allow_empty = true }))
  local empty = " -p 2013-Q1 --allow-empty "
  want = cli("--format json --compare " .. T.quote(REWEIGHTED) .. empty .. args)
  if want then T.is((e:compare(eo)), want, "allow_empty: jql-score --compare --allow-empty's bytes") end
  want = cli("--format json --sensitivity 20 --runs 50 --seed 9" .. empty .. args)
  if want then T.is((e:sensitivity(sens)), want, "allow_empty: jql-score --sensitivity --allow-empty's bytes") end
  want = cli("--plans" .. empty .. args)
  if want then T.is((e:plans()), want, "allow_empty: jql-score --plans --allow-empty's bytes") end
end

-- Long An with the custom function written in Lua: a clone keeps it, and
-- the sensitivity run equals the CLI's (which uses the C function).
do
  local ds = assert(jq.load(T.long_an))
  local c = assert(jq.load_criteria(T.long_an_criteria))
  assert(c:register("mediation_success_rate", T.mediation_success_rate(c)))
  local copy = assert(c:clone())
  local r1, r2 = assert(jq.score(ds, c)), assert(jq.score(ds, copy))
  T.is(r2:to_json(), r1:to_json(), "a clone scores like the original (custom function re-registered)")
  assert(copy:set_max("reporting", 20, true))
  local r3 = assert(jq.score(ds, copy))
  local _, doc = r1:compare(r3)
  local fin = {}
  for _, u in ipairs(r1:to_table().units) do fin[u.id] = { u.final } end
  for _, u in ipairs(r3:to_table().units) do fin[u.id][2] = u.final end
  local same = #doc.units == 15
  for _, u in ipairs(doc.units) do
    local d = math.floor((fin[u.id][2] - fin[u.id][1]) * 1000 + 0.5)
    local got = u.final_change * 1000
    same = same and math.abs(d - got) < 0.5
  end
  T.ok(same, "compare after a weight change: final_change is after - before for every unit")
  local json = r1:sensitivity{percent = 10, runs = 100, seed = 3}
  local want = cli("--format json --sensitivity 10 --runs 100 --seed 3 " .. T.quote(T.long_an) ..
                   " " .. T.quote(T.long_an_criteria))
  if want then T.is(json, want, "Long An sensitivity: byte-identical to jql-score") end
end

-- The tables are built from the C accessors, the JSON by the library's
-- writer: a decoder written here (tests/lua/json.lua) reads the JSON back
-- and every field must match, with its number subtype, for every scoring
-- fixture: comparisons (after an edit, across periods, across fixtures
-- with other units and nodes), sensitivity with every part, plans, trends.
do
  local json = require("json")
  local function same(text, tbl, what)
    local path, d = json.diff(json.decode(text), tbl)
    T.ok(path == nil, what .. ": table = JSON", path and (path .. ": " .. d))
  end
  local fixtures = { "bands", "bonus", "clamping", "explain", "missing", "not-applicable",
                     "rounding", "self-appraised", "worked-example" }
  local prev
  local oat, leaves, margins, plans_units, held, actions = 0, 0, 0, 0, 0, 0
  for _, name in ipairs(fixtures) do
    local dir = T.data("scoring/" .. name)
    local ds = assert(jq.load(dir .. "/dataset.json"))
    local c = assert(jq.load_criteria(dir .. "/criteria.json"))
    local r = assert(jq.score(ds, c))
    -- an edited copy: the first top-level section's maximum doubled (total kept
    -- when it has siblings)
    local c2 = assert(c:clone())
    local top = c:nodes()[1]
    if not c2:set_max(top.id, top.max * 2, true) then assert(c2:set_max(top.id, top.max * 2)) end
    local r2 = assert(jq.score(ds, c2))
    same(r:compare(r2), select(2, r:compare(r2)), name .. " compare after an edit")
    local rh = jq.score(ds, c, "2014-H1")
    if rh then same(rh:compare(r), select(2, rh:compare(r)), name .. " compare across periods") end
    if prev then
      same(prev:compare(r), select(2, prev:compare(r)), name .. " compare with another fixture")
    end
    prev = r
    local opts = { percent = 30, runs = 25, seed = 7, leaves = true }
    local sj, st = r:sensitivity(opts)
    same(sj, st, name .. " sensitivity (all parts)")
    for _, u in ipairs(st.units) do
      oat = oat + (u.one_at_a_time and 1 or 0)
      leaves = leaves + (u.leaves and 1 or 0)
      margins = margins + ((u.margin_up or u.margin_down) and 1 or 0)
    end
    sj, st = r:sensitivity{ percent = 5, runs = 0, margins = false, one_at_a_time = false,
                            seed = "18446744073709551615" }
    same(sj, st, name .. " sensitivity (no parts, 64-bit seed)")
    local pj, pt = r:plans()
    same(pj, pt, name .. " plans")
    for _, u in ipairs(pt.units) do
      plans_units = plans_units + 1
      held = held + (u.held_back and 1 or 0)
      for _, l in ipairs(u.leaves) do actions = actions + (l.action and 1 or 0) end
    end
    local tj, tt = jq.score_periods(ds, c, { "2014-Q1", "2014-H1", "2014" })
    if tj then same(tj, tt, name .. " trend") end
  end
  -- the fixtures reach the optional parts (else the checks above prove little)
  T.ok(oat > 0 and leaves > 0 and margins > 0, "one-at-a-time, leaves and margins compared",
       ("%d %d %d"):format(oat, leaves, margins))
  T.ok(plans_units > 0 and actions > 0, "plans with actions compared",
       ("%d units, %d held back, %d actions"):format(plans_units, held, actions))
  -- Long An: a trend where units move, the reweighted comparison
  local ds = assert(jq.load(T.long_an))
  local c = assert(jq.load_criteria(T.long_an_criteria))
  assert(c:register("mediation_success_rate", T.mediation_success_rate(c)))
  local tj, tt = jq.score_periods(ds, c, { "2014-Q1", "2014-Q2", "2014-H1", "2014" })
  T.ok(tj ~= nil, "Long An trend scored")
  if tj then same(tj, tt, "Long An trend") end
  local moved = 0
  for _, u in ipairs(tt and tt.units or {}) do
    for _, p in ipairs(u.periods) do moved = moved + ((p.movement or 0) ~= 0 and 1 or 0) end
  end
  T.ok(moved > 0, "Long An trend has movements", moved)
  local pj, pt = assert(jq.score(ds, c)):plans()
  same(pj, pt, "Long An plans")
  local W = T.data("scoring/worked-example")
  local wd = assert(jq.load(W .. "/dataset.json"))
  local a = assert(jq.score(wd, assert(jq.load_criteria(W .. "/criteria.json"))))
  local b = assert(jq.score(wd, assert(jq.load_criteria(REWEIGHTED))))
  same(a:compare(b), select(2, a:compare(b)), "worked example reweighted compare")
end

T.done()
