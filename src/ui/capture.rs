//! Capture from the window: the [`Capturer`] the shell is given (the real
//! one loads the capture agent with crate `mapi-capture`; tests inject a
//! fake), the task that runs it off the UI thread, and the sentence the
//! panels show when it is done. The Processes panel attaches to a selected
//! process ("Capture shutdown"); the Live panel launches a program with
//! the agent from its start ("Launch with capture…") and then waits for
//! that client to end (a task of its own, [`start_wait`]): the panel says
//! when it exited, with its exit code, and shows its session. What each
//! can see is in docs/capture.md.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::tasks::{TaskKind, TaskOutput, Tasks};

/// A capture that started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Captured {
    /// The client's process id.
    pub pid: u32,
    /// Its bitness: 32 or 64.
    pub bits: u32,
    /// Attached to a running client (it sees only what follows).
    pub late: bool,
    /// The process had an agent already: nothing was done.
    pub already: bool,
}

/// Waits for a launched client to end, on a worker thread: its exit
/// code (`None` when the OS gives none), or why it could not be waited
/// for.
pub type ClientWait = Box<dyn FnOnce() -> Result<Option<i32>, String> + Send>;

/// A launched client's [`ClientWait`], carried from the launch task to
/// the wait task.
pub struct ClientWaiter(pub ClientWait);

impl std::fmt::Debug for ClientWaiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientWaiter")
    }
}

/// A client started with the agent ([`Capturer::launch`]).
#[derive(Debug)]
pub struct Launched {
    /// What started.
    pub captured: Captured,
    /// Waits for it to end.
    pub wait: ClientWaiter,
}

/// Loads the capture agent into clients.
pub trait Capturer: Send + Sync {
    /// Load the agent into the running process `pid` (`capture attach`).
    ///
    /// # Errors
    /// Why not, in words (an elevated client, a missing agent file, not
    /// Windows).
    fn attach(&self, pid: u32) -> Result<Captured, String>;
    /// Start `program` with the agent from its first instruction
    /// (`capture launch`); the client then runs on its own, and
    /// [`Launched::wait`] waits for it to end.
    ///
    /// # Errors
    /// Why not, in words.
    fn launch(&self, program: &Path) -> Result<Launched, String>;
}

/// The real capturer: the agent files installed beside the program
/// (`MAPI_SHUTDOWN_AGENT_DIR` elsewhere). Windows only; elsewhere every
/// call says so.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemCapturer;

impl Capturer for SystemCapturer {
    #[cfg(windows)]
    fn attach(&self, pid: u32) -> Result<Captured, String> {
        use mapi_capture::AgentFiles;
        use mapi_capture::inject::{Injected, bits_of_pid, load};
        let bits = bits_of_pid(pid).map_err(|e| e.to_string())?;
        let done = load(&AgentFiles::installed(), pid, bits)?;
        Ok(Captured {
            pid,
            bits,
            late: true,
            already: done == Injected::AlreadyPresent,
        })
    }

    #[cfg(windows)]
    fn launch(&self, program: &Path) -> Result<Launched, String> {
        use mapi_capture::AgentFiles;
        use mapi_capture::inject::{LaunchError, launch};
        match launch(&AgentFiles::installed(), program.as_os_str(), &[], &[]) {
            Ok((mut child, bits)) => Ok(Launched {
                captured: Captured {
                    pid: child.id(),
                    bits,
                    late: false,
                    already: false,
                },
                wait: ClientWaiter(Box::new(move || {
                    child
                        .wait()
                        .map(|status| status.code())
                        .map_err(|e| e.to_string())
                })),
            }),
            Err(LaunchError::Start(e)) => Err(e.to_string()),
            Err(LaunchError::NotLoaded { pid, reason }) => {
                Err(crate::tr!("capture-not-loaded", pid = pid, reason = reason))
            }
            Err(LaunchError::NotResumed { pid, error }) => Err(crate::tr!(
                "capture-not-resumed",
                pid = pid,
                error = error.to_string()
            )),
        }
    }

    #[cfg(not(windows))]
    fn attach(&self, _pid: u32) -> Result<Captured, String> {
        Err(crate::tr!("capture-windows-only"))
    }

    #[cfg(not(windows))]
    fn launch(&self, _program: &Path) -> Result<Launched, String> {
        Err(crate::tr!("capture-windows-only"))
    }
}

/// Which capture to start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaptureRequest {
    /// Attach to process `pid`.
    Attach(u32),
    /// Launch `program`.
    Launch(PathBuf),
}

/// Start `request` as a background task (loading the agent waits for it
/// to be ready: up to 20 s).
///
/// # Errors
/// The OS's message when the worker cannot start.
pub fn start(
    tasks: &mut Tasks,
    capturer: &Arc<dyn Capturer>,
    request: CaptureRequest,
) -> Result<(), String> {
    let capturer = Arc::clone(capturer);
    let label = match &request {
        CaptureRequest::Attach(pid) => crate::tr!("capture-task-attach", pid = *pid),
        CaptureRequest::Launch(p) => crate::tr!(
            "capture-task-launch",
            program = p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned()
            )
        ),
    };
    tasks
        .spawn(TaskKind::Capture, label, move || {
            let (result, waiter) = match &request {
                CaptureRequest::Attach(pid) => (capturer.attach(*pid), None),
                CaptureRequest::Launch(p) => match capturer.launch(p) {
                    Ok(l) => (Ok(l.captured), Some(l.wait)),
                    Err(e) => (Err(e), None),
                },
            };
            TaskOutput::Captured {
                request,
                result,
                waiter,
            }
        })
        .map(|_| ())
}

