-- The clarified edge rules and the new warnings through Lua, on the fixtures
-- of tests/data/edge/ that the C, CLI and Python tests read too.
local T = require("tap")
local jq = require("justice_quarterly")

local function edge(name)
  return assert(jq.load(T.data("edge/" .. name .. "/dataset.json"))),
         assert(jq.load_criteria(T.data("edge/" .. name .. "/criteria.json")))
end

local function node(r, unit, id)
  for _, n in ipairs(r:unit(unit).nodes) do
    if n.id == id then return n end
  end
end

local function count(list, fragment)
  local n = 0
  for _, w in ipairs(list) do
    if w.message:find(fragment, 1, true) then n = n + 1 end
  end
  return n
end

-- The clarified rules.
local r = assert(jq.score(edge("overdue-no-task")))
T.is(node(r, "U1", "OV").points, 0, "no task due: the count overdue has no data (missing zero)")
T.is(node(r, "U1", "OV").no_data, true, "no task due: no_data")
T.is(node(r, "U2", "OV").points, 1, "one overdue task: 2 - 1")
r = assert(jq.score(edge("mean-exact")))
T.is(node(r, "D1", "M").points, 0.125, "mean 0.2505 is exact: 0.125, not 0.126")
T.is(node(r, "P", "MR").points, 0.104, "roll-up of exact unit means")
T.fails("/statistics/0 (line 8, column 5)", nil, "same-dates statistics: both locations",
  jq.load(T.data("invalid/same_dates.json")))
r = assert(jq.score(edge("outermost-periods")))
T.is(node(r, "U1", "S").points, 1.5, "only the outermost recorded periods")
r = assert(jq.score(edge("latest-report")))
T.is(node(r, "U1", "LP").points, 0.7, "latest report: the period ending last")
r = assert(jq.score(edge("never-submitted-deductions")))
T.is(r:unit("U1").deductions, 9.5, "never submitted: every computed deduction at its maximum")
r = assert(jq.score(edge("boolean-no-condition")))
T.is(node(r, "U2", "X").points, 1, "boolean without a condition: 0.001 > 0")
T.is(node(r, "U1", "X").points, 0, "boolean without a condition: 0 is not > 0")
r = assert(jq.score(edge("appraisal-vs-not-applicable")))
T.is(node(r, "U1", "MN").points, 1.5, "an appraisal overrides missing: not_applicable")
T.is(node(r, "U1", "DN").applicable, false, "but not a declared not applicable")

-- Warning: a computed leaf no scored unit has data for (same results as above).
local w = r:warnings()
T.is(#w, 1, "one warning on the results")
T.ok(w[1].path == "/criteria/0" and w[1].severity == "warning" and
  w[1].message:find('leaf "MN": its measure has no data', 1, true) ~= nil,
  "warning: computed leaf without data", w[1].message)

-- Empty and unknown periods.
local ds, c = edge("overdue-no-task")
T.fails("unknown period 2013", "notfound", "an undeclared empty period is unknown",
  jq.score(ds, c, "2013"))
r = jq.score(ds, c, "2013", { allow_empty = true })
T.ok(r ~= nil, "allow_empty scores it")
T.is(r and r:warnings()[1].path, "/period", "with a warning at /period")
T.same(assert(jq.score(ds, c)):warnings(), {}, "no warning when every leaf has data somewhere")

-- Warning: a manual leaf no scored unit has an assessment for.
local nfc = assert(jq.load(T.data("edge/nfc/dataset-nfc.json")))
local cr = assert(jq.load_criteria(T.data("edge/nfc/criteria.json")))
r = assert(jq.score(nfc, cr, "2014-H2"))
T.is(count(r:warnings(), 'manual leaf "hoa-giai": no scored unit has an assessment'), 1,
  "warning: manual leaf without assessment")

-- Warning: text not in NFC, once per file; matching in NFC; free text kept.
local nfd = assert(jq.load(T.data("edge/nfc/dataset-nfd.json")))
T.is(count(nfd:warnings(), "not in Unicode NFC"), 1, "one NFC warning for the dataset")
T.same(nfc:warnings(), {}, "no warning for the NFC dataset")
local a, b = assert(jq.score(nfc, cr)), assert(jq.score(nfd, cr))
T.is(b:unit("tan-an").final, a:unit("tan-an").final, "NFD scores like NFC")
T.is(b:unit("tan-an").final, 5, "the city's mediation leaf is not applicable")
T.ok(#b:unit("tan-an").name > #a:unit("tan-an").name, "free text kept byte for byte")
local crd = assert(jq.load_criteria(T.data("edge/nfc/criteria-nfd.json")))
T.is(count(crd:warnings(), "not in Unicode NFC"), 1, "one NFC warning for the criteria set")
T.is(assert(jq.score(nfc, crd)):to_json(), a:to_json(), "an NFD criteria set gives the same JSON")

-- Warning: shares written as fractions.
local sh = assert(jq.load_criteria(T.data("edge/shares-as-fractions.json")))
local sw = sh:warnings()
T.is(#sw, 2, "two share warnings")
T.is(sw[2].path, "/quotas/0/share", "the quota share")
T.ok(sw[1].message:find('"share": 25', 1, true) ~= nil, "names the fix", sw[1].message)

-- The wrong file kind, in one line.
local v, msg = jq.load(T.data("edge/nfc/criteria.json"))
T.ok(v == nil and msg:find("this is a criteria set", 1, true) ~= nil, "criteria given as a dataset", msg)
v, msg = jq.load_criteria(T.data("edge/nfc/dataset-nfc.json"))
T.ok(v == nil and msg:find("this is a dataset", 1, true) ~= nil, "dataset given as criteria", msg)

T.done()
