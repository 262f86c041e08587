public import ForgeTensor

/// A simple tokenizer for sequence models: splits text into words (on whitespace) or characters,
/// with a vocabulary built from data, an unknown token and padding. `Codable`, so it is saved with
/// the model.
///
/// Index 0 is the padding token and index 1 the unknown token; the rest are the vocabulary, most
/// frequent first (ties alphabetical), so the same texts always give the same indices.
///
/// ```swift
/// let tokenizer = Tokenizer.fit(["the cat sat", "the dog"], level: .word)
/// let batch = tokenizer.encode(["the cat", "a dog ran"], length: 4)   // int64 [2, 4], 0-padded
/// ```
public struct Tokenizer: Codable, Hashable, Sendable {
    /// How text is split.
    public enum Level: String, Codable, Sendable, Hashable {
        /// Whitespace-separated words.
        case word
        /// Unicode characters (grapheme clusters).
        case character
    }

    /// The split level.
    public var level: Level
    /// The tokens; a token's index in this list is its id. Starts with the padding and unknown tokens.
    public var vocabulary: [String]
    /// Whether text is lowercased before splitting.
    public var lowercase: Bool

    /// The padding token's id.
    public static let paddingIndex = 0
    /// The unknown token's id.
    public static let unknownIndex = 1

    /// Creates a tokenizer with a known vocabulary (which must start with the two special tokens).
    public init(level: Level, vocabulary: [String], lowercase: Bool = true) {
        precondition(vocabulary.count >= 2, "Tokenizer: the vocabulary must start with the padding and unknown tokens")
        self.level = level
        self.vocabulary = vocabulary
        self.lowercase = lowercase
    }

    /// Builds the vocabulary from `texts`: tokens seen at least `minimumCount` times, the
    /// `maximumSize` most frequent (special tokens included in the size).
    public static func fit(
        _ texts: [String], level: Level = .word, lowercase: Bool = true, minimumCount: Int = 1, maximumSize: Int? = nil
    ) -> Tokenizer {
        var counts: [String: Int] = [:]
        let splitter = Tokenizer(level: level, vocabulary: ["<pad>", "<unk>"], lowercase: lowercase)
        for text in texts { for token in splitter.tokens(text) { counts[token, default: 0] += 1 } }
        var ranked = counts.filter { $0.value >= minimumCount }.sorted {
            $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key)
        }
        if let maximumSize { ranked = Array(ranked.prefix(Swift.max(0, maximumSize - 2))) }
        return Tokenizer(level: level, vocabulary: ["<pad>", "<unk>"] + ranked.map(\.key), lowercase: lowercase)
    }

    /// The tokens of `text` (before mapping to ids).
    public func tokens(_ text: String) -> [String] {
        let prepared = lowercase ? text.lowercased() : text
        switch level {
        case .word: return prepared.split(whereSeparator: \.isWhitespace).map(String.init)
        case .character: return prepared.map(String.init)
        }
    }

    /// The ids of `text`'s tokens; unknown tokens get ``unknownIndex``.
    public func encode(_ text: String) -> [Int] {
        let lookup = indexLookup()
        return tokens(text).map { lookup[$0] ?? Self.unknownIndex }
    }

    /// Encodes a batch into an `int64` tensor `[texts.count, length]`: truncated to `length`,
    /// padded at the end with ``paddingIndex``.
    public func encode(_ texts: [String], length: Int) -> Tensor {
        precondition(length > 0, "Tokenizer.encode: length \(length) must be positive")
        let lookup = indexLookup()
        var ids = [Int64](repeating: Int64(Self.paddingIndex), count: texts.count * length)
        for (row, text) in texts.enumerated() {
            for (position, token) in tokens(text).prefix(length).enumerated() {
                ids[row * length + position] = Int64(lookup[token] ?? Self.unknownIndex)
            }
        }
        return Tensor(ids, shape: [texts.count, length])
    }

    /// The text of `ids`, padding dropped (words joined by spaces).
    public func decode(_ ids: [Int]) -> String {
        let words = ids.filter { $0 != Self.paddingIndex }.map {
            $0 >= 0 && $0 < vocabulary.count ? vocabulary[$0] : "<unk>"
        }
        return words.joined(separator: level == .word ? " " : "")
    }

    private func indexLookup() -> [String: Int] {
        var lookup: [String: Int] = [:]
        for (index, token) in vocabulary.enumerated() where lookup[token] == nil { lookup[token] = index }
        return lookup
    }
}
