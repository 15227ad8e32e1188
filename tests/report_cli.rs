//! `mapi-shutdown report` through the real binary: each format written
//! from recorded traces (a trace file and a recording), and bad input (a
//! missing file, a file that is not a trace, an empty file, a trace or a
//! recording cut in the middle of a line) refused with an error naming the
//! file (and line), exit code 1, and no output file: neither a partial new
//! one nor a change to an existing one, and no temporary file left over.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_mapi-shutdown");

fn live(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/live")
        .join(name)
}

fn report(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(BIN)
        .arg("report")
        .args(args)
        .env("MAPI_SHUTDOWN_REGISTRY", "memory")
        .output()
        .expect("run mapi-shutdown")
}

macro_rules! os {
    ($($a:expr),* $(,)?) => { &[$(std::ffi::OsStr::new($a)),*] };
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A recording (`watch --out` format) of the trace `name` on connection 1.
fn recording_of(name: &str) -> String {
    let trace = std::fs::read_to_string(live(name)).unwrap();
    let mut text = String::from(
        "{\"recording\":\"mapi-shutdown\",\"version\":1,\"started_at\":\"2026-11-21T00:58:11.000Z\"}\n",
    );
    text.push_str(
        "{\"conn\":1,\"event\":\"open\",\"at\":\"2026-11-21T00:58:11.200Z\",\"peer_pid\":26110}\n",
    );
    for line in trace.lines() {
        text.push_str(&format!("{{\"conn\":1,\"line\":{line}}}\n"));
    }
    text.push_str("{\"conn\":1,\"event\":\"close\",\"at\":\"2026-11-21T00:58:12.000Z\"}\n");
    text
}

#[test]
fn every_format_is_written_from_a_trace_and_a_recording() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("rec.jsonl");
    std::fs::write(&rec, recording_of("client-ignores-query-error.jsonl")).unwrap();
    let trace = live("outlook-2016-exchange-pst-oab.jsonl");
    for (format, file) in [
        ("html", "r.html"),
        ("csv", "r.csv"),
        ("json", "r.json"),
        ("chrome", "r.trace.json"),
    ] {
        let out_path = dir.path().join(file);
        // CSV holds calls only: --policy is refused for it (tested below).
        let policy = if format == "csv" {
            "--lang=en"
        } else {
            "--policy"
        };
        let out = report(os![
            trace.as_os_str(),
            rec.as_os_str(),
            "--format",
            format,
            "--out",
            out_path.as_os_str(),
            policy,
        ]);
        assert!(out.status.success(), "{format}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("2 sessions"),
            "{format}: {}",
            stderr(&out)
        );
        let bytes = std::fs::read(&out_path).unwrap();
        match format {
            "html" => {
                let text = String::from_utf8(bytes).unwrap();
                assert!(text.starts_with("<!DOCTYPE html>"));
                assert!(text.contains("OUTLOOK.EXE (pid 26110)"));
                assert!(text.contains("NWSYNC.EXE (pid 26115)"));
            }
            "csv" => {
                let text = String::from_utf8(bytes).unwrap();
                assert!(text.starts_with("session,pid,process,provider,kind,DLL,"));
                // 18 + 12 calls in the two traces.
                assert_eq!(text.lines().count(), 1 + 18 + 12, "{text}");
            }
            "json" => {
                let v: Value = serde_json::from_slice(&bytes).unwrap();
                assert_eq!(v["schema_version"], 1);
                assert_eq!(v["sessions"].as_array().unwrap().len(), 2);
                assert_eq!(v["sessions"][1]["outcome"], "data-loss-risk");
                assert_eq!(v["policy"]["store"], "memory");
                assert!(v["processes"].is_null());
                assert!(
                    v["sessions"][1]["source"]
                        .as_str()
                        .unwrap()
                        .ends_with("rec.jsonl")
                );
            }
            _ => {
                let v: Value = serde_json::from_slice(&bytes).unwrap();
                assert!(v["traceEvents"].as_array().unwrap().len() > 31);
                assert_eq!(v["otherData"]["generator"], "mapi-shutdown");
                assert_eq!(v["otherData"]["policy"]["store"], "memory");
            }
        }
    }
    assert_eq!(
        listing(dir.path()),
        ["r.csv", "r.html", "r.json", "r.trace.json", "rec.jsonl"],
        "no temporary file left"
    );
}

