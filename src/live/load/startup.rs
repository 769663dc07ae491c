//! What a load run sets up before its first customer: waiting for the system under test to
//! accept connections, and the progress bar on the terminal.

use std::time::{Duration, Instant};

use super::LoadConfig;

/// Waits until `url`'s host and port accept a connection, or `within` has passed (the run
/// then goes on: its deliveries will say the target was unreachable).
pub(super) async fn wait_for(url: &str, within: Duration) {
    let Ok(uri) = url.parse::<actix_web::http::Uri>() else {
        return;
    };
    let Some(host) = uri.host().map(String::from) else {
        return;
    };
    let port = uri
        .port_u16()
        .unwrap_or(if uri.scheme_str() == Some("https") {
            443
        } else {
            80
        });
    let give_up = Instant::now() + within;
    while Instant::now() < give_up {
        if tokio::net::TcpStream::connect((host.as_str(), port))
            .await
            .is_ok()
        {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(super) fn progress_bar(config: &LoadConfig) -> indicatif::ProgressBar {
    if !config.progress {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(config.duration_ms.div_ceil(1000));
    let style = indicatif::ProgressStyle::with_template(
        "{elapsed_precise} [{bar:30}] {pos}/{len} s  {msg}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}
