/// Escapes text for XML/XHTML element content and double- or single-quoted attribute values.
///
/// Replaces `&`, `<`, `>`, `"` and `'` with entities every XML parser knows, and drops control characters
/// that XML 1.0 forbids (everything below U+0020 except tab, newline and carriage return), so any string —
/// a run name, a parameter value, a user tag — can be placed in a chart or report safely.
package func escapeXML(_ text: String) -> String {
    var needsWork = false
    for scalar in text.unicodeScalars where scalar.value < 0x20 || "&<>\"'".unicodeScalars.contains(scalar) {
        needsWork = true
        break
    }
    guard needsWork else { return text }
    var result = ""
    result.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&#39;"
        case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
        default:
            if scalar.value >= 0x20 { result.unicodeScalars.append(scalar) }
        }
    }
    return result
}

/// Shortens `text` to at most `limit` characters, ending with an ellipsis when something was cut.
func truncated(_ text: String, to limit: Int) -> String {
    guard text.count > limit, limit > 1 else { return text }
    return String(text.prefix(limit - 1)) + "…"
}

/// The approximate rendered width of `text` in a sans-serif font of `fontSize` points.
func estimatedTextWidth(_ text: String, fontSize: Double) -> Double {
    Double(text.count) * fontSize * 0.6
}
