// The one file that knows which LAPACK it talks to.
//
// Linux: OpenBLAS + LAPACKE. We call the `LAPACKE_*_work` entry points with LAPACK_COL_MAJOR: they pass
// column-major arrays straight to LAPACK, without the hidden NaN scan and workspace allocation of the
// plain `LAPACKE_*` functions, so both platforms behave the same (ForgeTensor checks for NaN/infinity
// itself and allocates workspace through `LAPACK.withWorkspace`).
// Apple platforms: Accelerate has no LAPACKE; with ACCELERATE_NEW_LAPACK (set in Sources/CBLAS/shim.h)
// it exports the Fortran-style routines (`sgesv_`, `dsyevd_`, …) that take every argument by pointer,
// use `__LAPACK_int` integers and column-major arrays, and have no hidden string-length arguments.
//
// Everything else in ForgeTensor calls the platform-free `LAPACK.*` functions below.

import CBLAS

/// The element types LAPACK has routines for (`Float` → `s…`, `Double` → `d…`).
///
/// Each requirement is one LAPACK routine on column-major arrays, returning LAPACK's `info` code:
/// 0 on success, `-i` when argument `i` is invalid, a positive routine-specific code otherwise.
/// Routines that need scratch arrays take them explicitly; ``LAPACK`` sizes and allocates them.
protocol LAPACKScalar: TensorFloatingPoint {
    /// LU-factors the n×n matrix `a` and solves `a · x = b` in place (`b` becomes x).
    static func gesv(
        n: Int, rightHandSides: Int, a: UnsafeMutablePointer<Self>, lda: Int,
        pivots: UnsafeMutablePointer<LAPACK.Integer>, b: UnsafeMutablePointer<Self>, ldb: Int
    ) -> Int
    /// LU-factors the m×n matrix `a` in place with partial pivoting (1-based `pivots`).
    static func getrf(
        m: Int, n: Int, a: UnsafeMutablePointer<Self>, lda: Int, pivots: UnsafeMutablePointer<LAPACK.Integer>
    ) -> Int
    /// Inverts a matrix from its `getrf` factors, in place.
    static func getri(
        n: Int, a: UnsafeMutablePointer<Self>, lda: Int, pivots: UnsafeMutablePointer<LAPACK.Integer>,
        work: UnsafeMutablePointer<Self>, workCount: Int
    ) -> Int
    /// Cholesky-factors the symmetric matrix whose lower triangle is in `a`, in place (lower factor L).
    static func potrf(n: Int, a: UnsafeMutablePointer<Self>, lda: Int) -> Int
    /// Solves `L · Lᵀ · x = b` in place from the lower Cholesky factor L.
    static func potrs(
        n: Int, rightHandSides: Int, factor: UnsafeMutablePointer<Self>, lda: Int, b: UnsafeMutablePointer<Self>,
        ldb: Int
    ) -> Int
    /// Eigenvalues (ascending) and eigenvectors (overwriting `a`, one per column) of the symmetric matrix
    /// whose lower triangle is in `a`, by divide and conquer.
    static func syevd(
        n: Int, a: UnsafeMutablePointer<Self>, lda: Int, eigenvalues: UnsafeMutablePointer<Self>,
        work: UnsafeMutablePointer<Self>, workCount: Int, integerWork: UnsafeMutablePointer<LAPACK.Integer>,
        integerWorkCount: Int
    ) -> Int
    /// Minimum-norm least-squares solution of `a · x ≈ b` by SVD (`b` has max(m, n) rows and becomes x).
    static func gelsd(
        m: Int, n: Int, rightHandSides: Int, a: UnsafeMutablePointer<Self>, lda: Int, b: UnsafeMutablePointer<Self>,
        ldb: Int, singularValues: UnsafeMutablePointer<Self>, rcond: Self, rank: UnsafeMutablePointer<LAPACK.Integer>,
        work: UnsafeMutablePointer<Self>, workCount: Int, integerWork: UnsafeMutablePointer<LAPACK.Integer>
    ) -> Int
}

