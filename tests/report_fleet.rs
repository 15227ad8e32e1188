//! The fleet summary in every format, from a fixed synthetic fleet
//! (`report::corpus`: 40 sessions of 8 machines, two traces without
//! `host`), a manual clock and a fixed host: golden files of the fleet
//! CSV table and of the JSON's `fleet` object (`tests/golden/`), the HTML
//! section (table, bar chart, escaping, three languages), the JSON read
//! back, and when the summary appears (several named machines, or a
//! summary) and when not (one machine's traces).

mod report_support;

use mapi_shutdown::i18n::Lang;
use mapi_shutdown::monitor::analysis::{AnalysisOptions, ProcessTrace, StreamState};
use mapi_shutdown::report::corpus::{SyntheticProvider, SyntheticSession, fleet_session};
use mapi_shutdown::report::csv::FLEET_COLUMNS;
use mapi_shutdown::report::{
    self, Content, Detail, Format, RenderOptions, ReportModel, SessionChoice, SessionInput, Sources,
};
use report_support::{clock, host};

/// 40 sessions of 8 machines; sessions 7 and 23 are old traces (no host).
fn fleet() -> Vec<(String, SyntheticSession)> {
    (0..40)
        .map(|i| {
            let mut s = fleet_session(i, 8);
            s.host = (i != 7 && i != 23).then(|| format!("DESKTOP-{:05}", i % 8));
            if i == 23 {
                // Not fast (listed among the sessions to look at).
                s.policy = mapi_shutdown::policy::FastShutdownBehavior::Disabled;
            }
            if i == 11 {
                // A host and a provider DLL that are markup, the DLL
                // opting out (so it is in the chart, the provider table
                // and the session list): shown as text everywhere.
                s.host = Some("<b>EVIL</b>".into());
                s.providers.push(SyntheticProvider {
                    dll: "<i>evil</i>.dll".into(),
                    name: "=cmd|' /C calc'!A0".into(),
                    kind: mapi_shutdown::mapi::ProviderKind::MessageStore,
                    implements_shutdown: true,
                    query: mapi_shutdown::hresult::HRESULT::MAPI_E_NO_SUPPORT,
                    do_ns: Some(1_000),
                });
            }
            (format!("share/OUTLOOK.EXE-{i:02}.jsonl"), s)
        })
        .collect()
}

fn model(detail: Detail, sessions: &[(String, SyntheticSession)]) -> ReportModel {
    let traces: Vec<(String, ProcessTrace)> = sessions
        .iter()
        .map(|(f, s)| (f.clone(), ProcessTrace::from_records(&s.records())))
        .collect();
    let inputs: Vec<SessionInput<'_>> = traces
        .iter()
        .enumerate()
        .map(|(i, (file, trace))| SessionInput {
            session: i as u64 + 1,
            trace,
            state: StreamState::Cut,
            peer_pid: None,
            error: None,
            records: 0,
            dropped: 0,
            source: Some(file),
            file: Some(file),
        })
        .collect();
    ReportModel::build(
        &clock(),
        &host(),
        &Content {
            policy: false,
            processes: false,
            sessions: SessionChoice::All,
            detail,
        },
        &Sources {
            sessions: &inputs,
            analysis: AnalysisOptions::default(),
            ..Sources::default()
        },
    )
}

fn text(model: &ReportModel, format: Format, lang: Lang) -> String {
    String::from_utf8(
        report::render(
            model,
            format,
            &RenderOptions {
                lang,
                ..RenderOptions::default()
            },
        )
        .unwrap(),
    )
    .unwrap()
}

