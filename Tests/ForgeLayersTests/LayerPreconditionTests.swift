import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Testing

/// Misused layers stop with a message naming the layer and the shapes (each test runs in a child process).
@Suite("Layer misuse traps with a message")
struct LayerPreconditionTests {
    private func standardError(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test func conv2dWithTheWrongChannelCount() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let conv = Conv2d(inputChannels: 3, outputChannels: 4, kernelSize: 3, seed: 0)
            _ = conv(Variable(Tensor.zeros(shape: [1, 2, 5, 5])))
        }
        #expect(
            standardError(result).contains(
                "Conv2d: input [1, 2, 5, 5] must be [N, 3, H, W] for weight [4, 3, 3, 3] with groups 1"))
    }

    @Test func batchNormWithTheWrongChannelCount() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = BatchNorm2d(features: 5)(Variable(Tensor.zeros(shape: [2, 3, 4, 4])))
        }
        #expect(standardError(result).contains("BatchNorm2d: input [2, 3, 4, 4] must have 5 channels on axis 1"))
    }

    @Test func embeddingIndexOutOfRange() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Embedding(count: 4, dimension: 2, seed: 0)(Tensor([1, 7] as [Int64]))
        }
        #expect(standardError(result).contains("embedding: index 7 is outside 0..<4"))
    }
}
