#!/usr/bin/env python3
"""An independent reader of treasury-report's camt.053 documents, checked against the run's CSV files.

Shares no code with the Swift tool (or libxml2): xml.etree, csv and decimal only.
For every statement in OUT/summary.csv, reads OUT/<period>/<fa>/statement.camt053[.08][.ccy].xml and
requires: the opening and closing booked balances (OPBD, CLBD) to equal the sum of summary.csv's three
sub-balances, OPAV and CLAV to equal its cash; the transaction summary to equal credits, debits and
posted_count; each BOOK entry, in order, to be the matching row of transactions.csv (id, signed
amount, flow type, flow, booking date, description made XML-safe and cut to 500 characters); with
--pending, each PDNG entry to be the matching row of pending.csv, and without it, no PDNG entry.

Usage: camt053.py OUT [--version 02|08] [--pending]
Prints how many documents were checked; exits 1 after listing every mismatch.
"""
import argparse, csv, os, sys
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from decimal import Decimal

LIMIT = 500


def money(text):
    return Decimal(text) if text not in (None, '') else Decimal(0)


def csv_rows(path):
    with open(path, newline='', encoding='utf-8') as f:
        return list(csv.DictReader(f))


def unguard(cell):
    """Undo the CSV writer's formula guard (a leading ' before = + - @ tab CR)."""
    if len(cell) >= 2 and cell[0] == "'" and cell[1] in '=+-@\t\r':
        return cell[1:]
    return cell


def xml_safe(text):
    """What XML 1.0 can carry: C0 controls (but tab, LF, CR), DEL, C1, U+FFFE and U+FFFF become U+FFFD."""
    out = []
    for c in text:
        o = ord(c)
        if (o < 0x20 and c not in '\t\n\r') or 0x7F <= o < 0xA0 or o in (0xFFFE, 0xFFFF):
            out.append('\ufffd')
        else:
            out.append(c)
    return ''.join(out)


class Document:
    def __init__(self, path):
        self.path = path
        root_tag = None
        self.balances = {}
        self.summary = {}
        self.entries = []
        self.currency = None
        self.amount_currencies = set()
        self.from_time = self.to_time = None
        for event, element in ET.iterparse(path, events=('start', 'end')):
            if event == 'start':
                if root_tag is None:
                    root_tag = element.tag
                    self.ns = root_tag[1:root_tag.index('}')]
                continue
            tag = self.local(element.tag)
            if tag == 'Amt' and element.get('Ccy'):
                self.amount_currencies.add(element.get('Ccy'))
            if tag == 'Acct':
                self.currency = self.text(element, 'Ccy')
            elif tag == 'FrToDt':
                self.from_time = self.text(element, 'FrDtTm')
                self.to_time = self.text(element, 'ToDtTm')
            elif tag == 'Bal':
                code = self.text(element, 'Tp/CdOrPrtry/Cd')
                self.balances.setdefault(code, []).append(self.signed(element))
            elif tag == 'TxsSummry':
                for name in ('TtlNtries/NbOfNtries', 'TtlNtries/Sum', 'TtlCdtNtries/NbOfNtries', 'TtlCdtNtries/Sum',
                             'TtlDbtNtries/NbOfNtries', 'TtlDbtNtries/Sum'):
                    self.summary[name] = self.text(element, name)
                net = self.text(element, 'TtlNtries/TtlNetNtryAmt') or self.text(element, 'TtlNtries/TtlNetNtry/Amt')
                indicator = self.text(element, 'TtlNtries/CdtDbtInd') or self.text(element, 'TtlNtries/TtlNetNtry/CdtDbtInd')
                self.summary['net'] = money(net) * (-1 if indicator == 'DBIT' else 1)
            elif tag == 'Ntry':
                status = self.text(element, 'Sts/Cd') or self.text(element, 'Sts')
                self.entries.append({
                    'status': status,
                    'amount': self.signed(element),
                    'id': self.text(element, 'AcctSvcrRef'),
                    'booking_date': self.text(element, 'BookgDt/Dt'),
                    'value_date': self.text(element, 'ValDt/Dt'),
                    'flow_type': self.text(element, 'BkTxCd/Prtry/Cd'),
                    'issuer': self.text(element, 'BkTxCd/Prtry/Issr'),
                    'domain': self.text(element, 'BkTxCd/Domn/Cd'),
                    'flow': self.text(element, 'NtryDtls/TxDtls/Refs/AcctSvcrRef'),
                    'description': self.text(element, 'AddtlNtryInf'),
                })
                element.clear()

    def local(self, tag):
        return tag.split('}', 1)[1] if '}' in tag else tag

    def text(self, element, path):
        found = element.find('/'.join('{%s}%s' % (self.ns, part) for part in path.split('/')))
        return None if found is None else (found.text or '')

    def signed(self, element):
        amount = money(self.text(element, 'Amt'))
        return -amount if self.text(element, 'CdtDbtInd') == 'DBIT' else amount


