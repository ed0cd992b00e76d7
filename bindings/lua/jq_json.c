/*
 * Lua binding: a small JSON decoder for the library's own output, so that
 * Lua tables carry exactly the fields of the JSON form. Only the analysis
 * documents use it (comparison, sensitivity, improvement plans and trends,
 * jq_analysis.c), which have no accessors; results tables are built from
 * the results accessors (jq_results.c).
 *
 * Numbers with at most 3 decimals (all the library writes) are read
 * exactly as thousandths and pushed like every other jql_milli: whole
 * numbers as integers (5.3+), others as value / 1000. null values are
 * left out of objects (Lua tables cannot hold nil).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <string.h>

#include "jq_lua.h"

#define MAX_DEPTH 64

typedef struct {
    lua_State *L;
    const char *p, *end;
    int depth;
} json_reader;

static int json_error(json_reader *r, const char *what)
{
    return luaL_error(r->L, "results JSON: %s", what);
}

static void skip_ws(json_reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static int hex4(json_reader *r, unsigned *out)
{
    unsigned v = 0;
    if (r->end - r->p < 4)
        return 0;
    for (int k = 0; k < 4; k++) {
        char c = *r->p++;
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return 0;
    }
    *out = v;
    return 1;
}

static void add_utf8(luaL_Buffer *b, unsigned cp)
{
    if (cp < 0x80) {
        luaL_addchar(b, (char)cp);
    } else if (cp < 0x800) {
        luaL_addchar(b, (char)(0xC0 | (cp >> 6)));
        luaL_addchar(b, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        luaL_addchar(b, (char)(0xE0 | (cp >> 12)));
        luaL_addchar(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
        luaL_addchar(b, (char)(0x80 | (cp & 0x3F)));
    } else {
        luaL_addchar(b, (char)(0xF0 | (cp >> 18)));
        luaL_addchar(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
        luaL_addchar(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
        luaL_addchar(b, (char)(0x80 | (cp & 0x3F)));
    }
}

/* r->p is just past the opening quote. Pushes the string. */
static void read_string(json_reader *r)
{
    luaL_Buffer b;
    luaL_buffinit(r->L, &b);
    for (;;) {
        if (r->p >= r->end)
            json_error(r, "unterminated string");
        char c = *r->p++;
        if (c == '"')
            break;
        if (c != '\\') {
            luaL_addchar(&b, c);
            continue;
        }
        if (r->p >= r->end)
            json_error(r, "unterminated string");
        c = *r->p++;
        switch (c) {
        case '"': luaL_addchar(&b, '"'); break;
        case '\\': luaL_addchar(&b, '\\'); break;
        case '/': luaL_addchar(&b, '/'); break;
        case 'b': luaL_addchar(&b, '\b'); break;
        case 'f': luaL_addchar(&b, '\f'); break;
        case 'n': luaL_addchar(&b, '\n'); break;
        case 'r': luaL_addchar(&b, '\r'); break;
        case 't': luaL_addchar(&b, '\t'); break;
        case 'u': {
            unsigned cp, lo;
            if (!hex4(r, &cp))
                json_error(r, "bad \\u escape");
            if (cp >= 0xD800 && cp < 0xDC00 && r->end - r->p >= 6 && r->p[0] == '\\' &&
                r->p[1] == 'u') {
                r->p += 2;
                if (!hex4(r, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                    json_error(r, "bad surrogate pair");
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            add_utf8(&b, cp);
            break;
        }
        default: json_error(r, "bad escape");
        }
    }
    luaL_pushresult(&b);
}

static void read_number(json_reader *r)
{
    const char *start = r->p;
    int neg = 0, digits = 0, decimals = 0, exact = 1;
    int64_t milli = 0;
    if (r->p < r->end && *r->p == '-') {
        neg = 1;
        r->p++;
    }
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
        if (++digits > 15)
            exact = 0;
        else
            milli = milli * 10 + (*r->p - '0');
        r->p++;
    }
    if (digits == 0)
        json_error(r, "bad number");
    milli *= 1000;
    if (r->p < r->end && *r->p == '.') {
        r->p++;
        int64_t scale = 100;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
            if (++decimals > 3)
                exact = 0;
            else
                milli += (*r->p - '0') * scale;
            scale /= 10;
            r->p++;
        }
        if (decimals == 0)
            json_error(r, "bad number");
    }
    if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        exact = 0;
        r->p++;
        if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
            r->p++;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    if (exact) {
        jq_push_milli(r->L, neg ? -milli : milli);
        return;
    }
    /* Not a 3-decimal number (the library never writes one): let Lua convert. */
    lua_pushlstring(r->L, start, (size_t)(r->p - start));
    lua_Number d = lua_tonumber(r->L, -1);
    lua_pop(r->L, 1);
    lua_pushnumber(r->L, d);
}

static int literal(json_reader *r, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(r->end - r->p) >= n && memcmp(r->p, word, n) == 0) {
        r->p += n;
        return 1;
    }
    return 0;
}

/* Pushes one value; returns 0 (and pushes nothing) for null. */
static int read_value(json_reader *r)
{
    lua_State *L = r->L;
    skip_ws(r);
    if (r->p >= r->end)
        json_error(r, "unexpected end");
    char c = *r->p;
    if (c == '"') {
        r->p++;
        read_string(r);
        return 1;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        read_number(r);
        return 1;
    }
    if (literal(r, "true") || literal(r, "false")) {
        lua_pushboolean(L, r->p[-1] == 'e' && r->p[-2] == 'u');
        return 1;
    }
    if (literal(r, "null"))
        return 0;
    if (c != '{' && c != '[')
        json_error(r, "unexpected character");
    if (++r->depth > MAX_DEPTH)
        json_error(r, "nested too deeply");
    luaL_checkstack(L, 4, "results JSON nested too deeply");
    r->p++;
    lua_newtable(L);
    int n = 0;
    skip_ws(r);
    if (r->p < r->end && *r->p == (c == '{' ? '}' : ']')) {
        r->p++;
        r->depth--;
        return 1;
    }
    for (;;) {
        if (c == '{') {
            skip_ws(r);
            if (r->p >= r->end || *r->p != '"')
                json_error(r, "object key expected");
            r->p++;
            read_string(r);
            skip_ws(r);
            if (r->p >= r->end || *r->p != ':')
                json_error(r, "':' expected");
            r->p++;
            if (read_value(r))
                lua_rawset(L, -3);
            else
                lua_pop(L, 1); /* null: drop the key */
        } else {
            n++;
            if (read_value(r))
                lua_rawseti(L, -2, n);
        }
        skip_ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == (c == '{' ? '}' : ']')) {
            r->p++;
            break;
        }
        json_error(r, "',' or end of container expected");
    }
    r->depth--;
    return 1;
}

void jq_json_decode(lua_State *L, const char *text, size_t len)
{
    json_reader r = {L, text, text + len, 0};
    if (!read_value(&r))
        lua_pushnil(L);
    skip_ws(&r);
    if (r.p != r.end)
        json_error(&r, "trailing characters");
}
