//! Interop with the registry's own tools: `reg.exe` and `regedit.exe` (Wine's
//! when `scripts/check` runs this under Wine, Windows' own on Windows).
//!
//! - what our Windows store and `mapi-shutdown policy set` write is what
//!   `reg query` reads (and what `reg add` writes, our store reads);
//! - what `regedit /e` and `reg export` write, our file store reads as it
//!   is, and `mapi-shutdown policy import` takes into a file store cleanly;
//! - what `mapi-shutdown policy export` and the file store write,
//!   `reg import` and `regedit /s` accept, type for type.
//!
//! Scratch keys are unique per test below `HKCU\Software\mapi-shutdown-tests`
//! and removed afterwards. The tests that need the real policy key use
//! Office 14.0's, one at a time, and put back what was there before.
#![cfg(windows)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use mapi_shutdown::policy::file::FileStore;
use mapi_shutdown::policy::store::{Hive, RegistryStore};
use mapi_shutdown::policy::windows::WindowsStore;
use mapi_shutdown::policy::{OfficeVersion, RegistryData};

const BIN: &str = env!("CARGO_BIN_EXE_mapi-shutdown");
const HKCU: Hive = Hive::CurrentUser;
/// The parent of every scratch key, under `HKEY_CURRENT_USER`.
const TEST_ROOT: &str = r"Software\mapi-shutdown-tests";
/// The Office version whose real policy key these tests borrow.
const OFFICE: OfficeVersion = OfficeVersion::V14;
/// Where Outlook's per-user COM add-ins are registered.
const ADDINS: &str = r"Software\Microsoft\Office\Outlook\Addins";

/// A name no other test run (parallel or earlier) uses.
fn unique(label: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_nanos();
    format!("{label}-{}-{nanos}", std::process::id())
}

/// Removes an HKCU key tree when dropped, even after a failed assertion.
struct RemoveOnDrop(String);

impl RemoveOnDrop {
    fn scratch(label: &str) -> Self {
        RemoveOnDrop(format!(r"{TEST_ROOT}\{}", unique(label)))
    }
}

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = windows_registry::CURRENT_USER.remove_tree(&self.0);
    }
}

/// Serializes the tests that use the real Office 14.0 policy key.
static POLICY_KEY: Mutex<()> = Mutex::new(());

/// Borrows `HKCU\…\Office\14.0\Outlook\Options\Shutdown`: empties it (removes
/// the key) for the test and puts its values back when dropped.
struct BorrowedPolicyKey {
    key: String,
    saved: Option<Vec<(String, RegistryData)>>,
    _one_at_a_time: MutexGuard<'static, ()>,
}

impl BorrowedPolicyKey {
    fn take() -> Self {
        let lock = POLICY_KEY.lock().unwrap_or_else(|e| e.into_inner());
        let key = OFFICE.shutdown_policy_key();
        let saved = WindowsStore::new().values(HKCU, &key).ok();
        let _ = windows_registry::CURRENT_USER.remove_tree(&key);
        BorrowedPolicyKey {
            key,
            saved,
            _one_at_a_time: lock,
        }
    }

    fn full(&self) -> String {
        HKCU.full_path(&self.key)
    }
}

impl Drop for BorrowedPolicyKey {
    fn drop(&mut self) {
        let _ = windows_registry::CURRENT_USER.remove_tree(&self.key);
        if let Some(values) = &self.saved {
            let store = WindowsStore::new();
            let _ = store.create_key(HKCU, &self.key);
            for (name, data) in values {
                let _ = store.set_value(HKCU, &self.key, name, data);
            }
        }
    }
}

/// Runs one of the system's registry tools (found in `C:\windows\system32`).
///
/// Wine 8 under a heavy load once failed to start `reg.exe` with
/// `ERROR_INTERNAL_ERROR` (1359) before the tool ran at all; that start is
/// tried again, up to three times. Any other failure, or the tool's own
/// exit code, is the test's to judge.
fn tool(program: &str, args: &[&str]) -> Output {
    const ERROR_INTERNAL_ERROR: i32 = 1359;
    let mut attempt = 1;
    loop {
        match Command::new(program).args(args).output() {
            Ok(out) => return out,
            Err(e) if e.raw_os_error() == Some(ERROR_INTERNAL_ERROR) && attempt < 3 => {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(500));
            }
            Err(e) => panic!("cannot run {program} {args:?} (attempt {attempt}): {e}"),
        }
    }
}

