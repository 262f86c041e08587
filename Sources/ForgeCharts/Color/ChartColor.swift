import Foundation

/// An opaque sRGB colour used by charts.
///
/// ```swift
/// let accent = ChartColor(hex: 0x4E79A7)
/// accent.hexString                 // "#4e79a7"
/// ChartColor.palette[1]            // the second series colour
/// ```
public struct ChartColor: Sendable, Hashable {
    /// Red component in 0...1.
    public var red: Double
    /// Green component in 0...1.
    public var green: Double
    /// Blue component in 0...1.
    public var blue: Double

    /// Creates a colour from components in 0...1; values outside are clamped.
    public init(red: Double, green: Double, blue: Double) {
        self.red = Self.clamp(red)
        self.green = Self.clamp(green)
        self.blue = Self.clamp(blue)
    }

    /// Creates a colour from a 24-bit `0xRRGGBB` value.
    public init(hex: UInt32) {
        self.init(
            red: Double((hex >> 16) & 0xFF) / 255,
            green: Double((hex >> 8) & 0xFF) / 255,
            blue: Double(hex & 0xFF) / 255)
    }

    /// The colour as a lowercase CSS hex string, `#rrggbb`.
    public var hexString: String {
        let digits = Array("0123456789abcdef")
        var text = "#"
        for component in [red, green, blue] {
            let byte = Int((component * 255).rounded())
            text.append(digits[byte >> 4])
            text.append(digits[byte & 0xF])
        }
        return text
    }

    /// WCAG relative luminance in 0...1 (0 for black, 1 for white).
    public var relativeLuminance: Double {
        func linear(_ channel: Double) -> Double {
            channel <= 0.04045 ? channel / 12.92 : pow((channel + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// The WCAG contrast ratio between this colour and another (1...21).
    public func contrastRatio(with other: ChartColor) -> Double {
        let lighter = max(relativeLuminance, other.relativeLuminance)
        let darker = min(relativeLuminance, other.relativeLuminance)
        return (lighter + 0.05) / (darker + 0.05)
    }

    /// Black or white, whichever reads better as text on this colour.
    public var contrastingTextColor: ChartColor {
        contrastRatio(with: .black) >= contrastRatio(with: .white) ? .black : .white
    }

    /// Linear interpolation between two colours: `fraction` 0 gives `self`, 1 gives `other`.
    public func interpolated(to other: ChartColor, fraction: Double) -> ChartColor {
        let t = Self.clamp(fraction)
        return ChartColor(
            red: red + (other.red - red) * t,
            green: green + (other.green - green) * t,
            blue: blue + (other.blue - blue) * t)
    }

    /// Black.
    public static let black = ChartColor(hex: 0x000000)
    /// White.
    public static let white = ChartColor(hex: 0xFFFFFF)
    /// The neutral grey used for missing values and reference lines.
    public static let gray = ChartColor(hex: 0x9A9A9A)

    /// Ten well-separated categorical colours (Tableau 10), used in order for series.
    public static let palette: [ChartColor] = [
        0x4E79A7, 0xF28E2B, 0xE15759, 0x76B7B2, 0x59A14F, 0xEDC948, 0xB07AA1, 0xFF9DA7, 0x9C755F, 0xBAB0AC,
    ].map { ChartColor(hex: $0) }

    /// The palette colour for series number `index`, cycling after ten.
    public static func series(_ index: Int) -> ChartColor {
        palette[((index % palette.count) + palette.count) % palette.count]
    }

    private static func clamp(_ value: Double) -> Double {
        value.isNaN ? 0 : min(1, max(0, value))
    }
}
