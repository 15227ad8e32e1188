//! What the agent asks Windows about its host, without loading any DLL:
//! which module holds an address, a module's path, its file version (read
//! from the version resource already mapped in memory), the loaded
//! modules, the default mail client's `DLLPathEx`, the fast-shutdown policy
//! value, and a line of debug output.

use std::ffi::c_void;
use std::ptr::null_mut;

use mapi_trace::model::{FastShutdownBehavior, OfficeVersion, RegistryData};
use mapi_trace::{PolicyRecord, PolicySource};
use windows_sys::Win32::Foundation::{ERROR_SUCCESS, HMODULE};
use windows_sys::Win32::System::Diagnostics::Debug::OutputDebugStringW;
use windows_sys::Win32::System::LibraryLoader::{
    FindResourceW, GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS,
    GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, GetModuleFileNameW, GetModuleHandleExW,
    LoadResource, LockResource, SizeofResource,
};
use windows_sys::Win32::System::Memory::{
    MEM_COMMIT, MEMORY_BASIC_INFORMATION, PAGE_EXECUTE, PAGE_EXECUTE_READ, PAGE_EXECUTE_READWRITE,
    PAGE_EXECUTE_WRITECOPY, VirtualQuery,
};
use windows_sys::Win32::System::ProcessStatus::K32EnumProcessModules;
use windows_sys::Win32::System::Registry::{
    HKEY, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, REG_BINARY, REG_DWORD, REG_EXPAND_SZ,
    REG_MULTI_SZ, REG_QWORD, REG_SZ, RRF_NOEXPAND, RRF_RT_ANY, RegGetValueW,
};
use windows_sys::Win32::System::Threading::GetCurrentProcess;

/// `s` as a NUL-terminated UTF-16 string.
pub fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(Some(0)).collect()
}

/// Write `mapi-capture-agent: MESSAGE` to the debugger's output (what a
/// support engineer sees with DebugView); never to the host's console.
pub fn debug(message: &str) {
    let line = wide(&format!("mapi-capture-agent: {message}\n"));
    // SAFETY: `line` is a NUL-terminated UTF-16 string alive for the call.
    unsafe { OutputDebugStringW(line.as_ptr()) };
}

/// The module whose image contains `addr`, or `None`.
pub fn module_of(addr: usize) -> Option<HMODULE> {
    let mut module: HMODULE = null_mut();
    // SAFETY: FROM_ADDRESS takes the address as the name argument and
    // writes one handle to `module`; UNCHANGED_REFCOUNT takes no reference.
    let ok = unsafe {
        GetModuleHandleExW(
            GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
            addr as *const u16,
            &mut module,
        )
    };
    (ok != 0 && !module.is_null()).then_some(module)
}

/// The full path of `module` (`None`: the process's executable).
pub fn module_path(module: Option<HMODULE>) -> Option<String> {
    let mut buf = vec![0u16; 1024];
    loop {
        // SAFETY: `buf` has `buf.len()` writable u16s.
        let n = unsafe {
            GetModuleFileNameW(
                module.unwrap_or(null_mut()),
                buf.as_mut_ptr(),
                buf.len() as u32,
            )
        } as usize;
        if n == 0 {
            return None;
        }
        if n < buf.len() {
            return Some(String::from_utf16_lossy(&buf[..n]));
        }
        if buf.len() >= 32 * 1024 {
            return None;
        }
        buf.resize(buf.len() * 2, 0);
    }
}

/// Whether `addr` lies in committed, executable memory (a function a
/// vtable slot may point to).
pub fn is_executable(addr: usize) -> bool {
    let mut info: MEMORY_BASIC_INFORMATION = unsafe { std::mem::zeroed() };
    // SAFETY: VirtualQuery only reads the address space map; `info` is a
    // writable MEMORY_BASIC_INFORMATION of the size given.
    let n = unsafe {
        VirtualQuery(
            addr as *const c_void,
            &mut info,
            size_of::<MEMORY_BASIC_INFORMATION>(),
        )
    };
    n != 0
        && info.State == MEM_COMMIT
        && info.Protect
            & (PAGE_EXECUTE | PAGE_EXECUTE_READ | PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY)
            != 0
}

