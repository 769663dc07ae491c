//! Infobip's Subscriptions API (`/subscriptions/1/…`, scope `subscriptions:manage`): how new
//! integrations register for webhooks now that the account configuration's single webhook is
//! deprecated (removed on 2026-12-31). Three resources:
//!
//! - **security** (`/subscriptions/1/security`): credentials Infobip presents to the receiver —
//!   BASIC (`username`, `password`), HMAC (`secretKey`, `algorithm`), OAUTH (a token URL…) or
//!   CUSTOM (headers on the profile);
//! - **profiles** (`/subscriptions/1/profiles`): a webhook (`notifyUrl`, ≤ 512, http or https)
//!   with a security and custom `headers`;
//! - **subscriptions** (`/subscriptions/1/subscription/{channel}`): which events of a channel
//!   go to which profile; a subscription may carry a whole new profile (and security) inline.
//!
//! What the mock delivers: the CUSTOMER_ENGAGEMENT (Conversations) events it produces —
//! CONVERSATION_MESSAGE_RECEIVED (a customer's message; the body's `type` is
//! INBOUND_MESSAGE), CONVERSATION_CREATED, CONVERSATION_STATUS_UPDATED and
//! CONVERSATION_ASSIGNMENT_UPDATED — to every subscription that names them, as Infobip's
//! conversation event webhook shapes them (`docs/platform-api.md` §3b). A BASIC security adds
//! `Authorization: Basic …`; the profile's `headers` are added as given. HMAC and OAUTH are
//! kept and shown but not applied: Infobip does not publish the signature's header and
//! input, nor the token exchange it runs **(ours)**. Subscriptions of other channels are kept
//! and listed; the mock sends no events of theirs. Certificates (mutual TLS) are not served.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Value, json};

use super::state::{MockError, invalid};

mod security;
use crate::model::platform_api::ApiError;

/// The channels a subscription may be for.
pub const CHANNELS: [&str; 22] = [
    "AGENT_OS",
    "APPLE_MESSAGES_FOR_BUSINESS",
    "BLOCKLIST",
    "CUSTOMER_ENGAGEMENT",
    "EMAIL",
    "FACEBOOK",
    "KAKAO_ALIM",
    "KAKAO_BRAND_MESSAGE",
    "LINE",
    "MMS",
    "MOBILE_IDENTITY",
    "MOBILE_PUSH",
    "NUMBER_LOOKUP",
    "OPEN_CHANNEL",
    "RCS",
    "REGISTRATION",
    "SMS",
    "VIBER",
    "VOICE_VIDEO",
    "WEB_PUSH",
    "WHATSAPP",
    "ZALO",
];

/// The Conversations events a CUSTOMER_ENGAGEMENT subscription may name.
pub const CONVERSATION_EVENTS: [&str; 6] = [
    "CONVERSATION_ASSIGNMENT_UPDATED",
    "CONVERSATION_CREATED",
    "CONVERSATION_MESSAGE_DELETED",
    "CONVERSATION_MESSAGE_RECEIVED",
    "CONVERSATION_MESSAGE_UPDATED",
    "CONVERSATION_STATUS_UPDATED",
];

fn not_found(id: &str) -> MockError {
    MockError::Api(ApiError::NotFound(id.to_string()))
}

/// An id field: 1 to 255 characters.
fn id_field(v: &Option<String>, field: &str) -> Result<String, MockError> {
    match v.as_deref() {
        Some(s) if !s.trim().is_empty() && s.chars().count() <= 255 => Ok(s.to_string()),
        Some(_) => Err(invalid(field, "size must be between 1 and 255")),
        None => Err(invalid(field, "must not be null")),
    }
}

/// A security as sent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityIn {
    auth_id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    credentials: Option<Value>,
}

/// A profile as sent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileIn {
    profile_id: Option<String>,
    webhook: Option<WebhookIn>,
    security: Option<SecurityIn>,
    headers: Option<BTreeMap<String, String>>,
    #[serde(flatten)]
    rest: BTreeMap<String, Value>,
}

/// A profile's webhook.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookIn {
    notify_url: Option<String>,
    content_type: Option<String>,
}

/// A subscription as sent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionIn {
    subscription_id: Option<String>,
    name: Option<String>,
    events: Option<Vec<Value>>,
    criteria: Option<Vec<Value>>,
    resources: Option<Vec<String>>,
    users: Option<Vec<String>>,
    profile: Option<ProfileIn>,
}

#[derive(Debug, Clone)]
struct Security {
    kind: String,
    credentials: Value,
}

