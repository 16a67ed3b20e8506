import Foundation
@_spi(Inlining) import TreasuryModel

/// A Mustache template compiled for the HTML statement's context, rendering byte for byte what swift-mustache renders.
///
/// swift-mustache spends about 260,000 instructions per statement line on
/// dynamic casts, per-character escaping through a dictionary of `Character`s
/// and string concatenation (90% of `--format html`). This renderer handles the
/// part of Mustache the statement needs: text, `{{name}}`, `{{{name}}}`,
/// `{{&name}}`, sections, inverted sections and comments, with dotted names
/// and `.`, and swift-mustache's rules for standalone lines (its parser,
/// ported: `PageTemplate+Parsing.swift`). It writes bytes, escapes ASCII a
/// byte at a time, and looks names up only in the dictionaries
/// `HTMLStatement.context` builds (the only objects a template ever sees).
/// A template that uses anything else (partials, inheritance, blocks,
/// transforms, set delimiters, pragmas) has no `PageTemplate`, and
/// swift-mustache renders it. `PageTemplateTests` compares both.
struct PageTemplate: Sendable {
  enum Name: Sendable {
    /// `.`, or a name of dots alone: the object on top of the stack.
    case current
    /// `.a.b`: looked up in the top object only.
    case top([String])
    /// `a.b`: `a` looked up from the top of the stack down, then `b` in what it found; `field`: `a` as a statement
    /// line's field, resolved once here rather than per line.
    case stack([String], field: StatementLineRows.Field?)

    init(_ text: String) {
      let parts = text.split(separator: ".").map(String.init)
      if text == "." || parts.isEmpty {
        self = .current
      } else if text.first == "." {
        self = .top(parts)
      } else {
        self = .stack(parts, field: StatementLineRows.Field(rawValue: parts[0]))
      }
    }
  }

  indirect enum Token: Sendable {
    case text([UInt8])
    case variable(Name, escaped: Bool)
    case section(Name, [Token])
    case invertedSection(Name, [Token])
  }

  let tokens: [Token]

  /// Renders `context` (a dictionary of strings, numbers, booleans, arrays, dictionaries and `StatementLineRows`) into
  /// `out`.
  func render(_ context: [String: Any], to out: ByteBuffer) {
    var stack = [Frame(context)]
    Self.render(tokens, &stack, out)
  }

  /// An object on the context stack, cast once when pushed rather than at every lookup.
  private struct Frame {
    private let object: Any
    /// The object as a dictionary, the only kind whose names resolve; nil for strings, numbers, arrays and rows.
    let dictionary: [String: Any]?
    /// A statement line: its fields resolve without a dictionary.
    let rows: StatementLineRows?
    let row: Int

    init(_ object: Any) {
      self.object = object
      dictionary = object as? [String: Any]
      rows = nil
      row = 0
    }

    init(_ rows: StatementLineRows, row: Int) {
      object = ()
      dictionary = nil
      self.rows = rows
      self.row = row
    }

    /// The object as swift-mustache would hold it: a row as its dictionary.
    var value: Any {
      if let rows { return rows.dictionary(row) }
      return object
    }
  }

