//! Golden reports (insta, `tests/golden/`): every format rendered from the
//! fixed inputs of `report_support` (two recorded traces, a memory
//! registry, a fixed process scan, a manual clock and a hand-filled
//! host), so any change to what a report says shows up as a diff to
//! review (`cargo insta review`, or `INSTA_UPDATE=always` then `git diff`).
//! Beside the goldens: the JSON format read back equals the model; the
//! Chrome trace checked against the Trace Event format's required fields
//! and read back by our reader into the same calls; the CSV's columns;
//! the HTML's escaping and self-containment.

mod report_support;

use std::collections::BTreeSet;

use serde_json::Value;

use mapi_shutdown::i18n::Lang;
use mapi_shutdown::monitor::analysis::Outcome;
use mapi_shutdown::report::{
    self, Content, Format, RenderOptions, ReportModel, SCHEMA_VERSION, SessionChoice, chrome,
};
use report_support::{full_model, model_with};

fn rendered(model: &ReportModel, format: Format, bom: bool) -> String {
    let bytes = report::render(
        model,
        format,
        &RenderOptions {
            csv_bom: bom,
            ..RenderOptions::default()
        },
    )
    .unwrap();
    String::from_utf8(bytes).unwrap()
}

fn golden(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "golden", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn json_golden_and_read_back() {
    let model = full_model();
    let text = rendered(&model, Format::Json, false);
    golden("report.json", &text);
    assert_eq!(report::read_json(text.as_bytes()).unwrap(), model);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema_version"], SCHEMA_VERSION);
    assert_eq!(v["taken_at"], "2026-11-21T09:30:01.500Z");
}

#[test]
fn csv_golden_columns_and_bom() {
    let model = full_model();
    let text = rendered(&model, Format::Csv, false);
    golden("report.csv", &text);

    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "session",
            "pid",
            "process",
            "provider",
            "kind",
            "DLL",
            "caller",
            "method",
            "start µs",
            "duration µs",
            "HRESULT hex",
            "HRESULT name"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let calls: usize = model.sessions.iter().map(|s| s.calls.len()).sum();
    assert_eq!(rows.len(), calls, "one row per call");
    // The data-loss session's refusing provider: its query row.
    assert!(
        rows.iter().any(|r| &r[0] == "2"
            && &r[3] == "Contoso Archive Vault"
            && &r[7] == "IMAPIProviderShutdown::QueryFastShutdown"
            && &r[10] == "0x80040102"
            && &r[11] == "MAPI_E_NO_SUPPORT"),
        "{text}"
    );
    assert!(text.contains("\r\n"), "RFC 4180 line ends");

    let with_bom = report::render(
        &model,
        Format::Csv,
        &RenderOptions {
            csv_bom: true,
            ..RenderOptions::default()
        },
    )
    .unwrap();
    assert_eq!(&with_bom[..3], b"\xEF\xBB\xBF");
    assert_eq!(&with_bom[3..], text.as_bytes());
}

#[test]
fn html_golden_escaped_and_self_contained() {
    let model = full_model();
    let html = rendered(&model, Format::Html, false);
    golden("report.html", &html);

    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(&format!(
        "<title>{}</title>",
        model.title().render(Lang::En)
    )));
    // The add-in's FriendlyName holds markup: escaped, never raw.
    assert!(!html.contains("<CRM>"), "unescaped add-in name");
    assert!(
        html.contains("Contoso &#60;CRM&#62; &#38; &#34;Sync&#34;"),
        "escaped name"
    );
    // Self-contained: no script, no stylesheet link, nothing fetched.
    for forbidden in ["<script", "<link", "src=", "@import", "url("] {
        assert!(!html.contains(forbidden), "{forbidden} in the page");
    }
    assert_eq!(html.matches("<svg class=\"timeline\"").count(), 2);
    assert!(html.contains("data-loss risk") && html.contains("fast shutdown"));
    // Invalid data is shown as stored, with its fix.
    assert!(html.contains("REG_SZ &#34;1&#34;"), "the invalid REG_SZ");
}

#[test]
fn chrome_golden() {
    golden(
        "report.chrome.json",
        &rendered(&full_model(), Format::Chrome, false),
    );
}

