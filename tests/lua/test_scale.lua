-- Results of hostile shapes through the Lua binding (issue 10): what a
-- table costs is what the caller reads, and what no document may hold is
-- refused as results:to_json() refuses it. Memory is measured with the
-- collector stopped (collectgarbage("count") then counts every table made);
-- times are bench/'s business.
local T = require("tap")
local jq = require("justice_quarterly")

-- A chain of n units (u1 the root, each the parent of the next), one
-- statistics report each, scored with one roll-up leaf: a unit's leaf
-- cites the reports of its whole subtree, so the chain cites
-- n (n + 1) / 2 records for n of them.
local function chain(n)
  local units, reports = {}, {}
  for i = 1, n do
    local parent = i > 1 and string.format(', "parent": "u%d"', i - 1) or ""
    units[i] = string.format('{"id": "u%d", "name": "x", "level": "district"%s}', i, parent)
    reports[i] = string.format('{"unit": "u%d", "period": "2014-Q1", "kind": "statistics", '
      .. '"due": "2014-04-10", "submitted": "2014-04-09", "complete": true}', i)
  end
  local ds = assert(jq.loads('{"format": "justice-quarterly/dataset 1.0", "units": ['
    .. table.concat(units, ",") .. '], "reports": [' .. table.concat(reports, ",") .. ']}'))
  local c = assert(jq.loads_criteria([[{"format": "justice-quarterly/criteria 1.0", "id": "c",
    "period": "2014-Q1", "units": {"levels": ["district"]}, "tiers": [{"id": "t", "name": "t", "min": 0}],
    "criteria": [{"id": "x", "title": "x", "max": 100,
      "measure": {"kind": "report_share_on_time", "rollup": true},
      "method": {"type": "linear", "target": 100}}]}]]))
  return assert(jq.score(ds, c))
end

-- ---- a chain's evidence: one table per record, not per citation -------------
-- Each unit's table made a table for every record its leaf cites: a
-- 20,000-unit chain made 200 million of them (results:units() more than
-- 120 s, results:to_table() 7.8 GB). Now a record is one table, made when
-- first cited and shared by every citation.
do
  local n = 1000
  local r = chain(n)
  collectgarbage("collect")
  collectgarbage("stop")
  local before = collectgarbage("count")
  local cited, units = 0, 0
  for u in r:units() do
    units = units + 1
    cited = cited + #u.nodes[1].evidence
  end
  local grew = collectgarbage("count") - before
  collectgarbage("restart")
  T.is(units, n, "the chain: every unit read")
  T.is(cited, math.floor(n * (n + 1) / 2), "each unit cites its subtree's reports")
  T.diag(("1,000-unit chain, every unit and its evidence: %.0f KiB made"):format(grew))
  T.ok(grew < 40 * 1024, "500,500 citations of 1,000 records make about a table a record",
    ("%.0f KiB"):format(grew))

  local u2 = r:unit("u2").nodes[1].evidence
  local last = r:unit("u1000").nodes[1].evidence
  T.ok(#last == 1 and last[1] == u2[#u2], "a record cited twice is the one table")
  T.same(last[1], { kind = "report", unit = "u1000", period = "2014-Q1", report_kind = "statistics" },
    "the record's fields are those of the JSON")
  local doc, same = r:to_table(), false
  for _, u in ipairs(doc.units) do
    if u.id == "u1000" then same = u.nodes[1].evidence[1] == last[1] end
  end
  T.ok(same, "to_table() cites the same tables")
end

-- ---- a document citing more than any document may list --------------------
-- 10,001 units: 50,015,001 citations, over JQL_MAX_RESULTS_EVIDENCE
-- (50,000,000), which results:to_json() refuses: results:to_table() built
-- them (a table each) until memory ran out; it now raises the same limit,
-- at the caller's line. One unit's table is still there.
do
  local r = chain(10001)
  local ok, err = pcall(function()
    local doc = r:to_table()
    return doc
  end)
  T.ok(not ok and tostring(err):find("the results cite 50015001 evidence records, over the limit of 50000000", 1, true),
    "to_table() past the evidence limit raises", tostring(err))
  T.ok(not ok and tostring(err):find("^[^:]*test_scale%.lua:%d+: "), "the error names the caller's line",
    tostring(err))
  local ok2, err2 = pcall(function() local j = r:to_json(); return j end)
  T.ok(not ok2 and tostring(err2):find("over the limit of 50000000", 1, true), "as to_json() does",
    tostring(err2))
  T.is(#r:unit("u10001").nodes[1].evidence, 1, "units are still read one at a time")
end

T.done()
