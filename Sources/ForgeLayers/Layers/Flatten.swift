public import ForgeAutograd

/// Flattens a range of axes into one, PyTorch's `nn.Flatten` (by default every axis but the batch).
///
/// ```swift
/// let flatten = Flatten()
/// flatten(Variable(Tensor.zeros(shape: [32, 4, 6, 6]))).shape   // [32, 144]
/// ```
public final class Flatten: Module, Layer {
    /// The first axis flattened.
    public let startAxis: Int
    /// The last axis flattened (negative counts from the end).
    public let endAxis: Int

    /// Creates a flattening layer over `startAxis...endAxis` (defaults: 1 and -1, as in PyTorch).
    public init(startAxis: Int = 1, endAxis: Int = -1) {
        self.startAxis = startAxis
        self.endAxis = endAxis
        super.init()
    }

    /// No members.
    public override func namedMembers() -> [(name: String, member: ModuleMember)] { [] }

    /// The input with axes `startAxis...endAxis` merged (a view when the input is contiguous).
    public func forward(_ input: Variable) -> Variable {
        input.flattened(startAxis: startAxis, endAxis: endAxis)
    }
}
