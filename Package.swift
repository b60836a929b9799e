// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "maxhub",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "maxhub", targets: ["maxhub"]),
        .library(name: "MaxhubJSON", targets: ["MaxhubJSON"]),
        .library(name: "MaxhubCore", targets: ["MaxhubCore"]),
        .library(name: "MaxhubArchive", targets: ["MaxhubArchive"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/JohnSundell/Ink", exact: "0.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "MaxhubJSON",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "MaxhubCore",
            dependencies: [
                "MaxhubJSON",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        .target(
            name: "MaxhubArchive",
            dependencies: ["MaxhubCore", "MaxhubJSON", "CArchive"]
        ),
        .target(
            name: "MaxhubStore",
            dependencies: [
                "MaxhubCore",
                "MaxhubJSON",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .target(name: "CMemory"),
        .target(name: "CProcess"),
        .target(
            name: "MaxhubServer",
            dependencies: [
                "CMemory",
                "MaxhubCore",
                "MaxhubJSON",
                "MaxhubArchive",
                "MaxhubStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Ink", package: "Ink"),
            ],
        ),
        .target(
            name: "MaxhubClient",
            dependencies: [
                "CProcess",
                "MaxhubCore",
                "MaxhubJSON",
                "MaxhubArchive",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "MaxhubCLI",
            dependencies: [
                "MaxhubCore",
                "MaxhubArchive",
                "MaxhubStore",
                "MaxhubServer",
                "MaxhubClient",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "maxhub",
            dependencies: ["MaxhubCLI"]
        ),
        .target(
            name: "MaxhubTestSupport",
            dependencies: ["MaxhubCore", "MaxhubJSON", "MaxhubArchive", "CArchive"],
            path: "Tests/MaxhubTestSupport"
        ),
        // The fuzz targets (Fuzz/, scripts/fuzz.sh). A plain build makes each a replayer that runs files through the
        // same checks; built with -sanitize=fuzzer,address and -D MAXHUB_FUZZ, each is a libFuzzer binary.
        .target(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"], path: "Fuzz/FuzzSupport"),
        .executableTarget(name: "ManifestYAMLFuzz", dependencies: ["FuzzSupport", "MaxhubCore"], path: "Fuzz/ManifestYAMLFuzz"),
        .executableTarget(
            name: "ManifestJSONFuzz", dependencies: ["FuzzSupport", "MaxhubCore", "MaxhubJSON"], path: "Fuzz/ManifestJSONFuzz"),
        .executableTarget(name: "VersionRangeFuzz", dependencies: ["FuzzSupport", "MaxhubCore"], path: "Fuzz/VersionRangeFuzz"),
        .executableTarget(name: "SPDXExpressionFuzz", dependencies: ["FuzzSupport", "MaxhubCore"], path: "Fuzz/SPDXExpressionFuzz"),
        .executableTarget(name: "HTTPRangeFuzz", dependencies: ["FuzzSupport", "MaxhubCore"], path: "Fuzz/HTTPRangeFuzz"),
        .executableTarget(name: "ArchiveEntryFuzz", dependencies: ["FuzzSupport", "MaxhubArchive"], path: "Fuzz/ArchiveEntryFuzz"),
        .testTarget(
            name: "MaxhubJSONTests",
            dependencies: ["MaxhubJSON", "MaxhubTestSupport"]
        ),
        .testTarget(
            name: "MaxhubCoreTests",
            dependencies: ["MaxhubCore", "MaxhubJSON", "MaxhubTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MaxhubArchiveTests",
            dependencies: ["MaxhubArchive", "MaxhubCore", "MaxhubTestSupport"]
        ),
        .testTarget(
            name: "MaxhubStoreTests",
            dependencies: [
                "MaxhubStore", "MaxhubCore", "MaxhubJSON", "MaxhubTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "MaxhubServerTests",
            dependencies: [
                "MaxhubServer", "MaxhubStore", "MaxhubCore", "MaxhubJSON", "MaxhubTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "MaxhubClientTests",
            dependencies: [
                "MaxhubArchive", "MaxhubClient", "MaxhubCore", "MaxhubServer", "MaxhubStore", "MaxhubTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "MaxhubCLITests",
            dependencies: ["MaxhubCore", "MaxhubJSON", "MaxhubTestSupport"]
        ),
    ]
)
