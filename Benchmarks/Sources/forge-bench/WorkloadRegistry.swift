/// Every workload `forge-bench` knows, in the order a run without arguments executes them.
///
/// To add a workload, write a type conforming to ``Workload`` in its own file and append it here.
enum WorkloadRegistry {
    static let all: [any Workload] = [
        MatmulWorkload(),
        ElementwiseWorkload(),
        OptimizerStepWorkload(),
        MLPStepWorkload(),
        CNNStepWorkload(),
        MLPDigitsWorkload(),
        InferenceWorkload(),
        // ForgeData (issue 4)
        CSVParseWorkload(),
        DataLoaderWorkload(),
        VersioningWorkload(),  // ForgeVersioning (issue 5)
        TrackingWorkload(),  // ForgeTracking (issue 6)
        TuningWorkload(),  // ForgeTuning (issue 7)
    ]

    /// The workload called `name`, or nil.
    static func workload(named name: String) -> (any Workload)? {
        all.first { $0.name == name }
    }

    /// The known names, comma-separated, for help and error messages.
    static var knownNames: String { all.map(\.name).joined(separator: ", ") }
}
