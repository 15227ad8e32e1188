//! The console of the Windows release build.
//!
//! The release `mapi-shutdown.exe` is a Windows-subsystem program
//! (`windows_subsystem = "windows"` in `main.rs`), so that starting the
//! application from the Start menu or Explorer opens no console window.
//! Such a program gets no console of its own: its standard handles are
//! null unless whoever started it redirected them. So that the command-line
//! subcommands still print where they were typed, [`attach_parent`]
//! attaches to the console of the parent process (`cmd.exe`, PowerShell,
//! Windows Terminal) and points the standard handles that have nowhere to
//! go at it (`CONOUT$`, `CONIN$`).
//!
//! The known pitfalls, and what this module does about them:
//! - A handle that is already redirected (to a file, a pipe, or `NUL`:
//!   `mapi-shutdown.exe policy show --json > out.json`, a CI runner
//!   capturing output) must be kept, or the output would go to the console
//!   instead of the file. Only null or unusable handles are replaced.
//! - Rust's `std::io::stdout()` asks `GetStdHandle` on every write (it does
//!   not cache the handle), so setting the handles with `SetStdHandle`
//!   before anything is printed is enough.
//! - While attached, Ctrl+C in that console reaches this process too. The
//!   window must not die of a Ctrl+C typed later for another program, so
//!   the application detaches ([`Console::detach`]) before opening it.
//! - An interactive `cmd.exe` does not wait for a Windows-subsystem
//!   program: the prompt comes back at once and the output is printed
//!   after it (press Enter for a fresh prompt). A batch file, `start /wait`
//!   and PowerShell's `Start-Process -Wait` do wait, and get the exit code
//!   (see README.md).
//!
//! - Started from Explorer or the Start menu there is no console at all:
//!   an error that stops the application before or instead of its window
//!   (no renderer works, a bad `--registry`) would go nowhere, so
//!   [`report_error`] shows it in a message box then.
//!
//! The debug build (and every build off Windows) is a console program:
//! there is nothing to do, and [`attach_parent`] does nothing.

/// What [`attach_parent`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Console {
    /// Nothing: not a Windows-subsystem build, or no parent console (started
    /// from Explorer or the Start menu), or every standard handle was
    /// already redirected.
    Unchanged,
    /// Attached to the parent's console; the standard handles that were
    /// null now write to it.
    #[cfg_attr(not(windows), allow(dead_code))]
    Attached,
}

/// Attach to the parent process's console when this is the Windows release
/// build (a Windows-subsystem program) and point the standard handles that
/// go nowhere at it. Call it first thing in `main`, before anything is
/// printed. Never fails: without a console the output is dropped, as it
/// would be anyway.
pub fn attach_parent() -> Console {
    // The Windows code is compiled (and linted) in every Windows build; only
    // the Windows-subsystem (release) build runs it.
    #[cfg(windows)]
    if !cfg!(debug_assertions) {
        return windows::attach_parent();
    }
    Console::Unchanged
}

/// Print an error that ends the application (`mapi-shutdown: MESSAGE` on
/// stderr); in the Windows release build with nowhere to print it (no
/// console, stderr not redirected), show it in a message box instead.
#[cfg_attr(not(feature = "gui"), allow(dead_code))]
pub fn report_error(message: &str) {
    eprintln!("mapi-shutdown: {message}");
    #[cfg(windows)]
    if !cfg!(debug_assertions) && !windows::stderr_goes_somewhere() {
        windows::message_box("MAPI Shutdown", message);
    }
}

impl Console {
    /// Detach from the parent's console if [`attach_parent`] attached to it
    /// (before the window opens: a Ctrl+C typed in that console later must
    /// not end the application).
    #[cfg_attr(not(feature = "gui"), allow(dead_code))]
    pub fn detach(self) {
        #[cfg(windows)]
        if self == Console::Attached {
            windows::detach();
        }
    }
}

#[cfg(windows)]
mod windows {
    use windows_sys::Win32::Foundation::{
        GENERIC_READ, GENERIC_WRITE, HANDLE, INVALID_HANDLE_VALUE,
    };
    use windows_sys::Win32::Storage::FileSystem::{
        CreateFileW, FILE_SHARE_READ, FILE_SHARE_WRITE, FILE_TYPE_UNKNOWN, GetFileType,
        OPEN_EXISTING,
    };
    use windows_sys::Win32::System::Console::{
        ATTACH_PARENT_PROCESS, AttachConsole, FreeConsole, GetConsoleMode, GetStdHandle,
        STD_ERROR_HANDLE, STD_HANDLE, STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, SetStdHandle,
    };
    use windows_sys::Win32::UI::WindowsAndMessaging::{MB_ICONERROR, MB_OK, MessageBoxW};

