//! A Windows program that loads `mapi32.dll` (Wine's own under Wine), says
//! `LOADED` on stdout, and stays until its stdin closes: the MAPI process
//! of `tests/processes_wine.rs`, in which the Linux scanner must find it
//! under its Windows executable name. `scripts/check` stage 4 builds it
//! for `x86_64-pc-windows-gnu`.

#[cfg(windows)]
fn main() -> std::process::ExitCode {
    use std::io::{Read, Write};
    use windows_sys::Win32::System::LibraryLoader::LoadLibraryW;

    let name: Vec<u16> = "mapi32.dll\0".encode_utf16().collect();
    // SAFETY: a NUL-terminated name; the module stays loaded until exit.
    let module = unsafe { LoadLibraryW(name.as_ptr()) };
    if module.is_null() {
        eprintln!(
            "load_mapi32: LoadLibraryW(mapi32.dll) failed: {}",
            std::io::Error::last_os_error()
        );
        return std::process::ExitCode::FAILURE;
    }
    println!("LOADED");
    let _ = std::io::stdout().flush();
    // Until the parent closes stdin (or goes away).
    let _ = std::io::stdin().read(&mut [0u8; 1]);
    std::process::ExitCode::SUCCESS
}

#[cfg(not(windows))]
fn main() -> std::process::ExitCode {
    eprintln!(
        "load_mapi32 is a Windows program: build it with --target x86_64-pc-windows-gnu and \
         run it under Wine (tests/processes_wine.rs)"
    );
    std::process::ExitCode::from(2)
}
