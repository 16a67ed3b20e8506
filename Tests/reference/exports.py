#!/usr/bin/env python3
"""Independent readers of treasury-report's accountant exports, checked against the run's CSV files.

Shares no code with the Swift tool. For every statement in OUT/summary.csv (and the booked lines of its
transactions.csv), reads back whichever of these the folder holds and requires the same balances and
booked lines:

- CSV profiles (transactions.quickbooks.csv, .xero, .excel-eu): Python's csv module with each shipped
  profile's dialect written out here (not read from templates/): headers, dates, amounts (decimal comma
  for excel-eu), descriptions (with the formula guard for excel-eu, as they are for the importers'
  quickbooks and xero), ids, running balance.
- OFX 1.02 (statement.ofx) and 2.2 (statement.ofx2.ofx), by three readers that must agree: ofxtools,
  ofxparse (ledger-autosync's reader) and libofx's ofxdump (GnuCash's). Each gives LEDGERBAL = closing
  booked and AVAILBAL = closing cash dated the period's last day, each STMTTRN's FITID, TRNAMT, DTPOSTED
  (the same instant as posted_at, whatever the zone: offsets with minutes are read differently by each,
  so the file must not use them), NAME and MEMO exactly; ofxtools and ofxparse the FI block (ORG and FID,
  the manifest's ofx_org and ofx_fid or the defaults). BANKID is accounts.csv's routing number. ofxparse
  0.21 reads an OFX 2 file as ASCII whatever it declares (it looks for OFX 1's ENCODING line, which an
  XML document cannot have): such a file with other characters is counted as ofxparse:not-ascii and must
  fail with UnicodeDecodeError, the limitation README states.
- BAI2 (<period>/statements.bai2): the PyPI bai2 parser with its integrity checks (record counts and
  control totals of every account, group and file); 010/015 = opening/closing booked, 040/045 =
  opening/closing cash, 100/400 = credits/debits with their counts, each 16 record = a booked line
  (magnitude, direction of its type code, bank reference = id, customer reference = flow, text); every
  physical record at most 80 characters.
- HTML (statement.html): html.parser; the balance boxes, each booked line's row (credit or debit,
  running balance, description) and the pending rows; no external resource.

Needs ofxtools and bai2 (make test-venv puts them in .build/test-venv) and the ofxdump command.
Usage: exports.py OUT
Prints how many files of each kind were checked; exits 1 after listing every mismatch.
"""
import csv, json, os, re, subprocess, sys, unicodedata, warnings
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from html.parser import HTMLParser

from bai2 import bai2 as bai2lib
from bai2.constants import TypeCodeTransaction
import ofxparse
from ofxtools.Parser import OFXTree

warnings.filterwarnings('ignore')

problems = []
checked = {}


def problem(where, text):
    problems.append(f'{where}: {text}')


def count(kind):
    checked[kind] = checked.get(kind, 0) + 1


def money(text):
    return Decimal(text) if text not in (None, '') else Decimal(0)


def rows(path, **kwargs):
    with open(path, newline='', encoding=kwargs.pop('encoding', 'utf-8')) as f:
        return list(csv.reader(f, **kwargs))


def dict_rows(path):
    with open(path, newline='', encoding='utf-8') as f:
        return list(csv.DictReader(f))


def unguard(cell):
    if len(cell) >= 2 and cell[0] == "'" and cell[1] in '=+-@\t\r':
        return cell[1:]
    return cell


def instant(text):
    """An ISO 8601 time with offset, as a UTC datetime."""
    return datetime.fromisoformat(text).astimezone(timezone.utc)


