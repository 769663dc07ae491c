//! `ccsim bot`: the reference system under test — the scenario's bot on wall-clock time,
//! listening for webhooks and calling the platform's API.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{EXIT_BAD_INPUT, EXIT_OK, bad_input, internal};
use crate::live::bot_server::{BotServerConfig, Faults, start};
use crate::live::mock::DEFAULT_KEY;

/// Flags of `ccsim bot`.
#[derive(Debug, Args)]
pub struct BotArgs {
    /// Scenario with a `[bot]` (its reply times, debounce, actions and channels).
    file: PathBuf,
    /// Address for the webhook (`POST /webhook`) and `GET /stats`; a loopback address unless
    /// --allow-remote.
    #[arg(long, default_value = "127.0.0.1:8090")]
    listen: SocketAddr,
    /// Allow a non-loopback --listen address: the webhook takes unauthenticated posts from
    /// anyone who reaches it.
    #[arg(long)]
    allow_remote: bool,
    /// The platform's base URL (the mock, or anything that speaks the Conversations API).
    #[arg(long, default_value = "http://127.0.0.1:8089")]
    platform: String,
    /// The platform's API key (needs conversations:manage, BOT-11).
    #[arg(long, default_value = DEFAULT_KEY)]
    api_key: String,
    /// Register this bot's webhook as the account webhook at start (BOT-1: otherwise it is
    /// registered by hand, and without it the bot never hears anything).
    #[arg(long)]
    register_webhook: bool,
    /// Seed of the bot's random streams.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Fault: answer every webhook this late, ms.
    #[arg(long, default_value_t = 0)]
    slow_ms: u64,
    /// Fault: answer this share of webhooks with 500 and drop them, 0..1.
    #[arg(long, default_value_t = 0.0)]
    error_share: f64,
    /// Fault: exit (code 3) this many seconds after starting.
    #[arg(long)]
    crash_after_s: Option<f64>,
    /// API call timeout, ms.
    #[arg(long, default_value_t = 10_000)]
    api_timeout_ms: u64,
    /// Keep trying to reach the platform this many seconds at start (start order free).
    #[arg(long, default_value_t = 0.0)]
    connect_retry_s: f64,
}

pub(super) fn bot(args: BotArgs) -> ExitCode {
    if let Err(code) = super::loopback_only("--listen", args.listen, args.allow_remote) {
        return code;
    }
    let s = match super::load_file(&args.file) {
        Ok(s) => s,
        Err(e) => return bad_input(&e),
    };
    if !(0.0..=1.0).contains(&args.error_share) {
        eprintln!("error: --error-share {}: expected 0 to 1", args.error_share);
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let crash_after_ms = match args.crash_after_s {
        Some(s) if s.is_finite() && s >= 0.0 => Some((s * 1000.0) as u64),
        Some(s) => {
            eprintln!("error: --crash-after-s {s}: expected seconds, 0 or more");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
        None => None,
    };
    let config = BotServerConfig {
        spec: s.centre,
        platform: args.platform,
        api_key: args.api_key,
        seed: args.seed,
        faults: Faults {
            slow_ms: args.slow_ms,
            error_share: args.error_share,
            crash_after_ms,
        },
        api_timeout_ms: args.api_timeout_ms,
        connect_retry_ms: (args.connect_retry_s.clamp(0.0, 3_600.0) * 1000.0) as u64,
        stop_on_signal: true,
    };
    let system = actix_web::rt::System::new();
    let started = system.block_on(start(config, args.listen, args.register_webhook));
    let (server, addr, _) = match started {
        Ok(s) => s,
        // Each is about the flags or the platform given (an address in use included).
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    outln!("ccsim bot listening on http://{addr}/webhook (stats: GET /stats; Ctrl-C stops)");
    match system.block_on(server) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(e) => internal(&anyhow::Error::from(e)),
    }
}
