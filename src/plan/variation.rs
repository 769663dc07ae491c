//! Variations of a scenario: a list of `path = value` settings applied to the scenario's
//! document before it is parsed and checked, so a variation can change any field a scenario
//! file has and is checked exactly like a hand-written file.
//!
//! A path walks the document by key; in an array of tables (queues, agents, arrivals, routes,
//! policies, …) the next step names an element by its `name` (agent groups by `group`) or by
//! its index: `agents.support-early.count`, `queues.sales.assignment.mode`,
//! `routes.0.enabled`. The last key may be new (to set an optional field); every step before
//! it must exist. Two keys do what no single field does:
//!
//! - `arrival_scale = 1.1` multiplies every arrival segment's rate (`rate_per_h`, or the
//!   profile's `scale`) and the `[forecast]`'s volumes (its `scale`);
//! - `route_order = ["sales", "support", …]` puts the routes in that order (RT-1: order is the
//!   routing); it must name every route once.

use std::fmt::Write as _;

use toml::{Table, Value};

/// One setting of a variation.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    /// The dotted path.
    pub path: String,
    /// The value to put there.
    pub value: Value,
    /// Where it is written (file, line, column), when it came from a file: a problem it
    /// causes is reported there.
    pub at: Option<(std::path::PathBuf, usize, usize)>,
}

impl Setting {
    /// A setting written as `PATH=VALUE` (`--set`): the value is read as TOML (`365`, `0.8`,
    /// `true`, `"text"`, `[1, 2]`), else taken as text.
    pub fn parse_assignment(assignment: &str) -> Result<Self, String> {
        let Some((key, value)) = assignment.split_once('=') else {
            return Err(format!(
                "{assignment}: expected PATH=VALUE, e.g. duration_days=365"
            ));
        };
        let value = value.trim();
        let parsed = format!("v = {value}")
            .parse::<Table>()
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| Value::String(value.to_string()));
        Ok(Self {
            path: key.trim().to_string(),
            value: parsed,
            at: None,
        })
    }
}

/// A named variation: the settings, in the order they apply.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Variation {
    /// Name, unique in its plan.
    pub name: String,
    /// The settings.
    pub settings: Vec<Setting>,
}

/// The path of the arrival-scale setting.
pub const ARRIVAL_SCALE: &str = "arrival_scale";
/// The path of the route-order setting.
pub const ROUTE_ORDER: &str = "route_order";

impl Variation {
    /// A one-line description: `name (path = value, …)`.
    pub fn describe(&self) -> String {
        if self.settings.is_empty() {
            return format!("{} (the scenario as it is)", self.name);
        }
        let mut s = format!("{} (", self.name);
        for (i, set) in self.settings.iter().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            let _ = write!(s, "{} = {}", set.path, set.value);
        }
        s.push(')');
        s
    }

    /// Applies every setting to `doc`; the first that does not fit is the error (index of the
    /// setting and what is wrong).
    pub fn apply(&self, doc: &mut Table) -> Result<(), (usize, String)> {
        for (i, s) in self.settings.iter().enumerate() {
            apply_setting(doc, s).map_err(|m| (i, m))?;
        }
        Ok(())
    }
}

/// Applies one setting to a scenario document.
pub fn apply_setting(doc: &mut Table, setting: &Setting) -> Result<(), String> {
    match setting.path.as_str() {
        ARRIVAL_SCALE => scale_arrivals(doc, &setting.value),
        ROUTE_ORDER => order_routes(doc, &setting.value),
        path => set_path(doc, path, setting.value.clone()),
    }
}

fn set_path(doc: &mut Table, path: &str, value: Value) -> Result<(), String> {
    let steps: Vec<&str> = path.split('.').collect();
    if steps.iter().any(|s| s.is_empty()) {
        return Err(format!(
            "'{path}' is not a path: expected keys joined by dots, e.g. agents.support.count"
        ));
    }
    let mut root = Value::Table(std::mem::take(doc));
    let result = set_in(&mut root, &steps, value);
    if let Value::Table(t) = root {
        *doc = t;
    }
    result
}