class Statement:
    def __init__(self, out, row):
        self.row = row
        self.fa = row['financial_account']
        self.currency = row['currency']
        self.label = None
        start = row['period_start'][:10]
        for name in sorted(os.listdir(out)):
            if os.path.isdir(os.path.join(out, name, self.fa)) and label_starts(name, start):
                self.label = name
        self.suffix = '' if self.currency == 'usd' else '.' + self.currency
        self.folder = os.path.join(out, self.label or '?', self.fa)
        sub = lambda p: money(row[p + '_cash']) + money(row[p + '_inbound_pending']) + money(row[p + '_outbound_pending'])
        self.opening_booked, self.closing_booked = sub('opening'), sub('closing')
        self.opening_cash, self.closing_cash = money(row['opening_cash']), money(row['closing_cash'])
        self.credits, self.debits = money(row['credits']), money(row['debits'])
        self.lines = []
        path = self.file('transactions', 'csv')
        if os.path.exists(path):
            for line in dict_rows(path):
                line['description'] = unguard(line['description'])
                line['id'] = unguard(line['id'])
                line['flow'] = unguard(line['flow'])
                self.lines.append(line)
        self.pending = dict_rows(self.file('pending', 'csv')) if os.path.exists(self.file('pending', 'csv')) else []

    def file(self, stem, ext):
        return os.path.join(self.folder, stem + self.suffix + '.' + ext)

    def where(self):
        return f'{self.label}/{self.fa}'


def label_starts(label, start):
    """True when the period label's period starts on the date `start` (labels: 2026, 2026-Q1, 2026-03, ...)."""
    if re.fullmatch(r'\d{4}', label):
        return start == label + '-01-01'
    if re.fullmatch(r'\d{4}-Q\d', label):
        return start == f'{label[:4]}-{(int(label[6]) - 1) * 3 + 1:02d}-01'
    if re.fullmatch(r'\d{4}-\d{2}', label):
        return start == label + '-01'
    if re.fullmatch(r'\d{4}-\d{2}-\d{2}', label) or '--' in label:
        return start == label[:10]
    if re.fullmatch(r'\d{4}-W\d{2}', label):
        return datetime.strptime(label + '-1', '%G-W%V-%u').strftime('%Y-%m-%d') == start
    return False


# ---- CSV profiles ----------------------------------------------------------------------------------

def local_date(posted_at):
    return posted_at[:10]


def us_date(iso):
    return f'{iso[5:7]}/{iso[8:10]}/{iso[0:4]}'


def eu_date(iso):
    return f'{iso[8:10]}/{iso[5:7]}/{iso[0:4]}'


PROFILES = {
    'quickbooks': dict(header=['Date', 'Description', 'Amount'], delimiter=',', bom=False, guard=False,
                       row=lambda s, l: [us_date(local_date(l['posted_at'])), l['description'], l['amount']]),
    'xero': dict(header=['*Date', '*Amount', 'Payee', 'Description', 'Reference'], delimiter=',', bom=False,
                 guard=False,
                 row=lambda s, l: [us_date(local_date(l['posted_at'])), l['amount'], '', l['description'], l['id']]),
    'excel-eu': dict(header=['Date', 'Transaction', 'Type', 'Description', 'Amount', 'Currency', 'Balance'],
                     delimiter=';', bom=True, guard=True,
                     row=lambda s, l: [eu_date(local_date(l['posted_at'])), l['id'], l['flow_type'], l['description'],
                                       l['amount'].replace('.', ','), s.currency.upper(),
                                       l['running_booked_balance'].replace('.', ',')]),
}


def check_profile(s, name, spec):
    path = s.file('transactions.' + name, 'csv')
    if not os.path.exists(path):
        return
    count('csv:' + name)
    raw = open(path, 'rb').read()
    if raw.startswith(b'\xef\xbb\xbf') != spec['bom']:
        problem(path, 'byte-order mark ' + ('missing' if spec['bom'] else 'unexpected'))
    if b'\r\n' not in raw and s.lines:
        problem(path, 'lines do not end with CRLF')
    got = rows(path, delimiter=spec['delimiter'], encoding='utf-8-sig')
    if not got or got[0] != spec['header']:
        problem(path, f'header {got[:1]} is not {spec["header"]}')
        return
    # Profiles for a spreadsheet guard formulas; those for an importer write text as it is.
    body = [[unguard(c) for c in r] for r in got[1:]] if spec['guard'] else got[1:]
    if len(body) != len(s.lines):
        problem(path, f'{len(body)} rows, transactions.csv has {len(s.lines)}')
    total = Decimal(0)
    for i, (r, l) in enumerate(zip(body, s.lines)):
        expected = spec['row'](s, l)
        if r != expected:
            problem(path, f'row {i + 1} is {r}, expected {expected}')
        amount_column = spec['header'].index('Amount' if 'Amount' in spec['header'] else '*Amount')
        total += Decimal(r[amount_column].replace(',', '.'))
    if total != s.credits - s.debits:
        problem(path, f'amounts sum to {total}, credits - debits is {s.credits - s.debits}')


