//! `ccsim sweep` and `ccsim merge`: a 12-point plan run as 3 shards and merged is the unsharded
//! run byte for byte; incomplete or mixed shard sets are refused; plan mistakes are located.

use std::path::Path;
use std::process::Command;

fn ccsim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ccsim"))
}

const PLAN: &str = "scenarios/staffing-grid.sweep.toml";
const FILES: [&str; 5] = [
    "sweep.json",
    "sweep.csv",
    "settings.csv",
    "intervals.csv",
    "report.html",
];

fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{:?}: {}",
        cmd,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn twelve_points_in_three_shards_merge_to_the_unsharded_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    run_ok(
        ccsim()
            .args(["sweep", PLAN, "-q", "--threads", "2", "--out"])
            .arg(&whole),
    );
    let mut shard_dirs = Vec::new();
    for i in 0..3 {
        let d = dir.path().join(format!("s{i}"));
        // Different thread counts per shard: results never depend on them.
        run_ok(
            ccsim()
                .args(["sweep", PLAN, "-q", "--shard", &format!("{i}/3")])
                .args(["--threads", &(i + 1).to_string(), "--out"])
                .arg(&d),
        );
        assert!(d.join(format!("shard-{i}-of-3.json")).is_file());
        shard_dirs.push(d);
    }
    // A shard file is itself deterministic: shard 2/3 on one thread is the same bytes as on
    // three.
    let again = dir.path().join("s2-one-thread");
    run_ok(
        ccsim()
            .args([
                "sweep",
                PLAN,
                "-q",
                "--shard",
                "2/3",
                "--threads",
                "1",
                "--out",
            ])
            .arg(&again),
    );
    assert!(
        std::fs::read(again.join("shard-2-of-3.json")).unwrap()
            == std::fs::read(shard_dirs[2].join("shard-2-of-3.json")).unwrap(),
        "shard 2/3 differs between 1 and 3 threads"
    );
    let merged = dir.path().join("merged");
    // Shards in another order than their indices: merging does not care.
    run_ok(
        ccsim()
            .args(["merge", "-q"])
            .arg(&shard_dirs[2])
            .arg(&shard_dirs[0])
            .arg(&shard_dirs[1])
            .arg("--out")
            .arg(&merged),
    );
    for f in FILES {
        let a = std::fs::read(whole.join(f)).unwrap();
        let b = std::fs::read(merged.join(f)).unwrap();
        assert!(
            a == b,
            "{f} differs between the unsharded and the merged sweep"
        );
    }
    let csv = std::fs::read_to_string(whole.join("sweep.csv")).unwrap();
    let points: std::collections::BTreeSet<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(points.len(), 12);
    // More support agents never answer fewer within the threshold at the same volume … on
    // average; check the plan really varied something: the points differ.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(whole.join("sweep.json")).unwrap()).unwrap();
    let sl = |p: usize| {
        json["points"][p]["scopes"][3]["metrics"]["service_level"]["mean"]
            .as_f64()
            .unwrap()
    };
    assert_ne!(sl(0), sl(3), "volume 0.9 and 1.2 differ");

    // A missing shard, and a shard given twice, are refused (exit 2) by name.
    let out = ccsim()
        .arg("merge")
        .arg(&shard_dirs[0])
        .arg(&shard_dirs[2])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing shard(s): 1/3"));
    let out = ccsim()
        .arg("merge")
        .arg(&shard_dirs[0])
        .arg(&shard_dirs[0])
        .arg(&shard_dirs[1])
        .arg(&shard_dirs[2])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("there twice"));
}

