import Testing

@testable import ForgeTensor

@Suite("Tensor creation")
struct TensorCreationTests {
    @Test func elementsAndShape() {
        let t = Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
        #expect(t.shape == [2, 3])
        #expect(t.strides == [3, 1])
        #expect(t.dtype == .float32)
        #expect(t.count == 6)
        #expect(t.rank == 2)
        #expect(t.element(at: [1, 2], as: Float.self) == 6)
        #expect(t.element(at: [-1, -3], as: Float.self) == 4)
        #expect(t.scalars(as: Float.self) == [1, 2, 3, 4, 5, 6])
    }

    @Test func rowsAndScalars() {
        let t = Tensor(rows: [[1, 2], [3, 4]] as [[Int64]])
        #expect(t.shape == [2, 2])
        #expect(t.dtype == .int64)
        let s = Tensor(Double(2.5))
        #expect(s.shape == [])
        #expect(s.count == 1)
        #expect(s.item(as: Double.self) == 2.5)
    }

    @Test func factories() {
        #expect(Tensor.zeros(shape: [2, 2]).scalars(as: Float.self) == [0, 0, 0, 0])
        #expect(Tensor.ones(shape: [3], dtype: .int32).scalars(as: Int32.self) == [1, 1, 1])
        #expect(Tensor.full(shape: [2], value: 7.5, dtype: .float64).scalars(as: Double.self) == [7.5, 7.5])
        #expect(Tensor.full(shape: [2], value: 3, dtype: .bool).scalars(as: Bool.self) == [true, true])
        #expect(Tensor.arange(0, 5).scalars(as: Float.self) == [0, 1, 2, 3, 4])
        #expect(Tensor.arange(1, 2, step: 0.25, dtype: .float64).scalars(as: Double.self) == [1, 1.25, 1.5, 1.75])
        #expect(Tensor.arange(5, 0, step: -2, dtype: .int64).scalars(as: Int64.self) == [5, 3, 1])
        #expect(Tensor.arange(0, 0).count == 0)
        let l = Tensor.linspace(0, 1, count: 5, dtype: .float64).scalars(as: Double.self)
        #expect(l == [0, 0.25, 0.5, 0.75, 1])
        #expect(Tensor.linspace(-1, 1, count: 7).scalars(as: Float.self).last == 1)
        #expect(Tensor.eye(2, columns: 3).scalars(as: Float.self) == [1, 0, 0, 0, 1, 0])
        #expect(Tensor.zeros(like: Tensor([1, 2] as [Int8])).dtype == .int8)
    }

    @Test func zeroSizeTensors() {
        let empty = Tensor.zeros(shape: [0, 3])
        #expect(empty.count == 0)
        #expect(empty.scalars(as: Float.self).isEmpty)
        #expect((empty + 1).shape == [0, 3])
        #expect(empty.sum().item(as: Float.self) == 0)
        #expect(empty.sum(axis: 0).scalars(as: Float.self) == [0, 0, 0])
        #expect(empty.reshaped([3, 0]).shape == [3, 0])
    }

    @Test func conversionsBetweenDTypes() {
        let floats = Tensor([-1.7, -0.2, 0, 2.9, .nan, 300] as [Float])
        #expect(floats.converted(to: .int32).scalars(as: Int32.self) == [-1, 0, 0, 2, 0, 300])
        #expect(floats.converted(to: .bool).scalars(as: Bool.self) == [true, true, false, true, false, true])
        #expect(floats.converted(to: .int8).scalars(as: Int8.self) == [-1, 0, 0, 2, 0, 127])  // saturates
        let doubles = floats.converted(to: .float64).scalars(as: Double.self)
        #expect(doubles[0] == Double(Float(-1.7)))
        let big = Tensor([Int64(1) << 40, -5] as [Int64])
        #expect(big.converted(to: .float64).scalars(as: Double.self) == [1_099_511_627_776, -5])
        #expect(Tensor([true, false] as [Bool]).converted(to: .float32).scalars(as: Float.self) == [1, 0])
        #expect(Tensor([200] as [UInt8]).converted(to: .int32).scalars(as: Int32.self) == [200])
        #expect(Tensor([1e20] as [Double]).converted(to: .int64).scalars(as: Int64.self) == [Int64.max])
    }

    @Test func dtypeProperties() {
        #expect(DType.float32.byteSize == 4)
        #expect(DType.int64.byteSize == 8)
        #expect(DType.bool.byteSize == 1)
        #expect(DType.promoted(.int32, .float32) == .float32)
        #expect(DType.promoted(.uint8, .int8) == .int32)
        #expect(DType.promoted(.bool, .int64) == .int64)
        #expect(DType.promoted(.float32, .float64) == .float64)
    }
}