/// The Trace Event format's required fields: every event has `name`,
/// `ph`, `ts`, `pid` and `tid`; complete events (`X`) have `dur`;
/// metadata events name processes and threads in `args.name`.
#[test]
fn chrome_trace_has_the_required_fields() {
    let model = full_model();
    let v: Value = serde_json::from_str(&rendered(&model, Format::Chrome, false)).unwrap();
    let events = v["traceEvents"].as_array().expect("traceEvents array");
    assert!(!events.is_empty());
    let mut x_events = 0;
    let mut named_processes = BTreeSet::new();
    let mut named_threads = BTreeSet::new();
    for (i, e) in events.iter().enumerate() {
        assert!(e["name"].is_string(), "event {i}: name: {e}");
        assert!(e["ph"].is_string(), "event {i}: ph: {e}");
        assert!(e["ts"].is_number(), "event {i}: ts: {e}");
        assert!(e["pid"].is_u64(), "event {i}: pid: {e}");
        assert!(e["tid"].is_u64(), "event {i}: tid: {e}");
        match e["ph"].as_str().unwrap() {
            "X" => {
                x_events += 1;
                assert!(
                    e["dur"].as_f64().is_some_and(|d| d >= 0.0),
                    "event {i}: dur"
                );
                for arg in ["hresult", "hresult_name", "caller", "call", "session"] {
                    assert!(e["args"].get(arg).is_some(), "event {i}: args.{arg}: {e}");
                }
                assert!(
                    e["args"]["dll"].is_string(),
                    "event {i}: every call here has a DLL"
                );
                assert!(named_processes.contains(&e["pid"].as_u64().unwrap()));
                assert!(named_threads.contains(&(e["pid"].as_u64(), e["tid"].as_u64())));
            }
            "M" => {
                assert!(e["args"]["name"].is_string() || e["args"]["sort_index"].is_number());
                match e["name"].as_str().unwrap() {
                    "process_name" => {
                        named_processes.insert(e["pid"].as_u64().unwrap());
                    }
                    "thread_name" => {
                        named_threads.insert((e["pid"].as_u64(), e["tid"].as_u64()));
                    }
                    "thread_sort_index" => {}
                    other => panic!("event {i}: unexpected metadata {other}"),
                }
            }
            other => panic!("event {i}: unexpected phase {other}"),
        }
    }
    let calls: usize = model.sessions.iter().map(|s| s.calls.len()).sum();
    assert_eq!(x_events, calls, "one X event per call");
    // Real pids.
    assert_eq!(named_processes, BTreeSet::from([26110, 26115]));
    assert_eq!(v["displayTimeUnit"], "ns");
    assert_eq!(v["otherData"]["policy"]["store"], "memory");
    assert_eq!(
        v["otherData"]["policy"]["versions"][2]["values"][0]["raw"],
        serde_json::json!({"type": "REG_DWORD", "data": 1})
    );
}

#[test]
fn chrome_trace_round_trips_through_the_reader() {
    let model = full_model();
    let bytes = report::render(&model, Format::Chrome, &RenderOptions::default()).unwrap();
    let trace = chrome::read(&bytes).unwrap();
    assert_eq!(trace.other_data.policy, model.policy);
    assert_eq!(trace.other_data.host, model.host);
    assert_eq!(trace.other_data.sessions.len(), model.sessions.len());
    for s in &model.sessions {
        let mut expected = s.calls.clone();
        expected.sort_by_key(|c| (c.start_ns, c.id));
        let back = trace.calls(s.session).unwrap();
        assert_eq!(back, expected, "session {}", s.session);
        let summary = trace
            .other_data
            .sessions
            .iter()
            .find(|x| x.session == s.session)
            .unwrap();
        assert_eq!(summary.outcome, s.outcome);
    }
    // The second session started 94 ms after the first: placed so.
    assert!(trace.other_data.sessions[1].ts_origin_us > 90_000.0);

    // Not ours: refused with the reason.
    let other = br#"{"traceEvents":[],"displayTimeUnit":"ms","otherData":{"generator":"x","schema_version":1,"taken_at":"","host":{"host_name":"","user":"","os":"","product":""},"time_origin":null,"policy":null,"sessions":[]}}"#;
    let err = chrome::read(other).unwrap_err().to_string();
    assert!(err.contains("generator"), "{err}");
    assert!(chrome::read(b"[1,2]").is_err());
}

