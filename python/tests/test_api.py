"""The package's own behaviour: errors that say where, progress on the caller's thread, the
GIL released while simulating, budgets, and interruption."""

import threading
from pathlib import Path

import pytest

import ccsim

QUICK_SHORT = {"duration_days": 1}


def quickstart_text(root: Path) -> str:
    return (root / "scenarios" / "quickstart.toml").read_text()


def test_a_bad_field_in_toml_text_names_its_line_and_field(root):
    text = quickstart_text(root).replace("replications = 10", 'replications = "ten"')
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith("replications"))
    with pytest.raises(ccsim.InputError) as caught:
        ccsim.Scenario.from_toml(text, origin="notebook cell 3")
    e = caught.value
    assert (e.file, e.line, e.field) == ("notebook cell 3", line, "replications")
    assert "ten" in e.message or "integer" in e.message or "number" in e.message
    assert isinstance(e, ccsim.Error) and e.problems[0].line == line
    assert "notebook cell 3:" in str(e)


def test_every_problem_of_a_file_is_listed(tmp_path, root):
    text = quickstart_text(root).replace("replications = 10", "replications = 0").replace(
        "duration_days = 7", "duration_days = -1"
    )
    path = tmp_path / "broken.toml"
    path.write_text(text)
    with pytest.raises(ccsim.InputError) as caught:
        ccsim.Scenario.load(path)
    fields = {p.field for p in caught.value.problems}
    assert {"replications", "duration_days"} <= fields, caught.value.problems
    assert all(p.file == str(path) and p.line for p in caught.value.problems)


def test_a_missing_file_says_which(tmp_path):
    with pytest.raises(ccsim.InputError) as caught:
        ccsim.Scenario.load(tmp_path / "nowhere.toml")
    assert caught.value.file == str(tmp_path / "nowhere.toml")
    assert caught.value.line is None


def test_a_setting_that_does_not_fit_names_its_path():
    with pytest.raises(ccsim.InputError) as caught:
        ccsim.Scenario.quickstart().with_settings({"agents.nobody.count": 3})
    assert "nobody" in str(caught.value)


def test_a_setting_with_a_bad_value_is_reported_on_the_scenarios_field():
    with pytest.raises(ccsim.InputError) as caught:
        ccsim.Scenario.quickstart().with_settings({"agents.sales-early.count": -2})
    assert "count" in caught.value.field


def test_a_dict_scenario_runs_like_its_toml(root):
    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and later

    doc = tomllib.loads(quickstart_text(root))
    doc["duration_days"] = 1
    doc["replications"] = 2
    from_dict = ccsim.Scenario.from_dict(doc, base_dir=root / "scenarios")
    from_toml = ccsim.Scenario.quickstart().with_settings(QUICK_SHORT, replications=2)
    a, b = ccsim.run(from_dict, threads=1), ccsim.run(from_toml, threads=1)
    assert a.summary_json == b.summary_json


def test_a_dict_scenario_with_a_typo_names_the_field():
    with pytest.raises(ccsim.InputError) as caught:
        ccsim.Scenario.from_dict({"name": "x", "duration_dayz": 1})
    assert any("duration_dayz" in (p.field or "") + p.message for p in caught.value.problems)


def test_progress_reaches_the_callback_on_the_callers_thread():
    seen = []
    caller = threading.get_ident()

    def on_progress(done, total):
        seen.append((done, total, threading.get_ident()))

    s = ccsim.Scenario.quickstart().with_settings(QUICK_SHORT, replications=4)
    ccsim.run(s, threads=2, progress=on_progress)
    assert [d for d, _, _ in seen] == [1, 2, 3, 4]
    assert all(t == 4 and ident == caller for _, t, ident in seen)


def test_a_callback_that_raises_stops_the_run():
    calls = []

    def on_progress(done, total):
        calls.append(done)
        raise ValueError("stop here")

    s = ccsim.Scenario.quickstart().with_settings(QUICK_SHORT, replications=12)
    with pytest.raises(ValueError, match="stop here"):
        ccsim.run(s, threads=1, progress=on_progress)
    assert calls == [1]


def test_the_gil_is_released_while_simulating():
    s = ccsim.Scenario.quickstart().with_settings(replications=3)
    done = threading.Event()
    spins = 0

    def simulate():
        ccsim.run(s, threads=1, progress=False)
        done.set()

    worker = threading.Thread(target=simulate)
    worker.start()
    while not done.is_set():
        spins += 1
    worker.join()
    # With the GIL held through the run this thread would not get to count at all; released,
    # it counts all through the run (seconds of simulation).
    assert spins > 100_000, spins


def test_a_scenario_past_the_budget_is_refused_before_it_runs():
    with pytest.raises(ccsim.BudgetError, match="raise it with max_conversations="):
        ccsim.run(max_conversations=1000)


