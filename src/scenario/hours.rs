//! Working-hours calendars of a scenario (WH-1..3): checked and turned into each queue's hours.

use std::collections::HashMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::checks::Checker;
use super::error::FieldPath;
use super::file::WorkingHoursFile;
use crate::model::calendar::Calendar;
use crate::model::centre::QueueHours;
use crate::model::working_hours::{Holiday, WorkingHours};

/// The checked calendars: by name, and the default one (WH-1).
#[derive(Debug, Default)]
pub(super) struct Calendars {
    by_name: HashMap<String, QueueHours>,
    default: Option<QueueHours>,
}

impl Calendars {
    /// The hours of a queue naming `name` (or none): that calendar, else the default one, else
    /// open at all times. `None` if the name is unknown.
    pub(super) fn for_queue(&self, name: Option<&str>) -> Option<QueueHours> {
        match name {
            Some(n) => self.by_name.get(n).cloned(),
            None => Some(self.default.clone().unwrap_or_else(QueueHours::always)),
        }
    }

    /// The holidays of calendar `name`, if there is one.
    pub(super) fn holidays(&self, name: &str) -> Option<Vec<crate::model::working_hours::Holiday>> {
        self.by_name.get(name).map(|h| h.calendar.holidays.clone())
    }

    /// The names, for messages.
    pub(super) fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.by_name.keys().map(|n| format!("'{n}'")).collect();
        names.sort();
        names
    }
}

impl Checker<'_> {
    /// Checks the `[[working_hours]]` calendars.
    pub(super) fn calendars(
        &mut self,
        root: &FieldPath,
        files: &[WorkingHoursFile],
        scenario: Option<&Calendar>,
    ) -> Calendars {
        let path = root.key("working_hours");
        self.unique(&path, "name", files.iter().map(|f| f.name.as_str()));
        let mut calendars = Calendars::default();
        let mut default_seen = false;
        for (i, f) in files.iter().enumerate() {
            let p = path.index(i);
            if f.default {
                if default_seen {
                    self.fail(
                        p.key("default"),
                        "a second default calendar: expected at most one (WH-1)",
                    );
                }
                default_seen = true;
            }
            let weekly = self.shift(&p.key("hours"), &f.hours);
            let mut holidays = Vec::new();
            for (j, h) in f.holidays.iter().enumerate() {
                let hp = p.key("holidays").index(j);
                let date = |c: &mut Self, field: &str, text: &str| -> Option<Date> {
                    match text.parse() {
                        Ok(d) => Some(d),
                        Err(_) => {
                            c.fail(
                                hp.key(field),
                                format!("'{text}': expected a date YYYY-MM-DD"),
                            );
                            None
                        }
                    }
                };
                let (first, last) = (date(self, "first", &h.first), date(self, "last", &h.last));
                let (Some(first), Some(last)) = (first, last) else {
                    continue;
                };
                if last < first {
                    self.fail(
                        hp.key("last"),
                        format!(
                            "holiday '{}' ends on {last}, before it starts on {first}",
                            h.name
                        ),
                    );
                    continue;
                }
                holidays.push(Holiday {
                    name: h.name.clone(),
                    first,
                    last,
                });
            }
            if f.close_after_away && !f.away_message {
                self.fail(
                    p.key("close_after_away"),
                    "closing after the away message needs away_message = true (WH-3)",
                );
            }
            let zone = self.zone(&p, f.time_zone.as_deref(), scenario);
            let hours = QueueHours {
                calendar: WorkingHours {
                    dated: None,
                    weekly,
                    holidays,
                    zone,
                },
                away_message: f.away_message,
                close_after_away: f.close_after_away,
            };
            if f.default {
                calendars.default = Some(hours.clone());
            }
            calendars.by_name.insert(f.name.clone(), hours);
        }
        calendars
    }

    /// WH-1: a queue's or an agent's own time zone, `name`, read from the scenario's start
    /// instant; `None` when it gives none (or the scenario's clock is broken, reported there).
    pub(super) fn zone(
        &mut self,
        p: &FieldPath,
        name: Option<&str>,
        scenario: Option<&Calendar>,
    ) -> Option<Calendar> {
        let name = name?;
        match TimeZone::get(name) {
            Ok(tz) => scenario.map(|cal| cal.in_zone(tz)),
            Err(_) => {
                self.fail(
                    p.key("time_zone"),
                    format!(
                        "unknown time zone '{name}': expected an IANA name such as America/New_York"
                    ),
                );
                None
            }
        }
    }
}
