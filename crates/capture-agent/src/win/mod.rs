//! The agent inside a Windows MAPI client: the DLL entry point, start-up
//! (one agent per process, launch or late attach, the trace emitter), the
//! loader notification that finds the subsystem and provider DLLs as they
//! load, and every detour the host's code calls into.
//!
//! The rules every detour keeps (the capture agent's bar, docs/capture.md):
//! it calls the original exactly once with the arguments it was given and
//! returns what the original returned; its own bookkeeping runs inside
//! `catch_unwind`, and a panic disables capture for the rest of the process
//! (the calls go on untouched); the only waiting it adds is the emitter's
//! flush at the end of `DoFastShutdown` and in `ExitProcess`, bounded by
//! `FLUSH_BOUND` (50 ms).

mod hooks;
mod os;
mod patch;

use std::ffi::c_void;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use mapi_trace::clock::MonotonicClock;
use mapi_trace::emitter::DEFAULT_CAPACITY;
use mapi_trace::sink::Sink;
use mapi_trace::{AttachMode, Emitter, Endpoint, Record};
use windows_sys::Win32::Foundation::{
    CloseHandle, ERROR_ALREADY_EXISTS, GetLastError, HINSTANCE, TRUE,
};
use windows_sys::Win32::System::LibraryLoader::{
    DisableThreadLibraryCalls, GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS,
    GET_MODULE_HANDLE_EX_FLAG_PIN, GetModuleHandleExW,
};
use windows_sys::Win32::System::SystemServices::DLL_PROCESS_ATTACH;
use windows_sys::Win32::System::Threading::{CreateMutexW, CreateThread};
use windows_sys::core::BOOL;

use crate::recorder::Recorder;

/// The agent of this process, once started.
pub(crate) struct Agent {
    pub recorder: Recorder,
    pub attach: AttachMode,
    /// The default mail client's `DLLPathEx`, read at start.
    pub dll_path_ex: Option<String>,
    /// This DLL's own module, never instrumented.
    pub own_module: usize,
    /// The computer's name (`GetComputerNameW`), read once at start for
    /// the `hello` record; `None` when the OS gave none.
    pub host: Option<String>,
}

static AGENT: OnceLock<Agent> = OnceLock::new();
static DISABLED: AtomicBool = AtomicBool::new(false);

/// The agent, unless capture is off (not started, or disabled by a fault).
pub(crate) fn agent() -> Option<&'static Agent> {
    if DISABLED.load(Ordering::Relaxed) {
        return None;
    }
    AGENT.get()
}

/// Run the agent's own bookkeeping; a panic turns capture off for good
/// and is reported to the debugger, never to the host.
pub(crate) fn guard<R>(what: &str, f: impl FnOnce() -> R) -> Option<R> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => Some(r),
        Err(_) => {
            DISABLED.store(true, Ordering::Relaxed);
            os::debug(&format!("fault in {what}: capture is off for this process"));
            None
        }
    }
}

/// The DLL entry point. On process attach it pins the agent (it is never
/// unloaded, so no patched slot can point into unmapped code) and starts
/// the set-up on a thread of its own, outside the loader lock's work.
///
/// # Safety
/// Called by the Windows loader only.
#[unsafe(no_mangle)]
#[allow(non_snake_case)]
pub unsafe extern "system" fn DllMain(
    module: HINSTANCE,
    reason: u32,
    _reserved: *mut c_void,
) -> BOOL {
    if reason == DLL_PROCESS_ATTACH {
        let _ = catch_unwind(|| {
            // SAFETY: `module` is this DLL's handle, given by the loader.
            unsafe { DisableThreadLibraryCalls(module) };
            let mut pinned = std::ptr::null_mut();
            // SAFETY: FROM_ADDRESS with an address inside this DLL; PIN
            // keeps it loaded until the process ends.
            unsafe {
                GetModuleHandleExW(
                    GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                    DllMain as *const u16,
                    &mut pinned,
                )
            };
            // SAFETY: a thread with a valid start routine and no argument;
            // it runs once the loader lock is released.
            let thread = unsafe {
                CreateThread(
                    std::ptr::null(),
                    0,
                    Some(start_thread),
                    std::ptr::null(),
                    0,
                    std::ptr::null_mut(),
                )
            };
            if !thread.is_null() {
                // SAFETY: our own handle, not used again.
                unsafe { CloseHandle(thread) };
            }
        });
    }
    TRUE
}

