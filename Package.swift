// swift-tools-version:6.0
import PackageDescription

// Module graph (one direction only, see README "Layout"):
//   valkite-server → Server → Commands → (Keyspace, RESP)
// Release builds skip Swift's run-time exclusivity checks: they showed up as
// ~2-3% of the event loop's profile (swift_beginAccess) on the request path.
let releaseSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "Valkite",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "valkite-server", targets: ["valkite-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        .target(name: "CPrefetch"),
        .target(name: "CNumbers"),
        .target(name: "Keyspace", dependencies: [
            "CPrefetch",
            .product(name: "DequeModule", package: "swift-collections"),
        ], swiftSettings: releaseSettings),
        .target(name: "RESP", dependencies: [
            .product(name: "NIOCore", package: "swift-nio"),
        ], swiftSettings: releaseSettings),
        .target(name: "Commands", dependencies: [
            "CNumbers", "Keyspace", "RESP",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "DequeModule", package: "swift-collections"),
        ], swiftSettings: releaseSettings),
        .target(name: "Server", dependencies: [
            "Commands", "Keyspace", "RESP",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "DequeModule", package: "swift-collections"),
        ], swiftSettings: releaseSettings),
        .executableTarget(name: "valkite-server", dependencies: [
            "Server", "Commands", "Storage", "Keyspace",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "Storage", dependencies: ["CSQLite", "Keyspace"], swiftSettings: releaseSettings),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Keyspace"]),
        .testTarget(name: "RESPTests", dependencies: ["RESP"]),
        .testTarget(name: "KeyspaceTests", dependencies: ["Keyspace"]),
        .testTarget(name: "CommandsTests", dependencies: ["Commands", "Keyspace", "RESP"]),
    ],
    swiftLanguageModes: [.v5]
)
