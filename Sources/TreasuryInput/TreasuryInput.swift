// TreasuryInput
//
// Reading dumps: byte sources (files, standard input, gzip), line and document splitting, the validating JSON scanner,
// decoding into the model's records (`ObjectDecoder`, `DumpFileReader`), the input catalog and paths compared by device
// and inode, and `Syscall`, the one place that calls read(2) and write(2). It must not know ledgers, statements or
// outputs: it hands records to an `ObjectSink`.
