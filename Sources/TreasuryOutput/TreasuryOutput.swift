// TreasuryOutput
//
// Writing files: `FileSink` (hashed writes), `OutputWriter` (with gzip), `GzipTarget` and `GzipMembers`, the staged
// `OutputFolder` moved into place whole, `AtomicFileWriter` (fetch's files), interrupt cleanup, stderr
// (`StandardError`, `ProgressTicker`). Every write goes through `Syscall`; it fails only with `OutputError`. It must
// not know statements or formats: it takes bytes.
