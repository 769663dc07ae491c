//! Sweeps: every point of a plan run for its replications, whole or as a deterministic shard,
//! and shards merged exactly.
//!
//! The work is the list of units (point, replication), point-major. Shard `i/n` runs the units
//! `k` with `k mod n = i` (round robin, so a shard gets a share of every point whatever their
//! costs). A unit's result does not depend on where it runs: replication r of a point always
//! uses the random streams of (seed, r). A shard writes its units as integers and
//! hdrhistogram V2+Deflate blobs ([`ShardFile`]) under a fingerprint of the build and the
//! inputs; merging adds them, and the report is computed
//! once from the sum — so a merged sweep and an unsharded one are the same bytes.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use hdrhistogram::Histogram;
use hdrhistogram::serialization::{Deserializer, Serializer, V2DeflateSerializer};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::PlanError;
use super::measures::{Counts, PointData, RepRecord};
use super::plan_file::Plan;
use crate::scenario::Scenario;
use crate::scenario::budget::BudgetHit;
use crate::sim::centre::Centre;
use crate::sim::replicate::{Progress, Stop};

/// Which slice of a sweep to run: `index` of `count`, 0-based (`--shard 0/3` … `2/3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// 0-based.
    pub index: u32,
    /// How many shards.
    pub count: u32,
}

impl Shard {
    /// The whole sweep.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Whether unit `k` belongs to this shard.
    pub fn owns(self, k: usize) -> bool {
        k % self.count as usize == self.index as usize
    }
}

impl FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("'{s}': expected INDEX/COUNT with 0 ≤ INDEX < COUNT, e.g. 0/3");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// One setting of a point as data: the dotted path and the value, as they were written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingValue {
    /// The dotted path, e.g. `agents.tech-early.count`.
    pub key: String,
    /// The value set there, e.g. `6`.
    pub value: serde_json::Value,
}

impl std::fmt::Display for SettingValue {
    /// `key = value`, as in a plan file.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} = {}", self.key, self.value)
    }
}

/// What a sweep's report needs to know of a point, besides its results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointMeta {
    /// The point's name.
    pub name: String,
    /// Its settings, in the order they apply.
    pub settings: Vec<SettingValue>,
    /// Its seed.
    pub seed: u64,
    /// Its replications.
    pub replications: u32,
    /// Its queues (scopes are these, then the whole centre).
    pub queues: Vec<String>,
    /// Its queues' service-level thresholds, s.
    pub service_level_s: Vec<f64>,
    /// Report interval, minutes.
    pub interval_min: u64,
    /// Local start of each interval, `YYYY-MM-DDTHH:MM`.
    pub interval_starts: Vec<String>,
}

/// What a sweep's report needs to know of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepMeta {
    /// Plan name.
    pub plan: String,
    /// The ccsim version that ran it.
    pub ccsim: String,
    /// The base scenario's name.
    pub scenario: String,
    /// The points, in plan order.
    pub points: Vec<PointMeta>,
}

impl SweepMeta {
    /// The description of `plan` and its points' scenarios.
    pub fn of(plan: &Plan, scenarios: &[Scenario]) -> Self {
        let points = plan
            .points
            .iter()
            .zip(scenarios)
            .map(|(p, s)| {
                let c = &s.centre;
                PointMeta {
                    name: p.name.clone(),
                    settings: p
                        .settings
                        .iter()
                        .map(|x| SettingValue {
                            key: x.path.clone(),
                            value: serde_json::to_value(&x.value)
                                .unwrap_or_else(|_| serde_json::Value::String(x.value.to_string())),
                        })
                        .collect(),
                    seed: s.seed,
                    replications: s.replications,
                    queues: c.queues.iter().map(|q| q.name.clone()).collect(),
                    service_level_s: c
                        .queues
                        .iter()
                        .map(|q| q.service_level_threshold_ms as f64 / 1000.0)
                        .collect(),
                    interval_min: c.interval_ms / 60_000,
                    interval_starts: (0..c.interval_count())
                        .map(|i| interval_label(s, i))
                        .collect(),
                }
            })
            .collect();
        Self {
            plan: plan.name.clone(),
            ccsim: env!("CARGO_PKG_VERSION").to_string(),
            scenario: scenarios.first().map_or(String::new(), |s| s.name.clone()),
            points,
        }
    }

