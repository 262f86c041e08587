import Testing

@testable import ForgeTensor

/// Every kernel must give the same result on a strided view as on a contiguous copy of it.
@Suite("Non-contiguous inputs")
struct NonContiguousInputTests {
    /// Views with different layouts: permuted, stepped slice, broadcast (stride 0), offset narrow.
    static func views() -> [(String, Tensor)] {
        var random = TestRandom(seed: 21)
        let base = Tensor(random.floats(4 * 6 * 10).map { $0 * 3 }, shape: [4, 6, 10])
        return [
            ("permuted", base.permuted(2, 0, 1)[0..<3, .all, 0..<6]),
            ("stepped", base[.all, TensorIndex.range(0, nil, step: 2), 1..<7].reshaped(4, 3, 6).permuted(1, 0, 2)),
            ("broadcast", base[0, 0, 0..<6].expanded(to: [3, 4, 6])),
            ("narrowed", base.narrowed(axis: 2, start: 3, length: 6)[1..<4, 2..<6]),
        ]
    }

    static let unaryOperations: [(String, @Sendable (Tensor) -> Tensor)] = [
        ("abs", { $0.abs() }), ("exp", { $0.exp() }), ("log", { $0.abs().log() }), ("log1p", { $0.abs().log1p() }),
        ("sqrt", { $0.abs().sqrt() }), ("rsqrt", { ($0.abs() + 1).rsqrt() }), ("tanh", { $0.tanh() }),
        ("sigmoid", { $0.sigmoid() }), ("relu", { $0.relu() }), ("gelu", { $0.gelu() }), ("sin", { $0.sin() }),
        ("cos", { $0.cos() }), ("clamp", { $0.clamped(min: -1, max: 0.5) }), ("negate", { -$0 }),
        ("pow", { $0.abs().pow(1.5) }), ("sign", { $0.sign() }), ("convert", { $0.converted(to: .float64) }),
        ("sum", { $0.sum() }), ("sum01", { $0.sum(axes: [0, 1]) }), ("sum2", { $0.sum(axis: 2, keepingDimensions: true) }),
        ("mean1", { $0.mean(axis: 1) }), ("variance", { $0.variance(axes: [0, 2]) }), ("max2", { $0.max(axis: 2) }),
        ("min0", { $0.min(axis: 0) }), ("argmax1", { $0.argmax(axis: 1) }), ("argmin2", { $0.argmin(axis: 2) }),
        ("product", { ($0 * 0.1 + 1).product(axis: 1) }), ("softmax", { $0.softmax(axis: -1) }),
        ("softmax0", { $0.softmax(axis: 0) }), ("logSoftmax", { $0.logSoftmax(axis: 2) }),
        ("logSumExp", { $0.logSumExp(axes: [1]) }), ("matmul", { $0.matmul($0.transposed()) }),
        ("gather", { $0.gather(axis: 2, index: Tensor.zeros(shape: [$0.shape[0], $0.shape[1], 2], dtype: .int64) + 1) }),
        ("indexSelect", { $0.indexSelect(axis: 1, indices: Tensor([2, 0] as [Int64])) }),
        ("where", { Tensor.where($0 .> 0, $0, $0 * 2) }), ("concatenate", { Tensor.concatenated([$0, $0], axis: 1) }),
        ("reshape", { $0.reshaped(-1) }), ("scatterAdd", {
            $0.scatterAdd(axis: 0, index: Tensor.zeros(shape: [1, $0.shape[1], $0.shape[2]], dtype: .int64), source: $0)
        }),
    ]

    @Test(arguments: NonContiguousInputTests.views().map(\.0))
    func unaryOperationsMatchContiguousCopies(layout: String) {
        let view = Self.views().first { $0.0 == layout }!.1
        let copy = view.contiguous()
        #expect(copy.isContiguous)
        #expect(view.scalars(as: Float.self) == copy.scalars(as: Float.self))
        for (name, operation) in Self.unaryOperations {
            let fromView = operation(view)
            let fromCopy = operation(copy)
            #expect(
                fromView.isApproximatelyEqual(to: fromCopy, absoluteTolerance: 1e-5, relativeTolerance: 1e-5),
                "\(name) on a \(layout) view: max difference \(fromView.maximumAbsoluteDifference(from: fromCopy))")
        }
    }

    @Test(arguments: NonContiguousInputTests.views().map(\.0))
    func binaryOperationsMatchContiguousCopies(layout: String) {
        let views = Self.views()
        let view = views.first { $0.0 == layout }!.1
        for (otherName, other) in views where other.shape == view.shape {
            for (name, operation) in [
                ("+", { (a: Tensor, b: Tensor) in a + b }), ("-", { $0 - $1 }), ("*", { $0 * $1 }),
                ("/", { $0 / ($1.abs() + 1) }), ("maximum", { Tensor.maximum($0, $1) }), (".<", { $0 .< $1 }),
                ("multiplyAdd", { Tensor.multiplyAdd($0, $1, $0) }),
            ] as [(String, (Tensor, Tensor) -> Tensor)] {
                let fromViews = operation(view, other)
                let fromCopies = operation(view.contiguous(), other.contiguous())
                #expect(fromViews == fromCopies, "\(name) on \(layout) and \(otherName) views")
            }
            var inPlace = view
            inPlace += other
            #expect(inPlace == view.contiguous() + other.contiguous())
        }
    }
}
