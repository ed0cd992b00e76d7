-- Scoring: results as tables and JSON, byte-identical to the C CLI
-- (jql-score --format json, run when JQL_SCORE_BIN names it) and to the
-- fixtures' expected.json files.
local T = require("tap")
local jq = require("justice_quarterly")

if not T.score_bin then
  T.diag("JQL_SCORE_BIN is not set (examples not built): comparing with expected.json files only")
end

-- Every scoring fixture: tests/data/scoring/<case>/{dataset,criteria}.json
for _, case in ipairs(T.list(T.data("scoring"))) do
  local dir = T.data("scoring/" .. case)
  local dpath, cpath = dir .. "/dataset.json", dir .. "/criteria.json"
  if T.exists(dpath) and T.exists(cpath) then
    local ds = assert(jq.load(dpath))
    local c = assert(jq.load_criteria(cpath))
    local r, msg = jq.score(ds, c)
    if T.ok(r ~= nil, case .. ": scores", msg) then
      local json = r:to_json()
      local cli = T.cli_json(dpath, cpath)
      if cli then
        T.is(json, cli, case .. ": to_json() is byte-identical to jql-score --format json")
      end
      if T.exists(dir .. "/expected.json") then
        T.is(json, T.read(dir .. "/expected.json"), case .. ": to_json() equals expected.json")
      elseif not cli then
        T.skip(case .. ": JSON compared with the C CLI", "no jql-score and no expected.json")
      end
      -- The tables are the JSON decoded: same units, same order.
      local doc = r:to_table()
      T.is(#r, #doc.units, case .. ": #results is the number of units")
      local same = true
      for i = 1, #r do
        same = same and r[i].id == doc.units[i].id and r[i].rank == doc.units[i].rank
      end
      T.ok(same, case .. ": results[i] match to_table().units[i]")
    end
  end
end

-- The worked example (docs/SCORING.md), by hand: U1 has A = 2 (on time) and
-- B = 9/10 tasks x 8 = 7.2, total 9.2, rank 1.
local ds = assert(jq.load(T.data("scoring/worked-example/dataset.json")))
local c = assert(jq.load_criteria(T.data("scoring/worked-example/criteria.json")))
local r = assert(jq.score(ds, c))
T.is(r:period(), "2014", "results period")
T.is(r:criteria_id(), "worked-example", "results criteria id")
T.ok(tostring(r):find("justice_quarterly.results (worked-example, 2014, 4 units)", 1, true) == 1,
  "tostring of results", tostring(r))
T.is(#r, 4, "four units scored")
local u1 = r:unit("U1")
T.is(u1.total, 9.2, "U1 total 9.2 (the double nearest to 9.2)")
T.is(u1.total, 9200 / 1000, "points equal thousandths / 1000")
T.is(u1.final, 9.2, "U1 final")
T.is(u1.applicable_max, 10, "whole points are integers (5.3+)")
T.is(u1.rank, 1, "U1 rank")
T.is(u1.cluster, "c1", "U1 cluster")
T.is(u1.tier, "excellent", "U1 tier")
T.is(u1.leader, true, "U1 leads its cluster")
T.same(u1.vetoes, {}, "no veto")
T.is(u1.held_back, nil, "JSON null becomes nil")
T.is(u1.nodes[1].id, "A", "node A")
T.is(u1.nodes[1].points, 2, "node A points")
T.is(u1.nodes[2].points, 7.2, "node B points 7.2")
T.is(r:unit("nope"), nil, "results:unit(unknown) is nil")
T.is(r[0], nil, "results[0] is nil")
T.is(r[5], nil, "results[#results + 1] is nil")
T.is(r[1.5], nil, "results[1.5] is nil")
T.is(r[1].id, u1.id, "results[1] is the top-ranked unit")

-- results[i] are fresh copies: changing one does not change the results.
local first = r[1]
first.total = -1
first.nodes[1].points = -1
T.is(r[1].total, 9.2, "results[i] returns a copy")
T.is(r[1].nodes[1].points, 2, "nested tables are copies too")

-- Generic for and ranks in order.
local n, ranks_ok, last_rank = 0, true, 0
for unit in r:units() do
  n = n + 1
  ranks_ok = ranks_ok and unit.rank >= last_rank
  last_rank = unit.rank
end
T.is(n, 4, "results:units() visits every unit")
T.ok(ranks_ok, "units come by rank")
if _VERSION == "Lua 5.3" or _VERSION == "Lua 5.4" then
  local via_ipairs = 0
  for _ in ipairs(r) do via_ipairs = via_ipairs + 1 end
  T.is(via_ipairs, 4, "ipairs(results) works through __index")
else
  T.skip("ipairs(results) works through __index", "ipairs ignores __index before 5.3")
end

-- to_table(): the whole document.
local doc = r:to_table()
T.is(doc.format, "justice-quarterly/results 1.0", "to_table().format")
T.is(doc.scale, 10, "to_table().scale")
T.is(#doc.units, 4, "to_table().units")
T.same(doc.units[1], r[1], "to_table().units[1] equals results[1]")

-- Overriding the period; unknown periods fail the luv way.
local r2, msg = jq.score(ds, c, "2014-H1")
T.ok(r2 ~= nil and r2:period() == "2014-H1", "score with an explicit period", msg)
if r2 and T.score_bin then
  T.is(r2:to_json(), T.cli_json(T.data("scoring/worked-example/dataset.json"),
    T.data("scoring/worked-example/criteria.json"), "2014-H1"), "explicit period: identical to the CLI")
end
T.fails(nil, nil, "an unknown period", jq.score(ds, c, "no-such-period"))

-- Criteria that do not fit the dataset.
local other = assert(jq.load(T.data("valid/minimal.json")))
local rr, m, code = jq.score(other, c)
T.ok(rr == nil and type(m) == "string" and type(code) == "string", "criteria naming units the dataset lacks",
  tostring(m))

-- The Long An example (built-in methods only: no registration needed).
local la = assert(jq.load(T.long_an))
local lc, warn = jq.load_criteria(T.long_an_criteria)
if T.ok(lc ~= nil, "load the Long An criteria", warn) then
  local rla, e = jq.score(la, lc)
  if T.ok(rla ~= nil, "Long An scores with no registration", e) then
    T.is(#rla, 15, "15 district offices scored")
    local cli = T.cli_json(T.long_an, T.long_an_criteria)
    if cli then
      T.is(rla:to_json(), cli, "Long An: to_json() byte-identical to jql-score --format json")
    else
      T.skip("Long An: to_json() byte-identical to jql-score", "JQL_SCORE_BIN not set")
    end
    local clusters = {}
    for u in rla:units() do
      if u.cluster then clusters[u.cluster] = (clusters[u.cluster] or 0) + 1 end
    end
    T.ok(clusters["cum-1"] == 6 and clusters["cum-2"] == 5 and clusters["cum-3"] == 4,
      "units per cluster as in the README")
  end
end

-- Evidence levels: byte-identical to jql-score --format json --evidence LEVEL.
do
  local dpath = T.data("scoring/worked-example/dataset.json")
  local cpath = T.data("scoring/worked-example/criteria.json")
  local r = assert(jq.score(assert(jq.load(dpath)), assert(jq.load_criteria(cpath))))
  T.is(r:to_json("full"), r:to_json(), "to_json('full') is to_json()")
  for _, level in ipairs({"ids", "none"}) do
    local json = r:to_json(level)
    T.ok(json:find('"evidence_level": "' .. level .. '"', 1, true) ~= nil, "to_json('" .. level .. "') says its level")
    T.ok(#json < #r:to_json(), "to_json('" .. level .. "') is smaller than full")
    if T.score_bin then
      local p = io.popen(T.quote(T.score_bin) .. " --format json --evidence " .. level .. " " ..
        T.quote(dpath) .. " " .. T.quote(cpath) .. " 2>/dev/null")
      local cli = p:read("*a")
      p:close()
      T.is(json, cli, "to_json('" .. level .. "') is byte-identical to jql-score --evidence " .. level)
    end
  end
  T.ok(r:to_json("ids"):find('"/reports/', 1, true) ~= nil, "ids: JSON Pointers into the dataset")
  T.ok(r:to_json("none"):find('"evidence":', 1, true) == nil, "none: no evidence member")
  T.raises(function() r:to_json("some") end, "invalid option", "to_json: unknown level")
end

-- Load options: max_input_size lowers (and raises) the input limit.
do
  local text = T.read(T.data("scoring/worked-example/dataset.json"))
  local ds, msg, errors = jq.loads(text, "we", {max_input_size = #text - 1})
  T.ok(ds == nil and msg:find("max-input-size", 1, true) ~= nil, "loads: over max_input_size is refused", msg)
  T.ok(assert(jq.loads(text, "we", {max_input_size = #text})) ~= nil, "loads: exactly max_input_size loads")
  local d2, m2 = jq.load(T.data("scoring/worked-example/dataset.json"), {max_input_size = 100})
  T.ok(d2 == nil and m2:find("larger", 1, true) ~= nil, "load: max_input_size applies to files", m2)
  T.raises(function() jq.loads(text, "we", {max_input_size = 0}) end, "positive", "max_input_size 0 raises")
end

-- Scored without evidence: the same results but for evidence, which nothing shows.
do
  local bare = assert(jq.score(ds, c, nil, { evidence = false }))
  T.is(bare:to_json("none"), r:to_json("none"), "evidence = false: the same results at evidence level none")
  local ok, err = pcall(function() return bare:to_json() end)
  T.ok(not ok and tostring(err):find("without evidence", 1, true) ~= nil,
    "evidence = false: to_json() at level full raises", tostring(err))
  T.raises(function() jq.score(ds, c, nil, { evidence = "no" }) end, "evidence must be a boolean",
    "evidence = \"no\" raises")
end

-- The limits of one scoring, replaced for one call (nil: the defaults).
do
  local many = assert(jq.score(ds, c, nil, { max_results = 1000000000 }))
  T.is(many:to_json(), r:to_json(), "max_results raised: the same results")
  local v, msg, code = jq.score(ds, c, nil, { max_results = 1 })
  T.fails("limit of 1 results", nil, "max_results = 1: refused with the limit named", v, msg, code)
  v, msg, code = jq.score(ds, c, nil, { max_veto_checks = 1 })
  T.fails("limit of 1 veto checks", nil, "max_veto_checks = 1: refused", v, msg, code)
  v, msg, code = jq.score(ds, c, nil, { max_veto_text = 1 })
  T.fails("limit of 1 bytes", nil, "max_veto_text = 1: refused", v, msg, code)
  v, msg, code = jq.score(ds, c, nil, { max_evidence = 1 })
  T.fails("passes 1 references", nil, "max_evidence = 1: refused while scoring", v, msg, code)
  local bare = assert(jq.score(ds, c, nil, { max_evidence = 1, evidence = false }))
  T.is(bare:to_json("none"), r:to_json("none"), "max_evidence = 1 without evidence: the same results")
  T.raises(function() jq.score(ds, c, nil, { max_results = 0 }) end, "positive number",
    "max_results = 0 raises")
end

-- An events item's rule names the criteria's event kind, any text: the
-- results JSON escapes it (a kind with a quote was written bare) and the
-- table gives the same rule.
do
  local json = require("json")
  local crit = [[{"format": "justice-quarterly/criteria 1.0", "id": "q", "period": "2014",
    "scale": 10, "units": {"levels": ["district"]},
    "criteria": [{"id": "S", "title": "S", "max": 10, "method": {"type": "manual"}}],
    "bonus": {"cap": 2, "items": [{"id": "BI", "title": "I", "max": 10,
      "source": "events", "event_kind": "in\"it\\iative"}]},
    "tiers": [{"id": "all", "name": "All", "min": 0}]}]]
  local ds = assert(jq.load(T.data("scoring/bonus/dataset.json")))
  local c = assert(jq.loads_criteria(crit, "quote.json"))
  local r = assert(jq.score(ds, c))
  local want = "events: 0 in\"it\\iative \226\134\146 0"
  local doc = json.decode(r:to_json())
  T.is(doc.units[1].bonus_items[1].rule, want, "events rule with a quote: the JSON parses and reads back")
  T.is(r:unit(doc.units[1].id).bonus_items[1].rule, want, "events rule with a quote: the table's rule")
end

-- A roll-up of an indicator without a single statistic (none in the
-- dataset at all): no data, not a crash.
do
  local ds = jq.new()
  assert(ds:add_unit({ id = "P", name = "P", level = "province" }))
  assert(ds:add_unit({ id = "D", name = "D", level = "district", parent = "P" }))
  assert(ds:add_indicator({ id = "n", name = "N" }))
  T.fails(nil, "nodata", "roll-up of an indicator without statistics", ds:value("P", "n", "2014-Q1", true))
end

-- Streamed output: r:write(obj [, evidence]) and r:write_plans(obj) give
-- obj:write(chunk) the bytes of r:to_json() and of the plans' JSON; a
-- write that returns nil, message is refused ("io"), one that raises
-- re-raises, closing the results meanwhile is refused.
do
  local ds = assert(jq.load(T.data("scoring/worked-example/dataset.json")))
  local c = assert(jq.load_criteria(T.data("scoring/worked-example/criteria.json")))
  local r = assert(jq.score(ds, c))
  local function collector()
    local parts = {}
    return { parts = parts, write = function(self, chunk) parts[#parts + 1] = chunk; return self end }
  end
  for _, level in ipairs({ "full", "ids", "none" }) do
    local sink = collector()
    T.is(r:write(sink, level), true, "write(" .. level .. "): true")
    T.is(table.concat(sink.parts), r:to_json(level), "write(" .. level .. ") = to_json(" .. level .. ")")
  end
  local f = assert(io.tmpfile())
  T.is(r:write(f), true, "write to a Lua file")
  f:seek("set")
  T.is(f:read("*a"), r:to_json(), "the file holds to_json()'s bytes")
  f:close()
  local sink = collector()
  T.is(r:write_plans(sink), true, "write_plans: true")
  T.is(table.concat(sink.parts), (r:plans()), "write_plans = plans()'s JSON")
  local full = { write = function() return nil, "disk full" end }
  T.fails(nil, "io", "a write returning nil, message", r:write(full))
  local _, msg = r:write(full)
  T.is(msg, "disk full", "the write method's own message")
  T.fails(nil, "io", "write_plans to a refusing write", r:write_plans(full))
  local ok, err = pcall(r.write, r, { write = function() error("boom") end })
  T.ok(not ok and tostring(err):find("boom", 1, true), "a raising write re-raises", err)
  ok, err = pcall(r.write, r, { write = function() r:close() end })
  T.ok(not ok and tostring(err):find("while they are written", 1, true), "no closing while written", err)
  T.is(r:to_json(), table.concat((function() local s = collector(); r:write(s); return s.parts end)()),
    "the results still whole afterwards")
  T.raises(function() r:write(42) end, "write method", "a number is not a sink")
  T.raises(function() r:write({}) end, "write method", "a table without write is not a sink")
end

T.done()
