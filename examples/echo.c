/* CGI echo: answers with the request it was given (method, path, query, headers, body). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static const char *var(const char *name) {
    const char *value = getenv(name);
    return value ? value : "";
}

int main(void) {
    printf("Content-Type: text/plain\n\n");
    printf("REQUEST_METHOD=%s\n", var("REQUEST_METHOD"));
    printf("PATH_INFO=%s\n", var("PATH_INFO"));
    printf("SCRIPT_NAME=%s\n", var("SCRIPT_NAME"));
    printf("QUERY_STRING=%s\n", var("QUERY_STRING"));
    for (char **e = environ; *e; e++) {
        if (strncmp(*e, "HTTP_", 5) == 0) printf("%s\n", *e);
    }
    printf("\n");
    long remaining = strtol(var("CONTENT_LENGTH"), NULL, 10);
    static char buffer[65536]; /* static: a 64 KiB array would overflow the 64 KiB default stack */
    while (remaining > 0) {
        size_t want = remaining < (long) sizeof buffer ? (size_t) remaining : sizeof buffer;
        size_t got = fread(buffer, 1, want, stdin);
        if (got == 0) break;
        fwrite(buffer, 1, got, stdout);
        remaining -= (long) got;
    }
    return 0;
}
