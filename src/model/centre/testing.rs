//! A small centre for unit tests: queues, agents and one WhatsApp segment per queue, built
//! in code.

use super::*;
use crate::model::capacity::CapacityOverride;

/// A UTC centre of `horizon_min` minutes, `interval_min`-minute intervals, `warmup_min`
/// warm-up; queues `q0..`; agents given as (queues, Live Messaging capacity), always on
/// shift; one WhatsApp segment per queue.
pub fn centre(
    queues: usize,
    agents: &[(&[u32], u32)],
    horizon_min: u64,
    interval_min: u64,
    warmup_min: u64,
) -> CentreSpec {
    const MIN: u64 = 60_000;
    CentreSpec {
        calendar: Calendar::new("2026-01-05T00:00".parse().unwrap(), jiff::tz::TimeZone::UTC)
            .unwrap(),
        horizon_ms: horizon_min * MIN,
        warmup_ms: warmup_min * MIN,
        interval_ms: interval_min * MIN,
        queues: (0..queues)
            .map(|q| QueueSpec {
                name: format!("q{q}"),
                service_level_threshold_ms: 20_000,
                channel_thresholds_ms: Vec::new(),
                handle_time: Some(DurationDist::Constant { ms: 1 }),
                assignment: Some(AssignmentMode::AnyAvailable),
                hours: QueueHours::always(),
                transfers: Vec::new(),
                agent_transfer_share: 0.0,
            })
            .collect(),
        agents: agents
            .iter()
            .enumerate()
            .map(|(a, (queues, lm))| AgentSpec {
                name: format!("a{a}"),
                queues: queues.to_vec(),
                capacity: Capacity::system_default().overridden_by(&CapacityOverride {
                    live_messaging: Some(*lm),
                    ..Default::default()
                }),
                shift: WorkingHours::always(),
                status_schedule: Vec::new(),
                drop_out: None,
            })
            .collect(),
        segments: (0..queues as u32)
            .map(|q| SegmentSpec {
                name: format!("s{q}"),
                destination: SegmentDestination::Queue(q),
                channel: ChannelKind::Whatsapp,
                priority: Priority::Normal,
                attributes: Vec::new(),
                constants: Vec::new(),
                rate: ArrivalRate::Constant { rate_per_h: 1.0 },
                patience: None,
                handle_time: None,
                handle_means: DatedMeans::default(),
                behaviour: None,
                agent_reply: None,
                wrap_up: None,
                waiting_strategy: None,
                auto_resolve_ms: None,
                sentiment: None,
                population: None,
            })
            .collect(),
        routes: Vec::new(),
        default_queue: None,
        attribute_names: Vec::new(),
        status_policy: StatusPolicy::default(),
        sla_policies: Vec::new(),
        workflows: Vec::new(),
        tag_names: Vec::new(),
        survey: None,
        bot: None,
        external: None,
        trace: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::WeeklySpan;
    use jiff::civil::Weekday;

    fn span(weekday: Weekday, start: &str, length_min: u32) -> WeeklySpan {
        WeeklySpan {
            weekday,
            start: start.parse().unwrap(),
            length_min,
        }
    }

    #[test]
    fn st_1_scheduled_breaks_and_training_set_away_and_busy_within_the_shift() {
        let mut spec = centre(1, &[(&[0], 3)], 60, 30, 0);
        let agent = &mut spec.agents[0];
        agent.shift = WorkingHours {
            dated: None,
            weekly: WeeklyPattern {
                spans: vec![span(Weekday::Monday, "08:00", 8 * 60)],
            },
            holidays: Vec::new(),
            zone: None,
        };
        agent.status_schedule = vec![
            (
                WeeklyPattern {
                    spans: vec![span(Weekday::Monday, "12:00", 30)],
                },
                DefaultStatus::Away,
            ),
            (
                WeeklyPattern {
                    spans: vec![span(Weekday::Monday, "14:00", 60)],
                },
                DefaultStatus::Busy,
            ),
        ];
        let h = 3_600_000;
        let at = |t| spec.agents[0].status_at(&spec.calendar, t);
        assert_eq!(at(7 * h), (DefaultStatus::Offline, Some(8 * h)));
        assert_eq!(at(9 * h), (DefaultStatus::Available, Some(12 * h)));
        assert_eq!(
            at(12 * h + 60_000),
            (DefaultStatus::Away, Some(12 * h + 30 * 60_000))
        );
        assert_eq!(at(14 * h).0, DefaultStatus::Busy);
        assert_eq!(at(15 * h).0, DefaultStatus::Available);
        assert_eq!(at(16 * h).0, DefaultStatus::Offline);
    }
}
