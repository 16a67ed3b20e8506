import TreasuryRender

/// The template-driven renderers a run asked for, resolved once before any input is read.
///
/// Resolving first means a bad profile or template stops the run at once
/// (exit 1) with the file and key at fault, before hours of reading.
struct StatementExports: Sendable {
  /// One per `--format csv:NAME`, in the order given.
  var profiles: [ProfileCSV] = []
  /// With `--format html`.
  var html: HTMLStatement?

  static func resolve(_ options: StatementsOptions) throws(TemplateError) -> StatementExports {
    var exports = StatementExports()
    guard !options.csvProfiles.isEmpty || options.formats.contains(.html) || options.templates != nil else {
      return exports
    }
    let library = try TemplateLibrary(folder: options.templates)
    for name in options.csvProfiles { exports.profiles.append(ProfileCSV(profile: try library.profile(name))) }
    if options.formats.contains(.html) { exports.html = try library.htmlStatement() }
    return exports
  }
}
