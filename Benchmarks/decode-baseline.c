/* The C baseline for Benchmarks/decode.sh: TurboJPEG called directly, the way a tuned C
 * program would (one decompressor handle and one output buffer reused for every file),
 * with the same flags as SmearScan. Reads every file into memory first, decodes them all
 * per round, prints the fastest round in the same format as `smearscan benchmark decode`.
 *
 *   cc -O2 decode-baseline.c -lturbojpeg -o decode-baseline
 *   decode-baseline SCALE ROUNDS FILE...      (SCALE: 1, 2, 4 or 8)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <turbojpeg.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);  /* CPU time, as smearscan measures */
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: %s SCALE ROUNDS FILE...\n", argv[0]); return 2; }
    int scale = atoi(argv[1]), rounds = atoi(argv[2]), count = argc - 3;
    tjscalingfactor factor = { 1, scale };
    unsigned char **data = calloc(count, sizeof *data);
    unsigned long *size = calloc(count, sizeof *size);
    int *width = calloc(count, sizeof *width), *height = calloc(count, sizeof *height);
    tjhandle handle = tjInitDecompress();
    size_t largest = 0;
    double megapixels = 0, readStart = now();
    for (int i = 0; i < count; i++) {
        FILE *f = fopen(argv[i + 3], "rb");
        if (!f) { perror(argv[i + 3]); return 1; }
        fseek(f, 0, SEEK_END); size[i] = ftell(f); fseek(f, 0, SEEK_SET);
        data[i] = malloc(size[i]);
        if (fread(data[i], 1, size[i], f) != size[i]) { perror(argv[i + 3]); return 1; }
        fclose(f);
    }
    double readSeconds = now() - readStart;
    for (int i = 0; i < count; i++) {
        int subsamp, colorspace;
        if (tjDecompressHeader3(handle, data[i], size[i], &width[i], &height[i], &subsamp, &colorspace) != 0) {
            fprintf(stderr, "%s: %s\n", argv[i + 3], tjGetErrorStr2(handle)); return 1;
        }
        size_t bytes = (size_t)TJSCALED(width[i], factor) * TJSCALED(height[i], factor) * 3;
        if (bytes > largest) largest = bytes;
        megapixels += (double)width[i] * height[i] / 1e6;
    }
    unsigned char *out = malloc(largest);
    double best = 1e30;
    for (int r = 0; r < rounds; r++) {
        double start = now();
        for (int i = 0; i < count; i++) {
            int w = TJSCALED(width[i], factor), h = TJSCALED(height[i], factor);
            if (tjDecompress2(handle, data[i], size[i], out, w, 0, h, TJPF_RGB,
                              TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS) != 0) {
                fprintf(stderr, "%s: %s\n", argv[i + 3], tjGetErrorStr2(handle)); return 1;
            }
        }
        double t = now() - start;
        if (t < best) best = t;
    }
    printf("files=%d scale=1/%d megapixels=%.3f seconds=%.4f megapixels_per_second=%.1f read_seconds=%.4f\n",
           count, scale, megapixels, best, megapixels / best, readSeconds);
    tjDestroy(handle);
    return 0;
}
