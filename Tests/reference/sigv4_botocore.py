#!/usr/bin/env python3
"""An independent AWS Signature Version 4 signer for S3: botocore's S3SigV4Auth, for the Swift signer's tests.

Shares no code with the Swift tool. Reads a JSON array of requests on stdin, each
  {"method", "scheme", "host" (lowercase, ":port" only when not the default), "path" (decoded, "/bucket/key"),
   "query": [[name, value], ...] (decoded), "headers": [[name, value], ...], "body" (base64),
   "unsignedPayload" (bool), "accessKey", "secret", "token" (absent or null), "region", "time" (Unix seconds)}
and builds each request the way botocore's S3 client does: the path percent-encoded with
botocore.utils.percent_encode(safe='/~'), the query with percent_encode_sequence, the headers appended in order
(repeats kept), payload signing switched by the client config's s3.payload_signing_enabled. It signs at the given
time (botocore.auth.get_current_datetime patched, since add_auth overwrites request.context['timestamp']) and
prints a JSON array of {"authorization", "canonicalRequest", "headers": {lowercase name: value}} with the
headers botocore added (x-amz-date, x-amz-content-sha256, x-amz-security-token).

Needs botocore (make test-venv puts it in .build/test-venv).
Usage: sigv4_botocore.py < requests.json
"""
import base64, datetime, json, sys

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.utils import percent_encode, percent_encode_sequence


class CapturingS3SigV4Auth(botocore.auth.S3SigV4Auth):
    """S3SigV4Auth that keeps the canonical request it signed, so that a disagreement can be shown."""

    def canonical_request(self, request):
        self.captured = super().canonical_request(request)
        return self.captured


def sign(case):
    instant = datetime.datetime.fromtimestamp(case['time'], datetime.timezone.utc)
    botocore.auth.get_current_datetime = lambda: instant
    url = f"{case['scheme']}://{case['host']}{percent_encode(case['path'], safe='/~')}"
    if case['query']:
        url += '?' + percent_encode_sequence([(name, value) for name, value in case['query']])
    request = AWSRequest(method=case['method'], url=url, data=base64.b64decode(case['body']))
    for name, value in case['headers']:
        request.headers[name] = value  # HTTPMessage appends: a repeated header stays repeated, in order
    request.context['client_config'] = Config(s3={'payload_signing_enabled': not case['unsignedPayload']})
    credentials = Credentials(case['accessKey'], case['secret'], case.get('token'))
    signer = CapturingS3SigV4Auth(credentials, 's3', case['region'])
    before = {name.lower() for name in request.headers.keys()}
    signer.add_auth(request)
    added = {
        name.lower(): value
        for name, value in request.headers.items()
        if name.lower() not in before and name.lower() != 'authorization'
    }
    return {'authorization': request.headers['Authorization'], 'canonicalRequest': signer.captured, 'headers': added}


def main():
    cases = json.loads(sys.stdin.buffer.read().decode('utf-8'))
    json.dump([sign(case) for case in cases], sys.stdout)


if __name__ == '__main__':
    main()
