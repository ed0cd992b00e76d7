/*
 * Positions of JSON values in their source text. Private to lib/.
 *
 * cJSON keeps no positions, and its parse error pointer is a process-wide
 * global. So the reader (json_reader.h) first checks the text with its own
 * strict, depth-limited scanner (jql_json_validate), then builds the cJSON
 * tree itself with every node's position (jql_json_tree_new), never with
 * cJSON's parser. Diagnostics then get the line:column of the value (or
 * member key) they are about.
 */
#ifndef JQL_JSON_POS_H
#define JQL_JSON_POS_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

/* Flags recorded per node during the parallel walk. */
enum {
    JQL_POS_DUP_KEY = 1u << 0,  /* a member whose key an earlier member of the object had */
    JQL_POS_KEY_NUL = 1u << 1,  /* the member key contains \u0000 (cJSON truncates it) */
    JQL_POS_VALUE_NUL = 1u << 2, /* the string value contains \u0000 */
    JQL_POS_SHALLOW = 1u << 3    /* a container not built (jql_json_tree_shallow) */
};

/* A syntax problem found by jql_json_validate. */
typedef struct {
    size_t offset;      /* byte offset of the problem */
    char message[128];  /* English text */
    bool too_deep;      /* nesting deeper than JQL_MAX_DEPTH */
} jql_json_error;

/*
 * Check that text[0..len) is exactly one strict JSON value (RFC 8259)
 * surrounded by optional whitespace, nested at most JQL_MAX_DEPTH deep,
 * with no raw control characters in strings, no lone surrogate escapes and
 * number literals cJSON can read (at most 63 characters). The text must
 * already be valid UTF-8. Returns true when fine; otherwise fills *err.
 * *nodes (may be NULL) receives the number of values found.
 */
bool jql_json_validate(const char *text, size_t len, size_t *nodes, jql_json_error *err);
/* The same with a lower nesting limit (0 or above JQL_MAX_DEPTH: JQL_MAX_DEPTH). */
bool jql_json_validate_depth(const char *text, size_t len, unsigned max_depth, size_t *nodes,
                             jql_json_error *err);

/*
 * The containers directly inside the top value (a dataset's record
 * arrays), as the validator found them: where each starts (its bracket)
 * and ends (after its closing bracket) and how many elements it has, in
 * document order. jql_json_tree_shallow_spans() steps over them with
 * these instead of scanning them again. oom: recording stopped (out of
 * memory; jql_json_tree_shallow_spans() then scans the containers itself).
 */
typedef struct {
    size_t start, end, count;
} jql_json_span;
typedef struct {
    jql_json_span *items;
    size_t len, cap;
    bool oom;
} jql_json_spans;
/* jql_json_validate_depth() that also records the spans (spans zeroed
   first by the caller; free them with jql_json_spans_free). */
bool jql_json_validate_spans(const char *text, size_t len, unsigned max_depth, size_t *nodes,
                             jql_json_error *err, jql_json_spans *spans);
void jql_json_spans_free(jql_json_spans *spans);

typedef struct jql_json_pos jql_json_pos;

/*
 * Build the cJSON tree of a validated text (nodes: the count
 * jql_json_validate gave) together with its positions, without cJSON's
 * parser: the same tree cJSON would build, except that numbers carry no
 * value (read them from the text). The tree belongs to *out: free both
 * with jql_json_pos_free(), never with cJSON_Delete(). JQL_OK, JQL_ENOMEM,
 * or JQL_ERROR when the text does not match `nodes` (never expected).
 */
int jql_json_tree_new(const char *text, size_t len, size_t nodes, cJSON **root,
                      jql_json_pos **out);
void jql_json_pos_free(jql_json_pos *p);

/*
 * Record by record (the dataset loader): build only the top object of a
 * validated text and its members; a container below it (and a top-level
 * array) is a node without children, flagged JQL_POS_SHALLOW, whose element
 * count jql_json_shallow_count() gives. Its elements are then built one at
 * a time with jql_json_pos_next() or jql_json_pos_build_at(), each in a
 * pool reused for the next: a built element is valid until the next build.
 * Nodes carry the same positions and flags as jql_json_tree_new()'s.
 */
int jql_json_tree_shallow(const char *text, size_t len, cJSON **root, jql_json_pos **out);
/* The same, stepping over the containers `spans` holds (from
   jql_json_validate_spans of the same text; may be NULL) without scanning
   them. The spans are not kept: they may be freed when this returns. */
int jql_json_tree_shallow_spans(const char *text, size_t len, const jql_json_spans *spans,
                                cJSON **root, jql_json_pos **out);
/* Elements (members) of a shallow container; 0 for any other node. */
size_t jql_json_shallow_count(const cJSON *node);
/* The next element of shallow array `array`: *pos is 0 at the start and
   carries the place between calls; *out is NULL after the last element.
   JQL_OK, JQL_ENOMEM, JQL_ERROR (text and tree do not match). */
int jql_json_pos_next(jql_json_pos *p, const cJSON *array, size_t *pos, cJSON **out);
/* Build the value starting at byte offset *pos (a value's offset, as
   jql_json_pos_offset gives); *pos ends after it. */
int jql_json_pos_build_at(jql_json_pos *p, size_t *pos, cJSON **out);

/* Byte offset where the node's value starts (0 when p or node is NULL). */
size_t jql_json_pos_offset(const jql_json_pos *p, const cJSON *node);
/* Byte offset of an object member's key (its value's offset otherwise). */
size_t jql_json_pos_key_offset(const jql_json_pos *p, const cJSON *node);
/* JQL_POS_* flags of a node. */
unsigned jql_json_pos_flags(const jql_json_pos *p, const cJSON *node);
/* The same for a node of a tree these functions built, without the call
   (the readers ask for every member and string value they read). */
#define JQL_POS_FLAG_SHIFT 28
static inline unsigned jql_json_node_flags(const cJSON *node)
{
    return node ? (unsigned)node->valueint >> JQL_POS_FLAG_SHIFT : 0;
}

/* 1-based line and byte column of an offset, fast (block checkpoints). */
void jql_json_pos_line_col(const jql_json_pos *p, size_t offset, unsigned *line,
                           unsigned *col);

#endif /* JQL_JSON_POS_H */
