import ForgeTensor
import Foundation

/// The settings of TPE's Parzen estimators (Optuna 5 defaults).
struct ParzenEstimatorSettings: Sendable, Hashable {
    /// The weight of the prior kernel (centred in the range, as wide as the range).
    var priorWeight = 1.0
    /// Floors kernel widths at range / min(100, 1 + kernels) ("magic clip").
    var magicClip = true
    /// Whether the outermost kernels' widths also count the distance to the range ends.
    var considerEndpoints = false
}

/// A mixture of product kernels over the parameters of a search space: truncated normals for numeric
/// parameters (on the log scale for log parameters, with grid-point masses for discrete ones) and
/// smoothed one-hot tables for categorical ones, plus one broad prior kernel — Optuna's
/// `_ParzenEstimator` (TPE's l(x) and g(x)).
///
/// Kernel data is stored per parameter as contiguous arrays over kernels, so scoring a candidate is a
/// few fused multiply-adds per kernel and one `exp` per kernel for the log-sum-exp.
struct ParzenEstimator {
    /// The parameters, in column order of every point.
    let parameters: [SamplerParameter]
    /// The number of kernels (observations + the prior).
    let kernelCount: Int
    /// log of the normalized kernel weights.
    private var logWeights: [Double]
    /// Running sums of the normalized kernel weights, for drawing a kernel.
    private var cumulativeWeights: [Double]
    /// Per numeric parameter `p`, kernel `k` at `p * kernelCount + k`: the kernel centre (transformed).
    private var centres: [Double]
    /// The kernel widths (transformed scale).
    private var widths: [Double]
    /// 1 / width.
    private var inverseWidths: [Double]
    /// The log-density constant: −log σ − log mass(range) − log √(2π) for continuous parameters,
    /// −log mass(range) for discrete ones.
    private var logNormalizers: [Double]
    /// Per categorical parameter `p`, kernel `k`, choice `c` at `categoricalOffsets[p] + k * count + c`:
    /// the choice probability, its log, and the running sum over choices.
    private var choiceProbabilities: [Double]
    private var choiceLogProbabilities: [Double]
    private var categoricalOffsets: [Int]

    /// Builds the estimator from `observations` (row-major, one row of internal values per observed
    /// trial, sorted by trial number) and their unnormalized `weights`.
    init(
        observations: [Double], weights: [Double], parameters: [SamplerParameter],
        settings: ParzenEstimatorSettings
    ) {
        let dimension = parameters.count
        let count = weights.count
        precondition(
            observations.count == count * dimension,
            "ParzenEstimator: \(observations.count) observed values for \(count) weights × \(dimension) parameters")
        self.parameters = parameters
        kernelCount = count + 1
        var normalized = count == 0 ? [1.0] : weights + [settings.priorWeight]
        let total = normalized.reduce(0, +)
        for index in normalized.indices { normalized[index] /= total }
        logWeights = normalized.map { log($0) }
        var running = 0.0
        cumulativeWeights = normalized.map { running += $0; return running }
        centres = []
        widths = []
        inverseWidths = []
        logNormalizers = []
        choiceProbabilities = []
        choiceLogProbabilities = []
        categoricalOffsets = Array(repeating: -1, count: dimension)
        var column = [Double](repeating: 0, count: count)
        for (index, parameter) in parameters.enumerated() {
            for row in 0..<count { column[row] = observations[row * dimension + index] }
            if case .categorical(let choices) = parameter.kind {
                categoricalOffsets[index] = choiceProbabilities.count
                appendCategoricalKernels(column, choices: choices, priorWeight: settings.priorWeight)
            } else {
                appendNumericKernels(column, parameter: parameter, settings: settings)
            }
        }
    }

    /// The one-hot-plus-prior tables of a categorical parameter (no observations: one uniform kernel).
    private mutating func appendCategoricalKernels(_ observed: [Double], choices: Int, priorWeight: Double) {
        let kernels = observed.count + 1
        for kernel in 0..<kernelCount {
            var row = [Double](repeating: observed.isEmpty ? 1 : priorWeight / Double(kernels), count: choices)
            if kernel < observed.count { row[min(max(Int(observed[kernel]), 0), choices - 1)] += 1 }
            let sum = row.reduce(0, +)
            for choice in 0..<choices {
                let probability = sum > 0 ? row[choice] / sum : 1 / Double(choices)
                choiceProbabilities.append(probability)
                choiceLogProbabilities.append(log(probability))
            }
        }
    }