#[test]
fn sessions_are_chosen_all_selected_or_by_pid() {
    let choose = |sessions: SessionChoice| {
        model_with(&Content {
            policy: false,
            processes: false,
            sessions,
            detail: Default::default(),
        })
    };
    let all = choose(SessionChoice::All);
    assert_eq!(all.sessions.len(), 2);
    assert!(all.policy.is_none() && all.processes.is_none());
    assert_eq!(all.sessions[0].outcome, Outcome::Fast);
    assert_eq!(all.sessions[1].outcome, Outcome::DataLossRisk);

    let selected = choose(SessionChoice::Selected {
        sessions: BTreeSet::from([2, 9]),
    });
    assert_eq!(
        selected
            .sessions
            .iter()
            .map(|s| s.session)
            .collect::<Vec<_>>(),
        [2]
    );
    assert!(
        selected.notes.iter().any(|n| n.contains("1 of the 2")),
        "{:?}",
        selected.notes
    );

    let by_pid = choose(SessionChoice::Pid { pid: 26110 });
    assert_eq!(by_pid.sessions.len(), 1);
    assert_eq!(by_pid.sessions[0].process.as_deref(), Some("OUTLOOK.EXE"));
    let none = choose(SessionChoice::Pid { pid: 1 });
    assert!(none.sessions.is_empty());
    assert!(none.notes.iter().any(|n| n.contains("pid 1")));
}

