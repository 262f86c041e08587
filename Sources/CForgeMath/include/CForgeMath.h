// Small C helpers for ForgeOptimizers' update loops.
//
// 1. Square roots that loops can vectorize. Swift's `squareRoot()` goes through the C library's
//    `sqrtf`/`sqrt`, which on Linux may set `errno` for negative inputs; the compiler must keep that
//    possible call, so a loop containing it stays scalar (one `sqrtss` plus a branch per element).
//    `__builtin_elementwise_sqrt` is the IEEE square root with no `errno`, so loops over it become
//    `sqrtps`/`sqrtpd`. Results are identical: both are the correctly rounded square root.
// 2. The Adam/AdamW element loop, compiled twice on x86-64 Linux — for AVX2 and for the baseline —
//    and picked at load time, since Swift code is built for the baseline only (SSE2, 4 floats per
//    instruction). Every operation is a correctly rounded IEEE operation and contraction into fused
//    multiply-adds is off, so both versions give bit-identical results.
#ifndef FORGE_C_FORGE_MATH_H
#define FORGE_C_FORGE_MATH_H

#include <stddef.h>

static inline __attribute__((always_inline)) float forge_square_root_float(float x) {
    return __builtin_elementwise_sqrt(x);
}

static inline __attribute__((always_inline)) double forge_square_root_double(double x) {
    return __builtin_elementwise_sqrt(x);
}

/// The per-step scalars of Adam's update, in float.
typedef struct {
    float sign, l2, shrink, averaging1, beta2, averaging2, inverseBiasCorrection2Root, epsilon, stepSize;
} ForgeAdamCoefficientsFloat;

/// The per-step scalars of Adam's update, in double.
typedef struct {
    double sign, l2, shrink, averaging1, beta2, averaging2, inverseBiasCorrection2Root, epsilon, stepSize;
} ForgeAdamCoefficientsDouble;

/// What the Adam loop adds to the plain update.
enum {
    /// Add `l2 · θ` to the gradient (Adam's weight decay).
    FORGE_ADAM_L2 = 1,
    /// Multiply θ by `shrink` first (AdamW's decoupled weight decay).
    FORGE_ADAM_DECOUPLED = 2,
    /// Keep the running maximum of v in `maximum` and use it (AMSGrad).
    FORGE_ADAM_AMSGRAD = 4,
};

/// One Adam/AdamW step over `count` float elements (`maximum` may be NULL without AMSGrad).
void forge_adam_float(size_t count, const float *gradient, float *value, float *first, float *second,
                      float *maximum, const ForgeAdamCoefficientsFloat *coefficients, int flags);

/// One Adam/AdamW step over `count` double elements (`maximum` may be NULL without AMSGrad).
void forge_adam_double(size_t count, const double *gradient, double *value, double *first, double *second,
                       double *maximum, const ForgeAdamCoefficientsDouble *coefficients, int flags);

#endif