def check(out, version, pending):
    problems = []
    checked = 0
    stem = 'statement.camt053' + ('' if version == '02' else '.08')
    # Every document of this version, by (financial account, currency, FrDtTm).
    documents = {}
    for label in sorted(os.listdir(out)):
        if not os.path.isdir(os.path.join(out, label)):
            continue
        for fa in sorted(os.listdir(os.path.join(out, label))):
            folder = os.path.join(out, label, fa)
            for name in sorted(os.listdir(folder)):
                parts = name.split('.')
                if name.startswith(stem + '.') and name.endswith('.xml') and len(parts) == len(stem.split('.')) + 1 + (
                        0 if parts[-2] in ('camt053', '08') else 1):
                    currency = 'usd' if parts[-2] in ('camt053', '08') else parts[-2]
                    doc = Document(os.path.join(folder, name))
                    documents[(fa, currency, doc.from_time)] = (folder, doc)
    rows = csv_rows(os.path.join(out, 'summary.csv'))
    if len(documents) != len(rows):
        problems.append('%d %s documents for %d statements in summary.csv' % (len(documents), stem, len(rows)))
    for row in rows:
        fa, currency = row['financial_account'], row['currency']
        suffix = '' if currency == 'usd' else '.' + currency
        found = documents.get((fa, currency, row['period_start']))
        if found is None:
            problems.append('%s %s: no %s document whose FrDtTm is the period start' % (fa, row['period_start'], stem))
            continue
        folder, doc = found
        checked += 1
        p = lambda message: problems.append('%s: %s' % (doc.path, message))

        if doc.currency != currency.upper() or doc.amount_currencies - {currency.upper()}:
            p('currency %s, amounts in %s; summary.csv says %s' % (doc.currency, doc.amount_currencies, currency))
        end = datetime.fromisoformat(row['period_end'])
        if datetime.fromisoformat(doc.to_time) + timedelta(seconds=1) != end:
            p('ToDtTm %s is not the last second before period_end %s' % (doc.to_time, row['period_end']))
        opening = sum(money(row[k]) for k in ('opening_cash', 'opening_inbound_pending', 'opening_outbound_pending'))
        closing = sum(money(row[k]) for k in ('closing_cash', 'closing_inbound_pending', 'closing_outbound_pending'))
        expected = {'OPBD': opening, 'CLBD': closing, 'OPAV': money(row['opening_cash']),
                    'CLAV': money(row['closing_cash'])}
        for code, value in expected.items():
            if doc.balances.get(code) != [value]:
                p('%s is %s, summary.csv gives %s' % (code, doc.balances.get(code), value))
        credits, debits = money(row['credits']), money(row['debits'])
        s = doc.summary
        if (int(s['TtlNtries/NbOfNtries']) != int(row['posted_count']) or money(s['TtlCdtNtries/Sum']) != credits
                or money(s['TtlDbtNtries/Sum']) != debits or money(s['TtlNtries/Sum']) != credits + debits
                or s['net'] != credits - debits
                or int(s['TtlCdtNtries/NbOfNtries']) + int(s['TtlDbtNtries/NbOfNtries']) != int(row['posted_count'])):
            p('TxsSummry %s does not match summary.csv (posted %s, credits %s, debits %s)'
              % (s, row['posted_count'], credits, debits))

        booked = [e for e in doc.entries if e['status'] == 'BOOK']
        waiting = [e for e in doc.entries if e['status'] == 'PDNG']
        if len(booked) + len(waiting) != len(doc.entries):
            p('entries with a status other than BOOK or PDNG')
        transactions = csv_rows(os.path.join(folder, 'transactions' + suffix + '.csv'))
        if len(booked) != len(transactions) or len(booked) != int(row['posted_count']):
            p('%d BOOK entries, %d rows in transactions.csv, posted_count %s'
              % (len(booked), len(transactions), row['posted_count']))
        for entry, t in zip(booked, transactions):
            compare_entry(p, entry, t, booking=True)
        if sum(e['amount'] for e in booked) != credits - debits:
            p('BOOK entries add up to %s, summary.csv has credits - debits = %s'
              % (sum(e['amount'] for e in booked), credits - debits))
        if pending:
            rows = csv_rows(os.path.join(folder, 'pending' + suffix + '.csv'))
            if len(waiting) != len(rows):
                p('%d PDNG entries, %d rows in pending.csv' % (len(waiting), len(rows)))
            for entry, t in zip(waiting, rows):
                compare_entry(p, entry, t, booking=False)
        elif waiting:
            p('%d PDNG entries without --camt-pending' % len(waiting))
    return checked, problems


