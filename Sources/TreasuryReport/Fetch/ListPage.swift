import Foundation

/// One page of a Stripe list (`{"object":"list","data":[…],"has_more":…}`), its objects kept as the API wrote them.
struct ListPage: Sendable {
  var objects: [FetchedObject]
  var hasMore: Bool

  /// Parses a page whose items must all be of `type`.
  static func parse(_ body: [UInt8], itemType type: String) throws(FetchedObjectProblem) -> ListPage {
    let value: Any
    do {
      value = try JSONSerialization.jsonObject(with: Data(body))
    } catch {
      throw FetchedObjectProblem("the body is not valid JSON")
    }
    guard let dict = value as? [String: Any], dict["object"] as? String == "list" else {
      throw FetchedObjectProblem("the body is not a list object")
    }
    guard let data = dict["data"] as? [Any] else { throw FetchedObjectProblem("the list has no 'data' array") }
    guard let hasMore = dict["has_more"] as? Bool else { throw FetchedObjectProblem("the list has no 'has_more'") }
    let compact = JSONSpans.compact(body)
    guard let spans = JSONSpans.elements(ofArray: "data", in: compact), spans.count == data.count else {
      throw FetchedObjectProblem("cannot find each item of 'data' in the body")
    }
    var objects: [FetchedObject] = []
    objects.reserveCapacity(data.count)
    for (item, span) in zip(data, spans) {
      guard let fields = item as? [String: Any] else {
        throw FetchedObjectProblem("an item of 'data' is not an object")
      }
      switch FetchedObject.parse(fields, line: Array(compact[span]), expecting: type) {
      case .success(let object): objects.append(object)
      case .failure(let problem): throw problem
      }
    }
    return ListPage(objects: objects, hasMore: hasMore)
  }

  /// Parses a single object (a retrieve by id).
  static func parseObject(_ body: [UInt8], type: String) throws(FetchedObjectProblem) -> FetchedObject {
    switch FetchedObject.parse(JSONSpans.compact(body), expecting: type) {
    case .success(let object): return object
    case .failure(let problem): throw problem
    }
  }
}
