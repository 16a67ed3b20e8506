#!/usr/bin/env python3
"""An independent computation of treasury-report's summary.csv, straight from domain.md.

Shares no code with the Swift tool: plain json, gzip, zoneinfo and integers.
Usage: summary.py INPUT... [--tz ZONE] [--interval day|week|month|quarter|year] [--account acct_...]
Prints summary.csv (CRLF, RFC 4180) to stdout.
"""
import argparse, csv, gzip, io, json, os, re, sys
from datetime import datetime, timedelta, timezone, date
from zoneinfo import ZoneInfo

ACCOUNT = re.compile(r'^acct_[A-Za-z0-9]+$')
ZERO_DECIMAL = set('bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf'.split())
THREE_DECIMAL = set('bhd jod kwd omr tnd'.split())
SKIP = {'manifest.json', 'fetch-manifest.json', 'rejects.jsonl', 'report.json'}


def files(inputs, default_account):
    for path in inputs:
        if os.path.isdir(path):
            found = []
            for root, dirs, names in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith('.')]
                for n in names:
                    if n.startswith('.') or n in SKIP:
                        continue
                    if n.endswith(('.jsonl', '.json', '.jsonl.gz', '.json.gz')):
                        found.append(os.path.join(root, n))
            yield from ((f, account_of(f, default_account)) for f in sorted(found))
        else:
            yield path, account_of(path, default_account)


def account_of(path, default):
    for part in reversed(path.split('/')[:-1]):
        if ACCOUNT.match(part):
            return part
    return default


