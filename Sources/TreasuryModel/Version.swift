/// The tool's name and version, written into every manifest.
public enum TreasuryReportVersion {
  public static let string = "0.1.0"
  /// The `tool` of every manifest the tool writes (`manifest.json`, an archive's, fetch's).
  package static let toolName = "treasury-report"
}