# ---- OFX -------------------------------------------------------------------------------------------

def cp1252(text):
    """What an OFX 1.02 file can carry: NFC, Windows-1252 ('?' for the rest), control characters as spaces."""
    out = []
    for c in unicodedata.normalize('NFC', text):
        o = ord(c)
        if o < 0x20 or 0x7F <= o < 0xA0:
            out.append(' ')
            continue
        try:
            c.encode('cp1252')
            out.append(c)
        except UnicodeEncodeError:
            out.append('?')
    return ''.join(out)


def xml_safe(text):
    out = []
    for c in text:
        o = ord(c)
        out.append('\ufffd' if (o < 0x20 and c not in '\t\n\r') or 0x7F <= o < 0xA0 or o in (0xFFFE, 0xFFFF) else c)
    return ''.join(out)


def ofx2_text(text):
    """What an OFX 2.2 file carries: XML-safe text with line breaks and tabs as spaces (as OFX 1.02)."""
    return ''.join(' ' if c in '\t\n\r' else c for c in xml_safe(text))


def last_day(s):
    """The period's last local day: the day before its exclusive end."""
    return (datetime.fromisoformat(s.row['period_end'][:10]) - timedelta(days=1)).date()


def expected_ofx_lines(s, v1):
    """(id, amount, posted instant, NAME, MEMO or '') of each booked line as the OFX file must give them."""
    out = []
    for l in s.lines:
        description = l['description'].strip()
        shown = cp1252(description) if v1 else ofx2_text(description)
        name = (shown[:32].strip() or '?') if description else l['flow_type']
        memo = (shown[:255].strip() or '?') if description else ''
        out.append((l['id'], money(l['amount']), instant(l['posted_at']), name, memo))
    return out


def check_ofx(s, stem, routing, institution):
    path = s.file(stem, 'ofx')
    if not os.path.exists(path):
        return
    count(stem)
    v1 = stem == 'statement'
    expected = expected_ofx_lines(s, v1)
    tree = OFXTree()
    try:
        tree.parse(path)
        ofx = tree.convert()
    except Exception as error:  # noqa: BLE001 - any parser failure is a finding
        problem(path, f'ofxtools cannot read it: {error}')
        return
    st = ofx.statements[0]
    if st.curdef != s.currency.upper():
        problem(path, f'CURDEF {st.curdef}')
    if st.account.bankid != (routing or '000000000'):
        problem(path, f'BANKID {st.account.bankid}, routing number {routing}')
    if st.account.acctid != s.fa[-22:]:
        problem(path, f'ACCTID {st.account.acctid}')
    fi = ofx.signon.fi
    if fi is None or (fi.org, fi.fid) != institution:
        problem(path, f'ofxtools reads FI {fi}, expected {institution}')
    if st.ledgerbal.balamt != s.closing_booked:
        problem(path, f'LEDGERBAL {st.ledgerbal.balamt}, closing booked {s.closing_booked}')
    if st.availbal.balamt != s.closing_cash:
        problem(path, f'AVAILBAL {st.availbal.balamt}, closing cash {s.closing_cash}')
    for tag, balance in (('LEDGERBAL', st.ledgerbal), ('AVAILBAL', st.availbal)):
        if balance.dtasof.date() != last_day(s):
            problem(path, f'ofxtools dates {tag} {balance.dtasof}, not the last day {last_day(s)}')
    if st.banktranlistp if hasattr(st, 'banktranlistp') else None:
        problem(path, 'has a pending transaction list')
    trns = list(st.banktranlist)
    if len(trns) != len(s.lines):
        problem(path, f'{len(trns)} STMTTRN, transactions.csv has {len(s.lines)}')
    for t, l, (_, amount, posted, name, memo) in zip(trns, s.lines, expected):
        if t.fitid != l['id'] or t.trnamt != amount or t.dtposted != posted:
            problem(path, f'STMTTRN {t.fitid} {t.trnamt} {t.dtposted} is not {l["id"]} {l["amount"]} {l["posted_at"]}')
        if (t.memo or '') != memo:
            problem(path, f'MEMO of {l["id"]} is {t.memo!r}, expected {memo!r}')
        if t.name != name:
            problem(path, f'NAME of {l["id"]} is {t.name!r}, expected {name!r}')
        if (amount < 0 and t.trntype in ('CREDIT', 'DEP', 'DIRECTDEP')) or \
                (amount > 0 and t.trntype in ('DEBIT', 'PAYMENT', 'DIRECTDEBIT')):
            problem(path, f'TRNTYPE {t.trntype} for amount {l["amount"]}')
    check_ofxparse(path, s, v1, expected, routing, institution)
    check_ofxdump(path, s, expected)