#[derive(Debug, Clone)]
struct Profile {
    notify_url: String,
    content_type: Option<String>,
    auth_id: Option<String>,
    headers: BTreeMap<String, String>,
    rest: BTreeMap<String, Value>,
}

#[derive(Debug, Clone)]
struct Subscription {
    name: Option<String>,
    events: Vec<Value>,
    criteria: Vec<Value>,
    resources: Vec<String>,
    users: Vec<String>,
    profile_id: String,
}

/// Where an event goes: the URL and the headers to send with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The profile's `notifyUrl`.
    pub url: String,
    /// Credentials and custom headers.
    pub headers: Vec<(String, String)>,
}

/// The account's subscriptions, profiles and securities.
#[derive(Debug, Default)]
pub struct Subscriptions {
    security: BTreeMap<String, Security>,
    profiles: BTreeMap<String, Profile>,
    /// By (channel, id).
    subscriptions: BTreeMap<(String, String), Subscription>,
}

/// `{"results": […], "paging": {page, size, totalPages, totalResults}}` of a list.
fn paged(all: Vec<Value>, page: usize, size: usize) -> Value {
    let total = all.len();
    let results: Vec<Value> = all
        .into_iter()
        .skip(page.saturating_mul(size))
        .take(size)
        .collect();
    json!({
        "results": results,
        "paging": {
            "page": page,
            "size": size,
            "totalPages": total.div_ceil(size.max(1)),
            "totalResults": total,
        },
    })
}

/// `page` (from 0) and `size` (1–100, default 20) of a Subscriptions API list.
pub fn paging(q: &crate::live::mock::queries::Query) -> Result<(usize, usize), MockError> {
    let page = q.int("page")?.unwrap_or(0);
    let size = q.int("size")?.unwrap_or(20);
    if page < 0 {
        return Err(invalid("page", "must be greater than or equal to 0"));
    }
    if !(1..=100).contains(&size) {
        return Err(invalid("size", "must be between 1 and 100"));
    }
    Ok((page as usize, size as usize))
}

/// The most securities, profiles and subscriptions held, in all.
pub const MAX_HELD: usize = 3_000;

impl Subscriptions {
    /// 429 when the account holds [`MAX_HELD`] securities, profiles and subscriptions in all
    /// (a client that creates without end is refused, as the store's caps refuse).
    pub(super) fn room(&self) -> Result<(), MockError> {
        let held = self.security.len() + self.profiles.len() + self.subscriptions.len();
        if held >= MAX_HELD {
            Err(MockError::SetUpFull(MAX_HELD))
        } else {
            Ok(())
        }
    }

    /// Whether anyone listens to `event` of the Conversations channel.
    pub fn listens(&self, event: &str) -> bool {
        self.subscriptions.iter().any(|((channel, _), s)| {
            channel == "CUSTOMER_ENGAGEMENT" && s.events.iter().any(|e| event_name(e) == event)
        })
    }

    /// Where `event` of the Conversations channel goes.
    pub fn targets(&self, event: &str) -> Vec<Target> {
        self.subscriptions
            .iter()
            .filter(|((channel, _), s)| {
                channel == "CUSTOMER_ENGAGEMENT" && s.events.iter().any(|e| event_name(e) == event)
            })
            .filter_map(|(_, s)| self.profiles.get(&s.profile_id))
            .map(|p| {
                let mut headers: Vec<(String, String)> = p
                    .headers
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                if let Some(sec) = p.auth_id.as_ref().and_then(|a| self.security.get(a))
                    && sec.kind == "BASIC"
                {
                    use base64::Engine;
                    let user = sec.credentials["username"].as_str().unwrap_or("");
                    let pass = sec.credentials["password"].as_str().unwrap_or("");
                    let encoded =
                        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
                    headers.push(("Authorization".into(), format!("Basic {encoded}")));
                }
                Target {
                    url: p.notify_url.clone(),
                    headers,
                }
            })
            .collect()
    }