def values(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        text = f.read().decode('utf-8-sig')
    if '.jsonl' in path:
        for line in text.splitlines():
            if line.strip():
                yield json.loads(line)
    else:
        decoder = json.JSONDecoder()
        i = 0
        while True:
            while i < len(text) and text[i].isspace():
                i += 1
            if i >= len(text):
                break
            value, i = decoder.raw_decode(text, i)
            yield value


def objects(value):
    if isinstance(value, list):
        for v in value:
            yield from objects(v)
        return
    kind = value.get('object')
    if kind == 'list':
        for item in value['data']:
            yield from objects(item)
    elif kind == 'treasury.transaction':
        yield value
        if value.get('entries'):
            for e in value['entries']['data']:
                yield e
    elif kind == 'treasury.transaction_entry':
        t = value['transaction']
        if isinstance(t, dict):
            yield t
            value = dict(value, transaction=t['id'])
        yield value
    else:
        yield value


def period_start(local, interval):
    d = local.date()
    if interval == 'day':
        return d
    if interval == 'week':
        return d - timedelta(days=d.weekday())
    if interval == 'month':
        return d.replace(day=1)
    if interval == 'quarter':
        return date(d.year, (d.month - 1) // 3 * 3 + 1, 1)
    return date(d.year, 1, 1)


def next_start(d, interval):
    if interval == 'day':
        return d + timedelta(days=1)
    if interval == 'week':
        return d + timedelta(days=7)
    months = {'month': 1, 'quarter': 3, 'year': 12}[interval]
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def label(d, interval):
    """The period's name, as its folder: 2026-03-15, 2026-W11, 2026-03, 2026-Q1, 2026."""
    if interval == 'day':
        return d.isoformat()
    if interval == 'week':
        year, week, _ = d.isocalendar()
        return f'{year:04d}-W{week:02d}'
    if interval == 'month':
        return f'{d.year:04d}-{d.month:02d}'
    if interval == 'quarter':
        return f'{d.year:04d}-Q{(d.month - 1) // 3 + 1}'
    return f'{d.year:04d}'


def midnight(d, zone):
    # The first instant of local date d (zoneinfo resolves a gap forward).
    return int(datetime(d.year, d.month, d.day, tzinfo=zone).timestamp())


def money(minor, currency):
    digits = 0 if currency in ZERO_DECIMAL else 3 if currency in THREE_DECIMAL else 2
    sign = '-' if minor < 0 else ''
    minor = abs(minor)
    if digits == 0:
        return f'{sign}{minor}'
    return f'{sign}{minor // 10 ** digits}.{minor % 10 ** digits:0{digits}d}'


def iso(t, zone):
    return datetime.fromtimestamp(t, zone).isoformat()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('inputs', nargs='+')
    parser.add_argument('--tz', default='UTC')
    parser.add_argument('--interval', default='month')
    parser.add_argument('--account', default='')
    args = parser.parse_args()
    zone = ZoneInfo(args.tz)

    entries, transactions, owner = {}, {}, {}
    rank = {'open': 0, 'posted': 1, 'void': 1}
    for path, account in files(args.inputs, args.account):
        for value in values(path):
            for o in objects(value):
                kind = o.get('object')
                if kind == 'treasury.transaction_entry':
                    entries[o['id']] = o
                    owner[o['financial_account']] = account
                elif kind == 'treasury.transaction':
                    kept = transactions.get(o['id'])
                    if kept is None or rank[o['status']] > rank[kept['status']]:
                        transactions[o['id']] = o
                    owner[o['financial_account']] = account

    times = [e['effective_at'] for e in entries.values()] + [e['created'] for e in entries.values()]
    for t in transactions.values():
        times.append(t['created'])
        st = t['status_transitions']
        times += [x for x in (st.get('posted_at'), st.get('void_at')) if x is not None]
    rows = []
    if times:
        periods = []
        d = period_start(datetime.fromtimestamp(min(times), zone), args.interval)
        last = max(times)
        while True:
            start = midnight(d, zone)
            if start > last:
                break
            n = next_start(d, args.interval)
            periods.append((start, midnight(n, zone), label(d, args.interval)))
            d = n
        keys = {(e['financial_account'], e['currency']) for e in entries.values()}
        keys |= {(t['financial_account'], t['currency']) for t in transactions.values()}
        for fa, currency in keys:
            es = [e for e in entries.values() if e['financial_account'] == fa and e['currency'] == currency]
            ts = [t for t in transactions.values() if t['financial_account'] == fa and t['currency'] == currency]
            first = min([e['effective_at'] for e in es] + [t['created'] for t in ts])
            for start, end, name in periods:
                if end <= first:
                    continue
                def sub(before):
                    return [sum(e['balance_impact'][k] for e in es if e['effective_at'] < before)
                            for k in ('cash', 'inbound_pending', 'outbound_pending')]
                opening, closing = sub(start), sub(end)
                posted = [t for t in ts if t['status'] == 'posted' and start <= t['status_transitions']['posted_at'] < end]
                credits = sum(t['amount'] for t in posted if t['amount'] > 0)
                debits = -sum(t['amount'] for t in posted if t['amount'] < 0)
                voided = [t for t in ts if t['status'] == 'void' and start <= t['status_transitions']['void_at'] < end]
                def resolved(t):
                    st = t['status_transitions']
                    return st.get('posted_at') if st.get('posted_at') is not None else st.get('void_at')
                open_count = sum(1 for t in ts if t['created'] < end and (resolved(t) is None or resolved(t) >= end))
                reconciled = sum(closing) - sum(opening) == credits - debits
                rows.append((start, end, fa, currency, [
                    fa, owner.get(fa, ''), currency, name, iso(start, zone), iso(end, zone),
                    money(sum(opening), currency), money(opening[0], currency),
                    *[money(v, currency) for v in opening], money(credits, currency), money(debits, currency),
                    money(sum(closing), currency), money(closing[0], currency),
                    *[money(v, currency) for v in closing], str(len(posted)), str(len(voided)), str(open_count),
                    'true' if reconciled else 'false']))
    rows.sort(key=lambda r: r[:4])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\r\n')
    # booked = cash + inbound_pending + outbound_pending, available = cash (domain.md).
    writer.writerow(['financial_account', 'account', 'currency', 'period', 'period_start', 'period_end',
                     'opening_booked', 'opening_available', 'opening_cash', 'opening_inbound_pending',
                     'opening_outbound_pending', 'credits', 'debits', 'closing_booked', 'closing_available',
                     'closing_cash', 'closing_inbound_pending', 'closing_outbound_pending', 'posted_count',
                     'void_count', 'open_count', 'reconciled'])
    for r in rows:
        writer.writerow(r[4])
    sys.stdout.write(out.getvalue())


if __name__ == '__main__':
    main()
