//! The AI agent in front, in the simulation (BOT-1..11): who it answers, containment, handoffs
//! into the queues, duplicates, and that switching it on changes no customer. Every run goes
//! through the invariant checker.

use std::collections::BTreeMap;

use ccsim::actors::Metric;
use ccsim::report::summary::{BotMeasures, Summary};
use ccsim::scenario::Scenario;
use ccsim::sim::centre::Centre;

use crate::common::{parse_toml, run_checked};

/// WhatsApp customers (topic sales 60 %, billing 40 %) meet the bot first; 6 agents take the
/// handoffs. `BOT` adds or replaces bot settings.
pub(crate) const DESK: &str = r#"name = "bot"
start = "2026-03-02T00:00"
time_zone = "UTC"
duration_days = 2
seed = 51
replications = 3

[[channels]]
name = "wa"
kind = "whatsapp"
agent_reply = { dist = "exponential", mean_s = 60 }

[[queues]]
name = "desk"

[[agents]]
group = "team"
count = 6
queues = ["desk"]

[[arrivals]]
name = "wa"
queue = "desk"
channel = "wa"
rate_per_h = 30
patience = { dist = "exponential", mean_s = 900 }
attributes = [{ attribute = "person.custom.topic", values = [{ value = "sales", share = 0.6 }, { value = "billing", share = 0.4 }] }]
conversation = { exchanges = { dist = "geometric", mean = 3 }, think = { dist = "exponential", mean_s = 60 } }

[bot]
name = "ai"
channels = ["wa"]
reply = { dist = "lognormal", mean_s = 4, sd_s = 2 }
WEBHOOK
topic_attribute = "person.custom.topic"
turns = { dist = "geometric", mean = 2 }
outcomes = [
  { topic = "sales", resolve_share = 0.7, handoff_share = 0.2 },
  { resolve_share = 0.3, handoff_share = 0.6 },
]
BOT
"#;

pub(crate) fn desk(extra: &str) -> Scenario {
    // A test may give its own webhook delay; the default is half a second on average.
    let (webhook, extra) = if extra.starts_with("webhook_delay") {
        (extra, "")
    } else {
        (
            "webhook_delay = { dist = \"exponential\", mean_s = 0.5 }",
            extra,
        )
    };
    parse_toml(&DESK.replace("WEBHOOK", webhook).replace("BOT", extra))
}

pub(crate) fn run(s: &Scenario) -> Summary {
    Summary::new(s, &run_checked(s, 2))
}

pub(crate) fn bot(s: &Summary) -> &BotMeasures {
    s.bot.as_ref().expect("the scenario has a bot")
}

#[test]
fn bot_containment_follows_the_topics_and_handoffs_reach_the_queue() {
    let s = run(&desk(""));
    let b = bot(&s);
    // 60 % sales at 70 % resolved, 40 % billing at 30 %: 54 % contained; handoffs 12 % + 24 %.
    assert!(
        (b.containment.mean - 0.54).abs() < 0.04,
        "{:?}",
        b.containment
    );
    assert!(
        (b.handoff_rate.mean - 0.36).abs() < 0.04,
        "{:?}",
        b.handoff_rate
    );
    assert!((b.drop_rate.mean - 0.10).abs() < 0.04, "{:?}", b.drop_rate);
    // Only handed-over conversations reach the queue.
    let handoffs = b.handoff_rate.mean * b.conversations.mean;
    assert!((s.overall.offered.mean - handoffs).abs() < 2.0);
    // The bot answers in seconds (debounce 3 s + reply ≈ 4 s + delivery).
    assert!(
        b.reply_p50_s.mean > 5.0 && b.reply_p50_s.mean < 15.0,
        "{:?}",
        b.reply_p50_s
    );
}

#[test]
fn bot_1_without_the_webhook_subscription_the_bot_never_answers() {
    let s = run(&desk("webhook = false"));
    let b = bot(&s);
    assert_eq!(b.replies.mean, 0.0);
    assert_eq!(b.never_heard.mean, b.conversations.mean);
    // Customers give up; nobody is handed to the agents.
    assert!(b.abandoned.mean > 0.95 * b.conversations.mean);
    assert_eq!(s.overall.offered.mean, 0.0);
}