    /// Units (point, replication) in order.
    pub fn units(&self) -> Vec<(usize, u32)> {
        self.points
            .iter()
            .enumerate()
            .flat_map(|(p, m)| (0..m.replications).map(move |r| (p, r)))
            .collect()
    }
}

/// The local start of interval `i` of a scenario, to the minute, with its UTC offset
/// (`2026-10-25T02:30+01:00`): without it the hour the clocks go back twice would give two
/// intervals the same label. Every report's `interval_start` is written by this.
pub fn interval_label(s: &Scenario, i: usize) -> String {
    let c = &s.centre;
    let z = c.calendar.zoned(i as u64 * c.interval_ms);
    z.strftime("%Y-%m-%dT%H:%M%:z").to_string()
}

/// The `date` and `time` columns every interval file carries beside `interval_start` (a label
/// of [`interval_label`]): local `YYYY-MM-DD` and `HH:MM`, which spreadsheets parse as a date
/// and a time (Excel does not parse the offset of the label). The clock-change night repeats a
/// `time`; `interval_start`'s offset tells the two apart.
pub fn date_time_cells(label: &str) -> (&str, &str) {
    (
        label.get(..10).unwrap_or(label),
        label.get(11..16).unwrap_or(""),
    )
}

/// A sweep's results: the plan's description and each point's data (whole, or a shard's part).
#[derive(Debug, Clone)]
pub struct SweepResult {
    /// The plan.
    pub meta: SweepMeta,
    /// Identifies the plan and build; shards merge only with the same fingerprint.
    pub fingerprint: String,
    /// Per point.
    pub points: Vec<PointData>,
}

/// Runs shard `shard` of the sweep on `threads` threads; `on_done` is called after each unit.
pub fn run(
    plan: &Plan,
    scenarios: &[Scenario],
    shard: Shard,
    threads: usize,
    on_done: &dyn Progress,
) -> Result<SweepResult, BudgetHit> {
    let meta = SweepMeta::of(plan, scenarios);
    let fingerprint = fingerprint(plan, &meta, scenarios);
    let units: Vec<(usize, u32)> = meta
        .units()
        .into_iter()
        .enumerate()
        .filter(|(k, _)| shard.owns(*k))
        .map(|(_, u)| u)
        .collect();
    let points: Vec<Mutex<PointData>> = scenarios
        .iter()
        .map(|s| {
            Mutex::new(PointData::new(
                s.centre.queues.len() + 1,
                s.centre.interval_count(),
            ))
        })
        .collect();
    let next = AtomicUsize::new(0);
    let threads = threads.clamp(1, units.len().max(1));
    let stop = Stop::default();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(p, r)) = units.get(k) else { break };
                    if stop.stopping() || on_done.cancelled() {
                        break;
                    }
                    let s = &scenarios[p];
                    let centre = Centre::new(Arc::clone(&s.centre), s.seed, r)
                        .with_max_open(s.budget.max_open);
                    let Some(stats) = stop.run(k, centre) else {
                        break;
                    };
                    points[p]
                        .lock()
                        .expect("no worker panics while holding the lock")
                        .add(r, &stats);
                    on_done.done();
                }
            });
        }
    });
    if let Some(hit) = stop.into_hit() {
        return Err(hit);
    }
    Ok(SweepResult {
        meta,
        fingerprint,
        points: points
            .into_iter()
            .map(|m| m.into_inner().expect("workers are done"))
            .collect(),
    })
}

/// Units shard `shard` runs.
pub fn shard_units(meta: &SweepMeta, shard: Shard) -> usize {
    (0..meta.units().len()).filter(|k| shard.owns(*k)).count()
}

