//! Scenario files in: TOML (or JSON with the same fields), parsed once into a validated
//! [`Scenario`]. Every problem is reported with file, line, column and field path; nothing is
//! run or written until the whole file is good.
//!
//! - [`file`](mod@file): the format as people write it (and its JSON Schema).
//! - [`build`]: the whole-file checks and the conversion into the model's [`CentreSpec`];
//!   `checks` holds the checks of single fields and sub-tables.
//! - `conversation`: conversation statuses and models, reply and wrap-up times, waiting
//!   strategies, transfers.
//! - `sla`: SLA policies.
//! - `workflows`: workflows and their tags.
//! - [`routing`]: routes, customer attributes and the Default queue.
//! - [`csv_input`]: arrival profiles and observed durations from CSV files.
//! - [`roster`]: rosters from CSV.
//! - [`locate`]: field path → line and column, for TOML and JSON.
//! - [`error`]: the error types.

mod agents;
mod bot;
pub mod budget;
pub mod build;
mod checks;
mod conversation;
pub mod csv_input;
pub mod drivers;
pub mod error;
pub mod file;
mod forecast;
mod handoff_queues;
mod hours;
pub mod input_file;
pub mod load;
pub mod locate;
pub mod roster;
pub mod routing;
mod schedule;
mod segments;
mod sla;
mod trace;
pub mod words;
mod workflows;

use std::path::Path;
use std::sync::Arc;

use error::{FieldPath, Located, PathSeg, Problem, ScenarioError};
use file::ScenarioFile;
use input_file::FileRoot;
use locate::{Format, Locator, line_col, span_of};

use crate::model::centre::CentreSpec;

/// The bundled scenario `ccsim run` uses when given no file.
pub const QUICKSTART_TOML: &str = include_str!("../../scenarios/quickstart.toml");
/// The name under which the bundled scenario is reported.
pub const QUICKSTART_PATH: &str = "scenarios/quickstart.toml";

/// A validated scenario: what to run and how often.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Name (reports go to `reports/<name>/`).
    pub name: String,
    /// Seed of every random stream.
    pub seed: u64,
    /// Independent replications.
    pub replications: u32,
    /// The centre the actors run.
    pub centre: Arc<CentreSpec>,
    /// How `ccsim load` runs it by default, and its thresholds.
    pub load: load::LoadSpec,
    /// What a run of it may cost ([`budget`]); the default unless a command's flags raise it.
    pub budget: budget::Budget,
    /// What the user should know before trusting its results ([`drivers`]): shown by
    /// `validate`, in the run's header and in `summary.json`.
    pub warnings: Vec<drivers::Warning>,
}

/// Loads and checks the scenario at `path` (format by extension: `.toml` or `.json`); the
/// files it names must lie in its folder ([`input_file`]).
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    load_with(path, false)
}

/// [`load()`], with files the scenario names allowed outside its folder when `allow_outside`
/// (`--allow-outside-files`).
pub fn load_with(path: &Path, allow_outside: bool) -> Result<Scenario, ScenarioError> {
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("toml") => Format::Toml,
        Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
        _ => {
            return Err(ScenarioError::Format {
                path: path.to_path_buf(),
            });
        }
    };
    let text = read_text(path)?;
    parse(&text, format, path, &FileRoot::of(path, allow_outside))
}

/// The text of the input file `path` (a regular file within the size cap, UTF-8), or why not.
pub fn read_text(path: &Path) -> Result<String, ScenarioError> {
    let bytes = input_file::read_bytes(path).map_err(|reason| ScenarioError::Read {
        path: path.to_path_buf(),
        reason,
    })?;
    input_file::utf8(bytes).map_err(|e| ScenarioError::Invalid {
        problems: vec![Located {
            file: path.to_path_buf(),
            line: e.line,
            column: e.column,
            path: FieldPath::root(),
            message: e.to_string(),
        }],
    })
}

/// The bundled quickstart scenario.
pub fn quickstart() -> Result<Scenario, ScenarioError> {
    parse(
        QUICKSTART_TOML,
        Format::Toml,
        Path::new(QUICKSTART_PATH),
        &FileRoot::new(Path::new("scenarios"), false),
    )
}

