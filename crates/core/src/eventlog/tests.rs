//! Tests of the event catalogue, the message table source and the events
//! of a session.

use std::collections::HashSet;
use std::path::PathBuf;

use super::*;
use crate::monitor::analysis::{Finding, StreamState, analyze};
use crate::monitor::read_streams;

#[test]
fn messages_mc_has_every_event_in_three_languages() {
    let msgs = mc_messages();
    let ids: HashSet<u32> = catalogue().map(|d| d.id).collect();
    assert_eq!(ids.len(), catalogue().count(), "event IDs are distinct");
    for def in catalogue() {
        let blocks: Vec<&McMessage> = msgs.iter().filter(|m| m.id == def.id).collect();
        let langs: Vec<u16> = blocks.iter().map(|m| m.lang_id()).collect();
        assert_eq!(langs, [0x409, 0x40C, 0x804], "event {}", def.id);
        for m in blocks {
            assert_eq!(m.symbol, def.symbol, "event {}", def.id);
            let all: std::collections::BTreeSet<usize> = (1..=def.strings).collect();
            assert_eq!(
                m.insertions(),
                all,
                "event {} in {}: {}",
                def.id,
                m.language,
                m.text
            );
        }
    }
    assert!(
        msgs.iter().all(|m| ids.contains(&m.id)),
        "a message the catalogue does not have"
    );
}

#[test]
fn insertions_are_read_from_the_text() {
    let m = McMessage {
        id: 1,
        symbol: "S".into(),
        language: "English".into(),
        text: "%1 and %10, 100%% sure, %2.\n".into(),
    };
    assert_eq!(m.insertions().into_iter().collect::<Vec<_>>(), [1, 2, 10]);
}

#[test]
fn every_finished_outcome_and_every_finding_kind_has_an_event() {
    for o in Outcome::ALL {
        let has = OUTCOME_EVENTS.iter().any(|(k, _)| *k == o);
        assert_eq!(has, o != Outcome::InProgress, "{o:?}");
    }
    let kinds: HashSet<&str> = FINDING_EVENTS.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(kinds.len(), FINDING_EVENTS.len());
    for (_, def) in OUTCOME_EVENTS {
        assert!((1000..1100).contains(&def.id));
    }
    for (_, def) in FINDING_EVENTS {
        assert!((1100..1200).contains(&def.id));
    }
}

#[test]
fn levels_are_the_report_event_types() {
    assert_eq!(EventLevel::Information.event_type(), 4);
    assert_eq!(EventLevel::Warning.event_type(), 2);
    assert_eq!(EventLevel::Error.event_type(), 1);
    assert_eq!(EventLevel::of_severity(Severity::Error), EventLevel::Error);
    assert_eq!(
        EventLevel::of_severity(Severity::Warning),
        EventLevel::Warning
    );
    assert_eq!(
        EventLevel::of_severity(Severity::Info),
        EventLevel::Information
    );
}

fn live(name: &str) -> (ProcessTrace, Verdict, StreamState) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/live")
        .join(name);
    let stream = read_streams(&path).unwrap().remove(0);
    let trace = ProcessTrace::from_records(&stream.records);
    let state = if stream.closed {
        StreamState::Closed
    } else {
        StreamState::Cut
    };
    let verdict = analyze(&trace, state, &AnalysisOptions::default());
    (trace, verdict, state)
}

#[test]
fn an_opted_out_store_gives_a_normal_event_naming_it() {
    let (trace, verdict, _) = live("third-party-store-opts-out.jsonl");
    let events = events_for(&trace, &verdict, Some(77), &AnalysisOptions::default());
    let e = &events[0];
    assert_eq!((e.id, e.level), (1001, EventLevel::Information));
    assert_eq!(e.strings.len(), OUTCOME_STRINGS.len());
    assert_eq!(e.strings[0], "OUTLOOK.EXE");
    assert_eq!(e.strings[1], "77", "the OS-reported pid wins");
    assert_eq!(e.strings[2], "16.0");
    assert_eq!(e.strings[4], "normal");
    assert_eq!(e.strings[5], verdict.reason);
    assert!(
        e.strings[6] == "Contoso Archive Vault (cavault32.dll, message-store)"
            && e.strings[6] != "none",
        "{}",
        e.strings[6]
    );
    assert_eq!(e.strings[7], "none");
    assert_eq!(e.strings[9], "simulated");
}

