/*
 * Several lua_States in one process: each loads the module, scores with its
 * own custom function, and one is closed while the other keeps working.
 * The binding keeps no C global state, so nothing leaks between states.
 * Prints TAP. Reads LUA_CPATH and JQL_TEST_DATA from the environment.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

static int count, failures;

static void ok(int cond, const char *name)
{
    count++;
    if (!cond)
        failures++;
    printf("%s %d - %s\n", cond ? "ok" : "not ok", count, name);
}

static int run(lua_State *L, const char *code)
{
    if (luaL_dostring(L, code) == 0)
        return 1;
    printf("# %s\n", lua_tostring(L, -1));
    lua_pop(L, 1);
    return 0;
}

/* Copy global string `name` of L into buf (empty when absent). */
static void global_string(lua_State *L, const char *name, char *buf, size_t size)
{
    lua_getglobal(L, name);
    const char *s = lua_tostring(L, -1);
    snprintf(buf, size, "%s", s ? s : "");
    lua_pop(L, 1);
}

static const char setup[] =
    "jq = require('justice_quarterly')\n"
    "local dir = os.getenv('JQL_TEST_DATA') .. '/scoring/worked-example/'\n"
    "ds = assert(jq.load(dir .. 'dataset.json'))\n"
    "c = assert(jq.load_criteria(dir .. 'criteria.json'))\n"
    "json = assert(jq.score(ds, c)):to_json()\n"
    "cc = assert(jq.loads_criteria([[{\"format\": \"justice-quarterly/criteria 1.0\",\n"
    "  \"id\": \"s\", \"period\": \"2014\", \"units\": {\"levels\": [\"district\"]},\n"
    "  \"criteria\": [{\"id\": \"A\", \"title\": \"A\", \"max\": 10,\n"
    "                \"method\": {\"type\": \"custom\", \"function\": \"f\"}}],\n"
    "  \"tiers\": [{\"id\": \"low\", \"name\": \"Low\", \"min\": 0}]}]]))\n";

int main(void)
{
    static char json1[1 << 16], json2[1 << 16], pts[64];
    lua_State *L1 = luaL_newstate(), *L2 = luaL_newstate();
    luaL_openlibs(L1);
    luaL_openlibs(L2);

    ok(run(L1, setup), "state 1 loads the module and scores");
    ok(run(L2, setup), "state 2 loads the module and scores");
    global_string(L1, "json", json1, sizeof json1);
    global_string(L2, "json", json2, sizeof json2);
    ok(json1[0] != '\0' && strcmp(json1, json2) == 0, "both states produce the same JSON");

    /* Each state's own custom function, scored alternately. */
    ok(run(L1, "cc:register('f', function() return 1 end)"), "state 1 registers f");
    ok(run(L2, "cc:register('f', function() return 2 end)"), "state 2 registers f");
    int good = 1;
    for (int i = 0; i < 50; i++) {
        good &= run(L1, "p = assert(jq.score(ds, cc))[1].nodes[1].points; assert(p == 1)");
        good &= run(L2, "p = assert(jq.score(ds, cc))[1].nodes[1].points; assert(p == 2)");
    }
    ok(good, "each state's score calls its own function");

    /* Objects of one state are not accepted as the other's (separate metatables). */
    ok(run(L2, "assert(debug.getmetatable(ds).__name == 'justice_quarterly.dataset')"),
       "each state has its own metatables");

    /* Close state 1 while state 2 holds objects; state 2 carries on. */
    lua_close(L1);
    ok(run(L2, "assert(assert(jq.score(ds, c)):to_json() == json)"),
       "state 2 scores after state 1 was closed");
    ok(run(L2, "p = assert(jq.score(ds, cc))[1].nodes[1].points; assert(p == 2)"),
       "state 2's custom function still works");
    global_string(L2, "json", pts, sizeof pts);
    lua_close(L2);
    ok(1, "state 2 closed");

    printf("1..%d\n", count);
    return failures ? 1 : 0;
}