/// The bundled scenario of `ccsim demo` (a live load on loopback).
pub const LIVE_DEMO_TOML: &str = include_str!("../../scenarios/live-demo.toml");

/// The bundled live-demo scenario.
pub fn live_demo() -> Result<Scenario, ScenarioError> {
    parse(
        LIVE_DEMO_TOML,
        Format::Toml,
        Path::new("scenarios/live-demo.toml"),
        &FileRoot::new(Path::new("scenarios"), false),
    )
}

/// Parses and checks scenario text; `origin` names it in messages, the files it names resolve
/// by `files`.
pub fn parse(
    text: &str,
    format: Format,
    origin: &Path,
    files: &FileRoot,
) -> Result<Scenario, ScenarioError> {
    let file = deserialize(text, format, origin)?;
    build::build(&file, files).map_err(|problems| ScenarioError::Invalid {
        problems: locate_all(text, format, origin, problems),
    })
}

fn deserialize(text: &str, format: Format, origin: &Path) -> Result<ScenarioFile, ScenarioError> {
    let located = |path: FieldPath,
                   offset: Option<usize>,
                   line_col_hint: Option<(usize, usize)>,
                   message: String| {
        let path = with_missing_field(path, &message);
        let (line, column) = line_col_hint
            .map(|(l, c)| (l, c.max(1)))
            .unwrap_or_else(|| {
                let offset = offset.unwrap_or_else(|| span_of(text, format, &path).start);
                line_col(text, offset)
            });
        ScenarioError::Invalid {
            problems: vec![Located {
                file: origin.to_path_buf(),
                line,
                column,
                path,
                message,
            }],
        }
    };
    match format {
        Format::Toml => {
            deserialize_toml(text, origin).map_err(|problems| ScenarioError::Invalid { problems })
        }
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            let file: ScenarioFile = serde_path_to_error::deserialize(&mut de).map_err(|e| {
                let path = convert_path(e.path());
                let inner = e.into_inner();
                let hint = (inner.line() > 0).then(|| (inner.line(), inner.column()));
                let message = inner.to_string();
                let message = words::in_user_words(
                    message
                        .rsplit_once(" at line ")
                        .map_or(message.as_str(), |(m, _)| m),
                );
                let prefix = if inner.is_syntax() || inner.is_eof() {
                    "not valid JSON: "
                } else {
                    ""
                };
                located(path, None, hint, format!("{prefix}{message}"))
            })?;
            de.end().map_err(|e| {
                located(
                    FieldPath::root(),
                    None,
                    Some((e.line(), e.column().max(1))),
                    format!("not valid JSON: {e}"),
                )
            })?;
            Ok(file)
        }
    }
}

