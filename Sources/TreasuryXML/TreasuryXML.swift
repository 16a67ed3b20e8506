// TreasuryXML
//
// XML for the package: `XMLByteWriter`, the statement renderers' streaming writer into a `RenderTarget` (failing with
// `RenderError`), written in Swift byte for byte as libxml2's xmlTextWriter writes; libxml2 itself (`LibXML2.swift`,
// the only file that imports CLibXML2 and holds its pointers) for compiled schemas, a streaming validating reader,
// and `XMLStreamWriter`, the xmlTextWriter-based writer the tests keep as the Swift writer's oracle. It must not know
// camt.053 or OFX beyond what callers tell it.