/// SHA-256 of the build, the base scenario, the plan's points and every point's built centre
/// (which holds what the scenario's CSV files said: profiles, rosters, traces), so shards run
/// against different inputs cannot merge.
fn fingerprint(plan: &Plan, meta: &SweepMeta, scenarios: &[Scenario]) -> String {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(
        toml::to_string(&plan.base.doc)
            .unwrap_or_default()
            .as_bytes(),
    );
    h.update(serde_json::to_vec(meta).unwrap_or_default());
    for s in scenarios {
        // Debug output of plain data (vectors, numbers, strings; no hash maps): the same
        // for the same centre in the same build.
        h.update(format!("{:?}", s.centre).as_bytes());
    }
    h.finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()
}

/// The file format of a shard.
/// Version 2: point settings are `{key, value}` data, not `path = value` text.
pub const SHARD_FORMAT: &str = "ccsim-sweep-shard/2";

/// A shard's output file: the plan, the shard, and its units' results.
#[derive(Debug, Serialize, Deserialize)]
pub struct ShardFile {
    /// [`SHARD_FORMAT`].
    pub format: String,
    /// Plan and build identity.
    pub fingerprint: String,
    /// Which shard.
    pub shard: Shard,
    /// The plan's description (the same in every shard).
    pub meta: SweepMeta,
    /// Points with at least one replication in this shard.
    pub points: Vec<ShardPoint>,
}

/// One point's part in a shard.
#[derive(Debug, Serialize, Deserialize)]
pub struct ShardPoint {
    /// Index in the plan.
    pub point: usize,
    /// The replications run.
    pub reps: Vec<RepRecord>,
    /// Interval counts summed over them, row-major (interval, scope), each as
    /// [`Counts::to_array`].
    pub intervals: Vec<[u64; 11]>,
    /// Per scope, the answered waits (ms) as hdrhistogram V2+Deflate, base64.
    pub waits_ms: Vec<String>,
}

/// The file name of shard `shard`.
pub fn shard_file_name(shard: Shard) -> String {
    format!("shard-{}-of-{}.json", shard.index, shard.count)
}

impl SweepResult {
    /// This result as shard `shard`'s file.
    pub fn to_shard_file(&self, shard: Shard) -> ShardFile {
        let engine = base64::engine::general_purpose::STANDARD;
        let points = self
            .points
            .iter()
            .enumerate()
            .filter(|(_, d)| !d.reps.is_empty())
            .map(|(point, d)| ShardPoint {
                point,
                reps: d.reps.values().cloned().collect(),
                intervals: d.intervals.iter().map(Counts::to_array).collect(),
                waits_ms: d
                    .waits_ms
                    .iter()
                    .map(|h| {
                        let mut bytes = Vec::new();
                        V2DeflateSerializer::new()
                            .serialize(&canonical(h), &mut bytes)
                            .expect("serialising to memory does not fail");
                        engine.encode(bytes)
                    })
                    .collect(),
            })
            .collect();
        ShardFile {
            format: SHARD_FORMAT.to_string(),
            fingerprint: self.fingerprint.clone(),
            shard,
            meta: self.meta.clone(),
            points,
        }
    }
}

/// The same counts in a histogram whose size depends only on them: adding histograms grows
/// the target to the largest value seen so far, so its size (and serialised header) would
/// depend on the order replications finished in; a shard file must not.
fn canonical(h: &Histogram<u64>) -> Histogram<u64> {
    let mut out = Histogram::new_with_bounds(1, h.max().max(2), h.sigfig())
        .expect("bounds from a valid histogram are valid");
    for v in h.iter_recorded() {
        out.record_n(v.value_iterated_to(), v.count_at_value())
            .expect("a value below the maximum fits");
    }
    out
}

