/// The limits every store enforces on keys and values (MLflow's, so runs move between stores unchanged).
public enum TrackingValidation {
    /// Longest key, in UTF-8 bytes.
    public static let maximumKeyLength = 250
    /// Longest parameter value, in UTF-8 bytes.
    public static let maximumParamValueLength = 6000
    /// Longest tag value, in UTF-8 bytes.
    public static let maximumTagValueLength = 8000
    /// Most metrics in one batch call.
    public static let maximumBatchMetrics = 1000
    /// Most parameters in one batch call.
    public static let maximumBatchParams = 100
    /// Most tags in one batch call.
    public static let maximumBatchTags = 100

    /// Checks a metric, param or tag key: non-empty, at most 250 bytes, characters `[A-Za-z0-9_\-. /:]`,
    /// no `..` path segment and no leading `/`.
    /// - Throws: ``TrackingError/invalidKey(kind:key:reason:)``.
    public static func validateKey(_ key: String, kind: String) throws {
        if key.isEmpty { throw TrackingError.invalidKey(kind: kind, key: key, reason: "keys must not be empty") }
        if key.utf8.count > maximumKeyLength {
            throw TrackingError.invalidKey(
                kind: kind, key: String(key.prefix(40)) + "…",
                reason: "\(key.utf8.count) bytes, the limit is \(maximumKeyLength)")
        }
        for scalar in key.unicodeScalars where !isAllowed(scalar) {
            throw TrackingError.invalidKey(
                kind: kind, key: key,
                reason: "character \"\(scalar.escaped(asASCII: true))\" is not allowed; use letters, digits, _ - . / : and space")
        }
        if key.hasPrefix("/") || key.split(separator: "/").contains("..") {
            throw TrackingError.invalidKey(kind: kind, key: key, reason: "keys must not start with / or contain a .. segment")
        }
    }

    /// Checks a metric: a valid key, a finite or NaN value (NaN is stored as NaN), a non-negative step.
    public static func validate(_ metric: Metric) throws {
        try validateKey(metric.key, kind: "metric")
        if metric.value.isInfinite {
            throw TrackingError.invalidValue(kind: "metric", key: metric.key, reason: "\(metric.value) is infinite; log a finite number (NaN is allowed)")
        }
        if metric.step < 0 {
            throw TrackingError.invalidValue(kind: "metric", key: metric.key, reason: "step \(metric.step) is negative")
        }
    }

    /// Checks a parameter: a valid key and a value of at most 6000 bytes.
    public static func validate(_ param: Param) throws {
        try validateKey(param.key, kind: "param")
        if param.value.utf8.count > maximumParamValueLength {
            throw TrackingError.invalidValue(
                kind: "param", key: param.key, reason: "\(param.value.utf8.count) bytes, the limit is \(maximumParamValueLength)")
        }
    }

    /// Checks a tag: a valid key and a value of at most 8000 bytes.
    public static func validateTag(key: String, value: String) throws {
        try validateKey(key, kind: "tag")
        if value.utf8.count > maximumTagValueLength {
            throw TrackingError.invalidValue(
                kind: "tag", key: key, reason: "\(value.utf8.count) bytes, the limit is \(maximumTagValueLength)")
        }
    }

    /// Checks every entry of a batch and rejects duplicate param keys with different values.
    public static func validateBatch(metrics: [Metric], params: [Param], tags: [String: String]) throws {
        for metric in metrics { try validate(metric) }
        var seen: [String: String] = [:]
        for param in params {
            try validate(param)
            if let previous = seen[param.key], previous != param.value {
                throw TrackingError.invalidValue(
                    kind: "param", key: param.key, reason: "given twice in one batch (\"\(previous)\" and \"\(param.value)\")")
            }
            seen[param.key] = param.value
        }
        for (key, value) in tags { try validateTag(key: key, value: value) }
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".", "/", " ", ":": return true
        default: return false
        }
    }
}
