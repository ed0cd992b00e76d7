/*
 * libjustice-quarterly — the dataset: units, periods, indicators,
 * statistics, report submissions, tasks, shortcomings, directives,
 * assessments and events; the builder that creates and edits them.
 *
 * Records are addressed by index (0 .. count-1) in insertion order; indices
 * are stable while records are only added. Strings returned by accessors
 * are borrowed: valid until the dataset is freed or the same field is
 * changed. All text is UTF-8 and kept byte for byte.
 *
 * Thread safety: a dataset may be read (accessors, queries, saving,
 * scoring) from several threads at once as long as no thread modifies it.
 * Builder functions (jql_*_add, jql_*_set_*) need exclusive access, also
 * against threads reading results scored from the dataset (their evidence
 * is read from it, jql_score()).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JUSTICE_QUARTERLY_DATASET_H
#define JUSTICE_QUARTERLY_DATASET_H

#include <stdbool.h>
#include <stdio.h>

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque dataset handle. */
typedef struct jql_dataset jql_dataset;

/** "No record" index, e.g. the parent of a root unit. */
#define JQL_NONE SIZE_MAX

/**
 * Create an empty dataset. Owned by the caller: free with jql_dataset_free().
 * Returns NULL when out of memory.
 */
JQL_API jql_dataset *jql_dataset_new(void);

/**
 * Free a dataset and everything it owns. NULL is a no-op. Results scored
 * from it hold it: its memory then goes with the last of them
 * (jql_results_free()), and they stay fully readable until then.
 */
JQL_API void jql_dataset_free(jql_dataset *ds);

/** Optional dataset name (NULL when unset). Borrowed. */
JQL_API const char *jql_dataset_name(const jql_dataset *ds);
/** Optional dataset description (NULL when unset). Borrowed. */
JQL_API const char *jql_dataset_description(const jql_dataset *ds);
/** Set or clear (NULL) the name / description. JQL_OK or JQL_ENOMEM/JQL_EINVALID. */
JQL_API JQL_WARN_UNUSED int jql_dataset_set_name(jql_dataset *ds, const char *name);
/** JQL_OK; JQL_EINVALID for a NULL @p ds or invalid text; JQL_ENOMEM. */
JQL_API JQL_WARN_UNUSED int jql_dataset_set_description(jql_dataset *ds, const char *text);

/**
 * Check the whole dataset for problems that the builder cannot catch one
 * call at a time (a directive naming a shortcoming added later is fine
 * while building). Returns JQL_OK when valid, else JQL_EINVALID and, when
 * @p diag is not NULL, a list of every problem (paths as in the JSON form,
 * lines 0). *diag is owned by the caller (jql_diagnostics_free()).
 */
JQL_API JQL_WARN_UNUSED int jql_dataset_check(const jql_dataset *ds, jql_diagnostics **diag);

/* ------------------------------------------------------------------ */
/* Units                                                               */
/* ------------------------------------------------------------------ */

/** Number of units. Number of units; 0 for a NULL dataset. */
JQL_API size_t jql_unit_count(const jql_dataset *ds);
/**
 * Index of the unit with @p id: JQL_OK and *index set, or JQL_ENOTFOUND.
 * Constant time (hash index).
 */
