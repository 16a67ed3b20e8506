import Foundation
import PackagePlugin

/// Compiles every file under the package's `templates/` folder into the target it is applied to.
///
/// The built-in CSV profiles and HTML template are then part of the binary:
/// an installed copy needs no folder beside it, and a file dropped into
/// `templates/` is built in by the next `swift build` (this plugin lists the
/// folder on every build, and the list is the command's inputs).
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
