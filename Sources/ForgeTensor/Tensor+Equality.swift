extension Tensor: Equatable {
    /// Whether two tensors have the same dtype, shape and elements (NaN is unequal to everything, as in IEEE 754).
    ///
    /// Layout does not matter: a transposed view equals a contiguous copy of it.
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.dtype == rhs.dtype, lhs.shape == rhs.shape else { return false }
        if lhs.count == 0 { return true }
        return (lhs .== rhs).converted(to: .int64).sum().item(as: Int64.self) == Int64(lhs.count)
    }

    /// Whether every element of `self` is within `absoluteTolerance + relativeTolerance × |other|` of the
    /// element of `other` (shapes must be equal; dtypes may differ).
    ///
    /// - Parameters:
    ///   - other: the reference tensor.
    ///   - absoluteTolerance: the allowed absolute difference (NumPy's `atol`).
    ///   - relativeTolerance: the allowed difference relative to `other` (NumPy's `rtol`).
    ///   - nanEqual: whether NaN in both tensors at the same position counts as equal.
    public func isApproximatelyEqual(
        to other: Tensor, absoluteTolerance: Double = 1e-8, relativeTolerance: Double = 1e-5, nanEqual: Bool = false
    ) -> Bool {
        guard shape == other.shape else { return false }
        let a = doubleScalars
        let b = other.doubleScalars
        for index in a.indices {
            let (x, y) = (a[index], b[index])
            if x.isNaN || y.isNaN {
                if nanEqual && x.isNaN && y.isNaN { continue }
                return false
            }
            if x == y { continue }  // equal infinities
            if Swift.abs(x - y) > absoluteTolerance + relativeTolerance * Swift.abs(y) { return false }
        }
        return true
    }

    /// The largest absolute element-wise difference from `other` (shapes must be equal), for test messages.
    public func maximumAbsoluteDifference(from other: Tensor) -> Double {
        precondition(shape == other.shape, "maximumAbsoluteDifference: shapes \(shape) and \(other.shape) differ")
        let a = doubleScalars
        let b = other.doubleScalars
        var largest = 0.0
        for index in a.indices {
            let difference = Swift.abs(a[index] - b[index])
            if difference.isNaN { return .nan }
            largest = Swift.max(largest, difference)
        }
        return largest
    }
}
