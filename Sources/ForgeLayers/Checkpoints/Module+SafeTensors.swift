import ForgeTensor
public import Foundation

extension Module {
    /// Writes ``stateDict()`` to a safetensors file, atomically (a crash leaves the old file or the new one).
    ///
    /// The file holds one tensor per dotted name, the same keys PyTorch's `state_dict` uses, so
    /// `safetensors.torch.load_file` reads it straight into the equivalent PyTorch model.
    ///
    /// ```swift
    /// try model.save(to: URL(fileURLWithPath: "model.safetensors"), metadata: ["epoch": "12"])
    /// ```
    ///
    /// - Parameters:
    ///   - url: the destination; its directory must exist.
    ///   - metadata: free-form string pairs stored in the file's header.
    /// - Throws: `TensorFileError` with the path when writing fails.
    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        try SafeTensors.write(stateDict(), metadata: metadata, to: url)
    }

    /// Reads a safetensors checkpoint and loads it with ``load(stateDict:strict:)``.
    ///
    /// Works with files written by ``save(to:metadata:)`` and with PyTorch `state_dict`s saved by
    /// `safetensors.torch.save_file` (float32/float64/int64 tensors).
    ///
    /// - Parameters:
    ///   - url: the checkpoint file.
    ///   - strict: whether any missing, unexpected or shape-mismatched key is an error (the default).
    /// - Returns: what was loaded and what did not match.
    /// - Throws: `TensorFileError` when the file is missing or malformed (nothing is changed), and
    ///   ``StateDictError`` naming the file and the problem keys in strict mode.
    @discardableResult
    public func load(contentsOf url: URL, strict: Bool = true) throws -> StateDictLoadReport {
        let (tensors, _) = try SafeTensors.read(from: url)
        return try load(stateDict: tensors, strict: strict, path: url.path)
    }
}
