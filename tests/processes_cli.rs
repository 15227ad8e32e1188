//! `mapi-shutdown processes` against real processes.
//!
//! Linux: this test binary re-executes itself as a helper
//! (`helper_maps_mapi_dlls`, active only with [`HELPER_ENV`] set) that
//! memory-maps files named `olmapi32.dll` and `mspst32.dll` and waits
//! until its stdin closes; the real binary must classify it as a MAPI
//! process with that subsystem and provider, and `--find-dll` must find
//! it. As root, the binary is also run as `nobody`, for which the
//! root-owned helper's modules are "access denied".
//!
//! Windows (under Wine in scripts/check stage 4): this test process loads
//! `mapi32.dll` (Wine's own) and the Windows build of the binary must list
//! it, through the Toolhelp32 implementation, as a MAPI process.

use std::process::{Command, Output};
#[cfg(target_os = "linux")]
use std::time::Duration;

use serde_json::Value;

/// Set in the helper's environment: the directory holding the DLL files.
#[cfg(target_os = "linux")]
const HELPER_ENV: &str = "MAPI_SHUTDOWN_TEST_MAP_DLLS";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mapi-shutdown"))
}

/// `cmd.output()`, run again while the program is "busy": a binary just
/// copied can fail to start with ETXTBSY while another test thread's fork
/// briefly holds the copy's write handle (the child closes it at its own
/// exec). A CI run hit it once.
fn output(cmd: &mut Command) -> Output {
    for _ in 0..50 {
        match cmd.output() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other.expect("run mapi-shutdown"),
        }
    }
    cmd.output().expect("run mapi-shutdown")
}

fn run_json(cmd: &mut Command) -> (Vec<Value>, Output) {
    let out = output(cmd);
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (rows, out)
}

fn row_of(rows: &[Value], pid: u32) -> Option<&Value> {
    rows.iter().find(|r| r["pid"] == pid)
}

/// The helper: maps every file of `$HELPER_ENV`, says `MAPPED`, and waits
/// for its stdin to close. A no-op in a normal test run.
#[cfg(target_os = "linux")]
#[test]
fn helper_maps_mapi_dlls() {
    use std::io::{Read, Write};
    use std::os::fd::AsRawFd;

    let Some(dir) = std::env::var_os(HELPER_ENV) else {
        return;
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("helper dir") {
        let path = entry.expect("entry").path();
        let file = std::fs::File::open(&path).expect("open dll");
        let len = file.metadata().expect("metadata").len() as usize;
        // SAFETY: a read-only private mapping of an open file; never
        // unmapped, the process exits with it.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                0,
            )
        };
        assert_ne!(p, libc::MAP_FAILED, "mmap {}", path.display());
        files.push(file);
    }
    let mut out = std::io::stdout();
    writeln!(out, "MAPPED").expect("stdout");
    out.flush().expect("flush");
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
}

/// A helper process; killed and reaped when dropped.
#[cfg(target_os = "linux")]
struct Helper {
    child: std::process::Child,
    _dir: tempfile::TempDir,
}

