/*
 * One file-system call, for tests that need a run to make exactly one: fsop open PATH [trunc] (opens PATH write-only,
 * with O_TRUNC if asked, and closes it), fsop rename FROM TO, fsop link FROM TO. Prints the call and its errno
 * ("rename: 75") and exits with that errno, 0 when the call succeeded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: fsop open PATH [trunc] | rename FROM TO | link FROM TO\n");
        return 64;
    }
    const char *op = argv[1];
    int failed;
    if (strcmp(op, "open") == 0) {
        int fd = open(argv[2], O_WRONLY | (argc > 3 && strcmp(argv[3], "trunc") == 0 ? O_TRUNC : 0));
        failed = fd < 0 || close(fd) != 0;
    } else if (argc == 4 && strcmp(op, "rename") == 0) {
        failed = rename(argv[2], argv[3]) != 0;
    } else if (argc == 4 && strcmp(op, "link") == 0) {
        failed = link(argv[2], argv[3]) != 0;
    } else {
        fprintf(stderr, "fsop: unknown call %s\n", op);
        return 64;
    }
    int error = failed ? errno : 0;
    printf("%s: %d\n", op, error);
    return error;
}
