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
    ] + readers.map { reader in
        // libFuzzer supplies `main`: the harness is parsed as a library.
        .executableTarget(name: "fuzz-\(reader)", dependencies: ["FuzzEntries"], path: "Sources/fuzz-\(reader)",
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    },
    swiftLanguageModes: [.v6]
)
