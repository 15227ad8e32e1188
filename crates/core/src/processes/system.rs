//! The process list of this machine from `sysinfo`: pid, executable name
//! and path, user, start time and memory, refreshed in place so that the
//! GUI's periodic scans reuse what does not change (executable, command
//! line, user). On Linux a Wine process is shown under its Windows
//! executable ([`wine_windows_exe`]).

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::Path;

#[cfg(not(windows))]
use sysinfo::Users;
use sysinfo::{ProcessRefreshKind, ProcessesToUpdate, System, UpdateKind};

use super::{ProcessInfo, ProcessSource, ScanError, file_name};

/// sysinfo's process list.
pub struct SysinfoSource {
    system: System,
    #[cfg(not(windows))]
    users: Option<Users>,
    user_names: HashMap<String, String>,
}

impl std::fmt::Debug for SysinfoSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SysinfoSource").finish_non_exhaustive()
    }
}

impl SysinfoSource {
    /// Start sysinfo (nothing is read until [`ProcessSource::processes`]).
    ///
    /// # Errors
    /// [`ScanError::Processes`] when sysinfo cannot start on this OS.
    pub fn new() -> Result<SysinfoSource, ScanError> {
        let system = System::new().map_err(|e| ScanError::Processes(e.to_string()))?;
        Ok(SysinfoSource {
            system,
            #[cfg(not(windows))]
            users: None,
            user_names: HashMap::new(),
        })
    }

    /// What each refresh reads: memory always; executable, command line
    /// and user once per process; threads never.
    pub fn refresh_kind() -> ProcessRefreshKind {
        ProcessRefreshKind::nothing()
            .with_memory()
            .with_exe(UpdateKind::OnlyIfNotSet)
            .with_cmd(UpdateKind::OnlyIfNotSet)
            .with_user(UpdateKind::OnlyIfNotSet)
            .without_tasks()
    }

    /// The account name of a user id, cached. On Windows the id is a SID,
    /// resolved with `LookupAccountSidW` (`DOMAIN\user`, domain accounts
    /// included); elsewhere from sysinfo's user list (a numeric id when
    /// unknown).
    fn user_name(&mut self, uid: &sysinfo::Uid) -> Option<String> {
        use std::fmt::Write as _;
        // Not `to_string()`: sysinfo's Windows `Display` can fail, and
        // `to_string` would panic on that.
        let mut key = String::new();
        // On Windows a `Uid` derefs to sysinfo's SID, whose `Display` is
        // the string SID.
        #[cfg(windows)]
        write!(key, "{}", &**uid).ok()?;
        #[cfg(not(windows))]
        write!(key, "{}", **uid).ok()?;
        if let Some(name) = self.user_names.get(&key) {
            return Some(name.clone());
        }
        let name = self.lookup(uid, &key);
        self.user_names.insert(key, name.clone());
        Some(name)
    }

    #[cfg(windows)]
    fn lookup(&mut self, _uid: &sysinfo::Uid, sid: &str) -> String {
        // sysinfo's `Users` (NetUserEnum) is not used on Windows: it lists
        // local accounts only, and it aborts under Wine (a null buffer
        // with zero entries passed to `slice::from_raw_parts_mut`).
        account_name(sid).unwrap_or_else(|| sid.to_owned())
    }

    #[cfg(not(windows))]
    fn lookup(&mut self, uid: &sysinfo::Uid, key: &str) -> String {
        if self.users.is_none() {
            self.users = Users::new_with_refreshed_list().ok();
        }
        self.users
            .as_ref()
            .and_then(|u| u.get_user_by_id(uid))
            .map(|u| u.name().to_owned())
            .unwrap_or_else(|| key.to_owned())
    }
}

/// `DOMAIN\user` (or `user`) for a string SID (`S-1-5-21-…`), via
/// `ConvertStringSidToSidW` and `LookupAccountSidW`; `None` when Windows
/// cannot resolve it.
#[cfg(windows)]
pub fn account_name(sid: &str) -> Option<String> {
    use windows_sys::Win32::Foundation::{HLOCAL, LocalFree};
    use windows_sys::Win32::Security::Authorization::ConvertStringSidToSidW;
    use windows_sys::Win32::Security::{LookupAccountSidW, PSID, SID_NAME_USE};

    let wide: Vec<u16> = sid.encode_utf16().chain(std::iter::once(0)).collect();
    let mut psid: PSID = std::ptr::null_mut();
    // SAFETY: a NUL-terminated string and a valid out pointer.
    if unsafe { ConvertStringSidToSidW(wide.as_ptr(), &mut psid) } == 0 || psid.is_null() {
        return None;
    }
    let mut name = [0u16; 256];
    let mut name_len = name.len() as u32;
    let mut domain = [0u16; 256];
    let mut domain_len = domain.len() as u32;
    let mut kind: SID_NAME_USE = 0;
    // SAFETY: a valid SID; buffers with their lengths in characters.
    let ok = unsafe {
        LookupAccountSidW(
            std::ptr::null(),
            psid,
            name.as_mut_ptr(),
            &mut name_len,
            domain.as_mut_ptr(),
            &mut domain_len,
            &mut kind,
        )
    };
    // SAFETY: allocated by ConvertStringSidToSidW with LocalAlloc, freed once.
    unsafe { LocalFree(psid as HLOCAL) };
    if ok == 0 {
        return None;
    }
    let text =
        |buf: &[u16], len: u32| String::from_utf16_lossy(&buf[..(len as usize).min(buf.len())]);
    let (name, domain) = (text(&name, name_len), text(&domain, domain_len));
    Some(if domain.is_empty() {
        name
    } else {
        format!("{domain}\\{name}")
    })
}