/// The file version of a loaded module, `16.0.17928.20114`, read from its
/// `VS_VERSION_INFO` resource (the `VS_FIXEDFILEINFO` signed 0xFEEF04BD)
/// in the mapped image: no `version.dll` is loaded. `None` when the module
/// has no version resource.
pub fn file_version(module: HMODULE) -> Option<String> {
    const RT_VERSION: usize = 16;
    const VS_VERSION_INFO: usize = 1;
    // SAFETY: integer resource ids are passed as pointers, as
    // MAKEINTRESOURCE does; the resource functions read the mapped image.
    let bytes = unsafe {
        let res = FindResourceW(
            module,
            VS_VERSION_INFO as *const u16,
            RT_VERSION as *const u16,
        );
        if res.is_null() {
            return None;
        }
        let size = SizeofResource(module, res) as usize;
        let data = LoadResource(module, res);
        if data.is_null() || size == 0 {
            return None;
        }
        let ptr = LockResource(data) as *const u8;
        if ptr.is_null() {
            return None;
        }
        std::slice::from_raw_parts(ptr, size)
    };
    crate::recorder::fixed_file_version(bytes)
}

/// The modules loaded in this process now.
pub fn loaded_modules() -> Vec<HMODULE> {
    let mut modules: Vec<HMODULE> = vec![null_mut(); 512];
    loop {
        let mut needed = 0u32;
        let bytes = (modules.len() * size_of::<HMODULE>()) as u32;
        // SAFETY: `modules` has room for `bytes` bytes of handles.
        let ok = unsafe {
            K32EnumProcessModules(
                GetCurrentProcess(),
                modules.as_mut_ptr(),
                bytes,
                &mut needed,
            )
        };
        if ok == 0 {
            return Vec::new();
        }
        if needed <= bytes {
            modules.truncate(needed as usize / size_of::<HMODULE>());
            return modules;
        }
        modules.resize(needed as usize / size_of::<HMODULE>() + 16, null_mut());
    }
}

/// A registry value as stored, or `None` when absent or unreadable.
fn reg_value(root: HKEY, key: &str, value: &str, expand: bool) -> Option<RegistryData> {
    let key_w = wide(key);
    let value_w = wide(value);
    let flags = if expand {
        RRF_RT_ANY
    } else {
        RRF_RT_ANY | RRF_NOEXPAND
    };
    let mut kind = 0u32;
    let mut size = 0u32;
    // SAFETY: a size query (no buffer); strings are NUL-terminated.
    let rc = unsafe {
        RegGetValueW(
            root,
            key_w.as_ptr(),
            value_w.as_ptr(),
            flags,
            &mut kind,
            null_mut(),
            &mut size,
        )
    };
    if rc != ERROR_SUCCESS || size > 1 << 20 {
        return None;
    }
    let mut buf = vec![0u8; size as usize + 2];
    let mut size = buf.len() as u32;
    // SAFETY: `buf` has `size` writable bytes.
    let rc = unsafe {
        RegGetValueW(
            root,
            key_w.as_ptr(),
            value_w.as_ptr(),
            flags,
            &mut kind,
            buf.as_mut_ptr().cast(),
            &mut size,
        )
    };
    if rc != ERROR_SUCCESS {
        return None;
    }
    buf.truncate(size as usize);
    let utf16 = |b: &[u8]| -> Vec<u16> {
        b.chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect()
    };
    let text = |b: &[u8]| -> String {
        let w = utf16(b);
        let end = w.iter().position(|&c| c == 0).unwrap_or(w.len());
        String::from_utf16_lossy(&w[..end])
    };
    Some(match kind {
        REG_DWORD if buf.len() == 4 => {
            RegistryData::Dword(u32::from_le_bytes(buf[..4].try_into().ok()?))
        }
        REG_QWORD if buf.len() == 8 => {
            RegistryData::Qword(u64::from_le_bytes(buf[..8].try_into().ok()?))
        }
        REG_SZ => RegistryData::String(text(&buf)),
        REG_EXPAND_SZ => RegistryData::ExpandString(text(&buf)),
        REG_MULTI_SZ => RegistryData::MultiString(
            String::from_utf16_lossy(&utf16(&buf))
                .split('\0')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        ),
        REG_BINARY => RegistryData::Binary(buf),
        _ => RegistryData::Binary(buf),
    })
}

