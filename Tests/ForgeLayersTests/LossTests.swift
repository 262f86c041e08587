import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Foundation
import Testing

/// PyTorch's cross-entropy with class-index targets written out as its C++ does it: the NLL of the
/// log-softmax (weighted mean over Σ w[y]) plus the label-smoothing term.
func referenceCrossEntropy(
    logits: [[Double]], targets: [Int], weight: [Double]?, ignoreIndex: Int, smoothing: Double, reduction: LossReduction
) -> [Double] {
    let classes = logits[0].count
    let w = weight ?? [Double](repeating: 1, count: classes)
    var nll: [Double] = []
    var smooth: [Double] = []
    var denominator = 0.0
    for (row, y) in zip(logits, targets) {
        let peak = row.max()!
        let lse = peak + Foundation.log(row.map { Foundation.exp($0 - peak) }.reduce(0, +))
        let logp = row.map { $0 - lse }
        if y == ignoreIndex {
            nll.append(0)
            smooth.append(0)
            continue
        }
        nll.append(-w[y] * logp[y])
        smooth.append(-zip(logp, w).map { $0 * $1 }.reduce(0, +))
        denominator += w[y]
    }
    let factor = smoothing / Double(classes)
    switch reduction {
    case .none: return zip(nll, smooth).map { (1 - smoothing) * $0 + factor * $1 }
    case .sum: return [(1 - smoothing) * nll.reduce(0, +) + factor * smooth.reduce(0, +)]
    case .mean: return [((1 - smoothing) * nll.reduce(0, +) + factor * smooth.reduce(0, +)) / denominator]
    case .batchMean: return [((1 - smoothing) * nll.reduce(0, +) + factor * smooth.reduce(0, +)) / Double(logits.count)]
    }
}

@Suite("Losses")
struct LossTests {
    let logitRows: [[Double]] = [[1, 2, 3, 0.5], [-1, 0.2, 0.1, 2], [0.3, -0.7, 1.5, -2], [2, 2, -1, 0]]

    @Test func crossEntropyMatchesHandComputedValue() {
        // log(e¹ + e² + e³) − 3 = log(1 + e⁻¹ + e⁻²) = 0.40760596444…
        let loss = Loss.crossEntropy(
            logits: Variable(Tensor(rows: [[1, 2, 3]] as [[Float]]), requiresGradient: true),
            targets: Tensor([Int64(2)]))
        #expect(Swift.abs(loss.value.item(as: Float.self) - 0.40760596) < 1e-6)
        #expect(loss.node?.operation == "crossEntropy")
    }

