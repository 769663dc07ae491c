//! The mock under a large or hostile store (issue 14, point 6): paging with arithmetic that
//! cannot wrap, listing served from the index as the store changes, and caps on what it holds
//! (the oldest closed conversations evicted first, then 429 in Infobip's error shape).

use ccsim::live::mock::MockConfig;
use ccsim::live::mock::state::StoreCaps;

use crate::mock_api::{app, call};

const C: &str = "/ccaas/1/conversations";

#[actix_web::test]
async fn a_page_past_what_a_machine_counts_is_empty_never_page_0() {
    let (app, _) = app(MockConfig::default()).await;
    for _ in 0..5 {
        let (status, _) = call(&app, "POST", C, Some("{}")).await;
        assert_eq!(status, 200);
    }
    // 4611686018427387904 × 4 wraps to 0 in 64 bits: it answered page 0. The documents give
    // `page` as an int64, so it is taken, and is past the end: an empty page.
    let (status, page) = call(
        &app,
        "GET",
        &format!("{C}?page=4611686018427387904&limit=4"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["conversations"].as_array().unwrap().len(), 0, "{page}");
    assert_eq!(page["pagination"]["totalItems"], 5, "{page}");
    let (status, page) = call(&app, "GET", &format!("{C}?page=1&limit=4"), None).await;
    assert_eq!(status, 200);
    assert_eq!(page["conversations"].as_array().unwrap().len(), 1, "{page}");
}

#[actix_web::test]
async fn listing_follows_every_write_through_the_index() {
    let (app, _) = app(MockConfig::default()).await;
    let mut ids = Vec::new();
    for _ in 0..6 {
        let (_, c) = call(&app, "POST", C, Some("{}")).await;
        ids.push(c["id"].as_str().unwrap().to_string());
    }
    let (status, _) = call(&app, "POST", "/ccaas/1/tags", Some(r#"{"name":"vip"}"#)).await;
    assert_eq!(status, 200);
    for id in &ids[..3] {
        let (s, _) = call(
            &app,
            "PUT",
            &format!("{C}/{id}/assignee"),
            Some(r#"{"agentId":"ann"}"#),
        )
        .await;
        assert_eq!(s, 200);
    }
    for id in &ids[1..4] {
        let (s, b) = call(
            &app,
            "POST",
            &format!("{C}/{id}/tags"),
            Some(r#"{"tagName":"vip"}"#),
        )
        .await;
        assert_eq!(s, 200, "{b}");
    }
    let total = |v: &serde_json::Value| v["pagination"]["totalItems"].as_u64().unwrap();
    let (_, both) = call(&app, "GET", &format!("{C}?agentId=ann&tagNames=vip"), None).await;
    assert_eq!(total(&both), 2, "{both}");
    let listed: Vec<&str> = both["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [ids[1].as_str(), ids[2].as_str()]);
    // Close one, unassign another, delete the tag: the listing follows.
    let (s, _) = call(
        &app,
        "PATCH",
        &format!("{C}/{}", ids[1]),
        Some(r#"{"status":"CLOSED"}"#),
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = call(&app, "DELETE", &format!("{C}/{}/assignee", ids[0]), None).await;
    assert!(s == 200 || s == 204, "{s}");
    let (_, ann) = call(&app, "GET", &format!("{C}?agentId=ann"), None).await;
    assert_eq!(total(&ann), 2, "{ann}");
    let (_, closed) = call(&app, "GET", &format!("{C}?status=CLOSED&agentId=ann"), None).await;
    assert_eq!(total(&closed), 1, "{closed}");
    let (s, _) = call(&app, "DELETE", "/ccaas/1/tags/vip", None).await;
    assert!(s == 200 || s == 204, "{s}");
    let (_, vip) = call(&app, "GET", &format!("{C}?tagNames=vip"), None).await;
    assert_eq!(total(&vip), 0, "{vip}");
}

#[actix_web::test]
async fn the_store_is_capped_evicting_the_oldest_closed_then_answering_429() {
    let config = MockConfig {
        caps: StoreCaps {
            conversations: 3,
            messages: 100,
        },
        ..MockConfig::default()
    };
    let (app, data) = app(config).await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let (s, c) = call(&app, "POST", C, Some("{}")).await;
        assert_eq!(s, 200);
        ids.push(c["id"].as_str().unwrap().to_string());
    }
    // Full, all open: refused, in Infobip's error shape.
    let (s, e) = call(&app, "POST", C, Some("{}")).await;
    assert_eq!(s, 429, "{e}");
    assert_eq!(
        e["requestError"]["serviceException"]["messageId"], "TOO_MANY_REQUESTS",
        "{e}"
    );
    assert!(
        e["requestError"]["serviceException"]["text"]
            .as_str()
            .unwrap()
            .contains("--max-stored-conversations")
    );
    // Close the oldest: the next create evicts it.
    let (s, _) = call(
        &app,
        "PATCH",
        &format!("{C}/{}", ids[0]),
        Some(r#"{"status":"CLOSED"}"#),
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = call(&app, "POST", C, Some("{}")).await;
    assert_eq!(s, 200);
    let (s, _) = call(&app, "GET", &format!("{C}/{}", ids[0]), None).await;
    assert_eq!(s, 404, "the evicted conversation reads as unknown");
    assert_eq!(data.platform().held(), 3);
}
