public import ForgeTensor

extension Variable {
    /// The sum over `axes` (all when nil).
    public func sum(
        axes: [Int]? = nil, keepingDimensions: Bool = false, fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        let shape = value.shape
        let resolved = Shape.normalizeAxes(axes, rank: rank, operation: "sum")
        return Variable.record(
            "sum", value: value.sum(axes: axes, keepingDimensions: keepingDimensions), inputs: [self],
            location: SourceLocation(fileID: fileID, line: line)
        ) { g in
            [g.expandedFromReduction(axes: resolved, keptDimensions: keepingDimensions, to: shape)]
        }
    }

    /// The sum over one axis.
    public func sum(axis: Int, keepingDimensions: Bool = false, fileID: String = #fileID, line: Int = #line) -> Variable {
        sum(axes: [axis], keepingDimensions: keepingDimensions, fileID: fileID, line: line)
    }

    /// The mean over `axes` (all when nil).
    public func mean(
        axes: [Int]? = nil, keepingDimensions: Bool = false, fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        let shape = value.shape
        let resolved = Shape.normalizeAxes(axes, rank: rank, operation: "mean")
        let reducedCount = Double(resolved.reduce(1) { $0 * shape[$1] })
        return Variable.record(
            "mean", value: value.mean(axes: axes, keepingDimensions: keepingDimensions), inputs: [self],
            location: SourceLocation(fileID: fileID, line: line)
        ) { g in
            [(g / reducedCount).expandedFromReduction(axes: resolved, keptDimensions: keepingDimensions, to: shape)]
        }
    }

    /// The mean over one axis.
    public func mean(axis: Int, keepingDimensions: Bool = false, fileID: String = #fileID, line: Int = #line) -> Variable {
        mean(axes: [axis], keepingDimensions: keepingDimensions, fileID: fileID, line: line)
    }

    /// The variance over `axes`, dividing by `n - correction`.
    public func variance(
        axes: [Int]? = nil, correction: Int = 1, keepingDimensions: Bool = false, fileID: String = #fileID,
        line: Int = #line
    ) -> Variable {
        let x = value
        let resolved = Shape.normalizeAxes(axes, rank: rank, operation: "variance")
        let reducedCount = resolved.reduce(1) { $0 * x.shape[$1] }
        let centered = x - x.mean(axes: resolved, keepingDimensions: true)
        let result = (centered * centered).sum(axes: resolved, keepingDimensions: keepingDimensions)
            / Double(Swift.max(reducedCount - correction, 0))
        return Variable.record(
            "variance", value: result, inputs: [self], location: SourceLocation(fileID: fileID, line: line)
        ) { g in
            let scale = 2 / Double(Swift.max(reducedCount - correction, 0))
            return [g.expandedFromReduction(axes: resolved, keptDimensions: keepingDimensions, to: x.shape) * centered * scale]
        }
    }

    /// The maximum over `axes`; the gradient is shared equally among tied maxima.
    public func max(
        axes: [Int]? = nil, keepingDimensions: Bool = false, fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        extreme("max", axes: axes, keepingDimensions: keepingDimensions, location: SourceLocation(fileID: fileID, line: line)) {
            $0.max(axes: $1, keepingDimensions: true)
        }
    }

    /// The minimum over `axes`; the gradient is shared equally among tied minima.
    public func min(
        axes: [Int]? = nil, keepingDimensions: Bool = false, fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        extreme("min", axes: axes, keepingDimensions: keepingDimensions, location: SourceLocation(fileID: fileID, line: line)) {
            $0.min(axes: $1, keepingDimensions: true)
        }
    }

    private func extreme(
        _ operation: String, axes: [Int]?, keepingDimensions: Bool, location: SourceLocation,
        _ reduce: (Tensor, [Int]) -> Tensor
    ) -> Variable {
        let x = value
        let resolved = Shape.normalizeAxes(axes, rank: rank, operation: operation)
        let kept = reduce(x, resolved)
        let result = keepingDimensions ? kept : kept.reshaped(x.reducedShapeDroppingAxes(resolved))
        return Variable.record(operation, value: result, inputs: [self], location: location) { g in
            let hits = (x .== kept).converted(to: x.dtype)
            let ties = hits.sum(axes: resolved, keepingDimensions: true)
            return [g.expandedFromReduction(axes: resolved, keptDimensions: keepingDimensions, to: x.shape) * hits / ties]
        }
    }

    /// `log(sum(exp(x)))` over `axes`, stable for large values.
    public func logSumExp(
        axes: [Int]? = nil, keepingDimensions: Bool = false, fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        let x = value
        let resolved = Shape.normalizeAxes(axes, rank: rank, operation: "logSumExp")
        let kept = x.logSumExp(axes: resolved, keepingDimensions: true)
        let result = keepingDimensions ? kept : kept.reshaped(x.reducedShapeDroppingAxes(resolved))
        return Variable.record(
            "logSumExp", value: result, inputs: [self], location: SourceLocation(fileID: fileID, line: line)
        ) { g in
            [g.expandedFromReduction(axes: resolved, keptDimensions: keepingDimensions, to: x.shape) * (x - kept).exp()]
        }
    }

    /// The softmax along `axis`.
    public func softmax(axis: Int = -1, fileID: String = #fileID, line: Int = #line) -> Variable {
        let y = value.softmax(axis: axis)
        return Variable.record(
            "softmax", value: y, inputs: [self], location: SourceLocation(fileID: fileID, line: line)
        ) { g in
            // J^T g = y ⊙ (g − Σ g ⊙ y)
            [y * (g - (g * y).sum(axis: axis, keepingDimensions: true))]
        }
    }

    /// The log-softmax along `axis`.
    public func logSoftmax(axis: Int = -1, fileID: String = #fileID, line: Int = #line) -> Variable {
        let y = value.logSoftmax(axis: axis)
        return Variable.record(
            "logSoftmax", value: y, inputs: [self], location: SourceLocation(fileID: fileID, line: line)
        ) { g in
            [g - y.exp() * g.sum(axis: axis, keepingDimensions: true)]
        }
    }
}

extension Tensor {
    /// The shape without the (sorted) `axes`.
    func reducedShapeDroppingAxes(_ axes: [Int]) -> [Int] {
        shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
    }
}
