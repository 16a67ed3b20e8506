import Foundation
import TreasuryInput
import TreasuryXML

/// One element of an S3 answer (`ListBucketResult`, `Error`, …), read with the project's libxml2 reader.
///
/// S3's answers are small (a listing page is at most 1,000 keys), so they are read whole into a tree of elements;
/// namespaces are dropped, since S3 uses one default namespace (or none, on some clones).
package struct S3XML: Sendable, Equatable {
  package var name: String
  /// The element's own text (its character data joined); empty when it has children only.
  package var text: String
  package var children: [S3XML]

  /// The first child named `name`.
  package subscript(_ name: String) -> S3XML? { children.first { $0.name == name } }

  /// Every child named `name`, in document order.
  package func all(_ name: String) -> [S3XML] { children.filter { $0.name == name } }

  /// The text of the first child named `name`, nil when there is none.
  package func value(_ name: String) -> String? { self[name]?.text }

  /// Reads a whole document; nil when it is not well-formed XML (an HTML error page from a proxy, a cut answer).
  package static func parse(_ bytes: [UInt8]) -> S3XML? {
    guard !bytes.isEmpty,
      let reader = try? XMLStreamReader(source: MemorySource(bytes), name: "S3 answer", schema: nil)
    else { return nil }
    var stack: [S3XML] = []
    var root: S3XML?
    while let node = reader.next() {
      switch node {
      case .start(let name, _, _, let isEmpty):
        let element = S3XML(name: name, text: "", children: [])
        if isEmpty {
          if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
        } else {
          stack.append(element)
        }
      case .end:
        guard let element = stack.popLast() else { return nil }
        if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
      case .text(let text):
        if !stack.isEmpty { stack[stack.count - 1].text += text }
      case .documentType:
        return nil
      }
    }
    guard reader.diagnostics.isEmpty, stack.isEmpty else { return nil }
    return root
  }

  /// `text` with `&`, `<` and `>` escaped, for the few bodies the client sends.
  static func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;")
  }
}

/// Hands libxml2 the bytes of an answer already in memory.
private final class MemorySource: ByteSource {
  let path = "S3 answer"
  private let bytes: [UInt8]
  private var offset = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    let n = min(buffer.count, bytes.count - offset)
    guard n > 0 else { return 0 }
    bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
    offset += n
    return n
  }
}
