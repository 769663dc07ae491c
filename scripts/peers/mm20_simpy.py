"""M/M/20 in SimPy, the model `ccsim run` and benches/engine.rs measure (issue 17).

20 agents, arrivals 216 an hour (Poisson), handle times exponential with mean 300 s (rho 0.9),
no abandonment, 200 days: about 1.04 million customers. Keeps the served count and the mean
wait, as a minimal model would. Prints one JSON line: customers, mean wait, wall seconds.

    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install -r scripts/peers/requirements.txt
    /tmp/peers/bin/python scripts/peers/mm20_simpy.py
    scripts/peers/compare.sh        # both side by side, with the ratio
"""

import json
import random
import sys
import time

import simpy

SERVERS = 20
ARRIVALS_PER_S = 216 / 3600
MEAN_HANDLE_S = 300.0
HORIZON_S = 200 * 24 * 3600


def main(seed: int = 1) -> None:
    rng = random.Random(seed)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=SERVERS)
    stats = {"served": 0, "wait_sum_s": 0.0}

    def customer():
        arrived = env.now
        with agents.request() as req:
            yield req
            stats["served"] += 1
            stats["wait_sum_s"] += env.now - arrived
            yield env.timeout(rng.expovariate(1.0 / MEAN_HANDLE_S))

    def arrivals():
        while True:
            yield env.timeout(rng.expovariate(ARRIVALS_PER_S))
            env.process(customer())

    env.process(arrivals())
    started = time.perf_counter()
    env.run(until=HORIZON_S)
    wall_s = time.perf_counter() - started
    served = stats["served"]
    print(
        json.dumps(
            {
                "peer": "simpy " + simpy.__version__,
                "customers": served,
                "mean_wait_s": stats["wait_sum_s"] / max(served, 1),
                "wall_s": round(wall_s, 3),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
