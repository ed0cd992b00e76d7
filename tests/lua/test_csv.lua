-- CSV import from Lua over the shared fixtures of tests/data/csv: the same
-- dataset as the hand-written expected.json (and as C, the CLI and Python),
-- the same located errors for every malformed file, nothing half-imported.
local T = require("tap")
local jq = require("justice_quarterly")

local files = {
  {"units.csv"}, {"indicators.csv"}, {"stats-wide-vi.csv", "2014-Q1"}, {"stats-long.csv"},
  {"reports.csv"}, {"tasks.csv"}, {"directives.csv"}, {"assessments.csv"}, {"events.csv"},
}
local ds = jq.new()
for _, f in ipairs(files) do
  local ok, w = ds:import_csv(T.data("csv/" .. f[1]), {period = f[2]})
  T.ok(ok == true and #w == 0, "import " .. f[1], w)
end
local want = assert(jq.load(T.data("csv/expected.json")))
T.is(ds:to_json(), want:to_json(), "every kind: the expected dataset, byte for byte")

local invalid = {"ragged", "bad-quoting", "unknown-unit", "duplicated", "mixed-decimal",
                 "ambiguous-decimal", "unterminated", "wide-unknown-column", "bad-values",
                 "invalid-utf8"}
for _, name in ipairs(invalid) do
  local base = assert(jq.load(T.data("csv/base.json")))
  local before = base:to_json()
  local path = T.data("csv/invalid/" .. name .. ".csv")
  local ok, msg, errors = base:import_csv(path, {period = "2014-Q1"})
  local got = {}
  for _, e in ipairs(errors or {}) do got[#got + 1] = e.line .. ":" .. e.column .. ":" .. e.path end
  local lines = {}
  for line in T.read(T.data("csv/invalid/" .. name .. ".errors")):gmatch("[^\n]+") do
    lines[#lines + 1] = line
  end
  T.ok(ok == nil and type(msg) == "string" and msg:find(path, 1, true) ~= nil,
    name .. ": fails with a located message", msg)
  T.same(got, lines, name .. ": every error located as in the .errors file")
  T.is(base:to_json(), before, name .. ": nothing imported")
end

-- text, options and a replaced value's warning
local base = assert(jq.load(T.data("csv/base.json")))
local text = "Đơn vị;Kỳ;Chỉ tiêu;Giá trị\ntan-an;2014;mediation-cases;884,5\n"
local ok, w = base:import_csv_text(text, {source = "typed.csv"})
T.ok(ok, "import_csv_text with Vietnamese headers and a decimal comma", w)
T.is(base:value("tan-an", "mediation-cases", "2014"), 884.5, "884,5 read as 884.5")
ok, w = base:import_csv_text("unit,period,indicator,value\ntan-an,2014,mediation-cases,7\n")
T.ok(ok and #w == 1 and w[1].severity == "warning" and w[1].message:find("884.5", 1, true),
  "replacing a value warns", w)
local nok, msg = base:import_csv_text(text:gsub("884,5", "93.550"), {decimal_mark = ","})
T.ok(nok == nil and msg:find("as stated", 1, true), "stated decimal mark refuses the other", msg)
T.raises(function() base:import_csv_text(text, {kind = "nonsense"}) end, "unknown CSV kind",
  "unknown kind raises")
T.raises(function() base:import_csv_text(text, {separator = "\t"}) end, "separator",
  "bad separator raises")
local r1, r2, r3 = base:import_csv(T.data("csv/no-such-file.csv"))
T.ok(r1 == nil and r3 == "io" and r2:find("no-such-file", 1, true), "missing file: nil, message, \"io\"", r2)

-- the input limit, as for jq.load(path, {max_input_size = bytes})
local small = assert(jq.load(T.data("csv/base.json")))
local before = small:to_json()
local lok, lmsg = small:import_csv(T.data("csv/stats-long.csv"), {max_input_size = 16})
T.ok(lok == nil and tostring(lmsg):find("max_input_bytes", 1, true), "max_input_size: a larger file is refused", lmsg)
lok, lmsg = small:import_csv_text(T.read(T.data("csv/stats-long.csv")), {max_input_size = 16})
T.ok(lok == nil and tostring(lmsg):find("max_input_bytes", 1, true), "max_input_size: a larger text is refused", lmsg)
T.is(small:to_json(), before, "max_input_size: nothing imported")
lok = small:import_csv(T.data("csv/stats-long.csv"), {max_input_size = 1e6})
T.ok(lok == true, "max_input_size above the file: imported")
T.raises(function() small:import_csv_text("unit\n", {max_input_size = 0}) end, "max_input_size",
  "max_input_size 0 raises")
T.done()
