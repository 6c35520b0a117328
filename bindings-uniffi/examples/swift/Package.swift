// swift-tools-version:5.9
// A package that uses PivotalCore as an app would: by path, nothing else. `PIVOTAL_CORE_PACKAGE`
// names the package (tests/uniffi/run.sh passes the one it assembled); by default the one
// `make dist-swift` writes. Run: swift run Quickstart
import PackageDescription

let pivotalCore = Context.environment["PIVOTAL_CORE_PACKAGE"] ?? "../../../dist/swift/PivotalCore"

let package = Package(
    name: "Quickstart",
    dependencies: [.package(path: pivotalCore)],
    targets: [
        .executableTarget(name: "Quickstart", dependencies: [.product(name: "PivotalCore", package: "PivotalCore")]),
    ]
)
