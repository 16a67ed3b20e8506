extension Int {
  /// The count with its noun, singular for exactly one: `1 line`, `2 lines`, `0 lines`.
  ///
  /// `plural` defaults to the noun plus `s`; pass it for nouns that change otherwise (`entry` → `entries`). Every
  /// count a person reads goes through here, so that no message says `1 lines` or `1 file(s)`.
  package func counted(_ noun: String, plural: String? = nil) -> String {
    "\(self) " + (self == 1 ? noun : plural ?? noun + "s")
  }
}
