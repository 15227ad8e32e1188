//! Where the agent's code meets the host's: the loader notification that
//! looks at every DLL as it loads, the inline hooks (MinHook) on the
//! subsystem's `MAPILogonEx` and `MAPIUninitialize`, on each provider DLL's
//! `XPProviderInit` / `ABProviderInit` / `MSProviderInit` and on
//! `ExitProcess`, and the detours of the vtable slots patched through
//! `patch`: the session's and the provider object's `QueryInterface`, and
//! slots 3 to 5 (`QueryFastShutdown`, `NotifyProcessShutdown`,
//! `DoFastShutdown`) of `IMAPIClientShutdown` and `IMAPIProviderShutdown`.
//!
//! Sources: the IMAPIClientShutdown / IMAPIProviderShutdown reference pages
//! (slots, IIDs, through `outlook-mapi-sys`), MAPISPI.h (the entry points,
//! `STDMAPIINITCALLTYPE` = `__cdecl` on Win32 and Win64), MAPIX.h
//! (`MAPILogonEx`, `MAPI_UNICODE`), docs/domain.md.

use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use mapi_trace::hresult::HRESULT;
use mapi_trace::model::ProviderKind;
use mapi_trace::{FLUSH_BOUND, Method};
use minhook::MinHook;
use outlook_mapi_sys::Microsoft::Office::Outlook::MAPI::Win32::{
    IMAPIClientShutdown, IMAPIClientShutdown_Vtbl, IMAPIProviderShutdown,
    IMAPIProviderShutdown_Vtbl,
};
use windows_core::{GUID, Interface};
use windows_sys::Win32::Foundation::HMODULE;
use windows_sys::Win32::System::LibraryLoader::{GetModuleHandleW, GetProcAddress};

use super::os::{self, wide};
use super::patch::{self, original, patch_slot};
use super::{Agent, agent, guard};
use crate::recorder::{PROVIDER_ENTRY_POINTS, ProcessFacts, file_name, is_subsystem};

/// Slot of `QueryInterface` in every COM vtable.
const SLOT_QUERY_INTERFACE: usize = 0;
/// Slots of the three shutdown methods, from Microsoft's vtable layouts.
const SLOT_QUERY_FAST_SHUTDOWN: usize =
    std::mem::offset_of!(IMAPIClientShutdown_Vtbl, QueryFastShutdown) / size_of::<usize>();
const SLOT_NOTIFY_PROCESS_SHUTDOWN: usize =
    std::mem::offset_of!(IMAPIClientShutdown_Vtbl, NotifyProcessShutdown) / size_of::<usize>();
const SLOT_DO_FAST_SHUTDOWN: usize =
    std::mem::offset_of!(IMAPIClientShutdown_Vtbl, DoFastShutdown) / size_of::<usize>();
// docs/domain.md: slots 3, 4, 5 in both interfaces.
const _: () = assert!(
    SLOT_QUERY_FAST_SHUTDOWN == 3
        && SLOT_NOTIFY_PROCESS_SHUTDOWN == 4
        && SLOT_DO_FAST_SHUTDOWN == 5
);
const _: () = assert!(
    std::mem::offset_of!(IMAPIProviderShutdown_Vtbl, QueryFastShutdown)
        == std::mem::offset_of!(IMAPIClientShutdown_Vtbl, QueryFastShutdown)
        && std::mem::offset_of!(IMAPIProviderShutdown_Vtbl, DoFastShutdown)
            == std::mem::offset_of!(IMAPIClientShutdown_Vtbl, DoFastShutdown)
);

/// `MAPI_UNICODE` (MAPIDefS.h): the profile name is UTF-16.
const MAPI_UNICODE: u32 = 0x8000_0000;

type QueryInterfaceFn =
    unsafe extern "system" fn(*mut c_void, *const GUID, *mut *mut c_void) -> i32;
type ShutdownMethodFn = unsafe extern "system" fn(*mut c_void) -> i32;
type MapiLogonExFn =
    unsafe extern "system" fn(usize, *const c_void, *const c_void, u32, *mut *mut c_void) -> i32;
