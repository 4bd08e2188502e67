// Whether an sgemm row's bits depend only on the class of its position in the kernel's tile
// (the premise of Sources/SmearKernels/RowLayout.swift), checked directly against OpenBLAS.
//
//   gcc -O2 Benchmarks/gemm_tile_classes.c -o /tmp/gemm_tile_classes -I/usr/include/x86_64-linux-gnu -lopenblas
//   /tmp/gemm_tile_classes
//
// For each shape, every row's product is computed at position 0 and at position 6 of a
// 12-row product (the other rows random); then rows are placed at random positions of
// products of 1–43 tiles, and each must equal its reference for its position's half.
// Session 7 (AMD EPYC, OpenBLAS 0.3.21 Zen kernels): 38,400 placements, 0 differences;
// 20,640 of the rows came out differently in the two halves. On kernels that round every
// row alike (Cooperlake) the second figure is 0.
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static unsigned long long state = 88172645463325252ULL;
static unsigned long long next(void) { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state; }
static float random_float(void) { return (next() % 100000) / 50000.0f - 1; }
// Row-major C (m×n) = A (m×k) · W, W given as n×k (NT) or k×n (NN).
static void product(int nn, int m, int n, int k, const float *a, const float *w, const float *wt, float *c) {
  if (nn) cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1, a, k, wt, n, 0, c, n);
  else cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1, a, k, w, k, 0, c, n);
}
int main(void) {
  openblas_set_num_threads(1);
  enum { height = 12, maxTiles = 43, maxRows = height * maxTiles };
  int widths[] = {16, 32, 64, 128}, depths[] = {27, 144, 288, 320, 576}, tileCounts[] = {1, 2, 4, 8, 22, 43};
  long placements = 0, differences = 0, halvesDiffer = 0;
  static float tile[height * 576], tileOut[height * 128];
  for (int nn = 0; nn < 2; nn++)
    for (int wi = 0; wi < 4; wi++)
      for (int di = 0; di < 5; di++) {
        int n = widths[wi], k = depths[di];
        float *a = malloc(4L * maxRows * k), *w = malloc(4L * n * k), *wt = malloc(4L * n * k);
        float *placed = malloc(4L * maxRows * k), *out = malloc(4L * maxRows * n);
        float *reference[2] = {malloc(4L * maxRows * n), malloc(4L * maxRows * n)};
        for (long i = 0; i < (long)maxRows * k; i++) a[i] = random_float();
        for (long i = 0; i < (long)n * k; i++) w[i] = random_float();
        for (int x = 0; x < n; x++) for (int y = 0; y < k; y++) wt[y * n + x] = w[x * k + y];
        for (int r = 0; r < maxRows; r++) {
          for (int half = 0; half < 2; half++) {
            for (int s = 0; s < height; s++) memcpy(tile + s * k, a + ((r * 7 + s * 13 + 1) % maxRows) * k, 4L * k);
            int position = half * 6 + r % 6;
            memcpy(tile + position * k, a + (long)r * k, 4L * k);
            product(nn, height, n, k, tile, w, wt, tileOut);
            memcpy(reference[half] + (long)r * n, tileOut + position * n, 4L * n);
          }
          if (memcmp(reference[0] + (long)r * n, reference[1] + (long)r * n, 4L * n)) halvesDiffer++;
        }
        for (int ti = 0; ti < 6; ti++) {
          int rows = height * tileCounts[ti], source[maxRows];
          for (int i = 0; i < rows; i++) {
            source[i] = next() % maxRows;
            memcpy(placed + (long)i * k, a + (long)source[i] * k, 4L * k);
          }
          product(nn, rows, n, k, placed, w, wt, out);
          for (int i = 0; i < rows; i++) {
            placements++;
            if (memcmp(reference[(i % height) >= 6] + (long)source[i] * n, out + (long)i * n, 4L * n)) differences++;
          }
        }
        free(a); free(w); free(wt); free(placed); free(out); free(reference[0]); free(reference[1]);
      }
  printf("%ld placements, %ld differ from their half's reference; %ld rows differ between the halves\n",
         placements, differences, halvesDiffer);
  return differences != 0;
}