/// Platform-free entry points to the LAPACK routines ForgeTensor uses, on column-major arrays.
///
/// Every function returns LAPACK's `info` code; a negative code means ForgeTensor passed a bad argument
/// and traps (see ``checkArguments(_:routine:)``), positive codes are for the caller to interpret.
enum LAPACK {
    #if canImport(Accelerate)
        /// The integer type of LAPACK sizes, pivots and info codes (`__LAPACK_int`: Int32, or Int with ILP64).
        typealias Integer = __LAPACK_int
    #else
        /// The integer type of LAPACK sizes, pivots and info codes (`lapack_int`: int32_t in the LP64 LAPACKE
        /// that Debian and Ubuntu ship; an ILP64 build would make this Int64).
        typealias Integer = Int32
    #endif

    /// `'L'`: reference the lower triangle.
    static let lower = CChar(UInt8(ascii: "L"))
    /// `'V'`: compute eigenvectors too.
    static let eigenvectors = CChar(UInt8(ascii: "V"))

    static func gesv<T: LAPACKScalar>(
        n: Int, rightHandSides: Int, a: UnsafeMutablePointer<T>, lda: Int,
        pivots: UnsafeMutablePointer<Integer>, b: UnsafeMutablePointer<T>, ldb: Int
    ) -> Int {
        let info = T.gesv(n: n, rightHandSides: rightHandSides, a: a, lda: lda, pivots: pivots, b: b, ldb: ldb)
        return checkArguments(info, routine: "gesv")
    }

    static func getrf<T: LAPACKScalar>(
        n: Int, a: UnsafeMutablePointer<T>, lda: Int, pivots: UnsafeMutablePointer<Integer>
    ) -> Int {
        checkArguments(T.getrf(m: n, n: n, a: a, lda: lda, pivots: pivots), routine: "getrf")
    }

    static func getri<T: LAPACKScalar>(
        n: Int, a: UnsafeMutablePointer<T>, lda: Int, pivots: UnsafeMutablePointer<Integer>
    ) -> Int {
        let info = withWorkspace(T.self) { work, workCount, _, _ in
            T.getri(n: n, a: a, lda: lda, pivots: pivots, work: work, workCount: workCount)
        }
        return checkArguments(info, routine: "getri")
    }

    static func potrf<T: LAPACKScalar>(n: Int, a: UnsafeMutablePointer<T>, lda: Int) -> Int {
        checkArguments(T.potrf(n: n, a: a, lda: lda), routine: "potrf")
    }

    static func potrs<T: LAPACKScalar>(
        n: Int, rightHandSides: Int, factor: UnsafeMutablePointer<T>, lda: Int, b: UnsafeMutablePointer<T>, ldb: Int
    ) -> Int {
        let info = T.potrs(n: n, rightHandSides: rightHandSides, factor: factor, lda: lda, b: b, ldb: ldb)
        return checkArguments(info, routine: "potrs")
    }

    static func syevd<T: LAPACKScalar>(
        n: Int, a: UnsafeMutablePointer<T>, lda: Int, eigenvalues: UnsafeMutablePointer<T>
    ) -> Int {
        let info = withWorkspace(T.self) { work, workCount, integerWork, integerWorkCount in
            T.syevd(
                n: n, a: a, lda: lda, eigenvalues: eigenvalues, work: work, workCount: workCount,
                integerWork: integerWork, integerWorkCount: integerWorkCount)
        }
        return checkArguments(info, routine: "syevd")
    }

    /// Returns the info code and the effective rank of `a` (singular values above `rcond` × the largest).
    static func gelsd<T: LAPACKScalar>(
        m: Int, n: Int, rightHandSides: Int, a: UnsafeMutablePointer<T>, lda: Int, b: UnsafeMutablePointer<T>,
        ldb: Int, singularValues: UnsafeMutablePointer<T>, rcond: T
    ) -> (info: Int, rank: Int) {
        var rank = Integer(0)
        let info = withWorkspace(T.self) { work, workCount, integerWork, _ in
            // gelsd has no LIWORK argument: the query reports the size it needs in integerWork[0].
            T.gelsd(
                m: m, n: n, rightHandSides: rightHandSides, a: a, lda: lda, b: b, ldb: ldb,
                singularValues: singularValues, rcond: rcond, rank: &rank, work: work, workCount: workCount,
                integerWork: integerWork)
        }
        return (checkArguments(info, routine: "gelsd"), Int(rank))
    }