fn set_in(root: &mut Value, steps: &[&str], value: Value) -> Result<(), String> {
    let (last, before) = steps.split_last().expect("a path has at least one step");
    let mut here = root;
    let mut walked = String::new();
    for step in before {
        here = step_into(here, step, &walked)?;
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(step);
    }
    match here {
        Value::Table(t) => {
            t.insert((*last).to_string(), value);
            Ok(())
        }
        Value::Array(items) => {
            let i = select(items, last, &walked)?;
            items[i] = value;
            Ok(())
        }
        other => Err(format!(
            "'{walked}' is a {}, not a table: cannot set '{last}' in it",
            other.type_str()
        )),
    }
}

/// The child of `here` named by `step`: a table's key, or an array element by name or index.
fn step_into<'a>(here: &'a mut Value, step: &str, walked: &str) -> Result<&'a mut Value, String> {
    let at = if walked.is_empty() {
        "the scenario".to_string()
    } else {
        format!("'{walked}'")
    };
    match here {
        Value::Table(t) => {
            if !t.contains_key(step) {
                let mut keys: Vec<&str> = t.keys().map(String::as_str).collect();
                keys.sort_unstable();
                return Err(format!(
                    "{at} has no '{step}' (it has: {})",
                    if keys.is_empty() {
                        "nothing".to_string()
                    } else {
                        keys.join(", ")
                    }
                ));
            }
            Ok(t.get_mut(step).expect("checked above"))
        }
        Value::Array(items) => {
            let i = select(items, step, walked)?;
            Ok(&mut items[i])
        }
        other => Err(format!(
            "{at} is a {}, not a table or a list: cannot go into '{step}'",
            other.type_str()
        )),
    }
}