    /// Centres and widths of a numeric parameter's kernels (Optuna's `_calculate_numerical_distributions`).
    private mutating func appendNumericKernels(
        _ observed: [Double], parameter: SamplerParameter, settings: ParzenEstimatorSettings
    ) {
        let (low, high) = parameter.modelRange
        let mus = parameter.isLog ? observed.map { log($0) } : observed
        let order = mus.indices.sorted { mus[$0] < mus[$1] }
        var sortedWithEnds = [low] + order.map { mus[$0] } + [high]
        var sigmas = [Double](repeating: 0, count: mus.count)
        if !mus.isEmpty {
            var sortedSigmas = [Double](repeating: 0, count: mus.count)
            for rank in 1...mus.count {
                let left: Double = sortedWithEnds[rank] - sortedWithEnds[rank - 1]
                let right: Double = sortedWithEnds[rank + 1] - sortedWithEnds[rank]
                sortedSigmas[rank - 1] = max(left, right)
            }
            if !settings.considerEndpoints && sortedWithEnds.count >= 4 {
                sortedSigmas[0] = sortedWithEnds[2] - sortedWithEnds[1]
                sortedSigmas[mus.count - 1] = sortedWithEnds[mus.count] - sortedWithEnds[mus.count - 1]
            }
            let maximum = high - low
            let minimum = settings.magicClip ? (high - low) / min(100, 1 + Double(mus.count + 1)) : 1e-12
            for (rank, original) in order.enumerated() {
                sigmas[original] = min(max(sortedSigmas[rank], minimum), maximum)
            }
        }
        sortedWithEnds.removeAll()
        let isDiscrete = parameter.step != nil
        for kernel in 0..<kernelCount {
            let (mu, sigma) = kernel < mus.count ? (mus[kernel], sigmas[kernel]) : (0.5 * (low + high), high - low)
            let safeSigma = max(sigma, 1e-300)
            centres.append(mu)
            widths.append(safeSigma)
            inverseWidths.append(1 / safeSigma)
            let logRangeMass = StandardNormal.logMass(lower: (low - mu) / safeSigma, upper: (high - mu) / safeSigma)
            logNormalizers.append(
                isDiscrete ? -logRangeMass : -log(safeSigma) - logRangeMass - StandardNormal.logSquareRootTwoPi)
        }
    }

    /// The index of numeric parameter `index` among the numeric parameters' kernel blocks.
    private var numericBlocks: [Int] {
        var blocks = [Int](repeating: -1, count: parameters.count)
        var next = 0
        for index in parameters.indices where categoricalOffsets[index] < 0 {
            blocks[index] = next
            next += 1
        }
        return blocks
    }

    /// `count` points drawn from the mixture, row-major, in internal representation on the grid.
    func sample(count: Int, generator: inout RandomGenerator) -> [Double] {
        let dimension = parameters.count
        let blocks = numericBlocks
        var points = [Double](repeating: 0, count: count * dimension)
        cumulativeWeights.withUnsafeBufferPointer { cumulative in
            for row in 0..<count {
                let kernel = generator.nextIndex(cumulativeWeights: cumulative)
                for (index, parameter) in parameters.enumerated() {
                    if case .categorical(let choices) = parameter.kind {
                        let base = categoricalOffsets[index] + kernel * choices
                        let target = generator.nextUnit()
                        var choice = 0
                        var running = choiceProbabilities[base]
                        while choice < choices - 1 && running <= target {
                            choice += 1
                            running += choiceProbabilities[base + choice]
                        }
                        points[row * dimension + index] = Double(choice)
                        continue
                    }
                    let slot = blocks[index] * kernelCount + kernel
                    let (low, high) = parameter.modelRange
                    var value = TruncatedNormal.sample(
                        centre: centres[slot], width: widths[slot], low: low, high: high,
                        unit: generator.nextOpenUnit())
                    if parameter.isLog { value = exp(value) }
                    points[row * dimension + index] = parameter.snapped(value)
                }
            }
        }
        return points
    }

    /// Writes log p(x) of each of the `count` row-major `points` into `result`.
    func logDensity(points: [Double], count: Int, into result: inout [Double]) {
        let dimension = parameters.count
        let kernels = kernelCount
        let blocks = numericBlocks
        var accumulator = [Double](repeating: 0, count: kernels)
        result = [Double](repeating: 0, count: count)
        centres.withUnsafeBufferPointer { centres in
        inverseWidths.withUnsafeBufferPointer { inverseWidths in
        logNormalizers.withUnsafeBufferPointer { normalizers in
        accumulator.withUnsafeMutableBufferPointer { sums in
            for row in 0..<count {
                for kernel in 0..<kernels { sums[kernel] = logWeights[kernel] }
                for (index, parameter) in parameters.enumerated() {
                    let x = points[row * dimension + index]
                    switch parameter.kind {
                    case .categorical(let choices):
                        let base = categoricalOffsets[index] + Int(x)
                        for kernel in 0..<kernels { sums[kernel] += choiceLogProbabilities[base + kernel * choices] }
                    case .continuous:
                        let value = parameter.isLog ? log(x) : x
                        let offset = blocks[index] * kernels
                        // Hot loop: 3 flops per kernel, contiguous, vectorizable.
                        for kernel in 0..<kernels {
                            let z = (value - centres[offset + kernel]) * inverseWidths[offset + kernel]
                            sums[kernel] += normalizers[offset + kernel] - 0.5 * z * z
                        }
                    case .discrete(let step):
                        let left = parameter.isLog ? log(x - step / 2) : x - step / 2
                        let right = parameter.isLog ? log(x + step / 2) : x + step / 2
                        let offset = blocks[index] * kernels
                        for kernel in 0..<kernels {
                            let mu = centres[offset + kernel]
                            let inverse = inverseWidths[offset + kernel]
                            sums[kernel] += normalizers[offset + kernel]
                                + StandardNormal.logMass(lower: (left - mu) * inverse, upper: (right - mu) * inverse)
                        }
                    }
                }
                var maximum = -Double.infinity
                for kernel in 0..<kernels { maximum = max(maximum, sums[kernel]) }
                if maximum == -.infinity {
                    result[row] = -.infinity
                    continue
                }
                // Kernels more than e^-40 below the largest add nothing in double precision's useful range;
                // skipping their exp saves most of the work when there are hundreds of kernels.
                var total = 0.0
                let floor = maximum - 40
                for kernel in 0..<kernels where sums[kernel] > floor { total += exp(sums[kernel] - maximum) }
                result[row] = maximum + log(total)
            }
        }
        }
        }
        }
    }
}
