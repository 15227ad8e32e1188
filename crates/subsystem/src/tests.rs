//! Table-driven tests of the subsystem's decision rules: every policy
//! option (valid, not configured, invalid data) against providers that
//! support, opt out, do not implement the interface, and mixtures; each
//! case checks the answer and exactly which provider calls were made, in
//! which order, both from the providers' side and from the trace.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::*;
use crate::registry::RegistryData;
use mapi_trace::clock::ManualClock;
use mapi_trace::emitter::DEFAULT_CAPACITY;
use mapi_trace::sink::MemorySink;

#[derive(Clone, Copy, Debug)]
enum P {
    /// Implements the interface, answers S_OK.
    Supports,
    /// Implements the interface, answers MAPI_E_NO_SUPPORT.
    OptsOut,
    /// No IMAPIProviderShutdown.
    NotImplemented,
}

struct Harness {
    subsystem: Subsystem,
    session: Session,
    log: CallLog,
    sink: MemorySink,
}

/// One session with `providers` loaded in the given order, named
/// `<kind>-<index>`.
fn harness(policy: ShutdownPolicy, providers: &[(ProviderKind, P)]) -> Harness {
    let sink = MemorySink::new();
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH));
    let emitter = Emitter::spawn(Box::new(sink.clone()), DEFAULT_CAPACITY, clock.clone()).unwrap();
    let process = ProcessInfo {
        pid: 7,
        exe: "OUTLOOK.EXE".into(),
        office_version: OfficeVersion::V16,
        subsystem_dll: "olmapi32.dll".into(),
        host: None,
    };
    let subsystem = Subsystem::initialize(&process, &policy, emitter, clock);
    let session = subsystem.logon("Outlook").unwrap();
    let log = CallLog::new();
    for (i, (kind, p)) in providers.iter().enumerate() {
        session
            .load_provider(provider(&format!("{kind}-{i}"), *kind, *p, &log))
            .unwrap();
    }
    Harness {
        subsystem,
        session,
        log,
        sink,
    }
}

fn provider(name: &str, kind: ProviderKind, p: P, log: &CallLog) -> Provider {
    let shutdown: Option<Box<dyn ProviderShutdown>> = match p {
        P::Supports => Some(Box::new(
            ScriptedProvider::new(name, ProviderBehaviour::Supports).with_log(log.clone()),
        )),
        P::OptsOut => Some(Box::new(
            ScriptedProvider::new(name, ProviderBehaviour::OptsOut).with_log(log.clone()),
        )),
        P::NotImplemented => None,
    };
    Provider {
        name: name.into(),
        kind,
        dll: format!("{name}.dll"),
        shutdown,
    }
}

fn policy_invalid(data: RegistryData) -> ShutdownPolicy {
    ShutdownPolicy {
        source: PolicySource::Registry {
            store: "memory".into(),
            key: OfficeVersion::V16.shutdown_policy_key(),
            value: "FastShutdownBehavior".into(),
        },
        setting: FastShutdownBehavior::interpret(Some(&data)),
    }
}

fn names(calls: &[(String, Method)], method: Method) -> Vec<String> {
    calls
        .iter()
        .filter(|(_, m)| *m == method)
        .map(|(n, _)| n.clone())
        .collect()
}

use FastShutdownBehavior::{Disabled, OptIn, OptOut};
use ProviderKind::{AddressBook, MessageStore, Transport};

