#!/usr/bin/env python3
"""Writes scenarios/data/trace-week.csv: a synthetic week of historical conversations for
scenarios/trace-replay.toml (Monday 2026-01-05 to Sunday 2026-01-11, Europe/Berlin local time).

WhatsApp customers arrive by the quickstart's hourly profile (Poisson within each hour), each
with a topic and tier, a sender drawn from 3,000 people (so some write more than once), a
message count, and an outcome: answered, or abandoned after a wait. Web chats arrive by the
quickstart's half-hourly daily profile. Deterministic: the same file every run.

    python3 scripts/make_trace_week.py
"""
import csv
import datetime as dt
import os
import random

WHATSAPP_PER_H = [
    [9, 5.4, 3.6, 3.6, 3.6, 7.2, 18, 54, 126, 171, 180, 171, 153, 162, 171, 162, 144, 126, 99, 72, 50.4, 32.4, 18, 12.6]
] * 4 + [
    [8.2, 4.9, 3.3, 3.3, 3.3, 6.5, 16.2, 48.6, 113.4, 153.8, 162, 153.8, 137.6, 145.8, 153.8, 145.8, 129.6, 113.4, 89.2, 64.8, 45.3, 29.1, 16.2, 11.3],
] + [
    [6.5, 3.9, 2.6, 2.6, 2.6, 3.9, 6.5, 13, 26, 45.5, 58.5, 65, 65, 65, 62.4, 58.5, 52, 45.5, 36.4, 26, 18.2, 13, 9.1, 6.5]
] * 2
WEB_PER_H = [1] * 14 + [6, 6] + [28] * 4 + [40] * 4 + [28] * 4 + [40] * 6 + [28] * 6 + [6] * 4 + [1] * 4
SCALE = 0.5  # half the quickstart's volume: a smaller file, the same shape


def main():
    rng = random.Random(20260105)
    start = dt.datetime(2026, 1, 5)
    rows = []

    def poisson_times(day, slot_start_min, slot_min, rate_per_h):
        t = 0.0
        while True:
            t += rng.expovariate(rate_per_h * SCALE / 60.0)  # minutes
            if t >= slot_min:
                return
            yield start + dt.timedelta(days=day, minutes=slot_start_min + t)

    for day in range(7):
        for hour, rate in enumerate(WHATSAPP_PER_H[day]):
            for when in poisson_times(day, hour * 60, 60, rate):
                topic = rng.choices(["sales", "pricing", "support", ""], [0.45, 0.12, 0.38, 0.05])[0]
                tier = "premium" if rng.random() < 0.1 else "standard"
                abandoned = rng.random() < 0.12
                wait = rng.expovariate(1 / 900) if abandoned else rng.expovariate(1 / 120)
                rows.append({
                    "arrival": when.strftime("%Y-%m-%dT%H:%M:%S"),
                    "channel": "whatsapp",
                    "sender": f"+4915{rng.randrange(3000):07d}",
                    "person.custom.topic": topic,
                    "person.custom.tier": tier,
                    "messages": 1 + min(int(rng.expovariate(1 / 3)), 20),
                    "outcome": "abandoned" if abandoned else "answered",
                    "wait_s": f"{wait:.0f}",
                })
        for slot, rate in enumerate(WEB_PER_H):
            for when in poisson_times(day, slot * 30, 30, rate):
                abandoned = rng.random() < 0.15
                wait = rng.expovariate(1 / 180) if abandoned else rng.expovariate(1 / 40)
                rows.append({
                    "arrival": when.strftime("%Y-%m-%dT%H:%M:%S"),
                    "channel": "web-chat",
                    "sender": "",
                    "person.custom.topic": "",
                    "person.custom.tier": "",
                    "messages": "",
                    "outcome": "abandoned" if abandoned else "answered",
                    "wait_s": f"{wait:.0f}",
                })
    rows.sort(key=lambda r: r["arrival"])
    out = os.path.join(os.path.dirname(__file__), "..", "scenarios", "data", "trace-week.csv")
    with open(out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} rows → {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
