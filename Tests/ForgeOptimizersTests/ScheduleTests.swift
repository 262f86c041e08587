import ForgeAutograd
import ForgeOptimizers
import ForgeTensor
import Foundation
import Testing

/// A user-style schedule: the inverse-square-root schedule of "Attention is all you need".
struct InverseSquareRoot: LearningRateSchedule {
    var warmupSteps: Int
    func learningRate(at step: Int, initialRate: Double) -> Double {
        let t = Double(step + 1)
        let w = Double(warmupSteps)
        return initialRate * min(t / w, (w / t).squareRoot())
    }
}

/// The rates a scheduler sets on an optimizer starting at `rate` for steps 0..<count.
func scheduledRates<S: LearningRateSchedule>(_ schedule: S, rate: Double = 0.1, count: Int, metrics: [Double] = []) throws
    -> [Double]
{
    let optimizer = try SGD(parameters: makeParameters(dtype: .float32), learningRate: rate)
    let scheduler = LearningRateScheduler(optimizer: optimizer, schedule: schedule)
    var rates = [optimizer.learningRate]
    for index in 1..<count {
        scheduler.step(metric: metrics.isEmpty ? nil : metrics[index - 1])
        rates.append(optimizer.learningRate)
    }
    return rates
}

func close(_ a: [Double], _ b: [Double], tolerance: Double = 1e-15) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
}

@Suite("Learning-rate schedules follow PyTorch's closed forms")
struct ScheduleTests {
    @Test func stepMultiStepAndExponential() throws {
        // PyTorch's StepLR docstring: lr 0.05 for epochs < 30, 0.005 for < 60, 0.0005 for < 90.
        let step = try scheduledRates(try StepDecay(stepSize: 30, gamma: 0.1), rate: 0.05, count: 90)
        #expect(close(step, (0..<90).map { 0.05 * pow(0.1, Double($0 / 30)) }))
        #expect(step[29] == 0.05 && abs(step[30] - 0.005) < 1e-18 && abs(step[89] - 0.0005) < 1e-18)
        // MultiStepLR docstring: milestones [30, 80].
        let multi = try scheduledRates(try MultiStepDecay(milestones: [30, 80]), rate: 0.05, count: 100)
        #expect(multi[29] == 0.05 && abs(multi[30] - 0.005) < 1e-18 && abs(multi[79] - 0.005) < 1e-18)
        #expect(abs(multi[80] - 0.0005) < 1e-18 && abs(multi[99] - 0.0005) < 1e-18)
        let exponential = try scheduledRates(try ExponentialDecay(gamma: 0.9), count: 10)
        #expect(close(exponential, (0..<10).map { 0.1 * pow(0.9, Double($0)) }))
    }

    @Test func cosineAnnealing() throws {
        let rates = try scheduledRates(try CosineAnnealing(period: 10, minimumRate: 0.001), count: 21)
        let expected = (0..<21).map { 0.001 + (0.1 - 0.001) * (1 + cos(Double.pi * Double($0) / 10)) / 2 }
        #expect(close(rates, expected))
        #expect(rates[0] == 0.1 && abs(rates[5] - 0.0505) < 1e-15 && abs(rates[10] - 0.001) < 1e-15)
        #expect(abs(rates[20] - 0.1) < 1e-15)  // the cosine goes on past T_max, as in PyTorch
    }

    @Test func warmRestarts() throws {
        let schedule = try CosineAnnealingWarmRestarts(firstPeriod: 2, periodMultiplier: 2, minimumRate: 0.01)
        // Cycles of 2, 4, 8 steps start at steps 0, 2, 6, 14.
        #expect((0..<15).map { schedule.cycle(at: $0).position } == [0, 1, 0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 0])
        #expect(schedule.cycle(at: 13).length == 8 && schedule.cycle(at: 14).length == 16)
        let rates = try scheduledRates(schedule, count: 15)
        #expect(rates[0] == 0.1 && rates[2] == 0.1 && rates[6] == 0.1 && rates[14] == 0.1)
        #expect(abs(rates[4] - 0.055) < 1e-15)  // halfway through the 4-step cycle: (η₀ + η_min)/2
        #expect(abs(rates[1] - 0.055) < 1e-15)
        let equal = try CosineAnnealingWarmRestarts(firstPeriod: 3)
        #expect((0..<7).map { equal.cycle(at: $0).position } == [0, 1, 2, 0, 1, 2, 0])
    }

    @Test func linearWarmupThenAnotherSchedule() throws {
        let schedule = try LinearWarmup(steps: 4, startFactor: 0.25, then: try CosineAnnealing(period: 4))
        let rates = try scheduledRates(schedule, rate: 1, count: 10)
        let cosine = (0..<6).map { (1 + cos(Double.pi * Double($0) / 4)) / 2 }
        #expect(close(rates, [0.25, 0.4375, 0.625, 0.8125] + cosine))
        let plain = try scheduledRates(try LinearWarmup(steps: 2), rate: 0.3, count: 4)
        #expect(close(plain, [0.1, 0.2, 0.3, 0.3]))
    }