#[test]
fn query_answers_per_policy_and_providers() {
    let supports = [
        (Transport, P::Supports),
        (AddressBook, P::Supports),
        (MessageStore, P::Supports),
    ];
    let one_opts_out = [
        (Transport, P::Supports),
        (AddressBook, P::Supports),
        (MessageStore, P::OptsOut),
    ];
    let one_missing = [
        (Transport, P::Supports),
        (AddressBook, P::NotImplemented),
        (MessageStore, P::Supports),
    ];
    let all_missing = [
        (Transport, P::NotImplemented),
        (MessageStore, P::NotImplemented),
    ];
    let missing_and_opt_out = [(Transport, P::OptsOut), (MessageStore, P::NotImplemented)];
    let none: [(ProviderKind, P); 0] = [];

    let ok = HRESULT::S_OK;
    let no = HRESULT::MAPI_E_NO_SUPPORT;
    // (policy, providers, expected answer, expected QueryFastShutdown calls)
    type Case<'a> = (
        ShutdownPolicy,
        &'a [(ProviderKind, P)],
        HRESULT,
        Vec<&'a str>,
    );
    let cases: Vec<Case> = vec![
        // Opt-out.
        (
            ShutdownPolicy::forced(OptOut),
            &supports,
            ok,
            vec!["transport-0", "address-book-1", "message-store-2"],
        ),
        (
            ShutdownPolicy::forced(OptOut),
            &one_opts_out,
            no,
            vec!["transport-0", "address-book-1", "message-store-2"],
        ),
        (
            ShutdownPolicy::forced(OptOut),
            &one_missing,
            ok,
            vec!["transport-0", "message-store-2"],
        ),
        (ShutdownPolicy::forced(OptOut), &all_missing, ok, vec![]),
        (
            ShutdownPolicy::forced(OptOut),
            &missing_and_opt_out,
            no,
            vec!["transport-0"],
        ),
        (ShutdownPolicy::forced(OptOut), &none, ok, vec![]),
        // Opt-in.
        (
            ShutdownPolicy::forced(OptIn),
            &supports,
            ok,
            vec!["transport-0", "address-book-1", "message-store-2"],
        ),
        (
            ShutdownPolicy::forced(OptIn),
            &one_opts_out,
            no,
            vec!["transport-0", "address-book-1", "message-store-2"],
        ),
        (
            ShutdownPolicy::forced(OptIn),
            &one_missing,
            no,
            vec!["transport-0", "message-store-2"],
        ),
        (ShutdownPolicy::forced(OptIn), &all_missing, no, vec![]),
        (
            ShutdownPolicy::forced(OptIn),
            &missing_and_opt_out,
            no,
            vec!["transport-0"],
        ),
        (ShutdownPolicy::forced(OptIn), &none, ok, vec![]),
        // Disabled: never asks a provider.
        (ShutdownPolicy::forced(Disabled), &supports, no, vec![]),
        (ShutdownPolicy::forced(Disabled), &one_opts_out, no, vec![]),
        (ShutdownPolicy::forced(Disabled), &one_missing, no, vec![]),
        (ShutdownPolicy::forced(Disabled), &none, no, vec![]),
        // Not configured and invalid data behave as opt-out.
        (
            ShutdownPolicy::default_policy(),
            &one_missing,
            ok,
            vec!["transport-0", "message-store-2"],
        ),
        (
            ShutdownPolicy::default_policy(),
            &one_opts_out,
            no,
            vec!["transport-0", "address-book-1", "message-store-2"],
        ),
        (
            policy_invalid(RegistryData::Dword(7)),
            &one_missing,
            ok,
            vec!["transport-0", "message-store-2"],
        ),
        (
            policy_invalid(RegistryData::String("1".into())),
            &one_missing,
            ok,
            vec!["transport-0", "message-store-2"],
        ),
        (
            policy_invalid(RegistryData::Qword(2)),
            &supports,
            ok,
            vec!["transport-0", "address-book-1", "message-store-2"],
        ),
    ];
    for (i, (policy, providers, want, want_calls)) in cases.into_iter().enumerate() {
        let h = harness(policy.clone(), providers);
        let cs = h.session.client_shutdown();
        let got = cs.query_fast_shutdown();
        assert_eq!(got, want, "case {i}: {policy:?} {providers:?}");
        let calls = h.log.calls();
        assert_eq!(
            names(&calls, Method::QueryFastShutdown),
            want_calls,
            "case {i}: {policy:?} {providers:?}"
        );
        assert_eq!(
            calls.len(),
            want_calls.len(),
            "case {i}: only Query calls so far"
        );
    }
}

