// Square roots that the optimizer kernels' loops can vectorize.
//
// Swift's `squareRoot()` goes through the C library's `sqrtf`/`sqrt`, which on Linux may set `errno`
// for negative inputs; the compiler must keep that possible call, so a loop containing it stays
// scalar (one `sqrtss` plus a branch per element). `__builtin_elementwise_sqrt` is the IEEE square
// root with no `errno`, so loops over it become `sqrtps`/`sqrtpd`. Results are identical: both are
// the correctly rounded square root.
#ifndef FORGE_C_FORGE_MATH_H
#define FORGE_C_FORGE_MATH_H

static inline __attribute__((always_inline)) float forge_square_root_float(float x) {
    return __builtin_elementwise_sqrt(x);
}

static inline __attribute__((always_inline)) double forge_square_root_double(double x) {
    return __builtin_elementwise_sqrt(x);
}

#endif
