-- Results as tables: built in C from the library's accessors, they must be
-- the results JSON read by the documented rules (a null is a missing key;
-- numbers are thousandths: whole ones integers on 5.3+, others value/1000).
-- The JSON is read here by a reader of this test's own, for every scoring
-- and edge fixture and the bundled Long An sheets, units and whole documents.
local T = require("tap")
local jq = require("justice_quarterly")

local function utf8_char(cp)
  if cp < 0x80 then return string.char(cp) end
  if cp < 0x800 then return string.char(0xC0 + math.floor(cp / 64), 0x80 + cp % 64) end
  if cp < 0x10000 then
    return string.char(0xE0 + math.floor(cp / 4096), 0x80 + math.floor(cp / 64) % 64, 0x80 + cp % 64)
  end
  return string.char(0xF0 + math.floor(cp / 262144), 0x80 + math.floor(cp / 4096) % 64,
    0x80 + math.floor(cp / 64) % 64, 0x80 + cp % 64)
end

local escapes = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n",
                  r = "\r", t = "\t" }

local function thousandths(text)
  local sign, int, frac = text:match("^(%-?)(%d+)%.?(%d*)$")
  assert(int and #frac <= 3, "not a 3-decimal number: " .. text)
  local milli = tonumber(int) * 1000 + tonumber((frac .. "000"):sub(1, 3))
  if sign == "-" then milli = -milli end
  if milli % 1000 == 0 then
    local whole = milli / 1000
    return math.tointeger and math.tointeger(whole) or whole
  end
  return milli / 1000
end

local function decode(s)
  local pos = 1
  local value
  local function ws() pos = s:find("[^ \t\r\n]", pos) or #s + 1 end
  local function str()
    local out = {}
    pos = pos + 1
    while true do
      local c = s:sub(pos, pos)
      assert(c ~= "", "unterminated string")
      if c == '"' then pos = pos + 1; break end
      if c == "\\" then
        local e = s:sub(pos + 1, pos + 1)
        if e == "u" then
          local cp = tonumber(s:sub(pos + 2, pos + 5), 16)
          pos = pos + 6
          if cp >= 0xD800 and cp < 0xDC00 and s:sub(pos, pos + 1) == "\\u" then
            cp = 0x10000 + (cp - 0xD800) * 1024 + (tonumber(s:sub(pos + 2, pos + 5), 16) - 0xDC00)
            pos = pos + 6
          end
          out[#out + 1] = utf8_char(cp)
        else
          out[#out + 1] = assert(escapes[e], "bad escape")
          pos = pos + 2
        end
      else
        out[#out + 1] = c
        pos = pos + 1
      end
    end
    return table.concat(out)
  end
  value = function()
    ws()
    local c = s:sub(pos, pos)
    if c == '"' then return str() end
    if c == "{" or c == "[" then
      local t, n, close = {}, 0, c == "{" and "}" or "]"
      pos = pos + 1
      ws()
      if s:sub(pos, pos) == close then pos = pos + 1; return t end
      while true do
        if c == "{" then
          ws()
          local k = str()
          ws()
          assert(s:sub(pos, pos) == ":", "':' expected")
          pos = pos + 1
          t[k] = value() -- a null leaves the key out
        else
          n = n + 1
          t[n] = value()
        end
        ws()
        local d = s:sub(pos, pos)
        pos = pos + 1
        if d == close then return t end
        assert(d == ",", "',' expected")
      end
    end
    for word, v in pairs({ ["true"] = true, ["false"] = false }) do
      if s:sub(pos, pos + #word - 1) == word then pos = pos + #word; return v end
    end
    if s:sub(pos, pos + 3) == "null" then pos = pos + 4; return nil end
    local num = s:match("^%-?%d+%.?%d*", pos)
    assert(num, "unexpected character at " .. pos)
    pos = pos + #num
    return thousandths(num)
  end
  local v = value()
  ws()
  assert(pos == #s + 1, "trailing characters")
  return v
end

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
  local nfc = utf8_char(0x111) .. utf8_char(0x1EE9) .. "c"  -- no \u{} escapes in Lua 5.1
  assert(ds:add_unit{ id = nfc, name = "Duc", level = "district", parent = "P" })
  assert(ds:add_report{ unit = nfc, period = "2014-Q1", kind = "statistics",
                        due = "2014-04-10", submitted = "2014-04-10", complete = true })
  local c = assert(jq.loads_criteria([[{"format": "justice-quarterly/criteria 1.0", "id": "x",
    "period": "2014", "scale": 10, "units": {"levels": ["district"]},
    "criteria": [{"id": "A", "title": "A", "max": 10, "method": {"type": "custom", "function": "f"}}],
    "tiers": [{"id": "t", "name": "T", "min": 0}]}]]))
  assert(c:register("f", function() return 1 end))
  local r = assert(jq.score(ds, c))
  local nfd = utf8_char(0x111) .. "u" .. utf8_char(0x31B) .. utf8_char(0x301) .. "c"  -- decomposed: u, horn, acute
  T.ok(nfd ~= nfc, "the NFD spelling differs byte for byte")
  local u = r:unit(nfd)
  T.is(u and u.id, nfc, "found by its NFD spelling")
  T.is(r:unit("P"), nil, "an unscored unit: nil")
end
T.done()
