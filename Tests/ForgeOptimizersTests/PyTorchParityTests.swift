import ForgeAutograd
import ForgeOptimizers
import ForgeTensor
import Foundation
import Testing

/// Parameters after five steps, printed by PyTorch 2.13 (`torch.optim`, CPU, default single-tensor
/// path) for the same starting values and the same synthetic gradients (each computed from the
/// optimizer's own current parameters, as ``syntheticGradient(_:step:)`` does). The generating
/// script is in the comment at the end of this file.
@Suite("Parameters match numbers computed by PyTorch")
struct PyTorchParityTests {
    typealias Case = (name: String, dtype: DType, make: ([Variable]) throws -> any Optimizer, expected: [Double])

    static var cases: [Case] {
        [
        ("sgd", .float64, { try SGD(parameters: $0, learningRate: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 0.01) },
         [0.21823631050082146, 0.1905062368283708, 0.44112955254774394, 0.4200445243752269, 0.2014026596156066, 0.48176870242916575, 0.26224967470931276, 0.32715008717921423, 0.15717158208549672, 0.13379983345522553]),
        ("sgd_nesterov", .float64, { try SGD(parameters: $0, learningRate: 0.05, momentum: 0.8, nesterov: true, maximize: true) },
         [1.167369643513149, -4.683876452579293, 5.708676801933181, 1.5375135643149263, -0.8265964578118075, 3.929554413814646, 2.7613507424884007, -2.4797880353848902, 0.4726915320708953, -7.091811179504739]),
        ("adam", .float64, { try Adam(parameters: $0, learningRate: 0.01) },
         [0.45081091093032843, -1.1998990907553446, 1.949875796956603, 0.7038134022604926, -0.054856110979841735, 1.4508259143569644, 0.9507615583929718, -0.4505138699043748, 0.21052136789470655, -1.9500728136317882]),
        ("adam_amsgrad", .float64, { try Adam(parameters: $0, learningRate: 0.02, betas: (0.8, 0.99), epsilon: 1e-6, weightDecay: 0.1, amsgrad: true) },
         [0.4006425073551881, -1.1495918514669987, 1.8994905471172674, 0.6604579568744497, -0.014715814284919023, 1.4027420702452238, 0.9027024907892184, -0.40198587685748444, 0.17770477319776365, -1.9003461312302585]),
        ("adamw", .float64, { try AdamW(parameters: $0, learningRate: 0.01, weightDecay: 0.1) },
         [0.44841600133479326, -1.1937635709743781, 1.9399984267827362, 0.700216819075133, -0.05446008848446879, 1.4434542669303971, 0.945883686054553, -0.44812311756367595, 0.20942620179262258, -1.9401968006737915]),
        ("rmsprop", .float64, { try RMSprop(parameters: $0, learningRate: 0.005, alpha: 0.9, weightDecay: 0.01, momentum: 0.5, centered: true) },
         [0.3939256625770966, -1.1461227198315207, 1.8956832013959788, 0.6749961945813291, -0.030401861164058675, 1.4073541080594236, 0.9069547332717357, -0.4045695493320537, 0.18947150000841956, -1.8994017095610323]),
        ("adagrad", .float64, { try Adagrad(parameters: $0, learningRate: 0.1, learningRateDecay: 0.05, weightDecay: 0.02, initialAccumulatorValue: 0.1) },
         [0.25566996739314973, -0.9513436484694827, 1.6990503458512176, 0.5728905489533844, 0.05648582075823183, 1.2406945159370961, 0.7481749918091584, -0.2380269139898324, 0.21130113793185756, -1.709242573902007]),
        ("sgd", .float32, { try SGD(parameters: $0, learningRate: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 0.01) },
         [0.2182363122701645, 0.1905061900615692, 0.4411296546459198, 0.42004454135894775, 0.20140264928340912, 0.4817686676979065, 0.2622497081756592, 0.3271500766277313, 0.1571715772151947, 0.13379977643489838]),
        ("sgd_nesterov", .float32, { try SGD(parameters: $0, learningRate: 0.05, momentum: 0.8, nesterov: true, maximize: true) },
         [1.1673697233200073, -4.6838765144348145, 5.708676815032959, 1.5375136137008667, -0.8265965580940247, 3.9295549392700195, 2.761350631713867, -2.479788064956665, 0.4726915657520294, -7.091811656951904]),
        ("adam", .float32, { try Adam(parameters: $0, learningRate: 0.01) },
         [0.4508109390735626, -1.1998990774154663, 1.949875831604004, 0.703813374042511, -0.054856110364198685, 1.4508259296417236, 0.950761616230011, -0.4505138695240021, 0.21052135527133942, -1.9500728845596313]),
        ("adam_amsgrad", .float32, { try Adam(parameters: $0, learningRate: 0.02, betas: (0.8, 0.99), epsilon: 1e-6, weightDecay: 0.1, amsgrad: true) },
         [0.4006425142288208, -1.1495919227600098, 1.8994905948638916, 0.6604579091072083, -0.01471581682562828, 1.4027421474456787, 0.9027025103569031, -0.40198588371276855, 0.17770476639270782, -1.900346040725708]),
        ("adamw", .float32, { try AdamW(parameters: $0, learningRate: 0.01, weightDecay: 0.1) },
         [0.4484160542488098, -1.1937637329101562, 1.9399986267089844, 0.7002169489860535, -0.05446009337902069, 1.443454384803772, 0.9458838105201721, -0.44812315702438354, 0.20942620933055878, -1.9401969909667969]),
        ("rmsprop", .float32, { try RMSprop(parameters: $0, learningRate: 0.005, alpha: 0.9, weightDecay: 0.01, momentum: 0.5, centered: true) },
         [0.39392566680908203, -1.1461228132247925, 1.8956830501556396, 0.6749961972236633, -0.030401861295104027, 1.4073542356491089, 0.9069547653198242, -0.404569536447525, 0.18947149813175201, -1.8994016647338867]),
        ("adagrad", .float32, { try Adagrad(parameters: $0, learningRate: 0.1, learningRateDecay: 0.05, weightDecay: 0.02, initialAccumulatorValue: 0.1) },
         [0.2556699812412262, -0.9513435959815979, 1.6990504264831543, 0.5728905200958252, 0.05648581683635712, 1.2406946420669556, 0.7481750249862671, -0.23802690207958221, 0.21130114793777466, -1.7092427015304565]),
        ]
    }

