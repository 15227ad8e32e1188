//! Unit tests of the report builder and writers on hand-made traces: a
//! client killed during `DoFastShutdown` (calls that never returned), a
//! stream without `hello`, a session of many calls, and the atomic write.
//! The golden files of every format are in `tests/report_golden.rs`.

use std::time::SystemTime;

use super::*;
use crate::clock::ManualClock;
use crate::hresult::HRESULT;
use crate::i18n::Lang;
use crate::mapi::ProviderKind;
use crate::monitor::analysis::{Outcome, ProcessTrace, StreamState};
use crate::trace::test_records::hello;
use crate::trace::{
    CallEnter, CallExit, Caller, Interface, Method, ProviderDecl, Record, SessionDecl,
};

fn enter(
    t_ns: u64,
    call: u64,
    parent: Option<u64>,
    method: Method,
    provider: Option<u32>,
) -> Record {
    let (caller, interface) = match provider {
        Some(_) => (Caller::Subsystem, Interface::ProviderShutdown),
        None => (Caller::Client, Interface::ClientShutdown),
    };
    Record::Enter(CallEnter {
        t_ns,
        call,
        parent,
        caller,
        interface,
        method,
        session: Some(1),
        provider,
    })
}

fn exit(t_ns: u64, call: u64, hresult: HRESULT) -> Record {
    Record::Exit(CallExit {
        t_ns,
        call,
        hresult,
    })
}

/// Outlook with a PST store; killed while the store is in DoFastShutdown.
fn killed_trace() -> ProcessTrace {
    let records = vec![
        hello(42),
        Record::Session(SessionDecl {
            t_ns: 10,
            session: 1,
            profile: "Outlook".into(),
        }),
        Record::Provider(ProviderDecl {
            t_ns: 20,
            session: Some(1),
            provider: 1,
            name: "Personal Folders, \"Archive\"".into(),
            kind: ProviderKind::MessageStore,
            dll: "mspst32.dll".into(),
            implements_shutdown: true,
        }),
        enter(1_000, 1, None, Method::QueryFastShutdown, None),
        enter(1_100, 2, Some(1), Method::QueryFastShutdown, Some(1)),
        exit(1_200, 2, HRESULT::S_OK),
        exit(1_300, 1, HRESULT::S_OK),
        enter(2_000, 3, None, Method::DoFastShutdown, None),
        enter(2_100, 4, Some(3), Method::DoFastShutdown, Some(1)),
        // The last record: the process was killed here.
        Record::Dropped(crate::trace::Dropped {
            t_ns: 5_000_000,
            count: 0,
        }),
    ];
    ProcessTrace::from_records(&records)
}

fn input(session: u64, trace: &ProcessTrace) -> SessionInput<'_> {
    SessionInput {
        session,
        trace,
        state: StreamState::Closed,
        peer_pid: None,
        error: Some("connection reset"),
        records: 10,
        dropped: 0,
        source: None,
        file: None,
    }
}

fn host() -> HostInfo {
    HostInfo {
        host_name: "H".into(),
        user: "u".into(),
        os: "os".into(),
        product: "p".into(),
    }
}

