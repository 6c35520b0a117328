// swift-tools-version:5.9
// The Swift package PivotalCore: the Swift bindings uniffi generates (Sources/PivotalCore), the
// sequences beside them, the C declarations of the library (Sources/PivotalCoreFFI) and the library
// itself (lib/libpivotal_uniffi.so, Linux x86-64). bindings-uniffi/swift/build.sh assembles it from
// this manifest, the built library and its generated bindings (`make dist-swift`: dist/swift/PivotalCore).
// Depend on it by path: `.package(path: "…/PivotalCore")`, product "PivotalCore".
import Foundation
import PackageDescription

let lib = Context.packageDirectory + "/lib"
var targets: [Target] = [
    .systemLibrary(name: "PivotalCoreFFI", path: "Sources/PivotalCoreFFI"),
    .target(
        name: "PivotalCore",
        dependencies: ["PivotalCoreFFI"],
        path: "Sources/PivotalCore",
        linkerSettings: [
            .linkedLibrary("pivotal_uniffi"),
            // The library sits in the package: link it from there and find it there at run time.
            .unsafeFlags(["-L", lib, "-Xlinker", "-rpath", "-Xlinker", lib]),
        ]
    ),
]
// The tests (tests/swift, XCTest) are part of the package the test run assembles, not of dist/.
if FileManager.default.fileExists(atPath: Context.packageDirectory + "/Tests/PivotalCoreTests") {
    targets.append(.testTarget(name: "PivotalCoreTests", dependencies: ["PivotalCore"], path: "Tests/PivotalCoreTests"))
}

let package = Package(
    name: "PivotalCore",
    products: [.library(name: "PivotalCore", targets: ["PivotalCore"])],
    targets: targets
)