JQL_API JQL_WARN_UNUSED int jql_unit_find(const jql_dataset *ds, const char *id, size_t *index);
/** Borrowed strings of unit @p i; name is never NULL, cluster may be NULL. */
JQL_API const char *jql_unit_id(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when @p i is out of range. */
JQL_API const char *jql_unit_name(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when @p i is out of range. */
JQL_API const char *jql_unit_level(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when the unit has no cluster or @p i is out of range. */
JQL_API const char *jql_unit_cluster(const jql_dataset *ds, size_t i);
/** Parent index of unit @p i, or JQL_NONE for a root. */
JQL_API size_t jql_unit_parent(const jql_dataset *ds, size_t i);
/**
 * Number of direct children, and the k-th child in insertion order. 0 when @p i is out of range.
 */
JQL_API size_t jql_unit_child_count(const jql_dataset *ds, size_t i);
/** A record index; JQL_NONE when @p i or @p k is out of range. */
JQL_API size_t jql_unit_child(const jql_dataset *ds, size_t i, size_t k);
/** Depth of unit @p i: 0 for a root. 0 when @p i is out of range. */
JQL_API size_t jql_unit_depth(const jql_dataset *ds, size_t i);
/** True when @p ancestor is @p i itself or one of its ancestors. */
JQL_API bool jql_unit_is_within(const jql_dataset *ds, size_t i, size_t ancestor);
/**
 * Descendants of unit @p i (not including it) in depth-first pre-order.
 * Writes up to @p cap indices into @p out and returns how many there are
 * (call with cap 0 to size the buffer).
 */
JQL_API size_t jql_unit_descendants(const jql_dataset *ds, size_t i, size_t *out, size_t cap);
/** Free attributes of a unit: count, k-th key and value (borrowed). 0 when @p i is out of range. */
JQL_API size_t jql_unit_attr_count(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when @p i or @p k is out of range. */
JQL_API const char *jql_unit_attr_key(const jql_dataset *ds, size_t i, size_t k);
/** Borrowed; NULL when @p i or @p k is out of range. */
JQL_API const char *jql_unit_attr_value(const jql_dataset *ds, size_t i, size_t k);
/** Value of attribute @p key, or NULL. */
JQL_API const char *jql_unit_attr_lookup(const jql_dataset *ds, size_t i, const char *key);

/**
 * Add a unit. @p parent_id may be NULL (a root) and must name an existing
 * unit otherwise. @p level is a free string ("province", "district",
 * "commune"...). On success *index (if not NULL) receives the new index.
 * Errors: JQL_EEXISTS (id taken), JQL_ENOTFOUND (parent), JQL_EINVALID
 * (empty or over-long id, invalid UTF-8), JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_unit_add(jql_dataset *ds, const char *id, const char *name,
                         const char *level, const char *parent_id, size_t *index);
/**
 * JQL_OK; JQL_ENOTFOUND when @p i is out of range or @p ds is NULL; JQL_EINVALID for a value the
 * builder refuses (invalid UTF-8, over JQL_MAX_STRING_BYTES, NULL or empty name); JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_unit_set_name(jql_dataset *ds, size_t i, const char *name);
/**
 * JQL_OK; JQL_ENOTFOUND when @p i is out of range or @p ds is NULL; JQL_EINVALID for a value the
 * builder refuses (invalid UTF-8, over JQL_MAX_STRING_BYTES, NULL or empty level); JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_unit_set_level(jql_dataset *ds, size_t i, const char *level);
/** Set or clear (NULL) the cluster. */
JQL_API JQL_WARN_UNUSED int jql_unit_set_cluster(jql_dataset *ds, size_t i, const char *cluster);
/**
 * Move unit @p i under @p parent_id (NULL: make it a root).
 * JQL_EINVALID when that would create a cycle.
 */
JQL_API JQL_WARN_UNUSED int jql_unit_set_parent(jql_dataset *ds, size_t i, const char *parent_id);
/** Set (or with value NULL, remove) a free attribute. */
JQL_API JQL_WARN_UNUSED int jql_unit_set_attr(jql_dataset *ds, size_t i, const char *key, const char *value);

/* ------------------------------------------------------------------ */
/* Periods                                                             */
/* ------------------------------------------------------------------ */

typedef enum jql_period_kind {
    JQL_PERIOD_YEAR = 0,    /**< "2014": 1 Jan – 31 Dec */
    JQL_PERIOD_HALF = 1,    /**< "2014-H1", "2014-H2" */
    JQL_PERIOD_QUARTER = 2, /**< "2014-Q1" .. "2014-Q4" */
    JQL_PERIOD_NINE_MONTHS = 3, /**< "2014-9M": 1 Jan – 30 Sep */
    JQL_PERIOD_CUSTOM = 4,  /**< any other id, with dates given explicitly */
    /** Number of kinds (not a kind; grows when one is added). */
    JQL_PERIOD_KIND_COUNT
} jql_period_kind;

/**
 * Periods. Standard ids ("2014", "2014-H1", "2014-Q3", "2014-9M") are
 * understood everywhere without being declared. A dataset may declare
 * periods with explicit date ranges: custom ids, or standard ids with
 * a cut-off range (e.g. 2014-Q1 from 2013-12-15 to 2014-03-14), which then
 * replaces the calendar range for that id in this dataset.
 */
JQL_API size_t jql_period_count(const jql_dataset *ds); /**< declared periods only; 0 for a NULL ds */
/**
 * Index of the declared period @p id: JQL_OK and *index set (when @p index
 * is not NULL), or JQL_ENOTFOUND when no period of that id is declared (a
 * standard id that is not declared too; jql_period_resolve() resolves
 * those) or @p ds or @p id is NULL. Constant time (hash index).
 */
JQL_API JQL_WARN_UNUSED int jql_period_find(const jql_dataset *ds, const char *id, size_t *index);
/** Borrowed; NULL when @p i is out of range. */
JQL_API const char *jql_period_id(const jql_dataset *ds, size_t i);
/** Display name of declared period @p i, or NULL. */
JQL_API const char *jql_period_name(const jql_dataset *ds, size_t i);

/**
 * Resolve a period id (declared or standard) to its kind and inclusive date
 * range. JQL_OK, or JQL_ENOTFOUND for an id that is neither.
 * Any output pointer may be NULL.
 */
JQL_API JQL_WARN_UNUSED int jql_period_resolve(const jql_dataset *ds, const char *id, jql_period_kind *kind,
                               jql_date *start, jql_date *end);

/**
 * Declare a period with an explicit inclusive range. Errors: JQL_EEXISTS,
 * JQL_EINVALID (start after end, bad id). @p name may be NULL.
 */
JQL_API JQL_WARN_UNUSED int jql_period_add(jql_dataset *ds, const char *id, const char *name, jql_date start,
                           jql_date end, size_t *index);

/* ------------------------------------------------------------------ */
/* Labels and documents: what reports print                            */
/* ------------------------------------------------------------------ */

/**
 * Display names of the ids records use, per language: @p kind says what
 * is named ("level", "cluster", "field", "report_kind", "event_kind",
 * "veto", "cause_kind", "criteria"...; any non-empty string), @p id the id,
 * @p lang the language ("vi", "en"). jql_label_set() adds or replaces a
 * name (NULL removes it); jql_label_lookup() returns it (borrowed) or NULL.
 * Labels are listed in the order they were first set, names by language.
 */
JQL_API JQL_WARN_UNUSED int jql_label_set(jql_dataset *ds, const char *kind, const char *id, const char *lang,
                          const char *name);
/** Returns the name (borrowed), or NULL when none is set or an argument is NULL. */
JQL_API const char *jql_label_lookup(const jql_dataset *ds, const char *kind, const char *id,
                              const char *lang);
/** Number of labelled ids; 0 for a NULL dataset. */
JQL_API size_t jql_label_count(const jql_dataset *ds);
/** Borrowed; NULL when @p i is out of range. */
JQL_API const char *jql_label_kind(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when @p i is out of range. */
JQL_API const char *jql_label_id(const jql_dataset *ds, size_t i);
/** 0 when @p i is out of range. */
JQL_API size_t jql_label_name_count(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when @p i or @p k is out of range. */
JQL_API const char *jql_label_name_lang(const jql_dataset *ds, size_t i, size_t k);
/** Borrowed; NULL when @p i or @p k is out of range. */
JQL_API const char *jql_label_name_text(const jql_dataset *ds, size_t i, size_t k);

/**
 * The administrative form of the review document of a period: free text
 * fields ("issuer", "number", "place", "date", "title", "recipients"...;
 * docs/FORMAT.md lists those jql-report prints). jql_document_set() sets
 * a field (NULL removes it; JQL_ENOTFOUND for an unknown period);
 * jql_document_field_lookup() returns it (borrowed) or NULL.
 */
JQL_API JQL_WARN_UNUSED int jql_document_set(jql_dataset *ds, const char *period, const char *field,
                             const char *value);
/**
 * Returns the value (borrowed), or NULL when the period has no such field or an argument is
 * NULL.
 */
JQL_API const char *jql_document_field_lookup(const jql_dataset *ds, const char *period,
                                       const char *field);
/**
 * Index of the document of @p period (constant time, the period id as given
 * to jql_document_set()): JQL_OK and *index set (when not NULL), or
 * JQL_ENOTFOUND when the period has no document or @p ds or @p period is NULL.
 */
JQL_API JQL_WARN_UNUSED int jql_document_find(const jql_dataset *ds, const char *period, size_t *index);
/** Number of periods with a document; 0 for a NULL dataset. */
JQL_API size_t jql_document_count(const jql_dataset *ds);
/** Borrowed; NULL when @p i is out of range. */
JQL_API const char *jql_document_period(const jql_dataset *ds, size_t i);
/** 0 when @p i is out of range. */
JQL_API size_t jql_document_field_count(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when @p i or @p k is out of range. */
JQL_API const char *jql_document_field_key(const jql_dataset *ds, size_t i, size_t k);
/** Borrowed; NULL when @p i or @p k is out of range. */
JQL_API const char *jql_document_field_value(const jql_dataset *ds, size_t i, size_t k);

/**
 * The statistics cut-off of declared period @p i: the range its statistics
 * cover when it differs from the period (work reports: 15/12 to 14/3 for
 * Q1). Statistics of the period are known from the cut-off's end (as-of
 * rule, docs/CRITERIA.md). JQL_NO_DATE for both dates removes it.
 * JQL_OK, JQL_EINVALID (one date only, start after end, no such period).
 */
JQL_API JQL_WARN_UNUSED int jql_period_set_cutoff(jql_dataset *ds, size_t i, jql_date start, jql_date end);
/** The cut-off of period @p id: JQL_OK, or JQL_ENOTFOUND when it declares none. */
JQL_API JQL_WARN_UNUSED int jql_period_cutoff(const jql_dataset *ds, const char *id, jql_date *start,
                              jql_date *end);

/**
 * Whether period @p inner lies inside @p outer (both dates): JQL_OK with
 * *contains set to true or false; JQL_ENOTFOUND when either id is neither
 * declared nor standard (or NULL); JQL_EINVALID when @p contains is NULL.
 * *contains is written only on success.
 */
JQL_API JQL_WARN_UNUSED int jql_period_contains(const jql_dataset *ds, const char *outer, const char *inner,
                                bool *contains);

/**
 * The period before @p id: the previous quarter, half or year (2014-Q1 →
 * 2013-Q4), the previous year's 9 months for "9M", and for a custom period
 * the declared period that ends the day before it starts.
 * Writes the id into buf (NUL-terminated, at most size bytes).
 * JQL_OK, JQL_ENOTFOUND (no such period), JQL_ELIMIT (buffer too small).
 */
JQL_API JQL_WARN_UNUSED int jql_period_previous(const jql_dataset *ds, const char *id, char *buf, size_t size);

/**
 * The period after @p id: the next quarter, half or year (2014-Q4 →
 * 2015-Q1), the fourth quarter after "9M" (2014-9M → 2014-Q4), and for a
 * custom period the first declared period that starts the day after it
 * ends. Writes the id into buf (NUL-terminated, at most size bytes).
 * Errors: JQL_ENOTFOUND when @p id is neither standard nor declared, when
 * no declared period follows a custom one, or past year JQL_YEAR_MAX;
 * JQL_ELIMIT when the id does not fit in @p size bytes (buf NULL counts as
 * too small).
 */
JQL_API JQL_WARN_UNUSED int jql_period_next(const jql_dataset *ds, const char *id, char *buf, size_t size);

/**
 * The dates the period after @p id covers, for a programme of "next
 * period" work: those of jql_period_next() when that names a period
 * starting the day after @p id ends (its id is written to buf); otherwise
 * (a custom period nothing declared follows, or a declared period whose
 * dates break the sequence) as many days again from the day after, and
 * buf receives "" (no id).
 * @param buf, size  receive the id, NUL-terminated; may be NULL with size 0
 *                   when the id is not wanted.
 * @param start, end receive the dates (required).
 * @return JQL_OK; JQL_ENOTFOUND when @p id is neither standard nor declared
 *         or the next period would end past year JQL_YEAR_MAX; JQL_EINVALID
 *         when @p start or @p end is NULL; JQL_ELIMIT when the id does not
 *         fit in @p size bytes (a non-NULL buf is then ""). Outputs are
 *         written only on success (buf aside).
 */
JQL_API JQL_WARN_UNUSED int jql_period_next_range(const jql_dataset *ds, const char *id, char *buf, size_t size,
                                  jql_date *start, jql_date *end);

/**
 * Display name of period @p id in language @p lang, "vi" or "en", written
 * into buf (NUL-terminated, at most size bytes). "vi": the name the dataset
 * declares for it, else the name of a standard id ("Quý I/2014", "6 tháng
 * đầu năm 2014", "9 tháng năm 2014", "Năm 2014"), else the id itself.
 * "en": the name of a standard id ("Q1 2014", "First half of 2014", "Nine
 * months of 2014", "Year 2014"), else the declared name, else the id.
 * @p ds may be NULL (standard names only).
 * Errors: JQL_EINVALID when @p id is NULL, @p lang is neither "vi" nor
 * "en", or buf is NULL with size > 0; JQL_ELIMIT when the name does not fit
 * (buf then holds it cut short, as snprintf leaves it).
 */
JQL_API JQL_WARN_UNUSED int jql_period_display_name(const jql_dataset *ds, const char *id, const char *lang,
                                    char *buf, size_t size);

/**
 * The same period a year earlier ("cùng kỳ"): both dates shifted back one
 * year (29 Feb → 28 Feb). For a standard id, the standard id of the year
 * before; for a custom one, a declared period with exactly that range.
 * Writes the id into buf. JQL_OK, JQL_ENOTFOUND, JQL_ELIMIT.
 */
JQL_API JQL_WARN_UNUSED int jql_period_year_before(const jql_dataset *ds, const char *id, char *buf, size_t size);

/* ------------------------------------------------------------------ */
/* Indicators and statistics                                           */
/* ------------------------------------------------------------------ */

/** How an indicator's values combine over periods and over units. */
typedef enum jql_aggregation {
    JQL_AGG_SUM = 0,  /**< periods: sum; units: sum */
    JQL_AGG_LAST = 1, /**< periods: the latest period's value; units: sum */
    JQL_AGG_MEAN = 2, /**< periods: mean; units: mean of unit values */
    JQL_AGG_MIN = 3,
    JQL_AGG_MAX = 4,
    /** Number of aggregations (not an aggregation; grows when one is added). */
    JQL_AGGREGATION_COUNT
} jql_aggregation;

/** Number of indicators; 0 for a NULL dataset. */
JQL_API size_t jql_indicator_count(const jql_dataset *ds);
/**
 * Index of indicator @p id: JQL_OK and *index set (when not NULL), or JQL_ENOTFOUND (also for a
 * NULL @p ds or @p id). Constant time.
 */
JQL_API JQL_WARN_UNUSED int jql_indicator_find(const jql_dataset *ds, const char *id, size_t *index);
/** Borrowed; NULL when @p i is out of range. */
JQL_API const char *jql_indicator_id(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when @p i is out of range. */
JQL_API const char *jql_indicator_name(const jql_dataset *ds, size_t i);
/** Measurement unit ("cases", "sessions"), or NULL. */
JQL_API const char *jql_indicator_measure_unit(const jql_dataset *ds, size_t i);
/** Field of work the indicator belongs to, or NULL. */
JQL_API const char *jql_indicator_field(const jql_dataset *ds, size_t i);
/** JQL_AGG_SUM when @p i is out of range. */
JQL_API jql_aggregation jql_indicator_aggregation(const jql_dataset *ds, size_t i);
/** Add an indicator; measure_unit and field may be NULL. */
JQL_API JQL_WARN_UNUSED int jql_indicator_add(jql_dataset *ds, const char *id, const char *name,
                              const char *measure_unit, jql_aggregation agg, size_t *index);
/**
 * JQL_OK; JQL_ENOTFOUND when @p i is out of range or @p ds is NULL; JQL_EINVALID for a value the
 * builder refuses (invalid UTF-8, over JQL_MAX_STRING_BYTES; NULL clears it); JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_indicator_set_field(jql_dataset *ds, size_t i, const char *field);

/**
 * Statistics records: one value per unit × indicator × period. Number of statistics records; 0
 * for a NULL dataset.
 */
JQL_API size_t jql_stat_count(const jql_dataset *ds);
/** A record index; JQL_NONE when @p i is out of range. */
JQL_API size_t jql_stat_unit(const jql_dataset *ds, size_t i);
/** A record index; JQL_NONE when @p i is out of range. */
JQL_API size_t jql_stat_indicator(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when @p i is out of range. */
JQL_API const char *jql_stat_period(const jql_dataset *ds, size_t i);
/** Thousandths; 0 when @p i is out of range. */
JQL_API jql_milli jql_stat_value(const jql_dataset *ds, size_t i);
/**
 * Set the value of a unit's indicator for a period (adds the record, or
 * replaces the value of an existing one). Values are thousandths; negative
 * values are refused (JQL_EINVALID), as are unknown unit, indicator or
 * period ids (JQL_ENOTFOUND), and a period whose dates equal those of
 * another period id that already has a value for this unit and indicator
 * (JQL_EINVALID: which one counts would depend on order).
 */
JQL_API JQL_WARN_UNUSED int jql_stat_set_value(jql_dataset *ds, const char *unit, const char *indicator,
                         const char *period, jql_milli value);

/** Flags for value queries. */
#define JQL_ROLLUP 1u /**< include the unit's descendants */

/**
 * A unit's value of an indicator over a period: the record for exactly that
 * period if there is one, else the records of the periods inside it
 * combined by the indicator's rule (nested records are not counted twice:
 * a record whose period lies inside another one used is skipped).
 * With JQL_ROLLUP, each unit of the subtree is valued first, then the
 * values are combined (sum for sum/last, mean, min, max). A mean is exact
 * until this one rounding half away from zero to 0.001 (docs/SCORING.md,
 * section 7).
 * JQL_OK with *value set; JQL_ENODATA when there is no data;
 * JQL_ENOTFOUND for an unknown unit, indicator or period; JQL_EINVALID for
 * a NULL argument or an unknown flag; JQL_ELIMIT when a
 * sum would exceed 64 bits (values are at most JQL_MILLI_MAX each, so only
 * with very many records).
 */
JQL_API JQL_WARN_UNUSED int jql_indicator_value(const jql_dataset *ds, const char *unit, const char *indicator,
                      const char *period, unsigned flags, jql_milli *value);

/**
 * Change of a value against the same period a year earlier.
 * *current and *previous receive the two values (each may be NULL);
 * *delta the absolute change; *percent the change in % (thousandths:
 * 12.5% is 12500), rounded once half away from zero.
 * Returns JQL_OK when both values exist and the earlier one is not zero;
 * JQL_ENODATA when either value is missing or the earlier one is zero
 * (the change is "no data"); outputs that could be computed are still set
 * and the rest are left untouched. JQL_ENOTFOUND, JQL_EINVALID and JQL_ELIMIT as for
 * jql_indicator_value().
 */
JQL_API JQL_WARN_UNUSED int jql_indicator_value_change(const jql_dataset *ds, const char *unit, const char *indicator,
                             const char *period, unsigned flags, jql_milli *current,
                             jql_milli *previous, jql_milli *delta, jql_milli *percent);

/* ------------------------------------------------------------------ */
/* Report submissions                                                  */
/* ------------------------------------------------------------------ */

/** Number of report records; 0 for a NULL dataset. */
JQL_API size_t jql_report_count(const jql_dataset *ds);
/** A record index; JQL_NONE when @p i is out of range. */
JQL_API size_t jql_report_unit(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when @p i is out of range. */
JQL_API const char *jql_report_period(const jql_dataset *ds, size_t i);
/**
 * Report kind (free string: "statistics", "quarterly-work"...). Borrowed; NULL when @p i is out
 * of range.
 */
JQL_API const char *jql_report_kind(const jql_dataset *ds, size_t i);
/** JQL_NO_DATE when @p i is out of range. */
JQL_API jql_date jql_report_due(const jql_dataset *ds, size_t i);
/** Submission date, or JQL_NO_DATE when never submitted. */
JQL_API jql_date jql_report_submitted(const jql_dataset *ds, size_t i);
/** false when @p i is out of range. */
JQL_API bool jql_report_complete(const jql_dataset *ds, size_t i);
/**
 * Days late of report @p i: JQL_OK with *days 0 when submitted on time or
 * early, else the days after the due date; JQL_ENODATA when it was never
 * submitted; JQL_ENOTFOUND when @p i is out of range (as for the setters) or
 * @p ds is NULL; JQL_EINVALID when @p days is NULL.
 * *days is written only on success.
 */
JQL_API JQL_WARN_UNUSED int jql_report_days_late(const jql_dataset *ds, size_t i, int32_t *days);

/**
 * Where a report stands on a date, by the rules the tallies and the
 * scoring count with (tally.h): what a program shows per report, so that
 * its list and the library's counts never disagree.
 */
typedef enum jql_report_standing {
    JQL_REPORT_STANDING_NOT_DUE = 0, /**< "not_due": due after the as-of date (not counted yet) */
    JQL_REPORT_STANDING_ON_TIME,     /**< "on_time": submitted on or before the due date */
    JQL_REPORT_STANDING_LATE,        /**< "late": submitted after the due date */
    JQL_REPORT_STANDING_MISSING,     /**< "missing": not submitted (by the as-of date) */
    /** Number of standings (not a standing; grows when one is added). */
    JQL_REPORT_STANDING_COUNT
} jql_report_standing;

/**
 * How report @p i stands as of @p as_of (JQL_NO_DATE: no cut-off, every
 * date counts): a submission dated after @p as_of is not made yet, a report
 * due after it is not due yet. On time is submitted <= due whether complete
 * or not; incomplete is a separate fact (submitted by then, not complete),
 * so a report may be on time and incomplete, exactly as the tally counts.
 * @param standing   receives the standing (required).
 * @param days_late  may be NULL; 0 when on time, the days after the due
 *                   date when late, -1 when missing or not due.
 * @param incomplete may be NULL; true when on time or late (so submitted
 *                   by @p as_of) and not complete, else false.
 * @return JQL_OK; JQL_ENOTFOUND when @p ds is NULL or @p i is out of range;
 *         JQL_EINVALID when @p standing is NULL. Outputs are written only
 *         on success.
 */
JQL_API JQL_WARN_UNUSED int jql_report_get_standing(const jql_dataset *ds, size_t i, jql_date as_of,
                                    jql_report_standing *standing, int32_t *days_late,
                                    bool *incomplete);
/**
 * Index of the report of @p unit for @p period of @p kind (ids as given to
 * jql_report_add()): JQL_OK and *index set (when not NULL), JQL_ENOTFOUND
 * when there is none or an argument is NULL; JQL_ENOMEM. Constant time.
 */
JQL_API JQL_WARN_UNUSED int jql_report_find(const jql_dataset *ds, const char *unit, const char *period,
                            const char *kind, size_t *index);
/**
 * Add a report submission. @p submitted may be JQL_NO_DATE.
 * JQL_EEXISTS when the unit already has a report of that kind for that period.
 */
JQL_API JQL_WARN_UNUSED int jql_report_add(jql_dataset *ds, const char *unit, const char *period,
                           const char *kind, jql_date due, jql_date submitted, bool complete,
                           size_t *index);
/**
 * JQL_OK; JQL_ENOTFOUND when @p i is out of range or @p ds is NULL; JQL_EINVALID for a date
 * outside JQL_YEAR_MIN..JQL_YEAR_MAX.
 */
JQL_API JQL_WARN_UNUSED int jql_report_set_submitted(jql_dataset *ds, size_t i, jql_date submitted, bool complete);

/**
 * Reports of @p unit (NULL: every unit) whose own period lies inside
 * @p period, in insertion order, of @p kind (NULL: every kind). A list
 * query (docs/API.md): up to @p cap indices written to @p out, *count the
 * number that match. JQL_OK; JQL_ENOTFOUND for an unknown unit or period;
 * JQL_EINVALID when @p ds, @p period or @p count is NULL or @p out is NULL
 * with @p cap > 0.
 */
JQL_API JQL_WARN_UNUSED int jql_reports_in_period(const jql_dataset *ds, const char *unit, const char *period,
                                  const char *kind, size_t *out, size_t cap, size_t *count);
/**
 * The reports of jql_reports_in_period() (same arguments) that are late or
 * were never submitted, by jql_report_get_standing() with no cut-off date:
 * the records behind a tally's reports_late + reports_missing. A list query
 * (docs/API.md): up to @p cap indices, in insertion order, written to
 * @p out, *count the number that match. JQL_OK; JQL_ENOTFOUND for an
 * unknown unit or period; JQL_EINVALID when @p ds, @p period or @p count is
 * NULL or @p out is NULL with @p cap > 0; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_reports_late(const jql_dataset *ds, const char *unit, const char *period,
                             const char *kind, size_t *out, size_t cap, size_t *count);

/* ------------------------------------------------------------------ */
/* Tasks (the work programme)                                          */
/* ------------------------------------------------------------------ */

typedef enum jql_task_status {
    JQL_TASK_PENDING = 0,
    JQL_TASK_IN_PROGRESS = 1,
    JQL_TASK_DONE = 2, /**< requires a completion date */
    /** Number of statuses (not a status; grows when one is added). */
    JQL_TASK_STATUS_COUNT
} jql_task_status;

/** Number of tasks; 0 for a NULL dataset. */
JQL_API size_t jql_task_count(const jql_dataset *ds);
/**
 * Index of task @p id: JQL_OK and *index set (when not NULL), or JQL_ENOTFOUND (also for a NULL
 * @p ds or @p id). Constant time.
 */
JQL_API JQL_WARN_UNUSED int jql_task_find(const jql_dataset *ds, const char *id, size_t *index);
/** Borrowed; NULL when @p i is out of range. */
JQL_API const char *jql_task_id(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when @p i is out of range. */
JQL_API const char *jql_task_title(const jql_dataset *ds, size_t i);
/** Field of work, or NULL. */
JQL_API const char *jql_task_field(const jql_dataset *ds, size_t i);
/** Period of the programme the task belongs to, or NULL. */
JQL_API const char *jql_task_period(const jql_dataset *ds, size_t i);
/** 0 when @p i is out of range. */
JQL_API size_t jql_task_owner_count(const jql_dataset *ds, size_t i);
/** A record index; JQL_NONE when @p i or @p k is out of range. */
JQL_API size_t jql_task_owner(const jql_dataset *ds, size_t i, size_t k);
/** JQL_NO_DATE when @p i is out of range. */
JQL_API jql_date jql_task_due(const jql_dataset *ds, size_t i);
/** JQL_TASK_PENDING when @p i is out of range. */
JQL_API jql_task_status jql_task_get_status(const jql_dataset *ds, size_t i);
/** Completion date, or JQL_NO_DATE. */
JQL_API jql_date jql_task_completed(const jql_dataset *ds, size_t i);

/**
 * JQL_OK and *index (when not NULL) the new record's index; JQL_EEXISTS when @p id is taken;
 * JQL_EINVALID for a NULL @p ds or an invalid id, text or date; JQL_ELIMIT past max_records;
 * JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_task_add(jql_dataset *ds, const char *id, const char *title, jql_date due,
                         size_t *index);
/**
 * JQL_OK; JQL_ENOTFOUND when @p i is out of range or @p unit is not a unit id; JQL_EEXISTS when
 * the unit is already listed; JQL_EINVALID for a NULL @p unit; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_task_add_owner(jql_dataset *ds, size_t i, const char *unit);
/**
 * JQL_OK; JQL_ENOTFOUND when @p i is out of range or @p ds is NULL; JQL_EINVALID for a value the
 * builder refuses (invalid UTF-8, over JQL_MAX_STRING_BYTES; NULL clears it); JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_task_set_field(jql_dataset *ds, size_t i, const char *field);
/**
 * JQL_OK; JQL_ENOTFOUND when @p i is out of range, @p ds is NULL or @p period is neither
 * declared nor standard (NULL clears it); JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_task_set_period(jql_dataset *ds, size_t i, const char *period);
/** Set status and completion date together: DONE needs a date, others need JQL_NO_DATE. */
JQL_API JQL_WARN_UNUSED int jql_task_set_status(jql_dataset *ds, size_t i, jql_task_status status,
                                jql_date completed);

/**
 * Tasks owned by @p unit (NULL: every task, owned or not) due inside
 * @p period, in insertion order. A list query: up to @p cap indices to
 * @p out, *count the number that match. JQL_OK; JQL_ENOTFOUND for an
 * unknown unit or period; JQL_EINVALID for a NULL @p ds, @p period or
 * @p count, or @p out NULL with @p cap > 0; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_tasks_due(const jql_dataset *ds, const char *unit, const char *period,
                          size_t *out, size_t cap, size_t *count);
/**
 * Tasks owned by @p unit (NULL: every task) due on or before @p as_of and
 * not completed by then: a list query as jql_tasks_due() with a date in
 * place of the period. JQL_EINVALID also when @p as_of is JQL_NO_DATE.
 */
JQL_API JQL_WARN_UNUSED int jql_tasks_overdue(const jql_dataset *ds, const char *unit, jql_date as_of,
                              size_t *out, size_t cap, size_t *count);
/**
 * Share (0..100%, thousandths) of the tasks of @p unit (NULL: every task)
 * due in @p period that are completed. JQL_OK; JQL_ENODATA when no task is
 * due; JQL_ENOTFOUND for an unknown unit or period; JQL_EINVALID for a NULL
 * @p ds, @p period or @p share; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_tasks_completion_share(const jql_dataset *ds, const char *unit,
                                       const char *period, jql_milli *share);

/* ------------------------------------------------------------------ */
/* Shortcomings                                                        */
/* ------------------------------------------------------------------ */

/** Number of shortcomings; 0 for a NULL dataset. */
JQL_API size_t jql_shortcoming_count(const jql_dataset *ds);
/**
 * Index of shortcoming @p id: JQL_OK and *index set (when not NULL), or JQL_ENOTFOUND (also for
 * a NULL @p ds or @p id). Constant time.
 */
JQL_API JQL_WARN_UNUSED int jql_shortcoming_find(const jql_dataset *ds, const char *id, size_t *index);
/** Borrowed; NULL when @p i is out of range. */
JQL_API const char *jql_shortcoming_id(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when @p i is out of range. */
JQL_API const char *jql_shortcoming_text(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when unset or @p i is out of range. */
JQL_API const char *jql_shortcoming_field(const jql_dataset *ds, size_t i);
/** Period in which it was found. Borrowed; NULL when @p i is out of range. */
JQL_API const char *jql_shortcoming_period(const jql_dataset *ds, size_t i);
/** Period in which it was resolved, or NULL while open. */
JQL_API const char *jql_shortcoming_resolved(const jql_dataset *ds, size_t i);
/** 0 when @p i is out of range. */
JQL_API size_t jql_shortcoming_unit_count(const jql_dataset *ds, size_t i);
/** A record index; JQL_NONE when @p i or @p k is out of range. */
JQL_API size_t jql_shortcoming_unit(const jql_dataset *ds, size_t i, size_t k);
/** 0 when @p i is out of range. */
JQL_API size_t jql_shortcoming_cause_count(const jql_dataset *ds, size_t i);
/**
 * Cause kind ("subjective", "objective", or any string) and text. Borrowed; NULL when @p i or @p
 * k is out of range.
 */
JQL_API const char *jql_shortcoming_cause_kind(const jql_dataset *ds, size_t i, size_t k);
/** Borrowed; NULL when @p i or @p k is out of range. */
JQL_API const char *jql_shortcoming_cause_text(const jql_dataset *ds, size_t i, size_t k);

/**
 * JQL_OK and *index (when not NULL) the new record's index; JQL_EEXISTS when @p id is taken;
 * JQL_EINVALID for a NULL @p ds or an invalid id, text or date; JQL_ENOTFOUND for an unknown @p
 * period; JQL_ELIMIT past max_records; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_shortcoming_add(jql_dataset *ds, const char *id, const char *period,
                                const char *text, size_t *index);
/**
 * JQL_OK; JQL_ENOTFOUND when @p i is out of range or @p unit is not a unit id; JQL_EEXISTS when
 * the unit is already listed; JQL_EINVALID for a NULL @p unit; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_shortcoming_add_unit(jql_dataset *ds, size_t i, const char *unit);
/**
 * JQL_OK; JQL_ENOTFOUND when @p i is out of range or @p ds is NULL; JQL_EINVALID for a value the
 * builder refuses (invalid UTF-8, over JQL_MAX_STRING_BYTES, an empty kind or text); JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_shortcoming_add_cause(jql_dataset *ds, size_t i, const char *kind,
                                      const char *text);
/**
 * JQL_OK; JQL_ENOTFOUND when @p i is out of range or @p ds is NULL; JQL_EINVALID for a value the
 * builder refuses (invalid UTF-8, over JQL_MAX_STRING_BYTES; NULL clears it); JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_shortcoming_set_field(jql_dataset *ds, size_t i, const char *field);
/** Set (or clear with NULL) the period it was resolved in. */
JQL_API JQL_WARN_UNUSED int jql_shortcoming_set_resolved(jql_dataset *ds, size_t i, const char *period);

/**
 * Shortcomings still open at the end of @p period that name @p unit among
 * their units (NULL: every shortcoming): found in a period that starts on
 * or before its end and not resolved in a period that ends on or before its
 * end, in insertion order. A list query: up to @p cap indices to @p out,
 * *count the number that match. JQL_OK; JQL_ENOTFOUND for an unknown unit
 * or period; JQL_EINVALID for a NULL @p ds, @p period or @p count, or
 * @p out NULL with @p cap > 0.
 */
JQL_API JQL_WARN_UNUSED int jql_shortcomings_open(const jql_dataset *ds, const char *unit, const char *period,
                                  size_t *out, size_t cap, size_t *count);

/* ------------------------------------------------------------------ */
/* Directives                                                          */
/* ------------------------------------------------------------------ */

typedef enum jql_directive_status {
    JQL_DIRECTIVE_OPEN = 0,
    JQL_DIRECTIVE_DONE = 1, /**< requires a completion date */
    /** Number of statuses (not a status; grows when one is added). */
    JQL_DIRECTIVE_STATUS_COUNT
} jql_directive_status;

/** Number of directives; 0 for a NULL dataset. */
JQL_API size_t jql_directive_count(const jql_dataset *ds);
/**
 * Index of directive @p id: JQL_OK and *index set (when not NULL), or JQL_ENOTFOUND (also for a
 * NULL @p ds or @p id). Constant time.
 */
JQL_API JQL_WARN_UNUSED int jql_directive_find(const jql_dataset *ds, const char *id, size_t *index);
/** Borrowed; NULL when @p i is out of range. */
JQL_API const char *jql_directive_id(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when @p i is out of range. */
JQL_API const char *jql_directive_text(const jql_dataset *ds, size_t i);
/** JQL_NO_DATE when @p i is out of range. */
JQL_API jql_date jql_directive_issued(const jql_dataset *ds, size_t i);
/** A record index; JQL_NONE when @p i is out of range. */
JQL_API size_t jql_directive_issuer(const jql_dataset *ds, size_t i);
/** Due date, or JQL_NO_DATE. */
JQL_API jql_date jql_directive_due(const jql_dataset *ds, size_t i);
/** JQL_DIRECTIVE_OPEN when @p i is out of range. */
JQL_API jql_directive_status jql_directive_get_status(const jql_dataset *ds, size_t i);
/** Completion date; JQL_NO_DATE while open or when @p i is out of range. */
JQL_API jql_date jql_directive_completed(const jql_dataset *ds, size_t i);
/** Addressee units named explicitly. 0 when @p i is out of range. */
JQL_API size_t jql_directive_unit_count(const jql_dataset *ds, size_t i);
/** A record index; JQL_NONE when @p i or @p k is out of range. */
JQL_API size_t jql_directive_unit(const jql_dataset *ds, size_t i, size_t k);
/** Addressee levels (every unit of that level is addressed). 0 when @p i is out of range. */
JQL_API size_t jql_directive_level_count(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when @p i or @p k is out of range. */
JQL_API const char *jql_directive_level(const jql_dataset *ds, size_t i, size_t k);
/** Ids of the shortcomings and tasks the directive answers. 0 when @p i is out of range. */
JQL_API size_t jql_directive_answer_count(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when @p i or @p k is out of range. */
JQL_API const char *jql_directive_answer(const jql_dataset *ds, size_t i, size_t k);
/** True when unit @p unit is addressed (by id or by level). */
JQL_API bool jql_directive_addresses(const jql_dataset *ds, size_t i, size_t unit);
/**
 * Whether directive @p i was done by @p as_of (JQL_NO_DATE: by now), the
 * rule the tallies count directives_done with: its status is done and its
 * completion is not dated after @p as_of.
 * @return JQL_OK with *done set; JQL_ENOTFOUND when @p ds is NULL or @p i is
 *         out of range; JQL_EINVALID when @p done is NULL. *done is written
 *         only on success.
 */
JQL_API JQL_WARN_UNUSED int jql_directive_done_by(const jql_dataset *ds, size_t i, jql_date as_of, bool *done);

/**
 * JQL_OK and *index (when not NULL) the new record's index; JQL_EEXISTS when @p id is taken;
 * JQL_EINVALID for a NULL @p ds or an invalid id, text or date; JQL_ENOTFOUND when @p issuer is
 * not a unit id; JQL_ELIMIT past max_records; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_directive_add(jql_dataset *ds, const char *id, jql_date issued,
                              const char *issuer, const char *text, size_t *index);
/**
 * JQL_OK; JQL_ENOTFOUND when @p i is out of range or @p ds is NULL; JQL_EINVALID for a date
 * outside JQL_YEAR_MIN..JQL_YEAR_MAX (JQL_NO_DATE: none).
 */
JQL_API JQL_WARN_UNUSED int jql_directive_set_due(jql_dataset *ds, size_t i, jql_date due);
/**
 * JQL_OK; JQL_ENOTFOUND when @p i is out of range or @p unit is not a unit id; JQL_EEXISTS when
 * the unit is already listed; JQL_EINVALID for a NULL @p unit; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_directive_add_unit(jql_dataset *ds, size_t i, const char *unit);
/**
 * JQL_OK; JQL_ENOTFOUND when @p i is out of range; JQL_EEXISTS when the level is already listed;
 * JQL_EINVALID for a NULL or empty @p level; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_directive_add_level(jql_dataset *ds, size_t i, const char *level);
/**
 * Link to a shortcoming or task id (it must exist when the dataset is checked). JQL_OK;
 * JQL_ENOTFOUND when @p i is out of range; JQL_EEXISTS when the id is already listed;
 * JQL_EINVALID for an invalid id; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_directive_add_answer(jql_dataset *ds, size_t i, const char *id);
/**
 * JQL_OK; JQL_ENOTFOUND when @p i is out of range; JQL_EINVALID for an unknown status, DONE
 * without a date or OPEN with one; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_directive_set_status(jql_dataset *ds, size_t i, jql_directive_status status,
                                     jql_date completed);

/**
 * Directives due inside @p period addressed (by id or by level) to @p unit
 * (NULL: every directive), in insertion order. A list query: up to @p cap
 * indices to @p out, *count the number that match. JQL_OK; JQL_ENOTFOUND
 * for an unknown unit or period; JQL_EINVALID for a NULL @p ds, @p period
 * or @p count, or @p out NULL with @p cap > 0; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_directives_due(const jql_dataset *ds, const char *unit, const char *period,
                               size_t *out, size_t cap, size_t *count);
/**
 * Share (thousandths of %) of those completed. JQL_OK; JQL_ENODATA when
 * none is due; JQL_ENOTFOUND for an unknown unit or period; JQL_EINVALID
 * for a NULL @p ds, @p period or @p share; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_directives_completion_share(const jql_dataset *ds, const char *unit,
                                            const char *period, jql_milli *share);

/* ------------------------------------------------------------------ */
/* Assessments                                                         */
/* ------------------------------------------------------------------ */

/** Marks an absent score in an assessment. */
#define JQL_NO_SCORE INT64_MIN

/** Number of assessments; 0 for a NULL dataset. */
JQL_API size_t jql_assessment_count(const jql_dataset *ds);
/** A record index; JQL_NONE when @p i is out of range. */
JQL_API size_t jql_assessment_unit(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when @p i is out of range. */
JQL_API const char *jql_assessment_period(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when @p i is out of range. */
JQL_API const char *jql_assessment_criterion(const jql_dataset *ds, size_t i);
/** Self-assessed and appraised scores (thousandths), or JQL_NO_SCORE. */
JQL_API jql_milli jql_assessment_self(const jql_dataset *ds, size_t i);
/** Thousandths; JQL_NO_SCORE when absent or @p i is out of range. */
JQL_API jql_milli jql_assessment_appraised(const jql_dataset *ds, size_t i);
/** True when the criterion is declared not applicable to the unit. */
JQL_API bool jql_assessment_not_applicable(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when unset or @p i is out of range. */
JQL_API const char *jql_assessment_evidence(const jql_dataset *ds, size_t i);
/**
 * Add an assessment of @p criterion for a unit and period. Either score may
 * be JQL_NO_SCORE; scores must be >= 0. JQL_EEXISTS when that unit, period
 * and criterion already have one.
 */
JQL_API JQL_WARN_UNUSED int jql_assessment_add(jql_dataset *ds, const char *unit, const char *period,
                               const char *criterion, jql_milli self, jql_milli appraised,
                               size_t *index);
/**
 * JQL_OK; JQL_ENOTFOUND when @p i is out of range; JQL_EINVALID for a negative score or one
 * above JQL_MILLI_MAX (JQL_NO_SCORE: none).
 */
JQL_API JQL_WARN_UNUSED int jql_assessment_set_scores(jql_dataset *ds, size_t i, jql_milli self,
                                      jql_milli appraised);
/** JQL_OK; JQL_ENOTFOUND when @p i is out of range or @p ds is NULL. */
JQL_API JQL_WARN_UNUSED int jql_assessment_set_not_applicable(jql_dataset *ds, size_t i, bool not_applicable);
/**
 * JQL_OK; JQL_ENOTFOUND when @p i is out of range or @p ds is NULL; JQL_EINVALID for a value the
 * builder refuses (invalid UTF-8, over JQL_MAX_STRING_BYTES; NULL clears it); JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_assessment_set_evidence(jql_dataset *ds, size_t i, const char *evidence);
/** Find the assessment for unit, period and criterion: JQL_OK or JQL_ENOTFOUND. */
JQL_API JQL_WARN_UNUSED int jql_assessment_find(const jql_dataset *ds, const char *unit, const char *period,
                                const char *criterion, size_t *index);

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

/** Number of events; 0 for a NULL dataset. */
JQL_API size_t jql_event_count(const jql_dataset *ds);
/** A record index; JQL_NONE when @p i is out of range. */
JQL_API size_t jql_event_unit(const jql_dataset *ds, size_t i);
/** JQL_NO_DATE when @p i is out of range. */
JQL_API jql_date jql_event_date(const jql_dataset *ds, size_t i);
/**
 * Kind: a free string ("discipline", "initiative", "complaint"...). Borrowed; NULL when @p i is
 * out of range.
 */
JQL_API const char *jql_event_kind(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when @p i is out of range. */
JQL_API const char *jql_event_text(const jql_dataset *ds, size_t i);
/** Points carried by the event (for bonus/deduction entries), or JQL_NO_SCORE. */
JQL_API jql_milli jql_event_points(const jql_dataset *ds, size_t i);
/** Borrowed; NULL when unset or @p i is out of range. */
JQL_API const char *jql_event_evidence(const jql_dataset *ds, size_t i);
/**
 * JQL_OK and *index (when not NULL); JQL_ENOTFOUND for an unknown @p unit; JQL_EINVALID for a
 * NULL @p ds, an empty kind, invalid text or a date outside JQL_YEAR_MIN..JQL_YEAR_MAX;
 * JQL_ELIMIT past max_records; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_event_add(jql_dataset *ds, const char *unit, jql_date date, const char *kind,
                          const char *text, size_t *index);
/**
 * JQL_OK; JQL_ENOTFOUND when @p i is out of range; JQL_EINVALID for points below 0 or above
 * JQL_MILLI_MAX (JQL_NO_SCORE: none).
 */
JQL_API JQL_WARN_UNUSED int jql_event_set_points(jql_dataset *ds, size_t i, jql_milli points);
/**
 * JQL_OK; JQL_ENOTFOUND when @p i is out of range or @p ds is NULL; JQL_EINVALID for a value the
 * builder refuses (invalid UTF-8, over JQL_MAX_STRING_BYTES; NULL clears it); JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_event_set_evidence(jql_dataset *ds, size_t i, const char *evidence);
/**
 * Events of @p unit (NULL: every unit) dated inside @p period, of @p kind
 * (NULL: every kind), in insertion order. A list query: up to @p cap
 * indices to @p out, *count the number that match. JQL_OK; JQL_ENOTFOUND
 * for an unknown unit or period; JQL_EINVALID for a NULL @p ds, @p period
 * or @p count, or @p out NULL with @p cap > 0; JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_events_in_period(const jql_dataset *ds, const char *unit, const char *period,
                                 const char *kind, size_t *out, size_t cap, size_t *count);

#ifdef __cplusplus
}
#endif
#endif /* JUSTICE_QUARTERLY_DATASET_H */
