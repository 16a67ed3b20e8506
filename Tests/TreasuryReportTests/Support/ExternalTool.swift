import Foundation

/// The programs some tests run besides the tool: independent readers, a browser, GNU tar, `/usr/bin/time`.
///
/// A test that needs one is skipped, with the reason, where the program is missing (`.enabled(if:)`), so a
/// plain `swift test` runs everything the machine can. `make test` installs every one of them and sets
/// `TREASURY_REPORT_REQUIRE_TOOLS=1`: then nothing is skipped, and a missing program fails its test.
enum ExternalTool {
  /// Set by `make test` (and so by CI).
  static let required = ProcessInfo.processInfo.environment["TREASURY_REPORT_REQUIRE_TOOLS"] == "1"

  /// The Python with ofxtools, bai2, botocore and moto that `make test-venv` installs.
  static let venvPython = TestSupport.root.appendingPathComponent(".build/test-venv/bin/python").path
  static let python3 = "/usr/bin/python3"
  static let xmllint = "/usr/bin/xmllint"
  static let ofxdump = "/usr/bin/ofxdump"
  static let tar = "/usr/bin/tar"
  static let gzip = "/bin/gzip"
  static let pigz = "/usr/bin/pigz"
  static let time = "/usr/bin/time"
  static let chromium = "/usr/bin/chromium-headless-shell"
  static let pdftotext = "/usr/bin/pdftotext"
  static let pdfinfo = "/usr/bin/pdfinfo"

  /// True when every program in `paths` can run, or when `make test` requires them (a missing one then fails).
  static func available(_ paths: String...) -> Bool {
    required || paths.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// The export readers of `Tests/reference/exports.py`: the test venv (ofxtools, bai2) and libofx's ofxdump.
  static var exportReaders: Bool { available(venvPython, ofxdump) }
}
