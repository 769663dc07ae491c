#!/usr/bin/env bash
# ccsim against SimPy on the same M/M/20 (1.04 M customers), side by side in one session,
# one thread each, whole process for ccsim (parse, simulate, write the reports).
#   scripts/peers/compare.sh            # builds ccsim in release and a venv with the pins
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${PEERS_VENV:-/tmp/ccsim-peers}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q -r "$here/requirements.txt"
(cd "$root" && cargo build --release -q)
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
start_ns=$(date +%s%N)
"$root/target/release/ccsim" run "$here/mm20.toml" --threads 1 -q --out "$out"
end_ns=$(date +%s%N)
simpy_json=$("$venv/bin/python" "$here/mm20_simpy.py")
echo "simpy: $simpy_json"
python3 - "$out/summary.json" "$start_ns" "$end_ns" "$simpy_json" <<'PY'
import json, sys
summary, start_ns, end_ns, simpy = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4])
q = json.load(open(summary))["overall"]
ccsim_s = (end_ns - start_ns) / 1e9
print("ccsim: " + json.dumps({"customers": q["offered"]["mean"], "mean_wait_s": q["mean_wait_answered_s"]["mean"], "wall_s": round(ccsim_s, 3)}))
print(f"ccsim is {simpy['wall_s'] / ccsim_s:.1f}x SimPy")
PY
