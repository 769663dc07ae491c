//! Credentials and scopes (`docs/platform-api.md` §6): `Authorization: App <key>`, `Basic
//! base64(user:password)`, `IBSSO <token>` (from `POST /auth/1/session`) and `Bearer <token>`
//! (from `POST /auth/1/oauth2/token`); a missing or unknown credential is 401, one without any
//! of the endpoint's scopes is 403.

use super::state::MockError;

/// An API key and the scopes it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// The key.
    pub key: String,
    /// Its scopes, e.g. `conversations:manage`.
    pub scopes: Vec<String>,
}

/// The scopes a key gets when none are named: everything the mock serves.
pub const ALL_SCOPES: [&str; 4] = [
    "conversations:manage",
    "whatsapp:manage",
    "message:send",
    "subscriptions:manage",
];

impl ApiKey {
    /// Parses `KEY` (every scope) or `KEY=scope,scope`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (key, scopes) = match text.split_once('=') {
            Some((k, s)) => (
                k,
                s.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect::<Vec<_>>(),
            ),
            None => (text, ALL_SCOPES.iter().map(|s| s.to_string()).collect()),
        };
        if key.is_empty() || key.chars().any(char::is_whitespace) {
            return Err(format!(
                "'{text}': expected KEY or KEY=scope,scope (no spaces)"
            ));
        }
        if scopes.is_empty() {
            return Err(format!("'{text}': no scopes after '='"));
        }
        Ok(Self {
            key: key.to_string(),
            scopes,
        })
    }
}

/// What an endpoint needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// A ccaas GET: `conversations:manage` or `conversations:read`.
    Read,
    /// A ccaas write: `conversations:manage`.
    Manage,
    /// A WhatsApp send: `message:send`, `whatsapp:message:send` or `whatsapp:manage`.
    WhatsAppSend,
    /// The Subscriptions API: `subscriptions:manage`.
    Subscriptions,
    /// WhatsApp templates, identity, mark-as-read: `whatsapp:manage`.
    WhatsAppManage,
}

impl Need {
    /// The scopes that grant it; any one will do (§6).
    pub fn scopes(self) -> &'static [&'static str] {
        match self {
            Need::Read => &["conversations:manage", "conversations:read"],
            Need::Manage => &["conversations:manage"],
            Need::WhatsAppSend => &["message:send", "whatsapp:message:send", "whatsapp:manage"],
            Need::Subscriptions => &["subscriptions:manage"],
            Need::WhatsAppManage => &["whatsapp:manage"],
        }
    }
}

/// How long an IBSSO session lives without use, ms (Infobip: 60 minutes).
pub const SESSION_IDLE_MS: u64 = 60 * 60 * 1000;
/// How long an OAuth 2.0 access token lives, s **(ours: Infobip's page gives `expires_in`
/// without a value)**.
pub const OAUTH_TOKEN_S: u64 = 7200;

/// The most live tokens held at once.
pub const MAX_TOKENS: usize = 10_000;

/// A token the mock issued: an IBSSO session or an OAuth 2.0 access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// `IBSSO <token>`, from `POST /auth/1/session`; expires after an hour unused.
    Ibsso,
    /// `Bearer <token>`, from `POST /auth/1/oauth2/token`; expires after [`OAUTH_TOKEN_S`].
    Bearer,
}

#[derive(Debug, Clone)]
struct Issued {
    kind: TokenKind,
    scopes: Vec<String>,
    expires_ms: u64,
}

/// Everything the mock accepts in `Authorization` (`docs/platform-api.md` §6): App keys, users
/// (Basic, and the login behind IBSSO and OAuth 2.0), and the tokens issued to them.
#[derive(Debug, Default)]
pub struct Credentials {
    /// `App <key>`.
    pub keys: Vec<ApiKey>,
    /// `username:password` (in [`ApiKey::key`]) with the user's scopes.
    pub users: Vec<ApiKey>,
    tokens: std::sync::Mutex<std::collections::HashMap<String, Issued>>,
}

impl Credentials {
    /// Keys and users, no tokens yet.
    pub fn new(keys: Vec<ApiKey>, users: Vec<ApiKey>) -> Self {
        Self {
            keys,
            users,
            tokens: Default::default(),
        }
    }

