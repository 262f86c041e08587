// The fused Adam/AdamW loop (see CForgeMath.h). ForgeOptimizers' AdamKernel.swift computes the
// coefficients and documents the update; this file only runs the element loop.
#include "CForgeMath.h"

// Exact IEEE operations only: no fused multiply-add, so every build and every clone rounds alike.
#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__) && defined(__linux__) && defined(__clang__)
#define FORGE_MULTIVERSION __attribute__((target_clones("avx2", "default")))
#else
#define FORGE_MULTIVERSION
#endif

// One loop body per flag combination: with the flags constant after inlining, each loop is
// branch-free and vectorizes.
#define FORGE_ADAM_LOOP(T, SQRT, L2, DECOUPLED, AMSGRAD)                                   \
    for (size_t i = 0; i < count; i++) {                                                   \
        T g = c->sign * gradient[i];                                                        \
        T p = value[i];                                                                     \
        if (L2) g = g + c->l2 * p;                                                          \
        if (DECOUPLED) p = p * c->shrink;                                                   \
        T m = first[i] + c->averaging1 * (g - first[i]);                                    \
        T v = second[i] * c->beta2 + c->averaging2 * g * g;                                 \
        first[i] = m;                                                                       \
        second[i] = v;                                                                      \
        if (AMSGRAD) {                                                                      \
            v = maximum[i] < v ? v : maximum[i];                                            \
            maximum[i] = v;                                                                 \
        }                                                                                   \
        T denominator = SQRT(v) * c->inverseBiasCorrection2Root + c->epsilon;              \
        value[i] = p - c->stepSize * (m / denominator);                                     \
    }

#define FORGE_ADAM_DISPATCH(T, SQRT)                                                        \
    switch (flags) {                                                                        \
    case 0: FORGE_ADAM_LOOP(T, SQRT, 0, 0, 0) break;                                        \
    case FORGE_ADAM_L2: FORGE_ADAM_LOOP(T, SQRT, 1, 0, 0) break;                            \
    case FORGE_ADAM_DECOUPLED: FORGE_ADAM_LOOP(T, SQRT, 0, 1, 0) break;                     \
    case FORGE_ADAM_AMSGRAD: FORGE_ADAM_LOOP(T, SQRT, 0, 0, 1) break;                       \
    case FORGE_ADAM_L2 | FORGE_ADAM_AMSGRAD: FORGE_ADAM_LOOP(T, SQRT, 1, 0, 1) break;       \
    case FORGE_ADAM_DECOUPLED | FORGE_ADAM_AMSGRAD: FORGE_ADAM_LOOP(T, SQRT, 0, 1, 1) break; \
    default: FORGE_ADAM_LOOP(T, SQRT, flags & FORGE_ADAM_L2, flags & FORGE_ADAM_DECOUPLED,  \
                             flags & FORGE_ADAM_AMSGRAD) break;                             \
    }

FORGE_MULTIVERSION
void forge_adam_float(size_t count, const float *restrict gradient, float *restrict value, float *restrict first,
                      float *restrict second, float *restrict maximum, const ForgeAdamCoefficientsFloat *c,
                      int flags) {
    FORGE_ADAM_DISPATCH(float, forge_square_root_float)
}

FORGE_MULTIVERSION
void forge_adam_double(size_t count, const double *restrict gradient, double *restrict value,
                       double *restrict first, double *restrict second, double *restrict maximum,
                       const ForgeAdamCoefficientsDouble *c, int flags) {
    FORGE_ADAM_DISPATCH(double, forge_square_root_double)
}
