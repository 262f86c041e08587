/// A declarative search space for grid search: the values to try for each parameter. The grid is their
/// Cartesian product.
///
/// ```swift
/// let space = try GridSearchSpace([
///     "optimizer": [.string("sgd"), .string("adam")], "batch": [.int(32), .int(64), .int(128)],
/// ])
/// space.count   // 6
/// ```
public struct GridSearchSpace: Sendable, Hashable {
    /// The parameter names, sorted (the grid's axis order).
    public let names: [String]
    /// The values of each axis, aligned with ``names``, in the order given.
    public let axes: [[ParameterValue]]

    /// Creates a grid from the values of each parameter.
    /// - Throws: ``TuningError/invalidArgument(reason:)`` when there is no parameter, an axis is empty,
    ///   or the grid has more than 2⁶² points.
    public init(_ values: [String: [ParameterValue]]) throws(TuningError) {
        guard !values.isEmpty else { throw .invalidArgument(reason: "a grid search space needs at least one parameter") }
        let sorted = values.sorted { $0.key < $1.key }
        var total = 1
        for (name, axis) in sorted {
            guard !axis.isEmpty else {
                throw .invalidArgument(reason: "grid search space: parameter '\(name)' has no values")
            }
            let (product, overflow) = total.multipliedReportingOverflow(by: axis.count)
            guard !overflow, product < 1 << 62 else {
                throw .invalidArgument(reason: "grid search space: more than 2^62 points")
            }
            total = product
        }
        names = sorted.map(\.key)
        axes = sorted.map(\.value)
    }

    /// The number of grid points.
    public var count: Int { axes.reduce(1) { $0 * $1.count } }

    /// Grid point `index` (0 ..< ``count``), the last axis varying fastest.
    public func point(at index: Int) -> [String: ParameterValue] {
        precondition(index >= 0 && index < count, "GridSearchSpace.point(at:): index \(index) outside 0..<\(count)")
        var remainder = index
        var result: [String: ParameterValue] = [:]
        for axis in axes.indices.reversed() {
            result[names[axis]] = axes[axis][remainder % axes[axis].count]
            remainder /= axes[axis].count
        }
        return result
    }
}

/// Thrown by a sampler whose finite search space has no point left for a new trial (a grid sampler after
/// every grid point got a trial). The trial that hit it is recorded as failed; stop the study.
public struct SearchSpaceExhausted: Error, Sendable, CustomStringConvertible {
    /// The number of points the space had.
    public let pointCount: Int
    /// The trial number that found no point.
    public let trialNumber: Int

    /// A readable explanation.
    public var description: String {
        "search space exhausted: all \(pointCount) grid points were assigned before trial \(trialNumber)"
    }
}
