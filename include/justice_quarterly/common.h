/*
 * libjustice-quarterly — common definitions: version, status codes, errors,
 * fixed-point numbers, dates, limits and the allocator hooks.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JUSTICE_QUARTERLY_COMMON_H
#define JUSTICE_QUARTERLY_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Marks a symbol exported from the shared library. */
#if defined(JQL_BUILDING_LIBRARY) && defined(__GNUC__)
#define JQL_API __attribute__((visibility("default")))
#else
#define JQL_API
#endif

/**
 * Marks a function whose result is a status code (or a count that may be a
 * negative status): ignoring it is a warning with GCC and Clang. An empty
 * macro for other compilers.
 */
#if defined(__GNUC__) || defined(__clang__)
#define JQL_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define JQL_WARN_UNUSED
#endif

/* ------------------------------------------------------------------ */
/* Version                                                             */
/* ------------------------------------------------------------------ */

/* JQL_VERSION_MAJOR, _MINOR, _PATCH and _STRING: generated from the
   project version by Meson (version.h.in). */
#include "justice_quarterly/version.h"
/** The version as one comparable number: major*10000 + minor*100 + patch. */
#define JQL_VERSION_NUMBER \
    (JQL_VERSION_MAJOR * 10000 + JQL_VERSION_MINOR * 100 + JQL_VERSION_PATCH)

/**
 * Runtime version of the linked library, e.g. "0.1.0".
 * Returns a static string (never NULL, never freed).
 */
JQL_API const char *jql_version(void);

/** Runtime version as JQL_VERSION_NUMBER would compute it. */
JQL_API int jql_version_number(void);

/* ------------------------------------------------------------------ */
/* Status codes and errors                                             */
/* ------------------------------------------------------------------ */

/**
 * Status codes. Functions return JQL_OK (0) on success or one of these
 * negative codes. Callers act on the code; the human-readable detail of the
 * most recent failure on the calling thread is read with jql_last_error().
 */
typedef enum jql_status {
    JQL_OK = 0,
    /** Unspecified failure (see jql_last_error()). */
    JQL_ERROR = -1,
    /** Memory allocation failed. */
    JQL_ENOMEM = -2,
    /** Invalid input: a malformed file, a bad argument, a broken rule. */
    JQL_EINVALID = -3,
    /** An id (unit, period, indicator, record, node, tier...) names nothing. */
    JQL_ENOTFOUND = -4,
    /** An id is already in use. */
    JQL_EEXISTS = -5,
    /** A file could not be read or written (errno is preserved in the message). */
    JQL_EIO = -6,
    /**
     * A limit was exceeded where no located diagnostic applies: an input
     * larger than JQL_MAX_INPUT_BYTES, a caller's buffer too small, a sum
     * too large for 64 bits. Limits inside a document (depth, string
     * length, counts) are input errors: JQL_EINVALID with diagnostics.
     */
    JQL_ELIMIT = -7,
    /** A user callback reported failure; its message is in jql_last_error(). */
    JQL_ECALLBACK = -8,
    /**
     * The ids are known but there is nothing to compute from: no statistic
     * for that unit, indicator and period, a change against a zero or
     * missing earlier value, a share of nothing due, a report never
     * submitted. Not a failure of the call: the answer is "no data".
     */
    JQL_ENODATA = -9
} jql_status;

/**
 * Static English text for a status code. Never NULL; unknown codes give
 * "unknown status". The string is static: do not free it.
 */
JQL_API const char *jql_strerror(int status);

/**
 * Message of the most recent failure of a jql_ function on the calling
 * thread, or "" when none. Borrowed: valid until the next jql_ call on this
 * thread. Thread-safe (the message is kept per thread).
 * Never NULL: "" when no failure was recorded on this thread.
 */
JQL_API const char *jql_last_error(void);

/** Forget the calling thread's last error message. */
JQL_API void jql_clear_error(void);

/* ------------------------------------------------------------------ */
/* Exact numbers                                                       */
/* ------------------------------------------------------------------ */

/**
 * An exact decimal with three places, held as integer thousandths:
 * 1.5 is 1500, -0.25 is -250. Points, statistics values, shares (0..100%)
 * and changes are all jql_milli; they are never summed as floating point.
 */
typedef int64_t jql_milli;

/** Largest magnitude accepted for any jql_milli read from input (9e12, i.e. 9e15 thousandths). */
#define JQL_MILLI_MAX INT64_C(9000000000000000)

/**
 * Format a jql_milli with exactly @p places decimals (0..3), rounding half
 * away from zero when places < 3, with '.' as the separator whatever the
 * locale. Writes at most @p size bytes including the terminating NUL into
 * @p buf and returns the length it needed (like snprintf).
 * With places = -1 the shortest exact form is written ("1.5", "12", "0.25").
 */
