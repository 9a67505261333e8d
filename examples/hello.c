/* CGI hello: the smallest HTTP workload. */
#include <stdio.h>

int main(void) {
    fputs("Content-Type: text/plain\n\nHello from Wasm\n", stdout);
    return 0;
}
