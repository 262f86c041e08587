public import ForgeAutograd
import ForgeTensor

/// Layer normalization over the last dimensions, PyTorch's `nn.LayerNorm`.
///
/// Every slice over the trailing ``normalizedShape`` dimensions is normalized to mean 0 and variance 1,
/// then scaled by ``weight`` (initialized to ones) and shifted by ``bias`` (zeros).
///
/// ```swift
/// let norm = LayerNorm(normalizedShape: [64])
/// let y = norm(Variable(x))   // x: [batch, tokens, 64]
/// ```
public final class LayerNorm: Module, Layer {
    /// The trailing dimensions that are normalized.
    public let normalizedShape: [Int]
    /// Added to the variance before the square root.
    public let epsilon: Double
    /// The per-element scale (`normalizedShape`), or nil without an elementwise affine map.
    public let weight: Variable?
    /// The per-element shift (`normalizedShape`), or nil without an elementwise affine map or bias.
    public let bias: Variable?

    /// Creates a layer normalization over the trailing `normalizedShape` dimensions.
    ///
    /// - Parameters:
    ///   - normalizedShape: the trailing dimensions of the inputs to normalize over.
    ///   - epsilon: added to the variance for stability (PyTorch's default `1e-5`).
    ///   - elementwiseAffine: whether to learn a scale and a shift.
    ///   - bias: whether the affine map has a shift.
    public init(normalizedShape: [Int], epsilon: Double = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true) {
        precondition(
            !normalizedShape.isEmpty && normalizedShape.allSatisfy { $0 > 0 },
            "LayerNorm: normalized shape \(normalizedShape) must be non-empty with positive dimensions")
        precondition(epsilon >= 0, "LayerNorm: epsilon \(epsilon) is negative")
        self.normalizedShape = normalizedShape
        self.epsilon = epsilon
        weight = elementwiseAffine ? Variable(Tensor.ones(shape: normalizedShape), requiresGradient: true) : nil
        self.bias =
            elementwiseAffine && bias ? Variable(Tensor.zeros(shape: normalizedShape), requiresGradient: true) : nil
        super.init()
    }

    /// Creates a layer normalization over the last dimension of size `features`.
    public convenience init(features: Int, epsilon: Double = 1e-5) {
        self.init(normalizedShape: [features], epsilon: epsilon)
    }

    /// The normalized input, same shape as `input`.
    public func forward(_ input: Variable) -> Variable {
        Variable.layerNorm(input, normalizedShape: normalizedShape, weight: weight, bias: bias, epsilon: epsilon)
    }

    /// Parameters in PyTorch's order (`weight`, `bias`), without reflection.
    public override func namedMembers() -> [(name: String, member: ModuleMember)] {
        var members: [(name: String, member: ModuleMember)] = []
        if let weight { members.append(("weight", .parameter(weight))) }
        if let bias { members.append(("bias", .parameter(bias))) }
        return members
    }
}
