import Foundation
import Testing

@testable import ForgeTracking

/// The path of Debian's `chromium`, found with `which`, or nil when it is not installed.
let chromiumPath: String? = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["which", "chromium"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do {
        try process.run()
        process.waitUntilExit()
    } catch {
        return nil
    }
    let path = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
    return process.terminationStatus == 0 && !path.isEmpty ? path : nil
}()

@Suite("ForgeTracking reports rendered by headless Chromium")
struct ReportScreenshotTests {
    /// Renders `html` in headless Chromium at 1280 × 1600 and decodes the screenshot.
    private func screenshot(of html: String, named name: String) async throws -> PNGImage {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("forge-report-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("\(name).html")
        try Data(html.utf8).write(to: page)
        let image = directory.appendingPathComponent("\(name).png")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(chromiumPath))
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
            "--screenshot=\(image.path)", "--window-size=1280,1600", page.absoluteString,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(90)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning {
            process.terminate()
            Issue.record("chromium did not finish within 90 s")
        }
        let decoded = try PNGImage(contentsOf: image)
        if let keep = ProcessInfo.processInfo.environment["FORGE_REPORT_SCREENSHOT_DIR"] {
            let target = URL(fileURLWithPath: keep).appendingPathComponent("\(name).png")
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: image, to: target)
        }
        return decoded
    }

    /// Counts the pixels near `color` (each channel within `tolerance`) in rows `rows`.
    private func count(_ color: (Int, Int, Int), in image: PNGImage, rows: Range<Int>, tolerance: Int = 28) -> Int {
        var total = 0
        for y in rows {
            for x in 0..<image.width {
                let pixel = image.pixel(x: x, y: y)
                if abs(Int(pixel.red) - color.0) <= tolerance && abs(Int(pixel.green) - color.1) <= tolerance
                    && abs(Int(pixel.blue) - color.2) <= tolerance
                {
                    total += 1
                }
            }
        }
        return total
    }

    @Test(
        "a run report screenshot is not blank: charts draw in colour",
        .enabled(if: chromiumPath != nil, "chromium is not installed (FORGE_WITH_PYTHON=1 scripts/test installs it)"),
        .timeLimit(.minutes(2)))
    func runReportScreenshot() async throws {
        let (store, ids) = try await makeReportStore()
        let html = try await RunReport.load(runID: ids[0], from: store).render()
        let image = try await screenshot(of: html, named: "run-report")
        #expect(image.width == 1280 && image.height == 1600)
        var distinct = Set<Int>()
        var nonWhite = 0
        for index in stride(from: 0, to: image.pixels.count, by: 3) {
            let (r, g, b) = (Int(image.pixels[index]), Int(image.pixels[index + 1]), Int(image.pixels[index + 2]))
            distinct.insert(r << 16 | g << 8 | b)
            if r < 240 || g < 240 || b < 240 { nonWhite += 1 }
        }
        #expect(distinct.count > 200, "a rendered report has antialiased text and coloured charts")
        let fraction = Double(nonWhite) / Double(image.width * image.height)
        // A blank page is 0; the report is mostly white paper with text, tables and line charts.
        #expect(fraction > 0.01 && fraction < 0.9, "non-white fraction \(fraction)")
        // The metric curves are drawn in the first palette colour (#4e79a7) below the header tables.
        let seriesPixels = count((0x4E, 0x79, 0xA7), in: image, rows: 300..<1600)
        #expect(seriesPixels > 300, "\(seriesPixels) pixels of the curve colour")
    }

    @Test(
        "a comparison report screenshot shows coloured overlaid curves",
        .enabled(if: chromiumPath != nil, "chromium is not installed (FORGE_WITH_PYTHON=1 scripts/test installs it)"),
        .timeLimit(.minutes(2)))
    func comparisonScreenshot() async throws {
        let (store, ids) = try await makeReportStore(runs: 3)
        let html = try await ComparisonReport.load(runIDs: ids, from: store).render()
        let image = try await screenshot(of: html, named: "comparison-report")
        let rows = 0..<image.height
        let first = count((0x4E, 0x79, 0xA7), in: image, rows: rows)
        let second = count((0xF2, 0x8E, 0x2B), in: image, rows: rows)
        let third = count((0xE1, 0x57, 0x59), in: image, rows: rows)
        #expect(first > 200 && second > 200 && third > 200, "series pixels \(first), \(second), \(third)")
    }
}