def test_the_invariant_checker_runs_when_asked():
    s = ccsim.Scenario.quickstart().with_settings(QUICK_SHORT, replications=2)
    checked = ccsim.run(s, threads=1, check=True)
    assert checked.summary_json == ccsim.run(s, threads=1).summary_json


def test_erlang_arguments_are_checked_by_name():
    with pytest.raises(ccsim.InputError) as caught:
        ccsim.erlang(rate_per_h=-5, aht_s=240)
    assert caught.value.field == "rate_per_h"
    with pytest.raises(ccsim.InputError) as caught:
        ccsim.erlang(rate_per_h=100, aht_s=240, service_level=1.5)
    assert caught.value.field == "service_level"


def erlang_c_service_level(agents: int, erlangs: float, aht_s: float, threshold_s: float):
    """Erlang C by its textbook formula, written out independently of ccsim."""
    import math

    top = erlangs**agents / math.factorial(agents) * agents / (agents - erlangs)
    below = sum(erlangs**k / math.factorial(k) for k in range(agents))
    p_wait = top / (below + top)
    return 1 - p_wait * math.exp(-(agents - erlangs) * threshold_s / aht_s)


def test_erlang_c_reproduces_the_textbook_formula():
    # 360 calls an hour of 240 s: 24 erlangs; 80 % in 20 s needs 29 agents (28 give 76 %).
    answer = ccsim.erlang(rate_per_h=360, aht_s=240, threshold_s=20)
    assert answer.offered_erlangs == pytest.approx(24.0)
    assert answer.model == "Erlang C"
    assert answer.required_agents == 29
    for row in answer.table.itertuples():
        assert row.service_level == pytest.approx(
            erlang_c_service_level(row.agents, 24.0, 240, 20), rel=1e-9
        )


def test_staff_options_are_checked_by_name():
    with pytest.raises(ccsim.InputError) as caught:
        ccsim.staff(service_level=1.2)
    assert caught.value.field == "service_level"


def test_a_gate_given_as_rules_judges_like_the_file(root):
    rules = [{"metric": "service_level", "scope": "*", "max_worsening": {"abs": 0.02}}]
    base = ccsim.Scenario.quickstart().with_settings(QUICK_SHORT, replications=3)
    bad = ccsim.compare(base, {"routes.sales.queue": "support"}, gate=rules, threads=2)
    same = ccsim.compare(base, {}, gate=rules, threads=2)
    assert bad.passed is False and same.passed is True
    assert ccsim.compare(base, {}).passed is None


def test_a_bad_gate_rule_names_its_field():
    rules = [{"metric": "speed", "scope": "all", "max_worsening": {"abs": 1}}]
    base = ccsim.Scenario.quickstart().with_settings(QUICK_SHORT, replications=2)
    with pytest.raises(ccsim.InputError) as caught:
        ccsim.compare(base, {}, gate=rules)
    assert caught.value.field == "rule[0].metric"
    assert caught.value.line == 2


def test_an_interrupt_stops_the_run_between_replications():
    import os
    import signal

    reps = 40
    seen = []
    first = threading.Event()

    def on_progress(done, total):
        seen.append(done)
        first.set()

    def interrupt():
        first.wait()
        os.kill(os.getpid(), signal.SIGINT)  # what Ctrl-C or a notebook's interrupt sends

    helper = threading.Thread(target=interrupt)
    helper.start()
    s = ccsim.Scenario.quickstart().with_settings(replications=reps)  # a week each
    with pytest.raises(KeyboardInterrupt):
        ccsim.run(s, threads=1, progress=on_progress)
    helper.join()
    # The run stopped taking replications at the interrupt: far fewer than all were done.
    assert 1 <= len(seen) < reps // 2, seen


def test_progress_true_draws_a_tqdm_bar_and_none_draws_nothing_unwatched(capsys):
    s = ccsim.Scenario.quickstart().with_settings(QUICK_SHORT, replications=3)
    ccsim.run(s, threads=1, progress=True)
    drawn = capsys.readouterr().err
    assert "3/3" in drawn and "replication" in drawn, drawn
    ccsim.run(s, threads=1)  # pytest's stderr is no terminal: no bar
    assert capsys.readouterr().err == ""


def test_a_variation_files_bad_setting_is_reported_at_its_line(tmp_path):
    variation = tmp_path / "fewer.toml"
    variation.write_text('name = "fewer"\n[set]\n"agents.sales-early.count" = -3\n')
    base = ccsim.Scenario.quickstart().with_settings(QUICK_SHORT, replications=2)
    with pytest.raises(ccsim.InputError) as caught:
        ccsim.compare(base, variation)
    assert (caught.value.file, caught.value.line) == (str(variation), 3), caught.value.problems