type MapiUninitializeFn = unsafe extern "system" fn();
type ExitProcessFn = unsafe extern "system" fn(u32) -> !;
/// `XPProviderInit` and its siblings (MAPISPI.h). `__cdecl` on both
/// Win32 and Win64 (`STDMAPIINITCALLTYPE`): `outlook-mapi-sys` declares
/// them `extern "system"`, which is wrong on x86, so the type is ours.
type ProviderInitFn = unsafe extern "C" fn(
    usize,
    *mut c_void,
    *mut c_void,
    *mut c_void,
    *mut c_void,
    u32,
    u32,
    *mut u32,
    *mut *mut c_void,
) -> i32;

/// The subsystem the agent instruments (one per process).
struct Subsystem {
    module: usize,
}

static SUBSYSTEM: OnceLock<Subsystem> = OnceLock::new();
static ORIG_LOGON: AtomicUsize = AtomicUsize::new(0);
static ORIG_UNINITIALIZE: AtomicUsize = AtomicUsize::new(0);
static ORIG_EXIT_PROCESS: AtomicUsize = AtomicUsize::new(0);
/// Provider modules already looked at (their exports hooked or not).
static SEEN_MODULES: Mutex<Vec<usize>> = Mutex::new(Vec::new());

/// Set up: hook `ExitProcess`, ask the loader for DLL-load notifications,
/// then look at every module already loaded.
pub fn start() {
    hook_exit_process();
    register_dll_notification();
    for module in os::loaded_modules() {
        on_module(module);
    }
}

fn hook_exit_process() {
    let kernel32 = wide("kernel32.dll");
    // SAFETY: kernel32 is always loaded; GetProcAddress reads its exports.
    let target = unsafe {
        let k = GetModuleHandleW(kernel32.as_ptr());
        GetProcAddress(k, c"ExitProcess".as_ptr().cast())
    };
    let Some(target) = target else {
        return;
    };
    // SAFETY: the detour has ExitProcess's signature.
    match unsafe { hook(target as usize, exit_process_detour as *const () as usize) } {
        Some(original) => ORIG_EXIT_PROCESS.store(original, Ordering::Release),
        None => os::debug("ExitProcess not hooked: the trace will have no client_exit"),
    }
}

/// Create and enable a MinHook hook; the trampoline to the original.
///
/// # Safety
/// `detour` has the signature of the function at `target`.
unsafe fn hook(target: usize, detour: usize) -> Option<usize> {
    // SAFETY: forwarded; MinHook checks the instructions it relocates.
    unsafe {
        let original = MinHook::create_hook(target as *mut c_void, detour as *mut c_void).ok()?;
        MinHook::enable_hook(target as *mut c_void).ok()?;
        Some(original as usize)
    }
}

// --- the loader notification ---------------------------------------------------

#[repr(C)]
struct UnicodeString {
    length: u16,
    maximum_length: u16,
    buffer: *const u16,
}

#[repr(C)]
struct LdrDllLoadedNotificationData {
    flags: u32,
    full_dll_name: *const UnicodeString,
    base_dll_name: *const UnicodeString,
    dll_base: *mut c_void,
    size_of_image: u32,
}

type LdrDllNotificationFn =
    unsafe extern "system" fn(u32, *const LdrDllLoadedNotificationData, *mut c_void);
type LdrRegisterDllNotificationFn =
    unsafe extern "system" fn(u32, LdrDllNotificationFn, *mut c_void, *mut *mut c_void) -> i32;

/// `LDR_DLL_NOTIFICATION_REASON_LOADED`.
const REASON_LOADED: u32 = 1;

fn register_dll_notification() {
    let ntdll = wide("ntdll.dll");
    // SAFETY: ntdll is always loaded; the export has the documented
    // LdrRegisterDllNotification signature.
    unsafe {
        let n = GetModuleHandleW(ntdll.as_ptr());
        let Some(register) = GetProcAddress(n, c"LdrRegisterDllNotification".as_ptr().cast())
        else {
            os::debug("no LdrRegisterDllNotification: DLLs loaded later are not instrumented");
            return;
        };
        let register: LdrRegisterDllNotificationFn = std::mem::transmute(register);
        let mut cookie = std::ptr::null_mut();
        let status = register(0, dll_loaded, std::ptr::null_mut(), &mut cookie);
        if status < 0 {
            os::debug(&format!(
                "LdrRegisterDllNotification failed: 0x{status:08x}"
            ));
        }
    }
}

