import Foundation
import Testing
import TreasuryRun

/// `deploy/`: the Kubernetes manifests validate against the Kubernetes schemas (kubernetes-validate, offline,
/// strict), the CronJob forbids concurrent runs and takes its secrets and config as the README says, the
/// ConfigMaps' run.yaml are configs `run` accepts, the sharded Jobs agree on N and pass `run` arguments it accepts,
/// the Dockerfile matches the toolchain and installs what the binary links, and the systemd units run daily.
@Suite struct DeployManifestTests {
  static let deploy = TestSupport.root.appendingPathComponent("deploy").path
  static let validator = TestSupport.root.appendingPathComponent(".build/test-venv/bin/kubernetes-validate").path

  func validate(_ files: [String]) throws -> TestSupport.Run {
    try TestSupport.run(Self.validator, ["--strict", "--kubernetes-version", "1.34.0"] + files)
  }

  @Test func manifestsValidateAgainstTheKubernetesSchemas() throws {
    try #require(FileManager.default.fileExists(atPath: Self.validator), "run `make test-venv`")
    let names = [
      "configmap.yaml", "secret.yaml", "cronjob.yaml", "configmap-shards.yaml", "shards-job.yaml", "merge-job.yaml",
    ]
    let result = try validate(names.map { Self.deploy + "/kubernetes/" + $0 })
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect((result.stdout + result.stderr).components(separatedBy: " passed for resource ").count == names.count + 1)

    // The validator refuses what the schema does not allow: a misspelt policy and an unknown field.
    let folder = TestSupport.TemporaryFolder()
    let cronjob = TestSupport.text(Self.deploy + "/kubernetes/cronjob.yaml")
    let broken = folder.write(
      "cronjob.yaml",
      cronjob.replacingOccurrences(of: "concurrencyPolicy: Forbid", with: "concurrencyPolcy: Forbid"))
    #expect(try validate([broken]).status != 0)
    let job = TestSupport.text(Self.deploy + "/kubernetes/shards-job.yaml")
    let unindexed = folder.write(
      "shards-job.yaml", job.replacingOccurrences(of: "completionMode: Indexed", with: "completionMod: Indexed"))
    #expect(try validate([unindexed]).status != 0)
  }

  /// One Job of deploy/kubernetes as JSON (read with the test venv's PyYAML).
  func job(_ name: String) throws -> [String: Any] {
    let read = try TestSupport.run(
      ExportSupport.python,
      [
        "-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
        Self.deploy + "/kubernetes/" + name,
      ])
    #expect(read.status == 0, "\(read.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any])
  }

  func container(_ job: [String: Any]) throws -> [String: Any] {
    let spec = try #require(job["spec"] as? [String: Any])
    let pod = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
    return try #require((pod["containers"] as? [[String: Any]])?.first)
  }

  @Test func shardJobsAgreeOnNAndTheirArgumentsAreOnesRunAccepts() throws {
    try #require(FileManager.default.fileExists(atPath: ExportSupport.python), "run `make test-venv`")
    let shards = try job("shards-job.yaml")
    let merge = try job("merge-job.yaml")
    let spec = try #require(shards["spec"] as? [String: Any])
    #expect(spec["completionMode"] as? String == "Indexed")
    let count = try #require(spec["completions"] as? Int)
    #expect((spec["parallelism"] as? Int).map { $0 >= 1 && $0 <= count } == true)
    let shardArgs = try #require(try container(shards)["args"] as? [String])
    let mergeArgs = try #require(try container(merge)["args"] as? [String])
    // The shard number comes from the Job controller's JOB_COMPLETION_INDEX, N from completions; the merge reads N.
    #expect(shardArgs.contains("$(JOB_COMPLETION_INDEX)/\(count)"))
    #expect(mergeArgs.contains("--merge-shards") && mergeArgs.contains(String(count)))
    #expect((try #require(merge["spec"] as? [String: Any]))["completionMode"] == nil)
    let index = (try container(shards)["env"] as? [[String: Any]])?.first {
      $0["name"] as? String == "JOB_COMPLETION_INDEX"
    }
    let field = ((index?["valueFrom"] as? [String: Any])?["fieldRef"] as? [String: Any])?["fieldPath"] as? String
    #expect(field == "metadata.annotations['batch.kubernetes.io/job-completion-index']")
    // Both take the as-of from one ConfigMap key, so they name the same shard set.
    for job in [shards, merge] {
      let env = try #require(try container(job)["env"] as? [[String: Any]])
      let asOf = try #require(env.first { $0["name"] as? String == "AS_OF" })
      let ref = (asOf["valueFrom"] as? [String: Any])?["configMapKeyRef"] as? [String: Any]
      #expect(ref?["name"] as? String == "treasury-report-shard-set" && ref?["key"] as? String == "as_of")
    }
    // With the variables as Kubernetes expands them, `run` accepts the arguments (checked up to --print-config);
    // left unexpanded, it refuses them instead of running some other shard.
    let folder = TestSupport.TemporaryFolder()
    let local = folder.write("run.yaml", try shardsRunYAML())
    func accepts(_ args: [String], index: Int) throws -> TestSupport.Run {
      let expanded = args.map {
        $0.replacingOccurrences(of: "$(JOB_COMPLETION_INDEX)", with: String(index))
          .replacingOccurrences(of: "$(AS_OF)", with: "2026-04-04T06:30:00Z")
          .replacingOccurrences(of: "/etc/treasury/run.yaml", with: local)
      }
      return try TestSupport.run("treasury-report", expanded + ["--print-config"])
    }
    for index in [0, count - 1] {
      let run = try accepts(shardArgs, index: index)
      #expect(run.status == 0, "\(run.stderr)")
    }
    #expect(try accepts(mergeArgs, index: 0).status == 0)
    let unexpanded = try TestSupport.run(
      "treasury-report", shardArgs.map { $0 == "/etc/treasury/run.yaml" ? local : $0 } + ["--print-config"])
    #expect(unexpanded.status == 1)
    #expect(unexpanded.stderr.contains("--shard takes K/N"))
  }