#[test]
fn full_sequence_calls_transport_then_address_book_then_store() {
    // Loaded out of order on purpose: store, transport, address book, transport.
    let h = harness(
        ShutdownPolicy::forced(OptOut),
        &[
            (MessageStore, P::Supports),
            (Transport, P::Supports),
            (AddressBook, P::Supports),
            (Transport, P::Supports),
        ],
    );
    let cs = h.session.client_shutdown();
    assert_eq!(cs.query_fast_shutdown(), HRESULT::S_OK);
    assert_eq!(cs.notify_process_shutdown(), HRESULT::S_OK);
    assert_eq!(cs.do_fast_shutdown(), HRESULT::S_OK);
    let order = vec![
        "transport-1",
        "transport-3",
        "address-book-2",
        "message-store-0",
    ];
    let calls = h.log.calls();
    let mut want = Vec::new();
    for m in [
        Method::QueryFastShutdown,
        Method::NotifyProcessShutdown,
        Method::DoFastShutdown,
    ] {
        for n in &order {
            want.push((n.to_string(), m));
        }
    }
    assert_eq!(calls, want);
}

#[test]
fn order_spans_every_session_of_the_process() {
    let h = harness(
        ShutdownPolicy::forced(OptOut),
        &[(MessageStore, P::Supports)],
    );
    let second = h.subsystem.logon("Second").unwrap();
    second
        .load_provider(provider("second-transport", Transport, P::Supports, &h.log))
        .unwrap();
    second
        .load_provider(provider("second-ab", AddressBook, P::Supports, &h.log))
        .unwrap();
    // Ask through the first session: the second session's providers are called too.
    assert_eq!(
        h.session.client_shutdown().query_fast_shutdown(),
        HRESULT::S_OK
    );
    assert_eq!(
        names(&h.log.calls(), Method::QueryFastShutdown),
        vec!["second-transport", "second-ab", "message-store-0"]
    );
}

#[test]
fn disabled_never_calls_query_or_do() {
    let h = harness(
        ShutdownPolicy::forced(Disabled),
        &[(Transport, P::Supports), (MessageStore, P::Supports)],
    );
    let cs = h.session.client_shutdown();
    assert_eq!(cs.query_fast_shutdown(), HRESULT::MAPI_E_NO_SUPPORT);
    // A client that goes on anyway.
    assert_eq!(cs.notify_process_shutdown(), HRESULT::S_OK);
    assert_eq!(cs.do_fast_shutdown(), HRESULT::MAPI_E_NO_SUPPORT);
    let calls = h.log.calls();
    assert!(names(&calls, Method::QueryFastShutdown).is_empty());
    assert!(names(&calls, Method::DoFastShutdown).is_empty());
    assert_eq!(
        names(&calls, Method::NotifyProcessShutdown),
        vec!["transport-0", "message-store-1"]
    );
    // Not in fast-shutdown state: the normal path still works.
    assert_eq!(h.subsystem.uninitialize(), HRESULT::S_OK);
}

#[test]
fn do_after_failed_query_still_reaches_providers() {
    // The data-loss case: the subsystem answers as the real one does, the
    // trace shows it.
    let h = harness(
        ShutdownPolicy::forced(OptOut),
        &[(Transport, P::Supports), (MessageStore, P::OptsOut)],
    );
    let cs = h.session.client_shutdown();
    assert_eq!(cs.query_fast_shutdown(), HRESULT::MAPI_E_NO_SUPPORT);
    assert_eq!(cs.do_fast_shutdown(), HRESULT::S_OK);
    assert_eq!(
        names(&h.log.calls(), Method::DoFastShutdown),
        vec!["transport-0", "message-store-1"]
    );
}

