import ForgeTensor
import Testing

@testable import ForgeData

@Suite("ForgeData augmentation")
struct AugmentationTests {
    /// Images [2, 1, 3, 4] with pixel value = 100 × image + 10 × row + column.
    let images: Tensor = {
        let values: [Float] = (0..<24).map { (index: Int) -> Float in
            let image = index / 12
            let row = (index % 12) / 4
            return Float(image * 100 + row * 10 + index % 4)
        }
        return Tensor(values, shape: [2, 1, 3, 4])
    }()

    @Test func randomCropMatchesReplayedDraws() {
        var generator = RandomGenerator(seed: 3)
        var replay = generator
        let crop = RandomCrop(height: 2, width: 3, padding: 1).apply(images, generator: &generator)
        #expect(crop.shape == [2, 1, 2, 3])
        let values = crop.scalars(as: Float.self)
        for image in 0..<2 {
            let top = Int(replay.next(below: 4)) - 1
            let left = Int(replay.next(below: 4)) - 1
            for row in 0..<2 {
                for column in 0..<3 {
                    let (r, c) = (top + row, left + column)
                    let expected: Float =
                        (0..<3).contains(r) && (0..<4).contains(c) ? Float(image * 100 + r * 10 + c) : 0
                    #expect(values[image * 6 + row * 3 + column] == expected)
                }
            }
        }
        #expect(generator == replay)
    }

    @Test func flipAndDeterminism() {
        var generator = RandomGenerator(seed: 1)
        let flipped = RandomHorizontalFlip(probability: 1).apply(images, generator: &generator)
        #expect(Array(flipped.scalars(as: Float.self).prefix(4)) == [3, 2, 1, 0])
        #expect(RandomHorizontalFlip(probability: 0)(images).scalars(as: Float.self) == images.scalars(as: Float.self))
        var first = RandomGenerator(seed: 8)
        var second = RandomGenerator(seed: 8)
        let pipeline = RandomHorizontalFlip().then(RandomCrop(height: 3, width: 4, padding: 2)).then(Cutout(size: 2))
        #expect(
            pipeline.apply(images, generator: &first).scalars(as: Float.self)
                == pipeline.apply(images, generator: &second).scalars(as: Float.self))
    }

    @Test func affineIdentityAndSmallRotation() {
        #expect(RandomAffine(maxRotationDegrees: 0)(images).scalars(as: Float.self) == images.scalars(as: Float.self))
        // A centred 3×3 block in a 9×9 image keeps its mass (±5 %) under a small rotation.
        var block = [Float](repeating: 0, count: 81)
        for row in 3..<6 { for column in 3..<6 { block[row * 9 + column] = 1 } }
        let image = Tensor(block, shape: [1, 1, 9, 9])
        var generator = RandomGenerator(seed: 5)
        let rotated = RandomAffine(maxRotationDegrees: 15).apply(image, generator: &generator)
        let mass = rotated.scalars(as: Float.self).reduce(0, +)
        #expect(abs(mass - 9) < 0.45)
        #expect(rotated.scalars(as: Float.self) != block)
    }

    @Test func cutoutZeroesOneClippedSquare() {
        var generator = RandomGenerator(seed: 2)
        var replay = generator
        let ones = Tensor.ones(shape: [3, 2, 5, 5])
        let cut = Cutout(size: 2).apply(ones, generator: &generator).scalars(as: Float.self)
        for image in 0..<3 {
            let centerY = Int(replay.next(below: 5))
            let centerX = Int(replay.next(below: 5))
            let rows = max(0, centerY - 1)..<min(5, centerY + 1)
            let columns = max(0, centerX - 1)..<min(5, centerX + 1)
            for channel in 0..<2 {
                for row in 0..<5 {
                    for column in 0..<5 {
                        let expected: Float = rows.contains(row) && columns.contains(column) ? 0 : 1
                        #expect(cut[((image * 2 + channel) * 5 + row) * 5 + column] == expected)
                    }
                }
            }
        }
    }

    @Test func gaussianNoiseStatistics() {
        var generator = RandomGenerator(seed: 4)
        let noisy = GaussianNoise(standardDeviation: 0.5).apply(
            Tensor.full(shape: [100, 1000], value: 2), generator: &generator)
        let values = noisy.scalars(as: Float.self).map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        #expect(abs(mean - 2) < 0.005 && abs(variance.squareRoot() - 0.5) < 0.005)
    }

    @Test func timeShiftAndMask() {
        let sequences = Tensor((1...12).map(Float.init), shape: [2, 6])
        var generator = RandomGenerator(seed: 6)
        var replay = generator
        let shifted = TimeShift(maxShift: 2).apply(sequences, generator: &generator).scalars(as: Float.self)
        for example in 0..<2 {
            let shift = Int(replay.next(below: 5)) - 2
            for step in 0..<6 {
                let source = step - shift
                let expected: Float = (0..<6).contains(source) ? Float(example * 6 + source + 1) : 0
                #expect(shifted[example * 6 + step] == expected)
            }
        }
        var maskGenerator = RandomGenerator(seed: 7)
        var maskReplay = maskGenerator
        let audio = Tensor.ones(shape: [4, 2, 50])
        let masked = TimeMask(maxWidth: 10).apply(audio, generator: &maskGenerator).scalars(as: Float.self)
        for example in 0..<4 {
            let width = Int(maskReplay.next(below: 11))
            let start = Int(maskReplay.next(below: UInt64(50 - width + 1)))
            for channel in 0..<2 {
                let row = Array(masked[(example * 2 + channel) * 50..<(example * 2 + channel + 1) * 50])
                #expect(
                    row.enumerated().allSatisfy { ($0.element == 0) == (start..<start + width).contains($0.offset) })
            }
        }
    }
}
