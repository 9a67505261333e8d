/* nanolet.c: the thin layer of nanolet.h over the raw host API. */
#include "nanolet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char error_text[1024];

const char *nl_error(void) {
    int32_t n = nanolet_last_error(error_text, sizeof error_text - 1);
    error_text[n < 0 ? 0 : (n < (int32_t) sizeof error_text - 1 ? n : (int32_t) sizeof error_text - 1)] = 0;
    return error_text;
}

static void put(nl_stmt *s, const char *text, size_t len) {
    if (s->len + len + 1 > s->cap) {
        s->cap = (s->len + len + 1) * 2;
        s->json = realloc(s->json, s->cap);
    }
    memcpy(s->json + s->len, text, len);
    s->len += len;
    s->json[s->len] = 0;
}

static void put_string(nl_stmt *s, const char *v, size_t len) {
    put(s, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char) v[i];
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char) c;
            put(s, esc, 2);
        } else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            put(s, esc, 6);
        } else {
            put(s, (const char *) &v[i], 1);
        }
    }
    put(s, "\"", 1);
}

nl_stmt nl_stmt_new(const char *sql) {
    nl_stmt s = {0};
    put(&s, "{\"sql\":", 7);
    put_string(&s, sql, strlen(sql));
    put(&s, ",\"params\":[", 11);
    return s;
}

static void next_param(nl_stmt *s) {
    if (s->params++ > 0) put(s, ",", 1);
}

void nl_param_int(nl_stmt *s, long long v) {
    char buf[32];
    next_param(s);
    put(s, buf, (size_t) snprintf(buf, sizeof buf, "%lld", v));
}

void nl_param_double(nl_stmt *s, double v) {
    char buf[40];
    next_param(s);
    put(s, buf, (size_t) snprintf(buf, sizeof buf, "%.17g", v));
}

void nl_param_bool(nl_stmt *s, int v) {
    next_param(s);
    put(s, v ? "true" : "false", v ? 4 : 5);
}

void nl_param_null(nl_stmt *s) {
    next_param(s);
    put(s, "null", 4);
}

void nl_param_text(nl_stmt *s, const char *v, size_t len) {
    next_param(s);
    put_string(s, v, len);
}

void nl_stmt_free(nl_stmt *s) {
    free(s->json);
    s->json = NULL;
}

/* Calls an op that writes a result; grows the buffer once if the host holds a larger one. */
static int with_result(int32_t n, char *buf, size_t cap, nl_result *r) {
    if (n < 0) {
        free(buf);
        return n;
    }
    if ((size_t) n > cap) {
        buf = realloc(buf, (size_t) n + 1);
        nanolet_result(buf, (size_t) n);
    }
    buf[n] = 0;
    r->json = buf;
    r->len = (size_t) n;
    return 0;
}

#define FIRST_BUFFER 16384

int nl_query(const char *binding, nl_stmt *s, nl_result *r) {
    char *buf = malloc(FIRST_BUFFER + 1);
    put(s, "]}", 2);
    int32_t n = nanolet_pg_query(binding, strlen(binding), s->json, s->len, buf, FIRST_BUFFER);
    nl_stmt_free(s);
    return with_result(n, buf, FIRST_BUFFER, r);
}

long long nl_execute(const char *binding, nl_stmt *s) {
    put(s, "]}", 2);
    long long n = nanolet_pg_execute(binding, strlen(binding), s->json, s->len);
    nl_stmt_free(s);
    return n;
}

int nl_commit(const char *binding) {
    return nanolet_commit(binding, strlen(binding));
}

void nl_result_free(nl_result *r) {
    free(r->json);
    r->json = NULL;
}

/* ---- reading a result ---- */

static const char *skip(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == ',' || *p == '\n' || *p == '\t' || *p == '\r')) p++;
    return p;
}

nl_cursor nl_rows(const nl_result *r) {
    nl_cursor c = {r->json + r->len, r->json + r->len};
    const char *rows = r->json ? strstr(r->json, "\"rows\":[") : NULL;
    if (rows) c.p = rows + 8;
    return c;
}