    fn user(&self, username: &str, password: &str) -> Option<&ApiKey> {
        self.users.iter().find(|u| {
            u.key
                .split_once(':')
                .is_some_and(|(n, p)| n == username && p == password)
        })
    }

    /// Logs a user in: a new token of `kind` with the user's scopes, and its lifetime in
    /// seconds; `None` for a wrong name or password.
    pub fn issue(
        &self,
        kind: TokenKind,
        username: &str,
        password: &str,
        now_ms: u64,
    ) -> Option<(String, u64)> {
        let scopes = self.user(username, password)?.scopes.clone();
        let life_s = match kind {
            TokenKind::Ibsso => SESSION_IDLE_MS / 1000,
            TokenKind::Bearer => OAUTH_TOKEN_S,
        };
        let token = uuid_v4(rand::random::<u128>());
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        // Expired tokens go when a new one comes, so the map holds only live ones; past
        // MAX_TOKENS live ones (a client logging in without end), the one closest to expiry goes.
        tokens.retain(|_, t| t.expires_ms > now_ms);
        if tokens.len() >= MAX_TOKENS
            && let Some(oldest) = tokens
                .iter()
                .min_by_key(|(_, t)| t.expires_ms)
                .map(|(k, _)| k.clone())
        {
            tokens.remove(&oldest);
        }
        tokens.insert(
            token.clone(),
            Issued {
                kind,
                scopes,
                expires_ms: now_ms.saturating_add(life_s * 1000),
            },
        );
        Some((token, life_s))
    }

    /// Ends the IBSSO session of `header` (`DELETE /auth/1/session`); whether there was one.
    pub fn end_session(&self, header: Option<&str>) -> bool {
        let Some(token) = header.and_then(|h| strip_scheme(h, "IBSSO")) else {
            return false;
        };
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        tokens
            .remove(token)
            .is_some_and(|t| t.kind == TokenKind::Ibsso)
    }

    /// Who an `Authorization` header value is: the scopes it holds, or 401.
    fn scopes_of(&self, header: Option<&str>, now_ms: u64) -> Result<Vec<String>, MockError> {
        let header = header.ok_or(MockError::Unauthorized)?;
        if let Some(key) = strip_scheme(header, "App") {
            return self
                .keys
                .iter()
                .find(|k| k.key == key)
                .map(|k| k.scopes.clone())
                .ok_or(MockError::Unauthorized);
        }
        if let Some(encoded) = strip_scheme(header, "Basic") {
            use base64::Engine;
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or(MockError::Unauthorized)?;
            let (name, password) = decoded.split_once(':').ok_or(MockError::Unauthorized)?;
            return self
                .user(name, password)
                .map(|u| u.scopes.clone())
                .ok_or(MockError::Unauthorized);
        }
        let (kind, token) = if let Some(t) = strip_scheme(header, "IBSSO") {
            (TokenKind::Ibsso, t)
        } else if let Some(t) = strip_scheme(header, "Bearer") {
            (TokenKind::Bearer, t)
        } else {
            return Err(MockError::Unauthorized);
        };
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        let issued = tokens
            .get_mut(token)
            .filter(|t| t.kind == kind && t.expires_ms > now_ms)
            .ok_or(MockError::Unauthorized)?;
        if kind == TokenKind::Ibsso {
            // A session lives an hour from its last use.
            issued.expires_ms = now_ms.saturating_add(SESSION_IDLE_MS);
        }
        Ok(issued.scopes.clone())
    }

    /// Checks an `Authorization` header value for an endpoint that needs `need`: 401 when it
    /// names nobody, 403 when it holds none of the scopes that grant `need`.
    pub fn authorize(
        &self,
        header: Option<&str>,
        need: Need,
        now_ms: u64,
    ) -> Result<(), MockError> {
        let scopes = self.scopes_of(header, now_ms)?;
        if need
            .scopes()
            .iter()
            .any(|s| scopes.iter().any(|have| have == s))
        {
            Ok(())
        } else {
            Err(MockError::Forbidden)
        }
    }

    /// Whether the header names someone (any scope): the check on a path the mock does not
    /// serve, so that a stranger learns nothing of which paths exist (401 before 404).
    pub fn known(&self, header: Option<&str>, now_ms: u64) -> bool {
        self.scopes_of(header, now_ms).is_ok()
    }
}

