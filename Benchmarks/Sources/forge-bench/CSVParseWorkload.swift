import ForgeData
import ForgeTensor
import Foundation

/// `csv_parse`: parsing a ~100 MB numeric CSV file into a float32 tensor, in MB/s (10⁶ bytes of
/// file per second, reading the file included).
///
/// The file is generated into a temporary directory, byte for byte as the peer generates it
/// (`data_peer.py`): a header `c0,…,c15`, then 560 000 rows of 16 values `v(k)` with `k = 16 ×
/// row + column`, `v(k) = ((k × 2654435761) mod 2³²) × 2·10⁹ / 2³² − 10⁹` micro-units, written with
/// six decimals (`-123.456789`). Variants: `forge` = `CSVReader.readMatrix` on the run's thread
/// count, `forge_1thread` = the same limited to one thread (pandas parses on one thread).
struct CSVParseWorkload: Workload {
    static let rows = 560_000
    static let columns = 16

    let name = "csv_parse"
    let resultKey = "csv_parse_mbps"
    let summary = "numeric CSV (~100 MB) → float32 tensor, MB/s"

    func run(settings: BenchmarkSettings) -> JSONValue {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("forge-bench-csv-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("numbers.csv")
        let bytes = CSVParseWorkload.generate()
        do { try Data(bytes).write(to: url) } catch { return .string("cannot write \(url.path): \(error)") }
        let megabytes = Double(bytes.count) / 1e6
        var shape: [Int] = []
        let clock = BenchmarkClock(warmupRuns: 2, warmupSeconds: 0.2, repeats: settings.quick ? 3 : 10)
        let parallel = clock.medianSeconds {
            shape = (try? CSVReader.readMatrix(at: url))?.shape ?? []
        }
        let single = clock.medianSeconds {
            let previous = ForgeThreads.count
            ForgeThreads.count = 1
            blackHole(try? CSVReader.readMatrix(at: url))
            ForgeThreads.count = previous
        }
        guard shape == [CSVParseWorkload.rows, CSVParseWorkload.columns] else {
            return .string("parsed shape \(shape), expected [\(CSVParseWorkload.rows), \(CSVParseWorkload.columns)]")
        }
        return .object([
            ("forge", .rounded(megabytes / parallel, places: 1)),
            ("forge_1thread", .rounded(megabytes / single, places: 1)),
        ])
    }

    /// The benchmark file's bytes (identical to `data_peer.py`'s `generate_csv`).
    static func generate() -> [UInt8] {
        var bytes = Array((0..<columns).map { "c\($0)" }.joined(separator: ",").utf8)
        bytes.append(0x0A)
        bytes.reserveCapacity(rows * columns * 12)
        var digits = [UInt8](repeating: 0, count: 24)
        for row in 0..<rows {
            for column in 0..<columns {
                let k = UInt64(row * columns + column)
                let hashed = (k &* 2_654_435_761) & 0xFFFF_FFFF
                let micro = Int64(hashed * 2_000_000_000 >> 32) - 1_000_000_000
                if micro < 0 { bytes.append(0x2D) }
                var magnitude = micro.magnitude
                var count = 0
                repeat {  // at least seven digits: the integer part and six decimals
                    digits[count] = UInt8(0x30 + magnitude % 10)
                    magnitude /= 10
                    count += 1
                } while magnitude > 0 || count < 7
                for index in stride(from: count - 1, through: 0, by: -1) {
                    bytes.append(digits[index])
                    if index == 6 { bytes.append(0x2E) }
                }
                bytes.append(column == columns - 1 ? 0x0A : 0x2C)
            }
        }
        return bytes
    }
}
