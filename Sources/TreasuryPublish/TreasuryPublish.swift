// TreasuryPublish
//
// Publishing a finished output folder to storage and proving it there: the publish plan (the folder verified
// against its manifest, each file mapped to a key under the browsable layout), `PublishJob` (every key checked
// before anything is written, uploads with bounded concurrency, the manifest last) and `StorageVerifyJob`
// (`verify s3://…`: what is stored, downloaded and checked by the local verifier). It reads folders through
// TreasuryArchive and writes only through TreasuryStorage's `ObjectStore`; it must not build statements.