#[test]
fn the_machine_snapshot_keeps_raw_data_and_sources() {
    let model = full_model();
    let policy = model.policy.as_ref().unwrap();
    assert_eq!(policy.store, "memory");
    let v15 = &policy.versions[1];
    assert_eq!(v15.office.as_str(), "15.0");
    assert!(v15.key.starts_with(r"HKEY_CURRENT_USER\Software\Policies"));
    let fsb = &v15.values[0];
    assert_eq!(fsb.name, "FastShutdownBehavior");
    assert_eq!(fsb.raw_text(), r#"REG_SZ "1""#);
    assert!(fsb.fix.is_some(), "invalid data comes with a fix");
    let crm = policy
        .addins
        .iter()
        .find(|a| a.prog_id == "Contoso.Crm")
        .unwrap();
    assert_eq!(crm.require_shutdown_notification.effective, "on");
    let procs = model.processes.as_ref().unwrap();
    assert_eq!(procs.processes.len(), 1);
    assert_eq!(procs.processes[0].name, "OUTLOOK.EXE");
    assert!(procs.processes[0].instrumented);
    assert_eq!(procs.uninspected.len(), 1);
    assert_eq!(procs.uninspected[0].reason, "access denied");
}

#[test]
fn html_in_french_and_chinese() {
    use mapi_shutdown::i18n::Lang;
    let model = full_model();
    let html = |lang| {
        let bytes = report::render(
            &model,
            Format::Html,
            &RenderOptions {
                lang,
                ..RenderOptions::default()
            },
        )
        .unwrap();
        String::from_utf8(bytes).unwrap()
    };
    let fr = html(Lang::Fr);
    assert!(fr.contains("<html lang=\"fr\">"));
    for heading in [
        "<h2>Résumé</h2>",
        "<h2>Stratégie</h2>",
        "<h2>Processus MAPI</h2>",
        "<h3>Constatations</h3>",
        "<h3>Chronologie</h3>",
        "Rapport d’arrêt rapide MAPI",
    ] {
        assert!(fr.contains(heading), "{heading} not in the French page");
    }
    assert!(!fr.contains("<h2>Summary</h2>"));
    let zh = html(Lang::ZhCn);
    assert!(zh.contains("<html lang=\"zh-CN\">"));
    for heading in [
        "<h2>摘要</h2>",
        "<h2>策略</h2>",
        "<h2>MAPI 进程</h2>",
        "<h3>发现</h3>",
        "<h3>时间线</h3>",
        "MAPI 快速关闭报告",
    ] {
        assert!(zh.contains(heading), "{heading} not in the Chinese page");
    }
    // The data formats do not change with the language.
    for format in [Format::Csv, Format::Json, Format::Chrome] {
        let with = |lang| {
            report::render(
                &model,
                format,
                &RenderOptions {
                    lang,
                    ..RenderOptions::default()
                },
            )
            .unwrap()
        };
        assert_eq!(with(Lang::Fr), with(Lang::En), "{format}");
        assert_eq!(with(Lang::ZhCn), with(Lang::En), "{format}");
    }
}

/// Client-supplied names that a spreadsheet would run as formulas: the
/// executable, a provider's display name and a DLL, one for each
/// dangerous first character (`=`, `+`, `-`, `@`, tab, carriage return).
fn hostile_trace() -> mapi_shutdown::monitor::analysis::ProcessTrace {
    use mapi_shutdown::hresult::HRESULT;
    use mapi_shutdown::trace::model::ProviderKind;
    use mapi_shutdown::trace::{
        CallEnter, CallExit, Caller, ClientExit, Hello, Interface, Method, PROTOCOL_VERSION,
        ProviderDecl, Record, SessionDecl,
    };
    let provider = |id: u32, name: &str, dll: &str| {
        Record::Provider(ProviderDecl {
            t_ns: 20 + u64::from(id),
            session: Some(1),
            provider: id,
            name: name.into(),
            kind: ProviderKind::MessageStore,
            dll: dll.into(),
            implements_shutdown: true,
        })
    };
    let mut records = vec![
        Record::Hello(Hello {
            host: None,
            protocol: PROTOCOL_VERSION,
            pid: 6666,
            exe: "=cmd|' /C calc'!A0".into(),
            office_version: mapi_shutdown::trace::model::OfficeVersion::V16,
            subsystem: "olmapi32.dll".into(),
            started_at: "2026-11-21T09:00:00.000Z".into(),
            capture: None,
        }),
        Record::Session(SessionDecl {
            t_ns: 10,
            session: 1,
            profile: "Outlook".into(),
        }),
        provider(
            1,
            "+HYPERLINK(\"http://evil.example/\",\"Open\")",
            "@SUM(1+1)*cmd.dll",
        ),
        provider(2, "-2+3+cmd|' /C calc'!A0", "\t=cmd.dll"),
        provider(3, "\r=cmd", "mspst32.dll"),
        provider(4, "Personal Folders", "-mspst32.dll"),
    ];
    let enter = |t_ns: u64, call: u64, parent: Option<u64>, provider: Option<u32>| {
        Record::Enter(CallEnter {
            t_ns,
            call,
            parent,
            caller: if provider.is_some() {
                Caller::Subsystem
            } else {
                Caller::Client
            },
            interface: if provider.is_some() {
                Interface::ProviderShutdown
            } else {
                Interface::ClientShutdown
            },
            method: Method::QueryFastShutdown,
            session: Some(1),
            provider,
        })
    };
    let exit = |t_ns: u64, call: u64| {
        Record::Exit(CallExit {
            t_ns,
            call,
            hresult: HRESULT::S_OK,
        })
    };
    records.push(enter(1_000, 1, None, None));
    for p in 1..=4u32 {
        let call = u64::from(p) + 1;
        records.push(enter(1_000 + call * 100, call, Some(1), Some(p)));
        records.push(exit(1_050 + call * 100, call));
    }
    records.push(exit(2_000, 1));
    records.push(Record::ClientExit(ClientExit {
        t_ns: 3_000,
        code: 0,
    }));
    mapi_shutdown::monitor::analysis::ProcessTrace::from_records(&records)
}

#[test]
fn csv_formula_injection_is_neutralised() {
    use mapi_shutdown::monitor::analysis::{AnalysisOptions, StreamState};
    use mapi_shutdown::report::{SessionInput, Sources};
    let trace = hostile_trace();
    let inputs = [SessionInput {
        session: 1,
        trace: &trace,
        state: StreamState::Closed,
        peer_pid: None,
        error: None,
        records: 13,
        dropped: 0,
        source: None,
        file: None,
    }];
    let sources = Sources {
        registry: None,
        scan: None,
        sessions: &inputs,
        analysis: AnalysisOptions::default(),
    };
    let content = Content {
        policy: false,
        processes: false,
        sessions: SessionChoice::All,
        detail: Default::default(),
    };
    let model = ReportModel::build(
        &report_support::clock(),
        &report_support::host(),
        &content,
        &sources,
    );
    let text = rendered(&model, Format::Csv, false);
    golden("report-formula-injection.csv", &text);

    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5, "{text}");
    let mut texts = BTreeSet::new();
    for row in &rows {
        // process, provider, DLL: no cell starts a formula.
        for i in [2, 3, 5] {
            let cell = &row[i];
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "column {i}: {cell:?} in {text}"
            );
            texts.insert(cell.to_string());
        }
        // Our own columns are untouched (method, HRESULT).
        assert!(row[7].starts_with("IMAPI"), "{row:?}");
        assert_eq!(&row[10], "0x00000000");
    }
    for want in [
        "'=cmd|' /C calc'!A0",
        "'+HYPERLINK(\"http://evil.example/\",\"Open\")",
        "'@SUM(1+1)*cmd.dll",
        "'-2+3+cmd|' /C calc'!A0",
        "'\t=cmd.dll",
        "'\r=cmd",
        "'-mspst32.dll",
        "Personal Folders",
        "mspst32.dll",
    ] {
        assert!(texts.contains(want), "{want:?} in {texts:?}");
    }
}
