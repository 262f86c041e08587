// The one C header Forge reads for dense linear algebra.
//
// Linux: OpenBLAS provides CBLAS (cblas.h) and LAPACKE provides the C LAPACK interface (lapacke.h).
// Apple platforms: Accelerate provides CBLAS and the Fortran-style LAPACK routines; it has no
// LAPACKE_* functions, so ForgeTensor wraps that difference in a single Swift file (LAPACK.swift).
#ifndef FORGE_CBLAS_SHIM_H
#define FORGE_CBLAS_SHIM_H

#if defined(__APPLE__)
#define ACCELERATE_NEW_LAPACK 1
#include <Accelerate/Accelerate.h>
#else
#include <cblas.h>
#include <lapacke.h>
#endif

#endif
