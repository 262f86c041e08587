public import Foundation

/// Reading and writing tensors in the safetensors format (Hugging Face), the format Forge checkpoints use.
///
/// A safetensors file is an 8-byte little-endian header length `N`, `N` bytes of UTF-8 JSON, then
/// one byte buffer holding every tensor's little-endian row-major data:
///
/// ```text
/// {"__metadata__":{"epoch":"3"},"bias":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},...}
/// ```
///
/// The file is data only — it cannot run code — and the reader treats it as hostile: it checks the
/// header size, every field, every offset and the byte count of every shape (with overflow-checked
/// arithmetic) against the real size of the file before it allocates anything, and it requires the
/// tensors to cover the data buffer exactly (no overlaps, no holes), as the format specification does.
/// Anything wrong is reported as a ``TensorFileError`` whose ``TensorFileError/code`` says what.
///
/// Supported dtypes: `F32`, `F64`, `I32`, `I64`, `BOOL`, `I8`, `U8` (``DType``'s cases). Others,
/// such as `F16` and `BF16`, are rejected with ``TensorFileError/Code/unknownDType``.
///
/// ```swift
/// let weights = ["linear.weight": Tensor.ones(shape: [4, 3]), "linear.bias": Tensor.zeros(shape: [4])]
/// try SafeTensors.write(weights, metadata: ["epoch": "3"], to: url)
/// let (tensors, metadata) = try SafeTensors.read(from: url)
/// ```
///
/// The writer orders tensors as the reference `safetensors` library does (wider dtypes first, then by
/// name) and pads the header with spaces to a multiple of 8 bytes, so the same tensors always give the
/// same bytes — byte for byte what Python's `safetensors.numpy.save` writes for them.
public enum SafeTensors {
    /// The largest header the reader accepts, in bytes (the limit of the reference Rust implementation).
    public static let maximumHeaderSize = 100_000_000

    /// The key of the string-to-string metadata entry in the header.
    static let metadataKey = "__metadata__"

