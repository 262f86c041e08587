// VersionDataset: versions a small dataset with ForgeVersioning and shows status, diff, checkout, tags
// and lineage. Trains nothing.
//
//   swift run VersionDataset [WORKDIR]      (default: a fresh temporary folder)
import ForgeVersioning
import Foundation

func write(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
}

func main() throws {
    let work = CommandLine.arguments.count > 1
        ? URL(fileURLWithPath: CommandLine.arguments[1])
        : FileManager.default.temporaryDirectory.appendingPathComponent("version-dataset-\(UUID().uuidString.prefix(8))")
    let dataset = work.appendingPathComponent("digits")
    let store = try VersionStore(at: work.appendingPathComponent(".forge"), create: true)
    print("working in \(work.path)")

    // 1. A first version of the dataset.
    for split in ["train", "test"] {
        for index in 0..<3 {
            try write("pixel,label\n\(index),\(index % 10)\n", to: dataset.appendingPathComponent("\(split)/\(index).csv"))
        }
    }
    let first = try store.snapshot(dataset, name: "digits", message: "raw export", metadata: ["source": "scanner-1"])
    print("snapshot \(first.reference ?? "") = \(first.version.hex.prefix(12)) (\(first.record.fileCount) files)")

    // 2. Change it: relabel one file, add one, rename one.
    try write("pixel,label\n1,7\n", to: dataset.appendingPathComponent("train/1.csv"))
    try write("pixel,label\n9,9\n", to: dataset.appendingPathComponent("train/3.csv"))
    try FileManager.default.moveItem(
        at: dataset.appendingPathComponent("test/2.csv"), to: dataset.appendingPathComponent("test/holdout.csv"))
    print("\nstatus against digits@v1:\n\(try store.status(of: dataset, against: "digits@v1"))")

    let second = try store.snapshot(dataset, name: "digits", message: "relabelled")
    try store.tag("digits@v1", as: "baseline")
    print("\nsnapshot \(second.reference ?? ""): \(second.newObjects) new objects, \(second.newBytes) new bytes")
    print("diff digits@baseline → digits@latest:\n\(try store.diff("digits@baseline", "digits@latest"))")

    // 3. Log, lineage, and a checkout of the old version elsewhere.
    print("\nlog:")
    for entry in try store.log("digits") {
        print("  \(entry.reference)  \(entry.version.hex.prefix(12))  \(entry.record.message)  \(entry.tags)")
    }
    try write("weights", to: work.appendingPathComponent("model/weights.bin"))
    try store.snapshot(work.appendingPathComponent("model"), name: "classifier", message: "trained elsewhere")
    try store.recordLineage(model: "classifier", data: ["digits@v2"], parameters: ["epochs": "5"], run: "demo-run")
    print("models trained on digits@v2: \(try store.models(trainedOn: "digits@v2").map { $0.run ?? "?" })")

    let restored = work.appendingPathComponent("restored")
    try store.checkout("digits@baseline", to: restored)
    let label = try String(contentsOf: restored.appendingPathComponent("train/1.csv"), encoding: .utf8)
    print("\nchecked out digits@baseline into \(restored.lastPathComponent); train/1.csv = \(label.debugDescription)")
    print("status of the checkout: \(try store.status(of: restored, against: "digits@baseline"))")
    print("verify: \(try store.verify().isEmpty ? "store is consistent" : "problems found")")
}

do {
    try main()
} catch {
    FileHandle.standardError.write(Data("VersionDataset: \(error)\n".utf8))
    exit(1)
}
