import ForgeTensor

/// Turns PyTorch-style attention masks into one additive tensor that broadcasts against scores
/// `[N, heads, L, S]`: boolean masks become `−inf` where true (masked) and 0 elsewhere; float masks are
/// added as they are.
enum AttentionMask {
    /// The combined additive mask, or nil when there is none.
    ///
    /// - Parameters:
    ///   - attentionMask: `[L, S]` or `[N · heads, L, S]`, bool or float.
    ///   - keyPaddingMask: `[N, S]`, bool or float.
    static func additive(
        attentionMask: Tensor?, keyPaddingMask: Tensor?, batch: Int, heads: Int, targetLength: Int, sourceLength: Int,
        dtype: DType
    ) -> Tensor? {
        var combined: Tensor?
        if let attentionMask {
            let shape = attentionMask.shape
            let reshaped: Tensor
            if shape == [targetLength, sourceLength] {
                reshaped = attentionMask.reshaped([1, 1, targetLength, sourceLength])
            } else if shape == [batch * heads, targetLength, sourceLength] {
                reshaped = attentionMask.reshaped([batch, heads, targetLength, sourceLength])
            } else {
                preconditionFailure(
                    "multiHeadAttention: attention mask \(shape) must be [\(targetLength), \(sourceLength)] or [\(batch * heads), \(targetLength), \(sourceLength)] (batch × heads, target, source)"
                )
            }
            combined = additiveValues(reshaped, dtype: dtype)
        }
        if let keyPaddingMask {
            precondition(
                keyPaddingMask.shape == [batch, sourceLength],
                "multiHeadAttention: key padding mask \(keyPaddingMask.shape) must be [\(batch), \(sourceLength)] (batch, source)"
            )
            let padding = additiveValues(keyPaddingMask.reshaped([batch, 1, 1, sourceLength]), dtype: dtype)
            combined = combined.map { $0 + padding } ?? padding
        }
        return combined
    }

    /// `−inf`/0 for a boolean mask, the values themselves for a float mask.
    private static func additiveValues(_ mask: Tensor, dtype: DType) -> Tensor {
        if mask.dtype == .bool {
            return Tensor.where(
                mask, Tensor.full(shape: [], value: -.infinity, dtype: dtype), Tensor.zeros(shape: [], dtype: dtype))
        }
        precondition(
            mask.dtype.isFloatingPoint, "multiHeadAttention: a mask must be bool or floating point, got \(mask.dtype)")
        return mask.converted(to: dtype)
    }
}