#[test]
fn cc_1_a_second_subscriber_replaces_the_bots_webhook_and_the_bot_hears_nothing_after() {
    // Another integration sets the account webhook a day into two: the bot's is gone.
    let s = run(&desk("webhook_replaced_after_h = 24"));
    let b = bot(&s);
    // Conversations of the second day are never heard: about half of them.
    let share = b.never_heard.mean / b.conversations.mean;
    assert!((share - 0.5).abs() < 0.06, "{share}");
    // Those still talking to the bot at 24:00 lose their next messages as well.
    let lost = s.messages["lost_no_webhook"].mean;
    assert!(
        lost > b.never_heard.mean,
        "{lost} vs {}",
        b.never_heard.mean
    );
    assert!(b.replies.mean > 0.0 && b.replies.mean < 0.6 * bot(&run(&desk(""))).replies.mean);
    // Replaced at the start, it is as if the bot never subscribed (BOT-1).
    let at_once = run(&desk("webhook_replaced_after_h = 0"));
    assert_eq!(bot(&at_once).replies.mean, 0.0);
    assert_eq!(
        bot(&at_once).never_heard.mean,
        bot(&at_once).conversations.mean
    );
}

#[test]
fn bot_9_with_autopilot_off_humans_answer() {
    let s = run(&desk("autopilot = false"));
    let b = bot(&s);
    assert_eq!(b.conversations.mean, 0.0);
    assert!(s.overall.offered.mean > 1000.0);
}

#[test]
fn bot_4_resolved_conversations_close_only_when_configured() {
    let closing = run(&desk(""));
    let keeping = run(&desk("close_when_resolved = false"));
    let (c, k) = (bot(&closing), bot(&keeping));
    let resolved = c.containment.mean * c.conversations.mean;
    assert!((c.resolved_closed.mean - resolved).abs() < 0.01 * resolved);
    assert_eq!(k.resolved_closed.mean, 0.0);
    assert!(k.containment.mean > 0.4);
}

#[test]
fn bot_5_duplicate_deliveries_are_ignored_and_change_nothing() {
    let plain = run(&desk(""));
    let doubled = run(&desk("duplicate_share = 0.3"));
    let (p, d) = (bot(&plain), bot(&doubled));
    assert!(d.duplicates_ignored.mean > 0.25 * d.replies.mean);
    assert_eq!(p.duplicates_ignored.mean, 0.0);
    // The same customers with the same needs: the same outcomes (but for a few conversations
    // still under way at the end, whose deliveries were timed differently).
    assert!((p.containment.mean - d.containment.mean).abs() < 0.005);
    assert!((p.handoff_rate.mean - d.handoff_rate.mean).abs() < 0.005);
}

#[test]
fn the_bot_changes_no_customer_arrivals_and_patience_stay() {
    // Switching the bot on draws nothing from the customers' arrival and patience streams.
    let arrivals = |s: &Scenario| -> BTreeMap<u64, Option<u64>> {
        let (stats, trace) = Centre::new(s.centre.clone(), s.seed, 0)
            .with_invariant_checks()
            .run_traced();
        assert!(stats.violations.is_empty(), "{:?}", stats.violations);
        trace
            .into_iter()
            .filter_map(|(_, m)| match m {
                Metric::Arrived {
                    arrived_ms,
                    patience_ms,
                    came_back: false,
                    ..
                } => Some((arrived_ms, patience_ms)),
                _ => None,
            })
            .collect()
    };
    let with = arrivals(&desk(""));
    let without = arrivals(&desk("autopilot = false"));
    assert!(with.len() > 1000);
    assert_eq!(with, without);
}

#[test]
fn act_1_failing_actions_hand_off_and_slow_ones_time_out_at_60_s() {
    let failing = run(&desk(
        "actions = { share_of_turns = 1.0, latency = { dist = \"constant\", value_s = 2 }, failure_share = 0.5, handoff_after_failures = 2 }",
    ));
    let b = bot(&failing);
    let calls = b.action_calls.mean;
    assert!(calls > 1000.0);
    assert!((b.action_failures.mean / calls - 0.5).abs() < 0.05);
    assert!(b.handoffs_after_action_failures.mean > 50.0);
    assert!(b.handoff_rate.mean > bot(&run(&desk(""))).handoff_rate.mean);
    // An endpoint that takes 70 s: every call times out after 60 s, and no retry follows.
    let slow = run(&desk(
        "actions = { share_of_turns = 1.0, latency = { dist = \"constant\", value_s = 70 }, failure_share = 0.0 }",
    ));
    let s = bot(&slow);
    assert_eq!(s.action_timeouts.mean, s.action_calls.mean);
    assert!(
        s.reply_p50_s.mean > 60.0 && s.reply_p50_s.mean < 75.0,
        "{:?}",
        s.reply_p50_s
    );
}