/// Reads every shard file in `dirs` (files named `shard-*-of-*.json`) and merges them into the
/// whole sweep. Every shard of the same plan and build must be there exactly once.
pub fn merge_dirs(dirs: &[PathBuf]) -> Result<SweepResult, PlanError> {
    let mut files = Vec::new();
    for dir in dirs {
        let entries = std::fs::read_dir(dir).map_err(|e| PlanError::Read {
            path: dir.clone(),
            reason: e.to_string(),
        })?;
        let mut names: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("shard-") && n.ends_with(".json"))
            })
            .collect();
        names.sort();
        files.extend(names);
    }
    if files.is_empty() {
        return Err(PlanError::Merge(format!(
            "no shard files (shard-I-of-N.json) in {}",
            dirs.iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let mut shards = Vec::new();
    for path in &files {
        shards.push((path.clone(), read_shard(path)?));
    }
    merge(shards)
}

fn read_shard(path: &Path) -> Result<ShardFile, PlanError> {
    let text = super::plan_file::read(path)?;
    let file: ShardFile = serde_json::from_str(&text).map_err(|e| {
        PlanError::Merge(format!(
            "{}:{}:{}: not a shard file: {e}",
            path.display(),
            e.line(),
            e.column()
        ))
    })?;
    if file.format != SHARD_FORMAT {
        return Err(PlanError::Merge(format!(
            "{}: format '{}', expected '{SHARD_FORMAT}'",
            path.display(),
            file.format
        )));
    }
    Ok(file)
}

/// Merges shard files (with the paths they came from, for messages).
pub fn merge(shards: Vec<(PathBuf, ShardFile)>) -> Result<SweepResult, PlanError> {
    let err = |m: String| PlanError::Merge(m);
    let (first_path, first) = shards.first().ok_or_else(|| err("no shards".into()))?;
    let count = first.shard.count;
    let fingerprint = first.fingerprint.clone();
    let meta = first.meta.clone();
    let mut seen: Vec<Option<PathBuf>> = vec![None; count as usize];
    for (path, s) in &shards {
        if s.fingerprint != fingerprint || s.meta != meta {
            return Err(err(format!(
                "{} is of another plan or build than {} (fingerprints {} and {})",
                path.display(),
                first_path.display(),
                &s.fingerprint[..12.min(s.fingerprint.len())],
                &fingerprint[..12.min(fingerprint.len())]
            )));
        }
        if s.shard.count != count || s.shard.index >= count {
            return Err(err(format!(
                "{} is shard {} but {} is of {count} shards",
                path.display(),
                s.shard,
                first_path.display()
            )));
        }
        if let Some(other) = &seen[s.shard.index as usize] {
            return Err(err(format!(
                "shard {} is there twice: {} and {}",
                s.shard,
                other.display(),
                path.display()
            )));
        }
        seen[s.shard.index as usize] = Some(path.clone());
    }
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_none())
        .map(|(i, _)| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(err(format!("missing shard(s): {}", missing.join(", "))));
    }
    let mut points: Vec<PointData> = meta
        .points
        .iter()
        .map(|m| PointData::new(m.queues.len() + 1, m.interval_starts.len()))
        .collect();
    let engine = base64::engine::general_purpose::STANDARD;
    for (path, s) in shards {
        for sp in s.points {
            let bad = |m: String| err(format!("{}: point {}: {m}", path.display(), sp.point));
            let Some(target) = points.get_mut(sp.point) else {
                return Err(bad("no such point in the plan".into()));
            };
            let mut waits_ms = Vec::with_capacity(sp.waits_ms.len());
            for blob in &sp.waits_ms {
                let bytes = engine
                    .decode(blob)
                    .map_err(|e| bad(format!("a wait histogram is not base64: {e}")))?;
                let h = Deserializer::new()
                    .deserialize(&mut bytes.as_slice())
                    .map_err(|e| bad(format!("a wait histogram does not decode: {e:?}")))?;
                waits_ms.push(h);
            }
            let part = PointData {
                scopes: target.scopes,
                reps: sp.reps.into_iter().map(|r| (r.replication, r)).collect(),
                intervals: sp.intervals.into_iter().map(Counts::from_array).collect(),
                waits_ms,
            };
            if part.waits_ms.len() != part.scopes {
                return Err(bad(format!(
                    "{} wait histograms for {} scopes",
                    part.waits_ms.len(),
                    part.scopes
                )));
            }
            target.merge(part).map_err(|e| bad(e.0))?;
        }
    }
    for (p, (data, m)) in points.iter().zip(&meta.points).enumerate() {
        if data.reps.len() != m.replications as usize {
            return Err(err(format!(
                "point {p} ('{}') has {} of its {} replications after merging",
                m.name,
                data.reps.len(),
                m.replications
            )));
        }
    }
    Ok(SweepResult {
        meta,
        fingerprint,
        points,
    })
}
