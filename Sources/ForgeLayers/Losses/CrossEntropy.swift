public import ForgeAutograd
public import ForgeTensor

extension Loss {
    /// The cross-entropy between softmax(`logits`) and the targets, PyTorch's `cross_entropy`, as one
    /// fused operation (log-softmax, pick, reduction; backward `softmax − target distribution`).
    ///
    /// Targets are either class indices (an integer tensor `[N]` or `[N, d…]`) or class probabilities
    /// (a floating-point tensor shaped like `logits`). With class indices, `mean` divides by the summed
    /// weights of the non-ignored targets, exactly as PyTorch; with probabilities it divides by the
    /// number of positions.
    ///
    /// ```swift
    /// let loss = Loss.crossEntropy(logits: model(x), targets: labels)            // labels: int64 [N]
    /// let smoothed = Loss.crossEntropy(logits: scores, targets: labels, labelSmoothing: 0.1)
    /// ```
    ///
    /// - Parameters:
    ///   - logits: unnormalized scores `[N, C]`, `[N, C, d1, …]` or `[C]`.
    ///   - targets: class indices or probabilities, as above.
    ///   - weight: a weight per class `[C]`, or nil.
    ///   - ignoreIndex: a class index whose positions contribute nothing (index targets only).
    ///   - labelSmoothing: ε in `[0, 1]`: the target becomes `(1 − ε) · target + ε / C`.
    ///   - reduction: how to combine the per-position losses.
    ///   - fileID: the file that creates the loss, for anomaly reports.
    ///   - line: the line that creates the loss, for anomaly reports.
    public static func crossEntropy(
        logits: Variable, targets: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100, labelSmoothing: Double = 0,
        reduction: LossReduction = .mean, fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        let x = logits.value
        precondition(x.dtype.isFloatingPoint, "crossEntropy: logits dtype \(x.dtype) is not floating point")
        precondition(
            (0...1).contains(labelSmoothing), "crossEntropy: label smoothing \(labelSmoothing) is outside [0, 1]")
        let layout = ClassLayout(operation: "crossEntropy", shape: x.shape)
        let weights = layout.classWeights("crossEntropy", weight: weight, inputShape: x.shape)
        let target: CrossEntropyTarget
        if targets.dtype.isFloatingPoint {
            precondition(
                targets.shape == x.shape,
                "crossEntropy: probability targets \(targets.shape) must have the shape of logits \(x.shape)")
            target = .probabilities(targets.converted(to: .float64).contiguous())
        } else {
            target = .indices(
                layout.classIndices("crossEntropy", targets: targets, inputShape: x.shape, ignoreIndex: ignoreIndex))
        }
        let problem = CrossEntropyProblem(
            layout: layout, target: target, weights: weights, ignoreIndex: Int64(ignoreIndex), smoothing: labelSmoothing
        )
        let source = x.contiguous()
        let forward =
            source.dtype == .float64
            ? problem.forward(Double.self, logits: source) : problem.forward(Float.self, logits: source)
        let denominator = problem.meanDenominator
        let value = reducedLoss(
            forward.losses, reduction: reduction, denominator: denominator, batch: layout.batch,
            positionShape: layout.positionShape, dtype: x.dtype)
        let logSumExp = forward.logSumExp
        return Variable.record(
            "crossEntropy", value: value, inputs: [logits], location: SourceLocation(fileID: fileID, line: line)
        ) { g in
            let scale = UpstreamScale(reduction, gradient: g, denominator: denominator, batch: layout.batch)
            return [
                source.dtype == .float64
                    ? problem.backward(Double.self, logits: source, logSumExp: logSumExp, scale: scale)
                    : problem.backward(Float.self, logits: source, logSumExp: logSumExp, scale: scale)
            ]
        }
    }
}

/// The targets of a cross-entropy.
enum CrossEntropyTarget {
    /// One class index per position.
    case indices([Int64])
    /// A distribution per position, shaped like the logits (`float64`, contiguous).
    case probabilities(Tensor)
}

/// Everything about a cross-entropy except the logits: the loops of its forward and backward passes.
///
/// Per position `i` the loss is `−Σ_c a_ic · log p_ic` with coefficients `a_ic`: for an index target
/// `y`, `a_ic = (1 − ε) w_y [c = y] + ε/C · w_c`; for a probability target `t`,
/// `a_ic = w_c · ((1 − ε) t_ic + ε/C)`. The gradient with respect to the logits is then
/// `(Σ_c a_ic) · p_ic − a_ic`.
struct CrossEntropyProblem {
    let layout: ClassLayout
    let target: CrossEntropyTarget
    let weights: [Double]
    let ignoreIndex: Int64
    let smoothing: Double