/// The element of a list of tables named `step` (by `name`, or `group` for agent groups), or
/// at index `step`.
fn select(items: &[Value], step: &str, walked: &str) -> Result<usize, String> {
    let name_of = |v: &Value| -> Option<String> {
        let t = v.as_table()?;
        t.get("name")
            .or_else(|| t.get("group"))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    if let Some(i) = items
        .iter()
        .position(|v| name_of(v).as_deref() == Some(step))
    {
        return Ok(i);
    }
    if let Ok(i) = step.parse::<usize>() {
        if i < items.len() {
            return Ok(i);
        }
        return Err(format!(
            "'{walked}' has {} element(s): index {i} is past its end",
            items.len()
        ));
    }
    let names: Vec<String> = items.iter().filter_map(name_of).collect();
    Err(format!(
        "'{walked}' has no element named '{step}' (names: {})",
        if names.is_empty() {
            "none; use an index".to_string()
        } else {
            names.join(", ")
        }
    ))
}

fn scale_arrivals(doc: &mut Table, value: &Value) -> Result<(), String> {
    let factor = number(value)
        .filter(|f| f.is_finite() && *f >= 0.0)
        .ok_or_else(|| format!("{ARRIVAL_SCALE}: expected a number ≥ 0, found {value}"))?;
    let Some(Value::Array(segments)) = doc.get_mut("arrivals") else {
        return Err(format!(
            "{ARRIVAL_SCALE}: the scenario has no arrivals to scale"
        ));
    };
    for seg in segments.iter_mut().filter_map(Value::as_table_mut) {
        if let Some(rate) = seg.get("rate_per_h").and_then(number) {
            seg.insert("rate_per_h".into(), Value::Float(rate * factor));
        }
        if let Some(Value::Table(profile)) = seg.get_mut("profile") {
            let scale = profile.get("scale").and_then(number).unwrap_or(1.0);
            profile.insert("scale".into(), Value::Float(scale * factor));
        }
    }
    // A dated forecast's volumes scale with its own factor.
    if let Some(Value::Table(forecast)) = doc.get_mut("forecast") {
        let scale = forecast.get("scale").and_then(number).unwrap_or(1.0);
        forecast.insert("scale".into(), Value::Float(scale * factor));
    }
    Ok(())
}

fn order_routes(doc: &mut Table, value: &Value) -> Result<(), String> {
    let wanted: Vec<&str> = value
        .as_array()
        .and_then(|a| a.iter().map(Value::as_str).collect::<Option<Vec<_>>>())
        .ok_or_else(|| format!("{ROUTE_ORDER}: expected a list of route names, found {value}"))?;
    let Some(Value::Array(routes)) = doc.get_mut("routes") else {
        return Err(format!("{ROUTE_ORDER}: the scenario has no routes"));
    };
    let name = |v: &Value| {
        v.as_table()
            .and_then(|t| t.get("name"))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let have: Vec<Option<String>> = routes.iter().map(name).collect();
    let mut taken = vec![false; routes.len()];
    let mut order = Vec::with_capacity(routes.len());
    for w in &wanted {
        match have.iter().position(|h| h.as_deref() == Some(*w)) {
            Some(i) if taken[i] => return Err(format!("{ROUTE_ORDER}: '{w}' is named twice")),
            Some(i) => {
                taken[i] = true;
                order.push(i);
            }
            None => {
                return Err(format!(
                    "{ROUTE_ORDER}: no route named '{w}' (routes: {})",
                    have.iter()
                        .flatten()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    if order.len() != routes.len() {
        let missing: Vec<String> = have
            .iter()
            .zip(&taken)
            .filter(|(_, t)| !**t)
            .map(|(h, _)| h.clone().unwrap_or_else(|| "(unnamed)".into()))
            .collect();
        return Err(format!(
            "{ROUTE_ORDER}: must name every route once; missing: {}",
            missing.join(", ")
        ));
    }
    let old = std::mem::take(routes);
    let mut old: Vec<Option<Value>> = old.into_iter().map(Some).collect();
    *routes = order
        .into_iter()
        .map(|i| old[i].take().expect("each index once"))
        .collect();
    Ok(())
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Table {
        r#"
name = "t"
[[agents]]
group = "a"
count = 3
[[agents]]
group = "b"
count = 2
[[queues]]
name = "sales"
[[arrivals]]
name = "x"
rate_per_h = 10
[[arrivals]]
name = "y"
profile = { interval_min = 60, rates_per_h = [1.0], scale = 2.0 }
[[routes]]
name = "r1"
[[routes]]
name = "r2"
"#
        .parse()
        .unwrap()
    }

    fn set(path: &str, value: Value) -> Setting {
        Setting {
            path: path.into(),
            value,
            at: None,
        }
    }

    #[test]
    fn sets_by_name_index_and_new_key() {
        let mut d = doc();
        apply_setting(&mut d, &set("agents.b.count", Value::Integer(5))).unwrap();
        apply_setting(&mut d, &set("agents.0.count", Value::Integer(4))).unwrap();
        apply_setting(
            &mut d,
            &set("queues.sales.service_level_s", Value::Integer(30)),
        )
        .unwrap();
        let agents = d["agents"].as_array().unwrap();
        assert_eq!(agents[0]["count"].as_integer(), Some(4));
        assert_eq!(agents[1]["count"].as_integer(), Some(5));
        assert_eq!(d["queues"][0]["service_level_s"].as_integer(), Some(30));
    }

    #[test]
    fn a_missing_step_names_what_exists() {
        let mut d = doc();
        let e = apply_setting(&mut d, &set("agents.c.count", Value::Integer(1))).unwrap_err();
        assert!(
            e.contains("no element named 'c'") && e.contains("a, b"),
            "{e}"
        );
        let e = apply_setting(&mut d, &set("queus.sales.x", Value::Integer(1))).unwrap_err();
        assert!(e.contains("has no 'queus'"), "{e}");
        // The document survives a failed setting.
        assert_eq!(d["agents"][1]["count"].as_integer(), Some(2));
    }

    #[test]
    fn arrival_scale_multiplies_rates_and_profile_scales() {
        let mut d = doc();
        apply_setting(&mut d, &set(ARRIVAL_SCALE, Value::Float(1.5))).unwrap();
        assert_eq!(d["arrivals"][0]["rate_per_h"].as_float(), Some(15.0));
        assert_eq!(d["arrivals"][1]["profile"]["scale"].as_float(), Some(3.0));
    }

    // RT-1: the order of the routes is the routing; a variation may reorder them.
    #[test]
    fn rt_1_route_order_reorders_and_must_name_every_route() {
        let mut d = doc();
        let order = |names: &[&str]| {
            Value::Array(names.iter().map(|n| Value::String((*n).into())).collect())
        };
        apply_setting(&mut d, &set(ROUTE_ORDER, order(&["r2", "r1"]))).unwrap();
        assert_eq!(d["routes"][0]["name"].as_str(), Some("r2"));
        let e = apply_setting(&mut d, &set(ROUTE_ORDER, order(&["r2"]))).unwrap_err();
        assert!(e.contains("missing: r1"), "{e}");
        let e = apply_setting(&mut d, &set(ROUTE_ORDER, order(&["r2", "r2"]))).unwrap_err();
        assert!(e.contains("twice"), "{e}");
    }
}
