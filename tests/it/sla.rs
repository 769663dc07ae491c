//! SLA policies in the simulation (SLA-1..7): which conversations a policy judges, automated
//! messages, working-hours clocks and queue changes. Every run goes through the invariant
//! checker.

use ccsim::report::summary::{Measures, Summary};
use ccsim::scenario::Scenario;

use crate::common::{parse_toml, run_checked};

/// WhatsApp threads into `sales` (which moves `TRANSFER` of them to `billing`); 3 agents in
/// sales, 2 in billing; `EXTRA` adds sections.
const DESK: &str = r#"name = "sla"
start = "2026-03-02T00:00"
time_zone = "UTC"
duration_days = 3
seed = 21
replications = 3

[[channels]]
name = "wa"
kind = "whatsapp"
agent_reply = { dist = "exponential", mean_s = 60 }

[capacity]
live_messaging = 3

[[queues]]
name = "sales"
transfers = [{ to = "billing", share = TRANSFER }]
HOURS

[[queues]]
name = "billing"
HOURS

[[agents]]
group = "sales"
count = 3
queues = ["sales"]

[[agents]]
group = "billing"
count = 2
queues = ["billing"]

[[arrivals]]
name = "wa"
queue = "sales"
channel = "wa"
rate_per_h = 30
attributes = [{ attribute = "person.custom.tier", values = [{ value = "premium", share = 0.2 }] }]
conversation = { exchanges = { dist = "geometric", mean = 3 }, think = { dist = "exponential", mean_s = 90 } }

[conversations]
close_solved_after_min = 5

EXTRA
"#;

fn desk_text(transfer: f64, hours: &str, extra: &str) -> String {
    DESK.replace("TRANSFER", &transfer.to_string())
        .replace("HOURS", hours)
        .replace("EXTRA", extra)
}

fn desk(transfer: f64, hours: &str, extra: &str) -> Scenario {
    parse_toml(&desk_text(transfer, hours, extra))
}

fn summary(s: &Scenario) -> Summary {
    Summary::new(s, &run_checked(s, 2))
}

const EVERYONE: &str =
    r#"conditions = [[{ attribute = "channel", operator = "is", value = "whatsapp" }]]"#;

fn policy(name: &str, conditions: &str, more: &str, severity: &str) -> String {
    format!(
        "[[sla_policies]]\nname = \"{name}\"\n{conditions}\n{more}\nseverities = [{{ name = \"default\", {severity} }}]\n"
    )
}

#[test]
fn sla_1_the_first_matching_policy_judges_each_conversation() {
    let premium = policy(
        "premium",
        r#"conditions = [[{ attribute = "person.custom.tier", operator = "is", value = "premium" }]]"#,
        "",
        "first_response_min = 0.5",
    );
    let rest = policy("rest", EVERYONE, "", "first_response_min = 60");
    let both = desk(0.0, "", &format!("{premium}\n{rest}"));
    let premium_only = desk(0.0, "", &premium);
    let (b, p) = (summary(&both).overall, summary(&premium_only).overall);
    // Every conversation is judged when a catch-all follows; a fifth when only premium is.
    let all = b.sla.conversations.mean;
    let share = p.sla.conversations.mean / all;
    assert!((share - 0.2).abs() < 0.04, "{share}");
    // Premium customers meet a 30-second first response far less often.
    assert!(p.sla.first_response_compliance.mean < b.sla.first_response_compliance.mean);
}

#[test]
fn sla_6_a_welcome_message_is_a_first_response_unless_automated_messages_are_excluded() {
    let welcome = "[[waiting_strategies]]\nname = \"hello\"\nchannels = [\"wa\"]\nwelcome = true\n";
    let strict = |exclude: bool| {
        let p = policy(
            "strict",
            EVERYONE,
            &format!("exclude_automated = {exclude}"),
            "first_response_min = 1",
        );
        summary(&desk(0.0, "", &format!("{welcome}\n{p}"))).overall
    };
    let (counted, excluded) = (strict(false), strict(true));
    // Counting automated messages, whoever waits gets the welcome at once: every first
    // response is in time. Excluding them, only the agent's reply counts.
    let (bot, human) = (
        counted.sla.first_response_compliance.mean,
        excluded.sla.first_response_compliance.mean,
    );
    assert!(bot > human + 0.1, "{bot} vs {human}");
    assert!(excluded.conversations.waiting_strategies_started.mean > 10.0);
}

/// Policies that read "response" differently in one centre (one excludes automated messages,
/// the other counts them): each conversation is judged by its own policy's reading, exactly as
/// when every policy reads that way. The book keeps both readings only in such a centre.
#[test]
fn sla_6_policies_that_read_automated_messages_differently_each_judge_by_their_own() {
    let welcome = "[[waiting_strategies]]\nname = \"hello\"\nchannels = [\"wa\"]\nwelcome = true\n";
    let centre = |premium_excludes: bool, rest_excludes: bool| {
        let premium = policy(
            "premium",
            r#"conditions = [[{ attribute = "person.custom.tier", operator = "is", value = "premium" }]]"#,
            &format!("exclude_automated = {premium_excludes}"),
            "first_response_min = 1",
        );
        let rest = policy(
            "rest",
            EVERYONE,
            &format!("exclude_automated = {rest_excludes}"),
            "first_response_min = 1",
        );
        let s = summary(&desk(0.0, "", &format!("{welcome}\n{premium}\n{rest}")));
        let by = |name: &str| {
            let p = s.sla_policies.iter().find(|p| p.policy == name).unwrap();
            (
                p.measures.conversations.mean,
                p.measures.first_response_compliance.mean,
            )
        };
        (by("premium"), by("rest"))
    };
    let (mixed_premium, mixed_rest) = centre(true, false);
    let (all_excluding, _) = centre(true, true);
    let (_, all_counting) = centre(false, false);
    // SLA state changes no behaviour, so the same random numbers give the same conversations:
    // the figures agree to the last digit.
    assert_eq!(mixed_premium, all_excluding);
    assert_eq!(mixed_rest, all_counting);
    // And the readings do differ: the welcome answers the rest at once.
    assert!(
        mixed_rest.1 > mixed_premium.1 + 0.1,
        "{mixed_rest:?} vs {mixed_premium:?}"
    );
}

