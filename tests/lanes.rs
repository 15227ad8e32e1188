//! One lane model (crates/core/src/monitor/lanes.rs): the Live panel's
//! timeline, the HTML report's SVG and the Chrome trace show the same lanes
//! in the same order for the same trace. Pinned on the recorded fixtures
//! and on a trace made to disagree with every older rule: providers
//! declared out of kind order and called in yet another order, two MAPI
//! sessions, a provider that calls name but no declaration does.

#![cfg(feature = "gui")]

mod report_support;

use mapi_shutdown::i18n::Lang;
use mapi_shutdown::monitor::analysis::{AnalysisOptions, ProcessTrace, StreamState};
use mapi_shutdown::monitor::lanes::LaneId;
use mapi_shutdown::report::chrome::{self, CLIENT_TID, PROVIDER_TID_BASE, SUBSYSTEM_TID};
use mapi_shutdown::report::{Content, ReportModel, SessionChoice, SessionInput, Sources, html};
use mapi_shutdown::ui::timeline::{LaneKind, TimelineData};

/// Session 1: a store (1), a transport (2), an address book (3, without the
/// interface); session 2: a transport (4), a store (5). The subsystem goes
/// kind by kind across sessions but calls store 5 before store 1, and also
/// calls provider 9, which nothing declared.
const ODD_ORDER: &str = r#"{"type":"hello","protocol":1,"pid":4242,"exe":"OUTLOOK.EXE","office_version":"16.0","subsystem":"olmapi32.dll","started_at":"2026-11-21T00:58:11.269Z"}
{"type":"session","t_ns":10,"session":1,"profile":"Outlook"}
{"type":"provider","t_ns":11,"session":1,"provider":1,"name":"Store One","kind":"message-store","dll":"store1.dll","implements_shutdown":true}
{"type":"provider","t_ns":12,"session":1,"provider":2,"name":"Transport Two","kind":"transport","dll":"xp2.dll","implements_shutdown":true}
{"type":"provider","t_ns":13,"session":1,"provider":3,"name":"Book Three","kind":"address-book","dll":"ab3.dll","implements_shutdown":false}
{"type":"session","t_ns":14,"session":2,"profile":"Other"}
{"type":"provider","t_ns":15,"session":2,"provider":4,"name":"Transport Four","kind":"transport","dll":"xp4.dll","implements_shutdown":true}
{"type":"provider","t_ns":16,"session":2,"provider":5,"name":"Store Five","kind":"message-store","dll":"store5.dll","implements_shutdown":true}
{"type":"enter","t_ns":100,"call":1,"caller":"client","interface":"IMAPIClientShutdown","method":"QueryFastShutdown","session":1}
{"type":"enter","t_ns":110,"call":2,"parent":1,"caller":"subsystem","interface":"IMAPIProviderShutdown","method":"QueryFastShutdown","session":1,"provider":2}
{"type":"exit","t_ns":120,"call":2,"hresult":"0x00000000"}
{"type":"enter","t_ns":130,"call":3,"parent":1,"caller":"subsystem","interface":"IMAPIProviderShutdown","method":"QueryFastShutdown","session":2,"provider":4}
{"type":"exit","t_ns":140,"call":3,"hresult":"0x00000000"}
{"type":"enter","t_ns":150,"call":4,"parent":1,"caller":"subsystem","interface":"IMAPIProviderShutdown","method":"QueryFastShutdown","session":2,"provider":5}
{"type":"exit","t_ns":160,"call":4,"hresult":"0x00000000"}
{"type":"enter","t_ns":161,"call":6,"parent":1,"caller":"subsystem","interface":"IMAPIProviderShutdown","method":"QueryFastShutdown","session":1,"provider":1}
{"type":"exit","t_ns":165,"call":6,"hresult":"0x00000000"}
{"type":"enter","t_ns":170,"call":5,"parent":1,"caller":"subsystem","interface":"IMAPIProviderShutdown","method":"QueryFastShutdown","provider":9}
{"type":"exit","t_ns":180,"call":5,"hresult":"0x00000000"}
{"type":"exit","t_ns":190,"call":1,"hresult":"0x00000000"}
{"type":"client_exit","t_ns":200,"code":0}
"#;

