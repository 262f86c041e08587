import Foundation

extension Tensor: CustomStringConvertible, CustomDebugStringConvertible {
    /// Tensors with more elements than this are summarized with `...`, as PyTorch does.
    static let summarizeThreshold = 1000
    /// Elements shown at each end of a summarized dimension.
    static let edgeItems = 3

    /// A PyTorch-like rendering: `tensor([[1.0000, 2.5000], [3.0000, 4.0000]])`, with `dtype=` when the
    /// type is not `float32` and `...` in the middle of dimensions of large tensors.
    public var description: String {
        let values = doubleScalars
        let summarize = count > Tensor.summarizeThreshold
        let formatter = ElementFormatter(values: values, dtype: dtype)
        var text = "tensor("
        if rank == 0 {
            text += values.first.map(formatter.format) ?? ""
        } else {
            render(values, axis: 0, offset: 0, indent: 8, summarize: summarize, formatter: formatter, into: &text)
        }
        if count == 0 { text += ", size=\(shape)" }
        if dtype != .float32 { text += ", dtype=\(dtype)" }
        return text + ")"
    }

    /// The description with the shape and strides.
    public var debugDescription: String { "\(description) shape=\(shape) strides=\(strides) offset=\(offset)" }

    private func render(
        _ values: [Double], axis: Int, offset: Int, indent: Int, summarize: Bool, formatter: ElementFormatter,
        into text: inout String
    ) {
        let size = shape[axis]
        let innerCount = shape[(axis + 1)...].reduce(1, *)
        var positions = Array(0..<size)
        var gapAfter: Int?
        if summarize && size > 2 * Tensor.edgeItems {
            positions = Array(0..<Tensor.edgeItems) + Array((size - Tensor.edgeItems)..<size)
            gapAfter = Tensor.edgeItems - 1
        }
        text += "["
        for (number, position) in positions.enumerated() {
            if number > 0 {
                if axis == rank - 1 {
                    text += ", "
                } else {
                    text += "," + String(repeating: "\n", count: rank - 1 - axis) + String(repeating: " ", count: indent)
                }
            }
            if axis == rank - 1 {
                text += formatter.format(values[offset + position])
            } else {
                render(
                    values, axis: axis + 1, offset: offset + position * innerCount, indent: indent + 1,
                    summarize: summarize, formatter: formatter, into: &text)
            }
            if number == gapAfter {
                text += axis == rank - 1 ? ", ..." : ",\n" + String(repeating: " ", count: indent) + "..."
            }
        }
        text += "]"
    }
}

/// Formats elements the way PyTorch prints them: integers plainly, booleans as `true`/`false`, and
/// floating-point values with four decimals, or in scientific notation when the magnitudes span a wide range.
private struct ElementFormatter {
    let dtype: DType
    let scientific: Bool
    let integral: Bool

    init(values: [Double], dtype: DType) {
        self.dtype = dtype
        let finite = values.filter { $0.isFinite }
        let magnitudes = finite.map(Swift.abs).filter { $0 > 0 }
        let largest = magnitudes.max() ?? 0
        let smallest = magnitudes.min() ?? 0
        integral = finite.allSatisfy { $0.rounded() == $0 }
        // PyTorch's rule: whole numbers switch to scientific notation only past 1e8; other values also
        // when they are tiny or span more than three orders of magnitude.
        scientific =
            dtype.isFloatingPoint
            && (largest >= 1e8 || (!integral && ((smallest > 0 && smallest < 1e-4) || largest / smallest > 1000)))
    }

    func format(_ value: Double) -> String {
        switch dtype {
        case .bool: return value != 0 ? "true" : "false"
        case .int32, .int64, .int8, .uint8: return String(Int64(value))
        case .float32, .float64:
            if value.isNaN { return "nan" }
            if value.isInfinite { return value > 0 ? "inf" : "-inf" }
            if scientific { return String(format: "%.4e", value) }
            if integral { return String(format: "%.0f.", value) }
            return String(format: "%.4f", value)
        }
    }
}
