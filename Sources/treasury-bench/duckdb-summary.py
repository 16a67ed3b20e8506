#!/usr/bin/env python3
"""The monthly summary of treasury-report, computed by DuckDB from the same dumps (UTC months).

Used only by the benchmark (`make bench`), to compare speed and results. Prints
one CSV row per statement: financial_account, period_start (Unix seconds),
opening cash/inbound/outbound, credits, debits, closing cash/inbound/outbound,
posted_count, void_count, open_count; amounts in integer minor units.
Usage: duckdb-summary.py DUMP_FOLDER_OR_FILE OUT.csv [declared|detected]

`declared` (the default) gives read_json the columns and their types;
`detected` lets DuckDB infer the schema from the files, as a first query
usually does (the issue's baseline of "about 6 s" was measured that way).
"""
import os
import sys

import duckdb

source, out = sys.argv[1], sys.argv[2]
schema = sys.argv[3] if len(sys.argv) > 3 else 'declared'
pattern = os.path.join(source, '**', '*.jsonl') if os.path.isdir(source) else source

COLUMNS = """{
  'id': 'VARCHAR', 'object': 'VARCHAR', 'amount': 'BIGINT',
  'balance_impact': 'STRUCT(cash BIGINT, inbound_pending BIGINT, outbound_pending BIGINT)',
  'created': 'BIGINT', 'currency': 'VARCHAR', 'effective_at': 'BIGINT', 'financial_account': 'VARCHAR',
  'status': 'VARCHAR', 'status_transitions': 'STRUCT(posted_at BIGINT, void_at BIGINT)'
}"""

READ = (
    f"read_json('{pattern}', format = 'newline_delimited', columns = {COLUMNS})"
    if schema == 'declared'
    else f"read_json_auto('{pattern}', format = 'newline_delimited', union_by_name = true)"
)

QUERY = f"""
WITH raw AS (
  SELECT * FROM {READ}
),
entries AS (
  SELECT DISTINCT ON (id) id, financial_account AS fa, currency, effective_at,
    balance_impact.cash AS cash, balance_impact.inbound_pending AS inbound, balance_impact.outbound_pending AS outbound
  FROM raw WHERE object = 'treasury.transaction_entry'
),
txns AS (
  SELECT DISTINCT ON (id) id, financial_account AS fa, currency, amount, created, status,
    status_transitions.posted_at AS posted_at, status_transitions.void_at AS void_at
  FROM raw WHERE object = 'treasury.transaction'
  ORDER BY id, CASE status WHEN 'open' THEN 0 ELSE 1 END DESC
),
span AS (
  SELECT date_trunc('month', to_timestamp(min(t))) AS first_month, to_timestamp(max(t)) AS last_instant FROM (
    SELECT effective_at AS t FROM entries UNION ALL SELECT created FROM txns
    UNION ALL SELECT posted_at FROM txns WHERE posted_at IS NOT NULL
    UNION ALL SELECT void_at FROM txns WHERE void_at IS NOT NULL)
),
months AS (
  SELECT m AS month_start, m + INTERVAL 1 MONTH AS month_end
  FROM span, generate_series(span.first_month, span.last_instant, INTERVAL 1 MONTH) AS g(m)
),
accounts AS (
  SELECT fa, currency, min(t) AS first_activity FROM (
    SELECT fa, currency, effective_at AS t FROM entries UNION ALL SELECT fa, currency, created FROM txns)
  GROUP BY fa, currency
),
grid AS (
  SELECT a.fa, a.currency, epoch(m.month_start)::BIGINT AS s, epoch(m.month_end)::BIGINT AS e
  FROM accounts a, months m WHERE epoch(m.month_end) > a.first_activity
),
moved AS (
  SELECT fa, currency, epoch(date_trunc('month', to_timestamp(effective_at)))::BIGINT AS s,
    sum(cash) AS cash, sum(inbound) AS inbound, sum(outbound) AS outbound
  FROM entries GROUP BY ALL
),
balances AS (
  SELECT g.fa, g.currency, g.s,
    coalesce(sum(mv.cash) OVER w, 0) AS closing_cash,
    coalesce(sum(mv.inbound) OVER w, 0) AS closing_inbound,
    coalesce(sum(mv.outbound) OVER w, 0) AS closing_outbound,
    coalesce(mv.cash, 0) AS moved_cash, coalesce(mv.inbound, 0) AS moved_inbound, coalesce(mv.outbound, 0) AS moved_outbound
  FROM grid g
  LEFT JOIN moved mv USING (fa, currency, s)
  WINDOW w AS (PARTITION BY g.fa, g.currency ORDER BY g.s ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
posted AS (
  SELECT fa, currency, epoch(date_trunc('month', to_timestamp(posted_at)))::BIGINT AS s,
    sum(CASE WHEN amount > 0 THEN amount ELSE 0 END) AS credits,
    sum(CASE WHEN amount < 0 THEN -amount ELSE 0 END) AS debits, count(*) AS posted_count
  FROM txns WHERE status = 'posted' GROUP BY ALL
),
voided AS (
  SELECT fa, currency, epoch(date_trunc('month', to_timestamp(void_at)))::BIGINT AS s, count(*) AS void_count
  FROM txns WHERE status = 'void' GROUP BY ALL
),
still_open AS (
  SELECT g.fa, g.currency, g.s, count(t.id) AS open_count
  FROM grid g JOIN txns t ON t.fa = g.fa AND t.currency = g.currency AND t.created < g.e
    AND coalesce(t.posted_at, t.void_at, 9223372036854775807) >= g.e
  GROUP BY ALL
)
SELECT bl.fa, bl.s,
  bl.closing_cash - bl.moved_cash, bl.closing_inbound - bl.moved_inbound, bl.closing_outbound - bl.moved_outbound,
  coalesce(p.credits, 0), coalesce(p.debits, 0),
  bl.closing_cash, bl.closing_inbound, bl.closing_outbound,
  coalesce(p.posted_count, 0), coalesce(v.void_count, 0), coalesce(o.open_count, 0)
FROM balances bl
LEFT JOIN posted p USING (fa, currency, s)
LEFT JOIN voided v USING (fa, currency, s)
LEFT JOIN still_open o USING (fa, currency, s)
ORDER BY bl.s, bl.fa
"""

connection = duckdb.connect()
connection.execute("SET TimeZone = 'UTC'")
connection.execute(f"COPY ({QUERY}) TO '{out}' (HEADER false)")
