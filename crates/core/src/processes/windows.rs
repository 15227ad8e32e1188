//! The Windows module lister: a Toolhelp32 module snapshot
//! (`CreateToolhelp32Snapshot` with `TH32CS_SNAPMODULE |
//! TH32CS_SNAPMODULE32`, so the modules of a 32-bit Outlook are seen from
//! a 64-bit scanner), and the file version of a DLL
//! (`GetFileVersionInfoW` / `VerQueryValueW`). A process the user may not
//! open (another user's, elevated or protected) is
//! [`ModulesError::AccessDenied`] for that process only.

use std::ffi::c_void;
use std::os::windows::ffi::OsStrExt;

use windows_sys::Win32::Foundation::{
    CloseHandle, ERROR_ACCESS_DENIED, ERROR_BAD_LENGTH, ERROR_INVALID_PARAMETER,
    ERROR_PARTIAL_COPY, GetLastError, HANDLE, INVALID_HANDLE_VALUE,
};
use windows_sys::Win32::Storage::FileSystem::{
    GetFileVersionInfoSizeW, GetFileVersionInfoW, VS_FIXEDFILEINFO, VerQueryValueW,
};
use windows_sys::Win32::System::Diagnostics::ToolHelp::{
    CreateToolhelp32Snapshot, MODULEENTRY32W, Module32FirstW, Module32NextW, TH32CS_SNAPMODULE,
    TH32CS_SNAPMODULE32,
};

use super::{Module, ModuleLister, ModulesError};

/// `ERROR_BAD_LENGTH` retries: the documentation says to retry while the
/// target is loading or unloading modules.
const SNAPSHOT_RETRIES: usize = 8;

/// Toolhelp32 module snapshots.
#[derive(Clone, Copy, Debug, Default)]
pub struct ToolhelpLister;

/// Closes the snapshot handle when dropped.
struct Snapshot(HANDLE);

impl Drop for Snapshot {
    fn drop(&mut self) {
        // SAFETY: a valid handle from CreateToolhelp32Snapshot, closed once.
        unsafe { CloseHandle(self.0) };
    }
}

impl ModuleLister for ToolhelpLister {
    fn modules(&self, pid: u32) -> Result<Vec<Module>, ModulesError> {
        let mut attempt = 0;
        let snapshot = loop {
            // SAFETY: plain call; the result is checked below.
            let h =
                unsafe { CreateToolhelp32Snapshot(TH32CS_SNAPMODULE | TH32CS_SNAPMODULE32, pid) };
            if h != INVALID_HANDLE_VALUE {
                break Snapshot(h);
            }
            // SAFETY: reads the calling thread's last error.
            let code = unsafe { GetLastError() };
            attempt += 1;
            match code {
                ERROR_BAD_LENGTH if attempt < SNAPSHOT_RETRIES => continue,
                ERROR_ACCESS_DENIED => return Err(ModulesError::AccessDenied),
                // A 32-bit scanner cannot read a 64-bit process.
                ERROR_PARTIAL_COPY => {
                    return Err(ModulesError::Other(
                        "cannot read a 64-bit process from a 32-bit scanner".to_owned(),
                    ));
                }
                ERROR_INVALID_PARAMETER => return Err(ModulesError::Gone),
                other => {
                    return Err(ModulesError::Other(
                        std::io::Error::from_raw_os_error(other as i32).to_string(),
                    ));
                }
            }
        };
        let mut entry = MODULEENTRY32W {
            dwSize: size_of::<MODULEENTRY32W>() as u32,
            ..MODULEENTRY32W::default()
        };
        let mut out = Vec::new();
        // SAFETY: a valid snapshot and an entry with dwSize set.
        let mut ok = unsafe { Module32FirstW(snapshot.0, &mut entry) } != 0;
        while ok {
            let name = from_wide(&entry.szModule);
            let path = from_wide(&entry.szExePath);
            if !out
                .iter()
                .any(|m: &Module| m.path.eq_ignore_ascii_case(&path))
            {
                out.push(Module { name, path });
            }
            // SAFETY: as above.
            ok = unsafe { Module32NextW(snapshot.0, &mut entry) } != 0;
        }
        Ok(out)
    }

    fn file_version(&self, path: &str) -> Option<String> {
        file_version(path)
    }
}

/// A NUL-terminated UTF-16 buffer as a String.
fn from_wide(buf: &[u16]) -> String {
    let len = buf.iter().position(|&c| c == 0).unwrap_or(buf.len());
    String::from_utf16_lossy(&buf[..len])
}

/// The fixed file version (`VS_FIXEDFILEINFO.dwFileVersionMS/LS`) of a
/// file, `major.minor.build.revision`; `None` when the file has no version
/// resource or cannot be read.
pub fn file_version(path: &str) -> Option<String> {
    let wide: Vec<u16> = std::ffi::OsStr::new(path)
        .encode_wide()
        .chain(std::iter::once(0))
        .collect();
    let mut handle = 0u32;
    // SAFETY: a NUL-terminated path and a valid out pointer.
    let size = unsafe { GetFileVersionInfoSizeW(wide.as_ptr(), &mut handle) };
    if size == 0 {
        return None;
    }
    let mut data = vec![0u8; size as usize];
    // SAFETY: `data` has `size` bytes.
    let ok =
        unsafe { GetFileVersionInfoW(wide.as_ptr(), 0, size, data.as_mut_ptr().cast::<c_void>()) };
    if ok == 0 {
        return None;
    }
    let root: [u16; 2] = [u16::from(b'\\'), 0];
    let mut info: *mut c_void = std::ptr::null_mut();
    let mut len = 0u32;
    // SAFETY: `data` holds the version block GetFileVersionInfoW filled;
    // the returned pointer points into it and is read while it lives.
    let ok = unsafe { VerQueryValueW(data.as_ptr().cast(), root.as_ptr(), &mut info, &mut len) };
    if ok == 0 || info.is_null() || (len as usize) < size_of::<VS_FIXEDFILEINFO>() {
        return None;
    }
    // SAFETY: checked non-null and large enough; read unaligned to be safe.
    let fixed = unsafe { std::ptr::read_unaligned(info.cast::<VS_FIXEDFILEINFO>()) };
    if fixed.dwSignature != 0xFEEF_04BD {
        return None;
    }
    Some(format!(
        "{}.{}.{}.{}",
        fixed.dwFileVersionMS >> 16,
        fixed.dwFileVersionMS & 0xFFFF,
        fixed.dwFileVersionLS >> 16,
        fixed.dwFileVersionLS & 0xFFFF
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_modules_of_this_process() {
        let modules = ToolhelpLister
            .modules(std::process::id())
            .expect("own modules");
        for dll in ["ntdll.dll", "kernel32.dll"] {
            assert!(
                modules.iter().any(|m| m.name.eq_ignore_ascii_case(dll)),
                "{dll} in {modules:#?}"
            );
        }
        let version = modules
            .iter()
            .find(|m| m.name.eq_ignore_ascii_case("kernel32.dll"))
            .and_then(|m| file_version(&m.path));
        if let Some(v) = version {
            assert_eq!(v.split('.').count(), 4, "{v}");
        }
    }

    #[test]
    fn a_process_that_does_not_exist_is_not_a_crash() {
        assert!(ToolhelpLister.modules(0xFFFF_FFF0).is_err());
    }
}