  private static func render(_ tokens: [Token], _ stack: inout [Frame], _ out: ByteBuffer) {
    for token in tokens {
      switch token {
      case .text(let bytes):
        bytes.withUnsafeBytes { out.append($0) }
      case .variable(let name, let escaped):
        if case .stack(let parts, let field?) = name, parts.count == 1, let frame = stack.last, let rows = frame.rows {
          // A line's own field, written straight into the page.
          rows.write(field, frame.row, escaped: escaped, to: out)
          continue
        }
        guard var value = lookUp(name, stack) else { continue }
        if let rows = value as? StatementLineRows { value = rows.array() }
        if let string = value as? String {
          if escaped { escape(string, to: out) } else { append(string, to: out) }
        } else {
          let text = String(describing: value)
          if escaped { escape(text, to: out) } else { append(text, to: out) }
        }
      case .section(let name, let inner):
        switch lookUp(name, stack) {
        case let rows as StatementLineRows:
          for row in 0..<rows.count {
            stack.append(Frame(rows, row: row))
            render(inner, &stack, out)
            stack.removeLast()
          }
        case let array as [Any]:
          for element in array {
            stack.append(Frame(element))
            render(inner, &stack, out)
            stack.removeLast()
          }
        case let bool as Bool:
          if bool { render(inner, &stack, out) }
        case .some(let value):
          stack.append(Frame(value))
          render(inner, &stack, out)
          stack.removeLast()
        case .none:
          break
        }
      case .invertedSection(let name, let inner):
        switch lookUp(name, stack) {
        case let rows as StatementLineRows:
          if rows.count == 0 {
            stack.append(Frame([[String: Any]]()))
            render(inner, &stack, out)
            stack.removeLast()
          }
        case let array as [Any]:
          if array.isEmpty {
            stack.append(Frame(array))
            render(inner, &stack, out)
            stack.removeLast()
          }
        case let bool as Bool:
          if !bool { render(inner, &stack, out) }
        case .some:
          break
        case .none:
          render(inner, &stack, out)
        }
      }
    }
  }

  /// swift-mustache's lookup: a dictionary gives its entry, any other object (string, number, array) nothing.
  private static func lookUp(_ name: Name, _ stack: [Frame]) -> Any? {
    switch name {
    case .current:
      return stack.last?.value
    case .top(let parts):
      guard let top = stack.last else { return nil }
      return follow(parts[...], from: top.value)
    case .stack(let parts, let field):
      for frame in stack.reversed() {
        if let rows = frame.rows {
          if let field { return follow(parts.dropFirst(), from: rows.value(field, frame.row)) }
        } else if let child = frame.dictionary?[parts[0]] {
          return follow(parts.dropFirst(), from: child)
        }
      }
      return nil
    }
  }

  private static func follow(_ parts: ArraySlice<String>, from object: Any) -> Any? {
    var object = object
    for part in parts {
      guard let child = child(part, of: object) else { return nil }
      object = child
    }
    return object
  }

  @inline(__always)
  private static func child(_ name: String, of object: Any) -> Any? {
    (object as? [String: Any])?[name]
  }

  static func append(_ string: String, to out: ByteBuffer) {
    var string = string
    string.withUTF8 { out.append(UnsafeRawBufferPointer($0)) }
  }

  /// swift-mustache's HTML escape: `< > & " '` as entities, compared as whole characters (grapheme clusters).
  static func escape(_ string: String, to out: ByteBuffer) {
    var string = string
    let ascii = string.withUTF8 { utf8 -> Bool in
      guard utf8.allSatisfy({ $0 < 0x80 }) else { return false }
      let p = out.reserve(utf8.count * 6)
      var w = 0
      for byte in utf8 {
        switch byte {
        case UInt8(ascii: "<"): w = put(p, w, "&lt;")
        case UInt8(ascii: ">"): w = put(p, w, "&gt;")
        case UInt8(ascii: "&"): w = put(p, w, "&amp;")
        case UInt8(ascii: "\""): w = put(p, w, "&quot;")
        case UInt8(ascii: "'"): w = put(p, w, "&#39;")
        default:
          p[w] = byte
          w += 1
        }
      }
      out.commit(w)
      return true
    }
    if ascii { return }
    // A special character followed by a combining mark is one character, which swift-mustache leaves as it is.
    for character in string {
      switch character {
      case "<": append("&lt;", to: out)
      case ">": append("&gt;", to: out)
      case "&": append("&amp;", to: out)
      case "\"": append("&quot;", to: out)
      case "'": append("&#39;", to: out)
      default:
        var text = String(character)
        text.withUTF8 { out.append(UnsafeRawBufferPointer($0)) }
      }
    }
  }

  @inline(__always)
  private static func put(_ base: UnsafeMutablePointer<UInt8>, _ at: Int, _ entity: StaticString) -> Int {
    let n = entity.utf8CodeUnitCount
    (base + at).update(from: entity.utf8Start, count: n)
    return at + n
  }
}
