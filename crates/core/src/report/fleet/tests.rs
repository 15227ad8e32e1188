use super::*;
use crate::hresult::HRESULT;
use crate::i18n::Lang;
use crate::monitor::analysis::{AnalysisOptions, ProcessTrace, StreamState};
use crate::report::corpus::{SyntheticProvider, SyntheticSession};
use crate::report::model::SessionInput;

const SLOW: u64 = 500_000_000;

fn provider(dll: &str, implements: bool, query: HRESULT, do_ns: Option<u64>) -> SyntheticProvider {
    SyntheticProvider {
        dll: dll.into(),
        name: format!("{dll} provider"),
        kind: ProviderKind::MessageStore,
        implements_shutdown: implements,
        query,
        do_ns,
    }
}

fn session(
    host: Option<&str>,
    office: OfficeVersion,
    policy: FastShutdownBehavior,
    providers: Vec<SyntheticProvider>,
) -> SyntheticSession {
    SyntheticSession {
        host: host.map(str::to_string),
        pid: 42,
        exe: "OUTLOOK.EXE".into(),
        office,
        policy,
        mapi_sessions: 1,
        providers,
        exits_during_do: true,
    }
}

/// The facts of `s` as the report reads it from `file`.
fn facts(id: ConnId, s: &SyntheticSession, file: &str) -> SessionFacts {
    let trace = ProcessTrace::from_records(&s.records());
    let input = SessionInput {
        session: id,
        trace: &trace,
        state: StreamState::Cut,
        peer_pid: None,
        error: None,
        records: 0,
        dropped: 0,
        source: Some(file),
        file: Some(file),
    };
    let report = SessionReport::build(&input, &AnalysisOptions::default());
    SessionFacts::of(&report, Some(file), SLOW)
}

const OK: HRESULT = HRESULT::S_OK;
const NO: HRESULT = HRESULT::MAPI_E_NO_SUPPORT;
const V16: OfficeVersion = OfficeVersion::V16;
const OUT: FastShutdownBehavior = FastShutdownBehavior::OptOut;
const IN: FastShutdownBehavior = FastShutdownBehavior::OptIn;

#[test]
fn percentiles_are_nearest_rank() {
    assert_eq!(percentile(&[], 50), None);
    assert_eq!(percentile(&[7], 50), Some(7));
    assert_eq!(percentile(&[7], 95), Some(7));
    let v: Vec<u64> = (1..=10).collect();
    assert_eq!(percentile(&v, 50), Some(5));
    assert_eq!(percentile(&v, 95), Some(10));
    let v: Vec<u64> = (1..=100).collect();
    assert_eq!(percentile(&v, 50), Some(50));
    assert_eq!(percentile(&v, 95), Some(95));
    assert_eq!(percentile(&[1, 2, 3, 4], 50), Some(2));
}

#[test]
fn a_provider_that_opts_out_costs_the_fast_shutdown() {
    let s = session(
        Some("PC-1"),
        V16,
        OUT,
        vec![
            provider("mspst32.dll", true, OK, Some(1_000_000)),
            provider("AcmeCRM32.DLL", true, NO, Some(1_000_000)),
        ],
    );
    let f = facts(1, &s, "a.jsonl");
    assert_eq!(f.row.outcome, Outcome::Normal);
    assert_eq!(f.row.cost_by, ["acmecrm32.dll"]);
    let crm = f.dlls.iter().find(|d| d.dll == "acmecrm32.dll").unwrap();
    assert!(crm.opted_out && crm.cost && !crm.running_at_kill);
    // Nobody got to DoFastShutdown.
    assert!(f.dlls.iter().all(|d| d.do_ns.is_empty()));
}

#[test]
fn under_opt_in_a_provider_without_the_interface_costs_it_under_opt_out_not() {
    let providers = || {
        vec![
            provider("contab32.dll", false, OK, None),
            provider("mspst32.dll", true, OK, Some(2_000_000)),
        ]
    };
    let f = facts(1, &session(Some("PC-1"), V16, IN, providers()), "a");
    assert_eq!(f.row.outcome, Outcome::Normal);
    assert_eq!(f.row.cost_by, ["contab32.dll"]);
    let f = facts(2, &session(Some("PC-1"), V16, OUT, providers()), "b");
    assert_eq!(f.row.outcome, Outcome::Fast);
    assert!(f.row.cost_by.is_empty());
    let contab = f.dlls.iter().find(|d| d.dll == "contab32.dll").unwrap();
    assert!(contab.no_shutdown_interface && !contab.cost);
}

#[test]
fn killed_in_do_fast_shutdown_is_counted_running_at_the_kill() {
    let s = session(
        Some("PC-9"),
        V16,
        OUT,
        vec![
            provider("mspst32.dll", true, OK, Some(1_000_000)),
            provider("hang32.dll", true, OK, None),
        ],
    );
    let f = facts(1, &s, "k.jsonl");
    assert_eq!(f.row.outcome, Outcome::DataLossRisk);
    let hang = f.dlls.iter().find(|d| d.dll == "hang32.dll").unwrap();
    assert!(hang.running_at_kill && hang.cost && hang.slow);
    // Its time counts until the end of what is known (a lower bound).
    assert_eq!(hang.do_ns.len(), 1);
    assert!(hang.do_ns[0] >= 2_000_000_000);
    // Cut instead of exited: incomplete, still counted.
    let cut = SyntheticSession {
        exits_during_do: false,
        ..s
    };
    let f = facts(2, &cut, "c.jsonl");
    assert_eq!(f.row.outcome, Outcome::Incomplete);
    assert_eq!(f.row.cost_by, ["hang32.dll"]);
}

