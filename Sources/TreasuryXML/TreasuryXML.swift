// TreasuryXML
//
// libxml2 for the package: a streaming writer into a `RenderTarget` (failing with `RenderError`), compiled schemas, and
// a streaming validating reader. The only target that imports CLibXML2, and all of libxml2's pointers stay in
// `LibXML2.swift`; it must not know camt.053 or OFX beyond what callers tell it.
