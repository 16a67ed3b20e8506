/// How long one line (`.jsonl`) or one value (`.json`) may be: a Stripe list page of 100 objects is a few
/// megabytes at most, so this bounds a reader's buffer without refusing real dumps.
package enum InputLimits {
  package static let maximumValueLength = 64 << 20
}
