/// Shape and stride arithmetic shared by the kernels.
package enum Shape {
    /// The product of the dimensions (1 for a scalar).
    @inline(__always)
    static func elementCount(_ shape: [Int]) -> Int {
        var result = 1
        for size in shape { result *= size }
        return result
    }

    /// Row-major strides for `shape`.
    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= max(shape[axis], 1)
        }
        return strides
    }

    /// Whether `strides` describe a gap-free row-major layout of `shape` (size-1 dimensions may have
    /// any stride).
    static func isContiguous(shape: [Int], strides: [Int]) -> Bool {
        var expected = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] != 1 {
            if shape[axis] == 0 { return true }
            if strides[axis] != expected { return false }
            expected *= shape[axis]
        }
        return true
    }

    /// Traps unless every dimension is non-negative.
    static func validate(_ shape: [Int], operation: String) {
        precondition(shape.allSatisfy { $0 >= 0 }, "\(operation): shape \(shape) has a negative dimension")
    }

    /// Resolves a possibly negative axis against `rank`, trapping with a message when out of range.
    static func normalizeAxis(_ axis: Int, rank: Int, operation: String) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        precondition(
            resolved >= 0 && resolved < max(rank, 1) && (rank > 0 || resolved == 0),
            "\(operation): axis \(axis) is out of range for a tensor of rank \(rank)")
        return resolved
    }

    /// Resolves a list of axes (empty means every axis), sorted and without duplicates.
    package static func normalizeAxes(_ axes: [Int]?, rank: Int, operation: String) -> [Int] {
        guard let axes, !axes.isEmpty else { return Array(0..<rank) }
        let resolved = axes.map { normalizeAxis($0, rank: rank, operation: operation) }
        precondition(Set(resolved).count == resolved.count, "\(operation): axes \(axes) repeat an axis")
        return resolved.sorted()
    }

    /// The NumPy broadcast of two shapes, or `nil` when they are incompatible.
    static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for index in 0..<rank {
            let x = index < rank - a.count ? 1 : a[index - (rank - a.count)]
            let y = index < rank - b.count ? 1 : b[index - (rank - b.count)]
            if x == y || y == 1 {
                result[index] = x
            } else if x == 1 {
                result[index] = y
            } else {
                return nil
            }
        }
        return result
    }

    /// The broadcast of two shapes, trapping with a message naming `operation` and both shapes.
    static func broadcastOrTrap(_ a: [Int], _ b: [Int], operation: String) -> [Int] {
        guard let shape = broadcast(a, b) else {
            preconditionFailure("\(operation): shapes \(a) and \(b) cannot be broadcast together")
        }
        return shape
    }

    /// Strides that read a tensor of `shape`/`strides` as if it had `target` shape (stride 0 along
    /// broadcast dimensions). `shape` must broadcast to `target`.
    static func broadcastStrides(shape: [Int], strides: [Int], to target: [Int]) -> [Int] {
        let lead = target.count - shape.count
        var result = [Int](repeating: 0, count: target.count)
        for axis in 0..<shape.count where shape[axis] != 1 || target[axis + lead] == 1 {
            result[axis + lead] = strides[axis]
        }
        return result
    }
}
