use std::sync::Arc;
use std::time::{Duration, SystemTime};

use mapi_trace::clock::ManualClock;
use mapi_trace::hresult::HRESULT;
use mapi_trace::model::{OfficeVersion, ProviderKind};
use mapi_trace::sink::MemorySink;
use mapi_trace::{AttachMode, Caller, Emitter, Method, Record};

use super::*;

fn facts(version: Option<&str>) -> ProcessFacts {
    ProcessFacts {
        pid: 4242,
        exe: "fx_outlook.exe".into(),
        bits: 32,
        subsystem_path: r"C:\fixtures\x86\olmapi32.dll".into(),
        subsystem_version: version.map(str::to_string),
        attach: AttachMode::Launch,
        host: Some("DESKTOP-7".into()),
    }
}

fn recorder() -> (Recorder, MemorySink) {
    let sink = MemorySink::new();
    let clock = Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH));
    let emitter = Emitter::spawn(Box::new(sink.clone()), 1024, clock.clone()).unwrap();
    (Recorder::new(emitter, clock), sink)
}

fn records(rec: &Recorder, sink: &MemorySink) -> Vec<Record> {
    assert!(rec.emitter().flush(Duration::from_secs(5)));
    sink.records()
}

#[test]
fn office_version_comes_from_the_subsystem_file_version() {
    assert_eq!(
        facts(Some("16.0.17928.20114")).office_version(),
        Some(OfficeVersion::V16)
    );
    assert_eq!(
        facts(Some("15.0.5603.1000")).office_version(),
        Some(OfficeVersion::V15)
    );
    assert_eq!(facts(Some("1.0.0.0")).office_version(), None);
    assert_eq!(facts(None).office_version(), None);
    let hello = facts(None).hello("2026-12-07T00:00:00.000Z".into());
    assert_eq!(hello.host.as_deref(), Some("DESKTOP-7"));
    let capture = hello.capture.unwrap();
    assert!(!capture.office_version_known);
    assert_eq!(capture.bits, 32);
    assert_eq!(hello.subsystem, "olmapi32.dll");
    let known = facts(Some("14.0.1.2")).hello(String::new());
    assert_eq!(known.office_version, OfficeVersion::V14);
    assert!(known.capture.unwrap().office_version_known);
}

#[test]
fn subsystem_by_name_or_dll_path_ex_never_the_stub() {
    assert!(is_subsystem(r"C:\Program Files\Office\OLMAPI32.DLL", None));
    assert!(is_subsystem("msmapi32.dll", None));
    assert!(!is_subsystem(r"C:\Windows\System32\mapi32.dll", None));
    assert!(!is_subsystem(
        r"C:\Windows\System32\MAPI32.dll",
        Some(r"C:\Windows\System32\mapi32.dll")
    ));
    assert!(is_subsystem(r"C:\fx\fxmapi.dll", Some(r"c:\FX\fxmapi.dll")));
    assert!(!is_subsystem(
        r"C:\other\fxmapi.dll",
        Some(r"c:\FX\fxmapi.dll")
    ));
    assert!(is_subsystem(r"C:\other\fxmapi.dll", Some("fxmapi.dll")));
    assert!(!is_subsystem(
        r"C:\fx\emsmdb32.dll",
        Some(r"C:\fx\fxmapi.dll")
    ));
}

#[test]
fn nothing_is_written_before_the_subsystem_is_known() {
    let (rec, sink) = recorder();
    rec.logon_begin();
    rec.provider_made(0x100, ProviderKind::Transport, "a.dll");
    assert_eq!(rec.logon_end(HRESULT::S_OK, 0x10, "P"), None);
    assert!(rec.mapi_enter(Method::MapiUninitialize).is_none());
    rec.client_exit(0);
    assert!(records(&rec, &sink).is_empty());
}