unsafe extern "system" fn dll_loaded(
    reason: u32,
    data: *const LdrDllLoadedNotificationData,
    _context: *mut c_void,
) {
    if reason != REASON_LOADED || data.is_null() || agent().is_none() {
        return;
    }
    guard("a DLL-load notification", || {
        // SAFETY: the loader passes valid notification data for the call.
        let base = unsafe { (*data).dll_base };
        on_module(base as HMODULE);
    });
}

/// Look at a loaded module: the subsystem gets its logon hooks, a provider
/// DLL gets its entry points hooked; anything else is left alone.
fn on_module(module: HMODULE) {
    let Some(agent) = agent() else {
        return;
    };
    let base = module as usize;
    if base == 0 || base == agent.own_module {
        return;
    }
    {
        let mut seen = SEEN_MODULES.lock().unwrap_or_else(|e| e.into_inner());
        if seen.contains(&base) {
            return;
        }
        seen.push(base);
    }
    let Some(path) = os::module_path(Some(module)) else {
        return;
    };
    if is_subsystem(&path, agent.dll_path_ex.as_deref()) {
        instrument_subsystem(module, path);
    } else {
        instrument_provider_dll(module, &path);
    }
}

/// An export of `module` by its plain name, or (x86) its stdcall-decorated
/// one.
fn export(module: HMODULE, plain: &str, decorated: &str) -> Option<usize> {
    for name in [plain, decorated] {
        let c = std::ffi::CString::new(name).ok()?;
        // SAFETY: `module` is loaded; GetProcAddress reads its exports.
        if let Some(f) = unsafe { GetProcAddress(module, c.as_ptr().cast()) } {
            return Some(f as usize);
        }
    }
    None
}

fn instrument_subsystem(module: HMODULE, path: String) {
    let Some(agent) = agent() else {
        return;
    };
    if SUBSYSTEM
        .set(Subsystem {
            module: module as usize,
        })
        .is_err()
    {
        os::debug(&format!(
            "{path}: a second subsystem in one process is not instrumented"
        ));
        return;
    }
    let facts = ProcessFacts {
        pid: std::process::id(),
        exe: os::module_path(None)
            .map(|p| file_name(&p).to_string())
            .unwrap_or_default(),
        bits: usize::BITS,
        subsystem_version: os::file_version(module),
        subsystem_path: path.clone(),
        attach: agent.attach,
        host: agent.host.clone(),
    };
    let policy = facts.office_version().map(os::read_policy);
    agent.recorder.set_facts(facts, policy);
    match export(module, "MAPILogonEx", "MAPILogonEx@20") {
        // SAFETY: the detour has MAPILogonEx's signature (MAPIX.h).
        Some(f) => match unsafe { hook(f, mapi_logon_ex_detour as *const () as usize) } {
            Some(orig) => ORIG_LOGON.store(orig, Ordering::Release),
            None => os::debug(&format!("{path}: MAPILogonEx not hooked")),
        },
        None => os::debug(&format!("{path}: exports no MAPILogonEx")),
    }
    if let Some(f) = export(module, "MAPIUninitialize", "MAPIUninitialize@0") {
        // SAFETY: the detour has MAPIUninitialize's signature.
        if let Some(orig) = unsafe { hook(f, mapi_uninitialize_detour as *const () as usize) } {
            ORIG_UNINITIALIZE.store(orig, Ordering::Release);
        }
    }
    os::debug(&format!("instrumenting the MAPI subsystem {path}"));
}

fn instrument_provider_dll(module: HMODULE, path: &str) {
    for (kind_index, (entry, _)) in PROVIDER_ENTRY_POINTS.iter().enumerate() {
        let Some(target) = export(module, entry, entry) else {
            continue;
        };
        let Some(slot) = claim_slot(kind_index, module, path) else {
            os::debug(&format!("{path}: no free {entry} slot: not instrumented"));
            continue;
        };
        // SAFETY: the pool detour has the ProviderInitFn signature.
        match unsafe {
            hook(
                target,
                PROVIDER_INIT_DETOURS[kind_index][slot] as *const () as usize,
            )
        } {
            Some(orig) => INIT_SLOTS[kind_index][slot]
                .original
                .store(orig, Ordering::Release),
            None => os::debug(&format!("{path}: {entry} not hooked")),
        }
    }
}

// --- provider entry points: a pool of detours, one per hooked export -------------

/// How many provider DLLs of each kind one process can have instrumented.
const SLOTS: usize = 32;

