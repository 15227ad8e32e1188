//! Group Policy `Registry.pol` files against an independent implementation:
//! the `registrypol` Python package (PyPI, 1.0.1) reads what `policy export
//! --format pol` writes, record for record, and what it writes is read and
//! imported by `policy import` to the same settings.
//!
//! `scripts/check` (stage 1) makes a virtual environment with
//! `registrypol` in it and passes its Python in
//! `MAPI_SHUTDOWN_REGISTRYPOL_PYTHON`; it also sets
//! `MAPI_SHUTDOWN_REQUIRE_REGISTRYPOL`, so CI fails instead of skipping.
//! Run alone, the test is skipped, saying so, when no such Python is given.

#![cfg(not(windows))]

use std::path::{Path, PathBuf};
use std::process::Command;

use mapi_shutdown::policy::RegistryData;
use mapi_shutdown::policy::gpo::{self, PolAction};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_mapi-shutdown");
const PYTHON_ENV: &str = "MAPI_SHUTDOWN_REGISTRYPOL_PYTHON";
const REQUIRE_ENV: &str = "MAPI_SHUTDOWN_REQUIRE_REGISTRYPOL";
const KEY16: &str = r"Software\Policies\Microsoft\Office\16.0\Outlook\Options\Shutdown";
const KEY15: &str = r"Software\Policies\Microsoft\Office\15.0\Outlook\Options\Shutdown";

/// Every record of a file as registrypol reads it: key and value without
/// their NUL, type, size, data in hex.
const READ_PY: &str = r#"
import json, sys, registrypol
with open(sys.argv[1], 'rb') as f:
    policy = registrypol.load(f)
print(json.dumps([
    [v.key.rstrip('\x00'), v.value.rstrip('\x00'), v.type, v.size, v.data.hex()]
    for v in policy.values
]))
"#;

/// Write a file with registrypol from `[key, value, type, data hex]`
/// records given as JSON in argv[2].
const WRITE_PY: &str = r#"
import json, sys, registrypol
from registrypol.policy import RegistryPolicy
from registrypol.values import RegistryValue
values = [
    RegistryValue(key=k + '\x00', value=v + '\x00', type=t, size=len(bytes.fromhex(d)),
                  data=bytes.fromhex(d))
    for k, v, t, d in json.loads(sys.argv[2])
]
with open(sys.argv[1], 'wb') as f:
    registrypol.dump(RegistryPolicy(values=values), f)
"#;

/// The Python with registrypol, or `None` after saying why the test is
/// skipped. Panics when it is required and missing.
fn python_or_skip() -> Option<PathBuf> {
    match std::env::var_os(PYTHON_ENV).map(PathBuf::from) {
        Some(p) if p.exists() => Some(p),
        other if std::env::var_os(REQUIRE_ENV).is_some() => panic!(
            "{REQUIRE_ENV} is set but {PYTHON_ENV} ({other:?}) is not a Python: run \
             `scripts/check deps`, which makes the virtual environment with registrypol"
        ),
        _ => {
            eprintln!(
                "SKIPPED: {PYTHON_ENV} is not set, so Registry.pol files are not checked \
                 against registrypol (`scripts/check` sets it)"
            );
            None
        }
    }
}

fn python(py: &Path, script: &str, args: &[&str]) -> String {
    let out = Command::new(py)
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Run the CLI on this env's file store; the exit code and stdout.
    fn run(&self, args: &[&str]) -> (Option<i32>, String) {
        let out = Command::new(BIN)
            .env("MAPI_SHUTDOWN_DATA_DIR", self.path("data"))
            .env("MAPI_SHUTDOWN_LANG", "en")
            .env_remove("MAPI_SHUTDOWN_REGISTRY")
            .arg("--registry")
            .arg(format!("file:{}", self.path("registry.reg").display()))
            .args(args)
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            out.status.code().is_some_and(|c| c <= 3),
            "{args:?}: {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code(), stdout)
    }

    fn set(&self, name: &str, value: &str, office: &str) {
        let (code, out) = self.run(&["policy", "set", name, value, "--office", office]);
        assert_eq!(code, Some(0), "{out}");
    }

    /// Each setting of one Office version as `policy show --json` gives
    /// it: name → raw data (null when absent).
    fn settings(&self, office: &str) -> Value {
        let (_, out) = self.run(&["policy", "show", "--office", office, "--json"]);
        let v: Value = serde_json::from_str(&out).unwrap();
        let mut map = serde_json::Map::new();
        for s in v["versions"][0]["settings"].as_array().unwrap() {
            map.insert(s["name"].as_str().unwrap().to_string(), s["raw"].clone());
        }
        Value::Object(map)
    }
}

