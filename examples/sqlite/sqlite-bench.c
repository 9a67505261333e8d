// Compute benchmark (docs/performance.md, "Compute"): SQLite in memory, no file system.
//   sqlite-bench [ROWS [LOOKUPS]]      defaults 20,000 rows and 2,000 lookups
// 1. CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER NOT NULL, v TEXT NOT NULL) with an index on k;
// 2. one transaction inserts rows i = 1..ROWS with k = i*7919 % 1009 and v = "value <i*31 % 1000>";
// 3. LOOKUPS indexed queries q = 0..LOOKUPS-1: SELECT count(*), sum(id) FROM t WHERE k = q*37 % 1009;
// 4. an aggregate: SELECT k, count(*), sum(length(v)), max(id) FROM t GROUP BY k ORDER BY k.
// Every number read folds into a checksum (c = c*31 + x, modulo 2^64). Prints
// "rows=R lookups=L hits=H groups=G checksum=C"; node-agent ComputeProgramsTest recomputes it.
#include <stdio.h>
#include <stdlib.h>
#include "sqlite3.h"

static unsigned long long checksum;

static void fold(sqlite3_int64 x) {
    checksum = checksum * 31 + (unsigned long long)x;
}

static int fail(sqlite3 *db, const char *what) {
    fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    sqlite3_close(db);
    return 1;
}

int main(int argc, char **argv) {
    int rows = argc > 1 ? atoi(argv[1]) : 20000;
    int lookups = argc > 2 ? atoi(argv[2]) : 2000;
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) return fail(db, "open");
    if (sqlite3_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER NOT NULL, v TEXT NOT NULL);"
                         "CREATE INDEX t_k ON t(k)", NULL, NULL, NULL) != SQLITE_OK) return fail(db, "create");

    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) return fail(db, "begin");
    if (sqlite3_prepare_v2(db, "INSERT INTO t(id, k, v) VALUES (?, ?, ?)", -1, &st, NULL) != SQLITE_OK) return fail(db, "prepare insert");
    char v[32];
    for (int i = 1; i <= rows; i++) {
        snprintf(v, sizeof v, "value %d", i * 31 % 1000);
        sqlite3_bind_int(st, 1, i);
        sqlite3_bind_int(st, 2, (int)((sqlite3_int64)i * 7919 % 1009));
        sqlite3_bind_text(st, 3, v, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE) return fail(db, "insert");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) return fail(db, "commit");

    sqlite3_int64 hits = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*), sum(id) FROM t WHERE k = ?", -1, &st, NULL) != SQLITE_OK) return fail(db, "prepare lookup");
    for (int q = 0; q < lookups; q++) {
        sqlite3_bind_int(st, 1, q * 37 % 1009);
        if (sqlite3_step(st) != SQLITE_ROW) return fail(db, "lookup");
        hits += sqlite3_column_int64(st, 0);
        fold(sqlite3_column_int64(st, 1));
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);

    int groups = 0;
    if (sqlite3_prepare_v2(db, "SELECT k, count(*), sum(length(v)), max(id) FROM t GROUP BY k ORDER BY k", -1, &st, NULL) != SQLITE_OK)
        return fail(db, "prepare aggregate");
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        groups++;
        for (int c = 0; c < 4; c++) fold(sqlite3_column_int64(st, c));
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) return fail(db, "aggregate");

    sqlite3_close(db);
    printf("rows=%d lookups=%d hits=%lld groups=%d checksum=%llu\n", rows, lookups, hits, groups, checksum);
    return 0;
}
