public import ForgeTensor

extension Variable {
    /// A 2-D convolution over `[N, C, H, W]` input with weight `[O, C/groups, kH, kW]` and optional bias `[O]`.
    public static func conv2d(
        _ input: Variable, weight: Variable, bias: Variable?, parameters: Conv2dParameters = Conv2dParameters(),
        fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        let (x, w) = (input.value, weight.value)
        let result = Tensor.conv2d(input: x, weight: w, bias: bias?.value, parameters: parameters)
        let inputs = bias.map { [input, weight, $0] } ?? [input, weight]
        let (needsInput, needsWeight, hasBias) = (input.requiresGradient, weight.requiresGradient, bias != nil)
        return record("conv2d", value: result, inputs: inputs, location: SourceLocation(fileID: fileID, line: line)) { g in
            var gradients: [Tensor?] = [
                needsInput
                    ? Tensor.conv2dBackwardInput(outputGradient: g, weight: w, inputShape: x.shape, parameters: parameters)
                    : nil,
                needsWeight
                    ? Tensor.conv2dBackwardWeight(outputGradient: g, input: x, weightShape: w.shape, parameters: parameters)
                    : nil,
            ]
            if hasBias { gradients.append(Tensor.conv2dBackwardBias(outputGradient: g)) }
            return gradients
        }
    }

    /// 2-D max pooling over `[N, C, H, W]`; the gradient goes to the position of each window's maximum.
    public func maxPool2d(
        kernelSize: (height: Int, width: Int), stride: (height: Int, width: Int)? = nil,
        padding: (height: Int, width: Int) = (0, 0), fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        let shape = value.shape
        let (output, indices) = Tensor.maxPool2d(input: value, kernelSize: kernelSize, stride: stride, padding: padding)
        return Variable.record(
            "maxPool2d", value: output, inputs: [self], location: SourceLocation(fileID: fileID, line: line)
        ) { g in
            [Tensor.maxPool2dBackward(outputGradient: g, indices: indices, inputShape: shape)]
        }
    }

    /// 2-D average pooling over `[N, C, H, W]`.
    public func avgPool2d(
        kernelSize: (height: Int, width: Int), stride: (height: Int, width: Int)? = nil,
        padding: (height: Int, width: Int) = (0, 0), countIncludePadding: Bool = true, fileID: String = #fileID,
        line: Int = #line
    ) -> Variable {
        let shape = value.shape
        let output = Tensor.avgPool2d(
            input: value, kernelSize: kernelSize, stride: stride, padding: padding,
            countIncludePadding: countIncludePadding)
        return Variable.record(
            "avgPool2d", value: output, inputs: [self], location: SourceLocation(fileID: fileID, line: line)
        ) { g in
            [
                Tensor.avgPool2dBackward(
                    outputGradient: g, inputShape: shape, kernelSize: kernelSize, stride: stride, padding: padding,
                    countIncludePadding: countIncludePadding)
            ]
        }
    }

    /// 2-D adaptive average pooling to `outputSize` over `[N, C, H, W]`.
    public func adaptiveAvgPool2d(
        outputSize: (height: Int, width: Int), fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        let shape = value.shape
        return Variable.record(
            "adaptiveAvgPool2d", value: Tensor.adaptiveAvgPool2d(input: value, outputSize: outputSize), inputs: [self],
            location: SourceLocation(fileID: fileID, line: line)
        ) { g in
            [Tensor.adaptiveAvgPool2dBackward(outputGradient: g, inputShape: shape)]
        }
    }
}