    @Test func oneCycle() throws {
        let schedule = try OneCycle(totalSteps: 100, maximumRate: 0.1)
        let rates = try scheduledRates(schedule, rate: 0.5, count: 100)
        #expect(abs(rates[0] - 0.004) < 1e-17)
        #expect(abs(rates[29] - 0.1) < 1e-17)  // peak at pct_start · total − 1
        #expect(abs(rates[64] - (0.1 + 4e-7) / 2) < 1e-16)  // halfway down the second phase
        #expect(abs(rates[99] - 4e-7) < 1e-20)
        #expect(abs(rates[14] - (0.1 + (0.004 - 0.1) / 2 * (cos(Double.pi * 14 / 29) + 1))) < 1e-16)
        let threePhase = try OneCycle(totalSteps: 100, maximumRate: 0.1, threePhase: true)
        #expect(abs(threePhase.learningRate(at: 58, initialRate: 0) - 0.004) < 1e-17)
        #expect(abs(threePhase.learningRate(at: 99, initialRate: 0) - 4e-7) < 1e-20)
        let linear = try OneCycle(totalSteps: 100, maximumRate: 0.1, annealing: .linear)
        #expect(abs(linear.learningRate(at: 14, initialRate: 0) - (0.004 + 0.096 * 14 / 29)) < 1e-16)
        // Without maximumRate the group's own rate is the peak.
        #expect(abs(try OneCycle(totalSteps: 10).learningRate(at: 0, initialRate: 0.5) - 0.02) < 1e-16)
    }

    @Test func reduceOnPlateau() throws {
        let metrics = [1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95]
        let schedule = try ReduceOnPlateau(factor: 0.5, patience: 2, cooldown: 1)
        let rates = try scheduledRates(schedule, count: 10, metrics: metrics)
        #expect(close(rates, [0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025]))
        let floored = try scheduledRates(
            try ReduceOnPlateau(factor: 0.5, patience: 2, cooldown: 1, minimumRate: 0.03), count: 10, metrics: metrics)
        #expect(floored.last == 0.03)
        // Maximize with an absolute threshold: +0.05 is not enough to count as an improvement.
        var maximize = try ReduceOnPlateau(mode: .maximize, factor: 0.1, patience: 0, thresholdMode: .absolute)
        maximize.threshold = 0.1
        maximize.observe(metric: 0.5)
        #expect(maximize.reductions == 0 && maximize.best == 0.5)
        maximize.observe(metric: 0.55)
        #expect(maximize.reductions == 1 && maximize.best == 0.5)
        maximize.observe(metric: 0.7)
        #expect(maximize.reductions == 1 && maximize.best == 0.7)
        #expect(abs(maximize.learningRate(at: 0, initialRate: 1) - 0.1) < 1e-16)
    }

    @Test func schedulerStateResumesExactly() throws {
        let metrics = (0..<12).map { 1.0 / Double(1 + $0 % 4) }
        let make = { try LinearWarmup(steps: 2, then: try ReduceOnPlateau(factor: 0.5, patience: 1)) }
        let whole = try scheduledRates(try make(), count: 13, metrics: metrics)

        let optimizer = try SGD(parameters: makeParameters(dtype: .float32), learningRate: 0.1)
        let first = LearningRateScheduler(optimizer: optimizer, schedule: try make())
        for index in 0..<5 { first.step(metric: metrics[index]) }
        let json = try JSONEncoder().encode(first.stateDict())
        let saved = try JSONDecoder().decode(LearningRateSchedulerState.self, from: json)
        #expect(saved == first.stateDict())

        let resumedOptimizer = try SGD(parameters: makeParameters(dtype: .float32), learningRate: 0.1)
        let resumed = LearningRateScheduler(optimizer: resumedOptimizer, schedule: try make())
        try resumed.load(stateDict: saved)
        var rates = [resumedOptimizer.learningRate]
        for index in 5..<12 {
            resumed.step(metric: metrics[index])
            rates.append(resumedOptimizer.learningRate)
        }
        #expect(rates == Array(whole[5...]))
        #expect(whole.contains { $0 < 0.1 }, "the plateau schedule never reduced: \(whole)")

        let twoGroups = try SGD(groups: [
            ParameterGroup([Variable(Tensor.zeros(shape: [1]))], .init()),
            ParameterGroup([Variable(Tensor.zeros(shape: [1]))], .init()),
        ])
        let wrong = LearningRateScheduler(optimizer: twoGroups, schedule: try make())
        #expect(optimizerError { try wrong.load(stateDict: saved) }?.code == .stateMismatch)
    }

    @Test func customScheduleAndPerGroupRates() throws {
        let parameters = makeParameters(dtype: .float32)
        let optimizer = try Adam(groups: [
            ParameterGroup([parameters[0]], .init(learningRate: 1)),
            ParameterGroup([parameters[1]], .init(learningRate: 2)),
        ])
        let scheduler = LearningRateScheduler(optimizer: optimizer, schedule: InverseSquareRoot(warmupSteps: 4))
        #expect(optimizer.learningRates == [0.25, 0.5])
        for _ in 0..<3 { scheduler.step() }
        #expect(optimizer.learningRates == [1, 2])
        for _ in 0..<12 { scheduler.step() }
        #expect(optimizer.learningRates == [0.5, 1])
    }

    @Test func invalidSchedulesAreRejected() {
        #expect(optimizerError { try StepDecay(stepSize: 0) }?.code == .invalidHyperparameter)
        #expect(optimizerError { try MultiStepDecay(milestones: [30, 10]) }?.code == .invalidHyperparameter)
        #expect(optimizerError { try ExponentialDecay(gamma: -1) }?.code == .invalidHyperparameter)
        #expect(optimizerError { try CosineAnnealing(period: 0) }?.code == .invalidHyperparameter)
        #expect(optimizerError { try CosineAnnealingWarmRestarts(firstPeriod: 5, periodMultiplier: 0) } != nil)
        #expect(optimizerError { try LinearWarmup(steps: 3, startFactor: 0) }?.code == .invalidHyperparameter)
        #expect(optimizerError { try OneCycle(totalSteps: 100, warmupFraction: 1.5) }?.code == .invalidHyperparameter)
        #expect(optimizerError { try ReduceOnPlateau(factor: 1) }?.code == .invalidHyperparameter)
        #expect(optimizerError { try ReduceOnPlateau(patience: -1) }?.code == .invalidHyperparameter)
    }
}
