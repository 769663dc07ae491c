//! Checks a parsed [`ScenarioFile`] as a whole (names, references between sections, limits)
//! and turns it into a [`Scenario`]; field checks live in `checks`. Every problem is collected
//! (not just the first), each with the field path it concerns.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use super::Scenario;
use super::checks::Checker;
use super::conversation::ChannelTimes;
use super::error::{FieldPath, Problem};
use super::file::ScenarioFile;
use super::input_file::FileRoot;
use super::routing::{AttrNames, DEFAULT_QUEUE};
use super::segments::SegmentContext;
use crate::model::assignment::rules::{AssignmentMode, check_queue_setting};
use crate::model::calendar::Calendar;
use crate::model::capacity::Capacity;
use crate::model::centre::{CentreSpec, QueueSpec, SegmentDestination, reachable_queues};
use crate::model::channel::ChannelCategory;
use crate::model::channel::ChannelKind;
use crate::model::survey::SurveyPolicy;

/// Longest run accepted, days: ten years is far beyond any planning horizon and keeps interval
/// tables bounded.
pub const MAX_DURATION_DAYS: f64 = 3660.0;
/// Most replications accepted.
pub const MAX_REPLICATIONS: u32 = 100_000;
/// Largest customer population of a segment (customer ids keep 40 bits per segment).
pub const MAX_POPULATION: i64 = 1 << 40;
/// Most report rows (intervals × (queues + 1)) per replication: 160 bytes each, so at most
/// ~320 MB per running replication.
pub const MAX_INTERVAL_ROWS: f64 = 2_000_000.0;

