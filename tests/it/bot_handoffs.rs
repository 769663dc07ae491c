//! Where a bot's handoff goes besides routing (BOT-3): the unassigned list when handoffs are
//! left unrouted (000), and straight to an agent through Change conversation assignment (004).

use ccsim::actors::Metric;
use ccsim::report::summary::Summary;
use ccsim::scenario::Scenario;
use ccsim::sim::centre::Centre;

use crate::bot::{DESK, bot, desk, run};
use crate::common::parse_toml;

#[test]
fn bot_3_handoffs_left_unrouted_wait_in_the_unassigned_list_for_an_agent() {
    // 000: "Handoffs land unrouted in Infobip: no Infobip routing picks up unassigned
    // conversations … have your team work the unassigned queue."
    let routed = run(&desk(""));
    let unrouted = run(&desk("handoffs = \"unrouted\""));
    let queue = |s: &Summary, name: &str| {
        s.queues
            .iter()
            .find(|q| q.name == name)
            .map(|q| q.measures.clone())
    };
    assert!(queue(&routed, "Unassigned").is_none());
    let list = queue(&unrouted, "Unassigned").expect("the unassigned list");
    let desk_q = queue(&unrouted, "desk").expect("desk");
    // Every handoff waits in the unassigned list, none reaches the desk's queue …
    let handoffs = bot(&unrouted).handoff_rate.mean * bot(&unrouted).conversations.mean;
    assert!(handoffs > 100.0);
    assert!(
        (list.offered.mean - handoffs).abs() < 0.02 * handoffs,
        "{} vs {handoffs}",
        list.offered.mean
    );
    assert_eq!(desk_q.offered.mean, 0.0);
    // … and agents take them by hand, none by automatic assignment.
    assert!(list.answered.mean > 0.5 * handoffs);
    let automatic: f64 = ["weighted", "sticky", "bulk"]
        .iter()
        .map(|by| list.answered_by[*by].mean)
        .sum();
    assert_eq!(automatic, 0.0);
    assert!((list.answered_by["manual"].mean - list.answered.mean).abs() < 1e-9);
    // With routing on, the desk took them.
    assert!(queue(&routed, "desk").unwrap().offered.mean > 100.0);
    // The report says which reading of the documents each run relied on.
    let said = |s: &Summary, words: &str| {
        s.decisions_applied
            .iter()
            .any(|d| d.rules == "BOT-3" && d.decision.contains(words))
    };
    assert!(said(&unrouted, "unassigned list") && !said(&unrouted, "straight to an agent"));
    assert!(!said(&routed, "unassigned list") && !said(&routed, "straight to an agent"));
}

/// `DESK` with a second group, "vip" (two agents of one WhatsApp slot each, on shift `shift`),
/// that the bot's integration assigns handoffs to (`direct_assign`).
fn desk_with_vips(direct_assign: &str, shift: &str) -> Scenario {
    let text = DESK
        .replace(
            "queues = [\"desk\"]\n",
            &format!(
                "queues = [\"desk\"]\n\n[[agents]]\ngroup = \"vip\"\ncount = 2\n\
                 queues = [\"desk\"]\ncapacity = {{ live_messaging = 1 }}\n{shift}\n"
            ),
        )
        .replace(
            "WEBHOOK",
            "webhook_delay = { dist = \"exponential\", mean_s = 0.5 }",
        )
        .replace("BOT", direct_assign);
    parse_toml(&text)
}

#[test]
fn bot_3_handoffs_assigned_straight_to_an_agent_avoid_routing_and_capacity() {
    // 004, "Transferring conversation from bot to agent": "Conversation can also be
    // transferred to the agent by invoking the Change conversation assignment endpoint …
    // This way routing is avoided and direct assigning is committed."
    let all = "direct_assign = { share = 1.0, group = \"vip\" }";
    let scenario = desk_with_vips(all, "");
    let s = run(&scenario);
    let queue = |s: &Summary, name: &str| {
        s.queues
            .iter()
            .find(|q| q.name == name)
            .map(|q| q.measures.clone())
            .expect(name)
    };
    let b = bot(&s);
    let handoffs = b.handoff_rate.mean * b.conversations.mean;
    assert!(handoffs > 100.0, "{handoffs}");
    // Every handoff went to a vip at once, by the integration's hand, none through routing.
    let direct = queue(&s, "Assigned by the bot");
    assert!(
        (direct.offered.mean - handoffs).abs() < 0.02 * handoffs,
        "{} of {handoffs}",
        direct.offered.mean
    );
    assert!((direct.answered_by["direct"].mean - direct.offered.mean).abs() < 1e-9);
    assert_eq!(direct.mean_wait_answered_s.mean, 0.0);
    assert_eq!(queue(&s, "desk").offered.mean, 0.0);
    assert_eq!(b.api_calls["route"].mean, 0.0);
    assert_eq!(b.api_calls["unassign"].mean, 0.0);
    assert!((b.api_calls["change_assignment"].mean - handoffs).abs() < 0.02 * handoffs);
    // Capacity limits automatic assignment only: two vips of one slot each held more than one
    // conversation at a time, and the invariant checker (on in `run`) let it pass.
    let (_, trace) = Centre::new(scenario.centre.clone(), scenario.seed, 0).run_traced();
    let vips = [6, 7];
    let past_capacity = trace.iter().any(|(_, m)| {
        matches!(m, Metric::AgentBusy { agent, in_category, assigned: false, .. }
            if vips.contains(agent) && *in_category > 1)
    });
    assert!(past_capacity, "a vip held two conversations at once");
    let others = trace.iter().any(|(_, m)| {
        matches!(m, Metric::Assigned { agent, queue, .. }
            if *queue == 1 && !vips.contains(agent))
    });
    assert!(!others, "only the group's agents are assigned to");
    // The report says which reading of the document the run relied on.
    assert!(s
        .decisions_applied
        .iter()
        .any(|d| d.rules == "BOT-3" && d.decision.contains("straight to an agent of group vip")));
}

#[test]
fn bot_3_with_no_agent_of_the_group_signed_in_the_handoff_is_routed_instead() {
    // The vips work Sundays only; the run is a Monday and a Tuesday.
    let sundays = "shift = [{ days = [\"sun\"], start = \"09:00\", end = \"17:00\" }]";
    let s = run(&desk_with_vips(
        "direct_assign = { share = 1.0, group = \"vip\" }",
        sundays,
    ));
    let b = bot(&s);
    let handoffs = b.handoff_rate.mean * b.conversations.mean;
    let offered = |name: &str| {
        s.queues
            .iter()
            .find(|q| q.name == name)
            .map_or(0.0, |q| q.measures.offered.mean)
    };
    assert_eq!(offered("Assigned by the bot"), 0.0);
    assert!(
        (offered("desk") - handoffs).abs() < 0.02 * handoffs,
        "{} of {handoffs}",
        offered("desk")
    );
    // The integration tried the assignment, was refused, then unassigned and routed.
    assert!((b.api_calls["change_assignment"].mean - handoffs).abs() < 0.02 * handoffs);
    assert!((b.api_calls["route"].mean - handoffs).abs() < 0.02 * handoffs);
}
