//! The Subscriptions API's securities (`/subscriptions/1/security`): the credentials Infobip
//! presents to a receiver, kept as their type documents them.

use serde_json::{Value, json};

use super::{Security, SecurityIn, Subscriptions, id_field, invalid, not_found, paged};
use crate::live::mock::state::MockError;

impl Subscriptions {
    /// The credentials of a security, as its type documents them: only those fields, each a
    /// string within its length (OAUTH's `headers` a map of strings). CUSTOM keeps none: its
    /// headers are the profile's.
    pub(super) fn check_security(
        body: &SecurityIn,
        auth_id: String,
    ) -> Result<(String, Security), MockError> {
        let kind = body.kind.clone().unwrap_or_else(|| "BASIC".into());
        let given = body.credentials.clone().unwrap_or(Value::Null);
        let (required, optional): (&[&str], &[&str]) = match kind.as_str() {
            "BASIC" => (&["username", "password"], &[]),
            "HMAC" => (&["secretKey", "algorithm"], &[]),
            "OAUTH" => (
                &["tokenUrl", "grantType"],
                &[
                    "clientId",
                    "clientSecret",
                    "scope",
                    "username",
                    "password",
                    "resource",
                    "refreshToken",
                ],
            ),
            "CUSTOM" => (&[], &[]),
            _ => return Err(invalid("type", "expected BASIC, HMAC, OAUTH or CUSTOM")),
        };
        let mut credentials = serde_json::Map::new();
        for (field, needed) in required
            .iter()
            .map(|f| (f, true))
            .chain(optional.iter().map(|f| (f, false)))
        {
            let at = format!("credentials.{field}");
            match given.get(*field) {
                None | Some(Value::Null) if !needed => {}
                Some(Value::String(v)) if v.chars().count() <= 255 && !(needed && v.is_empty()) => {
                    credentials.insert(field.to_string(), json!(v));
                }
                Some(Value::String(_)) => {
                    return Err(invalid(&at, "size must be between 1 and 255"));
                }
                None | Some(Value::Null) => return Err(invalid(&at, "must not be blank")),
                Some(_) => return Err(invalid(&at, "must be text")),
            }
        }
        if kind == "HMAC" {
            const ALGORITHMS: [&str; 6] = [
                "HMAC_MD5",
                "HMAC_SHA_1",
                "HMAC_SHA_224",
                "HMAC_SHA_256",
                "HMAC_SHA_384",
                "HMAC_SHA_512",
            ];
            if !ALGORITHMS.contains(&credentials["algorithm"].as_str().unwrap_or("")) {
                return Err(invalid(
                    "credentials.algorithm",
                    &format!("expected one of {}", ALGORITHMS.join(", ")),
                ));
            }
        }
        if kind == "OAUTH"
            && let Some(headers) = given.get("headers").filter(|h| !h.is_null())
        {
            let ok = headers
                .as_object()
                .is_some_and(|m| m.values().all(Value::is_string));
            if !ok {
                return Err(invalid("credentials.headers", "must map names to text"));
            }
            credentials.insert("headers".into(), headers.clone());
        }
        Ok((
            auth_id,
            Security {
                kind,
                credentials: Value::Object(credentials),
            },
        ))
    }

    /// `POST /subscriptions/1/security`.
    pub fn create_security(&mut self, body: &SecurityIn) -> Result<Value, MockError> {
        self.room()?;
        let auth_id = id_field(&body.auth_id, "authId")?;
        if self.security.contains_key(&auth_id) {
            return Err(invalid("authId", "a security with this id exists"));
        }
        let (id, sec) = Self::check_security(body, auth_id)?;
        self.security.insert(id.clone(), sec);
        Ok(json!({ "authId": id }))
    }

    /// A security as answered. An OAUTH one leaves out its `password` **(ours)**: a secret the
    /// receiver's side already holds, and with it the answer would match the document's BASIC
    /// credentials as well as its OAUTH ones, which its `oneOf` forbids. CUSTOM has none.
    fn security_out(&self, id: &str) -> Result<Value, MockError> {
        let s = self.security.get(id).ok_or_else(|| not_found(id))?;
        let mut out = json!({ "authId": id, "type": s.kind });
        if s.kind != "CUSTOM" {
            let mut credentials = s.credentials.clone();
            if s.kind == "OAUTH"
                && let Some(m) = credentials.as_object_mut()
            {
                m.remove("password");
            }
            out["credentials"] = credentials;
        }
        Ok(out)
    }

    /// `GET /subscriptions/1/security/{authId}`.
    pub fn security(&self, id: &str) -> Result<Value, MockError> {
        self.security_out(id)
    }

    /// `GET /subscriptions/1/security`.
    pub fn securities(&self, page: usize, size: usize) -> Result<Value, MockError> {
        let all = self
            .security
            .keys()
            .map(|id| self.security_out(id))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(paged(all, page, size))
    }

    /// `PUT /subscriptions/1/security/{authId}`.
    pub fn update_security(&mut self, id: &str, body: &SecurityIn) -> Result<Value, MockError> {
        if !self.security.contains_key(id) {
            return Err(not_found(id));
        }
        let (id, sec) = Self::check_security(body, id.to_string())?;
        self.security.insert(id.clone(), sec);
        Ok(json!({ "authId": id }))
    }

    /// `DELETE /subscriptions/1/security/{authId}`: not while a profile uses it.
    pub fn delete_security(&mut self, id: &str) -> Result<Value, MockError> {
        if !self.security.contains_key(id) {
            return Err(not_found(id));
        }
        if self
            .profiles
            .values()
            .any(|p| p.auth_id.as_deref() == Some(id))
        {
            return Err(invalid("authId", "a profile uses this security"));
        }
        self.security.remove(id);
        Ok(json!({ "authId": id }))
    }
}