    @Test(arguments: 0..<14)
    func fiveStepsMatchPyTorch(_ index: Int) throws {
        let item = Self.cases[index]
        let parameters = makeParameters(dtype: item.dtype)
        let optimizer = try item.make(parameters)
        for step in 0..<5 {
            let gradients = syntheticGradient(parameters.map(\.value.doubleScalars), step: step)
            for (parameter, gradient) in zip(parameters, gradients) {
                parameter.gradient = Tensor(gradient, shape: parameter.shape).converted(to: item.dtype)
            }
            optimizer.step()
        }
        let actual = parameters.flatMap(\.value.doubleScalars)
        // float64 agrees to rounding; float32 to a few units in the last place of the parameters.
        let tolerance = item.dtype == .float64 ? 1e-14 : 1e-6
        let worst = zip(actual, item.expected).map { abs($0 - $1) / max(abs($1), 1e-2) }.max() ?? 0
        #expect(worst < tolerance, "\(item.name) \(item.dtype): relative deviation \(worst)")
    }
}

// The numbers above come from this script (PyTorch 2.13.0+cpu, one thread):
//
//     init = [[0.5, -1.25, 2.0, 0.75, -0.1, 1.5], [1.0, -0.5, 0.25, -2.0]]; shapes = [(2, 3), (4,)]
//     def grads(ps, step):
//         return [torch.tensor([2 * (float(x) - 0.3) + 0.5 * math.sin(step * 7 + i * 3 + t)
//                               for i, x in enumerate(p.detach().reshape(-1))], dtype=p.dtype).reshape(p.shape)
//                 for t, p in enumerate(ps)]
//     for dtype in (torch.float64, torch.float32):
//         ps = [torch.nn.Parameter(torch.tensor(v, dtype=dtype).reshape(s)) for v, s in zip(init, shapes)]
//         opt = torch.optim.Adam(ps, lr=0.01)          # one line per case above
//         for step in range(5):
//             for p, g in zip(ps, grads(ps, step)): p.grad = g
//             opt.step()
//         print([x for p in ps for x in p.detach().reshape(-1).tolist()])