/// Checks `file` (files it names resolve by `files`) and builds the scenario.
pub fn build(file: &ScenarioFile, files: &FileRoot) -> Result<Scenario, Vec<Problem>> {
    let mut c = Checker {
        problems: Vec::new(),
        files,
    };
    let root = FieldPath::root();

    if file.name.is_empty()
        || !file
            .name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "-_.".contains(ch))
        || file.name.starts_with('.')
    {
        c.fail(
            root.key("name"),
            format!(
                "'{}': expected letters, digits, '-', '_' or '.' (it names the report folder)",
                file.name
            ),
        );
    }
    let tz = match TimeZone::get(&file.time_zone) {
        Ok(tz) => Some(tz),
        Err(_) => {
            c.fail(
                root.key("time_zone"),
                format!(
                    "unknown time zone '{}': expected an IANA name such as Europe/Berlin",
                    file.time_zone
                ),
            );
            None
        }
    };
    let start: Option<DateTime> = match file.start.parse() {
        Ok(dt) => Some(dt),
        Err(_) => {
            c.fail(
                root.key("start"),
                format!(
                    "'{}': expected a local date-time such as 2026-01-05T08:00",
                    file.start
                ),
            );
            None
        }
    };
    let duration_ok = c.positive(
        root.key("duration_days"),
        file.duration_days,
        "duration_days",
    );
    if duration_ok && file.duration_days > MAX_DURATION_DAYS {
        c.fail(
            root.key("duration_days"),
            format!(
                "{} days: expected at most {MAX_DURATION_DAYS}",
                file.duration_days
            ),
        );
    }
    if !(1..=MAX_REPLICATIONS).contains(&file.replications) {
        c.fail(
            root.key("replications"),
            format!("{}: expected 1 to {MAX_REPLICATIONS}", file.replications),
        );
    }
    if c.non_negative(root.key("warmup_h"), file.warmup_h, "warmup_h")
        && duration_ok
        && file.warmup_h >= file.duration_days * 24.0
    {
        c.fail(
            root.key("warmup_h"),
            format!(
                "{} h: expected less than the duration ({} h)",
                file.warmup_h,
                file.duration_days * 24.0
            ),
        );
    }
    if ![15, 30, 60].contains(&file.report_interval_min) {
        c.fail(
            root.key("report_interval_min"),
            format!(
                "{}: expected 15, 30 or 60 minutes",
                file.report_interval_min
            ),
        );
    } else if duration_ok {
        let intervals =
            (file.duration_days * 24.0 * 60.0 / f64::from(file.report_interval_min)).ceil();
        let rows = intervals * (file.queues.len() + 1) as f64;
        if rows > MAX_INTERVAL_ROWS {
            c.fail(
                root.key("report_interval_min"),
                format!(
                    "{} intervals × {} queue rows = {rows} report rows: expected at most {MAX_INTERVAL_ROWS}; use a longer interval or a shorter run",
                    intervals,
                    file.queues.len() + 1
                ),
            );
        }
    }

    // Channels.
    c.named_list(
        &root.key("channels"),
        "channels",
        file.channels.iter().map(|ch| ch.name.as_str()),
    );
    let channels: HashMap<&str, ChannelKind> = file
        .channels
        .iter()
        .map(|ch| (ch.name.as_str(), ch.kind))
        .collect();
    let channel_times: HashMap<&str, ChannelTimes> = file
        .channels
        .iter()
        .enumerate()
        .map(|(i, ch)| {
            let times = c.channel_times(&root.key("channels").index(i), ch);
            (ch.name.as_str(), times)
        })
        .collect();
    let status_policy = c.status_policy(&root.key("conversations"), &file.conversations);
    let strategies = c.waiting_strategies(
        &root.key("waiting_strategies"),
        &file.waiting_strategies,
        &channels,
    );

    // Capacity defaults.
    let default_capacity = Capacity::system_default()
        .overridden_by(&c.capacity(&root.key("capacity"), &file.capacity));

    // Queues.
    c.named_list(
        &root.key("queues"),
        "queues",
        file.queues.iter().map(|q| q.name.as_str()),
    );
    let queue_index: HashMap<&str, u32> = file
        .queues
        .iter()
        .enumerate()
        .map(|(i, q)| (q.name.as_str(), i as u32))
        .collect();
    // The scenario's clock; queues and agents may read it in their own zones (WH-1).
    let calendar = match (start, tz) {
        (Some(start), Some(tz)) => match Calendar::new(start, tz) {
            Ok(cal) => Some(cal),
            Err(e) => {
                c.fail(
                    root.key("start"),
                    format!(
                        "'{}' cannot be placed in {}: {e}",
                        file.start, file.time_zone
                    ),
                );
                None
            }
        },
        _ => None,
    };
    let calendars = c.calendars(&root, &file.working_hours, calendar.as_ref());
    let mut queues = Vec::new();
    for (i, q) in file.queues.iter().enumerate() {
        let p = root.key("queues").index(i);
        c.non_negative(
            p.key("service_level_s"),
            q.service_level_s,
            "service_level_s",
        );
        let handle_time = match &q.handle_time {
            Some(d) => c.dist(p.key("handle_time"), d).map(Some),
            None => Some(None),
        };
        let transfers = c.transfers(&p.key("transfers"), &q.transfers, i as u32, &queue_index);
        let agent_transfer_share = c.agent_transfers(
            &p.key("transfers_to_agents"),
            q.transfers_to_agents,
            transfers.last().map_or(0.0, |&(cumulative, _)| cumulative),
        );
        let hours = calendars.for_queue(q.working_hours.as_deref());
        if hours.is_none() {
            let known = calendars.names();
            c.fail(
                p.key("working_hours"),
                format!(
                    "unknown working hours '{}': expected one of {}",
                    q.working_hours.as_deref().unwrap_or_default(),
                    if known.is_empty() {
                        "(none defined)".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            );
        }
        if q.assignment.is_some() && !q.automatic_assignment {
            c.fail(
                p.key("assignment"),
                "an assignment mode with automatic_assignment = false: expected one or the other",
            );
        }
        let assignment = q
            .automatic_assignment
            .then(|| q.assignment.unwrap_or(AssignmentMode::AnyAvailable));
        let channel_thresholds_ms = c.channel_thresholds(&p, q, &channels);
        if let (Some(handle_time), Some(hours)) = (handle_time, hours) {
            queues.push(QueueSpec {
                name: q.name.clone(),
                service_level_threshold_ms: (q.service_level_s.max(0.0) * 1000.0).round() as u64,
                channel_thresholds_ms,
                handle_time,
                assignment,
                hours,
                transfers,
                agent_transfer_share,
            });
        }
    }

    // RT-4: the Default queue, if the scenario defines it, takes what no route matches, and
    // every agent belongs to it.
    let default_queue = queue_index.get(DEFAULT_QUEUE).copied();

    // Agents.
    let (mut agents, group_ranges) = super::agents::build_agents(
        &mut c,
        &root,
        &file.agents,
        &queue_index,
        default_capacity,
        &calendars,
        calendar.as_ref().map(|cal| {
            (
                cal,
                file.duration_days.clamp(0.0, MAX_DURATION_DAYS).ceil() as i64,
            )
        }),
    );
    if let Some(dq) = default_queue {
        for agent in &mut agents {
            if !agent.queues.contains(&dq) {
                agent.queues.push(dq);
                agent.queues.sort_unstable();
            }
        }
    }

    // Routes and attributes.
    let mut attr_names = AttrNames::default();
    let routes = c.routes(&root, &file.routes, &queue_index, &mut attr_names);

    // A dated forecast gives the segments it names their arrivals (and handle times), so it is
    // read before they are built.
    let horizon_ms = (file.duration_days * 86_400_000.0).round() as u64;
    let mut warnings = Vec::new();
    let forecast = match calendar.as_ref() {
        Some(cal) if duration_ok => {
            super::forecast::read_section(&mut c, file, cal, horizon_ms, &mut warnings)
        }
        _ => None,
    };
    let forecast_of = |i: usize| {
        forecast
            .as_ref()
            .and_then(|f| f.get(i))
            .and_then(Option::as_ref)
    };

    // Segments.
    c.named_list(
        &root.key("arrivals"),
        "arrival segments",
        file.arrivals.iter().map(|s| s.name.as_str()),
    );
    let cx = SegmentContext {
        file,
        queue_index: &queue_index,
        default_queue,
        channels: &channels,
        channel_times: &channel_times,
        strategies: &strategies,
        queues: &queues,
        forecast_read: forecast.is_some(),
    };
    let mut segments = Vec::new();
    for (i, s) in file.arrivals.iter().enumerate() {
        let p = root.key("arrivals").index(i);
        if let Some(segment) = c.segment(&p, s, forecast_of(i), &cx, &mut attr_names) {
            segments.push(segment);
        }
    }

    // Every conversation without a conversation model needs a handle time wherever it can be
    // served.
    let all_queues_built = queues.len() == file.queues.len();
    for (i, seg) in segments.iter().enumerate() {
        if seg.behaviour.is_some() || seg.handle_time.is_some() || !all_queues_built {
            continue;
        }
        for q in reachable_queues(seg.destination, &routes, default_queue, &queues) {
            if queues[q as usize].handle_time.is_none() {
                let at = file
                    .arrivals
                    .iter()
                    .position(|a| a.name == seg.name)
                    .unwrap_or(i);
                c.fail(
                    root.key("arrivals").index(at),
                    format!(
                        "its conversations can reach queue '{}', which has no handle_time: give the queue or the segment a handle_time, or the segment a conversation",
                        queues[q as usize].name
                    ),
                );
            }
        }
    }

    // AA-1: automatic assignment is mandatory for queues that take calls.
    let queue_takes_calls = |q: usize| {
        segments.iter().any(|seg| {
            seg.category() == ChannelCategory::VoiceVideo
                && match seg.destination {
                    SegmentDestination::Queue(d) => d as usize == q,
                    SegmentDestination::Routed => {
                        routes.iter().any(|r| r.queue as usize == q)
                            || default_queue == Some(q as u32)
                    }
                }
        })
    };
    for (i, q) in file.queues.iter().enumerate() {
        if let Err(problem) = check_queue_setting(q.automatic_assignment, queue_takes_calls(i)) {
            c.fail(
                root.key("queues").index(i).key("automatic_assignment"),
                problem,
            );
        }
    }

    let (workflows, tag_names) = c.workflows(&root, &file.workflows, &queue_index);
    let mut bot = file
        .bot
        .as_ref()
        .and_then(|b| c.bot(&root, b, &channels, &mut attr_names));
    if let Some(b) = bot.as_mut() {
        let handoffs = (b, file);
        c.handoff_queues(
            &root,
            handoffs,
            &group_ranges,
            &mut queues,
            &mut agents,
            &queue_index,
        );
    }
    let external = file
        .external_centre
        .as_ref()
        .and_then(|e| c.external_centre(&root, e, file.bot.is_some(), &mut attr_names));
    if let Some(bot) = &bot {
        // The bot talks in threads: the segments it takes need a conversation model.
        for (i, s) in file.arrivals.iter().enumerate() {
            let takes = channels
                .get(s.channel.as_str())
                .is_some_and(|&kind| bot.takes(kind));
            if takes && s.conversation.is_none() {
                c.fail(
                    root.key("arrivals").index(i),
                    "the bot takes this channel's conversations: expected a `conversation` model",
                );
            }
        }
    }
    let survey = file.survey.as_ref().and_then(|s| {
        let sp = root.key("survey");
        let gap_ok = c.non_negative(sp.key("min_gap_days"), s.min_gap_days, "min_gap_days");
        let response_ok = c.share(sp.key("response_share"), s.response_share, "response_share");
        let happy_ok = c.share(sp.key("happy_share"), s.happy_share, "happy_share");
        (gap_ok && response_ok && happy_ok).then(|| SurveyPolicy {
            min_gap_ms: (s.min_gap_days * 86_400_000.0).round() as u64,
            response_share: s.response_share,
            happy_share: s.happy_share,
        })
    });
    let sla_policies = c.sla_policies(
        &root,
        &file.sla_policies,
        &queue_index,
        &mut attr_names,
        calendar.as_ref(),
    );

    let load = c.load(&root, &file.load);

    // A trace is read once the rest is sound: its rows name the segments' channels and the
    // attributes routes and policies use.
    let trace = match (&file.trace, calendar.as_ref()) {
        (Some(t), Some(cal)) if c.problems.is_empty() => {
            let channels_of: Vec<&str> = file.arrivals.iter().map(|a| a.channel.as_str()).collect();
            let field = root.key("trace").key("csv");
            let Some(path) = c.named_file(&field, &t.csv) else {
                return Err(c.problems);
            };
            match super::trace::read(
                &path,
                &root.key("trace").key("csv"),
                &mut segments,
                &channels_of,
                &attr_names,
                cal,
                horizon_ms,
            ) {
                Ok(trace) => Some(Arc::new(trace)),
                Err(problems) => {
                    c.problems.extend(problems);
                    None
                }
            }
        }
        _ => None,
    };

    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    let calendar = calendar.expect("no problems means a calendar");
    let centre = CentreSpec {
        calendar,
        horizon_ms,
        warmup_ms: (file.warmup_h * 3_600_000.0).round() as u64,
        interval_ms: u64::from(file.report_interval_min) * 60_000,
        queues,
        agents,
        segments,
        routes,
        default_queue,
        attribute_names: attr_names.into_names(),
        status_policy,
        sla_policies,
        workflows,
        tag_names,
        survey,
        bot,
        external,
        trace,
    };
    warnings.extend(super::drivers::warnings(&centre, &file.conversations));
    Ok(Scenario {
        name: file.name.clone(),
        seed: file.seed,
        replications: file.replications,
        load,
        budget: super::budget::Budget::default(),
        centre: Arc::new(centre),
        warnings,
    })
}

pub(super) fn names<'a>(it: impl Iterator<Item = &'a String>) -> String {
    let v: Vec<String> = it.map(|n| format!("'{n}'")).collect();
    if v.is_empty() {
        "(none defined)".into()
    } else {
        v.join(", ")
    }
}
