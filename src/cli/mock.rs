//! `ccsim mock`: serve the Infobip Conversations API on loopback until interrupted.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::{EXIT_BAD_INPUT, EXIT_OK, bad_input, internal};
use crate::live::bot_server::api_channel;
use crate::live::mock::auth::ApiKey;
use crate::live::mock::state::StoreCaps;
use crate::live::mock::{DEFAULT_KEY, MockConfig, serve};
use crate::live::webhook::WebhookPolicy;
use crate::model::platform_api::WindowMode;

/// How a free-form WhatsApp message outside the 24-hour window fails (§4 leaves it open).
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Window {
    /// Accepted (200), reported undeliverable later.
    FailOnDelivery,
    /// Rejected at once with 400.
    Reject,
}

/// On or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum Switch {
    /// On.
    On,
    /// Off.
    Off,
}

/// Flags of `ccsim mock`.
#[derive(Debug, Args)]
pub struct MockArgs {
    /// Address to listen on; a loopback address unless --allow-remote. Port 0 picks one.
    #[arg(long, default_value = "127.0.0.1:8089")]
    listen: SocketAddr,
    /// Scenario whose bot (its name as an agent id) the platform knows and whose routing rules
    /// `POST …/route` runs; optional (without it, `…/route` sends everything to Default).
    file: Option<PathBuf>,
    /// An accepted API key, `KEY` (every scope) or `KEY=scope,scope`; repeatable. Default:
    /// `ccsim-local-key` with every scope.
    #[arg(long = "api-key", value_name = "KEY[=SCOPES]")]
    api_keys: Vec<String>,
    /// An accepted user for Basic auth and for IBSSO and OAuth 2.0 logins,
    /// `USERNAME:PASSWORD` (every scope) or `USERNAME:PASSWORD=scope,scope`; repeatable.
    /// Default: `ccsim-local-user:ccsim-local-password` with every scope.
    #[arg(long = "user", value_name = "USERNAME:PASSWORD[=SCOPES]")]
    users: Vec<String>,
    /// Answer 429 past Infobip's documented rate limits (Get Messages 500 a minute, WhatsApp
    /// sends 4,000 a second), as the platform does.
    #[arg(long, value_enum, default_value = "on")]
    rate_limits: Switch,
    /// Status for an unknown conversation or entity id: 404 or 400.
    #[arg(long, default_value_t = 404)]
    unknown_id_status: u16,
    /// Largest request body, KiB.
    #[arg(long, default_value_t = 256)]
    max_body_kib: usize,
    /// What a free-form WhatsApp send outside the window does.
    #[arg(long, value_enum, default_value = "fail-on-delivery")]
    window: Window,
    /// HTTP worker threads.
    #[arg(long, default_value_t = 2)]
    workers: usize,
    /// Allow a non-loopback --listen address.
    #[arg(long)]
    allow_remote: bool,
    /// Webhook POST timeout per attempt, ms.
    #[arg(long, default_value_t = 10_000)]
    webhook_timeout_ms: u64,
    /// Redeliveries after a failed webhook POST (timeout, refused, non-2xx); 0 for none.
    #[arg(long, default_value_t = 2)]
    redeliveries: u32,
    /// Wait before the first redelivery, ms (doubles after each).
    #[arg(long, default_value_t = 1_000)]
    redelivery_backoff_ms: u64,
    /// Share of inbound messages POSTed twice on purpose (receivers must dedupe), 0..1.
    #[arg(long, default_value_t = 0.0)]
    duplicate_share: f64,
    /// Forget closed conversations this many seconds after they close (reads of them then
    /// answer 404), so a long run holds only what is open; kept for ever by default.
    #[arg(long)]
    retain_closed_s: Option<u64>,
    /// The most conversations the mock holds (open and closed): past it, the oldest closed
    /// ones are evicted, and with none closed a new one is refused with 429.
    #[arg(long, default_value_t = crate::live::mock::state::retention::DEFAULT_MAX_CONVERSATIONS)]
    max_stored_conversations: usize,
    /// The most messages the mock holds, likewise.
    #[arg(long, default_value_t = crate::live::mock::state::retention::DEFAULT_MAX_MESSAGES)]
    max_stored_messages: usize,
}

pub(super) fn mock(args: MockArgs) -> ExitCode {
    let mut config = MockConfig {
        unknown_id_status: args.unknown_id_status,
        max_body_bytes: args.max_body_kib.saturating_mul(1024),
        window_mode: match args.window {
            Window::FailOnDelivery => WindowMode::FailOnDelivery,
            Window::Reject => WindowMode::RejectAtOnce,
        },
        workers: args.workers,
        rate_limits: args.rate_limits == Switch::On,
        retain_closed_ms: args.retain_closed_s.map(|s| s.saturating_mul(1000)),
        caps: StoreCaps {
            conversations: args.max_stored_conversations,
            messages: args.max_stored_messages,
        },
        webhook: WebhookPolicy {
            timeout_ms: args.webhook_timeout_ms,
            redeliveries: args.redeliveries,
            backoff_ms: args.redelivery_backoff_ms,
            duplicate_share: args.duplicate_share,
            ..WebhookPolicy::default()
        },
        ..MockConfig::default()
    };
    if !(0.0..=1.0).contains(&args.duplicate_share) {
        eprintln!(
            "error: --duplicate-share {}: expected 0 to 1",
            args.duplicate_share
        );
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    if !args.api_keys.is_empty() {
        match args.api_keys.iter().map(|k| ApiKey::parse(k)).collect() {
            Ok(keys) => config.keys = keys,
            Err(e) => {
                eprintln!("error: --api-key {e}");
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        }
    }
    if !args.users.is_empty() {
        let parsed: Result<Vec<ApiKey>, String> = args
            .users
            .iter()
            .map(|u| {
                let user = ApiKey::parse(u)?;
                if user
                    .key
                    .split_once(':')
                    .is_none_or(|(n, p)| n.is_empty() || p.is_empty())
                {
                    return Err(format!("'{u}': expected USERNAME:PASSWORD[=scope,scope]"));
                }
                Ok(user)
            })
            .collect();
        match parsed {
            Ok(users) => config.users = users,
            Err(e) => {
                eprintln!("error: --user {e}");
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        }
    }
    if let Some(file) = &args.file {
        match super::load_file(file) {
            Ok(s) => {
                config.routing = Some(s.centre.clone());
                if let Some(bot) = &s.centre.bot {
                    config.bots = vec![bot.name.clone()];
                    if bot.assigned {
                        let channels = bot.channels.iter().filter_map(|k| api_channel(*k));
                        config.inbound_bot =
                            Some((bot.name.clone(), channels.map(String::from).collect()));
                    }
                }
            }
            Err(e) => return bad_input(&e),
        }
    }
    let system = actix_web::rt::System::new();
    let started = system.block_on(async { serve(&config, args.listen, args.allow_remote) });
    let (server, addr) = match started {
        Ok(s) => s,
        // Each is about the flags given (an address in use included: the user picks another).
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let key = if args.api_keys.is_empty() {
        format!("App {DEFAULT_KEY}")
    } else {
        "App <your key>".to_string()
    };
    outln!("Infobip mock listening on http://{addr}  (Authorization: {key}; Ctrl-C stops)");
    match system.block_on(server) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(e) => internal(&anyhow::Error::from(e)),
    }
}