#[test]
fn every_call_after_do_fast_shutdown_fails() {
    let h = harness(ShutdownPolicy::forced(OptOut), &[(Transport, P::Supports)]);
    let cs = h.session.client_shutdown();
    assert_eq!(cs.query_fast_shutdown(), HRESULT::S_OK);
    assert_eq!(cs.do_fast_shutdown(), HRESULT::S_OK);
    let calls_before = h.log.calls().len();
    assert_eq!(h.subsystem.uninitialize(), HRESULT::MAPI_E_CALL_FAILED);
    assert_eq!(cs.query_fast_shutdown(), HRESULT::MAPI_E_CALL_FAILED);
    assert_eq!(cs.notify_process_shutdown(), HRESULT::MAPI_E_CALL_FAILED);
    assert_eq!(cs.do_fast_shutdown(), HRESULT::MAPI_E_CALL_FAILED);
    assert_eq!(
        h.subsystem.logon("again").unwrap_err(),
        HRESULT::MAPI_E_CALL_FAILED
    );
    assert_eq!(
        h.session
            .load_provider(provider("late", Transport, P::Supports, &h.log))
            .unwrap_err(),
        HRESULT::MAPI_E_CALL_FAILED
    );
    assert_eq!(
        h.log.calls().len(),
        calls_before,
        "no provider called after Do"
    );
    // The failed calls are traced.
    h.subsystem.exit(0);
    let records = h.sink.records();
    let failed_uninit = records.iter().any(|r| match r {
        Record::Enter(e) => e.method == Method::MapiUninitialize,
        _ => false,
    });
    assert!(failed_uninit);
    let failures = records
        .iter()
        .filter(|r| matches!(r, Record::Exit(x) if x.hresult == HRESULT::MAPI_E_CALL_FAILED))
        .count();
    assert_eq!(failures, 5);
}

#[test]
fn trace_pairs_every_call_and_nests_provider_calls() {
    let h = harness(
        ShutdownPolicy::forced(OptIn),
        &[
            (MessageStore, P::Supports),
            (Transport, P::NotImplemented),
            (AddressBook, P::Supports),
        ],
    );
    let cs = h.session.client_shutdown();
    assert_eq!(cs.query_fast_shutdown(), HRESULT::MAPI_E_NO_SUPPORT);
    assert!(h.subsystem.exit(0));
    let records = h.sink.records();

    // Header, policy, session, three providers first.
    assert!(
        matches!(&records[0], Record::Hello(hello) if hello.pid == 7 && hello.exe == "OUTLOOK.EXE")
    );
    match &records[1] {
        Record::Policy(p) => {
            assert_eq!(p.source, PolicySource::Override);
            assert_eq!(p.effective, OptIn);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(&records[2], Record::Session(s) if s.session == 1 && s.profile == "Outlook"));
    let declared: Vec<(u32, ProviderKind, bool)> = records
        .iter()
        .filter_map(|r| match r {
            Record::Provider(p) => Some((p.provider, p.kind, p.implements_shutdown)),
            _ => None,
        })
        .collect();
    assert_eq!(
        declared,
        vec![
            (1, MessageStore, true),
            (2, Transport, false),
            (3, AddressBook, true)
        ]
    );

    let enters: Vec<&CallEnter> = records
        .iter()
        .filter_map(|r| match r {
            Record::Enter(e) => Some(e),
            _ => None,
        })
        .collect();
    // The client call, then the address book (3), then the store (1).
    assert_eq!(enters.len(), 3);
    assert_eq!(enters[0].caller, Caller::Client);
    assert_eq!(enters[0].interface, Interface::ClientShutdown);
    assert_eq!(enters[0].parent, None);
    assert_eq!(enters[1].provider, Some(3));
    assert_eq!(enters[2].provider, Some(1));
    for e in &enters[1..] {
        assert_eq!(e.caller, Caller::Subsystem);
        assert_eq!(e.interface, Interface::ProviderShutdown);
        assert_eq!(e.parent, Some(enters[0].call));
        assert_eq!(e.session, Some(1));
    }
    // Every enter has exactly one exit, after it.
    for e in &enters {
        let pos_enter = records
            .iter()
            .position(|r| matches!(r, Record::Enter(x) if x.call == e.call));
        let exits: Vec<usize> = records
            .iter()
            .enumerate()
            .filter(|(_, r)| matches!(r, Record::Exit(x) if x.call == e.call))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(exits.len(), 1);
        assert!(exits[0] > pos_enter.unwrap());
    }
    assert!(matches!(records.last(), Some(Record::ClientExit(c)) if c.code == 0));
}

#[test]
fn invalid_policy_is_reported_in_the_trace() {
    let h = harness(policy_invalid(RegistryData::String("1".into())), &[]);
    assert_eq!(h.subsystem.effective_policy(), OptOut);
    h.subsystem.exit(0);
    let policy = h
        .sink
        .records()
        .into_iter()
        .find_map(|r| match r {
            Record::Policy(p) => Some(p),
            _ => None,
        })
        .unwrap();
    assert_eq!(policy.effective, OptOut);
    match policy.setting {
        Setting::Invalid { raw, .. } => assert_eq!(raw, RegistryData::String("1".into())),
        other => panic!("{other:?}"),
    }
    assert!(matches!(policy.source, PolicySource::Registry { .. }));
}

#[test]
fn timestamps_come_from_the_injected_clock() {
    let sink = MemorySink::new();
    let clock = Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH));
    let dyn_clock: Arc<dyn Clock> = clock.clone();
    let emitter = Emitter::spawn(Box::new(sink.clone()), 64, dyn_clock.clone()).unwrap();
    let process = ProcessInfo::current("client.exe", OfficeVersion::V15, "olmapi32.dll");
    let subsystem = Subsystem::initialize(
        &process,
        &ShutdownPolicy::forced(OptOut),
        emitter,
        dyn_clock,
    );
    let session = subsystem.logon("p").unwrap();
    clock.advance(Duration::from_micros(250));
    session.client_shutdown().query_fast_shutdown();
    subsystem.exit(0);
    let records = sink.records();
    match &records[0] {
        Record::Hello(h) => {
            assert_eq!(h.started_at, "1970-01-01T00:00:00.000Z");
            assert_eq!(h.pid, std::process::id());
        }
        other => panic!("{other:?}"),
    }
    let enter = records
        .iter()
        .find(|r| matches!(r, Record::Enter(_)))
        .unwrap();
    assert_eq!(enter.t_ns(), 250_000);
}

