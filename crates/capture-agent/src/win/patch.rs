//! Vtable slot patches: the one place the agent writes into memory it does
//! not own (inline hooks go through MinHook in `hooks`). A slot is patched
//! only after checking that the vtable lies, aligned, inside the image of
//! the module expected to own it and that the slot points to executable
//! code; the write is one aligned atomic compare-and-swap under
//! `VirtualProtect`; each (vtable, slot) is patched once, and the original
//! is kept for the detours. The agent never unloads (it pins itself), so a
//! patched slot never points into unmapped code.

use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{LazyLock, Mutex, MutexGuard};

use windows_sys::Win32::Foundation::HMODULE;
use windows_sys::Win32::System::Memory::{
    MEMORY_BASIC_INFORMATION, PAGE_EXECUTE_READWRITE, PAGE_EXECUTE_WRITECOPY, PAGE_READWRITE,
    PAGE_WRITECOPY, VirtualProtect, VirtualQuery,
};

use super::os::{is_executable, module_of};

/// Why a slot was not patched.
#[derive(Debug)]
pub enum PatchError {
    /// The object or vtable pointer is null or misaligned.
    BadPointer,
    /// The vtable is not inside the expected module's image.
    ForeignVtable,
    /// The slot does not point to executable code.
    NotCode,
    /// `VirtualProtect` failed.
    Protect,
    /// The slot changed under us.
    Raced,
}

/// (vtable address, slot index) -> the function the slot held before.
static ORIGINALS: LazyLock<Mutex<HashMap<(usize, usize), usize>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn originals() -> MutexGuard<'static, HashMap<(usize, usize), usize>> {
    ORIGINALS.lock().unwrap_or_else(|e| e.into_inner())
}

/// The vtable of COM object `object` (its first pointer-sized word).
///
/// # Safety
/// `object` is a live COM interface pointer handed out by the host.
pub unsafe fn vtable_of(object: *mut c_void) -> Option<usize> {
    if object.is_null() || !(object as usize).is_multiple_of(align_of::<usize>()) {
        return None;
    }
    // SAFETY: a COM interface pointer points to its vtable pointer.
    let vtable = unsafe { *(object as *const usize) };
    (vtable != 0 && vtable.is_multiple_of(align_of::<usize>())).then_some(vtable)
}

/// The original function of slot `slot` for object `this`, if the agent
/// patched that slot of its vtable.
///
/// # Safety
/// As [`vtable_of`].
pub unsafe fn original(this: *mut c_void, slot: usize) -> Option<usize> {
    // SAFETY: forwarded.
    let vtable = unsafe { vtable_of(this) }?;
    originals().get(&(vtable, slot)).copied()
}

/// Point slot `slot` of `object`'s vtable at `detour`, once, after the
/// checks in the module docs; `module` must hold the vtable. Patching a
/// slot already patched (by this or an earlier call) changes nothing.
///
/// # Safety
/// `object` is a live COM interface pointer; `detour` has the signature
/// of the slot's method.
pub unsafe fn patch_slot(
    object: *mut c_void,
    slot: usize,
    detour: usize,
    module: HMODULE,
) -> Result<(), PatchError> {
    // SAFETY: forwarded.
    let vtable = unsafe { vtable_of(object) }.ok_or(PatchError::BadPointer)?;
    let slot_addr = vtable + slot * size_of::<usize>();
    if module_of(vtable) != Some(module) || module_of(slot_addr) != Some(module) {
        return Err(PatchError::ForeignVtable);
    }
    let mut map = originals();
    if map.contains_key(&(vtable, slot)) {
        return Ok(());
    }
    // SAFETY: the slot lies inside a mapped module image (checked above)
    // and is pointer-aligned (the vtable is), so it can be read atomically.
    let cell = unsafe { AtomicUsize::from_ptr(slot_addr as *mut usize) };
    let current = cell.load(Ordering::Acquire);
    if current == detour {
        return Ok(());
    }
    if !is_executable(current) {
        return Err(PatchError::NotCode);
    }
    // SAFETY: VirtualQuery reads the address space map.
    let mut info: MEMORY_BASIC_INFORMATION = unsafe { std::mem::zeroed() };
    let n = unsafe {
        VirtualQuery(
            slot_addr as *const c_void,
            &mut info,
            size_of::<MEMORY_BASIC_INFORMATION>(),
        )
    };
    if n == 0 {
        return Err(PatchError::Protect);
    }
    let writable = info.Protect
        & (PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY)
        != 0;
    let mut old = 0u32;
    if !writable {
        // SAFETY: changes the protection of the one page holding the slot
        // (a pointer-aligned slot never straddles two pages).
        let ok = unsafe {
            VirtualProtect(
                slot_addr as *const c_void,
                size_of::<usize>(),
                PAGE_READWRITE,
                &mut old,
            )
        };
        if ok == 0 {
            return Err(PatchError::Protect);
        }
    }
    let swapped = cell.compare_exchange(current, detour, Ordering::AcqRel, Ordering::Acquire);
    if !writable {
        let mut ignored = 0u32;
        // SAFETY: restores the protection read back by the call above.
        unsafe {
            VirtualProtect(
                slot_addr as *const c_void,
                size_of::<usize>(),
                old,
                &mut ignored,
            )
        };
    }
    match swapped {
        Ok(_) => {
            map.insert((vtable, slot), current);
            Ok(())
        }
        Err(_) => Err(PatchError::Raced),
    }
}
