//! The fuzz targets: one test per parser that reads hostile input.

use std::path::Path;

use actix_web::App;
use actix_web::test as web_test;
use ccsim::live::mock::routes::{routes, worker_data};
use ccsim::live::mock::{MockConfig, shared};
use ccsim::plan::PlanError;
use ccsim::plan::gate::Gate;
use ccsim::plan::plan_file::{BaseScenario, Plan, load_variation};
use ccsim::scenario::error::{FieldPath, Located, Problem, ScenarioError};
use ccsim::scenario::{self, budget, csv_input, roster};

use crate::{Verdict, corpus, fuzz};

/// Words that give an error away as a Rust type rather than the user's terms.
const RUST_WORDS: &[&str] = &[
    " u8",
    " u16",
    " u32",
    " u64",
    " u128",
    " usize",
    " i8",
    " i16",
    " i32",
    " i64",
    " i128",
    " f32",
    " f64",
    "struct ",
    "enum ",
    "Option<",
    "Vec<",
    "String",
    "a sequence",
    "a map",
];

/// The Rust word in `message`, if any: a whole word, outside what the message quotes from the
/// file (`'…'`, `` `…` ``, `"…"`, and the columns it lists), which is the user's own text.
fn rust_word(message: &str) -> Option<&'static str> {
    let mut own = String::new();
    let mut quote: Option<char> = None;
    for c in message
        .split("(columns: ")
        .next()
        .unwrap_or(message)
        .chars()
    {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '\'' | '`' | '"') => quote = Some(c),
            None => own.push(c),
        }
    }
    RUST_WORDS.iter().copied().find(|w| {
        own.match_indices(w).any(|(i, _)| {
            own[i + w.len()..]
                .chars()
                .next()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
        })
    })
}

/// A located problem is one a user can act on: a line, a column, words without Rust in them.
fn located_well(p: &Located) -> Verdict {
    if p.line == 0 || p.column == 0 {
        return Err(format!("a problem with no line or column: {p}"));
    }
    if p.message.trim().is_empty() {
        return Err(format!("a problem with no message: {p}"));
    }
    if let Some(word) = rust_word(&p.message) {
        return Err(format!(
            "a message in Rust's words ('{}'): {p}",
            word.trim()
        ));
    }
    Ok(())
}

fn scenario_error_well(e: &ScenarioError) -> Verdict {
    match e {
        ScenarioError::Invalid { problems } => {
            if problems.is_empty() {
                return Err("invalid, with no problem named".into());
            }
            problems.iter().try_for_each(located_well)
        }
        ScenarioError::Read { .. } | ScenarioError::Format { .. } => Ok(()),
    }
}

fn plan_error_well(e: &PlanError) -> Verdict {
    match e {
        PlanError::Invalid { problems } => problems.iter().try_for_each(located_well),
        PlanError::Scenario { source, .. } => scenario_error_well(source),
        _ => Ok(()),
    }
}

fn problems_well(problems: &[Problem]) -> Verdict {
    for p in problems {
        if p.in_file.as_ref().is_some_and(|(_, line)| *line == 0) {
            return Err(format!("a CSV problem at line 0: {}", p.message));
        }
        if let Some(word) = rust_word(&p.message) {
            return Err(format!(
                "a message in Rust's words ('{}'): {}",
                word.trim(),
                p.message
            ));
        }
    }
    Ok(())
}

/// Loads the scenario file `file` (written with `input`): never a panic, every problem
/// located; a scenario that loads is estimated against the budget without trouble.
fn load_scenario(file: &Path, input: &[u8]) -> Verdict {
    std::fs::write(file, input).map_err(|e| e.to_string())?;
    match scenario::load(file) {
        Ok(s) => {
            let e = budget::estimate(&s);
            let _ = budget::Budget::default().check(&e);
            Ok(())
        }
        Err(e) => scenario_error_well(&e),
    }
}

#[test]
fn scenario_toml() {
    let ws = corpus::workspace("toml");
    let file = ws.join("fuzzed.toml");
    fuzz("scenario_toml", &corpus::scenarios_toml(), |input| {
        load_scenario(&file, input)
    });
}