#[test]
fn csv_bom_and_pid_choice() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("calls.csv");
    let out = report(os![
        live("outlook-2016-exchange-pst-oab.jsonl").as_os_str(),
        live("client-ignores-query-error.jsonl").as_os_str(),
        "--format",
        "csv",
        "--bom",
        "--pid",
        "26115",
        "--out",
        out_path.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(&out_path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFsession,"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(
        text.lines()
            .skip(1)
            .all(|l| l.contains(",26115,NWSYNC.EXE,"))
    );
    assert_eq!(text.lines().count(), 1 + 12);
}

#[test]
fn policy_and_processes_without_traces() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("machine.json");
    let out = report(os![
        "--format",
        "json",
        "--policy",
        "--processes",
        "--out",
        out_path.as_os_str()
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
    assert_eq!(v["content"]["sessions"]["kind"], "none");
    assert_eq!(v["policy"]["versions"].as_array().unwrap().len(), 3);
    assert!(v["processes"]["processes"].is_array());
    assert!(!v["host"]["host_name"].as_str().unwrap().is_empty());
}

/// Run `report` on `input` into `out.html` of a directory that already
/// holds an `old.html`; expect failure with every `needles` in stderr,
/// and the directory unchanged.
fn refused(input: &Path, dir: &Path, needles: &[&str]) {
    let old = dir.join("old.html");
    std::fs::write(&old, "previous report").unwrap();
    let before = listing(dir);
    for target in ["out.html", "old.html"] {
        let out = report(os![
            input.as_os_str(),
            "--format",
            "html",
            "--out",
            dir.join(target).as_os_str()
        ]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(err.starts_with("mapi-shutdown: report: "), "{err}");
        for n in needles {
            assert!(err.contains(n), "{n:?} not in: {err}");
        }
        assert_eq!(listing(dir), before, "no output, no temporary file");
        assert_eq!(std::fs::read_to_string(&old).unwrap(), "previous report");
    }
}

#[test]
fn a_missing_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.jsonl");
    refused(&missing, dir.path(), &["nope.jsonl"]);
}

#[test]
fn a_file_that_is_not_a_trace_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("notes.txt");
    std::fs::write(&input, "Outlook hangs on exit.\nPlease help.\n").unwrap();
    refused(&input, dir.path(), &["notes.txt", "line 1"]);

    let json = dir.path().join("other.json");
    std::fs::write(&json, "{\"type\":\"hello\",\"protocol\":1}\n").unwrap();
    refused(&json, dir.path(), &["other.json", "line 1", "pid"]);

    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    refused(&empty, dir.path(), &["empty.jsonl", "not a trace"]);
}

#[test]
fn a_truncated_trace_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::read_to_string(live("outlook-2016-exchange-pst-oab.jsonl")).unwrap();
    // Cut in the middle of line 20.
    let cut_at = full.match_indices('\n').nth(18).unwrap().0 + 30;
    let input = dir.path().join("cut.jsonl");
    std::fs::write(&input, &full[..cut_at]).unwrap();
    refused(&input, dir.path(), &["cut.jsonl", "line 20", "truncated"]);
}

