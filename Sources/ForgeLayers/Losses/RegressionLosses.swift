public import ForgeAutograd
public import ForgeTensor

extension Loss {
    /// The mean squared error `(input − target)²`, PyTorch's `mse_loss`.
    ///
    /// - Parameters:
    ///   - input: the predictions.
    ///   - target: the desired values, same shape as `input`.
    ///   - reduction: how to combine the per-element losses.
    ///   - fileID: the file that creates the loss, for anomaly reports.
    ///   - line: the line that creates the loss, for anomaly reports.
    public static func meanSquaredError(
        _ input: Variable, target: Tensor, reduction: LossReduction = .mean, fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        checkSameShape("meanSquaredError", input: input.value, target: target)
        let difference = input.value - target.converted(to: input.dtype)
        return elementwise(
            "meanSquaredError", input: input, elementLoss: difference * difference, reduction: reduction,
            location: SourceLocation(fileID: fileID, line: line)
        ) { difference * 2 }
    }

    /// The absolute error `|input − target|`, PyTorch's `l1_loss` (gradient 0 where they are equal).
    public static func l1(
        _ input: Variable, target: Tensor, reduction: LossReduction = .mean, fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        checkSameShape("l1", input: input.value, target: target)
        let difference = input.value - target.converted(to: input.dtype)
        return elementwise(
            "l1", input: input, elementLoss: difference.abs(), reduction: reduction,
            location: SourceLocation(fileID: fileID, line: line)
        ) { difference.sign() }
    }

    /// The smooth L1 loss, PyTorch's `smooth_l1_loss`: `0.5 d² / beta` where `|d| < beta`, `|d| − 0.5 beta`
    /// elsewhere (`d = input − target`); `beta = 0` is the L1 loss.
    public static func smoothL1(
        _ input: Variable, target: Tensor, beta: Double = 1, reduction: LossReduction = .mean,
        fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        checkSameShape("smoothL1", input: input.value, target: target)
        precondition(beta >= 0, "smoothL1: beta \(beta) is negative")
        if beta == 0 { return l1(input, target: target, reduction: reduction, fileID: fileID, line: line) }
        let difference = input.value - target.converted(to: input.dtype)
        let magnitude = difference.abs()
        let inside = magnitude .< beta
        let loss = Tensor.where(inside, difference * difference * (0.5 / beta), magnitude - 0.5 * beta)
        return elementwise(
            "smoothL1", input: input, elementLoss: loss, reduction: reduction,
            location: SourceLocation(fileID: fileID, line: line)
        ) { Tensor.where(inside, difference / beta, difference.sign()) }
    }

    /// The Huber loss, PyTorch's `huber_loss`: `0.5 d²` where `|d| ≤ delta`, `delta (|d| − 0.5 delta)`
    /// elsewhere (`d = input − target`).
    public static func huber(
        _ input: Variable, target: Tensor, delta: Double = 1, reduction: LossReduction = .mean,
        fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        checkSameShape("huber", input: input.value, target: target)
        precondition(delta > 0, "huber: delta \(delta) must be positive")
        let difference = input.value - target.converted(to: input.dtype)
        let magnitude = difference.abs()
        let inside = magnitude .<= delta
        let loss = Tensor.where(inside, difference * difference * 0.5, (magnitude - 0.5 * delta) * delta)
        return elementwise(
            "huber", input: input, elementLoss: loss, reduction: reduction,
            location: SourceLocation(fileID: fileID, line: line)
        ) { Tensor.where(inside, difference, difference.sign() * delta) }
    }
}
