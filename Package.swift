// swift-tools-version:6.1
import PackageDescription

let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let libraryTargets = [
  "TreasuryModel", "TreasuryZlib", "TreasuryInput", "TreasuryXML", "TreasuryLedger", "TreasuryPartition",
  "TreasuryRender", "TreasuryOutput", "TreasuryArchive", "TreasuryJob", "TreasuryValidate", "TreasuryHTTP",
  "TreasuryFetch", "TreasuryStorage", "TreasuryPublish", "TreasuryRun", "TreasuryMerge",
]

let package = Package(
  name: "treasury-report",
  platforms: [.macOS(.v15)],
  products: [
    // A library user imports TreasuryJob (the statements run) and the other public targets it needs.
    .library(
      name: "TreasuryReport",
      targets: [
        "TreasuryModel", "TreasuryOutput", "TreasuryJob", "TreasuryArchive", "TreasuryValidate", "TreasuryFetch",
        // FetchOptions.retry is a TreasuryHTTP.RetryPolicy.
        "TreasuryHTTP", "TreasuryPublish", "TreasuryMerge",
      ]),
    .executable(name: "treasury-report", targets: ["treasury-report"]),
    .executable(name: "treasury-gen", targets: ["treasury-gen"]),
    .executable(name: "treasury-bench", targets: ["treasury-bench"]),
  ],
  // Every dependency exact: the tool promises byte-identical outputs, and Package.resolved is not committed, so a
  // version range would let two builds of one commit differ (the golden files catch what a new version changes).
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
    // Exact: `run --config` reports YAML errors by line, as this version marks its nodes.
    .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
  ],
  targets: [
    // zlib: only TreasuryZlib depends on it (Makefile `lint` checks every target's imports: Tests/lint/layers.py).
    .systemLibrary(
      name: "CZlib",
      pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]
    ),
    // libdeflate (Debian libdeflate-dev): only TreasuryZlib depends on it. No pkgConfig: its `-ldeflate` would link the
    // shared library, where TreasuryZlib links the static one in (linkerSettings below).
    .systemLibrary(
      name: "CLibDeflate",
      providers: [.apt(["libdeflate-dev"])]
    ),
    // libxml2: only TreasuryXML depends on it.
    .systemLibrary(
      name: "CLibXML2",
      pkgConfig: "libxml-2.0",
      providers: [.apt(["libxml2-dev"])]
    ),
    // The official camt.053 XSDs (schemas/, unchanged copies), embedded at compile time (C23 #embed); only
    // TreasuryValidate depends on it.
    .target(name: "CCamtSchemas", exclude: ["schemas"]),
    // Compiles templates/ (CSV profiles, the HTML statement) into TreasuryJob on every build.
    .executableTarget(name: "treasury-embed-templates"),
    .plugin(
      name: "EmbedTemplates",
      capability: .buildTool(),
      dependencies: ["treasury-embed-templates"],
      path: "Sources/EmbedTemplates"
    ),
    // The layers, lowest first; README's Development section draws this graph.
    .target(name: "TreasuryModel"),
    // libdeflate.a is linked in (`-l:libdeflate.a`), so the installed binary needs no libdeflate package to run.
    .target(
      name: "TreasuryZlib", dependencies: ["CZlib", "CLibDeflate"],
      linkerSettings: [
        .linkedLibrary(":libdeflate.a", .when(platforms: [.linux])),
        .linkedLibrary("deflate", .when(platforms: [.macOS])),
      ]),
    .target(name: "TreasuryInput", dependencies: ["TreasuryModel", "TreasuryZlib", crypto]),
    .target(name: "TreasuryXML", dependencies: ["CLibXML2", "TreasuryModel", "TreasuryInput"]),
    .target(name: "TreasuryLedger", dependencies: ["TreasuryModel"]),
    .target(name: "TreasuryPartition", dependencies: ["TreasuryModel", "TreasuryLedger"]),
    .target(
      name: "TreasuryRender",
      dependencies: [
        "TreasuryModel", "TreasuryLedger", "TreasuryXML", crypto,
        .product(name: "Mustache", package: "swift-mustache"),
      ]
    ),
    .target(name: "TreasuryOutput", dependencies: ["TreasuryModel", "TreasuryZlib", "TreasuryInput", crypto]),
    .target(
      name: "TreasuryArchive",
      dependencies: [
        "TreasuryModel", "TreasuryZlib", "TreasuryInput", "TreasuryLedger", "TreasuryRender", "TreasuryOutput", crypto,
      ]
    ),
    .target(
      name: "TreasuryJob",
      dependencies: [
        "TreasuryModel", "TreasuryInput", "TreasuryLedger", "TreasuryPartition", "TreasuryRender", "TreasuryOutput",
        "TreasuryArchive",
      ],
      plugins: ["EmbedTemplates"]
    ),
    .target(name: "TreasuryValidate", dependencies: ["CCamtSchemas", "TreasuryModel", "TreasuryInput", "TreasuryXML"]),
    .target(name: "TreasuryHTTP"),
    .target(name: "TreasuryFetch", dependencies: ["TreasuryModel", "TreasuryInput", "TreasuryOutput", "TreasuryHTTP"]),
    .target(
      name: "TreasuryStorage", dependencies: ["TreasuryModel", "TreasuryInput", "TreasuryXML", "TreasuryHTTP", crypto]),
    .target(
      name: "TreasuryPublish",
      dependencies: ["TreasuryModel", "TreasuryOutput", "TreasuryArchive", "TreasuryStorage", crypto]
    ),
    .target(
      name: "TreasuryMerge",
      dependencies: [
        "TreasuryModel", "TreasuryInput", "TreasuryLedger", "TreasuryRender", "TreasuryOutput", "TreasuryArchive",
        "TreasuryJob", "TreasuryPublish", crypto,
      ]
    ),
    .target(
      name: "TreasuryRun",
      dependencies: [
        "TreasuryModel", "TreasuryInput", "TreasuryOutput", "TreasuryArchive", "TreasuryJob", "TreasuryFetch",
        "TreasuryStorage", "TreasuryPublish", crypto, .product(name: "Yams", package: "Yams"),
      ]
    ),
    .executableTarget(
      name: "treasury-report",
      dependencies: [
        "TreasuryModel", "TreasuryOutput", "TreasuryJob", "TreasuryArchive", "TreasuryValidate", "TreasuryFetch",
        "TreasuryPublish", "TreasuryRun", "TreasuryMerge",
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
        "TreasuryModel", "TreasuryOutput", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      exclude: ["duckdb-summary.py"]
    ),
    .testTarget(
      name: "TreasuryReportTests",
      dependencies: libraryTargets.map { .target(name: $0) } + [crypto, .product(name: "Yams", package: "Yams")],
      // Golden outputs are compared from the source tree, so that UPDATE_GOLDEN=1 can rewrite them.
      exclude: ["Golden"],
      resources: [.copy("Fixtures")]
    ),
  ]
)
