import TreasuryInput
import TreasuryPartition

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One worker's rejected lines (see `RejectLog`); `finish()` hands them to the log.
struct RejectCollector: RejectSink, Sendable {
  let log: RejectLog
  /// This worker's spill file, when lines are set aside (`--skip-invalid`).
  private var file: SpillFile?
  /// Lines rejected so far.
  private(set) var count = 0
  /// The spill file could not be written: the run must stop (`RejectLog.copy` would fail anyway).
  var failure: SpillError? { file?.failure }
  private var kept: [RejectLog.Kept] = []
  /// Once `kept` was cut to `shownLimit` lines: the largest key among them (larger keys are not kept).
  private var keptBound: RejectLog.Key?
  private var source: Int32 = 0
  private var firstLine = 1
  private var sequence = 0
  private var buffer: [UInt8] = []
  /// Where the current segment starts in the spill file.
  private var segmentStart = 0
  private var segments: [RejectLog.Segment] = []

  static let flushAt = 1 << 18

  init(log: RejectLog, path: String?) {
    self.log = log
    file = path.map { SpillFile(path: $0, folder: log.folder) }
  }

  /// Starts a read of input file `file` (its run index) from line `firstLine`.
  mutating func begin(file: Int32, firstLine: Int) {
    endSegment()
    source = file
    self.firstLine = firstLine
    sequence = 0
  }

  mutating func reject(_ line: InvalidLine) {
    count += 1
    let key = RejectLog.Key(file: source, line: line.line, sequence: sequence)
    sequence += 1
    if keptBound.map({ key < $0 }) ?? true {
      var shown = line
      shown.raw = ""
      shown.rawBytes = nil
      kept.append(RejectLog.Kept(key: key, line: shown))
      if kept.count >= 2 * log.shownLimit {
        kept = RejectLog.smallest(kept, log.shownLimit)
        keptBound = kept.last?.key
      }
    }
    guard file != nil else { return }
    RejectsJSONL.append(line, to: &buffer)
    if buffer.count >= Self.flushAt { flush() }
  }

  /// Writes what is buffered, closes the spill file and hands everything to the log.
  mutating func finish() {
    endSegment()
    file?.close()
    log.finished(
      count: count, kept: RejectLog.smallest(kept, log.shownLimit), segments: segments,
      spill: file.flatMap { $0.exists ? $0.path : nil }, failure: file?.failure)
    count = 0
    kept = []
    keptBound = nil
    segments = []
  }

  private mutating func endSegment() {
    flush()
    guard let file, file.failure == nil else { return }
    if file.written > segmentStart {
      segments.append(
        RejectLog.Segment(
          file: source, firstLine: firstLine, path: file.path, offset: segmentStart,
          length: file.written - segmentStart))
    }
    segmentStart = file.written
  }

  private mutating func flush() {
    guard !buffer.isEmpty else { return }
    buffer.withUnsafeBytes { file?.append($0) }
    buffer.removeAll(keepingCapacity: true)
  }
}
