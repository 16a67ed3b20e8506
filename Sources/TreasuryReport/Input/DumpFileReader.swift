/// A line (or object) that could not be used, as written to `rejects.jsonl`.
public struct InvalidLine: Sendable, Hashable, Codable {
  public var file: String
  public var line: Int
  public var reason: String
  public var raw: String

  public init(file: String, line: Int, reason: String, raw: String) {
    self.file = file
    self.line = line
    self.reason = reason
    self.raw = raw
  }

  /// `FILE:LINE: error: REASON`, the form editors and CI logs link to.
  public var message: String { "\(file):\(line): error: \(reason)" }
}

/// What was read from one input file, for the manifest.
public struct InputFileStats: Sendable, Hashable, Codable {
  public var path: String
  public var bytes: Int
  public var sha256: String
  public var lines: Int
}

/// Reads one dump file into an `ObjectSink`, collecting every unusable line instead of stopping at the first.
public struct DumpFileReader {
  public var decoder: ObjectDecoder
  private let buffer: ReadBuffer
  private var scanner = StripeObjectScanner()
  private var problems: [ObjectProblem] = []

  /// One reader per sink (the decoder remembers the sink's symbols); `buffer` may be shared by a worker's readers.
  public init(keepsText: Bool = true, buffer: ReadBuffer = ReadBuffer()) {
    decoder = ObjectDecoder(keepsText: keepsText)
    self.buffer = buffer
  }

  /// Reads `file` (numbered `index` in the run) into `sink`; unusable lines go to `invalid`.
  public mutating func read<Sink: ObjectSink>(
    _ file: InputFile, index: Int32, into sink: inout Sink, invalid: inout [InvalidLine],
    progress: ReadProgress? = nil
  ) throws(InputError) -> InputFileStats {
    let raw = try FileByteSource(path: file.path)
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
        source, raw: raw, path: file.path, index: index, into: &sink, invalid: &invalid, progress: progress)
    }
    return InputFileStats(path: file.path, bytes: raw.bytesRead, sha256: raw.finalizeDigest(), lines: lines)
  }

  /// Reads one range of an uncompressed JSON-lines file (not hashed: the caller hashes the whole file).
  public mutating func read<Sink: ObjectSink>(
    _ file: InputFile, range: FileRange, index: Int32, into sink: inout Sink, invalid: inout [InvalidLine],
    progress: ReadProgress? = nil
  ) throws(InputError) {
    let source = try FileRangeSource(path: file.path, range: range)
    _ = try readLines(
      source, gzip: nil, counted: nil, firstLine: range.firstLine, path: file.path, index: index, into: &sink,
      invalid: &invalid, progress: progress)
    progress?.add(bytes: range.end - range.start)
  }

  private mutating func readLines<Sink: ObjectSink>(
    _ source: ByteSource, gzip: GzipByteSource?, counted raw: FileByteSource?, firstLine: Int = 1, path: String,
    index: Int32, into sink: inout Sink, invalid: inout [InvalidLine], progress: ReadProgress?
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
        invalid.append(
          InvalidLine(
            file: path, line: number, reason: "\(error.message) (column \(error.offset + 1))",
            raw: String(decoding: line, as: UTF8.self)))
        continue
      }
      decodeScanned(s, path: path, index: index, into: &sink, invalid: &invalid)
    }
    if let raw { progress?.add(bytes: raw.bytesRead - reported) }
    return reader.lineNumber
  }

  private mutating func readDocument<Sink: ObjectSink>(
    _ source: ByteSource, raw: FileByteSource, path: String, index: Int32, into sink: inout Sink,
    invalid: inout [InvalidLine], progress: ReadProgress?
  ) throws(InputError) -> Int {
    // Read through the worker's buffer (idle on this path), counting newlines as the line reader counts lines.
    var data: [UInt8] = []
    var newlines = 0
    while true {
      let n = try source.read(into: buffer.whole)
      if n == 0 { break }
      let chunk = UnsafeRawBufferPointer(rebasing: buffer.whole[0..<n])
      newlines += FileRange.newlines(in: chunk)
      data.append(contentsOf: chunk)
    }
    progress?.add(bytes: raw.bytesRead)
    var skip = 0
    if data.count >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF { skip = 3 }
    let lines = newlines + (data.last.map { $0 == 10 ? 0 : 1 } ?? 0)
    data.withUnsafeBufferPointer { all in
      guard let base = all.baseAddress, all.count > skip else { return }
      var s = JSONScanner(base: base, count: all.count, line: 1)
      s.position = skip
      while true {
        s.skipWhitespace()
        if s.atEnd { break }
        let valueStart = s.position
        let valueLine = s.line
        do throws(JSONSyntaxError) {
          try scanner.scan(&s)
        } catch {
          // A syntax error inside a multi-line value leaves no safe place to
          // resume, so the rest of the file is one rejected piece.
          let (line, column, lineEnd) = locate(error.offset, in: all, from: valueStart, line: valueLine)
          invalid.append(
            InvalidLine(
              file: path, line: line,
              reason: "\(error.message) (column \(column)); the rest of the file was not read",
              raw: String(decoding: all[valueStart..<lineEnd], as: UTF8.self)))
          return
        }
        decodeScanned(s, path: path, index: index, into: &sink, invalid: &invalid)
      }
    }
    return lines
  }

  private mutating func decodeScanned<Sink: ObjectSink>(
    _ s: JSONScanner, path: String, index: Int32, into sink: inout Sink, invalid: inout [InvalidLine]
  ) {
    problems.removeAll(keepingCapacity: true)
    decoder.decode(scanner, text: s, file: index, into: &sink, problems: &problems)
    for problem in problems {
      invalid.append(
        InvalidLine(
          file: path, line: problem.line, reason: problem.message, raw: s.text(from: problem.start, to: problem.end)))
    }
  }

  /// Line and column (1-based) of `offset`, and where that line ends.
  private func locate(_ offset: Int, in all: UnsafeBufferPointer<UInt8>, from start: Int, line: Int) -> (Int, Int, Int)
  {
    var current = line
    var lineStart = start
    var i = start
    let target = min(offset, all.count)
    while i < target {
      if all[i] == 10 {
        current += 1
        lineStart = i + 1
      }
      i += 1
    }
    var lineEnd = target
    while lineEnd < all.count && all[lineEnd] != 10 { lineEnd += 1 }
    return (current, target - lineStart + 1, lineEnd)
  }
}
