import ForgeTensor
import Foundation
import Testing

@testable import ForgeData

@Suite("ForgeData binary readers")
struct BinaryReaderTests {
    func code(_ body: () throws -> Any) -> ForgeDataError.Code? {
        do {
            _ = try body()
            return nil
        } catch { return (error as? ForgeDataError)?.code }
    }

    @Test func readsNumPyArchivesStoredAndCompressed() throws {
        // Written by NumPy 2: np.savez(x=arange(12)/4 as float32 [3, 4], y=[1, -2, 3] int64) and
        // np.savez_compressed of the same plus big = linspace(0, 1, 5000).
        for name in ["stored.npz", "compressed.npz"] {
            let arrays = try NumPyArchive.read(from: Fixtures.url(name))
            let x = try #require(arrays["x"])
            #expect(x.shape == [3, 4] && x.dtype == .float32)
            #expect(x.scalars(as: Float.self) == (0..<12).map { Float($0) / 4 })
            #expect(arrays["y"]?.scalars(as: Int64.self) == [1, -2, 3])
        }
        let big = try #require(try NumPyArchive.read(from: Fixtures.url("compressed.npz"))["big"])
        #expect(big.shape == [5000])
        #expect(abs(big.scalars(as: Double.self)[2500] - 2500.0 / 4999) < 1e-15)
    }

    @Test func malformedArchives() throws {
        let stored = Array(try Data(contentsOf: Fixtures.url("stored.npz")))
        let compressed = Array(try Data(contentsOf: Fixtures.url("compressed.npz")))
        #expect(code { try NumPyArchive.decode(Array(stored.prefix(10))) } == .truncated)
        #expect(code { try NumPyArchive.decode(Array("not a zip at all, just text".utf8)) } == .invalidMagic)
        #expect(code { try NumPyArchive.decode(Array(stored.dropLast(30))) } == .truncated)
        var corrupted = stored
        corrupted[200] ^= 0xFF  // inside x.npy's data: the CRC no longer matches
        #expect(code { try NumPyArchive.decode(corrupted) } == .invalidValue)
        var badDeflate = compressed
        for index in 100..<140 { badDeflate[index] = 0xFF }
        let failure = code { try NumPyArchive.decode(badDeflate) }
        #expect(failure == .invalidValue || failure == .truncated)
        #expect(code { try NumPyArchive.read(from: URL(fileURLWithPath: "/nonexistent.npz")) } == .fileNotFound)
        // A central directory that understates big.npy's size: inflation stops at the declared size.
        var lying = compressed
        for offset in 0..<(lying.count - 46) where lying[offset..<offset + 4].elementsEqual([0x50, 0x4B, 0x01, 0x02]) {
            let nameLength = Int(lying[offset + 28]) | Int(lying[offset + 29]) << 8
            if String(decoding: lying[offset + 46..<offset + 46 + nameLength], as: UTF8.self) == "big.npy" {
                lying.replaceSubrange(offset + 24..<offset + 28, with: [100, 0, 0, 0])
            }
        }
        #expect(lying != compressed)
        #expect(code { try NumPyArchive.decode(lying) } == .sizeMismatch)
    }

    @Test func idxRoundTripAndGzip() throws {
        let images = Tensor((0..<24).map { UInt8($0 * 10) }, shape: [2, 3, 4])
        let bytes = IDXFile.encode(images)
        #expect(Array(bytes.prefix(8)) == [0, 0, 8, 3, 0, 0, 0, 2])
        let decoded = try IDXFile.decode(bytes)
        #expect(decoded.shape == [2, 3, 4] && decoded.dtype == .uint8)
        #expect(decoded.scalars(as: UInt8.self) == images.scalars(as: UInt8.self))
        let floats = Tensor([1.5, -2, 3e8] as [Float])
        #expect(try IDXFile.decode(IDXFile.encode(floats)).scalars(as: Float.self) == [1.5, -2, 3e8])
        let ints = Tensor([-7, 1 << 30] as [Int32])
        #expect(try IDXFile.decode(IDXFile.encode(ints)).scalars(as: Int32.self) == [-7, 1 << 30])
        // Labels [3, 1, 4] gzip-compressed by Python's gzip module (mtime 0).
        let gzip: [UInt8] = [
            0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x63, 0x60, 0xe0, 0x60, 0x64, 0x60, 0x60, 0x60,
            0x66, 0x66, 0x64, 0x01, 0x00, 0x85, 0xf7, 0x70, 0x12, 0x0b, 0x00, 0x00, 0x00,
        ]
        #expect(try IDXFile.decode(gzip).scalars(as: UInt8.self) == [3, 1, 4])
    }

