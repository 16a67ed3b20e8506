@_spi(Inlining) import TreasuryModel

/// Reads one dump file into an `ObjectSink`, collecting every unusable line instead of stopping at the first.
package struct DumpFileReader {
  package var decoder: ObjectDecoder
  private let buffer: ReadBuffer
  private var scanner = StripeObjectScanner()
  private var problems: [ObjectProblem] = []

  /// One reader per sink (the decoder remembers the sink's symbols); `buffer` may be shared by a worker's readers.
  package init(keepsText: Bool = true, buffer: ReadBuffer = ReadBuffer()) {
    decoder = ObjectDecoder(keepsText: keepsText)
    self.buffer = buffer
  }

  /// Reads `file` (numbered `index` in the run) into `sink`; unusable lines go to `invalid`.
  ///
  /// `location`: where the bytes are when not at `file.path` (standard input's copy); messages name `file.path`.
  package mutating func read<Sink: ObjectSink>(
    _ file: InputFile, from location: String? = nil, index: Int32, into sink: inout Sink,
    invalid: inout some RejectSink, progress: ReadProgress? = nil
  ) throws(InputError) -> InputFileStats {
    let raw = try FileByteSource(path: location ?? file.path, shownAs: file.path)
    let gzip = file.gzip ? try GzipByteSource(file: raw) : nil
    let source: ByteSource = gzip ?? raw
    let lines: Int
    switch file.format {
    case .jsonLines:
      lines = try readLines(
        source, gzip: gzip, counted: raw, path: file.path, index: index, into: &sink, invalid: &invalid,
        progress: progress)
    case .jsonDocument:
      lines = try readDocument(
        source, gzip: gzip, raw: raw, path: file.path, index: index, into: &sink, invalid: &invalid,
        progress: progress)
    }
    return InputFileStats(path: file.path, bytes: raw.bytesRead, sha256: raw.finalizeDigest(), lines: lines)
  }

  /// Reads one range of an uncompressed JSON-lines file (not hashed: the caller hashes the whole file).
  package mutating func read<Sink: ObjectSink>(
    _ file: InputFile, from location: String? = nil, range: FileRange, index: Int32, into sink: inout Sink,
    invalid: inout some RejectSink, progress: ReadProgress? = nil
  ) throws(InputError) {
    let source = try FileRangeSource(path: location ?? file.path, range: range, shownAs: file.path)
    _ = try readLines(
      source, gzip: nil, counted: nil, firstLine: range.firstLine, path: file.path, index: index, into: &sink,
      invalid: &invalid, progress: progress)
    progress?.add(bytes: range.end - range.start)
  }

  private mutating func readLines<Sink: ObjectSink>(
    _ source: ByteSource, gzip: GzipByteSource?, counted raw: FileByteSource?, firstLine: Int = 1, path: String,
    index: Int32, into sink: inout Sink, invalid: inout some RejectSink, progress: ReadProgress?
  ) throws(InputError) -> Int {
    let reader = LineReader(source: source, buffer: buffer, firstLine: firstLine)
    var reported = 0
    while let line = try reader.next() {
      let number = reader.lineNumber
      gzip?.lastLine = number
      if let progress, let raw, raw.bytesRead - reported >= 1 << 20 {
        progress.add(bytes: raw.bytesRead - reported)
        reported = raw.bytesRead
      }
      guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { continue }
      var s = JSONScanner(base: base, count: line.count, line: number)
      s.skipWhitespace()
      if s.atEnd { continue }
      do throws(JSONSyntaxError) {
        try scanner.scan(&s)
        s.skipWhitespace()
        if !s.atEnd { throw s.fail("expected the end of the line after the value") }
      } catch {
        invalid.reject(
          InvalidLine(
            file: path, line: number, reason: "\(error.message) (column \(error.offset + 1))", bytes: line))
        continue
      }
      decodeScanned(s, path: path, index: index, into: &sink, invalid: &invalid)
    }
    if let raw { progress?.add(bytes: raw.bytesRead - reported) }
    return reader.lineNumber
  }

  private mutating func readDocument<Sink: ObjectSink>(
    _ source: ByteSource, gzip: GzipByteSource?, raw: FileByteSource, path: String, index: Int32, into sink: inout Sink,
    invalid: inout some RejectSink, progress: ReadProgress?
  ) throws(InputError) -> Int {
    let reader = DocumentReader(source: source, buffer: buffer)
    var reported = 0
    while let piece = try reader.next() {
      gzip?.lastLine = reader.line
      if let progress, raw.bytesRead - reported >= 1 << 20 {
        progress.add(bytes: raw.bytesRead - reported)
        reported = raw.bytesRead
      }
      if case .misplaced(let problem) = piece.kind {
        invalid.reject(
          InvalidLine(
            file: path, line: piece.line, reason: "\(problem) (column \(piece.column))", bytes: piece.bytes))
        continue
      }
      guard let base = piece.bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { continue }
      var s = JSONScanner(base: base, count: piece.bytes.count, line: piece.line)
      do throws(JSONSyntaxError) {
        if piece.kind == .element && s.peek() != UInt8(ascii: "{") {
          throw s.fail("expected a Stripe object or list page ('{') in the array")
        }
        try scanner.scan(&s)
        s.skipWhitespace()
        if !s.atEnd { throw s.fail("expected the end of the value") }
      } catch {
        invalid.reject(rejected(piece, error, path: path))
        continue
      }
      decodeScanned(s, path: path, index: index, into: &sink, invalid: &invalid)
    }
    progress?.add(bytes: raw.bytesRead - reported)
    return reader.lines
  }

  /// A value of a `.json` file that is not valid JSON: the error's line and column, and which lines it costs.
  private func rejected(_ piece: DocumentReader.Piece, _ error: JSONSyntaxError, path: String) -> InvalidLine {
    var line = piece.line
    var lineStart = 0
    // An ended value's last byte is a bracket, quote or digit: its newlines are the lines it spans.
    var lastLine = piece.line
    for i in 0..<piece.bytes.count where piece.bytes[i] == 10 {
      if i < error.offset {
        line += 1
        lineStart = i + 1
      }
      lastLine += 1
    }
    let column = error.offset - lineStart + 1 + (line == piece.line ? piece.column - 1 : 0)
    var reason = "\(error.message) (column \(column))"
    if piece.kind == .unterminated {
      reason +=
        "; the value from line \(piece.line) does not end before the end of the file, so the rest of the file is not used"
    } else if lastLine > piece.line {
      reason += "; the value on lines \(piece.line) to \(lastLine) is not used"
    }
    return InvalidLine(file: path, line: line, reason: reason, bytes: piece.bytes)
  }

  private mutating func decodeScanned<Sink: ObjectSink>(
    _ s: JSONScanner, path: String, index: Int32, into sink: inout Sink, invalid: inout some RejectSink
  ) {
    problems.removeAll(keepingCapacity: true)
    decoder.decode(scanner, text: s, file: index, into: &sink, problems: &problems)
    for problem in problems {
      invalid.reject(
        InvalidLine(
          file: path, line: problem.line, reason: problem.message,
          bytes: UnsafeRawBufferPointer(start: s.base + problem.start, count: max(0, problem.end - problem.start))))
    }
  }
}

extension Array: RejectSink where Element == InvalidLine {
  package mutating func reject(_ line: InvalidLine) { append(line) }
}
