// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "treasury-report",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "TreasuryReport", targets: ["TreasuryReport"]),
    .executable(name: "treasury-report", targets: ["treasury-report"]),
    .executable(name: "treasury-gen", targets: ["treasury-gen"]),
    .executable(name: "treasury-bench", targets: ["treasury-bench"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    // Exact: the golden HTML statement is compared byte for byte with what this version renders.
    .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
  ],
  targets: [
    // zlib, imported by exactly one Swift file (TreasuryReport/Zlib/Zlib.swift).
    .systemLibrary(
      name: "CZlib",
      pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]
    ),
    // libxml2, imported by exactly one Swift file (TreasuryReport/XML/LibXML2.swift).
    .systemLibrary(
      name: "CLibXML2",
      pkgConfig: "libxml-2.0",
      providers: [.apt(["libxml2-dev"])]
    ),
    // The official camt.053 XSDs (schemas/, unchanged copies), embedded at compile time (C23 #embed).
    .target(name: "CCamtSchemas", exclude: ["schemas"]),
    // Compiles templates/ (CSV profiles, the HTML statement) into TreasuryReport on every build.
    .executableTarget(name: "treasury-embed-templates"),
    .plugin(
      name: "EmbedTemplates",
      capability: .buildTool(),
      dependencies: ["treasury-embed-templates"],
      path: "Sources/EmbedTemplates"
    ),
    .target(
      name: "TreasuryReport",
      dependencies: [
        "CZlib",
        "CLibXML2",
        "CCamtSchemas",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Mustache", package: "swift-mustache"),
      ],
      plugins: ["EmbedTemplates"]
    ),
    .executableTarget(
      name: "treasury-report",
      dependencies: [
        "TreasuryReport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "treasury-gen",
      dependencies: [
        .product(name: "ArgumentParser", package: "swift-argument-parser")
      ]
    ),
    // The benchmark behind `make bench` (treasury-report against DuckDB).
    .executableTarget(
      name: "treasury-bench",
      dependencies: [
        .product(name: "ArgumentParser", package: "swift-argument-parser")
      ],
      exclude: ["duckdb-summary.py"]
    ),
    .testTarget(
      name: "TreasuryReportTests",
      dependencies: ["TreasuryReport"],
      // Golden outputs are compared from the source tree, so that UPDATE_GOLDEN=1 can rewrite them.
      exclude: ["Golden"],
      resources: [.copy("Fixtures")]
    ),
  ]
)
