/// Types plain YAML scalars by the YAML 1.2 core schema.
///
/// `null`/`~`/empty → null; `true`/`false` (three casings) → bool; decimal, `0o` octal and `0x` hex →
/// int; decimal with a fraction and/or exponent (`3e-4`, `.5`), `.inf`, `.nan` → double; everything
/// else is a string. Unlike YAML 1.1, `yes`/`no`/`on`/`off` stay strings (no "Norway problem"), and
/// `1_000` is a string. Quoted scalars are always strings — the caller decides that from the style.
enum ScalarResolver {
    /// The typed value of a plain scalar.
    static func resolve(_ text: String) -> ConfigurationValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        if let integer = integer(text) { return integer }
        if isDecimalFloat(text), let value = Double(text) { return .double(value) }
        return .string(text)
    }

    /// Whether a string would come back as a string when written plain (so it needs no quotes).
    static func isPlainString(_ text: String) -> Bool {
        if case .string = resolve(text) { return true }
        return false
    }

    private static func integer(_ text: String) -> ConfigurationValue? {
        var body = Substring(text)
        var negative = false
        if text.hasPrefix("0o") || text.hasPrefix("0x") {
            let radix = text.hasPrefix("0o") ? 8 : 16
            guard text.count > 2, let value = Int(text.dropFirst(2), radix: radix) else { return nil }
            return .int(value)
        }
        if let sign = body.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if let value = Int(body) { return .int(negative ? -value : value) }
        return Double(text).map { .double($0) }  // too large for Int
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    private static func isDecimalFloat(_ text: String) -> Bool {
        var characters = Substring(text)
        func digits() -> Int {
            let count = characters.prefix { $0.isASCII && $0.isNumber }.count
            characters = characters.dropFirst(count)
            return count
        }
        if let sign = characters.first, sign == "-" || sign == "+" { characters = characters.dropFirst() }
        let integerDigits = digits()
        var fractionDigits = 0
        if characters.first == "." {
            characters = characters.dropFirst()
            fractionDigits = digits()
        }
        guard integerDigits > 0 || fractionDigits > 0 else { return false }
        if let exponent = characters.first, exponent == "e" || exponent == "E" {
            characters = characters.dropFirst()
            if let sign = characters.first, sign == "-" || sign == "+" { characters = characters.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return characters.isEmpty
    }
}
