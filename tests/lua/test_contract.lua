-- The contract fixtures, tests/data/contract/<case>/: each pins a rule of the
-- scoring contract with a dataset, a criteria set and a hand-derived
-- expected.json, a subset of the results document (the rules of the
-- comparison are those of tests/test_contract.c and tests/python/test_contract.py):
-- every member expected.json has must be in r:to_json() with an equal value
-- ("_" members are notes); "units" lists the units in the results' order; lists
-- of objects with ids are matched by id; an "error" list says loading or
-- scoring fails with a message holding each fragment.
local T = require("tap")
local jq = require("justice_quarterly")
local NULL = {}
local decode = function(text) return require("json").decode(text, NULL) end

local function show(v)
  if v == NULL then return "null" end
  if type(v) == "table" then return "{...}" end
  return tostring(v)
end

local function subset(exp, act, path, out)
  if type(exp) == "table" and exp ~= NULL and exp[1] == nil and next(exp) ~= nil then
    if type(act) ~= "table" or act == NULL then
      out[#out + 1] = path .. ": expected an object"; return
    end
    for k, v in pairs(exp) do
      if k:sub(1, 1) ~= "_" then
        if act[k] == nil then
          out[#out + 1] = path .. "/" .. k .. ": missing"
        else
          subset(v, act[k], path .. "/" .. k, out)
        end
      end
    end
  elseif type(exp) == "table" and type(exp[1]) == "table" and exp[1].id ~= nil then
    if type(act) ~= "table" or act == NULL then
      out[#out + 1] = path .. ": expected a list"; return
    end
    if path == "/units" then
      local same = #exp == #act
      for i = 1, #exp do same = same and act[i] ~= nil and exp[i].id == act[i].id end
      if not same then out[#out + 1] = "/units: not in the expected order" end
    end
    for _, e in ipairs(exp) do
      local found
      for _, a in ipairs(act) do
        if type(a) == "table" and a.id == e.id then found = a end
      end
      if found then
        subset(e, found, path .. "/" .. e.id, out)
      else
        out[#out + 1] = path .. "/" .. e.id .. ": missing"
      end
    end
  elseif type(exp) == "table" and exp ~= NULL then
    -- a list of plain values
    local same = type(act) == "table" and act ~= NULL and #exp == #act
    for i = 1, #exp do same = same and exp[i] == act[i] end
    if not same then out[#out + 1] = path .. ": lists differ" end
  elseif exp ~= act or math.type and math.type(exp) ~= math.type(act) then
    out[#out + 1] = path .. ": got " .. show(act) .. ", expected " .. show(exp)
  end
end

for _, case in ipairs(T.list(T.data("contract"))) do
  local dir = T.data("contract/" .. case)
  if T.exists(dir .. "/expected.json") then
    local exp = decode(T.read(dir .. "/expected.json"))
    local ds, msg = jq.load(dir .. "/dataset.json")
    local c, r
    if ds then c, msg = jq.load_criteria(dir .. "/criteria.json") end
    if c then r, msg = jq.score(ds, c) end
    if exp.error ~= nil then
      local ok = r == nil
      for _, fragment in ipairs(exp.error) do
        ok = ok and msg ~= nil and tostring(msg):find(fragment, 1, true) ~= nil
      end
      T.ok(ok, case .. ": fails naming " .. table.concat(exp.error, ", "), tostring(msg))
    elseif T.ok(r ~= nil, case .. ": scores", msg) then
      local json = r:to_json()
      local out = {}
      subset(exp, decode(json), "", out)
      T.ok(#out == 0, case .. ": results hold expected.json", table.concat(out, "\n"))
      local cli = T.cli_json(dir .. "/dataset.json", dir .. "/criteria.json")
      if cli then
        T.is(json, cli, case .. ": to_json() is byte-identical to jql-score --format json")
      end
    end
  end
end

T.done()
