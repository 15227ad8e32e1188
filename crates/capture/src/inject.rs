//! Loading the agent DLL into another process on Windows: the bitness of a
//! process, `LoadLibraryW` run by a remote thread (same bitness only: the
//! address of `kernel32!LoadLibraryW` is the same in every process of one
//! bitness), the wait for the agent's ready event, and starting a client
//! suspended then resuming it once the agent is in.
//!
//! Every failure names the process, the step and the OS error, and says
//! what to do where there is something to do (an elevated client needs an
//! elevated tool).

use std::ffi::{OsStr, c_void};
use std::io;
use std::os::windows::ffi::OsStrExt;
use std::os::windows::io::AsRawHandle;
use std::os::windows::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::Duration;

use windows_sys::Win32::Foundation::{
    CloseHandle, ERROR_ACCESS_DENIED, HANDLE, WAIT_OBJECT_0, WAIT_TIMEOUT,
};
use windows_sys::Win32::System::Diagnostics::Debug::WriteProcessMemory;
use windows_sys::Win32::System::Diagnostics::ToolHelp::{
    CreateToolhelp32Snapshot, TH32CS_SNAPTHREAD, THREADENTRY32, Thread32First, Thread32Next,
};
use windows_sys::Win32::System::LibraryLoader::{GetModuleHandleW, GetProcAddress};
use windows_sys::Win32::System::Memory::{
    MEM_COMMIT, MEM_RELEASE, MEM_RESERVE, PAGE_READWRITE, VirtualAllocEx, VirtualFreeEx,
};
use windows_sys::Win32::System::Threading::{
    CREATE_SUSPENDED, CreateEventW, CreateRemoteThread, GetCurrentProcess, GetExitCodeThread,
    IsWow64Process, OpenProcess, OpenThread, PROCESS_CREATE_THREAD, PROCESS_QUERY_INFORMATION,
    PROCESS_VM_OPERATION, PROCESS_VM_READ, PROCESS_VM_WRITE, ResumeThread, THREAD_SUSPEND_RESUME,
    WaitForSingleObject,
};

use crate::{agent_mutex_name, launch_event_name, ready_event_name};

/// What [`inject`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Injected {
    /// The agent was loaded and reported ready.
    Loaded,
    /// An agent was already in the process (its mutex exists): nothing
    /// was done; the process is captured once, by that agent.
    AlreadyPresent,
}

impl Injected {
    /// `loaded` or `already-present` (the helper prints it).
    pub fn as_str(self) -> &'static str {
        match self {
            Injected::Loaded => "loaded",
            Injected::AlreadyPresent => "already-present",
        }
    }
}

/// Whether the agent is in process `pid` (its named mutex exists).
pub fn agent_present(pid: u32) -> bool {
    use windows_sys::Win32::System::Threading::{OpenMutexW, SYNCHRONIZATION_SYNCHRONIZE};
    let name = wide(OsStr::new(&agent_mutex_name(pid)));
    // SAFETY: opens (and closes) a named mutex.
    let h = unsafe { OpenMutexW(SYNCHRONIZATION_SYNCHRONIZE, 0, name.as_ptr()) };
    if h.is_null() {
        return false;
    }
    drop(Owned(h));
    true
}

/// How long the agent may take to put its hooks in place: 20 s (Wine
/// starting a 32-bit process cold is the slow case measured).
pub const READY_TIMEOUT: Duration = Duration::from_secs(20);

/// Why the agent could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum InjectError {
    /// The client program could not be started.
    #[error("cannot start {program}: {source}")]
    Start {
        /// The program.
        program: String,
        /// The OS error.
        source: io::Error,
    },
    /// The process could not be opened for injection.
    #[error(
        "cannot open process {pid} to load the capture agent: {source}{hint}",
        hint = if source.raw_os_error() == Some(ERROR_ACCESS_DENIED as i32) {
            " (a client running elevated, or as another user, needs mapi-shutdown run the same way: capture works on your own processes)"
        } else {
            ""
        }
    )]
    Open {
        /// The process id.
        pid: u32,
        /// The OS error.
        source: io::Error,
    },
    /// A step of loading the agent failed.
    #[error("loading the capture agent into process {pid} failed ({step}): {source}")]
    Load {
        /// The process id.
        pid: u32,
        /// What was being done.
        step: &'static str,
        /// The OS error.
        source: io::Error,
    },
    /// `LoadLibraryW` ran but returned no module.
    #[error(
        "process {pid} could not load {dll}: check that the file is the {bits}-bit agent and readable by the client"
    )]
    NotLoaded {
        /// The process id.
        pid: u32,
        /// The agent DLL.
        dll: String,
        /// The process's bitness.
        bits: u32,
    },
    /// The agent did not say it was ready in time.
    #[error(
        "the capture agent did not report ready in process {pid} within {} s (see the debugger output, e.g. DebugView, for its reason)",
        READY_TIMEOUT.as_secs()
    )]
    NotReady {
        /// The process id.
        pid: u32,
    },
}

