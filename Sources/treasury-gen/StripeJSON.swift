/// Appends Stripe-shaped JSON objects (id and object first, then keys in order, as the API writes them).
struct StripeJSON {
  var bytes: [UInt8] = []

  mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

  mutating func string(_ text: String) {
    bytes.append(UInt8(ascii: "\""))
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": raw("\\\"")
      case "\\": raw("\\\\")
      case "\n": raw("\\n")
      case "\r": raw("\\r")
      case "\t": raw("\\t")
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        raw("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
      default: bytes.append(contentsOf: String(scalar).utf8)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }

  mutating func impact(_ i: Impact) {
    raw("{\"cash\":\(i.cash),\"inbound_pending\":\(i.inbound),\"outbound_pending\":\(i.outbound)}")
  }

  mutating func transaction(_ t: GeneratedTransaction, livemode: Bool) {
    raw("{\"id\":")
    string(t.id)
    raw(",\"object\":\"treasury.transaction\",\"amount\":\(t.amount),\"balance_impact\":")
    impact(t.impact)
    raw(",\"created\":\(t.created),\"currency\":\"usd\",\"description\":")
    string(t.description)
    raw(",\"entries\":null,\"financial_account\":")
    string(t.financialAccount)
    raw(",\"flow\":")
    string(t.flow)
    raw(",\"flow_details\":null,\"flow_type\":")
    string(t.flowType)
    raw(",\"livemode\":\(livemode),\"status\":\"\(t.status)\",\"status_transitions\":{\"posted_at\":")
    raw(t.postedAt.map(String.init) ?? "null")
    raw(",\"void_at\":")
    raw(t.voidAt.map(String.init) ?? "null")
    raw("}}")
  }

  mutating func entry(_ e: GeneratedEntry, livemode: Bool) {
    raw("{\"id\":")
    string(e.id)
    raw(",\"object\":\"treasury.transaction_entry\",\"balance_impact\":")
    impact(e.impact)
    raw(",\"created\":\(e.at),\"currency\":\"usd\",\"effective_at\":\(e.at),\"financial_account\":")
    string(e.financialAccount)
    raw(",\"flow\":")
    string(e.flow)
    raw(",\"flow_details\":null,\"flow_type\":")
    string(e.flowType)
    raw(",\"livemode\":\(livemode),\"transaction\":")
    string(e.transaction)
    raw(",\"type\":")
    string(e.type)
    raw("}")
  }

  mutating func financialAccount(
    id: String, holder: String, last4: String, balance: Impact, created: Int64, livemode: Bool
  ) {
    raw("{\"id\":")
    string(id)
    raw(
      ",\"object\":\"treasury.financial_account\",\"active_features\":[\"financial_addresses.aba\",\"outbound_payments.ach\"],"
    )
    raw("\"balance\":{\"cash\":{\"usd\":\(balance.cash)},\"inbound_pending\":{\"usd\":\(balance.inbound)},")
    raw("\"outbound_pending\":{\"usd\":\(balance.outbound)}},\"country\":\"US\",\"created\":\(created),")
    raw("\"financial_addresses\":[{\"aba\":{\"account_holder_name\":")
    string(holder)
    raw(",\"account_number_last4\":")
    string(last4)
    raw(",\"bank_name\":\"STRIPE TEST BANK\",\"routing_number\":\"110000000\"},")
    raw("\"supported_networks\":[\"ach\",\"us_domestic_wire\"],\"type\":\"aba\"}],")
    raw("\"livemode\":\(livemode),\"metadata\":{},\"pending_features\":[],\"restricted_features\":[],")
    raw("\"status\":\"open\",\"status_details\":{\"closed\":null},\"supported_currencies\":[\"usd\"]}")
  }
}
