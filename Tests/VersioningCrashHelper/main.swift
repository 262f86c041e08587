// A child process for ForgeVersioning's reliability tests: snapshots a tree into a store repeatedly,
// changing one file between snapshots, so a test can kill it at any instant or run two at once.
//
// Usage: VersioningCrashHelper <store> <tree> <name> <count>   (count 0 = until killed)
import ForgeVersioning
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 5, let count = Int(arguments[4]) else {
    FileHandle.standardError.write(Data("usage: VersioningCrashHelper <store> <tree> <name> <count>\n".utf8))
    exit(2)
}
do {
    let store = try VersionStore(at: URL(fileURLWithPath: arguments[1]), create: true, chunkingThreshold: 1 << 20)
    let tree = URL(fileURLWithPath: arguments[2])
    var generator = SystemRandomNumberGenerator()
    var iteration = 0
    while count == 0 || iteration < count {
        iteration += 1
        var bytes = Data(count: 200_000 + Int(generator.next() % 2_000_000))
        bytes.withUnsafeMutableBytes { raw in
            for index in 0..<(raw.count / 8) {
                raw.storeBytes(of: generator.next(), toByteOffset: index * 8, as: UInt64.self)
            }
        }
        try bytes.write(to: tree.appendingPathComponent("changing-\(iteration % 3).bin"))
        _ = try store.snapshot(tree, name: arguments[3], message: "iteration \(iteration)")
    }
} catch {
    FileHandle.standardError.write(Data("VersioningCrashHelper: \(error)\n".utf8))
    exit(1)
}