/// A handle closed on drop.
struct Owned(HANDLE);

impl Drop for Owned {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: a handle this module opened and owns.
            unsafe { CloseHandle(self.0) };
        }
    }
}

fn wide(s: &OsStr) -> Vec<u16> {
    s.encode_wide().chain(Some(0)).collect()
}

/// The pointer size of this program: 32 or 64.
pub const OWN_BITS: u32 = usize::BITS;

/// The bitness (32 or 64) of the process behind `process`, which must
/// grant `PROCESS_QUERY_LIMITED_INFORMATION`.
///
/// # Errors
/// The OS error of `IsWow64Process`.
fn process_bits(process: HANDLE) -> io::Result<u32> {
    let (mut target, mut own) = (0, 0);
    // SAFETY: valid process handles and out-parameters.
    let ok = unsafe {
        IsWow64Process(process, &mut target) != 0
            && IsWow64Process(GetCurrentProcess(), &mut own) != 0
    };
    if !ok {
        return Err(io::Error::last_os_error());
    }
    // A WoW64 process is 32-bit. A native one has the OS's width: ours if
    // we are native, 64 if we are WoW64 ourselves.
    Ok(match (target != 0, own != 0, OWN_BITS) {
        (true, _, _) => 32,
        (false, true, _) => 64,
        (false, false, bits) => bits,
    })
}

/// The bitness of process `pid`.
///
/// # Errors
/// [`InjectError::Open`] when it cannot be opened.
pub fn bits_of_pid(pid: u32) -> Result<u32, InjectError> {
    let process = open(pid, PROCESS_QUERY_INFORMATION)?;
    process_bits(process.0).map_err(|source| InjectError::Open { pid, source })
}

fn open(pid: u32, access: u32) -> Result<Owned, InjectError> {
    // SAFETY: plain call; the handle is owned by the result.
    let h = unsafe { OpenProcess(access, 0, pid) };
    if h.is_null() {
        return Err(InjectError::Open {
            pid,
            source: io::Error::last_os_error(),
        });
    }
    Ok(Owned(h))
}

fn event(name: &str) -> io::Result<Owned> {
    let name = wide(OsStr::new(name));
    // SAFETY: a manual-reset, non-signalled named event.
    let h = unsafe { CreateEventW(std::ptr::null(), 1, 0, name.as_ptr()) };
    if h.is_null() {
        return Err(io::Error::last_os_error());
    }
    Ok(Owned(h))
}

