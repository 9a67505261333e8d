/*
 * A todo REST API over PostgreSQL, as a CGI module with one binding, "db" (a postgres binding).
 *
 *   GET    <route>/         every todo, as a JSON array
 *   POST   <route>/         {"title": "...", "done": false} → 201 and the todo
 *   GET    <route>/<id>     one todo, or 404
 *   PUT    <route>/<id>     {"title"?: "...", "done"?: true} → the todo, or 404
 *   DELETE <route>/<id>     204, or 404
 *
 * PostgreSQL parses the JSON bodies ($1::jsonb), so the module needs no JSON parser. The table is
 * created when a statement finds it missing (SQLSTATE 42P01). POST <route>/?trap=1 inserts and then
 * traps: the request's transaction rolls back and no half-written todo stays (docs/bindings.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nanolet.h"

#define DB "db"
#define COLUMNS "id, title, done"

static const char *var(const char *name) {
    const char *v = getenv(name);
    return v ? v : "";
}

static char *body(void) {
    long n = strtol(var("CONTENT_LENGTH"), NULL, 10);
    char *b = malloc((size_t) (n > 0 ? n : 0) + 1);
    size_t got = n > 0 ? fread(b, 1, (size_t) n, stdin) : 0;
    b[got] = 0;
    return b;
}

static void problem(int status, const char *detail) {
    printf("Status: %d\nContent-Type: application/json\n\n{\"status\":%d,\"detail\":\"", status, status);
    for (const char *p = detail; *p; p++) {
        if (*p == '"' || *p == '\\') putchar('\\');
        putchar(*p < 0x20 ? ' ' : *p);
    }
    printf("\"}\n");
}

/* The answer for a failed call: 503 if the database is away, 400 for a body PostgreSQL refused, else 500. */
static void failed(int code) {
    const char *why = nl_error();
    if (code == NL_UNAVAILABLE) problem(503, why);
    else if (code == NL_QUERY_FAILED && (strstr(why, "22P02") || strstr(why, "23502"))) problem(400, why);
    else problem(500, why);
}

static int ensure_table(void) {
    nl_stmt s = nl_stmt_new("CREATE TABLE IF NOT EXISTS todos (id bigserial PRIMARY KEY, title text NOT NULL, "
                            "done boolean NOT NULL DEFAULT false)");
    long long n = nl_execute(DB, &s);
    return n < 0 ? (int) n : 0;
}

/* Runs a query; on a missing table creates it and runs the query again (the statement is rebuilt by build). */
static int query(nl_stmt (*build)(const char *, long long), const char *arg, long long id, nl_result *r) {
    nl_stmt s = build(arg, id);
    int rc = nl_query(DB, &s, r);
    if (rc == NL_QUERY_FAILED && strstr(nl_error(), "42P01")) {
        if ((rc = ensure_table()) != 0) return rc;
        s = build(arg, id);
        rc = nl_query(DB, &s, r);
    }
    return rc;
}

static void print_todo(nl_cursor *c) {
    nl_value id, title, done;
    nl_next_value(c, &id);
    nl_next_value(c, &title);
    nl_next_value(c, &done);
    nl_value end;
    nl_next_value(c, &end); /* closes the row */
    printf("{\"id\":%.*s,\"title\":%.*s,\"done\":%.*s}", (int) id.len, id.raw, (int) title.len, title.raw,
           (int) done.len, done.raw);
}

/* Prints the rows as a JSON array, or the first row alone (404 if none). */
static void respond(nl_result *r, int status, int one) {
    nl_cursor c = nl_rows(r);
    int first = 1;
    if (one) {
        if (!nl_next_row(&c)) {
            problem(404, "no such todo");
            return;
        }
        printf("Status: %d\nContent-Type: application/json\n\n", status);
        print_todo(&c);
        printf("\n");
        return;
    }
    printf("Status: %d\nContent-Type: application/json\n\n[", status);
    while (nl_next_row(&c)) {
        if (!first) printf(",");
        first = 0;
        print_todo(&c);
    }
    printf("]\n");
}

static nl_stmt list(const char *arg, long long id) {
    (void) arg, (void) id;
    return nl_stmt_new("SELECT " COLUMNS " FROM todos ORDER BY id");
}

static nl_stmt one(const char *arg, long long id) {
    (void) arg;
    nl_stmt s = nl_stmt_new("SELECT " COLUMNS " FROM todos WHERE id = $1");
    nl_param_int(&s, id);
    return s;
}

static nl_stmt create(const char *json, long long id) {
    (void) id;
    nl_stmt s = nl_stmt_new("INSERT INTO todos (title, done) SELECT j->>'title', coalesce((j->>'done')::boolean, false) "
                            "FROM (SELECT $1::jsonb AS j) b RETURNING " COLUMNS);
    nl_param_text(&s, json, strlen(json));
    return s;
}

static nl_stmt update(const char *json, long long id) {
    nl_stmt s = nl_stmt_new("UPDATE todos SET title = coalesce(j->>'title', title), done = coalesce((j->>'done')::boolean, done) "
                            "FROM (SELECT $2::jsonb AS j) b WHERE id = $1 RETURNING " COLUMNS);
    nl_param_int(&s, id);
    nl_param_text(&s, json, strlen(json));
    return s;
}

static nl_stmt delete(const char *arg, long long id) {
    (void) arg;
    nl_stmt s = nl_stmt_new("DELETE FROM todos WHERE id = $1 RETURNING " COLUMNS);
    nl_param_int(&s, id);
    return s;
}

int main(void) {
    const char *method = var("REQUEST_METHOD");
    const char *path = var("PATH_INFO");
    while (*path == '/') path++;
    char *end;
    long long id = strtoll(path, &end, 10);
    int has_id = *path != 0;
    if (has_id && (*end != 0 || id <= 0)) {
        problem(404, "no such todo");
        return 0;
    }
    nl_result r = {0};
    int rc;
    if (!has_id && strcmp(method, "GET") == 0) {
        if ((rc = query(list, NULL, 0, &r)) == 0) respond(&r, 200, 0);
    } else if (!has_id && strcmp(method, "POST") == 0) {
        char *b = body();
        if ((rc = query(create, b, 0, &r)) == 0) {
            if (strstr(var("QUERY_STRING"), "trap=1")) __builtin_trap(); /* the insert is rolled back */
            respond(&r, 201, 1);
        }
        free(b);
    } else if (has_id && strcmp(method, "GET") == 0) {
        if ((rc = query(one, NULL, id, &r)) == 0) respond(&r, 200, 1);
    } else if (has_id && strcmp(method, "PUT") == 0) {
        char *b = body();
        if ((rc = query(update, b, id, &r)) == 0) respond(&r, 200, 1);
        free(b);
    } else if (has_id && strcmp(method, "DELETE") == 0) {
        if ((rc = query(delete, NULL, id, &r)) == 0) {
            nl_cursor c = nl_rows(&r);
            if (nl_next_row(&c)) printf("Status: 204\n\n");
            else problem(404, "no such todo");
        }
    } else {
        problem(405, "use GET, POST, PUT or DELETE");
        return 0;
    }
    if (rc != 0) failed(rc);
    nl_result_free(&r);
    return 0;
}
