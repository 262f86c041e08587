import ForgeTensor

/// The layout of class scores `[N, C, d1, d2, …]` as `batch × classes × inner` with positions
/// `(n, d1, d2, …)` numbered row-major, shared by the classification losses.
struct ClassLayout {
    /// `N`.
    let batch: Int
    /// `C`.
    let classes: Int
    /// `d1 · d2 · …` (1 for `[N, C]`).
    let inner: Int
    /// `[N, d1, d2, …]`: the shape of per-position losses.
    let positionShape: [Int]

    /// The number of positions `N · d1 · d2 · …`.
    var positions: Int { batch * inner }

    /// Reads `shape` as `[N, C, d…]`, or `[C]` for a single unbatched sample.
    init(operation: String, shape: [Int]) {
        precondition(!shape.isEmpty, "\(operation): input must have shape [N, C] or [N, C, d...], got a scalar")
        if shape.count == 1 {
            batch = 1
            classes = shape[0]
            inner = 1
            positionShape = []
        } else {
            batch = shape[0]
            classes = shape[1]
            inner = shape.dropFirst(2).reduce(1, *)
            positionShape = [shape[0]] + Array(shape.dropFirst(2))
        }
        precondition(classes > 0, "\(operation): input \(shape) has no classes")
    }

    /// Class indices as `Int64`, validated: each is in `0..<classes` or equals `ignoreIndex`.
    func classIndices(_ operation: String, targets: Tensor, inputShape: [Int], ignoreIndex: Int) -> [Int64] {
        precondition(
            !targets.dtype.isFloatingPoint && targets.dtype != .bool,
            "\(operation): class-index targets must be integers, got \(targets.dtype) targets \(targets.shape) for input \(inputShape)"
        )
        precondition(
            targets.shape == positionShape,
            "\(operation): input \(inputShape) expects targets of shape \(positionShape), got \(targets.shape)")
        let indices = targets.converted(to: .int64).scalars(as: Int64.self)
        let ignored = Int64(ignoreIndex)
        for (position, index) in indices.enumerated() where index != ignored && !(0..<Int64(classes)).contains(index) {
            preconditionFailure(
                "\(operation): target \(index) at position \(position) is out of range for \(classes) classes (input \(inputShape), targets \(targets.shape))"
            )
        }
        return indices
    }

    /// Per-class weights as `[Double]` (all ones when nil), validated against the class count.
    func classWeights(_ operation: String, weight: Tensor?, inputShape: [Int]) -> [Double] {
        guard let weight else { return [Double](repeating: 1, count: classes) }
        precondition(
            weight.shape == [classes],
            "\(operation): class weights \(weight.shape) do not match \(classes) classes of input \(inputShape)")
        return weight.converted(to: .float64).scalars(as: Double.self)
    }
}

/// How per-position gradients are scaled during backward: by the upstream gradient and the reduction.
enum UpstreamScale {
    /// One upstream value for every position (already divided by the reduction's denominator).
    case uniform(Double)
    /// One upstream value per position (reduction `.none`).
    case perPosition(Tensor)

    /// The scale for `reduction` given the upstream gradient `g` and the mean's denominator.
    init(_ reduction: LossReduction, gradient g: Tensor, denominator: Double, batch: Int) {
        switch reduction {
        case .none: self = .perPosition(g.converted(to: .float64).contiguous())
        case .sum: self = .uniform(g.converted(to: .float64).item(as: Double.self))
        case .mean: self = .uniform(g.converted(to: .float64).item(as: Double.self) / denominator)
        case .batchMean: self = .uniform(g.converted(to: .float64).item(as: Double.self) / Double(batch))
        }
    }

    /// Runs `body` with a function from position to scale.
    func withScales<R>(_ body: ((Int) -> Double) -> R) -> R {
        switch self {
        case .uniform(let value): return body { _ in value }
        case .perPosition(let tensor):
            return tensor.withUnsafeBufferPointer(as: Double.self) { scales in body { scales[$0] } }
        }
    }
}

/// The reduced value of per-position losses as a tensor of `dtype`.
func reducedLoss(
    _ losses: [Double], reduction: LossReduction, denominator: Double, batch: Int, positionShape: [Int], dtype: DType
) -> Tensor {
    switch reduction {
    case .none: return Tensor(losses, shape: positionShape).converted(to: dtype)
    case .sum: return Tensor(losses.reduce(0, +)).converted(to: dtype)
    case .mean: return Tensor(losses.reduce(0, +) / denominator).converted(to: dtype)
    case .batchMean: return Tensor(losses.reduce(0, +) / Double(batch)).converted(to: dtype)
    }
}