/// The credential after `scheme ` (the scheme in any case, as HTTP has it).
fn strip_scheme<'a>(header: &'a str, scheme: &str) -> Option<&'a str> {
    let (given, rest) = header.trim().split_once(' ')?;
    given
        .eq_ignore_ascii_case(scheme)
        .then(|| rest.trim())
        .filter(|r| !r.is_empty())
}

/// A random number in UUID v4 form.
fn uuid_v4(n: u128) -> String {
    let n = (n & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
    let h = format!("{n:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(user: &str) -> String {
        use base64::Engine;
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(user)
        )
    }

    #[test]
    fn bot_11_a_key_without_conversations_manage_is_forbidden_and_a_wrong_key_unauthorized() {
        let c = Credentials::new(
            vec![
                ApiKey::parse("full").unwrap(),
                ApiKey::parse("reader=conversations:read").unwrap(),
            ],
            Vec::new(),
        );
        assert_eq!(c.authorize(Some("App full"), Need::Manage, 0), Ok(()));
        assert_eq!(c.authorize(Some("app  full"), Need::Manage, 0), Ok(()));
        assert_eq!(c.authorize(Some("App reader"), Need::Read, 0), Ok(()));
        assert_eq!(
            c.authorize(Some("App reader"), Need::Manage, 0),
            Err(MockError::Forbidden)
        );
        assert_eq!(
            c.authorize(Some("App nobody"), Need::Read, 0),
            Err(MockError::Unauthorized)
        );
        assert_eq!(
            c.authorize(Some("Bearer full"), Need::Read, 0),
            Err(MockError::Unauthorized)
        );
        assert_eq!(
            c.authorize(None, Need::Read, 0),
            Err(MockError::Unauthorized)
        );
        assert!(ApiKey::parse("k=").is_err());
        assert!(ApiKey::parse("a b").is_err());
    }

    #[test]
    fn basic_ibsso_and_bearer_carry_the_users_scopes_and_expire() {
        let c = Credentials::new(
            Vec::new(),
            vec![
                ApiKey::parse("ann:secret").unwrap(),
                ApiKey::parse("rex:pw=conversations:read").unwrap(),
            ],
        );
        assert_eq!(
            c.authorize(Some(&basic("ann:secret")), Need::Manage, 0),
            Ok(())
        );
        assert_eq!(
            c.authorize(Some(&basic("ann:wrong")), Need::Manage, 0),
            Err(MockError::Unauthorized)
        );
        assert_eq!(
            c.authorize(Some(&basic("rex:pw")), Need::Manage, 0),
            Err(MockError::Forbidden)
        );
        assert!(c.issue(TokenKind::Ibsso, "ann", "nope", 0).is_none());
        let (session, _) = c.issue(TokenKind::Ibsso, "ann", "secret", 0).unwrap();
        let ibsso = format!("IBSSO {session}");
        assert_eq!(c.authorize(Some(&ibsso), Need::Manage, 1), Ok(()));
        // Used at 50 minutes, so it lives to 110 minutes.
        assert_eq!(c.authorize(Some(&ibsso), Need::Manage, 50 * 60_000), Ok(()));
        assert_eq!(
            c.authorize(Some(&ibsso), Need::Manage, 100 * 60_000),
            Ok(())
        );
        assert_eq!(
            c.authorize(Some(&format!("Bearer {session}")), Need::Manage, 1),
            Err(MockError::Unauthorized),
            "an IBSSO token is not a Bearer token"
        );
        assert!(c.end_session(Some(&ibsso)));
        assert_eq!(
            c.authorize(Some(&ibsso), Need::Manage, 100 * 60_000),
            Err(MockError::Unauthorized)
        );
        let (token, life_s) = c.issue(TokenKind::Bearer, "rex", "pw", 0).unwrap();
        let bearer = format!("Bearer {token}");
        assert_eq!(c.authorize(Some(&bearer), Need::Read, 1_000), Ok(()));
        assert_eq!(
            c.authorize(Some(&bearer), Need::Manage, 1_000),
            Err(MockError::Forbidden)
        );
        assert_eq!(
            c.authorize(Some(&bearer), Need::Read, life_s * 1000),
            Err(MockError::Unauthorized)
        );
        assert_eq!(uuid_v4(u128::MAX).len(), 36);
        assert_eq!(&uuid_v4(0)[14..15], "4");
    }
}