def check_ofxparse(path, s, v1, expected, routing, institution):
    """ofxparse's reading (what ledger-autosync imports): naive UTC times, FI, balances and lines."""
    raw = open(path, 'rb').read()
    try:
        with open(path, 'rb') as f:
            parsed = ofxparse.OfxParser.parse(f)
    except UnicodeDecodeError as error:
        if not v1 and not raw.isascii():
            count('ofxparse:not-ascii')
        else:
            problem(path, f'ofxparse cannot decode it: {error}')
        return
    except Exception as error:  # noqa: BLE001
        problem(path, f'ofxparse cannot read it: {error}')
        return
    if not v1 and not raw.isascii():
        problem(path, 'ofxparse reads an OFX 2 file with non-ASCII text: the known limitation is gone, update README')
    count('ofxparse')
    account = parsed.account
    fi = account.institution
    if fi is None or (fi.organization, fi.fid) != institution:
        problem(path, f'ofxparse reads FI {fi and vars(fi)}, expected {institution}')
    if account.routing_number != (routing or '000000000') or account.account_id != s.fa[-22:]:
        problem(path, f'ofxparse reads account {account.routing_number} {account.account_id}')
    st = account.statement
    if st.balance != s.closing_booked or st.available_balance != s.closing_cash:
        problem(path, f'ofxparse reads balances {st.balance} {st.available_balance}')
    if st.balance_date.date() != last_day(s) or st.available_balance_date.date() != last_day(s):
        problem(path, f'ofxparse dates the balances {st.balance_date}, not the last day {last_day(s)}')
    got = [(t.id, t.amount, t.date, t.payee, t.memo) for t in st.transactions]
    first_difference(path, 'ofxparse', got, [(i, a, p.replace(tzinfo=None), n, m) for i, a, p, n, m in expected])


def first_difference(path, reader, got, want):
    """Reports the first item `reader` read differently, or the difference in count."""
    if got == want:
        return
    for g, w in zip(got, want):
        if g != w:
            problem(path, f'{reader} reads {g!r}, expected {w!r}')
            return
    problem(path, f'{reader} reads {len(got)} items, expected {len(want)}')


def libofx_time(text):
    return datetime.strptime(text.strip(), '%a %b %d %H:%M:%S %Y UTC').replace(tzinfo=timezone.utc)