    @Test(arguments: [LossReduction.mean, .sum, .none])
    func crossEntropyWithWeightsIgnoreAndSmoothingMatchesPyTorchFormula(reduction: LossReduction) {
        let targets = [2, -100, 0, 3]
        let weight = [0.5, 2, 1, 3]
        let loss = Loss.crossEntropy(
            logits: Variable(Tensor(rows: logitRows)), targets: Tensor(targets.map(Int64.init)), weight: Tensor(weight),
            labelSmoothing: 0.2, reduction: reduction)
        let expected = referenceCrossEntropy(
            logits: logitRows, targets: targets, weight: weight, ignoreIndex: -100, smoothing: 0.2, reduction: reduction
        )
        let actual = loss.value.scalars(as: Double.self)
        #expect(actual.count == expected.count)
        for (a, e) in zip(actual, expected) { #expect(Swift.abs(a - e) < 1e-12) }
    }

    @Test func crossEntropyMeanWithoutWeightsCountsNonIgnoredTargets() {
        let targets = [1, 3, -1, 0]
        let loss = Loss.crossEntropy(
            logits: Variable(Tensor(rows: logitRows)), targets: Tensor(targets.map(Int64.init)), ignoreIndex: -1)
        let expected = referenceCrossEntropy(
            logits: logitRows, targets: targets, weight: nil, ignoreIndex: -1, smoothing: 0, reduction: .mean)[0]
        #expect(Swift.abs(loss.value.item(as: Double.self) - expected) < 1e-12)
    }

    @Test func crossEntropyOverSpatialDimensionsMatchesPerPositionRows() {
        // [N=2, C=3, d=2]: position (n, s) reads logits[n, :, s].
        let logits = randomNormal([2, 3, 2], seed: 4)
        let targets = Tensor([0, 2, 1, 1] as [Int64], shape: [2, 2])
        let loss = Loss.crossEntropy(logits: Variable(logits), targets: targets, reduction: .none)
        #expect(loss.shape == [2, 2])
        let values = logits.scalars(as: Double.self)
        var rows: [[Double]] = []
        for n in 0..<2 { for s in 0..<2 { rows.append((0..<3).map { values[n * 6 + $0 * 2 + s] }) } }
        let expected = referenceCrossEntropy(
            logits: rows, targets: [0, 2, 1, 1], weight: nil, ignoreIndex: -100, smoothing: 0, reduction: .none)
        #expect(close(loss.value, Tensor(expected, shape: [2, 2]), tolerance: 1e-12))
    }

    @Test func crossEntropyWithProbabilityTargetsMatchesFormula() {
        let probabilities: [[Double]] = [
            [0.1, 0.2, 0.3, 0.4], [1, 0, 0, 0], [0.25, 0.25, 0.25, 0.25], [0, 0.5, 0.5, 0],
        ]
        let weight = [1.0, 2, 0.5, 1]
        let smoothing = 0.1
        let loss = Loss.crossEntropy(
            logits: Variable(Tensor(rows: logitRows)), targets: Tensor(rows: probabilities), weight: Tensor(weight),
            labelSmoothing: smoothing)
        var total = 0.0
        for (row, target) in zip(logitRows, probabilities) {
            let lse = Foundation.log(row.map { Foundation.exp($0) }.reduce(0, +))
            for c in 0..<4 {
                let t = (1 - smoothing) * target[c] + smoothing / 4
                total -= weight[c] * t * (row[c] - lse)
            }
        }
        // PyTorch divides the weighted sum by the number of samples, not the weights.
        #expect(Swift.abs(loss.value.item(as: Double.self) - total / 4) < 1e-12)
    }

    @Test func crossEntropyGradientsPassGradientCheck() {
        let indexTargets = Tensor([2, -100, 0, 3] as [Int64])
        let weight = Tensor([0.5, 2, 1, 3] as [Double])
        for reduction in [LossReduction.mean, .sum, .none] {
            let result = gradientCheck(inputs: [Tensor(rows: logitRows)]) { v in
                Loss.crossEntropy(
                    logits: v[0], targets: indexTargets, weight: weight, labelSmoothing: 0.3, reduction: reduction)
            }
            #expect(result.passed, "\(reduction): \(result)")
        }
        let spatial = gradientCheck(inputs: [randomNormal([2, 3, 2, 2], seed: 5)]) { v in
            Loss.crossEntropy(logits: v[0], targets: Tensor([0, 2, 1, 1, 2, 2, 0, 1] as [Int64], shape: [2, 2, 2]))
        }
        #expect(spatial.passed, "\(spatial)")
        let soft = randomUniform([3, 4], seed: 6)
        let probabilities = soft / soft.sum(axis: 1, keepingDimensions: true)
        let probability = gradientCheck(inputs: [randomNormal([3, 4], seed: 7)]) { v in
            Loss.crossEntropy(logits: v[0], targets: probabilities, weight: weight, labelSmoothing: 0.2)
        }
        #expect(probability.passed, "\(probability)")
    }

    @Test func crossEntropyFloat32GradientIsSoftmaxMinusOneHotOverBatch() throws {
        let logits = Variable(Tensor(rows: logitRows).converted(to: .float32), requiresGradient: true)
        let targets = Tensor([2, 1, 0, 3] as [Int64])
        try Loss.crossEntropy(logits: logits, targets: targets).backward()
        let expected = (Tensor(rows: logitRows).softmax(axis: 1) - targets.oneHot(classes: 4, dtype: .float64)) / 4
        #expect(close(logits.gradient!, expected, tolerance: 1e-6))
    }

    @Test func negativeLogLikelihoodMatchesCrossEntropyOfLogSoftmax() {
        let logProbabilities = Tensor(rows: logitRows).logSoftmax(axis: 1)
        let targets = Tensor([2, -100, 0, 3] as [Int64])
        let weight = Tensor([0.5, 2, 1, 3] as [Double])
        for reduction in [LossReduction.mean, .sum, .none] {
            let nll = Loss.negativeLogLikelihood(
                logProbabilities: Variable(logProbabilities), targets: targets, weight: weight, reduction: reduction)
            let expected = referenceCrossEntropy(
                logits: logitRows, targets: [2, -100, 0, 3], weight: [0.5, 2, 1, 3], ignoreIndex: -100, smoothing: 0,
                reduction: reduction)
            #expect(close(nll.value.reshaped(-1), Tensor(expected), tolerance: 1e-12))
            let check = gradientCheck(inputs: [logProbabilities]) { v in
                Loss.negativeLogLikelihood(
                    logProbabilities: v[0], targets: targets, weight: weight, reduction: reduction)
            }
            #expect(check.passed, "\(check)")
        }
    }

    @Test func regressionLossesMatchTheirFormulas() {
        let input: [Double] = [0.5, -1.2, 3, 0.1, -0.05, 2.2]
        let target: [Double] = [0, 0.4, 1, 0.1, 0.3, -0.5]
        let d = zip(input, target).map { $0 - $1 }
        let x = Variable(Tensor(input, shape: [2, 3]))
        let t = Tensor(target, shape: [2, 3])
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        #expect(
            Swift.abs(Loss.meanSquaredError(x, target: t).value.item(as: Double.self) - mean(d.map { $0 * $0 })) < 1e-12
        )
        #expect(
            Swift.abs(
                Loss.l1(x, target: t, reduction: .sum).value.item(as: Double.self) - d.map(Swift.abs).reduce(0, +))
                < 1e-12)
        let beta = 0.5
        let smooth = d.map { Swift.abs($0) < beta ? 0.5 * $0 * $0 / beta : Swift.abs($0) - 0.5 * beta }
        #expect(
            close(
                Loss.smoothL1(x, target: t, beta: beta, reduction: .none).value, Tensor(smooth, shape: [2, 3]),
                tolerance: 1e-12))
        let delta = 0.7
        let huber = d.map { Swift.abs($0) <= delta ? 0.5 * $0 * $0 : delta * (Swift.abs($0) - 0.5 * delta) }
        #expect(Swift.abs(Loss.huber(x, target: t, delta: delta).value.item(as: Double.self) - mean(huber)) < 1e-12)
        #expect(
            Swift.abs(
                Loss.meanSquaredError(x, target: t, reduction: .batchMean).value.item(as: Double.self) - d.map {
                    $0 * $0
                }.reduce(0, +) / 2) < 1e-12)
    }

    @Test func regressionLossGradientsPassGradientCheck() {
        let target = randomNormal([3, 4], seed: 11)
        let input = randomNormal([3, 4], seed: 12)
        let cases: [(String, ([Variable]) -> Variable)] = [
            ("mse", { Loss.meanSquaredError($0[0], target: target) }),
            ("l1", { Loss.l1($0[0], target: target, reduction: .sum) }),
            ("smoothL1", { Loss.smoothL1($0[0], target: target, beta: 0.8, reduction: .none) }),
            ("huber", { Loss.huber($0[0], target: target, delta: 0.6) }),
        ]
        for (name, function) in cases {
            let result = gradientCheck(inputs: [input], function)
            #expect(result.passed, "\(name): \(result)")
        }
    }

    @Test func binaryCrossEntropyMatchesFormulaAndClampsLogs() {
        let p: [Double] = [0.9, 0.2, 0.5, 0.01]
        let t: [Double] = [1, 0, 1, 0.3]
        let w: [Double] = [1, 2, 0.5, 1]
        let loss = Loss.binaryCrossEntropy(probabilities: Variable(Tensor(p)), targets: Tensor(t), weight: Tensor(w))
        let expected =
            zip(zip(p, t), w).map { pair, weight in
                -weight * (pair.1 * Foundation.log(pair.0) + (1 - pair.1) * Foundation.log(1 - pair.0))
            }.reduce(0, +) / 4
        #expect(Swift.abs(loss.value.item(as: Double.self) - expected) < 1e-12)
        // log(0) is clamped at −100, as PyTorch does.
        let saturated = Loss.binaryCrossEntropy(
            probabilities: Variable(Tensor([0.0, 1.0])), targets: Tensor([1.0, 0.0]), reduction: .none)
        #expect(saturated.value.scalars(as: Double.self) == [100, 100])
        let check = gradientCheck(inputs: [randomUniform([2, 3], seed: 13, low: 0.1, high: 0.9)]) { v in
            Loss.binaryCrossEntropy(
                probabilities: v[0], targets: randomUniform([2, 3], seed: 14), weight: Tensor([1, 2, 3] as [Double]))
        }
        #expect(check.passed, "\(check)")
    }

    @Test func binaryCrossEntropyWithLogitsIsStableAndWeighted() {
        let x: [Double] = [0.3, -2, 4, 50, -60, 0]
        let t: [Double] = [1, 0, 0.5, 1, 0, 1]
        let positiveWeight: [Double] = [2, 0.5, 1]
        let loss = Loss.binaryCrossEntropyWithLogits(
            logits: Variable(Tensor(x, shape: [2, 3])), targets: Tensor(t, shape: [2, 3]),
            positiveWeight: Tensor(positiveWeight), reduction: .none)
        let expected = (0..<6).map { i -> Double in
            let pw = positiveWeight[i % 3]
            // −[p t log σ(x) + (1 − t) log(1 − σ(x))], with log σ written stably for large |x|.
            let logSigmoid =
                x[i] > 0 ? -Foundation.log1p(Foundation.exp(-x[i])) : x[i] - Foundation.log1p(Foundation.exp(x[i]))
            let logOneMinus = logSigmoid - x[i]
            return -(pw * t[i] * logSigmoid + (1 - t[i]) * logOneMinus)
        }
        #expect(close(loss.value, Tensor(expected, shape: [2, 3]), tolerance: 1e-12))
        #expect(loss.value.isFinite().scalars(as: Bool.self).allSatisfy { $0 })
        let check = gradientCheck(inputs: [randomNormal([2, 3], seed: 15, scale: 2)]) { v in
            Loss.binaryCrossEntropyWithLogits(
                logits: v[0], targets: randomUniform([2, 3], seed: 16), weight: Tensor(rows: [[1], [2]] as [[Double]]),
                positiveWeight: Tensor(positiveWeight))
        }
        #expect(check.passed, "\(check)")
    }

    @Test func klDivergenceMatchesFormulaForBothTargetKinds() {
        let input = Tensor(rows: [[0.2, 0.3, 0.5], [0.6, 0.4, 0.0001]] as [[Double]]).log()
        let target = Tensor(rows: [[0.1, 0.0, 0.9], [0.5, 0.25, 0.25]] as [[Double]])
        let x = input.scalars(as: Double.self)
        let t = target.scalars(as: Double.self)
        let pointwise = zip(x, t).map { $1 > 0 ? $1 * (Foundation.log($1) - $0) : 0 }
        let batchMean = Loss.klDivergence(logProbabilities: Variable(input), targets: target, reduction: .batchMean)
        #expect(Swift.abs(batchMean.value.item(as: Double.self) - pointwise.reduce(0, +) / 2) < 1e-12)
        let mean = Loss.klDivergence(logProbabilities: Variable(input), targets: target)
        #expect(Swift.abs(mean.value.item(as: Double.self) - pointwise.reduce(0, +) / 6) < 1e-12)
        let logTarget = Loss.klDivergence(
            logProbabilities: Variable(input),
            targets: Tensor(rows: [[0.5, 0.3, 0.2], [0.5, 0.25, 0.25]] as [[Double]]).log(),
            logTarget: true, reduction: .sum)
        let t2: [Double] = [0.5, 0.3, 0.2, 0.5, 0.25, 0.25]
        let expected = zip(x, t2).map { $1 * (Foundation.log($1) - $0) }.reduce(0, +)
        #expect(Swift.abs(logTarget.value.item(as: Double.self) - expected) < 1e-12)
        let check = gradientCheck(inputs: [input]) { v in
            Loss.klDivergence(logProbabilities: v[0], targets: target, reduction: .batchMean)
        }
        #expect(check.passed, "\(check)")
        let checkLog = gradientCheck(inputs: [input]) { v in
            Loss.klDivergence(
                logProbabilities: v[0], targets: target.clamped(min: 0.01).log(), logTarget: true, reduction: .none)
        }
        #expect(checkLog.passed, "\(checkLog)")
    }

    @Test("an out-of-range class index traps naming the op and shapes")
    func outOfRangeTargetTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Loss.crossEntropy(logits: Variable(Tensor.zeros(shape: [2, 3])), targets: Tensor([0, 3] as [Int64]))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(
            message.contains(
                "crossEntropy: target 3 at position 1 is out of range for 3 classes (input [2, 3], targets [2])"))
    }

    @Test("a target shape mismatch traps naming the op and shapes")
    func shapeMismatchTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Loss.meanSquaredError(Variable(Tensor.zeros(shape: [2, 3])), target: Tensor.zeros(shape: [3]))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("meanSquaredError: input [2, 3] and target [3] must have the same shape"))
    }
}

