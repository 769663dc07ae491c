//! `ccsim erlang`: the quick answer of an Erlang calculator for one queue and one interval —
//! service level, average speed of answer, abandonment and occupancy with N agents, and the
//! agents a target needs — by Erlang C, or Erlang A when customers have a patience. No
//! scenario and no simulation: the closed forms of `model::erlang`, the same ones `ccsim
//! staff` starts from.

use std::fmt::Write as _;
use std::process::ExitCode;

use super::{EXIT_BAD_INPUT, EXIT_OK};
use crate::plan::erlang_calc::{Answer, Question};
use clap::Args;

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

fn bad(message: String) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(EXIT_BAD_INPUT)
}

pub(super) fn erlang_cmd(args: ErlangArgs) -> ExitCode {
    let question = Question {
        rate_per_h: args.rate_per_h,
        volume: args.volume,
        interval_min: args.interval_min,
        aht_s: args.aht_s,
        threshold_s: args.threshold_s,
        patience_s: args.patience_s,
        concurrency: args.concurrency,
        agents: args.agents,
        service_level: args.service_level,
        asa_s: args.asa,
        max_occupancy: args.max_occupancy,
        shrinkage: args.shrinkage,
    };
    let flag = |field: &str| match field {
        "asa_s" => "--asa".to_string(),
        f => format!("--{}", f.replace('_', "-")),
    };
    let answer = match question.answer(&flag) {
        Ok(a) => a,
        Err(m) => return bad(m),
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
