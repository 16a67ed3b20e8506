/// `rejects.jsonl`: each line set aside by `--skip-invalid`, one JSON object per line (written by `RejectLog`).
package enum RejectsJSONL {}
