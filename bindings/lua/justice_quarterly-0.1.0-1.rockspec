-- LuaRocks build of the Lua binding against an installed libjustice-quarterly
-- (found with pkg-config; set PKG_CONFIG_PATH for a non-standard prefix).
-- From a source checkout:  luarocks make bindings/lua/justice_quarterly-0.1.0-1.rockspec
package = "justice_quarterly"
version = "0.1.0-1"

source = {
  url = "git+https://example.invalid/libjustice-quarterly.git",
  tag = "v0.1.0",
}

description = {
  summary = "Quarterly review data and emulation scoring of a Department of Justice",
  detailed = [[
    Lua binding of libjustice-quarterly: load, query and build datasets of
    the quarterly review (units, statistics, reports, tasks, directives...),
    score them with a criteria set, and read the explained results as Lua
    tables or as the library's JSON. Every computation is done in C.
  ]],
  homepage = "https://example.invalid/libjustice-quarterly",
  license = "MIT",
}

dependencies = {
  "lua >= 5.1, < 5.5",
}

build = {
  type = "command",
  build_command = [[
    $(CC) $(CFLAGS) -std=c11 -I$(LUA_INCDIR) `${PKG_CONFIG:-pkg-config} --cflags justice-quarterly` \
      -o justice_quarterly.so \
      bindings/lua/jq_lua.c bindings/lua/jq_dataset.c bindings/lua/jq_builder.c \
      bindings/lua/jq_criteria.c bindings/lua/jq_results.c \
      bindings/lua/jq_csv.c \
      bindings/lua/jq_analysis.c \
      $(LIBFLAG) `${PKG_CONFIG:-pkg-config} --libs justice-quarterly` -lm
  ]],
  install = {
    lib = {
      justice_quarterly = "justice_quarterly.so",
    },
  },
}
