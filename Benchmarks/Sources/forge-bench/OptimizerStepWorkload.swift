import ForgeAutograd
import ForgeOptimizers
import ForgeTensor

/// `optimizer_step`: one optimizer step over the parameters of the 64-128-64-10 MLP (six tensors,
/// 17 226 float32 elements) with fixed gradients, in microseconds.
///
/// The peer builds the same parameter shapes and times `optimizer.step()` of `torch.optim`. Each
/// timed sample runs ``stepsPerSample`` steps and reports the time per step, because one step is
/// shorter than the clock's useful resolution. Variants: `adam` (lr 1e-3, PyTorch defaults),
/// `adamw` (weight decay 0.01), `sgd_momentum` (lr 0.01, momentum 0.9), `rmsprop` (lr 0.01).
struct OptimizerStepWorkload: Workload {
    /// The MLP's parameter shapes, in `Linear` order (weight, bias).
    static let shapes: [[Int]] = [[128, 64], [128], [64, 128], [64], [10, 64], [10]]
    /// Steps per timed sample.
    static let stepsPerSample = 100

    let name = "optimizer_step"
    let resultKey = "optimizer_step_us"
    let summary = "one optimizer step over the 64-128-64-10 MLP's parameters, µs"

    func run(settings: BenchmarkSettings) -> JSONValue {
        let variants: [(String, ([Variable]) throws -> any Optimizer)] = [
            ("adam", { try Adam(parameters: $0, learningRate: 1e-3) }),
            ("adamw", { try AdamW(parameters: $0, learningRate: 1e-3, weightDecay: 0.01) }),
            ("sgd_momentum", { try SGD(parameters: $0, learningRate: 0.01, momentum: 0.9) }),
            ("rmsprop", { try RMSprop(parameters: $0, learningRate: 0.01) }),
        ]
        var results: [(key: String, value: JSONValue)] = []
        for (variant, make) in variants {
            var generator = RandomGenerator(seed: 0)
            let parameters = OptimizerStepWorkload.shapes.map { shape in
                Variable(Tensor.uniform(shape: shape, low: -0.1, high: 0.1, generator: &generator), requiresGradient: true)
            }
            for parameter in parameters {
                parameter.gradient = Tensor.uniform(shape: parameter.shape, low: -0.01, high: 0.01, generator: &generator)
            }
            // The hyperparameters above are valid; a failure here is a bug in this file.
            guard let optimizer = try? make(parameters) else { preconditionFailure("optimizer_step: \(variant)") }
            let seconds = settings.clock.medianSeconds {
                for _ in 0..<OptimizerStepWorkload.stepsPerSample { optimizer.step() }
            }
            results.append((variant, .rounded(seconds / Double(OptimizerStepWorkload.stepsPerSample) * 1e6, places: 2)))
        }
        return .object(results)
    }
}