    /// A profile from its definition.
    fn profile_from(&mut self, body: &ProfileIn) -> Result<Profile, MockError> {
        let webhook = body
            .webhook
            .as_ref()
            .ok_or_else(|| invalid("webhook", "must not be null"))?;
        let url = webhook.notify_url.clone().unwrap_or_default();
        let ok = url.chars().count() <= 512
            && url::Url::parse(&url).is_ok_and(|u| {
                matches!(u.scheme(), "http" | "https")
                    && u.host_str().is_some_and(|h| !h.is_empty())
            });
        if !ok {
            return Err(invalid(
                "webhook.notifyUrl",
                "must be a valid http or https URL of at most 512 characters",
            ));
        }
        let auth_id = match &body.security {
            None => None,
            Some(sec) => {
                let auth = id_field(&sec.auth_id, "security.authId")?;
                if sec.kind.is_some() || sec.credentials.is_some() {
                    // A whole definition: a new security (or a replaced one).
                    let (auth, s) = Self::check_security(sec, auth)?;
                    self.security.insert(auth.clone(), s);
                    Some(auth)
                } else if self.security.contains_key(&auth) {
                    Some(auth)
                } else {
                    return Err(not_found(&auth));
                }
            }
        };
        Ok(Profile {
            notify_url: url,
            content_type: webhook.content_type.clone(),
            auth_id,
            headers: body.headers.clone().unwrap_or_default(),
            rest: body
                .rest
                .iter()
                .filter(|(k, _)| {
                    [
                        "clientCertificateId",
                        "maxBucketSize",
                        "windowSize",
                        "connectTimeout",
                        "readTimeout",
                        "enabledSSLProtocols",
                        "responseRegex",
                        "responseBodyRegex",
                        "rateLimit",
                    ]
                    .contains(&k.as_str())
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        })
    }

    fn profile_ref(&self, id: &str) -> Value {
        let auth = self.profiles.get(id).and_then(|p| p.auth_id.clone());
        match auth {
            Some(a) => json!({ "profileId": id, "security": { "authId": a } }),
            None => json!({ "profileId": id }),
        }
    }

    /// `POST /subscriptions/1/profiles`.
    pub fn create_profile(&mut self, body: &ProfileIn) -> Result<Value, MockError> {
        self.room()?;
        let id = id_field(&body.profile_id, "profileId")?;
        if self.profiles.contains_key(&id) {
            return Err(invalid("profileId", "a profile with this id exists"));
        }
        let p = self.profile_from(body)?;
        self.profiles.insert(id.clone(), p);
        Ok(self.profile_ref(&id))
    }

    fn profile_out(&self, id: &str) -> Result<Value, MockError> {
        let p = self.profiles.get(id).ok_or_else(|| not_found(id))?;
        let mut out = json!({
            "profileId": id,
            "webhook": { "notifyUrl": p.notify_url },
            "headers": p.headers,
        });
        if let Some(ct) = &p.content_type {
            out["webhook"]["contentType"] = json!(ct);
        }
        if let Some(a) = &p.auth_id {
            out["security"] = json!({ "authId": a });
        }
        for (k, v) in &p.rest {
            out[k] = v.clone();
        }
        Ok(out)
    }

    /// `GET /subscriptions/1/profiles/{profileId}`.
    pub fn profile(&self, id: &str) -> Result<Value, MockError> {
        self.profile_out(id)
    }

    /// `GET /subscriptions/1/profiles`.
    pub fn profiles(&self, page: usize, size: usize) -> Result<Value, MockError> {
        let all = self
            .profiles
            .keys()
            .map(|id| self.profile_out(id))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(paged(all, page, size))
    }

    /// `PUT /subscriptions/1/profiles/{profileId}`.
    pub fn update_profile(&mut self, id: &str, body: &ProfileIn) -> Result<Value, MockError> {
        if !self.profiles.contains_key(id) {
            return Err(not_found(id));
        }
        let p = self.profile_from(body)?;
        self.profiles.insert(id.to_string(), p);
        Ok(self.profile_ref(id))
    }

    /// `DELETE /subscriptions/1/profiles/{profileId}`: not while a subscription uses it.
    pub fn delete_profile(&mut self, id: &str) -> Result<Value, MockError> {
        if !self.profiles.contains_key(id) {
            return Err(not_found(id));
        }
        if self.subscriptions.values().any(|s| s.profile_id == id) {
            return Err(invalid("profileId", "a subscription uses this profile"));
        }
        let out = self.profile_ref(id);
        self.profiles.remove(id);
        Ok(out)
    }

    fn check_channel(channel: &str) -> Result<(), MockError> {
        if CHANNELS.contains(&channel) {
            Ok(())
        } else {
            Err(invalid(
                "channel",
                &format!("expected one of {}", CHANNELS.join(", ")),
            ))
        }
    }

    /// A subscription from its definition; a profile defined inline is created (or replaced).
    fn subscription_from(
        &mut self,
        channel: &str,
        body: &SubscriptionIn,
    ) -> Result<Subscription, MockError> {
        let events = body.events.clone().unwrap_or_default();
        if events.is_empty() {
            return Err(invalid("events", "must not be empty"));
        }
        if channel == "CUSTOMER_ENGAGEMENT" {
            for (i, e) in events.iter().enumerate() {
                if !CONVERSATION_EVENTS.contains(&event_name(e)) {
                    return Err(invalid(
                        &format!("events[{i}]"),
                        &format!("expected one of {}", CONVERSATION_EVENTS.join(", ")),
                    ));
                }
            }
        }
        let profile = body
            .profile
            .as_ref()
            .ok_or_else(|| invalid("profile", "must not be null"))?;
        let profile_id = id_field(&profile.profile_id, "profile.profileId")?;
        if profile.webhook.is_some() {
            let p = self.profile_from(profile)?;
            self.profiles.insert(profile_id.clone(), p);
        } else if !self.profiles.contains_key(&profile_id) {
            return Err(not_found(&profile_id));
        }
        Ok(Subscription {
            name: body.name.clone(),
            events,
            criteria: body.criteria.clone().unwrap_or_default(),
            resources: body.resources.clone().unwrap_or_default(),
            users: body.users.clone().unwrap_or_default(),
            profile_id,
        })
    }

    /// `POST /subscriptions/1/subscription/{channel}`.
    pub fn create_subscription(
        &mut self,
        channel: &str,
        body: &SubscriptionIn,
    ) -> Result<Value, MockError> {
        Self::check_channel(channel)?;
        self.room()?;
        let id = id_field(&body.subscription_id, "subscriptionId")?;
        let key = (channel.to_string(), id.clone());
        if self.subscriptions.contains_key(&key) {
            return Err(invalid(
                "subscriptionId",
                "a subscription with this id exists",
            ));
        }
        let s = self.subscription_from(channel, body)?;
        let profile = self.profile_ref(&s.profile_id);
        self.subscriptions.insert(key, s);
        Ok(json!({ "subscriptionId": id, "profile": profile }))
    }

    fn subscription_out(&self, channel: &str, id: &str) -> Result<Value, MockError> {
        let s = self
            .subscriptions
            .get(&(channel.to_string(), id.to_string()))
            .ok_or_else(|| not_found(id))?;
        let mut out = json!({
            "subscriptionId": id,
            "profile": self.profile_ref(&s.profile_id),
            "events": s.events,
            "criteria": s.criteria,
            "resources": s.resources,
            "users": s.users,
        });
        if let Some(n) = &s.name {
            out["name"] = json!(n);
        }
        Ok(out)
    }

    /// `GET /subscriptions/1/subscription/{channel}/{subscriptionId}`.
    pub fn subscription(&self, channel: &str, id: &str) -> Result<Value, MockError> {
        Self::check_channel(channel)?;
        self.subscription_out(channel, id)
    }

    /// `GET /subscriptions/1/subscription/{channel}` (filters `resource`, `user`).
    pub fn list(
        &self,
        channel: &str,
        q: &crate::live::mock::queries::Query,
    ) -> Result<Value, MockError> {
        Self::check_channel(channel)?;
        let (page, size) = paging(q)?;
        let resource = q.text("resource");
        let user = q.text("user");
        let all = self
            .subscriptions
            .iter()
            .filter(|((c, _), _)| c == channel)
            .filter(|(_, s)| resource.as_ref().is_none_or(|r| s.resources.contains(r)))
            .filter(|(_, s)| user.as_ref().is_none_or(|u| s.users.contains(u)))
            .map(|((c, id), _)| self.subscription_out(c, id))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(paged(all, page, size))
    }

    /// `PUT /subscriptions/1/subscription/{channel}/{subscriptionId}`.
    pub fn update_subscription(
        &mut self,
        channel: &str,
        id: &str,
        body: &SubscriptionIn,
    ) -> Result<Value, MockError> {
        Self::check_channel(channel)?;
        let key = (channel.to_string(), id.to_string());
        if !self.subscriptions.contains_key(&key) {
            return Err(not_found(id));
        }
        let s = self.subscription_from(channel, body)?;
        let profile = self.profile_ref(&s.profile_id);
        self.subscriptions.insert(key, s);
        Ok(json!({ "subscriptionId": id, "profile": profile }))
    }

    /// `DELETE /subscriptions/1/subscription/{channel}/{subscriptionId}`.
    pub fn delete_subscription(&mut self, channel: &str, id: &str) -> Result<Value, MockError> {
        Self::check_channel(channel)?;
        let s = self
            .subscriptions
            .remove(&(channel.to_string(), id.to_string()))
            .ok_or_else(|| not_found(id))?;
        Ok(json!({ "subscriptionId": id, "profile": self.profile_ref(&s.profile_id) }))
    }
}

/// An event's name: a string, or `{"event": …, "format": …}`.
fn event_name(e: &Value) -> &str {
    e.as_str()
        .or_else(|| e.get("event").and_then(Value::as_str))
        .unwrap_or("")
}
