-- The module itself: loading, names, versions, metatables, argument checks.
local T = require("tap")
local jq = require("justice_quarterly")

T.is(jq._NAME, "justice_quarterly", "_NAME")
T.is(jq._VERSION, os.getenv("JQL_PROJECT_VERSION"), "_VERSION is the project version of meson.build")
T.ok(type(jq.version()) == "string" and jq.version():match("^%d+%.%d+%.%d+$") ~= nil,
  "version() is the library's runtime version", jq.version())
T.ok(require("justice_quarterly") == jq, "require returns the same table twice")
for _, name in ipairs({ "load", "loads", "new", "load_criteria", "loads_criteria", "score" }) do
  T.is(type(jq[name]), "function", "jq." .. name .. " is a function")
end

-- Userdata: __tostring, __name, methods through __index.
local ds = jq.new()
T.ok(tostring(ds):find("justice_quarterly.dataset (0 units)", 1, true) == 1,
  "tostring of an empty dataset", tostring(ds))
T.is(ds:counts().units, 0, "an empty dataset has no unit")
T.is(getmetatable(ds), "justice_quarterly.dataset", "the metatable is protected")
local mt = debug.getmetatable(ds)
T.is(type(mt.__gc), "function", "dataset metatable has __gc")
T.is(type(mt.__close), "function", "dataset metatable has __close")
T.is(type(mt.__tostring), "function", "dataset metatable has __tostring")
local c = assert(jq.load_criteria(T.data("criteria/valid/minimal.json")))
T.ok(tostring(c):find("justice_quarterly.criteria (minimal,", 1, true) == 1, "tostring of criteria",
  tostring(c))
T.is(c:id(), "minimal", "criteria id")
T.is(c:period(), "2014", "criteria period")
T.is(c:scale(), 100, "criteria scale defaults to 100")
T.is(#c:nodes(), 2, "two nodes")
T.is(c:nodes()[1].max, 60, "node A max")
T.is(c:nodes()[2].leaf, true, "node B is a leaf")
T.is(c:tiers()[1].id, "top", "first tier")
T.is(c:tiers()[2].min, 0, "last tier min")
T.same(c:warnings(), {}, "criteria without warnings")

-- A custom function may be named like a method or a user-value field.
T.is(c:register("warnings", function() return 0 end), true, "a function named 'warnings'")
T.same(c:warnings(), {}, "does not hide the warnings")
local cf = assert(jq.loads_criteria([[{"format": "justice-quarterly/criteria 1.0", "id": "w",
  "period": "2014", "units": {"levels": ["district"]},
  "criteria": [{"id": "A", "title": "A", "max": 100, "method": {"type": "custom", "function": "functions"}}],
  "tiers": [{"id": "low", "name": "Low", "min": 0}]}]]))
cf:register("functions", function() return 7 end)
local dsf = jq.new()
dsf:add_unit({ id = "D", name = "D", level = "district" })
T.is(assert(jq.score(dsf, cf, nil, { allow_empty = true }))[1].total, 7,
  "a function named 'functions' is called")

-- Wrong argument types raise (programmer errors).
T.raises(function() jq.load() end, "bad argument #1", "load() without a path raises")
T.raises(function() jq.load({}) end, "bad argument #1", "load(table) raises")
T.raises(function() jq.loads(nil) end, "bad argument #1", "loads(nil) raises")
T.raises(function() jq.load_criteria(true) end, "bad argument #1", "load_criteria(true) raises")
T.raises(function() jq.loads_criteria() end, "bad argument #1", "loads_criteria() raises")
T.raises(function() jq.score(ds) end, "bad argument #2", "score without criteria raises")
T.raises(function() jq.score(c, ds) end, "bad argument #1", "score with swapped arguments raises")
T.raises(function() jq.score(ds, c, {period = {}}) end, "bad argument #3", "score with a table period raises")
T.raises(function() jq.score(ds, c, nil, 5) end, "bad argument #4", "score with non-table options raises")
T.raises(function() ds.unit(42, "x") end, "bad argument #1", "a method on a non-dataset raises")
T.raises(function() ds:unit() end, "bad argument #1", "ds:unit() without an id raises")
T.raises(function() ds:value("a", "b") end, "bad argument", "ds:value with missing arguments raises")
T.raises(function() c:register("f", 42) end, "bad argument #2", "register with a non-function raises")
T.raises(function() c:check({}) end, "bad argument #1", "criteria:check with a table raises")

-- Closed objects raise; closing twice is fine.
local d2 = jq.new()
d2:close()
d2:close()
T.ok(tostring(d2):find("(closed)", 1, true) ~= nil, "tostring of a closed dataset")
T.raises(function() d2:unit("x") end, "dataset is closed", "using a closed dataset raises")
T.raises(function() jq.score(d2, c) end, "dataset is closed", "scoring a closed dataset raises")
local c2 = assert(jq.load_criteria(T.data("criteria/valid/minimal.json")))
c2:close()
c2:close()
T.raises(function() c2:nodes() end, "criteria set is closed", "using closed criteria raises")

-- to-be-closed variables (Lua 5.4).
if _VERSION == "Lua 5.4" then
  local chunk = assert(load([[
    local jq, path = ...
    local outer
    do
      local ds <close> = jq.new()
      outer = ds
    end
    return outer
  ]]))
  local closed = chunk(jq)
  T.ok(tostring(closed):find("(closed)", 1, true) ~= nil, "<close> closes the dataset", tostring(closed))
else
  T.skip("<close> closes the dataset", "to-be-closed variables need Lua 5.4")
end

T.done()
