//! The CLI's side of "one session model, one verdict" (issue 16, items 2,
//! 8 and 9): `analyze` and `report` refuse what holds no trace record with
//! the same message; `simulate --json`, `analyze --json` of its trace and
//! the report's JSON agree on the verdict of every shipped scenario under
//! every policy.

#![cfg(unix)]

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_mapi-shutdown");

/// The binary, in English, with no monitor, no spool and an empty registry.
fn bin(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env("MAPI_SHUTDOWN_ENDPOINT", dir.join("no-monitor.sock"))
        .env_remove("MAPI_SHUTDOWN_SPOOL_DIR")
        .env("MAPI_SHUTDOWN_REGISTRY", "memory")
        .env("MAPI_SHUTDOWN_LANG", "en");
    cmd
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Regression (issue 16, item 9): `analyze` of an empty file, or one of
/// blank lines, invented "connection 1, session 1: incomplete" and exited
/// 0 while `report` refused it. Both refuse it now, with one message.
#[test]
fn analyze_and_report_refuse_a_file_without_records_alike() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in [("empty.jsonl", ""), ("blank.jsonl", "\n\n  \n")] {
        let file = dir.path().join(name);
        std::fs::write(&file, content).unwrap();
        let analyze = bin(dir.path()).arg("analyze").arg(&file).output().unwrap();
        let report = bin(dir.path())
            .args(["report", "--format", "json", "--out"])
            .arg(dir.path().join("out.json"))
            .arg(&file)
            .output()
            .unwrap();
        let analyze_err = text(&analyze.stderr);
        let report_err = text(&report.stderr);
        assert_eq!(analyze.status.code(), Some(1), "{name}: {analyze_err}");
        assert_eq!(report.status.code(), Some(1), "{name}: {report_err}");
        assert!(text(&analyze.stdout).is_empty(), "{name}");
        let message = format!("{}: not a trace: it holds no trace record", file.display());
        assert!(analyze_err.contains(&message), "{name}: {analyze_err}");
        assert!(report_err.contains(&message), "{name}: {report_err}");
    }
}

/// The shipped scenarios, sorted.
fn scenarios() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/scenarios");
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    v
}

/// What must agree: the outcome, the reason, every finding's kind and
/// severity (in order).
fn verdict_of(session: &serde_json::Value) -> (String, String, Vec<(String, String)>) {
    let s = |v: &serde_json::Value| {
        v.as_str()
            .unwrap_or_else(|| panic!("{session:#}"))
            .to_string()
    };
    (
        s(&session["outcome"]),
        s(&session["reason"]),
        session["findings"]
            .as_array()
            .unwrap_or_else(|| panic!("{session:#}"))
            .iter()
            .map(|f| (s(&f["kind"]), s(&f["severity"])))
            .collect(),
    )
}