    @Test func malformedIDX() {
        let valid = IDXFile.encode(Tensor((0..<6).map { UInt8($0) }, shape: [2, 3]))
        #expect(code { try IDXFile.decode([0, 0]) } == .truncated)
        #expect(code { try IDXFile.decode([1, 0, 8, 1, 0, 0, 0, 1, 5]) } == .invalidMagic)
        #expect(code { try IDXFile.decode([0, 0, 0x42, 1, 0, 0, 0, 1, 5]) } == .unsupported)
        #expect(code { try IDXFile.decode(Array(valid.prefix(9))) } == .truncated)  // inside the dimensions
        #expect(code { try IDXFile.decode(Array(valid.dropLast())) } == .truncated)  // header promises 6 bytes
        #expect(code { try IDXFile.decode(valid + [9]) } == .sizeMismatch)
        #expect(
            code { try IDXFile.decode([0, 0, 8, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) } == .sizeMismatch)
        do {
            _ = try IDXFile.decode(Array(valid.dropLast()), path: "labels.idx")
        } catch let error as ForgeDataError {
            #expect(error.file == "labels.idx" && error.column == 17)  // the file ends at byte 17 of the promised 18
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func pnmImagesAndFolders() throws {
        let ascii = try PNMImage.decode(Array("P2\n# comment\n3 2\n4\n0 1 2\n3 4 0\n".utf8))
        #expect(ascii.shape == [1, 2, 3])
        #expect(ascii.scalars(as: Float.self) == [0, 0.25, 0.5, 0.75, 1, 0])
        let color = try PNMImage.decode(Array("P6 2 1 255\n".utf8) + [255, 0, 0, 0, 0, 255])
        #expect(color.shape == [3, 1, 2])
        #expect(color.scalars(as: Float.self) == [1, 0, 0, 0, 0, 1])  // red plane, green plane, blue plane
        let deep = try PNMImage.decode(Array("P5 1 1 65535\n".utf8) + [0x80, 0x00])
        #expect(abs(deep.item(as: Float.self) - 32768 / 65535) < 1e-7)

        #expect(code { try PNMImage.decode(Array("P7 1 1 255\n".utf8)) } == .invalidMagic)
        #expect(code { try PNMImage.decode(Array("P5 2 2 255\n".utf8) + [1, 2, 3]) } == .truncated)
        #expect(code { try PNMImage.decode(Array("P5 1 1 255\n".utf8) + [1, 2]) } == .sizeMismatch)
        #expect(code { try PNMImage.decode(Array("P2 1 1 10\n11\n".utf8)) } == .invalidValue)
        #expect(code { try PNMImage.decode(Array("P2 x 1 10\n".utf8)) } == .invalidValue)
        #expect(code { try PNMImage.decode(Array("P2 2 1 10\n1".utf8)) } == .truncated)

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("images-\(UUID().uuidString)")
        for (folder, value) in [("dog", 1.0), ("cat", 0.5)] {
            let directory = root.appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for index in 0..<2 {
                let image = Tensor.full(shape: [1, 2, 2], value: value / Double(index + 1))
                try Data(PNMImage.encode(image)).write(to: directory.appendingPathComponent("\(index).pgm"))
            }
        }
        let dataset = try ImageFolderDataset(root: root)
        #expect(dataset.classNames == ["cat", "dog"])
        #expect(dataset.count == 4)
        #expect(dataset[2].label.item(as: Int64.self) == 1)
        #expect(abs(dataset[0].features.scalars(as: Float.self)[0] - 128 / 255) < 1e-6)
        #expect(dataset.batch(at: [3, 0]).features.shape == [2, 1, 2, 2])
        let odd = root.appendingPathComponent("dog/odd.pgm")
        try Data(PNMImage.encode(Tensor.zeros(shape: [1, 3, 3]))).write(to: odd)
        #expect(code { try ImageFolderDataset(root: root) } == .sizeMismatch)
        #expect(code { try ImageFolderDataset(root: root.appendingPathComponent("none")) } == .fileNotFound)
    }
}