    /// Runs `routine` twice: first as a workspace query (sizes -1, LAPACK writes the sizes it wants into the
    /// first element of each scratch array), then with scratch arrays of those sizes. Returns the info code.
    static func withWorkspace<T: LAPACKScalar>(
        _: T.Type,
        _ routine: (
            _ work: UnsafeMutablePointer<T>, _ workCount: Int, _ integerWork: UnsafeMutablePointer<Integer>,
            _ integerWorkCount: Int
        ) -> Int
    ) -> Int {
        var workQuery = T.zero
        var integerWorkQuery = Integer(0)
        let queryInfo = routine(&workQuery, -1, &integerWorkQuery, -1)
        guard queryInfo == 0 else { return queryInfo }
        // NOTE: LAPACK reports the work size as a floating-point value; before LAPACK 3.10 a large size
        // could be rounded *down* to the nearest float32, so allow a small relative margin.
        let workCount = max(1, Int((workQuery.doubleValue * (1 + 1e-6)).rounded(.up)))
        let integerWorkCount = max(1, Int(integerWorkQuery))
        let work = UnsafeMutablePointer<T>.allocate(capacity: workCount)
        let integerWork = UnsafeMutablePointer<Integer>.allocate(capacity: integerWorkCount)
        defer {
            work.deallocate()
            integerWork.deallocate()
        }
        return routine(work, workCount, integerWork, integerWorkCount)
    }

    /// Returns `info` unless it reports an invalid argument, which is a ForgeTensor bug: inputs are
    /// checked for shape and for NaN/infinity before any routine runs.
    static func checkArguments(_ info: Int, routine: String) -> Int {
        precondition(info >= 0, "LAPACK ?\(routine): argument \(-info) had an illegal value (a ForgeTensor bug)")
        return info
    }
}