impl ProcessSource for SysinfoSource {
    fn processes(&mut self) -> Result<Vec<ProcessInfo>, ScanError> {
        self.system
            .refresh_processes_specifics(ProcessesToUpdate::All, true, Self::refresh_kind());
        let raw: Vec<_> = self
            .system
            .processes()
            .values()
            .filter(|p| p.thread_kind().is_none())
            .map(|p| {
                let exe = p.exe().map(Path::to_path_buf);
                let wine = wine_windows_exe(exe.as_deref(), p.cmd());
                let (name, path, is_wine) = match wine {
                    Some(win) => (file_name(&win).to_owned(), Some(win), true),
                    None => (
                        exe.as_deref()
                            .and_then(Path::file_name)
                            .unwrap_or_else(|| p.name())
                            .to_string_lossy()
                            .into_owned(),
                        exe.as_ref().map(|e| e.to_string_lossy().into_owned()),
                        false,
                    ),
                };
                (
                    p.pid().as_u32(),
                    name,
                    path,
                    is_wine,
                    p.user_id().cloned(),
                    p.start_time(),
                    p.memory(),
                )
            })
            .collect();
        let mut out = Vec::with_capacity(raw.len());
        for (pid, name, path, wine, uid, start_time, memory) in raw {
            let user = uid.as_ref().and_then(|u| self.user_name(u));
            out.push(ProcessInfo {
                pid,
                name,
                path,
                user,
                start_time,
                memory,
                wine,
            });
        }
        Ok(out)
    }
}

/// The Windows executable of a Wine process seen from Linux, from its
/// command line: Wine rewrites `argv[0]` to the Windows path
/// (`C:\windows\system32\cmd.exe`) while the Linux executable is the
/// loader (`/usr/lib/wine/wine64`, `wine64-preloader`) and the thread
/// name is truncated to 15 bytes. `None` for any other process. A program
/// started from a Unix path (`wine64 /opt/x/foo.exe`) gets that Unix path
/// as its `argv[0]` (measured, Wine 8); when the loader still has its own
/// `argv[0]` (`wine64 foo.exe`), the first argument ending in `.exe` is
/// taken.
pub fn wine_windows_exe(exe: Option<&Path>, cmd: &[OsString]) -> Option<String> {
    let first = cmd.first()?.to_string_lossy();
    if looks_like_windows_path(&first) {
        return Some(first.into_owned());
    }
    let loader = exe
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .or_else(|| Some(file_name(&first).to_ascii_lowercase()))?;
    if !loader.starts_with("wine") || loader.starts_with("wineserver") {
        return None;
    }
    cmd.iter()
        .map(|a| a.to_string_lossy())
        .find(|a| a.to_ascii_lowercase().ends_with(".exe"))
        .map(|a| a.into_owned())
}

/// `C:\…`, `\\server\…` or `\??\…`: a Windows path, not a Unix one.
fn looks_like_windows_path(s: &str) -> bool {
    let b = s.as_bytes();
    (b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'\\')
        || s.starts_with(r"\\")
        || s.starts_with(r"\??\")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn wine_processes_show_their_windows_exe() {
        // What /proc/PID/cmdline holds for a Wine 8 process (measured).
        let c = cmd(&[r"C:\windows\system32\cmd.exe", "", ""]);
        assert_eq!(
            wine_windows_exe(Some(Path::new("/usr/lib/wine/wine64")), &c).as_deref(),
            Some(r"C:\windows\system32\cmd.exe")
        );
        assert_eq!(file_name(r"C:\windows\system32\cmd.exe"), "cmd.exe");
        // Started from a Unix path: Wine puts it in argv[0] (measured).
        let c = cmd(&["/home/a/load_mapi32.exe", "", ""]);
        assert_eq!(
            wine_windows_exe(Some(Path::new("/usr/lib/wine/wine64")), &c).as_deref(),
            Some("/home/a/load_mapi32.exe")
        );
        let c = cmd(&["/usr/lib/wine/wine64", "--", "probe.EXE", "x"]);
        assert_eq!(
            wine_windows_exe(Some(Path::new("/usr/lib/wine/wine64")), &c).as_deref(),
            Some("probe.EXE")
        );
    }

    #[test]
    fn other_processes_are_not_wine() {
        let c = cmd(&["/usr/bin/sleep", "100"]);
        assert_eq!(
            wine_windows_exe(Some(Path::new("/usr/bin/sleep")), &c),
            None
        );
        let c = cmd(&["/usr/lib/wine/wineserver64", "-p0", "x.exe"]);
        assert_eq!(
            wine_windows_exe(Some(Path::new("/usr/lib/wine/wineserver64")), &c),
            None
        );
        assert_eq!(wine_windows_exe(None, &[]), None);
    }

    #[test]
    fn sysinfo_lists_this_process() {
        let mut source = SysinfoSource::new().expect("sysinfo starts");
        let list = source.processes().expect("process list");
        let me = list
            .iter()
            .find(|p| p.pid == std::process::id())
            .expect("this process is listed");
        assert!(me.memory > 0, "{me:?}");
        if cfg!(target_os = "linux") {
            assert!(me.start_time > 0, "{me:?}");
        }
        assert!(!me.name.is_empty(), "{me:?}");
        // A second refresh reuses the System.
        assert!(source.processes().expect("again").len() > 1);
        assert!(me.user.as_deref().is_some_and(|u| !u.is_empty()), "{me:?}");
    }
}
