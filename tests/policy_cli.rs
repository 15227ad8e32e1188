//! `mapi-shutdown policy …` and `addins …` as a real child process against
//! temporary `.reg` file stores (`--registry file:PATH`) and a temporary
//! data directory for backups (`MAPI_SHUTDOWN_DATA_DIR`): every command,
//! its exit code (0 / 1 failure / 2 usage), and the errors an admin meets.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_mapi-shutdown");
const SHUTDOWN_16: &str =
    r"HKEY_CURRENT_USER\Software\Policies\Microsoft\Office\16.0\Outlook\Options\Shutdown";
const SHUTDOWN_15: &str =
    r"HKEY_CURRENT_USER\Software\Policies\Microsoft\Office\15.0\Outlook\Options\Shutdown";

/// A temp dir with a store file path and a data dir.
struct Env {
    dir: tempfile::TempDir,
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}:\n{}", self.stdout))
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code(),
            stdout: String::from_utf8(o.stdout).unwrap(),
            stderr: String::from_utf8(o.stderr).unwrap(),
        }
    }
}

impl Env {
    fn new() -> Self {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn store(&self) -> PathBuf {
        self.dir.path().join("config/registry.reg")
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn spec(&self) -> String {
        format!("file:{}", self.store().display())
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new(BIN);
        c.env("MAPI_SHUTDOWN_DATA_DIR", self.data())
            .env_remove("MAPI_SHUTDOWN_REGISTRY")
            .arg("--registry")
            .arg(self.spec());
        c
    }

    fn run(&self, args: &[&str]) -> Run {
        self.cmd().args(args).output().unwrap().into()
    }

    fn ok(&self, args: &[&str]) -> Run {
        let r = self.run(args);
        assert_eq!(
            r.code,
            Some(0),
            "{args:?}\nstdout:\n{}\nstderr:\n{}",
            r.stdout,
            r.stderr
        );
        r
    }

    /// Write the store file (UTF-8 text; the store accepts it).
    fn write_store(&self, body: &str) {
        std::fs::create_dir_all(self.store().parent().unwrap()).unwrap();
        std::fs::write(
            self.store(),
            format!("Windows Registry Editor Version 5.00\n\n{body}"),
        )
        .unwrap();
    }

    fn store_bytes(&self) -> Option<Vec<u8>> {
        std::fs::read(self.store()).ok()
    }

    fn setting(&self, office: &str, name: &str) -> Value {
        let v = self
            .ok(&["policy", "show", "--office", office, "--json"])
            .json();
        v["versions"][0]["settings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .cloned()
            .unwrap()
    }

    fn backups(&self) -> Vec<PathBuf> {
        let dir = self.data().join("backups");
        let mut v: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(d) => d.map(|e| e.unwrap().path()).collect(),
            Err(_) => Vec::new(),
        };
        v.sort();
        v
    }
}

fn decode_utf16(bytes: &[u8]) -> String {
    assert_eq!(&bytes[..2], &[0xFF, 0xFE], "UTF-16LE with BOM");
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16(&units).unwrap()
}

#[test]
fn show_json_has_the_documented_shape() {
    let env = Env::new();
    env.write_store(&format!(
        "[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Outlook]\n\n\
         [{SHUTDOWN_16}]\n\"FastShutdownBehavior\"=\"1\"\n\"AddinFastShutdownBehavior\"=dword:00000001\n"
    ));
    let v = env.ok(&["policy", "show", "--json"]).json();
    assert_eq!(v["backend"], env.spec());
    let versions = v["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 3);
    let offices: Vec<&str> = versions
        .iter()
        .map(|x| x["office"].as_str().unwrap())
        .collect();
    assert_eq!(offices, ["14.0", "15.0", "16.0"]);
    for ver in versions {
        assert!(ver["installed"].is_boolean());
        assert!(
            ver["key"]
                .as_str()
                .unwrap()
                .ends_with(r"\Outlook\Options\Shutdown")
        );
        let settings = ver["settings"].as_array().unwrap();
        let names: Vec<&str> = settings
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "FastShutdownBehavior",
                "AddinFastShutdownBehavior",
                "allowshutdownwithexternalreferences"
            ]
        );
        for s in settings {
            assert!(["not-configured", "valid", "invalid"].contains(&s["state"].as_str().unwrap()));
            assert!(
                s["raw"].is_null() || (s["raw"]["type"].is_string() && !s["raw"]["data"].is_null())
            );
            assert!(s["effective"].is_string());
        }
    }
    assert_eq!(versions[2]["installed"], true);
    assert_eq!(versions[1]["installed"], false);
    let fsb = &versions[2]["settings"][0];
    assert_eq!(fsb["state"], "invalid");
    assert_eq!(fsb["raw"]["type"], "REG_SZ");
    assert_eq!(fsb["raw"]["data"], "1");
    assert_eq!(fsb["effective"], "opt-out");
    assert!(
        fsb["fix"]
            .as_str()
            .unwrap()
            .contains("policy unset FastShutdownBehavior --office 16.0")
    );
    let addin = &versions[2]["settings"][1];
    assert_eq!(addin["state"], "valid");
    assert_eq!(addin["raw"]["data"], 1);
    assert_eq!(addin["effective"], "on");
    let ext = &versions[2]["settings"][2];
    assert_eq!(ext["state"], "not-configured");
    assert!(ext["raw"].is_null());
    assert_eq!(ext["effective"], "allow");

    // The text form says the same in words.
    let text = env.ok(&["policy", "show", "--office", "16.0"]).stdout;
    assert!(text.contains("INVALID REG_SZ \"1\""), "{text}");
    assert!(
        text.contains("fix: mapi-shutdown policy unset FastShutdownBehavior"),
        "{text}"
    );
    assert!(
        text.contains("ADMX \"Prevent shutdown if external references exist\""),
        "{text}"
    );
}

#[test]
fn set_unset_backup_history_undo() {
    let env = Env::new();
    assert!(env.store_bytes().is_none());
    let r = env.ok(&["policy", "set", "fastshutdownbehavior", "disabled"]);
    assert!(
        r.stdout.contains("-> REG_DWORD 0x00000002 (2) = disabled"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("verified"), "{}", r.stdout);
    let s = env.setting("16.0", "FastShutdownBehavior");
    assert_eq!(
        (s["state"].as_str(), s["raw"]["data"].as_u64()),
        (Some("valid"), Some(2))
    );
    // The store is a regedit file.
    let text = decode_utf16(&env.store_bytes().unwrap());
    assert!(
        text.starts_with("Windows Registry Editor Version 5.00\r\n"),
        "{text}"
    );
    assert!(
        text.contains("\"FastShutdownBehavior\"=dword:00000002"),
        "{text}"
    );
    assert_eq!(env.backups().len(), 1);

    env.ok(&[
        "policy",
        "set",
        "AddinFastShutdownBehavior",
        "on",
        "--office",
        "15.0",
    ]);
    env.ok(&[
        "policy",
        "set",
        "allowshutdownwithexternalreferences",
        "off",
        "--office",
        "15",
    ]);
    let s = env.setting("15.0", "allowshutdownwithexternalreferences");
    assert_eq!(s["raw"]["data"], 0);
    assert_eq!(s["effective"], "prevent");
    env.ok(&["policy", "unset", "FASTSHUTDOWNBEHAVIOR"]);
    assert_eq!(
        env.setting("16.0", "FastShutdownBehavior")["state"],
        "not-configured"
    );
    assert_eq!(env.backups().len(), 4);

    // Setting what is there writes nothing and takes no backup.
    let r = env.ok(&["policy", "unset", "FastShutdownBehavior"]);
    assert!(r.stdout.contains("Nothing to write"), "{}", r.stdout);
    assert_eq!(env.backups().len(), 4);

    let h = env.ok(&["policy", "history"]).stdout;
    assert!(h.contains("policy unset FASTSHUTDOWNBEHAVIOR"), "{h}");
    assert!(h.contains("was REG_DWORD 0x00000002 (2)"), "{h}");
    let hj = env.ok(&["policy", "history", "--json"]).json();
    assert_eq!(hj.as_array().unwrap().len(), 4);
    assert_eq!(hj[0]["store"], env.spec());

    // Undo, newest first: the unset, then the external references.
    let u = env.ok(&["policy", "undo"]);
    assert!(
        u.stdout
            .contains("not configured (absent) -> REG_DWORD 0x00000002 (2)"),
        "{}",
        u.stdout
    );
    assert_eq!(
        env.setting("16.0", "FastShutdownBehavior")["raw"]["data"],
        2
    );
    env.ok(&["policy", "undo"]);
    assert_eq!(
        env.setting("15.0", "allowshutdownwithexternalreferences")["state"],
        "not-configured"
    );
    env.ok(&["policy", "undo"]);
    env.ok(&["policy", "undo"]);
    assert_eq!(
        env.setting("16.0", "FastShutdownBehavior")["state"],
        "not-configured"
    );
    let none = env.run(&["policy", "undo"]);
    assert_eq!(none.code, Some(1), "{}", none.stderr);
    assert!(
        none.stderr.contains("nothing to undo in file:")
            && none.stderr.contains("its 4 changes backed up in")
            && none
                .stderr
                .contains("are all undone; `mapi-shutdown policy redo`"),
        "{}",
        none.stderr
    );
    let h = env.ok(&["policy", "history"]).stdout;
    assert!(
        h.contains("[undone]") && h.contains("[taken by undo]"),
        "{h}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let env = Env::new();
    for args in [
        &["policy", "set", "FastShutdownBehavior", "3"][..],
        &["policy", "set", "FastShutdownBehavior", "sometimes"],
        &["policy", "set", "AddinFastShutdownBehavior", "2"],
        &["policy", "set", "LoadBehavior", "1"],
        &["policy", "unset", "Nope"],
        &[
            "policy",
            "set",
            "FastShutdownBehavior",
            "1",
            "--office",
            "17.0",
        ],
        &[
            "policy",
            "set",
            "FastShutdownBehavior",
            "1",
            "--expect",
            "maybe",
        ],
        &["policy", "frobnicate"],
        &[
            "addins",
            "set",
            "X",
            "--require-shutdown-notification",
            "maybe",
        ],
    ] {
        let r = env.run(args);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert!(!r.stderr.is_empty());
    }
    assert!(env.store_bytes().is_none(), "nothing written");
    let r: Run = Command::new(BIN)
        .args(["--registry", "floppy", "policy", "show"])
        .output()
        .unwrap()
        .into();
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("floppy"), "{}", r.stderr);
    // The environment variable chooses the store too.
    let r: Run = Command::new(BIN)
        .env("MAPI_SHUTDOWN_REGISTRY", "memory")
        .args(["policy", "show", "--json"])
        .output()
        .unwrap()
        .into();
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.json()["backend"], "memory");
}

#[test]
fn malformed_store_names_file_and_line_and_is_left_alone() {
    let env = Env::new();
    env.write_store(&format!(
        "[{SHUTDOWN_16}]\n\"FastShutdownBehavior\"=dword:2\n"
    ));
    let before = env.store_bytes();
    let r = env.run(&["policy", "show"]);
    assert_eq!(r.code, Some(1));
    let head = format!("{}:4:", env.store().display());
    assert!(r.stderr.contains(&head), "want {head} in {}", r.stderr);
    assert!(r.stderr.contains("8 hex digits"), "{}", r.stderr);
    let r = env.run(&["policy", "set", "FastShutdownBehavior", "1"]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains(&head), "{}", r.stderr);
    assert_eq!(env.store_bytes(), before);
    assert!(env.backups().is_empty());
}

#[test]
fn expect_detects_a_concurrent_change() {
    let env = Env::new();
    env.ok(&["policy", "set", "FastShutdownBehavior", "1"]);
    let before = env.store_bytes();
    // Shown as "absent" earlier; someone set it to 1 since.
    let r = env.run(&[
        "policy",
        "set",
        "FastShutdownBehavior",
        "2",
        "--expect",
        "absent",
    ]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "{SHUTDOWN_16} value \"FastShutdownBehavior\" is REG_DWORD 0x00000001 (1) = opt-in, \
             not not configured (absent) as --expect said: nothing was written"
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("run the command again with --expect 1."),
        "{}",
        r.stderr
    );
    assert_eq!(env.store_bytes(), before, "nothing written");
    assert_eq!(
        env.backups().len(),
        1,
        "no backup for a write that did not happen"
    );
    env.ok(&[
        "policy",
        "set",
        "FastShutdownBehavior",
        "2",
        "--expect",
        "1",
    ]);
    env.ok(&[
        "policy",
        "unset",
        "FastShutdownBehavior",
        "--expect",
        "dword:00000002",
    ]);
}

#[test]
fn export_writes_a_regedit_file_that_imports_back() {
    let env = Env::new();
    env.write_store(&format!(
        "[{SHUTDOWN_16}]\n\"FastShutdownBehavior\"=dword:00000001\n\"Unrelated\"=dword:00000005\n\n\
         [{SHUTDOWN_15}]\n\"allowshutdownwithexternalreferences\"=dword:00000000\n\n\
         [HKEY_LOCAL_MACHINE\\Software\\WOW6432Node\\Microsoft\\Office\\Outlook\\Addins\\Old.AddIn]\n\
         \"RequireShutdownNotification\"=dword:00000001\n\"LoadBehavior\"=dword:00000003\n"
    ));
    let out = env.path("all.reg");
    let r = env.ok(&["policy", "export", out.to_str().unwrap()]);
    assert!(r.stdout.contains("Exported 3 values"), "{}", r.stdout);
    let text = decode_utf16(&std::fs::read(&out).unwrap());
    assert!(
        text.starts_with("Windows Registry Editor Version 5.00\r\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "[{SHUTDOWN_16}]\r\n\"FastShutdownBehavior\"=dword:00000001"
        )),
        "{text}"
    );
    assert!(!text.contains("Unrelated"), "{text}");
    assert!(
        text.contains("Old.AddIn]\r\n\"RequireShutdownNotification\"=dword:00000001"),
        "{text}"
    );
    assert!(!text.contains("LoadBehavior"), "{text}");

