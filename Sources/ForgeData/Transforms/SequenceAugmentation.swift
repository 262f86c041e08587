public import ForgeTensor

/// Shifts each sequence of a batch along its last (time) axis by a random whole number of steps in
/// `-maxShift...maxShift`, filling the vacated steps with zeros. Works on `[N, T]` and `[N, C, T]`.
public struct TimeShift: Transform {
    /// The largest shift either way, in steps.
    public var maxShift: Int

    /// Creates the transform.
    public init(maxShift: Int) {
        precondition(maxShift >= 0, "TimeShift: maxShift \(maxShift) is negative")
        self.maxShift = maxShift
    }

    /// The batch with each sequence shifted.
    public func apply(_ input: Tensor, generator: inout RandomGenerator) -> Tensor {
        let (n, rows, length) = SequenceBatch.dimensions(input, "TimeShift")
        let source = ImageBatch.floats(input)
        var output = Tensor.zeros(shape: input.shape)
        source.withUnsafeBufferPointer(as: Float.self) { x in
            output.withUnsafeMutableBufferPointer(as: Float.self) { y in
                for example in 0..<n {
                    let shift = Int(generator.next(below: UInt64(2 * maxShift + 1))) - maxShift
                    for row in 0..<rows {
                        let base = (example * rows + row) * length
                        for step in 0..<length where (0..<length).contains(step - shift) {
                            y[base + step] = x[base + step - shift]
                        }
                    }
                }
            }
        }
        return output
    }
}

/// Zeroes `count` random spans of up to `maxWidth` steps per sequence (SpecAugment's time masking).
public struct TimeMask: Transform {
    /// The longest span, in steps.
    public var maxWidth: Int
    /// The spans per sequence.
    public var count: Int

    /// Creates the transform.
    public init(maxWidth: Int, count: Int = 1) {
        precondition(maxWidth >= 0 && count >= 0, "TimeMask: maxWidth \(maxWidth), count \(count)")
        self.maxWidth = maxWidth
        self.count = count
    }

    /// The batch with masked spans (all channels of a sequence share its spans).
    public func apply(_ input: Tensor, generator: inout RandomGenerator) -> Tensor {
        let (n, rows, length) = SequenceBatch.dimensions(input, "TimeMask")
        var output = ImageBatch.floats(input)
        output.withUnsafeMutableBufferPointer(as: Float.self) { y in
            for example in 0..<n {
                for _ in 0..<count {
                    let width = Int(generator.next(below: UInt64(maxWidth + 1)))
                    let start = Int(generator.next(below: UInt64(Swift.max(1, length - width + 1))))
                    for row in 0..<rows {
                        let base = (example * rows + row) * length
                        for step in start..<Swift.min(length, start + width) { y[base + step] = 0 }
                    }
                }
            }
        }
        return output
    }
}

enum SequenceBatch {
    /// (examples, rows per example, steps) for `[N, T]` or `[N, C, T]`.
    static func dimensions(_ input: Tensor, _ operation: String) -> (Int, Int, Int) {
        precondition(
            input.rank == 2 || input.rank == 3, "\(operation): expected [N, T] or [N, C, T], got \(input.shape)")
        return input.rank == 2 ? (input.shape[0], 1, input.shape[1]) : (input.shape[0], input.shape[1], input.shape[2])
    }
}
