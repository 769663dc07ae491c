//! Infobip's login endpoints (`docs/platform-api.md` §6), so clients set up for IBSSO or OAuth
//! 2.0 run unchanged: `POST /auth/1/session` (`{"username", "password"}` → `{"token"}`, an
//! IBSSO session that ends after an hour unused), `DELETE /auth/1/session` (log out), and
//! `POST /auth/1/oauth2/token` (a form: `client_id` the username, `client_secret` the password,
//! `grant_type=client_credentials` → `{"access_token", "expires_in"}`).

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::auth::TokenKind;
use super::http::{Shared, body, json_content_type, now_ms, parse, resource, respond};
use super::state::MockError;
use crate::model::platform_api::ApiError;

#[derive(Debug, Deserialize)]
struct Login {
    username: Option<String>,
    password: Option<String>,
}

#[derive(Debug, Serialize)]
struct SessionOut {
    token: String,
}

#[derive(Debug, Serialize)]
struct TokenOut {
    access_token: String,
    expires_in: u64,
}

fn blank(fields: &[(&str, &Option<String>)]) -> Result<(), MockError> {
    let errors: std::collections::BTreeMap<String, Vec<String>> = fields
        .iter()
        .filter(|(_, v)| v.as_deref().is_none_or(str::is_empty))
        .map(|(f, _)| (f.to_string(), vec!["must not be blank".to_string()]))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors).into())
    }
}

async fn create_session(
    req: HttpRequest,
    payload: web::Payload,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = async {
        let bytes = body(payload, shared.max_body_bytes).await?;
        json_content_type(&req, &bytes)?;
        let login: Login = parse(&req, &shared, &bytes)?;
        blank(&[("username", &login.username), ("password", &login.password)])?;
        let (token, _) = shared
            .credentials
            .issue(
                TokenKind::Ibsso,
                login.username.as_deref().unwrap_or(""),
                login.password.as_deref().unwrap_or(""),
                now_ms(),
            )
            .ok_or(MockError::Unauthorized)?;
        Ok(SessionOut { token })
    }
    .await;
    respond(&shared, result)
}

async fn destroy_session(req: HttpRequest, shared: web::Data<Shared>) -> HttpResponse {
    let header = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    if shared.credentials.end_session(header) {
        HttpResponse::NoContent().finish()
    } else {
        respond::<()>(&shared, Err(MockError::Unauthorized))
    }
}

async fn oauth_token(
    req: HttpRequest,
    payload: web::Payload,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = async {
        let bytes = body(payload, shared.max_body_bytes).await?;
        let essence = req
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !bytes.iter().all(u8::is_ascii_whitespace)
            && essence != "application/x-www-form-urlencoded"
        {
            return Err(MockError::UnsupportedMediaType(essence));
        }
        // The parameters come in the form body or, as Infobip's Node SDK sends them, in the
        // query string (the server reads both, as request parameters).
        let form: Vec<(String, String)> = form_urlencoded::parse(&bytes)
            .into_owned()
            .chain(form_urlencoded::parse(req.query_string().as_bytes()).into_owned())
            .collect();
        let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let (id, secret, grant) = (
            field("client_id"),
            field("client_secret"),
            field("grant_type"),
        );
        blank(&[
            ("client_id", &id),
            ("client_secret", &secret),
            ("grant_type", &grant),
        ])?;
        if grant.as_deref() != Some("client_credentials") {
            return Err(ApiError::Validation(std::collections::BTreeMap::from([(
                "grant_type".to_string(),
                vec!["must be client_credentials".to_string()],
            )]))
            .into());
        }
        let (access_token, expires_in) = shared
            .credentials
            .issue(
                TokenKind::Bearer,
                id.as_deref().unwrap_or(""),
                secret.as_deref().unwrap_or(""),
                now_ms(),
            )
            .ok_or(MockError::Unauthorized)?;
        Ok(TokenOut {
            access_token,
            expires_in,
        })
    }
    .await;
    respond(&shared, result)
}

/// The login routes.
pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource("/auth/1/session")
            .route(web::post().to(create_session))
            .route(web::delete().to(destroy_session)),
    )
    .service(resource("/auth/1/oauth2/token").route(web::post().to(oauth_token)));
}