/// Load `dll` into process `pid` of this program's bitness and wait until
/// the agent says its hooks are in place (the ready event), at most
/// [`READY_TIMEOUT`]. A process that has an agent already is left alone
/// ([`Injected::AlreadyPresent`]): loading the same DLL again would not
/// run its entry point, and another copy would stand down.
///
/// # Errors
/// Any [`InjectError`]; nothing is left allocated in the target.
pub fn inject(pid: u32, dll: &Path) -> Result<Injected, InjectError> {
    if agent_present(pid) {
        return Ok(Injected::AlreadyPresent);
    }
    let process = open(
        pid,
        PROCESS_CREATE_THREAD
            | PROCESS_QUERY_INFORMATION
            | PROCESS_VM_OPERATION
            | PROCESS_VM_WRITE
            | PROCESS_VM_READ
            | windows_sys::Win32::System::Threading::PROCESS_SYNCHRONIZE,
    )?;
    let load = |step: &'static str| {
        let source = io::Error::last_os_error();
        move || InjectError::Load { pid, step, source }
    };
    let ready = event(&ready_event_name(pid)).map_err(|source| InjectError::Load {
        pid,
        step: "creating the ready event",
        source,
    })?;
    let path = wide(dll.as_os_str());
    let bytes = path.len() * 2;
    // SAFETY: allocates in the target; freed below on every path.
    let remote = unsafe {
        VirtualAllocEx(
            process.0,
            std::ptr::null(),
            bytes,
            MEM_COMMIT | MEM_RESERVE,
            PAGE_READWRITE,
        )
    };
    if remote.is_null() {
        return Err(load("allocating the DLL path in the client")());
    }
    let result = (|| {
        let mut written = 0;
        // SAFETY: `remote` has `bytes` bytes; `path` is `bytes` long.
        if unsafe {
            WriteProcessMemory(process.0, remote, path.as_ptr().cast(), bytes, &mut written)
        } == 0
            || written != bytes
        {
            return Err(load("writing the DLL path")());
        }
        let kernel32 = wide(OsStr::new("kernel32.dll"));
        // SAFETY: kernel32 is loaded in every process; same bitness, so
        // LoadLibraryW has the same address in the target.
        let load_library = unsafe {
            GetProcAddress(
                GetModuleHandleW(kernel32.as_ptr()),
                c"LoadLibraryW".as_ptr().cast(),
            )
        }
        .ok_or_else(load("finding LoadLibraryW"))?;
        // SAFETY: LoadLibraryW has the thread start routine's shape (one
        // pointer argument, a pointer-sized result).
        let start: unsafe extern "system" fn(*mut c_void) -> u32 =
            unsafe { std::mem::transmute(load_library) };
        // SAFETY: a remote thread running LoadLibraryW(remote path).
        let thread = unsafe {
            CreateRemoteThread(
                process.0,
                std::ptr::null(),
                0,
                Some(start),
                remote,
                0,
                std::ptr::null_mut(),
            )
        };
        if thread.is_null() {
            return Err(load("starting the loader thread")());
        }
        let thread = Owned(thread);
        // SAFETY: waits on our own thread handle.
        let waited = unsafe { WaitForSingleObject(thread.0, READY_TIMEOUT.as_millis() as u32) };
        if waited != WAIT_OBJECT_0 {
            return Err(InjectError::NotReady { pid });
        }
        let mut code = 0u32;
        // SAFETY: our own thread handle. The exit code is the low 32 bits
        // of the module handle (truncated on x64): only zero is meaningful.
        unsafe { GetExitCodeThread(thread.0, &mut code) };
        if code == 0 {
            return Err(InjectError::NotLoaded {
                pid,
                dll: dll.display().to_string(),
                bits: OWN_BITS,
            });
        }
        // SAFETY: waits on our own event handle.
        match unsafe { WaitForSingleObject(ready.0, READY_TIMEOUT.as_millis() as u32) } {
            WAIT_OBJECT_0 => Ok(Injected::Loaded),
            WAIT_TIMEOUT => Err(InjectError::NotReady { pid }),
            _ => Err(load("waiting for the agent")()),
        }
    })();
    // SAFETY: the allocation above; LoadLibraryW has returned (or the
    // thread timed out, in which case freeing could pull the path from
    // under it: leave it).
    if !matches!(result, Err(InjectError::NotReady { .. })) {
        unsafe { VirtualFreeEx(process.0, remote, 0, MEM_RELEASE) };
    }
    result
}

/// A client started suspended, not yet resumed.
pub struct Suspended {
    /// The client process.
    pub child: Child,
    /// Its bitness.
    pub bits: u32,
    // Keeps the launch event alive until the agent has read it.
    _launch_event: Owned,
}

/// Start `program` with `args` and the extra environment variables `env`,
/// suspended, with this program's standard streams. The launch event
/// exists before anything is loaded into it.
///
/// # Errors
/// [`InjectError::Start`] when it cannot be started.
pub fn start_suspended(
    program: &OsStr,
    args: &[&OsStr],
    env: &[(&str, &str)],
) -> Result<Suspended, InjectError> {
    let start_err = |source| InjectError::Start {
        program: Path::new(program).display().to_string(),
        source,
    };
    let mut child = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .creation_flags(CREATE_SUSPENDED)
        .spawn()
        .map_err(start_err)?;
    let pid = child.id();
    let launch = match event(&launch_event_name(pid)) {
        Ok(e) => e,
        Err(source) => {
            let _ = child.kill();
            return Err(InjectError::Load {
                pid,
                step: "creating the launch event",
                source,
            });
        }
    };
    let bits = match process_bits(child.as_raw_handle() as HANDLE) {
        Ok(b) => b,
        Err(source) => {
            let _ = child.kill();
            return Err(InjectError::Open { pid, source });
        }
    };
    Ok(Suspended {
        child,
        bits,
        _launch_event: launch,
    })
}

impl Suspended {
    /// Resume every thread of the client (its main thread, suspended at
    /// creation). Returns the running child.
    ///
    /// # Errors
    /// The OS error of the thread snapshot or of `ResumeThread`.
    pub fn resume(self) -> io::Result<Child> {
        let mut kept = None;
        self.resume_or_keep(&mut kept)
    }

