import Foundation
import Testing

@testable import TreasuryPublish

/// Where each file of an output folder is published, and what verify reads back from a run folder's name.
struct PublishLayoutTests {
  static let sha = "3f9a2c1d4e5b6a70" + String(repeating: "0", count: 48)

  @Test func periodsKeepTheirPathsArchivesSitBesideThemAndRunFilesGoUnderRuns() {
    let outputs = [
      "2026-01/fa_1/transactions.csv", "2026-03/fa_1/entries.csv.gz", "2026-03/statements.bai2",
      "archive/2026-01.tar.gz", "archive/2026-03.tar.gz", "summary.csv", "accounts.csv.gz", "rejects.jsonl",
    ]
    let layout = PublishLayout(manifestSHA256: Self.sha, outputs: outputs)
    #expect(layout.runName == "2026-01_2026-03_3f9a2c1d4e5b6a70")
    #expect(
      outputs.map(layout.key(for:)) == [
        "2026-01/fa_1/transactions.csv", "2026-03/fa_1/entries.csv.gz", "2026-03/statements.bai2",
        "2026-01/2026-01.tar.gz", "2026-03/2026-03.tar.gz", "runs/2026-01_2026-03_3f9a2c1d4e5b6a70/summary.csv",
        "runs/2026-01_2026-03_3f9a2c1d4e5b6a70/accounts.csv.gz", "runs/2026-01_2026-03_3f9a2c1d4e5b6a70/rejects.jsonl",
      ])
    #expect(layout.manifestKey == "runs/2026-01_2026-03_3f9a2c1d4e5b6a70/manifest.json")
    #expect(layout.problem(outputs) == nil)
  }

  @Test func aRunNameSaysWhichPeriodsItHolds() {
    #expect(
      PublishLayout(manifestSHA256: Self.sha, outputs: ["2026-W11/fa_1/entries.csv", "summary.csv"]).runName
        == "2026-W11_3f9a2c1d4e5b6a70")
    // --format summary writes no period folder.
    #expect(PublishLayout(manifestSHA256: Self.sha, outputs: ["summary.csv"]).runName == "3f9a2c1d4e5b6a70")
    // Another manifest (one byte differs) is another run, whatever the periods.
    let other = "3f9a2c1d4e5b6a71" + String(repeating: "0", count: 48)
    #expect(
      PublishLayout(manifestSHA256: other, outputs: ["summary.csv"]).runName
        != PublishLayout(manifestSHA256: Self.sha, outputs: ["summary.csv"]).runName)
  }

  @Test func pathsThatWouldLandAmongTheRunRecordsOrCollideAreRefused() {
    let layout = PublishLayout(manifestSHA256: Self.sha, outputs: [])
    #expect(layout.problem(["runs/x/summary.csv"])?.contains("cannot be named 'runs'") == true)
    #expect(layout.problem(["archive/runs.tar.gz"])?.contains("cannot be named 'runs'") == true)
    #expect(layout.problem(["2026-01/2026-01.tar.gz", "archive/2026-01.tar.gz"])?.contains("both") == true)
  }

  @Test func contentTypesFollowTheNames() {
    #expect(PlannedObject.contentType(of: "2026-03/2026-03.tar.gz") == "application/gzip")
    #expect(PlannedObject.contentType(of: "2026-03/fa_1/entries.csv.gz") == "application/gzip")
    #expect(PlannedObject.contentType(of: "runs/x/summary.csv") == "text/csv; charset=utf-8")
    #expect(PlannedObject.contentType(of: "runs/x/manifest.json") == "application/json")
    #expect(PlannedObject.contentType(of: "2026-03/fa_1/statement.camt053.xml") == "application/xml")
    #expect(PlannedObject.contentType(of: "2026-03/fa_1/statement.html") == "text/html; charset=utf-8")
    #expect(PlannedObject.contentType(of: "2026-03/statements.bai2") == "text/plain; charset=us-ascii")
    #expect(PlannedObject.contentType(of: "runs/x.y/README") == "application/octet-stream")
  }

  @Test func storedPathsInFindingsBecomeObjectURLs() {
    let map = LocationMap(
      folder: "/tmp/v/run-0",
      names: [
        "archive/2026-03.tar.gz": "s3://b/p/2026-03/2026-03.tar.gz",
        "2026-03/fa_1/transactions.csv": "s3://b/p/2026-03/fa_1/transactions.csv",
      ], runFolder: "s3://b/p/runs/r")
    #expect(
      map.display("/tmp/v/run-0/archive/2026-03.tar.gz(2026-03/fa_1/transactions.csv)")
        == "s3://b/p/2026-03/2026-03.tar.gz(2026-03/fa_1/transactions.csv)")
    #expect(
      map.display("differs from /tmp/v/run-0/2026-03/fa_1/transactions.csv (sha256 ab)")
        == "differs from s3://b/p/2026-03/fa_1/transactions.csv (sha256 ab)")
    #expect(map.display("/tmp/v/run-0") == "s3://b/p/runs/r")
    #expect(map.display("no path here") == "no path here")
  }

  @Test func retentionYearsCountFromNowAndUntilIsMidnightUTC() throws {
    var options = PublishOptions(source: "out", destination: "s3://b/p")
    options.retainYears = 7
    options.lockMode = .compliance
    // 2024-02-29T10:00:00Z + 7 years: 2031-02-28T10:00:00Z.
    let leap = Date(timeIntervalSince1970: 1_709_200_800)
    #expect(options.retainUntilDate(today: leap) == Date(timeIntervalSince1970: 1_930_039_200))
    options.retainYears = nil
    options.retainUntil = try #require(.init(iso: "2040-01-01"))
    #expect(options.retainUntilDate(today: leap) == Date(timeIntervalSince1970: 2_208_988_800))
    #expect(options.problem == nil)
  }
}
