-- Hostile use of the Lua binding: metatables are not reachable from plain
-- Lua, every way of freeing an object (close, __close, __gc called directly
-- through the debug library) respects "in use by jq.score", and strings
-- with an embedded NUL are refused wherever they reach the library (C
-- strings would stop at the NUL and silently name something else).
local T = require("tap")
local jq = require("justice_quarterly")

local CRITERIA = [[{
  "format": "justice-quarterly/criteria 1.0",
  "id": "hostile",
  "period": "2014",
  "scale": 10,
  "units": {"levels": ["district"]},
  "criteria": [
    {"id": "A", "title": "Custom A", "max": 6, "method": {"type": "custom", "function": "fa"}},
    {"id": "B", "title": "Custom B", "max": 4, "method": {"type": "custom", "function": "fb"}}
  ],
  "tiers": [{"id": "top", "name": "Top", "min": 5}, {"id": "low", "name": "Low", "min": 0}]
}]]

local function dataset()
  local ds = jq.new()
  assert(ds:add_unit({ id = "P", name = "Province", level = "province" }))
  assert(ds:add_unit({ id = "D1", name = "District 1", level = "district", parent = "P" }))
  assert(ds:add_unit({ id = "D2", name = "District 2", level = "district", parent = "P" }))
  -- a record in the period: a period with nothing in it is refused
  assert(ds:add_event({ unit = "D1", date = "2014-05-01", kind = "note" }))
  return ds
end

local ds = dataset()
local c = assert(jq.loads_criteria(CRITERIA, "hostile.json"))
c:register("fb", function() return 1 end)
local r = assert((function() c:register("fa", function() return 2 end) return jq.score(ds, c) end)())

-- ---- protected metatables ------------------------------------------------
T.is(getmetatable(ds), "justice_quarterly.dataset", "getmetatable(dataset) is a name, not the table")
T.is(getmetatable(c), "justice_quarterly.criteria", "getmetatable(criteria) is a name")
T.is(getmetatable(r), "justice_quarterly.results", "getmetatable(results) is a name")
T.ok(not pcall(function() return getmetatable(ds).__gc(ds) end),
  "getmetatable(ds).__gc(ds) cannot be called")
T.is(ds:counts().units, 3, "and the dataset is intact")

-- ---- __gc and close respect the in-use guard --------------------------------
local dbg_mt = debug and debug.getmetatable
local function fails_with(fn, fragment, name)
  c:register("fa", fn)
  local res, m, k = jq.score(ds, c)
  T.ok(res == nil and type(m) == "string" and m:find(fragment, 1, true) ~= nil and k == "callback",
    name, "got: " .. tostring(res) .. ", " .. tostring(m) .. ", " .. tostring(k))
end
if dbg_mt then
  fails_with(function(d) dbg_mt(d).__gc(d) return 1 end, "cannot be closed",
    "debug.getmetatable(ds).__gc(ds) inside a custom function is refused")
  fails_with(function() dbg_mt(c).__gc(c) return 1 end, "cannot be closed",
    "debug.getmetatable(c).__gc(c) inside a custom function is refused")
  fails_with(function(d) dbg_mt(d).__close(d) return 1 end, "cannot be closed",
    "__close called directly inside is refused")
  c:register("fa", function() return 2 end)
  local again = jq.score(ds, c)
  T.ok(again ~= nil and again:to_json() == r:to_json(), "both still score identically afterwards")
  -- Outside scoring, __gc called directly closes; later use is an error, not a crash.
  local d2 = dataset()
  dbg_mt(d2).__gc(d2)
  T.raises(function() d2:counts() end, "closed", "a dataset freed by a direct __gc call is closed")
  dbg_mt(d2).__gc(d2) -- twice is harmless
  T.ok(true, "a second __gc call is harmless")
  local r2 = jq.score(ds, c)
  dbg_mt(r2).__gc(r2)
  T.raises(function() r2:to_json() end, "closed", "results freed by a direct __gc call are closed")
else
  T.skip("__gc inside a custom function", "no debug library")
end

-- ---- embedded NUL --------------------------------------------------------
local nd = dataset()
T.raises(function() nd:add_unit({ id = "a\0evil", name = "A", level = "district" }) end, "NUL",
  "add_unit with a NUL in the id raises")
T.raises(function() nd:add_unit({ id = "a", name = "A\0x", level = "district" }) end, "NUL",
  "a NUL in the name raises")
T.raises(function() nd:add_unit({ id = "a", name = "A", level = "district", attributes = { ["k\0"] = "v" } }) end,
  "NUL", "a NUL in an attribute key raises")
T.raises(function() nd:add_unit({ id = "a", name = "A", level = "district", attributes = { k = "v\0" } }) end,
  "NUL", "a NUL in an attribute value raises")