    /// What `mean` divides by: the summed weights of non-ignored index targets, or the position count.
    var meanDenominator: Double {
        switch target {
        case .indices(let indices):
            var total = 0.0
            for index in indices where index != ignoreIndex { total += weights[Int(index)] }
            return total
        case .probabilities: return Double(layout.positions)
        }
    }

    /// Calls `body(position, n, s)` for every position, with `n` the sample and `s` the inner offset.
    @inline(__always)
    private func forEachPosition(_ body: (Int, Int, Int) -> Void) {
        for n in 0..<layout.batch {
            for s in 0..<layout.inner { body(n * layout.inner + s, n, s) }
        }
    }

    /// The per-position losses and log-sum-exp of the logits.
    func forward<T: TensorFloatingPoint>(_: T.Type, logits: Tensor) -> (losses: [Double], logSumExp: [Double]) {
        let (classes, inner) = (layout.classes, layout.inner)
        var losses = [Double](repeating: 0, count: layout.positions)
        var logSumExp = [Double](repeating: 0, count: layout.positions)
        let uniform = smoothing / Double(classes)
        logits.withUnsafeBufferPointer(as: T.self) { x in
            withProbabilities { probabilities in
                forEachPosition { position, n, s in
                    let base = n * classes * inner + s
                    var peak = -T.infinity
                    for c in 0..<classes where x[base + c * inner] > peak { peak = x[base + c * inner] }
                    if !peak.isFinite { peak = 0 }
                    var total: T = 0
                    for c in 0..<classes { total += T.exp(x[base + c * inner] - peak) }
                    let lse = Double(peak) + Double(T.log(total))
                    logSumExp[position] = lse
                    switch target {
                    case .indices(let indices):
                        let index = indices[position]
                        if index == ignoreIndex { return }
                        let picked = weights[Int(index)] * (lse - Double(x[base + Int(index) * inner]))
                        var loss = (1 - smoothing) * picked
                        if smoothing > 0 {
                            var smooth = 0.0
                            for c in 0..<classes { smooth += weights[c] * (lse - Double(x[base + c * inner])) }
                            loss += uniform * smooth
                        }
                        losses[position] = loss
                    case .probabilities:
                        var loss = 0.0
                        for c in 0..<classes {
                            let t = (1 - smoothing) * probabilities[base + c * inner] + uniform
                            loss += weights[c] * t * (lse - Double(x[base + c * inner]))
                        }
                        losses[position] = loss
                    }
                }
            }
        }
        return (losses, logSumExp)
    }

    /// The gradient with respect to the logits.
    func backward<T: TensorFloatingPoint>(
        _: T.Type, logits: Tensor, logSumExp: [Double], scale: UpstreamScale
    ) -> Tensor {
        let (classes, inner) = (layout.classes, layout.inner)
        var result = Tensor.zeros(shape: logits.shape, dtype: T.dtype)
        let uniform = smoothing / Double(classes)
        let weightTotal = weights.reduce(0, +)
        logits.withUnsafeBufferPointer(as: T.self) { x in
            result.withUnsafeMutableBufferPointer(as: T.self) { dx in
                withProbabilities { probabilities in
                    scale.withScales { upstream in
                        forEachPosition { position, n, s in
                            let base = n * classes * inner + s
                            let lse = T(logSumExp[position])
                            let g = upstream(position)
                            switch target {
                            case .indices(let indices):
                                let index = indices[position]
                                if index == ignoreIndex { return }
                                let picked = (1 - smoothing) * weights[Int(index)]
                                let total = T(g * (picked + uniform * weightTotal))
                                for c in 0..<classes {
                                    let offset = base + c * inner
                                    dx[offset] = total * T.exp(x[offset] - lse) - T(g * uniform * weights[c])
                                }
                                dx[base + Int(index) * inner] -= T(g * picked)
                            case .probabilities:
                                var total = 0.0
                                for c in 0..<classes {
                                    total += weights[c] * ((1 - smoothing) * probabilities[base + c * inner] + uniform)
                                }
                                let scaledTotal = T(g * total)
                                for c in 0..<classes {
                                    let offset = base + c * inner
                                    let coefficient = weights[c] * ((1 - smoothing) * probabilities[offset] + uniform)
                                    dx[offset] = scaledTotal * T.exp(x[offset] - lse) - T(g * coefficient)
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// Runs `body` with the probability targets (an empty buffer for index targets).
    private func withProbabilities<R>(_ body: (UnsafeBufferPointer<Double>) -> R) -> R {
        if case .probabilities(let tensor) = target {
            return tensor.withUnsafeBufferPointer(as: Double.self, body)
        }
        return body(UnsafeBufferPointer(start: nil, count: 0))
    }
}
