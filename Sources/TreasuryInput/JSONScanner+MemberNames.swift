extension JSONScanner {
  /// Reads a member name and the `:` after it, as words to match against known names.
  ///
  /// A plain name is found with one to three word loads that are also its
  /// match words; names with escapes or non-ASCII take the general path.
  @inline(__always)
  package mutating func readKeyWords() throws(JSONSyntaxError) -> KeyWords {
    if let words = try readPlainKeyWords() { return words }
    return KeyWords(try readKey(), in: self)
  }

  /// `readKeyWords` for a plain name (at most 23 bytes, no escapes, not near the end of the text); nil, with
  /// nothing read, for any other name. The name's raw bytes are then exactly `words.count` long.
  @inline(__always)
  mutating func readPlainKeyWords() throws(JSONSyntaxError) -> KeyWords? {
    guard position < end, base[position] == UInt8(ascii: "\"") else {
      throw fail("expected a member name in double quotes")
    }
    let start = position + 1
    let raw = UnsafeRawPointer(base)
    if start + 24 <= end {
      let w0 = raw.loadUnaligned(fromByteOffset: start, as: UInt64.self)
      let s0 = Self.specialBytes(w0)
      var count = -1
      var words = KeyWords(count: 0, w0: 0, w1: 0, w2: 0)
      if s0 != 0 {
        let n = s0.trailingZeroBitCount >> 3
        if base[start + n] == UInt8(ascii: "\"") {
          count = n
          words = KeyWords(count: n, w0: n == 0 ? 0 : w0 & ((1 &<< UInt64(n * 8)) &- 1), w1: 0, w2: 0)
        }
      } else {
        let w1 = raw.loadUnaligned(fromByteOffset: start + 8, as: UInt64.self)
        let s1 = Self.specialBytes(w1)
        let s2 = s1 != 0 ? 0 : Self.specialBytes(raw.loadUnaligned(fromByteOffset: start + 16, as: UInt64.self))
        let n = s1 != 0 ? 8 + s1.trailingZeroBitCount >> 3 : (s2 != 0 ? 16 + s2.trailingZeroBitCount >> 3 : -1)
        if n >= 0 && base[start + n] == UInt8(ascii: "\"") {
          count = n
          let last = n == 8 ? 0 : raw.loadUnaligned(fromByteOffset: start + n - 8, as: UInt64.self)
          words = KeyWords(count: n, w0: w0, w1: last, w2: n > 16 ? w1 : 0)
        }
      }
      if count >= 0 {
        position = start + count + 1
        skipWhitespace()
        try expect(UInt8(ascii: ":"), "':' after a member name")
        skipWhitespace()
        return words
      }
    }
    return nil
  }

  /// Reads a member name like `readKeyWords`, trying first the exact bytes `"name":` that stood at this
  /// position in the previous object of the same kind (`guess`), and updating the guess.
  @inline(__always)
  package mutating func readKeyWords(guess slot: UnsafeMutablePointer<KeyGuess>) throws(JSONSyntaxError) -> KeyWords {
    let guess = slot.pointee
    if guess.length > 0 && position + 24 <= end {
      let p = UnsafeRawPointer(base + position)
      let first = p.loadUnaligned(as: UInt64.self)
      let matched: Bool
      if guess.length <= 8 {
        matched = first & guess.mask == guess.w0
      } else {
        let last = p.loadUnaligned(fromByteOffset: guess.length - 8, as: UInt64.self)
        let middle = guess.length > 16 ? p.loadUnaligned(fromByteOffset: 8, as: UInt64.self) : 0
        matched = first == guess.w0 && last == guess.w1 && middle == guess.w2
      }
      if matched {
        position += guess.length
        skipWhitespace()
        return guess.words
      }
    }
    let start = position
    guard let words = try readPlainKeyWords() else {
      slot.pointee = KeyGuess()
      return KeyWords(try readKey(), in: self)
    }
    // Learn the guess from a plain name with its colon right after the quote, `"name":`; the whitespace after
    // the colon is not part of it (the match above skips it), so `"name": value` is learned too.
    let length = words.count + 3
    if length <= 24 && start + 24 <= end && base[start + length - 1] == UInt8(ascii: ":") {
      let p = UnsafeRawPointer(base + start)
      let first = p.loadUnaligned(as: UInt64.self)
      if length <= 8 {
        let mask: UInt64 = length == 8 ? ~0 : (1 &<< UInt64(length * 8)) &- 1
        slot.pointee = KeyGuess(length: length, mask: mask, w0: first & mask, w1: 0, w2: 0, words: words)
      } else {
        slot.pointee = KeyGuess(
          length: length, mask: ~0, w0: first, w1: p.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self),
          w2: length > 16 ? p.loadUnaligned(fromByteOffset: 8, as: UInt64.self) : 0, words: words)
      }
    } else {
      slot.pointee = KeyGuess()
    }
    return words
  }
}

/// Loads member names as little-endian 64-bit words, so that a name is matched with one to three compares.
///
/// The constants below are the names' bytes (e.g. 0x6469 is "id"): for up to
/// eight bytes one masked word, for up to 16 the first and last eight, for up
/// to 24 also the middle eight.
package struct KeyWords {
  let count: Int
  let w0: UInt64
  let w1: UInt64
  let w2: UInt64

  init(count: Int, w0: UInt64, w1: UInt64, w2: UInt64) {
    self.count = count
    self.w0 = w0
    self.w1 = w1
    self.w2 = w2
  }

  @inline(__always)
  init(_ key: StringSpan, in s: borrowing JSONScanner) {
    count = key.count
    if !key.inScratch && key.offset + 8 <= s.end && count <= 24 {
      let p = UnsafeRawPointer(s.base + key.offset)
      if count <= 8 {
        w0 = p.loadUnaligned(as: UInt64.self) & (count == 8 ? ~0 : (1 &<< UInt64(count * 8)) &- 1)
        w1 = 0
        w2 = 0
      } else {
        w0 = p.loadUnaligned(as: UInt64.self)
        w1 = p.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        w2 = count > 16 ? p.loadUnaligned(fromByteOffset: 8, as: UInt64.self) : 0
      }
    } else {
      // Escaped names, names at the very end of the text, long names: the same words, byte by byte.
      var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
      s.withBytes(key) { bytes in
        func word(_ from: Int) -> UInt64 {
          var w: UInt64 = 0
          for i in 0..<min(8, max(0, bytes.count - from)) { w |= UInt64(bytes[from + i]) << UInt64(i * 8) }
          return w
        }
        if bytes.count <= 8 {
          words = (word(0), 0, 0)
        } else if bytes.count <= 24 {
          words = (word(0), word(bytes.count - 8), bytes.count > 16 ? word(8) : 0)
        }
      }
      (w0, w1, w2) = count <= 24 ? words : (0, 0, 0)
    }
  }
}

/// The exact bytes of a member name with its quotes and colon (`"amount":`), remembered from the previous
/// object at the same member position, with the name's match words.
package struct KeyGuess {
  var length = 0
  var mask: UInt64 = 0
  var w0: UInt64 = 0
  var w1: UInt64 = 0
  var w2: UInt64 = 0
  var words = KeyWords(count: 0, w0: 0, w1: 0, w2: 0)

  package init() {}

  init(length: Int, mask: UInt64, w0: UInt64, w1: UInt64, w2: UInt64, words: KeyWords) {
    self.length = length
    self.mask = mask
    self.w0 = w0
    self.w1 = w1
    self.w2 = w2
    self.words = words
  }
}