/// One logon with two providers, the client's shutdown calls, and a
/// provider call nested in the client call on the same thread.
#[test]
fn a_captured_sequence_in_stream_order() {
    let (rec, sink) = recorder();
    rec.set_facts(facts(Some("16.0.1.1")), None);
    rec.logon_begin();
    rec.provider_made(0x100, ProviderKind::Transport, "fxp_supports.dll");
    rec.provider_shutdown_seen(0x100, 0x101);
    rec.provider_made(0x200, ProviderKind::MessageStore, "fxp_noiface.dll");
    assert_eq!(rec.logon_end(HRESULT::S_OK, 0x10, "Outlook"), Some(1));
    rec.client_shutdown_seen(0x10, 0x11);
    // An object nobody handed out is not traced.
    assert!(rec.client_enter(0x99, Method::QueryFastShutdown).is_none());
    let q = rec.client_enter(0x11, Method::QueryFastShutdown).unwrap();
    let p = rec
        .provider_enter(0x101, Method::QueryFastShutdown)
        .unwrap();
    rec.exit(p, HRESULT::S_OK);
    rec.exit(q, HRESULT::S_OK);
    // After the client call returned, a provider call has no parent.
    let lone = rec.provider_enter(0x101, Method::DoFastShutdown).unwrap();
    rec.exit(lone, HRESULT::S_OK);
    rec.client_exit(3);

    let recs = records(&rec, &sink);
    let types: Vec<&str> = recs.iter().map(Record::type_name).collect();
    assert_eq!(
        types,
        [
            "hello",
            "session",
            "provider",
            "provider",
            "enter",
            "enter",
            "exit",
            "exit",
            "enter",
            "exit",
            "client_exit"
        ]
    );
    let Record::Provider(t) = &recs[2] else {
        panic!()
    };
    assert_eq!(
        (t.session, t.provider, t.kind),
        (Some(1), 1, ProviderKind::Transport)
    );
    assert!(t.implements_shutdown);
    assert_eq!(t.dll, "fxp_supports.dll");
    let Record::Provider(s) = &recs[3] else {
        panic!()
    };
    assert!(!s.implements_shutdown);
    let Record::Enter(client) = &recs[4] else {
        panic!()
    };
    assert_eq!(
        (client.caller, client.session, client.parent),
        (Caller::Client, Some(1), None)
    );
    let Record::Enter(nested) = &recs[5] else {
        panic!()
    };
    assert_eq!(nested.parent, Some(client.call));
    assert_eq!((nested.session, nested.provider), (Some(1), Some(1)));
    let Record::Enter(after) = &recs[8] else {
        panic!()
    };
    assert_eq!(after.parent, None);
    let Record::ClientExit(exit) = &recs[10] else {
        panic!()
    };
    assert_eq!(exit.code, 3);
}

#[test]
fn hello_and_policy_go_out_as_soon_as_the_subsystem_is_known() {
    let (rec, sink) = recorder();
    let policy = PolicyRecord {
        t_ns: 0,
        office_version: OfficeVersion::V16,
        source: mapi_trace::PolicySource::Default,
        setting: mapi_trace::model::Setting::NotConfigured,
        effective: mapi_trace::model::FastShutdownBehavior::OptOut,
    };
    rec.set_facts(facts(Some("16.0.1.1")), Some(policy.clone()));
    // A second subsystem changes nothing.
    rec.set_facts(facts(Some("15.0.1.1")), Some(policy));
    let types: Vec<&str> = records(&rec, &sink).iter().map(Record::type_name).collect();
    assert_eq!(types, ["hello", "policy"]);
}

#[test]
fn a_failed_logon_declares_nothing_and_providers_follow_their_session() {
    let (rec, sink) = recorder();
    rec.set_facts(facts(None), None);
    rec.logon_begin();
    rec.provider_made(0x100, ProviderKind::Transport, "a.dll");
    assert_eq!(rec.logon_end(HRESULT(0x8004_010F), 0, "Nope"), None);
    rec.logon_begin();
    rec.provider_made(0x300, ProviderKind::AddressBook, "b.dll");
    assert_eq!(rec.logon_end(HRESULT::S_OK, 0x20, "A"), Some(1));
    rec.logon_begin();
    rec.provider_made(0x400, ProviderKind::MessageStore, "c.dll");
    assert_eq!(rec.logon_end(HRESULT::S_OK, 0x30, "B"), Some(2));
    // The provider of the failed logon is never declared.
    assert_eq!(provider_sessions(&rec, &sink), [(2, Some(1)), (3, Some(2))]);
}