#[cfg(target_os = "linux")]
impl Helper {
    fn start() -> Helper {
        use std::io::BufRead;
        use std::process::Stdio;

        let dir = tempfile::tempdir().expect("tempdir");
        for name in ["olmapi32.dll", "mspst32.dll"] {
            // A page that starts like a PE file; the content does not matter.
            let mut bytes = vec![0u8; 4096];
            bytes[..2].copy_from_slice(b"MZ");
            std::fs::write(dir.path().join(name), bytes).expect("write dll");
        }
        let mut child = Command::new(std::env::current_exe().expect("current exe"))
            .args([
                "--exact",
                "helper_maps_mapi_dlls",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(HELPER_ENV, dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn helper");
        let stdout = child.stdout.take().expect("stdout");
        let mut helper = Helper { child, _dir: dir };
        // The harness prints `test helper_maps_mapi_dlls ... MAPPED`: wait
        // for it on a thread, so a helper that never maps fails the test
        // instead of hanging it.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                match line {
                    Ok(l) if l.trim_end().ends_with("MAPPED") => {
                        let _ = tx.send(());
                    }
                    Ok(_) => continue,
                    Err(_) => break,
                }
            }
        });
        if rx.recv_timeout(Duration::from_secs(60)).is_err() {
            let _ = helper.child.kill();
            panic!("the helper did not map its files within 60 s");
        }
        helper
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

#[cfg(target_os = "linux")]
impl Drop for Helper {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_process_mapping_olmapi32_is_a_mapi_process_with_its_providers() {
    let helper = Helper::start();
    let (rows, _) = run_json(bin().args(["processes", "--json"]));
    let row = row_of(&rows, helper.pid()).unwrap_or_else(|| {
        panic!(
            "helper pid {} not among the MAPI processes: {rows:#?}",
            helper.pid()
        )
    });
    assert_eq!(row["subsystem"]["dll"], "olmapi32.dll", "{row:#}");
    assert!(
        row["subsystem"]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("/olmapi32.dll")),
        "{row:#}"
    );
    assert_eq!(row["instrumented"], false);
    assert_eq!(row["modules_error"], Value::Null);
    let providers = row["providers"].as_array().expect("providers");
    assert_eq!(providers.len(), 1, "{row:#}");
    assert_eq!(providers[0]["dll"], "mspst32.dll");
    assert_eq!(
        providers[0]["kinds"],
        serde_json::json!(["address-book", "message-store"])
    );
    assert_eq!(providers[0]["name"], "Personal Folders");
    // Only MAPI processes without --all: this test process is not one.
    assert!(row_of(&rows, std::process::id()).is_none());
    assert!(rows.iter().all(|r| !r["subsystem"].is_null()));

