public import ForgeAutograd
public import ForgeTensor

/// A lookup table of learned vectors, PyTorch's `nn.Embedding`: integer indices of any shape `[…]`
/// become rows of `weight`, `[…, dimension]`.
///
/// The weight `[count, dimension]` is drawn from a standard normal, as in PyTorch. With a
/// `paddingIndex`, that row starts at zero and never receives a gradient, so it stays a fixed "no
/// token" vector.
///
/// ```swift
/// let embedding = Embedding(count: 1000, dimension: 64, paddingIndex: 0, seed: 0)
/// let tokens = Tensor([5, 17, 0, 0] as [Int64], shape: [1, 4])
/// let vectors = embedding(tokens)   // [1, 4, 64]
/// ```
public final class Embedding: Module, Layer {
    /// `[count, dimension]`.
    public let weight: Variable
    /// The row that gets no gradient, if any.
    public let paddingIndex: Int?

    /// The number of rows (the vocabulary size).
    public var count: Int { weight.shape[0] }
    /// The length of each vector.
    public var dimension: Int { weight.shape[1] }

    /// Creates a table drawn from `N(0, 1)` with `generator`; the padding row, if any, is zero.
    ///
    /// - Parameters:
    ///   - count: the number of rows.
    ///   - dimension: the length of each vector.
    ///   - paddingIndex: a row in `-count..<count` (negative counts from the end) that is zero and frozen.
    ///   - generator: the random stream.
    public init(count: Int, dimension: Int, paddingIndex: Int? = nil, generator: inout RandomGenerator) {
        precondition(
            count > 0 && dimension > 0, "Embedding: count \(count) and dimension \(dimension) must be positive")
        var table = Tensor.normal(shape: [count, dimension], generator: &generator)
        if let paddingIndex {
            precondition(
                (-count..<count).contains(paddingIndex),
                "Embedding: paddingIndex \(paddingIndex) is outside -\(count)..<\(count)")
            let row = paddingIndex < 0 ? paddingIndex + count : paddingIndex
            table.withUnsafeMutableBufferPointer(as: Float.self) { values in
                for column in 0..<dimension { values[row * dimension + column] = 0 }
            }
            self.paddingIndex = row
        } else {
            self.paddingIndex = nil
        }
        weight = Variable(table, requiresGradient: true)
        super.init()
    }

    /// Creates a table drawn from `N(0, 1)`, seeded with `seed`.
    public convenience init(count: Int, dimension: Int, paddingIndex: Int? = nil, seed: UInt64 = 0) {
        var generator = RandomGenerator(seed: seed)
        self.init(count: count, dimension: dimension, paddingIndex: paddingIndex, generator: &generator)
    }

    /// `weight`.
    public override func namedMembers() -> [(name: String, member: ModuleMember)] { [("weight", .parameter(weight))] }

    /// The rows of `indices` (int64 or int32, each in `0..<count`), shaped `indices.shape + [dimension]`.
    public func forward(_ indices: Tensor) -> Variable {
        Variable.embedding(weight, indices: indices, paddingIndex: paddingIndex)
    }
}

extension Variable {
    /// The rows of the table `weight` `[count, dimension]` chosen by `indices`, shaped
    /// `indices.shape + [dimension]` — PyTorch's `torch.nn.functional.embedding`.
    ///
    /// The gradient adds each output row's gradient into its source row (repeated indices accumulate),
    /// except into `paddingIndex`, which gets none.
    ///
    /// - Parameters:
    ///   - weight: the table, float32 or float64.
    ///   - indices: int64 or int32 indices in `0..<count`, any shape.
    ///   - paddingIndex: a row that receives no gradient, or nil.
    public static func embedding(
        _ weight: Variable, indices: Tensor, paddingIndex: Int? = nil, fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        precondition(weight.rank == 2, "embedding: weight \(weight.shape) must be [count, dimension]")
        precondition(
            indices.dtype == .int64 || indices.dtype == .int32,
            "embedding: indices must be int64 or int32, got \(indices.dtype)")
        let rows = indices.converted(to: .int64).contiguous().scalars(as: Int64.self)
        let (count, dimension) = (weight.shape[0], weight.shape[1])
        for row in rows {
            precondition((0..<Int64(count)).contains(row), "embedding: index \(row) is outside 0..<\(count)")
        }
        let table = weight.value
        let dtype = table.dtype
        let output =
            dtype == .float32
            ? Embedding.gather(table, rows: rows, as: Float.self, dimension: dimension)
            : Embedding.gather(table, rows: rows, as: Double.self, dimension: dimension)
        let result = record(
            "embedding", value: output, inputs: [weight], location: SourceLocation(fileID: fileID, line: line)
        ) { g in
            [
                dtype == .float32
                    ? Embedding.scatter(
                        g, rows: rows, as: Float.self, count: count, dimension: dimension, skipping: paddingIndex)
                    : Embedding.scatter(
                        g, rows: rows, as: Double.self, count: count, dimension: dimension, skipping: paddingIndex)
            ]
        }
        return result.reshaped(indices.shape + [dimension])
    }
}

extension Embedding {
    /// `[rows.count, dimension]` copies of the chosen rows.
    static func gather<T: TensorFloatingPoint>(
        _ table: Tensor, rows: [Int64], as _: T.Type, dimension: Int
    ) -> Tensor {
        var output = Tensor.zeros(shape: [rows.count, dimension], dtype: T.dtype)
        table.withUnsafeBufferPointer(as: T.self) { source in
            output.withUnsafeMutableBufferPointer(as: T.self) { destination in
                for (position, row) in rows.enumerated() {
                    (destination.baseAddress! + position * dimension).update(
                        from: source.baseAddress! + Int(row) * dimension, count: dimension)
                }
            }
        }
        return output
    }

    /// The table-shaped gradient: each output row's gradient added to its source row, except the padding row.
    static func scatter<T: TensorFloatingPoint>(
        _ gradient: Tensor, rows: [Int64], as _: T.Type, count: Int, dimension: Int, skipping paddingIndex: Int?
    ) -> Tensor {
        var result = Tensor.zeros(shape: [count, dimension], dtype: T.dtype)
        gradient.withUnsafeBufferPointer(as: T.self) { g in
            result.withUnsafeMutableBufferPointer(as: T.self) { table in
                for (position, row) in rows.enumerated() where Int(row) != paddingIndex {
                    let (source, destination) = (
                        g.baseAddress! + position * dimension, table.baseAddress! + Int(row) * dimension
                    )
                    for column in 0..<dimension { destination[column] += source[column] }
                }
            }
        }
        return result
    }
}
