import Foundation
import Testing

/// `run` with `source: {api: …}`: the existing fetch (against the local Stripe test server), then the statements.
@Suite struct RunAPISourceTests {
  @Test func fetchesThenPublishesAndARerunFetchesIncrementally() throws {
    let folder = TestSupport.TemporaryFolder()
    let server = try StripeTestServer(data: try TestSupport.smallFetchSource(in: folder), log: folder.file("api.log"))
    folder.write(
      "run.yaml",
      """
      source: {api: {platform: true, all_accounts: true, dumps: dumps, api_base: "\(server.base)"}}
      storage: {url: target}
      work_folder: work
      """)
    var environment = ProcessInfo.processInfo.environment
    environment["STRIPE_API_KEY"] = StripeTestServer.key
    func run() throws -> TestSupport.Run {
      // As of far after the generated month: every period with data is final.
      try TestSupport.run(
        "treasury-report",
        [
          "run", "--config", folder.file("run.yaml"), "--as-of", "2030-01-01T00:00:00Z", "--report-json",
          folder.file("report.json"),
        ],
        cwd: folder.path, environment: environment)
    }
    let first = try run()
    #expect(first.status == 0, "\(first.stderr)")
    #expect(!TestSupport.dumpFiles(folder.file("dumps")).isEmpty)
    let report =
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("report.json"))))
      as? [String: Any]
    let fetched = (report?["fetched"] as? [String]) ?? []
    #expect(fetched.first?.hasPrefix("fetched ") == true, "\(fetched)")
    let published = (report?["published"] as? [String]) ?? []
    #expect(!published.isEmpty)
    #expect(TestSupport.tree(folder.file("target")).keys.contains { $0.hasSuffix("/v1/statement.json") })
    #expect(!first.stderr.contains(StripeTestServer.key))

    let requests = server.requests.count
    let again = try run()
    #expect(again.status == 0, "\(again.stderr)")
    let second =
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("report.json"))))
      as? [String: Any]
    #expect((second?["published"] as? [String]) == [])
    #expect(second?["unchanged"] as? Int == published.count)
    // It fetched again (incrementally), not nothing.
    #expect(server.requests.count > requests)
  }

  @Test func withoutAKeyItSaysWhereTheKeyComesFrom() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write(
      "run.yaml", "source: {api: {platform: true, dumps: dumps}}\nstorage: {url: target}\nwork_folder: work\n")
    var environment = ProcessInfo.processInfo.environment
    environment.removeValue(forKey: "STRIPE_API_KEY")
    let result = try TestSupport.run(
      "treasury-report", ["run", "--config", folder.file("run.yaml")], cwd: folder.path, environment: environment)
    #expect(result.status == 1)
    #expect(result.stderr.contains("source.api needs the API key in STRIPE_API_KEY"))
    #expect(!FileManager.default.fileExists(atPath: folder.file("target/lock.json")))
  }
}
