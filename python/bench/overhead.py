"""What the Python layer costs on top of the engine: a quickstart run through `ccsim.run`,
whole (scenario to DataFrames), against the simulation inside it, side by side in one process.

    python python/bench/overhead.py [--rounds N] [--threads T]

Each round runs the quickstart (its own 10 replications of its week, on one thread, by
default) and
reads its summary and interval DataFrames. The engine's share is `RunResult.simulation_s`,
timed inside the native call around the replications alone; everything else — checking the
budget, starting the worker, building the summary, rendering intervals.csv and parsing it
into pandas, the progress plumbing — is the Python layer's overhead. A first call imports
pandas (once per session); it is printed apart, not counted. Prints each round and
the median overhead as a share of the simulation. CI runs it once with --rounds 1 as a smoke
test; the figure comes from a quiet machine with the default rounds.
"""

import argparse
import statistics
import time

import ccsim


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--replications", type=int, default=None)
    args = parser.parse_args()
    scenario = ccsim.Scenario.quickstart().with_settings(replications=args.replications)
    replications = scenario.replications
    # Warm up: the first call imports pandas (a one-time cost of a session, printed apart).
    started = time.perf_counter()
    warm = ccsim.run(scenario.with_settings(replications=1), threads=1, progress=False)
    warm.summary
    warm.intervals
    print(
        f"first call, with the import of pandas: {(time.perf_counter() - started) * 1000:.0f} ms "
        f"(simulation {warm.simulation_s * 1000:.0f} ms)"
    )
    shares = []
    for i in range(args.rounds):
        started = time.perf_counter()
        result = ccsim.run(scenario, threads=args.threads, progress=False)
        result.summary
        result.intervals
        whole_s = time.perf_counter() - started
        sim_s = result.simulation_s
        share = (whole_s - sim_s) / sim_s
        shares.append(share)
        print(
            f"round {i + 1}: whole {whole_s * 1000:.1f} ms, simulation {sim_s * 1000:.1f} ms, "
            f"Python layer {(whole_s - sim_s) * 1000:.1f} ms = {share * 100:.2f} %"
        )
    print(
        f"median overhead of the Python layer: {statistics.median(shares) * 100:.2f} % of the "
        f"simulation ({replications} replications of the quickstart week, "
        f"{args.threads} thread(s))"
    )


if __name__ == "__main__":
    main()
