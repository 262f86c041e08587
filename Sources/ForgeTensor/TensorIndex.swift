/// One entry of a tensor subscript: an index, a range with a step, a new axis or every remaining axis.
///
/// ```swift
/// let row = images[3]                          // drops the first dimension
/// let crop = images[.all, .all, 2..<6, 2..<6] // a view, no copy
/// let evens = sequence[TensorIndex.range(0, nil, step: 2)]
/// ```
public struct TensorIndex: Sendable, Hashable {
    /// What the entry selects.
    package enum Kind: Sendable, Hashable {
        case index(Int)
        case range(Int?, Int?, step: Int)
        case all
        case newAxis
        case ellipsis
    }

    /// What the entry selects.
    package let kind: Kind
}

/// A value that can stand in a tensor subscript: integers, Swift ranges and ``TensorIndex``.
public protocol TensorIndexConvertible: Sendable {
    /// The subscript entry this value means.
    var tensorIndex: TensorIndex { get }
}

extension TensorIndex: TensorIndexConvertible {
    /// The entry itself.
    public var tensorIndex: TensorIndex { self }
}

extension TensorIndexConvertible where Self == TensorIndex {
    /// One position (negative counts from the end); the dimension is removed.
    public static func index(_ position: Int) -> TensorIndex { TensorIndex(kind: .index(position)) }
    /// Positions `start, start + step, …` below `end` (nil bounds mean the dimension's ends; negative
    /// bounds count from the end and are clamped, as in Python). The step must be positive.
    public static func range(_ start: Int?, _ end: Int?, step: Int = 1) -> TensorIndex {
        TensorIndex(kind: .range(start, end, step: step))
    }
    /// The whole dimension.
    public static var all: TensorIndex { TensorIndex(kind: .all) }
    /// Inserts a new dimension of size 1.
    public static var newAxis: TensorIndex { TensorIndex(kind: .newAxis) }
    /// As many whole dimensions as needed to cover the dimensions not otherwise indexed.
    public static var ellipsis: TensorIndex { TensorIndex(kind: .ellipsis) }
}

extension Int: TensorIndexConvertible {
    /// `.index(self)`.
    public var tensorIndex: TensorIndex { .index(self) }
}

extension Range<Int>: TensorIndexConvertible {
    /// The positions of the range, step 1.
    public var tensorIndex: TensorIndex { .range(lowerBound, upperBound, step: 1) }
}

extension ClosedRange<Int>: TensorIndexConvertible {
    /// The positions of the range, both ends included.
    public var tensorIndex: TensorIndex { .range(lowerBound, upperBound == -1 ? nil : upperBound + 1, step: 1) }
}

extension PartialRangeFrom<Int>: TensorIndexConvertible {
    /// From `lowerBound` to the end.
    public var tensorIndex: TensorIndex { .range(lowerBound, nil, step: 1) }
}

extension PartialRangeUpTo<Int>: TensorIndexConvertible {
    /// From the start to below `upperBound`.
    public var tensorIndex: TensorIndex { .range(nil, upperBound, step: 1) }
}

extension PartialRangeThrough<Int>: TensorIndexConvertible {
    /// From the start through `upperBound`.
    public var tensorIndex: TensorIndex { .range(nil, upperBound == -1 ? nil : upperBound + 1, step: 1) }
}

extension Tensor {
    /// A view selected by `indices` (see ``TensorIndex``); setting assigns a broadcast value into it.
    public subscript(_ indices: any TensorIndexConvertible...) -> Tensor {
        get { view(indices.map(\.tensorIndex.kind)) }
        set {
            makeUnique()
            let target = view(indices.map(\.tensorIndex.kind))
            let value = newValue.converted(to: dtype)
            precondition(
                Shape.broadcast(target.shape, value.shape) == target.shape,
                "subscript: a value of shape \(value.shape) cannot be assigned to a view of shape \(target.shape)")
            Tensor.copyElements(from: value, into: target)
        }
    }

    /// The view `indices` select.
    package func view(_ indices: [TensorIndex.Kind]) -> Tensor {
        let ellipses = indices.filter { $0 == .ellipsis }.count
        precondition(ellipses <= 1, "subscript: at most one ellipsis")
        let consuming = indices.filter { $0 != .newAxis && $0 != .ellipsis }.count
        precondition(consuming <= rank, "subscript: \(consuming) indices for a tensor of shape \(shape)")
        var expanded: [TensorIndex.Kind] = []
        for entry in indices {
            if entry == .ellipsis {
                expanded += Array(repeating: .all, count: rank - consuming)
            } else {
                expanded.append(entry)
            }
        }
        var newShape: [Int] = []
        var newStrides: [Int] = []
        var newOffset = offset
        var axis = 0
        for entry in expanded {
            switch entry {
            case .newAxis:
                newShape.append(1)
                newStrides.append(axis < rank ? strides[axis] * shape[axis] : 1)
            case .all, .ellipsis:
                newShape.append(shape[axis])
                newStrides.append(strides[axis])
                axis += 1
            case .index(let position):
                let size = shape[axis]
                let resolved = position < 0 ? position + size : position
                precondition(
                    resolved >= 0 && resolved < size,
                    "subscript: index \(position) is out of range for dimension \(axis) of size \(size) (shape \(shape))")
                newOffset += resolved * strides[axis]
                axis += 1
            case .range(let start, let end, let step):
                precondition(step > 0, "subscript: step must be positive, got \(step)")
                let size = shape[axis]
                func clamp(_ bound: Int?, _ fallback: Int) -> Int {
                    guard let bound else { return fallback }
                    return Swift.min(Swift.max(bound < 0 ? bound + size : bound, 0), size)
                }
                let lower = clamp(start, 0)
                let upper = Swift.max(clamp(end, size), lower)
                newShape.append((upper - lower + step - 1) / step)
                newStrides.append(strides[axis] * step)
                newOffset += lower * strides[axis]
                axis += 1
            }
        }
        while axis < rank {
            newShape.append(shape[axis])
            newStrides.append(strides[axis])
            axis += 1
        }
        return Tensor(storage: storage, shape: newShape, strides: newStrides, offset: newOffset)
    }
}

