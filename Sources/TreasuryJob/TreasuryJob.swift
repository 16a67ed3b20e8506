// TreasuryJob
//
// The `statements` run (`StatementsJob`, the entry point a library user calls): options, period plan, the worker pool
// (units, partitioned units, at most `--jobs` threads at work), statement files and per-period BAI2 files, the reject
// log, the template library (built in by the EmbedTemplates plugin) and the run report. It wires the layers below
// together and must not parse flags or exit: the CLI does that.
