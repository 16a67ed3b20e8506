// TreasuryZlib
//
// Compression for the package. zlib: `Inflater` and `Deflater`, each keeping its `z_stream` at one address for its
// whole life, every call checked into a `ZlibError`; only `Zlib.swift` imports CZlib, and zlib stays for streaming
// inflate of any `.gz` input. libdeflate (linked in statically): `GzipMemberEncoder`, one whole block of input into one
// reproducible gzip member, which gzip writing uses, and `GzipMemberDecoder`, one whole member held in memory back
// into its bytes (a fast path for reading; zlib reads whatever it declines); only `LibDeflate.swift` imports
// CLibDeflate. It must not know files, dumps or outputs: callers hand it bytes and take bytes back.