#if canImport(Accelerate)

    // Accelerate's Fortran-style interface: every scalar is passed by pointer, so each wrapper copies its
    // arguments into local variables (one per parameter: Swift forbids passing one variable to two
    // pointer parameters of a call).

    extension Float: LAPACKScalar {
        static func gesv(
            n: Int, rightHandSides: Int, a: UnsafeMutablePointer<Float>, lda: Int,
            pivots: UnsafeMutablePointer<LAPACK.Integer>, b: UnsafeMutablePointer<Float>, ldb: Int
        ) -> Int {
            var n = LAPACK.Integer(n), nrhs = LAPACK.Integer(rightHandSides), lda = LAPACK.Integer(lda)
            var ldb = LAPACK.Integer(ldb), info = LAPACK.Integer(0)
            sgesv_(&n, &nrhs, a, &lda, pivots, b, &ldb, &info)
            return Int(info)
        }

        static func getrf(
            m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int, pivots: UnsafeMutablePointer<LAPACK.Integer>
        ) -> Int {
            var m = LAPACK.Integer(m), n = LAPACK.Integer(n), lda = LAPACK.Integer(lda), info = LAPACK.Integer(0)
            sgetrf_(&m, &n, a, &lda, pivots, &info)
            return Int(info)
        }

        static func getri(
            n: Int, a: UnsafeMutablePointer<Float>, lda: Int, pivots: UnsafeMutablePointer<LAPACK.Integer>,
            work: UnsafeMutablePointer<Float>, workCount: Int
        ) -> Int {
            var n = LAPACK.Integer(n), lda = LAPACK.Integer(lda), lwork = LAPACK.Integer(workCount)
            var info = LAPACK.Integer(0)
            sgetri_(&n, a, &lda, pivots, work, &lwork, &info)
            return Int(info)
        }

        static func potrf(n: Int, a: UnsafeMutablePointer<Float>, lda: Int) -> Int {
            var uplo = LAPACK.lower, n = LAPACK.Integer(n), lda = LAPACK.Integer(lda), info = LAPACK.Integer(0)
            spotrf_(&uplo, &n, a, &lda, &info)
            return Int(info)
        }

        static func potrs(
            n: Int, rightHandSides: Int, factor: UnsafeMutablePointer<Float>, lda: Int, b: UnsafeMutablePointer<Float>,
            ldb: Int
        ) -> Int {
            var uplo = LAPACK.lower, n = LAPACK.Integer(n), nrhs = LAPACK.Integer(rightHandSides)
            var lda = LAPACK.Integer(lda), ldb = LAPACK.Integer(ldb), info = LAPACK.Integer(0)
            spotrs_(&uplo, &n, &nrhs, factor, &lda, b, &ldb, &info)
            return Int(info)
        }

        static func syevd(
            n: Int, a: UnsafeMutablePointer<Float>, lda: Int, eigenvalues: UnsafeMutablePointer<Float>,
            work: UnsafeMutablePointer<Float>, workCount: Int, integerWork: UnsafeMutablePointer<LAPACK.Integer>,
            integerWorkCount: Int
        ) -> Int {
            var jobz = LAPACK.eigenvectors, uplo = LAPACK.lower, n = LAPACK.Integer(n), lda = LAPACK.Integer(lda)
            var lwork = LAPACK.Integer(workCount), liwork = LAPACK.Integer(integerWorkCount)
            var info = LAPACK.Integer(0)
            ssyevd_(&jobz, &uplo, &n, a, &lda, eigenvalues, work, &lwork, integerWork, &liwork, &info)
            return Int(info)
        }

        static func gelsd(
            m: Int, n: Int, rightHandSides: Int, a: UnsafeMutablePointer<Float>, lda: Int,
            b: UnsafeMutablePointer<Float>, ldb: Int, singularValues: UnsafeMutablePointer<Float>, rcond: Float,
            rank: UnsafeMutablePointer<LAPACK.Integer>, work: UnsafeMutablePointer<Float>, workCount: Int,
            integerWork: UnsafeMutablePointer<LAPACK.Integer>
        ) -> Int {
            var m = LAPACK.Integer(m), n = LAPACK.Integer(n), nrhs = LAPACK.Integer(rightHandSides)
            var lda = LAPACK.Integer(lda), ldb = LAPACK.Integer(ldb), rcond = rcond
            var lwork = LAPACK.Integer(workCount), info = LAPACK.Integer(0)
            sgelsd_(&m, &n, &nrhs, a, &lda, b, &ldb, singularValues, &rcond, rank, work, &lwork, integerWork, &info)
            return Int(info)
        }
    }

    extension Double: LAPACKScalar {
        static func gesv(
            n: Int, rightHandSides: Int, a: UnsafeMutablePointer<Double>, lda: Int,
            pivots: UnsafeMutablePointer<LAPACK.Integer>, b: UnsafeMutablePointer<Double>, ldb: Int
        ) -> Int {
            var n = LAPACK.Integer(n), nrhs = LAPACK.Integer(rightHandSides), lda = LAPACK.Integer(lda)
            var ldb = LAPACK.Integer(ldb), info = LAPACK.Integer(0)
            dgesv_(&n, &nrhs, a, &lda, pivots, b, &ldb, &info)
            return Int(info)
        }

        static func getrf(
            m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int, pivots: UnsafeMutablePointer<LAPACK.Integer>
        ) -> Int {
            var m = LAPACK.Integer(m), n = LAPACK.Integer(n), lda = LAPACK.Integer(lda), info = LAPACK.Integer(0)
            dgetrf_(&m, &n, a, &lda, pivots, &info)
            return Int(info)
        }

        static func getri(
            n: Int, a: UnsafeMutablePointer<Double>, lda: Int, pivots: UnsafeMutablePointer<LAPACK.Integer>,
            work: UnsafeMutablePointer<Double>, workCount: Int
        ) -> Int {
            var n = LAPACK.Integer(n), lda = LAPACK.Integer(lda), lwork = LAPACK.Integer(workCount)
            var info = LAPACK.Integer(0)
            dgetri_(&n, a, &lda, pivots, work, &lwork, &info)
            return Int(info)
        }

        static func potrf(n: Int, a: UnsafeMutablePointer<Double>, lda: Int) -> Int {
            var uplo = LAPACK.lower, n = LAPACK.Integer(n), lda = LAPACK.Integer(lda), info = LAPACK.Integer(0)
            dpotrf_(&uplo, &n, a, &lda, &info)
            return Int(info)
        }

        static func potrs(
            n: Int, rightHandSides: Int, factor: UnsafeMutablePointer<Double>, lda: Int,
            b: UnsafeMutablePointer<Double>, ldb: Int
        ) -> Int {
            var uplo = LAPACK.lower, n = LAPACK.Integer(n), nrhs = LAPACK.Integer(rightHandSides)
            var lda = LAPACK.Integer(lda), ldb = LAPACK.Integer(ldb), info = LAPACK.Integer(0)
            dpotrs_(&uplo, &n, &nrhs, factor, &lda, b, &ldb, &info)
            return Int(info)
        }

        static func syevd(
            n: Int, a: UnsafeMutablePointer<Double>, lda: Int, eigenvalues: UnsafeMutablePointer<Double>,
            work: UnsafeMutablePointer<Double>, workCount: Int, integerWork: UnsafeMutablePointer<LAPACK.Integer>,
            integerWorkCount: Int
        ) -> Int {
            var jobz = LAPACK.eigenvectors, uplo = LAPACK.lower, n = LAPACK.Integer(n), lda = LAPACK.Integer(lda)
            var lwork = LAPACK.Integer(workCount), liwork = LAPACK.Integer(integerWorkCount)
            var info = LAPACK.Integer(0)
            dsyevd_(&jobz, &uplo, &n, a, &lda, eigenvalues, work, &lwork, integerWork, &liwork, &info)
            return Int(info)
        }

        static func gelsd(
            m: Int, n: Int, rightHandSides: Int, a: UnsafeMutablePointer<Double>, lda: Int,
            b: UnsafeMutablePointer<Double>, ldb: Int, singularValues: UnsafeMutablePointer<Double>, rcond: Double,
            rank: UnsafeMutablePointer<LAPACK.Integer>, work: UnsafeMutablePointer<Double>, workCount: Int,
            integerWork: UnsafeMutablePointer<LAPACK.Integer>
        ) -> Int {
            var m = LAPACK.Integer(m), n = LAPACK.Integer(n), nrhs = LAPACK.Integer(rightHandSides)
            var lda = LAPACK.Integer(lda), ldb = LAPACK.Integer(ldb), rcond = rcond
            var lwork = LAPACK.Integer(workCount), info = LAPACK.Integer(0)
            dgelsd_(&m, &n, &nrhs, a, &lda, b, &ldb, singularValues, &rcond, rank, work, &lwork, integerWork, &info)
            return Int(info)
        }
    }

