/// A recursive-descent parser for ``RunFilter``: `or` binds looser than `and`; parentheses group.
struct RunFilterParser {
    private enum Token: Equatable {
        case identifier(String)
        case string(String)
        case number(Double)
        case symbol(String)
        case end
    }

    private let text: String
    private var tokens: [(token: Token, position: Int)] = []
    private var index = 0

    init(text: String) throws {
        self.text = text
        self.tokens = try RunFilterParser.tokenize(text)
    }

    mutating func parseFilter() throws -> RunFilter {
        let filter = try parseOr()
        guard case .end = current else { throw error("unexpected \(describe(current)) after a complete filter") }
        return filter
    }

    mutating func parseField() throws -> RunField {
        guard case .identifier(let name) = current else { throw error("expected a field such as metrics.accuracy") }
        guard let dot = name.firstIndex(of: ".") else {
            throw error("\"\(name)\" needs a prefix: metrics., params., tags. or attributes.")
        }
        let fieldIndex = index
        advance()
        let prefix = name[..<dot].lowercased()
        var key = String(name[name.index(after: dot)...])
        if key.isEmpty, case .string(let quoted) = current {  // metrics.`my key` / metrics."my key"
            key = quoted
            advance()
        }
        guard !key.isEmpty else { throw error("missing key after \"\(prefix).\"") }
        switch prefix {
        case "metric", "metrics": return .metric(key)
        case "param", "params", "parameter", "parameters": return .param(key)
        case "tag", "tags": return .tag(key)
        case "attribute", "attributes", "attr", "run":
            let aliases: [String: RunAttribute] = ["id": .runID, "name": .runName, "created": .startTime, "parent": .parentRunID]
            guard let attribute = RunAttribute(rawValue: key.lowercased()) ?? aliases[key.lowercased()] else {
                index = fieldIndex
                throw error("unknown attribute \"\(key)\"; known: \(RunAttribute.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .attribute(attribute)
        default:
            index = fieldIndex
            throw error("unknown prefix \"\(prefix)\"; use metrics., params., tags. or attributes.")
        }
    }

    private mutating func parseOr() throws -> RunFilter {
        var left = try parseAnd()
        while isKeyword("or") {
            advance()
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws -> RunFilter {
        var left = try parsePrimary()
        while isKeyword("and") {
            advance()
            left = .and(left, try parsePrimary())
        }
        return left
    }

    private mutating func parsePrimary() throws -> RunFilter {
        if current == .symbol("(") {
            advance()
            let inner = try parseOr()
            guard current == .symbol(")") else { throw error("expected \")\"") }
            advance()
            return inner
        }
        let field = try parseField()
        let operation = try parseOperator()
        let valueIndex = index
        let value: FilterValue
        if operation == .in || operation == .notIn {
            value = try parseList()
        } else {
            value = try parseLiteral()
        }
        if case .metric = field, case .string = value, operation != .in, operation != .notIn {
            guard value.numericValue != nil else {
                index = valueIndex
                throw error("metrics compare with numbers")
            }
        }
        return .comparison(field, operation, value)
    }

    private mutating func parseOperator() throws -> ComparisonOperator {
        switch current {
        case .symbol(let symbol):
            guard let operation = ComparisonOperator(rawValue: symbol == "==" ? "=" : symbol) else {
                throw error("expected a comparison operator")
            }
            advance()
            return operation
        case .identifier(let word):
            switch word.uppercased() {
            case "LIKE": advance(); return .like
            case "ILIKE": advance(); return .caseInsensitiveLike
            case "IN": advance(); return .in
            case "NOT":
                advance()
                guard isKeyword("in") else { throw error("expected IN after NOT") }
                advance()
                return .notIn
            default: throw error("expected a comparison operator, found \"\(word)\"")
            }
        default:
            throw error("expected a comparison operator, found \(describe(current))")
        }
    }

    private mutating func parseLiteral() throws -> FilterValue {
        switch current {
        case .string(let value): advance(); return .string(value)
        case .number(let value): advance(); return .number(value)
        default: throw error("expected a number or a quoted string, found \(describe(current))")
        }
    }

    private mutating func parseList() throws -> FilterValue {
        guard current == .symbol("(") else { throw error("expected \"(\" to start an IN list") }
        advance()
        var values: [FilterValue] = []
        while true {
            values.append(try parseLiteral())
            if current == .symbol(",") { advance(); continue }
            guard current == .symbol(")") else { throw error("expected \",\" or \")\" in the IN list") }
            advance()
            return .list(values)
        }
    }

    private var current: Token { tokens[index].token }
    private mutating func advance() { if index < tokens.count - 1 { index += 1 } }
    private func isKeyword(_ word: String) -> Bool {
        if case .identifier(let name) = current { return name.lowercased() == word }
        return false
    }

    private func error(_ reason: String) -> TrackingError {
        .invalidFilter(filter: text, position: tokens[index].position, reason: reason)
    }

    private func describe(_ token: Token) -> String {
        switch token {
        case .identifier(let name): return "\"\(name)\""
        case .string(let value): return "'\(value)'"
        case .number(let value): return "\(value)"
        case .symbol(let symbol): return "\"\(symbol)\""
        case .end: return "the end of the filter"
        }
    }

    private static func tokenize(_ text: String) throws -> [(token: Token, position: Int)] {
        let characters = Array(text)
        var result: [(token: Token, position: Int)] = []
        var position = 0
        func fail(_ reason: String) -> TrackingError { .invalidFilter(filter: text, position: position, reason: reason) }
        while position < characters.count {
            let character = characters[position]
            let start = position
            if character.isWhitespace {
                position += 1
            } else if character == "'" || character == "\"" || character == "`" {
                var value = ""
                position += 1
                while true {
                    guard position < characters.count else {
                        throw TrackingError.invalidFilter(filter: text, position: start, reason: "unterminated string")
                    }
                    if characters[position] == character {
                        if position + 1 < characters.count, characters[position + 1] == character {  // doubled quote
                            value.append(character)
                            position += 2
                            continue
                        }
                        position += 1
                        break
                    }
                    value.append(characters[position])
                    position += 1
                }
                result.append((.string(value), start))
            } else if character.isNumber || ((character == "-" || character == ".") && position + 1 < characters.count
                && characters[position + 1].isNumber)
            {
                var literal = String(character)
                position += 1
                while position < characters.count {
                    let next = characters[position]
                    let isSign = (next == "+" || next == "-") && (characters[position - 1] == "e" || characters[position - 1] == "E")
                    guard next.isNumber || next == "." || next == "e" || next == "E" || isSign else { break }
                    literal.append(next)
                    position += 1
                }
                guard let value = Double(literal) else { throw fail("\"\(literal)\" is not a number") }
                result.append((.number(value), start))
            } else if character.isLetter || character == "_" {
                var name = ""
                while position < characters.count,
                    characters[position].isLetter || characters[position].isNumber || "_.-/:".contains(characters[position])
                {
                    name.append(characters[position])
                    position += 1
                }
                result.append((.identifier(name), start))
            } else if "<>!=".contains(character) {
                var symbol = String(character)
                if position + 1 < characters.count, characters[position + 1] == "=" {
                    symbol.append("=")
                }
                guard symbol != "!" else { throw fail("\"!\" must be followed by \"=\"") }
                position += symbol.count
                result.append((.symbol(symbol), start))
            } else if "(),".contains(character) {
                result.append((.symbol(String(character)), start))
                position += 1
            } else {
                throw fail("unexpected character \"\(character)\"")
            }
        }
        result.append((.end, characters.count))
        return result
    }
}
