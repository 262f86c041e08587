import ForgeVersioning
import Foundation

/// `versioning`: ForgeVersioning against DVC on the same files in one run, in seconds (and bytes).
///
/// Data (generated here, untimed): one 1 GB file of pseudo-random bytes and 2000 files of 50 KB. Each
/// figure is one run of each side, as a user would run it (the 1 GB case is too slow to repeat), with
/// the files warm in the page cache and dirty pages flushed before every timed step, for both:
/// - `snapshot_big_s`: `store.snapshot(big.bin)` into a fresh store vs `dvc add big.bin`;
/// - `snapshot_many_s`: snapshot of the 2000-file folder vs `dvc add many`;
/// - `status_clean_s`: `store.status` of that unchanged folder vs `dvc status`;
/// - `resnapshot_1mb_s` / `resnapshot_1mb_new_bytes`: after overwriting 1 MB in the middle of the big
///   file, the re-snapshot's time and the bytes of new objects it stored vs the DVC cache's growth.
///
/// The DVC side is `peers/dvc_peer.py`, run with `$FORGE_DVC_PYTHON` or the repository's `.venv`
/// (where `scripts/setup.sh` installs dvc); without it the `dvc` figures are "n/a".
///
/// `forge` is the default store (``Durability/synchronized``: new objects flushed to disk before anything
/// refers to them); `forge_atomic_only` is the same with ``Durability/atomicOnly`` (atomic renames
/// only, as DVC, which never fsyncs).
struct VersioningWorkload: Workload {
    let name = "versioning"
    let resultKey = "versioning"
    let summary = "snapshot 1 GB / 2000×50 KB, clean status, 1 MB re-snapshot; Forge vs dvc, seconds"

    func run(settings: BenchmarkSettings) -> JSONValue {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("forge-bench-versioning-\(getpid())")
        defer { try? FileManager.default.removeItem(at: workspace) }
        do {
            let big = workspace.appendingPathComponent("big.bin")
            let many = workspace.appendingPathComponent("many")
            try makeData(big: big, many: many, bigSize: settings.quick ? 128 << 20 : 1 << 30)
            let dvc = runDVCPeer(data: workspace)  // first, on pristine copies of the files

            let synchronized = try measure(big: big, many: many, store: workspace.appendingPathComponent("store"), .synchronized)
            let atomicOnly = try measure(big: big, many: many, store: workspace.appendingPathComponent("store-2"), .atomicOnly)
            func triple(_ key: String, _ index: Int) -> (String, JSONValue) {
                (key, .object([
                    ("forge", .rounded(synchronized[index], places: 4)),
                    ("dvc", dvc[key].map { .rounded($0, places: 4) } ?? .string("n/a")),
                    ("forge_atomic_only", .rounded(atomicOnly[index], places: 4)),
                ]))
            }
            return .object([
                triple("snapshot_big_s", 0), triple("snapshot_many_s", 1), triple("status_clean_s", 2),
                triple("resnapshot_1mb_s", 3),
                ("resnapshot_1mb_new_bytes", .object([
                    ("forge", .integer(Int(synchronized[4]))),
                    ("dvc", dvc["resnapshot_1mb_new_bytes"].map { .integer(Int($0)) } ?? .string("n/a")),
                ])),
            ])
        } catch {
            return .object([("error", .string("\(error)"))])
        }
    }

    /// Snapshot big, snapshot many, clean status, 1 MB re-snapshot (seconds) and its new bytes.
    private func measure(big: URL, many: URL, store location: URL, _ durability: Durability) throws -> [Double] {
        let store = try VersionStore(at: location, create: true, durability: durability)
        let snapshotBig = try seconds { try store.snapshot(big, name: "big") }
        let snapshotMany = try seconds { try store.snapshot(many, name: "many") }
        Thread.sleep(forTimeInterval: 0.05)  // leave the stat cache's racy-clean window, as a user would
        var clean = false
        let status = try seconds { clean = try store.status(of: many, against: "many").isClean }
        precondition(clean, "versioning benchmark: status of the unchanged folder is not clean")
        try overwriteMiddle(of: big, bytes: 1 << 20)
        var newBytes = 0
        let resnapshot = try seconds { newBytes = try store.snapshot(big, name: "big").newBytes }
        return [snapshotBig, snapshotMany, status, resnapshot, Double(newBytes)]
    }

    /// Times `body` once, after flushing dirty pages (`sync`), so that neither side pays for write-back of
    /// data the other (or the data generator) left behind; the peer does the same with `os.sync()`.
    private func seconds(_ body: () throws -> Void) throws -> Double {
        sync()
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private func makeData(big: URL, many: URL, bigSize: Int) throws {
        try FileManager.default.createDirectory(at: many, withIntermediateDirectories: true)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func fill(_ count: Int) -> Data {
            var data = Data(count: count)
            data.withUnsafeMutableBytes { raw in
                for index in 0..<(count / 8) {
                    state ^= state << 13
                    state ^= state >> 7
                    state ^= state << 17
                    raw.storeBytes(of: state, toByteOffset: index * 8, as: UInt64.self)
                }
            }
            return data
        }
        FileManager.default.createFile(atPath: big.path, contents: nil)
        let handle = try FileHandle(forWritingTo: big)
        for _ in 0..<(bigSize / (64 << 20)) { try handle.write(contentsOf: fill(64 << 20)) }
        try handle.close()
        for index in 0..<2000 {
            try fill(50_000).write(to: many.appendingPathComponent(String(format: "part-%02d/file-%04d.bin", index % 20, index)).creatingParent())
        }
    }

    private func overwriteMiddle(of file: URL, bytes: Int) throws {
        let handle = try FileHandle(forUpdating: file)
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size / 2)
        try handle.write(contentsOf: Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }))
        try handle.close()
    }

    private func runDVCPeer(data: URL) -> [String: Double] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()  // Benchmarks/
        let python = ProcessInfo.processInfo.environment["FORGE_DVC_PYTHON"]
            ?? root.deletingLastPathComponent().appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else { return [:] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        let dvc = (python as NSString).deletingLastPathComponent + "/dvc"
        process.arguments = [root.appendingPathComponent("peers/dvc_peer.py").path, "--data", data.path, "--dvc", dvc]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return [:] }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let object = (try? JSONSerialization.jsonObject(with: output)) as? [String: Any] ?? [:]
        return object.compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }
}

extension URL {
    /// Creates the parent folder and returns the URL.
    fileprivate func creatingParent() throws -> URL {
        try FileManager.default.createDirectory(at: deletingLastPathComponent(), withIntermediateDirectories: true)
        return self
    }
}

