// TreasuryStorage
//
// Object storage, so far its signing: AWS Signature Version 4 (`SigV4Signer`) and credentials. It must not read dumps
// or build statements; the S3 client that will send requests goes on TreasuryHTTP.