fn provider_sessions(rec: &Recorder, sink: &MemorySink) -> Vec<(u32, Option<u32>)> {
    records(rec, sink)
        .iter()
        .filter_map(|r| match r {
            Record::Provider(p) => Some((p.provider, p.session)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_provider_made_outside_a_logon_gets_a_session_only_when_there_is_one() {
    // Launched: after one logon, a store opened later is that session's.
    let (rec, sink) = recorder();
    rec.set_facts(facts(None), None);
    rec.provider_made(0x50, ProviderKind::Transport, "before.dll");
    rec.logon_begin();
    assert_eq!(rec.logon_end(HRESULT::S_OK, 0x10, "A"), Some(1));
    rec.provider_made(0x100, ProviderKind::MessageStore, "store.dll");
    // A second MAPI session: a later provider could be either's.
    rec.logon_begin();
    assert_eq!(rec.logon_end(HRESULT::S_OK, 0x20, "B"), Some(2));
    rec.provider_made(0x200, ProviderKind::MessageStore, "other.dll");
    assert_eq!(
        provider_sessions(&rec, &sink),
        [(1, None), (2, Some(1)), (3, None)]
    );

    // Late attach: one MAPI session seen is not the only one there is.
    let (rec, sink) = recorder();
    rec.set_facts(
        ProcessFacts {
            attach: AttachMode::Late,
            ..facts(None)
        },
        None,
    );
    rec.logon_begin();
    assert_eq!(rec.logon_end(HRESULT::S_OK, 0x10, "A"), Some(1));
    rec.provider_made(0x100, ProviderKind::MessageStore, "store.dll");
    assert_eq!(provider_sessions(&rec, &sink), [(1, None)]);
    // Its calls are traced all the same, with no session.
    rec.provider_shutdown_seen(0x100, 0x101);
    let call = rec.provider_enter(0x101, Method::DoFastShutdown).unwrap();
    rec.exit(call, HRESULT::S_OK);
    let enter = records(&rec, &sink)
        .into_iter()
        .find_map(|r| match r {
            Record::Enter(e) => Some(e),
            _ => None,
        })
        .unwrap();
    assert_eq!((enter.session, enter.provider), (None, Some(1)));
}

#[test]
fn a_late_shutdown_interface_redeclares_the_provider() {
    let (rec, sink) = recorder();
    rec.set_facts(facts(None), None);
    rec.logon_begin();
    rec.provider_made(0x100, ProviderKind::Transport, "a.dll");
    rec.logon_end(HRESULT::S_OK, 0x10, "P");
    rec.provider_shutdown_seen(0x100, 0x101);
    rec.provider_shutdown_seen(0x100, 0x102);
    let decls: Vec<bool> = records(&rec, &sink)
        .iter()
        .filter_map(|r| match r {
            Record::Provider(p) => Some(p.implements_shutdown),
            _ => None,
        })
        .collect();
    assert_eq!(decls, [false, true]);
}

#[test]
fn file_names_of_both_path_styles() {
    assert_eq!(file_name(r"C:\a\B.DLL"), "B.DLL");
    assert_eq!(file_name("/x/y.dll"), "y.dll");
    assert_eq!(file_name("z.dll"), "z.dll");
}

#[test]
fn file_version_from_a_version_resource() {
    // VS_VERSION_INFO header (6 bytes + key "VS_VERSION_INFO\0" in UTF-16 +
    // padding), then VS_FIXEDFILEINFO: signature, struct version, MS, LS.
    let mut block = vec![0x5c, 0x03, 0x34, 0x00, 0x00, 0x00];
    block.extend(
        "VS_VERSION_INFO\0"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    while block.len() % 4 != 0 {
        block.push(0);
    }
    for word in [
        0xFEEF_04BDu32,
        0x0001_0000,
        (16 << 16),
        (17928 << 16) | 20114,
    ] {
        block.extend(word.to_le_bytes());
    }
    block.extend([0u8; 36]);
    assert_eq!(
        fixed_file_version(&block).as_deref(),
        Some("16.0.17928.20114")
    );
    // A signature that is not 4-byte aligned is not the structure.
    let mut shifted = vec![0u8; 2];
    shifted.extend(&block[..block.len() - 2]);
    assert_eq!(fixed_file_version(&shifted), None);
    assert_eq!(fixed_file_version(&[]), None);
    assert_eq!(fixed_file_version(&block[..block.len() - 40]), None);
}
