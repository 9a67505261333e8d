// SQLite on WASI: create a table, insert a row, query, close, reopen and query again.
//   sqlite-demo [DB [NOTE]]       a job: DB defaults to $SQLITE_DB, else :memory:
// As a CGI handler (REQUEST_METHOD set) the note is the request body and the answer is
// text/plain. Prints every row as "id|note" and ends with "rows=N reopened=M".
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sqlite3.h"

static int fail(sqlite3 *db, const char *what) {
    fprintf(stderr, "%s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return 1;
}

static int count(sqlite3 *db, int print) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT id, note FROM notes ORDER BY id", -1, &st, NULL) != SQLITE_OK) return -1;
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (print) printf("%d|%s\n", sqlite3_column_int(st, 0), (const char *)sqlite3_column_text(st, 1));
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

static char *body(void) {
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, stdin);
    buf[n] = 0;
    return buf;
}

int main(int argc, char **argv) {
    int cgi = getenv("REQUEST_METHOD") != NULL;
    const char *path = argc > 1 ? argv[1] : getenv("SQLITE_DB") ? getenv("SQLITE_DB") : ":memory:";
    const char *note = cgi ? body() : argc > 2 ? argv[2] : "hello";
    if (cgi) printf("Content-Type: text/plain\n\n");

    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK) return fail(db, "open");
    if (sqlite3_exec(db, "CREATE TABLE IF NOT EXISTS notes(id INTEGER PRIMARY KEY, note TEXT NOT NULL)", NULL, NULL, NULL))
        return fail(db, "create");
    sqlite3_stmt *insert;
    if (sqlite3_prepare_v2(db, "INSERT INTO notes(note) VALUES (?)", -1, &insert, NULL) != SQLITE_OK) return fail(db, "prepare");
    sqlite3_bind_text(insert, 1, note, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(insert) != SQLITE_DONE) return fail(db, "insert");
    sqlite3_finalize(insert);
    int rows = count(db, 1);
    if (sqlite3_close(db) != SQLITE_OK) return fail(db, "close");

    int reopened = rows;
    if (strcmp(path, ":memory:") != 0) {
        if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) return fail(db, "reopen");
        reopened = count(db, 0);
        sqlite3_close(db);
    }
    printf("rows=%d reopened=%d sqlite=%s\n", rows, reopened, sqlite3_libversion());
    return rows > 0 && reopened == rows ? 0 : 2;
}
