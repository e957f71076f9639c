// swift-tools-version:6.0
// libFuzzer harnesses for Upwind's readers (issue 13). A nested package, never built by
// `swift build` or `make test` of the root package: build and run with scripts/fuzz.sh
// (swift build -Xswiftc -sanitize=fuzzer,address; Linux toolchains ship libFuzzer).
// The crash-regression corpus is replayed by the root package's FuzzReplayTests.
import PackageDescription

let readers = ["arl", "tdump", "control", "setup", "starts", "observations", "firms", "runplan", "netcdf", "netcdf4"]

let package = Package(
    name: "UpwindFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Upwind", path: "..")],
    targets: [
        // The entries shared with the replay test (a symbolic link to Tests/UpwindWorkflowsTests/FuzzEntries.swift).
        .target(name: "FuzzEntries", dependencies: [.product(name: "Upwind", package: "Upwind")]),
        // The declaration of libFuzzer's driver, which each harness's main calls.
        .target(name: "CFuzzerDriver"),
    ] + readers.map { reader in
        .executableTarget(name: "fuzz-\(reader)", dependencies: ["FuzzEntries", "CFuzzerDriver", .product(name: "Upwind", package: "Upwind")], path: "Sources/fuzz-\(reader)")
    },
    swiftLanguageModes: [.v6]
)