struct InitSlot {
    /// The trampoline to the original entry point (0: slot unused).
    original: AtomicUsize,
    /// The provider DLL's module and file name.
    module: AtomicUsize,
    dll: OnceLock<String>,
}

impl InitSlot {
    const fn new() -> Self {
        InitSlot {
            original: AtomicUsize::new(0),
            module: AtomicUsize::new(0),
            dll: OnceLock::new(),
        }
    }
}

static INIT_SLOTS: [[InitSlot; SLOTS]; 3] = [
    [const { InitSlot::new() }; SLOTS],
    [const { InitSlot::new() }; SLOTS],
    [const { InitSlot::new() }; SLOTS],
];
static CLAIM: Mutex<()> = Mutex::new(());

fn claim_slot(kind_index: usize, module: HMODULE, path: &str) -> Option<usize> {
    let _claim = CLAIM.lock().unwrap_or_else(|e| e.into_inner());
    let slots = &INIT_SLOTS[kind_index];
    let free = slots
        .iter()
        .position(|s| s.module.load(Ordering::Acquire) == 0)?;
    let _ = slots[free].dll.set(file_name(path).to_string());
    slots[free].module.store(module as usize, Ordering::Release);
    Some(free)
}

macro_rules! init_detours {
    ($kind:literal; $($slot:literal)*) => {
        [$({
            unsafe extern "C" fn detour(
                instance: usize,
                malloc: *mut c_void,
                allocate_buffer: *mut c_void,
                allocate_more: *mut c_void,
                free_buffer: *mut c_void,
                flags: u32,
                mapi_version: u32,
                provider_version: *mut u32,
                provider: *mut *mut c_void,
            ) -> i32 {
                // SAFETY: called by the host with the entry point's
                // arguments, forwarded unchanged.
                unsafe {
                    provider_init(
                        $kind, $slot, instance, malloc, allocate_buffer, allocate_more,
                        free_buffer, flags, mapi_version, provider_version, provider,
                    )
                }
            }
            detour as ProviderInitFn
        }),*]
    };
}

static PROVIDER_INIT_DETOURS: [[ProviderInitFn; SLOTS]; 3] = [
    init_detours!(0; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31),
    init_detours!(1; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31),
    init_detours!(2; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31),
];

#[allow(clippy::too_many_arguments)]
unsafe fn provider_init(
    kind_index: usize,
    slot: usize,
    instance: usize,
    malloc: *mut c_void,
    allocate_buffer: *mut c_void,
    allocate_more: *mut c_void,
    free_buffer: *mut c_void,
    flags: u32,
    mapi_version: u32,
    provider_version: *mut u32,
    provider: *mut *mut c_void,
) -> i32 {
    let s = &INIT_SLOTS[kind_index][slot];
    // SAFETY: set before the hook was enabled, to the trampoline of a
    // function of this signature.
    let original: ProviderInitFn =
        unsafe { std::mem::transmute(s.original.load(Ordering::Acquire)) };
    // SAFETY: the host's own call, forwarded unchanged.
    let hr = unsafe {
        original(
            instance,
            malloc,
            allocate_buffer,
            allocate_more,
            free_buffer,
            flags,
            mapi_version,
            provider_version,
            provider,
        )
    };
    if hr >= 0
        && !provider.is_null()
        && let Some(agent) = agent()
    {
        guard("a provider entry point", || {
            // SAFETY: on success the entry point wrote the provider object.
            let object = unsafe { *provider };
            if object.is_null() {
                return;
            }
            let kind: ProviderKind = PROVIDER_ENTRY_POINTS[kind_index].1;
            let dll = s.dll.get().map_or("", String::as_str);
            agent.recorder.provider_made(object as usize, kind, dll);
            let module = s.module.load(Ordering::Acquire) as HMODULE;
            // SAFETY: a live provider object; the detour is a QueryInterface.
            if let Err(e) = unsafe {
                patch_slot(
                    object,
                    SLOT_QUERY_INTERFACE,
                    provider_query_interface as *const () as usize,
                    module,
                )
            } {
                os::debug(&format!("{dll}: provider object not patched ({e:?})"));
            }
        });
    }
    hr
}

// --- detours of patched vtable slots ------------------------------------------------