/// The planner's question of `scenarios/bot-containment.toml`: the fewest agents that answer
/// 80 % of handed-over conversations within the SLA's 5-minute first response.
fn agents_needed(text: &str) -> (u32, f64) {
    for agents in 1..=20 {
        let mut s = parse_toml(&text.replace("count = 6", &format!("count = {agents}")));
        s.replications = 3;
        let summary = run(&s);
        let compliance = summary.overall.sla.first_response_compliance.mean;
        if compliance >= 0.8 {
            return (agents, compliance);
        }
    }
    panic!("not even 20 agents meet the target");
}

#[test]
fn bot_containment_sets_how_many_agents_the_desk_needs() {
    let text = std::fs::read_to_string("scenarios/bot-containment.toml").unwrap();
    let at_40 = text.clone();
    let at_60 = text.replace(
        "{ topic = \"orders\", resolve_share = 0.6, handoff_share = 0.35 },\n  { resolve_share = 0.2, handoff_share = 0.75 },",
        "{ topic = \"orders\", resolve_share = 0.8, handoff_share = 0.15 },\n  { resolve_share = 0.4, handoff_share = 0.55 },",
    );
    assert_ne!(at_40, at_60, "the outcomes were replaced");
    let containment = |t: &str| {
        let mut s = parse_toml(t);
        s.replications = 3;
        bot(&run(&s)).containment.mean
    };
    let (c40, c60) = (containment(&at_40), containment(&at_60));
    assert!(
        (c40 - 0.4).abs() < 0.02 && (c60 - 0.6).abs() < 0.02,
        "{c40} {c60}"
    );
    let (n40, s40) = agents_needed(&at_40);
    let (n60, s60) = agents_needed(&at_60);
    println!(
        "containment {:.0} %: {n40} agents (first responses in time {:.1} %); containment {:.0} %: {n60} agents ({:.1} %)",
        c40 * 100.0,
        s40 * 100.0,
        c60 * 100.0,
        s60 * 100.0
    );
    assert!(n60 <= n40);
    assert!(
        n40 > 1,
        "the 40 % bot still leaves work for more than one agent"
    );
}

#[test]
fn bot_6_failed_copies_keep_expiring_links_that_die_before_the_handoff() {
    // Every message has an attachment; half the copies fail; links live 30 s, while the
    // customers think about a minute between turns before asking for a human.
    let s = run(&desk(
        "media = { share_of_messages = 1.0, rehost_failure_share = 0.5, link_life_min = 0.5 }",
    ));
    let b = bot(&s);
    let received = b.media_received.mean;
    assert!(received > 1000.0);
    assert!((b.media_fallbacks.mean / received - 0.5).abs() < 0.05);
    assert!(b.media_expired_at_handoff.mean > 0.0);
    // Links that outlive the conversation never expire on anyone.
    let long = run(&desk(
        "media = { share_of_messages = 1.0, rehost_failure_share = 0.5, link_life_min = 10000 }",
    ));
    assert_eq!(bot(&long).media_expired_at_handoff.mean, 0.0);
    // Without failures every attachment is copied.
    let clean = run(&desk(
        "media = { share_of_messages = 1.0, rehost_failure_share = 0.0, link_life_min = 0.5 }",
    ));
    assert_eq!(bot(&clean).media_fallbacks.mean, 0.0);
}

#[test]
fn slow_webhook_deliveries_show_in_the_bot_reply_latency() {
    let quick = run(&desk(""));
    let slow = run(&desk(
        "webhook_delay = { dist = \"constant\", value_s = 20 }",
    ));
    let (q, s) = (bot(&quick), bot(&slow));
    // Twenty seconds more per delivery, from the customer's turn to the reply …
    let added = s.reply_p50_s.mean - q.reply_p50_s.mean;
    assert!((added - 20.0).abs() < 3.0, "{added}");
    // … so a few more impatient customers give up before the bot's first reply.
    assert!(s.abandoned.mean > q.abandoned.mean);
    assert!(s.containment.mean <= q.containment.mean + 0.005);
}