#else

    // LAPACKE: scalars by value, the layout first, the info code as the return value.

    /// LAPACK_COL_MAJOR, as the `int` LAPACKE's functions take.
    private let columnMajor = Int32(LAPACK_COL_MAJOR)

    extension Float: LAPACKScalar {
        static func gesv(
            n: Int, rightHandSides: Int, a: UnsafeMutablePointer<Float>, lda: Int,
            pivots: UnsafeMutablePointer<LAPACK.Integer>, b: UnsafeMutablePointer<Float>, ldb: Int
        ) -> Int {
            Int(
                LAPACKE_sgesv_work(
                    columnMajor, .init(n), .init(rightHandSides), a, .init(lda), pivots, b, .init(ldb)))
        }

        static func getrf(
            m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int, pivots: UnsafeMutablePointer<LAPACK.Integer>
        ) -> Int {
            Int(LAPACKE_sgetrf_work(columnMajor, .init(m), .init(n), a, .init(lda), pivots))
        }

        static func getri(
            n: Int, a: UnsafeMutablePointer<Float>, lda: Int, pivots: UnsafeMutablePointer<LAPACK.Integer>,
            work: UnsafeMutablePointer<Float>, workCount: Int
        ) -> Int {
            Int(LAPACKE_sgetri_work(columnMajor, .init(n), a, .init(lda), pivots, work, .init(workCount)))
        }

        static func potrf(n: Int, a: UnsafeMutablePointer<Float>, lda: Int) -> Int {
            Int(LAPACKE_spotrf_work(columnMajor, LAPACK.lower, .init(n), a, .init(lda)))
        }

        static func potrs(
            n: Int, rightHandSides: Int, factor: UnsafeMutablePointer<Float>, lda: Int, b: UnsafeMutablePointer<Float>,
            ldb: Int
        ) -> Int {
            Int(
                LAPACKE_spotrs_work(
                    columnMajor, LAPACK.lower, .init(n), .init(rightHandSides), factor, .init(lda), b, .init(ldb)))
        }

        static func syevd(
            n: Int, a: UnsafeMutablePointer<Float>, lda: Int, eigenvalues: UnsafeMutablePointer<Float>,
            work: UnsafeMutablePointer<Float>, workCount: Int, integerWork: UnsafeMutablePointer<LAPACK.Integer>,
            integerWorkCount: Int
        ) -> Int {
            Int(
                LAPACKE_ssyevd_work(
                    columnMajor, LAPACK.eigenvectors, LAPACK.lower, .init(n), a, .init(lda), eigenvalues, work,
                    .init(workCount), integerWork, .init(integerWorkCount)))
        }

        static func gelsd(
            m: Int, n: Int, rightHandSides: Int, a: UnsafeMutablePointer<Float>, lda: Int,
            b: UnsafeMutablePointer<Float>, ldb: Int, singularValues: UnsafeMutablePointer<Float>, rcond: Float,
            rank: UnsafeMutablePointer<LAPACK.Integer>, work: UnsafeMutablePointer<Float>, workCount: Int,
            integerWork: UnsafeMutablePointer<LAPACK.Integer>
        ) -> Int {
            Int(
                LAPACKE_sgelsd_work(
                    columnMajor, .init(m), .init(n), .init(rightHandSides), a, .init(lda), b, .init(ldb),
                    singularValues, rcond, rank, work, .init(workCount), integerWork))
        }
    }

    extension Double: LAPACKScalar {
        static func gesv(
            n: Int, rightHandSides: Int, a: UnsafeMutablePointer<Double>, lda: Int,
            pivots: UnsafeMutablePointer<LAPACK.Integer>, b: UnsafeMutablePointer<Double>, ldb: Int
        ) -> Int {
            Int(
                LAPACKE_dgesv_work(
                    columnMajor, .init(n), .init(rightHandSides), a, .init(lda), pivots, b, .init(ldb)))
        }

        static func getrf(
            m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int, pivots: UnsafeMutablePointer<LAPACK.Integer>
        ) -> Int {
            Int(LAPACKE_dgetrf_work(columnMajor, .init(m), .init(n), a, .init(lda), pivots))
        }

        static func getri(
            n: Int, a: UnsafeMutablePointer<Double>, lda: Int, pivots: UnsafeMutablePointer<LAPACK.Integer>,
            work: UnsafeMutablePointer<Double>, workCount: Int
        ) -> Int {
            Int(LAPACKE_dgetri_work(columnMajor, .init(n), a, .init(lda), pivots, work, .init(workCount)))
        }

        static func potrf(n: Int, a: UnsafeMutablePointer<Double>, lda: Int) -> Int {
            Int(LAPACKE_dpotrf_work(columnMajor, LAPACK.lower, .init(n), a, .init(lda)))
        }

        static func potrs(
            n: Int, rightHandSides: Int, factor: UnsafeMutablePointer<Double>, lda: Int,
            b: UnsafeMutablePointer<Double>, ldb: Int
        ) -> Int {
            Int(
                LAPACKE_dpotrs_work(
                    columnMajor, LAPACK.lower, .init(n), .init(rightHandSides), factor, .init(lda), b, .init(ldb)))
        }

        static func syevd(
            n: Int, a: UnsafeMutablePointer<Double>, lda: Int, eigenvalues: UnsafeMutablePointer<Double>,
            work: UnsafeMutablePointer<Double>, workCount: Int, integerWork: UnsafeMutablePointer<LAPACK.Integer>,
            integerWorkCount: Int
        ) -> Int {
            Int(
                LAPACKE_dsyevd_work(
                    columnMajor, LAPACK.eigenvectors, LAPACK.lower, .init(n), a, .init(lda), eigenvalues, work,
                    .init(workCount), integerWork, .init(integerWorkCount)))
        }

        static func gelsd(
            m: Int, n: Int, rightHandSides: Int, a: UnsafeMutablePointer<Double>, lda: Int,
            b: UnsafeMutablePointer<Double>, ldb: Int, singularValues: UnsafeMutablePointer<Double>, rcond: Double,
            rank: UnsafeMutablePointer<LAPACK.Integer>, work: UnsafeMutablePointer<Double>, workCount: Int,
            integerWork: UnsafeMutablePointer<LAPACK.Integer>
        ) -> Int {
            Int(
                LAPACKE_dgelsd_work(
                    columnMajor, .init(m), .init(n), .init(rightHandSides), a, .init(lda), b, .init(ldb),
                    singularValues, rcond, rank, work, .init(workCount), integerWork))
        }
    }

#endif
