public import ForgeTensor
import Foundation

/// Random crops after zero padding (the CIFAR recipe), per image of an NCHW batch.
///
/// ```swift
/// let augment = RandomCrop(height: 32, width: 32, padding: 4).then(RandomHorizontalFlip())
/// ```
public struct RandomCrop: Transform {
    /// The crop's height.
    public var height: Int
    /// The crop's width.
    public var width: Int
    /// Zeros added on every side before cropping.
    public var padding: Int

    /// Creates the transform.
    public init(height: Int, width: Int, padding: Int = 0) {
        precondition(height > 0 && width > 0 && padding >= 0, "RandomCrop: size \(height)×\(width), padding \(padding)")
        self.height = height
        self.width = width
        self.padding = padding
    }

    /// A `[N, C, height, width]` batch; each image's window is drawn independently.
    public func apply(_ input: Tensor, generator: inout RandomGenerator) -> Tensor {
        let (n, c, h, w) = ImageBatch.dimensions(input, "RandomCrop")
        precondition(
            h + 2 * padding >= height && w + 2 * padding >= width,
            "RandomCrop: \(height)×\(width) crop of a \(h)×\(w) image padded by \(padding)")
        let source = ImageBatch.floats(input)
        var output = Tensor.zeros(shape: [n, c, height, width])
        source.withUnsafeBufferPointer(as: Float.self) { x in
            output.withUnsafeMutableBufferPointer(as: Float.self) { y in
                for image in 0..<n {
                    let top = Int(generator.next(below: UInt64(h + 2 * padding - height + 1))) - padding
                    let left = Int(generator.next(below: UInt64(w + 2 * padding - width + 1))) - padding
                    for channel in 0..<c {
                        let inBase = (image * c + channel) * h * w
                        let outBase = (image * c + channel) * height * width
                        for row in 0..<height where (0..<h).contains(top + row) {
                            for column in 0..<width where (0..<w).contains(left + column) {
                                y[outBase + row * width + column] = x[inBase + (top + row) * w + left + column]
                            }
                        }
                    }
                }
            }
        }
        return output
    }
}

/// Mirrors each image of an NCHW batch left-right with probability `probability`.
public struct RandomHorizontalFlip: Transform {
    /// The chance that an image is flipped.
    public var probability: Double

    /// Creates the transform.
    public init(probability: Double = 0.5) {
        precondition((0...1).contains(probability), "RandomHorizontalFlip: probability \(probability) outside [0, 1]")
        self.probability = probability
    }

    /// The batch with some images mirrored.
    public func apply(_ input: Tensor, generator: inout RandomGenerator) -> Tensor {
        let (n, c, h, w) = ImageBatch.dimensions(input, "RandomHorizontalFlip")
        var output = ImageBatch.floats(input)
        output.withUnsafeMutableBufferPointer(as: Float.self) { y in
            for image in 0..<n where generator.nextUnit() < probability {
                for line in 0..<(c * h) {
                    let base = (image * c * h + line) * w
                    for column in 0..<(w / 2) { y.swapAt(base + column, base + w - 1 - column) }
                }
            }
        }
        return output
    }
}

/// Small random rotations, shifts and zooms about the image centre, bilinear, zero fill.
public struct RandomAffine: Transform {
    /// The largest rotation either way, in degrees.
    public var maxRotationDegrees: Double
    /// The largest shift either way, as a fraction of the image size.
    public var maxTranslation: Double
    /// The zoom factor range.
    public var scaleRange: ClosedRange<Double>

    /// Creates the transform.
    public init(maxRotationDegrees: Double = 10, maxTranslation: Double = 0, scaleRange: ClosedRange<Double> = 1...1) {
        precondition(
            maxRotationDegrees >= 0 && maxTranslation >= 0 && scaleRange.lowerBound > 0,
            "RandomAffine: rotation \(maxRotationDegrees), translation \(maxTranslation), scale \(scaleRange)")
        self.maxRotationDegrees = maxRotationDegrees
        self.maxTranslation = maxTranslation
        self.scaleRange = scaleRange
    }

