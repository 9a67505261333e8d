// Compute benchmark (docs/performance.md, "Compute"): naive recursive Fibonacci, nothing but calls
// and additions.   fib [N]      N defaults to 30; prints "fib(N) = F"
#include <stdio.h>
#include <stdlib.h>

static unsigned long long fib(unsigned n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv) {
    unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 30;
    if (n > 93) {
        fprintf(stderr, "fib: N must be at most 93 (fib(94) overflows 64 bits)\n");
        return 2;
    }
    printf("fib(%u) = %llu\n", n, fib(n));
    return 0;
}