#[test]
fn an_ignored_query_error_gives_the_outcome_then_each_severe_finding() {
    let (trace, verdict, _) = live("client-ignores-query-error.jsonl");
    let events = events_for(&trace, &verdict, None, &AnalysisOptions::default());
    assert_eq!(events[0].id, 1002);
    assert_eq!(events[0].level, EventLevel::Error);
    assert_eq!(
        events[0].strings[1],
        trace.hello.as_ref().unwrap().pid.to_string()
    );
    let severe: Vec<&Finding> = verdict
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .collect();
    assert!(!severe.is_empty());
    assert_eq!(events.len(), 1 + severe.len());
    for (e, f) in events[1..].iter().zip(severe) {
        let def = FINDING_EVENTS.iter().find(|(k, _)| *k == f.kind).unwrap().1;
        assert_eq!(e.id, def.id);
        assert_eq!(e.level, EventLevel::of_severity(f.severity));
        assert_eq!(e.strings.len(), FINDING_STRINGS.len());
        assert_eq!(e.strings[4], f.kind.as_str());
        assert_eq!(e.strings[6], f.message);
    }
}

#[test]
fn a_cut_stream_is_incomplete_and_an_open_one_gives_nothing() {
    let (trace, verdict, _) = live("stream-cut-after-query.jsonl");
    let events = events_for(&trace, &verdict, None, &AnalysisOptions::default());
    assert_eq!(events[0].id, 1003);
    assert_eq!(events[0].level, EventLevel::Warning);
    let open = analyze(&trace, StreamState::Open, &AnalysisOptions::default());
    if open.outcome == Outcome::InProgress {
        assert!(events_for(&trace, &open, None, &AnalysisOptions::default()).is_empty());
    }
}

#[test]
fn a_slow_provider_is_listed_with_its_longest_step() {
    let (trace, verdict, _) = live("outlook-2016-exchange-pst-oab.jsonl");
    let none = events_for(&trace, &verdict, None, &AnalysisOptions::default());
    assert_eq!(none[0].id, 1000);
    assert_eq!(none[0].strings[7], "none");
    // With a threshold of 0 every provider that took any time is slow.
    let strict = AnalysisOptions {
        slow_provider_ns: 0,
    };
    let events = events_for(&trace, &verdict, None, &strict);
    assert!(
        events[0].strings[7].contains(" ms"),
        "{}",
        events[0].strings[7]
    );
    assert_eq!(
        events[0].strings[7].matches(" ms").count(),
        verdict
            .providers
            .iter()
            .filter(|t| t.query_ns.max(t.notify_ns).max(t.do_ns) > 0)
            .count()
    );
}

#[test]
fn the_memory_sink_keeps_events_in_order_and_off_windows_there_is_no_system_sink() {
    let mut sink = MemorySink::default();
    let e = ShutdownEvent {
        id: 1000,
        level: EventLevel::Information,
        strings: vec!["a".into()],
    };
    sink.write(&e).unwrap();
    sink.write(&e).unwrap();
    assert_eq!(sink.events.len(), 2);
    #[cfg(not(windows))]
    assert!(matches!(system_sink(), Err(EventLogError::Unsupported)));
}

/// A sink that refuses every other event.
struct Flaky(u32);

impl EventSink for Flaky {
    fn write(&mut self, event: &ShutdownEvent) -> Result<(), EventLogError> {
        self.0 += 1;
        if self.0.is_multiple_of(2) {
            Err(EventLogError::Write {
                id: event.id,
                message: "log full".into(),
            })
        } else {
            Ok(())
        }
    }
}

#[test]
fn the_writer_tries_every_event_and_counts_what_went_out() {
    let (trace, verdict, _) = live("client-ignores-query-error.jsonl");
    let n = events_for(&trace, &verdict, None, &AnalysisOptions::default()).len() as u64;
    assert!(n >= 2);
    let mut w = EventWriter::new(Box::new(Flaky(0)), AnalysisOptions::default());
    let err = w.session(&trace, &verdict, None).unwrap_err();
    assert!(err.to_string().contains("log full"), "{err}");
    assert_eq!(w.written + w.failed, n);
    assert_eq!(w.failed, n / 2);
    let mut ok = EventWriter::new(Box::new(MemorySink::default()), AnalysisOptions::default());
    ok.session(&trace, &verdict, None).unwrap();
    assert_eq!((ok.written, ok.failed), (n, 0));
}