#[test]
fn bot_3_each_handoff_is_four_api_calls_on_the_platforms_store() {
    let s = run(&desk(""));
    let b = bot(&s);
    let handoffs = b.handoff_rate.mean * b.conversations.mean;
    for op in ["unassign", "add_tag", "add_note", "route"] {
        let calls = b.api_calls[op].mean;
        assert!(
            (calls - handoffs).abs() < 0.01 * handoffs,
            "{op}: {calls} vs {handoffs}"
        );
    }
    // Every reply is a Create Message; so is an answer already under way when its customer gave
    // up waiting (written to the conversation, read by nobody).
    let created = b.api_calls["create_message"].mean;
    assert!(
        created > b.replies.mean && created <= b.replies.mean + b.abandoned.mean,
        "{created} vs {} + {}",
        b.replies.mean,
        b.abandoned.mean
    );
    // Resolves — by the customer's thanks or by inactivity — read the conversation (is it still
    // the bot's?) and close it with Update Conversation (BOT-4); those of customers who had left
    // too.
    let resolves = (b.containment.mean + b.drop_rate.mean) * b.conversations.mean;
    let closes = b.api_calls["update_conversation"].mean;
    assert_eq!(b.api_calls["get_conversation"].mean, closes);
    assert!(
        closes >= resolves && closes - resolves < 0.01 * resolves + b.abandoned.mean,
        "{closes} vs {resolves}"
    );
    assert_eq!(b.writes_rejected.mean, 0.0);
}

#[test]
fn bot_1_unassigned_conversations_only_with_handle_unassigned() {
    // The platform leaves the bot's channel unassigned: with "handle unassigned" the bot still
    // answers (but does not own them, so a resolve does not close them, BOT-4) …
    let eager = run(&desk("assigned = false"));
    let e = bot(&eager);
    assert!(e.conversations.mean > 1000.0);
    assert!(e.containment.mean > 0.4);
    assert_eq!(e.resolved_closed.mean, 0.0);
    // … without it, the humans get every conversation.
    let shy = run(&desk("assigned = false\nhandle_unassigned = false"));
    assert_eq!(bot(&shy).conversations.mean, 0.0);
    assert!(shy.overall.offered.mean > 1000.0);
}

#[test]
fn bot_2_a_conversation_given_back_by_a_human_is_the_bots_again() {
    let s = run(&desk("give_back_share = 0.5"));
    let b = bot(&s);
    // Half the handed-over conversations come back to the bot after the agent's first reply;
    // the checker fails any bot answer while a human has one, and accepts them once given back.
    let handed = b.handoff_rate.mean * b.conversations.mean;
    assert!(
        b.given_back.mean > 0.3 * handed,
        "{} of {handed}",
        b.given_back.mean
    );
    // Back with the bot, customers are resolved or handed over again.
    let plain = run(&desk(""));
    assert!(b.replies.mean > bot(&plain).replies.mean);
}

#[test]
fn bot_cross_session_memory_shortens_returning_whatsapp_customers_talks() {
    // 200 people write 30 times an hour over two days: almost every session after a person's
    // first meets a bot that remembers them and saves them a turn (never below one).
    let returning = |extra: &str| {
        let text = DESK
            .replace("rate_per_h = 30", "rate_per_h = 30\npopulation = 200")
            .replace(
                "WEBHOOK",
                "webhook_delay = { dist = \"exponential\", mean_s = 0.5 }",
            )
            .replace("BOT", extra);
        run(&parse_toml(&text))
    };
    let forgetful = returning("");
    let remembers = returning("memory_turns_saved = 1");
    let (f, r) = (bot(&forgetful), bot(&remembers));
    // Same customers, same needs: the bot's outcomes do not change, its replies do.
    assert!((f.conversations.mean - r.conversations.mean).abs() < 1.0);
    assert!(
        r.replies.mean < 0.8 * f.replies.mean,
        "{} vs {}",
        r.replies.mean,
        f.replies.mean
    );
    // Memory is WhatsApp's alone: on live chat the same setting changes nothing.
    let chat = |extra: &str| {
        let text = DESK
            .replace("kind = \"whatsapp\"", "kind = \"live_chat\"")
            .replace("rate_per_h = 30", "rate_per_h = 30\npopulation = 200")
            .replace(
                "WEBHOOK",
                "webhook_delay = { dist = \"exponential\", mean_s = 0.5 }",
            )
            .replace("BOT", extra);
        run(&parse_toml(&text))
    };
    assert_eq!(
        bot(&chat("")).replies.mean,
        bot(&chat("memory_turns_saved = 1")).replies.mean
    );
}

