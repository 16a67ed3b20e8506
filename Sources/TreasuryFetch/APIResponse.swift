/// A successful answer: its body and what the transport learned on the way.
struct APIResponse: Sendable {
  var body: [UInt8]
  /// The server's clock (`Date` header) as Unix seconds, when it sent one.
  var serverTime: Int64?
  /// Attempts it took, the successful one included.
  var attempts: Int
}