unsafe extern "system" fn start_thread(_: *mut c_void) -> u32 {
    let pid = std::process::id();
    if guard("start-up", start).is_none() {
        os::debug("start-up failed: no capture in this process");
    }
    // Whatever happened, the injector may resume the client now.
    os::signal_event(&mapi_capture::ready_event_name(pid));
    0
}

fn start() {
    // Never print a panic into the host's console.
    std::panic::set_hook(Box::new(|info| os::debug(&format!("panic: {info}"))));
    let pid = std::process::id();
    let name = os::wide(&mapi_capture::agent_mutex_name(pid));
    // SAFETY: a named mutex, kept open for the life of the process.
    let mutex = unsafe { CreateMutexW(std::ptr::null(), 0, name.as_ptr()) };
    // SAFETY: read right after the call that set it.
    if mutex.is_null() || unsafe { GetLastError() } == ERROR_ALREADY_EXISTS {
        os::debug("another capture agent is already active in this process: standing down");
        return;
    }
    let attach = if os::event_exists(&mapi_capture::launch_event_name(pid)) {
        AttachMode::Launch
    } else {
        AttachMode::Late
    };
    let clock = Arc::new(MonotonicClock::new());
    let sink = LazySink {
        endpoint: Endpoint::from_env().map_err(|e| e.to_string()),
        spool_dir: mapi_trace::spool::spool_dir_from_env(),
        inner: None,
    };
    let emitter = match Emitter::spawn(Box::new(sink), DEFAULT_CAPACITY, clock.clone()) {
        Ok(e) => e,
        Err(e) => {
            os::debug(&format!("cannot start the trace writer: {e}"));
            return;
        }
    };
    let own_module = os::module_of(start as *const () as usize).map_or(0, |m| m as usize);
    let agent = Agent {
        recorder: Recorder::new(emitter, clock),
        attach,
        dll_path_ex: os::default_mail_dll_path_ex(),
        own_module,
        host: mapi_trace::host::computer_name(),
    };
    if AGENT.set(agent).is_err() {
        return;
    }
    hooks::start();
}

/// The sink behind the agent's emitter: connects to the monitor (checking
/// that the endpoint belongs to this user, in `mapi-trace`) when the first
/// record is written, on the writer thread, so no hooked call ever waits
/// for a connection; falls back to the spool or to counting, as the
/// subsystem's socket sink does.
struct LazySink {
    endpoint: Result<Endpoint, String>,
    spool_dir: Option<PathBuf>,
    inner: Option<Box<dyn Sink>>,
}

impl Sink for LazySink {
    fn write(&mut self, record: &Record) -> std::io::Result<()> {
        if self.inner.is_none() {
            match &self.endpoint {
                Ok(endpoint) => {
                    let (sink, status) = mapi_trace::connect_sink(endpoint, self.spool_dir.clone());
                    let delivery = status.get();
                    if !delivery.is_monitor() {
                        os::debug(&format!("trace: {}", delivery.summary()));
                    }
                    self.inner = Some(sink);
                }
                Err(e) => {
                    os::debug(&format!("no endpoint: {e}"));
                    return Err(std::io::Error::other(e.clone()));
                }
            }
        }
        match &mut self.inner {
            Some(sink) => sink.write(record),
            None => Ok(()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.inner {
            Some(sink) => sink.flush(),
            None => Ok(()),
        }
    }

    fn describe(&self) -> String {
        match &self.endpoint {
            Ok(e) => format!("monitor {e} (connected at the first record)"),
            Err(e) => format!("no endpoint ({e})"),
        }
    }
}
