//! The points of a plan as variations: the settings of a listed point's `set` table, and the
//! listed points crossed with the grid's axes, each setting with where it is written (when it
//! came from a file) so a problem it causes is reported there. Used by [`super::plan_file`] for
//! plan files, variation files and plans built in memory.

use std::path::Path;

use toml::{Table, Value};

use super::plan_file::AxisFile;
use super::variation::{Setting, Variation};
use crate::scenario::error::FieldPath;
use crate::scenario::locate::Locator;

/// The settings of a `set` table at `field` of the file `file`, each with where it is written.
pub(super) fn settings_of(
    set: &Table,
    locator: Option<&Locator<'_>>,
    file: &Path,
    field: &FieldPath,
) -> Vec<Setting> {
    set.iter()
        .map(|(k, v)| Setting {
            path: k.clone(),
            value: v.clone(),
            at: locator.map(|l| {
                let (line, column) = l.at(&field.key(k));
                (file.to_path_buf(), line, column)
            }),
        })
        .collect()
}

/// The points of a plan: each listed point crossed with each grid combination (the list
/// slowest, then the axes in order, the last fastest).
pub(super) fn cross(
    listed: &[Variation],
    grid: &[AxisFile],
    locator: Option<&Locator<'_>>,
    file: &Path,
) -> Vec<Variation> {
    let mut points: Vec<Variation> = if listed.is_empty() {
        vec![Variation::default()]
    } else {
        listed.to_vec()
    };
    if grid.is_empty() {
        return if listed.is_empty() {
            Vec::new()
        } else {
            points
        };
    }
    for (a, axis) in grid.iter().enumerate() {
        let label = axis.label.clone().unwrap_or_else(|| {
            axis.path
                .rsplit('.')
                .next()
                .unwrap_or(&axis.path)
                .to_string()
        });
        let mut next = Vec::with_capacity(points.len() * axis.values.len());
        for p in &points {
            for (k, v) in axis.values.iter().enumerate() {
                let at = locator.map(|l| {
                    let (line, column) = l.at(&FieldPath::root()
                        .key("grid")
                        .index(a)
                        .key("values")
                        .index(k));
                    (file.to_path_buf(), line, column)
                });
                let mut q = p.clone();
                let shown = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let part = format!("{label}={shown}");
                q.name = if q.name.is_empty() {
                    part
                } else {
                    format!("{} {part}", q.name)
                };
                q.settings.push(Setting {
                    path: axis.path.clone(),
                    value: v.clone(),
                    at,
                });
                next.push(q);
            }
        }
        points = next;
    }
    points
}
