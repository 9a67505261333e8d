/*
 * Tries to pass a disk quota through a file's second link: relink DIR unlink|rename. Ten times it makes DIR/fN, links
 * DIR/gN to it, writes 900 KiB into fN, then drops the link gN (unlink: deletes it; rename: renames a new empty file
 * over it). The bytes stay on disk under fN, so under a quota of 1 MB a write must fail (EDQUOT) by the second file.
 * Prints how many bytes it wrote; exits with the errno of the first failing call, 0 when all fit.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char chunk[65536];

static const char *at(const char *dir, const char *name, int i) {
    static char paths[2][4096];
    static int next;
    char *path = paths[next++ % 2];
    snprintf(path, sizeof paths[0], "%s/%s%d", dir, name, i);
    return path;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: relink DIR unlink|rename\n");
        return 64;
    }
    const char *dir = argv[1], *how = argv[2];
    memset(chunk, 'x', sizeof chunk);
    long written = 0;
    int error = 0;
    for (int i = 0; i < 10 && error == 0; i++) {
        int fd = open(at(dir, "f", i), O_CREAT | O_WRONLY, 0644);
        if (fd < 0 || link(at(dir, "f", i), at(dir, "g", i)) != 0) {
            error = errno;
            break;
        }
        for (long done = 0; done < 900 * 1024 && error == 0; ) {
            ssize_t w = write(fd, chunk, sizeof chunk);
            if (w < 0) {
                error = errno;
            } else {
                done += w;
                written += w;
            }
        }
        close(fd);
        if (error != 0) {
            break;
        }
        if (strcmp(how, "rename") == 0) {
            int empty = open(at(dir, "e", i), O_CREAT | O_WRONLY, 0644);
            if (empty < 0 || close(empty) != 0 || rename(at(dir, "e", i), at(dir, "g", i)) != 0) {
                error = errno;
            }
        } else if (unlink(at(dir, "g", i)) != 0) {
            error = errno;
        }
    }
    printf("wrote %ld\n", written);
    return error;
}
