//! Broken scenarios (tests/bad/): each gives a clear message with file:line:column and the
//! field path, exit code 2, no panic, and nothing written to `--out`.

use std::process::Command;

/// (file, where the message must point: "file:line:", field path, words it must contain)
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "bot_direct_assign_unknown_group.toml",
        "bot_direct_assign_unknown_group.toml:33:",
        "bot.direct_assign.group",
        "unknown agent group 'vips': expected one of team",
    ),
    (
        "bot_unrouted_with_external_centre.toml",
        "bot_unrouted_with_external_centre.toml:33:",
        "bot.handoffs",
        "its layer takes every handoff",
    ),
    (
        "bot_reply_shapes_above_one.toml",
        "bot_reply_shapes_above_one.toml:34:",
        "bot.reply_shapes",
        "add up to 1.200: expected at most 1",
    ),
    (
        "bot_media_unknown_kind.toml",
        "bot_media_unknown_kind.toml:38:",
        "bot.media.kinds.hologram",
        "unknown kind 'hologram': expected voice_note, image, video, document or location",
    ),
    (
        "bot_webhook_replaced_negative.toml",
        "bot_webhook_replaced_negative.toml:33:",
        "bot.webhook_replaced_after_h",
        "hours from the start",
    ),
    (
        "workflow_close_not_last.toml",
        "workflow_close_not_last.toml:35:",
        "workflows[0].actions",
        "close must be the last action",
    ),
    (
        "workflow_trigger_too_soon.toml",
        "workflow_trigger_too_soon.toml:34:",
        "workflows[0].triggers",
        "10 seconds to 90 days",
    ),
    (
        "sla_agent_shares_above_one.toml",
        "sla_agent_shares_above_one.toml:35:",
        "sla_policies[0].severities",
        "agent shares add up to 1.300",
    ),
    (
        "sla_no_target.toml",
        "sla_no_target.toml:35:",
        "sla_policies[0].severities[0]",
        "SLA-2",
    ),
    (
        "sla_ends_before_it_starts.toml",
        "sla_ends_before_it_starts.toml:35:",
        "sla_policies[0].valid_until",
        "ends before it starts",
    ),
    (
        "ws_nothing_enabled.toml",
        "ws_nothing_enabled.toml:32:",
        "waiting_strategies[0]",
        "WS-1",
    ),
    (
        "ws_announcement_too_often.toml",
        "ws_announcement_too_often.toml:36:",
        "waiting_strategies[0].announcements.every_s",
        "WS-3",
    ),
    (
        "ws_max_wait_over_an_hour.toml",
        "ws_max_wait_over_an_hour.toml:36:",
        "waiting_strategies[0].max_wait_min",
        "WS-4",
    ),
    (
        "ws_channel_twice.toml",
        "ws_channel_twice.toml:39:",
        "waiting_strategies[1].channels[0]",
        "one strategy per sender",
    ),
    (
        "conversation_without_agent_reply.toml",
        "conversation_without_agent_reply.toml:30:",
        "arrivals[0].conversation",
        "no agent_reply",
    ),
    (
        "transfer_unknown_queue.toml",
        "transfer_unknown_queue.toml:16:",
        "queues[0].transfers[0].to",
        "unknown queue 'biling'",
    ),
    (
        "agent_transfer_shares_above_one.toml",
        "agent_transfer_shares_above_one.toml:17:",
        "queues[0].transfers_to_agents",
        "transfers to agents (0.4) and to queues (0.700) add up to more than 1",
    ),
    (
        "transfer_shares_above_one.toml",
        "transfer_shares_above_one.toml:16:",
        "queues[0].transfers",
        "add up to 1.300",
    ),
    (
        "close_solved_out_of_range.toml",
        "close_solved_out_of_range.toml:33:",
        "conversations.close_solved_after_min",
        "10 seconds to 90 days",
    ),
    (
        "queue_without_handle_time.toml",
        "queue_without_handle_time.toml:25:",
        "arrivals[0]",
        "no handle_time",
    ),
    (
        "exchanges_mean_below_one.toml",
        "exchanges_mean_below_one.toml:31:",
        "arrivals[0].conversation.exchanges.mean",
        "mean ≥ 1",
    ),
    (
        "missing_field.toml",
        "missing_field.toml:1:",
        "duration_days",
        "missing field",
    ),
    (
        "wrong_type.toml",
        "wrong_type.toml:4:",
        "duration_days",
        "\"seven\" (text): expected a number",
    ),
    (
        "negative_rate.toml",
        "negative_rate.toml:25:",
        "arrivals[0].rate_per_h",
        "expected a number ≥ 0",
    ),
    // Names reach CSV reports opened in spreadsheets, and terminals.
    (
        "name_formula.toml",
        "name_formula.toml:13:",
        "queues[0].name",
        "which a spreadsheet opening the reports would run as a formula",
    ),
    (
        "name_control.toml",
        "name_control.toml:9:",
        "channels[0].name",
        "a name may not hold control characters (found U+001B)",
    ),
    (
        "agent_unknown_queue.toml",
        "agent_unknown_queue.toml:19:",
        "agents[0].queues[0]",
        "unknown queue 'salse'",
    ),
    (
        "csv_profile_bad_row.toml",
        "bad_profile.csv:6:",
        "arrivals[0].profile.csv",
        "'abc'",
    ),
    (
        "unknown_time_zone.toml",
        "unknown_time_zone.toml:3:",
        "time_zone",
        "unknown time zone",
    ),
    (
        "zero_duration.toml",
        "zero_duration.toml:4:",
        "duration_days",
        "expected a number > 0",
    ),
    (
        "capacity_zero.toml",
        "capacity_zero.toml:20:",
        "agents[0].capacity.live_messaging",
        "capacity 0",
    ),
    (
        "voice_capacity_not_one.toml",
        "voice_capacity_not_one.toml:9:",
        "capacity.voice_video",
        "CAP-3",
    ),
    (
        "unknown_field.toml",
        "unknown_field.toml:5:",
        "sead",
        "unknown field",
    ),
    (
        "unknown_channel_kind.toml",
        "unknown_channel_kind.toml:10:",
        "channels[0].kind",
        "carrier_pigeon",
    ),
    (
        "segment_unknown_channel.toml",
        "segment_unknown_channel.toml:24:",
        "arrivals[0].channel",
        "unknown channel 'sms'",
    ),
    (
        "bad_start.toml",
        "bad_start.toml:2:",
        "start",
        "expected a local date-time",
    ),
    (
        "rate_and_profile.toml",
        "rate_and_profile.toml:21:",
        "arrivals[0]",
        "exactly one of rate_per_h or profile",
    ),
    (
        "profile_wrong_length.toml",
        "profile_wrong_length.toml:25:",
        "arrivals[0].profile.rates_per_h",
        "23 values",
    ),
    (
        "profile_bad_interval.toml",
        "profile_bad_interval.toml:25:",
        "arrivals[0].profile.interval_min",
        "15, 30 or 60",
    ),
    (
        "duplicate_queue.toml",
        "duplicate_queue.toml:17:",
        "queues[1].name",
        "duplicate name 'sales'",
    ),
    (
        "shift_bad_time.toml",
        "shift_bad_time.toml:20:",
        "agents[0].shift[0].start",
        "'25:00'",
    ),
    (
        "shift_bad_weekday.toml",
        "shift_bad_weekday.toml:20:",
        "agents[0].shift[0].days[0]",
        "'funday'",
    ),
    (
        "negative_handle_mean.toml",
        "negative_handle_mean.toml:14:",
        "queues[0].handle_time.mean_s",
        "expected a number > 0",
    ),
    (
        "unknown_distribution.toml",
        "unknown_distribution.toml:14:",
        "queues[0].handle_time.dist",
        "gamma",
    ),
    (
        "not_toml.toml",
        "not_toml.toml:1:",
        "(top level)",
        "not valid TOML",
    ),
    (
        "count_and_names.toml",
        "count_and_names.toml:16:",
        "agents[0]",
        "exactly one of count, names or roster_csv",
    ),
    (
        "warmup_longer_than_run.toml",
        "warmup_longer_than_run.toml:7:",
        "warmup_h",
        "less than the duration",
    ),
    (
        "zero_replications.toml",
        "zero_replications.toml:6:",
        "replications",
        "expected 1 to",
    ),
    (
        "negative_count.toml",
        "negative_count.toml:18:",
        "agents[0].count",
        "-2",
    ),
    (
        "empirical_csv_missing_column.toml",
        "handle_times.csv:1:",
        "queues[0].handle_time.csv",
        "no column 'secs'",
    ),
    (
        "too_many_report_rows.toml",
        "too_many_report_rows.toml:5:",
        "report_interval_min",
        "report rows",
    ),
    (
        "empty_sections.toml",
        "empty_sections.toml:6:",
        "queues",
        "no queues",
    ),
    (
        "route_unknown_queue.toml",
        "route_unknown_queue.toml:60:",
        "routes[0].queue",
        "expected one of 'Premium', 'Spanish', 'Default'",
    ),
    (
        "route_unknown_attribute.toml",
        "route_unknown_attribute.toml:64:",
        "routes[0].conditions[1].attribute",
        "unknown attribute 'person.tier'",
    ),
    (
        "route_operator_not_allowed.toml",
        "route_operator_not_allowed.toml:63:",
        "routes[0].conditions[0].operator",
        "does not apply to 'to'",
    ),
    (
        "routed_segment_without_default.toml",
        "routed_segment_without_default.toml:71:",
        "arrivals[0]",
        "Default queue",
    ),
    (
        "attribute_shares_above_one.toml",
        "attribute_shares_above_one.toml:83:",
        "arrivals[0].attributes[2].values",
        "add up to 1.1",
    ),
    (
        "roster_bad_rows.toml",
        "bad-roster.csv:3:",
        "agents[0].roster_csv.queues[0]",
        "unknown queue 'biling'",
    ),
    (
        "json_unknown_queue.json",
        "json_unknown_queue.json:12:",
        "agents[0].queues[1]",
        "unknown queue 'billing'",
    ),
    (
        "json_syntax_error.json",
        "json_syntax_error.json:5:",
        "(top level)",
        "not valid JSON",
    ),
    (
        "json_wrong_type.json",
        "json_wrong_type.json:11:",
        "agents[0].count",
        "\"three\" (text): expected a whole number",
    ),
];

