public import ForgeTensor

/// Standardization `(x − mean) / std` per feature, with statistics fitted on training data and
/// saved with the model (`Codable`).
///
/// Fit on the training split only, then apply the same statistics to validation, test and serving
/// inputs. Features are axis 1 (`[N, F]` or `[N, C, H, W]`, per channel); missing values (NaN) are
/// ignored when fitting. A constant feature gets a standard deviation of 1 (it is only centred).
///
/// ```swift
/// let standardize = Standardize.fit(trainingFeatures)
/// let data = try JSONEncoder().encode(standardize)            // store with the checkpoint
/// let loader = DataLoader(train, batchSize: 32, transform: standardize)
/// ```
public struct Standardize: Transform, Codable, Hashable {
    /// The mean of each feature.
    public var mean: [Double]
    /// The standard deviation of each feature (population, never 0).
    public var standardDeviation: [Double]

    /// Creates the transform from known statistics.
    public init(mean: [Double], standardDeviation: [Double]) {
        precondition(
            mean.count == standardDeviation.count,
            "Standardize: \(mean.count) means, \(standardDeviation.count) deviations")
        precondition(standardDeviation.allSatisfy { $0 > 0 }, "Standardize: standard deviations must be positive")
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// Fits the statistics of each feature (axis 1) of `features`.
    public static func fit(_ features: Tensor) -> Standardize {
        let channels = ChannelKernels.channelValues(features)
        var means: [Double] = []
        var deviations: [Double] = []
        for values in channels {
            let mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
            let variance =
                values.isEmpty ? 0 : values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
            means.append(mean)
            deviations.append(variance > 0 ? variance.squareRoot() : 1)
        }
        return Standardize(mean: means, standardDeviation: deviations)
    }

    /// `(input − mean) / std` per feature.
    public func apply(_ input: Tensor, generator: inout RandomGenerator) -> Tensor {
        ChannelKernels.affine(
            input, scale: standardDeviation.map { 1 / $0 },
            shift: zip(mean, standardDeviation).map { -$0 / $1 }, operation: "Standardize")
    }

    /// The inverse, `x × std + mean` (to report predictions in original units).
    public func inverted(_ input: Tensor) -> Tensor {
        ChannelKernels.affine(input, scale: standardDeviation, shift: mean, operation: "Standardize.inverted")
    }
}

/// Min-max scaling of each feature to `[lower, upper]` (default `[0, 1]`), fitted on training data.
public struct MinMaxScale: Transform, Codable, Hashable {
    /// The fitted minimum of each feature.
    public var minimum: [Double]
    /// The fitted maximum of each feature.
    public var maximum: [Double]
    /// The target range's lower end.
    public var lower: Double
    /// The target range's upper end.
    public var upper: Double

    /// Creates the transform from known ranges.
    public init(minimum: [Double], maximum: [Double], lower: Double = 0, upper: Double = 1) {
        precondition(minimum.count == maximum.count, "MinMaxScale: \(minimum.count) minima, \(maximum.count) maxima")
        precondition(lower < upper, "MinMaxScale: target range [\(lower), \(upper)] is empty")
        self.minimum = minimum
        self.maximum = maximum
        self.lower = lower
        self.upper = upper
    }

    /// Fits the minimum and maximum of each feature (axis 1), NaN ignored.
    public static func fit(_ features: Tensor, lower: Double = 0, upper: Double = 1) -> MinMaxScale {
        let channels = ChannelKernels.channelValues(features)
        return MinMaxScale(
            minimum: channels.map { $0.min() ?? 0 }, maximum: channels.map { $0.max() ?? 1 }, lower: lower, upper: upper
        )
    }

    /// Maps `[minimum, maximum]` to `[lower, upper]` per feature (a constant feature maps to `lower`).
    public func apply(_ input: Tensor, generator: inout RandomGenerator) -> Tensor {
        let scale = zip(minimum, maximum).map { $1 > $0 ? (upper - lower) / ($1 - $0) : 0 }
        let shift = zip(minimum, scale).map { lower - $0 * $1 }
        return ChannelKernels.affine(input, scale: scale, shift: shift, operation: "MinMaxScale")
    }
}

/// Replaces missing values (NaN) per feature with a fitted mean or median, or a constant.
public struct Impute: Transform, Codable, Hashable {
    /// How the fill value of a feature is chosen.
    public enum Strategy: String, Codable, Sendable, Hashable {
        /// The mean of the present values.
        case mean
        /// The median of the present values.
        case median
    }

    /// The value each feature's missing entries get.
    public var fillValues: [Double]

    /// Creates the transform from known fill values.
    public init(fillValues: [Double]) { self.fillValues = fillValues }

    /// Fits fill values on `features` (axis 1); a feature with no present value gets 0.
    public static func fit(_ features: Tensor, strategy: Strategy = .mean) -> Impute {
        Impute(
            fillValues: ChannelKernels.channelValues(features).map { values in
                guard !values.isEmpty else { return 0 }
                switch strategy {
                case .mean: return values.reduce(0, +) / Double(values.count)
                case .median: return Quantiles.quantile(values.sorted(), 0.5)
                }
            })
    }

    /// A constant fill for `featureCount` features.
    public static func constant(_ value: Double, featureCount: Int) -> Impute {
        Impute(fillValues: Array(repeating: value, count: featureCount))
    }

    /// The input with every NaN of feature `c` replaced by `fillValues[c]`.
    public func apply(_ input: Tensor, generator: inout RandomGenerator) -> Tensor {
        let (outer, channels, inner) = ChannelKernels.layout(input.shape)
        precondition(
            channels == fillValues.count,
            "Impute: input \(input.shape) has \(channels) features, fitted for \(fillValues.count)")
        var output = input.dtype == .float64 ? input.contiguous() : input.converted(to: .float32).contiguous()
        func fill<T: TensorFloatingPoint>(_: T.Type) {
            output.withUnsafeMutableBufferPointer(as: T.self) { values in
                for n in 0..<outer {
                    for channel in 0..<channels {
                        let base = (n * channels + channel) * inner
                        let value = T(convertingDouble: fillValues[channel])
                        for i in base..<base + inner where values[i].isNaN { values[i] = value }
                    }
                }
            }
        }
        if output.dtype == .float64 { fill(Double.self) } else { fill(Float.self) }
        return output
    }
}
