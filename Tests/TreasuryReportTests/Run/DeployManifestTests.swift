import Foundation
import Testing
import TreasuryRun

/// `deploy/`: the Kubernetes manifests validate against the Kubernetes schemas (kubernetes-validate, offline,
/// strict), the CronJob forbids concurrent runs and takes its secrets and config as the README says, the
/// ConfigMap's run.yaml is a config `run` accepts, and the systemd units run `run --config` daily.
@Suite struct DeployManifestTests {
  static let deploy = TestSupport.root.appendingPathComponent("deploy").path
  static let validator = TestSupport.root.appendingPathComponent(".build/test-venv/bin/kubernetes-validate").path

  func validate(_ files: [String]) throws -> TestSupport.Run {
    try TestSupport.run(Self.validator, ["--strict", "--kubernetes-version", "1.34.0"] + files)
  }

  @Test func manifestsValidateAgainstTheKubernetesSchemas() throws {
    try #require(FileManager.default.fileExists(atPath: Self.validator), "run `make test-venv`")
    let files = ["configmap.yaml", "secret.yaml", "cronjob.yaml"].map { Self.deploy + "/kubernetes/" + $0 }
    let result = try validate(files)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect((result.stdout + result.stderr).components(separatedBy: " passed for resource ").count == 4)

    // The validator refuses what the schema does not allow: a misspelt policy and an unknown field.
    let folder = TestSupport.TemporaryFolder()
    let cronjob = TestSupport.text(Self.deploy + "/kubernetes/cronjob.yaml")
    let broken = folder.write(
      "cronjob.yaml",
      cronjob.replacingOccurrences(of: "concurrencyPolicy: Forbid", with: "concurrencyPolcy: Forbid"))
    #expect(try validate([broken]).status != 0)
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