    /// Encodes tensors and metadata as the bytes of a safetensors file.
    ///
    /// Tensors may be views of any layout; they are written contiguous, row-major and little-endian.
    ///
    /// - Parameters:
    ///   - tensors: the tensors by name.
    ///   - metadata: free-form string pairs stored under `__metadata__`; omitted from the file when empty.
    /// - Returns: the complete file contents.
    /// - Throws: ``TensorFileError`` with code ``TensorFileError/Code/invalidName`` when a tensor is
    ///   named `__metadata__`.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) throws -> Data {
        let (header, ordered) = try prepare(tensors, metadata: metadata)
        var data = Data()
        data.reserveCapacity(header.count + ordered.reduce(0) { $0 + $1.tensor.count * $1.tensor.dtype.byteSize })
        data.append(contentsOf: header)
        for (_, tensor) in ordered {
            TensorBytes.withLittleEndianBytes(of: tensor) { data.append(contentsOf: $0) }
        }
        return data
    }

    /// Decodes the bytes of a safetensors file.
    ///
    /// - Parameter data: the complete file contents.
    /// - Returns: the tensors by name (contiguous, each with its own storage) and the metadata (empty
    ///   when the file has none).
    /// - Throws: ``TensorFileError`` describing the first problem found; nothing is allocated for the
    ///   tensors until the whole header has been validated against `data.count`.
    public static func decode(_ data: Data) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        try load(from: DataByteSource(data: data))
    }

    /// Writes tensors and metadata to a safetensors file, atomically.
    ///
    /// The bytes go to a temporary file in the same directory, which is flushed to disk and then
    /// renamed over `url`: a crash leaves either the previous file or the complete new one.
    ///
    /// - Parameters:
    ///   - tensors: the tensors by name.
    ///   - metadata: free-form string pairs stored under `__metadata__`; omitted when empty.
    ///   - url: the destination file; its directory must exist.
    /// - Throws: ``TensorFileError`` (code ``TensorFileError/Code/io`` with the path when writing fails,
    ///   ``TensorFileError/Code/invalidName`` for a tensor named `__metadata__`).
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL) throws {
        let (header, ordered) = try prepare(tensors, metadata: metadata)
        try AtomicFileWriter.write(to: url) { handle in
            try header.withUnsafeBytes { try AtomicFileWriter.append($0, to: handle) }
            for (_, tensor) in ordered {
                try TensorBytes.withLittleEndianBytes(of: tensor) { try AtomicFileWriter.append($0, to: handle) }
            }
        }
    }

    /// Reads a safetensors file.
    ///
    /// The header is validated against the file size first; then each tensor's bytes are read from
    /// the file straight into its storage, so memory use is the size of the tensors, not twice it.
    ///
    /// - Parameter url: the file to read.
    /// - Returns: the tensors by name and the metadata (empty when the file has none).
    /// - Throws: ``TensorFileError`` with the path: ``TensorFileError/Code/fileNotFound``,
    ///   ``TensorFileError/Code/io``, or a code describing what is wrong with the contents.
    public static func read(from url: URL) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        try load(from: FileByteSource(url: url))
    }

    // MARK: - Internals

    /// Validates the header of `source`, then reads every tensor.
    static func load(
        from source: some TensorByteSource
    ) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let layout = try readLayout(from: source)
        var tensors = [String: Tensor](minimumCapacity: layout.entries.count)
        for entry in layout.entries {
            tensors[entry.name] = try TensorBytes.makeTensor(shape: entry.shape, dtype: entry.dtype) { bytes in
                try source.read(at: layout.dataStart + entry.begin, into: bytes)
            }
        }
        return (tensors, layout.metadata)
    }

    /// The file's first bytes (length prefix and padded JSON header) and the tensors in file order.
    static func prepare(
        _ tensors: [String: Tensor], metadata: [String: String]
    ) throws -> (header: [UInt8], ordered: [(name: String, tensor: Tensor)]) {
        if tensors[metadataKey] != nil {
            throw TensorFileError(
                code: .invalidName, message: "a tensor cannot be named \(metadataKey): the name is reserved",
                tensorName: metadataKey)
        }
        // The reference (Rust/Python) writer's order: wider dtypes first, then by name, so every
        // tensor's data starts aligned to its element size. Same order, same bytes as Python writes.
        let ordered = tensors.sorted { left, right in
            let (leftRank, rightRank) = (layoutRank(left.value.dtype), layoutRank(right.value.dtype))
            if leftRank != rightRank { return leftRank > rightRank }
            return left.key.utf8.lexicographicallyPrecedes(right.key.utf8)
        }
        .map { (name: $0.key, tensor: $0.value) }
        var json: [UInt8] = [UInt8(ascii: "{")]
        var separator = false
        if !metadata.isEmpty {
            appendJSONString(metadataKey, to: &json)
            json.append(contentsOf: ":{".utf8)
            let keys = metadata.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                if index > 0 { json.append(UInt8(ascii: ",")) }
                appendJSONString(key, to: &json)
                json.append(UInt8(ascii: ":"))
                appendJSONString(metadata[key] ?? "", to: &json)
            }
            json.append(UInt8(ascii: "}"))
            separator = true
        }
        var offset = 0
        for (name, tensor) in ordered {
            if separator { json.append(UInt8(ascii: ",")) }
            separator = true
            let byteCount = tensor.count * tensor.dtype.byteSize
            appendJSONString(name, to: &json)
            json.append(contentsOf: ":{\"dtype\":\"\(dtypeName(tensor.dtype))\",\"shape\":[".utf8)
            json.append(contentsOf: tensor.shape.map(String.init).joined(separator: ",").utf8)
            json.append(contentsOf: "],\"data_offsets\":[\(offset),\(offset + byteCount)]}".utf8)
            offset += byteCount
        }
        json.append(UInt8(ascii: "}"))
        // Pad with spaces so the data buffer starts 8-byte aligned, as the Python library does.
        json.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - json.count % 8) % 8))
        return (TensorBytes.littleEndianBytes(UInt64(json.count), width: 8) + json, ordered)
    }

    /// The position of `dtype` in the reference implementation's `Dtype` ordering (BOOL < U8 < I8 < I32 <
    /// F32 < F64 < I64); the writer puts higher positions first.
    static func layoutRank(_ dtype: DType) -> Int {
        switch dtype {
        case .bool: 0
        case .uint8: 1
        case .int8: 2
        case .int32: 3
        case .float32: 4
        case .float64: 5
        case .int64: 6
        }
    }

    /// Appends `string` as a JSON string literal, escaping as serde_json does (`"`, `\`, control characters).
    static func appendJSONString(_ string: String, to json: inout [UInt8]) {
        let hexDigits = Array("0123456789abcdef".utf8)
        json.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): json.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): json.append(contentsOf: "\\\\".utf8)
            case 0x08: json.append(contentsOf: "\\b".utf8)
            case 0x0C: json.append(contentsOf: "\\f".utf8)
            case 0x0A: json.append(contentsOf: "\\n".utf8)
            case 0x0D: json.append(contentsOf: "\\r".utf8)
            case 0x09: json.append(contentsOf: "\\t".utf8)
            case 0..<0x20:
                json.append(contentsOf: "\\u00".utf8)
                json.append(hexDigits[Int(byte >> 4)])
                json.append(hexDigits[Int(byte & 0xF)])
            default: json.append(byte)
            }
        }
        json.append(UInt8(ascii: "\""))
    }

    /// The safetensors name of `dtype`.
    static func dtypeName(_ dtype: DType) -> String {
        switch dtype {
        case .float32: "F32"
        case .float64: "F64"
        case .int32: "I32"
        case .int64: "I64"
        case .bool: "BOOL"
        case .int8: "I8"
        case .uint8: "U8"
        }
    }

    /// The dtype a safetensors dtype name stands for, or `nil` when ForgeTensor has no such type.
    static func dtype(named name: String) -> DType? {
        DType.allCases.first { dtypeName($0) == name }
    }
}
