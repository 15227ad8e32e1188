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
    use std::path::Path;

    use mapi_capture::AgentFiles;
    use mapi_capture::inject::{self, Injected, LaunchError, load};

    use super::*;

    pub fn run(command: &CaptureCommand) -> ExitCode {
        match command {
            CaptureCommand::Launch { program } => launch(program),
            CaptureCommand::Attach { pid } => attach(*pid),
        }
    }

    fn launch(program: &[OsString]) -> ExitCode {
        let (exe, args) = program.split_first().expect("clap requires a program");
        let args: Vec<&std::ffi::OsStr> = args.iter().map(OsString::as_os_str).collect();
        let (child, bits) = match inject::launch(&AgentFiles::installed(), exe, &args) {
            Ok(c) => c,
            Err(e) => {
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
