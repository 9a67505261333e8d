/* Prints the files named in its args; exits 1 if one cannot be opened. Shows preopened directories (--dir). */
#include <stdio.h>

int main(int argc, char **argv) {
    static char buffer[16384];
    for (int i = 1; i < argc; i++) {
        FILE *file = fopen(argv[i], "rb");
        if (!file) {
            fprintf(stderr, "cannot open %s\n", argv[i]);
            return 1;
        }
        size_t got;
        while ((got = fread(buffer, 1, sizeof buffer, file)) > 0) fwrite(buffer, 1, got, stdout);
        fclose(file);
    }
    return 0;
}
