// Element operations as types.
//
// The closure-taking kernels (Kernels+Map.swift) inline their closure only on the single-threaded
// path: on the parallel path the per-run closure is boxed for DispatchQueue.concurrentPerform and
// compiled as its own function, which calls the operation indirectly for every element (no SIMD).
// An operation passed as a *type* survives that boundary: generic specialization clones the run
// closure with the type known, `apply` inlines, and the loop vectorizes. The hot operations —
// arithmetic, fused multiply-add, copies and conversions, ReLU and its gradient — use these types.

/// A unary element operation as a type, so specialized kernels inline it.
protocol UnaryElementOperation {
    associatedtype Input: TensorElement
    associatedtype Output: TensorElement
    static func apply(_ x: Input) -> Output
}

/// A binary element operation as a type.
protocol BinaryElementOperation {
    associatedtype Left: TensorElement
    associatedtype Right: TensorElement
    associatedtype Output: TensorElement
    static func apply(_ x: Left, _ y: Right) -> Output
}

/// A ternary element operation as a type.
protocol TernaryElementOperation {
    associatedtype Element: TensorElement
    static func apply(_ x: Element, _ y: Element, _ z: Element) -> Element
}

enum CopyOperation<T: TensorElement>: UnaryElementOperation {
    @inline(__always) static func apply(_ x: T) -> T { x }
}

enum FloatToDoubleOperation: UnaryElementOperation {
    @inline(__always) static func apply(_ x: Float) -> Double { Double(x) }
}

enum DoubleToFloatOperation: UnaryElementOperation {
    @inline(__always) static func apply(_ x: Double) -> Float { Float(x) }
}

enum ReLUOperation<T: TensorFloatingPoint>: UnaryElementOperation {
    @inline(__always) static func apply(_ x: T) -> T { x < 0 ? 0 : x }
}

enum AddOperation<T: TensorNumeric>: BinaryElementOperation {
    @inline(__always) static func apply(_ x: T, _ y: T) -> T { T.add(x, y) }
}

enum SubtractOperation<T: TensorNumeric>: BinaryElementOperation {
    @inline(__always) static func apply(_ x: T, _ y: T) -> T { T.subtract(x, y) }
}

enum MultiplyOperation<T: TensorNumeric>: BinaryElementOperation {
    @inline(__always) static func apply(_ x: T, _ y: T) -> T { T.multiply(x, y) }
}

enum DivideOperation<T: TensorFloatingPoint>: BinaryElementOperation {
    @inline(__always) static func apply(_ x: T, _ y: T) -> T { x / y }
}

/// The minimum with NaN propagating, as PyTorch's `minimum`.
enum MinimumOperation<T: TensorFloatingPoint>: BinaryElementOperation {
    @inline(__always) static func apply(_ x: T, _ y: T) -> T { x.isNaN || x < y ? x : (y.isNaN ? y : Swift.min(x, y)) }
}

/// The maximum with NaN propagating, as PyTorch's `maximum`.
enum MaximumOperation<T: TensorFloatingPoint>: BinaryElementOperation {
    @inline(__always) static func apply(_ x: T, _ y: T) -> T { x.isNaN || x > y ? x : (y.isNaN ? y : Swift.max(x, y)) }
}

/// `gradient` where the saved input is positive: the vector-Jacobian product of ReLU.
enum ReLUGradientOperation<T: TensorFloatingPoint>: BinaryElementOperation {
    @inline(__always) static func apply(_ gradient: T, _ input: T) -> T { input > 0 ? gradient : 0 }
}

enum MultiplyAddOperation<T: TensorFloatingPoint>: TernaryElementOperation {
    @inline(__always) static func apply(_ x: T, _ y: T, _ z: T) -> T { x * y + z }
}