def check_ofxdump(path, s, expected):
    """libofx's reading: balances and their date, each transaction's amount, id, time, name and memo, in order."""
    run = subprocess.run(['ofxdump', path], capture_output=True, text=True, errors='replace',
                         env=dict(os.environ, TZ='UTC'))
    out = run.stdout
    count('ofxdump')
    ledger = re.findall(r'Ledger balance: (\S+)', out)
    available = re.findall(r'Available balance: (\S+)', out)
    if [money(x) for x in ledger] != [s.closing_booked] or [money(x) for x in available] != [s.closing_cash]:
        problem(path, f'ofxdump reads balances {ledger} {available}, expected {s.closing_booked} {s.closing_cash}')
    for label in ('Ledger balance date', 'Available balance date'):
        dates = [libofx_time(x).date() for x in re.findall(label + r': (.+)', out)]
        if dates != [last_day(s)]:
            problem(path, f'ofxdump reads {label} {dates}, not the last day {last_day(s)}')
    amounts = [money(x) for x in re.findall(r'Total money amount: (\S+)', out)]
    ids = re.findall(r"Financial institution's ID for this transaction: (\S+)", out)
    if amounts != [a for _, a, _, _, _ in expected] or ids != [i for i, _, _, _, _ in expected]:
        problem(path, f'ofxdump reads {len(ids)} transactions that differ from transactions.csv')
        return
    # libofx reads a time of exactly 00:00:00 as a date, at 10:59 UTC, whatever its offset: such a line
    # must keep its written date; every other line its instant.
    written = re.findall(rb'<DTPOSTED>(\d{8})(\d{6})', open(path, 'rb').read())
    posted = [libofx_time(x) for x in re.findall(r'Date posted: (.+)', out)]
    for (i, _, instant_, _, _), got, (day, hms) in zip(expected, posted, written):
        ok = got == instant_ if hms != b'000000' else got.strftime('%Y%m%d%H%M%S') == day.decode() + '105900'
        if not ok:
            problem(path, f'ofxdump reads {i} posted at {got}, expected {instant_}')
    names = re.findall(r'Name of payee or transaction description: (.*)', out)
    memos = re.findall(r'Extra transaction information \(memo\): (.*)', out)
    first_difference(path, 'ofxdump', names, [n for *_, n, _ in expected])
    first_difference(path, 'ofxdump', memos, [m for *_, m in expected if m])


# ---- BAI2 ------------------------------------------------------------------------------------------

def bai2_text(text):
    out = []
    for c in unicodedata.normalize('NFC', text):
        o = ord(c)
        out.append(c if 0x20 <= o < 0x7F else (' ' if o < 0xA0 else '?'))
    return ''.join(out).strip(' /')


def check_bai2(out, statements):
    by_label = {}
    for s in statements:
        by_label.setdefault(s.label, []).append(s)
    for label, group in sorted(by_label.items()):
        path = os.path.join(out, label, 'statements.bai2')
        if not os.path.exists(path):
            continue
        count('bai2')
        lines = open(path, encoding='ascii').read().split('\n')
        for i, line in enumerate(lines[:-1]):
            if len(line) > 80:
                problem(path, f'record {i + 1} has {len(line)} characters')
        try:
            parsed = bai2lib.parse_from_string(open(path).read(), check_integrity=True)
        except Exception as error:  # noqa: BLE001
            problem(path, f'the bai2 parser rejects it: {error}')
            continue
        accounts = {}
        for g in parsed.children:
            for a in g.children:
                accounts[(a.header.customer_account_number, a.header.currency.lower())] = a
        if len(accounts) != len(group):
            problem(path, f'{len(accounts)} accounts, summary.csv has {len(group)} statements in {label}')
        for s in group:
            a = accounts.get((s.fa, s.currency))
            if a is None:
                problem(path, f'no account for {s.fa} {s.currency}')
                continue
            digits = 10 ** (len(s.row['closing_cash'].split('.')[1]) if '.' in s.row['closing_cash'] else 0)
            minor = lambda d: int(d * digits)
            summary = {i.type_code.code: (i.amount, i.item_count) for i in a.header.summary_items}
            credits = [l for l in s.lines if money(l['amount']) >= 0]
            expected = {'010': (minor(s.opening_booked), None), '015': (minor(s.closing_booked), None),
                        '040': (minor(s.opening_cash), None), '045': (minor(s.closing_cash), None),
                        '100': (minor(s.credits), len(credits)), '400': (minor(s.debits), len(s.lines) - len(credits))}
            if summary != expected:
                problem(path, f'{s.fa}: 03 record {summary}, expected {expected}')
            if len(a.children) != len(s.lines):
                problem(path, f'{s.fa}: {len(a.children)} 16 records, transactions.csv has {len(s.lines)}')
            for d, l in zip(a.children, s.lines):
                amount = minor(money(l['amount']))
                direction = TypeCodeTransaction.credit if amount >= 0 else TypeCodeTransaction.debit
                if d.amount != abs(amount) or d.type_code.transaction != direction or d.bank_reference != l['id'] \
                        or (d.customer_reference or '') != l['flow'] or (d.text or '') != bai2_text(l['description']):
                    problem(path, f'{s.fa}: 16 {d.type_code.code} {d.amount} {d.bank_reference} {d.text!r} is not {l["id"]} {l["amount"]} {l["description"]!r}')


