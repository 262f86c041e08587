// swift-tools-version: 6.1
import PackageDescription

/// Linker settings shared by every target that calls BLAS or LAPACK directly.
///
/// Debian's OpenBLAS carries CBLAS and LAPACK but no LAPACKE symbols, so Linux links both libraries;
/// Apple platforms use Accelerate, which has CBLAS and the Fortran-style LAPACK entry points.
let blasLinkerSettings: [LinkerSetting] = [
    .linkedLibrary("openblas", .when(platforms: [.linux])),
    .linkedLibrary("lapacke", .when(platforms: [.linux])),
    .linkedFramework("Accelerate", .when(platforms: [.macOS, .iOS, .tvOS, .visionOS])),
]

/// Compiler settings every Forge module uses: Swift 6 language mode with strict concurrency.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Forge",
    platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .visionOS(.v2)],
    products: [
        .library(name: "ForgeTensor", targets: ["ForgeTensor"]),
        .library(name: "ForgeAutograd", targets: ["ForgeAutograd"]),
        .library(name: "ForgeLayers", targets: ["ForgeLayers"]),
        .library(name: "ForgeOptimizers", targets: ["ForgeOptimizers"]),
        // ForgeData (issue 4)
        .library(name: "ForgeData", targets: ["ForgeData"]),
        // ForgeVersioning (issue 5)
        .library(name: "ForgeVersioning", targets: ["ForgeVersioning"]),
        // ForgeTracking (issue 6)
        .library(name: "ForgeTracking", targets: ["ForgeTracking"]),
        // ForgeTraining (issue 8)
        .library(name: "ForgeTraining", targets: ["ForgeTraining"]),
        // ForgeTuning (issue 7)
        .library(name: "ForgeTuning", targets: ["ForgeTuning"]),
        // ForgeCharts (issues 6, 7): SVG charts and self-contained HTML reports
        .library(name: "ForgeCharts", targets: ["ForgeCharts"]),
        // PostgreSQL backends (issues 6 and 7)
        .library(name: "ForgeTrackingPostgres", targets: ["ForgeTrackingPostgres"]),
        .library(name: "ForgeTuningPostgres", targets: ["ForgeTuningPostgres"]),
        // ForgeTrackingMLflow (issue 6): the MLflow REST store
        .library(name: "ForgeTrackingMLflow", targets: ["ForgeTrackingMLflow"]),
    ],
    dependencies: [
        // ForgeVersioning (issue 5): SHA-256, MD5 (DVC interop) and HMAC (S3 signing)
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // ForgeTraining (issue 8): YAML configuration
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // The forge driver (issue 8)
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // ForgeTracking (issue 6): the embedded SQLite store
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // PostgreSQL backends (issues 6 and 7): ForgeTrackingPostgres, ForgeTuningPostgres
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            path: "Sources/CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev", "pkg-config"])]
        ),
        .target(
            name: "ForgeTensor",
            dependencies: ["CBLAS"],
            swiftSettings: strictSettings,
            linkerSettings: blasLinkerSettings
        ),
        .target(
            name: "ForgeAutograd",
            dependencies: ["ForgeTensor"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ForgeLayers",
            dependencies: ["ForgeAutograd", "ForgeTensor"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CForgeMath",
            path: "Sources/CForgeMath"
        ),
        .target(
            name: "ForgeOptimizers",
            dependencies: ["ForgeLayers", "ForgeAutograd", "ForgeTensor", "CForgeMath"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "LeastSquaresFit",
            dependencies: ["ForgeTensor"],
            path: "Examples/LeastSquaresFit",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ForgeTensorTests",
            dependencies: ["ForgeTensor"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ForgeAutogradTests",
            dependencies: ["ForgeAutograd"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ForgeLayersTests",
            dependencies: ["ForgeLayers"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ForgeOptimizersTests",
            dependencies: ["ForgeOptimizers", "ForgeLayers", "ForgeAutograd", "ForgeTensor"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DigitsLearningTests",
            dependencies: ["ForgeData", "ForgeLayers", "ForgeOptimizers"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        // ForgeData (issue 4): datasets, loaders, readers, transforms, splits, statistics.
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "ForgeData",
            dependencies: ["ForgeTensor", "CZlib"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "TrainDigits",
            dependencies: ["ForgeData", "ForgeLayers", "ForgeOptimizers"],
            path: "Examples/TrainDigits",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "DigitsPipeline",
            dependencies: ["ForgeData"],
            path: "Examples/DigitsPipeline",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ForgeDataTests",
            dependencies: ["ForgeData", "ForgeTensor"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        // ForgeVersioning (issue 5)
        .target(
            name: "ForgeVersioning",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ForgeTracking",
            // ForgeCharts: run reports; GRDB: the embedded SQLite store
            dependencies: ["ForgeVersioning", "ForgeCharts", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        // ForgeTracking (issue 6): the store conformance suite every TrackingStore test target runs,
        // the child process of the SQLite reliability tests, and the example.
        .target(
            name: "ForgeTrackingConformance",
            dependencies: ["ForgeTracking", "ForgeVersioning"],
            path: "Tests/ForgeTrackingConformance",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "TrackingCrashHelper",
            dependencies: ["ForgeTracking"],
            path: "Tests/TrackingCrashHelper",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "TrackExperiment",
            dependencies: ["ForgeTracking"],
            path: "Examples/TrackExperiment",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ForgeTrackingTests",
            dependencies: [
                "ForgeTracking", "ForgeVersioning", "ForgeTrackingConformance", "TrackingCrashHelper",
                .product(name: "GRDB", package: "GRDB.swift"),
                // ForgeCharts and CZlib: run reports, and decoding Chromium's PNG screenshots of them
                "ForgeCharts", "CZlib",
            ],
            swiftSettings: strictSettings
        ),
        // ForgeTrackingMLflow (issue 6): a TrackingStore over a real MLflow tracking server (URLSession only)
        .target(
            name: "ForgeTrackingMLflow",
            dependencies: ["ForgeTracking"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ForgeTrackingMLflowTests",
            dependencies: ["ForgeTrackingMLflow", "ForgeTracking", "ForgeTrackingConformance"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "VersioningCrashHelper",
            dependencies: ["ForgeVersioning"],
            path: "Tests/VersioningCrashHelper",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "VersionDataset",
            dependencies: ["ForgeVersioning"],
            path: "Examples/VersionDataset",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ForgeVersioningTests",
            dependencies: ["ForgeVersioning", "VersioningCrashHelper"],
            swiftSettings: strictSettings
        ),
        // ForgeTraining (issue 8): metrics, configuration, model validation, trainer and callbacks.
        .target(
            name: "ForgeTraining",
            dependencies: [
                "ForgeTensor", "ForgeAutograd", "ForgeLayers", "ForgeOptimizers", "ForgeData", "ForgeTracking",
                "ForgeVersioning", "ForgeTuning", .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        // The forge driver (issue 8): a thin command line over the library modules, with the digits data.
        .executableTarget(
            name: "forge",
            dependencies: [
                "ForgeTraining", "ForgeTracking", "ForgeVersioning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: [.copy("Resources/digits_train.csv"), .copy("Resources/digits_test.csv")],
            swiftSettings: strictSettings
        ),
        // ForgeTraining (issue 8): the Trainer with its callbacks on the digits.
        .executableTarget(
            name: "TrainWithCallbacks",
            dependencies: ["ForgeTraining", "ForgeTracking", "ForgeData", "ForgeLayers", "ForgeOptimizers", "ForgeTensor"],
            path: "Examples/TrainWithCallbacks",
            swiftSettings: strictSettings
        ),
        // ForgeTraining (issue 8): the child process of the resume-after-kill test.
        .executableTarget(
            name: "TrainingCrashHelper",
            dependencies: ["ForgeTraining", "ForgeData", "ForgeLayers", "ForgeOptimizers", "ForgeTensor"],
            path: "Tests/TrainingCrashHelper",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ForgeTrainingTests",
            dependencies: [
                "ForgeTraining", "ForgeData", "ForgeLayers", "ForgeOptimizers", "ForgeAutograd", "ForgeTensor",
                "ForgeTracking", "ForgeVersioning", "TrainingCrashHelper",
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        // ForgeTuning (issue 7): define-by-run studies, samplers, pruners, study storages.
        .target(
            name: "ForgeTuning",
            // ForgeCharts: the study report (Sources/ForgeTuning/Reports)
            dependencies: ["ForgeTensor", "ForgeCharts", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "TuneDigits",
            dependencies: ["ForgeTuning", "ForgeData", "ForgeLayers", "ForgeOptimizers", "ForgeAutograd", "ForgeTensor"],
            path: "Examples/TuneDigits",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "TuningWorkerHelper",
            dependencies: ["ForgeTuning", "ForgeTensor"],
            path: "Tests/TuningWorkerHelper",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ForgeTuningTests",
            dependencies: ["ForgeTuning", "ForgeTensor", "TuningWorkerHelper"],
            swiftSettings: strictSettings
        ),
        // ForgeCharts (issues 6, 7): SVG charts and self-contained HTML reports, Foundation only.
        .target(
            name: "ForgeCharts",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ForgeChartsTests",
            dependencies: ["ForgeCharts"],
            swiftSettings: strictSettings
        ),
        // PostgreSQL backends (issues 6 and 7): stores for teams and distributed studies, tested against
        // a server that ForgePostgresTestSupport starts on 127.0.0.1.
        .target(
            name: "ForgePostgresSupport",
            dependencies: [.product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ForgeTrackingPostgres",
            dependencies: ["ForgeTracking", "ForgePostgresSupport", .product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ForgePostgresTestSupport",
            path: "Tests/ForgePostgresTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ForgeTrackingPostgresTests",
            dependencies: [
                "ForgeTrackingPostgres", "ForgeTracking", "ForgeTrackingConformance", "ForgePostgresTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ForgeTuningPostgres",
            dependencies: ["ForgeTuning", "ForgePostgresSupport", .product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "TuningPostgresWorker",
            dependencies: ["ForgeTuningPostgres", "ForgeTuning", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "Tests/TuningPostgresWorker",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ForgeTuningPostgresTests",
            dependencies: [
                "ForgeTuningPostgres", "ForgeTuning", "ForgePostgresTestSupport", "TuningPostgresWorker",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
