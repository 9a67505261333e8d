/* Job: prints its args and env, a line to stderr, and exits with the code given as first arg. */
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv) {
    for (int i = 0; i < argc; i++) printf("arg[%d]=%s\n", i, argv[i]);
    for (char **e = environ; *e; e++) printf("env %s\n", *e);
    fprintf(stderr, "job finished\n");
    return argc > 1 ? atoi(argv[1]) : 0;
}
