//! Reading a conversation's notes back (issue 15, point 1): Get Notes pages and orders them,
//! Get Note finds one, and an unknown note is 404 in Infobip's shape. A sync client failed end to
//! end on the 405 these answered.

use ccsim::live::mock::MockConfig;

use crate::mock_api::{app, call};

const C: &str = "/ccaas/1/conversations";

#[actix_web::test]
async fn notes_written_are_read_back_paged_and_ordered() {
    let (app, _) = app(MockConfig::default()).await;
    let (_, c) = call(&app, "POST", C, Some("{}")).await;
    let id = c["id"].as_str().unwrap().to_string();
    let mut ids = Vec::new();
    for text in ["first", "second", "third"] {
        let body = format!(r#"{{"content":"{text}","agentId":"ann"}}"#);
        let (s, n) = call(&app, "POST", &format!("{C}/{id}/notes"), Some(&body)).await;
        assert_eq!(s, 200, "{n}");
        ids.push(n["id"].as_str().unwrap().to_string());
    }
    let (s, page) = call(&app, "GET", &format!("{C}/{id}/notes?limit=2"), None).await;
    assert_eq!(s, 200, "{page}");
    let contents = |v: &serde_json::Value| -> Vec<String> {
        v["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["content"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(contents(&page), ["first", "second"]);
    assert_eq!(page["pagination"]["totalItems"], 3);
    // Direction in any case, as clients send it (issue 15, point 3).
    let (s, page) = call(
        &app,
        "GET",
        &format!("{C}/{id}/notes?orderBy=createdAt:DESC"),
        None,
    )
    .await;
    assert_eq!(s, 200, "{page}");
    assert_eq!(contents(&page), ["third", "second", "first"]);
    let (s, page) = call(
        &app,
        "GET",
        &format!("{C}/{id}/messages?orderBy=id:ASC"),
        None,
    )
    .await;
    assert_eq!(s, 200, "{page}");
    let (s, bad) = call(
        &app,
        "GET",
        &format!("{C}/{id}/notes?orderBy=colour:asc"),
        None,
    )
    .await;
    assert_eq!(s, 400, "{bad}");
    let (s, note) = call(&app, "GET", &format!("{C}/{id}/notes/{}", ids[1]), None).await;
    assert_eq!(s, 200, "{note}");
    assert_eq!(note["content"], "second");
    assert_eq!(note["conversationId"], id.as_str());
    let (s, missing) = call(&app, "GET", &format!("{C}/{id}/notes/nope"), None).await;
    assert_eq!(s, 404, "{missing}");
    assert_eq!(
        missing["requestError"]["serviceException"]["messageId"],
        "NOT_FOUND"
    );
}
