import Foundation

// Reference implementations of PyTorch's documented update rules (torch.optim, single-tensor
// path), written out element by element in Float64 with no shared code from the module under test.

/// A reference optimizer over plain arrays: one array per parameter tensor.
protocol ReferenceOptimizer {
    mutating func step(_ parameters: inout [[Double]], _ gradients: [[Double]])
}

struct ReferenceSGD: ReferenceOptimizer {
    var lr = 1e-3, momentum = 0.0, dampening = 0.0, weightDecay = 0.0, nesterov = false, maximize = false
    var buffers: [[Double]?] = []

    mutating func step(_ parameters: inout [[Double]], _ gradients: [[Double]]) {
        if buffers.isEmpty { buffers = Array(repeating: nil, count: parameters.count) }
        for t in parameters.indices {
            var g = gradients[t].map { maximize ? -$0 : $0 }
            if weightDecay != 0 { for i in g.indices { g[i] += weightDecay * parameters[t][i] } }
            if momentum != 0 {
                var b: [Double]
                if let old = buffers[t] {
                    b = old
                    for i in b.indices { b[i] = b[i] * momentum + (1 - dampening) * g[i] }
                } else {
                    b = g
                }
                buffers[t] = b
                if nesterov { for i in g.indices { g[i] += momentum * b[i] } } else { g = b }
            }
            for i in g.indices { parameters[t][i] -= lr * g[i] }
        }
    }
}

struct ReferenceAdam: ReferenceOptimizer {
    var lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.0
    var amsgrad = false, maximize = false, decoupled = false
    var m: [[Double]] = [], v: [[Double]] = [], vMax: [[Double]] = [], t = 0

    mutating func step(_ parameters: inout [[Double]], _ gradients: [[Double]]) {
        if m.isEmpty {
            m = parameters.map { Array(repeating: 0, count: $0.count) }
            v = m
            vMax = m
        }
        t += 1
        let bc1 = 1 - pow(beta1, Double(t))
        let bc2 = 1 - pow(beta2, Double(t))
        for k in parameters.indices {
            for i in parameters[k].indices {
                var g = maximize ? -gradients[k][i] : gradients[k][i]
                if decoupled {
                    parameters[k][i] *= 1 - lr * weightDecay
                } else {
                    g += weightDecay * parameters[k][i]
                }
                m[k][i] = beta1 * m[k][i] + (1 - beta1) * g
                v[k][i] = beta2 * v[k][i] + (1 - beta2) * g * g
                var vHat = v[k][i]
                if amsgrad {
                    vMax[k][i] = max(vMax[k][i], v[k][i])
                    vHat = vMax[k][i]
                }
                let mHat = m[k][i] / bc1
                parameters[k][i] -= lr * mHat / (sqrt(vHat / bc2) + eps)
            }
        }
    }
}

struct ReferenceRMSprop: ReferenceOptimizer {
    var lr = 1e-2, alpha = 0.99, eps = 1e-8, weightDecay = 0.0, momentum = 0.0, centered = false, maximize = false
    var square: [[Double]] = [], average: [[Double]] = [], buffer: [[Double]] = []

    mutating func step(_ parameters: inout [[Double]], _ gradients: [[Double]]) {
        if square.isEmpty {
            square = parameters.map { Array(repeating: 0, count: $0.count) }
            average = square
            buffer = square
        }
        for k in parameters.indices {
            for i in parameters[k].indices {
                var g = maximize ? -gradients[k][i] : gradients[k][i]
                g += weightDecay * parameters[k][i]
                square[k][i] = alpha * square[k][i] + (1 - alpha) * g * g
                var denominator: Double
                if centered {
                    average[k][i] = alpha * average[k][i] + (1 - alpha) * g
                    denominator = sqrt(square[k][i] - average[k][i] * average[k][i])
                } else {
                    denominator = sqrt(square[k][i])
                }
                denominator += eps
                if momentum > 0 {
                    buffer[k][i] = momentum * buffer[k][i] + g / denominator
                    parameters[k][i] -= lr * buffer[k][i]
                } else {
                    parameters[k][i] -= lr * g / denominator
                }
            }
        }
    }
}

struct ReferenceAdagrad: ReferenceOptimizer {
    var lr = 1e-2, lrDecay = 0.0, weightDecay = 0.0, initialAccumulator = 0.0, eps = 1e-10, maximize = false
    var sum: [[Double]] = [], t = 0

    mutating func step(_ parameters: inout [[Double]], _ gradients: [[Double]]) {
        if sum.isEmpty { sum = parameters.map { Array(repeating: initialAccumulator, count: $0.count) } }
        t += 1
        let clr = lr / (1 + Double(t - 1) * lrDecay)
        for k in parameters.indices {
            for i in parameters[k].indices {
                var g = maximize ? -gradients[k][i] : gradients[k][i]
                g += weightDecay * parameters[k][i]
                sum[k][i] += g * g
                parameters[k][i] -= clr * g / (sqrt(sum[k][i]) + eps)
            }
        }
    }
}

/// The gradient the trajectory tests feed at `step`: a quadratic pull toward 0.3 plus a deterministic
/// wobble, so signs change and every branch of the update runs.
func syntheticGradient(_ parameters: [[Double]], step: Int) -> [[Double]] {
    parameters.enumerated().map { tensorIndex, values in
        values.enumerated().map { i, p in
            2 * (p - 0.3) + 0.5 * sin(Double(step * 7 + i * 3 + tensorIndex))
        }
    }
}
