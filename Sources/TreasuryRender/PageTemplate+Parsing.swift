// swift-mustache 2.1.1's parser (Template+Parser.swift, Apache-2.0, the Hummingbird authors), ported step for step
// for the tags `PageTemplate` renders, with the default delimiters: standalone lines and the whitespace before tags
// come out exactly as there, which a rewrite from the Mustache specification would not guarantee.

extension PageTemplate {
  /// The template compiled, or nil when it uses a tag `PageTemplate` leaves to swift-mustache (or does not parse).
  init?(_ text: String) {
    var scanner = Scanner(Array(text))
    guard let tokens = try? Self.parse(&scanner, section: nil, newLine: true) else { return nil }
    self.tokens = tokens
  }

  private struct Unsupported: Error {}

  /// A cursor over the template's characters (grapheme clusters, as swift-mustache reads them).
  private struct Scanner {
    let characters: [Character]
    var position = 0

    init(_ characters: [Character]) { self.characters = characters }

    var reachedEnd: Bool { position == characters.count }

    /// The current character, NUL at the end.
    var current: Character { reachedEnd ? "\0" : characters[position] }

    mutating func advance() { position += 1 }

    mutating func read(while set: Set<Character>) -> String {
      var text = ""
      while !reachedEnd, set.contains(characters[position]) {
        text.append(characters[position])
        position += 1
      }
      return text
    }

    mutating func skipWhitespace() {
      while !reachedEnd, characters[position].isWhitespace { position += 1 }
    }

    /// Reads `string` if it comes next; throws (a parse error there) when fewer characters are left.
    mutating func read(string: String) throws -> Bool {
      let wanted = Array(string)
      guard characters.count - position >= wanted.count else { throw Unsupported() }
      guard Array(characters[position..<position + wanted.count]) == wanted else { return false }
      position += wanted.count
      return true
    }
  }

  private static let nameCharacters = Set<Character>(
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?()*")

  private static func parse(_ scanner: inout Scanner, section: String?, newLine startsOnNewLine: Bool) throws
    -> [Token]
  {
    var tokens: [Token] = []
    var newLine = startsOnNewLine
    var whiteSpaceBefore = ""
    func text(_ string: String) -> Token { .text(Array(string.utf8)) }
    while !scanner.reachedEnd {
      if newLine { whiteSpaceBefore = scanner.read(while: [" ", "\t"]) }
      let read = try readUntilTagOrNewline(&scanner)
      if scanner.current.isNewline {
        tokens.append(text(whiteSpaceBefore + read + String(scanner.current)))
        newLine = true
        scanner.advance()
        continue
      }
      if read.count > 0 {
        tokens.append(text(whiteSpaceBefore + read))
        whiteSpaceBefore = ""
        newLine = false
      }
      if scanner.reachedEnd { break }
      var setNewLine = false
      switch scanner.current {
      case "#", "^":
        let inverted = scanner.current == "^"
        scanner.advance()
        let name = try parseName(&scanner)
        if isStandalone(&scanner, newLine: newLine) {
          setNewLine = true
        } else if whiteSpaceBefore.count > 0 {
          tokens.append(text(whiteSpaceBefore))
          whiteSpaceBefore = ""
        }
        let inner = try parse(&scanner, section: name, newLine: setNewLine)
        tokens.append(inverted ? .invertedSection(Name(name), inner) : .section(Name(name), inner))
      case "/":
        scanner.advance()
        let name = try parseName(&scanner)
        guard name == section else { throw Unsupported() }
        if isStandalone(&scanner, newLine: newLine) {
        } else if whiteSpaceBefore.count > 0 {
          tokens.append(text(whiteSpaceBefore))
        }
        return tokens
      case "!":
        scanner.advance()
        try skipComment(&scanner)
        setNewLine = isStandalone(&scanner, newLine: newLine)
      case "{", "&":
        let triple = scanner.current == "{"
        if whiteSpaceBefore.count > 0 {
          tokens.append(text(whiteSpaceBefore))
          whiteSpaceBefore = ""
        }
        scanner.advance()
        let name = try parseName(&scanner)
        if triple {
          guard !scanner.reachedEnd else { throw Unsupported() }
          guard scanner.current == "}" else { throw Unsupported() }
          scanner.advance()
        }
        tokens.append(.variable(Name(name), escaped: false))
      case ">", "<", "$", "=", "%":
        throw Unsupported()
      default:
        if whiteSpaceBefore.count > 0 {
          tokens.append(text(whiteSpaceBefore))
          whiteSpaceBefore = ""
        }
        let name = try parseName(&scanner)
        tokens.append(.variable(Name(name), escaped: true))
      }
      newLine = setNewLine
    }
    guard section == nil else { throw Unsupported() }
    return tokens
  }

  /// Text up to a line break (not read) or past `{{`.
  private static func readUntilTagOrNewline(_ scanner: inout Scanner) throws -> String {
    var text = ""
    while !scanner.reachedEnd {
      while !scanner.reachedEnd {
        let c = scanner.characters[scanner.position]
        if c == "\n" || c == "\r\n" || c == "{" { break }
        text.append(c)
        scanner.advance()
      }
      if scanner.current.isNewline {
        break
      } else if scanner.current == "{" {
        if try scanner.read(string: "{{") { break }
        text.append("{")
        scanner.advance()
      }
    }
    return text
  }

  /// A tag's name up to `}}`; names with transforms (`a(b)`) are left to swift-mustache.
  private static func parseName(_ scanner: inout Scanner) throws -> String {
    scanner.skipWhitespace()
    let name = scanner.read(while: nameCharacters)
    scanner.skipWhitespace()
    guard try scanner.read(string: "}}") else { throw Unsupported() }
    guard !name.contains("("), !name.contains(")") else { throw Unsupported() }
    return name
  }

  private static func skipComment(_ scanner: inout Scanner) throws {
    while !scanner.reachedEnd {
      if scanner.characters[scanner.position] == "}", scanner.position + 1 < scanner.characters.count,
        scanner.characters[scanner.position + 1] == "}"
      {
        scanner.position += 2
        return
      }
      scanner.advance()
    }
    throw Unsupported()
  }

  /// A tag alone on its line: the rest of the line (blanks and the line break) is consumed.
  private static func isStandalone(_ scanner: inout Scanner, newLine: Bool) -> Bool {
    guard newLine else { return false }
    if scanner.reachedEnd { return true }
    var ahead = scanner
    _ = ahead.read(while: [" ", "\t"])
    guard ahead.current.isNewline else { return false }
    ahead.advance()
    scanner.position = ahead.position
    return true
  }
}
