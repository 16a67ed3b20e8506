/// A balance change in the three sub-balances, in cents.
struct Impact {
  var cash: Int64 = 0
  var inbound: Int64 = 0
  var outbound: Int64 = 0

  static func + (a: Impact, b: Impact) -> Impact {
    Impact(cash: a.cash + b.cash, inbound: a.inbound + b.inbound, outbound: a.outbound + b.outbound)
  }
}

struct GeneratedTransaction {
  var id: String
  var financialAccount: String
  var flow: String
  var flowType: String
  var description: String
  var amount: Int64
  var created: Int64
  var status: String
  var postedAt: Int64?
  var voidAt: Int64?
  var impact = Impact()
}

struct GeneratedEntry {
  var id: String
  var transaction: String
  var financialAccount: String
  var flow: String
  var flowType: String
  var type: String
  var at: Int64
  var impact: Impact
}
