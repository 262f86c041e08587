/// A loop over the elements of up to four operands that share a logical shape but have their own
/// strides: the engine under every element-wise, broadcasting and copying kernel.
///
/// The layout is simplified once, up front: size-1 dimensions are dropped and neighbouring dimensions
/// that are contiguous for every operand are merged, so a contiguous tensor becomes one flat run and
/// the kernel's inner loop is a plain `for` over pointers that the compiler vectorizes.
struct StridedLoop {
    /// The simplified shape (at least one dimension).
    let shape: [Int]
    /// The simplified strides, one lane per operand (unused lanes are zero).
    let strides: [SIMD4<Int>]
    /// The number of elements.
    let count: Int

    /// Simplifies the layout of operands that all have logical shape `shape`.
    ///
    /// - Parameter operandStrides: one stride array per operand (at most four), each of `shape.count`.
    init(shape: [Int], operandStrides: [[Int]]) {
        precondition(operandStrides.count <= 4, "StridedLoop: at most four operands")
        count = Shape.elementCount(shape)
        var simplifiedShape: [Int] = []
        var simplifiedStrides: [SIMD4<Int>] = []
        for axis in 0..<shape.count where shape[axis] != 1 {
            var lane = SIMD4<Int>(repeating: 0)
            for (operand, strides) in operandStrides.enumerated() { lane[operand] = strides[axis] }
            if let lastSize = simplifiedShape.last, let lastStrides = simplifiedStrides.last,
                lastStrides == lane &* shape[axis]
            {
                // The previous dimension steps exactly over this one for every operand: merge them.
                simplifiedShape[simplifiedShape.count - 1] = lastSize * shape[axis]
                simplifiedStrides[simplifiedStrides.count - 1] = lane
            } else {
                simplifiedShape.append(shape[axis])
                simplifiedStrides.append(lane)
            }
        }
        if simplifiedShape.isEmpty {
            simplifiedShape = [1]
            simplifiedStrides = [SIMD4<Int>(repeating: 0)]
        }
        self.shape = simplifiedShape
        self.strides = simplifiedStrides
    }

    /// The strides of the innermost (fastest) dimension.
    var innerStrides: SIMD4<Int> { strides[strides.count - 1] }

    /// Calls `body(offsets, length)` for each run of consecutive inner elements among the logical
    /// elements `range`, where `offsets` are the operands' element offsets of the run's first element.
    @inline(__always)
    func forEachRun(in range: Range<Int>, _ body: (SIMD4<Int>, Int) -> Void) {
        if range.isEmpty { return }
        let rank = shape.count
        let innerSize = shape[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        var offsets = SIMD4<Int>(repeating: 0)
        var remainder = range.lowerBound
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            index[axis] = remainder % shape[axis]
            remainder /= shape[axis]
            offsets &+= strides[axis] &* index[axis]
        }
        var position = range.lowerBound
        while position < range.upperBound {
            let length = min(innerSize - index[rank - 1], range.upperBound - position)
            body(offsets, length)
            position += length
            offsets &+= strides[rank - 1] &* length
            index[rank - 1] += length
            if index[rank - 1] == innerSize && position < range.upperBound {
                // Carry into the outer dimensions.
                offsets &-= strides[rank - 1] &* innerSize
                index[rank - 1] = 0
                var axis = rank - 2
                while axis >= 0 {
                    index[axis] += 1
                    offsets &+= strides[axis]
                    if index[axis] < shape[axis] { break }
                    offsets &-= strides[axis] &* shape[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
    }

    /// Runs ``forEachRun(in:_:)`` over every element, split across ``ForgeThreads`` when the loop holds
    /// more than `grain` elements per thread. Runs must write disjoint outputs.
    @inline(__always)
    func run(grain: Int = 32_768, _ body: (SIMD4<Int>, Int) -> Void) {
        parallelChunks(count: count, grain: grain) { range in
            forEachRun(in: range, body)
        }
    }
}
