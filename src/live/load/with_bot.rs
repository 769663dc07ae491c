//! A load run with the reference bot as the system under test, in the same process: the whole
//! loop on loopback (`ccsim demo`, and the tests).

use std::net::SocketAddr;
use std::time::Duration;

use super::{LoadConfig, LoadError, LoadReport, Threshold, run_load};
use crate::live::bot_server::{BotServerConfig, Faults, start};
use crate::live::mock::DEFAULT_KEY;

/// Serves the mock and runs the load of `config` at the reference bot, which listens on
/// `bot_listen` and calls the mock's API. Call inside an actix system.
pub async fn run_with_reference_bot(
    mut config: LoadConfig,
    thresholds: Vec<Threshold>,
    name: String,
    bot_listen: SocketAddr,
) -> Result<(LoadReport, SocketAddr), LoadError> {
    config.target = Some(format!("http://{bot_listen}/webhook"));
    // The bot listens only once it has reached the mock: the customers wait for it.
    config.wait_for_target_ms = config.wait_for_target_ms.max(10_000);
    let bot = BotServerConfig {
        spec: config.spec.clone(),
        platform: format!("http://{}", config.listen),
        api_key: DEFAULT_KEY.into(),
        seed: config.seed,
        faults: Faults::default(),
        api_timeout_ms: 10_000,
        // The mock starts with the load, on this same thread: the bot waits for it.
        connect_retry_ms: 10_000,
        stop_on_signal: false,
    };
    let load = actix_web::rt::spawn(async move { run_load(&config, &thresholds, &name).await });
    let server = match start(bot, bot_listen, false).await {
        Ok((server, _, _)) => server,
        Err(e) if load.is_finished() => {
            // The load ended before the bot could reach the mock: the mock's own error says why.
            load.await
                .map_err(|j| LoadError::Setting(format!("the load stopped: {j}")))??;
            return Err(LoadError::Setting(format!("the reference bot: {e}")));
        }
        Err(e) => {
            load.abort();
            return Err(LoadError::Setting(format!("the reference bot: {e}")));
        }
    };
    let handle = server.handle();
    actix_web::rt::spawn(server);
    let result = load
        .await
        .map_err(|e| LoadError::Setting(format!("the load stopped: {e}")))?;
    // Replies still in flight are not waited for: the report is already taken.
    actix_web::rt::time::timeout(Duration::from_secs(5), handle.stop(false))
        .await
        .ok();
    result
}
