#!/usr/bin/env python3
"""A real S3-compatible server for the storage tests: moto's, with signature checking on.

Started by the tests (like stripe_server.py) on 127.0.0.1 at a random port. It
- lets the first few unauthenticated calls create an IAM user, its access key and
  an allow-all policy (moto's INITIAL_NO_AUTH_ACTION_COUNT); after that every request
  must carry a valid AWS Signature Version 4 (wrong secret: 403 SignatureDoesNotMatch);
- creates the buckets named with --bucket (NAME, or NAME:lock for Object Lock enabled);
- checks `x-amz-checksum-sha256` against the body, as S3 does (moto 5.2.1 only stores it:
  "TODO: AWS computes the provided value and verifies"), answering 400 BadDigest;
- can inject faults, set at start (--slowdown-every N) or at run time through
  POST /__faults with a JSON body {"slowdown_every": N, "drop_every": N, "delay": seconds}
  (unsigned; only on this test server): every Nth S3 request answers 503 SlowDown, or
  has its connection dropped, or each answer is delayed;
- lists each part's ChecksumSHA256 in ListParts, as S3 does for an upload created with
  x-amz-checksum-algorithm SHA256 (moto 5.2.1 leaves it out);
- checks signatures against the path and query as sent (moto re-encodes them first, and then refuses
  keys with non-ASCII characters, '+' or '%', even boto3's);
- serves STS on the same port; AssumeRoleWithWebIdentity is accepted unsigned, as AWS accepts it
  (moto's auth would demand a signature; moto does not check the token itself);
- answers requests signed for another region than a bucket made with --bucket NAME@REGION as AWS
  does (400 AuthorizationHeaderMalformed naming the region; moto has no regions for buckets);
- records every S3 request it receives (method, raw path, query, fault if one was injected, the
  access key id that signed it),
  which GET /__requests returns as a JSON list, so a test can assert what was sent.

It prints one JSON line on stdout, {"endpoint", "region", "access_key_id",
"secret_access_key"}, then serves until its stdin closes.
"""

import argparse
import base64
import hashlib
import json
import os
import socket
import sys
import threading
from urllib.parse import urlsplit, urlunsplit

# moto reads its settings when imported.
os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"
os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "true")

import boto3  # noqa: E402
from moto.core.authorization import ActionAuthenticatorMixin  # noqa: E402
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app  # noqa: E402
from moto.s3 import responses as s3_responses  # noqa: E402
from moto.s3.exceptions import S3ClientError  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

REGION = "us-east-1"


class BadDigest(S3ClientError):
    code = 400

    def __init__(self) -> None:
        super().__init__("BadDigest", "The SHA256 you specified did not match the calculated checksum.")


_original_get_checksum = s3_responses.S3Response._get_checksum


def _verified_get_checksum(self, response_headers):
    claimed = self.headers.get("x-amz-checksum-sha256")
    if claimed:
        body = self.body if isinstance(self.body, (bytes, bytearray)) else (self.body or b"")
        actual = base64.b64encode(hashlib.sha256(body).digest()).decode()
        if actual != claimed:
            raise BadDigest()
    return _original_get_checksum(self, response_headers)


s3_responses.S3Response._get_checksum = _verified_get_checksum


_original_authenticate = ActionAuthenticatorMixin._authenticate_and_authorize_action


def _authenticate_as_sent(self, iam_request_cls, resource="*"):
    # AWS authenticates AssumeRoleWithWebIdentity by its token, not a signature.
    if self._get_action() == "AssumeRoleWithWebIdentity":
        return None
    # moto 5.2.1 checks the signature against werkzeug's re-encoded URL, which differs from what was sent for
    # keys with non-ASCII characters, '+' or '%' and for queries with '/' (boto3's own requests then fail with
    # SignatureDoesNotMatch). S3 signs the path and query as sent: check those.
    environ = getattr(getattr(self, "request", None), "environ", None) or {}
    raw = environ.get("RAW_URI")
    if not raw:
        return _original_authenticate(self, iam_request_cls, resource)
    saved = self.uri
    sent = urlsplit(raw)
    self.uri = urlunsplit(urlsplit(saved)._replace(path=sent.path, query=sent.query))
    try:
        return _original_authenticate(self, iam_request_cls, resource)
    finally:
        self.uri = saved


ActionAuthenticatorMixin._authenticate_and_authorize_action = _authenticate_as_sent


