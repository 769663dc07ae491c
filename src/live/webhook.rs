//! Webhook delivery: the platform POSTs each inbound message to the account webhook (§3a; the
//! legacy payload is assumed to be the Message object). Each delivery is its own task started
//! at the message's intended time — an open model: a slow receiver delays nothing else — with a
//! timeout per attempt, redelivery of the same body after a failure (timeouts, refused
//! connections, non-2xx answers) with doubling back-off, and duplicates injected on purpose
//! (receivers must dedupe on the message id, BOT-5). Infobip's own retry policy is unknown
//! (`docs/platform-api.md` §3); the defaults here are assumptions, all configurable.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use actix_web::web::Bytes;
use hdrhistogram::Histogram;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// How deliveries are made.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WebhookPolicy {
    /// Per attempt, ms.
    pub timeout_ms: u64,
    /// Attempts after the first one fails (0: no redelivery).
    pub redeliveries: u32,
    /// Wait before the first redelivery, ms; doubles each time.
    pub backoff_ms: u64,
    /// Share of messages delivered twice on purpose (BOT-5), 0..1.
    pub duplicate_share: f64,
    /// Delay of the injected duplicate after the original, ms.
    pub duplicate_delay_ms: u64,
    /// Seed of the duplicate draws (each message's draw is a function of it and its id).
    pub seed: u64,
}

impl Default for WebhookPolicy {
    fn default() -> Self {
        Self {
            timeout_ms: 10_000,
            redeliveries: 2,
            backoff_ms: 1_000,
            duplicate_share: 0.0,
            duplicate_delay_ms: 500,
            seed: 1,
        }
    }
}

impl WebhookPolicy {
    /// After failed attempt `attempt` (0 = the first), how long until the next, if any.
    pub fn retry_after_ms(&self, attempt: u32) -> Option<u64> {
        (attempt < self.redeliveries).then(|| self.backoff_ms.saturating_mul(1 << attempt.min(20)))
    }

    /// Whether the message `message_id` is sent twice.
    pub fn duplicated(&self, message_id: &str) -> bool {
        if self.duplicate_share <= 0.0 {
            return false;
        }
        let key = message_id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed ^ key);
        rng.random::<f64>() < self.duplicate_share
    }
}

/// How one attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// 2xx.
    Accepted {
        /// Status.
        status: u16,
    },
    /// Answered, but not 2xx.
    Refused {
        /// Status.
        status: u16,
    },
    /// No answer within the timeout.
    TimedOut,
    /// No connection (refused, reset, unreachable).
    Unreachable,
}

impl Attempt {
    /// Whether it counts as delivered.
    pub fn delivered(self) -> bool {
        matches!(self, Attempt::Accepted { .. })
    }

    /// The name in reports.
    pub fn cause(self) -> String {
        match self {
            Attempt::Accepted { .. } => "delivered".into(),
            Attempt::Refused { status } => format!("http_{status}"),
            Attempt::TimedOut => "timeout".into(),
            Attempt::Unreachable => "unreachable".into(),
        }
    }
}

/// What became of one delivery (the original or an injected duplicate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryReport {
    /// The message's id.
    pub message_id: String,
    /// The last attempt's outcome.
    pub outcome: Attempt,
    /// Attempts made.
    pub attempts: u32,
    /// How late the first attempt started against the intended time, µs (scheduling lag).
    pub lag_us: u64,
    /// From the intended time to the receiver's 2xx, ms (when delivered).
    pub latency_ms: Option<u64>,
    /// An injected duplicate.
    pub duplicate: bool,
}

/// Where reports go.
pub type Sink = Arc<dyn Fn(DeliveryReport) + Send + Sync>;

/// Sends deliveries; one per worker thread (its HTTP client is the thread's).
#[derive(Clone)]
pub struct WebhookSender {
    client: awc::Client,
    policy: WebhookPolicy,
    sink: Sink,
    /// Deliveries started and not yet reported (shared by the clones).
    in_flight: Arc<AtomicU64>,
}

