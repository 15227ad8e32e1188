//! `mapi-capture-helper`: loads the capture agent into a process of this
//! program's bitness, for a `mapi-shutdown` of the other bitness (a 64-bit
//! program cannot run a 32-bit process's `LoadLibraryW`). Installed as
//! `mapi-capture-helper-x86.exe` and `-x64.exe` next to `mapi-shutdown.exe`.
//!
//! Usage: `mapi-capture-helper inject PID DLL`. Exit 0 once the agent
//! reported ready (stdout `loaded`) or when one was there already (stdout
//! `already-present`); 1 with the reason on stderr; 2 for a usage error.

use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!("usage: mapi-capture-helper inject PID AGENT_DLL");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [command, pid, dll] = args.as_slice() else {
        return usage();
    };
    if command != "inject" {
        return usage();
    }
    let Ok(pid) = pid.parse::<u32>() else {
        eprintln!("mapi-capture-helper: `{pid}` is not a process id");
        return ExitCode::from(2);
    };
    run(pid, std::path::Path::new(dll))
}

#[cfg(windows)]
fn run(pid: u32, dll: &std::path::Path) -> ExitCode {
    match mapi_capture::inject::inject(pid, &mapi_capture::inject::absolute(dll)) {
        Ok(done) => {
            println!("{}", done.as_str());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("mapi-capture-helper: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(windows))]
fn run(_pid: u32, _dll: &std::path::Path) -> ExitCode {
    eprintln!(
        "mapi-capture-helper: loads the capture agent into a Windows process; it runs on Windows only"
    );
    ExitCode::from(2)
}
