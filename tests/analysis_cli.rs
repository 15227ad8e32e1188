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
