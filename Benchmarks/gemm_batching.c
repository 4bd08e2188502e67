// Why SmearNet's products look the way they do: OpenBLAS sgemm speed and bit-exactness for
// the convolution shapes of SmearNet-S, per image vs. one product over a batch of 32, with the
// weights as the transposed (NT) or re-laid (NN) operand. Thread CPU time, so the figures hold
// on a shared machine.
//
//   gcc -O2 Benchmarks/gemm_batching.c -o /tmp/gemm_batching -I/usr/include/x86_64-linux-gnu -lopenblas
//   /tmp/gemm_batching
//
// "same bits" reports whether each image's rows came out with the same bits both ways.
// Measured with OpenBLAS 0.3.21 (DYNAMIC_ARCH, Cooperlake kernels on AMD Zen 4):
// - Batched products are much faster for small feature maps (4×4: 62-66 GFLOP/s per image,
//   98-103 batched) and no faster for 16×16 maps or larger.
// - The bit differences come from *which path* OpenBLAS takes, chosen by the product's shape
//   (interface/gemm.c): the small-matrix kernels (sgemm_small_kernel_*_skylakex.c, allowed by
//   sgemm_small_kernel_permit_skylakex.c when M·N·K <= 1e6 and, for OpenBLAS's column-major
//   TN form of a row-major NT product, M·N <= 1200 and K >= 32) round differently from the
//   blocked path. 42×8×72 per image is small-kernel, batched it is blocked: different bits.
// - On the blocked path an element is one FMA chain per K block whatever M, N, the row's
//   position or the operand order (A·Bᵀ and B·Aᵀ agree bit for bit), so products may span
//   images. K blocks are at most GEMM_Q = 320 long; the single- and multi-threaded drivers
//   (level3.c, level3_thread.c) split a remainder between Q and 2Q differently, so with
//   OpenBLAS threads K = 324...1100 (not multiples of 32) changed bits.
// SmearNet therefore runs each image alone in row blocks sized per layer to fit the
// small-matrix kernels (fixed shapes; those kernels are also the fastest for thin products),
// and only layers too wide for them share NT products across images, kept off the small-matrix
// kernels (Sources/SmearKernels/RowInvariantGEMM.swift, padded to M·N > 1200 when needed); K
// blocks are made up front. Results: the same bits for any batch, any number of SmearNet
// threads and any number of OpenBLAS threads (Tests/SmearNetTests).
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_THREAD_CPUTIME_ID,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(){
  openblas_set_num_threads(1);
  int shapes[][3]={{1024,16,27},{256,32,288},{256,32,144},{64,64,576},{64,64,288},{16,128,1152},{16,128,576},{42,8,72}};
  for(int s=0;s<8;s++){
    int P=shapes[s][0],N=shapes[s][1],K=shapes[s][2],B=32;
    float*a=malloc(sizeof(float)*P*K*B),*w=malloc(sizeof(float)*N*K),*wt=malloc(sizeof(float)*N*K),*c1=malloc(sizeof(float)*P*N*B),*c2=malloc(sizeof(float)*P*N*B),*c3=malloc(sizeof(float)*P*N*B),*c4=malloc(sizeof(float)*P*N*B);
    for(long i=0;i<(long)P*K*B;i++)a[i]=(rand()%1000)/500.0f-1;
    for(long i=0;i<N*K;i++)w[i]=(rand()%1000)/500.0f-1;
    for(int n=0;n<N;n++)for(int k=0;k<K;k++)wt[k*N+n]=w[n*K+k];
    double b1=1e9,b2=1e9,b3=1e9;
    for(int r=0;r<5;r++){
      double t=now();
      for(int b=0;b<B;b++) cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasTrans,P,N,K,1,a+(long)b*P*K,K,w,K,0,c1+(long)b*P*N,N);
      t=now()-t; if(t<b1)b1=t;
      t=now();
      for(int b=0;b<B;b++) cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasNoTrans,P,N,K,1,a+(long)b*P*K,K,wt,N,0,c2+(long)b*P*N,N);
      t=now()-t; if(t<b2)b2=t;
      t=now();
      cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasNoTrans,P*B,N,K,1,a,K,wt,N,0,c3,N);
      t=now()-t; if(t<b3)b3=t;
      cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasTrans,P*B,N,K,1,a,K,w,K,0,c4,N);
    }
    double fl=2.0*P*N*K*B;
    printf("P=%4d N=%3d K=%4d NT/img %.1f  NN/img %.1f  NN batched %.1f GFLOP/s; same bits img vs batched: NN %d NT %d\n",
           P,N,K,fl/b1/1e9,fl/b2/1e9,fl/b3/1e9,memcmp(c2,c3,4L*P*N*B)==0,memcmp(c1,c4,4L*P*N*B)==0);
    free(a);free(w);free(wt);free(c1);free(c2);free(c3);free(c4);
  }
}
