import ForgeTensor
import Foundation
import Testing

@testable import ForgeData

@Suite("ForgeData CSV reader")
struct CSVReaderTests {
    @Test func readsTypedColumnsQuotesAndMissing() throws {
        let text = "id,name,score,note\n1,\"Smith, J\",2.5,\"said \"\"hi\"\"\"\n2,Lee,NA,\"two\nlines\"\r\n\n3,,7e1,x\n"
        let table = try CSVReader.readTable(text: text)
        #expect(table.columnNames == ["id", "name", "score", "note"])
        #expect(table.rowCount == 3)
        #expect(table["id"] == .integers([1, 2, 3]))
        #expect(table["name"] == .text(["Smith, J", "Lee", nil]))
        #expect(table["score"] == .numbers([2.5, nil, 70]))
        #expect(table["note"] == .text(["said \"hi\"", "two\nlines", "x"]))
        #expect(table["score"]?.missingCount == 1)
    }

    @Test func delimiterDeclaredTypesAndNoHeader() throws {
        let options = CSVOptions(delimiter: ";", hasHeader: false, columnTypes: [:])
        let table = try CSVReader.readTable(text: "1;2.5\n3;4\n", options: options)
        #expect(table.columnNames == ["column0", "column1"])
        #expect(table["column1"] == .numbers([2.5, 4]))
        let typed = try CSVReader.readTable(text: "a,b\n1,2\n", options: CSVOptions(columnTypes: ["a": .text]))
        #expect(typed["a"] == .text(["1"]))
    }

