public import ForgeTensor

/// Class indices (`int64`/`int32`, any shape) → one-hot vectors along a new last axis.
public struct OneHot: Transform, Codable, Hashable {
    /// The number of classes.
    public var classes: Int
    /// The result's element type.
    public var dtype: DType

    /// Creates the transform.
    public init(classes: Int, dtype: DType = .float32) {
        precondition(classes > 0, "OneHot: classes \(classes) must be positive")
        self.classes = classes
        self.dtype = dtype
    }

    /// One-hot encodes `input` (every value must be in `0..<classes`).
    public func apply(_ input: Tensor, generator: inout RandomGenerator) -> Tensor {
        let indices = input.dtype.isFloatingPoint ? input.converted(to: .int64) : input
        return indices.oneHot(classes: classes, dtype: dtype)
    }
}

/// Maps category strings to indices `0..<classes.count` (sorted order), fitted on training data.
///
/// ```swift
/// let encoder = LabelEncoder.fit(["cat", "dog", "cat"])   // classes ["cat", "dog"]
/// let labels = try encoder.encode(["dog", "cat"])          // int64 [1, 0]
/// ```
public struct LabelEncoder: Codable, Hashable, Sendable {
    /// The known categories; index `i` encodes `classes[i]`.
    public var classes: [String]

    /// Creates an encoder for known categories.
    public init(classes: [String]) { self.classes = classes }

    /// The sorted distinct values (missing values ignored).
    public static func fit(_ values: [String?]) -> LabelEncoder {
        LabelEncoder(classes: Array(Set(values.compactMap { $0 })).sorted())
    }

    /// The indices of `values` as an `int64` tensor `[values.count]`.
    ///
    /// - Throws: ``ForgeDataError`` `invalidValue` for a category not seen when fitting (with its row
    ///   as the line).
    public func encode(_ values: [String?]) throws -> Tensor {
        var lookup: [String: Int64] = [:]
        for (index, name) in classes.enumerated() { lookup[name] = Int64(index) }
        let codes = try values.enumerated().map { row, value -> Int64 in
            guard let value, let code = lookup[value] else {
                throw ForgeDataError(
                    code: .invalidValue, message: "unknown category '\(value ?? "<missing>")'; known: \(classes)",
                    line: row + 1)
            }
            return code
        }
        return Tensor(codes, shape: [codes.count])
    }

    /// The categories of integer codes.
    public func decode(_ codes: Tensor) -> [String] {
        codes.converted(to: .int64).scalars(as: Int64.self).map { code in
            precondition(
                code >= 0 && Int(code) < classes.count,
                "LabelEncoder.decode: code \(code) out of range 0..<\(classes.count)")
            return classes[Int(code)]
        }
    }
}
