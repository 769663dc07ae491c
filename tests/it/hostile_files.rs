//! Files named by inputs, treated as hostile (issue 14, point 1): a scenario or plan from a
//! pull request may name only regular files in its own folder, within a size cap, and an
//! error never echoes more of a file than a short excerpt of a column-name header.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A one-queue scenario whose handle times come from the CSV file `csv`.
fn scenario_naming(csv: &str) -> String {
    crate::common::one_queue_scenario(
        &format!("{{ dist = \"empirical\", csv = \"{csv}\", column = \"handle_s\" }}"),
        2,
        "rate_per_h = 4",
    )
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ccsim-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs ccsim with `args`, killing it (and failing) if it takes more than 60 s: a read that
/// blocks forever must show as a failure, not hang the suite.
fn ccsim(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .args(args)
        .envs(envs.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("ccsim {args:?} did not finish in 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn validate(file: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let mut args = vec!["validate"];
    args.extend_from_slice(extra);
    let file = file.to_str().unwrap();
    args.push(file);
    let out = ccsim(&args, &[("CCSIM_TEST_SECRET", "hunter2-do-not-print")]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_environment_is_never_echoed_even_when_outside_files_are_allowed() {
    let dir = temp_dir("environ");
    let file = dir.join("s.toml");
    std::fs::write(&file, scenario_naming("/proc/self/environ")).unwrap();
    let (code, stderr) = validate(&file, &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("is an absolute path"), "{stderr}");
    assert!(stderr.contains("--allow-outside-files"), "{stderr}");
    assert!(
        stderr.contains("s.toml:14:"),
        "located at the field: {stderr}"
    );

    let (code, stderr) = validate(&file, &["--allow-outside-files"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        !stderr.contains("hunter2"),
        "the environment leaked: {stderr}"
    );
    assert!(!stderr.contains("CCSIM_TEST_SECRET"), "{stderr}");
    assert!(stderr.contains("not a list of column names"), "{stderr}");
}

#[test]
fn escapes_out_of_the_folder_are_refused() {
    let dir = temp_dir("escape");
    std::fs::write(dir.join("handle.csv"), "handle_s\n300\n").unwrap();
    let inner = dir.join("scenarios");
    std::fs::create_dir_all(inner.join("sub")).unwrap();
    for (named, words) in [
        ("../handle.csv", "leads out of the input's folder"),
        ("sub/../../handle.csv", "leads out of the input's folder"),
        ("link.csv", "through a symbolic link"),
    ] {
        let _ = std::fs::remove_file(inner.join("link.csv"));
        std::os::unix::fs::symlink(dir.join("handle.csv"), inner.join("link.csv")).unwrap();
        let file = inner.join("s.toml");
        std::fs::write(&file, scenario_naming(named)).unwrap();
        let (code, stderr) = validate(&file, &[]);
        assert_eq!(code, Some(2), "{named}: {stderr}");
        assert!(stderr.contains(words), "{named}: {stderr}");
        let (code, stderr) = validate(&file, &["--allow-outside-files"]);
        assert_eq!(code, Some(0), "{named} allowed: {stderr}");
    }
    // Inside the folder, `..` that stays inside is fine.
    std::fs::create_dir_all(inner.join("data")).unwrap();
    std::fs::write(inner.join("data/handle.csv"), "handle_s\n300\n").unwrap();
    let file = inner.join("s.toml");
    std::fs::write(&file, scenario_naming("data/../data/handle.csv")).unwrap();
    let (code, stderr) = validate(&file, &[]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn devices_pipes_and_oversized_files_are_not_read() {
    let dir = temp_dir("special");
    // A FIFO with no writer would block an open() for reading forever.
    let fifo = dir.join("pipe.csv");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // A sparse file just over the cap costs no disk.
    let big = std::fs::File::create(dir.join("big.csv")).unwrap();
    big.set_len(64 * 1024 * 1024 + 1).unwrap();
    for (named, words, extra) in [
        ("pipe.csv", "not a regular file", &[][..]),
        (
            "/dev/zero",
            "not a regular file",
            &["--allow-outside-files"][..],
        ),
        ("big.csv", "limited to 64 MiB", &[][..]),
        (".", "is a folder", &[][..]),
    ] {
        let file = dir.join("s.toml");
        std::fs::write(&file, scenario_naming(named)).unwrap();
        let (code, stderr) = validate(&file, extra);
        assert_eq!(code, Some(2), "{named}: {stderr}");
        assert!(stderr.contains(words), "{named}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    // The scenario named on the command line takes the same regular-file rule.
    std::fs::rename(&fifo, dir.join("pipe.toml")).unwrap();
    let (code, stderr) = validate(&dir.join("pipe.toml"), &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
}

#[test]
fn a_plans_scenario_takes_the_path_rules() {
    let dir = temp_dir("plan");
    let plan = dir.join("plan.toml");
    std::fs::write(
        &plan,
        "scenario = \"/etc/passwd.toml\"\n[[points]]\nname = \"a\"\n",
    )
    .unwrap();
    let out = ccsim(&["sweep", plan.to_str().unwrap()], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("plan.toml:1:"), "{stderr}");
    assert!(stderr.contains("is an absolute path"), "{stderr}");
}

#[test]
fn text_that_is_not_utf8_is_located() {
    let dir = temp_dir("utf8");
    let file = dir.join("s.toml");
    let mut bytes = scenario_naming("h.csv").into_bytes();
    let at = bytes.windows(4).position(|w| w == b"seed").unwrap();
    bytes[at + 7] = 0xff; // `seed = \xff`
    std::fs::write(&file, bytes).unwrap();
    let (code, stderr) = validate(&file, &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("s.toml:5:8:"), "{stderr}");
    assert!(stderr.contains("not UTF-8"), "{stderr}");
}