@Suite("Loss functions as values")
struct LossFunctionTests {
    @Test func configuredLossesEqualTheFunctions() {
        let logits = Variable(randomNormal([3, 4], seed: 1))
        let labels = Tensor([1, 0, 3] as [Int64])
        let criteria: [(any LossFunction, Variable, Tensor, Variable)] = [
            (
                CrossEntropyLoss(labelSmoothing: 0.1), logits, labels,
                Loss.crossEntropy(logits: logits, targets: labels, labelSmoothing: 0.1)
            ),
            (
                NegativeLogLikelihoodLoss(reduction: .sum), logits, labels,
                Loss.negativeLogLikelihood(logProbabilities: logits, targets: labels, reduction: .sum)
            ),
            (
                HuberLoss(delta: 0.5), logits, logits.value * 0.5,
                Loss.huber(logits, target: logits.value * 0.5, delta: 0.5)
            ),
            (
                SmoothL1Loss(beta: 2), logits, logits.value * 0.5,
                Loss.smoothL1(logits, target: logits.value * 0.5, beta: 2)
            ),
            (
                MeanSquaredErrorLoss(), logits, logits.value * 0.5,
                Loss.meanSquaredError(logits, target: logits.value * 0.5)
            ),
            (L1Loss(), logits, logits.value * 0.5, Loss.l1(logits, target: logits.value * 0.5)),
        ]
        for (criterion, input, target, expected) in criteria {
            #expect(criterion(input, target).value == expected.value)
        }
    }
}