/// The default mail client's `DLLPathEx` (`HKLM\Software\Clients\Mail`,
/// default value names the client; its key's `DLLPathEx` names the
/// subsystem DLL), environment variables expanded: what the `mapi32.dll`
/// stub loads (docs/domain.md, "Well-known MAPI DLLs"). The registry view
/// is the process's own, as for the stub.
pub fn default_mail_dll_path_ex() -> Option<String> {
    let client = match reg_value(HKEY_LOCAL_MACHINE, r"Software\Clients\Mail", "", true)? {
        RegistryData::String(s) | RegistryData::ExpandString(s) => s,
        _ => return None,
    };
    if client.is_empty() {
        return None;
    }
    let key = format!(r"Software\Clients\Mail\{client}");
    match reg_value(HKEY_LOCAL_MACHINE, &key, "DLLPathEx", true)? {
        RegistryData::String(s) | RegistryData::ExpandString(s) if !s.is_empty() => Some(s),
        _ => None,
    }
}

/// The policy record for `version`: `FastShutdownBehavior` under
/// `HKCU\Software\Policies\Microsoft\Office\<ver>\Outlook\Options\Shutdown`
/// as stored, interpreted as the subsystem does (absent or invalid data:
/// opt-out). Source: "Fast Shutdown User Options".
pub fn read_policy(version: OfficeVersion) -> PolicyRecord {
    let key = version.shutdown_policy_key();
    let data = reg_value(HKEY_CURRENT_USER, &key, "FastShutdownBehavior", false);
    let setting = FastShutdownBehavior::interpret(data.as_ref());
    PolicyRecord {
        t_ns: 0,
        office_version: version,
        source: PolicySource::Registry {
            store: "windows".to_string(),
            key: format!(r"HKEY_CURRENT_USER\{key}"),
            value: "FastShutdownBehavior".to_string(),
        },
        effective: setting.effective(FastShutdownBehavior::DEFAULT),
        setting,
    }
}

/// Whether a named kernel event exists (opened and closed at once).
pub fn event_exists(name: &str) -> bool {
    use windows_sys::Win32::Foundation::CloseHandle;
    use windows_sys::Win32::System::Threading::{OpenEventW, SYNCHRONIZATION_SYNCHRONIZE};
    let name = wide(name);
    // SAFETY: `name` is NUL-terminated; the handle is closed at once.
    unsafe {
        let h = OpenEventW(SYNCHRONIZATION_SYNCHRONIZE, 0, name.as_ptr());
        if h.is_null() {
            return false;
        }
        CloseHandle(h);
    }
    true
}

/// Set the named event if it exists (the injector waits on it).
pub fn signal_event(name: &str) {
    use windows_sys::Win32::Foundation::CloseHandle;
    use windows_sys::Win32::System::Threading::{EVENT_MODIFY_STATE, OpenEventW, SetEvent};
    let name = wide(name);
    // SAFETY: `name` is NUL-terminated; the handle is closed after use.
    unsafe {
        let h = OpenEventW(EVENT_MODIFY_STATE, 0, name.as_ptr());
        if !h.is_null() {
            SetEvent(h);
            CloseHandle(h);
        }
    }
}