#[test]
fn bot_3_a_route_on_the_handoff_tag_takes_every_handoff() {
    // The customers arrive unrouted; one route reads the tag the bot sets on a handoff (BOT-3:
    // routing after the handoff sees it, RT-3 `tags`), everything else lands in Default.
    let text = DESK
        .replace("queue = \"desk\"\n", "")
        .replace(
            "[[queues]]\nname = \"desk\"",
            "[[queues]]\nname = \"Default\"\n\n[[queues]]\nname = \"Handoffs\"\n\n\
             [[routes]]\nname = \"handed\"\nqueue = \"Handoffs\"\n\
             conditions = [{ attribute = \"tags\", operator = \"in_list\", value = [\"opencx_handed_off\"] }]",
        )
        .replace("queues = [\"desk\"]", "queues = [\"Default\", \"Handoffs\"]")
        .replace(
            "WEBHOOK",
            "webhook_delay = { dist = \"exponential\", mean_s = 0.5 }",
        )
        .replace("BOT", "");
    let s = run(&parse_toml(&text));
    let b = bot(&s);
    let handoffs = b.handoff_rate.mean * b.conversations.mean;
    assert!(handoffs > 300.0, "{handoffs}");
    let routed = |route: &str| {
        s.routing
            .iter()
            .filter(|r| r.route == route)
            .map(|r| r.conversations.mean)
            .sum::<f64>()
    };
    let handed = routed("handed");
    assert!(
        (handed - handoffs).abs() < 0.01 * handoffs,
        "{handed} routed on the tag of {handoffs} handoffs"
    );
    assert_eq!(routed("(default)"), 0.0, "{:#?}", s.routing);
}

/// `DESK` with one SLA policy on WhatsApp: first response within 2 minutes.
fn desk_with_sla(exclude_automated: bool) -> Scenario {
    desk(&format!(
        "\n[[sla_policies]]\nname = \"wa\"\nexclude_automated = {exclude_automated}\n\
         conditions = [[{{ attribute = \"channel\", operator = \"is\", value = \"whatsapp\" }}]]\n\
         severities = [{{ name = \"default\", first_response_min = 2, resolution_min = 600 }}]"
    ))
}

#[test]
fn sla_6_behind_the_bot_exclude_automated_decides_whose_answer_counts() {
    let bots_count = run(&desk_with_sla(false));
    let agents_only = run(&desk_with_sla(true));
    let (with, without) = (&bots_count.overall.sla, &agents_only.overall.sla);
    let b = bot(&bots_count);
    // The same customers and bot in both runs: only the clocks differ.
    assert_eq!(b.conversations.mean, bot(&agents_only).conversations.mean);
    // Counting the bot's replies, every conversation it answered is judged, those it handled
    // alone included, and its replies in seconds meet the 2-minute first response.
    assert!(
        with.conversations.mean > 0.9 * b.conversations.mean,
        "{} judged of {}",
        with.conversations.mean,
        b.conversations.mean
    );
    assert!(
        with.first_response_compliance.mean > 0.95,
        "{}",
        with.first_response_compliance.mean
    );
    // Excluding automated messages, conversations the bot handled alone are not judged, and the
    // handed-over ones are clocked from the handover: the agents' first reply decides.
    let handed = b.handoff_rate.mean * b.conversations.mean;
    assert!(
        without.conversations.mean <= handed * 1.01 && without.conversations.mean > 0.5 * handed,
        "{} judged of {handed} handed over",
        without.conversations.mean
    );
    assert!(
        without.first_response_compliance.mean < with.first_response_compliance.mean,
        "{} vs {}",
        without.first_response_compliance.mean,
        with.first_response_compliance.mean
    );
}
