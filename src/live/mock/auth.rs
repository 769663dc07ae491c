//! API keys and scopes (`docs/platform-api.md` §6): `Authorization: App <key>`; a missing
//! or unknown key is 401, a key without any of the endpoint's scopes is 403.

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
pub const ALL_SCOPES: [&str; 3] = ["conversations:manage", "whatsapp:manage", "message:send"];

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
}

impl Need {
    /// The scopes that grant it; any one will do (§6).
    pub fn scopes(self) -> &'static [&'static str] {
        match self {
            Need::Read => &["conversations:manage", "conversations:read"],
            Need::Manage => &["conversations:manage"],
            Need::WhatsAppSend => &["message:send", "whatsapp:message:send", "whatsapp:manage"],
        }
    }
}

/// Checks an `Authorization` header value against the keys.
pub fn authorize(header: Option<&str>, keys: &[ApiKey], need: Need) -> Result<(), MockError> {
    let key = header
        .and_then(|h| h.strip_prefix("App "))
        .map(str::trim)
        .ok_or(MockError::Unauthorized)?;
    let found = keys
        .iter()
        .find(|k| k.key == key)
        .ok_or(MockError::Unauthorized)?;
    if need
        .scopes()
        .iter()
        .any(|s| found.scopes.iter().any(|have| have == s))
    {
        Ok(())
    } else {
        Err(MockError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bot_11_a_key_without_conversations_manage_is_forbidden_and_a_wrong_key_unauthorized() {
        let keys = [
            ApiKey::parse("full").unwrap(),
            ApiKey::parse("reader=conversations:read").unwrap(),
        ];
        assert_eq!(authorize(Some("App full"), &keys, Need::Manage), Ok(()));
        assert_eq!(authorize(Some("App reader"), &keys, Need::Read), Ok(()));
        assert_eq!(
            authorize(Some("App reader"), &keys, Need::Manage),
            Err(MockError::Forbidden)
        );
        assert_eq!(
            authorize(Some("App nobody"), &keys, Need::Read),
            Err(MockError::Unauthorized)
        );
        assert_eq!(
            authorize(Some("Bearer full"), &keys, Need::Read),
            Err(MockError::Unauthorized)
        );
        assert_eq!(
            authorize(None, &keys, Need::Read),
            Err(MockError::Unauthorized)
        );
        assert!(ApiKey::parse("k=").is_err());
        assert!(ApiKey::parse("a b").is_err());
    }
}
