//! The Linux scanner sees a Windows program running under Wine as a MAPI
//! process once it loads `mapi32.dll` (Wine's own), under its Windows
//! executable name (docs/processes.md, "Wine").
//!
//! Needs Wine and the Windows build of `examples/load_mapi32.rs`:
//! `scripts/check` stage 4 builds it and runs this test with
//! `MAPI_SHUTDOWN_WINE_MAPI_HELPER` set to the `.exe` (and `WINEPREFIX`),
//! and fails unless the test reports `ok` with the variable set. Without
//! the variable (stage 3, a plain `cargo test`) the test says it did not
//! run and passes.

#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

/// The path of the Windows `load_mapi32.exe`.
const HELPER_ENV: &str = "MAPI_SHUTDOWN_WINE_MAPI_HELPER";
/// The Wine loader to run it with (default `/usr/lib/wine/wine64`).
const WINE_ENV: &str = "MAPI_SHUTDOWN_WINE";

/// The Wine process; stdin closed (it exits) and killed when dropped.
struct WineHelper(Child);

impl Drop for WineHelper {
    fn drop(&mut self) {
        drop(self.0.stdin.take());
        std::thread::sleep(Duration::from_millis(200));
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn linux_scanner_sees_a_wine_process_with_mapi32_loaded() {
    let Some(helper) = std::env::var_os(HELPER_ENV) else {
        eprintln!(
            "not run: set {HELPER_ENV} to the Windows load_mapi32.exe (scripts/check stage 4)"
        );
        return;
    };
    let wine = std::env::var_os(WINE_ENV).unwrap_or_else(|| "/usr/lib/wine/wine64".into());
    let mut child = Command::new(&wine)
        .arg(&helper)
        .env("WINEDEBUG", "-all")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", wine.to_string_lossy()));
    let stdout = child.stdout.take().expect("stdout");
    let child = WineHelper(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.trim() == "LOADED" {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(120))
        .expect("load_mapi32.exe did not load mapi32.dll within 120 s under Wine");

    let out = Command::new(env!("CARGO_BIN_EXE_mapi-shutdown"))
        .args(["processes", "--json"])
        .output()
        .expect("run mapi-shutdown processes");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).expect("JSON");
    let row = rows
        .iter()
        .find(|r| {
            r["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case("load_mapi32.exe"))
        })
        .unwrap_or_else(|| panic!("load_mapi32.exe not among the MAPI processes: {rows:#?}"));
    assert_eq!(row["wine"], true, "{row:#}");
    assert!(
        row["subsystem"]["dll"]
            .as_str()
            .is_some_and(|d| d.eq_ignore_ascii_case("mapi32.dll")),
        "{row:#}"
    );
    // Its own path (a Unix one: it was started from one), not the loader's.
    assert!(
        row["path"]
            .as_str()
            .is_some_and(|p| p.to_ascii_lowercase().ends_with("load_mapi32.exe")),
        "{row:#}"
    );
    drop(child);
}
