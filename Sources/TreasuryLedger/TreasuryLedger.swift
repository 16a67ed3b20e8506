// TreasuryLedger
//
// The ledger: the deduplicating store (how copies resolve in `LedgerStore+CopyResolution.swift`), per-account ledgers, the period calendar,
// statements and their cross-checks. Pure computation on the model: it must do no I/O and format no amount for a file
// (renderers do that); copies of an id seen run-wide are reported through `IdSightings`.
