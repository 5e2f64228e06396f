// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Nightjar",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "nightjar", targets: ["nightjar"]),
        .executable(name: "nightjar-supervise", targets: ["nightjar-supervise"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    ],
    targets: [
        // The command line: argument parsing and printing only.
        .executableTarget(
            name: "nightjar",
            dependencies: [
                "OperatorFiles", "JobNets", "Calendars", "Store", "Scheduler", "Executors", "Forms", "Records", "Render", "Spool", "Printing",
                "Operations", "Accounts", "Web", "Slurm", "CSystemState",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // One small process per job attempt. Linked statically and without Foundation so that it
        // starts in under a millisecond: it is exec'd once for every job Nightjar runs.
        .executableTarget(
            name: "nightjar-supervise",
            linkerSettings: [.unsafeFlags(["-static-executable"])]
        ),
        .systemLibrary(name: "CHarfBuzz", pkgConfig: "harfbuzz-subset", providers: [.apt(["libharfbuzz-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // statfs and adjtimex for `nightjar doctor` (issue 16): headers only, in glibc.
        .systemLibrary(name: "CSystemState"),
        .systemLibrary(name: "CDeflate", providers: [.apt(["libdeflate-dev"])]),
        .target(name: "Calendars"),
        .target(name: "Typesetting", dependencies: ["CHarfBuzz"]),
        .target(name: "PDF", dependencies: ["CZlib", "CDeflate", "CHarfBuzz", "Typesetting"]),
        .systemLibrary(name: "CZint", providers: [.apt(["libzint-dev"])]),
        .systemLibrary(name: "CDmtx", providers: [.apt(["libdmtx-dev"])]),
        .target(name: "Barcodes", dependencies: ["CZint", "CDmtx"]),
        .target(name: "OperatorFiles", dependencies: ["Yams"]),
        .target(name: "Forms", dependencies: ["OperatorFiles", "Barcodes", "Records", "PDF", "Yams"]),
        // The batch files' formats (manifest.csv, SHA256SUMS, the batch as one tar) and their chunked streaming: one definition for the writers and the readers.
        .target(name: "BatchFiles"),
        // HTTP Range requests as a pure type for the web's downloads; knows no spool and no server.
        .target(name: "Downloads"),
        .target(name: "Records", exclude: ["README-cp932.md", "Generated/generate_cp932_table.py"]),
        .target(name: "Render", dependencies: ["BatchFiles", "OperatorFiles", "Forms", "Barcodes", "PDF", "Typesetting", "Records", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "JobNets", dependencies: ["OperatorFiles", "Calendars", "Yams"]),
        .target(name: "Store", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "Executors"),
        // Slurm's client commands (sbatch, squeue --json, scancel) and its job-completion file, for the slurm executor.
        .target(name: "Slurm", dependencies: ["Executors"]),
        // Batches from render to printed or collected: states, vendor hand-off, retention.
        .target(name: "Spool", dependencies: ["BatchFiles", "Store", "Executors", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")]),
        // Debian's libcups2-dev has no cups.pc: a module map with `link "cups"`.
        .systemLibrary(name: "CCups", providers: [.apt(["libcups2-dev"])]),
        // Printing a batch through libcups as tracked IPP jobs.
        .target(name: "Printing", dependencies: ["CCups", "Spool", "Store", .product(name: "GRDB", package: "GRDB.swift")]),
        // Fuzzing (issue 11): one entry point per parser, a libFuzzer driver, and a seeded pass in the tests.
        .target(name: "FuzzTargets", dependencies: ["JobNets", "OperatorFiles", "Forms", "Records", "Render"]),
        .target(name: "CLibFuzzer"),
        .executableTarget(name: "nightjar-fuzz", dependencies: ["FuzzTargets", "CLibFuzzer"]),
        .target(name: "Scheduler", dependencies: ["JobNets", "OperatorFiles", "Calendars", "Store", "Executors", "Slurm", "CZlib", .product(name: "GRDB", package: "GRDB.swift")]),
        // Operator actions and read models that the CLI and the web both call, with the actor passed in.
        .target(name: "Operations", dependencies: ["Scheduler", "Spool", "Printing", "Store", "JobNets", "Calendars", "Executors",
                                                   "OperatorFiles", .product(name: "GRDB", package: "GRDB.swift")]),
        // Web accounts, sessions and API tokens, with login throttling.
        .target(name: "Accounts", dependencies: ["Store", .product(name: "GRDB", package: "GRDB.swift"),
                                                 .product(name: "Crypto", package: "swift-crypto"),
                                                 .product(name: "HummingbirdBcrypt", package: "hummingbird-auth")]),
        // The web server (issue 13): routes, authentication, pages and the OpenAPI document; no business rules.
        .target(name: "Web", dependencies: [
            "Operations", "Accounts", "Spool", "BatchFiles", "Downloads", "CSystemState",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Crypto", package: "swift-crypto"),
            // Live-update streams end on a graceful shutdown instead of holding the server open.
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "CalendarsTests", dependencies: ["Calendars"]),
        .testTarget(name: "RecordsTests", dependencies: ["Records"]),
        .testTarget(name: "BatchFilesTests", dependencies: ["BatchFiles"]),
        .testTarget(name: "DownloadsTests", dependencies: ["Downloads"]),
        .testTarget(name: "BarcodesTests", dependencies: ["Barcodes"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "Forms", "Records", "OperatorFiles", "Typesetting", "PDF"],
                    exclude: ["decode_barcodes.py", "make_pngs.py"]),
        .testTarget(name: "JobNetsTests", dependencies: ["JobNets", "OperatorFiles"]),
        .testTarget(name: "SchedulerTests", dependencies: ["Scheduler", "JobNets", "Store", "Executors", "LiveHTTP", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "SpoolTests", dependencies: ["Spool", "Printing", "Store", "LiveHTTP", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "FuzzTests", dependencies: ["FuzzTargets", "Forms", "Records", "JobNets", "OperatorFiles"], exclude: ["corpus", "dict"]),
        .testTarget(name: "WebTests", dependencies: ["Web", "Accounts", "Operations", "Scheduler", "Store", "JobNets", "Calendars", "Spool",
                                                   .product(name: "GRDB", package: "GRDB.swift"),
                                                   .product(name: "Hummingbird", package: "hummingbird"),
                                                   .product(name: "HummingbirdTesting", package: "hummingbird")]),
        // A real two-node Slurm (scripts/slurm-up) under the real engine and CLI.
        .testTarget(name: "SlurmTests", dependencies: ["Slurm", "Scheduler", "JobNets", "Store", "Executors", "LiveHTTP", .product(name: "GRDB", package: "GRDB.swift")]),
        // Retention (issue 16): gc on a generated three-year state directory, on an injected clock.
        .testTarget(name: "RetentionTests", dependencies: ["Operations", "Scheduler", "Store", "JobNets", "Calendars", "OperatorFiles", "LiveHTTP",
                                                           .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CLITests", dependencies: ["Store", "LiveHTTP", .product(name: "GRDB", package: "GRDB.swift")]),
        // The real `nightjar serve` process and a socket-level HTTP client, for the tests that start it.
        .target(name: "LiveHTTP", path: "Tests/LiveHTTP", exclude: ["nightjar_browser.py"]),
        // The real `nightjar serve` with curl, sockets and a headless browser (portal_browser.py, selenium).
        .testTarget(name: "PortalTests", dependencies: ["LiveHTTP"], exclude: ["portal_browser.py", "tonight_browser.py"]),
        // The operators' console (Run, Calendar, Spool, Alerts, Audit) on the real `nightjar serve`, and in a browser.
        .testTarget(name: "ConsoleTests", dependencies: ["LiveHTTP"], exclude: ["console_browser.py"]),
    ],
    swiftLanguageModes: [.v6]
)
