import Foundation

/// The standard normal distribution's functions, accurate in the tails, shared by the TPE
/// (truncated normals) and the GP sampler (log expected improvement).
enum StandardNormal {
    /// log √(2π).
    static let logSquareRootTwoPi = 0.918_938_533_204_672_7
    /// 1 / √(2π).
    static let inverseSquareRootTwoPi = 0.398_942_280_401_432_7
    /// √(π / 2).
    static let squareRootHalfPi = 1.253_314_137_315_500_3

    /// The density φ(z).
    @inline(__always)
    static func density(_ z: Double) -> Double {
        inverseSquareRootTwoPi * exp(-0.5 * z * z)
    }

    /// The cumulative distribution Φ(z), through `erfc` so that both tails keep their relative precision.
    @inline(__always)
    static func cumulative(_ z: Double) -> Double {
        0.5 * erfc(-z * 0.707_106_781_186_547_5)
    }

    /// log Φ(z), finite down to z ≈ −1e154 (an asymptotic series below −20, where Φ underflows).
    static func logCumulative(_ z: Double) -> Double {
        if z > 6 { return -cumulative(-z) }  // log(1 − ε) ≈ −ε
        if z > -20 { return log(cumulative(z)) }
        // Φ(z) = φ(z)/|z| · (1 − 1/z² + 3/z⁴ − 15/z⁶ + …) for z → −∞.
        let inverseSquare = 1 / (z * z)
        var term = 1.0
        var sum = 1.0
        var index = 1.0
        while index < 12 {
            term *= -(2 * index - 1) * inverseSquare
            sum += term
            if abs(term) < 1e-17 { break }
            index += 1
        }
        return -0.5 * z * z - log(-z) - logSquareRootTwoPi + log(sum)
    }

    /// log(Φ(b) − Φ(a)) for a < b: the log of the normal probability mass in [a, b], stable in both tails.
    static func logMass(lower a: Double, upper b: Double) -> Double {
        if b <= 0 { return logDifference(logCumulative(b), logCumulative(a)) }
        if a > 0 { return logDifference(logCumulative(-a), logCumulative(-b)) }
        // Tails beyond 8.3σ are below 1e-16 of the mass: skip their erfc (most TPE kernels sit far from
        // both ends of the range, so this saves nearly all of them).
        let lowerTail = a < -8.3 ? 0 : cumulative(a)
        let upperTail = b > 8.3 ? 0 : cumulative(-b)
        return log1p(-lowerTail - upperTail)
    }

    /// log(exp(p) − exp(q)) for p ≥ q.
    @inline(__always)
    static func logDifference(_ p: Double, _ q: Double) -> Double {
        if q == -.infinity { return p }
        return p + log1p(-exp(q - p))
    }

    /// The quantile function Φ⁻¹(p) for p in (0, 1): Wichura's algorithm AS 241 (PPND16), relative
    /// error about 1e-16. Returns ∓∞ at p = 0 or 1.
    static func quantile(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            let numerator =
                ((((((2.509_080_928_730_122_672_7e3 * r + 3.343_057_558_358_812_810_5e4) * r
                    + 6.726_577_092_700_870_085_3e4) * r + 4.592_195_393_154_987_145_7e4) * r
                    + 1.373_169_376_550_946_112_5e4) * r + 1.971_590_950_306_551_442_7e3) * r
                    + 1.331_416_678_917_843_774_5e2) * r + 3.387_132_872_796_366_608_0
            let denominator =
                ((((((5.226_495_278_852_854_561_0e3 * r + 2.872_908_573_572_194_267_4e4) * r
                    + 3.930_789_580_009_271_061_0e4) * r + 2.121_379_430_158_659_586_7e4) * r
                    + 5.394_196_021_424_751_107_7e3) * r + 6.871_870_074_920_579_083_0e2) * r
                    + 4.231_333_070_160_091_125_2e1) * r + 1
            return q * numerator / denominator
        }
        var r = sqrt(-log(q < 0 ? p : 1 - p))
        let value: Double
        if r <= 5 {
            r -= 1.6
            let numerator =
                ((((((7.745_450_142_783_414_076_40e-4 * r + 2.272_384_498_926_918_458_33e-2) * r
                    + 2.417_807_251_774_506_117_70e-1) * r + 1.270_458_252_452_368_382_58) * r
                    + 3.647_848_324_763_204_605_04) * r + 5.769_497_221_460_691_405_50) * r
                    + 4.630_337_846_156_545_295_90) * r + 1.423_437_110_749_683_577_34
            let denominator =
                ((((((1.050_750_071_644_416_843_24e-9 * r + 5.475_938_084_995_344_946_00e-4) * r
                    + 1.519_866_656_361_645_719_66e-2) * r + 1.481_039_764_274_800_745_90e-1) * r
                    + 6.897_673_349_851_000_045_50e-1) * r + 1.676_384_830_183_803_849_40) * r
                    + 2.053_191_626_637_758_821_87) * r + 1
            value = numerator / denominator
        } else {
            r -= 5
            let numerator =
                ((((((2.010_334_399_292_288_132_65e-7 * r + 2.711_555_568_743_487_578_15e-5) * r
                    + 1.242_660_947_388_078_438_60e-3) * r + 2.653_218_952_657_612_309_30e-2) * r
                    + 2.965_605_718_285_048_912_30e-1) * r + 1.784_826_539_917_291_335_80) * r
                    + 5.463_784_911_164_114_369_90) * r + 6.657_904_643_501_103_777_20
            let denominator =
                ((((((2.044_263_103_389_939_785_64e-15 * r + 1.421_511_758_316_445_888_70e-7) * r
                    + 1.846_318_317_510_054_681_80e-5) * r + 7.868_691_311_456_132_591_00e-4) * r
                    + 1.487_536_129_085_061_485_25e-2) * r + 1.369_298_809_227_358_053_10e-1) * r
                    + 5.998_322_065_558_879_376_90e-1) * r + 1
            value = numerator / denominator
        }
        return q < 0 ? -value : value
    }

    /// The scaled complementary error function erfcx(x) = exp(x²)·erfc(x) for x ≥ 0, finite where erfc
    /// underflows (an asymptotic series above x = 12).
    static func scaledComplementaryError(_ x: Double) -> Double {
        if x < 12 { return exp(x * x) * erfc(x) }
        // erfcx(x) = 1/(x√π) · (1 − 1/(2x²) + 3/(2x²)² − 15/(2x²)³ + …)
        let inverse = 1 / (2 * x * x)
        var term = 1.0
        var sum = 1.0
        for index in 1..<10 {
            term *= -Double(2 * index - 1) * inverse
            sum += term
        }
        return sum / (x * 1.772_453_850_905_516)
    }
}
