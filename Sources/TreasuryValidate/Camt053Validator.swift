import Foundation
import TreasuryInput
@_spi(Inlining) import TreasuryModel
import TreasuryXML

/// Checks a camt.053 document: against the official schema of its version, then `Camt053Checks`, streaming.
///
/// The version comes from the root element's namespace (001.02 or 001.08).
/// Memory stays flat whatever the document's size. Each problem carries its
/// line and element path; libxml2's schema errors name a line and an element,
/// and are matched to the element that starts on that line.
package enum Camt053Validator {
  /// Problems listed per file; the rest are only counted.
  package static let problemLimit = 100
  /// The most text one element may hold, and the longest element name or namespace, far beyond anything
  /// camt.053 allows (Max500Text; names of a few dozen letters). Past them the document is not read on: a
  /// gzipped file of a few kilobytes could otherwise hold one text of gigabytes, split by comments so that
  /// libxml2's own 10 MB bound per text node never trips, or names repeated in every element path.
  package static let textLimit = 1 << 20
  package static let nameLimit = 1024

  /// Validates the file at `path` (gzipped when it ends in `.gz`); throws when it cannot be read.
  package static func validate(path: String) throws(XMLReadFailure) -> Camt053FileReport {
    try validate(name: path) { () throws(XMLReadFailure) in try open(path) }
  }

  /// Validates the document that `open` gives, from its start each time it is called (twice: once for the
  /// root's namespace, then with the schema); `name` stands for its path in messages.
  static func validate(name: String, open: () throws(XMLReadFailure) -> ByteSource) throws(XMLReadFailure)
    -> Camt053FileReport
  {
    var report = Camt053FileReport(path: name)
    let first = try XMLStreamReader.prologue(source: try open(), name: name)
    if let error = first.sourceError { throw .input(error) }
    guard let version = identify(first, &report) else { return report }
    let schema: XMLSchema
    do throws(XMLError) { schema = try Camt053Schemas.schema(for: version) } catch {
      throw .libxml2(path: name, reason: error.message)
    }
    let reader = try XMLStreamReader(source: try open(), name: name, schema: schema)
    scan(reader, version: version, into: &report)
    if let error = reader.sourceError { throw .input(error) }
    return report
  }

  private static func open(_ path: String) throws(XMLReadFailure) -> ByteSource {
    do throws(InputError) {
      let file = try FileByteSource(path: path, hashing: false)
      return path.hasSuffix(".gz") ? try GzipByteSource(file: file) : file
    } catch {
      if case .notFound = error { throw .unreadable(path: path, reason: "No such file or directory") }
      throw .input(error)
    }
  }

  /// Why a document with a DOCTYPE is not read on: declared entities expand, quadratically or worse.
  static let documentTypeProblem =
    "the document has a DOCTYPE, which validate refuses unread (camt.053 documents have none, and its entities could expand without bound)"

  /// The version the root element names, or nil with the report's problems set: a DOCTYPE, no element, or
  /// another root.
  private static func identify(_ first: XMLPrologueResult, _ report: inout Camt053FileReport)
    -> Camt053Version?
  {
    switch first.prologue {
    case .documentType(let line):
      report.problems = [Camt053Problem(line: line, path: "", message: documentTypeProblem)]
      return nil
    case .nothing:
      var problems = first.diagnostics.map { Camt053Problem(line: $0.line, path: "", message: $0.message) }
      if problems.isEmpty { problems = [Camt053Problem(line: 0, path: "", message: "the file holds no XML element")] }
      report.problems = Array(problems.prefix(problemLimit))
      report.omittedProblems = max(0, problems.count - problemLimit)
      return nil
    case .root(let name, let namespace, let line):
      guard name == "Document", let version = Camt053Version(namespace: namespace) else {
        let known = Camt053Version.allCases.map(\.namespace).joined(separator: " or ")
        let described = namespace.isEmpty ? "no namespace" : "namespace '\(namespace)'"
        report.problems = [
          Camt053Problem(
            line: line, path: "/" + name,
            message:
              "not a camt.053 document: the root element is <\(name)> in \(described); expected <Document> in \(known)"
          )
        ]
        return nil
      }
      report.version = version
      return version
    }
  }

  /// An element on the way down to the current node.
  private struct Frame {
    var name: String
    /// `/Document/…/Ntry[3]`: the parent's path and this element's segment, built once when it starts.
    var path: String
    var line: Int
    var text = ""
    var currency: String?
    var children: [String: Int] = [:]
  }

  /// Elements that repeat in camt.053; their paths always carry an index (`Ntry[1]`).
  private static let repeating: Set<String> = ["Stmt", "Bal", "Ntry", "NtryDtls", "TxDtls"]

  private static func scan(_ reader: XMLStreamReader, version: Camt053Version, into report: inout Camt053FileReport) {
    var checks = Camt053Checks()
    var stack: [Frame] = []
    var names: [String] = []
    // Read once: the property builds its string each time.
    let documentNamespace = version.namespace
    var schemaProblems = SchemaProblemMatcher(namespace: documentNamespace)
    var consumed = 0

    func close(_ checks: inout Camt053Checks) {
      guard let frame = stack.last else { return }
      checks.ended(
        Camt053Checks.Element(names: names[...], line: frame.line, text: frame.text, currency: frame.currency)
      ) { frame.path }
      stack.removeLast()
      names.removeLast()
    }

    reading: while let node = reader.next() {
      let diagnostics = reader.diagnostics
      if diagnostics.count > consumed {
        schemaProblems.add(diagnostics[consumed...])
        consumed = diagnostics.count
      }
      switch node {
      case .start(let name, let namespace, let line, let isEmpty):
        guard name.utf8.count <= nameLimit && namespace.utf8.count <= nameLimit else {
          report.problems.append(
            Camt053Problem(
              line: line, path: stack.last?.path ?? "",
              message:
                "an element name or namespace longer than \(nameLimit) bytes (camt.053 names are a few dozen letters); the rest of the document was not read"
            ))
          break reading
        }
        let index = (stack.last?.children[name] ?? 0) + 1
        if !stack.isEmpty { stack[stack.count - 1].children[name] = index }
        var path = stack.last?.path ?? ""
        path += "/"
        path += name
        if index > 1 || repeating.contains(name) { path += "[\(index)]" }
        let foreign = namespace != documentNamespace
        stack.append(Frame(name: foreign ? "{\(namespace)}" + name : name, path: path, line: line))
        names.append(stack[stack.count - 1].name)
        stack[stack.count - 1].currency = reader.attribute("Ccy")
        schemaProblems.started(name: name, line: line, path: path)
        checks.started(names[...])
        if isEmpty { close(&checks) }
      case .end:
        close(&checks)
      case .text(let text):
        guard let frame = stack.last else { continue }
        guard frame.text.utf8.count + text.utf8.count <= textLimit else {
          report.problems.append(
            Camt053Problem(
              line: frame.line, path: frame.path,
              message:
                "the element's text is longer than \(textLimit >> 20) MiB (camt.053 texts are at most a few hundred characters); the rest of the document was not read"
            ))
          break reading
        }
        stack[stack.count - 1].text += text
      case .documentType(let line):
        report.problems.append(Camt053Problem(line: line, path: "", message: documentTypeProblem))
      }
    }
    let diagnostics = reader.diagnostics
    if diagnostics.count > consumed { schemaProblems.add(diagnostics[consumed...]) }
    var problems = report.problems + schemaProblems.finish(fallback: stack.last.map(\.path) ?? "/") + checks.problems
    // Document order; for one line, schema problems first.
    problems = problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(
      \.element)
    report.problems = Array(problems.prefix(problemLimit))
    report.omittedProblems = max(0, problems.count - problemLimit)
    report.statements = checks.statements
    report.entries = checks.entries
    report.messageID = checks.messageID
  }
}

