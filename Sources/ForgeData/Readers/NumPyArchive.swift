public import ForgeTensor
public import Foundation

/// NumPy `.npz` archives (`np.savez`, stored, and `np.savez_compressed`, deflate): a ZIP of `.npy`
/// files, read into tensors by name. Single arrays (`.npy`) are read by ForgeTensor's `NumPyFile`.
///
/// ```swift
/// let arrays = try NumPyArchive.read(from: url)   // ["x": Tensor, "y": Tensor]
/// let dataset = TensorDataset(features: arrays["x"]!, labels: arrays["y"]!)
/// ```
public enum NumPyArchive {
    /// Reads every array of an `.npz` file, keyed by name (without the `.npy` suffix).
    ///
    /// - Throws: ``ForgeDataError`` naming the file (and the byte offset as the column) for a
    ///   damaged archive: `invalidMagic`, `truncated`, `sizeMismatch`, `invalidValue` (bad CRC or
    ///   header), `unsupported` (other compression methods); a damaged member's `TensorFileError`
    ///   is wrapped as `invalidValue` with the member's name.
    public static func read(from url: URL) throws -> [String: Tensor] {
        try decode(Array(readFileBytes(url)), path: url.path)
    }

    /// Decodes the bytes of an `.npz` file; `path` is used in errors.
    public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws -> [String: Tensor] {
        let archive = try ZipArchive(bytes: bytes, path: path)
        var result: [String: Tensor] = [:]
        for entry in archive.entries {
            let contents = try archive.contents(of: entry)
            let name = entry.name.hasSuffix(".npy") ? String(entry.name.dropLast(4)) : entry.name
            do {
                result[name] = try NumPyFile.decode(Data(contents))
            } catch {
                throw ForgeDataError(code: .invalidValue, message: "member '\(entry.name)': \(error)", file: path)
            }
        }
        return result
    }
}
