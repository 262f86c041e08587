import ArgumentParser
import ForgeTraining
import ForgeVersioning
import Foundation

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Version datasets: snapshot, status, diff, checkout.",
        subcommands: [Snapshot.self, Status.self, Diff.self, Checkout.self])

    struct Snapshot: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Store a file or directory as a new version of a name.")
        @OptionGroup var options: ProjectOptions
        @Argument(help: "The file or directory.") var path: String
        @Option(help: "The dataset name (versions become NAME@v1, NAME@v2, …).") var name: String
        @Option(help: "A message.") var message = ""

        func run() throws {
            let store = try options.open().versionStore()
            let result = try store.snapshot(URL(fileURLWithPath: path), name: name, message: message)
            print("\(result.reference ?? result.version.hex)  \(result.version.hex)  (\(result.newObjects) new objects, \(result.newBytes) bytes)")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What changed in a tree since a version.")
        @OptionGroup var options: ProjectOptions
        @Argument(help: "The file or directory.") var path: String
        @Option(help: "The version to compare against (NAME, NAME@v2, an id).") var against: String

        func run() throws {
            let store = try options.open().versionStore()
            print(try store.status(of: URL(fileURLWithPath: path), against: against))
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What changed between two versions.")
        @OptionGroup var options: ProjectOptions
        @Argument(help: "The older version.") var from: String
        @Argument(help: "The newer version.") var to: String

        func run() throws {
            let store = try options.open().versionStore()
            print(try store.diff(from, to))
        }
    }

    struct Checkout: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Materialize a version into a directory.")
        @OptionGroup var options: ProjectOptions
        @Argument(help: "The version (NAME, NAME@v2, an id).") var reference: String
        @Argument(help: "The target directory.") var directory: String

        func run() throws {
            let store = try options.open().versionStore()
            try store.checkout(reference, to: URL(fileURLWithPath: directory))
            print("checked out \(reference) into \(directory)")
        }
    }
}
