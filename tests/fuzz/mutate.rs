//! Mutations of corpus files: one to eight edits drawn from a seeded stream.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// Tokens that parsers find hard: numbers past every integer type and float edge, empty and
/// unbalanced structure, quotes, control bytes, invalid UTF-8, long runs.
const TOKENS: &[&[u8]] = &[
    b"0",
    b"-1",
    b"1e308",
    b"-1e308",
    b"1e12",
    b"18446744073709551616",
    b"9223372036854775807",
    b"-9223372036854775808",
    b"4611686018427387904",
    b"nan",
    b"inf",
    b"-0.0",
    b"0.000000001",
    b"\"\"",
    b"\"",
    b"[",
    b"]",
    b"{",
    b"}",
    b"[[",
    b"]]",
    b"=",
    b",",
    b";",
    b":",
    b"\n",
    b"\r\n",
    b"\0",
    b"\xff\xfe",
    b"\xc3\x28",
    b"\xe2\x82",
    b"\\u0000",
    b"\\",
    b"'",
    b"#",
    b"..",
    b"../",
    b"/etc/passwd",
    b"/dev/zero",
    b"true",
    b"null",
    b"24:00",
    b"25:61",
    b"2026-02-30T25:00",
    b"\n[[agents]]\ngroup = \"g\"\ncount = 1\n",
    b"\n[[queues]]\nname = \"q\"\n",
    b"\n[bot]\n",
    b"\n[[rule]]\nmetric = \"service_level\"\nmax_worsening = 1\n",
    b"&page=4611686018427387904&limit=4",
    b"&limit=-1",
    b"&limit=abc",
    b"%00",
    b"%ff",
];

/// A mutation of one of `corpus`'s files.
pub fn mutate(rng: &mut ChaCha8Rng, corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut data = corpus[rng.random_range(0..corpus.len())].clone();
    let edits = rng.random_range(1..=8);
    for _ in 0..edits {
        edit(rng, corpus, &mut data);
    }
    data
}

fn edit(rng: &mut ChaCha8Rng, corpus: &[Vec<u8>], data: &mut Vec<u8>) {
    let at = |rng: &mut ChaCha8Rng, data: &Vec<u8>| rng.random_range(0..=data.len());
    match rng.random_range(0..8) {
        // Flip a byte.
        0 if !data.is_empty() => {
            let i = rng.random_range(0..data.len());
            data[i] ^= 1 << rng.random_range(0..8);
        }
        // A random byte in.
        1 => {
            let i = at(rng, data);
            data.insert(i, rng.random());
        }
        // A range out.
        2 if !data.is_empty() => {
            let i = rng.random_range(0..data.len());
            let n = rng.random_range(1..=(data.len() - i).min(64));
            data.drain(i..i + n);
        }
        // A range twice (repeated tables, long values).
        3 if !data.is_empty() => {
            let i = rng.random_range(0..data.len());
            let n = rng.random_range(1..=(data.len() - i).min(256));
            let copy: Vec<u8> = data[i..i + n].to_vec();
            let j = at(rng, data);
            data.splice(j..j, copy);
        }
        // A piece of another file.
        4 => {
            let other = &corpus[rng.random_range(0..corpus.len())];
            if !other.is_empty() {
                let i = rng.random_range(0..other.len());
                let n = rng.random_range(1..=(other.len() - i).min(512));
                let j = at(rng, data);
                data.splice(j..j, other[i..i + n].iter().copied());
            }
        }
        // A number replaced by a hard one.
        5 => {
            let digits: Vec<usize> = (0..data.len())
                .filter(|&i| data[i].is_ascii_digit() && (i == 0 || !data[i - 1].is_ascii_digit()))
                .collect();
            if let Some(&i) = digits.get(rng.random_range(0..digits.len().max(1))) {
                let end = (i..data.len())
                    .find(|&k| !(data[k].is_ascii_digit() || data[k] == b'.'))
                    .unwrap_or(data.len());
                let token = TOKENS[rng.random_range(0..TOKENS.len())];
                data.splice(i..end, token.iter().copied());
            }
        }
        // A hard token anywhere.
        _ => {
            let token = TOKENS[rng.random_range(0..TOKENS.len())];
            let j = at(rng, data);
            data.splice(j..j, token.iter().copied());
        }
    }
    // Inputs stay small: a parser's cost, not the fuzzer's, is under test.
    data.truncate(1 << 20);
}