#[test]
fn shards_of_another_plan_do_not_merge() {
    let dir = tempfile::tempdir().unwrap();
    let other_plan = dir.path().join("other.toml");
    std::fs::copy(
        "scenarios/quickstart.toml",
        dir.path().join("quickstart.toml"),
    )
    .unwrap();
    let text = std::fs::read_to_string(PLAN)
        .unwrap()
        .replace("values = [4, 5, 6]", "values = [4, 5, 7]");
    std::fs::write(&other_plan, text).unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    run_ok(
        ccsim()
            .args(["sweep", PLAN, "-q", "--shard", "0/2", "--out"])
            .arg(&a),
    );
    run_ok(
        ccsim()
            .args(["sweep", "-q", "--shard", "1/2", "--out"])
            .arg(&b)
            .arg(&other_plan),
    );
    let out = ccsim().arg("merge").arg(&a).arg(&b).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("another plan or build"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn plan_mistakes_are_located_by_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("bad.toml");
    std::fs::copy(
        "scenarios/quickstart.toml",
        dir.path().join("quickstart.toml"),
    )
    .unwrap();
    std::fs::write(
        &plan,
        "scenario = \"quickstart.toml\"\n\n[[points]]\nname = \"a\"\nset = { \"agents.support-erly.count\" = 3 }\n",
    )
    .unwrap();
    let out = ccsim().args(["sweep"]).arg(&plan).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml:5:"), "{err}");
    assert!(
        err.contains("points[0].set.agents.support-erly.count"),
        "{err}"
    );
    assert!(err.contains("no element named 'support-erly'"), "{err}");

    std::fs::write(&plan, "scenario = \"quickstart.toml\"\nsurprise = 1\n").unwrap();
    let out = ccsim().args(["sweep"]).arg(&plan).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml:2:") && err.contains("surprise"),
        "{err}"
    );

    // A value of the right path but the wrong kind is the varied scenario's error.
    std::fs::write(
        &plan,
        "scenario = \"quickstart.toml\"\n[[points]]\nname = \"neg\"\nset = { \"agents.support-early.count\" = -2 }\n",
    )
    .unwrap();
    let out = ccsim().args(["sweep"]).arg(&plan).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml:4:")
            && err.contains("as varied by 'neg'")
            && err.contains("agents[2].count"),
        "{err}"
    );
}

/// The folded command of a `- >-` block in a YAML manifest, joined into one line.
fn folded_commands(yaml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = yaml.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim_end().ends_with("- >-") || line.trim_end().ends_with("run: >") {
            let indent = line.len() - line.trim_start().len();
            let mut cmd = Vec::new();
            while let Some(next) = lines.peek() {
                let i = next.len() - next.trim_start().len();
                if next.trim().is_empty() || i <= indent {
                    break;
                }
                cmd.push(next.trim().to_string());
                lines.next();
            }
            out.push(cmd.join(" "));
        }
    }
    out
}

