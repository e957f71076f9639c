// swift-tools-version:6.0
// Upwind: back-trajectory and source-attribution toolkit. Module map: see README and DESIGN.
import PackageDescription

let package = Package(
    name: "Upwind",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Upwind", targets: ["Upwind"]),
        .library(name: "NetCDFKit", targets: ["NetCDFKit"]),
        .executable(name: "upwind", targets: ["UpwindCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // The HTTP service (UpwindServer only): Hummingbird 2 with routes generated from the OpenAPI document.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // MARK: - C library
        .systemLibrary(
            name: "CNetCDF",
            pkgConfig: "netcdf",
            providers: [.apt(["libnetcdf-dev"]), .brew(["netcdf"])]
        ),
        .systemLibrary(
            name: "CDeflate",
            pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"]), .brew(["libdeflate"])]
        ),
        // MARK: - Libraries
        .target(name: "NetCDFKit", dependencies: ["CNetCDF", "CDeflate"]),
        .target(name: "UpwindCore", dependencies: [.product(name: "RealModule", package: "swift-numerics")]),
        .target(name: "UpwindMeteo", dependencies: ["UpwindCore", "NetCDFKit"]),
        .target(
            name: "UpwindFormats",
            dependencies: ["UpwindCore", "UpwindAttribution", "NetCDFKit", .product(name: "CSV", package: "CSV.swift"),
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "UpwindAttribution", dependencies: ["UpwindCore"]),
        // The HTML report and SVG maps (templates are resources, rendered through swift-mustache).
        .target(
            name: "UpwindReport",
            dependencies: ["UpwindCore", "UpwindAttribution", "UpwindFormats", .product(name: "Mustache", package: "swift-mustache"),
                           .product(name: "CSV", package: "CSV.swift")],
            resources: [.copy("Templates")]
        ),
        .target(name: "UpwindWorkflows", dependencies: ["UpwindCore", "UpwindMeteo", "UpwindAttribution", "UpwindFormats", "UpwindReport"],
                resources: [.copy("Resources")]),
        .target(name: "Upwind", dependencies: ["NetCDFKit", "UpwindCore", "UpwindMeteo", "UpwindAttribution", "UpwindFormats", "UpwindReport",
                                               "UpwindWorkflows"]),
        // MARK: - HTTP service
        // `upwind serve`: the routes and types are generated from Sources/UpwindServer/openapi.json,
        // which is also the document served at /openapi.json.
        .target(
            name: "UpwindServer",
            dependencies: [
                "Upwind",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("openapi.json")],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        // MARK: - Command line
        .executableTarget(
            name: "UpwindCLI",
            dependencies: [
                "Upwind",
                "UpwindServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // MARK: - Examples
        .executableTarget(name: "InspectMet", dependencies: ["Upwind"], path: "Examples/InspectMet"),
        .executableTarget(name: "HenanEpisode", dependencies: ["Upwind"], path: "Examples/HenanEpisode"),
        .executableTarget(name: "MontserratAsh", dependencies: ["Upwind"], path: "Examples/MontserratAsh"),
        .executableTarget(name: "SeasonalPSCF", dependencies: ["Upwind"], path: "Examples/SeasonalPSCF"),
        .executableTarget(name: "ImportHYSPLIT", dependencies: ["Upwind"], path: "Examples/ImportHYSPLIT"),
        // MARK: - Tests
        // Shared test helpers (temporary folders, fixtures, ncgen, running the CLI): Foundation only.
        .target(name: "UpwindTestSupport", path: "Tests/UpwindTestSupport"),
        .testTarget(name: "UpwindTestSupportTests", dependencies: ["UpwindTestSupport"]),
        .testTarget(name: "NetCDFKitTests", dependencies: ["NetCDFKit", "UpwindTestSupport"]),
        .testTarget(name: "UpwindCoreTests", dependencies: ["UpwindCore", "UpwindTestSupport"]),
        .testTarget(name: "UpwindMeteoTests", dependencies: ["UpwindMeteo", "NetCDFKit", "UpwindTestSupport"]),
        .testTarget(name: "UpwindFormatsTests", dependencies: ["UpwindFormats", "UpwindTestSupport"]),
        .testTarget(name: "UpwindEngineTests", dependencies: ["UpwindCore", "UpwindMeteo", "NetCDFKit", "UpwindTestSupport"]),
        .testTarget(name: "UpwindCLITests", dependencies: ["UpwindCLI", "Upwind", "UpwindTestSupport"]),
        .testTarget(name: "UpwindWorkflowsTests", dependencies: ["Upwind", "UpwindTestSupport"]),
        .testTarget(name: "UpwindAttributionTests", dependencies: ["UpwindAttribution", "UpwindTestSupport"]),
        // Over real sockets: the tests start the server on a free loopback port and call it with URLSession
        // (no HummingbirdTesting: its client costs minutes of CI build).
        .testTarget(name: "UpwindServerTests", dependencies: ["UpwindServer", "Upwind", "UpwindTestSupport",
                                                             .product(name: "Hummingbird", package: "hummingbird"),
                                                             .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]),
        .testTarget(name: "UpwindReportTests", dependencies: ["UpwindReport", "UpwindFormats", "UpwindCore", "UpwindTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