#[test]
fn scenario_json() {
    let ws = corpus::workspace("json");
    let file = ws.join("fuzzed.json");
    fuzz("scenario_json", &corpus::scenarios_json(), |input| {
        load_scenario(&file, input)
    });
}

#[test]
fn csv_readers() {
    let ws = corpus::workspace("csv");
    let csv = ws.join("data/fuzzed.csv");
    // The trace reader runs inside a scenario that names the fuzzed file.
    let trace = std::fs::read_to_string("scenarios/trace-replay.toml")
        .expect("the bundled trace scenario")
        .replace("data/trace-week.csv", "data/fuzzed.csv");
    let trace_scenario = ws.join("trace.toml");
    std::fs::write(&trace_scenario, trace).expect("written");
    // So do the dated forecast and schedule readers (issue 16).
    let planner = std::fs::read_to_string("scenarios/planner-forecast.toml")
        .expect("the bundled planner scenario");
    let forecast_scenario = ws.join("forecast.toml");
    std::fs::write(
        &forecast_scenario,
        planner.replace("data/forecast-4weeks.csv", "data/fuzzed.csv"),
    )
    .expect("written");
    let schedule_scenario = ws.join("schedule.toml");
    std::fs::write(
        &schedule_scenario,
        planner.replace("data/tech-schedule.csv", "data/fuzzed.csv"),
    )
    .expect("written");
    let field = FieldPath::root().key("csv");
    fuzz("csv_readers", &corpus::csvs(), |input| {
        std::fs::write(&csv, input).map_err(|e| e.to_string())?;
        for interval in [15, 30, 60] {
            if let Err(p) = csv_input::read_profile(&csv, interval, &field) {
                problems_well(&p)?;
            }
        }
        if let Err(p) = csv_input::read_durations(&csv, "handle_s", &field) {
            problems_well(&p)?;
        }
        let (_, p) = roster::read_roster(&csv, &field);
        problems_well(&p)?;
        for s in [&forecast_scenario, &schedule_scenario] {
            if let Err(e) = scenario::load(s) {
                scenario_error_well(&e)?;
            }
        }
        match scenario::load(&trace_scenario) {
            Ok(_) => Ok(()),
            Err(e) => scenario_error_well(&e),
        }
    });
}

#[test]
fn plans_and_variations() {
    let ws = corpus::workspace("plans");
    let file = ws.join("fuzzed.toml");
    let base = BaseScenario::load(&ws.join("quickstart.toml"), false).expect("the quickstart");
    fuzz("plans_and_variations", &corpus::plans(), |input| {
        std::fs::write(&file, input).map_err(|e| e.to_string())?;
        if let Err(e) = Plan::load(&file) {
            plan_error_well(&e)?;
        }
        match load_variation(&file) {
            Ok(v) => match base.vary(&v, None, None) {
                Ok(_) => Ok(()),
                Err(e) => plan_error_well(&e),
            },
            Err(e) => plan_error_well(&e),
        }
    });
}

#[test]
fn gates() {
    let ws = corpus::workspace("gates");
    let file = ws.join("fuzzed-gate.toml");
    fuzz("gates", &corpus::gates(), |input| {
        std::fs::write(&file, input).map_err(|e| e.to_string())?;
        match Gate::load(&file) {
            Ok(g) => match g.check_against(&file, &["support", "sales"], 5) {
                Ok(()) => Ok(()),
                Err(e) => plan_error_well(&e),
            },
            Err(e) => plan_error_well(&e),
        }
    });
}

