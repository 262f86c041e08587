import Foundation

/// Locale-independent, deterministic number formatting for chart labels, SVG coordinates and report tables.
///
/// Foundation's formatters depend on the current locale; charts must print the same bytes everywhere, so
/// ForgeCharts formats numbers itself: fixed decimals with trailing zeros removed, switching to scientific
/// notation (`2.5e-7`) for very small and very large magnitudes.
///
/// ```swift
/// ChartNumberFormat.string(0.123456)          // "0.1235"
/// ChartNumberFormat.string(1234567890)        // "1.235e9"
/// ChartNumberFormat.fixed(3.10, fractionDigits: 2)  // "3.1"
/// ```
public enum ChartNumberFormat {
    /// Formats a value with at most `significantDigits` significant digits.
    ///
    /// - Parameters:
    ///   - value: The value; NaN prints as `NaN`, infinities as `inf` and `-inf`.
    ///   - significantDigits: Significant digits kept (1 through 15).
    /// - Returns: A fixed-point string for magnitudes in [1e-4, 1e9), scientific notation otherwise.
    public static func string(_ value: Double, significantDigits: Int = 4) -> String {
        precondition(
            (1...15).contains(significantDigits),
            "ChartNumberFormat.string: significantDigits \(significantDigits) is outside 1...15")
        if let special = specialValue(value) { return special }
        if value == 0 { return "0" }
        let exponent = Int((abs(value)).log10Floor)
        if exponent >= 9 || exponent < -4 {
            return scientific(value, significantDigits: significantDigits)
        }
        let digits = max(0, significantDigits - 1 - exponent)
        return fixed(value, fractionDigits: digits)
    }

    /// Formats a value with at most `fractionDigits` decimals, dropping trailing zeros (`3.10` → `3.1`)
    /// unless `keepsTrailingZeros` is true (`0.500` for an AUC).
    ///
    /// Negative zero prints as `0`. Magnitudes too large for fixed notation fall back to scientific notation.
    /// - Parameters:
    ///   - value: The value to print.
    ///   - fractionDigits: The maximum number of decimals (0 through 15).
    ///   - keepsTrailingZeros: Whether to print exactly `fractionDigits` decimals.
    public static func fixed(_ value: Double, fractionDigits: Int, keepsTrailingZeros: Bool = false) -> String {
        precondition(
            (0...15).contains(fractionDigits),
            "ChartNumberFormat.fixed: fractionDigits \(fractionDigits) is outside 0...15")
        if let special = specialValue(value) { return special }
        let scale = powerOfTen(fractionDigits)
        let scaled = (abs(value) * Double(scale)).rounded()
        guard scaled < 9.0e15 else { return scientific(value, significantDigits: 6) }
        let whole = UInt64(scaled)
        if whole == 0 && !keepsTrailingZeros { return "0" }
        let integerPart = whole / scale
        var fraction = whole % scale
        var text = value < 0 && whole != 0 ? "-" : ""
        text += String(integerPart)
        if fraction != 0 || (keepsTrailingZeros && fractionDigits > 0) {
            var digits = fractionDigits
            while !keepsTrailingZeros && fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            let fractionText = String(fraction)
            text += "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
        }
        return text
    }

    /// Formats a value in scientific notation (`1.5e-7`), trailing zeros of the mantissa removed.
    /// - Parameters:
    ///   - value: The value to print.
    ///   - significantDigits: Significant digits of the mantissa (1 through 15).
    public static func scientific(_ value: Double, significantDigits: Int = 4) -> String {
        if let special = specialValue(value) { return special }
        if value == 0 { return "0" }
        var exponent = Int(abs(value).log10Floor)
        var mantissa = value / pow10(exponent)
        let rounded = (abs(mantissa) * Double(powerOfTen(significantDigits - 1))).rounded()
        if rounded >= Double(powerOfTen(significantDigits)) {
            exponent += 1
            mantissa = value / pow10(exponent)
        }
        return fixed(mantissa, fractionDigits: significantDigits - 1) + "e" + String(exponent)
    }

    /// Formats an SVG coordinate: two decimals at most.
    static func coordinate(_ value: Double) -> String {
        fixed(value, fractionDigits: 2)
    }

    private static func specialValue(_ value: Double) -> String? {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "inf" }
        if value == -.infinity { return "-inf" }
        return nil
    }

    private static func powerOfTen(_ exponent: Int) -> UInt64 {
        var result: UInt64 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }
}

/// `10^exponent` computed exactly for the integer exponents charts use.
func pow10(_ exponent: Int) -> Double {
    var result = 1.0
    if exponent >= 0 {
        for _ in 0..<exponent { result *= 10 }
    } else {
        for _ in 0..<(-exponent) { result *= 10 }
        result = 1 / result
    }
    return result
}

extension Double {
    /// `floor(log10(self))` for a positive finite value, corrected for rounding at exact powers of ten.
    var log10Floor: Double {
        var exponent = (Foundation.log10(self)).rounded(.down)
        // log10 can land just below an integer for exact powers of ten (log10(1e-3) = -2.9999999999999996).
        if pow10(Int(exponent) + 1) <= self { exponent += 1 }
        if pow10(Int(exponent)) > self { exponent -= 1 }
        return exponent
    }
}