/// Issue 16, item 2: one verdict. For every shipped scenario under each of
/// the three policies, `simulate --json`, `analyze --json` of its trace
/// and the report's JSON agree on outcome, reason and every finding's kind
/// and severity (before, `simulate` called the MAPIUninitialize after
/// DoFastShutdown a warning and `analyze` an error).
#[test]
fn simulate_analyze_and_report_agree_on_every_scenario_under_every_policy() {
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for scenario in scenarios() {
        let name = scenario.file_stem().unwrap().to_string_lossy().to_string();
        for policy in ["opt-out", "opt-in", "disabled"] {
            let what = format!("{name} under {policy}");
            let trace = dir.path().join(format!("{name}-{policy}.jsonl"));
            let sim = bin(dir.path())
                .args([
                    "simulate",
                    "--json",
                    "--fast-shutdown-behavior",
                    policy,
                    "--trace-out",
                ])
                .arg(&trace)
                .arg(&scenario)
                .output()
                .unwrap();
            assert!(
                matches!(sim.status.code(), Some(0 | 137)),
                "{what}: {}",
                text(&sim.stderr)
            );
            let sim: serde_json::Value = serde_json::from_slice(&sim.stdout)
                .unwrap_or_else(|e| panic!("{what}: {e}: {}", text(&sim.stdout)));

            let analyze = bin(dir.path())
                .args(["analyze", "--json"])
                .arg(&trace)
                .output()
                .unwrap();
            assert_eq!(
                analyze.status.code(),
                Some(0),
                "{what}: {}",
                text(&analyze.stderr)
            );
            let analyze: serde_json::Value = serde_json::from_slice(&analyze.stdout).unwrap();
            let analyzed = &analyze["sessions"][0];

            let out = dir.path().join(format!("{name}-{policy}.json"));
            let report = bin(dir.path())
                .args(["report", "--format", "json", "--out"])
                .arg(&out)
                .arg(&trace)
                .output()
                .unwrap();
            assert_eq!(
                report.status.code(),
                Some(0),
                "{what}: {}",
                text(&report.stderr)
            );
            let report: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
            let reported = &report["sessions"][0];

            let expected = verdict_of(&sim);
            assert_eq!(
                verdict_of(analyzed),
                expected,
                "{what}: analyze vs simulate"
            );
            assert_eq!(verdict_of(reported), expected, "{what}: report vs simulate");
            // The shared fields of the one session shape.
            for field in ["duration_ns", "outcome", "reason"] {
                assert!(sim.get(field).is_some(), "{what}: simulate lacks {field}");
                assert!(
                    analyzed.get(field).is_some(),
                    "{what}: analyze lacks {field}"
                );
                assert!(
                    reported.get(field).is_some(),
                    "{what}: report lacks {field}"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 3 * scenarios().len());
    assert!(checked >= 27, "{checked}");
}

/// The example of the issue: the MAPIUninitialize after DoFastShutdown is
/// the analysis' error in `simulate` too.
#[test]
fn mapi_call_after_do_fast_shutdown_is_an_error_in_simulate_too() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/scenarios/mapi-call-after-do-fast-shutdown.toml");
    let sim = bin(dir.path())
        .args(["simulate", "--json"])
        .arg(&scenario)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&sim.stdout).unwrap();
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "call-after-do-fast-shutdown")
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(f["severity"], "error", "{v:#}");
}

/// Regression (issue 17, item 5): names in a trace were printed raw, so
/// `analyze` of a trace whose executable holds `ESC[2J ESC]0;… BEL`
/// cleared the screen and retitled the terminal. Human output (stdout and
/// stderr) shows control characters as visible escapes; JSON keeps the
/// names exactly.
#[test]
fn analyze_escapes_control_characters_of_a_hostile_trace() {
    let dir = tempfile::tempdir().unwrap();
    let exe = "\u{1b}[2J\u{1b}]0;pwned\u{7}OUTLOOK\u{0}.EXE\u{9b}";
    let hello = serde_json::json!({
        "type": "hello", "protocol": 1, "pid": 4242, "exe": exe,
        "office_version": "16.0", "subsystem": "olmapi32.dll\u{1b}[31m",
        "started_at": "2026-11-21T09:00:00.000Z"
    });
    let file = dir.path().join("hostile.jsonl");
    std::fs::write(
        &file,
        format!(
            "{hello}\n{}\n{}\n",
            r#"{"type":"enter","t_ns":10,"call":1,"caller":"client","interface":"IMAPIClientShutdown","method":"QueryFastShutdown"}"#,
            r#"{"type":"exit","t_ns":20,"call":1,"hresult":"0x00000000"}"#
        ),
    )
    .unwrap();
    let out = bin(dir.path()).arg("analyze").arg(&file).output().unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for raw in ['\u{1b}', '\u{7}', '\u{0}', '\u{9b}'] {
        assert!(!stdout.contains(raw), "raw {raw:?} in {stdout:?}");
    }
    assert!(
        stdout.contains(r"\x1b[2J\x1b]0;pwned\x07OUTLOOK\x00.EXE\u{9b}"),
        "{stdout}"
    );

    let json = bin(dir.path())
        .args(["analyze", "--json"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(json.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["sessions"][0]["process"], exe, "JSON stays exact");

    // stderr too: a file name holding an escape sequence.
    let missing = dir.path().join("gone\u{1b}]0;pwned\u{7}.jsonl");
    let err = bin(dir.path())
        .arg("analyze")
        .arg(&missing)
        .output()
        .unwrap();
    let stderr = text(&err.stderr);
    assert_eq!(err.status.code(), Some(1), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
    assert!(stderr.contains(r"gone\x1b]0;pwned\x07.jsonl"), "{stderr}");
}
