// swift-tools-version:6.1
// Release-build benchmarks for Upwind. A nested package so that `make test` never
// builds the benchmark dependencies. Run: cd Benchmarks && swift package benchmark
import PackageDescription

let package = Package(
    name: "UpwindBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Upwind", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "MetDecode",
            dependencies: [
                .product(name: "Upwind", package: "Upwind"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/MetDecode",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Trajectories",
            dependencies: [
                .product(name: "Upwind", package: "Upwind"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Trajectories",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Season",
            dependencies: [
                .product(name: "Upwind", package: "Upwind"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Season",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ReceptorGrid",
            dependencies: [
                .product(name: "Upwind", package: "Upwind"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ReceptorGrid",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "FireMatching",
            dependencies: [
                .product(name: "Upwind", package: "Upwind"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/FireMatching",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Regions",
            dependencies: [
                .product(name: "Upwind", package: "Upwind"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Regions",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Clustering",
            dependencies: [
                .product(name: "Upwind", package: "Upwind"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Clustering",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
