//! Surveys and sentiment in the simulation (SUR-1..2). Every run goes through the invariant
//! checker.

use ccsim::report::summary::{Measures, Summary};

use crate::common::{parse_toml, run_checked};

/// 300 returning WhatsApp customers over three days, three exchanges each conversation.
const DESK: &str = r#"name = "surveys"
start = "2026-03-02T00:00"
time_zone = "UTC"
duration_days = 3
seed = 41
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
rate_per_h = 15
population = 300
conversation = { exchanges = { dist = "constant", value = 3 }, think = { dist = "exponential", mean_s = 60 } }
SENTIMENT

[conversations]
close_solved_after_min = 5

[survey]
min_gap_days = GAP
response_share = 0.4
happy_share = 0.75
"#;

fn run(gap_days: f64, sentiment: &str) -> Measures {
    let s = parse_toml(
        &DESK
            .replace("GAP", &gap_days.to_string())
            .replace("SENTIMENT", sentiment),
    );
    Summary::new(&s, &run_checked(&s, 2)).overall
}

#[test]
fn sur_1_one_survey_per_customer_within_the_gap() {
    let every = run(0.0, "").conversations;
    let weekly = run(7.0, "").conversations;
    // Without a gap every Solved conversation is surveyed.
    assert_eq!(every.surveys.mean, every.solved.mean);
    // With a week's gap, each of the 300 customers gets one survey in these three days,
    // however often it comes back (more than 1,000 conversations).
    assert!(weekly.solved.mean > 1000.0);
    assert!(
        weekly.surveys.mean <= 300.0 && weekly.surveys.mean > 280.0,
        "{}",
        weekly.surveys.mean
    );
    // The answers: 40 % respond, three in four happy.
    assert!((every.survey_response_rate.mean - 0.4).abs() < 0.04);
    assert!((every.survey_happy_rate.mean - 0.75).abs() < 0.06);
}

#[test]
fn sur_2_conversation_sentiment_bands() {
    let happy = run(0.0, "sentiment = { mean = 0.6, sd = 0.2 }").conversations;
    let angry = run(0.0, "sentiment = { mean = -0.6, sd = 0.2 }").conversations;
    let ended: f64 = happy.sentiment.values().map(|e| e.mean).sum();
    // Every conversation that ended is scored once.
    assert!(ended >= happy.closed.mean);
    assert!(happy.sentiment["positive"].mean > 0.95 * ended);
    assert!(angry.sentiment["negative"].mean > 0.95 * ended);
    assert!((happy.sentiment_mean.mean - 0.6).abs() < 0.05);
    // Without a sentiment model, nothing is scored.
    let none = run(0.0, "").conversations;
    assert!(none.sentiment.values().all(|e| e.mean == 0.0));
}
