//! RT-6 end to end: the bundled premium-vs-spanish scenario with its routes in both orders.
//! Both runs see the same customers with the same attributes (named random streams), so the
//! premium Spanish speakers are exactly the conversations that change queue.

use std::path::Path;

use ccsim::actors::RoutedVia;
use ccsim::report::recorder::Recorder;
use ccsim::report::summary::Summary;
use ccsim::scenario::{self, Scenario, locate::Format};

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
        Path::new("scenarios"),
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
