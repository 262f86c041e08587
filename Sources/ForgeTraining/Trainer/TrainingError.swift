/// A failure of the training machinery that came from outside the program's control: a checkpoint
/// that is missing, damaged or written for another setup, a configuration that cannot work.
///
/// Each error has a ``code`` to switch on, a ``message`` that says what was wrong, and the ``path``
/// of the file involved when there is one.
public struct TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure.
    public enum Code: String, Sendable, Equatable {
        /// No checkpoint where one was expected.
        case checkpointNotFound
        /// A checkpoint file exists but cannot be read or decoded.
        case malformedCheckpoint
        /// A checkpoint was written for another model, optimizer, data order or set of callbacks.
        case checkpointMismatch
        /// Writing a checkpoint or another file failed.
        case writeFailed
        /// The trainer was set up in a way that cannot run (for example two callbacks with one key).
        case invalidSetup
    }

    /// What kind of failure.
    public let code: Code
    /// What was wrong, in a sentence.
    public let message: String
    /// The file or directory involved, when there is one.
    public let path: String?

    /// Creates an error.
    public init(_ code: Code, message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// `ForgeTraining.<code>: <message> (<path>)`.
    public var description: String {
        "ForgeTraining.\(code.rawValue): \(message)" + (path.map { " (\($0))" } ?? "")
    }
}