    /// [`Suspended::resume`]; on an error the child is put in `kept`.
    fn resume_or_keep(self, kept: &mut Option<Child>) -> io::Result<Child> {
        let pid = self.child.id();
        // SAFETY: a snapshot of the system's threads, closed on drop.
        let snap = Owned(unsafe { CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0) });
        if snap.0.is_null() || snap.0 as isize == -1 {
            return Err(io::Error::last_os_error());
        }
        let mut entry: THREADENTRY32 = unsafe { std::mem::zeroed() };
        entry.dwSize = size_of::<THREADENTRY32>() as u32;
        let mut resumed = 0;
        // SAFETY: walks the snapshot with a sized entry.
        let mut more = unsafe { Thread32First(snap.0, &mut entry) } != 0;
        while more {
            if entry.th32OwnerProcessID == pid {
                // SAFETY: opens one thread of the child to resume it.
                let t = Owned(unsafe { OpenThread(THREAD_SUSPEND_RESUME, 0, entry.th32ThreadID) });
                if !t.0.is_null() && unsafe { ResumeThread(t.0) } != u32::MAX {
                    resumed += 1;
                }
            }
            // SAFETY: as above.
            more = unsafe { Thread32Next(snap.0, &mut entry) } != 0;
        }
        if resumed == 0 {
            *kept = Some(self.child);
            return Err(io::Error::other(format!(
                "no thread of process {pid} could be resumed"
            )));
        }
        Ok(self.child)
    }
}

/// The agent DLL path a `capture` command passes on, absolute (the client
/// resolves a relative path against its own directory).
pub fn absolute(dll: &Path) -> PathBuf {
    std::path::absolute(dll).unwrap_or_else(|_| dll.to_path_buf())
}

/// Load the agent of `bits` into process `pid`: directly when `bits` is
/// this program's, else through the helper of that bitness
/// (`mapi-capture-helper inject PID DLL`).
///
/// # Errors
/// The reason in words: a missing file (naming it), or the
/// [`InjectError`] of this program or of the helper.
pub fn load(files: &crate::AgentFiles, pid: u32, bits: u32) -> Result<Injected, String> {
    let agent = files.agent(bits).map_err(|e| e.to_string())?;
    if bits == OWN_BITS {
        return inject(pid, &absolute(&agent)).map_err(|e| e.to_string());
    }
    let helper = files.helper(bits).map_err(|e| e.to_string())?;
    let out = Command::new(&helper)
        .arg("inject")
        .arg(pid.to_string())
        .arg(absolute(&agent))
        .output()
        .map_err(|e| format!("{}: {e}", helper.display()))?;
    if out.status.success() {
        Ok(
            if String::from_utf8_lossy(&out.stdout).trim() == Injected::AlreadyPresent.as_str() {
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

/// Why [`launch`] failed.
#[derive(Debug)]
pub enum LaunchError {
    /// The client could not be started (or opened).
    Start(InjectError),
    /// The agent could not be loaded into client `pid` (killed since).
    NotLoaded {
        /// The client's process id.
        pid: u32,
        /// Why, in words.
        reason: String,
    },
    /// The client `pid` could not be resumed (killed since).
    NotResumed {
        /// The client's process id.
        pid: u32,
        /// The OS error.
        error: io::Error,
    },
}

/// Start `program` with `args` (and the extra environment `env`) with the
/// agent loaded from its first instruction (`capture launch`): start it
/// suspended, load the agent of its bitness, resume it. Returns the
/// running client and its bitness; on a failure the client is killed.
///
/// # Errors
/// [`LaunchError`], naming the step.
pub fn launch(
    files: &crate::AgentFiles,
    program: &OsStr,
    args: &[&OsStr],
    env: &[(&str, &str)],
) -> Result<(Child, u32), LaunchError> {
    let suspended = start_suspended(program, args, env).map_err(LaunchError::Start)?;
    let pid = suspended.child.id();
    let bits = suspended.bits;
    if let Err(reason) = load(files, pid, bits) {
        let mut child = suspended.child;
        let _ = child.kill();
        let _ = child.wait();
        return Err(LaunchError::NotLoaded { pid, reason });
    }
    let mut child_for_kill = None;
    let resumed = suspended.resume_or_keep(&mut child_for_kill);
    match resumed {
        Ok(child) => Ok((child, bits)),
        Err(error) => {
            if let Some(mut c) = child_for_kill {
                let _ = c.kill();
                let _ = c.wait();
            }
            Err(LaunchError::NotResumed { pid, error })
        }
    }
}