/// The original method at `slot` of `this`'s vtable.
///
/// # Safety
/// `this` is the object a detour of that slot was called on.
unsafe fn original_fn<F: Copy>(this: *mut c_void, slot: usize) -> Option<F> {
    // SAFETY: forwarded.
    let addr = unsafe { original(this, slot) }?;
    // SAFETY: `F` is the slot's function pointer type.
    Some(unsafe { std::mem::transmute_copy(&addr) })
}

/// What a detour answers in the one case it cannot forward: it was reached
/// through a vtable the agent never patched, which cannot happen (a detour
/// is only ever written into a slot whose original is recorded first).
/// `E_UNEXPECTED` rather than a panic across the host's frames.
const E_UNEXPECTED: i32 = 0x8000_FFFFu32 as i32;

/// Which shutdown interface a patched `QueryInterface` watches for.
struct Watch {
    /// For messages: `IMAPIProviderShutdown`.
    name: &'static str,
    /// Its IID (from `outlook-mapi-sys`).
    iid: GUID,
    /// The detours of its slots 3, 4 and 5.
    detours: [usize; 3],
}

/// The shared body of the two `QueryInterface` detours: forward the call
/// unchanged; when it handed out `watch`'s interface for an object the
/// recorder knows (`known`), record it (`seen`) and patch the interface's
/// slots 3 to 5, checked against `module` (the subsystem for a session;
/// for a provider, the module of its object's vtable).
///
/// # Safety
/// `this`, `riid` and `out` are the host's arguments to a `QueryInterface`
/// reached through a slot the agent patched.
unsafe fn query_interface(
    this: *mut c_void,
    riid: *const GUID,
    out: *mut *mut c_void,
    watch: &Watch,
    known: fn(&Agent, usize) -> bool,
    seen: fn(&Agent, usize, usize),
    module: impl FnOnce() -> Option<HMODULE>,
) -> i32 {
    // SAFETY: called through the slot this detour was patched into.
    let Some(original) = (unsafe { original_fn::<QueryInterfaceFn>(this, SLOT_QUERY_INTERFACE) })
    else {
        return E_UNEXPECTED;
    };
    // SAFETY: the host's call, forwarded unchanged.
    let hr = unsafe { original(this, riid, out) };
    if hr < 0 || riid.is_null() || out.is_null() {
        return hr;
    }
    let Some(agent) = agent() else {
        return hr;
    };
    guard("a QueryInterface", || {
        // SAFETY: the host passed a valid IID and, on success, `out` holds
        // the interface.
        let (iid, iface) = unsafe { (*riid, *out) };
        if iid != watch.iid || iface.is_null() || !known(agent, this as usize) {
            return;
        }
        seen(agent, this as usize, iface as usize);
        // SAFETY: two live COM objects.
        if unsafe { patch::vtable_of(this) == patch::vtable_of(iface) } {
            os::debug(&format!(
                "{} shares its object's vtable: not patched",
                watch.name
            ));
            return;
        }
        let Some(module) = module() else {
            return;
        };
        let slots = [
            SLOT_QUERY_FAST_SHUTDOWN,
            SLOT_NOTIFY_PROCESS_SHUTDOWN,
            SLOT_DO_FAST_SHUTDOWN,
        ];
        for (slot, detour) in slots.into_iter().zip(watch.detours) {
            // SAFETY: a live interface of `watch`'s kind; each detour has
            // its slot's signature.
            if let Err(e) = unsafe { patch_slot(iface, slot, detour, module) } {
                os::debug(&format!("{} slot {slot} not patched ({e:?})", watch.name));
            }
        }
    });
    hr
}

unsafe extern "system" fn provider_query_interface(
    this: *mut c_void,
    riid: *const GUID,
    out: *mut *mut c_void,
) -> i32 {
    let watch = Watch {
        name: "IMAPIProviderShutdown",
        iid: IMAPIProviderShutdown::IID,
        detours: [
            provider_query_fast_shutdown as *const () as usize,
            provider_notify_process_shutdown as *const () as usize,
            provider_do_fast_shutdown as *const () as usize,
        ],
    };
    // The provider object's own module holds its interfaces' vtables.
    // SAFETY: `this` is a live provider object (the host's call).
    let module = || unsafe { patch::vtable_of(this) }.and_then(os::module_of);
    // SAFETY: the host's arguments, through the patched slot 0.
    unsafe {
        query_interface(
            this,
            riid,
            out,
            &watch,
            |a, object| a.recorder.is_provider(object),
            |a, object, iface| a.recorder.provider_shutdown_seen(object, iface),
            module,
        )
    }
}