#[test]
fn summary_counts_machines_sessions_groups_and_percentiles_exactly() {
    let pst = |ms: u64| provider("mspst32.dll", true, OK, Some(ms * 1_000_000));
    let sessions = [
        // PC-1 twice (the host in another case is the same machine).
        (
            session(
                Some("PC-1"),
                V16,
                OUT,
                vec![pst(10), provider("crm.dll", true, NO, Some(1))],
            ),
            "1.jsonl",
        ),
        (session(Some("pc-1"), V16, OUT, vec![pst(20)]), "2.jsonl"),
        (
            session(Some("PC-2"), OfficeVersion::V15, IN, vec![pst(30)]),
            "3.jsonl",
        ),
        (session(Some("PC-3"), V16, OUT, vec![pst(600)]), "4.jsonl"),
        // Two old traces without host: two unknown machines, by file.
        (session(None, V16, OUT, vec![pst(40)]), "old-a.jsonl"),
        (session(None, V16, OUT, vec![pst(50)]), "old-b.jsonl"),
    ];
    let all: Vec<SessionFacts> = sessions
        .iter()
        .enumerate()
        .map(|(i, (s, file))| facts(i as u64 + 1, s, file))
        .collect();
    let f = FleetSummary::of(all, SLOW);
    assert_eq!(f.sessions, 6);
    assert_eq!(f.machines, 5);
    assert_eq!(f.unknown_machines, 2);
    assert_eq!(f.outcomes.fast, 5);
    assert_eq!(f.outcomes.normal, 1);
    assert_eq!(f.outcomes.total(), 6);
    // PC-1 had one fast and one normal session.
    assert_eq!(f.machine_outcomes.fast, 5);
    assert_eq!(f.machine_outcomes.normal, 1);
    assert_eq!(f.slow_threshold_ms, 500.0);
    // Groups by Office version then policy.
    let groups: Vec<(
        Option<OfficeVersion>,
        Option<FastShutdownBehavior>,
        u64,
        u64,
    )> = f
        .groups
        .iter()
        .map(|g| (g.office_version, g.policy, g.machines, g.sessions))
        .collect();
    assert_eq!(
        groups,
        [
            (Some(OfficeVersion::V15), Some(IN), 1, 1),
            (Some(V16), Some(OUT), 4, 5),
        ]
    );
    // The CRM DLL cost one fast shutdown: first. PST: DoFastShutdown
    // times 20, 30, 600, 40, 50 ms (the normal session never got there).
    assert_eq!(f.providers[0].dll, "crm.dll");
    assert_eq!(f.providers[0].stats.cost, 1);
    assert_eq!(f.providers[0].stats.opted_out, 1);
    let pst = &f.providers[1];
    assert_eq!(pst.dll, "mspst32.dll");
    assert_eq!(pst.stats.sessions, 6);
    assert_eq!(pst.stats.machines, 5);
    assert_eq!(pst.stats.do_calls, 5);
    assert_eq!(pst.stats.do_p50_ns, Some(40_000_000));
    assert_eq!(pst.stats.do_p95_ns, Some(600_000_000));
    assert_eq!(pst.stats.do_p50_ms, Some(40.0));
    assert_eq!(pst.stats.slow, 1);
    assert_eq!(pst.stats.cost, 0);
    assert_eq!(pst.groups.len(), 2);
    assert_eq!(pst.groups[0].stats.do_p50_ns, Some(30_000_000));
    // Unknown machines are named by their file, never guessed.
    let old = &f.session_rows[4];
    assert_eq!(old.host, None);
    assert_eq!(
        old.machine().render(Lang::En),
        "unknown machine (file old-a.jsonl)"
    );
}

#[test]
fn providers_sort_by_cost_then_kills_then_name() {
    let mk = |dll: &'static str, cost: bool, kill: bool, sessions: u64| {
        (0..sessions).map(move |i| SessionFacts {
            row: FleetSessionRow {
                session: i,
                host: Some(format!("PC-{i}")),
                source: None,
                pid: None,
                process: None,
                office_version: None,
                policy: None,
                outcome: Outcome::Fast,
                reason: String::new(),
                duration_ms: None,
                cost_by: Vec::new(),
                reason_text: None,
            },
            machine_key: format!("pc-{i}"),
            dlls: vec![DllFacts {
                dll: dll.into(),
                cost: cost && i == 0,
                running_at_kill: kill && i == 0,
                ..DllFacts::default()
            }],
        })
    };
    let f = FleetSummary::of(
        mk("b.dll", false, false, 9)
            .chain(mk("z.dll", true, false, 1))
            .chain(mk("a.dll", true, false, 1))
            .chain(mk("k.dll", true, true, 1))
            .chain(mk("c.dll", false, false, 9)),
        SLOW,
    );
    let order: Vec<&str> = f.providers.iter().map(|p| p.dll.as_str()).collect();
    assert_eq!(order, ["k.dll", "a.dll", "z.dll", "b.dll", "c.dll"]);
}

#[test]
fn detail_auto_summarizes_above_the_threshold() {
    assert!(!Detail::Auto.summarizes(AUTO_SUMMARY_ABOVE));
    assert!(Detail::Auto.summarizes(AUTO_SUMMARY_ABOVE + 1));
    assert!(Detail::Summary.summarizes(1));
    assert!(!Detail::Full.summarizes(100_000));
    assert_eq!("SUMMARY".parse::<Detail>(), Ok(Detail::Summary));
    assert!("most".parse::<Detail>().is_err());
}
