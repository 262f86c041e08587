/// Everything a training run needs, as one Codable value: the configuration `forge train` decodes from
/// YAML files and command-line overrides, and logs in full with the run.
///
/// ```yaml
/// experiment: digits
/// seed: 0
/// data: {train: data/digits_train.csv, test: data/digits_test.csv, label_column: label, validation_fraction: 0.1}
/// model: {kind: mlp, hidden: [128, 64]}
/// optimizer: {name: adam, lr: 0.001}
/// training: {epochs: 30, batch_size: 32}
/// ```
public struct TrainingRecipe: Codable, Sendable, Hashable {
    /// The tracking experiment the run belongs to.
    public var experiment: String
    /// The run name (default: the model kind).
    public var runName: String?
    /// The seed for weights, data order, splits and dropout: one seed, one result.
    public var seed: UInt64
    /// Where the data comes from and how it is prepared.
    public var data: DataRecipe
    /// The model architecture.
    public var model: ModelRecipe
    /// The optimizer and its hyperparameters.
    public var optimizer: OptimizerRecipe
    /// The loop: epochs, batch size, early stopping, checkpoints.
    public var training: LoopRecipe

    /// Creates a recipe.
    public init(
        experiment: String, runName: String? = nil, seed: UInt64 = 0, data: DataRecipe, model: ModelRecipe = ModelRecipe(),
        optimizer: OptimizerRecipe = OptimizerRecipe(), training: LoopRecipe = LoopRecipe()
    ) {
        self.experiment = experiment
        self.runName = runName
        self.seed = seed
        self.data = data
        self.model = model
        self.optimizer = optimizer
        self.training = training
    }

    enum CodingKeys: String, CodingKey {
        case experiment, runName = "run_name", seed, data, model, optimizer, training
    }

    /// Decodes with defaults for every section except `experiment` and `data`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        experiment = try container.decode(String.self, forKey: .experiment)
        runName = try container.decodeIfPresent(String.self, forKey: .runName)
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0
        data = try container.decode(DataRecipe.self, forKey: .data)
        model = try container.decodeIfPresent(ModelRecipe.self, forKey: .model) ?? ModelRecipe()
        optimizer = try container.decodeIfPresent(OptimizerRecipe.self, forKey: .optimizer) ?? OptimizerRecipe()
        training = try container.decodeIfPresent(LoopRecipe.self, forKey: .training) ?? LoopRecipe()
    }
}

/// The data section: CSV files with a label column, a validation split and standardization.
public struct DataRecipe: Codable, Sendable, Hashable {
    /// The training CSV (relative paths resolve against the project directory).
    public var train: String
    /// The test CSV, evaluated once after training.
    public var test: String
    /// The label column's header.
    public var labelColumn: String
    /// The fraction of the training file held out (stratified) for validation each epoch.
    public var validationFraction: Double
    /// For image models: the shape of one example (`[1, 8, 8]`); nil for flat features.
    public var imageShape: [Int]?

    /// Creates a data section.
    public init(
        train: String, test: String, labelColumn: String = "label", validationFraction: Double = 0.1, imageShape: [Int]? = nil
    ) {
        self.train = train
        self.test = test
        self.labelColumn = labelColumn
        self.validationFraction = validationFraction
        self.imageShape = imageShape
    }

    enum CodingKeys: String, CodingKey {
        case train, test, labelColumn = "label_column", validationFraction = "validation_fraction", imageShape = "image_shape"
    }

    /// Decodes with defaults for the optional keys.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        train = try container.decode(String.self, forKey: .train)
        test = try container.decode(String.self, forKey: .test)
        labelColumn = try container.decodeIfPresent(String.self, forKey: .labelColumn) ?? "label"
        validationFraction = try container.decodeIfPresent(Double.self, forKey: .validationFraction) ?? 0.1
        imageShape = try container.decodeIfPresent([Int].self, forKey: .imageShape)
    }
}