T.is(nd:unit("a"), nil, "no unit 'a' was created")
T.is(nd:counts().units, 3, "nothing was added")
T.raises(function() nd:unit("D1\0") end, "NUL", "a query with a NUL raises")
T.raises(function() nd:set_name("x\0y") end, "NUL", "set_name with a NUL raises")
T.raises(function() nd:set_unit("D1", { cluster = "c\0" }) end, "NUL", "set_unit cluster with a NUL raises")
T.is(nd:unit("D1").cluster, nil, "and changed nothing")
T.raises(function() nd:add_period({ id = "p\0", start = "2014-01-01", ["end"] = "2014-02-01" }) end,
  "NUL", "a period id with a NUL raises")
T.raises(function() nd:add_period({ id = "p", start = "2014-01-01\0", ["end"] = "2014-02-01" }) end,
  "date", "a date with a NUL is not a date")
T.raises(function() jq.load(T.data("scoring/worked-example/dataset.json") .. "\0.bak") end, "NUL",
  "jq.load of a path with a NUL raises")
T.raises(function() jq.load_criteria("x\0y") end, "NUL", "jq.load_criteria of a path with a NUL raises")
T.raises(function() jq.score(ds, c, "2014\0") end, "NUL", "a period with a NUL raises")
T.raises(function() c:register("f\0a", function() return 1 end) end, "NUL", "a function name with a NUL raises")
T.raises(function() ds:save("/tmp/x\0y") end, "NUL", "save to a path with a NUL raises")
T.raises(function() nd:add_unit({ ["id\0"] = "x", name = "A", level = "district" }) end, "NUL",
  "a field name with a NUL raises")

-- ---- save(): a symlink has its target written, a directory is refused ------------
local dir = os.tmpname()
os.remove(dir)
if os.execute("mkdir " .. T.quote(dir) .. " && ln -s target.json " .. T.quote(dir .. "/link.json")) then
  T.is(ds:save(dir .. "/link.json"), true, "save through a symlink")
  T.is(T.read(dir .. "/target.json"), ds:to_json(), "the link's target holds the dataset")
  local p = io.popen("test -L " .. T.quote(dir .. "/link.json") .. " && echo link")
  T.is(p:read("*l"), "link", "the symlink stays a symlink")
  p:close()
  T.fails("directory", nil, "save to a directory is refused", ds:save(dir))
  os.execute("rm -rf " .. T.quote(dir))
else
  T.skip("save through a symlink", "no shell")
end

-- ---- one unit's table is that unit's, not the whole document's -------------
-- results:unit(id), results[k] and results:units() built (and kept) the
-- whole document first: on 1,000 units x 4,400 criteria the first
-- results:unit() took 34 s and 6.4 GB. Now each unit is built alone: asking
-- for one of 300 units x 300 criteria costs about 1/300 of the document.
do
  local big = jq.new()
  assert(big:add_unit({ id = "P", name = "P", level = "province" }))
  for i = 1, 300 do
    assert(big:add_unit({ id = string.format("u%03d", i), name = "u", level = "district", parent = "P" }))
    assert(big:add_event({ unit = string.format("u%03d", i), date = "2014-05-01", kind = "note" }))
  end
  local leaves = {}
  for l = 1, 300 do
    leaves[l] = string.format('{"id": "m%d", "title": "m", "max": 0.1, "method": {"type": "manual"}}', l)
  end
  local bc = assert(jq.loads_criteria('{"format": "justice-quarterly/criteria 1.0", "id": "big", '
    .. '"period": "2014", "units": {"levels": ["district"]}, '
    .. '"tiers": [{"id": "t", "name": "t", "min": 0}], "criteria": [' .. table.concat(leaves, ", ") .. ']}'))
  local br = assert(jq.score(big, bc))
  collectgarbage("collect")
  local before = collectgarbage("count")
  local one = br:unit("u150")
  local first = br[1]
  collectgarbage("collect")
  local grew = collectgarbage("count") - before
  local doc = br:to_table()
  collectgarbage("collect")
  local whole = collectgarbage("count") - before - grew
  T.ok(grew * 20 < whole, "results:unit() and results[1] build those units only",
    string.format("%.0f KiB for two units, %.0f KiB for the document", grew, whole))
  T.same(one, doc.units[150], "results:unit() is the document's unit")
  T.same(first, doc.units[1], "results[1] is the document's first unit")
  local n, same = 0, true
  for u in br:units() do
    n = n + 1
    same = same and u.id == doc.units[n].id and #u.nodes == 300
  end
  T.ok(n == 300 and same, "results:units() gives every unit with its 300 nodes")
  T.ok(br:to_table() ~= doc, "to_table() gives a fresh document each call")
end

T.done()
