// A child process for ForgeTracking's SQLite tests: logs metrics into a shared tracking database so a
// test can run several at once, or kill one (SIGKILL) at any instant.
//
// Usage: TrackingCrashHelper <project directory> concurrent <run name> <metric count>
//        TrackingCrashHelper <project directory> crash <run name>
//
// `concurrent` logs <metric count> values of metric "x" (step i, value i) through an asynchronous
// ActiveRun flushing every 50 metrics, plus params and tags, finishes the run and exits 0.
// `crash` prints "run <id>", then logs "x" forever, printing "flushed <n>" each time an explicit flush
// of the first n steps returned; the test kills it and checks those n steps are in the database.
import ForgeTracking
import Foundation

func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))  // unbuffered: survives SIGKILL once written
}

let arguments = CommandLine.arguments
guard arguments.count >= 4, ["concurrent", "crash"].contains(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: TrackingCrashHelper <directory> concurrent|crash <run> [count]\n".utf8))
    exit(2)
}
let directory = URL(fileURLWithPath: arguments[1])
let runName = arguments[3]

do {
    let mode = LoggingMode.asynchronous(flushInterval: .milliseconds(10), batchSize: 50, bufferLimit: 10_000)
    let tracker = Tracker(store: try SQLiteTrackingStore(directory: directory), mode: mode)
    if arguments[2] == "concurrent" {
        guard arguments.count == 5, let count = Int(arguments[4]) else { exit(2) }
        let run = try await tracker.startRun(experiment: "shared", name: runName, tags: ["process": runName])
        try await run.logParams(["count": String(count), "name": runName])
        for step in 0..<count {
            try await run.logMetric("x", Double(step), step: step)
            if step % 1000 == 0 { try await run.setTag("progress", String(step)) }
        }
        try await run.finish()
        say("done \(run.id)")
    } else {
        let run = try await tracker.startRun(experiment: "crash", name: runName)
        say("run \(run.id)")
        var step = 0
        while true {
            try await run.logMetric("x", Double(step), step: step)
            step += 1
            if step % 97 == 0 {
                try await run.flush()
                say("flushed \(step)")
            }
        }
    }
} catch {
    FileHandle.standardError.write(Data("TrackingCrashHelper: \(error)\n".utf8))
    exit(1)
}
