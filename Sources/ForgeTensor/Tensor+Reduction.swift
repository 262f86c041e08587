extension Tensor {
    /// The sum over `axes` (all axes when nil), optionally keeping reduced dimensions with size 1.
    ///
    /// Integer and bool tensors sum into `int64`; floating-point tensors keep their dtype.
    public func sum(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        func floating<T: TensorFloatingPoint>(_: T.Type) -> Tensor {
            reduceElements(
                axes: axes, keepingDimensions: keepingDimensions, operation: "sum", T.self, identity: T.zero,
                combine: { $0 + $1 }, merge: { $0 + $1 })
        }
        func integer<T: TensorElement>(_: T.Type) -> Tensor {
            reduceElements(
                axes: axes, keepingDimensions: keepingDimensions, operation: "sum", T.self, identity: Int64(0),
                combine: { $0 &+ $1.int64Value }, merge: { $0 &+ $1 })
        }
        switch dtype {
        case .float32: return floating(Float.self)
        case .float64: return floating(Double.self)
        case .int32: return integer(Int32.self)
        case .int64: return integer(Int64.self)
        case .bool: return integer(Bool.self)
        case .int8: return integer(Int8.self)
        case .uint8: return integer(UInt8.self)
        }
    }

    /// The sum over one axis.
    public func sum(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        sum(axes: [axis], keepingDimensions: keepingDimensions)
    }

    /// The product over `axes` (all axes when nil); integer tensors multiply in `int64`.
    public func product(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        func floating<T: TensorFloatingPoint>(_: T.Type) -> Tensor {
            reduceElements(
                axes: axes, keepingDimensions: keepingDimensions, operation: "product", T.self, identity: T.one,
                combine: { $0 * $1 }, merge: { $0 * $1 })
        }
        func integer<T: TensorElement>(_: T.Type) -> Tensor {
            reduceElements(
                axes: axes, keepingDimensions: keepingDimensions, operation: "product", T.self, identity: Int64(1),
                combine: { $0 &* $1.int64Value }, merge: { $0 &* $1 })
        }
        switch dtype {
        case .float32: return floating(Float.self)
        case .float64: return floating(Double.self)
        case .int32: return integer(Int32.self)
        case .int64: return integer(Int64.self)
        case .bool: return integer(Bool.self)
        case .int8: return integer(Int8.self)
        case .uint8: return integer(UInt8.self)
        }
    }

    /// The product over one axis.
    public func product(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        product(axes: [axis], keepingDimensions: keepingDimensions)
    }

    /// The arithmetic mean over `axes` (all axes when nil); integer tensors give `float32`.
    public func mean(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        let resolved = Shape.normalizeAxes(axes, rank: rank, operation: "mean")
        let reducedCount = resolved.reduce(1) { $0 * shape[$1] }
        let source = dtype.isFloatingPoint ? self : converted(to: .float32)
        return source.sum(axes: resolved, keepingDimensions: keepingDimensions) / Double(reducedCount)
    }

    /// The mean over one axis.
    public func mean(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        mean(axes: [axis], keepingDimensions: keepingDimensions)
    }

    /// The variance over `axes`, dividing by `n - correction` (1 gives the unbiased estimate, as in PyTorch).
    public func variance(axes: [Int]? = nil, correction: Int = 1, keepingDimensions: Bool = false) -> Tensor {
        let resolved = Shape.normalizeAxes(axes, rank: rank, operation: "variance")
        let reducedCount = resolved.reduce(1) { $0 * shape[$1] }
        let source = dtype.isFloatingPoint ? self : converted(to: .float32)
        // Two passes (mean, then squared deviations) for accuracy when the mean is large.
        let deviation = source - source.mean(axes: resolved, keepingDimensions: true)
        let squares = (deviation * deviation).sum(axes: resolved, keepingDimensions: keepingDimensions)
        return squares / Double(Swift.max(reducedCount - correction, 0))
    }

    /// The standard deviation over `axes`, dividing by `n - correction`.
    public func standardDeviation(axes: [Int]? = nil, correction: Int = 1, keepingDimensions: Bool = false) -> Tensor {
        variance(axes: axes, correction: correction, keepingDimensions: keepingDimensions).sqrt()
    }

    /// The maximum over `axes` (all axes when nil); NaN propagates. The reduced axes must not be empty.
    public func max(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        extreme(axes: axes, keepingDimensions: keepingDimensions, operation: "max", maximum: true)
    }

    /// The minimum over `axes` (all axes when nil); NaN propagates. The reduced axes must not be empty.
    public func min(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        extreme(axes: axes, keepingDimensions: keepingDimensions, operation: "min", maximum: false)
    }

    /// The maximum over one axis.
    public func max(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        max(axes: [axis], keepingDimensions: keepingDimensions)
    }

    /// The minimum over one axis.
    public func min(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        min(axes: [axis], keepingDimensions: keepingDimensions)
    }

    private func extreme(axes: [Int]?, keepingDimensions: Bool, operation: String, maximum: Bool) -> Tensor {
        let resolved = Shape.normalizeAxes(axes, rank: rank, operation: operation)
        precondition(
            resolved.allSatisfy { shape[$0] > 0 } && (count > 0 || !resolved.isEmpty),
            "\(operation): cannot reduce over an empty dimension of shape \(shape)")
        func floating<T: TensorFloatingPoint>(_: T.Type) -> Tensor {
            let pick: (T, T) -> T =
                maximum
                ? { a, x in x.isNaN || x > a ? x : a }
                : { a, x in x.isNaN || x < a ? x : a }
            return reduceElements(
                axes: resolved, keepingDimensions: keepingDimensions, operation: operation, T.self,
                identity: maximum ? -T.infinity : T.infinity, combine: pick, merge: pick)
        }
        func integer<T: TensorInteger>(_: T.Type) -> Tensor {
            let pick: (T, T) -> T = maximum ? { Swift.max($0, $1) } : { Swift.min($0, $1) }
            return reduceElements(
                axes: resolved, keepingDimensions: keepingDimensions, operation: operation, T.self,
                identity: maximum ? T.min : T.max, combine: pick, merge: pick)
        }
        switch dtype {
        case .float32: return floating(Float.self)
        case .float64: return floating(Double.self)
        case .int32: return integer(Int32.self)
        case .int64: return integer(Int64.self)
        case .int8: return integer(Int8.self)
        case .uint8: return integer(UInt8.self)
        case .bool: return converted(to: .uint8).extreme(
                axes: resolved, keepingDimensions: keepingDimensions, operation: operation, maximum: maximum
            ).converted(to: .bool)
        }
    }

    /// The index (`int64`) of the first maximum along `axis`, or over the flattened tensor when nil.
    public func argmax(axis: Int? = nil, keepingDimensions: Bool = false) -> Tensor {
        argExtreme(axis: axis, keepingDimensions: keepingDimensions, operation: "argmax", maximum: true)
    }

    /// The index (`int64`) of the first minimum along `axis`, or over the flattened tensor when nil.
    public func argmin(axis: Int? = nil, keepingDimensions: Bool = false) -> Tensor {
        argExtreme(axis: axis, keepingDimensions: keepingDimensions, operation: "argmin", maximum: false)
    }

    private func argExtreme(axis: Int?, keepingDimensions: Bool, operation: String, maximum: Bool) -> Tensor {
        guard let axis else {
            return reshaped([-1]).argExtreme(axis: 0, keepingDimensions: false, operation: operation, maximum: maximum)
        }
        func floating<T: TensorFloatingPoint>(_: T.Type) -> Tensor {
            argExtreme(
                axis: axis, keepingDimensions: keepingDimensions, operation: operation, T.self,
                isBetter: maximum
                    ? { x, best in !best.isNaN && (x.isNaN || x > best) }
                    : { x, best in !best.isNaN && (x.isNaN || x < best) })
        }
        func integer<T: TensorInteger>(_: T.Type) -> Tensor {
            argExtreme(
                axis: axis, keepingDimensions: keepingDimensions, operation: operation, T.self,
                isBetter: maximum ? { $0 > $1 } : { $0 < $1 })
        }
        switch dtype {
        case .float32: return floating(Float.self)
        case .float64: return floating(Double.self)
        case .int32: return integer(Int32.self)
        case .int64: return integer(Int64.self)
        case .int8: return integer(Int8.self)
        case .uint8: return integer(UInt8.self)
        case .bool:
            return converted(to: .uint8).argExtreme(
                axis: axis, keepingDimensions: keepingDimensions, operation: operation, maximum: maximum)
        }
    }

    /// `log(sum(exp(x)))` over `axes`, computed without overflow by subtracting the maximum first.
    public func logSumExp(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        let resolved = Shape.normalizeAxes(axes, rank: rank, operation: "logSumExp")
        let source = dtype.isFloatingPoint ? self : converted(to: .float32)
        // NOTE: a row that is all -inf has max -inf; shifting by it would give NaN, so shift by 0 there.
        let peak = source.max(axes: resolved, keepingDimensions: true)
        let shift = Tensor.where(peak.isFinite(), peak, Tensor.zeros(like: peak))
        let total = (source - shift).exp().sum(axes: resolved, keepingDimensions: true).log() + shift
        return keepingDimensions ? total : total.reshaped(source.reducedShape(resolved, keepingDimensions: false))
    }
}