  func shardsRunYAML() throws -> String {
    let text = TestSupport.text(Self.deploy + "/kubernetes/configmap-shards.yaml")
    let start = try #require(text.range(of: "  run.yaml: |\n"))
    return text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
      .map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : String($0) }.joined(separator: "\n")
  }

  @Test func shardsConfigMapHoldsAnAPISourceConfig() throws {
    let config = try ConfigReader.parse(try shardsRunYAML(), file: "/etc/treasury/run.yaml")
    guard case .api(let platform, let allAccounts, _, let dumps, _) = config.source else {
      Issue.record("the sharded run needs source.api")
      return
    }
    #expect(platform && allAccounts && dumps == "/data/dumps")
    #expect(config.workFolder == "/work")
  }

  /// deploy/Dockerfile, checked offline by Tests/install/dockerfile-check.py (Docker cannot run in the tests).
  @Test func dockerfileBuildsWithThisToolchainAndShipsTheLibrariesTheBinaryNeeds() throws {
    let check = try TestSupport.run(
      "/usr/bin/env",
      [
        "python3", TestSupport.root.appendingPathComponent("Tests/install/dockerfile-check.py").path,
        Self.deploy + "/Dockerfile", TestSupport.binaries.appendingPathComponent("treasury-report").path,
      ])
    #expect(check.status == 0, "\(check.stderr)")
    let found = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
    let stages = try #require(found["stages"] as? [[String: Any]])
    #expect(stages.map { $0["name"] as? String } == ["build", "runtime"])
    let version = try #require(found["swift_version"] as? String)
    let debian = ["12": "bookworm", "13": "trixie"]
    let codename = try #require(
      debian[String((found["debian_version"] as? String ?? "").prefix { $0 != "." })], "an unknown Debian release")
    // The official Swift image of this toolchain's version, on this machine's Debian release, and slim Debian of
    // the same release to run: the libraries linked at build time are the ones installed at run time.
    #expect(stages[0]["image"] as? String == "swift:\(version)-\(codename)")
    #expect(stages[1]["image"] as? String == "debian:\(codename)-slim")
    let installed = Set(found["runtime_packages"] as? [String] ?? [])
    let base = Set(found["base"] as? [String] ?? [])
    let needed = Set(found["needed"] as? [String] ?? [])
    #expect(needed.isSuperset(of: ["libxml2", "zlib1g", "libcurl4"]), "\(needed)")
    #expect(needed.subtracting(installed).subtracting(base).isEmpty, "not installed: \(needed.subtracting(installed))")
    #expect(installed.isSuperset(of: ["ca-certificates", "libdeflate0"]))
    #expect((found["closure_missing"] as? [String]) == [])
    #expect((found["unknown_libraries"] as? [String]) == [])
    // Not root, and the binary `make install` built is the one copied.
    let user = try #require(found["user"] as? String)
    #expect(!user.hasPrefix("0") && !user.hasPrefix("root"))
    let dockerfile = TestSupport.text(Self.deploy + "/Dockerfile")
    #expect(dockerfile.contains("RUN make install PREFIX=/opt/treasury-report"))
    #expect(
      dockerfile.contains("COPY --from=build /opt/treasury-report/bin/treasury-report /usr/local/bin/treasury-report"))
    #expect(TestSupport.text(Self.deploy + "/Dockerfile.dockerignore").split(separator: "\n").contains(".build"))
  }

  @Test func cronJobForbidsConcurrencyAndTakesSecretAndConfigMap() throws {
    let cronjob = TestSupport.text(Self.deploy + "/kubernetes/cronjob.yaml")
    #expect(cronjob.contains("concurrencyPolicy: Forbid"))
    #expect(cronjob.contains("secretRef:\n                    name: treasury-report-run"))
    #expect(cronjob.contains("configMap:\n                name: treasury-report-run"))
    #expect(cronjob.contains("args: [\"run\", \"--config\", \"/etc/treasury/run.yaml\"]"))
    // No credential value in the ConfigMap or the CronJob.
    for name in ["configmap.yaml", "cronjob.yaml"] {
      #expect(!TestSupport.text(Self.deploy + "/kubernetes/" + name).contains("AWS_SECRET_ACCESS_KEY"))
    }
  }

  @Test func configMapHoldsAConfigRunAccepts() throws {
    let text = TestSupport.text(Self.deploy + "/kubernetes/configmap.yaml")
    let start = try #require(text.range(of: "  run.yaml: |\n"))
    let yaml = text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
      .map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : String($0) }.joined(separator: "\n")
    let config = try ConfigReader.parse(yaml, file: "/etc/treasury/run.yaml")
    #expect(config.source == .dumps(["/data/dumps"]))
    #expect(config.storage.lockMode == "compliance")
    #expect(config.workFolder == "/work")
  }

  @Test func systemdTimerRunsTheServiceDaily() {
    let service = TestSupport.text(Self.deploy + "/systemd/treasury-report-run.service")
    let timer = TestSupport.text(Self.deploy + "/systemd/treasury-report-run.timer")
    #expect(service.contains("Type=oneshot"))
    #expect(service.contains("ExecStart=/usr/local/bin/treasury-report run --config /etc/treasury/run.yaml"))
    #expect(service.contains("EnvironmentFile="))
    #expect(timer.contains("OnCalendar=*-*-* 06:30:00 UTC"))
    #expect(timer.contains("Persistent=true"))
  }
}
