-- The as-of rule from Lua (tests/data/as-of/: records either side of
-- 21 March 2014; points worked out by hand, as in tests/test_asof.c).
local T = dofile((arg[0]:match("^(.*)/[^/]*$") or ".") .. "/tap.lua")
local jq = require("justice_quarterly")

local ds = assert(jq.load(T.data("as-of/dataset.json")))
local c = assert(jq.load_criteria(T.data("as-of/criteria.json")))

local function leaf_points(r)
  local out = {}
  for _, n in ipairs(r:unit("U").nodes) do out[n.id] = n.points end
  return out
end

local function check(r, want, name)
  local got = leaf_points(r)
  for id, v in pairs(want) do T.is(got[id], v, name .. ": " .. id) end
end

local all = { missing = 10, worst = 5, ["reports-due"] = 3.333, tasks = 6.667,
              directives = 6.667, events = 8, x = 10, y = 7 }
local conference = { missing = 9, worst = 0, ["reports-due"] = 0, tasks = 5,
                     directives = 5, events = 9, x = 10, y = 0 }

check(assert(jq.score(ds, c)), all, "no as-of date")
check(assert(jq.score(ds, c, nil, { as_of = "2014-03-21" })), conference, "as of 21/3/2014")
check(assert(jq.score(ds, c, { as_of = "2014-03-21" })), conference, "options in third place")
check(assert(jq.score(ds, c, { period = "2014", as_of = "2014-03-21" })), conference,
  "period and as_of in the options")

local r, msg = jq.score(ds, c, nil, { as_of = "2014-02-30" })
T.ok(r == nil and msg:find("not an existing date", 1, true) ~= nil, "a bad as_of is refused", msg)
local ok = pcall(jq.score, ds, c, nil, { as_of = 20140321 })
T.ok(not ok, "as_of must be a string")

-- allow_empty and as_of in one options table (tests/test_asof.c)
T.fails("unknown period 2013", "notfound", "an undeclared empty period is unknown as of a date too",
  jq.score(ds, c, "2013", { as_of = "2013-06-30" }))
local e = jq.score(ds, c, "2013", { as_of = "2013-06-30", allow_empty = true })
T.is(e and #e:warnings(), 1, "allow_empty with as_of: scored with one warning")
T.is(e and e:warnings()[1].path, "/period", "the warning is at /period")
e = jq.score(ds, c, { period = "2013", as_of = "2013-06-30", allow_empty = true })
T.is(e and e:warnings()[1].path, "/period", "allow_empty in the options in third place")
local early = assert(jq.score(ds, c, nil, { as_of = "2013-12-01" }))
T.is(#early:warnings(), 7, "before every record: seven leaves without data, the year not empty")
T.ok(early:warnings()[1].message:find("in period 2014 as of 2013-12-01", 1, true) ~= nil,
  "the leaf warnings say as of the date", early:warnings()[1].message)

local cli = T.score_bin and (function()
  local p = io.popen(T.quote(T.score_bin) .. " --format json --as-of 2014-03-21 " ..
    T.quote(T.data("as-of/dataset.json")) .. " " .. T.quote(T.data("as-of/criteria.json")))
  local s = p:read("*a")
  p:close()
  return s
end)()
if cli then
  T.is(assert(jq.score(ds, c, nil, { as_of = "2014-03-21" })):to_json(), cli,
    "to_json() byte-identical to jql-score --as-of")
else
  T.skip("to_json() byte-identical to jql-score --as-of", "JQL_SCORE_BIN not set")
end

-- r:as_of(): the date the results were scored as of, nil without one; the
-- document (to_table, to_json) has "as_of" only then
local plain = assert(jq.score(ds, c))
T.is(plain:as_of(), nil, "as_of() is nil without an as-of date")
T.is(plain:to_table().as_of, nil, "to_table() has no as_of without one")
T.ok(not plain:to_json():find('"as_of"', 1, true), "to_json() has no as_of without one")
local conf = assert(jq.score(ds, c, nil, { as_of = "2014-03-21" }))
T.is(conf:as_of(), "2014-03-21", "as_of() is the date")
T.is(conf:to_table().as_of, "2014-03-21", "to_table().as_of is the date")
T.ok(conf:to_json():find('"period": "2014",\n  "as_of": "2014-03-21",\n', 1, true) ~= nil,
  "to_json(): as_of right after period")
local tr = assert(jq.score_periods(ds, c, { "2014-Q1", "2014" }, { as_of = "2014-03-21" }))
T.ok(tr:find('"as_of": "2014-03-21"', 1, true) ~= nil, "score_periods' trend JSON has the date")

-- the refusal of an empty period names Lua's way to allow it
T.fails("(allow empty periods to score it anyway: {allow_empty = true})", "notfound",
  "the refusal names {allow_empty = true}", jq.score(ds, c, "2013"))
T.fails("anyway: {allow_empty = true})", "notfound",
  "the refusal names {allow_empty = true} with options given", jq.score(ds, c, "2013", { as_of = "2013-06-30" }))
T.fails("anyway: {allow_empty = true})", "notfound", "jq.score_periods names it too",
  jq.score_periods(ds, c, { "2014", "2013" }))

T.done()
