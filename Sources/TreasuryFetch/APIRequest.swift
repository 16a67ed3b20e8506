/// One GET to the Stripe API, described without the key (safe to print).
package struct APIRequest: Sendable {
  package var path: String
  package var query: [(String, String)]
  /// The connected account (`Stripe-Account` header); nil for the platform.
  package var account: String?

  package init(path: String, query: [(String, String)] = [], account: String? = nil) {
    self.path = path
    self.query = query
    self.account = account
  }

  /// How messages name the request: `GET /v1/treasury/transactions?financial_account=fa_1 (acct_1)`.
  package var label: String {
    let q = query.isEmpty ? "" : "?" + query.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    return "GET \(path)\(q) (\(account ?? "platform"))"
  }

  /// The query string, percent-encoded (brackets too, as in `created%5Bgte%5D=…`).
  var encodedQuery: String {
    query.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
  }

  static func encode(_ text: String) -> String {
    var out = ""
    for byte in text.utf8 {
      let c = Character(Unicode.Scalar(byte))
      if (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        || c == "-" || c == "_" || c == "." || c == "~"
      {
        out.append(c)
      } else {
        let hex = String(byte, radix: 16, uppercase: true)
        out += "%" + (hex.count == 1 ? "0" + hex : hex)
      }
    }
    return out
  }
}
