// TreasuryModel
//
// The vocabulary every layer shares: the records read from dumps (transactions, entries, financial and connected
// accounts), money and balances, periods and civil dates, symbols, the output seam (`RenderTarget`, whose `write`
// throws only `OutputError`, and `RenderError`, the one error every renderer throws), `ExitStatus` (every exit code of
// every command), the tool's name and version, and the thread tools (`WorkQueue`, `BusyThreads`). It must not read or
// write a file, reach the network or import a C module: amounts are integers of minor units, and nothing here knows a
// file format.