fn odd_order() -> ProcessTrace {
    let records = mapi_shutdown::trace::codec::read_all(ODD_ORDER.as_bytes()).unwrap();
    ProcessTrace::from_records(&records)
}

/// The lanes of the Live panel's timeline.
fn timeline_lanes(trace: &ProcessTrace) -> Vec<LaneId> {
    TimelineData::from_trace(trace)
        .lanes
        .iter()
        .map(|l| match &l.kind {
            LaneKind::Client => LaneId::Client,
            LaneKind::Subsystem => LaneId::Subsystem,
            LaneKind::Provider { provider, .. } => LaneId::Provider(*provider),
        })
        .collect()
}

fn model(trace: &ProcessTrace) -> ReportModel {
    let input = SessionInput {
        session: 1,
        trace,
        state: StreamState::Closed,
        peer_pid: None,
        error: None,
        records: 0,
        dropped: 0,
        source: None,
        file: None,
    };
    let content = Content {
        policy: false,
        processes: false,
        sessions: SessionChoice::All,
        detail: Default::default(),
    };
    let inputs = [input];
    let sources = Sources {
        registry: None,
        scan: None,
        sessions: &inputs,
        analysis: AnalysisOptions::default(),
    };
    ReportModel::build(
        &report_support::clock(),
        &report_support::host(),
        &content,
        &sources,
    )
}

/// The lanes of the HTML report's SVG, read from the page: each lane is a
/// `<g><title>label: sublabel</title>`, and a lane's label names it.
fn html_lanes(trace: &ProcessTrace) -> Vec<LaneId> {
    let page = html::render(&model(trace), Lang::En).unwrap();
    let titles: Vec<&str> = page
        .split("<g><title>")
        .skip(1)
        .map(|s| &s[..s.find("</title>").unwrap()])
        .collect();
    titles
        .iter()
        .map(|t| {
            if t.ends_with(": client") || t.contains(": client ") {
                LaneId::Client
            } else if let Some(p) = trace.providers.iter().find(|p| t.starts_with(&p.name)) {
                LaneId::Provider(p.provider)
            } else if let Some(n) = t.strip_prefix("provider ") {
                LaneId::Provider(n.split(':').next().unwrap().parse().unwrap())
            } else if t.starts_with(&trace.hello.as_ref().unwrap().subsystem) {
                LaneId::Subsystem
            } else {
                panic!("a lane this test does not know: {t}")
            }
        })
        .collect()
}

/// The Chrome trace's threads of the process, by their sort index.
fn chrome_lanes(trace: &ProcessTrace) -> Vec<LaneId> {
    let ct = chrome::build(&model(trace));
    let mut sorted: Vec<(i64, u32)> = ct
        .trace_events
        .iter()
        .filter(|e| e.ph == "M" && e.name == "thread_sort_index")
        .map(|e| (e.args["sort_index"].as_i64().unwrap(), e.tid))
        .collect();
    sorted.sort_unstable();
    sorted
        .into_iter()
        .map(|(_, tid)| match tid {
            CLIENT_TID => LaneId::Client,
            SUBSYSTEM_TID => LaneId::Subsystem,
            t => LaneId::Provider(t - PROVIDER_TID_BASE),
        })
        .collect()
}

#[test]
fn the_three_surfaces_show_the_same_lanes_in_the_same_order() {
    let trace = odd_order();
    let want = vec![
        LaneId::Client,
        LaneId::Subsystem,
        LaneId::Provider(2),
        LaneId::Provider(4),
        LaneId::Provider(3),
        LaneId::Provider(1),
        LaneId::Provider(5),
        LaneId::Provider(9),
    ];
    assert_eq!(timeline_lanes(&trace), want, "timeline");
    assert_eq!(html_lanes(&trace), want, "HTML report");
    assert_eq!(chrome_lanes(&trace), want, "Chrome trace");
}

#[test]
fn the_recorded_fixtures_agree_too() {
    for (file, trace) in report_support::traces() {
        let gui = timeline_lanes(&trace);
        assert_eq!(gui.first(), Some(&LaneId::Client), "{file}");
        assert_eq!(html_lanes(&trace), gui, "{file}: HTML report");
        assert_eq!(chrome_lanes(&trace), gui, "{file}: Chrome trace");
    }
}
