//! The swarm's scenario generator: one seed → one random, valid scenario file (TOML text).
//!
//! Every draw comes from the named stream ("swarm", "generator") of the seed, so a seed names
//! its scenario for good on a given build; the text is what a failure writes out, and
//! `ccsim run --check` on that file replays it. Sizes are kept small (a few agents, tens of
//! conversations an hour, one to three days) so that thousands of seeds run in minutes, and
//! every feature is drawn independently so that their combinations, not only each alone, get
//! exercised: channels of every category, capacities, routes on attributes and tags, transfers
//! (to queues and to agents), workflows, the bot, the external centre, working hours and holidays, time zones (with clock
//! changes inside the run), drop-outs, status schedules, sticky customers, SLA policies,
//! waiting strategies and surveys, and the files WFM tools export: dated forecasts and
//! schedules ([`super::files`]).

use std::fmt::Write as _;

use super::draw::{DAYS, Draw, quoted};
use crate::sim::rng::{StreamIdentity, stream};

/// A generated scenario: its file text and the features it has (for coverage counts).
#[derive(Debug, Clone)]
pub struct Generated {
    /// The scenario file, TOML.
    pub toml: String,
    /// The features drawn, by name (see [`FEATURES`]).
    pub features: Vec<&'static str>,
    /// The files it names (dated forecasts and schedules), to write beside it.
    pub files: Vec<super::files::GeneratedFile>,
}

/// Every feature the generator may draw, in the order coverage is reported.
pub const FEATURES: [&str; 35] = [
    "voice",
    "live_chat",
    "email",
    "messaging",
    "threads",
    "routes",
    "tag_routes",
    "transfers",
    "agent_transfers",
    "working_hours",
    "own_time_zones",
    "holidays",
    "sticky",
    "manual_assignment",
    "shifts",
    "status_schedule",
    "drop_out",
    "workflows",
    "sla",
    "agent_severity",
    "waiting_strategy",
    "survey",
    "bot",
    "bot_formats",
    "bot_media_kinds",
    "bot_unconnected",
    "bot_closed_by_humans",
    "unrouted_handoffs",
    "direct_assign",
    "external_centre",
    "external_queues",
    "dst_change",
    "channel_thresholds",
    "dated_forecast",
    "dated_schedule",
];

/// Channel kinds by category, as the scenario names them.
const MESSAGING: [&str; 7] = [
    "whatsapp",
    "sms",
    "viber",
    "telegram",
    "messenger",
    "google_business_messages",
    "apple_messages_for_business",
];

/// Time zones with and without daylight saving, half-hour and 45-minute offsets.
const ZONES: [&str; 7] = [
    "UTC",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Sydney",
    "Pacific/Chatham",
];

/// Start days: ordinary Mondays and the weekends of the European and US clock changes.
const STARTS: [(&str, bool); 6] = [
    ("2026-03-02T00:00", false),
    ("2026-03-07T00:00", true), // US spring forward on the 8th
    ("2026-03-28T00:00", true), // EU spring forward on the 29th
    ("2026-06-15T00:00", false),
    ("2026-10-24T00:00", true), // EU fall back on the 25th
    ("2026-11-30T00:00", false),
];

