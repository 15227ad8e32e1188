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
    use std::path::{Path, PathBuf};
    use std::process::Command;

    use mapi_capture::inject::{self, Injected, OWN_BITS};
    use mapi_capture::{AGENT_DIR_ENV, AgentFiles};

    use super::*;

    fn files() -> AgentFiles {
        let exe_dir = std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| PathBuf::from("."));
        AgentFiles::locate(
            std::env::var_os(AGENT_DIR_ENV).as_deref().map(Path::new),
            &exe_dir,
        )
    }

    /// Load the agent of `bits` into `pid`: directly in our bitness,
    /// through the helper of the other one.
    fn load(files: &AgentFiles, pid: u32, bits: u32) -> Result<Injected, String> {
        let agent = files.agent(bits).map_err(|e| e.to_string())?;
        if bits == OWN_BITS {
            return inject::inject(pid, &inject::absolute(&agent)).map_err(|e| e.to_string());
        }
        let helper = files.helper(bits).map_err(|e| e.to_string())?;
        let out = Command::new(&helper)
            .arg("inject")
            .arg(pid.to_string())
            .arg(inject::absolute(&agent))
            .output()
            .map_err(|e| format!("{}: {e}", helper.display()))?;
        if out.status.success() {
            Ok(
                if String::from_utf8_lossy(&out.stdout).trim() == Injected::AlreadyPresent.as_str()
                {
                    Injected::AlreadyPresent
                } else {
                    Injected::Loaded
                },
            )
        } else {
            let reason = String::from_utf8_lossy(&out.stderr);
            let reason = reason.trim();
            Err(reason
                .strip_prefix("mapi-capture-helper: ")
                .unwrap_or(reason)
                .to_string())
        }
    }

    pub fn run(command: &CaptureCommand) -> ExitCode {
        match command {
            CaptureCommand::Launch { program } => launch(program),
            CaptureCommand::Attach { pid } => attach(*pid),
        }
    }

    fn launch(program: &[OsString]) -> ExitCode {
        let (exe, args) = program.split_first().expect("clap requires a program");
        let args: Vec<&std::ffi::OsStr> = args.iter().map(OsString::as_os_str).collect();
        let files = files();
        let suspended = match inject::start_suspended(exe, &args) {
            Ok(s) => s,
            Err(e) => {
                errln!("mapi-shutdown: capture: {e}");
                return ExitCode::from(1);
            }
        };
        let pid = suspended.child.id();
        let bits = suspended.bits;
        if let Err(reason) = load(&files, pid, bits) {
            let mut child = suspended.child;
            let _ = child.kill();
            let _ = child.wait();
            errln!(
                "mapi-shutdown: capture: {}",
                tr!("capture-not-loaded", pid = pid, reason = reason)
            );
            return ExitCode::from(1);
        }
        let child = match suspended.resume() {
            Ok(c) => c,
            Err(e) => {
                errln!(
                    "mapi-shutdown: capture: {}",
                    tr!("capture-not-resumed", pid = pid, error = e.to_string())
                );
                return ExitCode::from(1);
            }
        };
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
                // Exit with the client's code (its low byte, as a shell
                // would show it).
                ExitCode::from((code & 0xFF) as u8)
            }
            Err(e) => {
                errln!("mapi-shutdown: capture: {e}");
                ExitCode::from(1)
            }
        }
    }

    fn attach(pid: u32) -> ExitCode {
        let bits = match inject::bits_of_pid(pid) {
            Ok(b) => b,
            Err(e) => {
                errln!("mapi-shutdown: capture: {e}");
                return ExitCode::from(1);
            }
        };
        match load(&files(), pid, bits) {
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
