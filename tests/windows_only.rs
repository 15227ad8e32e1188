//! Tests that only exist in the Windows build.
//!
//! On Linux this file compiles to an empty test binary. `scripts/check`
//! stage 4 cross-builds the tests for `x86_64-pc-windows-gnu` and runs them
//! under Wine, then greps the output for `windows_registry_dword_round_trip
//! ... ok`: if the Windows stage ever stops running Windows code (a wrong
//! target, a runner that silently does nothing), the check fails.
#![cfg(windows)]

use std::time::{SystemTime, UNIX_EPOCH};

use windows_registry::{CURRENT_USER, Type};

/// The parent of every key these tests create, under `HKEY_CURRENT_USER`.
const TEST_ROOT: &str = r"Software\mapi-shutdown-tests";

/// A subkey name no other test run (parallel or earlier) uses.
fn unique_key(label: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_nanos();
    format!(r"{TEST_ROOT}\{label}-{}-{nanos}", std::process::id())
}

/// Removes the key tree when dropped, so a failed assertion leaves nothing
/// behind in the user's registry.
struct RemoveOnDrop(String);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = CURRENT_USER.remove_tree(&self.0);
    }
}

#[test]
fn compiled_and_running_on_windows() {
    // Compiled for Windows (checked at build time)...
    const { assert!(cfg!(windows)) };
    // ...and running there (under Wine in scripts/check stage 4).
    assert_eq!(std::env::consts::OS, "windows");
}

#[test]
fn windows_registry_dword_round_trip() -> windows_registry::Result<()> {
    let path = unique_key("dword");
    let guard = RemoveOnDrop(path.clone());

    {
        let key = CURRENT_USER.create(&path)?;
        key.set_u32("FastShutdownBehavior", 2)?;
        key.set_u32("Max", u32::MAX)?;
    }

    // Read back through a fresh handle, not the one that wrote.
    let key = CURRENT_USER.open(&path)?;
    assert_eq!(key.get_type("FastShutdownBehavior")?, Type::U32);
    assert_eq!(key.get_u32("FastShutdownBehavior")?, 2);
    assert_eq!(key.get_u32("Max")?, u32::MAX);
    assert!(key.get_u32("NotThere").is_err());
    drop(key);

    CURRENT_USER.remove_tree(&path)?;
    assert!(
        CURRENT_USER.open(&path).is_err(),
        "{path} still exists after remove_tree"
    );
    std::mem::forget(guard);
    Ok(())
}
