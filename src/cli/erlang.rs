//! `ccsim erlang`: the quick answer of an Erlang calculator for one queue and one interval —
//! service level, average speed of answer, abandonment and occupancy with N agents, and the
//! agents a target needs — by Erlang C, or Erlang A when customers have a patience. No
//! scenario and no simulation: the closed forms of `model::erlang`, the same ones `ccsim
//! staff` starts from.

use std::fmt::Write as _;
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use super::{EXIT_BAD_INPUT, EXIT_OK};
use crate::model::erlang::{ServiceLevelTarget, Target, Traffic, agents_for, scheduled_for};

/// Flags of `ccsim erlang`.
#[derive(Debug, Args)]
pub struct ErlangArgs {
    /// Contacts arriving per hour (or give --volume and --interval-min).
    #[arg(long, value_name = "PER_HOUR")]
    rate_per_h: Option<f64>,
    /// Contacts arriving in one interval of --interval-min minutes.
    #[arg(long, value_name = "CONTACTS")]
    volume: Option<f64>,
    /// The interval --volume arrives in, minutes.
    #[arg(long, default_value_t = 30.0, value_name = "MINUTES")]
    interval_min: f64,
    /// Average handle time (talk and wrap-up, or the time a chat holds a slot), seconds.
    #[arg(long, value_name = "SECONDS")]
    aht_s: f64,
    /// Service-level threshold: answered within this many seconds counts as in time.
    #[arg(long, default_value_t = 20.0, value_name = "SECONDS")]
    threshold_s: f64,
    /// Mean patience before customers abandon, seconds (Erlang A); without it nobody
    /// abandons (Erlang C).
    #[arg(long, value_name = "SECONDS")]
    patience_s: Option<f64>,
    /// Conversations an agent holds at once (chat); 1 for calls.
    #[arg(long, default_value_t = 1.0)]
    concurrency: f64,
    /// The measures with this many agents (a table around it).
    #[arg(long)]
    agents: Option<u32>,
    /// Target share answered within the threshold, for the agents it needs.
    #[arg(long, default_value_t = 0.8, value_name = "SHARE")]
    service_level: f64,
    /// Also require the average speed of answer to stay within this many seconds.
    #[arg(long, value_name = "SECONDS")]
    asa: Option<f64>,
    /// Also keep occupancy at or below this share, e.g. 0.85.
    #[arg(long, value_name = "SHARE")]
    max_occupancy: Option<f64>,
    /// Share of paid time agents are not available, for the agents to schedule.
    #[arg(long, default_value_t = 0.0, value_name = "SHARE")]
    shrinkage: f64,
    /// Print JSON instead of the table.
    #[arg(long)]
    json: bool,
}

/// One row of the answer.
#[derive(Debug, Serialize)]
struct Row {
    agents: u32,
    service_level: f64,
    asa_s: f64,
    abandon_rate: f64,
    occupancy: f64,
    p_wait: f64,
}

/// The answer, as `--json` prints it.
#[derive(Debug, Serialize)]
struct Answer {
    model: &'static str,
    offered_erlangs: f64,
    rate_per_h: f64,
    aht_s: f64,
    threshold_s: f64,
    patience_s: Option<f64>,
    concurrency: f64,
    /// Agents for the target; `None` when even 10,000 do not reach it.
    required_agents: Option<u32>,
    required_scheduled: Option<u32>,
    rows: Vec<Row>,
}

fn bad(message: String) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(EXIT_BAD_INPUT)
}

fn positive(name: &str, v: f64) -> Result<f64, String> {
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(format!("{name} {v}: expected a number above 0"))
    }
}

/// A share: above 0 (or 0 when `zero_ok`) and at most 1.
fn share(name: &str, v: f64, zero_ok: bool) -> Result<f64, String> {
    if v.is_finite() && v <= 1.0 && (v > 0.0 || (zero_ok && v == 0.0)) {
        Ok(v)
    } else {
        Err(format!(
            "{name} {v}: expected a share between 0 and 1, e.g. 0.8"
        ))
    }
}

fn traffic_of(args: &ErlangArgs) -> Result<(Traffic, f64), String> {
    let rate_per_h = match (args.rate_per_h, args.volume) {
        (Some(r), None) => {
            if !(r.is_finite() && r >= 0.0) {
                return Err(format!("--rate-per-h {r}: expected a number ≥ 0"));
            }
            r
        }
        (None, Some(v)) => {
            if !(v.is_finite() && v >= 0.0) {
                return Err(format!("--volume {v}: expected a number ≥ 0"));
            }
            v * 60.0 / positive("--interval-min", args.interval_min)?
        }
        _ => {
            return Err(
                "give the arrivals as --rate-per-h, or as --volume with --interval-min".into(),
            );
        }
    };
    let aht_s = positive("--aht-s", args.aht_s)?;
    positive("--threshold-s", args.threshold_s)?;
    if let Some(p) = args.patience_s {
        positive("--patience-s", p)?;
    }
    if !(args.concurrency.is_finite() && args.concurrency >= 1.0 && args.concurrency <= 1000.0) {
        return Err(format!(
            "--concurrency {}: expected conversations per agent, from 1 to 1000",
            args.concurrency
        ));
    }
    Ok((
        Traffic {
            arrival_rate_per_s: rate_per_h / 3600.0,
            service_rate_per_s: 1.0 / aht_s,
            patience_rate_per_s: args.patience_s.map_or(0.0, |p| 1.0 / p),
            concurrency: args.concurrency,
        },
        rate_per_h,
    ))
}

