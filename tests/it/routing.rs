//! RT-6 end to end: the bundled premium-vs-spanish scenario with its routes in both orders.
//! Both runs see the same customers with the same attributes (named random streams), so the
//! premium Spanish speakers are exactly the conversations that change queue.

use std::path::Path;

use ccsim::actors::RoutedVia;
use ccsim::report::recorder::Recorder;
use ccsim::report::summary::Summary;
use ccsim::scenario::{self, Scenario, input_file::FileRoot, locate::Format};

const FILE: &str = "scenarios/premium-vs-spanish.toml";

/// The scenario with its two `[[routes]]` blocks swapped.
fn reversed(text: &str) -> String {
    let premium_at = text
        .find("[[routes]]\nname = \"premium\"")
        .expect("premium route");
    let spanish_at = text
        .find("[[routes]]\nname = \"spanish\"")
        .expect("spanish route");
    let arrivals_at = text.find("[[arrivals]]").expect("arrivals");
    let premium = &text[premium_at..spanish_at];
    let spanish = &text[spanish_at..arrivals_at];
    format!(
        "{}{}\n{}\n{}",
        &text[..premium_at],
        spanish.trim_end(),
        premium.trim_end(),
        &text[arrivals_at..]
    )
}

fn counts(
    s: &Scenario,
    run: &ccsim::report::aggregate::RunAggregate,
    route: &str,
    queue: &str,
) -> Vec<f64> {
    let c = &s.centre;
    let r = c.routes.iter().position(|x| x.name == route).unwrap() as u32;
    let q = c.queues.iter().position(|x| x.name == queue).unwrap() as u32;
    run.routed(Recorder::routing_slot(
        c.routes.len(),
        c.queues.len(),
        RoutedVia::Route(r),
        q,
    ))
}

#[test]
fn rt_6_route_order_decides_where_premium_spanish_speakers_go() {
    let text = std::fs::read_to_string(FILE).unwrap();
    let first = scenario::load(Path::new(FILE)).unwrap();
    let second = scenario::parse(
        &reversed(&text),
        Format::Toml,
        Path::new("reversed.toml"),
        &FileRoot::strict(Path::new("scenarios")),
    )
    .unwrap();
    assert_eq!(second.centre.routes[0].name, "spanish");
    let (run_1, run_2) = (
        crate::common::run_checked(&first, 2),
        crate::common::run_checked(&second, 2),
    );

    let premium_1 = counts(&first, &run_1, "premium", "Premium");
    let premium_2 = counts(&second, &run_2, "premium", "Premium");
    let spanish_1 = counts(&first, &run_1, "spanish", "Spanish");
    let spanish_2 = counts(&second, &run_2, "spanish", "Spanish");
    for r in 0..premium_1.len() {
        let moved = premium_1[r] - premium_2[r];
        // About 15 % × 30 % of the traffic, and exactly the same customers in both counts.
        assert!(moved > 0.0, "replication {r}");
        assert_eq!(spanish_2[r] - spanish_1[r], moved, "replication {r}");
    }
    let (s1, s2) = (Summary::new(&first, &run_1), Summary::new(&second, &run_2));
    let share = s1.routing.iter().map(|x| x.conversations.mean).sum::<f64>();
    let moved_share = (premium_1.iter().sum::<f64>() - premium_2.iter().sum::<f64>())
        / premium_1.len() as f64
        / share;
    assert!((0.03..0.06).contains(&moved_share), "{moved_share}");

    // The report shows the effect: the Spanish queue waits longer and answers fewer in time;
    // Premium has fewer customers; Default is untouched.
    let queue = |s: &Summary, name: &str| {
        s.queues
            .iter()
            .find(|q| q.name == name)
            .unwrap()
            .measures
            .clone()
    };
    let (sp1, sp2) = (queue(&s1, "Spanish"), queue(&s2, "Spanish"));
    assert!(
        sp2.mean_wait_answered_s.ci_low > sp1.mean_wait_answered_s.ci_high,
        "{:?} vs {:?}",
        sp1.mean_wait_answered_s,
        sp2.mean_wait_answered_s
    );
    assert!(sp2.service_level.mean < sp1.service_level.mean);
    assert!(queue(&s2, "Premium").offered.mean < queue(&s1, "Premium").offered.mean);
    assert_eq!(
        queue(&s1, "Default").offered.mean,
        queue(&s2, "Default").offered.mean
    );
}

#[test]
fn rt_4_every_agent_belongs_to_the_default_queue() {
    let s = scenario::load(Path::new(FILE)).unwrap();
    let default = s.centre.default_queue.unwrap();
    assert!(s.centre.agents.iter().all(|a| a.queues.contains(&default)));
}

