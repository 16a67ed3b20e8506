// TreasuryZlib
//
// zlib for the package: `Inflater` and `Deflater`, each keeping its `z_stream` at one address for its whole life, every
// call checked into a `ZlibError`. The only target that imports CZlib (in `Zlib.swift`); it must not know files, dumps
// or outputs: callers hand it bytes and take bytes back.
