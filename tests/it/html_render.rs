//! The HTML reports render: each is opened in headless Chromium, which takes a screenshot and
//! dumps the DOM after the page's script ran. A page fails when the screenshot is (nearly) blank
//! or the script did not finish (`data-ready` missing) or logged an uncaught error. The checker
//! itself is shown to fail on a blank page and on a page whose script throws.
//!
//! Chromium is installed by `.ci/run` (Debian's package), which sets CCSIM_REQUIRE_CHROMIUM=1 so
//! the test fails rather than skips when the browser is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

fn ccsim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ccsim"))
}

fn chromium() -> Option<PathBuf> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("CCSIM_REQUIRE_CHROMIUM").is_none(),
            "CCSIM_REQUIRE_CHROMIUM is set but Chromium is not installed"
        );
        eprintln!("skipped: Chromium is not installed (apt-get install chromium)");
    }
    found
}

/// Flags of a headless Chromium on a closed machine: no sandbox (root), no GPU, and no
/// background connections (refused here, and slow to fail).
fn headless(browser: &Path, profile: &Path) -> Command {
    let mut c = Command::new(browser);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

/// Renders `page`; the problems found (empty when it rendered).
fn render_problems(browser: &Path, page: &Path, shot: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    // Tall enough for every chart of the page (each about 300 px at this width) and its
    // tables, so the screenshot shows them all.
    let html = std::fs::read_to_string(page).unwrap_or_default();
    let height = 1200 + 320 * html.matches("<svg").count() + 24 * html.matches("<tr>").count();
    let out = headless(browser, profile.path())
        .arg(format!("--window-size=1000,{height}"))
        .arg("--hide-scrollbars")
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stderr).to_string();
    if !shot.is_file() {
        problems.push(format!("no screenshot: {log}"));
        return problems;
    }
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels = buf[..info.buffer_size()].chunks(channels);
    let total = (info.width * info.height) as usize;
    let inked = pixels.filter(|p| p[..3].iter().any(|&v| v < 235)).count();
    if inked * 100 < total {
        problems.push(format!(
            "blank page: only {inked} of {total} pixels are not white"
        ));
    }
    let profile = tempfile::tempdir().unwrap();
    let dom = headless(browser, profile.path())
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    let dom_text = String::from_utf8_lossy(&dom.stdout);
    if !dom_text.contains("data-ready=\"1\"") {
        problems.push("the page's script did not finish (no data-ready)".into());
    }
    for l in log
        .lines()
        .chain(String::from_utf8_lossy(&dom.stderr).lines())
    {
        if l.contains("Uncaught") {
            problems.push(format!("script error: {l}"));
        }
    }
    problems
}

#[test]
fn run_sweep_and_compare_reports_render_in_headless_chromium() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    assert!(
        ccsim()
            .args(["run", "-q", "--replications", "4", "--out"])
            .arg(&run)
            .status()
            .unwrap()
            .success()
    );
    let compare = dir.path().join("compare");
    let status = ccsim()
        .args([
            "compare",
            "-q",
            "--replications",
            "3",
            "scenarios/quickstart.toml",
            "scenarios/plans/sales-to-support.toml",
            "--gate",
            "scenarios/plans/gate.toml",
            "--out",
        ])
        .arg(&compare)
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), Some(3));
    let sweep = dir.path().join("sweep");
    assert!(
        ccsim()
            .args(["sweep", "-q", "scenarios/staffing-grid.sweep.toml", "--out"])
            .arg(&sweep)
            .status()
            .unwrap()
            .success()
    );
    let staff = dir.path().join("staff");
    assert!(
        ccsim()
            .args([
                "staff",
                "-q",
                "--replications",
                "3",
                "--max-rounds",
                "4",
                "--out"
            ])
            .arg(&staff)
            .status()
            .unwrap()
            .success()
    );
    let pages = [
        ("run", &run),
        ("compare", &compare),
        ("sweep", &sweep),
        ("staff", &staff),
    ];
    for (name, folder) in pages {
        let page = folder.join("report.html");
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(
            !html.contains("http://")
                || html.matches("http://").count()
                    == html.matches("http://www.w3.org/2000/svg").count(),
            "{name}: the page links out"
        );
        let shot = dir.path().join(format!("{name}.png"));
        let problems = render_problems(&browser, &page, &shot);
        assert!(problems.is_empty(), "{name}: {problems:?}");
    }
    // Keep the screenshots for the docs when asked to.
    if let Some(to) = std::env::var_os("CCSIM_SCREENSHOT_DIR") {
        for (name, _) in pages {
            let target = Path::new(&to).join(format!("{name}-report.png"));
            std::fs::copy(dir.path().join(format!("{name}.png")), target).unwrap();
        }
    }
}

#[test]
fn the_render_check_fails_on_a_blank_page_and_on_a_script_error() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("blank.html");
    std::fs::write(
        &blank,
        "<!DOCTYPE html><html><body><script>document.documentElement.setAttribute('data-ready','1')</script></body></html>",
    )
    .unwrap();
    let problems = render_problems(&browser, &blank, &dir.path().join("blank.png"));
    assert!(
        problems.iter().any(|p| p.contains("blank page")),
        "{problems:?}"
    );
    let broken = dir.path().join("broken.html");
    std::fs::write(
        &broken,
        "<!DOCTYPE html><html><body><h1>Report</h1><svg width='900' height='900'><rect width='900' height='900' fill='#036'/></svg><script>undefinedFunction();document.documentElement.setAttribute('data-ready','1')</script></body></html>",
    )
    .unwrap();
    let problems = render_problems(&browser, &broken, &dir.path().join("broken.png"));
    assert!(
        problems.iter().any(|p| p.contains("did not finish")),
        "{problems:?}"
    );
    assert!(
        !problems.iter().any(|p| p.contains("blank page")),
        "{problems:?}"
    );
}