/// Wait for launched client `pid` (`program`) to end as a task of kind
/// [`TaskKind::ClientRun`]: the status bar lists it without a spinner
/// (a client may run for hours; nothing repaints for it), and its
/// [`TaskOutput::ClientExited`] goes to the Live panel.
///
/// # Errors
/// The OS's message when the worker cannot start.
pub fn start_wait(
    tasks: &mut Tasks,
    program: &Path,
    pid: u32,
    waiter: ClientWaiter,
) -> Result<(), String> {
    let program = program.to_path_buf();
    let label = crate::tr!(
        "capture-task-running",
        program = super::tasks::file_label(&program),
        pid = pid
    );
    tasks
        .spawn(TaskKind::ClientRun, label, move || {
            TaskOutput::ClientExited {
                result: (waiter.0)(),
                program,
                pid,
            }
        })
        .map(|_| ())
}

/// An exit code as people read it: decimal, and for a negative one (an
/// NTSTATUS such as an access violation) also its hex, `-1073741819
/// (0xC0000005)`.
fn exit_code_text(code: i32) -> String {
    if code < 0 {
        format!("{code} (0x{:08X})", code.cast_unsigned())
    } else {
        code.to_string()
    }
}

/// The sentence for a launched client that ended: its exit code, and
/// where its shutdown is; or why it could not be waited for.
pub fn exit_text(program: &Path, pid: u32, result: &Result<Option<i32>, String>) -> String {
    let program = super::tasks::file_label(program);
    match result {
        Ok(Some(code)) => crate::tr!(
            "capture-client-ended",
            program = program,
            pid = pid,
            code = exit_code_text(*code)
        ),
        Ok(None) => crate::tr!("capture-client-ended-no-code", program = program, pid = pid),
        Err(e) => crate::tr!(
            "capture-client-wait-failed",
            program = program,
            pid = pid,
            error = e.as_str()
        ),
    }
}

/// The sentence for a finished capture: what happened, and what it can
/// see.
pub fn outcome_text(request: &CaptureRequest, result: &Result<Captured, String>) -> String {
    match (request, result) {
        (_, Ok(c)) if c.already => crate::tr!("capture-already", pid = c.pid),
        (_, Ok(c)) if c.late => crate::tr!("capture-attached", pid = c.pid, bits = c.bits),
        (CaptureRequest::Launch(p), Ok(c)) => crate::tr!(
            "capture-launched",
            program = p.display().to_string(),
            pid = c.pid,
            bits = c.bits
        ),
        (CaptureRequest::Attach(pid), Ok(c)) => {
            crate::tr!("capture-attached", pid = *pid, bits = c.bits)
        }
        (CaptureRequest::Attach(pid), Err(e)) => {
            crate::tr!("capture-not-loaded", pid = *pid, reason = e.as_str())
        }
        (CaptureRequest::Launch(_), Err(e)) => e.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_sentences_say_what_a_capture_sees() {
        let late = Captured {
            pid: 42,
            bits: 32,
            late: true,
            already: false,
        };
        let text = outcome_text(&CaptureRequest::Attach(42), &Ok(late.clone()));
        assert!(text.contains("42") && text.contains("32-bit"), "{text}");
        assert!(text.contains("Late attach"), "{text}");
        let already = outcome_text(
            &CaptureRequest::Attach(42),
            &Ok(Captured {
                already: true,
                ..late
            }),
        );
        assert!(already.contains("already"), "{already}");
        let launched = outcome_text(
            &CaptureRequest::Launch(PathBuf::from(r"C:\Office\OUTLOOK.EXE")),
            &Ok(Captured {
                pid: 7,
                bits: 64,
                late: false,
                already: false,
            }),
        );
        assert!(launched.contains("from its start"), "{launched}");
        let ended = exit_text(Path::new(r"C:\Office\OUTLOOK.EXE"), 7, &Ok(Some(3)));
        assert!(
            ended.contains("OUTLOOK.EXE") && ended.contains("pid 7") && ended.contains("code 3"),
            "{ended}"
        );
        let crashed = exit_text(Path::new("OUTLOOK.EXE"), 7, &Ok(Some(-1_073_741_819)));
        assert!(crashed.contains("-1073741819 (0xC0000005)"), "{crashed}");
        let no_code = exit_text(Path::new("OUTLOOK.EXE"), 7, &Ok(None));
        assert!(!no_code.contains("code"), "{no_code}");
        let lost = exit_text(Path::new("OUTLOOK.EXE"), 7, &Err("handle closed".into()));
        assert!(lost.contains("handle closed"), "{lost}");
        let refused = outcome_text(&CaptureRequest::Attach(9), &Err("access denied".into()));
        assert!(
            refused.contains("process 9") && refused.contains("access denied"),
            "{refused}"
        );
    }

    #[cfg(not(windows))]
    #[test]
    fn the_system_capturer_says_it_needs_windows() {
        let e = SystemCapturer.attach(1).unwrap_err();
        assert!(e.contains("Windows"), "{e}");
        assert!(SystemCapturer.launch(Path::new("x")).is_err());
    }
}
