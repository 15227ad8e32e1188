//! The Chrome trace reader (`report::chrome::read` and
//! `ChromeTrace::calls`). Never panics. A trace it accepts is ours
//! (`otherData.generator`), writes back to JSON that reads to the same
//! trace, and every session of `otherData.sessions` either gives its
//! calls (sorted by start, none ending before it starts, each from an `X`
//! event of that session) or an error naming what is wrong.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mapi_shutdown::report::chrome;

fuzz_target!(|data: &[u8]| {
    let Ok(trace) = chrome::read(data) else {
        return;
    };
    assert_eq!(trace.other_data.generator, chrome::GENERATOR);
    let json = serde_json::to_vec(&trace).expect("a trace read from JSON writes back");
    let back = chrome::read(&json).expect("a trace written back reads again");
    assert_eq!(back, trace);
    let x_events = trace.trace_events.iter().filter(|e| e.ph == "X").count();
    for s in &trace.other_data.sessions {
        match trace.calls(s.session) {
            Ok(calls) => {
                assert!(calls.len() <= x_events);
                for w in calls.windows(2) {
                    assert!((w[0].start_ns, w[0].id) <= (w[1].start_ns, w[1].id));
                }
                for c in &calls {
                    if let Some(end) = c.end_ns {
                        assert!(end >= c.start_ns, "{c:?}");
                    }
                }
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
});
