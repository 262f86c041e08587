public import ForgeAutograd
public import ForgeTensor

extension Variable {
    /// Inverted dropout: each element is zeroed with probability `probability` and the survivors are
    /// scaled by `1 / (1 − probability)`, so the expected value is unchanged.
    ///
    /// The mask is drawn from `generator`, which advances; the same generator state gives the same mask.
    public func dropout(
        probability: Double, generator: inout RandomGenerator, fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        precondition((0...1).contains(probability), "dropout: probability \(probability) is outside [0, 1]")
        precondition(dtype.isFloatingPoint, "dropout: input dtype \(dtype) is not floating point")
        if probability == 0 { return self }
        let mask: Tensor
        if probability == 1 {
            mask = Tensor.zeros(shape: shape, dtype: dtype)
        } else {
            mask =
                Tensor.bernoulli(shape: shape, probability: 1 - probability, generator: &generator).converted(to: dtype)
                * (1 / (1 - probability))
        }
        return Variable.record(
            "dropout", value: value * mask, inputs: [self], location: SourceLocation(fileID: fileID, line: line)
        ) { g in [g * mask] }
    }
}

/// Randomly zeroes elements during training, PyTorch's `nn.Dropout`.
///
/// In training mode each element is zeroed with probability ``probability`` and the others are scaled
/// by `1 / (1 − probability)`; in evaluation mode (``Module/eval()``) the layer is the identity. The layer
/// owns its random generator, which advances on every training call, so a seed makes training
/// reproducible bit for bit.
///
/// ```swift
/// let dropout = Dropout(probability: 0.1, seed: 42)
/// let y = dropout(hidden)      // training: masked and scaled
/// dropout.eval()
/// let z = dropout(hidden)      // evaluation: hidden itself
/// ```
public final class Dropout: Module, Layer {
    /// The probability of zeroing each element.
    public let probability: Double
    /// The generator the masks are drawn from; it advances on every training call.
    public var generator: RandomGenerator

    /// Creates a dropout layer drawing its masks from `generator`.
    public init(probability: Double = 0.5, generator: RandomGenerator) {
        precondition((0...1).contains(probability), "Dropout: probability \(probability) is outside [0, 1]")
        self.probability = probability
        self.generator = generator
        super.init()
    }

    /// Creates a dropout layer whose masks are seeded with `seed`.
    public convenience init(probability: Double = 0.5, seed: UInt64 = 0) {
        self.init(probability: probability, generator: RandomGenerator(seed: seed))
    }

    /// The masked and scaled input in training mode, the input itself in evaluation mode.
    public func forward(_ input: Variable) -> Variable {
        guard isTraining, probability > 0 else { return input }
        return input.dropout(probability: probability, generator: &generator)
    }

    /// A dropout layer has no parameters, buffers or children (skips reflection).
    public override func namedMembers() -> [(name: String, member: ModuleMember)] { [] }
}