# ---- HTML ------------------------------------------------------------------------------------------

class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields = {}
        self.rows = []
        self.pending = []
        self.stack = []
        self.external = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ('src', 'href'):
            if a.get(key):
                self.external.append(a[key])
        if tag == 'link' or (tag == 'script' and a.get('src')):
            self.external.append(tag)
        if 'data-id' in a:
            self.rows.append({'id': a['data-id']})
        if 'data-pending-id' in a:
            self.pending.append({'id': a['data-pending-id']})
        self.stack.append(a.get('data-field'))

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        field = next((f for f in reversed(self.stack) if f), None)
        if not field:
            return
        target = self.rows[-1] if self.rows and field in ('description', 'credit', 'debit', 'balance') else None
        if field == 'amount' and self.pending:
            target = self.pending[-1]
        if target is not None:
            target[field] = target.get(field, '') + data
        else:
            self.fields[field] = self.fields.get(field, '') + data


def shown(text):
    return Decimal(text.replace('\u2212', '-').replace(',', '')) if text.strip() else None


def check_html(s):
    path = s.file('statement', 'html')
    if not os.path.exists(path):
        return
    count('html')
    text = open(path, encoding='utf-8').read()
    page = Page()
    page.feed(text)
    if page.external or re.search(r'@import|url\(', text):
        problem(path, f'refers to something outside the page: {page.external}')
    values = {k: shown(v) for k, v in page.fields.items()}
    expected = {'opening-booked': s.opening_booked, 'opening-available': s.opening_cash,
                'closing-booked': s.closing_booked, 'closing-available': s.closing_cash,
                'credits': s.credits, 'debits': s.debits}
    if values != expected:
        problem(path, f'boxes read {values}, expected {expected}')
    if [r['id'] for r in page.rows] != [l['id'] for l in s.lines]:
        problem(path, f'{len(page.rows)} transaction rows do not list transactions.csv in order')
    for r, l in zip(page.rows, s.lines):
        amount = money(l['amount'])
        credit, debit = shown(r.get('credit', '')), shown(r.get('debit', ''))
        if (credit or 0) - (debit or 0) != amount or shown(r.get('balance', '')) != money(l['running_booked_balance']):
            problem(path, f'row {l["id"]}: credit {credit} debit {debit} balance {r.get("balance")}, expected {l}')
        if r.get('description', '') != xml_safe(l['description']):
            problem(path, f'row {l["id"]}: description {r.get("description")!r}')
    if [p['id'] for p in page.pending] != [unguard(p['id']) for p in s.pending]:
        problem(path, f'{len(page.pending)} pending rows, pending.csv has {len(s.pending)}')
    for p, l in zip(page.pending, s.pending):
        if shown(p.get('amount', '')) != money(l['amount']):
            problem(path, f'pending {l["id"]}: amount {p.get("amount")}')


def main():
    out = sys.argv[1]
    summary = dict_rows(os.path.join(out, 'summary.csv'))
    routing = {r['financial_account']: r['routing_number'] for r in dict_rows(os.path.join(out, 'accounts.csv'))} \
        if os.path.exists(os.path.join(out, 'accounts.csv')) else {}
    options = json.load(open(os.path.join(out, 'manifest.json'))).get('options', {})
    institution = (options.get('ofx_org', 'Stripe Treasury'), options.get('ofx_fid', 'stripe-treasury'))
    statements = [Statement(out, row) for row in summary]
    for s in statements:
        if s.label is None:
            problem(s.fa, f'no folder for the period starting {s.row["period_start"]}')
            continue
        for name, spec in PROFILES.items():
            check_profile(s, name, spec)
        for stem in ('statement', 'statement.ofx2'):
            check_ofx(s, stem, routing.get(s.fa), institution)
        check_html(s)
    check_bai2(out, [s for s in statements if s.label])
    for p in problems[:200]:
        print(p, file=sys.stderr)
    print('checked ' + ', '.join(f'{n} {k}' for k, n in sorted(checked.items())))
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