/// Deserializes TOML text into `T`; a problem is located by line, column and field path.
/// Shared by every TOML input (scenarios, sweep plans, variations, gate files). Misspelt keys
/// are all reported at once (serde stops at the first: each is taken out of the document and
/// the rest read again, up to [`MAX_TYPOS`]).
pub(crate) fn deserialize_toml<T: serde::de::DeserializeOwned>(
    text: &str,
    origin: &Path,
) -> Result<T, Vec<Located>> {
    let located = |path: FieldPath, offset: Option<usize>, message: String| {
        let path = with_missing_field(path, &message);
        let offset = offset.unwrap_or_else(|| span_of(text, Format::Toml, &path).start);
        let (line, column) = line_col(text, offset);
        Located {
            file: origin.to_path_buf(),
            line,
            column,
            path,
            message,
        }
    };
    if text.trim().is_empty() {
        return Err(vec![located(
            FieldPath::root(),
            Some(0),
            "the file is empty: expected its fields (`ccsim schema` lists a scenario's; \
             scenarios/ holds examples of every kind of file)"
                .into(),
        )]);
    }
    let de = toml::Deserializer::parse(text).map_err(|e| {
        vec![located(
            FieldPath::root(),
            e.span().map(|s| s.start),
            format!("not valid TOML: {}", e.message()),
        )]
    })?;
    let (path, offset, message) = match read_toml::<T>(de) {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    let typo = |m: &str| m.starts_with("unknown field");
    let mut found = vec![(path, offset, message)];
    if typo(&found[0].2)
        && let Ok(mut doc) = text.parse::<toml::Table>()
    {
        while found.len() < MAX_TYPOS {
            let (last, _, _) = &found[found.len() - 1];
            if !remove_key(&mut doc, last) {
                break;
            }
            let Ok(again) = toml::to_string(&doc) else {
                break;
            };
            let Ok(de) = toml::Deserializer::parse(&again) else {
                break;
            };
            match read_toml::<T>(de) {
                // Offsets in the rewritten text mean nothing in the file: locate by path.
                Err((path, _, message)) if typo(&message) => found.push((path, None, message)),
                _ => break,
            }
        }
    }
    Err(found
        .into_iter()
        .map(|(path, offset, message)| located(path, offset, message))
        .collect())
}

/// The most misspelt keys reported from one file.
const MAX_TYPOS: usize = 50;

/// `T` from a TOML deserializer, or the error's path, offset and message in the user's words.
fn read_toml<T: serde::de::DeserializeOwned>(
    de: toml::Deserializer<'_>,
) -> Result<T, (FieldPath, Option<usize>, String)> {
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = convert_path(e.path());
        let inner = e.into_inner();
        let offset = inner.span().map(|s| s.start);
        (path, offset, words::in_user_words(inner.message()))
    })
}

/// Takes the key the unknown-field error at `path` names out of `doc`; whether it was there.
fn remove_key(doc: &mut toml::Table, path: &FieldPath) -> bool {
    fn under(v: &mut toml::Value, rest: &[PathSeg], last: &str) -> bool {
        match (rest.split_first(), v) {
            (None, toml::Value::Table(t)) => t.remove(last).is_some(),
            (Some((PathSeg::Key(k), rest)), toml::Value::Table(t)) => {
                t.get_mut(k).is_some_and(|v| under(v, rest, last))
            }
            (Some((PathSeg::Index(i), rest)), toml::Value::Array(a)) => {
                a.get_mut(*i).is_some_and(|v| under(v, rest, last))
            }
            _ => false,
        }
    }
    let Some((PathSeg::Key(last), parents)) = path.0.split_last() else {
        return false;
    };
    match parents.split_first() {
        None => doc.remove(last).is_some(),
        Some((PathSeg::Key(k), rest)) => doc.get_mut(k).is_some_and(|v| under(v, rest, last)),
        Some(_) => false,
    }
}

/// serde reports a missing field at its parent; name the field itself in the path.
fn with_missing_field(mut path: FieldPath, message: &str) -> FieldPath {
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some((field, _)) = rest.split_once('`')
    {
        path.0.push(PathSeg::Key(field.to_string()));
    }
    path
}

fn convert_path(path: &serde_path_to_error::Path) -> FieldPath {
    use serde_path_to_error::Segment;
    FieldPath(
        path.iter()
            .filter_map(|seg| match seg {
                Segment::Seq { index } => Some(PathSeg::Index(*index)),
                Segment::Map { key } => Some(PathSeg::Key(key.clone())),
                Segment::Enum { .. } | Segment::Unknown => None,
            })
            .collect(),
    )
}

/// `message` at `path` of the file `origin`, found by `locator` (a text parsed once).
pub(crate) fn located_by(
    locator: &Locator<'_>,
    origin: &Path,
    path: FieldPath,
    message: String,
) -> Located {
    let (line, column) = locator.at(&path);
    Located {
        file: origin.to_path_buf(),
        line,
        column,
        path,
        message,
    }
}

fn locate_all(text: &str, format: Format, origin: &Path, problems: Vec<Problem>) -> Vec<Located> {
    let locator = Locator::new(text, format);
    let mut located: Vec<Located> = problems
        .into_iter()
        .map(|p| match p.in_file {
            Some((file, line)) => Located {
                file,
                line,
                column: 1,
                path: p.path,
                message: p.message,
            },
            None => located_by(&locator, origin, p.path, p.message),
        })
        .collect();
    located.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    located
}
