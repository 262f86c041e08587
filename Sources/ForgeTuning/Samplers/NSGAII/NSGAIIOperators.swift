import ForgeTensor
import Foundation

/// NSGA-II's variation operators on points in the unit cube.
enum NSGAIIOperators {
    /// The child of `first` and `second`.
    static func crossover(
        _ first: [Double], _ second: [Double], categorical: [Bool], operator crossover: NSGAIISampler.Crossover,
        generator: inout RandomGenerator
    ) -> [Double] {
        var child = first
        for index in first.indices {
            switch crossover {
            case .uniform(let swapProbability):
                if generator.nextUnit() < swapProbability { child[index] = second[index] }
            case .simulatedBinary(let eta):
                if categorical[index] {
                    if generator.nextUnit() < 0.5 { child[index] = second[index] }
                    continue
                }
                // SBX (Deb & Agrawal 1995): spread factor β from the polynomial distribution of index η,
                // one of the two children chosen at random, clipped to the unit interval.
                let u = generator.nextUnit()
                let beta = u <= 0.5 ? pow(2 * u, 1 / (eta + 1)) : pow(1 / (2 * (1 - u)), 1 / (eta + 1))
                let mean = 0.5 * (first[index] + second[index])
                let half = 0.5 * beta * abs(first[index] - second[index])
                let value = generator.nextUnit() < 0.5 ? mean - half : mean + half
                child[index] = min(max(value, 0), 1)
            }
        }
        return child
    }

    /// Polynomial mutation (numeric) or a random reset (categorical), each parameter with `probability`.
    static func mutate(
        _ point: inout [Double], parameters: [SamplerParameter], probability: Double, eta: Double,
        generator: inout RandomGenerator
    ) {
        for index in point.indices where generator.nextUnit() < probability {
            if parameters[index].isCategorical {
                point[index] = generator.nextUnit()
                continue
            }
            let x = point[index]
            let u = generator.nextUnit()
            let delta: Double
            if u < 0.5 {
                delta = pow(2 * u + (1 - 2 * u) * pow(1 - x, eta + 1), 1 / (eta + 1)) - 1
            } else {
                delta = 1 - pow(2 * (1 - u) + 2 * (u - 0.5) * pow(x, eta + 1), 1 / (eta + 1))
            }
            point[index] = min(max(x + delta, 0), 1)
        }
    }
}