impl std::fmt::Debug for WebhookSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookSender")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl WebhookSender {
    /// A sender following `policy`, reporting each delivery to `sink`.
    pub fn new(policy: WebhookPolicy, sink: Sink) -> Self {
        let client = awc::Client::builder()
            .timeout(Duration::from_millis(policy.timeout_ms.max(1)))
            .disable_redirects()
            .finish();
        Self {
            client,
            policy,
            sink,
            in_flight: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Deliveries (originals and duplicates) started and not yet ended.
    pub fn in_flight(&self) -> u64 {
        self.in_flight.load(Ordering::Relaxed)
    }

    /// Delivers `body` (message `message_id`) to `url` at `intended`, and a duplicate after it
    /// when the policy draws one. Returns at once; the delivery runs on this thread's runtime.
    pub fn deliver(&self, url: String, body: Bytes, message_id: String, intended: Instant) {
        self.deliver_with(url, Vec::new(), body, message_id, intended);
    }

    /// As [`Self::deliver`], with `headers` on every POST (a subscription's credentials and
    /// custom headers).
    pub fn deliver_with(
        &self,
        url: String,
        headers: Vec<(String, String)>,
        body: Bytes,
        message_id: String,
        intended: Instant,
    ) {
        let headers: Arc<[(String, String)]> = headers.into();
        if self.policy.duplicated(&message_id) {
            let later = intended + Duration::from_millis(self.policy.duplicate_delay_ms);
            let to = (url.clone(), Arc::clone(&headers));
            self.spawn(to, body.clone(), message_id.clone(), later, true);
        }
        self.spawn((url, headers), body, message_id, intended, false);
    }

    fn spawn(
        &self,
        (url, headers): (String, Arc<[(String, String)]>),
        body: Bytes,
        message_id: String,
        intended: Instant,
        duplicate: bool,
    ) {
        let this = self.clone();
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        actix_web::rt::spawn(async move {
            // A timer rounds up to the next millisecond tick even when already due: start at
            // once when the intended time has come.
            if intended > Instant::now() {
                actix_web::rt::time::sleep_until(intended.into()).await;
            }
            let lag_us = intended.elapsed().as_micros() as u64;
            let mut attempt = 0;
            let outcome = loop {
                let outcome = this.post(&url, &headers, body.clone()).await;
                if outcome.delivered() {
                    break outcome;
                }
                match this.policy.retry_after_ms(attempt) {
                    Some(wait) => {
                        attempt += 1;
                        actix_web::rt::time::sleep(Duration::from_millis(wait)).await;
                    }
                    None => break outcome,
                }
            };
            let latency_ms = outcome
                .delivered()
                .then(|| intended.elapsed().as_millis() as u64);
            (this.sink)(DeliveryReport {
                message_id,
                outcome,
                attempts: attempt + 1,
                lag_us,
                latency_ms,
                duplicate,
            });
            this.in_flight.fetch_sub(1, Ordering::Relaxed);
        });
    }

    async fn post(&self, url: &str, headers: &[(String, String)], body: Bytes) -> Attempt {
        let mut request = self
            .client
            .post(url)
            .insert_header(("content-type", "application/json"));
        for (name, value) in headers {
            request = request.insert_header((name.as_str(), value.as_str()));
        }
        let sent = request.send_body(body).await;
        match sent {
            Ok(resp) if resp.status().is_success() => Attempt::Accepted {
                status: resp.status().as_u16(),
            },
            Ok(resp) => Attempt::Refused {
                status: resp.status().as_u16(),
            },
            Err(awc::error::SendRequestError::Timeout) => Attempt::TimedOut,
            Err(_) => Attempt::Unreachable,
        }
    }
}

/// Deliveries so far, for reports and `GET /ccsim/1/stats`.
#[derive(Debug, Clone)]
pub struct DeliveryStats {
    /// Originals and duplicates by final outcome (`delivered`, `timeout`, `unreachable`,
    /// `http_<status>`).
    pub by_outcome: BTreeMap<String, u64>,
    /// Injected duplicates sent.
    pub duplicates: u64,
    /// Redelivery attempts made.
    pub redeliveries: u64,
    /// Scheduling lag of first attempts, µs.
    pub lag_us: Histogram<u64>,
    /// Intended time to 2xx, ms.
    pub latency_ms: Histogram<u64>,
}

impl Default for DeliveryStats {
    fn default() -> Self {
        Self {
            by_outcome: BTreeMap::new(),
            duplicates: 0,
            redeliveries: 0,
            lag_us: Histogram::new_with_bounds(1, 3_600_000_000, 3).expect("valid bounds"),
            latency_ms: Histogram::new_with_bounds(1, 3_600_000, 3).expect("valid bounds"),
        }
    }
}

impl DeliveryStats {
    /// Adds one report.
    pub fn record(&mut self, r: &DeliveryReport) {
        *self.by_outcome.entry(r.outcome.cause()).or_default() += 1;
        self.duplicates += u64::from(r.duplicate);
        self.redeliveries += u64::from(r.attempts - 1);
        self.lag_us.saturating_record(r.lag_us.max(1));
        if let Some(ms) = r.latency_ms {
            self.latency_ms.saturating_record(ms.max(1));
        }
    }

    /// The JSON view.
    pub fn view(&self) -> DeliveryView {
        let q = |h: &Histogram<u64>, p: f64| {
            if h.is_empty() {
                0
            } else {
                h.value_at_quantile(p)
            }
        };
        DeliveryView {
            by_outcome: self.by_outcome.clone(),
            duplicates: self.duplicates,
            redeliveries: self.redeliveries,
            lag_p50_us: q(&self.lag_us, 0.5),
            lag_p99_us: q(&self.lag_us, 0.99),
            latency_p50_ms: q(&self.latency_ms, 0.5),
            latency_p99_ms: q(&self.latency_ms, 0.99),
        }
    }
}

/// Delivery figures as JSON.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DeliveryView {
    /// Deliveries by final outcome.
    pub by_outcome: BTreeMap<String, u64>,
    /// Injected duplicates.
    pub duplicates: u64,
    /// Redelivery attempts.
    pub redeliveries: u64,
    /// Scheduling lag, median, µs.
    pub lag_p50_us: u64,
    /// Scheduling lag, 99th percentile, µs.
    pub lag_p99_us: u64,
    /// Intended time to 2xx, median, ms.
    pub latency_p50_ms: u64,
    /// 99th percentile, ms.
    pub latency_p99_ms: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redeliveries_back_off_doubling_and_stop() {
        let p = WebhookPolicy {
            redeliveries: 3,
            backoff_ms: 100,
            ..WebhookPolicy::default()
        };
        let waits: Vec<_> = (0..5).map(|a| p.retry_after_ms(a)).collect();
        assert_eq!(waits, [Some(100), Some(200), Some(400), None, None]);
        let none = WebhookPolicy {
            redeliveries: 0,
            ..p
        };
        assert_eq!(none.retry_after_ms(0), None);
    }

    #[test]
    fn bot_5_duplicates_are_drawn_per_message_at_the_configured_share() {
        let p = WebhookPolicy {
            duplicate_share: 0.2,
            ..WebhookPolicy::default()
        };
        let ids: Vec<String> = (0..10_000).map(|k| format!("m{k}")).collect();
        let twice = ids.iter().filter(|id| p.duplicated(id)).count();
        assert!((1_800..2_200).contains(&twice), "{twice}");
        assert!(
            ids.iter().all(|id| p.duplicated(id) == p.duplicated(id)),
            "stable"
        );
        let never = WebhookPolicy::default();
        assert!(!ids.iter().any(|id| never.duplicated(id)));
    }
}
