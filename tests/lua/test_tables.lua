-- Results as tables: built in C from the library's accessors, they must be
-- the results JSON read by the documented rules (a null is a missing key;
-- numbers are thousandths: whole ones integers on 5.3+, others value/1000).
-- The JSON is read by the tests' own decoder, for every scoring and edge
-- fixture and the bundled Long An sheets, units and whole documents.
local T = require("tap")
local jq = require("justice_quarterly")

-- the tests' own JSON decoder (tests/lua/json.lua), independent of the binding
local decode = require("json").decode

-- The reader itself, on text whose reading is known.
T.same(decode('{"a": 1.500, "b": null, "c": [true, "x\\u00e9\\n"], "d": 2.000, "e": -0.001}'),
  { a = 1.5, c = { true, "x\195\169\n" }, d = 2, e = -0.001 }, "the test's JSON reader")
if math.type then T.is(math.type(decode("2.000")), "integer", "2.000 reads as an integer") end

local function check(label, ds, c)
  local r, msg = jq.score(ds, c)
  if not T.ok(r ~= nil, label .. ": scores", msg) then return end
  local doc = decode(r:to_json())
  T.same(r:to_table(), doc, label .. ": to_table() is the results JSON")
  T.is(#r, #doc.units, label .. ": one table per unit")
  local same, where = true, nil
  for i = 1, #r do
    local u = r[i]
    if u.id ~= doc.units[i].id or r:unit(u.id).rank ~= doc.units[i].rank then
      same, where = false, u.id
    end
  end
  T.ok(same, label .. ": results[i] and results:unit(id) are the document's units", where)
  T.same(r[#r], doc.units[#doc.units], label .. ": the last unit's table is its JSON")
  local n = 0
  for u in r:units() do
    n = n + 1
    if n == 1 then T.same(u, doc.units[1], label .. ": results:units() gives the JSON units") end
  end
end

local cases = {}
for _, dir in ipairs({ "scoring", "edge" }) do
  for _, case in ipairs(T.list(T.data(dir))) do
    local base = T.data(dir .. "/" .. case)
    for _, sheet in ipairs(T.list(base, ".json")) do
      if sheet:match("^criteria") and T.exists(base .. "/dataset.json") then
        cases[#cases + 1] = { dir .. "/" .. case .. "/" .. sheet, base .. "/dataset.json", base .. "/" .. sheet }
      end
    end
  end
end
T.ok(#cases >= 15, "the scoring and edge fixtures are found (" .. #cases .. ")")
for _, case in ipairs(cases) do
  check(case[1], assert(jq.load(case[2])), assert(jq.load_criteria(case[3])))
end
check("Long An", assert(jq.load(T.long_an)), assert(jq.load_criteria(T.long_an_criteria)))
local custom = assert(jq.load_criteria(T.examples_data .. "/long-an-2014/criteria-2014-custom.json"))
custom:register("mediation_success_rate", T.mediation_success_rate(custom))
check("Long An (custom function)", assert(jq.load(T.long_an)), custom)

-- results:unit(id) asks jql_results_unit_find: ids compare in Unicode NFC
do
  local ds = jq.new()
  assert(ds:add_unit{ id = "P", name = "Province", level = "province" })
  local nfc = "\196\145\225\187\169c"  -- U+0111 U+1EE9 c (no \u{} escapes in Lua 5.1)
  assert(ds:add_unit{ id = nfc, name = "Duc", level = "district", parent = "P" })
  assert(ds:add_report{ unit = nfc, period = "2014-Q1", kind = "statistics",
                        due = "2014-04-10", submitted = "2014-04-10", complete = true })
  local c = assert(jq.loads_criteria([[{"format": "justice-quarterly/criteria 1.0", "id": "x",
    "period": "2014", "scale": 10, "units": {"levels": ["district"]},
    "criteria": [{"id": "A", "title": "A", "max": 10, "method": {"type": "custom", "function": "f"}}],
    "tiers": [{"id": "t", "name": "T", "min": 0}]}]]))
  assert(c:register("f", function() return 1 end))
  local r = assert(jq.score(ds, c))
  local nfd = "\196\145u\204\155\204\129c"  -- decomposed: U+0111, u, horn U+031B, acute U+0301, c
  T.ok(nfd ~= nfc, "the NFD spelling differs byte for byte")
  local u = r:unit(nfd)
  T.is(u and u.id, nfc, "found by its NFD spelling")
  T.is(r:unit("P"), nil, "an unscored unit: nil")
end
T.done()