unsafe extern "system" fn session_query_interface(
    this: *mut c_void,
    riid: *const GUID,
    out: *mut *mut c_void,
) -> i32 {
    let watch = Watch {
        name: "IMAPIClientShutdown",
        iid: IMAPIClientShutdown::IID,
        detours: [
            client_query_fast_shutdown as *const () as usize,
            client_notify_process_shutdown as *const () as usize,
            client_do_fast_shutdown as *const () as usize,
        ],
    };
    // SAFETY: the host's arguments, through the patched slot 0.
    unsafe {
        query_interface(
            this,
            riid,
            out,
            &watch,
            |a, session| a.recorder.is_session(session),
            |a, session, iface| a.recorder.client_shutdown_seen(session, iface),
            || SUBSYSTEM.get().map(|s| s.module as HMODULE),
        )
    }
}

/// A client call on `IMAPIClientShutdown`: traced around the original.
///
/// # Safety
/// `this` is the object the detour of `slot` was called on.
unsafe fn client_method(this: *mut c_void, slot: usize, method: Method) -> i32 {
    // SAFETY: forwarded.
    let Some(original) = (unsafe { original_fn::<ShutdownMethodFn>(this, slot) }) else {
        return E_UNEXPECTED;
    };
    let open = agent().and_then(|a| {
        guard("a client call", || {
            a.recorder.client_enter(this as usize, method)
        })
        .flatten()
    });
    // SAFETY: the host's call, forwarded unchanged.
    let hr = unsafe { original(this) };
    if let (Some(open), Some(agent)) = (open, agent()) {
        guard("a client call", || {
            agent.recorder.exit(open, HRESULT(hr as u32));
            if method == Method::DoFastShutdown {
                // The process may exit right after: bounded (50 ms).
                agent.recorder.emitter().flush(FLUSH_BOUND);
            }
        });
    }
    hr
}

/// A subsystem call on `IMAPIProviderShutdown`: traced around the original.
///
/// # Safety
/// As [`client_method`].
unsafe fn provider_method(this: *mut c_void, slot: usize, method: Method) -> i32 {
    // SAFETY: forwarded.
    let Some(original) = (unsafe { original_fn::<ShutdownMethodFn>(this, slot) }) else {
        return E_UNEXPECTED;
    };
    let open = agent().and_then(|a| {
        guard("a provider call", || {
            a.recorder.provider_enter(this as usize, method)
        })
        .flatten()
    });
    // SAFETY: the host's call, forwarded unchanged.
    let hr = unsafe { original(this) };
    if let (Some(open), Some(agent)) = (open, agent()) {
        guard("a provider call", || {
            agent.recorder.exit(open, HRESULT(hr as u32))
        });
    }
    hr
}

unsafe extern "system" fn client_query_fast_shutdown(this: *mut c_void) -> i32 {
    // SAFETY: reached through the patched slot 3.
    unsafe { client_method(this, SLOT_QUERY_FAST_SHUTDOWN, Method::QueryFastShutdown) }
}
unsafe extern "system" fn client_notify_process_shutdown(this: *mut c_void) -> i32 {
    // SAFETY: reached through the patched slot 4.
    unsafe {
        client_method(
            this,
            SLOT_NOTIFY_PROCESS_SHUTDOWN,
            Method::NotifyProcessShutdown,
        )
    }
}
unsafe extern "system" fn client_do_fast_shutdown(this: *mut c_void) -> i32 {
    // SAFETY: reached through the patched slot 5.
    unsafe { client_method(this, SLOT_DO_FAST_SHUTDOWN, Method::DoFastShutdown) }
}
unsafe extern "system" fn provider_query_fast_shutdown(this: *mut c_void) -> i32 {
    // SAFETY: reached through the patched slot 3.
    unsafe { provider_method(this, SLOT_QUERY_FAST_SHUTDOWN, Method::QueryFastShutdown) }
}
unsafe extern "system" fn provider_notify_process_shutdown(this: *mut c_void) -> i32 {
    // SAFETY: reached through the patched slot 4.
    unsafe {
        provider_method(
            this,
            SLOT_NOTIFY_PROCESS_SHUTDOWN,
            Method::NotifyProcessShutdown,
        )
    }
}
unsafe extern "system" fn provider_do_fast_shutdown(this: *mut c_void) -> i32 {
    // SAFETY: reached through the patched slot 5.
    unsafe { provider_method(this, SLOT_DO_FAST_SHUTDOWN, Method::DoFastShutdown) }
}