/// The model section: a multilayer perceptron or a small convolutional network.
public struct ModelRecipe: Codable, Sendable, Hashable {
    /// The architecture family.
    public enum Kind: String, Codable, Sendable, Hashable {
        /// Linear + ReLU layers over flat features.
        case mlp
        /// 3×3 convolutions + ReLU + 2×2 max-pooling per entry of `channels`, then a linear classifier.
        case cnn
    }

    /// The family.
    public var kind: Kind
    /// Hidden widths of an MLP (`[128, 64]`).
    public var hidden: [Int]
    /// Output channels of each CNN block (`[16, 32]`).
    public var channels: [Int]
    /// Dropout probability after each hidden activation (0: none).
    public var dropout: Double

    /// Creates a model section.
    public init(kind: Kind = .mlp, hidden: [Int] = [128, 64], channels: [Int] = [16, 32], dropout: Double = 0) {
        self.kind = kind
        self.hidden = hidden
        self.channels = channels
        self.dropout = dropout
    }

    /// Decodes with defaults for absent keys.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decodeIfPresent(Kind.self, forKey: .kind) ?? .mlp
        hidden = try container.decodeIfPresent([Int].self, forKey: .hidden) ?? [128, 64]
        channels = try container.decodeIfPresent([Int].self, forKey: .channels) ?? [16, 32]
        dropout = try container.decodeIfPresent(Double.self, forKey: .dropout) ?? 0
    }
}

/// The optimizer section.
public struct OptimizerRecipe: Codable, Sendable, Hashable {
    /// `adam`, `adamw` or `sgd`.
    public var name: String
    /// The learning rate.
    public var lr: Double
    /// L2 (SGD, Adam) or decoupled (AdamW) weight decay.
    public var weightDecay: Double
    /// SGD momentum.
    public var momentum: Double
    /// `none`, `cosine` (annealed over the epochs) or `plateau` (reduce on a validation-loss plateau).
    public var schedule: String

    /// Creates an optimizer section.
    public init(name: String = "adam", lr: Double = 1e-3, weightDecay: Double = 0, momentum: Double = 0.9, schedule: String = "none") {
        self.name = name
        self.lr = lr
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.schedule = schedule
    }

    enum CodingKeys: String, CodingKey {
        case name, lr, weightDecay = "weight_decay", momentum, schedule
    }

    /// Decodes with defaults for absent keys.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? "adam"
        lr = try container.decodeIfPresent(Double.self, forKey: .lr) ?? 1e-3
        weightDecay = try container.decodeIfPresent(Double.self, forKey: .weightDecay) ?? 0
        momentum = try container.decodeIfPresent(Double.self, forKey: .momentum) ?? 0.9
        schedule = try container.decodeIfPresent(String.self, forKey: .schedule) ?? "none"
    }
}

/// The loop section.
public struct LoopRecipe: Codable, Sendable, Hashable {
    /// Epochs to run (at most; early stopping may end sooner).
    public var epochs: Int
    /// Examples per batch.
    public var batchSize: Int
    /// Stop after this many epochs without validation-loss improvement; nil: never.
    public var earlyStoppingPatience: Int?
    /// Show a progress bar (plain lines when output is not a terminal).
    public var progress: Bool

    /// Creates a loop section.
    public init(epochs: Int = 30, batchSize: Int = 32, earlyStoppingPatience: Int? = nil, progress: Bool = true) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.earlyStoppingPatience = earlyStoppingPatience
        self.progress = progress
    }

    enum CodingKeys: String, CodingKey {
        case epochs, batchSize = "batch_size", earlyStoppingPatience = "early_stopping_patience", progress
    }

    /// Decodes with defaults for absent keys.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        epochs = try container.decodeIfPresent(Int.self, forKey: .epochs) ?? 30
        batchSize = try container.decodeIfPresent(Int.self, forKey: .batchSize) ?? 32
        earlyStoppingPatience = try container.decodeIfPresent(Int.self, forKey: .earlyStoppingPatience)
        progress = try container.decodeIfPresent(Bool.self, forKey: .progress) ?? true
    }
}
