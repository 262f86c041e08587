import Foundation
import Testing

@testable import ForgeTracking

@Suite("Run filters")
struct RunFilterTests {
    private func run(accuracy: Double?, optimizer: String?, status: RunStatus = .finished, team: String? = nil) -> Run {
        let info = RunInfo(
            id: "r", experimentID: "1", name: "n", status: status, startTime: Date(timeIntervalSince1970: 1000),
            user: "u", host: "h", source: "s")
        var run = Run(info: info)
        if let accuracy { run.latestMetrics["accuracy"] = Metric(key: "accuracy", value: accuracy, step: 3) }
        if let optimizer { run.params["optimizer"] = optimizer }
        if let team { run.tags["team"] = team }
        return run
    }

    @Test func conjunctionOfMetricAndParam() throws {
        let filter = try RunFilter(parsing: "metrics.accuracy > 0.9 and params.optimizer = 'adam'")
        #expect(filter.matches(run(accuracy: 0.95, optimizer: "adam")))
        #expect(!filter.matches(run(accuracy: 0.85, optimizer: "adam")))
        #expect(!filter.matches(run(accuracy: 0.95, optimizer: "sgd")))
        #expect(!filter.matches(run(accuracy: nil, optimizer: "adam")))
    }

    @Test func orAndParenthesesBindAsExpected() throws {
        let filter = try RunFilter(parsing: "(tags.team = 'vision' OR tags.team = \"nlp\") and attributes.status = 'FINISHED'")
        #expect(filter.matches(run(accuracy: nil, optimizer: nil, team: "nlp")))
        #expect(!filter.matches(run(accuracy: nil, optimizer: nil, status: .failed, team: "nlp")))
        #expect(!filter.matches(run(accuracy: nil, optimizer: nil, team: "audio")))
        // Without parentheses `and` binds tighter: vision matches whatever the status.
        let loose = try RunFilter(parsing: "tags.team = 'vision' or tags.team = 'nlp' and attributes.status = 'FINISHED'")
        #expect(loose.matches(run(accuracy: nil, optimizer: nil, status: .failed, team: "vision")))
    }

    @Test func likeInAndNumericParams() throws {
        #expect(try RunFilter(parsing: "params.optimizer LIKE 'ad%'").matches(run(accuracy: nil, optimizer: "adamw")))
        #expect(!(try RunFilter(parsing: "params.optimizer LIKE 'AD%'").matches(run(accuracy: nil, optimizer: "adamw"))))
        #expect(try RunFilter(parsing: "params.optimizer ILIKE 'AD_M%'").matches(run(accuracy: nil, optimizer: "adamw")))
        #expect(try RunFilter(parsing: "params.optimizer IN ('sgd', 'adam')").matches(run(accuracy: nil, optimizer: "adam")))
        #expect(try RunFilter(parsing: "params.optimizer NOT IN ('sgd')").matches(run(accuracy: nil, optimizer: "adam")))
        var numeric = run(accuracy: nil, optimizer: nil)
        numeric.params["lr"] = "0.001"
        #expect(try RunFilter(parsing: "params.lr < 1e-2").matches(numeric))
        #expect(!(try RunFilter(parsing: "params.lr >= 0.01").matches(numeric)))
        #expect(try RunFilter(parsing: "metrics.accuracy >= -1.5e-3").matches(run(accuracy: 0, optimizer: nil)))
    }

    @Test func errorsPointAtTheProblem() {
        func position(_ text: String) -> Int? {
            do {
                _ = try RunFilter(parsing: text)
                return nil
            } catch let TrackingError.invalidFilter(_, position, _) {
                return position
            } catch {
                return nil
            }
        }
        #expect(position("metrics.accuracy >") == 18)
        #expect(position("accuracy > 1") == 0)
        #expect(position("metrics.accuracy > 1 and") == 24)
        #expect(position("params.a = 'open") == 11)
        #expect(position("metrics.a > 'high'") == 12)
        #expect(position("widgets.a = 1") == 0)
        #expect(position("metrics.a ! 1") == 10)
    }

    @Test func orderingSortsMissingAndNaNLast() throws {
        var runs: [Run] = []
        for (index, value) in [0.5, Double.nan, 0.9, 0.7].enumerated() {
            var r = run(accuracy: value, optimizer: nil)
            r.info.id = "run\(index)"
            runs.append(r)
        }
        var missing = run(accuracy: nil, optimizer: nil)
        missing.info.id = "run4"
        runs.append(missing)
        let descending = RunOrdering.sort(runs, by: [try RunOrdering(parsing: "metrics.accuracy DESC")])
        #expect(descending.map(\.info.id) == ["run2", "run3", "run0", "run1", "run4"])
        let ascending = RunOrdering.sort(runs, by: [RunOrdering(.metric("accuracy"))])
        #expect(ascending.map(\.info.id) == ["run0", "run3", "run2", "run1", "run4"])
    }

    @Test func likePatterns() {
        #expect(LikePattern("%", caseInsensitive: false).matches(""))
        #expect(LikePattern("a%b%c", caseInsensitive: false).matches("axxbyyc"))
        #expect(!LikePattern("a%b%c", caseInsensitive: false).matches("axxbyy"))
        #expect(LikePattern("_b_", caseInsensitive: false).matches("abc"))
        #expect(!LikePattern("_b_", caseInsensitive: false).matches("abcd"))
    }
}