def compare_entry(p, entry, t, booking):
    what = 'entry %s' % t['id']
    if entry['id'] != t['id']:
        p('%s: AcctSvcrRef is %s' % (what, entry['id']))
    if entry['amount'] != money(t['amount']):
        p('%s: amount %s, the CSV says %s' % (what, entry['amount'], t['amount']))
    if entry['flow_type'] != unguard(t['flow_type']) or entry['issuer'] != 'STRIPE' or not entry['domain']:
        p('%s: bank transaction code %s/%s (domain %s), flow_type %s'
          % (what, entry['flow_type'], entry['issuer'], entry['domain'], t['flow_type']))
    if (entry['flow'] or '') != unguard(t['flow']):
        p('%s: flow reference %s, the CSV says %s' % (what, entry['flow'], t['flow']))
    if booking and entry['booking_date'] != t['posted_at'][:10]:
        p('%s: BookgDt %s, posted_at %s' % (what, entry['booking_date'], t['posted_at']))
    if not booking and (entry['booking_date'] is not None or entry['value_date'] != t['created'][:10]):
        p('%s: a pending entry has BookgDt %s and ValDt %s (created %s)'
          % (what, entry['booking_date'], entry['value_date'], t['created']))
    expected = xml_safe(unguard(t['description']))
    got = entry['description'] or ''
    if len(expected) <= LIMIT:
        if got != expected:
            p('%s: AddtlNtryInf %r, the CSV says %r' % (what, got, expected))
    elif not (expected.startswith(got) and LIMIT - 10 <= len(got) <= LIMIT):
        p('%s: AddtlNtryInf of %d characters is not the start of the %d-character description'
          % (what, len(got), len(expected)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('out')
    parser.add_argument('--version', choices=['02', '08'], default='02')
    parser.add_argument('--pending', action='store_true')
    args = parser.parse_args()
    checked, problems = check(args.out, args.version, args.pending)
    for problem in problems:
        print(problem, file=sys.stderr)
    print('checked %d camt.053.001.%s documents' % (checked, args.version))
    sys.exit(1 if problems or checked == 0 else 0)


if __name__ == '__main__':
    main()
