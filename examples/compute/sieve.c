// Compute benchmark (docs/performance.md, "Compute"): the sieve of Eratosthenes over one byte per
// number, memory-bound loops.   sieve [N]      N defaults to 10,000,000
// Prints "primes below N: COUNT, sum SUM".
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000000;
    unsigned char *composite = calloc(n + 1, 1);
    if (composite == NULL) {
        fprintf(stderr, "sieve: cannot allocate %lu bytes\n", n + 1);
        return 2;
    }
    for (unsigned long i = 2; i * i < n; i++) {
        if (!composite[i]) {
            for (unsigned long j = i * i; j < n; j += i) composite[j] = 1;
        }
    }
    unsigned long count = 0;
    unsigned long long sum = 0;
    for (unsigned long i = 2; i < n; i++) {
        if (!composite[i]) {
            count++;
            sum += i;
        }
    }
    free(composite);
    printf("primes below %lu: %lu, sum %llu\n", n, count, sum);
    return 0;
}
