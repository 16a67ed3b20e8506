// TreasuryHTTP
//
// The one HTTP client: `BoundedHTTP` bounds every exchange in time and size and never follows a redirect. The only
// importer of FoundationNetworking (in `BoundedHTTP.swift`). It knows no API (the Stripe client and a later S3 client
// build `HTTPRequest`s) and must not read or write files.
