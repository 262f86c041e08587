import Foundation
import Testing

@testable import ForgeVersioning

/// A fresh temporary directory, removed when the value is released by the test.
final class TemporaryDirectory {
    let url: URL
    var path: String { url.path }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("forge-versioning-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// A path below the directory.
    func appending(_ relative: String) -> URL { url.appendingPathComponent(relative) }

    /// Writes `data` at `relative`, creating parent folders.
    func write(_ data: Data, at relative: String) throws {
        let target = appending(relative)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: target)
    }

    /// Writes UTF-8 `text` at `relative`.
    func write(_ text: String, at relative: String) throws { try write(Data(text.utf8), at: relative) }
}

/// Deterministic pseudo-random bytes (xorshift64*), so tests can make large files quickly.
func pseudoRandomBytes(count: Int, seed: UInt64) -> Data {
    var state = seed | 1
    var data = Data(count: count)
    data.withUnsafeMutableBytes { raw in
        let words = count / 8
        let pointer = raw.baseAddress!
        for index in 0..<words {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            pointer.storeBytes(of: state &* 0x2545_F491_4F6C_DD1D, toByteOffset: index * 8, as: UInt64.self)
        }
        for index in (words * 8)..<count { raw[index] = UInt8(truncatingIfNeeded: index &* 31) }
    }
    return data
}

/// Makes a small dataset tree: `train/a.csv`, `train/b.csv`, `test/c.csv`, `README.md`.
func makeDataset(in directory: TemporaryDirectory, root: String = "data") throws -> URL {
    try directory.write("x,y\n1,2\n", at: "\(root)/train/a.csv")
    try directory.write("x,y\n3,4\n", at: "\(root)/train/b.csv")
    try directory.write("x,y\n5,6\n", at: "\(root)/test/c.csv")
    try directory.write("# digits\n", at: "\(root)/README.md")
    return directory.appending(root)
}
