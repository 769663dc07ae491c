# %% [markdown]
# # From a dated forecast to a staffing plan and a what-if, in Python
#
# A planner's notebook, written as a script in cells (`# %%`: VS Code, PyCharm and Jupytext open
# it as a notebook). It runs headless end to end, as CI runs it:
#
#     pip install ccsim-*.whl matplotlib
#     MPLBACKEND=Agg python docs/python_example.py reports/python-example
#
# It plans the first two weeks of `scenarios/planner-forecast.toml`: a billing hotline and a
# technical live chat whose volumes and handle times come from a WFM tool's dated forecast
# (`scenarios/data/forecast-4weeks.csv`, half-hourly, German number format).
#
# 1. Forecast: run the roster as published against the forecast; waits, service level and
#    abandonment per half hour, with confidence intervals over replications.
# 2. Staffing plan: the agents each queue needs per half hour for 80 % answered within the
#    queue's threshold, Erlang first and then corrected by simulation.
# 3. What-if: volumes 10 % and 20 % above the forecast, on the same random numbers, as a chart.

# %%
import sys
from pathlib import Path

import matplotlib

import ccsim

matplotlib.use("Agg")  # headless: the chart is written to a file
import matplotlib.pyplot as plt  # noqa: E402 (after choosing the backend)

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "reports" / "python-example"
OUT.mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## The scenario: the WFM tool's forecast and schedule as they come out of the tool

# %%
plan = ccsim.Scenario.load(ROOT / "scenarios" / "planner-forecast.toml").with_settings(
    duration_days=14, replications=5
)
print(plan)
print("queues:", plan.queues, "· about", round(plan.expected_conversations), "conversations")

# %% [markdown]
# ## 1. The forecast run: the published roster against the forecast volumes

# %%
forecast = ccsim.run(plan)
summary = forecast.summary.set_index(["scope", "metric"])
for scope in plan.queues + ["all"]:
    sl = summary.loc[(scope, "service_level")]
    ab = summary.loc[(scope, "abandon_rate")]
    print(
        f"{scope:>8}: service level {sl['mean']:.1%} ± {sl['half_width']:.1%}, "
        f"abandoned {ab['mean']:.1%} ± {ab['half_width']:.1%}"
    )

# Per day and queue, from the half-hourly rows (the columns of intervals.csv).
iv = forecast.intervals
daily = (
    iv.assign(answered_in_time=iv["service_level"] * iv["offered_per_rep"])
    .groupby(["date", "queue"], as_index=False)[["offered_per_rep", "answered_in_time"]]
    .sum()
)
daily["service_level"] = daily["answered_in_time"] / daily["offered_per_rep"]
print(daily.head(6).to_string(index=False))
forecast.save(OUT / "forecast")

# %% [markdown]
# ## 2. The staffing plan: agents per queue and half hour for 80 % within the threshold

# %%
staffing = ccsim.staff(plan, service_level=0.8, shrinkage=0.3, max_rounds=20)
table = staffing.table  # staffing.csv: per queue and half hour
open_rows = table[table["open"] & (table["queue"] != "(all)")]
shown = ["date", "time", "queue", "offered_per_h", "erlang_agents", "agents", "roster_agents"]
print(open_rows[shown].head(8).to_string(index=False))
for q in staffing.totals.itertuples():
    print(
        f"{q.queue:>8}: {q.simulated_h:.0f} agent-hours to schedule ({q.fte:.1f} FTE), "
        f"the roster has {q.roster_h:.0f}; short in {q.short_intervals} half hours"
    )
staffing.save(OUT / "staffing")

# %% [markdown]
# ## 3. What-if: volumes above the forecast, on the same random numbers

# %%
what_if = ccsim.sweep(plan, grid={"arrival_scale": [1.0, 1.1, 1.2]}, name="volume-what-if")
points = what_if.summary
sl = points[points["metric"] == "service_level"]

fig, ax = plt.subplots(figsize=(8, 4))
scopes = plan.queues + ["all"]
width = 0.8 / len(scopes)
names = list(dict.fromkeys(sl["name"]))
for k, scope in enumerate(scopes):
    rows = sl[sl["scope"] == scope].set_index("name").loc[names]
    x = [i + k * width for i in range(len(names))]
    err = [rows["mean"] - rows["ci_low"], rows["ci_high"] - rows["mean"]]
    ax.bar(x, rows["mean"], width, yerr=err, capsize=3, label=scope)
ax.set_xticks([i + width * (len(scopes) - 1) / 2 for i in range(len(names))], names)
ax.axhline(0.8, color="grey", linestyle="--", linewidth=1, label="target 80 %")
ax.set_ylabel("service level (95 % CI)")
ax.set_ylim(0, 1)
ax.set_title("Two weeks of the forecast, volumes scaled")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
fig.tight_layout()
chart = OUT / "what-if-service-level.png"
fig.savefig(chart, dpi=100)
what_if.save(OUT / "what-if")
print("chart:", chart)
