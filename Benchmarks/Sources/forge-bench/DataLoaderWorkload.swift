import ForgeData
import ForgeTensor
import Foundation

/// `dataloader`: shuffled batches of 32 from the digits training data (1437 × 64) with a
/// standardize transform, in batches per second over whole epochs (45 batches, the last one short).
///
/// Forge: `DataLoader(TensorDataset, batchSize: 32, shuffle: true, transform: Standardize.fit(x))`,
/// each timed run one epoch (a new permutation each time); `forge` builds batches on the iterating
/// thread (workers 0), `forge_workers2` on two prefetching worker threads. The peer does the same
/// with `torch.utils.data.DataLoader` (`num_workers` 0 and 2, persistent workers).
struct DataLoaderWorkload: Workload {
    let name = "dataloader"
    let resultKey = "dataloader_batches_per_s"
    let summary = "digits, shuffled batches of 32 + standardize, batches/s"

    /// The digits training data in the repository (ForgeData's test fixture).
    static var digitsURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tests/ForgeDataTests/Fixtures/digits_train.csv")
    }

    func run(settings: BenchmarkSettings) -> JSONValue {
        let dataset: TensorDataset
        do {
            dataset = try CSVReader.readTable(at: DataLoaderWorkload.digitsURL).dataset(labelColumn: "label")
        } catch {
            return .string("cannot read the digits data: \(error)")
        }
        let standardize = Standardize.fit(dataset.features)
        var result: [(key: String, value: JSONValue)] = []
        for (key, workers) in [("forge", 0), ("forge_workers2", 2)] {
            let loader = DataLoader(
                dataset, batchSize: 32, shuffle: true, seed: 1, workers: workers, transform: standardize)
            var batches = 0
            let seconds = settings.clock.medianSeconds {
                batches = 0
                for batch in loader {
                    blackHole(batch)
                    batches += 1
                }
            }
            result.append((key, .rounded(Double(batches) / seconds, places: 0)))
        }
        return .object(result)
    }
}
