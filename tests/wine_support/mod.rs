//! What the Wine-driven integration tests share: the Wine loader, Windows
//! paths of Linux files (`Z:`), `wine reg` with its result checked, the
//! fixture subsystem registered as the default mail client in both
//! registry views, the fast-shutdown policy per run, and running a program
//! with a bound (killed past it, never left behind).

#![allow(dead_code)]

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The environment variable naming the Wine loader (default
/// `/usr/bin/wine`, which runs both bitnesses in a WoW64 prefix).
pub const WINE_ENV: &str = "MAPI_SHUTDOWN_WINE";

/// The policy key the fixture subsystem reads (Office 16.0).
pub const POLICY_KEY: &str =
    r"HKCU\Software\Policies\Microsoft\Office\16.0\Outlook\Options\Shutdown";

/// The Wine loader.
pub fn wine() -> String {
    std::env::var(WINE_ENV).unwrap_or_else(|_| "/usr/bin/wine".to_string())
}

/// A Linux path as Wine's `Z:` drive shows it.
pub fn winpath(path: &Path) -> String {
    format!("Z:{}", path.display()).replace('/', "\\")
}

/// Start the prefix's wineserver (kept 60 s after its last client) and
/// Wine's services, once per test binary, with no pipe of ours as their
/// standard handles: the first Wine process of a prefix starts services
/// that inherit its handles and would hold a test's pipe open long after
/// the command it read from exited.
pub fn start_services() {
    static STARTED: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    STARTED.get_or_init(|| {
        let server = Path::new(&wine()).with_file_name("wineserver");
        let _ = Command::new(server)
            .arg("-p60")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = Command::new(wine())
            .args(["reg", "query", r"HKCU\Software"])
            .env("WINEDEBUG", "-all")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    });
}

/// `wine reg ARGS…` (output to a file, not a pipe: see
/// [`start_services`]), failing the test on an error.
pub fn reg(args: &[&str]) {
    start_services();
    let out = tempfile::NamedTempFile::new().expect("temp file");
    let status = Command::new(wine())
        .arg("reg")
        .args(args)
        .env("WINEDEBUG", "-all")
        .stdin(Stdio::null())
        .stdout(out.reopen().expect("reopen"))
        .stderr(out.reopen().expect("reopen"))
        .status()
        .expect("run wine reg");
    assert!(
        status.success(),
        "wine reg {args:?}: {}",
        std::fs::read_to_string(out.path()).unwrap_or_default()
    );
}

/// Register `FIXTURES/x64/olmapi32.dll` and `FIXTURES/x86/olmapi32.dll` as
/// the default mail client's `DLLPathEx` in the 64-bit and 32-bit
/// registry views, as an installed Outlook is found by `mapi32.dll`.
pub fn register_subsystem(fixtures: &Path) {
    for (arch, view) in [("x64", "/reg:64"), ("x86", "/reg:32")] {
        let dll = winpath(&fixtures.join(arch).join("olmapi32.dll"));
        reg(&[
            "add",
            r"HKLM\Software\Clients\Mail",
            "/ve",
            "/d",
            "MAPIFX",
            "/f",
            view,
        ]);
        reg(&[
            "add",
            r"HKLM\Software\Clients\Mail\MAPIFX",
            "/v",
            "DLLPathEx",
            "/d",
            &dll,
            "/f",
            view,
        ]);
    }
}

/// Set `FastShutdownBehavior` (a REG_DWORD), or delete it (`None`).
pub fn set_policy(value: Option<u32>) {
    match value {
        Some(v) => reg(&[
            "add",
            POLICY_KEY,
            "/v",
            "FastShutdownBehavior",
            "/t",
            "REG_DWORD",
            "/d",
            &v.to_string(),
            "/f",
        ]),
        None => {
            // Absent already is fine: `reg delete` of a missing value fails.
            let _ = Command::new(wine())
                .args([
                    "reg",
                    "delete",
                    POLICY_KEY,
                    "/v",
                    "FastShutdownBehavior",
                    "/f",
                ])
                .env("WINEDEBUG", "-all")
                .output();
        }
    }
}

/// What a bounded run gave.
#[derive(Debug)]
pub struct Run {
    /// The exit status; `None` when it was killed at the bound.
    pub status: Option<ExitStatus>,
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
}

impl Run {
    /// The exit code, failing the test when it was killed.
    pub fn code(&self) -> i32 {
        let status = self.status.unwrap_or_else(|| {
            panic!(
                "killed at the bound; stdout:\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        });
        status.code().unwrap_or(-1)
    }
}

/// Run `cmd` (stdin closed) for at most `bound`, killing it past that.
pub fn run_bounded(cmd: &mut Command, bound: Duration) -> Run {
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {cmd:?}: {e}"));
    wait_bounded(child, bound)
}

/// Wait for `child` for at most `bound`; what is left of its piped
/// stdout and stderr (a stream taken before is read as empty).
pub fn wait_bounded(mut child: Child, bound: Duration) -> Run {
    fn drain(stream: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<String> {
        std::thread::spawn(move || {
            let mut s = String::new();
            if let Some(mut stream) = stream {
                let _ = stream.read_to_string(&mut s);
            }
            s
        })
    }
    let out_reader = drain(child.stdout.take());
    let err_reader = drain(child.stderr.take());
    let start = Instant::now();
    let status = loop {
        match child.try_wait().expect("wait") {
            Some(s) => break Some(s),
            None if start.elapsed() > bound => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    Run {
        status,
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
    }
}
