/*
 * Fills a directory until its disk quota refuses a write, gives the space back itself, and writes again in the
 * same run: refill DIR unlink|truncate|otrunc|rename|held. It writes DIR/a 64 KiB at a time until a write fails (EDQUOT
 * or ENOSPC, else it exits 2), then deletes DIR/a (unlink), cuts it to 0 bytes (truncate: ftruncate; otrunc: opens it
 * again with O_TRUNC), renames a new empty file over it (rename) or deletes it while it still holds it open and
 * closes it then, after reading a byte of stdin if there is one (held), and writes as many bytes as it had written
 * into DIR/b. Exits 0 when they all fit,
 * else with the errno of the failing write; prints what it wrote.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char chunk[65536];

static char *at(const char *dir, const char *name) {
    static char paths[3][4096];
    static int next;
    char *path = paths[next++ % 3];
    snprintf(path, sizeof paths[0], "%s/%s", dir, name);
    return path;
}

/* Writes `want` bytes to fd (until a write is refused if want < 0); answers how many landed. */
static long fill(int fd, long want, int *error) {
    long done = 0;
    *error = 0;
    while (want < 0 || done < want) {
        size_t n = sizeof chunk;
        if (want >= 0 && want - done < (long) n) {
            n = (size_t) (want - done);
        }
        ssize_t w = write(fd, chunk, n);
        if (w < 0) {
            *error = errno;
            return done;
        }
        done += w;
        if ((size_t) w < n) {
            continue; /* short: the next write says why */
        }
    }
    return done;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: refill DIR unlink|truncate|otrunc|rename|held\n");
        return 64;
    }
    const char *dir = argv[1], *how = argv[2];
    memset(chunk, 'x', sizeof chunk);
    int fd = open(at(dir, "a"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0) {
        return errno;
    }
    int error;
    long filled = fill(fd, -1, &error);
    if (error != EDQUOT && error != ENOSPC) {
        fprintf(stderr, "the first fill ended with %s, not a full quota\n", strerror(error));
        return 2;
    }
    if (strcmp(how, "truncate") == 0) {
        if (ftruncate(fd, 0) != 0) {
            return errno;
        }
        close(fd);
    } else if (strcmp(how, "held") == 0) {
        if (unlink(at(dir, "a")) != 0) {
            return errno;
        }
        char tick;
        read(0, &tick, 1); /* a byte of stdin, if any, before the close: a test checks the volumes meanwhile */
        close(fd);
    } else {
        close(fd);
        if (strcmp(how, "otrunc") == 0) {
            int again = open(at(dir, "a"), O_WRONLY | O_TRUNC);
            if (again < 0) {
                return errno;
            }
            close(again);
        } else if (strcmp(how, "rename") == 0) {
            int empty = open(at(dir, "empty"), O_CREAT | O_WRONLY, 0644);
            if (empty < 0) {
                return errno;
            }
            close(empty);
            if (rename(at(dir, "empty"), at(dir, "a")) != 0) {
                return errno;
            }
        } else if (unlink(at(dir, "a")) != 0) {
            return errno;
        }
    }
    int b = open(at(dir, "b"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (b < 0) {
        return errno;
    }
    long again = fill(b, filled, &error);
    close(b);
    printf("filled %ld, %s, wrote %ld again\n", filled, how, again);
    return error;
}
