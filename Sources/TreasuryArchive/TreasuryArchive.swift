// TreasuryArchive
//
// The run's records and what checks them: `manifest.json` (`Manifest`), period archives (tar writer, archive manifest),
// and `verify` (folder and archive verifiers, the strict tar and gzip readers, the statement tally read back from CSV).
// It reads and writes files through Input and Output, and must not read dumps or build statements.
