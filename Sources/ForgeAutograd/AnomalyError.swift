import ForgeTensor

/// Where in the program an operation was created.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file, as `#fileID` gives it (`Module/File.swift`).
    public let fileID: String
    /// The line.
    public let line: Int

    /// Creates a location.
    public init(fileID: String, line: Int) {
        self.fileID = fileID
        self.line = line
    }

    /// `Module/File.swift:42`.
    public var description: String { "\(fileID):\(line)" }
}

/// The first NaN or infinity that anomaly detection found.
public struct AnomalyError: Error, Sendable, CustomStringConvertible {
    /// Whether the value appeared computing a result or a gradient.
    public enum Phase: String, Sendable {
        /// A forward result.
        case forward
        /// A gradient during backward.
        case backward
    }

    /// The phase in which the value appeared.
    public let phase: Phase
    /// The operation that produced it (`"log"`, `"matmul"`, …).
    public let operation: String
    /// Where the operation was created, when known (operators such as `+` cannot capture their call site).
    public let location: SourceLocation?
    /// How many elements were NaN.
    public let nanCount: Int
    /// How many elements were infinite.
    public let infinityCount: Int
    /// The shape of the offending tensor.
    public let shape: [Int]

    /// A sentence naming the operation, the phase, the counts and the location.
    public var description: String {
        let place = location.map { " created at \($0)" } ?? ""
        let what = phase == .forward ? "result" : "gradient"
        return "anomaly: \(operation)\(place) produced a \(what) of shape \(shape) with \(nanCount) NaN and \(infinityCount) infinite values"
    }

    /// Checks `tensor`; returns an error when it holds NaN or infinity.
    static func check(
        _ tensor: Tensor, phase: Phase, operation: String, location: SourceLocation?
    ) -> AnomalyError? {
        guard tensor.dtype.isFloatingPoint, tensor.count > 0 else { return nil }
        let finite = tensor.isFinite().sum().item(as: Int64.self)
        if finite == Int64(tensor.count) { return nil }
        let nan = Int(tensor.isNaN().sum().item(as: Int64.self))
        return AnomalyError(
            phase: phase, operation: operation, location: location, nanCount: nan,
            infinityCount: tensor.count - Int(finite) - nan, shape: tensor.shape)
    }
}
