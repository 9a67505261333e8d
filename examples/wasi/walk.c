// A plain POSIX program of the kind WASI runs: reads stdin to EOF, walks a directory tree,
// reads the clocks, draws random bytes and reads its environment.
//   walk [DIR]      DIR defaults to $WALK_DIR, else /data
// As a CGI handler (REQUEST_METHOD set) it answers text/plain. Output, line by line:
// "stdin N FNV1A", one "d PATH" / "f PATH SIZE" per entry (sorted), "clocks ok|bad",
// "random ok|bad", "env GREETING=…".
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(const char *dir, const char *shown) {
    DIR *d = opendir(dir);
    if (!d) {
        printf("cannot open %s\n", *shown ? shown : dir);
        return;
    }
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 256) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    for (int i = 0; i < n; i++) {
        char path[1024], show[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        snprintf(show, sizeof show, "%s%s%s", shown, *shown ? "/" : "", names[i]);
        struct stat st;
        if (lstat(path, &st) != 0) {
            printf("? %s\n", show);
        } else if (S_ISDIR(st.st_mode)) {
            printf("d %s\n", show);
            walk(path, show);
        } else {
            printf("f %s %lld\n", show, (long long)st.st_size);
        }
        free(names[i]);
    }
}

int main(int argc, char **argv) {
    if (getenv("REQUEST_METHOD")) printf("Content-Type: text/plain\n\n");

    uint32_t hash = 2166136261u;
    size_t total = 0, n;
    unsigned char buf[4096];
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        for (size_t i = 0; i < n; i++) hash = (hash ^ buf[i]) * 16777619u;
        total += n;
    }
    printf("stdin %zu %08x\n", total, hash);

    const char *dir = argc > 1 ? argv[1] : getenv("WALK_DIR") ? getenv("WALK_DIR") : "/data";
    walk(dir, "");

    struct timespec real, mono1, mono2;
    clock_gettime(CLOCK_REALTIME, &real);
    clock_gettime(CLOCK_MONOTONIC, &mono1);
    clock_gettime(CLOCK_MONOTONIC, &mono2);
    int clocks = real.tv_sec > 1577836800 /* 2020 */ && (mono2.tv_sec > mono1.tv_sec
            || (mono2.tv_sec == mono1.tv_sec && mono2.tv_nsec >= mono1.tv_nsec));
    printf("clocks %s\n", clocks ? "ok" : "bad");

    unsigned char r1[32], r2[32], zero[32] = {0};
    int random = getentropy(r1, sizeof r1) == 0 && getentropy(r2, sizeof r2) == 0
            && memcmp(r1, r2, sizeof r1) != 0 && memcmp(r1, zero, sizeof r1) != 0;
    printf("random %s\n", random ? "ok" : "bad");

    const char *greeting = getenv("GREETING");
    printf("env GREETING=%s\n", greeting ? greeting : "(unset)");
    return 0;
}
