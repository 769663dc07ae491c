//! Contract tests of the webhook sender against a wiremock receiver: what it POSTs, its
//! timeout, redelivery on failure (and none when configured off), injected duplicates, and a
//! receiver that is not there. Every wait is bounded.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::web::Bytes;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use ccsim::live::webhook::{DeliveryReport, WebhookPolicy, WebhookSender};

/// A sender whose reports land in the returned list.
fn sender(policy: WebhookPolicy) -> (WebhookSender, Arc<Mutex<Vec<DeliveryReport>>>) {
    let reports = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&reports);
    let sender = WebhookSender::new(policy, Arc::new(move |r| sink.lock().unwrap().push(r)));
    (sender, reports)
}

/// Waits (at most 10 s) until `n` reports are in.
async fn reports(list: &Arc<Mutex<Vec<DeliveryReport>>>, n: usize) -> Vec<DeliveryReport> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let got = list.lock().unwrap().clone();
        if got.len() >= n || Instant::now() > deadline {
            return got;
        }
        actix_web::rt::time::sleep(Duration::from_millis(5)).await;
    }
}

const BODY: &str = r#"{"id":"m-1","direction":"INBOUND","content":{"text":"hi"}}"#;

fn quick(redeliveries: u32) -> WebhookPolicy {
    WebhookPolicy {
        timeout_ms: 200,
        redeliveries,
        backoff_ms: 10,
        ..WebhookPolicy::default()
    }
}

#[actix_web::test]
async fn a_delivery_posts_the_message_json_once_and_reports_it_delivered() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .and(header("content-type", "application/json"))
        .and(body_json(
            serde_json::from_str::<serde_json::Value>(BODY).unwrap(),
        ))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&receiver)
        .await;
    let (s, list) = sender(quick(2));
    let url = format!("{}/hook", receiver.uri());
    s.deliver(url, Bytes::from(BODY), "m-1".into(), Instant::now());
    let got = reports(&list, 1).await;
    assert_eq!(got.len(), 1);
    assert!(got[0].outcome.delivered());
    assert_eq!((got[0].attempts, got[0].duplicate), (1, false));
    assert!(got[0].latency_ms.is_some());
    receiver.verify().await;
}

#[actix_web::test]
async fn a_failing_receiver_gets_the_same_body_again_up_to_the_redelivery_limit() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(3)
        .mount(&receiver)
        .await;
    let (s, list) = sender(quick(2));
    s.deliver(
        receiver.uri(),
        Bytes::from(BODY),
        "m-1".into(),
        Instant::now(),
    );
    let got = reports(&list, 1).await;
    assert_eq!(got[0].outcome.cause(), "http_500");
    assert_eq!(got[0].attempts, 3);
    receiver.verify().await;
    let requests = receiver.received_requests().await.unwrap();
    assert!(
        requests.iter().all(|r| r.body == BODY.as_bytes()),
        "the same body"
    );
}

#[actix_web::test]
async fn without_redelivery_a_failure_is_final_after_one_attempt() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&receiver)
        .await;
    let (s, list) = sender(quick(0));
    s.deliver(
        receiver.uri(),
        Bytes::from(BODY),
        "m-1".into(),
        Instant::now(),
    );
    let got = reports(&list, 1).await;
    assert_eq!(
        (got[0].outcome.cause().as_str(), got[0].attempts),
        ("http_503", 1)
    );
    receiver.verify().await;
}

#[actix_web::test]
async fn a_slow_receiver_times_out_per_attempt() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(1_000)))
        .mount(&receiver)
        .await;
    let (s, list) = sender(quick(1));
    let started = Instant::now();
    s.deliver(
        receiver.uri(),
        Bytes::from(BODY),
        "m-1".into(),
        Instant::now(),
    );
    let got = reports(&list, 1).await;
    assert_eq!(
        (got[0].outcome.cause().as_str(), got[0].attempts),
        ("timeout", 2)
    );
    assert!(
        started.elapsed() < Duration::from_millis(1_000),
        "two 200 ms timeouts, not 1 s"
    );
}

#[actix_web::test]
async fn a_receiver_that_is_not_there_is_reported_unreachable() {
    // A port that was just free.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (s, list) = sender(quick(1));
    s.deliver(
        format!("http://127.0.0.1:{port}/hook"),
        Bytes::from(BODY),
        "m-1".into(),
        Instant::now(),
    );
    let got = reports(&list, 1).await;
    assert_eq!(
        (got[0].outcome.cause().as_str(), got[0].attempts),
        ("unreachable", 2)
    );
}

#[actix_web::test]
async fn bot_5_injected_duplicates_repeat_the_same_message() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .mount(&receiver)
        .await;
    let (s, list) = sender(WebhookPolicy {
        duplicate_share: 1.0,
        duplicate_delay_ms: 20,
        ..quick(0)
    });
    s.deliver(
        receiver.uri(),
        Bytes::from(BODY),
        "m-1".into(),
        Instant::now(),
    );
    let got = reports(&list, 2).await;
    assert_eq!(got.len(), 2);
    assert_eq!(got.iter().filter(|r| r.duplicate).count(), 1);
    assert!(got.iter().all(|r| r.message_id == "m-1"));
    receiver.verify().await;
}

#[actix_web::test]
async fn deliveries_start_at_their_intended_time_not_before() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&receiver)
        .await;
    let (s, list) = sender(quick(0));
    let intended = Instant::now() + Duration::from_millis(150);
    s.deliver(receiver.uri(), Bytes::from(BODY), "m-1".into(), intended);
    let got = reports(&list, 1).await;
    assert!(Instant::now() >= intended);
    assert!(got[0].outcome.delivered());
    // Measured from the intended time: no credit for starting early, lag counted if late.
    assert!(got[0].lag_us < 50_000, "{} µs late", got[0].lag_us);
}