    use super::Console;

    /// Whether `handle` already goes somewhere: a file, a pipe, a console or
    /// `NUL` (character devices both). Null, invalid, or a handle that is
    /// not open (type unknown) go nowhere.
    fn usable(handle: HANDLE) -> bool {
        if handle.is_null() || handle == INVALID_HANDLE_VALUE {
            return false;
        }
        // SAFETY: GetFileType only inspects the handle; a closed or bogus
        // handle gives FILE_TYPE_UNKNOWN.
        unsafe { GetFileType(handle) != FILE_TYPE_UNKNOWN }
    }

    fn std_handle(which: STD_HANDLE) -> HANDLE {
        // SAFETY: plain query of the process's standard handle table.
        unsafe { GetStdHandle(which) }
    }

    /// Opens `CONOUT$` or `CONIN$` of the attached console.
    fn open_console(name: &str) -> Option<HANDLE> {
        let wide: Vec<u16> = name.encode_utf16().chain(Some(0)).collect();
        // SAFETY: `wide` is NUL-terminated and outlives the call; no
        // security attributes, no template.
        let h = unsafe {
            CreateFileW(
                wide.as_ptr(),
                GENERIC_READ | GENERIC_WRITE,
                FILE_SHARE_READ | FILE_SHARE_WRITE,
                std::ptr::null(),
                OPEN_EXISTING,
                0,
                std::ptr::null_mut(),
            )
        };
        (h != INVALID_HANDLE_VALUE && !h.is_null()).then_some(h)
    }

    pub(super) fn attach_parent() -> Console {
        let slots = [
            (STD_INPUT_HANDLE, "CONIN$"),
            (STD_OUTPUT_HANDLE, "CONOUT$"),
            (STD_ERROR_HANDLE, "CONOUT$"),
        ];
        // Decide before attaching which handles to keep: the redirected ones.
        let missing: Vec<_> = slots
            .into_iter()
            .filter(|(which, _)| !usable(std_handle(*which)))
            .collect();
        if missing.is_empty() {
            return Console::Unchanged;
        }
        // SAFETY: no arguments beyond the documented constant; failure
        // (no parent console, already attached) is reported by the result.
        if unsafe { AttachConsole(ATTACH_PARENT_PROCESS) } == 0 {
            return Console::Unchanged;
        }
        for (which, device) in missing {
            // Windows may already have set the handle on attach.
            if usable(std_handle(which)) {
                continue;
            }
            if let Some(h) = open_console(device) {
                // SAFETY: `h` is a handle this process owns and keeps open
                // for its lifetime.
                unsafe { SetStdHandle(which, h) };
            }
        }
        Console::Attached
    }

    /// Whether stderr is redirected or a console is attached.
    #[cfg_attr(not(feature = "gui"), allow(dead_code))]
    pub(super) fn stderr_goes_somewhere() -> bool {
        usable(std_handle(STD_ERROR_HANDLE))
    }

    /// A modal error box with `text`.
    #[cfg_attr(not(feature = "gui"), allow(dead_code))]
    pub(super) fn message_box(title: &str, text: &str) {
        let wide = |s: &str| -> Vec<u16> { s.encode_utf16().chain(Some(0)).collect() };
        let (title, text) = (wide(title), wide(text));
        // SAFETY: both strings are NUL-terminated and outlive the call; no
        // owner window.
        unsafe {
            MessageBoxW(
                std::ptr::null_mut(),
                text.as_ptr(),
                title.as_ptr(),
                MB_OK | MB_ICONERROR,
            )
        };
    }

    pub(super) fn detach() {
        // Console handles go nowhere once detached: null them, so that a
        // later attach_parent opens fresh ones (and std drops output to a
        // null handle silently meanwhile). Redirected handles stay.
        for which in [STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE] {
            let h = std_handle(which);
            let mut mode = 0;
            // SAFETY: GetConsoleMode only queries; it fails for anything
            // that is not a console handle (files, pipes, NUL).
            if usable(h) && unsafe { GetConsoleMode(h, &mut mode) } != 0 {
                // SAFETY: clearing a standard handle slot is always allowed.
                unsafe { SetStdHandle(which, std::ptr::null_mut()) };
            }
        }
        // SAFETY: no arguments; detaching a process with no console is a
        // harmless failure.
        unsafe { FreeConsole() };
    }
}
