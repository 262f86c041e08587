// swift-tools-version: 6.1
import PackageDescription

// Forge's benchmark harness: a separate package so that the library's own manifest carries no
// benchmark-only dependencies. It builds the root package's ForgeTensor from source (`path: ".."`).
let package = Package(
    name: "ForgeBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Forge", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .executableTarget(
            name: "forge-bench",
            dependencies: [
                .product(name: "ForgeTensor", package: "Forge"),
                .product(name: "ForgeAutograd", package: "Forge"),
                .product(name: "ForgeLayers", package: "Forge"),
                .product(name: "ForgeOptimizers", package: "Forge"),
                .product(name: "ForgeData", package: "Forge"),  // ForgeData (issue 4) workloads
                .product(name: "ForgeVersioning", package: "Forge"),  // issue 5
                .product(name: "ForgeTracking", package: "Forge"),  // issue 6
                .product(name: "ForgeTuning", package: "Forge"),  // issue 7
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
