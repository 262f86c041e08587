import Testing

@testable import ForgeTensor

@Suite("Matrix multiplication")
struct MatMulTests {
    @Test func handComputedProduct() {
        let a = Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
        let b = Tensor([7, 8, 9, 10, 11, 12] as [Float], shape: [3, 2])
        #expect(a.matmul(b).scalars(as: Float.self) == [58, 64, 139, 154])
        #expect(a.matmul(b).shape == [2, 2])
    }

    @Test(arguments: [DType.float32, .float64])
    func againstNaiveOracleWithTransposedViews(dtype: DType) {
        var random = TestRandom(seed: 5)
        let (m, k, n) = (7, 5, 9)
        let aValues = random.doubles(m * k)
        let bValues = random.doubles(k * n)
        let expected = naiveMatmul(aValues, bValues, m: m, k: k, n: n)
        let a = Tensor(aValues, shape: [m, k]).converted(to: dtype)
        let b = Tensor(bValues, shape: [k, n]).converted(to: dtype)
        let tolerance = dtype == .float32 ? 1e-5 : 1e-12
        // Stored transposed and viewed back: BLAS must read them through transpose flags.
        let aT = Tensor(aValues, shape: [m, k]).converted(to: dtype).transposed().contiguous().transposed()
        let bT = Tensor(bValues, shape: [k, n]).converted(to: dtype).transposed().contiguous().transposed()
        #expect(!aT.isContiguous && !bT.isContiguous)
        let oracle = Tensor(expected, shape: [m, n])
        for (left, right) in [(a, b), (aT, b), (a, bT), (aT, bT)] {
            let product = left.matmul(right)
            #expect(product.dtype == dtype)
            #expect(product.isApproximatelyEqual(to: oracle, absoluteTolerance: tolerance, relativeTolerance: 0))
        }
        // A strided slice (every other column) has no BLAS layout and is copied first.
        let wide = Tensor(random.doubles(m * 2 * k), shape: [m, 2 * k]).converted(to: dtype)
        let stepped = wide[.all, TensorIndex.range(0, nil, step: 2)]
        let steppedValues = stepped.doubleScalars
        let steppedOracle = Tensor(naiveMatmul(steppedValues, bValues, m: m, k: k, n: n), shape: [m, n])
        #expect(stepped.matmul(b).isApproximatelyEqual(to: steppedOracle, absoluteTolerance: tolerance, relativeTolerance: 0))
    }

    @Test func vectorCases() {
        let v = Tensor([1, 2, 3] as [Float])
        let m = Tensor([1, 0, 0, 1, 1, 1] as [Float], shape: [3, 2])
        #expect(v.dot(v).item(as: Float.self) == 14)
        #expect(v.matmul(v).shape == [])
        #expect(v.matmul(m).scalars(as: Float.self) == [4, 5])
        #expect(m.transposed().matmul(v).scalars(as: Float.self) == [4, 5])
        #expect(m.transposed().matmul(v).shape == [2])
    }

    @Test func batchedAndBroadcastBatches() {
        var random = TestRandom(seed: 9)
        let a = Tensor(random.doubles(2 * 3 * 4 * 5), shape: [2, 3, 4, 5])
        let b = Tensor(random.doubles(3 * 5 * 2), shape: [3, 5, 2])
        let product = a.matmul(b)
        #expect(product.shape == [2, 3, 4, 2])
        let aValues = a.doubleScalars
        let bValues = b.doubleScalars
        for i in 0..<2 {
            for j in 0..<3 {
                let block = naiveMatmul(
                    Array(aValues[(i * 3 + j) * 20..<(i * 3 + j + 1) * 20]), Array(bValues[j * 10..<(j + 1) * 10]),
                    m: 4, k: 5, n: 2)
                let got = product[i, j]
                #expect(got.isApproximatelyEqual(to: Tensor(block, shape: [4, 2]), absoluteTolerance: 1e-12))
            }
        }
        // A broadcast (stride-0) batch operand.
        let shared = Tensor(random.doubles(5 * 2), shape: [5, 2])
        let viaBroadcast = a.matmul(shared.expanded(to: [3, 5, 2]))
        #expect(viaBroadcast.isApproximatelyEqual(to: a.matmul(shared), absoluteTolerance: 1e-12))
    }

    @Test func integerAndEmptyProducts() {
        let a = Tensor([1, 2, 3, 4] as [Int64], shape: [2, 2])
        #expect(a.matmul(a).scalars(as: Int64.self) == [7, 10, 15, 22])
        #expect(a.transposed().matmul(a).scalars(as: Int64.self) == [10, 14, 14, 20])
        let empty = Tensor.zeros(shape: [3, 0]).matmul(Tensor.zeros(shape: [0, 4]))
        #expect(empty.shape == [3, 4])
        #expect(empty.scalars(as: Float.self) == [Float](repeating: 0, count: 12))
        #expect(Tensor.zeros(shape: [0, 2]).matmul(Tensor.ones(shape: [2, 3])).shape == [0, 3])
    }
}
