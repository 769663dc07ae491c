//! The external contact centre behind a translation layer, in the simulation (CC-1..6). Every
//! run goes through the invariant checker.

use ccsim::report::summary::{ExternalMeasures, Summary};
use ccsim::scenario::Scenario;

use crate::common::{parse_toml, run_checked};

fn scenario(replace: &[(&str, &str)]) -> Scenario {
    let mut text = std::fs::read_to_string("scenarios/external-ccaas.toml").unwrap();
    for (from, to) in replace {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    let mut s = parse_toml(&text);
    s.replications = 3;
    s
}

fn run(s: &Scenario) -> Summary {
    Summary::new(s, &run_checked(s, 2))
}

fn ext(s: &Summary) -> &ExternalMeasures {
    s.external_centre.as_ref().expect("an external centre")
}

#[test]
fn cc_5_a_forgotten_close_loses_the_customers_next_messages() {
    let careful = run(&scenario(&[(
        "forget_close_share = 0.08",
        "forget_close_share = 0.0",
    )]));
    let sloppy = run(&scenario(&[(
        "forget_close_share = 0.08",
        "forget_close_share = 0.3",
    )]));
    let (c, s) = (ext(&careful), ext(&sloppy));
    assert_eq!(c.left_open.mean, 0.0);
    assert_eq!(c.messages_lost.mean, 0.0);
    let done = s.closed.mean + s.left_open.mean;
    assert!((s.left_open.mean / done - 0.3).abs() < 0.05);
    // Customers come back to 30 % of conversations: those that were left open lose the message.
    assert!(
        s.messages_lost.mean > 0.3 * 0.3 * s.left_open.mean,
        "{:?}",
        s.messages_lost
    );
}

#[test]
fn cc_6_polling_delays_the_external_agents_replies() {
    let polled = run(&scenario(&[]));
    let pushed = run(&scenario(&[("poll_s = 15\n", "")]));
    let (p, q) = (ext(&polled), ext(&pushed));
    assert_eq!(q.polls.mean, 0.0);
    assert!(p.polls.mean > 1000.0);
    // A reply waits half a poll interval on average before the layer sees it.
    let added = p.reply_mean_s.mean - q.reply_mean_s.mean;
    assert!(added > 3.0 && added < 12.0, "{added}");
}

#[test]
fn cc_2_the_history_is_read_in_pages() {
    let one_by_one = run(&scenario(&[("history_page = 100", "history_page = 1")]));
    let paged = run(&scenario(&[]));
    let (o, p) = (ext(&one_by_one), ext(&paged));
    // Short histories fit one page of 100; pages of one take a call per message.
    assert_eq!(p.history_calls.mean, p.handovers.mean);
    assert!(o.history_calls.mean > 2.0 * o.handovers.mean);
}

#[test]
fn cc_4_a_closed_conversation_sends_the_customer_back_to_the_chatbot() {
    let s = run(&scenario(&[(
        "forget_close_share = 0.08",
        "forget_close_share = 0.0",
    )]));
    let bot = s.bot.as_ref().unwrap();
    // Customers who come back after the layer closed their conversation start a new one, and
    // the chatbot takes it.
    let came_back = s.overall.conversations.came_back.mean;
    assert!(came_back > 50.0);
    assert!(bot.conversations.mean > came_back);
    // Nothing reaches Infobip's own queue: every handoff goes to the external centre.
    assert_eq!(s.overall.offered.mean, 0.0);
    let handoffs = bot.handoff_rate.mean * bot.conversations.mean;
    assert!((ext(&s).handovers.mean - handoffs).abs() < 0.01 * handoffs);
}

#[test]
fn cc_1_without_the_webhook_nothing_reaches_the_chatbot_or_the_centre() {
    let s = run(&scenario(&[(
        "channels = [\"whatsapp\"]\nreply",
        "channels = [\"whatsapp\"]\nwebhook = false\nreply",
    )]));
    assert_eq!(ext(&s).handovers.mean, 0.0);
    assert_eq!(s.bot.as_ref().unwrap().replies.mean, 0.0);
}

#[test]
fn every_customer_message_is_delivered_rejected_or_lost_with_a_cause() {
    // The checker fails any message left without a fate; here the report's totals add up.
    for file in [
        "scenarios/external-ccaas.toml",
        "scenarios/bot-containment.toml",
        "scenarios/whatsapp-support.toml",
        "scenarios/quickstart.toml",
    ] {
        let mut s = ccsim::scenario::load(std::path::Path::new(file)).unwrap();
        s.replications = 2;
        let m = run(&s).messages;
        let fates: f64 = m
            .iter()
            .filter(|(k, _)| **k != "sent")
            .map(|(_, e)| e.mean)
            .sum();
        assert!(m["sent"].mean > 1000.0, "{file}");
        assert_eq!(m["sent"].mean, fates, "{file}: {m:?}");
    }
    let s = run(&scenario(&[(
        "forget_close_share = 0.08",
        "forget_close_share = 0.3",
    )]));
    assert_eq!(
        s.messages["lost_forgotten_close"].mean,
        ext(&s).messages_lost.mean
    );
    assert!(s.messages["delivered_to_bot"].mean > 0.0);
    assert!(s.messages["forwarded_to_external_centre"].mean > 0.0);
}

#[test]
fn cc_3_the_metadata_routes_each_handover_to_its_external_queue() {
    // Customers speak Spanish (30 %) or English; the entry point writes the language into the
    // conversation's metadata as `queue`, and the layer seats each handover in that queue.
    let s = run(&scenario(&[
        (
            "profile = { interval_min",
            "attributes = [{ attribute = \"person.custom.language\", values = [{ value = \"es\", share = 0.3 }, { value = \"en\", share = 0.7 }] }]\nprofile = { interval_min",
        ),
        (
            "agents = 6\n",
            "agents = 2\nqueues = [{ name = \"es\", agents = 1 }, { name = \"en\", agents = 3 }]\nqueue_attribute = \"person.custom.language\"\n",
        ),
    ]));
    let e = ext(&s);
    let by_queue = |q: &str| e.handovers_by_queue[q].mean;
    let handovers = e.handovers.mean;
    assert!(handovers > 500.0, "{handovers}");
    assert!(
        (by_queue("es") / handovers - 0.3).abs() < 0.03,
        "{:?}",
        e.handovers_by_queue
    );
    assert!((by_queue("en") / handovers - 0.7).abs() < 0.03);
    // Nothing names the default queue: it takes nothing.
    assert_eq!(by_queue("default"), 0.0);
    // One Spanish-speaking agent for 30 % of the load: those customers wait longer, so the
    // external replies are slower than with the same six agents in one pool.
    let pooled = run(&scenario(&[]));
    assert!(e.reply_mean_s.mean > ext(&pooled).reply_mean_s.mean);
    assert_eq!(ext(&pooled).handovers_by_queue.len(), 1);
}
