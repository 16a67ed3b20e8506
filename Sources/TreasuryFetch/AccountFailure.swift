/// Why one account folder could not be fetched (one error per financial account that failed).
struct AccountFailure: Error {
  var errors: [FetchError]
}
