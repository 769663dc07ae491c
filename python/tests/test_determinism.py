"""The same scenario and seed give the same figures through Python as through the command,
to the last digit: the reports' bytes, and the DataFrames read from them."""

import json
from pathlib import Path

import pandas as pd
from pandas.testing import assert_frame_equal

import ccsim
from conftest import cli, cli_exit

RUN_FILES = ["summary.json", "intervals.csv", "intervals_by_channel.csv", "report.html"]


def same_files(a: Path, b: Path, names):
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), f"{name} differs"


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def test_quickstart_through_python_is_the_command_to_the_last_digit(tmp_path):
    result = ccsim.run(threads=2)
    result.save(tmp_path / "py")
    cli("run", "--out", str(tmp_path / "cli"), "--threads", "1", "-q")
    same_files(tmp_path / "py", tmp_path / "cli", RUN_FILES)
    assert_frame_equal(result.intervals, read(tmp_path / "cli" / "intervals.csv"), check_exact=True)
    assert_frame_equal(
        result.intervals_by_channel,
        read(tmp_path / "cli" / "intervals_by_channel.csv"),
        check_exact=True,
    )
    doc = json.loads((tmp_path / "cli" / "summary.json").read_text())
    summary = result.summary.set_index(["scope", "metric"])
    assert summary.loc[("all", "service_level"), "mean"] == doc["overall"]["service_level"]["mean"]
    overall = doc["overall"]
    assert summary.loc[("all", "abandon_rate"), "ci_high"] == overall["abandon_rate"]["ci_high"]
    for queue in doc["queues"]:
        assert (
            summary.loc[(queue["name"], "mean_wait_answered_s"), "half_width"]
            == queue["mean_wait_answered_s"]["half_width"]
        )
    # The rows follow the file: the whole centre's metrics in summary.json's order (Python's
    # json keeps it), not sorted.
    assert list(result.summary.query("scope == 'all'")["metric"]) == [
        path for key, value in overall.items() for path in estimate_paths(value, key)
    ]


