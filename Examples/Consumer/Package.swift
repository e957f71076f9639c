// swift-tools-version:6.0
// A separate package that depends on Upwind by path, as a user's would: `make test` builds it
// and runs its programs from the repository root (see scripts/check-consumer.sh).
import PackageDescription

let package = Package(
    name: "UpwindConsumer",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Upwind", path: "../..")],
    targets: [
        // The README's library example, verbatim (a test checks the two are the same).
        .executableTarget(name: "ReadmeExample", dependencies: [.product(name: "Upwind", package: "Upwind")]),
        // Opening met, running plans and streams, writing to memory and files, errors: the
        // library as a service would use it.
        .executableTarget(name: "Consumer", dependencies: [.product(name: "Upwind", package: "Upwind")]),
    ],
    swiftLanguageModes: [.v6]
)