JQL_API int jql_milli_format(jql_milli value, int places, char *buf, size_t size);

/**
 * Parse a decimal written with at most 3 significant decimal places
 * ("12", "-1.5", "0.250", "1.5000"; decimals are judged by value, so
 * "0.0005" is refused). Returns JQL_OK, or JQL_EINVALID for anything else
 * (exponents are accepted when the value is exact: "1e2", "2.5E-1").
 */
JQL_API JQL_WARN_UNUSED int jql_milli_parse(const char *text, jql_milli *out);

/**
 * Exact a * b / c rounded once, half away from zero: shares and scaled
 * points without a hand-written division (which truncates, or rounds
 * twice). The product is held in 128 bits, so it never overflows.
 * Example: jql_milli_muldiv(17, 100000, 19, &pct) gives 89474 (89.474%).
 * Errors: JQL_EINVALID when @p c is 0 or @p out is NULL; JQL_ELIMIT when
 * the result does not fit 64 bits. *out is written only on success.
 */
JQL_API JQL_WARN_UNUSED int jql_milli_muldiv(jql_milli a, jql_milli b, jql_milli c, jql_milli *out);

/* ------------------------------------------------------------------ */
/* Dates                                                               */
/* ------------------------------------------------------------------ */

/** A calendar date as days since 1970-01-01 (proleptic Gregorian). */
typedef int32_t jql_date;

/** Marks "no date" (e.g. a report never submitted). */
#define JQL_NO_DATE INT32_MIN

/** Earliest and latest years accepted anywhere (dates and period ids). */
#define JQL_YEAR_MIN 1900
#define JQL_YEAR_MAX 9999

/**
 * Build a date from year, month (1..12) and day. Returns JQL_OK, or
 * JQL_EINVALID for an impossible date (2014-02-30) or a year outside
 * JQL_YEAR_MIN..JQL_YEAR_MAX.
 */
JQL_API JQL_WARN_UNUSED int jql_date_from_ymd(int year, int month, int day, jql_date *out);

/** Split a date into year, month, day (any pointer may be NULL). */
JQL_API void jql_date_to_ymd(jql_date date, int *year, int *month, int *day);

/** Parse "YYYY-MM-DD" strictly (exactly that shape). JQL_EINVALID otherwise. */
JQL_API JQL_WARN_UNUSED int jql_date_parse(const char *text, jql_date *out);

/**
 * Write "YYYY-MM-DD" and a NUL into buf (at least 11 bytes). Never fails: a date outside
 * JQL_YEAR_MIN..JQL_YEAR_MAX is written as it computes.
 */
JQL_API void jql_date_format(jql_date date, char buf[11]);

/**
 * The same day one year later (years = 1) or earlier (years = -1);
 * 29 February becomes 28 February.
 * Returns the shifted date; never fails (JQL_NO_DATE is not a date: do not pass it).
 */
JQL_API jql_date jql_date_add_years(jql_date date, int years);

/* ------------------------------------------------------------------ */
/* Limits                                                              */
/* ------------------------------------------------------------------ */

/** Largest JSON input accepted by default, in bytes: a 10,000-commune year
    (about 200 MB) fits; jql_load_options raises or lowers it. */
#define JQL_MAX_INPUT_BYTES (512u * 1024u * 1024u)
/** Deepest JSON nesting accepted (objects and arrays). */
#define JQL_MAX_DEPTH 32
/** Longest string accepted, in bytes (ids are shorter, see below). */
#define JQL_MAX_STRING_BYTES (64u * 1024u)
/** Longest id (unit, period, indicator, task, criterion...), in bytes. */
#define JQL_MAX_ID_BYTES 128
/** Most records of any one kind (units, statistics, reports...). */
#define JQL_MAX_RECORDS 10000000u
/** Most diagnostics collected from one input; later ones are summarised. */
#define JQL_MAX_DIAGNOSTICS 200

/**
 * Limits for loading an input, versioned like libgit2's option structs:
 * initialise with JQL_LOAD_OPTIONS_INIT (or jql_load_options_init()), then
 * change the members you need. A member left 0 takes its default above.
 * The defaults guard against hostile input; a caller who trusts a larger
 * input raises them. Later versions only append members.
 */
typedef struct jql_load_options {
    unsigned int version;    /**< JQL_LOAD_OPTIONS_VERSION */
    size_t max_input_bytes;  /**< 0: JQL_MAX_INPUT_BYTES; any size may be set */
    unsigned int max_depth;  /**< 0: JQL_MAX_DEPTH; at most JQL_MAX_DEPTH (valid files nest 6 deep) */
    size_t max_records;      /**< per record kind; 0: JQL_MAX_RECORDS; at most JQL_MAX_RECORDS_LIMIT */
    size_t max_string_bytes; /**< 0: JQL_MAX_STRING_BYTES; at most JQL_MAX_STRING_BYTES */
} jql_load_options;

