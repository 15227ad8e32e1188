//! `mapi-shutdown report` over a share of many machines' spool files
//! (a generated fleet, `report::corpus`) through the real binary: two
//! folders and a single file at once; above 200 sessions the report is
//! the fleet summary in every format (HTML table and chart, the CSV fleet
//! table, the JSON `fleet` object); `--detail full` keeps every call;
//! `--progress` reports on stderr; a Chrome trace refuses a summary.

use std::path::Path;
use std::process::{Command, Output};

use mapi_shutdown::report::corpus::write_spool;
use mapi_shutdown::report::csv::FLEET_COLUMNS;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_mapi-shutdown");

fn report(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(BIN)
        .arg("report")
        .args(args)
        .arg("--lang=en")
        .env("MAPI_SHUTDOWN_REGISTRY", "memory")
        .output()
        .expect("run mapi-shutdown")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Two shares (150 and 100 sessions) and one more file: 251 sessions.
fn fleet(dir: &Path) -> [std::path::PathBuf; 3] {
    let a = dir.join("share-a");
    let b = dir.join("share-b");
    write_spool(&a, 150, 40).unwrap();
    write_spool(&b, 100, 40).unwrap();
    let single = dir.join("single");
    write_spool(&single, 1, 1).unwrap();
    let file = std::fs::read_dir(&single)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    [a, b, file]
}

#[test]
fn a_share_of_many_machines_becomes_a_fleet_summary_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let [a, b, file] = fleet(dir.path());
    let out_of = |name: &str| dir.path().join(name);
    for (format, name) in [("html", "f.html"), ("csv", "f.csv"), ("json", "f.json")] {
        let out = report(&[
            a.as_os_str(),
            b.as_os_str(),
            file.as_os_str(),
            "--format".as_ref(),
            format.as_ref(),
            "--out".as_ref(),
            out_of(name).as_os_str(),
            "--progress".as_ref(),
        ]);
        assert!(out.status.success(), "{format}: {}", stderr(&out));
        let err = stderr(&out);
        // Progress on stderr (asked for: stderr is not a terminal here),
        // ending with every file read.
        assert!(err.contains("read 251 of 251 files, 251 sessions"), "{err}");
        assert!(err.contains("251 sessions"), "{err}");
        assert!(err.contains("fleet summary of"), "{err}");
        assert!(err.contains("sessions are summarized"), "{err}");
    }
    let html = std::fs::read_to_string(out_of("f.html")).unwrap();
    assert!(html.contains("Fleet summary"));
    assert!(html.contains("<svg class=\"fleet-chart\""));
    assert!(html.contains("Sessions that did not end fast"));
    assert!(!html.contains("class=\"timeline\""));

    let csv = std::fs::read_to_string(out_of("f.csv")).unwrap();
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(head, FLEET_COLUMNS);
    let first = r.records().next().unwrap().unwrap();
    assert_eq!(&first[0], "fleet");
    assert_eq!(&first[5], "251");

    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out_of("f.json")).unwrap()).unwrap();
    assert_eq!(json["sessions"].as_array().unwrap().len(), 0);
    let fleet = &json["fleet"];
    assert_eq!(fleet["sessions"], 251);
    assert_eq!(fleet["session_rows"].as_array().unwrap().len(), 251);
    // Sessions numbered in input order: share-a's first file is session 1.
    assert_eq!(fleet["session_rows"][0]["session"], 1);
    assert!(
        fleet["session_rows"][0]["source"]
            .as_str()
            .unwrap()
            .contains("share-a")
    );
    assert!(
        fleet["session_rows"][250]["source"]
            .as_str()
            .unwrap()
            .contains("single")
    );
    let providers = fleet["providers"].as_array().unwrap();
    let costs: Vec<u64> = providers
        .iter()
        .map(|p| p["cost"].as_u64().unwrap())
        .collect();
    assert!(costs.windows(2).all(|w| w[0] >= w[1]), "{costs:?}");
    assert!(providers.iter().any(|p| p["dll"] == "slowarch32.dll"));
}

#[test]
fn full_detail_keeps_every_call_and_chrome_refuses_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let share = dir.path().join("share");
    let calls = write_spool(&share, 6, 3).unwrap();
    let csv_path = dir.path().join("calls.csv");
    let out = report(&[
        share.as_os_str(),
        "--format".as_ref(),
        "csv".as_ref(),
        "--detail".as_ref(),
        "full".as_ref(),
        "--out".as_ref(),
        csv_path.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert!(csv.starts_with("session,pid,process"));
    let rows = csv.lines().count() as u64;
    assert_eq!(rows, calls + 1, "every call has its row, after the header");
    // No progress when stderr is not a terminal and it was not asked for.
    assert!(!stderr(&out).contains("files,"), "{}", stderr(&out));

    let chrome = dir.path().join("t.json");
    let out = report(&[
        share.as_os_str(),
        "--format".as_ref(),
        "chrome".as_ref(),
        "--detail".as_ref(),
        "summary".as_ref(),
        "--out".as_ref(),
        chrome.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--detail summary"));
    assert!(!chrome.exists());
}