/// The documented cluster recipes work as written: the Slurm array script and the Kubernetes
/// Indexed Job's commands, run here with the environment their schedulers set, produce shards
/// that merge into the unsharded report.
#[test]
fn the_cluster_examples_in_docs_run_and_merge() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::env::current_dir().unwrap();
    std::os::unix::fs::symlink(root.join("scenarios"), dir.path().join("scenarios")).unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_ccsim")).parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap());
    // Slurm: task N of the array.
    std::fs::create_dir_all(dir.path().join("results/staffing-grid")).unwrap();
    for task in 0..3 {
        let out = Command::new("bash")
            .arg(root.join("docs/examples/slurm-sweep.sh"))
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("SLURM_ARRAY_TASK_ID", task.to_string())
            .env("SLURM_CPUS_PER_TASK", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Kubernetes: each pod's command with its completion index, then the merge Job's command
    // (the shared volume is a folder here).
    let k8s = std::fs::read_to_string(root.join("docs/examples/k8s-sweep-job.yaml")).unwrap();
    let commands = folded_commands(&k8s);
    assert_eq!(commands.len(), 2, "{commands:?}");
    let volume = dir.path().join("volume");
    for index in 0..3 {
        let cmd = commands[0].replace("/results", &volume.display().to_string());
        let out = Command::new("sh")
            .args(["-c", &cmd])
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("JOB_COMPLETION_INDEX", index.to_string())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{cmd}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let merge = commands[1].replace("/results", &volume.display().to_string());
    let out = Command::new("sh")
        .args(["-c", &merge])
        .current_dir(dir.path())
        .env("PATH", &path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{merge}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The Slurm shards merge too, and both equal the unsharded run.
    let slurm_report = dir.path().join("slurm-report");
    let mut merge_slurm = ccsim();
    merge_slurm.args(["merge", "-q"]);
    for i in 0..3 {
        merge_slurm.arg(dir.path().join(format!("results/staffing-grid/shard-{i}")));
    }
    run_ok(merge_slurm.arg("--out").arg(&slurm_report));
    let whole = dir.path().join("whole");
    run_ok(ccsim().args(["sweep", PLAN, "-q", "--out"]).arg(&whole));
    for f in FILES {
        let want = std::fs::read(whole.join(f)).unwrap();
        assert!(
            want == std::fs::read(slurm_report.join(f)).unwrap(),
            "slurm {f}"
        );
        let k8s_report = volume.join("staffing-grid/report").join(f);
        assert!(want == std::fs::read(k8s_report).unwrap(), "k8s {f}");
    }
    // The CI matrix example runs the same commands (checked by their text here).
    let gha = std::fs::read_to_string(root.join("docs/examples/github-actions-sweep.yml")).unwrap();
    assert!(gha.contains("--shard ${{ matrix.shard }}/3"));
    assert!(gha.contains("ccsim merge shards/shard-0 shards/shard-1 shards/shard-2"));
}

/// Every bundled plan, variation and gate file loads, and every plan's points are checked
/// scenarios (so the examples in docs stay runnable).
#[test]
fn bundled_plans_variations_and_gates_load() {
    use ccsim::plan::gate::Gate;
    use ccsim::plan::plan_file::{Plan, is_variation_file, load_variation};
    let mut seen = 0;
    let plans = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".sweep.toml"));
    let others = std::fs::read_dir("scenarios/plans")
        .unwrap()
        .map(|e| e.unwrap().path());
    for path in plans.chain(others) {
        let text = std::fs::read_to_string(&path).unwrap();
        if text.contains("\n[[rule]]") {
            Gate::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        } else if is_variation_file(&path) {
            let v = load_variation(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(!v.settings.is_empty(), "{}", path.display());
        } else {
            let (plan, scenarios) =
                Plan::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(plan.points.len(), scenarios.len());
        }
        seen += 1;
    }
    assert!(seen >= 4, "{seen}");
    // The bot plan varies the bot's outcomes (the list, slowest) and the desk (the grid).
    let (plan, scenarios) = Plan::load(Path::new("scenarios/bot-what-if.sweep.toml")).unwrap();
    assert_eq!(scenarios.len(), 9);
    assert_eq!(plan.points[4].name, "orders 75 % desk=5");
    let outcomes = |k: usize| format!("{:?}", scenarios[k].centre.bot.as_ref().unwrap().outcomes);
    assert_ne!(outcomes(0), outcomes(3));
    assert_ne!(outcomes(3), outcomes(6));
    assert_eq!(outcomes(0), outcomes(2));
    let desk: Vec<usize> = scenarios[..3]
        .iter()
        .map(|s| s.centre.agents.len())
        .collect();
    assert_eq!(desk, [4, 5, 6]);
}

#[test]
fn the_readmes_variation_examples_apply_to_the_quickstart() {
    // The README's "Variations" line shows settings by path; each must be one a plan accepts.
    let readme = include_str!("../../README.md");
    let start = readme
        .find("- **Variations**")
        .expect("the Variations bullet");
    let end = start
        + readme[start..]
            .find("plus `arrival_scale`")
            .expect("its end");
    let bullet = &readme[start..end];
    let examples: Vec<&str> = bullet
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| s.contains(" = "))
        .collect();
    assert_eq!(examples.len(), 3, "{bullet}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "scenarios/quickstart.toml",
        dir.path().join("quickstart.toml"),
    )
    .unwrap();
    let mut plan = "name = \"readme\"\nscenario = \"quickstart.toml\"\n".to_string();
    for (i, example) in examples.iter().enumerate() {
        let (path, value) = example.split_once(" = ").unwrap();
        plan += &format!("[[points]]\nname = \"p{i}\"\nset = {{ \"{path}\" = {value} }}\n");
    }
    let file = dir.path().join("readme.toml");
    std::fs::write(&file, &plan).unwrap();
    if let Err(e) = ccsim::plan::plan_file::Plan::load(&file) {
        panic!("{plan}\n{e}");
    }
}

/// Issue 14 (9): a variation's problems are reported at its own lines (they had no file or
/// line, or sat at an unrelated line of the base file), in a variation file and in a plan's
/// grid alike.
#[test]
fn a_variations_problems_point_at_the_lines_that_set_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "scenarios/quickstart.toml",
        dir.path().join("quickstart.toml"),
    )
    .unwrap();
    let variation = dir.path().join("v.toml");
    let compare = |candidate: &std::path::Path| {
        let out = ccsim()
            .arg("compare")
            .arg(dir.path().join("quickstart.toml"))
            .arg(candidate)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    std::fs::write(
        &variation,
        "name = \"v\"\n[set]\n\"queues.sales.service_level_s\" = 20\n\"agents.support-early.count\" = -3\n",
    )
    .unwrap();
    let err = compare(&variation);
    assert!(
        err.contains("v.toml:4:") && err.contains("agents[2].count"),
        "{err}"
    );
    std::fs::write(
        &variation,
        "name = \"v\"\n[set]\n\"queues.sales.frobnicate\" = 3\n",
    )
    .unwrap();
    let err = compare(&variation);
    assert!(
        err.contains("v.toml:3:") && err.contains("unknown field `frobnicate`"),
        "{err}"
    );
    let missing = dir.path().join("w.toml");
    std::fs::write(
        &missing,
        "name = \"w\"\n[set]\n\"agents.nosuch.count\" = 3\n",
    )
    .unwrap();
    let out = ccsim()
        .arg("compare")
        .arg(dir.path().join("quickstart.toml"))
        .arg(&missing)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("w.toml:3:") && err.contains("no element named 'nosuch'"),
        "{err}"
    );
    // A grid value the scenario refuses is reported at the value, in the plan.
    let plan = dir.path().join("plan.toml");
    std::fs::write(
        &plan,
        "scenario = \"quickstart.toml\"\n[[grid]]\npath = \"agents.support-early.count\"\nvalues = [\n  4,\n  -1,\n]\n",
    )
    .unwrap();
    let out = ccsim().arg("sweep").arg(&plan).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("plan.toml:6:") && err.contains("agents[2].count"),
        "{err}"
    );
}