    let (all, _) = run_json(bin().args(["processes", "--all", "--json"]));
    assert!(
        row_of(&all, std::process::id()).is_some(),
        "--all lists every process"
    );
    assert!(all.len() > rows.len());
}

#[cfg(target_os = "linux")]
#[test]
fn find_dll_finds_the_helper_in_any_case() {
    let helper = Helper::start();
    let (rows, _) = run_json(bin().args(["processes", "--find-dll", "MSPST32", "--json"]));
    let row = row_of(&rows, helper.pid()).expect("helper found");
    assert!(
        row["found"][0]
            .as_str()
            .is_some_and(|p| p.ends_with("/mspst32.dll")),
        "{row:#}"
    );
    let out = bin()
        .args(["processes", "--find-dll", "olmapi32.dll"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains(&helper.pid().to_string()), "{text}");
    assert!(text.contains("olmapi32.dll"), "{text}");
}

#[cfg(target_os = "linux")]
#[test]
fn human_output_is_a_table_with_the_helper() {
    let helper = Helper::start();
    let out = bin().arg("processes").output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    // The PID column is right-aligned to the widest pid.
    assert!(text.trim_start().starts_with("PID "), "{text}");
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{} ", helper.pid())))
        .unwrap_or_else(|| panic!("no row for {} in\n{text}", helper.pid()));
    assert!(line.contains("olmapi32.dll"), "{line}");
    assert!(line.contains("1 ab / 1 ms"), "{line}");
    assert!(text.contains("mspst32.dll (address book, message store): Personal Folders"));
}

/// Another user's process is "access denied", listed under --all and
/// never a crash. As root: the binary runs as `nobody` over the root-owned
/// helper. As another user: any process of a different user is used.
#[cfg(target_os = "linux")]
#[test]
fn another_users_process_is_access_denied() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;

    // SAFETY: geteuid has no preconditions.
    let euid = unsafe { libc::geteuid() };
    if euid == 0 {
        let helper = Helper::start();
        // `nobody` must be able to run the binary: a 0755 copy in /tmp.
        let dir = tempfile::Builder::new()
            .prefix("mapi-shutdown-nobody")
            .tempdir_in("/tmp")
            .expect("tempdir");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod dir");
        let exe = dir.path().join("mapi-shutdown");
        std::fs::copy(env!("CARGO_BIN_EXE_mapi-shutdown"), &exe).expect("copy binary");
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let mut cmd = Command::new(&exe);
        cmd.args(["processes", "--all", "--json"])
            .current_dir(dir.path())
            .env("HOME", dir.path())
            .uid(65534)
            .gid(65534);
        let (rows, _) = run_json(&mut cmd);
        let row = row_of(&rows, helper.pid()).expect("helper listed under --all");
        assert_eq!(row["modules_error"], "access denied", "{row:#}");
        assert_eq!(row["subsystem"], Value::Null);
        // Without --all it is counted on stderr, not silently skipped.
        let out2 = output(
            Command::new(&exe)
                .args(["processes"])
                .current_dir(dir.path())
                .uid(65534)
                .gid(65534),
        );
        let err = String::from_utf8_lossy(&out2.stderr);
        assert!(out2.status.success(), "{err}");
        assert!(err.contains("access denied"), "{err}");
    } else {
        use std::os::unix::fs::MetadataExt;
        let other = std::fs::read_dir("/proc")
            .expect("/proc")
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .find(|pid| {
                std::fs::metadata(format!("/proc/{pid}")).is_ok_and(|m| m.uid() != euid)
                    && std::fs::read(format!("/proc/{pid}/maps")).is_err()
            });
        let Some(pid) = other else {
            eprintln!("no other user's process to test with: skipped");
            return;
        };
        let (rows, _) = run_json(bin().args(["processes", "--all", "--json"]));
        if let Some(row) = row_of(&rows, pid) {
            assert_eq!(row["modules_error"], "access denied", "{row:#}");
        }
    }
}

#[test]
fn a_bad_mapisvc_path_fails_with_its_name() {
    let out = bin()
        .args(["processes", "--mapisvc", "no-such-dir/MAPISVC.INF"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such-dir"), "{err}");
}

#[test]
fn malformed_mapisvc_lines_are_warnings_not_failures() {
    let inf = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/mapisvc/malformed.inf"
    );
    let out = bin()
        .args(["processes", "--json", "--mapisvc", inf])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("malformed.inf:8: "), "{err}");
    serde_json::from_slice::<Vec<Value>>(&out.stdout).expect("JSON still printed");
}

/// Under Wine: load Wine's own mapi32.dll into this process, then the
/// Windows binary (Toolhelp32) must list this process as a MAPI process
/// under its Windows executable name.
#[cfg(windows)]
#[test]
fn windows_scanner_finds_this_process_with_mapi32_loaded() {
    use windows_sys::Win32::System::LibraryLoader::LoadLibraryW;

    let name: Vec<u16> = "mapi32.dll\0".encode_utf16().collect();
    // SAFETY: a NUL-terminated name; the module stays loaded.
    let module = unsafe { LoadLibraryW(name.as_ptr()) };
    assert!(!module.is_null(), "LoadLibraryW(mapi32.dll) failed");

    let (rows, _) = run_json(bin().args(["processes", "--json"]));
    let me = std::process::id();
    let row = row_of(&rows, me).unwrap_or_else(|| panic!("pid {me} not listed: {rows:#?}"));
    assert!(
        row["subsystem"]["dll"]
            .as_str()
            .is_some_and(|d| d.eq_ignore_ascii_case("mapi32.dll")),
        "{row:#}"
    );
    let exe = std::env::current_exe().expect("current exe");
    let exe_name = exe.file_name().expect("name").to_string_lossy();
    assert!(
        row["name"]
            .as_str()
            .is_some_and(|n| n.eq_ignore_ascii_case(&exe_name)),
        "{row:#} vs {exe_name}"
    );
    assert!(row["modules"].as_u64().is_some_and(|n| n >= 3), "{row:#}");

    let (found, _) = run_json(bin().args(["processes", "--find-dll", "KERNEL32", "--json"]));
    assert!(row_of(&found, me).is_some(), "kernel32 in this process");
}

/// `--find-dll ""` is refused (it used to print "No process has  loaded.").
#[test]
fn an_empty_find_dll_is_refused() {
    let out = bin()
        .args(["processes", "--find-dll", " "])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--find-dll needs a DLL name"), "{err}");
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// A `--mapisvc` that is not text (an image) is refused, named, and
/// neither parsed into warnings nor announced as extending the catalog.
#[test]
fn a_binary_mapisvc_is_refused_by_name() {
    let png = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/snapshots/live_data_loss_risk.png"
    );
    let out = bin()
        .args(["processes", "--mapisvc", png])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "live_data_loss_risk.png is not a MAPISVC.INF: binary data on line 1, not text"
        ),
        "{err}"
    );
    assert_eq!(
        err.lines().count(),
        1,
        "no warning per line of bytes: {err}"
    );
    assert!(!stdout.contains("catalog extended"), "{stdout}");
}
