//! The `.reg` import review (`policy::transfer::plan_import`) of any file
//! the reader accepts, against a memory store holding a policy key and a
//! registered add-in. Never panics. Every planned change is a shutdown
//! value (one of the three policy values under a version's policy key in
//! HKCU, or `RequireShutdownNotification` under an existing add-in key),
//! its `before` is what the store holds, its `after` a deletion or data
//! that the value reads as valid. Applying the plan, then planning the
//! same file again, refuses the same things and leaves nothing to do.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use mapi_shutdown::policy::{regfile, transfer};
use mapi_shutdown_fuzz::check_import_plan;

fuzz_target!(|data: &[u8]| {
    let Ok(reg) = regfile::parse_bytes(data, Path::new("import.reg"), false) else {
        return;
    };
    check_import_plan(|store| {
        transfer::plan_import(store, &reg).expect("the memory store never fails")
    });
});
