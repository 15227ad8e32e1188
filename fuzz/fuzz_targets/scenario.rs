//! The scenario loader (`simulate::Scenario::parse`: TOML, then the
//! semantic checks). Never panics. A rejected file is one issue whose
//! line exists, whose column lies within (or just after) that line, whose
//! `source_line` is that line's text and whose field is named; it prints.
//! An accepted one holds what the checks promise: a session at least,
//! non-blank names, a hang only in `DoFastShutdown` and only with a kill,
//! no delay or hang for a provider without `IMAPIProviderShutdown`, a
//! kill at 1 ms or later that `DoFastShutdown` would not outrun.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use mapi_shutdown::simulate::{
    ClientEnd, Scenario, ScenarioError, ShutdownMethod, ShutdownSupport,
};

fuzz_target!(|data: &[u8]| {
    // Scenario::load reads the file as UTF-8 and refuses anything else.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Scenario::parse(text, Path::new("fuzz.toml")) {
        Err(ScenarioError::Invalid(issue)) => {
            let lines: Vec<&str> = text.split('\n').collect();
            assert!(issue.line >= 1 && issue.line <= lines.len(), "{issue:?}");
            let raw = lines[issue.line - 1];
            assert_eq!(issue.source_line, raw.trim_end_matches('\r'), "{issue:?}");
            assert!(
                issue.column >= 1 && issue.column <= raw.chars().count() + 1,
                "{issue:?}"
            );
            assert!(
                !issue.field.is_empty() && !issue.message.is_empty(),
                "{issue:?}"
            );
            let shown = issue.to_string();
            assert!(shown.starts_with("fuzz.toml:"), "{shown}");
        }
        Err(e @ ScenarioError::Read { .. }) => panic!("parse read a file: {e}"),
        Ok(s) => {
            assert!(!s.sessions.is_empty());
            assert!(!s.name.trim().is_empty() && !s.client.exe.trim().is_empty());
            assert!(!s.client.subsystem_dll.trim().is_empty());
            let mut do_total: u64 = 0;
            let mut hangs = false;
            for session in &s.sessions {
                assert!(!session.profile.trim().is_empty());
                for p in &session.providers {
                    assert!(
                        !p.name.trim().is_empty() && !p.dll.trim().is_empty(),
                        "{p:?}"
                    );
                    if p.shutdown == ShutdownSupport::NotImplemented {
                        assert!(p.delays.is_zero() && p.hang.is_none(), "{p:?}");
                    } else {
                        do_total = do_total.saturating_add(p.delays.do_ms);
                        hangs |= p.hang.is_some();
                    }
                    if let Some(h) = p.hang {
                        assert_eq!(h, ShutdownMethod::DoFastShutdown);
                        assert_ne!(s.client.end, ClientEnd::Normal, "{p:?}");
                    }
                }
            }
            if let ClientEnd::KilledDuringDoFastShutdown { kill_after_ms } = s.client.end {
                assert!(kill_after_ms >= 1);
                assert!(
                    hangs || do_total > kill_after_ms,
                    "DoFastShutdown returns before the kill"
                );
            }
            assert_eq!(
                s.providers().count(),
                s.sessions.iter().map(|x| x.providers.len()).sum::<usize>()
            );
        }
    }
});
