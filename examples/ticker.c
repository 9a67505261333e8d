/* Long job: prints "tick <unix ms>" every 100 ms for the seconds given as first arg (default 60), then exits 0.
   The fault tests read the ticks of every run to prove that two runs of one job never overlap. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

int main(int argc, char **argv) {
    long long end = now_ms() + 1000LL * (argc > 1 ? atoi(argv[1]) : 60);
    while (now_ms() < end) {
        printf("tick %lld\n", now_ms());
        fflush(stdout);
        usleep(100000);
    }
    return 0;
}
