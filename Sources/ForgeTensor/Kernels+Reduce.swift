// The reduction engine: folds the elements of a tensor over some axes into an output of the kept axes.

/// Elements per block when a whole tensor is reduced in parallel. Fixed, so the partial results — and
/// therefore the floating-point result — do not depend on the number of threads.
let reductionBlockSize = 16_384

extension Tensor {
    /// The shape of reducing `axes` (sorted, resolved) with or without keeping size-1 dimensions.
    func reducedShape(_ axes: [Int], keepingDimensions: Bool) -> [Int] {
        var result: [Int] = []
        for axis in 0..<rank {
            if axes.contains(axis) {
                if keepingDimensions { result.append(1) }
            } else {
                result.append(shape[axis])
            }
        }
        return result
    }

    /// Folds the elements over `axes` with `combine`, starting each output from `identity`.
    ///
    /// `merge` joins two partial accumulators; it is used for the eight independent partial results that
    /// let the inner loop of a row reduction vectorize, and for the blocks of a whole-tensor reduction.
    @inline(__always)
    func reduceElements<T: TensorElement, A: TensorElement>(
        axes axisList: [Int]?, keepingDimensions: Bool, operation: String, _: T.Type, identity: A,
        combine: (A, T) -> A, merge: (A, A) -> A
    ) -> Tensor {
        checkDType(T.self, operation: operation)
        let axes = Shape.normalizeAxes(axisList, rank: rank, operation: operation)
        let outputShape = reducedShape(axes, keepingDimensions: keepingDimensions)
        let result = Tensor(uninitializedShape: outputShape, dtype: A.dtype)
        let output = result.basePointer(as: A.self)
        output.initialize(repeating: identity, count: result.count)
        if count == 0 { return result }
        let input = basePointer(as: T.self)

        // Eight independent accumulators: breaks the loop-carried dependency so the loop vectorizes
        // and the rounding error grows like n/8 instead of n.
        @inline(__always)
        func foldRun(_ x: UnsafeMutablePointer<T>, _ length: Int, _ step: Int, _ start: A) -> A {
            var partial = (identity, identity, identity, identity, identity, identity, identity, identity)
            var index = 0
            if step == 1 {
                while index + 8 <= length {
                    partial.0 = combine(partial.0, x[index])
                    partial.1 = combine(partial.1, x[index + 1])
                    partial.2 = combine(partial.2, x[index + 2])
                    partial.3 = combine(partial.3, x[index + 3])
                    partial.4 = combine(partial.4, x[index + 4])
                    partial.5 = combine(partial.5, x[index + 5])
                    partial.6 = combine(partial.6, x[index + 6])
                    partial.7 = combine(partial.7, x[index + 7])
                    index += 8
                }
            }
            var tail = identity
            while index < length {
                tail = combine(tail, x[index * step])
                index += 1
            }
            let low = merge(merge(partial.0, partial.1), merge(partial.2, partial.3))
            let high = merge(merge(partial.4, partial.5), merge(partial.6, partial.7))
            return merge(start, merge(merge(low, high), tail))
        }

        if result.count == 1 {
            // A whole-tensor reduction: fixed-size blocks folded in parallel, then merged in order.
            let loop = StridedLoop(shape: shape, operandStrides: [strides])
            let step = loop.innerStrides[0]
            let blocks = (count + reductionBlockSize - 1) / reductionBlockSize
            var partials = [A](repeating: identity, count: blocks)
            partials.withUnsafeMutableBufferPointer { partials in
                let partialBase = partials.baseAddress!
                withExtendedLifetime(self) {
                    parallelChunks(count: blocks, grain: 4) { blockRange in
                        for block in blockRange {
                            let start = block * reductionBlockSize
                            let end = Swift.min(start + reductionBlockSize, count)
                            var accumulator = identity
                            loop.forEachRun(in: start..<end) { offsets, length in
                                accumulator = foldRun(input + offsets[0], length, step, accumulator)
                            }
                            partialBase[block] = accumulator
                        }
                    }
                }
            }
            var total = identity
            for partial in partials { total = merge(total, partial) }
            output[0] = total
            return result
        }

        // Partial reduction: walk the input once, each element folding into its output slot.
        var outputStrides = [Int](repeating: 0, count: rank)
        var running = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) where !axes.contains(axis) {
            outputStrides[axis] = running
            running *= shape[axis]
        }
        let loop = StridedLoop(shape: shape, operandStrides: [outputStrides, strides])
        let inner = loop.innerStrides
        withExtendedLifetime((self, result)) {
            loop.forEachRun(in: 0..<count) { offsets, length in
                let o = output + offsets[0]
                let x = input + offsets[1]
                if inner[0] == 0 {
                    o[0] = foldRun(x, length, inner[1], o[0])
                } else if inner[1] == 1 {
                    for i in 0..<length { o[i] = combine(o[i], x[i]) }
                } else {
                    let step = inner[1]
                    for i in 0..<length { o[i] = combine(o[i], x[i * step]) }
                }
            }
        }
        return result
    }

    /// The index of the first extreme element along `axis` (`greater` picks the maximum); NaN counts as
    /// the extreme, as in PyTorch.
    @inline(__always)
    func argExtreme<T: TensorNumeric>(
        axis: Int, keepingDimensions: Bool, operation: String, _: T.Type, isBetter: (T, T) -> Bool
    ) -> Tensor {
        let resolved = Shape.normalizeAxis(axis, rank: rank, operation: operation)
        let length = shape[resolved]
        precondition(length > 0, "\(operation): axis \(axis) of shape \(shape) is empty")
        let outputShape = reducedShape([resolved], keepingDimensions: keepingDimensions)
        let result = Tensor(uninitializedShape: outputShape, dtype: .int64)
        var keptShape = shape
        keptShape[resolved] = 1
        var keptStrides = strides
        keptStrides[resolved] = 0
        let loop = StridedLoop(shape: keptShape, operandStrides: [Shape.contiguousStrides(keptShape), keptStrides])
        let inner = loop.innerStrides
        let step = strides[resolved]
        let output = result.basePointer(as: Int64.self)
        let input = basePointer(as: T.self)
        withExtendedLifetime((self, result)) {
            loop.forEachRun(in: 0..<loop.count) { offsets, runLength in
                for position in 0..<runLength {
                    let x = input + offsets[1] + position * inner[1]
                    var best = x[0]
                    var bestIndex = 0
                    for index in 1..<Swift.max(length, 1) where isBetter(x[index * step], best) {
                        best = x[index * step]
                        bestIndex = index
                    }
                    output[offsets[0] + position * inner[0]] = Int64(bestIndex)
                }
            }
        }
        return result
    }
}
