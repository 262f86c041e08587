/// im2col and col2im: the layout changes that turn a convolution into a matrix product.
///
/// For a batch of `images` NCHW images, the im2col matrix has one row per (channel, kernel row, kernel
/// column) — row `(c·kH + i)·kW + j` — and one column per (image, output row, output column) — column
/// `image·Ho·Wo + oh·Wo + ow`. Entry = `input[image, c, oh·sh − ph + i·dh, ow·sw − pw + j·dw]`, or zero
/// where that position falls in the padding. col2im is its adjoint: it adds every entry back onto the
/// input position it came from.
///
/// Both split the work over (image, channel) pairs: each pair owns `kH·kW` rows × `Ho·Wo` columns of
/// the matrix and one input plane, so the threads write disjoint memory.
enum Im2Col {
    /// Fills `columns` (row stride `rowStride`, at least `images·Ho·Wo`) from `images` contiguous
    /// images starting at `input`.
    static func unfold<T: TensorFloatingPoint>(
        input: UnsafePointer<T>, images: Int, geometry: Conv2dGeometry,
        columns: UnsafeMutablePointer<T>, rowStride: Int
    ) {
        let channels = geometry.inputChannels
        let planeWork = geometry.kernelArea * geometry.outputPlane
        parallelChunks(count: images * channels, grain: max(1, 32_768 / max(planeWork, 1))) { tasks in
            for task in tasks {
                let image = task / channels
                let channel = task % channels
                unfoldPlane(
                    plane: input + task * geometry.inputPlane, geometry: geometry,
                    rows: columns + channel * geometry.kernelArea * rowStride + image * geometry.outputPlane,
                    rowStride: rowStride)
            }
        }
    }

    /// Adds `columns` (laid out as ``unfold(input:images:geometry:columns:rowStride:)`` writes it) onto
    /// `images` contiguous images starting at `input`, which the caller has initialised (usually zeroed).
    static func fold<T: TensorFloatingPoint>(
        columns: UnsafePointer<T>, rowStride: Int, images: Int, geometry: Conv2dGeometry,
        input: UnsafeMutablePointer<T>
    ) {
        let channels = geometry.inputChannels
        let planeWork = geometry.kernelArea * geometry.outputPlane
        parallelChunks(count: images * channels, grain: max(1, 32_768 / max(planeWork, 1))) { tasks in
            for task in tasks {
                let image = task / channels
                let channel = task % channels
                foldPlane(
                    rows: columns + channel * geometry.kernelArea * rowStride + image * geometry.outputPlane,
                    rowStride: rowStride, geometry: geometry, plane: input + task * geometry.inputPlane)
            }
        }
    }

    /// The output columns `ow` in `start..<end` whose input column `ow·stride + shift` lies in
    /// `0..<inputLength`; the range is empty (start == end) when none does.
    @inline(__always)
    static func validRange(shift: Int, stride: Int, inputLength: Int, outputLength: Int) -> (start: Int, end: Int) {
        let start = shift >= 0 ? 0 : min((-shift + stride - 1) / stride, outputLength)
        let last = inputLength - 1 - shift
        let end = last < 0 ? 0 : min(last / stride + 1, outputLength)
        return (start, max(start, end))
    }

    /// im2col of one input plane into its `kH·kW` rows.
    @inline(__always)
    private static func unfoldPlane<T: TensorFloatingPoint>(
        plane: UnsafePointer<T>, geometry g: Conv2dGeometry, rows: UnsafeMutablePointer<T>, rowStride: Int
    ) {
        let p = g.parameters
        let (outputHeight, outputWidth) = (g.outputHeight, g.outputWidth)
        for kernelRow in 0..<g.kernelHeight {
            let rowShift = kernelRow * p.dilation.height - p.padding.height
            for kernelColumn in 0..<g.kernelWidth {
                let columnShift = kernelColumn * p.dilation.width - p.padding.width
                let row = rows + (kernelRow * g.kernelWidth + kernelColumn) * rowStride
                let (start, end) = validRange(
                    shift: columnShift, stride: p.stride.width, inputLength: g.inputWidth, outputLength: outputWidth)
                for outputRow in 0..<outputHeight {
                    let inputRow = outputRow * p.stride.height + rowShift
                    let destination = row + outputRow * outputWidth
                    guard inputRow >= 0 && inputRow < g.inputHeight else {
                        destination.update(repeating: .zero, count: outputWidth)
                        continue
                    }
                    // `plane[base + ow · stride]` is the input element under output column `ow`.
                    let base = inputRow * g.inputWidth + columnShift
                    for column in 0..<start { destination[column] = .zero }
                    if p.stride.width == 1 {
                        if end > start {
                            (destination + start).update(from: plane + (base + start), count: end - start)
                        }
                    } else {
                        let step = p.stride.width
                        for column in start..<end { destination[column] = plane[base + column * step] }
                    }
                    for column in end..<outputWidth { destination[column] = .zero }
                }
            }
        }
    }

    /// col2im of one input plane's `kH·kW` rows, accumulated onto the plane.
    @inline(__always)
    private static func foldPlane<T: TensorFloatingPoint>(
        rows: UnsafePointer<T>, rowStride: Int, geometry g: Conv2dGeometry, plane: UnsafeMutablePointer<T>
    ) {
        let p = g.parameters
        let (outputHeight, outputWidth) = (g.outputHeight, g.outputWidth)
        for kernelRow in 0..<g.kernelHeight {
            let rowShift = kernelRow * p.dilation.height - p.padding.height
            for kernelColumn in 0..<g.kernelWidth {
                let columnShift = kernelColumn * p.dilation.width - p.padding.width
                let row = rows + (kernelRow * g.kernelWidth + kernelColumn) * rowStride
                let (start, end) = validRange(
                    shift: columnShift, stride: p.stride.width, inputLength: g.inputWidth, outputLength: outputWidth)
                for outputRow in 0..<outputHeight {
                    let inputRow = outputRow * p.stride.height + rowShift
                    guard inputRow >= 0 && inputRow < g.inputHeight else { continue }
                    let source = row + outputRow * outputWidth
                    let base = inputRow * g.inputWidth + columnShift
                    let step = p.stride.width
                    for column in start..<end { plane[base + column * step] += source[column] }
                }
            }
        }
    }
}
