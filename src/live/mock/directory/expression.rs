//! The routing rules' `expression` (`PUT /ccaas/1/routing`): a JSON condition in Infobip's
//! form, `{"$or": [{"$eq": {"message.channel": "WHATSAPP"}}, …]}`. The documents show `$and`,
//! `$or`, `$eq`, `$neq` and `$in`; the mock also reads `$not`, `$nin` and `$contains`.
//!
//! Fields the mock knows of a conversation ([`Facts`]): `message.channel`, `message.from`,
//! `message.to`, `message.content` (the text of the last inbound message; also
//! `message.content.text`), `conversation.tags` (also `tags`) and `queue`. Text compares
//! case-insensitively, as routing conditions do (RT-3); a list field (`tags`) `$eq`s a value
//! it holds. A field the mock does not know is missing: `$eq` and `$in` do not hold, `$neq`
//! and `$nin` do (the negation of their twins, as RT-3's decisions have it) **(ours)**.

use serde_json::Value;

/// What an expression can read of a conversation.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The channel, as the API names it (`WHATSAPP`).
    pub channel: Option<String>,
    /// The customer's address.
    pub from: Option<String>,
    /// The business's address.
    pub to: Option<String>,
    /// The text of the last inbound message.
    pub content: Option<String>,
    /// The conversation's tags.
    pub tags: Vec<String>,
    /// Its queue.
    pub queue: Option<String>,
}

enum Field<'a> {
    One(Option<&'a str>),
    Many(&'a [String]),
}

impl Facts {
    fn field(&self, name: &str) -> Option<Field<'_>> {
        Some(match name {
            "message.channel" | "channel" => Field::One(self.channel.as_deref()),
            "message.from" | "from" => Field::One(self.from.as_deref()),
            "message.to" | "to" => Field::One(self.to.as_deref()),
            "message.content" | "message.content.text" | "content" => {
                Field::One(self.content.as_deref())
            }
            "conversation.tags" | "tags" => Field::Many(&self.tags),
            "queue" | "conversation.queue" => Field::One(self.queue.as_deref()),
            _ => return None,
        })
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.to_lowercase()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn equals(field: &Field<'_>, want: &Value) -> bool {
    let Some(want) = text(want) else {
        return false;
    };
    match field {
        Field::One(v) => v.is_some_and(|v| v.to_lowercase() == want),
        Field::Many(vs) => vs.iter().any(|v| v.to_lowercase() == want),
    }
}

/// The one `{field: operand}` pair of a comparison.
fn pair(v: &Value) -> Option<(&str, &Value)> {
    let m = v.as_object()?;
    if m.len() != 1 {
        return None;
    }
    m.iter().next().map(|(k, v)| (k.as_str(), v))
}

/// Whether `expression` holds of `facts` (an expression [`check`] refuses never holds).
pub fn holds(expression: &Value, facts: &Facts) -> bool {
    let Some((op, arg)) = pair(expression) else {
        return false;
    };
    let compare = |f: &dyn Fn(&Field<'_>, &Value) -> bool| -> bool {
        let Some((name, operand)) = pair(arg) else {
            return false;
        };
        let field = facts.field(name).unwrap_or(Field::One(None));
        f(&field, operand)
    };
    match op {
        "$and" => arg
            .as_array()
            .is_some_and(|all| all.iter().all(|e| holds(e, facts))),
        "$or" => arg
            .as_array()
            .is_some_and(|any| any.iter().any(|e| holds(e, facts))),
        "$not" => !holds(arg, facts),
        "$eq" => compare(&equals),
        "$neq" | "$ne" => !compare(&equals),
        "$in" => compare(&|f, v| {
            v.as_array()
                .is_some_and(|vs| vs.iter().any(|w| equals(f, w)))
        }),
        "$nin" => !compare(&|f, v| {
            v.as_array()
                .is_some_and(|vs| vs.iter().any(|w| equals(f, w)))
        }),
        "$contains" => compare(&|f, v| {
            let Some(want) = text(v) else { return false };
            match f {
                Field::One(s) => s.is_some_and(|s| s.to_lowercase().contains(&want)),
                Field::Many(vs) => vs.iter().any(|s| s.to_lowercase() == want),
            }
        }),
        _ => false,
    }
}

/// Whether the mock can evaluate `expression`: one operator per object, `$and`/`$or` over a
/// non-empty list, comparisons over one `{field: value}` (a list for `$in`/`$nin`). The
/// problem, in words, otherwise.
pub fn check(expression: &Value) -> Result<(), String> {
    let Some((op, arg)) = pair(expression) else {
        return Err("expected an object with one operator, e.g. {\"$eq\": {\"message.channel\": \"WHATSAPP\"}}".into());
    };
    match op {
        "$and" | "$or" => match arg.as_array() {
            Some(all) if !all.is_empty() => all.iter().try_for_each(check),
            _ => Err(format!("{op} takes a non-empty list of expressions")),
        },
        "$not" => check(arg),
        "$eq" | "$neq" | "$ne" | "$contains" | "$in" | "$nin" => {
            let Some((_, operand)) = pair(arg) else {
                return Err(format!("{op} takes one {{field: value}}"));
            };
            let list = matches!(op, "$in" | "$nin");
            if list != operand.is_array() {
                return Err(if list {
                    format!("{op} takes a list of values")
                } else {
                    format!("{op} takes one value")
                });
            }
            Ok(())
        }
        other => Err(format!(
            "unknown operator '{other}': expected $and, $or, $not, $eq, $neq, $in, $nin or $contains"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rt_1_expressions_read_the_conversation_case_insensitively() {
        let facts = Facts {
            channel: Some("WHATSAPP".into()),
            content: Some("I want a Refund".into()),
            tags: vec!["vip".into()],
            ..Facts::default()
        };
        let yes = [
            json!({"$eq": {"message.channel": "whatsapp"}}),
            json!({"$or": [{"$eq": {"message.channel": "SMS"}}, {"$eq": {"tags": "VIP"}}]}),
            json!({"$and": [{"$in": {"message.channel": ["SMS", "WHATSAPP"]}}, {"$contains": {"message.content": "refund"}}]}),
            json!({"$neq": {"customer.country": "Croatia"}}),
            json!({"$not": {"$eq": {"message.channel": "SMS"}}}),
        ];
        for e in &yes {
            assert_eq!(check(e), Ok(()), "{e}");
            assert!(holds(e, &facts), "{e}");
        }
        let no = [
            json!({"$eq": {"customer.country": "Croatia"}}),
            json!({"$nin": {"message.channel": ["WHATSAPP"]}}),
            json!({"$and": [{"$eq": {"message.channel": "WHATSAPP"}}, {"$eq": {"tags": "gold"}}]}),
        ];
        for e in &no {
            assert!(!holds(e, &facts), "{e}");
        }
        for bad in [
            json!({}),
            json!({"$or": []}),
            json!({"$in": {"message.channel": "SMS"}}),
            json!({"$regex": {"x": "y"}}),
            json!({"$eq": {"a": 1, "b": 2}}),
        ] {
            assert!(check(&bad).is_err(), "{bad}");
        }
    }
}