#[test]
fn a_truncated_recording_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = recording_of("client-ignores-query-error.jsonl");
    let input = dir.path().join("rec.jsonl");
    std::fs::write(&input, &text[..text.len() - 20]).unwrap();
    refused(&input, dir.path(), &["rec.jsonl", "line 34", "truncated"]);
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("x.html");
    let trace = live("outlook-2016-exchange-pst-oab.jsonl");
    let out = report(os![
        trace.as_os_str(),
        "--format",
        "html",
        "--bom",
        "--out",
        out_path.as_os_str()
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--bom"), "{}", stderr(&out));
    let out = report(os!["--format", "html", "--out", out_path.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nothing to report"));
    let out = report(os![
        "--policy",
        "--pid",
        "7",
        "--format",
        "html",
        "--out",
        out_path.as_os_str()
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--pid"), "{}", stderr(&out));
    let out = report(os![
        trace.as_os_str(),
        "--format",
        "pdf",
        "--out",
        out_path.as_os_str()
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("html, csv, json or chrome"),
        "{}",
        stderr(&out)
    );
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn lang_fr_writes_a_french_page_and_french_messages() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("r.html");
    let trace = live("outlook-2016-exchange-pst-oab.jsonl");
    let out = Command::new(BIN)
        .args(["--lang", "fr", "report"])
        .arg(&trace)
        .args(["--format", "html", "--out"])
        .arg(&out_path)
        .env("MAPI_SHUTDOWN_REGISTRY", "memory")
        .output()
        .expect("run mapi-shutdown");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 session, "), "{}", stderr(&out));
    assert!(stderr(&out).contains("écrit"), "{}", stderr(&out));
    let text = std::fs::read_to_string(&out_path).unwrap();
    assert!(text.contains("<html lang=\"fr\">"));
    assert!(text.contains("<h2>Résumé</h2>"));
    assert!(text.contains("Rapport d’arrêt rapide MAPI"));
}

/// A format is never asked for what it cannot hold: CSV (rows of calls)
/// refuses --policy and --processes, the Chrome trace --processes; the
/// refusal names the options and the format, exits 2 and writes nothing.
#[test]
fn a_format_refuses_what_it_cannot_hold() {
    let dir = tempfile::tempdir().unwrap();
    let trace = live("outlook-2016-exchange-pst-oab.jsonl");
    for (format, options, refused) in [
        (
            "csv",
            &["--policy", "--processes"][..],
            "--policy --processes",
        ),
        ("csv", &["--processes"][..], "--processes"),
        ("csv", &["--policy"][..], "--policy"),
        ("chrome", &["--processes"][..], "--processes"),
        ("chrome", &["--policy", "--processes"][..], "--processes"),
    ] {
        let out_path = dir.path().join("r.out");
        let mut args: Vec<&std::ffi::OsStr> = os![
            trace.as_os_str(),
            "--format",
            format,
            "--out",
            out_path.as_os_str()
        ]
        .to_vec();
        args.extend(options.iter().map(std::ffi::OsStr::new));
        let out = report(&args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{format} {options:?}: {err}");
        assert!(
            err.contains(&format!("{refused}: a {format} report cannot hold that")),
            "{format} {options:?}: {err}"
        );
        assert!(err.contains("--format html or json"), "{err}");
        assert!(!out_path.exists(), "{format} {options:?}: nothing written");
    }
    // Without the trace: `--processes --format csv` was a header-only file.
    let out_path = dir.path().join("p.csv");
    let out = report(os![
        "--processes",
        "--format",
        "csv",
        "--out",
        out_path.as_os_str()
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!out_path.exists());
}

/// Issue 17, item 12: the Policy section of a French or Chinese HTML
/// report says what a value means in the report's language (it was
/// English in every language), and shows the ADMX policy and option by
/// the English template's names, saying so (no French or Chinese
/// outlk16.adml could be read to take theirs from; docs/i18n.md).
#[test]
fn the_policy_section_speaks_the_report_language_and_names_the_template() {
    let dir = tempfile::tempdir().unwrap();
    let registry = dir.path().join("r.reg");
    std::fs::write(
        &registry,
        "Windows Registry Editor Version 5.00\r\n\r\n\
         [HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office\\16.0\\Outlook\\Options\\Shutdown]\r\n\
         \"FastShutdownBehavior\"=dword:00000001\r\n",
    )
    .unwrap();
    let trace = live("outlook-2016-exchange-pst-oab.jsonl");
    let page = |lang: &str| {
        let out_path = dir.path().join(format!("{lang}.html"));
        let out = Command::new(BIN)
            .args(["--lang", lang, "report"])
            .arg(&trace)
            .args(["--policy", "--format", "html", "--out"])
            .arg(&out_path)
            .env(
                "MAPI_SHUTDOWN_REGISTRY",
                format!("file:{}", registry.display()),
            )
            .output()
            .expect("run mapi-shutdown");
        assert!(out.status.success(), "{}", stderr(&out));
        std::fs::read_to_string(&out_path).unwrap()
    };
    let english_meaning = "S_OK only if every provider implements IMAPIProviderShutdown";
    let en = page("en");
    assert!(en.contains(english_meaning));
    assert!(
        en.contains("Configure fast shutdown behavior: Enabled"),
        "{en}"
    );
    let fr = page("fr");
    assert!(!fr.contains(english_meaning), "{fr}");
    assert!(fr.contains("S_OK seulement si chaque fournisseur"), "{fr}");
    assert!(
        fr.contains("Stratégie ADMX (noms du modèle anglais)"),
        "{fr}"
    );
    assert!(
        fr.contains("Configure fast shutdown behavior\u{a0}: Activé"),
        "{fr}"
    );
    assert!(fr.contains("All MAPI providers support"), "{fr}");
    assert!(!fr.contains("magasin"), "{fr}");
    let zh = page("zh-CN");
    assert!(!zh.contains(english_meaning), "{zh}");
    assert!(zh.contains("ADMX 策略（英文模板中的名称）"), "{zh}");
    assert!(zh.contains("Configure fast shutdown behavior："), "{zh}");
}