/// Runs a tool that must succeed; returns its stdout.
fn tool_ok(program: &str, args: &[&str]) -> String {
    let out = tool(program, args);
    assert!(
        out.status.success(),
        "{program} {args:?} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `reg query KEY /v NAME`: the type and data as `reg` prints them
/// (`("REG_DWORD", "0x2")`), or `None` when it finds no such value.
fn reg_query(full_key: &str, name: &str) -> Option<(String, String)> {
    let out = tool("reg", &["query", full_key, "/v", name]);
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    // A value line: four spaces, name, four spaces, type, four spaces, data.
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        let Some(rest) = line.strip_prefix("    ") else {
            continue;
        };
        let mut parts = rest.splitn(3, "    ");
        if let (Some(n), Some(ty)) = (parts.next(), parts.next())
            && n.eq_ignore_ascii_case(name)
        {
            return Some((ty.to_string(), parts.next().unwrap_or("").to_string()));
        }
    }
    panic!("no line for value {name:?} in `reg query` output:\n{text}");
}

/// The text of a regedit-format file, which must be UTF-16LE with a BOM.
fn utf16_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(
        bytes.get(..2),
        Some(&[0xFF, 0xFE][..]),
        "{} is not UTF-16LE with a BOM",
        path.display()
    );
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16(&units).unwrap()
}

/// Runs our CLI (a Windows exe, like the tools) with backups in `data`.
fn cli(data: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .env("MAPI_SHUTDOWN_DATA_DIR", data)
        .env_remove("MAPI_SHUTDOWN_REGISTRY")
        .args(args)
        .output()
        .unwrap()
}

