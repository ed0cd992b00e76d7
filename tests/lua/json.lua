-- A small JSON decoder for the tests: an implementation independent of the
-- binding, to check that the tables it builds from the C accessors carry
-- the documents' fields. Numbers follow the binding's convention for
-- exact thousandths: a whole number is an integer where Lua has them
-- (5.3+), any other a float; null members are left out of objects (Lua
-- tables cannot hold nil), unless decode's second argument gives a value for
-- null (tests/lua/test_contract.lua compares nulls too).
local M = {}

local escapes = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n",
                  r = "\r", t = "\t" }

local function utf8_char(cp)
  if cp < 0x80 then return string.char(cp) end
  if cp < 0x800 then
    return string.char(0xC0 + math.floor(cp / 64), 0x80 + cp % 64)
  end
  if cp < 0x10000 then
    return string.char(0xE0 + math.floor(cp / 4096), 0x80 + math.floor(cp / 64) % 64,
                       0x80 + cp % 64)
  end
  return string.char(0xF0 + math.floor(cp / 262144), 0x80 + math.floor(cp / 4096) % 64,
                     0x80 + math.floor(cp / 64) % 64, 0x80 + cp % 64)
end

local function whole(n)
  if math.tointeger and n == math.floor(n) then
    return math.tointeger(n) or n
  end
  return n
end

function M.decode(text, null_value)
  local pos = 1
  local function fail(what) error(("json: %s at byte %d"):format(what, pos), 0) end
  local function ws() pos = text:find("[^ \t\r\n]", pos) or #text + 1 end
  local value
  local function str()
    local out = {}
    pos = pos + 1
    while true do
      local c = text:sub(pos, pos)
      if c == "" then fail("unterminated string") end
      if c == '"' then pos = pos + 1; break end
      if c == "\\" then
        local e = text:sub(pos + 1, pos + 1)
        if e == "u" then
          local cp = tonumber(text:sub(pos + 2, pos + 5), 16)
          pos = pos + 6
          if cp >= 0xD800 and cp < 0xDC00 and text:sub(pos, pos + 1) == "\\u" then
            local lo = tonumber(text:sub(pos + 2, pos + 5), 16)
            cp = 0x10000 + (cp - 0xD800) * 1024 + (lo - 0xDC00)
            pos = pos + 6
          end
          out[#out + 1] = utf8_char(cp)
        else
          out[#out + 1] = escapes[e] or fail("bad escape")
          pos = pos + 2
        end
      else
        local stop = text:find('["\\]', pos) or #text + 1
        out[#out + 1] = text:sub(pos, stop - 1)
        pos = stop
      end
    end
    return table.concat(out)
  end
  function value()
    ws()
    local c = text:sub(pos, pos)
    if c == "{" then
      local t = {}
      pos = pos + 1
      ws()
      if text:sub(pos, pos) == "}" then pos = pos + 1; return t end
      while true do
        ws()
        if text:sub(pos, pos) ~= '"' then fail("key expected") end
        local k = str()
        ws()
        if text:sub(pos, pos) ~= ":" then fail("':' expected") end
        pos = pos + 1
        t[k] = value()
        ws()
        c = text:sub(pos, pos)
        pos = pos + 1
        if c == "}" then return t end
        if c ~= "," then fail("',' expected") end
      end
    elseif c == "[" then
      local t, n = {}, 0
      pos = pos + 1
      ws()
      if text:sub(pos, pos) == "]" then pos = pos + 1; return t end
      while true do
        n = n + 1
        t[n] = value()
        ws()
        c = text:sub(pos, pos)
        pos = pos + 1
        if c == "]" then return t end
        if c ~= "," then fail("',' expected") end
      end
    elseif c == '"' then
      return str()
    elseif text:sub(pos, pos + 3) == "true" then
      pos = pos + 4; return true
    elseif text:sub(pos, pos + 4) == "false" then
      pos = pos + 5; return false
    elseif text:sub(pos, pos + 3) == "null" then
      pos = pos + 4; return null_value
    end
    local num = text:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
    if not num or num == "" then fail("unexpected character") end
    pos = pos + #num
    return whole(tonumber(num))
  end
  local v = value()
  ws()
  if pos <= #text then fail("trailing characters") end
  return v
end

-- The first difference between two values (keys, values and number
-- subtypes), as a path and a description, or nil when they are equal.
function M.diff(a, b, path)
  path = path or ""
  if type(a) ~= type(b) then
    return path, ("type %s vs %s"):format(type(a), type(b))
  end
  if type(a) == "number" and math.type and math.type(a) ~= math.type(b) then
    return path, ("number %s (%s) vs %s (%s)"):format(a, math.type(a), b, math.type(b))
  end
  if type(a) ~= "table" then
    if a ~= b then return path, ("%s vs %s"):format(tostring(a), tostring(b)) end
    return nil
  end
  for k, v in pairs(a) do
    local p, d = M.diff(v, b[k], path .. "/" .. tostring(k))
    if p then return p, d end
  end
  for k in pairs(b) do
    if a[k] == nil then return path .. "/" .. tostring(k), "missing on the left" end
  end
  return nil
end

return M
