/* replay.c: run fuzz inputs through LLVMFuzzerTestOneInput without clang.
 *
 *   replay FILE|DIR...
 *
 * Each file named, and each regular file in each directory named, is one
 * input.  Exits non-zero if a path cannot be read; an invariant broken by
 * an input aborts, as it would under libFuzzer.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0, n;

    if (f == NULL) {
        perror(path);
        return 1;
    }
    do {
        if (len == cap) {
            unsigned char *grown;

            cap = cap ? 2 * cap : 4096;
            grown = realloc(buf, cap);
            if (grown == NULL) {
                free(buf);
                fclose(f);
                fprintf(stderr, "%s: out of memory\n", path);
                return 1;
            }
            buf = grown;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    if (ferror(f)) {
        perror(path);
        free(buf);
        fclose(f);
        return 1;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    return 0;
}

static int run_dir(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *ent;
    int errors = 0;

    if (d == NULL) {
        perror(path);
        return 1;
    }
    while ((ent = readdir(d)) != NULL) {
        size_t len = strlen(path) + strlen(ent->d_name) + 2;
        char *file = malloc(len);
        struct stat st;

        if (file == NULL) {
            errors++;
            break;
        }
        snprintf(file, len, "%s/%s", path, ent->d_name);
        if (stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
            errors += run_file(file);
        }
        free(file);
    }
    closedir(d);
    return errors;
}

int main(int argc, char **argv)
{
    int i, errors = 0;
    struct stat st;

    for (i = 1; i < argc; i++) {
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            errors += run_dir(argv[i]);
        }
        else {
            errors += run_file(argv[i]);
        }
    }
    printf("replayed %d argument(s), %d error(s)\n", argc - 1, errors);
    return errors ? 1 : 0;
}
