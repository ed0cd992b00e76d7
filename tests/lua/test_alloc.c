/*
 * Allocation-failure sweep of the Lua binding's load and score paths: a C
 * host gives Lua an allocator that fails its n-th allocation (n = 0, 1, 2...
 * counted from the call) while jq.loads, jq.loads_criteria, jq.score and
 * results:to_json run, until a run needs no more. Every failure must come
 * back as a Lua error (never a crash, a leak of library memory, or a
 * half-made object), and the state must work normally afterwards with the
 * same results. ASan's run of this program catches leaks and bad frees.
 * Prints TAP. Reads LUA_CPATH and JQL_TEST_DATA from the environment.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#ifndef LUA_OK /* Lua 5.1, LuaJIT */
#define LUA_OK 0
#endif

static long fail_at = -1, allocations;

static void *failing_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud, (void)osize;
    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    /* only growth can fail: Lua assumes shrinking always works */
    if (nsize > osize || !ptr) {
        if (fail_at >= 0 && allocations++ == fail_at)
            return NULL;
    }
    return realloc(ptr, nsize);
}

static int count, failures;

static void ok(int cond, const char *name)
{
    count++;
    if (!cond)
        failures++;
    printf("%s %d - %s\n", cond ? "ok" : "not ok", count, name);
}

static const char setup[] =
    "jq = require('justice_quarterly')\n"
    "local dir = os.getenv('JQL_TEST_DATA') .. '/scoring/worked-example/'\n"
    "local function read(p) local f = assert(io.open(p, 'rb')) local s = f:read('*a') f:close() return s end\n"
    "DS, CR = read(dir .. 'dataset.json'), read(dir .. 'criteria.json')\n"
    "function load_ds() return assert(jq.loads(DS)):to_json() end\n"
    "function load_cr() return tostring(#assert(jq.loads_criteria(CR)):nodes()) end\n"
    "ds, c = assert(jq.loads(DS)), assert(jq.loads_criteria(CR))\n"
    "function score() return assert(jq.score(ds, c)):to_json() end\n";

/* Sweep `fn` (a global function returning a string); returns the number of
   allocation points, or -1 when a run misbehaved. */
static long sweep(lua_State *L, const char *fn, const char *want)
{
    for (long n = 0; n < 100000; n++) {
        lua_getglobal(L, fn);
        allocations = 0;
        fail_at = n;
        int rc = lua_pcall(L, 0, 1, 0);
        long made = allocations;
        fail_at = -1;
        if (rc == LUA_OK) {
            const char *got = lua_tostring(L, -1);
            int same = got && strcmp(got, want) == 0;
            lua_pop(L, 1);
            if (!same)
                return -1;
            if (made <= n)
                return n; /* finished without reaching allocation n */
        } else {
            /* out of memory, as a memory error or as an error raised by the binding */
            const char *msg = lua_tostring(L, -1);
            int oom = rc == LUA_ERRMEM || (msg && (strstr(msg, "memory") || strstr(msg, "nomem")));
            if (!oom) {
                printf("# %s, failing allocation %ld: %s\n", fn, n, msg ? msg : "(no message)");
                lua_pop(L, 1);
                return -1;
            }
            lua_pop(L, 1);
        }
        lua_gc(L, LUA_GCCOLLECT, 0);
    }
    return -1;
}

static void expect(lua_State *L, const char *fn, char *buf, size_t size)
{
    lua_getglobal(L, fn);
    if (lua_pcall(L, 0, 1, 0) != LUA_OK) {
        printf("# %s: %s\n", fn, lua_tostring(L, -1));
        buf[0] = '\0';
    } else {
        snprintf(buf, size, "%s", lua_tostring(L, -1));
    }
    lua_pop(L, 1);
}

int main(void)
{
    static char want[1 << 17];
    lua_State *L = lua_newstate(failing_alloc, NULL);
    if (!L) { /* 64-bit LuaJIT refuses allocators of its host */
        printf("1..0 # SKIP this Lua does not take a custom allocator\n");
        return 0;
    }
    luaL_openlibs(L);
    printf("1..7\n");
    if (luaL_dostring(L, setup) != 0) {
        printf("# %s\n", lua_tostring(L, -1));
        ok(0, "setup");
        return 1;
    }
    ok(1, "setup");
    static const char *const fns[] = {"load_ds", "load_cr", "score"};
    for (int k = 0; k < 3; k++) {
        expect(L, fns[k], want, sizeof want);
        long points = sweep(L, fns[k], want);
        char name[128];
        snprintf(name, sizeof name, "%s: every failing allocation is a Lua error (%ld points)",
                 fns[k], points);
        ok(points > 0, name);
        char again[sizeof want];
        expect(L, fns[k], again, sizeof again);
        snprintf(name, sizeof name, "%s: works the same afterwards", fns[k]);
        ok(again[0] && strcmp(again, want) == 0, name);
    }
    lua_close(L);
    return failures ? 1 : 0;
}
