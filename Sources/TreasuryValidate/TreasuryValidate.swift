// TreasuryValidate
//
// `validate`: camt.053 documents checked against the embedded official schemas (the only importer of CCamtSchemas, in
// `EmbeddedSchemas.swift`) and the rules the schemas cannot say. It reads through Input and XML and must not write
// files.
