#!/usr/bin/env python3
"""The mock's memory over a long run under its caps (issue 14): RSS must level off.

Starts `ccsim mock` with a conversation cap, then for DURATION seconds CLIENTS keep-alive
clients each loop: create a conversation, write a message to it, close it. Closed
conversations are kept (no retention), so the store fills to the cap and from then on the
oldest closed ones are evicted. Samples the mock's RSS every 10 s and prints a table; exits 1
if the store never reached its cap, or if over the last half of the run (well after the cap,
once the allocator has settled) the RSS grew more than 10 %.

    cargo build --release
    python3 scripts/mock_memory.py --duration 600          # the 10-minute run
    python3 scripts/mock_memory.py --duration 60 --cap 20000

Standard library only.
"""

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time

KEY = "App ccsim-local-key"
MESSAGE = json.dumps(
    {
        "channel": "LIVE_CHAT",
        "from": "agent",
        "to": "visitor",
        "contentType": "TEXT",
        "content": {"text": "hello, how can I help?"},
    }
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def client(port, stop, counts, lock):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"Authorization": KEY, "Content-Type": "application/json"}
    done = 0
    refused = 0
    while not stop.is_set():
        conn.request("POST", "/ccaas/1/conversations", "{}", headers)
        r = conn.getresponse()
        body = r.read()
        if r.status == 429:
            refused += 1
            continue
        cid = json.loads(body)["id"]
        conn.request("POST", f"/ccaas/1/conversations/{cid}/messages", MESSAGE, headers)
        conn.getresponse().read()
        conn.request(
            "PATCH", f"/ccaas/1/conversations/{cid}", '{"status":"CLOSED"}', headers
        )
        conn.getresponse().read()
        done += 1
    with lock:
        counts["conversations"] += done
        counts["refused"] += refused


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=int, default=600, help="seconds (default 600)")
    ap.add_argument("--cap", type=int, default=100_000, help="--max-stored-conversations")
    ap.add_argument("--clients", type=int, default=2)
    ap.add_argument("--binary", default="target/release/ccsim")
    args = ap.parse_args()

    port = free_port()
    mock = subprocess.Popen(
        [
            args.binary,
            "mock",
            "--listen",
            f"127.0.0.1:{port}",
            "--max-stored-conversations",
            str(args.cap),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.1)
        stop = threading.Event()
        counts = {"conversations": 0, "refused": 0}
        lock = threading.Lock()
        threads = [
            threading.Thread(target=client, args=(port, stop, counts, lock))
            for _ in range(args.clients)
        ]
        for t in threads:
            t.start()
        started = time.time()
        samples = []
        print(f"{'s':>5} {'RSS MiB':>8} {'held':>8}")
        while time.time() - started < args.duration:
            time.sleep(10)
            conn = http.client.HTTPConnection("127.0.0.1", port)
            conn.request(
                "GET", "/ccaas/1/conversations?limit=1", headers={"Authorization": KEY}
            )
            held = json.loads(conn.getresponse().read())["pagination"]["totalItems"]
            rss = rss_kib(mock.pid) / 1024
            samples.append((time.time() - started, rss, held))
            print(f"{samples[-1][0]:5.0f} {rss:8.1f} {held:8d}", flush=True)
        stop.set()
        for t in threads:
            t.join()
    finally:
        mock.terminate()
        mock.wait()
    print(
        f"{counts['conversations']} conversations created, written and closed; "
        f"{counts['refused']} refused (429)"
    )
    at_cap = [rss for (_, rss, held) in samples if held >= args.cap]
    if not at_cap:
        print("the store never reached its cap: run longer or lower --cap")
        return 1
    late = [rss for (t, rss, _) in samples if t >= args.duration / 2]
    growth = max(late) / late[0] - 1
    print(
        f"RSS when the cap was reached {at_cap[0]:.1f} MiB; over the last half "
        f"{late[0]:.1f} → at most {max(late):.1f} MiB ({growth * 100:+.1f} %)"
    )
    return 0 if growth <= 0.10 else 1


if __name__ == "__main__":
    sys.exit(main())