/// Gives libxml2's diagnostics element paths.
///
/// A schema error names the element (`Element '{ns}Amt': …`) and the line of
/// its start tag, and arrives while the parser reads ahead of the nodes the
/// validator has walked: each waits until the walk reaches an element of that
/// name starting on that line. One never matched (an error reported at an end
/// tag, or text errors) takes the last element started on or before its line.
private struct SchemaProblemMatcher {
  let namespace: String
  private var pending: [(diagnostic: XMLDiagnostic, element: String?)] = []
  private var resolved: [Camt053Problem] = []
  private var lastStart: (line: Int, path: String)?

  init(namespace: String) { self.namespace = namespace }

  mutating func add(_ diagnostics: ArraySlice<XMLDiagnostic>) {
    for d in diagnostics {
      let message = d.message.replacingOccurrences(of: "{" + namespace + "}", with: "")
      pending.append((XMLDiagnostic(source: d.source, line: d.line, message: message), Self.element(in: d.message)))
    }
  }

  mutating func started(name: String, line: Int, path: String) {
    if !pending.isEmpty {
      pending.removeAll { item in
        let d = item.diagnostic
        if d.line == line && (item.element == nil || item.element == name) {
          resolved.append(Camt053Problem(line: d.line, path: path, message: Self.trim(d.message)))
          return true
        }
        if d.line < line {
          resolved.append(Camt053Problem(line: d.line, path: lastStart?.path ?? "", message: Self.trim(d.message)))
          return true
        }
        return false
      }
    }
    lastStart = (line, path)
  }

  mutating func finish(fallback: String) -> [Camt053Problem] {
    for item in pending {
      resolved.append(
        Camt053Problem(
          line: item.diagnostic.line, path: item.diagnostic.source == .schema ? lastStart?.path ?? fallback : "",
          message: Self.trim(item.diagnostic.message)))
    }
    pending = []
    return resolved
  }

  /// `Amt` from `Element '{urn:…}Amt': …`.
  static func element(in message: String) -> String? {
    guard message.hasPrefix("Element '") else { return nil }
    let rest = message.dropFirst("Element '".count)
    guard let end = rest.firstIndex(of: "'") else { return nil }
    var name = rest[..<end]
    if let brace = name.lastIndex(of: "}") { name = name[name.index(after: brace)...] }
    return String(name)
  }

  /// Drops libxml2's `Element 'X': ` prefix (the path says which element) and the final period.
  static func trim(_ message: String) -> String {
    var text = Substring(message)
    if text.hasPrefix("Element '"), let colon = text.range(of: "': ") {
      text = text[colon.upperBound...]
    }
    while text.last == "." || text.last == " " { text = text.dropLast() }
    return String(text)
  }
}
