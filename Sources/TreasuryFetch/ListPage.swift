/// One page of a Stripe list (`{"object":"list","data":[…],"has_more":…}`), its objects kept as the API wrote them.
struct ListPage: Sendable {
  var objects: [FetchedObject]
  var hasMore: Bool

  /// Parses a page whose items must all be of `type`; each item's line is its text in the compacted body.
  static func parse(_ body: [UInt8], itemType type: String) throws(FetchedObjectProblem) -> ListPage {
    var reader = FetchedObjectReader()
    return try reader.page(JSONSpans.compact(body), itemType: type)
  }

  /// Parses a single object (a retrieve by id).
  static func parseObject(_ body: [UInt8], type: String) throws(FetchedObjectProblem) -> FetchedObject {
    switch FetchedObject.parse(JSONSpans.compact(body), expecting: type) {
    case .success(let object): return object
    case .failure(let problem): throw problem
    }
  }
}
