/*
 * Shims so one source builds against Lua 5.1, LuaJIT 2.1, 5.2, 5.3 and 5.4.
 * Everything is named jqc_* so nothing clashes with what a given Lua
 * (LuaJIT ships some 5.2 functions) already defines.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JQ_LUA_COMPAT_H
#define JQ_LUA_COMPAT_H

#include <lauxlib.h>
#include <lua.h>

#if LUA_VERSION_NUM < 502
/* 5.1 and LuaJIT: userdata carry an environment table instead of a user value. */
#define jqc_rawlen(L, i) lua_objlen(L, (i))
#define jqc_getuservalue(L, i) lua_getfenv(L, (i))
#define jqc_setuservalue(L, i) lua_setfenv(L, (i))
#define jqc_absindex(L, i) \
    (((i) > 0 || (i) <= LUA_REGISTRYINDEX) ? (i) : lua_gettop(L) + (i) + 1)
#else
#define jqc_rawlen(L, i) lua_rawlen(L, (i))
#define jqc_getuservalue(L, i) ((void)lua_getuservalue(L, (i)))
#define jqc_setuservalue(L, i) ((void)lua_setuservalue(L, (i)))
#define jqc_absindex(L, i) lua_absindex(L, (i))
#endif

/* luaL_setfuncs (5.2+, LuaJIT 2.1): register functions sharing nup upvalues. */
static inline void jqc_setfuncs(lua_State *L, const luaL_Reg *l, int nup)
{
    luaL_checkstack(L, nup + 1, "too many upvalues");
    for (; l->name != NULL; l++) {
        for (int i = 0; i < nup; i++)
            lua_pushvalue(L, -nup);
        lua_pushcclosure(L, l->func, nup);
        lua_setfield(L, -(nup + 2), l->name);
    }
    lua_pop(L, nup);
}

static inline void jqc_newlib(lua_State *L, const luaL_Reg *l)
{
    int n = 0;
    while (l[n].name != NULL)
        n++;
    lua_createtable(L, 0, n);
    jqc_setfuncs(L, l, 0);
}

static inline void jqc_setmetatable(lua_State *L, const char *tname)
{
    luaL_getmetatable(L, tname);
    lua_setmetatable(L, -2);
}

/* Whole numbers become integers where Lua has them (5.3+). */
#if LUA_VERSION_NUM >= 503
#define JQC_HAS_INTEGERS 1
#else
#define JQC_HAS_INTEGERS 0
#endif

#endif /* JQ_LUA_COMPAT_H */
