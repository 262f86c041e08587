public import ForgeAutograd
import ForgeTensor

/// The state and behaviour shared by ``BatchNorm1d`` and ``BatchNorm2d`` (PyTorch's `_BatchNorm`).
///
/// In training mode the layer normalizes each channel with the mean and biased variance of the batch
/// and updates the running statistics with the unbiased variance:
/// `running = (1 − momentum) · running + momentum · batch` (a cumulative average when `momentum` is
/// nil). In evaluation mode it normalizes with the running statistics. Members carry PyTorch's names —
/// `weight`, `bias`, `running_mean`, `running_var`, `num_batches_tracked` (int64) — so checkpoints
/// interchange with PyTorch's `state_dict`.
public class BatchNormalization: Module {
    /// The number of channels `C`.
    public let features: Int
    /// Added to the variance before the square root.
    public let epsilon: Double
    /// The weight of each batch in the running statistics, or nil for a cumulative average.
    public let momentum: Double?
    /// γ, `[C]`, initialized to ones; nil when the layer is not affine.
    public let weight: Variable?
    /// β, `[C]`, initialized to zeros; nil when the layer is not affine.
    public let bias: Variable?
    /// The running mean `[C]` (PyTorch's `running_mean`), zeros at first; nil when not tracked.
    public let runningMean: Buffer?
    /// The running unbiased variance `[C]` (PyTorch's `running_var`), ones at first; nil when not tracked.
    public let runningVariance: Buffer?
    /// The number of training batches seen, an int64 scalar (PyTorch's `num_batches_tracked`).
    public let numBatchesTracked: Buffer?

    /// Creates the layer.
    ///
    /// - Parameters:
    ///   - features: the number of channels `C`.
    ///   - epsilon: added to the variance (PyTorch's `eps`, default 1e-5).
    ///   - momentum: the running-statistics update weight (default 0.1), nil for a cumulative average.
    ///   - affine: whether to learn γ and β.
    ///   - trackRunningStatistics: whether to keep running statistics; without them evaluation also uses
    ///     batch statistics.
    public init(
        features: Int, epsilon: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true,
        trackRunningStatistics: Bool = true
    ) {
        precondition(features > 0, "\(Self.self): features \(features) must be positive")
        precondition(epsilon > 0, "\(Self.self): epsilon \(epsilon) must be positive")
        if let momentum {
            precondition((0...1).contains(momentum), "\(Self.self): momentum \(momentum) must be in [0, 1]")
        }
        self.features = features
        self.epsilon = epsilon
        self.momentum = momentum
        weight = affine ? Variable(Tensor.ones(shape: [features]), requiresGradient: true) : nil
        bias = affine ? Variable(Tensor.zeros(shape: [features]), requiresGradient: true) : nil
        runningMean = trackRunningStatistics ? Buffer(Tensor.zeros(shape: [features])) : nil
        runningVariance = trackRunningStatistics ? Buffer(Tensor.ones(shape: [features])) : nil
        numBatchesTracked = trackRunningStatistics ? Buffer(Tensor(Int64(0))) : nil
        super.init()
    }

    /// `weight`, `bias`, `running_mean`, `running_var`, `num_batches_tracked` — PyTorch's names, no reflection.
    public override func namedMembers() -> [(name: String, member: ModuleMember)] {
        var members: [(name: String, member: ModuleMember)] = []
        if let weight { members.append(("weight", .parameter(weight))) }
        if let bias { members.append(("bias", .parameter(bias))) }
        if let runningMean { members.append(("running_mean", .buffer(runningMean))) }
        if let runningVariance { members.append(("running_var", .buffer(runningVariance))) }
        if let numBatchesTracked { members.append(("num_batches_tracked", .buffer(numBatchesTracked))) }
        return members
    }

    /// Resets the running statistics to zeros, ones and a count of 0.
    public func resetRunningStatistics() {
        runningMean?.value = Tensor.zeros(shape: [features])
        runningVariance?.value = Tensor.ones(shape: [features])
        numBatchesTracked?.value = Tensor(Int64(0))
    }

    /// Normalizes `input` `[N, C, …]` in the current mode and updates the running statistics in training.
    func normalize(_ input: Variable) -> Variable {
        precondition(
            input.rank >= 2 && input.shape[1] == features,
            "\(type(of: self)): input \(input.shape) must have \(features) channels on axis 1")
        var statistics: (mean: Tensor, variance: Tensor)? = nil
        if !isTraining, let runningMean, let runningVariance {
            statistics = (runningMean.value, runningVariance.value)
        }
        let (output, batchMean, batchVariance) = Variable.batchNormalized(
            input, weight: weight, bias: bias, statistics: statistics, epsilon: epsilon)
        if isTraining, let runningMean, let runningVariance, let numBatchesTracked,
            let batchMean, let batchVariance
        {
            let tracked = numBatchesTracked.value.item(as: Int64.self) + 1
            numBatchesTracked.value = Tensor(tracked)
            let factor = momentum ?? 1 / Double(tracked)
            let count = Double(input.count / features)
            let correction = count / (count - 1)
            Self.blend(runningMean, with: batchMean, factor: factor, scale: 1)
            Self.blend(runningVariance, with: batchVariance, factor: factor, scale: correction)
        }
        return output
    }

    /// `buffer = (1 − factor) · buffer + factor · scale · values`, in place.
    private static func blend(_ buffer: Buffer, with values: [Double], factor: Double, scale: Double) {
        switch buffer.value.dtype {
        case .float32:
            buffer.value.withUnsafeMutableBufferPointer(as: Float.self) { running in
                for c in running.indices {
                    running[c] = Float((1 - factor) * Double(running[c]) + factor * scale * values[c])
                }
            }
        default:
            var values64 = buffer.value.converted(to: .float64)
            values64.withUnsafeMutableBufferPointer(as: Double.self) { running in
                for c in running.indices { running[c] = (1 - factor) * running[c] + factor * scale * values[c] }
            }
            buffer.value = values64.converted(to: buffer.value.dtype)
        }
    }
}

/// Batch normalization over `[N, C]` or `[N, C, L]` input, PyTorch's `nn.BatchNorm1d`.
///
/// ```swift
/// let norm = BatchNorm1d(features: 128)
/// let hidden = norm(linear(x)).relu()   // training: batch statistics; after norm.eval(): running ones
/// ```
public final class BatchNorm1d: BatchNormalization, Layer {
    /// Normalizes `[N, C]` or `[N, C, L]` input per channel.
    public func forward(_ input: Variable) -> Variable {
        precondition(
            input.rank == 2 || input.rank == 3, "BatchNorm1d: input \(input.shape) must be [N, C] or [N, C, L]")
        return normalize(input)
    }
}

/// Batch normalization over `[N, C, H, W]` input, PyTorch's `nn.BatchNorm2d`.
///
/// ```swift
/// let norm = BatchNorm2d(features: 8)
/// let features = norm(conv(images)).relu()
/// ```
public final class BatchNorm2d: BatchNormalization, Layer {
    /// Normalizes `[N, C, H, W]` input per channel.
    public func forward(_ input: Variable) -> Variable {
        precondition(input.rank == 4, "BatchNorm2d: input \(input.shape) must be [N, C, H, W]")
        return normalize(input)
    }
}
