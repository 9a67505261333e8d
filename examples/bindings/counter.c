/*
 * A visit counter on a kv binding named "visits": each GET of <route>/<page> counts one visit of
 * <page> and answers the count; GET <route>/?list=1 lists the pages counted so far (a JSON array).
 * The read and the write are one transaction of the request, so a failed request counts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nanolet.h"

#define KV "visits"

static const char *var(const char *name) {
    const char *v = getenv(name);
    return v ? v : "";
}

int main(void) {
    if (strstr(var("QUERY_STRING"), "list=1")) {
        nl_result keys;
        int rc = nl_kv_keys(KV, "page:", &keys);
        if (rc != 0) {
            printf("Status: %d\nContent-Type: text/plain\n\n%s\n", rc == NL_UNAVAILABLE ? 503 : 500, nl_error());
            return 0;
        }
        printf("Content-Type: application/json\n\n%s\n", keys.json);
        nl_result_free(&keys);
        return 0;
    }
    const char *page = var("PATH_INFO");
    while (*page == '/') page++;
    char key[512];
    snprintf(key, sizeof key, "page:%s", *page ? page : "index");

    long long count = 0;
    char *value;
    size_t len;
    int rc = nl_kv_get(KV, key, &value, &len);
    if (rc == 0) {
        char text[32] = {0};
        memcpy(text, value, len < sizeof text - 1 ? len : sizeof text - 1);
        count = strtoll(text, NULL, 10);
        free(value);
    } else if (rc != NL_NOT_FOUND) {
        printf("Status: %d\nContent-Type: text/plain\n\n%s\n", rc == NL_UNAVAILABLE ? 503 : 500, nl_error());
        return 0;
    }
    char text[32];
    int n = snprintf(text, sizeof text, "%lld", ++count);
    if ((rc = nl_kv_set(KV, key, text, (size_t) n)) != 0) {
        printf("Status: %d\nContent-Type: text/plain\n\n%s\n", rc == NL_UNAVAILABLE ? 503 : 500, nl_error());
        return 0;
    }
    printf("Content-Type: text/plain\n\n%s: %lld visits\n", key + 5, count);
    return 0;
}