/// Each logon is a MAPI session of its own, numbered from 1 in logon
/// order, and the number a `Session` gives is the one its trace record
/// and its providers carry (cargo-mutants: `Session::id` returning a
/// constant survived before).
#[test]
fn session_ids_are_what_the_trace_says() {
    let h = harness(ShutdownPolicy::default_policy(), &[]);
    let second = h.subsystem.logon("Other").unwrap();
    assert_eq!(h.session.id(), 1);
    assert_eq!(second.id(), 2);
    let log = CallLog::new();
    second
        .load_provider(provider("store", MessageStore, P::Supports, &log))
        .unwrap();
    h.subsystem.emitter().flush(Duration::from_secs(5));
    let records = h.sink.records();
    let sessions: Vec<u32> = records
        .iter()
        .filter_map(|r| match r {
            mapi_trace::Record::Session(s) => Some(s.session),
            _ => None,
        })
        .collect();
    assert_eq!(sessions, vec![h.session.id(), second.id()]);
    let provider_session = records.iter().find_map(|r| match r {
        mapi_trace::Record::Provider(p) => p.session,
        _ => None,
    });
    assert_eq!(provider_session, Some(second.id()));
}

/// What a `Provider` and a `Subsystem` print for a developer: the provider's
/// name, kind, DLL and whether it implements the interface (cargo-mutants:
/// an empty `Debug` survived before).
#[test]
fn debug_output_names_what_matters() {
    let log = CallLog::new();
    let p = provider("Personal Folders", MessageStore, P::NotImplemented, &log);
    let text = format!("{p:?}");
    for want in [
        "Personal Folders",
        "MessageStore",
        "Personal Folders.dll",
        "implements_shutdown: false",
    ] {
        assert!(text.contains(want), "{want} not in {text}");
    }
    let h = harness(ShutdownPolicy::default_policy(), &[]);
    assert!(format!("{:?}", h.subsystem).starts_with("Subsystem {"));
}
