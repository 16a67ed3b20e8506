// TreasuryStorage
//
// Object storage: the `ObjectStore` seam (a local folder, S3 and its clones), AWS Signature Version 4
// (`SigV4Signer`) and credentials. Stores never replace an object and check every byte they write against its
// SHA-256. It must not read dumps or build statements; the S3 client sends its requests through TreasuryHTTP.