#[test]
fn registrypol_reads_our_export_record_for_record() {
    let Some(py) = python_or_skip() else { return };
    let env = Env::new();
    env.set("FastShutdownBehavior", "opt-in", "16.0");
    env.set("allowshutdownwithexternalreferences", "0", "16.0");
    env.set("AddinFastShutdownBehavior", "1", "15.0");
    let file = env.path("Registry.pol");
    let (code, out) = env.run(&[
        "policy",
        "export",
        "--format",
        "pol",
        "--delete-unset",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{out}");
    let theirs: Value = serde_json::from_str(&python(&py, READ_PY, &[file.to_str().unwrap()]))
        .expect("registrypol's listing");
    let k16 = KEY16.to_ascii_lowercase();
    let k15 = KEY15.to_ascii_lowercase();
    let del = "20000000"; // REG_SZ " " with its NUL
    assert_eq!(
        theirs,
        json!([
            [k15, "**del.fastshutdownbehavior", 1, 4, del],
            [k15, "addinfastshutdownbehavior", 4, 4, "01000000"],
            [k15, "**del.allowshutdownwithexternalreferences", 1, 4, del],
            [k16, "fastshutdownbehavior", 4, 4, "01000000"],
            [k16, "**del.addinfastshutdownbehavior", 1, 4, del],
            [k16, "allowshutdownwithexternalreferences", 4, 4, "00000000"],
        ])
    );
    // And our reader agrees with theirs on every record.
    let ours = gpo::read_file(&file).unwrap();
    assert_eq!(ours.records.len(), 6);
    for (mine, theirs) in ours.records.iter().zip(theirs.as_array().unwrap()) {
        assert_eq!(mine.key, theirs[0].as_str().unwrap());
        assert_eq!(mine.value, theirs[1].as_str().unwrap());
    }
}

#[test]
fn a_registrypol_file_imports_to_the_same_settings() {
    let Some(py) = python_or_skip() else { return };
    let env = Env::new();
    env.set("AddinFastShutdownBehavior", "1", "16.0");
    let file = env.path("theirs.pol");
    let records = json!([
        [KEY16, "FastShutdownBehavior", 4, "02000000"],
        [KEY16, "**del.AddinFastShutdownBehavior", 1, "20000000"],
        [KEY15, "allowshutdownwithexternalreferences", 4, "01000000"],
        // Refused: a foreign key, and invalid data for a policy.
        [
            r"Software\Microsoft\Windows\CurrentVersion\Run",
            "x",
            1,
            "63000000"
        ],
        [KEY15, "FastShutdownBehavior", 1, "31000000"],
    ]);
    python(
        &py,
        WRITE_PY,
        &[file.to_str().unwrap(), &records.to_string()],
    );

    // Our reader sees what they wrote.
    let pol = gpo::read_file(&file).unwrap();
    assert_eq!(pol.records.len(), 5);
    assert_eq!(
        pol.records[0].action,
        PolAction::Set(RegistryData::Dword(2))
    );
    assert_eq!(
        pol.records[1].action,
        PolAction::DeleteValue("AddinFastShutdownBehavior".into())
    );
    assert_eq!(
        pol.records[4].action,
        PolAction::Set(RegistryData::String("1".into()))
    );

    let before = std::fs::read(env.path("registry.reg")).unwrap();
    let (code, out) = env.run(&["policy", "import", "--dry-run", file.to_str().unwrap()]);
    assert_eq!(code, Some(3), "refusals make a partial import: {out}");
    assert!(out.contains("Group Policy file"), "{out}");
    assert!(out.contains("CurrentVersion\\Run"), "{out}");
    assert!(out.contains("invalid data"), "{out}");
    assert_eq!(std::fs::read(env.path("registry.reg")).unwrap(), before);

    let (code, out) = env.run(&["policy", "import", file.to_str().unwrap()]);
    assert_eq!(code, Some(3), "{out}");
    assert_eq!(
        env.settings("16.0"),
        json!({
            "FastShutdownBehavior": {"type": "REG_DWORD", "data": 2},
            "AddinFastShutdownBehavior": null,
            "allowshutdownwithexternalreferences": null,
        })
    );
    assert_eq!(
        env.settings("15.0"),
        json!({
            "FastShutdownBehavior": null,
            "AddinFastShutdownBehavior": null,
            "allowshutdownwithexternalreferences": {"type": "REG_DWORD", "data": 1},
        })
    );
}