/// The scenario of `seed`.
pub fn scenario(seed: u64) -> Generated {
    let rng = stream(
        seed,
        0,
        StreamIdentity {
            purpose: "swarm",
            owner: "generator",
        },
    );
    let mut d = Draw { rng };
    // The files' draws have their own stream, so drawing them leaves the rest of a seed's
    // scenario as it was.
    let mut fd = Draw {
        rng: stream(
            seed,
            0,
            StreamIdentity {
                purpose: "swarm",
                owner: "files",
            },
        ),
    };
    let mut files = Vec::new();
    let mut f: Vec<&'static str> = Vec::new();
    let mut t = String::new();

    // The run: where, when, how long.
    let (start, dst) = *d.pick(&STARTS);
    let zone = *d.pick(&ZONES);
    if dst && !matches!(zone, "UTC" | "Asia/Kolkata") {
        f.push("dst_change");
    }
    let days = *d.pick(&[0.5, 1.0, 2.0, 3.0]);
    // Drawn first: the bot's channel needs conversation threads on every segment.
    let with_bot = d.chance(0.4);
    let _ = writeln!(
        t,
        "name = \"swarm-{seed}\"\nstart = \"{start}\"\ntime_zone = \"{zone}\"\n\
         duration_days = {days}\nseed = {seed}\nreplications = 1\nwarmup_h = {}\n\
         report_interval_min = {}\n",
        d.pick(&[0, 1]),
        d.pick(&[15, 30, 60])
    );

    // Channels: messaging always (the bot and threads need it), others as drawn.
    let messaging = *d.pick(&MESSAGING);
    let mut channels: Vec<&str> = vec![messaging];
    for (kind, feature) in [
        ("voice", "voice"),
        ("live_chat", "live_chat"),
        ("email", "email"),
    ] {
        if d.chance(0.35) {
            channels.push(kind);
            f.push(feature);
        }
    }
    f.push("messaging");
    for &kind in &channels {
        let _ = write!(t, "[[channels]]\nname = \"{kind}\"\nkind = \"{kind}\"\n");
        if kind == messaging {
            let _ = writeln!(t, "agent_reply = {}", d.dist(50.0));
        }
        // Wrap-up is a voice thing (ST-5).
        if kind == "voice" && d.chance(0.4) {
            let _ = writeln!(t, "wrap_up = {}", d.dist(20.0));
        }
        t.push('\n');
    }

    // Capacity per category (CAP-1), voice always 1 (CAP-3).
    let _ = writeln!(
        t,
        "[capacity]\nlive_messaging = {}\nlive_chat = {}\nemail = {}\n",
        d.int(1, 5),
        d.int(1, 3),
        d.int(1, 4)
    );

    // Conversation statuses (CAP-4, AA-12).
    let _ = writeln!(
        t,
        "[conversations]\ncounted_statuses = {{ waiting = {}, solved = {} }}",
        d.chance(0.5),
        d.chance(0.3)
    );
    if d.chance(0.3) {
        let _ = writeln!(t, "agent_sets_waiting = true");
    }
    if d.chance(0.6) {
        let _ = writeln!(t, "close_solved_after_min = {}", d.int(1, 180));
    }
    if d.chance(0.3) {
        let _ = writeln!(t, "solve_silent_after_min = {}", d.int(5, 120));
    }
    t.push('\n');

    // Working hours (WH-1..4) with holidays inside the run.
    let calendars = if d.chance(0.5) { d.int(1, 2) } else { 0 };
    if calendars > 0 {
        f.push("working_hours");
    }
    for c in 0..calendars {
        let away = d.chance(0.7);
        let _ = write!(
            t,
            "[[working_hours]]\nname = \"cal{c}\"\ndefault = {}\nhours = {}\n\
             away_message = {away}\nclose_after_away = {}\n",
            c == 0 && d.chance(0.5),
            d.hours(),
            away && d.chance(0.3)
        );
        // WH-1: a queue serving another market keeps its own zone's hours.
        if d.chance(0.25) {
            f.push("own_time_zones");
            let _ = writeln!(t, "time_zone = \"{}\"", d.pick(&ZONES));
        }
        if d.chance(0.4) {
            f.push("holidays");
            let day = &start[..10];
            let _ = writeln!(
                t,
                "holidays = [{{ name = \"day off\", first = \"{day}\", last = \"{day}\" }}]"
            );
        }
        t.push('\n');
    }

    // Queues, and Default when anything is routed.
    let queues: Vec<String> = (0..d.int(1, 3)).map(|q| format!("q{q}")).collect();
    let routed = d.chance(0.5);
    let mut all_queues = queues.clone();
    if routed {
        all_queues.push("Default".to_string());
    }
    for (i, q) in all_queues.iter().enumerate() {
        let _ = write!(
            t,
            "[[queues]]\nname = \"{q}\"\nservice_level_s = {}\nhandle_time = {}\n",
            d.int(10, 300),
            d.dist(300.0)
        );
        // A channel that keeps its own promise in this queue (its figures apart).
        if d.chance(0.3) {
            f.push("channel_thresholds");
            let _ = writeln!(
                t,
                "service_level_s_by_channel = {{ {} = {} }}",
                d.pick(&channels),
                d.int(5, 600)
            );
        }
        let sticky = d.chance(0.3);
        if sticky {
            f.push("sticky");
            let look = *d.pick(&["days30", "days60", "year"]);
            let _ = writeln!(
                t,
                "assignment = {{ mode = \"sticky\", look_back = \"{look}\" }}"
            );
        }
        // Queues that take calls assign automatically (AA-1).
        if !sticky && !channels.contains(&"voice") && d.chance(0.08) {
            f.push("manual_assignment");
            let _ = writeln!(t, "automatic_assignment = false");
        }
        if calendars > 0 && d.chance(0.6) {
            let _ = writeln!(t, "working_hours = \"cal{}\"", d.int(0, calendars - 1));
        }
        let others: Vec<&String> = all_queues.iter().filter(|o| *o != q).collect();
        if !others.is_empty() && i < queues.len() && d.chance(0.3) {
            f.push("transfers");
            let _ = writeln!(
                t,
                "transfers = [{{ to = \"{}\", share = {} }}]",
                d.pick(&others),
                d.real(0.01, 0.3)
            );
        }
        if d.chance(0.15) {
            f.push("agent_transfers");
            let _ = writeln!(t, "transfers_to_agents = {}", d.real(0.01, 0.3));
        }
        t.push('\n');
    }

    // Agent groups: every queue has members (a queue nobody serves only fills up).
    let groups = d.int(1, 4);
    for g in 0..groups {
        let members: Vec<&str> = if g == 0 {
            all_queues.iter().map(String::as_str).collect()
        } else {
            let names: Vec<&str> = all_queues.iter().map(String::as_str).collect();
            d.some_of(&names)
        };
        let count = d.int(1, 5);
        let _ = write!(
            t,
            "[[agents]]\ngroup = \"g{g}\"\ncount = {count}\nqueues = [{}]\n",
            quoted(&members)
        );
        if fd.chance(0.15) {
            f.push("dated_schedule");
            let (line, file) =
                super::files::schedule(&mut fd, seed, &format!("g{g}"), count, start, days);
            t.push_str(&line);
            files.push(file);
        }
        if d.chance(0.2) {
            f.push("own_time_zones");
            let _ = writeln!(t, "time_zone = \"{}\"", d.pick(&ZONES));
        }
        if d.chance(0.3) {
            let _ = writeln!(
                t,
                "capacity = {{ live_messaging = {}, live_chat = {} }}",
                d.int(1, 6),
                d.int(1, 3)
            );
        }
        if d.chance(0.6) {
            f.push("shifts");
            let _ = writeln!(t, "shift = {}", d.hours());
            if calendars > 0 && d.chance(0.4) {
                let _ = writeln!(t, "holidays_from = \"cal{}\"", d.int(0, calendars - 1));
            }
        }
        if d.chance(0.3) {
            f.push("status_schedule");
            let status = *d.pick(&["busy", "away", "offline"]);
            let start_h = d.int(0, 22);
            let _ = writeln!(
                t,
                "status_schedule = [{{ days = [{}], start = \"{start_h:02}:00\", end = \"{:02}:{:02}\", status = \"{status}\" }}]",
                quoted(&d.some_of(&DAYS)),
                start_h + 1,
                *d.pick(&[0, 15, 30, 45])
            );
        }
        if d.chance(0.25) {
            f.push("drop_out");
            let _ = writeln!(
                t,
                "drop_out = {{ share_of_shifts = {}, logout_after_min = {} }}",
                d.real(0.05, 0.8),
                d.int(1, 300)
            );
        }
        t.push('\n');
    }

    // Arrivals: the first on the messaging channel; attributes for routes and SLA conditions.
    let topics = ["sales", "billing", "other"];
    let segments = d.int(1, 3);
    let mut threads = false;
    let mut forecast: Option<String> = None;
    for s in 0..segments {
        let channel = if s == 0 {
            messaging
        } else {
            *d.pick(&channels)
        };
        let _ = write!(
            t,
            "[[arrivals]]\nname = \"a{s}\"\nchannel = \"{channel}\"\npriority = \"{}\"\n",
            d.pick(&["normal", "normal", "high", "urgent", "low"])
        );
        if !(routed && d.chance(0.7)) {
            let _ = writeln!(t, "queue = \"{}\"", d.pick(&queues));
        }
        // The rate is drawn either way, so a dated forecast changes nothing else.
        let rate = if d.chance(0.5) {
            format!("rate_per_h = {}", d.real(0.5, 30.0))
        } else {
            let rates: Vec<String> = (0..24).map(|_| d.real(0.0, 30.0).to_string()).collect();
            format!(
                "profile = {{ interval_min = 60, rates_per_h = [{}] }}",
                rates.join(", ")
            )
        };
        if forecast.is_none() && fd.chance(0.15) {
            f.push("dated_forecast");
            let (section, file) =
                super::files::forecast(&mut fd, seed, start, days, &format!("a{s}"), true);
            forecast = Some(section);
            files.push(file);
        } else {
            let _ = writeln!(t, "{rate}");
        }
        if d.chance(0.8) {
            let _ = writeln!(t, "patience = {}", d.dist(900.0));
        }
        let _ = writeln!(
            t,
            "attributes = [{{ attribute = \"person.custom.topic\", values = [{{ value = \"sales\", share = 0.5 }}, {{ value = \"billing\", share = 0.3 }}] }}]"
        );
        // Threads on messaging (always with a bot, which needs them); handle times elsewhere.
        let thread = channel == messaging && (s == 0 || with_bot || d.chance(0.5));
        if thread {
            threads = true;
            let _ = write!(
                t,
                "conversation = {{ exchanges = {}, think = {}, silent_share = {}",
                d.count(4.0),
                d.dist(90.0),
                d.real(0.0, 0.3)
            );
            if d.chance(0.3) {
                let _ = write!(t, ", burst_messages = {}", d.count(2.0));
            }
            if d.chance(0.3) {
                let _ = write!(
                    t,
                    ", come_back = {{ share = {}, after = {} }}",
                    d.real(0.0, 0.5),
                    d.dist(3600.0)
                );
            }
            t.push_str(" }\n");
            if d.chance(0.4) {
                let _ = writeln!(t, "population = {}", d.int(5, 400));
            }
        } else if d.chance(0.5) {
            let _ = writeln!(t, "handle_time = {}", d.dist(240.0));
        }
        if thread && d.chance(0.2) {
            let _ = writeln!(
                t,
                "sentiment = {{ mean = {}, sd = {} }}",
                d.real(-0.5, 0.5),
                d.real(0.0, 0.6)
            );
        }
        t.push('\n');
    }
    if threads {
        f.push("threads");
    }
    if let Some(section) = forecast {
        let _ = writeln!(t, "{section}");
    }

    // Routes (RT-1..6) on attributes, channels and the bot's handoff tag.
    if routed {
        f.push("routes");
        for r in 0..d.int(0, 3) {
            let condition = match d.int(0, 3) {
                0 => format!(
                    "{{ attribute = \"person.custom.topic\", operator = \"is\", value = \"{}\" }}",
                    d.pick(&topics)
                ),
                1 => "{ attribute = \"person.custom.topic\", operator = \"in_list\", value = [\"sales\", \"other\"] }".to_string(),
                2 => format!(
                    "{{ attribute = \"channel\", operator = \"is_not\", value = \"{}\" }}",
                    d.pick(&channels)
                ),
                _ => {
                    f.push("tag_routes");
                    "{ attribute = \"tags\", operator = \"in_list\", value = [\"opencx_handed_off\"] }".to_string()
                }
            };
            let _ = writeln!(
                t,
                "[[routes]]\nname = \"r{r}\"\nqueue = \"{}\"\npriority = \"{}\"\nconditions = [{condition}]\n",
                d.pick(&queues),
                d.pick(&["normal", "high", "low"])
            );
        }
    }

    // Waiting strategies (WS-1..5).
    if d.chance(0.3) {
        f.push("waiting_strategy");
        let welcome = d.chance(0.7);
        let _ = write!(
            t,
            "[[waiting_strategies]]\nname = \"wait\"\nchannels = [\"{messaging}\"]\nwelcome = {welcome}\n"
        );
        let announce = d.chance(0.6);
        if announce {
            // At least a minute apart (WS-3); position in queue is for callers only.
            let _ = writeln!(
                t,
                "announcements = {{ every_s = {}, count = {} }}",
                d.int(60, 900),
                d.int(1, 5)
            );
        }
        // At most an hour on messaging (WS-4); something must be on (WS-1).
        if !welcome && !announce || d.chance(0.4) {
            let _ = writeln!(t, "max_wait_min = {}", d.int(1, 60));
        }
        t.push('\n');
    }

    // SLA policies (SLA-1..7).
    super::sla::policies(&mut d, &mut t, &mut f, messaging, &topics);

    // Workflows (WF-1..).
    if d.chance(0.4) {
        f.push("workflows");
        for w in 0..d.int(1, 2) {
            let trigger = match d.int(0, 7) {
                0 => format!(
                    "{{ when = \"customer_not_replied\", after_min = {} }}",
                    d.int(1, 120)
                ),
                1 => format!(
                    "{{ when = \"agent_not_replied\", after_min = {} }}",
                    d.int(1, 60)
                ),
                2 => format!("{{ when = \"solved\", after_min = {} }}", d.int(1, 120)),
                3 => format!("{{ when = \"waiting\", after_min = {} }}", d.int(1, 120)),
                4 => "{ when = \"queue_changed\" }".to_string(),
                5 => "{ when = \"inbound_message\" }".to_string(),
                6 => "{ when = \"outbound_agent_message\" }".to_string(),
                _ => format!(
                    "{{ when = \"status_changed\", to = \"{}\" }}",
                    d.pick(&["open", "waiting", "solved"])
                ),
            };
            let mut actions: Vec<String> = (0..d.int(1, 2))
                .map(|_| match d.int(0, 6) {
                    0 => "{ do = \"send_message\" }".to_string(),
                    1 => "{ do = \"add_tags\", tags = [\"flagged\"] }".to_string(),
                    2 => "{ do = \"set_solved\" }".to_string(),
                    3 => "{ do = \"set_priority\", priority = \"high\" }".to_string(),
                    4 => "{ do = \"unassign\" }".to_string(),
                    5 => "{ do = \"close\" }".to_string(),
                    _ => "{ do = \"remove_tags\", tags = [\"flagged\"] }".to_string(),
                })
                .collect();
            // Close ends a workflow (WF-3): it goes last, once.
            let close = "{ do = \"close\" }".to_string();
            if actions.contains(&close) {
                actions.retain(|a| *a != close);
                actions.push(close);
            }
            let _ = write!(
                t,
                "[[workflows]]\nname = \"w{w}\"\ntriggers = [{trigger}]\nactions = [{}]\n",
                actions.join(", ")
            );
            if d.chance(0.4) {
                let _ = writeln!(
                    t,
                    "conditions = [[{{ if = \"assigned\", value = {} }}]]",
                    d.chance(0.5)
                );
            }
            t.push('\n');
        }
    }

    // Surveys (SUR-1..2).
    if d.chance(0.25) {
        f.push("survey");
        let _ = writeln!(
            t,
            "[survey]\nmin_gap_days = {}\nresponse_share = {}\nhappy_share = {}\n",
            d.int(0, 14),
            d.real(0.0, 1.0),
            d.real(0.0, 1.0)
        );
    }

    if with_bot {
        super::bot::bot_and_external_centre(&mut d, &mut t, &mut f, (messaging, groups));
    }

    let features = FEATURES.iter().copied().filter(|x| f.contains(x)).collect();
    Generated {
        toml: t,
        features,
        files,
    }
}
