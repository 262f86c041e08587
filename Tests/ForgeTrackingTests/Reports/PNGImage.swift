import CZlib
import Foundation

/// A decoded 8-bit RGB or RGBA PNG (what Chromium writes for screenshots), as RGB pixels.
struct PNGImage {
    var width: Int
    var height: Int
    /// Row-major RGB triples.
    var pixels: [UInt8]

    struct DecodingError: Error, CustomStringConvertible {
        var description: String
    }

    init(contentsOf url: URL) throws {
        let data = [UInt8](try Data(contentsOf: url))
        guard data.count > 8, data.prefix(8).elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw DecodingError(description: "\(url.path): not a PNG file")
        }
        func readUInt32(_ offset: Int) -> Int {
            data[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        var offset = 8
        var width = 0
        var height = 0
        var colorType = 0
        var compressed: [UInt8] = []
        while offset + 8 <= data.count {
            let length = readUInt32(offset)
            let type = String(decoding: data[offset + 4..<offset + 8], as: UTF8.self)
            let body = offset + 8
            guard body + length <= data.count else { throw DecodingError(description: "truncated \(type) chunk") }
            switch type {
            case "IHDR":
                width = readUInt32(body)
                height = readUInt32(body + 4)
                guard data[body + 8] == 8, data[body + 12] == 0 else {
                    throw DecodingError(description: "only 8-bit, non-interlaced PNGs are supported")
                }
                colorType = Int(data[body + 9])
            case "IDAT":
                compressed += data[body..<body + length]
            default:
                break
            }
            offset = body + length + 4
        }
        let channels: Int
        switch colorType {
        case 2: channels = 3
        case 6: channels = 4
        default: throw DecodingError(description: "colour type \(colorType) is not RGB or RGBA")
        }
        let stride = width * channels
        var raw = [UInt8](repeating: 0, count: height * (stride + 1))
        var rawLength = uLongf(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { output in
            compressed.withUnsafeBufferPointer { input in
                uncompress(output.baseAddress, &rawLength, input.baseAddress, uLong(input.count))
            }
        }
        guard status == Z_OK, Int(rawLength) == raw.count else {
            throw DecodingError(description: "zlib status \(status), \(rawLength) of \(raw.count) bytes")
        }
        // Undo the per-row filters (PNG specification, section 9).
        var image = [UInt8](repeating: 0, count: height * stride)
        for row in 0..<height {
            let filter = raw[row * (stride + 1)]
            let source = row * (stride + 1) + 1
            let target = row * stride
            for column in 0..<stride {
                let x = raw[source + column]
                let left = column >= channels ? Int(image[target + column - channels]) : 0
                let up = row > 0 ? Int(image[target - stride + column]) : 0
                let upLeft = row > 0 && column >= channels ? Int(image[target - stride + column - channels]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = left
                case 2: predictor = up
                case 3: predictor = (left + up) / 2
                case 4:
                    let estimate = left + up - upLeft
                    let (a, b, c) = (abs(estimate - left), abs(estimate - up), abs(estimate - upLeft))
                    predictor = a <= b && a <= c ? left : (b <= c ? up : upLeft)
                default: throw DecodingError(description: "unknown filter \(filter) in row \(row)")
                }
                image[target + column] = UInt8(truncatingIfNeeded: Int(x) + predictor)
            }
        }
        self.width = width
        self.height = height
        if channels == 3 {
            pixels = image
        } else {
            pixels = []
            pixels.reserveCapacity(width * height * 3)
            for index in 0..<(width * height) {
                pixels += image[index * 4..<index * 4 + 3]
            }
        }
    }

    /// The RGB value at a pixel.
    func pixel(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        let index = (y * width + x) * 3
        return (pixels[index], pixels[index + 1], pixels[index + 2])
    }
}
