import ArgumentParser
import ForgeTracking
import ForgeTraining
import Foundation

struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "Search, show, compare and report tracked runs.",
        subcommands: [List.self, Show.self, Compare.self, Report.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List runs matching a filter.")
        @OptionGroup var options: ProjectOptions
        @Option(help: "Experiment names (default: all).") var experiment: [String] = []
        @Option(help: "A filter such as \"metrics.test_accuracy > 0.9 and params.model.kind = 'mlp'\".") var filter = ""
        @Option(help: "Order, such as \"metrics.test_accuracy DESC\".") var orderBy: [String] = []
        @Option(help: "At most this many runs.") var limit = 50

        func run() async throws {
            let store = try options.open().tracker().store
            let experiments = try await store.experiments().filter { experiment.isEmpty || experiment.contains($0.name) }
            let page = try await store.searchRuns(
                experimentIDs: experiments.map(\.id), filter: filter, orderBy: try orderBy.map(RunOrdering.init(parsing:)),
                maxResults: limit)
            print(RunTable.render(page.runs))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one run: params, metric summaries, inputs, artifacts.")
        @OptionGroup var options: ProjectOptions
        @Argument(help: "The run id (or a unique prefix).") var runID: String

        func run() async throws {
            let store = try options.open().tracker().store
            let runID = try await store.resolveRunID(runID)
            let run = try await store.run(id: runID)
            print("run \(run.id)  \(run.info.name)  \(run.info.status.rawValue)")
            print("  user \(run.info.user)@\(run.info.host)  source \(run.info.source)  commit \(run.info.gitCommit ?? "-")")
            print("params:")
            for (key, value) in run.params.sorted(by: { $0.key < $1.key }) { print("  \(key) = \(value)") }
            print("metrics (latest / min / max):")
            for (key, summary) in try await store.metricSummaries(runID: runID).sorted(by: { $0.key < $1.key }) {
                print("  \(key)  \(RunTable.format(summary.latest)) / \(RunTable.format(summary.minimum)) / \(RunTable.format(summary.maximum))  (\(summary.count) values)")
            }
            print("inputs:")
            for input in run.inputs { print("  \(input.context): \(input.name) \(input.digest.prefix(12)) (\(input.rowCount ?? 0) rows)") }
            print("artifacts:")
            for artifact in try await store.artifacts(runID: runID) { print("  \(artifact.path) \(artifact.size) bytes") }
        }
    }

    struct Compare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Compare runs side by side and write an HTML comparison report.")
        @OptionGroup var options: ProjectOptions
        @Argument(help: ArgumentHelp("Two or more run ids (or unique prefixes).", valueName: "run-id")) var runIDs: [String]
        @Option(help: "The metric the parallel-coordinates view colours by.") var objective = "test_accuracy"

        func validate() throws {
            if runIDs.count < 2 { throw ValidationError("compare needs at least two run ids") }
        }

        func run() async throws {
            let project = try options.open()
            let store = try project.tracker().store
            var runs: [Run] = []
            for id in runIDs { runs.append(try await store.run(id: try await store.resolveRunID(id))) }
            print(RunTable.render(runs))
            let ids = runs.map(\.id)
            let report = try await ComparisonReport.load(runIDs: ids, from: store, objective: objective)
            let url = project.reportsDirectory.appendingPathComponent("compare-\(ids.map { $0.prefix(8) }.joined(separator: "-")).html")
            try report.write(to: url)
            print("report \(url.path)")
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a run's self-contained HTML report.")
        @OptionGroup var options: ProjectOptions
        @Argument(help: "The run id (or a unique prefix).") var runID: String
        @Option(help: "The output file (default: the project's reports folder).") var output: String?

        func run() async throws {
            let project = try options.open()
            let store = try project.tracker().store
            let runID = try await store.resolveRunID(runID)
            let url = output.map { URL(fileURLWithPath: $0) } ?? project.reportURL(forRun: runID)
            try await RunReport.load(runID: runID, from: store).write(to: url)
            print("report \(url.path)")
        }
    }
}
