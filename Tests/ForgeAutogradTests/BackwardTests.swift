import ForgeAutograd
import ForgeTensor
import Testing

@Suite("Backward, accumulation, modes and hooks")
struct BackwardTests {
    @Test func handComputedGradients() throws {
        let w = Variable(Tensor.ones(shape: [3, 1]), requiresGradient: true)
        let x = Variable(Tensor([1, 2, 3] as [Float], shape: [1, 3]))
        let loss = x.matmul(w).squared().sum()
        try loss.backward()
        // loss = (x·w)², x·w = 6 → d/dw = 2·6·xᵀ
        #expect(w.gradient?.scalars(as: Float.self) == [12, 24, 36])
        #expect(x.gradient == nil)
        #expect(loss.node?.operation == "sum")
        #expect(!loss.isLeaf && w.isLeaf)
    }

    @Test func gradientsAccumulateAcrossBackwardCalls() throws {
        let x = Variable(Tensor([1, 2] as [Float]), requiresGradient: true)
        try (x * 3).sum().backward()
        try (x * x).sum().backward()
        #expect(x.gradient?.scalars(as: Float.self) == [5, 7])
        x.zeroGradient()
        #expect(x.gradient == nil)
    }

    @Test func sharedSubexpressionsSumTheirPaths() throws {
        let x = Variable(Tensor([2] as [Double]), requiresGradient: true)
        let y = x * x
        let z = y * y + y  // x⁴ + x², derivative 4x³ + 2x = 36 at 2
        try z.sum().backward()
        #expect(x.gradient?.scalars(as: Double.self) == [36])
    }

    @Test func explicitSeedForNonScalars() throws {
        let x = Variable(Tensor([1, 2, 3] as [Float]), requiresGradient: true)
        try (x * 2).backward(Tensor([1, 0, -1] as [Float]))
        #expect(x.gradient?.scalars(as: Float.self) == [2, 0, -2])
    }

    @Test func detachStopsGradients() throws {
        let x = Variable(Tensor([3] as [Float]), requiresGradient: true)
        let y = x * x
        let z = y.detached() * x
        try z.sum().backward()
        #expect(x.gradient?.scalars(as: Float.self) == [9])
        #expect(y.detached().isLeaf && !y.detached().requiresGradient)
    }

    @Test func noGradientScopesRecordNothing() throws {
        let x = Variable(Tensor([1, 2] as [Float]), requiresGradient: true)
        let y = withoutGradient { x * 2 }
        #expect(!y.requiresGradient && y.isLeaf)
        #expect(!withoutGradient { GradientMode.isEnabled })
        let nested = withoutGradient { withGradient { x * 2 } }
        #expect(nested.requiresGradient)
        #expect(GradientMode.isEnabled)
    }

    @Test func gradientModeIsPerTask() async {
        let x = Variable(Tensor([1] as [Float]), requiresGradient: true)
        async let inside: Bool = withoutGradient {
            try? await Task.sleep(for: .milliseconds(20))
            return GradientMode.isEnabled
        }
        // Meanwhile this task still records.
        let recorded = (x * 2).requiresGradient
        #expect(recorded)
        #expect(await inside == false)
    }

    @Test func hooksSeeAndReplaceGradients() throws {
        let x = Variable(Tensor([1, 2] as [Float]), requiresGradient: true)
        var seen: [Float] = []
        let observer = x.addGradientHook { gradient in
            seen = gradient.scalars(as: Float.self)
            return nil
        }
        let doubler = x.addGradientHook { $0 * 2 }
        try (x * 5).sum().backward()
        #expect(seen == [5, 5])
        #expect(x.gradient?.scalars(as: Float.self) == [10, 10])
        doubler.remove()
        observer.remove()
        x.zeroGradient()
        try (x * 5).sum().backward()
        #expect(x.gradient?.scalars(as: Float.self) == [5, 5])
        // A hook on an intermediate result changes what flows further back.
        let y = x * 1
        y.addGradientHook { _ in Tensor.zeros(shape: [2]) }
        x.zeroGradient()
        try (y * 4).sum().backward()
        #expect(x.gradient?.scalars(as: Float.self) == [0, 0])
    }

    @Test func anomalyModeNamesTheForwardOperationAndLocation() throws {
        let x = Variable(Tensor([1, -1] as [Float]), requiresGradient: true)
        var captured: AnomalyError?
        do {
            try withAnomalyDetection {
                let y = x.log()  // log(-1) = NaN
                try y.sum().backward()
            }
        } catch let error as AnomalyError {
            captured = error
        }
        let anomaly = try #require(captured)
        #expect(anomaly.operation == "log")
        #expect(anomaly.phase == .forward)
        #expect(anomaly.nanCount == 1)
        #expect(anomaly.location?.fileID == "ForgeAutogradTests/BackwardTests.swift")
        #expect(anomaly.description.contains("log created at ForgeAutogradTests/BackwardTests.swift:"))
    }

    @Test func anomalyModeCatchesBackwardInfinities() throws {
        // sqrt(0) is fine forward but its derivative 1/(2·0) is infinite.
        let x = Variable(Tensor([0, 4] as [Float]), requiresGradient: true)
        #expect(throws: AnomalyError.self) {
            try withAnomalyDetection { try x.sqrt().sum().backward() }
        }
        do {
            try withAnomalyDetection { try x.sqrt().sum().backward() }
        } catch let error as AnomalyError {
            #expect(error.phase == .backward)
            #expect(error.operation == "sqrt")
            #expect(error.infinityCount == 1)
        }
        // Without anomaly mode the same computation quietly gives inf.
        x.zeroGradient()
        try x.sqrt().sum().backward()
        #expect(x.gradient?.scalars(as: Float.self).first == .infinity)
    }

    @Test func backwardFreesTheGraphUnlessRetained() throws {
        let x = Variable(Tensor([1, 2] as [Float]), requiresGradient: true)
        let loss = (x * x).sum()
        try loss.backward(retainingGraph: true)
        try loss.backward()
        #expect(x.gradient?.scalars(as: Float.self) == [4, 8])
        // In-place updates of a parameter after backward no longer copy its storage.
        let weight = Variable(Tensor([1, 2, 3] as [Float]), requiresGradient: true)
        let output = (weight * 2).sum()
        try output.backward()
        weight.value.withUnsafeMutableBufferPointer(as: Float.self) { $0[0] = 5 }
        #expect(weight.value.scalars(as: Float.self) == [5, 2, 3])
    }

    @Test func deepGraphsDoNotOverflowTheStack() throws {
        let x = Variable(Tensor([1] as [Float]), requiresGradient: true)
        var y = x
        for _ in 0..<20_000 { y = y * 1.0001 }
        try y.sum().backward()
        let expected = Float(Double.pow(1.0001, 20_000))
        #expect(Swift.abs((x.gradient?.item(as: Float.self) ?? 0) - expected) / expected < 1e-3)
    }
}