    @Test func readsDigitsFixtureAsDataset() throws {
        let table = try CSVReader.readTable(at: Fixtures.url("digits_train.csv"))
        #expect(table.rowCount == 1437)
        let dataset = try table.dataset(labelColumn: "label")
        #expect(dataset.features.shape == [1437, 64])
        #expect(dataset.labels.dtype == .int64)
        #expect(dataset[0].label.item(as: Int64.self) == 3)
        #expect(Array(dataset[0].features.scalars(as: Float.self).prefix(5)) == [0, 0, 8, 16, 16])
        let matrix = try CSVReader.readMatrix(at: Fixtures.url("digits_train.csv"))
        #expect(matrix.shape == [1437, 65])
        #expect(
            matrix.narrowed(axis: 1, start: 1, length: 64).scalars(as: Float.self)
                == dataset.features.scalars(as: Float.self))
    }

    @Test func matrixParsesNumbersExactly() throws {
        let text = "a,b,c\n1.5,-2e-3,  7 \n0.1,NA,1e300\n\n-0.000123456789,,3\n"
        let matrix = try CSVReader.readMatrix(data: Data(text.utf8), dtype: .float64)
        #expect(matrix.shape == [3, 3])
        let values = matrix.scalars(as: Double.self)
        #expect(values[0] == 1.5 && values[1] == -0.002 && values[2] == 7)
        #expect(values[3] == 0.1)
        #expect(values[4].isNaN && values[7].isNaN)
        #expect(values[5] == 1e300)
        #expect(values[6] == -0.000123456789)
        #expect(try CSVReader.readMatrix(data: Data(text.utf8)).scalars(as: Float.self)[3] == Float(0.1))
        // Parser oracle: every fast-path result equals Swift's own correctly rounded parse.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let value = Double.random(in: -1e6...1e6, using: &generator)
            let text = String(format: "%.*f", Int.random(in: 0...9, using: &generator), value)
            #expect(NumberParser.parseDouble(text) == Double(text), "\(text)")
        }
    }

    @Test func matrixFastPathAgreesWithSwiftParsing() throws {
        // Random numbers in many spellings, CRLF line ends; each parsed value must equal Double(text).
        var generator = RandomGenerator(seed: 21)
        var texts: [String] = []
        for _ in 0..<3000 {
            let magnitude = (generator.nextUnit() - 0.5) * pow(10, Double(Int(generator.next(below: 12))) - 4)
            switch generator.next(below: 4) {
            case 0: texts.append(String(format: "%.*f", Int(generator.next(below: 10)), magnitude))
            case 1: texts.append(String(format: "%.*e", Int(generator.next(below: 17)), magnitude))
            case 2: texts.append(String(Int64(magnitude * 1000)))
            default: texts.append("\(magnitude)")
            }
        }
        var csv = "a,b,c\r\n"
        for row in 0..<1000 { csv += texts[row * 3..<row * 3 + 3].joined(separator: ",") + "\r\n" }
        let values = try CSVReader.readMatrix(data: Data(csv.utf8), dtype: .float64).scalars(as: Double.self)
        #expect(values.count == 3000)
        for (value, text) in zip(values, texts) { #expect(value == Double(text), "\(text)") }
    }

    @Test(arguments: [16, 50, 333])
    func chunkedFileReadingMatchesWholeFileParsing(capacity: Int) throws {
        var text = "x,y,z\n"
        for row in 0..<200 { text += "\(row),\(Double(row) / 8),-\(row)e-2\n" + (row % 50 == 0 ? "\n" : "") }
        let url = try Fixtures.temporaryFile(text: text)
        let chunked = try #require(
            try CSVReader.readMatrixInChunks(at: url, options: CSVOptions(), as: Double.self, initialCapacity: capacity)
        )
        let whole = try CSVReader.readMatrix(data: Data(text.utf8), dtype: .float64)
        #expect(chunked.shape == [200, 3])
        #expect(chunked.scalars(as: Double.self) == whole.scalars(as: Double.self))
        let bad = try Fixtures.temporaryFile(text: text + "1,2,oops\n")
        do {
            _ = try CSVReader.readMatrixInChunks(
                at: bad, options: CSVOptions(), as: Float.self, initialCapacity: capacity)
            Issue.record("bad row accepted")
        } catch let error as ForgeDataError {
            #expect(error.code == .unparsableNumber && error.line == 206 && error.column == 3)
        }
        let quoted = try Fixtures.temporaryFile(text: "a,b\n1,\"2\"\n")
        #expect(
            try CSVReader.readMatrixInChunks(
                at: quoted, options: CSVOptions(), as: Float.self, initialCapacity: capacity) == nil)
        #expect(try CSVReader.readMatrix(at: quoted).scalars(as: Float.self) == [1, 2])
        let empty = try Fixtures.temporaryFile(text: "")
        #expect(throws: ForgeDataError.self) { try CSVReader.readMatrix(at: empty) }
    }

    @Test func streamingReaderReadsInSmallChunks() throws {
        var text = "x,y\n"
        for row in 0..<500 { text += "\(row),\"v \(row), \"\"q\"\"\"\n" }
        let url = try Fixtures.temporaryFile(text: text)
        let reader = try CSVRowReader(url: url, chunkSize: 7)
        #expect(try reader.nextRow() == ["x", "y"])
        var count = 0
        while let row = try reader.nextRow() {
            #expect(row == ["\(count)", "v \(count), \"q\""])
            #expect(reader.rowLine == count + 2)
            count += 1
        }
        #expect(count == 500)
    }

    @Test func malformedInputNamesFileLineAndColumn() throws {
        func failure(_ text: String, matrix: Bool = false, options: CSVOptions = CSVOptions()) -> ForgeDataError? {
            do {
                let url = try Fixtures.temporaryFile(text: text, name: "bad.csv")
                if matrix {
                    _ = try CSVReader.readMatrix(at: url, options: options)
                } else {
                    _ = try CSVReader.readTable(at: url, options: options)
                }
                return nil
            } catch { return error as? ForgeDataError }
        }
        let wrongCount = failure("a,b\n1,2\n3\n")
        #expect(wrongCount?.code == .wrongFieldCount && wrongCount?.line == 3 && wrongCount?.column == 2)
        #expect(wrongCount?.file?.hasSuffix("bad.csv") == true)
        let tooMany = failure("a,b\n1,2\n3,4\n5,6,7\n", matrix: true)
        #expect(tooMany?.code == .wrongFieldCount && tooMany?.line == 4 && tooMany?.column == 3)
        let notNumber = failure("a,b\n1,2\n3,x4\n", matrix: true)
        #expect(notNumber?.code == .unparsableNumber && notNumber?.line == 3 && notNumber?.column == 2)
        let declared = failure("a,b\n1,2\n3,oops\n", options: CSVOptions(columnTypes: ["b": .number]))
        #expect(declared?.code == .unparsableNumber && declared?.line == 3 && declared?.column == 2)
        let unclosed = failure("a,b\n1,\"open\n2,3\n")
        #expect(unclosed?.code == .malformedQuote && unclosed?.line == 2 && unclosed?.column == 2)
        let trailing = failure("a,b\n\"x\"y,1\n")
        #expect(trailing?.code == .malformedQuote && trailing?.line == 2 && trailing?.column == 1)
        #expect(failure("")?.code == .empty)
        #expect(failure("a\n1\n", options: CSVOptions(columnTypes: ["zz": .text]))?.code == .unknownColumn)
        let missingFile = Result { try CSVReader.readTable(at: URL(fileURLWithPath: "/nonexistent/x.csv")) }
        #expect((missingFile.failureValue as? ForgeDataError)?.code == .fileNotFound)
        #expect(wrongCount?.description.contains("bad.csv:3:2: wrongFieldCount") == true)
        let unlabeled = Result { try CSVReader.readTable(text: "label,x\n1,2\n,3\n").dataset(labelColumn: "label") }
        #expect((unlabeled.failureValue as? ForgeDataError)?.line == 2)
    }
}

extension Result {
    var failureValue: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