/// RT-3's company, channel-specific and custom attributes, routed in a full run: VAT-registered
/// companies of the enterprise segment, Apple customers with a billing intent, emails whose
/// subject says "invoice" with finance in copy, and a custom conversation attribute.
const ATTRIBUTES: &str = r#"name = "rt-3"
start = "2026-03-02T00:00"
time_zone = "UTC"
duration_days = 1
seed = 31
replications = 2

[[channels]]
name = "apple"
kind = "apple_messages_for_business"

[[channels]]
name = "mail"
kind = "email"

[[queues]]
name = "Enterprise"
handle_time = { dist = "exponential", mean_s = 60 }

[[queues]]
name = "Billing"
handle_time = { dist = "exponential", mean_s = 60 }

[[queues]]
name = "Finance"
handle_time = { dist = "exponential", mean_s = 60 }

[[queues]]
name = "Campaign"
handle_time = { dist = "exponential", mean_s = 60 }

[[queues]]
name = "Default"
handle_time = { dist = "exponential", mean_s = 60 }

[[agents]]
group = "all"
count = 20
queues = ["Enterprise", "Billing", "Finance", "Campaign", "Default"]

[[routes]]
name = "enterprise"
queue = "Enterprise"
conditions = [
  { attribute = "company.segment", operator = "is", value = "Enterprise" },
  { attribute = "company.vatNumber", operator = "starts_with", value = "DE" },
  { attribute = "company.custom.contract", operator = "in_list", value = ["gold", "platinum"] },
]

[[routes]]
name = "apple-billing"
queue = "Billing"
conditions = [
  { attribute = "apple.intent", operator = "is", value = "billing" },
  { attribute = "apple.locale", operator = "starts_with", value = "en" },
]

[[routes]]
name = "finance-mail"
queue = "Finance"
conditions = [
  { attribute = "email.subject", operator = "contains", value = "invoice" },
  { attribute = "email.cc", operator = "contains", value = "finance@example.com" },
]

[[routes]]
name = "campaign"
queue = "Campaign"
conditions = [{ attribute = "custom.campaign", operator = "is", value = "spring" }]

[[arrivals]]
name = "apple"
channel = "apple"
rate_per_h = 100
attributes = [
  { attribute = "apple.intent", values = [{ value = "billing", share = 0.4 }, { value = "support", share = 0.6 }] },
  { attribute = "apple.locale", values = [{ value = "en_GB", share = 0.5 }, { value = "de_DE", share = 0.5 }] },
  { attribute = "company.segment", values = [{ value = "enterprise", share = 0.5 }] },
  { attribute = "company.vatNumber", values = [{ value = "DE123456789", share = 0.5 }, { value = "FR12345678901", share = 0.5 }] },
  { attribute = "company.custom.contract", values = [{ value = "gold", share = 0.5 }, { value = "silver", share = 0.5 }] },
]

[[arrivals]]
name = "mail"
channel = "mail"
rate_per_h = 100
attributes = [
  { attribute = "email.subject", values = [{ value = "Invoice 2026-113 overdue", share = 0.5 }, { value = "Hello", share = 0.5 }] },
  { attribute = "email.cc", values = [{ value = ["finance@example.com", "boss@example.com"], share = 0.6 }, { value = ["sales@example.com"], share = 0.4 }] },
  { attribute = "custom.campaign", values = [{ value = "spring", share = 0.3 }] },
]
"#;

#[test]
fn rt_3_company_channel_specific_and_custom_attributes_route_conversations() {
    let s = crate::common::parse_toml(ATTRIBUTES);
    let run = crate::common::run_checked(&s, 2);
    let mean = |route: &str, queue: &str| {
        let v = counts(&s, &run, route, queue);
        v.iter().sum::<f64>() / v.len() as f64
    };
    let per_day = 100.0 * 24.0;
    // Apple: enterprise (½) × VAT from DE (½) × gold (½) = 1/8 to Enterprise; of the rest,
    // billing intent (0.4) × English locale (½) = 0.2 to Billing.
    let enterprise = mean("enterprise", "Enterprise") / per_day;
    assert!((enterprise - 0.125).abs() < 0.03, "{enterprise}");
    let billing = mean("apple-billing", "Billing") / per_day;
    assert!((billing - 0.875 * 0.2).abs() < 0.03, "{billing}");
    // Email: "invoice" in the subject (case aside, ½) × finance in copy (0.6) = 0.3 to Finance;
    // of the rest, the spring campaign (0.3).
    let finance = mean("finance-mail", "Finance") / per_day;
    assert!((finance - 0.3).abs() < 0.03, "{finance}");
    let campaign = mean("campaign", "Campaign") / per_day;
    assert!((campaign - 0.7 * 0.3).abs() < 0.03, "{campaign}");
}
