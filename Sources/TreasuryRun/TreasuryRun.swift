// TreasuryRun
//
// The monthly `run`: its YAML config (strict, every error named by file, line and key path), which periods are
// final as of the run, each statement's content digest, versions (each with a reproducible `statement.tar.gz`
// made by TreasuryArchive's tar writer) and restatements, the append-only statement index, the run record and
// the lock in the storage target. It builds statements only through TreasuryJob's `StatementsJob` and writes to
// storage only through TreasuryStorage's `ObjectStore`.
