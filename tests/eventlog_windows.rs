//! The Windows side of the Event Log collector, under Wine in
//! `scripts/check` (stage 4): the built `mapi-shutdown.exe` carries the
//! message table of `assets/eventlog/messages.mc`, every event in English,
//! French and Chinese (read back with `FormatMessageW` from the exe
//! loaded as a data file), and events go through the real
//! `RegisterEventSourceW` / `ReportEventW` path without error. Wine's
//! event log keeps nothing, so what the events say is checked by
//! `tests/eventlog_events.rs`, and what only a real Windows shows (the
//! Event Viewer rendering them, forwarding) is in docs/fleet.md.

#![cfg(windows)]

use mapi_shutdown::eventlog::{self, EventSink, ShutdownEvent, WindowsEventLog};
use windows_sys::Win32::Foundation::FreeLibrary;
use windows_sys::Win32::System::Diagnostics::Debug::{
    FORMAT_MESSAGE_FROM_HMODULE, FORMAT_MESSAGE_IGNORE_INSERTS, FormatMessageW,
};
use windows_sys::Win32::System::LibraryLoader::{
    LOAD_LIBRARY_AS_DATAFILE, LOAD_LIBRARY_AS_IMAGE_RESOURCE, LoadLibraryExW,
};

const BIN: &str = env!("CARGO_BIN_EXE_mapi-shutdown");

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain([0]).collect()
}

/// Message `id` in language `lang` from `module`'s message table, inserts
/// left as `%n`; `None` when the table has no such message.
fn message(module: windows_sys::Win32::Foundation::HMODULE, id: u32, lang: u16) -> Option<String> {
    let mut buf = vec![0u16; 8192];
    // SAFETY: `module` is loaded; `buf` is writable for its length; no
    // arguments are read (IGNORE_INSERTS).
    let n = unsafe {
        FormatMessageW(
            FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_IGNORE_INSERTS,
            module as *const _,
            id,
            u32::from(lang),
            buf.as_mut_ptr(),
            buf.len() as u32,
            std::ptr::null(),
        )
    };
    (n > 0).then(|| String::from_utf16_lossy(&buf[..n as usize]))
}

#[test]
fn the_exe_has_every_message_in_three_languages() {
    let path = wide(BIN);
    // SAFETY: `path` is a NUL-terminated UTF-16 path; the exe is mapped as
    // data only (no code runs) and freed below.
    let module = unsafe {
        LoadLibraryExW(
            path.as_ptr(),
            std::ptr::null_mut(),
            LOAD_LIBRARY_AS_DATAFILE | LOAD_LIBRARY_AS_IMAGE_RESOURCE,
        )
    };
    assert!(!module.is_null(), "cannot map {BIN}");
    let expected = eventlog::mc_messages();
    for def in eventlog::catalogue() {
        for m in expected.iter().filter(|m| m.id == def.id) {
            let got = message(module, def.id, m.lang_id())
                .unwrap_or_else(|| panic!("no message {} in {} in {BIN}", def.id, m.language));
            assert_eq!(
                got.replace("\r\n", "\n").trim_end(),
                m.text.trim_end(),
                "message {} in {}",
                def.id,
                m.language
            );
        }
    }
    assert!(
        message(module, 999, 0x409).is_none(),
        "no message outside the catalogue"
    );
    // SAFETY: loaded above, freed once.
    unsafe { FreeLibrary(module) };
}

#[test]
fn every_event_goes_through_report_event_w() {
    let mut log = WindowsEventLog::open().expect("RegisterEventSourceW");
    for def in eventlog::catalogue() {
        let event = ShutdownEvent {
            id: def.id,
            level: def.level,
            strings: (1..=def.strings)
                .map(|i| format!("test string {i}"))
                .collect(),
        };
        log.write(&event)
            .unwrap_or_else(|e| panic!("event {}: {e}", def.id));
    }
    assert!(eventlog::system_sink().is_ok());
}
