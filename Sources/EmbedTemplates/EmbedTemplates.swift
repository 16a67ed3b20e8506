import Foundation
import PackagePlugin

/// Compiles every file under the package's `templates/` folder into the target it is applied to.
///
/// The built-in CSV profiles and HTML template are then part of the binary:
/// an installed copy needs no folder beside it. A file added to `templates/`
/// or changed there is built in by the next `swift build` (the package is
/// planned again when its folders change, and this plugin then lists the
/// folder; the files are the command's inputs, so edits rerun it). A file
/// removed from it leaves SwiftPM with an input it cannot find until the
/// package is planned again: `touch Package.swift` (SwiftPM keeps a build
/// command's inputs, and a prebuild command, which would see removals, runs
/// only when the package is planned, so it would miss edits).
@main
struct EmbedTemplates: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let root = context.package.directoryURL.appending(path: "templates")
    var files: [URL] = []
    if let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) {
      for case let url as URL in walker {
        let values = try url.resourceValues(forKeys: [.isRegularFileKey])
        if values.isRegularFile == true && !url.lastPathComponent.hasPrefix(".") { files.append(url) }
      }
    }
    files.sort { $0.path < $1.path }
    let output = context.pluginWorkDirectoryURL.appending(path: "BuiltInTemplateFiles.swift")
    return [
      .buildCommand(
        displayName: "Embedding templates/ (\(files.count) files)",
        executable: try context.tool(named: "treasury-embed-templates").url,
        arguments: [root.path, output.path] + files.map(\.path),
        inputFiles: files,
        outputFiles: [output]
      )
    ]
  }
}
