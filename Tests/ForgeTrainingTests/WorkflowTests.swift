import ForgeTracking
import ForgeVersioning
import Foundation
import Testing

@testable import ForgeTraining

@Suite("Training workflow and the demo flow")
struct WorkflowTests {
    private static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    private func temporaryProject() throws -> ForgeProject {
        try ForgeProject(at: FileManager.default.temporaryDirectory.appendingPathComponent("forge-workflow-\(UUID())"))
    }

    @Test func demoFlowVersionsTrainsTracksAndReports() async throws {
        let project = try temporaryProject()
        defer { try? FileManager.default.removeItem(at: project.directory) }
        var lines: [String] = []
        let outcome = try await DemoWorkflow.run(in: project, dataDirectory: Self.fixtures, epochs: 2, output: nil) {
            lines.append($0)
        }
        #expect(outcome.runs.count == 2)
        #expect(lines.count == 4)
        // Both models refer to one version of each data file: unchanged data is not versioned twice.
        #expect(outcome.runs[0].dataVersions == ["digits_train@v1", "digits_test@v1"])
        #expect(outcome.runs[1].dataVersions == ["digits_train@v1", "digits_test@v1"])
        #expect(outcome.runs.map(\.modelVersion) == ["digits-mlp@v1", "digits-cnn@v1"])

        let store = try project.tracker().store
        for result in outcome.runs {
            let run = try await store.run(id: result.runID)
            #expect(run.info.status == .finished)
            #expect(run.params["model.kind"] != nil)
            #expect(run.inputs.map(\.context).sorted() == ["test", "training"])
            #expect(run.inputs.first { $0.context == "training" }?.features.count == 64)
            let accuracy = try #require(result.testMetrics["test_accuracy"])
            #expect(accuracy > 0.6, "two epochs of digits reach well above chance (0.1), got \(accuracy)")
            #expect(run.latestMetrics["test_accuracy"]?.value == accuracy)
            let metadata = try #require(try await store.trainingMetadata(runID: result.runID))
            #expect(metadata.modelMetrics["test_accuracy"] == accuracy)
            #expect(metadata.charts.contains { if case .confusionMatrix = $0 { return true } else { return false } })
            #expect(metadata.trainingData?.digest.count == 64)
            let artifacts = try await store.artifacts(runID: result.runID)
            #expect(artifacts.contains { $0.path == "checkpoint/model.safetensors" })
            let html = try String(contentsOf: result.report, encoding: .utf8)
            #expect(html.contains("<svg"))
            #expect(html.contains(result.runID))
        }
        let versions = try project.versionStore()
        let lineage = try #require(try versions.lineage(ofModel: "digits-cnn@v1"))
        #expect(lineage.data.count == 2)
        #expect(lineage.run == outcome.runs[1].runID)
        #expect(FileManager.default.fileExists(atPath: outcome.comparisonReport.path))

        // The tracked checkpoint evaluates to the same test accuracy.
        let evaluation = try TrainingWorkflow.evaluate(
            DemoWorkflow.recipes(epochs: 2)[0], checkpoint: try #require(outcome.runs[0].checkpoint),
            dataDirectory: Self.fixtures)
        #expect(abs(evaluation.accuracy - outcome.runs[0].testMetrics["test_accuracy"]!) < 1e-12)
    }

    @Test func recipeValidationNamesTheKey() throws {
        var recipe = DemoWorkflow.recipes(epochs: 1)[0]
        recipe.optimizer.lr = -1
        #expect(throws: RecipeError(key: "optimizer.lr", reason: "must be positive, found -1.0")) { try recipe.validate() }
        recipe = DemoWorkflow.recipes(epochs: 1)[0]
        recipe.model.kind = .cnn
        recipe.data.imageShape = nil
        #expect(throws: RecipeError.self) { try recipe.validate() }
        recipe = DemoWorkflow.recipes(epochs: 1)[0]
        recipe.optimizer.name = "adagrad-ish"
        #expect((try? recipe.validate()) == nil)
    }

    @Test func yamlConfigurationWithOverridesDecodesIntoARecipe() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("forge-config-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("model"), withIntermediateDirectories: true)
        try """
            defaults:
              - model: mlp
              - _self_
            experiment: digits
            seed: 3
            data: {train: digits_train.csv, test: digits_test.csv}
            optimizer: {name: adam, lr: 0.001}
            training: {epochs: 5, batch_size: 64}
            """.write(to: directory.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        try "kind: mlp\nhidden: [32]\n".write(to: directory.appendingPathComponent("model/mlp.yaml"), atomically: true, encoding: .utf8)
        let (recipe, tree) = try TrainingRecipe.load(
            configFile: directory.appendingPathComponent("config.yaml"),
            overrides: ["optimizer.lr=3e-4", "model.hidden=[128,64]"])
        #expect(recipe.optimizer.lr == 3e-4)
        #expect(recipe.model.hidden == [128, 64])
        #expect(recipe.training.batchSize == 64)
        #expect(recipe.seed == 3)
        #expect(recipe.data.validationFraction == 0.1)
        #expect(tree.jsonValue["optimizer"]?["lr"] == .number(3e-4))

        #expect(throws: (any Error).self) {
            _ = try TrainingRecipe.load(configFile: directory.appendingPathComponent("config.yaml"), overrides: ["optimizer.lr=fast"])
        }
        do {
            _ = try TrainingRecipe.load(configFile: directory.appendingPathComponent("config.yaml"), overrides: ["training.epochs=many"])
            Issue.record("a non-integer epoch count was accepted")
        } catch {
            #expect("\(error)".contains("training.epochs"))
        }
    }
}