// --- inline-hooked exports ---------------------------------------------------------

/// The profile name `MAPILogonEx` was given, ANSI or (with `MAPI_UNICODE`)
/// UTF-16; empty when null.
///
/// # Safety
/// `name` is null or a NUL-terminated string of the kind `flags` says.
unsafe fn profile_name(name: *const c_void, flags: u32) -> String {
    if name.is_null() {
        return String::new();
    }
    if flags & MAPI_UNICODE != 0 {
        let p = name as *const u16;
        let mut len = 0;
        // SAFETY: NUL-terminated UTF-16, read up to a bound.
        while len < 1024 && unsafe { *p.add(len) } != 0 {
            len += 1;
        }
        // SAFETY: `len` u16s were just read.
        String::from_utf16_lossy(unsafe { std::slice::from_raw_parts(p, len) })
    } else {
        let p = name as *const u8;
        let mut len = 0;
        // SAFETY: NUL-terminated ANSI, read up to a bound.
        while len < 1024 && unsafe { *p.add(len) } != 0 {
            len += 1;
        }
        // SAFETY: `len` bytes were just read.
        String::from_utf8_lossy(unsafe { std::slice::from_raw_parts(p, len) }).into_owned()
    }
}

unsafe extern "system" fn mapi_logon_ex_detour(
    ui_param: usize,
    profile: *const c_void,
    password: *const c_void,
    flags: u32,
    session: *mut *mut c_void,
) -> i32 {
    // SAFETY: set before the hook was enabled.
    let original: MapiLogonExFn =
        unsafe { std::mem::transmute(ORIG_LOGON.load(Ordering::Acquire)) };
    if let Some(agent) = agent() {
        guard("MAPILogonEx", || agent.recorder.logon_begin());
    }
    // SAFETY: the host's call, forwarded unchanged.
    let hr = unsafe { original(ui_param, profile, password, flags, session) };
    if let Some(agent) = agent() {
        guard("MAPILogonEx", || {
            // SAFETY: on success MAPILogonEx wrote the session pointer.
            let object = if hr >= 0 && !session.is_null() {
                unsafe { *session }
            } else {
                std::ptr::null_mut()
            };
            // SAFETY: the profile argument as the host passed it.
            let name = unsafe { profile_name(profile, flags) };
            let declared = agent
                .recorder
                .logon_end(HRESULT(hr as u32), object as usize, &name);
            if declared.is_some()
                && let Some(sub) = SUBSYSTEM.get()
            {
                // SAFETY: a live IMAPISession; the detour is a QueryInterface.
                if let Err(e) = unsafe {
                    patch_slot(
                        object,
                        SLOT_QUERY_INTERFACE,
                        session_query_interface as *const () as usize,
                        sub.module as HMODULE,
                    )
                } {
                    os::debug(&format!("session not patched ({e:?})"));
                }
            }
        });
    }
    hr
}

unsafe extern "system" fn mapi_uninitialize_detour() {
    // SAFETY: set before the hook was enabled.
    let original: MapiUninitializeFn =
        unsafe { std::mem::transmute(ORIG_UNINITIALIZE.load(Ordering::Acquire)) };
    let open = agent().and_then(|a| {
        guard("MAPIUninitialize", || {
            a.recorder.mapi_enter(Method::MapiUninitialize)
        })
        .flatten()
    });
    // SAFETY: the host's call.
    unsafe { original() };
    if let (Some(open), Some(agent)) = (open, agent()) {
        // MAPIUninitialize returns nothing: recorded as S_OK.
        guard("MAPIUninitialize", || {
            agent.recorder.exit(open, HRESULT::S_OK)
        });
    }
}

unsafe extern "system" fn exit_process_detour(code: u32) -> ! {
    if let Some(agent) = agent() {
        guard("ExitProcess", || {
            agent.recorder.client_exit(code as i32);
            agent.recorder.emitter().flush(FLUSH_BOUND);
        });
    }
    // SAFETY: set before the hook was enabled.
    let original: ExitProcessFn =
        unsafe { std::mem::transmute(ORIG_EXIT_PROCESS.load(Ordering::Acquire)) };
    // SAFETY: the host's call, forwarded unchanged.
    unsafe { original(code) }
}