pub(super) fn erlang_cmd(args: ErlangArgs) -> ExitCode {
    let (traffic, rate_per_h) = match traffic_of(&args) {
        Ok(t) => t,
        Err(m) => return bad(m),
    };
    let checks = [
        share("--service-level", args.service_level, false).and_then(|s| {
            if s < 1.0 {
                Ok(())
            } else {
                Err(format!(
                    "--service-level {s}: expected below 1 (nobody answers all within a threshold)"
                ))
            }
        }),
        args.max_occupancy
            .map_or(Ok(()), |o| share("--max-occupancy", o, false).map(|_| ())),
        args.asa
            .map_or(Ok(()), |a| positive("--asa", a).map(|_| ())),
        share("--shrinkage", args.shrinkage, true).and_then(|s| {
            if s < 1.0 {
                Ok(())
            } else {
                Err(format!("--shrinkage {s}: expected at least 0 and below 1"))
            }
        }),
    ];
    if let Some(Err(m)) = checks.into_iter().find(Result::is_err) {
        return bad(m);
    }
    let target = Target {
        service_level: Some(ServiceLevelTarget::single(
            args.service_level,
            args.threshold_s,
        )),
        asa_s: args.asa,
        max_occupancy: args.max_occupancy,
    };
    let required = agents_for(&traffic, &target, 10_000);
    // A table around the answer: from the first count that keeps up to a few past the target
    // (or past the agents asked about).
    let stable = (traffic.offered_load() / traffic.concurrency).floor() as u32 + 1;
    let centre = args.agents.or(required).unwrap_or(stable);
    let from = centre.saturating_sub(3).max(stable.min(centre)).max(1);
    let to = centre.saturating_add(4).max(from);
    let rows: Vec<Row> = (from..=to)
        .filter_map(|n| {
            traffic.measures(n, args.threshold_s).map(|q| Row {
                agents: n,
                service_level: q.service_level,
                asa_s: q.mean_wait_answered_s,
                abandon_rate: q.p_abandon,
                occupancy: q.occupancy,
                p_wait: q.p_wait,
            })
        })
        .collect();
    let answer = Answer {
        model: if traffic.patience_rate_per_s > 0.0 {
            "Erlang A"
        } else {
            "Erlang C"
        },
        offered_erlangs: traffic.offered_load(),
        rate_per_h,
        aht_s: args.aht_s,
        threshold_s: args.threshold_s,
        patience_s: args.patience_s,
        concurrency: args.concurrency,
        required_agents: required,
        required_scheduled: required.map(|n| scheduled_for(n, args.shrinkage)),
        rows,
    };
    if args.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&answer).expect("the answer serialises")
        );
    } else {
        out!("{}", table(&answer, &args));
    }
    ExitCode::from(EXIT_OK)
}

fn table(a: &Answer, args: &ErlangArgs) -> String {
    let mut out = format!(
        "{}: {:.1} contacts/h × {} s = {:.2} erlangs offered{}{}\n",
        a.model,
        a.rate_per_h,
        a.aht_s,
        a.offered_erlangs,
        a.patience_s
            .map_or(String::new(), |p| format!(", patience {p} s")),
        if a.concurrency > 1.0 {
            format!(", {} at once per agent", a.concurrency)
        } else {
            String::new()
        }
    );
    let mut goal = format!(
        "{:.0} % within {} s",
        args.service_level * 100.0,
        a.threshold_s
    );
    if let Some(asa) = args.asa {
        let _ = write!(goal, ", ASA ≤ {asa} s");
    }
    if let Some(o) = args.max_occupancy {
        let _ = write!(goal, ", occupancy ≤ {:.0} %", o * 100.0);
    }
    match (a.required_agents, a.required_scheduled) {
        (Some(n), Some(s)) => {
            let _ = writeln!(
                out,
                "agents for {goal}: {n} on the floor{}",
                if args.shrinkage > 0.0 {
                    format!(
                        ", {s} to schedule at {:.0} % shrinkage",
                        args.shrinkage * 100.0
                    )
                } else {
                    String::new()
                }
            );
        }
        _ => {
            let _ = writeln!(out, "agents for {goal}: out of reach with 10,000 agents");
        }
    }
    let _ = writeln!(
        out,
        "\n{:>7} {:>14} {:>9} {:>10} {:>10} {:>8}",
        "agents", "service level", "ASA", "abandoned", "occupancy", "waits"
    );
    for r in &a.rows {
        let mark = if Some(r.agents) == a.required_agents {
            "  ← target"
        } else if Some(r.agents) == args.agents {
            "  ← asked"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{:>7} {:>13.1}% {:>8.1}s {:>9.1}% {:>9.1}% {:>7.1}%{mark}",
            r.agents,
            r.service_level * 100.0,
            r.asa_s,
            r.abandon_rate * 100.0,
            r.occupancy * 100.0,
            r.p_wait * 100.0
        );
    }
    out
}
