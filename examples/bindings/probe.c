/*
 * The host API's test probe (node-agent BindingsTest): a CGI module that runs what the request says.
 *   ?op=query|execute|kv_get|kv_set|kv_delete|kv_exists|kv_keys|commit&b=<binding>&key=<key>&then=trap|500|commit&print=count
 * The body holds one statement request per line (query, execute) or the value (kv_set). For each it
 * prints "<return code>\n<result or error message>\n" (with print=count, queries print only
 * "<statements> <failed> <result bytes>\n" at the end: what the benchmark uses, so that the guest's
 * own printing is not counted as the host API's cost), then does what "then" says: trap (the run
 * fails), 500 (answers 500), commit (commits, then traps), or answers 200.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nanolet.h"

static char out[1 << 20];

static const char *var(const char *name) {
    const char *v = getenv(name);
    return v ? v : "";
}

/* The value of a query parameter, copied into buf ("" if absent). */
static const char *param(const char *name, char *buf, size_t cap) {
    const char *q = var("QUERY_STRING");
    size_t n = strlen(name);
    buf[0] = 0;
    for (const char *p = q; p && *p; p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL) {
        if (strncmp(p, name, n) == 0 && p[n] == '=') {
            size_t len = strcspn(p + n + 1, "&");
            if (len >= cap) len = cap - 1;
            memcpy(buf, p + n + 1, len);
            buf[len] = 0;
            break;
        }
    }
    return buf;
}

static void report(long long rc, const char *data, size_t len) {
    printf("%lld\n", rc);
    if (rc < 0) printf("%s\n", nl_error());
    else if (data) printf("%.*s\n", (int) len, data);
}

int main(void) {
    char op[32], b[64], key[256], then[16], print[16];
    param("op", op, sizeof op);
    param("print", print, sizeof print);
    int counting = strcmp(print, "count") == 0;
    long statements = 0, failed = 0, bytes = 0;
    param("b", b, sizeof b);
    param("key", key, sizeof key);
    param("then", then, sizeof then);
    long n = strtol(var("CONTENT_LENGTH"), NULL, 10);
    char *body = malloc((size_t) (n > 0 ? n : 0) + 1);
    size_t got = n > 0 ? fread(body, 1, (size_t) n, stdin) : 0;
    body[got] = 0;

    printf("Status: %s\nContent-Type: text/plain\n\n", strcmp(then, "500") == 0 ? "500" : "200");
    if (strcmp(op, "query") == 0 || strcmp(op, "execute") == 0) {
        for (char *line = strtok(body, "\n"); line; line = strtok(NULL, "\n")) {
            if (op[0] == 'q') {
                int32_t rc = nanolet_pg_query(b, strlen(b), line, strlen(line), out, sizeof out);
                if (counting) {
                    statements++;
                    if (rc < 0) failed++;
                    else bytes += rc;
                } else {
                    report(rc, out, rc > 0 && (size_t) rc <= sizeof out ? (size_t) rc : 0);
                }
            } else {
                report(nanolet_pg_execute(b, strlen(b), line, strlen(line)), NULL, 0);
            }
        }
        if (counting) printf("%ld %ld %ld\n", statements, failed, bytes);
    } else if (strcmp(op, "kv_get") == 0) {
        int32_t rc = nanolet_kv_get(b, strlen(b), key, strlen(key), out, sizeof out);
        report(rc, out, rc > 0 ? (size_t) rc : 0);
    } else if (strcmp(op, "kv_set") == 0) {
        report(nanolet_kv_set(b, strlen(b), key, strlen(key), body, got), NULL, 0);
    } else if (strcmp(op, "kv_delete") == 0) {
        report(nanolet_kv_delete(b, strlen(b), key, strlen(key)), NULL, 0);
    } else if (strcmp(op, "kv_exists") == 0) {
        report(nanolet_kv_exists(b, strlen(b), key, strlen(key)), NULL, 0);
    } else if (strcmp(op, "kv_keys") == 0) {
        int32_t rc = nanolet_kv_keys(b, strlen(b), key, strlen(key), out, sizeof out);
        report(rc, out, rc > 0 ? (size_t) rc : 0);
    } else if (strcmp(op, "small") == 0) {
        /* a 4-byte buffer: the result is held and fetched with nanolet.result */
        char tiny[4];
        int32_t rc = nanolet_pg_query(b, strlen(b), body, got, tiny, sizeof tiny);
        if (rc > 0) {
            char *all = malloc((size_t) rc);
            int32_t again = nanolet_result(all, (size_t) rc);
            report(again, all, (size_t) again);
        } else {
            report(rc, NULL, 0);
        }
    }
    fflush(stdout);
    if (strcmp(then, "commit") == 0) {
        report(nl_commit(b), NULL, 0);
        fflush(stdout);
        __builtin_trap();
    }
    if (strcmp(then, "trap") == 0) __builtin_trap();
    return 0;
}
