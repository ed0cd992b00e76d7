-- Labels and documents (jql_label_*, jql_document_*) and the criteria input
-- limit from Lua. tests/cli/test_tally.sh compares every label and document
-- field of the bundled sheets through C, Python, Lua and jql-report.
local T = dofile((arg[0]:match("^(.*)/[^/]*$") or ".") .. "/tap.lua")
local jq = require("justice_quarterly")

-- the bundled Long An sheet declares them (docs/FORMAT.md, "labels", "documents")
if T.exists(T.long_an) then
  local ds = assert(jq.load(T.long_an))
  local text = T.read(T.long_an)
  local _, declared = text:gsub('"kind": "', "")
  local labels = ds:labels()
  T.ok(#labels > 0, "the sheet has labels")
  local all = true
  for _, l in ipairs(labels) do
    for lang, name in pairs(l.names) do all = all and ds:label(l.kind, l.id, lang) == name end
  end
  T.ok(all, "ds:label() gives every name ds:labels() lists")
  T.is(ds:label("cluster", "cum-1"), ds:label("cluster", "cum-1", "vi"), "Vietnamese by default")
  local doc = ds:document("2014-Q1")
  T.ok(doc.number ~= nil and text:find(doc.number, 1, true) ~= nil, "the 2014-Q1 document's number")
  T.same(ds:documents()["2014-Q1"], doc, "ds:documents() holds ds:document()")
  T.ok(declared >= #labels, "no more labels than the file declares")
else
  T.skip("bundled labels", "examples/data absent")
end

-- edits reach the canonical JSON and survive a reload
do
  local ds = jq.new()
  assert(ds:add_unit{ id = "U", name = "Unit", level = "district" })
  T.same(ds:labels(), {}, "a new dataset has no label")
  T.is(ds:label("cluster", "c1"), nil, "an unnamed id: nil")
  T.ok(ds:set_label("cluster", "c1", "vi", "Cụm 1"), "set_label")
  assert(ds:set_label("cluster", "c1", "en", "Cluster 1"))
  T.is(ds:label("cluster", "c1", "en"), "Cluster 1", "English name")
  T.ok(ds:set_document_field("2014-Q1", "number", "Số: 1/BC"), "set_document_field")
  local again = assert(jq.loads(ds:to_json()))
  T.same(again:labels(), ds:labels(), "labels reload")
  T.same(again:document("2014-Q1"), { number = "Số: 1/BC" }, "document reloads")
  assert(ds:set_label("cluster", "c1", "en", nil))
  T.is(ds:label("cluster", "c1", "en"), nil, "nil removes a name")
  assert(ds:set_document_field("2014-Q1", "number", nil))
  T.same(ds:document("2014-Q1"), {}, "nil removes a field")
  T.fails("unknown period", "notfound", "document of an unknown period",
          ds:set_document_field("2099-Q9", "number", "x"))
  T.fails(nil, "invalid", "empty label kind", ds:set_label("", "c1", "vi", "x"))
end

-- jq.load_criteria and jq.loads_criteria take {max_input_size = bytes}
if T.exists(T.long_an_criteria) then
  local text = T.read(T.long_an_criteria)
  T.fails("larger than the limit", nil, "criteria over the limit: nil, message, errors",
          jq.load_criteria(T.long_an_criteria, { max_input_size = #text - 1 }))
  T.fails("larger than the limit", nil, "criteria text over the limit",
          jq.loads_criteria(text, "c.json", { max_input_size = 16 }))
  local c = assert(jq.load_criteria(T.long_an_criteria, { max_input_size = #text }))
  T.is(c:id(), assert(jq.load_criteria(T.long_an_criteria)):id(), "at the limit: loads")
  T.raises(function() jq.load_criteria(T.long_an_criteria, { max_input_size = 0 }) end,
           "max_input_size", "a limit of 0 is refused")
else
  T.skip("criteria limit", "examples/data absent")
end

T.done()