/// Issue 14 (2): a grid's points multiply; a plan asking for more than 10,000 is refused at its
/// grid before any scenario is built.
#[test]
fn a_plan_that_crosses_into_too_many_points_is_refused_before_building_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "scenarios/quickstart.toml",
        dir.path().join("quickstart.toml"),
    )
    .unwrap();
    let values: Vec<String> = (0..1000).map(|v| v.to_string()).collect();
    let axis = |path: &str| {
        format!(
            "[[grid]]\npath = \"{path}\"\nvalues = [{}]\n",
            values.join(", ")
        )
    };
    let plan = dir.path().join("huge.toml");
    std::fs::write(
        &plan,
        format!(
            "scenario = \"quickstart.toml\"\n{}{}{}",
            axis("agents.support-early.count"),
            axis("agents.support-late.count"),
            axis("agents.sales-early.count")
        ),
    )
    .unwrap();
    let out = ccsim().arg("sweep").arg(&plan).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("huge.toml:2:") && err.contains("more than 10000 points"),
        "{err}"
    );
}

#[test]
fn point_names_print_in_full_and_settings_are_keys_and_values() {
    // Issue 16, finding 7: names were cut at 40 characters (two rows read alike) and settings
    // were stored as "path = value" strings.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "scenarios/quickstart.toml",
        dir.path().join("quickstart.toml"),
    )
    .unwrap();
    let plan = dir.path().join("names.sweep.toml");
    std::fs::write(
        &plan,
        r#"name = "names"
scenario = "quickstart.toml"
replications = 1
[[points]]
name = "support early shift with six agents and volume at 110 percent"
set = { "agents.support-early.count" = 6, arrival_scale = 1.1 }
[[points]]
name = "support early shift with six agents and volume at 120 percent"
set = { "agents.support-early.count" = 6, arrival_scale = 1.2, "queues.sales.service_level_s" = 90 }
"#,
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    let stdout = run_ok(
        ccsim()
            .args(["sweep"])
            .arg(&plan)
            .arg("--out")
            .arg(&out_dir),
    );
    for name in [
        "support early shift with six agents and volume at 110 percent",
        "support early shift with six agents and volume at 120 percent",
    ] {
        assert!(stdout.contains(name), "{stdout}");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("sweep.json")).unwrap()).unwrap();
    let settings = &json["points"][1]["settings"];
    assert_eq!(settings[0]["key"], "agents.support-early.count");
    assert_eq!(settings[0]["value"], 6);
    assert_eq!(settings[1]["key"], "arrival_scale");
    assert_eq!(settings[1]["value"], 1.2);
    let csv = std::fs::read_to_string(out_dir.join("settings.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "point,name,agents.support-early.count,arrival_scale,queues.sales.service_level_s"
    );
    assert_eq!(
        lines[1],
        "0,support early shift with six agents and volume at 110 percent,6,1.1,"
    );
    assert_eq!(
        lines[2],
        "1,support early shift with six agents and volume at 120 percent,6,1.2,90"
    );
}
