import Testing

@testable import ForgeTensor

@Suite("Views, slicing and copy-on-write")
struct TensorViewTests {
    let grid = Tensor((0..<24).map { Float($0) }, shape: [2, 3, 4])

    @Test func reshapeSharesStorageWhenContiguous() {
        let r = grid.reshaped([4, -1])
        #expect(r.shape == [4, 6])
        #expect(r.storage === grid.storage)
        #expect(r.element(at: [1, 0], as: Float.self) == 6)
        #expect(grid.reshaped(6, 4).shape == [6, 4])
        #expect(grid.flattened().shape == [24])
        #expect(grid.flattened(startAxis: 1).shape == [2, 12])
    }

    @Test func permuteAndTranspose() {
        let p = grid.permuted(2, 0, 1)
        #expect(p.shape == [4, 2, 3])
        #expect(p.strides == [1, 12, 4])
        #expect(!p.isContiguous)
        #expect(p.element(at: [3, 1, 2], as: Float.self) == grid.element(at: [1, 2, 3], as: Float.self))
        let t = Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3]).transposed()
        #expect(t.shape == [3, 2])
        #expect(t.contiguous().scalars(as: Float.self) == [1, 4, 2, 5, 3, 6])
        #expect(t.scalars(as: Float.self) == [1, 4, 2, 5, 3, 6])
        // Reshaping a non-contiguous view copies in logical order.
        #expect(t.reshaped([6]).scalars(as: Float.self) == [1, 4, 2, 5, 3, 6])
    }

    @Test func squeezeUnsqueezeExpand() {
        let column = Tensor([1, 2, 3] as [Float]).unsqueezed(axis: 1)
        #expect(column.shape == [3, 1])
        #expect(column.unsqueezed(axis: 0).shape == [1, 3, 1])
        #expect(column.unsqueezed(axis: -1).shape == [3, 1, 1])
        #expect(column.squeezed().shape == [3])
        #expect(column.squeezed(axis: 0).shape == [3, 1])
        let wide = column.expanded(to: [2, 3, 4])
        #expect(wide.shape == [2, 3, 4])
        #expect(wide.strides == [0, 1, 0])
        #expect(wide.element(at: [1, 2, 3], as: Float.self) == 3)
        #expect(wide.sum().item(as: Float.self) == 48)
        #expect(column.expanded(to: [-1, 5]).shape == [3, 5])
    }

    @Test func slicingWithRangesAndSteps() {
        #expect(grid[1].shape == [3, 4])
        #expect(grid[1, 2].scalars(as: Float.self) == [20, 21, 22, 23])
        #expect(grid[-1, -1, -1].item(as: Float.self) == 23)
        let window = grid[.all, 1..<3, 1...2]
        #expect(window.shape == [2, 2, 2])
        #expect(window.scalars(as: Float.self) == [5, 6, 9, 10, 17, 18, 21, 22])
        let stepped = grid[0, .all, TensorIndex.range(nil, nil, step: 2)]
        #expect(stepped.scalars(as: Float.self) == [0, 2, 4, 6, 8, 10])
        #expect(grid[.ellipsis, 0].shape == [2, 3])
        #expect(grid[.newAxis, .ellipsis].shape == [1, 2, 3, 4])
        #expect(grid[0, ..<2, 2...].scalars(as: Float.self) == [2, 3, 6, 7])
        // Out-of-range slice bounds clamp as in Python; an empty range gives a zero-size dimension.
        #expect(grid[0, 1..<10].shape == [2, 4])
        #expect(grid[0, TensorIndex.range(2, 1)].shape == [0, 4])
        #expect(grid[0, TensorIndex.range(-2, nil, step: 1)].shape == [2, 4])
    }

    @Test func copyOnWriteKeepsOriginalsUnchanged() {
        let original = Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
        var copy = original
        copy.setElement(Float(9), at: [0, 0])
        #expect(original.scalars(as: Float.self) == [1, 2, 3, 4])
        #expect(copy.scalars(as: Float.self) == [9, 2, 3, 4])

        var view = original.transposed()
        view[0, 1] = Tensor(Float(7))
        #expect(original.scalars(as: Float.self) == [1, 2, 3, 4])
        #expect(view.scalars(as: Float.self) == [1, 7, 2, 4])

        var accumulated = original
        accumulated += 1
        #expect(original.scalars(as: Float.self) == [1, 2, 3, 4])
        #expect(accumulated.scalars(as: Float.self) == [2, 3, 4, 5])

        var broadcastView = Tensor([1, 2] as [Float]).expanded(to: [2, 2])
        broadcastView.setElement(Float(5), at: [0, 0])
        #expect(broadcastView.scalars(as: Float.self) == [5, 2, 1, 2])
    }

    @Test func subscriptAssignmentBroadcasts() {
        var board = Tensor.zeros(shape: [3, 3])
        board[1] = Tensor([1, 2, 3] as [Float])
        board[.all, 2] = Tensor(Float(9))
        #expect(board.scalars(as: Float.self) == [0, 0, 9, 1, 2, 9, 0, 0, 9])
        var stepped = Tensor.zeros(shape: [6], dtype: .int64)
        stepped[TensorIndex.range(1, nil, step: 2)] = Tensor([1, 2, 3] as [Int64])
        #expect(stepped.scalars(as: Int64.self) == [0, 1, 0, 2, 0, 3])
    }

    @Test func narrowSplitChunk() {
        let row = Tensor((0..<10).map { Float($0) })
        #expect(row.narrowed(axis: 0, start: 3, length: 2).scalars(as: Float.self) == [3, 4])
        let parts = row.split(sizes: [2, 3, 5])
        #expect(parts.map(\.count) == [2, 3, 5])
        #expect(parts[1].scalars(as: Float.self) == [2, 3, 4])
        #expect(row.split(size: 4).map(\.count) == [4, 4, 2])
        #expect(row.chunked(3).map(\.count) == [4, 4, 2])
        #expect(grid.chunked(2, axis: 2).map(\.shape) == [[2, 3, 2], [2, 3, 2]])
    }

    @Test func concatenateAndStack() {
        let a = Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
        let b = Tensor([5, 6] as [Float], shape: [1, 2])
        #expect(Tensor.concatenated([a, b]).scalars(as: Float.self) == [1, 2, 3, 4, 5, 6])
        let side = Tensor.concatenated([a, a.transposed()], axis: 1)
        #expect(side.shape == [2, 4])
        #expect(side.scalars(as: Float.self) == [1, 2, 1, 3, 3, 4, 2, 4])
        let mixed = Tensor.concatenated([Tensor([1] as [Int32]), Tensor([0.5] as [Double])])
        #expect(mixed.dtype == .float64)
        #expect(mixed.scalars(as: Double.self) == [1, 0.5])
        let stacked = Tensor.stacked([Tensor([1, 2] as [Float]), Tensor([3, 4] as [Float])], axis: 1)
        #expect(stacked.shape == [2, 2])
        #expect(stacked.scalars(as: Float.self) == [1, 3, 2, 4])
    }
}
