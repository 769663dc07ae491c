//! Routes, customer attributes and the Default queue of a scenario: checked, interned and
//! normalised (text lower-cased, `YYYY-MM-DD` read as dates) for [`crate::model::routing`].

use std::collections::HashMap;

use super::checks::Checker;
use super::error::FieldPath;
use super::file::{AttributeFile, ConditionFile, RouteFile, ValueFile};
use crate::model::centre::{MAX_SEGMENT_ATTRIBUTES, NO_VALUE, SegmentAttribute};
use crate::model::routing::{
    AttrId, AttrValue, Condition, Operand, Operator, Route, operators_for,
};

/// The name of the queue that catches conversations no route matches (RT-4).
pub const DEFAULT_QUEUE: &str = "Default";

/// Attribute names interned to dense ids; `channel` is always id 0.
#[derive(Debug, Clone)]
pub struct AttrNames {
    names: Vec<String>,
    ids: HashMap<String, AttrId>,
}

/// The id of the `channel` attribute.
pub const CHANNEL: AttrId = 0;

impl Default for AttrNames {
    fn default() -> Self {
        let mut names = Self {
            names: Vec::new(),
            ids: HashMap::new(),
        };
        names.intern("channel");
        names
    }
}

impl AttrNames {
    pub(super) fn intern(&mut self, name: &str) -> AttrId {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as AttrId;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }

    /// The id of `name`, if the scenario uses it.
    pub(super) fn id(&self, name: &str) -> Option<AttrId> {
        self.ids.get(name).copied()
    }

    /// Every name the scenario uses, sorted (for messages that list them).
    pub(super) fn sorted(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.names.iter().map(String::as_str).collect();
        v.sort_unstable();
        v
    }

    /// The names, indexed by id.
    pub fn into_names(self) -> Vec<String> {
        self.names
    }
}

/// Queue names in scenario order (for messages that list them).
pub(super) fn queue_names_in_order<'a>(queue_index: &HashMap<&'a str, u32>) -> Vec<&'a str> {
    let mut names: Vec<(&str, u32)> = queue_index.iter().map(|(&n, &i)| (n, i)).collect();
    names.sort_by_key(|&(_, i)| i);
    names.into_iter().map(|(n, _)| n).collect()
}

const KNOWN: &str = "channel, content, tags, from, to, is_visitor, sender_queues, custom.<name>, person.<standard attribute>, person.custom.<name>, company.<standard attribute>, company.custom.<name>, apple.<deviceAgent, group, intent or locale> or email.<cc, bcc, to, from, routedTo or subject>";

/// A text as the model compares it: lower-cased, or a date when it reads `YYYY-MM-DD`.
pub(super) fn text_value(text: &str) -> AttrValue {
    let is_date_shape =
        text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
    match (is_date_shape, text.parse()) {
        (true, Ok(date)) => AttrValue::Date(date),
        _ => AttrValue::Text(text.to_lowercase()),
    }
}

fn attr_value(value: &ValueFile) -> AttrValue {
    match value {
        ValueFile::Bool(b) => AttrValue::Bool(*b),
        ValueFile::Text(t) => text_value(t),
        ValueFile::List(l) => AttrValue::List(l.iter().map(|t| t.to_lowercase()).collect()),
    }
}

fn operand(value: &ValueFile) -> Operand {
    match attr_value(value) {
        AttrValue::Text(t) => Operand::Text(t),
        AttrValue::List(l) => Operand::List(l),
        AttrValue::Bool(b) => Operand::Bool(b),
        AttrValue::Date(d) => Operand::Date(d),
    }
}

