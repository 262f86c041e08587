#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Decimal number parsing straight from bytes, without creating strings.
///
/// The fast path (≤ 19 significant digits, mantissa ≤ 2⁵³, decimal exponent within ±22) computes
/// `mantissa × 10^e` or `mantissa / 10^-e` with one correctly rounded operation on exact operands, so
/// it returns the correctly rounded double (Clinger's fast path). Everything else — long mantissas,
/// large exponents, `nan`, `inf` — goes to the C library's `strtod`, which is also correctly rounded.
enum NumberParser {
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    ]

    /// The number in `bytes[0..<count]` (surrounding spaces allowed), or nil when it is not a number.
    @inline(__always)
    static func parseDouble(_ bytes: UnsafePointer<UInt8>, count: Int) -> Double? {
        var start = 0
        var end = count
        while start < end && bytes[start] == 0x20 { start += 1 }
        while end > start && bytes[end - 1] == 0x20 { end -= 1 }
        guard start < end else { return nil }
        var i = start
        var negative = false
        if bytes[i] == 0x2D {  // -
            negative = true
            i += 1
        } else if bytes[i] == 0x2B {  // +
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        let integerStart = i
        while i < end, case let digit = bytes[i] &- 0x30, digit < 10 {
            mantissa = mantissa &* 10 &+ UInt64(digit)
            digits += mantissa == 0 ? 0 : 1
            i += 1
        }
        var sawDigit = i > integerStart
        if i < end && bytes[i] == 0x2E {  // .
            i += 1
            let fractionStart = i
            while i < end, case let digit = bytes[i] &- 0x30, digit < 10 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                digits += mantissa == 0 ? 0 : 1
                exponent -= 1
                i += 1
            }
            sawDigit = sawDigit || i > fractionStart
        }
        guard sawDigit else { return slowParse(bytes + start, count: end - start) }
        if i < end && (bytes[i] | 0x20) == 0x65 {  // e or E
            i += 1
            var exponentNegative = false
            if i < end && (bytes[i] == 0x2D || bytes[i] == 0x2B) {
                exponentNegative = bytes[i] == 0x2D
                i += 1
            }
            let exponentStart = i
            var value = 0
            while i < end, case let digit = bytes[i] &- 0x30, digit < 10 {
                if value < 100_000 { value = value * 10 + Int(digit) }
                i += 1
            }
            guard i > exponentStart else { return nil }
            exponent += exponentNegative ? -value : value
        }
        guard i == end else { return nil }
        if digits <= 19 && mantissa <= (1 << 53) && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            value = exponent < 0 ? value / powersOfTen[-exponent] : value * powersOfTen[exponent]
            return negative ? -value : value
        }
        return slowParse(bytes + start, count: end - start)
    }

    /// Parses a plain decimal number (`-12.5`, `3e-4`) starting at `start` and ending at the
    /// delimiter, a line break (`\n` or `\r\n`) or `end`, in one pass. Returns the value and the
    /// position of the terminator (just after `\r` for `\r\n`), or nil when the field needs the
    /// general path (spaces, long mantissas, large exponents, `nan`, missing values, garbage).
    @inline(__always)
    static func scanField(_ bytes: UnsafePointer<UInt8>, from start: Int, end: Int, delimiter: UInt8) -> (Double, Int)?
    {
        var i = start
        guard i < end else { return nil }
        let negative = bytes[i] == 0x2D
        if negative { i += 1 }
        var mantissa: UInt64 = 0
        let digitsStart = i
        while i < end, case let digit = bytes[i] &- 0x30, digit < 10 {
            mantissa = mantissa &* 10 &+ UInt64(digit)
            i += 1
        }
        var digitCount = i - digitsStart
        var exponent = 0
        if i < end && bytes[i] == 0x2E {
            i += 1
            let fractionStart = i
            while i < end, case let digit = bytes[i] &- 0x30, digit < 10 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                i += 1
            }
            exponent = fractionStart - i
            digitCount += i - fractionStart
        }
        guard digitCount > 0 && digitCount <= 19 else { return nil }  // leading zeros count: conservative
        if i < end && (bytes[i] | 0x20) == 0x65 {
            i += 1
            var exponentNegative = false
            if i < end && (bytes[i] == 0x2D || bytes[i] == 0x2B) {
                exponentNegative = bytes[i] == 0x2D
                i += 1
            }
            let exponentStart = i
            var value = 0
            while i < end, case let digit = bytes[i] &- 0x30, digit < 10, i - exponentStart < 4 {
                value = value * 10 + Int(digit)
                i += 1
            }
            guard i > exponentStart else { return nil }
            exponent += exponentNegative ? -value : value
        }
        var next = i
        if i < end {
            let terminator = bytes[i]
            if terminator == 0x0D {
                guard i + 1 == end || bytes[i + 1] == 0x0A else { return nil }
                next = i + 1
            } else if terminator != delimiter && terminator != 0x0A {
                return nil
            }
        }
        guard mantissa <= (1 << 53) && exponent >= -22 && exponent <= 22 else { return nil }
        let magnitude =
            exponent < 0 ? Double(mantissa) / powersOfTen[-exponent] : Double(mantissa) * powersOfTen[exponent]
        return (negative ? -magnitude : magnitude, next)
    }

    /// `strtod` on a NUL-terminated copy; nil unless it consumes every byte.
    private static func slowParse(_ bytes: UnsafePointer<UInt8>, count: Int) -> Double? {
        guard count < 512 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
            guard let base = buffer.baseAddress else { return nil }
            for index in 0..<count { base[index] = CChar(bitPattern: bytes[index]) }
            base[count] = 0
            var endPointer: UnsafeMutablePointer<CChar>?
            let value = strtod(base, &endPointer)
            guard let endPointer, endPointer - base == count else { return nil }
            return value
        }
    }

    /// The integer in `bytes[0..<count]` (optional sign, digits, surrounding spaces), or nil.
    static func parseInteger(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int64? {
        var start = 0
        var end = count
        while start < end && bytes[start] == 0x20 { start += 1 }
        while end > start && bytes[end - 1] == 0x20 { end -= 1 }
        guard start < end else { return nil }
        var i = start
        let negative = bytes[i] == 0x2D
        if negative || bytes[i] == 0x2B { i += 1 }
        guard i < end else { return nil }
        var value: Int64 = 0
        while i < end {
            let digit = bytes[i] &- 0x30
            guard digit < 10 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(digit))
            guard !overflow1 && !overflow2 else { return nil }
            value = sum
            i += 1
        }
        return negative ? -value : value
    }

    /// Parses a Swift string (for values already split into fields).
    static func parseDouble(_ text: String) -> Double? {
        var copy = text
        return copy.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return nil }
            return parseDouble(base, count: buffer.count)
        }
    }

    /// Parses a Swift string as an integer.
    static func parseInteger(_ text: String) -> Int64? {
        var copy = text
        return copy.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return nil }
            return parseInteger(base, count: buffer.count)
        }
    }
}
