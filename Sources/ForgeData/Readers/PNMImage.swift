public import ForgeTensor

/// Netpbm images: PGM (grayscale, `P2` text / `P5` binary) and PPM (colour, `P3` / `P6`), with
/// 8- or 16-bit samples.
public enum PNMImage {
    /// Decodes a PGM or PPM file into a `float32` tensor `[channels, height, width]` (1 or 3
    /// channels), samples scaled to `[0, 1]` by the file's maximum value.
    ///
    /// - Throws: ``ForgeDataError`` with `path` and the byte offset as the column: `invalidMagic`,
    ///   `invalidValue` (bad header number, a sample above the maximum), `truncated`, `sizeMismatch`.
    public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws -> Tensor {
        func fail(_ code: ForgeDataError.Code, _ message: String, _ offset: Int) -> ForgeDataError {
            ForgeDataError(code: code, message: message, file: path, column: offset + 1)
        }
        guard bytes.count >= 2, bytes[0] == 0x50, (0x32...0x36).contains(bytes[1]), bytes[1] != 0x34 else {
            throw fail(.invalidMagic, "not a PGM/PPM image (expected P2, P3, P5 or P6)", 0)
        }
        let kind = bytes[1]
        let channels = kind == 0x33 || kind == 0x36 ? 3 : 1
        let binary = kind >= 0x35
        var position = 2

        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        func nextNumber(_ what: String) throws -> Int {
            while position < bytes.count {
                if bytes[position] == 0x23 {  // comment to end of line
                    while position < bytes.count && bytes[position] != 0x0A { position += 1 }
                } else if isSpace(bytes[position]) {
                    position += 1
                } else {
                    break
                }
            }
            guard position < bytes.count else { throw fail(.truncated, "the file ends before the \(what)", position) }
            let start = position
            var value = 0
            while position < bytes.count, case let digit = bytes[position] &- 0x30, digit < 10 {
                value = value * 10 + Int(digit)
                guard value <= 1 << 24 else { throw fail(.invalidValue, "\(what) is too large", start) }
                position += 1
            }
            guard position > start else {
                throw fail(.invalidValue, "expected the \(what), found byte \(bytes[start])", start)
            }
            return value
        }

        let width = try nextNumber("width")
        let height = try nextNumber("height")
        let maximum = try nextNumber("maximum value")
        guard width > 0, height > 0, (1...65_535).contains(maximum) else {
            throw fail(.invalidValue, "bad header: width \(width), height \(height), maximum \(maximum)", position)
        }
        let samples = width * height * channels
        var values = [Float](repeating: 0, count: samples)
        let scale = 1 / Float(maximum)
        if binary {
            position += 1  // the single whitespace byte after the maximum
            let sampleSize = maximum > 255 ? 2 : 1
            let needed = samples * sampleSize
            guard bytes.count - position >= needed else {
                throw fail(
                    .truncated,
                    "\(width)×\(height)×\(channels) image needs \(needed) bytes, \(Swift.max(0, bytes.count - position)) left",
                    bytes.count)
            }
            guard bytes.count - position == needed else {
                throw fail(
                    .sizeMismatch, "\(bytes.count - position - needed) bytes follow the image data", position + needed)
            }
            for index in 0..<samples {
                let offset = position + index * sampleSize
                let raw = sampleSize == 1 ? Int(bytes[offset]) : Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
                guard raw <= maximum else {
                    throw fail(.invalidValue, "sample \(raw) exceeds the maximum \(maximum)", offset)
                }
                values[index] = Float(raw) * scale
            }
        } else {
            for index in 0..<samples {
                let raw = try nextNumber("sample \(index)")
                guard raw <= maximum else {
                    throw fail(.invalidValue, "sample \(raw) exceeds the maximum \(maximum)", position)
                }
                values[index] = Float(raw) * scale
            }
        }
        // Files store pixels interleaved (HWC); tensors are channel-first (CHW).
        let interleaved = Tensor(values, shape: [height, width, channels])
        return interleaved.permuted([2, 0, 1]).contiguous()
    }

    /// Encodes a `[channels, height, width]` tensor with values in `[0, 1]` as binary PGM (1 channel)
    /// or PPM (3 channels), 8-bit.
    public static func encode(_ image: Tensor) -> [UInt8] {
        precondition(
            image.rank == 3 && (image.shape[0] == 1 || image.shape[0] == 3),
            "PNMImage.encode: expected [1 or 3, height, width], got \(image.shape)")
        let (channels, height, width) = (image.shape[0], image.shape[1], image.shape[2])
        var bytes = Array("\(channels == 1 ? "P5" : "P6")\n\(width) \(height)\n255\n".utf8)
        let interleaved = image.converted(to: .float32).permuted([1, 2, 0]).contiguous().scalars(as: Float.self)
        bytes += interleaved.map { UInt8((Swift.min(Swift.max($0, 0), 1) * 255).rounded()) }
        return bytes
    }
}
