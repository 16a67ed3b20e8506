import Foundation
import Testing
import TreasuryRun

/// The `run` config file: strict keys and types, every error named by file, line and key path; defaults.
@Suite struct RunConfigTests {
  func error(_ yaml: String) -> String? {
    do {
      _ = try ConfigReader.parse(yaml, file: "/etc/treasury/run.yaml")
      return nil
    } catch {
      return error.message
    }
  }

  @Test func defaultsAreFilledIn() throws {
    let config = try ConfigReader.parse(
      "source: {dumps: [dumps]}\nstorage: {url: \"s3://acme-statements/treasury\"}\n", file: "/etc/treasury/run.yaml")
    #expect(config.source == .dumps(["/etc/treasury/dumps"]))
    #expect(config.timeZone == "UTC")
    #expect(config.interval == .month)
    #expect(config.formats == ["csv"])
    #expect(config.gzipLevel == 6)
    #expect(config.settleWindow == 3 * 86_400)
    #expect(config.lockMaxAge == 6 * 3_600)
    #expect(config.publishProvisional == false)
    #expect(config.workFolder == "/etc/treasury/work")
    #expect(config.storage.url == "s3://acme-statements/treasury")
    #expect(config.yaml.contains("settle_window: 3d\n"))
    #expect(config.yaml.contains("lock_max_age: 6h\n"))
  }

  @Test func everyIssueKeyIsRead() throws {
    let config = try ConfigReader.parse(
      """
      source: {dumps: [/srv/dumps, more]}
      time_zone: America/New_York
      interval: quarter
      formats: [camt053, ofx]
      gzip_level: 9
      storage: {url: "s3://bucket/prefix", endpoint: "http://127.0.0.1:9000", retain_years: 7, lock_mode: compliance}
      settle_window: 36h
      lock_max_age: 90m
      publish_provisional: true
      """, file: "/etc/treasury/run.yaml")
    #expect(config.source == .dumps(["/srv/dumps", "/etc/treasury/more"]))
    #expect(config.timeZone == "America/New_York")
    #expect(config.interval == .quarter)
    // csv is always built: restatements are computed from it.
    #expect(config.formats == ["csv", "camt053", "ofx"])
    #expect(config.gzipLevel == 9)
    #expect(config.storage.endpoint == "http://127.0.0.1:9000")
    #expect(config.storage.retainYears == 7)
    #expect(config.storage.lockMode == "compliance")
    #expect(config.settleWindow == 36 * 3_600)
    #expect(config.lockMaxAge == 90 * 60)
    #expect(config.publishProvisional)
    // The printed config reads back as the same config.
    #expect(try ConfigReader.parse(config.yaml, file: "/etc/treasury/run.yaml") == config)
  }

  @Test func unknownKeyNamesLineAndPath() {
    #expect(
      error("source: {dumps: [d]}\nstorage:\n  url: x\n  retain_yeras: 7\n")
        == "/etc/treasury/run.yaml:4: error: storage.retain_yeras: unknown key; expected one of url, endpoint, region, path_style, retain_years, lock_mode, sse, kms_key_id"
    )
    #expect(
      error("source: {dumps: [d]}\nstorage: {url: x}\ntimezone: UTC\n")?.hasPrefix(
        "/etc/treasury/run.yaml:3: error: timezone: unknown key") == true)
  }

  @Test func wrongTypesNameLineAndPath() {
    #expect(
      error("source: {dumps: [d]}\nstorage:\n  url: x\n  retain_years: seven\n  lock_mode: compliance\n")
        == "/etc/treasury/run.yaml:4: error: storage.retain_years: expected an integer, found \"seven\"")
    #expect(
      error("source: {dumps: [d]}\nstorage: {url: x}\npublish_provisional: maybe\n")
        == "/etc/treasury/run.yaml:3: error: publish_provisional: expected true or false, found \"maybe\"")
    #expect(
      error("source: {dumps: [d]}\nstorage: {url: x}\nformats: csv\n")
        == "/etc/treasury/run.yaml:3: error: formats: expected a list, found \"csv\"")
    #expect(
      error("source: {dumps: [d]}\nstorage: {url: x}\nsettle_window: 3 days\n")
        == "/etc/treasury/run.yaml:3: error: settle_window: expected a duration such as 3d, 36h or 90m, found \"3 days\""
    )
    #expect(
      error("source: {dumps: [d]}\nstorage: [x]\n")?.hasPrefix(
        "/etc/treasury/run.yaml:2: error: storage: expected a mapping") == true)
  }

  @Test func badValuesAndMissingKeys() {
    #expect(error("storage: {url: x}\n")?.contains("error: source: missing") == true)
    #expect(error("source: {dumps: [d]}\n")?.contains("error: storage: missing") == true)
    #expect(
      error("source: {dumps: [d]}\nstorage: {url: x}\ninterval: fortnight\n")?.hasPrefix(
        "/etc/treasury/run.yaml:3: error: interval: expected day") == true)
    #expect(
      error("source: {dumps: [d]}\nstorage: {url: x}\ntime_zone: Mars/Olympus\n")?.contains(
        ":3: error: time_zone: expected an IANA time zone") == true)
    #expect(
      error("source: {dumps: [d]}\nstorage: {url: x}\nformats: [csv, bai2]\n")?.contains(
        ":3: error: formats[1]: expected csv") == true)
    #expect(
      error("source: {dumps: [d]}\nstorage: {url: x}\ngzip_level: 12\n")?.contains(
        ":3: error: gzip_level: expected 0 … 9, found 12") == true)
    #expect(
      error("source: {dumps: [d]}\nstorage: {url: x, retain_years: 7}\n")?.contains(
        "retain_years and lock_mode go together") == true)
    let twice = error("source: {dumps: [d]}\nstorage: {url: x}\nsource: {dumps: [e]}\n")
    // Yams refuses the repeated key itself, naming it (without a line).
    #expect(twice?.hasPrefix("/etc/treasury/run.yaml") == true && twice?.contains("'source'") == true, "\(twice ?? "")")
    #expect(error("source: {dumps: [d]\n")?.hasPrefix("/etc/treasury/run.yaml:") == true)
  }
}
