// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "maxhub",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "maxhub", targets: ["maxhub"]),
        .library(name: "MaxhubCore", targets: ["MaxhubCore"]),
        .library(name: "MaxhubArchive", targets: ["MaxhubArchive"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(
            name: "MaxhubCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        .target(
            name: "MaxhubArchive",
            dependencies: ["MaxhubCore", "CArchive"]
        ),
        .target(
            name: "MaxhubCLI",
            dependencies: [
                "MaxhubCore",
                "MaxhubArchive",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "maxhub",
            dependencies: ["MaxhubCLI"]
        ),
        .testTarget(
            name: "MaxhubCoreTests",
            dependencies: ["MaxhubCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MaxhubArchiveTests",
            dependencies: ["MaxhubArchive", "MaxhubCore", "CArchive"]
        ),
        .testTarget(
            name: "MaxhubCLITests",
            dependencies: ["MaxhubCLI", "MaxhubCore", "MaxhubArchive", "CArchive"]
        ),
    ]
)