#define JQL_LOAD_OPTIONS_VERSION 1
#define JQL_LOAD_OPTIONS_INIT { JQL_LOAD_OPTIONS_VERSION, 0, 0, 0, 0 }
/** Most records of one kind even a raised limit allows (indices stay far from overflow). */
#define JQL_MAX_RECORDS_LIMIT 1000000000u

/** Set *opts to the defaults of @p version. JQL_OK, or JQL_EINVALID for an unknown version. */
JQL_API JQL_WARN_UNUSED int jql_load_options_init(jql_load_options *opts, unsigned int version);

/* ------------------------------------------------------------------ */
/* Diagnostics (located input errors)                                  */
/* ------------------------------------------------------------------ */

/**
 * A list of located problems found while reading an input: every error
 * (and warning) with a JSON Pointer path, a 1-based line and column and a
 * message. Owned by the caller: free with jql_diagnostics_free().
 * Read-only after creation; safe to read from several threads.
 */
typedef struct jql_diagnostics jql_diagnostics;

typedef enum jql_severity {
    JQL_SEVERITY_ERROR = 0,
    JQL_SEVERITY_WARNING = 1,
    /** Number of severities (not a severity; grows when one is added). */
    JQL_SEVERITY_COUNT
} jql_severity;

/** Free a diagnostics list. NULL is a no-op. */
JQL_API void jql_diagnostics_free(jql_diagnostics *diag);

/** Number of entries (errors and warnings). NULL gives 0. */
JQL_API size_t jql_diagnostics_count(const jql_diagnostics *diag);

/**
 * Number of errors found. NULL gives 0. Errors past JQL_MAX_DIAGNOSTICS are
 * counted too (the list then ends with one summary entry), so this may
 * exceed the number of entries.
 */
JQL_API size_t jql_diagnostics_error_count(const jql_diagnostics *diag);

/**
 * Severity of entry @p i (i < count). JQL_SEVERITY_ERROR when @p i is out of range or @p diag is
 * NULL.
 */
JQL_API jql_severity jql_diagnostics_severity(const jql_diagnostics *diag, size_t i);

/**
 * JSON Pointer (RFC 6901) of the value entry @p i is about, "" for the
 * whole document. Borrowed: valid until the list is freed.
 * "" (never NULL) when @p i is out of range or @p diag is NULL.
 */
JQL_API const char *jql_diagnostics_path(const jql_diagnostics *diag, size_t i);

/** 1-based line of entry @p i in the input, 0 when unknown. */
JQL_API unsigned jql_diagnostics_line(const jql_diagnostics *diag, size_t i);

/** 1-based column (in bytes) of entry @p i in the input, 0 when unknown. */
JQL_API unsigned jql_diagnostics_column(const jql_diagnostics *diag, size_t i);

/**
 * Message of entry @p i. Borrowed: valid until the list is freed. "" (never NULL) when @p i is
 * out of range or @p diag is NULL.
 */
JQL_API const char *jql_diagnostics_message(const jql_diagnostics *diag, size_t i);

/**
 * Name of the input the entries are about (a path, "<memory>", "<stdin>").
 * Borrowed: valid until the list is freed.
 * "" (never NULL) for a NULL @p diag.
 */
JQL_API const char *jql_diagnostics_source(const jql_diagnostics *diag);

/* ------------------------------------------------------------------ */
/* Allocation                                                          */
/* ------------------------------------------------------------------ */

typedef void *(*jql_malloc_fn)(size_t size);
typedef void *(*jql_realloc_fn)(void *ptr, size_t size);
typedef void (*jql_free_fn)(void *ptr);

/**
 * Route every allocation the library makes for its own objects through the
 * given functions (all three, or all NULL to restore malloc/realloc/free).
 * Call it before creating any object and never while one exists: memory
 * must be freed by the allocator that made it. Not thread-safe.
 * (cJSON's transient parse tree uses the C library's malloc; the library
 * never calls cJSON_InitHooks, which would change the whole process.)
 * Returns JQL_OK or JQL_EINVALID when only some functions are given.
 */
JQL_API JQL_WARN_UNUSED int jql_allocator_set(jql_malloc_fn m, jql_realloc_fn r, jql_free_fn f);

/** Free memory the library returned as "owned by the caller, free with jql_free()". */
JQL_API void jql_free(void *ptr);

#ifdef __cplusplus
}
#endif
#endif /* JUSTICE_QUARTERLY_COMMON_H */