int nl_next_row(nl_cursor *c) {
    c->p = skip(c->p, c->end);
    if (c->p < c->end && *c->p == '[') {
        c->p++;
        return 1;
    }
    return 0;
}

int nl_next_value(nl_cursor *c, nl_value *v) {
    const char *p = skip(c->p, c->end);
    if (p >= c->end || *p == ']') {
        c->p = p < c->end ? p + 1 : p;
        return 0;
    }
    const char *start = p;
    if (*p == '"') {
        for (p++; p < c->end && *p != '"'; p++) {
            if (*p == '\\') p++;
        }
        p++;
    } else {
        while (p < c->end && *p != ',' && *p != ']') p++;
    }
    v->raw = start;
    v->len = (size_t) (p - start);
    c->p = p;
    return 1;
}

int nl_value_is_null(const nl_value *v) {
    return v->len == 4 && memcmp(v->raw, "null", 4) == 0;
}

long long nl_value_int(const nl_value *v) {
    return strtoll(v->raw + (v->raw[0] == '"'), NULL, 10);
}

int nl_value_bool(const nl_value *v) {
    return v->len == 4 && memcmp(v->raw, "true", 4) == 0;
}

size_t nl_value_text(const nl_value *v, char *buf, size_t cap) {
    size_t n = 0;
    if (cap == 0) return 0;
    if (v->raw[0] != '"') {
        n = v->len < cap - 1 ? v->len : cap - 1;
        memcpy(buf, v->raw, n);
        buf[n] = 0;
        return n;
    }
    for (size_t i = 1; i + 1 < v->len && n < cap - 1; i++) {
        char c = v->raw[i];
        if (c == '\\' && i + 2 < v->len) {
            c = v->raw[++i];
            if (c == 'n') c = '\n';
            else if (c == 't') c = '\t';
            else if (c == 'r') c = '\r';
            else if (c == 'b') c = '\b';
            else if (c == 'f') c = '\f';
            else if (c == 'u' && i + 4 < v->len) {
                unsigned code = (unsigned) strtoul((char[]){v->raw[i + 1], v->raw[i + 2], v->raw[i + 3], v->raw[i + 4], 0}, NULL, 16);
                i += 4;
                if (code < 0x80) {
                    c = (char) code;
                } else if (code < 0x800 && n + 2 < cap) {
                    buf[n++] = (char) (0xC0 | (code >> 6));
                    c = (char) (0x80 | (code & 0x3F));
                } else if (n + 3 < cap) {
                    buf[n++] = (char) (0xE0 | (code >> 12));
                    buf[n++] = (char) (0x80 | ((code >> 6) & 0x3F));
                    c = (char) (0x80 | (code & 0x3F));
                }
            }
        }
        buf[n++] = c;
    }
    buf[n] = 0;
    return n;
}

/* ---- key-value ---- */

int nl_kv_get(const char *binding, const char *key, char **value, size_t *len) {
    char *buf = malloc(FIRST_BUFFER + 1);
    nl_result r;
    int rc = with_result(nanolet_kv_get(binding, strlen(binding), key, strlen(key), buf, FIRST_BUFFER), buf, FIRST_BUFFER, &r);
    if (rc == 0) {
        *value = r.json;
        *len = r.len;
    }
    return rc;
}

int nl_kv_set(const char *binding, const char *key, const char *value, size_t len) {
    return nanolet_kv_set(binding, strlen(binding), key, strlen(key), value, len);
}

int nl_kv_delete(const char *binding, const char *key) {
    return nanolet_kv_delete(binding, strlen(binding), key, strlen(key));
}

int nl_kv_exists(const char *binding, const char *key) {
    return nanolet_kv_exists(binding, strlen(binding), key, strlen(key));
}

int nl_kv_keys(const char *binding, const char *prefix, nl_result *keys) {
    char *buf = malloc(FIRST_BUFFER + 1);
    return with_result(nanolet_kv_keys(binding, strlen(binding), prefix, strlen(prefix), buf, FIRST_BUFFER), buf, FIRST_BUFFER, keys);
}
