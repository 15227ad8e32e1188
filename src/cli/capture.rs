//! `mapi-shutdown capture launch|attach`: puts the capture agent into a
//! real MAPI client (crate `mapi-capture`), in the client's bitness (the
//! helper of the other bitness when it differs from ours), and says plainly
//! what the capture can see: everything from the start with `launch`,
//! only what happens after it with `attach`. The verdicts come from the
//! monitor (`watch`, or the Live panel), as for any instrumented client.
//! Exit codes: `launch` returns the client's own exit code (1 when the
//! agent could not be loaded, the client then killed); `attach` 0, or 1
//! with the reason; 2 for bad usage or on a system other than Windows.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::out::errln;
#[cfg(windows)]
use super::out::outln;
use mapi_shutdown::tr;

/// `mapi-shutdown capture …`.
#[derive(Debug, Args)]
pub struct CaptureArgs {
    #[command(subcommand)]
    command: CaptureCommand,
}

#[derive(Debug, Subcommand)]
enum CaptureCommand {
    /// Start a MAPI client with the capture agent loaded before its first
    /// instruction, so its whole life is captured (logon, providers,
    /// shutdown); waits for it and exits with its exit code. Its trace
    /// goes to the monitor (`mapi-shutdown watch` or the Live panel),
    /// else to the spool directory (MAPI_SHUTDOWN_SPOOL_DIR).
    Launch {
        /// Also be the monitor for this client: print its verdict as
        /// `watch` does when its shutdown is over (a private endpoint, so
        /// a running `watch` or Live panel does not see it).
        #[arg(long)]
        watch: bool,
        /// The client program and its arguments (put `--` before them).
        #[arg(
            required = true,
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "PROGRAM [ARGS]..."
        )]
        program: Vec<OsString>,
    },
    /// Load the capture agent into a running MAPI client. It sees the
    /// sessions opened and the providers loaded from now on, not those
    /// opened before.
    Attach {
        /// The client's process id.
        pid: u32,
    },
}

/// Run `capture`.
pub fn run_capture(args: &CaptureArgs) -> ExitCode {
    imp::run(&args.command)
}

#[cfg(not(windows))]
mod imp {
    use super::*;

    pub fn run(_: &CaptureCommand) -> ExitCode {
        errln!("mapi-shutdown: capture: {}", tr!("capture-windows-only"));
        ExitCode::from(2)
    }
}

#[cfg(windows)]
mod imp {
    use std::path::Path;

    use mapi_capture::AgentFiles;
    use mapi_capture::inject::{self, Injected, LaunchError, load};

    use super::*;

    pub fn run(command: &CaptureCommand) -> ExitCode {
        match command {
            CaptureCommand::Launch { program, watch } => launch(program, *watch),
            CaptureCommand::Attach { pid } => attach(*pid),
        }
    }

    /// `--watch`: `mapi-shutdown watch --count 1` on a private endpoint,
    /// once it listens; its output is ours.
    fn start_watch(endpoint: &str) -> Result<std::process::Child, String> {
        use std::io::{BufRead, BufReader};
        use std::process::{Command, Stdio};
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut child = Command::new(exe)
            .args(["--endpoint", endpoint, "watch", "--count", "1"])
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        let stderr = child.stderr.take().ok_or("no stderr")?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                // Its start lines say where it listens: ours is private.
                if line.contains(endpoint_marker()) {
                    let _ = tx.send(());
                    continue;
                }
                errln!("{line}");
            }
        });
        match rx.recv_timeout(std::time::Duration::from_secs(30)) {
            Ok(()) => Ok(child),
            Err(_) => {
                let _ = child.kill();
                Err(tr!("capture-watch-not-listening"))
            }
        }
    }

    /// What every line of `watch` naming its endpoint contains.
    fn endpoint_marker() -> &'static str {
        "mapi-capture-watch-"
    }

    fn launch(program: &[OsString], watch: bool) -> ExitCode {
        let (exe, args) = program.split_first().expect("clap requires a program");
        let args: Vec<&std::ffi::OsStr> = args.iter().map(OsString::as_os_str).collect();
        let endpoint = format!("{}{}", endpoint_marker(), std::process::id());
        let mut watcher = None;
        if watch {
            match start_watch(&endpoint) {
                Ok(w) => watcher = Some(w),
                Err(e) => {
                    errln!("mapi-shutdown: capture: {e}");
                    return ExitCode::from(1);
                }
            }
        }
        let env: Vec<(&str, &str)> = if watch {
            vec![("MAPI_SHUTDOWN_ENDPOINT", endpoint.as_str())]
        } else {
            Vec::new()
        };
        let launched = inject::launch(&AgentFiles::installed(), exe, &args, &env);
        let (child, bits) = match launched {
            Ok(c) => c,
            Err(e) => {
                if let Some(mut w) = watcher.take() {
                    let _ = w.kill();
                    let _ = w.wait();
                }
                let message = match e {
                    LaunchError::Start(e) => e.to_string(),
                    LaunchError::NotLoaded { pid, reason } => {
                        tr!("capture-not-loaded", pid = pid, reason = reason)
                    }
                    LaunchError::NotResumed { pid, error } => {
                        tr!("capture-not-resumed", pid = pid, error = error.to_string())
                    }
                };
                errln!("mapi-shutdown: capture: {message}");
                return ExitCode::from(1);
            }
        };
        let pid = child.id();
        outln!(
            "{}",
            tr!(
                "capture-launched",
                program = Path::new(exe).display().to_string(),
                pid = pid,
                bits = bits
            )
        );
        let mut child = child;
        match child.wait() {
            Ok(status) => {
                let code = status.code().unwrap_or(1);
                outln!("{}", tr!("capture-client-exited", pid = pid, code = code));
                if let Some(w) = watcher {
                    finish_watch(w);
                }
                // Exit with the client's code (its low byte, as a shell
                // would show it).
                ExitCode::from((code & 0xFF) as u8)
            }
            Err(e) => {
                if let Some(mut w) = watcher {
                    let _ = w.kill();
                    let _ = w.wait();
                }
                errln!("mapi-shutdown: capture: {e}");
                ExitCode::from(1)
            }
        }
    }

    /// Give `watch` a few seconds to print the verdict of the client that
    /// just exited; a client that opened no MAPI session has none.
    fn finish_watch(mut w: std::process::Child) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            match w.try_wait() {
                Ok(Some(_)) => return,
                Ok(None) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                _ => break,
            }
        }
        let _ = w.kill();
        let _ = w.wait();
        outln!("{}", tr!("capture-watch-nothing"));
    }

    fn attach(pid: u32) -> ExitCode {
        let bits = match inject::bits_of_pid(pid) {
            Ok(b) => b,
            Err(e) => {
                errln!("mapi-shutdown: capture: {e}");
                return ExitCode::from(1);
            }
        };
        match load(&AgentFiles::installed(), pid, bits) {
            Ok(Injected::AlreadyPresent) => {
                outln!("{}", tr!("capture-already", pid = pid));
                ExitCode::SUCCESS
            }
            Ok(Injected::Loaded) => {
                outln!("{}", tr!("capture-attached", pid = pid, bits = bits));
                ExitCode::SUCCESS
            }
            Err(reason) => {
                errln!(
                    "mapi-shutdown: capture: {}",
                    tr!("capture-not-loaded", pid = pid, reason = reason)
                );
                ExitCode::from(1)
            }
        }
    }
}
