import Foundation
import Testing

/// `run` into S3 (moto's server, signatures checked): publish, an identical rerun, a restatement, the lock.
@Suite struct RunS3Tests {
  @Test func publishesRerunsAndRestatesInABucket() throws {
    let server = try #require(S3TestServer.shared, "moto's S3 server did not start: run `make test-venv`")
    let prefix = "run-" + UUID().uuidString.prefix(8).lowercased()
    let setup = try RunEndToEndTests.Setup(
      storage:
        "{url: \"s3://\(S3TestServer.bucket)/\(prefix)\", endpoint: \"\(server.endpoint)\", region: \"\(server.region)\", path_style: true}"
    )
    func keys() throws -> [String] {
      try server.boto3(
        """
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=sys.argv[1], Prefix=sys.argv[2] + "/")
        for page in pages:
            for o in page.get("Contents", []):
                print(o["Key"][len(sys.argv[2]) + 1:])
        """, [S3TestServer.bucket, prefix]
      ).split(separator: "\n").map(String.init)
    }
    func object(_ key: String) throws -> String {
      try server.boto3(
        "sys.stdout.write(s3.get_object(Bucket=sys.argv[1], Key=sys.argv[2])['Body'].read().decode())",
        [S3TestServer.bucket, prefix + "/" + key])
    }

    let first = try setup.run(environment: server.environment)
    #expect(first.status == 0, "\(first.stderr)")
    let stored = try keys()
    #expect(stored.filter { $0.hasSuffix("/statement.json") }.count == 6)
    #expect(stored.filter { $0.hasSuffix("/statement.tar.gz") }.count == 6)
    #expect(stored.contains("index.jsonl"))
    #expect(stored.filter { $0.hasPrefix("runs/") }.count == 1)
    #expect(!stored.contains("lock.json"))
    #expect(!stored.contains { $0.hasPrefix("2026-03/") })
    // Secrets never reach the record or the index.
    for key in stored where key.hasSuffix(".json") || key.hasSuffix(".jsonl") {
      #expect(!(try object(key)).contains(server.secretAccessKey))
    }

    let index = try object("index.jsonl")
    let again = try setup.run(environment: server.environment)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(try object("index.jsonl") == index)
    #expect(try keys().filter { !$0.hasPrefix("runs/") } == stored.filter { !$0.hasPrefix("runs/") })

    setup.addLaterData()
    let later = try setup.run(environment: server.environment)
    #expect(later.status == 6, "\(later.stderr)")
    let restatement = try object("2026-02/fa_1NorthwindOps000001/usd/v2/restatement.csv")
    #expect(restatement.contains("booked_line_added,trxn_1NwLateFebCredit01"))
    let lines = try object("index.jsonl")
    #expect(lines.hasPrefix(index))
    #expect(lines.contains("\"restated_by\":2"))
    #expect(!(try keys()).contains("lock.json"))
  }
}
