public import ForgeAutograd
public import ForgeLayers
public import ForgeOptimizers
import ForgeTensor

/// A recipe value that cannot be used, named by its dotted key.
public struct RecipeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The dotted configuration key (`optimizer.lr`).
    public var key: String
    /// What is wrong with its value.
    public var reason: String

    /// Creates an error.
    public init(key: String, reason: String) {
        self.key = key
        self.reason = reason
    }

    /// `optimizer.lr: must be positive, found -1.0`.
    public var description: String { "\(key): \(reason)" }
}

extension TrainingRecipe {
    /// Checks every value a run would use, naming the first bad key.
    /// - Throws: ``RecipeError``.
    public func validate() throws {
        func require(_ condition: Bool, _ key: String, _ reason: @autoclosure () -> String) throws {
            if !condition { throw RecipeError(key: key, reason: reason()) }
        }
        try require(!experiment.isEmpty, "experiment", "must not be empty")
        try require((0..<1).contains(data.validationFraction), "data.validation_fraction",
            "must be in [0, 1), found \(data.validationFraction)")
        if let shape = data.imageShape {
            try require(shape.count == 3 && shape.allSatisfy { $0 > 0 }, "data.image_shape",
                "must be [channels, height, width] with positive sizes, found \(shape)")
        }
        try require(model.kind != .cnn || data.imageShape != nil, "data.image_shape", "a cnn model needs the image shape")
        try require(model.hidden.allSatisfy { $0 > 0 }, "model.hidden", "widths must be positive, found \(model.hidden)")
        try require(!model.channels.isEmpty && model.channels.allSatisfy { $0 > 0 }, "model.channels",
            "needs at least one positive channel count, found \(model.channels)")
        try require((0..<1).contains(model.dropout), "model.dropout", "must be in [0, 1), found \(model.dropout)")
        try require(["adam", "adamw", "sgd"].contains(optimizer.name), "optimizer.name",
            "must be adam, adamw or sgd, found \"\(optimizer.name)\"")
        try require(optimizer.lr > 0 && optimizer.lr.isFinite, "optimizer.lr", "must be positive, found \(optimizer.lr)")
        try require(optimizer.weightDecay >= 0, "optimizer.weight_decay", "must not be negative, found \(optimizer.weightDecay)")
        try require(["none", "cosine", "plateau"].contains(optimizer.schedule), "optimizer.schedule",
            "must be none, cosine or plateau, found \"\(optimizer.schedule)\"")
        try require(training.epochs >= 1, "training.epochs", "must be at least 1, found \(training.epochs)")
        try require(training.batchSize >= 1, "training.batch_size", "must be at least 1, found \(training.batchSize)")
        if let patience = training.earlyStoppingPatience {
            try require(patience >= 1, "training.early_stopping_patience", "must be at least 1, found \(patience)")
        }
    }
}

extension ModelRecipe {
    /// Builds the model with weights drawn from `seed`.
    ///
    /// - Parameters:
    ///   - inputFeatures: features per example (for an MLP).
    ///   - imageShape: `[channels, height, width]` for a CNN.
    ///   - classes: the number of output classes.
    ///   - seed: seeds the weights and the dropout masks.
    public func makeModel(inputFeatures: Int, imageShape: [Int]?, classes: Int, seed: UInt64) -> Sequential {
        var generator = RandomGenerator(seed: seed)
        var layers: [any Layer<Variable, Variable>] = []
        var dropoutSeed = seed &* 0x9E37_79B9_7F4A_7C15
        func addDropout() {
            guard dropout > 0 else { return }
            dropoutSeed &+= 1
            layers.append(Dropout(probability: dropout, seed: dropoutSeed))
        }
        switch kind {
        case .mlp:
            var width = inputFeatures
            for hiddenWidth in hidden {
                layers.append(Linear(inputFeatures: width, outputFeatures: hiddenWidth, generator: &generator))
                layers.append(ReLU())
                addDropout()
                width = hiddenWidth
            }
            layers.append(Linear(inputFeatures: width, outputFeatures: classes, generator: &generator))
        case .cnn:
            let shape = imageShape ?? [1, inputFeatures, 1]
            var channelsIn = shape[0]
            var height = shape[1]
            var width = shape[2]
            for channelsOut in channels {
                layers.append(
                    Conv2d(inputChannels: channelsIn, outputChannels: channelsOut, kernelSize: 3, padding: 1, generator: &generator))
                layers.append(ReLU())
                if height >= 2 && width >= 2 {
                    layers.append(MaxPool2d(kernelSize: 2))
                    height /= 2
                    width /= 2
                }
                channelsIn = channelsOut
            }
            layers.append(Flatten())
            addDropout()
            layers.append(Linear(inputFeatures: channelsIn * height * width, outputFeatures: classes, generator: &generator))
        }
        return Sequential(layers)
    }
}

extension OptimizerRecipe {
    /// Builds the optimizer over `parameters`.
    /// - Throws: ``RecipeError`` for an unknown name; ``OptimizerError`` for out-of-range values.
    public func makeOptimizer(parameters: [Variable]) throws -> any Optimizer {
        switch name {
        case "adam": return try Adam(parameters: parameters, learningRate: lr, weightDecay: weightDecay)
        case "adamw": return try AdamW(parameters: parameters, learningRate: lr, weightDecay: weightDecay)
        case "sgd": return try SGD(parameters: parameters, learningRate: lr, momentum: momentum, weightDecay: weightDecay)
        default: throw RecipeError(key: "optimizer.name", reason: "must be adam, adamw or sgd, found \"\(name)\"")
        }
    }

    /// Builds the schedule's scheduler for `epochs` epochs, or nil for `none`.
    public func makeScheduler(optimizer: any Optimizer, epochs: Int) throws -> (any SchedulerStepping)? {
        switch schedule {
        case "none": return nil
        case "cosine": return LearningRateScheduler(optimizer: optimizer, schedule: try CosineAnnealing(period: epochs))
        case "plateau": return LearningRateScheduler(optimizer: optimizer, schedule: try ReduceOnPlateau(patience: 2))
        default: throw RecipeError(key: "optimizer.schedule", reason: "must be none, cosine or plateau, found \"\(schedule)\"")
        }
    }
}
