/* Allocates 1 MiB blocks until memory runs out, then exits with 3 (so a cap shows as a clean failure). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    size_t total = 0;
    for (;;) {
        char *block = malloc(1 << 20);
        if (!block) break;
        memset(block, 1, 1 << 20);
        total += 1;
    }
    printf("allocated %zu MiB\n", total);
    return 3;
}
