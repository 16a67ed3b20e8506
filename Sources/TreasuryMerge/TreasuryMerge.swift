// TreasuryMerge owns `merge`: putting the output folders of `statements --shard K/N` back together into the
// folder one unsharded run writes, byte for byte. It checks that the shards belong together (same version and
// flags, every K of 0..N-1 once, no account twice, each folder verifies), copies every statement file as it is,
// merges the run-wide files (summary.csv, accounts.csv, rejects.jsonl) row by row in the unsharded order,
// rebuilds each period archive from the copied gzip members without compressing any statement again, and writes
// the manifest the unsharded run would, plus the shards it came from (`merged_from`). Shards given as storage URLs
// are downloaded first (TreasuryPublish's `PublicationDownload`); it never writes to storage.
