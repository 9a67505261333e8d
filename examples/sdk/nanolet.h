/*
 * nanolet.h: the Nanolet host API (docs/bindings.md) for C modules built with
 * clang --target=wasm32-wasi. Link nanolet.c with your module.
 *
 * Raw imports (module "nanolet") and a thin layer over them: statements built as JSON with bound
 * parameters, results read row by row, key-value calls, errors as negative codes with a message.
 */
#ifndef NANOLET_H
#define NANOLET_H

#include <stddef.h>
#include <stdint.h>

/* Error codes: every call returns one of these (< 0) or its result (>= 0). */
#define NL_BAD_REQUEST   (-1) /* malformed request or buffer */
#define NL_UNDECLARED    (-2) /* no binding of that name (or of that type) in the deployment */
#define NL_UNAVAILABLE   (-3) /* the database cannot be reached now; the request will answer 503 */
#define NL_TIMEOUT       (-4) /* the request's deadline passed; the statement was cancelled */
#define NL_TOO_LARGE     (-5) /* above a cap: rows, result bytes, key or value size */
#define NL_QUERY_FAILED  (-6) /* the database refused the statement; the message has its SQLSTATE */
#define NL_NOT_FOUND     (-7) /* kv: no such key */

/* ---- raw imports ---- */
#define NL_IMPORT(name) __attribute__((import_module("nanolet"), import_name(name)))
NL_IMPORT("pg_query") int32_t nanolet_pg_query(const char *binding, size_t binding_len, const char *req, size_t req_len, char *out, size_t cap);
NL_IMPORT("pg_execute") int64_t nanolet_pg_execute(const char *binding, size_t binding_len, const char *req, size_t req_len);
NL_IMPORT("kv_get") int32_t nanolet_kv_get(const char *binding, size_t binding_len, const char *key, size_t key_len, char *out, size_t cap);
NL_IMPORT("kv_set") int32_t nanolet_kv_set(const char *binding, size_t binding_len, const char *key, size_t key_len, const char *value, size_t value_len);
NL_IMPORT("kv_delete") int32_t nanolet_kv_delete(const char *binding, size_t binding_len, const char *key, size_t key_len);
NL_IMPORT("kv_exists") int32_t nanolet_kv_exists(const char *binding, size_t binding_len, const char *key, size_t key_len);
NL_IMPORT("kv_keys") int32_t nanolet_kv_keys(const char *binding, size_t binding_len, const char *prefix, size_t prefix_len, char *out, size_t cap);
NL_IMPORT("commit") int32_t nanolet_commit(const char *binding, size_t binding_len);
NL_IMPORT("result") int32_t nanolet_result(char *out, size_t cap);
NL_IMPORT("last_error") int32_t nanolet_last_error(char *out, size_t cap);

/* ---- statements: nl_stmt s = nl_stmt_new("select ... where id = $1"); nl_param_int(&s, 7); ---- */
typedef struct {
    char *json;
    size_t len, cap;
    int params;
} nl_stmt;

nl_stmt nl_stmt_new(const char *sql);
void nl_param_int(nl_stmt *s, long long v);
void nl_param_double(nl_stmt *s, double v);
void nl_param_bool(nl_stmt *s, int v);
void nl_param_null(nl_stmt *s);
void nl_param_text(nl_stmt *s, const char *v, size_t len);
void nl_stmt_free(nl_stmt *s);

/* ---- results ---- */
typedef struct {
    char *json; /* {"columns":[{"name":..,"type":..}],"rows":[[..],..]} */
    size_t len;
} nl_result;

typedef struct {
    const char *p, *end;
} nl_cursor;

typedef struct {
    const char *raw; /* the value's JSON text: a number, true/false, null or a quoted string */
    size_t len;
} nl_value;

/* Runs a query; 0 and *r filled (free with nl_result_free), or an error code. Frees the statement. */
int nl_query(const char *binding, nl_stmt *s, nl_result *r);
/* Runs a statement; rows affected (>= 0) or an error code. Frees the statement. */
long long nl_execute(const char *binding, nl_stmt *s);
/* Commits the binding's transaction so far (the rest still rolls back if the request fails). */
int nl_commit(const char *binding);
void nl_result_free(nl_result *r);

nl_cursor nl_rows(const nl_result *r);
int nl_next_row(nl_cursor *c);                /* 1 if a row starts, 0 at the end */
int nl_next_value(nl_cursor *c, nl_value *v); /* 1 and *v if the row has another value, 0 at its end */
int nl_value_is_null(const nl_value *v);
long long nl_value_int(const nl_value *v);
int nl_value_bool(const nl_value *v);
size_t nl_value_text(const nl_value *v, char *buf, size_t cap); /* unescaped, NUL-terminated; returns its length */

/* ---- key-value ---- */
/* *value is malloc'd (free it), *len its length; returns 0, NL_NOT_FOUND or an error code. */
int nl_kv_get(const char *binding, const char *key, char **value, size_t *len);
int nl_kv_set(const char *binding, const char *key, const char *value, size_t len);
int nl_kv_delete(const char *binding, const char *key);
int nl_kv_exists(const char *binding, const char *key); /* 1, 0 or an error code */
int nl_kv_keys(const char *binding, const char *prefix, nl_result *keys); /* keys->json: ["a","b"] */

/* The message of the last failed call (valid until the next call). */
const char *nl_error(void);

#endif
