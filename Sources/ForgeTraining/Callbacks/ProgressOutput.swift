import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a ``ProgressBar`` writes, and whether it is a terminal (which can redraw a line in place).
public protocol ProgressOutput: AnyObject {
    /// Whether carriage returns redraw the current line (an interactive terminal).
    var isTerminal: Bool { get }
    /// Writes `text` as is (no newline added).
    func write(_ text: String)
}

/// The process's standard output; a terminal when `isatty(1)` says so.
public final class StandardOutput: ProgressOutput {
    /// Whether standard output is a terminal, checked once when created.
    public let isTerminal: Bool

    /// Creates the output, checking `isatty` on standard output.
    public init() { isTerminal = isatty(STDOUT_FILENO) == 1 }

    /// Writes to standard output at once (unbuffered).
    public func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// Collects what is written, for tests and for embedding progress in another display.
public final class TextProgressOutput: ProgressOutput {
    /// Whether to behave like a terminal.
    public let isTerminal: Bool
    /// Everything written so far.
    public private(set) var text = ""

    /// Creates an empty output.
    public init(isTerminal: Bool) { self.isTerminal = isTerminal }

    /// Appends `text`.
    public func write(_ text: String) { self.text += text }
}