#[test]
fn every_broken_scenario_is_reported_with_file_line_and_field() {
    assert!(CASES.len() >= 20);
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (i, (file, at, path, words)) in CASES.iter().enumerate() {
        let out_dir = dir.path().join(format!("out{i}"));
        let output = Command::new(env!("CARGO_BIN_EXE_ccsim"))
            .args(["run", &format!("tests/bad/{file}"), "--out"])
            .arg(&out_dir)
            .output()
            .expect("binary runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let line = stderr.lines().find(|l| l.contains(at)).unwrap_or("");
        let problems = [
            (
                output.status.code() != Some(2),
                format!("exit code {:?}, expected 2", output.status.code()),
            ),
            (stderr.contains("panicked"), "panicked".into()),
            (line.is_empty(), format!("no line pointing at {at}")),
            (
                !line.contains(&format!(" {path}: ")),
                format!("field path '{path}' not named"),
            ),
            (!line.contains(words), format!("message lacks '{words}'")),
            (out_dir.exists(), "something was written to --out".into()),
        ];
        for (failed, why) in problems {
            if failed {
                failures.push(format!("{file}: {why}\n    stderr: {stderr}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_broken_scenario_file_has_an_expectation() {
    for entry in std::fs::read_dir("tests/bad").unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".toml") || name.ends_with(".json") {
            assert!(
                CASES.iter().any(|c| c.0 == name),
                "tests/bad/{name} is not in CASES"
            );
        }
    }
}

#[test]
fn every_problem_of_a_file_is_reported_at_once() {
    let text = std::fs::read_to_string("tests/bad/negative_rate.toml")
        .unwrap()
        .replace("Europe/Berlin", "Nowhere/Land")
        .replace("queues = [\"sales\"]", "queues = [\"nope\"]");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.toml");
    std::fs::write(&path, text).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .arg("validate")
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("3 problems"), "{stderr}");
    let lines: Vec<&str> = stderr.lines().skip(1).collect();
    assert!(
        lines[0].contains(":3:") && lines[1].contains(":19:") && lines[2].contains(":25:"),
        "sorted by line: {stderr}"
    );
}

#[test]
fn a_missing_file_and_an_unknown_extension_are_bad_input() {
    for args in [
        ["run", "tests/bad/does-not-exist.toml"],
        ["validate", "Cargo.lock"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_ccsim"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
    }
}

#[test]
fn every_bad_roster_row_is_reported_at_its_line() {
    let output = Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .args(["validate", "tests/bad/roster_bad_rows.toml"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    for (line, words) in [
        (3, "unknown queue 'biling'"),
        (4, "'zero': expected a whole number"),
        (5, "'fri-mon': a range runs forward"),
        (6, "duplicate agent name 'B-101'"),
        (7, "'@B-107' begins with '@'"),
    ] {
        let at = format!("tests/bad/data/bad-roster.csv:{line}:");
        assert!(
            stderr.lines().any(|l| l.contains(&at) && l.contains(words)),
            "{at} {words}\n{stderr}"
        );
    }
}

/// Issue 14 (9): every misspelt key at once (serde stops at the first), each with the name it
/// was probably meant to be; an empty file says it is empty.
#[test]
fn every_misspelt_key_is_reported_at_once_with_its_likely_name() {
    let text = std::fs::read_to_string("scenarios/quickstart.toml")
        .unwrap()
        .replacen("seed = ", "sead = ", 1)
        .replacen("replications = ", "replicatoins = ", 1);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("typos.toml");
    std::fs::write(&file, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .arg("validate")
        .arg(&file)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("unknown field `sead` (did you mean `seed`?)"),
        "{err}"
    );
    assert!(
        err.contains("unknown field `replicatoins` (did you mean `replications`?)"),
        "{err}"
    );
    std::fs::write(&file, "\n  \n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .arg("validate")
        .arg(&file)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("typos.toml:1:1:") && err.contains("the file is empty"),
        "{err}"
    );
}