fn golden(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "golden", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn summary_csv_is_the_fleet_table_golden() {
    let m = model(Detail::Summary, &fleet());
    assert!(m.summarized());
    assert!(m.sessions.is_empty());
    let csv = text(&m, Format::Csv, Lang::En);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(head, FLEET_COLUMNS);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(&rows[0][0], "fleet");
    assert_eq!(&rows[0][5], "40");
    // The providers, costliest first, each with its breakdown after.
    assert!(
        rows.iter()
            .any(|r| &r[0] == "provider" && &r[1] == "acmecrm32.dll")
    );
    assert!(rows.iter().any(|r| &r[0] == "provider-office-policy"));
    // A DLL name from a client is a text field: no formula, and its
    // markup is data, not HTML, in a CSV.
    assert!(rows.iter().any(|r| &r[1] == "<i>evil</i>.dll"));
    golden("report-fleet.csv", &csv);
}

#[test]
fn json_carries_the_fleet_golden_and_reads_back() {
    let m = model(Detail::Summary, &fleet());
    let json = text(&m, Format::Json, Lang::En);
    let back = report::read_json(json.as_bytes()).unwrap();
    let fleet = back.fleet.as_ref().unwrap();
    assert_eq!(fleet.sessions, 40);
    assert_eq!(fleet.session_rows.len(), 40);
    // Machines: 8 named plus the markup host, and the two old traces,
    // one unknown machine per file.
    assert_eq!(fleet.unknown_machines, 2);
    assert_eq!(fleet.machines, 11);
    // Sorted by cost, descending.
    let costs: Vec<u64> = fleet.providers.iter().map(|p| p.stats.cost).collect();
    assert!(costs.windows(2).all(|w| w[0] >= w[1]), "{costs:?}");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["content"]["detail"], "summary");
    golden(
        "report-fleet.json",
        &serde_json::to_string_pretty(&value["fleet"]).unwrap(),
    );
}

#[test]
fn html_has_the_table_and_the_bar_chart_escaped_in_three_languages() {
    let m = model(Detail::Summary, &fleet());
    for (lang, heading) in [
        (Lang::En, "Fleet summary"),
        (Lang::Fr, "Résumé du parc"),
        (Lang::ZhCn, "机群摘要"),
    ] {
        let html = text(&m, Format::Html, lang);
        assert!(html.contains(heading), "{lang:?}");
        assert!(html.contains("<svg class=\"fleet-chart\""));
        assert!(html.contains("class=\"fbar-cost\""));
        assert!(html.contains("acmecrm32.dll"));
        assert!(!html.contains("<b>EVIL</b>"), "markup printed as text");
        assert!(!html.contains("<script"));
        // No session in full: no timeline, no call table.
        assert!(!html.contains("class=\"timeline\""));
    }
    let html = text(&m, Format::Html, Lang::En);
    assert!(html.contains("&#60;b&#62;EVIL&#60;/b&#62;"));
    assert!(html.contains("&#60;i&#62;evil&#60;/i&#62;.dll"));
    assert!(!html.contains("<i>evil</i>"));
    assert!(html.contains("unknown machine (file share/OUTLOOK.EXE-23.jsonl)"));
}

#[test]
fn the_summary_comes_with_several_named_machines_or_when_asked() {
    let all = fleet();
    // Full detail, several machines: every session and the summary.
    let m = model(Detail::Full, &all);
    assert_eq!(m.sessions.len(), 40);
    assert!(m.fleet.is_some() && !m.summarized());
    // CSV of full detail stays the calls table.
    let csv = text(&m, Format::Csv, Lang::En);
    assert!(csv.starts_with("session,pid,process"));
    // One machine's traces: no fleet summary.
    let one: Vec<_> = all
        .iter()
        .cloned()
        .map(|(f, mut s)| {
            s.host = Some("PC-1".into());
            (f, s)
        })
        .take(3)
        .collect();
    assert!(model(Detail::Auto, &one).fleet.is_none());
    // Old traces only (no host): not taken for a fleet unless asked.
    let old: Vec<_> = one
        .into_iter()
        .map(|(f, mut s)| {
            s.host = None;
            (f, s)
        })
        .collect();
    assert!(model(Detail::Auto, &old).fleet.is_none());
    let asked = model(Detail::Summary, &old);
    assert_eq!(asked.fleet.as_ref().unwrap().unknown_machines, 3);
}
