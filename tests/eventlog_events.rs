//! The events the collector (`watch --event-log`) writes for every shipped
//! scenario (assets/scenarios/*.toml): each scenario runs as a real
//! `simulate` child process with its trace written to a file, and
//! `eventlog::events_for` (what the collector calls for each completed
//! sequence) turns its verdict into events. Every event (ID, level and
//! insertion strings) is pinned in `tests/golden/eventlog-events.snap`;
//! what changes from run to run is masked: the pid, and times in ms
//! (the scenarios' delays keep which providers are slow the same).
//!
//! Wine's event log keeps nothing, so this is where the content of the
//! events is checked; `tests/eventlog_windows.rs` proves the Windows
//! build writes them through `ReportEventW` and that the exe's message
//! table has every message.

use std::path::{Path, PathBuf};
use std::process::Command;

use mapi_shutdown::eventlog::{self, EventLevel, OUTCOME_EVENTS};
use mapi_shutdown::monitor::analysis::{AnalysisOptions, ProcessTrace, StreamState, analyze};
use mapi_shutdown::monitor::read_streams;

const BIN: &str = env!("CARGO_BIN_EXE_mapi-shutdown");

fn scenarios() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 7, "{files:?}");
    files
}

/// Run `scenario` under the default policy (a memory store: nothing
/// configured, so opt-out) and return its trace.
fn run(scenario: &Path, dir: &Path) -> ProcessTrace {
    let out = dir.join(format!(
        "{}.jsonl",
        scenario.file_stem().unwrap().to_string_lossy()
    ));
    let endpoint = if cfg!(windows) {
        format!("test-none-{}", std::process::id())
    } else {
        dir.join("none/none.sock").display().to_string()
    };
    let status = Command::new(BIN)
        .args(["simulate", "--registry", "memory", "--trace-out"])
        .arg(&out)
        .arg(scenario)
        .env("MAPI_SHUTDOWN_ENDPOINT", endpoint)
        .env_remove("MAPI_SHUTDOWN_SPOOL_DIR")
        .output()
        .unwrap();
    assert!(
        matches!(status.status.code(), Some(0 | 137)),
        "{}: {}",
        scenario.display(),
        String::from_utf8_lossy(&status.stderr)
    );
    let stream = read_streams(&out).unwrap().remove(0);
    ProcessTrace::from_records(&stream.records)
}

/// `812 ms` as `<ms> ms` (the numbers of times, not of names).
fn mask_times(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(|c: char| c.is_ascii_digit()) {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        let n = tail
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(tail.len());
        let (number, after) = tail.split_at(n);
        if after.starts_with(" ms") {
            out.push_str("<ms>");
        } else {
            out.push_str(number);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[test]
fn every_shipped_scenario_gives_its_events() {
    let dir = tempfile::tempdir().unwrap();
    let options = AnalysisOptions::default();
    let mut text = String::new();
    for scenario in scenarios() {
        let trace = run(&scenario, dir.path());
        let verdict = analyze(&trace, StreamState::Closed, &options);
        let events = eventlog::events_for(&trace, &verdict, Some(4242), &options);
        let name = scenario.file_stem().unwrap().to_string_lossy().to_string();
        assert!(
            !events.is_empty(),
            "{name}: a completed sequence gives events"
        );
        // The first is the outcome's, at the outcome's ID and level.
        let (_, def) = OUTCOME_EVENTS
            .iter()
            .find(|(o, _)| *o == verdict.outcome)
            .unwrap();
        assert_eq!(
            (events[0].id, events[0].level),
            (def.id, def.level),
            "{name}"
        );
        // Then the warning and error findings, at their severity.
        for e in &events[1..] {
            assert!((1100..1200).contains(&e.id), "{name}: {e:?}");
            assert_ne!(e.level, EventLevel::Information, "{name}: {e:?}");
        }
        text.push_str(&format!("== {name}\n"));
        for e in &events {
            text.push_str(&format!("{} {:?}\n", e.id, e.level));
            for (i, s) in e.strings.iter().enumerate() {
                let s = match i {
                    1 => "<pid>".to_string(),
                    8 if s != "unknown" => "<ms>".to_string(),
                    _ => mask_times(s),
                };
                text.push_str(&format!("  %{} {s}\n", i + 1));
            }
        }
    }
    insta::with_settings!({ snapshot_path => "golden", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("eventlog-events", text);
    });
}

#[test]
fn times_are_masked_and_names_kept() {
    assert_eq!(
        mask_times("Store (pst.dll, message-store) 812 ms, AB (ab.dll, address-book) >= 3 ms"),
        "Store (pst.dll, message-store) <ms> ms, AB (ab.dll, address-book) >= <ms> ms"
    );
    assert_eq!(mask_times("Office 16.0"), "Office 16.0");
}
