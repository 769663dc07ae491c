//! Messages from the deserializers in the user's words: serde and the TOML and JSON parsers
//! speak of Rust types (`expected u64`, `integer 1e20 as i128`, `expected struct LimitFile`);
//! a planner reading an error should see "a whole number ≥ 0", "a table", "a list".

use super::input_file::excerpt;

/// `message` (a deserializer's) with every Rust type named as people name it.
pub fn in_user_words(message: &str) -> String {
    let stripped = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "));
    if let Some(rest) = stripped
        && let Some((got, expected)) = rest.rsplit_once(", expected ")
    {
        return format!("{}: expected {}", found(got), wanted(expected));
    }
    if let Some(expected) = message.strip_prefix("expected ") {
        return format!("expected {}", wanted(expected));
    }
    if let Some(rest) = message.strip_prefix("invalid length ")
        && let Some((n, expected)) = rest.split_once(", expected ")
    {
        if expected.starts_with("struct ") {
            return format!("a list of {n} items: expected a table");
        }
        return format!("a list of {n} items: expected {}", wanted(expected));
    }
    if message.starts_with("data did not match any variant of untagged enum") {
        return "not a form this field takes (see ccsim schema)".into();
    }
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((typo, choices)) = rest.split_once("`, expected one of ")
    {
        let names: Vec<&str> = choices.split(", ").map(|c| c.trim_matches('`')).collect();
        if let Some(near) = nearest(typo, &names) {
            return format!(
                "unknown field `{}` (did you mean `{near}`?), expected one of {choices}",
                excerpt(typo)
            );
        }
    }
    message.to_string()
}

/// The name among `names` within two edits of `typo`, the closest first.
fn nearest<'n>(typo: &str, names: &[&'n str]) -> Option<&'n str> {
    names
        .iter()
        .map(|n| (edits(typo, n), *n))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// Levenshtein distance, with a swap of neighbours counted as one edit.
fn edits(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 2 || a.len() > 64 {
        return usize::MAX;
    }
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// What was found, as the file says it.
fn found(got: &str) -> String {
    let quoted = |s: &str| {
        s.split_once('`')
            .and_then(|(_, rest)| rest.rsplit_once('`'))
            .map(|(inner, _)| excerpt(inner))
    };
    if got.starts_with("integer") && got.ends_with("as i128") {
        return format!(
            "{} is too large a whole number to read (at most 9223372036854775807)",
            quoted(got).unwrap_or_default()
        );
    }
    if (got.starts_with("integer") || got.starts_with("floating point"))
        && let Some(n) = quoted(got)
    {
        return format!("{n} (a number)");
    }
    if let Some(s) = got.strip_prefix("string ") {
        return format!("{} (text)", excerpt(s));
    }
    if got.starts_with("boolean") {
        return format!("{} (true or false)", quoted(got).unwrap_or_default());
    }
    match got {
        "sequence" => "a list".into(),
        "map" => "a table".into(),
        "unit value" | "null" => "nothing".into(),
        other => excerpt(other),
    }
}

/// What was expected, in words.
fn wanted(expected: &str) -> String {
    let e = expected.trim();
    match e {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => return "a whole number ≥ 0".into(),
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => return "a whole number".into(),
        "f32" | "f64" => return "a number".into(),
        "a string" | "a borrowed string" | "string" | "char" | "a character" => {
            return "text in quotes".into();
        }
        "a boolean" | "bool" => return "true or false".into(),
        "a sequence" | "sequence" => return "a list [ … ]".into(),
        "a map" | "map" => return "a table".into(),
        "any value" | "any valid TOML value" | "any valid JSON value" => {
            return "a value".into();
        }
        _ => {}
    }
    if let Some(name) = e.strip_prefix("struct ") {
        let name = name.split(" with ").next().unwrap_or(name);
        return format!("a table ({})", words_of(name));
    }
    if e.starts_with("enum ") || e.contains(" enum ") {
        return "one of the forms this field takes (see ccsim schema)".into();
    }
    if e.starts_with("unit") || e == "nothing" {
        return "nothing".into();
    }
    // "a list of 2 items", "one of `a`, `b`", a field's own words: already people's.
    e.to_string()
}

/// `LimitFile` → "limit file": a type's name as words.
fn words_of(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out.trim_end_matches(" file").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_types_become_words() {
        assert_eq!(
            in_user_words("invalid type: floating point `1.5`, expected u64"),
            "1.5 (a number): expected a whole number ≥ 0"
        );
        assert_eq!(
            in_user_words("invalid value: integer `-1`, expected u32"),
            "-1 (a number): expected a whole number ≥ 0"
        );
        assert_eq!(
            in_user_words(
                "invalid type: integer `3461168601842738790400` as i128, expected any value"
            ),
            "3461168601842738790400 is too large a whole number to read (at most \
             9223372036854775807): expected a value"
        );
        assert_eq!(
            in_user_words("invalid type: string \"x\", expected f64"),
            "\"x\" (text): expected a number"
        );
        assert_eq!(
            in_user_words("invalid type: sequence, expected struct LimitFile"),
            "a list: expected a table (limit)"
        );
        assert_eq!(
            in_user_words("missing field `name`"),
            "missing field `name`"
        );
        assert_eq!(
            in_user_words("unknown field `replicatoins`, expected one of `seed`, `replications`"),
            "unknown field `replicatoins` (did you mean `replications`?), expected one of \
             `seed`, `replications`"
        );
    }
}
