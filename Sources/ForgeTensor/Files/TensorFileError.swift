/// An error thrown when a tensor file (safetensors, NumPy `.npy`) cannot be read or written.
///
/// Every error has a ``Code`` that identifies what went wrong, a human-readable ``message`` that says
/// it in full, and where it happened: the file ``path`` (when the bytes came from a file), the
/// ``byteOffset`` inside the file or buffer, and the ``tensorName`` of the entry (safetensors).
///
/// ```swift
/// do {
///     let (tensors, _) = try SafeTensors.read(from: url)
/// } catch let error as TensorFileError where error.code == .unknownDType {
///     print(error)  // unknownDType: tensor 'w' has dtype "F16", … (file /models/w.safetensors)
/// }
/// ```
public struct TensorFileError: Error, CustomStringConvertible {
    /// What went wrong, independent of the wording of ``TensorFileError/message``.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The bytes end before a structure the format promises (length prefix, header or data).
        case truncated
        /// The safetensors header length prefix is larger than the file.
        case headerLengthExceedsFile
        /// The header is larger than the reader accepts (100 MB for safetensors, 1 MiB for `.npy`).
        case headerTooLarge
        /// The header is not valid JSON (safetensors) or not a valid Python literal (`.npy`), or is
        /// not UTF-8 text.
        case invalidHeader
        /// A header field is missing, has the wrong type or an invalid value.
        case invalidField
        /// A tensor name is not allowed (a tensor named `__metadata__`).
        case invalidName
        /// The element type is not one ForgeTensor stores (for example `F16`, `BF16` or `<c8`).
        case unknownDType
        /// The byte count of a tensor does not equal its shape's element count × the element size.
        case shapeSizeMismatch
        /// The element or byte count of a shape does not fit in a 64-bit integer.
        case sizeOverflow
        /// Data offsets point past the end of the data buffer, or begin after they end.
        case offsetsOutOfRange
        /// Two tensors' byte ranges overlap.
        case overlappingOffsets
        /// The tensors do not cover the data buffer exactly: there is a hole between two tensors or
        /// unused bytes at the end (the safetensors format forbids both).
        case bufferNotCovered
        /// Two tensors (or two metadata entries) have the same name.
        case duplicateName
        /// The file does not start with the format's magic bytes.
        case invalidMagic
        /// The file's format version is not one this reader understands.
        case unsupportedVersion
        /// The file does not exist.
        case fileNotFound
        /// Reading or writing the file failed (permissions, disk full, the file changed while read).
        case io
    }

    /// What went wrong.
    public var code: Code
    /// A sentence that says what was wrong, with the offending values.
    public var message: String
    /// The path of the file, when the bytes came from (or were going to) a file.
    public var path: String?
    /// The byte position in the file or buffer where the problem was found, when known.
    public var byteOffset: Int?
    /// The name of the tensor the problem concerns, when there is one.
    public var tensorName: String?
    /// The underlying error (an I/O error from Foundation), when there is one.
    public var cause: (any Error)?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: what went wrong.
    ///   - message: a sentence with the details.
    ///   - path: the file involved, if any.
    ///   - byteOffset: where in the bytes the problem was found, if known.
    ///   - tensorName: the tensor concerned, if any.
    ///   - cause: the underlying error, if any.
    public init(
        code: Code, message: String, path: String? = nil, byteOffset: Int? = nil, tensorName: String? = nil,
        cause: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.path = path
        self.byteOffset = byteOffset
        self.tensorName = tensorName
        self.cause = cause
    }

    /// The code, message and location on one line, for logs.
    public var description: String {
        var text = "\(code.rawValue): \(message)"
        var location: [String] = []
        if let path { location.append("file \(path)") }
        if let byteOffset { location.append("byte \(byteOffset)") }
        if !location.isEmpty { text += " (" + location.joined(separator: ", ") + ")" }
        if let cause { text += "; cause: \(cause)" }
        return text
    }

    /// The same error with `path` filled in (used when in-memory decoding ran on a file's bytes).
    func located(at path: String) -> TensorFileError {
        var copy = self
        if copy.path == nil { copy.path = path }
        return copy
    }
}
