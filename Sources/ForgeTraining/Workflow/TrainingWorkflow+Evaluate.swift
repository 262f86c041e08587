import ForgeAutograd
import ForgeData
import ForgeLayers
import ForgeTensor
public import Foundation

extension TrainingWorkflow {
    /// Evaluates a trained checkpoint on the recipe's test data: rebuilds the recipe's model, loads the
    /// weights (strictly: every name and shape must match) and computes every classification metric.
    ///
    /// - Parameters:
    ///   - recipe: the recipe the model was trained with.
    ///   - checkpoint: a checkpoint folder (with `model.safetensors`) or a `.safetensors` file.
    ///   - dataDirectory: where relative data paths resolve.
    /// - Throws: ``RecipeError``, ``ForgeDataError``, or the checkpoint loader's errors (missing or
    ///   mismatched tensors, malformed file).
    public static func evaluate(
        _ recipe: TrainingRecipe, checkpoint: URL, dataDirectory: URL
    ) throws -> ClassificationEvaluation {
        try recipe.validate()
        let data = try PreparedData(recipe: recipe.data, seed: recipe.seed, relativeTo: dataDirectory)
        let model = recipe.model.makeModel(
            inputFeatures: data.featureNames.count, imageShape: recipe.data.imageShape, classes: data.classNames.count,
            seed: recipe.seed)
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: checkpoint.path, isDirectory: &isDirectory)
        guard exists else { throw RecipeError(key: "checkpoint", reason: "\(checkpoint.path) does not exist") }
        let weights = isDirectory.boolValue ? checkpoint.appendingPathComponent(CheckpointFile.model) : checkpoint
        _ = try model.load(contentsOf: weights, strict: true)
        model.eval()
        var evaluator = ClassificationEvaluator(scoreKind: .logits, topK: [3], classNames: data.classNames)
        try withoutGradient {
            for batch in DataLoader(data.test, batchSize: 256, shuffle: false, seed: 0) {
                let scores = model(Variable(batch.features)).value
                try evaluator.update(ClassificationBatch(scores: scores, labels: batch.labels))
            }
        }
        return try evaluator.compute()
    }
}
