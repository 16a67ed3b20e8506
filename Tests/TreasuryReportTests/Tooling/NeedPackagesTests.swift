import Foundation
import Testing

/// `Tests/install/need-packages.sh`, which `make deps` and `make test-deps` run: where it cannot install (not root, no
/// apt-get) it names the missing packages and the command to install them, instead of failing inside apt-get.
@Suite struct NeedPackagesTests {
  static let script = TestSupport.root.appendingPathComponent("Tests/install/need-packages.sh").path
  /// A package that is installed wherever the script can run (dpkg itself), and one that exists nowhere.
  static let present = "dpkg"
  static let missing = "treasury-report-test-no-such-package"

  /// A folder of links to the programs the script needs, without apt-get: a PATH on which apt-get is missing.
  static func pathWithoutAptGet() throws -> TestSupport.TemporaryFolder {
    let folder = TestSupport.TemporaryFolder()
    for tool in ["sh", "dpkg-query", "id"] {
      let found = ["/usr/bin/" + tool, "/bin/" + tool].first { FileManager.default.isExecutableFile(atPath: $0) }
      try FileManager.default.createSymbolicLink(atPath: folder.file(tool), withDestinationPath: try #require(found))
    }
    return folder
  }

  @Test(.enabled(if: ExternalTool.available("/usr/bin/dpkg-query")))
  func withoutAptGetTheMissingPackagesAndTheCommandAreShown() throws {
    let bin = try Self.pathWithoutAptGet()
    let run = try TestSupport.run(
      "/bin/sh", [Self.script, Self.present, Self.missing], environment: ["PATH": bin.path])
    #expect(run.status == 1)
    let reason = getuid() == 0 ? "apt-get is not on PATH" : "not running as root"
    #expect(
      run.stderr.hasPrefix(
        "error: missing Debian packages: \(Self.missing)\nerror: \(reason), so they were not installed; install them with:\n"
      ), "\(run.stderr)")
    #expect(run.stderr.contains("apt-get install -y --no-install-recommends \(Self.missing)"), "\(run.stderr)")
  }

  /// Not root (as root, the test runs the script as `nobody`): it never calls apt-get, and says to use sudo.
  @Test(.enabled(if: ExternalTool.available("/usr/bin/dpkg-query", "/usr/bin/setpriv")))
  func notRootTheMissingPackagesAndSudoAreShown() throws {
    let arguments = [Self.script, Self.present, Self.missing]
    let run =
      getuid() == 0
      ? try TestSupport.run(
        "/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "/bin/sh"] + arguments)
      : try TestSupport.run("/bin/sh", arguments)
    #expect(run.status == 1)
    #expect(
      run.stderr
        == "error: missing Debian packages: \(Self.missing)\nerror: not running as root, so they were not installed; install them with:\n  sudo apt-get install -y --no-install-recommends \(Self.missing)\n",
      "\(run.stderr)")
  }

  /// Nothing missing: silent success, whoever runs it and whatever is on PATH.
  @Test(.enabled(if: ExternalTool.available("/usr/bin/dpkg-query")))
  func nothingMissingIsSilent() throws {
    let bin = try Self.pathWithoutAptGet()
    let run = try TestSupport.run("/bin/sh", [Self.script, Self.present], environment: ["PATH": bin.path])
    #expect(run.status == 0)
    #expect(run.stdout.isEmpty && run.stderr.isEmpty, "\(run.stdout)\(run.stderr)")
  }
}
