// Why SmearNet multiplies one image at a time: OpenBLAS sgemm speed and bit-exactness for the
// convolution shapes of SmearNet-S, per image vs. one product over a batch of 32, with the
// weights as the transposed (NT) or re-laid (NN) operand. Thread CPU time, so the figures hold
// on a shared machine.
//
//   gcc -O2 Benchmarks/gemm_batching.c -o /tmp/gemm_batching -I/usr/include/x86_64-linux-gnu -lopenblas
//   /tmp/gemm_batching
//
// "same bits" reports whether each image's rows came out with the same bits both ways.
// Measured with OpenBLAS 0.3.21 (Cooperlake kernels): NN per image beats NT per image on every
// shape (the stem 110 vs 62 GFLOP/s), and a batched product is faster again for small feature
// maps (4×4: 100 vs 74 GFLOP/s) - but batched NT products of other shapes (42×8×72) came out
// with different bits than per-image ones, so a crop's probabilities would depend on the batch
// around it. SmearNet therefore runs NN per image (row blocks of 256 output pixels) and keeps
// OpenBLAS single-threaded, splitting work over its own threads in batch-independent pieces.
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
