import ForgeTensor

extension Tensor {
    /// This gradient summed over the dimensions that broadcasting added or stretched, so it has `shape`,
    /// and converted to `dtype`: the gradient of an input that was broadcast to this gradient's shape.
    func reducedForBroadcast(to shape: [Int], dtype target: DType) -> Tensor {
        var result = self
        if result.shape != shape {
            let lead = result.rank - shape.count
            var axes = Array(0..<lead)
            for axis in 0..<shape.count where shape[axis] == 1 && result.shape[axis + lead] != 1 {
                axes.append(axis + lead)
            }
            if !axes.isEmpty { result = result.sum(axes: axes, keepingDimensions: true) }
            result = result.reshaped(shape)
        }
        return result.dtype == target ? result : result.converted(to: target)
    }

    /// A reduced gradient (from a reduction over `axes` without kept dimensions) reshaped with those
    /// dimensions restored as size 1 and broadcast back to `shape`.
    func expandedFromReduction(axes: [Int], keptDimensions: Bool, to shape: [Int]) -> Tensor {
        var keptShape = shape
        for axis in axes { keptShape[axis] = 1 }
        let restored = keptDimensions ? self : reshaped(keptShape)
        return restored.expanded(to: shape)
    }
}
