#!/usr/bin/env bash
# Issue 5's apply benchmark with the real binaries: `keyform console serve --latency 20`, then
# `keyform apply --parallelism 16` of 300 integrations (project, credential, services, one
# registration each) through the http provider. Prints the wall time, the requests the
# emulator served, and the ideal (requests × 20 ms ÷ 16).
# Usage: swift build -c release --product keyform && scripts/bench_serve_apply.sh [RUNS]
set -euo pipefail
keyform="$(cd "$(dirname "$0")/.." && pwd)/.build/release/keyform"
runs="${1:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir integrations
python3 - <<'PY'
import json
items = [{"name": f"batchjob{i}", "title": f"Batch Job {i}",
          "description": f"Nightly batch job number {i} for the reporting pipeline.",
          "type": "serviceAccount", "services": ["UserMgmtSDK", "CloudIntegrationSDK"],
          "events": [{"name": "published", "provider": "aem", "eventCodes": ["asset_published"],
                      "webhookUrl": f"https://hooks.example.com/batch/{i}"}]} for i in range(300)]
json.dump({"integrations": items}, open("integrations/batch.json", "w"), indent=2)
PY
export KEYFORM_ACCESS_TOKEN=bench KEYFORM_API_KEY=bench
for run in $(seq "$runs"); do
  rm -rf served keyform.state.json* serve.out serve.err
  "$keyform" console serve --port 0 --data served --latency 20 > serve.out 2> serve.err &
  serve=$!
  while ! grep -q listening serve.out 2>/dev/null; do sleep 0.05; done
  port=$(head -1 serve.out | sed 's/.*://')
  start=$(date +%s.%N)
  "$keyform" apply --auto-approve --parallelism 16 --console "http://127.0.0.1:$port" integrations > /dev/null
  end=$(date +%s.%N)
  kill -TERM "$serve"; wait "$serve" || true
  requests=$(grep -cE '^(GET|POST|PUT|PATCH|DELETE) ' serve.err)
  python3 -c "w=$end-$start; i=$requests*0.020/16; print(f'run $run: {w:.2f} s wall, $requests requests, ideal {i:.2f} s, ratio {w/i:.2f}')"
done