    let one = env.path("one.reg");
    env.ok(&[
        "policy",
        "export",
        one.to_str().unwrap(),
        "--office",
        "15.0",
    ]);
    let text = decode_utf16(&std::fs::read(&one).unwrap());
    assert!(text.contains("15.0") && !text.contains("16.0"), "{text}");

    // Importing the export changes nothing.
    let r = env.ok(&["policy", "import", out.to_str().unwrap()]);
    assert!(r.stdout.contains("Nothing to write"), "{}", r.stdout);
    assert!(env.backups().is_empty());
}

#[test]
fn import_shows_the_diff_applies_shutdown_values_and_refuses_the_rest() {
    let env = Env::new();
    env.write_store(&format!(
        "[{SHUTDOWN_16}]\n\"FastShutdownBehavior\"=dword:00000001\n"
    ));
    let file = env.path("in.reg");
    std::fs::write(
        &file,
        format!(
            "Windows Registry Editor Version 5.00\n\n\
             [{SHUTDOWN_16}]\n\"FastShutdownBehavior\"=dword:00000002\n\"AddinFastShutdownBehavior\"=dword:00000001\n\
             \"NotAPolicy\"=dword:00000001\n\n\
             [HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run]\n\"evil\"=\"calc.exe\"\n"
        ),
    )
    .unwrap();
    let before = env.store_bytes();

    let dry = env.run(&["policy", "import", file.to_str().unwrap(), "--dry-run"]);
    assert_eq!(dry.code, Some(3), "{}", dry.stderr);
    assert!(
        dry.stdout.contains("FastShutdownBehavior: REG_DWORD 0x00000001 (1) = opt-in -> REG_DWORD 0x00000002 (2) = disabled"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains(
            "AddinFastShutdownBehavior: not configured (absent) -> REG_DWORD 0x00000001 (1) = on"
        ),
        "{}",
        dry.stdout
    );
    assert!(dry.stdout.contains("Refused"), "{}", dry.stdout);
    assert!(dry.stdout.contains("NotAPolicy"), "{}", dry.stdout);
    assert!(
        dry.stdout
            .contains(r"CurrentVersion\Run]: not a shutdown settings key"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains("Dry run: nothing written."),
        "{}",
        dry.stdout
    );
    assert!(dry.stderr.contains("2 entries"), "{}", dry.stderr);
    assert_eq!(env.store_bytes(), before, "dry run writes nothing");
    assert!(env.backups().is_empty(), "dry run takes no backup");

    let r = env.run(&["policy", "import", file.to_str().unwrap()]);
    assert_eq!(r.code, Some(3), "some entries refused: {}", r.stderr);
    assert!(r.stdout.contains("Imported 2 values"), "{}", r.stdout);
    assert_eq!(
        env.setting("16.0", "FastShutdownBehavior")["raw"]["data"],
        2
    );
    assert_eq!(
        env.setting("16.0", "AddinFastShutdownBehavior")["raw"]["data"],
        1
    );
    let text = decode_utf16(&env.store_bytes().unwrap());
    assert!(
        !text.contains("evil") && !text.contains("NotAPolicy"),
        "{text}"
    );
    assert_eq!(env.backups().len(), 1);
    // Undo puts both back in one step.
    env.ok(&["policy", "undo"]);
    assert_eq!(
        env.setting("16.0", "FastShutdownBehavior")["raw"]["data"],
        1
    );
    assert_eq!(
        env.setting("16.0", "AddinFastShutdownBehavior")["state"],
        "not-configured"
    );
}

#[test]
fn import_of_only_unrelated_keys_fails() {
    let env = Env::new();
    let file = env.path("evil.reg");
    std::fs::write(
        &file,
        "Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SYSTEM\\X]\n\"a\"=dword:00000001\n",
    )
    .unwrap();
    let r = env.run(&["policy", "import", file.to_str().unwrap()]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("nothing imported"), "{}", r.stderr);
    assert!(env.store_bytes().is_none());
}

#[test]
fn import_reads_regedit4_ansi_and_deletions() {
    let env = Env::new();
    env.ok(&[
        "policy",
        "set",
        "allowshutdownwithexternalreferences",
        "prevent",
    ]);
    let file = env.path("old.reg");
    let mut bytes = format!(
        "REGEDIT4\r\n\r\n; caf\u{0}\r\n[{SHUTDOWN_16}]\r\n\"allowshutdownwithexternalreferences\"=-\r\n\"FastShutdownBehavior\"=dword:00000000\r\n"
    )
    .into_bytes();
    // An ANSI (Windows-1252) byte in a comment: not UTF-8.
    let pos = bytes.iter().position(|b| *b == 0).unwrap();
    bytes[pos] = 0xE9;
    std::fs::write(&file, bytes).unwrap();
    env.ok(&["policy", "import", file.to_str().unwrap()]);
    assert_eq!(
        env.setting("16.0", "allowshutdownwithexternalreferences")["state"],
        "not-configured"
    );
    assert_eq!(
        env.setting("16.0", "FastShutdownBehavior")["effective"],
        "opt-out"
    );
}

#[test]
fn malformed_import_file_names_file_and_line() {
    let env = Env::new();
    let file = env.path("bad.reg");
    std::fs::write(
        &file,
        format!("Windows Registry Editor Version 5.00\n\n[{SHUTDOWN_16}]\n\"FastShutdownBehavior\"=dword:00000002\nthis is not a value\n"),
    )
    .unwrap();
    for args in [
        &["policy", "import", file.to_str().unwrap()][..],
        &["policy", "import", file.to_str().unwrap(), "--dry-run"],
    ] {
        let r = env.run(args);
        assert_eq!(r.code, Some(1), "{}", r.stderr);
        let head = format!("{}:5:", file.display());
        assert!(r.stderr.contains(&head), "want {head} in {}", r.stderr);
    }
    assert!(env.store_bytes().is_none());
    let missing = env.run(&["policy", "import", "/nonexistent/x.reg"]);
    assert_eq!(missing.code, Some(1));
    assert!(
        missing.stderr.contains("/nonexistent/x.reg: reading: "),
        "{}",
        missing.stderr
    );
    // The OS's words, as for every other file, not Rust's "entity not found".
    assert!(
        !missing.stderr.contains("entity not found"),
        "{}",
        missing.stderr
    );
    #[cfg(unix)]
    assert!(
        missing.stderr.contains("No such file or directory"),
        "{}",
        missing.stderr
    );
}

fn addins_store(env: &Env) {
    env.write_store(
        "[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\Outlook\\Addins\\User.AddIn]\n\
         \"FriendlyName\"=\"User add-in\"\n\"LoadBehavior\"=dword:00000003\n\n\
         [HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Office\\Outlook\\Addins\\Both.AddIn]\n\
         \"LoadBehavior\"=dword:00000002\n\n\
         [HKEY_LOCAL_MACHINE\\Software\\WOW6432Node\\Microsoft\\Office\\Outlook\\Addins\\Both.AddIn]\n\
         \"RequireShutdownNotification\"=dword:00000001\n\n\
         [HKEY_LOCAL_MACHINE\\Software\\WOW6432Node\\Microsoft\\Office\\Outlook\\Addins\\Old.AddIn]\n\
         \"RequireShutdownNotification\"=\"yes\"\n",
    );
}

#[test]
fn addins_list_and_set() {
    let env = Env::new();
    addins_store(&env);
    let v = env.ok(&["addins", "list", "--json"]).json();
    assert_eq!(v["backend"], env.spec());
    let list = v["addins"].as_array().unwrap();
    let ids: Vec<String> = list
        .iter()
        .map(|a| {
            format!(
                "{} {} {}",
                a["hive"].as_str().unwrap(),
                a["view"].as_str().unwrap(),
                a["prog_id"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        ids,
        [
            "HKEY_CURRENT_USER native User.AddIn",
            "HKEY_LOCAL_MACHINE native Both.AddIn",
            "HKEY_LOCAL_MACHINE wow6432node Both.AddIn",
            "HKEY_LOCAL_MACHINE wow6432node Old.AddIn",
        ]
    );
    assert_eq!(list[0]["friendly_name"], "User add-in");
    assert_eq!(list[0]["load_behavior"]["raw"]["data"], 3);
    assert_eq!(
        list[0]["require_shutdown_notification"]["state"],
        "not-configured"
    );
    assert_eq!(list[2]["require_shutdown_notification"]["effective"], "on");
    assert_eq!(list[3]["require_shutdown_notification"]["state"], "invalid");
    assert_eq!(
        list[3]["require_shutdown_notification"]["raw"]["type"],
        "REG_SZ"
    );
    let text = env.ok(&["addins", "list"]).stdout;
    assert!(
        text.contains("User.AddIn \"User add-in\"  (HKCU native)"),
        "{text}"
    );
    assert!(text.contains("3: loaded at startup"), "{text}");

    let r = env.ok(&[
        "addins",
        "set",
        "user.addin",
        "--require-shutdown-notification",
        "on",
    ]);
    assert!(
        r.stdout
            .contains("not configured (absent) -> REG_DWORD 0x00000001 (1) = on"),
        "{}",
        r.stdout
    );
    let r = env.ok(&[
        "addins",
        "set",
        "Old.AddIn",
        "--require-shutdown-notification",
        "off",
        "--hive",
        "hklm",
    ]);
    assert!(r.stdout.contains(r"WOW6432Node"), "{}", r.stdout);
    let v = env.ok(&["addins", "list", "--json"]).json();
    assert_eq!(
        v["addins"][0]["require_shutdown_notification"]["raw"]["data"],
        1
    );
    assert_eq!(
        v["addins"][3]["require_shutdown_notification"]["raw"]["data"],
        0
    );

    // Registered in both HKLM views: say which.
    let r = env.run(&[
        "addins",
        "set",
        "Both.AddIn",
        "--require-shutdown-notification",
        "off",
        "--hive",
        "hklm",
    ]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("--view"), "{}", r.stderr);
    env.ok(&[
        "addins",
        "set",
        "Both.AddIn",
        "--require-shutdown-notification",
        "off",
        "--hive",
        "hklm",
        "--view",
        "wow6432node",
    ]);
    // Not registered: no key is created.
    let before = env.store_bytes();
    let r = env.run(&[
        "addins",
        "set",
        "Ghost.AddIn",
        "--require-shutdown-notification",
        "on",
    ]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("no add-in Ghost.AddIn"), "{}", r.stderr);
    assert_eq!(env.store_bytes(), before);

    // Add-in changes are undone like policy changes (newest first).
    env.ok(&["policy", "undo"]);
    env.ok(&["policy", "undo"]);
    let v = env.ok(&["addins", "list", "--json"]).json();
    assert_eq!(
        v["addins"][3]["require_shutdown_notification"]["raw"]["data"],
        "yes"
    );
}

#[test]
fn simulate_reads_the_policy_that_policy_set_wrote() {
    let env = Env::new();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/scenarios/outlook-2016-exchange-pst-oab.toml");
    env.ok(&[
        "policy",
        "set",
        "FastShutdownBehavior",
        "2",
        "--office",
        "16.0",
    ]);
    let trace = env.path("trace.jsonl");
    let r: Run = env
        .cmd()
        .arg("simulate")
        .arg(&scenario)
        .arg("--trace-out")
        .arg(&trace)
        .arg("--json")
        .output()
        .unwrap()
        .into();
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["policy"]["effective"], "disabled");
    assert_eq!(v["policy"]["source"]["kind"], "registry");
    assert_eq!(v["policy"]["source"]["store"], env.spec());
    assert_eq!(v["policy"]["source"]["key"], SHUTDOWN_16);
    assert_eq!(v["policy"]["source"]["value"], "FastShutdownBehavior");
    assert_eq!(v["fast_shutdown_taken"], false);
    // The trace itself carries the same policy record.
    let trace_text = std::fs::read_to_string(&trace).unwrap();
    let policy_line = trace_text
        .lines()
        .find(|l| l.contains("\"FastShutdownBehavior\"") && l.contains("registry"))
        .unwrap_or_else(|| panic!("no policy record in\n{trace_text}"));
    assert!(policy_line.contains("disabled"), "{policy_line}");

    // A malformed store: simulate says so and runs with the default.
    env.write_store("[HKEY_CURRENT_USER\\X]\n\"v\"=dword:1\n");
    let r: Run = env
        .cmd()
        .arg("simulate")
        .arg(&scenario)
        .arg("--json")
        .output()
        .unwrap()
        .into();
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("{}:4:", env.store().display())),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("default policy"), "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["policy"]["source"]["kind"], "default");
    assert_eq!(v["policy"]["effective"], "opt-out");
}

#[test]
fn human_output_follows_the_language_and_json_does_not() {
    let env = Env::new();
    let run = |lang: &str, args: &[&str]| -> Run {
        env.cmd()
            .env("MAPI_SHUTDOWN_LANG", lang)
            .args(args)
            .output()
            .unwrap()
            .into()
    };
    let r = run("fr", &["policy", "set", "FastShutdownBehavior", "disabled"]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("vérifié par relecture"), "{}", r.stdout);
    assert!(
        r.stdout.contains("Sauvegarde des valeurs précédentes"),
        "{}",
        r.stdout
    );
    // `policy set`'s words stay as they are in every language.
    assert!(r.stdout.contains("= disabled"), "{}", r.stdout);

    let r = run("zh-CN", &["policy", "show", "--office", "16.0"]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("注册表存储"), "{}", r.stdout);
    assert!(r.stdout.contains("未配置（生效值："), "{}", r.stdout);

    let r = run(
        "zh-CN",
        &[
            "policy",
            "set",
            "FastShutdownBehavior",
            "2",
            "--expect",
            "two",
        ],
    );
    assert_eq!(r.code, Some(2), "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("不是预期值"), "{}", r.stderr);

    let r = run("fr", &["policy", "history"]);
    assert!(r.stdout.contains("Sauvegardes de file:"), "{}", r.stdout);

    // JSON is the same whatever the language.
    let fr = run("fr", &["policy", "show", "--json"]);
    let zh = run("zh-CN", &["policy", "show", "--json"]);
    let en = run("en", &["policy", "show", "--json"]);
    assert_eq!(fr.stdout, en.stdout);
    assert_eq!(zh.stdout, en.stdout);
    assert!(en.stdout.contains("\"Not Configured\""), "{}", en.stdout);
}

/// `policy history | head -1`: the reader closes stdout before (or while)
/// the command writes. Every command ends quietly with 0, never with the
/// panic of `println!` ("failed printing to stdout: Broken pipe", 101).
#[test]
fn broken_pipe_exits_quietly() {
    let env = Env::new();
    env.ok(&["policy", "set", "FastShutdownBehavior", "2"]);
    env.write_store(
        "[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\Outlook\\Addins\\A.AddIn]\n\
         \"LoadBehavior\"=dword:00000003\n",
    );
    let trace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/live/client-ignores-query-error.jsonl")
        .display()
        .to_string();
    let commands: [&[&str]; 8] = [
        &["policy", "history"],
        &["policy", "history", "--json"],
        &["policy", "show"],
        &["addins", "list"],
        &["addins", "list", "--json"],
        &["processes", "--all", "--json"],
        &["analyze", &trace],
        &["analyze", "--json", &trace],
    ];
    for args in commands {
        // A pipe whose read end is closed before the child starts: its
        // first write fails with EPIPE, every time.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = env
            .cmd()
            .args(args)
            .stdout(std::process::Stdio::from(writer))
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    }
}

/// `history` shows this store's backups (`--all`: every store's), `undo`
/// says when the chain ends and why there is nothing left, restores the
/// absence of the key the first change created, and `redo` reapplies
/// what the undos restored until a new change ends the chain.
#[test]
fn undo_redo_and_history_speak_of_this_store() {
    let env = Env::new();
    let other = format!("file:{}", env.path("other.reg").display());
    env.ok(&["policy", "set", "FastShutdownBehavior", "2"]);
    env.ok(&["policy", "set", "AddinFastShutdownBehavior", "on"]);
    let r: Run = Command::new(BIN)
        .env("MAPI_SHUTDOWN_DATA_DIR", env.data())
        .env_remove("MAPI_SHUTDOWN_REGISTRY")
        .args([
            "--registry",
            &other,
            "policy",
            "set",
            "FastShutdownBehavior",
            "1",
        ])
        .output()
        .unwrap()
        .into();
    assert_eq!(r.code, Some(0), "{}", r.stderr);

    let h = env.ok(&["policy", "history"]).stdout;
    assert!(
        h.starts_with(&format!("Backups of {} in ", env.spec())),
        "{h}"
    );
    assert!(!h.contains("FastShutdownBehavior 1"), "{h}");
    assert!(
        h.contains(
            "1 more backup, of another registry store: `mapi-shutdown policy history --all`"
        ),
        "{h}"
    );
    assert_eq!(
        env.ok(&["policy", "history", "--json"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let all = env.ok(&["policy", "history", "--all"]).stdout;
    assert!(all.contains(&other) && all.contains(&env.spec()), "{all}");
    assert_eq!(
        env.ok(&["policy", "history", "--all", "--json"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        3
    );

    let u = env.ok(&["policy", "undo"]).stdout;
    assert!(!u.contains("oldest change"), "{u}");
    let u = env.ok(&["policy", "undo"]).stdout;
    assert!(
        u.contains(&format!(
            "That was the oldest change of {} on record: nothing older to undo.",
            env.spec()
        )),
        "{u}"
    );
    // The first change created the Shutdown key: undo removes it again.
    assert!(
        u.contains(&format!("Removed {SHUTDOWN_16}: the change had created it")),
        "{u}"
    );
    let v = env
        .ok(&["policy", "show", "--office", "16.0", "--json"])
        .json();
    assert_eq!(v["versions"][0]["key_exists"], false);
    let exported = env.path("after-undo.reg");
    let r = env.ok(&["policy", "export", exported.to_str().unwrap()]);
    assert!(r.stdout.contains("Exported 0 values"), "{}", r.stdout);
    assert!(
        !decode_utf16(&std::fs::read(&exported).unwrap()).contains("16.0"),
        "no empty key exported"
    );

    let none = env.run(&["policy", "undo"]);
    assert_eq!(none.code, Some(1));
    assert!(
        none.stderr.contains(&format!(
            "nothing to undo in {}: its 2 changes backed up in",
            env.spec()
        )),
        "{}",
        none.stderr
    );

    // Redo, newest undo first.
    let r = env.ok(&["policy", "redo"]).stdout;
    assert!(r.contains("-> REG_DWORD 0x00000002 (2) = disabled"), "{r}");
    assert!(!r.contains("nothing more to redo"), "{r}");
    let r = env.ok(&["policy", "redo"]).stdout;
    assert!(
        r.contains(&format!(
            "That was the last undo of {}: nothing more to redo.",
            env.spec()
        )),
        "{r}"
    );
    assert_eq!(
        env.setting("16.0", "AddinFastShutdownBehavior")["raw"]["data"],
        1
    );
    let none = env.run(&["policy", "redo"]);
    assert_eq!(none.code, Some(1));
    assert!(
        none.stderr.contains("nothing to redo in file:")
            && none.stderr.contains("no undo since the last change"),
        "{}",
        none.stderr
    );
    // A redo is undone like a change; history says which is which.
    env.ok(&["policy", "undo"]);
    assert_eq!(
        env.setting("16.0", "AddinFastShutdownBehavior")["state"],
        "not-configured"
    );
    let h = env.ok(&["policy", "history"]).stdout;
    for status in ["[undone]", "[redone]", "[taken by undo]", "[taken by redo]"] {
        assert!(h.contains(status), "{status} in {h}");
    }
    // A new change ends the redo chain.
    env.ok(&["policy", "set", "FastShutdownBehavior", "0"]);
    assert_eq!(env.run(&["policy", "redo"]).code, Some(1));
}

/// Import lists foreign keys apart from invalid data for a shutdown
/// setting, exits 3 whenever it refused something (also when nothing else
/// was left to write, and with --dry-run), 1 when everything was refused,
/// and names a binary file for what it is instead of quoting its bytes.
#[test]
fn import_sorts_its_refusals_and_exits_3_when_it_refused_any() {
    let env = Env::new();
    let file = env.path("mixed.reg");
    std::fs::write(
        &file,
        format!(
            "Windows Registry Editor Version 5.00\n\n\
             [{SHUTDOWN_16}]\n\"FastShutdownBehavior\"=dword:00000007\n\"AddinFastShutdownBehavior\"=dword:00000001\n\n\
             [HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run]\n\"evil\"=\"calc.exe\"\n"
        ),
    )
    .unwrap();
    let r = env.run(&["policy", "import", file.to_str().unwrap()]);
    assert_eq!(r.code, Some(3), "{}\n{}", r.stdout, r.stderr);
    let foreign = r
        .stdout
        .find("Refused, not shutdown settings (foreign keys and values; not imported):")
        .unwrap_or_else(|| panic!("{}", r.stdout));
    let invalid = r
        .stdout
        .find("Refused, invalid data for a shutdown setting (not imported):")
        .unwrap_or_else(|| panic!("{}", r.stdout));
    let (first, second) = r.stdout.split_at(invalid.max(foreign));
    let (foreign_part, invalid_part) = if foreign < invalid {
        (first, second)
    } else {
        (second, first)
    };
    assert!(foreign_part.contains(r"CurrentVersion\Run"), "{}", r.stdout);
    assert!(
        !foreign_part.contains("invalid data REG_DWORD"),
        "{}",
        r.stdout
    );
    assert!(
        invalid_part.contains("\"FastShutdownBehavior\": invalid data REG_DWORD 0x00000007 (7)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Imported 1 value"), "{}", r.stdout);
    assert!(r.stderr.contains("2 entries of"), "{}", r.stderr);
    // Again: the valid value is in place, the refusals still count.
    let again = env.run(&["policy", "import", file.to_str().unwrap()]);
    assert!(
        again.stdout.contains("Nothing to write"),
        "{}",
        again.stdout
    );
    assert_eq!(again.code, Some(3), "{}", again.stderr);
    let dry = env.run(&["policy", "import", file.to_str().unwrap(), "--dry-run"]);
    assert_eq!(dry.code, Some(3), "{}", dry.stderr);

    // Only invalid data: nothing imported.
    let bad = env.path("bad-data.reg");
    std::fs::write(
        &bad,
        format!("Windows Registry Editor Version 5.00\n\n[{SHUTDOWN_15}]\n\"FastShutdownBehavior\"=dword:00000007\n"),
    )
    .unwrap();
    let r = env.run(&["policy", "import", bad.to_str().unwrap()]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("every entry of"), "{}", r.stderr);

    // A binary file.
    let png = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/live_data_loss_risk.png");
    let r = env.run(&["policy", "import", png.to_str().unwrap()]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("live_data_loss_risk.png:2: not a regedit file: binary data, not text"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("PNG"), "{}", r.stderr);
}

/// `addins set` for an add-in registered elsewhere says where and which
/// options reach it; it echoes the add-in's name as stored; the fix for
/// invalid data is the command for that add-in.
#[test]
fn addins_set_points_to_where_the_addin_is() {
    let env = Env::new();
    addins_store(&env);
    let r = env.run(&[
        "addins",
        "set",
        "old.addin",
        "--require-shutdown-notification",
        "off",
    ]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("no add-in old.addin under HKEY_CURRENT_USER"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            r"It is registered as HKEY_LOCAL_MACHINE\Software\WOW6432Node\Microsoft\Office\Outlook\Addins\Old.AddIn: add --hive hklm --view wow6432node."
        ),
        "{}",
        r.stderr
    );
    let r = env.ok(&[
        "addins",
        "set",
        "user.addin",
        "--require-shutdown-notification",
        "on",
    ]);
    assert!(
        r.stdout.contains(r"Addins\User.AddIn value"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("user.addin"), "{}", r.stdout);

    let list = env.ok(&["addins", "list"]).stdout;
    assert!(
        list.contains(
            "fix: mapi-shutdown addins set Old.AddIn --require-shutdown-notification off --hive hklm --view wow6432node"
        ),
        "{list}"
    );
    assert!(!list.contains("PROGID"), "{list}");
}

/// `--office` takes the product's name as admins say it (2010, 2013, 2016,
/// 2019, 2021, 365) besides the registry version; a wrong one is refused
/// in the tool's voice (`mapi-shutdown: …`, not clap's `error: …`) with
/// both kinds of names.
#[test]
fn office_takes_the_products_year_and_errors_speak_in_one_voice() {
    let env = Env::new();
    for (given, version) in [
        ("2010", "14.0"),
        ("2013", "15.0"),
        ("2016", "16.0"),
        ("2019", "16.0"),
        ("2021", "16.0"),
        ("365", "16.0"),
    ] {
        let v = env
            .ok(&["policy", "show", "--office", given, "--json"])
            .json();
        assert_eq!(v["versions"][0]["office"], version, "{given}");
    }
    env.ok(&[
        "policy",
        "set",
        "FastShutdownBehavior",
        "2",
        "--office",
        "2013",
    ]);
    assert_eq!(
        env.setting("15.0", "FastShutdownBehavior")["raw"]["data"],
        2
    );

    let r = env.run(&["policy", "show", "--office", "17.0"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.starts_with("mapi-shutdown: invalid value '17.0' for '--office <VER>': `17.0` is not an Office version"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("2016, 2019, 2021 or 365 (16.0)"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("error:"), "{}", r.stderr);
    // clap's other errors too.
    let r = env.run(&["policy", "frobnicate"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.starts_with("mapi-shutdown: "), "{}", r.stderr);
    assert!(!r.stderr.contains("error:"), "{}", r.stderr);
}

/// A damaged Group Policy file is refused naming the byte offset of the
/// fault (exit 1), and nothing is written: the store and the backups are
/// as they were. A `.pol` name without the PReg signature is not read as
/// a `.reg` file.
#[test]
fn a_damaged_registry_pol_names_its_offset_and_writes_nothing() {
    let env = Env::new();
    env.write_store(&format!(
        "[{SHUTDOWN_16}]\n\"FastShutdownBehavior\"=dword:00000001\n"
    ));
    let before = env.store_bytes();
    let good = env.path("good.pol");
    env.ok(&[
        "policy",
        "export",
        "--format",
        "pol",
        good.to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&good).unwrap();
    let cases: [(&str, Vec<u8>, &str); 3] = [
        (
            "cut.pol",
            bytes[..bytes.len() - 3].to_vec(),
            "at byte offset",
        ),
        (
            "sig.pol",
            b"Windows Registry Editor Version 5.00\r\n".to_vec(),
            "at byte offset 0 (0x0): not a Group Policy Registry.pol",
        ),
        (
            "size.pol",
            {
                let mut b = bytes.clone();
                let at = b.len() - 2 - 4 - 2 - 4;
                b[at..at + 4].copy_from_slice(&9999u32.to_le_bytes());
                b
            },
            "9999 bytes of data",
        ),
    ];
    for (name, data, want) in cases {
        let file = env.path(name);
        std::fs::write(&file, data).unwrap();
        let r = env.run(&["policy", "import", file.to_str().unwrap()]);
        assert_eq!(r.code, Some(1), "{name}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains(name) && r.stderr.contains(want),
            "{name}: {}",
            r.stderr
        );
        assert_eq!(env.store_bytes(), before, "{name}: the store changed");
        assert!(env.backups().is_empty(), "{name}: a backup was written");
    }
}