    /// The batch with each image warped by its own random transform.
    public func apply(_ input: Tensor, generator: inout RandomGenerator) -> Tensor {
        let (n, c, h, w) = ImageBatch.dimensions(input, "RandomAffine")
        let source = ImageBatch.floats(input)
        var output = Tensor.zeros(shape: input.shape)
        let centerY = Double(h - 1) / 2
        let centerX = Double(w - 1) / 2
        source.withUnsafeBufferPointer(as: Float.self) { x in
            output.withUnsafeMutableBufferPointer(as: Float.self) { y in
                for image in 0..<n {
                    let angle = (generator.nextUnit() * 2 - 1) * maxRotationDegrees * .pi / 180
                    let shiftY = (generator.nextUnit() * 2 - 1) * maxTranslation * Double(h)
                    let shiftX = (generator.nextUnit() * 2 - 1) * maxTranslation * Double(w)
                    let scale =
                        scaleRange.lowerBound + generator.nextUnit() * (scaleRange.upperBound - scaleRange.lowerBound)
                    // Inverse map: output pixel → source position.
                    let cosine = cos(angle) / scale
                    let sine = sin(angle) / scale
                    for row in 0..<h {
                        for column in 0..<w {
                            let dy = Double(row) - centerY - shiftY
                            let dx = Double(column) - centerX - shiftX
                            let sourceY = cosine * dy - sine * dx + centerY
                            let sourceX = sine * dy + cosine * dx + centerX
                            let y0 = Int(sourceY.rounded(.down))
                            let x0 = Int(sourceX.rounded(.down))
                            let fy = Float(sourceY - Double(y0))
                            let fx = Float(sourceX - Double(x0))
                            for channel in 0..<c {
                                let base = (image * c + channel) * h * w
                                func pixel(_ r: Int, _ q: Int) -> Float {
                                    r >= 0 && r < h && q >= 0 && q < w ? x[base + r * w + q] : 0
                                }
                                let top = pixel(y0, x0) * (1 - fx) + pixel(y0, x0 + 1) * fx
                                let bottom = pixel(y0 + 1, x0) * (1 - fx) + pixel(y0 + 1, x0 + 1) * fx
                                y[base + row * w + column] = top * (1 - fy) + bottom * fy
                            }
                        }
                    }
                }
            }
        }
        return output
    }
}

/// Zeroes one random `size × size` square per image (clipped at the borders), all channels.
public struct Cutout: Transform {
    /// The square's side.
    public var size: Int

    /// Creates the transform.
    public init(size: Int) {
        precondition(size > 0, "Cutout: size \(size) must be positive")
        self.size = size
    }

    /// The batch with one square cut out of each image.
    public func apply(_ input: Tensor, generator: inout RandomGenerator) -> Tensor {
        let (n, c, h, w) = ImageBatch.dimensions(input, "Cutout")
        var output = ImageBatch.floats(input)
        output.withUnsafeMutableBufferPointer(as: Float.self) { y in
            for image in 0..<n {
                let centerY = Int(generator.next(below: UInt64(h)))
                let centerX = Int(generator.next(below: UInt64(w)))
                let rows = Swift.max(0, centerY - size / 2)..<Swift.min(h, centerY - size / 2 + size)
                let columns = Swift.max(0, centerX - size / 2)..<Swift.min(w, centerX - size / 2 + size)
                for channel in 0..<c {
                    let base = (image * c + channel) * h * w
                    for row in rows { for column in columns { y[base + row * w + column] = 0 } }
                }
            }
        }
        return output
    }
}

/// Adds Gaussian noise to every element (images, sequences, audio, tables).
public struct GaussianNoise: Transform {
    /// The noise's standard deviation.
    public var standardDeviation: Double

    /// Creates the transform.
    public init(standardDeviation: Double) {
        precondition(standardDeviation >= 0, "GaussianNoise: standard deviation \(standardDeviation) is negative")
        self.standardDeviation = standardDeviation
    }

    /// `input + N(0, std²)`, float32 (float64 stays float64).
    public func apply(_ input: Tensor, generator: inout RandomGenerator) -> Tensor {
        let dtype: DType = input.dtype == .float64 ? .float64 : .float32
        let noise = Tensor.normal(
            shape: input.shape, standardDeviation: standardDeviation, dtype: dtype, generator: &generator)
        return input.converted(to: dtype) + noise
    }
}

/// Shape checks and float32 copies for the image transforms.
enum ImageBatch {
    static func dimensions(_ input: Tensor, _ operation: String) -> (Int, Int, Int, Int) {
        precondition(input.rank == 4, "\(operation): expected an NCHW batch, got shape \(input.shape)")
        return (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    }

    static func floats(_ input: Tensor) -> Tensor {
        (input.dtype == .float32 ? input : input.converted(to: .float32)).contiguous()
    }
}
