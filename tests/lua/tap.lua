-- A small TAP producer and helpers shared by the Lua binding's tests.
-- Plain Lua (5.1 to 5.4, LuaJIT): no test framework needed. Each script
-- prints "ok N - name" / "not ok N - name" lines and the plan at the end;
-- meson reads them with protocol 'tap'.
local T = {}

local count, failures = 0, 0

local function show(v)
  if type(v) == "string" then return string.format("%q", v) end
  if type(v) == "number" and math.type then return tostring(v) .. " (" .. math.type(v) .. ")" end
  return tostring(v)
end
T.show = show

function T.diag(msg)
  for line in (tostring(msg) .. "\n"):gmatch("(.-)\n") do print("# " .. line) end
end

function T.ok(cond, name, ...)
  count = count + 1
  if cond then
    print(("ok %d - %s"):format(count, name))
  else
    failures = failures + 1
    print(("not ok %d - %s"):format(count, name))
    for i = 1, select("#", ...) do T.diag("  " .. tostring((select(i, ...)))) end
  end
  return cond
end

-- Same type and value; for numbers on 5.3+ also the same subtype
-- (whole results are integers, others floats).
function T.is(got, want, name)
  local same = type(got) == type(want) and got == want
  if same and type(got) == "number" and math.type then same = math.type(got) == math.type(want) end
  return T.ok(same, name, "got:  " .. show(got), "want: " .. show(want))
end

local function deep_equal(a, b, path)
  if type(a) ~= type(b) then return false, path .. ": " .. show(a) .. " vs " .. show(b) end
  if type(a) ~= "table" then
    if a == b and (type(a) ~= "number" or not math.type or math.type(a) == math.type(b)) then
      return true
    end
    return false, path .. ": " .. show(a) .. " vs " .. show(b)
  end
  for k, v in pairs(a) do
    local ok, where = deep_equal(v, b[k], path .. "." .. tostring(k))
    if not ok then return false, where end
  end
  for k, v in pairs(b) do
    if a[k] == nil then return false, path .. "." .. tostring(k) .. ": missing" end
  end
  return true
end

function T.same(got, want, name)
  local ok, where = deep_equal(got, want, "")
  return T.ok(ok, name, where)
end

-- fn must raise an error whose message contains `fragment` (plain text).
function T.raises(fn, fragment, name)
  local ok, err = pcall(fn)
  local good = not ok and (fragment == nil or tostring(err):find(fragment, 1, true) ~= nil)
  return T.ok(good, name, ok and "no error raised" or ("error: " .. tostring(err)))
end

-- A call that must fail the luv way: nil, message (containing fragment), code.
function T.fails(fragment, code, name, v, msg, c)
  local good = v == nil and type(msg) == "string" and
      (fragment == nil or msg:find(fragment, 1, true) ~= nil) and (code == nil or c == code)
  return T.ok(good, name, "got: " .. show(v) .. ", " .. show(msg) .. ", " .. show(c))
end

function T.skip(name, why)
  count = count + 1
  print(("ok %d - %s # SKIP %s"):format(count, name, why))
end

function T.done()
  print("1.." .. count)
  if failures > 0 then os.exit(1) end
end

-- Paths -------------------------------------------------------------------

local here = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
T.test_data = os.getenv("JQL_TEST_DATA") or (here .. "/../data")
T.examples_data = os.getenv("JQL_EXAMPLES_DATA") or (here .. "/../../examples/data")
T.score_bin = os.getenv("JQL_SCORE_BIN")
if T.score_bin == "" then T.score_bin = nil end
T.asan = os.getenv("JQL_ASAN") ~= nil
T.long_an = T.examples_data .. "/long-an-2014/dataset.json"
T.long_an_criteria = T.examples_data .. "/long-an-2014/criteria-2014.json"

function T.data(rel) return T.test_data .. "/" .. rel end

function T.read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

function T.exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

function T.quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- Files of a directory (sorted), via ls: Lua has no directory listing.
function T.list(dir, suffix)
  local out = {}
  local p = io.popen("ls -1 " .. T.quote(dir) .. " 2>/dev/null")
  for name in p:lines() do
    if suffix == nil or name:sub(-#suffix) == suffix then out[#out + 1] = name end
  end
  p:close()
  table.sort(out)
  return out
end

-- The C CLI's JSON for a dataset and criteria, or nil when it is not built.
function T.cli_json(dataset, criteria, period)
  if not T.score_bin then return nil end
  local cmd = T.quote(T.score_bin) .. " --format json " ..
      (period and ("--period " .. T.quote(period) .. " ") or "") ..
      T.quote(dataset) .. " " .. T.quote(criteria) .. " 2>/dev/null"
  local p = io.popen(cmd)
  local s = p:read("*a")
  p:close()
  return s
end

-- The custom function jql-score registers ("mediation_success_rate"),
-- written in Lua with the engine's own rounding: points = max x successful
-- mediations / mediation cases by ctx:points_from_ratio. (The criteria
-- argument is no longer needed; kept so callers read as before.)
function T.mediation_success_rate(criteria)
  return function(ds, unit, period, node, ctx)
    for _, ind in ipairs({ "mediation-success", "mediation-cases" }) do
      if not ds:indicator(ind) then error('the dataset has no indicator "' .. ind .. '"', 0) end
    end
    -- no value of the unit in the period ("nodata", as in a quarter without
    -- mediation): 0, as the C function (JQL_ENODATA) and Python's give
    local cases, err, code = ds:value(unit, "mediation-cases", period)
    if cases == nil and code ~= "notfound" and code ~= "nodata" then error(err, 0) end
    if cases == nil or cases == 0 then return 0 end
    local ok, err2, code2 = ds:value(unit, "mediation-success", period)
    if ok == nil then
      if code2 ~= "notfound" and code2 ~= "nodata" then error(err2, 0) end
      ok = 0
    end
    local points, err3 = ctx:points_from_ratio(ok, cases)
    if points == nil then error(err3, 0) end
    return points
  end
end

-- Memory the process holds (resident set, KiB), where /proc exists.
function T.rss_kib()
  local f = io.open("/proc/self/statm", "r")
  if not f then return nil end
  local _, resident = f:read("*n", "*n")
  f:close()
  return resident and resident * 4 or nil
end

return T