/// Valid requests to start from: `METHOD path` on the first line, the body after it. `{id}`
/// becomes a conversation that exists.
const REQUESTS: &[&str] = &[
    "GET /ccaas/1/conversations?page=0&limit=10&status=OPEN",
    "GET /ccaas/1/conversations?agentId=ann&queueIds=q&tagNames=vip&priority=HIGH",
    "POST /ccaas/1/conversations\n{\"topic\":\"t\",\"status\":\"OPEN\",\"priority\":\"HIGH\",\"queueId\":\"q\",\"agentId\":\"ann\"}",
    "GET /ccaas/1/conversations/{id}",
    "PATCH /ccaas/1/conversations/{id}\n{\"status\":\"SOLVED\",\"summary\":\"s\"}",
    "PUT /ccaas/1/conversations/{id}\n{\"topic\":\"x\"}",
    "POST /ccaas/1/conversations/{id}/messages\n{\"channel\":\"LIVE_CHAT\",\"from\":\"bot\",\"to\":\"visitor\",\"contentType\":\"TEXT\",\"content\":{\"text\":\"hello\"}}",
    "GET /ccaas/1/conversations/{id}/messages?page=0&limit=999",
    "PUT /ccaas/1/conversations/{id}/assignee\n{\"agentId\":\"ann\"}",
    "DELETE /ccaas/1/conversations/{id}/assignee",
    "POST /ccaas/1/conversations/{id}/route",
    "POST /ccaas/1/tags\n{\"name\":\"vip\"}",
    "POST /ccaas/1/conversations/{id}/tags\n{\"tagName\":\"vip\"}",
    "DELETE /ccaas/1/conversations/{id}/tags/vip",
    "PUT /ccaas/1/conversations/{id}/metadata\n{\"a\":1,\"b\":\"x\"}",
    "POST /ccaas/1/conversations/{id}/notes\n{\"content\":\"n\",\"agentId\":\"ann\"}",
    "PUT /ccaas/1/account/configuration\n{\"webhookUrl\":\"http://127.0.0.1:9/webhook\"}",
    "POST /ccsim/1/inbound\n{\"channel\":\"LIVE_CHAT\",\"from\":\"c1\",\"to\":\"b\",\"text\":\"hi\"}",
    "GET /ccaas/1/tags?page=0&limit=10",
    "GET /ccaas/1/conversations/{id}/notes?page=0&limit=5&orderBy=createdAt:DESC",
    "GET /ccaas/1/conversations/{id}/notes/NOTE-1",
];

#[test]
fn mock_requests() {
    let system = actix_web::rt::System::new();
    let (app, id) = system.block_on(async {
        let data = shared(&MockConfig::default()).expect("a valid config");
        let app = web_test::init_service(
            App::new()
                .app_data(data.clone())
                .app_data(worker_data(&data))
                .configure(routes),
        )
        .await;
        let req = web_test::TestRequest::post()
            .uri("/ccaas/1/conversations")
            .insert_header(("authorization", "App ccsim-local-key"))
            .insert_header(("content-type", "application/json"))
            .set_payload("{}")
            .to_request();
        let body: serde_json::Value = web_test::call_and_read_body_json(&app, req).await;
        (app, body["id"].as_str().expect("an id").to_string())
    });
    let corpus: Vec<Vec<u8>> = REQUESTS
        .iter()
        .map(|r| r.replace("{id}", &id).into_bytes())
        .collect();
    fuzz("mock_requests", &corpus, |input| {
        let text = String::from_utf8_lossy(input);
        let (head, body) = text.split_once('\n').unwrap_or((&text, ""));
        let (method, uri) = head.split_once(' ').unwrap_or(("GET", head));
        let Ok(method) = actix_web::http::Method::from_bytes(method.as_bytes()) else {
            return Ok(());
        };
        // A URI the HTTP layer would refuse never reaches the mock.
        if uri.parse::<actix_web::http::Uri>().is_err() || !uri.starts_with('/') {
            return Ok(());
        }
        let req = web_test::TestRequest::default()
            .method(method)
            .uri(uri)
            .insert_header(("authorization", "App ccsim-local-key"))
            .insert_header(("content-type", "application/json"))
            .set_payload(body.as_bytes().to_vec())
            .to_request();
        let status = system.block_on(async { web_test::call_service(&app, req).await.status() });
        if status.is_server_error() {
            return Err(format!("answered {status} to {head}"));
        }
        Ok(())
    });
}