def estimate_paths(node, path):
    """The paths of the estimates (objects with a mean and its interval) under `node`."""
    if isinstance(node, dict) and {"mean", "half_width", "ci_low", "ci_high"} <= node.keys():
        yield path
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from estimate_paths(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            name = value.get("name", i) if isinstance(value, dict) else i
            yield from estimate_paths(value, f"{path}.{name}")


def test_settings_seed_and_replications_are_the_commands_set_seed_and_replications(tmp_path, root):
    scenario = ccsim.Scenario.load(root / "scenarios" / "quickstart.toml").with_settings(
        {"agents.sales-early.count": 6, "arrival_scale": 1.1}, seed=11, replications=3
    )
    assert scenario.settings == {"agents.sales-early.count": 6, "arrival_scale": 1.1}
    ccsim.run(scenario, threads=1).save(tmp_path / "py")
    cli(
        "run", "scenarios/quickstart.toml", "--set", "agents.sales-early.count=6",
        "--set", "arrival_scale=1.1", "--seed", "11", "--replications", "3",
        "--out", str(tmp_path / "cli"), "-q",
    )
    same_files(tmp_path / "py", tmp_path / "cli", RUN_FILES)


def test_a_scenario_written_back_as_toml_runs_the_same(tmp_path):
    varied = ccsim.Scenario.quickstart().with_settings(duration_days=2, replications=2)
    path = tmp_path / "varied.toml"
    path.write_text(varied.to_toml())
    a = ccsim.run(varied, threads=1)
    b = ccsim.run(ccsim.Scenario.load(path), threads=1)
    assert a.summary_json == b.summary_json


def test_thread_count_never_changes_results():
    s = ccsim.Scenario.quickstart().with_settings(replications=4, duration_days=2)
    one = ccsim.run(s, threads=1)
    three = ccsim.run(s, threads=3)
    assert one.summary_json == three.summary_json
    assert_frame_equal(one.intervals, three.intervals, check_exact=True)


def test_compare_is_the_commands_compare(tmp_path, root):
    base = root / "scenarios" / "quickstart.toml"
    result = ccsim.compare(
        base,
        # A variation file, as the command takes it.
        root / "scenarios" / "plans" / "sales-to-support.toml",
        gate=root / "scenarios" / "plans" / "gate.toml",
        replications=3,
        threads=2,
    )
    as_dict = ccsim.compare(
        base,
        {"routes.sales.queue": "support"},
        name="sales-to-support",
        gate=root / "scenarios" / "plans" / "gate.toml",
        replications=3,
        threads=2,
    )
    assert as_dict.json == result.json
    result.save(tmp_path / "py")
    done = cli_exit(
        "compare", str(base), "scenarios/plans/sales-to-support.toml",
        "--gate", "scenarios/plans/gate.toml", "--replications", "3",
        "--out", str(tmp_path / "cli"), "-q",
    )
    # The known-bad routing change breaks the gate: exit 3, and Python says it failed.
    assert done.returncode == 3, done.stderr
    assert result.passed is False
    assert result.failures
    same_files(tmp_path / "py", tmp_path / "cli", ["compare_intervals.csv", "junit.xml"])
    # The command's candidate is the variation of the file as written (10 replications, run
    # on the base's 3, which its notes say); Python's is the base as given, varied.
    py_doc = json.loads((tmp_path / "py" / "compare.json").read_text())
    cli_doc = json.loads((tmp_path / "cli" / "compare.json").read_text())
    assert py_doc["notes"] == [] and "3 replications" in cli_doc["notes"][0]
    del py_doc["notes"], cli_doc["notes"]
    assert py_doc == cli_doc
    assert_frame_equal(
        result.intervals, read(tmp_path / "cli" / "compare_intervals.csv"), check_exact=True
    )
    totals = result.totals.set_index(["scope", "metric"])
    doc = json.loads((tmp_path / "cli" / "compare.json").read_text())
    all_scope = next(s for s in doc["scopes"] if s["scope"] == "all")
    expected = all_scope["totals"]["service_level"]["diff"]["mean"]
    assert totals.loc[("all", "service_level"), "diff"] == expected


def test_sweep_of_a_scenario_is_the_commands_sweep_of_the_same_plan(tmp_path, root):
    scenario = ccsim.Scenario.load(root / "scenarios" / "quickstart.toml").with_settings(
        duration_days=2, replications=2
    )
    result = ccsim.sweep(
        scenario, grid={"agents.sales-early.count": [4, 6]}, name="grid", threads=2
    )
    result.save(tmp_path / "py")
    (tmp_path / "plan").mkdir()
    (tmp_path / "plan" / "quickstart.toml").write_text(
        (root / "scenarios" / "quickstart.toml").read_text()
    )
    (tmp_path / "plan" / "grid.toml").write_text(
        'scenario = "quickstart.toml"\nreplications = 2\n'
        '[[points]]\nname = "short"\nset = { duration_days = 2 }\n'
        '[[grid]]\npath = "agents.sales-early.count"\nvalues = [4, 6]\n'
    )
    cli("sweep", str(tmp_path / "plan" / "grid.toml"), "--out", str(tmp_path / "cli"), "-q")
    cli_summary = read(tmp_path / "cli" / "sweep.csv")
    # The plan file names its points "short count=4"; the scenario's sweep "count=4".
    cli_summary["name"] = cli_summary["name"].str.replace("short ", "", regex=False)
    assert_frame_equal(result.summary, cli_summary, check_exact=True)
    assert list(result.summary["name"].unique()) == ["count=4", "count=6"]


def test_a_plan_file_through_python_is_the_command(tmp_path, root):
    plan = root / "scenarios" / "staffing-grid.sweep.toml"
    result = ccsim.sweep(plan, threads=2)
    result.save(tmp_path / "py")
    cli("sweep", str(plan), "--out", str(tmp_path / "cli"), "-q")
    same_files(
        tmp_path / "py",
        tmp_path / "cli",
        ["sweep.json", "sweep.csv", "settings.csv", "intervals.csv"],
    )


def test_staffing_is_the_commands_staffing(tmp_path, root):
    scenario = ccsim.Scenario.load(root / "scenarios" / "quickstart.toml").with_settings(
        duration_days=1, replications=2
    )
    result = ccsim.staff(scenario, max_rounds=4, threads=2)
    result.save(tmp_path / "py")
    cli(
        "staff", "scenarios/quickstart.toml", "--set", "duration_days=1", "--replications", "2",
        "--max-rounds", "4", "--out", str(tmp_path / "cli"), "-q",
    )
    same_files(tmp_path / "py", tmp_path / "cli", ["staffing.csv", "staffing.json"])
    assert_frame_equal(result.table, read(tmp_path / "cli" / "staffing.csv"), check_exact=True)


def test_erlang_is_the_commands_erlang():
    done = cli(
        "erlang", "--rate-per-h", "360", "--aht-s", "240", "--threshold-s", "20",
        "--patience-s", "120", "--shrinkage", "0.3", "--json",
    )
    answer = ccsim.erlang(rate_per_h=360, aht_s=240, threshold_s=20, patience_s=120, shrinkage=0.3)
    assert answer.answer == json.loads(done.stdout)
    assert answer.model == "Erlang A"