fn operator_name(op: Operator) -> String {
    serde_json::to_value(op)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

impl Checker<'_> {
    /// The index of queue `name`, or a problem at `path` listing the queues there are.
    pub(super) fn queue(
        &mut self,
        path: FieldPath,
        name: &str,
        queue_index: &HashMap<&str, u32>,
    ) -> Option<u32> {
        let found = queue_index.get(name).copied();
        if found.is_none() {
            let known: Vec<String> = queue_names_in_order(queue_index)
                .into_iter()
                .map(|k| format!("'{k}'"))
                .collect();
            self.fail(
                path,
                format!(
                    "unknown queue '{name}': expected one of {}",
                    known.join(", ")
                ),
            );
        }
        found
    }

    /// Checks that `name` is an attribute the platform has.
    pub(super) fn attribute_name(&mut self, path: FieldPath, name: &str) -> bool {
        if operators_for(name).is_some() {
            true
        } else {
            self.fail(
                path,
                format!("unknown attribute '{name}': expected {KNOWN}"),
            );
            false
        }
    }

    /// Checks and converts the routes; `queue_index` resolves queue names.
    pub(super) fn routes(
        &mut self,
        root: &FieldPath,
        routes: &[RouteFile],
        queue_index: &HashMap<&str, u32>,
        names: &mut AttrNames,
    ) -> Vec<Route> {
        let mut out = Vec::new();
        self.unique(
            &root.key("routes"),
            "name",
            routes.iter().map(|r| r.name.as_str()),
        );
        for (i, r) in routes.iter().enumerate() {
            let p = root.key("routes").index(i);
            let queue = self.queue(p.key("queue"), &r.queue, queue_index);
            if r.conditions.is_empty() {
                self.fail(p.key("conditions"), "no conditions: expected at least one (a route without conditions would take every conversation)");
            }
            let conditions = r
                .conditions
                .iter()
                .enumerate()
                .filter_map(|(j, c)| self.condition(p.key("conditions").index(j), c, names))
                .collect();
            if let Some(queue) = queue {
                out.push(Route {
                    name: r.name.clone(),
                    enabled: r.enabled,
                    conditions,
                    queue,
                    priority: r.priority,
                });
            }
        }
        out
    }

    /// Checks and converts one condition (of a route or an SLA policy).
    pub(super) fn condition(
        &mut self,
        cp: FieldPath,
        c: &ConditionFile,
        names: &mut AttrNames,
    ) -> Option<Condition> {
        if !self.attribute_name(cp.key("attribute"), &c.attribute) {
            return None;
        }
        let allowed = operators_for(&c.attribute).unwrap_or(&[]);
        if !allowed.contains(&c.operator) {
            let list: Vec<String> = allowed.iter().map(|&o| operator_name(o)).collect();
            self.fail(
                cp.key("operator"),
                format!(
                    "operator '{}' does not apply to '{}': expected one of {}",
                    operator_name(c.operator),
                    c.attribute,
                    list.join(", ")
                ),
            );
            return None;
        }
        let operand = operand(&c.value);
        if let Some(problem) = operand_problem(c.operator, &operand, &c.attribute) {
            self.fail(cp.key("value"), problem);
            return None;
        }
        Some(Condition {
            attribute: names.intern(&c.attribute),
            operator: c.operator,
            operand,
        })
    }

    /// Checks and converts a segment's attribute distributions.
    pub(super) fn segment_attributes(
        &mut self,
        path: &FieldPath,
        attributes: &[AttributeFile],
        names: &mut AttrNames,
    ) -> Vec<SegmentAttribute> {
        if attributes.len() > MAX_SEGMENT_ATTRIBUTES {
            self.fail(
                path.clone(),
                format!(
                    "{} attributes: expected at most {MAX_SEGMENT_ATTRIBUTES} per segment",
                    attributes.len()
                ),
            );
            return Vec::new();
        }
        self.unique(
            path,
            "attribute",
            attributes.iter().map(|a| a.attribute.as_str()),
        );
        let mut out = Vec::new();
        for (i, a) in attributes.iter().enumerate() {
            let p = path.index(i);
            if !self.attribute_name(p.key("attribute"), &a.attribute) {
                continue;
            }
            if a.values.is_empty() || a.values.len() >= usize::from(NO_VALUE) {
                self.fail(
                    p.key("values"),
                    format!("{} values: expected 1 to {}", a.values.len(), NO_VALUE - 1),
                );
                continue;
            }
            let mut cumulative = 0.0;
            let mut options = Vec::new();
            for (j, v) in a.values.iter().enumerate() {
                if !(0.0..=1.0).contains(&v.share) {
                    self.fail(
                        p.key("values").index(j).key("share"),
                        format!("share {}: expected 0 to 1", v.share),
                    );
                }
                cumulative += v.share;
                options.push((cumulative, attr_value(&v.value)));
            }
            if cumulative > 1.0 + 1e-9 {
                self.fail(p.key("values"), format!("shares add up to {cumulative}: expected at most 1 (the rest of the customers have no value)"));
                continue;
            }
            out.push(SegmentAttribute {
                attribute: names.intern(&a.attribute),
                options,
            });
        }
        out
    }
}

/// Whether an operand suits its operator (and attribute).
fn operand_problem(op: Operator, operand: &Operand, attribute: &str) -> Option<String> {
    use Operator::*;
    let name = operator_name(op);
    match (op, operand) {
        (InList | NotInList, Operand::Text(_) | Operand::List(_)) => None,
        (_, Operand::List(_)) => Some(format!(
            "a list: '{name}' compares with one value; lists go with in_list and not_in_list"
        )),
        (Before | After | BeforeOrOn | AfterOrOn, Operand::Date(_)) => None,
        (Before | After | BeforeOrOn | AfterOrOn, _) => Some(format!(
            "'{name}' compares dates: expected a date YYYY-MM-DD"
        )),
        (_, Operand::Bool(_))
            if attribute != "is_visitor" && !attribute.starts_with("person.custom.") =>
        {
            Some(format!("a boolean: '{attribute}' holds text"))
        }
        (_, Operand::Text(_) | Operand::Date(_)) if attribute == "is_visitor" => {
            Some("is_visitor is true or false".into())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_lower_cased_and_iso_dates_are_dates() {
        assert_eq!(text_value("Premium"), AttrValue::Text("premium".into()));
        assert_eq!(
            text_value("1990-06-15"),
            AttrValue::Date("1990-06-15".parse().unwrap())
        );
        assert_eq!(
            text_value("1990-13-15"),
            AttrValue::Text("1990-13-15".into())
        );
    }

    #[test]
    fn operands_must_suit_operators() {
        let date = Operand::Date("2020-01-01".parse().unwrap());
        assert!(operand_problem(Operator::Before, &date, "person.birthDate").is_none());
        assert!(
            operand_problem(
                Operator::Before,
                &Operand::Text("x".into()),
                "person.birthDate"
            )
            .is_some()
        );
        assert!(operand_problem(Operator::Is, &Operand::List(vec![]), "content").is_some());
        assert!(operand_problem(Operator::InList, &Operand::List(vec![]), "tags").is_none());
        assert!(operand_problem(Operator::Is, &Operand::Bool(true), "is_visitor").is_none());
        assert!(
            operand_problem(Operator::Is, &Operand::Text("yes".into()), "is_visitor").is_some()
        );
        assert!(operand_problem(Operator::Is, &Operand::Bool(true), "person.city").is_some());
    }
}