fn cli_ok(data: &Path, args: &[&str]) -> Output {
    let out = cli(data, args);
    assert!(
        out.status.success(),
        "mapi-shutdown {args:?} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Values of every type, with the text of the tricky cases.
fn every_type() -> Vec<(&'static str, RegistryData)> {
    vec![
        ("Dword", RegistryData::Dword(2)),
        ("DwordMax", RegistryData::Dword(u32::MAX)),
        ("Qword", RegistryData::Qword(0x1_0000_0001)),
        ("Sz", RegistryData::String("1".into())),
        ("Empty", RegistryData::String(String::new())),
        ("Quoted", RegistryData::String(r#"a "q" \ b"#.into())),
        ("Unicode", RegistryData::String("Café ✓ Ω".into())),
        // Wine's regedit and reg export write this as "line 1\r\nline 2".
        ("Lines", RegistryData::String("line 1\r\nline 2".into())),
        ("Expand", RegistryData::ExpandString(r"%TEMP%\x".into())),
        (
            "Multi",
            RegistryData::MultiString(vec!["a".into(), "b c".into()]),
        ),
        ("Bin", RegistryData::Binary(vec![0, 1, 254, 255])),
        // Long enough that regedit wraps it over continuation lines.
        ("LongBin", RegistryData::Binary((0..=255).collect())),
        ("", RegistryData::String("the default value".into())),
    ]
}

/// Writes [`every_type`] and an empty subkey below `key` in `store`.
fn write_every_type(store: &dyn RegistryStore, key: &str) {
    store.create_key(HKCU, key).unwrap();
    store.create_key(HKCU, &format!(r"{key}\Sub")).unwrap();
    for (name, data) in every_type() {
        store.set_value(HKCU, key, name, &data).unwrap();
    }
}

/// `key` and its subkeys' names and values, as `store` reads them.
fn snapshot(store: &dyn RegistryStore, key: &str) -> Vec<(String, Vec<(String, RegistryData)>)> {
    let mut out = vec![(String::new(), store.values(HKCU, key).unwrap())];
    for sub in store.subkeys(HKCU, key).unwrap() {
        let path = format!(r"{key}\{sub}");
        out.push((sub, store.values(HKCU, &path).unwrap()));
    }
    out
}

// --- our writes, read by reg.exe ---------------------------------------------

#[test]
fn reg_query_reads_what_our_windows_store_writes() {
    let scratch = RemoveOnDrop::scratch("reg-query");
    let store = WindowsStore::new();
    write_every_type(&store, &scratch.0);
    let full = HKCU.full_path(&scratch.0);

    let expected = [
        ("Dword", "REG_DWORD", "0x2"),
        ("DwordMax", "REG_DWORD", "0xffffffff"),
        ("Sz", "REG_SZ", "1"),
        ("Quoted", "REG_SZ", r#"a "q" \ b"#),
        ("Expand", "REG_EXPAND_SZ", r"%TEMP%\x"),
        ("Multi", "REG_MULTI_SZ", r"a\0b c"),
        ("Bin", "REG_BINARY", "0001FEFF"),
    ];
    for (name, ty, data) in expected {
        assert_eq!(
            reg_query(&full, name),
            Some((ty.to_string(), data.to_string())),
            "{name}"
        );
    }
    // Wine 8's `reg query` prints every REG_QWORD's data as "(null)"
    // (Windows prints 0x100000001): check the type here, the data below
    // through `reg export`.
    let (ty, data) = reg_query(&full, "Qword").unwrap();
    assert_eq!(ty, "REG_QWORD");
    assert!(data == "0x100000001" || data == "(null)", "{data}");
    assert_eq!(reg_query(&full, "NotThere"), None);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.reg");
    tool_ok("reg", &["export", &full, file.to_str().unwrap(), "/y"]);
    let text = utf16_text(&file);
    assert!(
        text.contains("\"Qword\"=hex(b):01,00,00,00,01,00,00,00\r\n"),
        "{text}"
    );
    assert!(text.contains("\"Dword\"=dword:00000002\r\n"), "{text}");
    assert!(text.contains("\"Unicode\"=\"Café ✓ Ω\"\r\n"), "{text}");
}

#[test]
fn our_windows_store_reads_what_reg_add_writes() {
    let scratch = RemoveOnDrop::scratch("reg-add");
    let full = HKCU.full_path(&scratch.0);
    for (name, ty, data) in [
        ("Dword", "REG_DWORD", "2"),
        ("Qword", "REG_QWORD", "0x100000001"),
        ("Sz", "REG_SZ", "1"),
        ("Expand", "REG_EXPAND_SZ", r"%TEMP%\x"),
        ("Multi", "REG_MULTI_SZ", r"a\0b c"),
        ("Bin", "REG_BINARY", "0001feff"),
    ] {
        tool_ok(
            "reg",
            &["add", &full, "/v", name, "/t", ty, "/d", data, "/f"],
        );
    }
    let store = WindowsStore::new();
    let read = |name: &str| store.read_value(HKCU, &scratch.0, name).unwrap();
    assert_eq!(read("dword"), Some(RegistryData::Dword(2)));
    assert_eq!(read("Qword"), Some(RegistryData::Qword(0x1_0000_0001)));
    assert_eq!(read("Sz"), Some(RegistryData::String("1".into())));
    assert_eq!(
        read("Expand"),
        Some(RegistryData::ExpandString(r"%TEMP%\x".into()))
    );
    assert_eq!(
        read("Multi"),
        Some(RegistryData::MultiString(vec!["a".into(), "b c".into()]))
    );
    assert_eq!(
        read("Bin"),
        Some(RegistryData::Binary(vec![0, 1, 254, 255]))
    );
}

#[test]
fn reg_query_reads_what_policy_set_writes() {
    let policy = BorrowedPolicyKey::take();
    let full = policy.full();
    let data = tempfile::tempdir().unwrap();
    let set = |name: &str, value: &str| {
        cli_ok(
            data.path(),
            &[
                "--registry",
                "windows",
                "policy",
                "set",
                name,
                value,
                "--office",
                OFFICE.as_str(),
            ],
        )
    };
    let dword = |v: &str| Some(("REG_DWORD".to_string(), v.to_string()));

    set("FastShutdownBehavior", "disabled");
    set("AddinFastShutdownBehavior", "on");
    set("allowshutdownwithexternalreferences", "prevent");
    assert_eq!(reg_query(&full, "FastShutdownBehavior"), dword("0x2"));
    assert_eq!(reg_query(&full, "AddinFastShutdownBehavior"), dword("0x1"));
    assert_eq!(
        reg_query(&full, "allowshutdownwithexternalreferences"),
        dword("0x0")
    );

    set("fastshutdownbehavior", "opt-in");
    assert_eq!(reg_query(&full, "FastShutdownBehavior"), dword("0x1"));
    cli_ok(
        data.path(),
        &[
            "--registry",
            "windows",
            "policy",
            "unset",
            "FastShutdownBehavior",
            "--office",
            OFFICE.as_str(),
        ],
    );
    assert_eq!(reg_query(&full, "FastShutdownBehavior"), None);

    // And back: what reg.exe writes, `policy show` reports, raw and typed.
    tool_ok(
        "reg",
        &[
            "add",
            &full,
            "/v",
            "FastShutdownBehavior",
            "/t",
            "REG_SZ",
            "/d",
            "1",
            "/f",
        ],
    );
    let out = cli_ok(
        data.path(),
        &[
            "--registry",
            "windows",
            "policy",
            "show",
            "--office",
            OFFICE.as_str(),
            "--json",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let settings = &json["versions"][0]["settings"];
    let fsb = settings
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "FastShutdownBehavior")
        .unwrap();
    assert_eq!(fsb["state"], "invalid", "{fsb}");
    assert_eq!(
        fsb["raw"],
        serde_json::json!({"type": "REG_SZ", "data": "1"})
    );
}

// --- regedit's files, read by us -----------------------------------------------

#[test]
fn our_file_store_reads_what_regedit_and_reg_export_write() {
    let scratch = RemoveOnDrop::scratch("regedit-export");
    let windows = WindowsStore::new();
    write_every_type(&windows, &scratch.0);
    let full = HKCU.full_path(&scratch.0);
    let expected = snapshot(&windows, &scratch.0);
    assert_eq!(expected.len(), 2, "{expected:?}");

    let dir = tempfile::tempdir().unwrap();
    let by_regedit = dir.path().join("regedit.reg");
    let by_reg = dir.path().join("reg.reg");
    tool_ok("regedit", &["/e", by_regedit.to_str().unwrap(), &full]);
    tool_ok("reg", &["export", &full, by_reg.to_str().unwrap(), "/y"]);

    for file in [&by_regedit, &by_reg] {
        let text = utf16_text(file);
        assert!(
            text.starts_with("Windows Registry Editor Version 5.00\r\n"),
            "{text}"
        );
        // The long binary value is wrapped with `,\` continuation lines.
        assert!(text.contains(",\\\r\n  "), "{text}");
        let store = FileStore::new(file.clone());
        assert_eq!(
            snapshot(&store, &scratch.0),
            expected,
            "{}:\n{text}",
            file.display()
        );
    }
}

#[test]
fn policy_import_takes_a_regedit_export_cleanly() {
    let policy = BorrowedPolicyKey::take();
    let full = policy.full();
    for (name, value) in [
        ("FastShutdownBehavior", "2"),
        ("AddinFastShutdownBehavior", "1"),
        ("allowshutdownwithexternalreferences", "0"),
    ] {
        tool_ok(
            "reg",
            &[
                "add",
                &full,
                "/v",
                name,
                "/t",
                "REG_DWORD",
                "/d",
                value,
                "/f",
            ],
        );
    }
    let dir = tempfile::tempdir().unwrap();
    // The Shutdown key alone, and the version's whole tree: regedit writes a
    // section for every key on the way down (14.0, 14.0\Outlook, …).
    let version_key = HKCU.full_path(&format!(
        r"Software\Policies\Microsoft\Office\{}",
        OFFICE.as_str()
    ));
    for (label, exported_key) in [("shutdown", &full), ("version", &version_key)] {
        let exported = dir.path().join(format!("{label}.reg"));
        tool_ok("regedit", &["/e", exported.to_str().unwrap(), exported_key]);

        let store_path = dir.path().join(format!("{label}-store.reg"));
        let spec = format!("file:{}", store_path.display());
        let data = dir.path().join("data");
        let out = cli_ok(
            &data,
            &[
                "--registry",
                &spec,
                "policy",
                "import",
                exported.to_str().unwrap(),
            ],
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let text = utf16_text(&exported);
        assert!(!stdout.contains("Refused"), "{label}: {stdout}\n{text}");
        assert!(stderr.trim().is_empty(), "{label}: {stderr}");
        assert!(stdout.contains("Imported 3 values"), "{label}: {stdout}");

        let store = FileStore::new(store_path);
        assert_eq!(
            store.values(HKCU, &policy.key).unwrap(),
            WindowsStore::new().values(HKCU, &policy.key).unwrap(),
            "{label}"
        );
        assert_eq!(
            store
                .read_value(HKCU, &policy.key, "FastShutdownBehavior")
                .unwrap(),
            Some(RegistryData::Dword(2)),
            "{label}"
        );
    }
}

// --- our files, read by reg.exe and regedit --------------------------------------

#[test]
fn reg_import_and_regedit_accept_our_policy_export() {
    let policy = BorrowedPolicyKey::take();
    let addin = RemoveOnDrop(format!(r"{ADDINS}\{}", unique("MapiShutdownTest.Interop")));
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("store.reg");
    let spec = format!("file:{}", store_path.display());
    let data = dir.path().join("data");

    // The source: a file store with the three values (one of them invalid
    // data, which is exported as it is) and a registered add-in.
    let source = FileStore::new(store_path);
    source.create_key(HKCU, &policy.key).unwrap();
    source
        .set_dword(HKCU, &policy.key, "FastShutdownBehavior", 2)
        .unwrap();
    source
        .set_dword(HKCU, &policy.key, "AddinFastShutdownBehavior", 1)
        .unwrap();
    source
        .set_value(
            HKCU,
            &policy.key,
            "allowshutdownwithexternalreferences",
            &RegistryData::String("1".into()),
        )
        .unwrap();
    source.create_key(HKCU, &addin.0).unwrap();
    source
        .set_dword(HKCU, &addin.0, "RequireShutdownNotification", 1)
        .unwrap();
    source.set_dword(HKCU, &addin.0, "LoadBehavior", 3).unwrap();

    let all = dir.path().join("all.reg");
    let one = dir.path().join("one.reg");
    let all_s = all.to_str().unwrap();
    let one_s = one.to_str().unwrap();
    cli_ok(&data, &["--registry", &spec, "policy", "export", all_s]);
    cli_ok(
        &data,
        &[
            "--registry",
            &spec,
            "policy",
            "export",
            one_s,
            "--office",
            OFFICE.as_str(),
        ],
    );

    // Every export: reg import writes exactly the source's values.
    let windows = WindowsStore::new();
    tool_ok("reg", &["import", all_s]);
    assert_eq!(
        windows.values(HKCU, &policy.key).unwrap(),
        source.values(HKCU, &policy.key).unwrap()
    );
    assert_eq!(
        reg_query(&policy.full(), "FastShutdownBehavior"),
        Some(("REG_DWORD".to_string(), "0x2".to_string()))
    );
    assert_eq!(
        reg_query(&policy.full(), "allowshutdownwithexternalreferences"),
        Some(("REG_SZ".to_string(), "1".to_string()))
    );
    assert_eq!(
        windows.values(HKCU, &addin.0).unwrap(),
        vec![(
            "RequireShutdownNotification".to_string(),
            RegistryData::Dword(1)
        )],
        "only the shutdown value of the add-in is exported"
    );

    // One version's export, through regedit's silent import.
    let _ = windows_registry::CURRENT_USER.remove_tree(&policy.key);
    tool_ok("regedit", &["/s", one_s]);
    assert_eq!(
        windows.values(HKCU, &policy.key).unwrap(),
        source.values(HKCU, &policy.key).unwrap()
    );
}

#[test]
fn reg_import_accepts_our_file_store() {
    let scratch = RemoveOnDrop::scratch("file-store");
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("registry.reg");
    let file = FileStore::new(path.clone());
    write_every_type(&file, &scratch.0);
    // A value-less key with no subkeys must survive too.
    file.create_key(HKCU, &format!(r"{}\Sub\Leaf", scratch.0))
        .unwrap();

    tool_ok("reg", &["import", path.to_str().unwrap()]);
    let windows = WindowsStore::new();
    assert_eq!(
        snapshot(&windows, &scratch.0),
        snapshot(&file, &scratch.0),
        "{}",
        utf16_text(&path)
    );
    assert!(
        windows
            .key_exists(HKCU, &format!(r"{}\Sub\Leaf", scratch.0))
            .unwrap()
    );
}
