import Foundation
import TreasuryRender

/// The CSV profiles and the HTML statement template a run can use.
///
/// Built in: the repository's `templates/` folder, compiled into the binary
/// (`builtInTemplateFiles`, made by the EmbedTemplates build plugin), so an
/// installed binary needs nothing beside it. `--templates DIR` adds a folder
/// laid out the same way (`csv/NAME.json`, `html/statement.mustache`); its
/// files take the place of built-in ones of the same name.
package struct TemplateLibrary: Sendable {
  /// Relative path (`csv/quickbooks.json`) → the file's bytes and how errors name it.
  private var files: [String: (bytes: [UInt8], location: String)] = [:]
  /// `--templates`, if given (named in the hint for a missing profile).
  private var folder: String?

  package static let htmlPath = "html/statement.mustache"

  /// The built-in files, plus those of `folder` when given.
  package init(folder: String?) throws(TemplateError) {
    for (path, base64) in builtInTemplateFiles {
      guard let data = Data(base64Encoded: base64) else { continue }
      files[path] = ([UInt8](data), "templates/" + path + " (built in)")
    }
    guard let folder else { return }
    self.folder = folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
      throw .unreadable(
        path: folder, reason: "--templates needs a folder holding csv/*.json and/or html/statement.mustache")
    }
    for sub in ["csv", "html"] {
      let path = folder + "/" + sub
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { continue }
      for name in names.sorted() where !name.hasPrefix(".") {
        let file = path + "/" + name
        guard let data = FileManager.default.contents(atPath: file) else {
          throw .unreadable(path: file, reason: "not a readable file")
        }
        files[sub + "/" + name] = ([UInt8](data), file)
      }
    }
  }

  /// The names of every CSV profile, sorted.
  package var profileNames: [String] {
    files.keys.filter { $0.hasPrefix("csv/") && $0.hasSuffix(".json") }.map { String($0.dropFirst(4).dropLast(5)) }
      .sorted()
  }

  /// The profile `name`, parsed and checked.
  package func profile(_ name: String) throws(TemplateError) -> CSVProfile {
    guard CSVProfile.isValidName(name) else { throw .invalidProfileName(name: name) }
    guard let file = files["csv/" + name + ".json"] else {
      throw .unknownProfile(name: name, available: profileNames, folder: folder)
    }
    return try CSVProfile.parse(file.bytes, name: name, file: file.location)
  }

  /// The HTML statement template, parsed.
  package func htmlStatement() throws(TemplateError) -> HTMLStatement {
    guard let file = files[Self.htmlPath] else {
      throw .unreadable(path: "templates/" + Self.htmlPath, reason: "the binary was built without it")
    }
    return try HTMLStatement.parse(String(decoding: file.bytes, as: UTF8.self), file: file.location)
  }
}