def _part_checksums(environ, app, start_response):
    """ListParts as AWS answers it for an upload created with x-amz-checksum-algorithm SHA256: each Part with its
    ChecksumSHA256 (moto 5.2.1 leaves it out, and a client could not tell which parts to keep when resuming)."""
    from moto.s3.models import s3_backends

    captured = {}

    def capture(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, headers
        return lambda data: None

    body = b"".join(app(environ, capture))
    query = dict(p.split("=", 1) for p in environ.get("QUERY_STRING", "").split("&") if "=" in p)
    upload_id = query.get("uploadId", "")
    if captured["status"].startswith("200") and b"<Part>" in body:
        for account in s3_backends.values():
            for backend in account.values():
                for bucket in backend.buckets.values():
                    upload = bucket.multiparts.get(upload_id)
                    if upload is None or (upload.metadata or {}).get("x-amz-checksum-algorithm") != "SHA256":
                        continue
                    for number, part in upload.parts.items():
                        digest = base64.b64encode(hashlib.sha256(part.value).digest()).decode()
                        marker = f"<PartNumber>{number}</PartNumber>".encode()
                        body = body.replace(marker, marker + f"<ChecksumSHA256>{digest}</ChecksumSHA256>".encode())
    headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
    start_response(captured["status"], headers + [("Content-Length", str(len(body)))])
    return [body]


class Faults:
    def __init__(self, slowdown_every: int) -> None:
        self.lock = threading.Lock()
        self.slowdown_every = slowdown_every
        self.drop_every = 0
        self.delay = 0.0
        self.count = 0
        self.requests = []

    def next(self):
        with self.lock:
            self.count += 1
            n = self.count
            if self.drop_every and n % self.drop_every == 0:
                return "drop", self.delay
            if self.slowdown_every and n % self.slowdown_every == 0:
                return "slowdown", self.delay
            return None, self.delay


def wrong_region(environ, regions):
    """AWS's answer to a request signed for another region than its bucket's: 400 AuthorizationHeaderMalformed
    naming the right one (in the body and in x-amz-bucket-region), or None when the request is in the right one.
    moto keeps every bucket in one place and never says so; buckets made with --bucket NAME@REGION do."""
    bucket = environ.get("PATH_INFO", "/").lstrip("/").partition("/")[0]
    expected = regions.get(bucket)
    scope = environ.get("HTTP_AUTHORIZATION", "").partition("Credential=")[2].split("/")
    if expected is None or len(scope) < 3 or scope[2] == expected:
        return None
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AuthorizationHeaderMalformed</Code>'
        f"<Message>The authorization header is malformed; the region '{scope[2]}' is wrong; "
        f"expecting '{expected}'</Message><Region>{expected}</Region></Error>"
    ).encode()
    return body, expected


def application(app, faults: Faults, regions=None):
    regions = regions or {}
    import time

    def wrapped(environ, start_response):
        if environ.get("PATH_INFO") == "/__faults" and environ.get("REQUEST_METHOD") == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            settings = json.loads(environ["wsgi.input"].read(length) or b"{}")
            with faults.lock:
                faults.slowdown_every = int(settings.get("slowdown_every", 0))
                faults.drop_every = int(settings.get("drop_every", 0))
                faults.delay = float(settings.get("delay", 0))
                faults.count = 0
            start_response("204 No Content", [])
            return [b""]
        if environ.get("PATH_INFO") == "/__requests" and environ.get("REQUEST_METHOD") == "GET":
            with faults.lock:
                body = json.dumps(faults.requests).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        refusal = wrong_region(environ, regions)
        if refusal is not None:
            body, expected = refusal
            with faults.lock:
                faults.requests.append(
                    {"method": environ.get("REQUEST_METHOD"), "path": environ.get("RAW_URI", "").split("?")[0],
                     "query": environ.get("QUERY_STRING", ""), "fault": "wrong-region", "key": ""}
                )
            start_response(
                "400 Bad Request",
                [("Content-Type", "application/xml"), ("x-amz-bucket-region", expected),
                 ("Content-Length", str(len(body)))],
            )
            return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else body]
        kind, delay = faults.next()
        with faults.lock:
            faults.requests.append(
                {
                    "method": environ.get("REQUEST_METHOD"),
                    # The path as sent (percent-encoded), so a test can find its own prefix in it.
                    "path": environ.get("RAW_URI", environ.get("PATH_INFO", "")).split("?")[0],
                    "query": environ.get("QUERY_STRING", ""),
                    "fault": kind,
                    # The access key id that signed it (never the secret): which credentials the client used.
                    "key": environ.get("HTTP_AUTHORIZATION", "").partition("Credential=")[2].partition("/")[0],
                }
            )
        if delay:
            time.sleep(delay)
        if kind == "slowdown":
            body = (
                b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code>'
                b"<Message>Please reduce your request rate.</Message></Error>"
            )
            start_response(
                "503 Slow Down", [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))]
            )
            return [body]
        if kind == "drop":
            # Read nothing more and cut the connection: the client sees it end before an answer. (A plain close()
            # leaves the socket open while the server's file objects still hold it: the client would just wait.)
            connection = environ.get("werkzeug.socket")
            if connection is not None:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                connection.close()
            raise ConnectionAbortedError("fault: connection dropped")
        query = environ.get("QUERY_STRING", "")
        if environ.get("REQUEST_METHOD") == "GET" and "uploadId=" in query and "partNumber=" not in query:
            return _part_checksums(environ, app, start_response)
        return app(environ, start_response)

    return wrapped


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bucket", action="append", default=[], help="NAME, NAME:lock or NAME@REGION")
    parser.add_argument("--slowdown-every", type=int, default=0)
    args = parser.parse_args()

    faults = Faults(args.slowdown_every)
    regions = {spec.partition("@")[0]: spec.partition("@")[2] for spec in args.bucket if "@" in spec}
    app = application(DomainDispatcherApplication(create_backend_app), faults, regions)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{port}"

    with faults.lock:
        saved, faults.slowdown_every = faults.slowdown_every, 0
    anonymous = dict(
        endpoint_url=endpoint, region_name=REGION, aws_access_key_id="setup", aws_secret_access_key="setup"
    )
    iam = boto3.client("iam", **anonymous)
    iam.create_user(UserName="treasury-report")
    key = iam.create_access_key(UserName="treasury-report")["AccessKey"]
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    iam.put_user_policy(UserName="treasury-report", PolicyName="all", PolicyDocument=json.dumps(policy))
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )
    for spec in args.bucket:
        name, _, flag = spec.partition("@")[0].partition(":")
        region = spec.partition("@")[2]
        where = {"CreateBucketConfiguration": {"LocationConstraint": region}} if region else {}
        s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=(flag == "lock"), **where)
    with faults.lock:
        faults.slowdown_every, faults.count, faults.requests = saved, 0, []

    print(
        json.dumps(
            {
                "endpoint": endpoint,
                "region": REGION,
                "access_key_id": key["AccessKeyId"],
                "secret_access_key": key["SecretAccessKey"],
            }
        ),
        flush=True,
    )
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