#[test]
fn sla_5_working_hours_clocks_hold_overnight() {
    let hours = "working_hours = \"office\"";
    let office = r#"[[working_hours]]
name = "office"
hours = [{ days = ["mon", "tue", "wed", "thu", "fri"], start = "09:00", end = "17:00" }]
"#;
    let judged = |clock: &str, exclude: bool| {
        let p = policy(
            "p",
            EVERYONE,
            &format!("exclude_automated = {exclude}"),
            &format!("first_response_min = 180, hours = \"{clock}\""),
        );
        let text = desk_text(0.0, hours, &format!("{office}\n{p}"));
        summary(&parse_toml(
            &text.replace("rate_per_h = 30", "rate_per_h = 10"),
        ))
        .overall
    };
    // Counting agents' replies only, night messages wait for 09:00: around the clock they
    // breach, in working hours they do not.
    let (always, working) = (judged("always", true), judged("working_hours", true));
    assert!(always.sla.first_response_compliance.mean < 0.6);
    // The away message a night message gets is an outbound message: counted (the default), it
    // is the night message's first response, in time.
    let away = judged("always", false);
    assert!(away.away_messages.mean > 200.0);
    assert!(
        away.sla.first_response_compliance.mean > always.sla.first_response_compliance.mean + 0.2
    );
    assert!(
        working.sla.first_response_compliance.mean
            > always.sla.first_response_compliance.mean + 0.2
    );
}

#[test]
fn sla_7_a_conversation_moved_to_another_policys_queue_is_judged_by_that_policy() {
    let lenient = policy(
        "sales",
        EVERYONE,
        "queues = [\"sales\"]",
        "first_response_min = 600, resolution_min = 6000",
    );
    let strict = policy(
        "billing",
        EVERYONE,
        "queues = [\"billing\"]",
        "first_response_min = 0.1, resolution_min = 6000",
    );
    let s = summary(&desk(0.4, "", &format!("{lenient}\n{strict}")));
    let queue =
        |name: &str| -> &Measures { &s.queues.iter().find(|q| q.name == name).unwrap().measures };
    // The moved conversations had their first response in sales, within sales's ten hours;
    // billing's six-second target judges that same response again and finds it late.
    assert_eq!(queue("sales").sla.first_response_compliance.mean, 1.0);
    let moved = queue("billing");
    assert!(moved.sla.conversations.mean > 50.0);
    assert!(moved.sla.first_response_compliance.mean < 0.2);
}

#[test]
fn sla_5_each_clock_counts_the_hours_of_the_queue_it_runs_in() {
    // Sales is open around the clock and moves every conversation to billing at its first
    // reply; billing keeps office hours. The first response happens in sales, so a
    // working-hours clock counts it in sales's hours (always) — exactly as an always clock
    // does — even for conversations that end in billing, whose nights do not count.
    let office = r#"[[working_hours]]
name = "office"
hours = [{ days = ["mon", "tue", "wed", "thu", "fri"], start = "09:00", end = "17:00" }]
"#;
    let judged = |clock: &str| {
        let p = policy(
            "p",
            EVERYONE,
            "exclude_automated = true",
            &format!("first_response_min = 0.5, hours = \"{clock}\""),
        );
        let text = DESK
            .replace("TRANSFER", "1.0")
            .replacen("HOURS", "", 1)
            .replacen("HOURS", "working_hours = \"office\"", 1)
            .replace("EXTRA", &format!("{office}\n{p}"));
        summary(&parse_toml(&text)).overall
    };
    let (always, working) = (judged("always"), judged("working_hours"));
    assert!(working.sla.conversations.mean > 500.0);
    assert!(
        always.sla.first_response_compliance.mean < 0.8,
        "the target is tight: {}",
        always.sla.first_response_compliance.mean
    );
    assert_eq!(
        working.sla.first_response_compliance.mean,
        always.sla.first_response_compliance.mean
    );
}

#[test]
fn sla_2_agents_set_a_severity_and_it_judges_their_conversations() {
    // The default severity is lenient; agents set a strict one (a first response within six
    // seconds, which nobody meets) on about 40 % of the conversations as they answer.
    let judged = |share: f64| {
        let p = format!(
            "[[sla_policies]]\nname = \"p\"\n{EVERYONE}\nseverities = [{{ name = \"normal\", first_response_min = 6000 }}, {{ name = \"urgent\", first_response_min = 0.1, agent_share = {share} }}]\n"
        );
        summary(&desk(0.0, "", &p)).overall
    };
    let (none, some) = (judged(0.0), judged(0.4));
    assert!(none.sla.conversations.mean > 500.0);
    assert_eq!(none.sla.first_response_compliance.mean, 1.0);
    let compliance = some.sla.first_response_compliance.mean;
    assert!(
        (0.5..0.7).contains(&compliance),
        "about 60 % keep the lenient default: {compliance}"
    );
}
