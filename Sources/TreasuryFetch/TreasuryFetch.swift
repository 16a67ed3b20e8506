// TreasuryFetch
//
// `fetch`: the Stripe API client (on TreasuryHTTP, with retries and the rate limit), paging and checkpoints, the order
// of requests that keeps a dump consistent, and the dump files written atomically through Output's `AtomicFileWriter`.
// Objects are checked with Input's scanner and decoder, so fetch stores only what `statements` accepts; it must not
// build statements.