fn build(inputs: &[SessionInput<'_>], content: &Content) -> ReportModel {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
    let sources = Sources {
        sessions: inputs,
        ..Sources::default()
    };
    ReportModel::build(&clock, &host(), content, &sources)
}

fn text(model: &ReportModel, format: Format) -> String {
    String::from_utf8(render(model, format, &RenderOptions::default()).unwrap()).unwrap()
}

#[test]
fn calls_that_never_returned_are_shown_as_such() {
    let trace = killed_trace();
    let model = build(&[input(7, &trace)], &Content::default());
    let s = &model.sessions[0];
    assert_eq!(s.outcome, Outcome::DataLossRisk);
    assert_eq!(s.stream_error.as_deref(), Some("connection reset"));
    let open: Vec<&CallReport> = s.calls.iter().filter(|c| c.end_ns.is_none()).collect();
    assert_eq!(open.len(), 2);
    assert_eq!(open[1].duration_ns(s.last_ns), 5_000_000 - 2_100);

    let csv = text(&model, Format::Csv);
    let last = csv.lines().last().unwrap();
    // Quoted provider name (comma and quotes), empty duration and hex.
    assert_eq!(
        last,
        "7,42,OUTLOOK.EXE,\"Personal Folders, \"\"Archive\"\"\",message-store,mspst32.dll,\
         subsystem,IMAPIProviderShutdown::DoFastShutdown,2.100,,,no return"
    );

    let trace_json = render(&model, Format::Chrome, &RenderOptions::default()).unwrap();
    let back = chrome::read(&trace_json).unwrap();
    let calls = back.calls(7).unwrap();
    assert_eq!(calls, s.calls);
    let v: serde_json::Value = serde_json::from_slice(&trace_json).unwrap();
    let do_store = v["traceEvents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["args"]["call"] == 4)
        .unwrap();
    assert_eq!(do_store["args"]["returned"], false);
    assert_eq!(do_store["dur"], 4997.9);
    assert_eq!(do_store["tid"], chrome::PROVIDER_TID_BASE + 1);

    let html = text(&model, Format::Html);
    assert!(html.contains("never returned"));
    assert!(html.contains("class=\"do open\""), "dashed bar");
}

#[test]
fn a_stream_without_hello_still_reports() {
    let trace = ProcessTrace::from_records(&[]);
    let mut i = input(3, &trace);
    i.peer_pid = None;
    let model = build(&[i], &Content::default());
    assert_eq!(model.sessions[0].label().render(Lang::En), "session 3");
    assert_eq!(model.sessions[0].outcome, Outcome::Incomplete);
    for format in Format::ALL {
        assert!(
            !render(&model, format, &RenderOptions::default())
                .unwrap()
                .is_empty()
        );
    }
    assert!(text(&model, Format::Html).contains("No call was recorded."));
    let back = chrome::read(text(&model, Format::Chrome).as_bytes()).unwrap();
    assert_eq!(back.other_data.sessions[0].pid, 0);
    assert_eq!(back.other_data.time_origin, None);
}

#[test]
fn parts_asked_for_without_a_source_are_noted() {
    let model = build(
        &[],
        &Content {
            policy: true,
            processes: true,
            sessions: SessionChoice::All,
            detail: Default::default(),
        },
    );
    assert!(model.policy.is_none() && model.processes.is_none());
    assert_eq!(model.notes.len(), 3, "{:?}", model.notes);
    assert_eq!(model.taken_at, "1970-01-01T00:00:00.000Z");
    let html = text(&model, Format::Html);
    assert!(html.contains("no registry store was given"));
    assert_eq!(
        model.title().render(Lang::En),
        "MAPI fast shutdown report: H, 1970-01-01 00:00 UTC"
    );
}

#[test]
fn many_calls_keep_the_page_small() {
    // 50,000 provider calls of 100 ns each, 1 µs apart.
    let mut records = vec![
        hello(1),
        Record::Provider(ProviderDecl {
            t_ns: 1,
            session: Some(1),
            provider: 1,
            name: "Busy".into(),
            kind: ProviderKind::Transport,
            dll: "busy32.dll".into(),
            implements_shutdown: true,
        }),
        enter(10, 1, None, Method::QueryFastShutdown, None),
    ];
    for i in 0..50_000u64 {
        let t = 100 + i * 1_000;
        records.push(enter(t, i + 2, Some(1), Method::QueryFastShutdown, Some(1)));
        records.push(exit(t + 100, i + 2, HRESULT::S_OK));
    }
    records.push(exit(50_000_200, 1, HRESULT::S_OK));
    let trace = ProcessTrace::from_records(&records);
    let model = build(&[input(1, &trace)], &Content::default());
    let html = text(&model, Format::Html);
    let bars = html.matches("<rect class=\"query").count();
    assert!(bars < 2_000, "{bars} bars drawn");
    assert!(html.contains("calls shorter than a pixel"));
    assert!(html.contains(&format!(
        "The first {} of 50001 calls",
        html::MAX_TABLE_CALLS
    )));
    assert!(html.len() < 1_500_000, "{} bytes", html.len());
    let csv = text(&model, Format::Csv);
    assert_eq!(csv.lines().count(), 1 + 50_001, "every call in the CSV");
}

#[test]
fn formats_parse_by_name() {
    for f in Format::ALL {
        assert_eq!(f.as_str().parse::<Format>().unwrap(), f);
        assert_eq!(f.as_str().to_uppercase().parse::<Format>().unwrap(), f);
    }
    let e = "pdf".parse::<Format>().unwrap_err().to_string();
    assert!(e.contains("`pdf`") && e.contains("chrome"), "{e}");
    assert_eq!(Format::Chrome.extension(), "json");
    assert_eq!(csv::micros(1_135_860), "1135.860");
    assert_eq!(csv::micros(7), "0.007");
}

#[test]
fn write_atomically_replaces_whole_files_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.html");
    write_atomically(&path, b"first").unwrap();
    write_atomically(&path, b"second").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"second");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "no temporary file left");

    let missing = dir.path().join("no-such-dir").join("r.html");
    let err = write_atomically(&missing, b"x").unwrap_err().to_string();
    assert!(err.contains("no-such-dir"), "{err}");
    assert!(!missing.exists());
}

#[cfg(unix)]
#[test]
fn written_reports_get_the_permissions_of_an_ordinary_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.csv");
    write_atomically(&path, b"x").unwrap();
    let ordinary = dir.path().join("ordinary");
    std::fs::File::create(&ordinary).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    // tempfile alone would give 0600 whatever the umask.
    assert_eq!(mode(&path), mode(&ordinary));
}

/// Regression (issue 17, item 4): `report --out` replaced a file with an
/// ordinary one whatever its mode, and (as every writer) must not follow
/// a symbolic link at the destination.
#[cfg(unix)]
#[test]
fn report_out_keeps_the_mode_it_replaces_and_replaces_a_symlink() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.html");
    std::fs::write(&path, "old").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    write_atomically(&path, b"new").unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    let victim = dir.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    let link = dir.path().join("link.html");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    write_atomically(&link, b"report").unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(std::fs::read_to_string(&link).unwrap(), "report");
}
