// TreasuryRender
//
// Every output format rendered from statements: CSV files and profiles, camt.053, OFX 1 and 2, BAI2, the HTML statement
// (Mustache), the summary and accounts files. Renderers write to a `RenderTarget` and throw only `RenderError` (an
// output that failed, or a value the format cannot carry); they must not open files, know where their bytes go, or
// decide exit codes.
