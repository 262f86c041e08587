import Foundation

/// Reads the git commit of the current working directory without linking a git library.
enum GitRevision {
    /// `HEAD`'s commit, suffixed `-dirty` when tracked files changed; nil outside a repository or without git.
    static func current(in directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        -> String?
    {
        guard let commit = run(["rev-parse", "HEAD"], in: directory), commit.count == 40 else { return nil }
        let status = run(["status", "--porcelain", "--untracked-files=no"], in: directory) ?? ""
        return status.isEmpty ? commit : commit + "-dirty"
    }

    private static func run(_ arguments: [String], in directory: URL) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
