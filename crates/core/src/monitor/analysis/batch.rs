//! The records of one read of a stream, assembled by a monitor reader
//! thread into what a [`ProcessTrace`] keeps ([`TraceBatch`]), so that the
//! store thread, the one serial part of the monitor, only appends them
//! ([`ProcessTrace::append_batch`]).
//!
//! A reader builds each `enter` into its [`Call`] and matches an `exit`
//! to its call when that call started earlier in the same batch (almost
//! every exit: a provider call returns microseconds after it starts).
//! Everything else (an exit whose call started in an earlier batch, a
//! second exit, an exit of an unknown call, the declarations) is kept as a
//! step for the store thread, in stream order. Applying a batch gives
//! exactly the trace that pushing its records one by one gives: same
//! calls, same anomalies, same call index (a property test below pins
//! it).

use super::{Call, ProcessTrace, push_call_records};
use crate::monitor::footprint::{CALL_BYTES, record_heap_bytes, record_slot_bytes};
use crate::trace::codec::CompactRecord;
use crate::trace::{CallEnter, CallExit, Record};

/// One step of a batch, applied in order.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    /// Append the next `n` calls of the batch; their ids are consecutive.
    Calls(usize),
    /// An exit the reader could not match to a call of this batch.
    Exit(CallExit),
    /// A record other than a call's.
    Other(Box<Record>),
}

/// The records of one read, assembled for [`ProcessTrace::append_batch`].
/// Built with [`TraceBatch::push`] in stream order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TraceBatch {
    /// The batch's calls in start order, exits already applied to those
    /// that returned within the batch.
    calls: Vec<Call>,
    steps: Vec<Step>,
    /// Calls at the end of `calls` not yet covered by a `Step::Calls`
    /// (the current run of consecutive ids).
    pending: usize,
    /// Records pushed.
    records: usize,
    /// Bytes of the records' JSON lines (newlines included).
    line_bytes: usize,
    /// Latest timestamp of the batch, ns.
    last_ns: u64,
}

impl TraceBatch {
    /// An empty batch with room for about `records` records.
    pub fn with_capacity(records: usize) -> Self {
        TraceBatch {
            // About one call per two records (an enter and its exit).
            calls: Vec::with_capacity(records / 2 + 1),
            ..TraceBatch::default()
        }
    }

    /// Records pushed.
    pub fn records(&self) -> usize {
        self.records
    }

    /// True when nothing was pushed.
    pub fn is_empty(&self) -> bool {
        self.records == 0
    }

    /// Bytes of the pushed records' JSON lines, newlines included.
    pub fn line_bytes(&self) -> usize {
        self.line_bytes
    }

    /// Add the next record of the stream; `line_bytes` is the length of
    /// its JSON line (newline included), for the store's accounting.
    pub fn push(&mut self, record: CompactRecord, line_bytes: usize) {
        self.records += 1;
        self.line_bytes += line_bytes;
        match record {
            CompactRecord::Enter(e) => self.push_enter(e),
            CompactRecord::Exit(x) => self.push_exit(x),
            CompactRecord::Other(r) => {
                self.last_ns = self.last_ns.max(r.t_ns());
                self.flush_run();
                self.steps.push(Step::Other(r));
            }
        }
    }

    fn push_enter(&mut self, e: CallEnter) {
        self.last_ns = self.last_ns.max(e.t_ns);
        let follows = self.pending > 0
            && self
                .calls
                .last()
                .and_then(|c| c.id.checked_add(1))
                .is_some_and(|next| next == e.call);
        if !follows {
            self.flush_run();
        }
        self.calls.push(Call::new(&e));
        self.pending += 1;
    }

    fn push_exit(&mut self, x: CallExit) {
        self.last_ns = self.last_ns.max(x.t_ns);
        // The current run holds consecutive ids and is the latest start of
        // each of them, so the exit's call is found by arithmetic; an
        // earlier run or batch is left to the store, which sees the same
        // state a record-by-record push would.
        if self.pending > 0 {
            let first = self.calls.len() - self.pending;
            let first_id = self.calls[first].id;
            if let Some(offset) = x.call.checked_sub(first_id)
                && let Ok(offset) = usize::try_from(offset)
                && offset < self.pending
            {
                let call = &mut self.calls[first + offset];
                if !call.returned() {
                    call.set_returned(x.t_ns, x.hresult);
                    return;
                }
            }
        }
        self.flush_run();
        self.steps.push(Step::Exit(x));
    }

    /// Empty the batch, keeping its buffers.
    pub fn clear(&mut self) {
        self.calls.clear();
        self.steps.clear();
        self.pending = 0;
        self.records = 0;
        self.line_bytes = 0;
        self.last_ns = 0;
    }

    /// Close the current run of consecutive calls.
    fn flush_run(&mut self) {
        if self.pending > 0 {
            self.steps.push(Step::Calls(self.pending));
            self.pending = 0;
        }
    }

    /// The batch's records again, in time order (an enter before its own
    /// exit at the same ns), for a recording that started after the batch
    /// was read (its lines were not kept).
    pub fn to_records(&self) -> Vec<Record> {
        let mut timed: Vec<(u64, Record)> = Vec::with_capacity(self.records);
        push_call_records(&self.calls, &mut timed);
        for step in &self.steps {
            match step {
                Step::Calls(_) => {}
                Step::Exit(x) => timed.push((x.t_ns, Record::Exit(x.clone()))),
                Step::Other(r) => timed.push((r.t_ns(), (**r).clone())),
            }
        }
        timed.sort_by_key(|(t, _)| *t);
        timed.into_iter().map(|(_, r)| r).collect()
    }

    /// Heap bytes the batch's records will take once stored, estimated
    /// before they are: a call's slot ([`CALL_BYTES`]), a declaration's
    /// slot and strings ([`record_slot_bytes`] +
    /// [`record_heap_bytes`]), nothing for an exit (almost always the
    /// return of a call already counted). The store recounts what the
    /// trace really holds after appending (vector growth, anomalies).
    pub fn retained_estimate(&self) -> usize {
        self.calls.len() * CALL_BYTES + self.steps.iter().map(step_bytes).sum::<usize>()
    }

    /// Whether the batch holds a record other than a call's (a `hello`, a
    /// policy, a declaration, a drop count, the client's exit).
    pub fn has_declarations(&self) -> bool {
        self.steps.iter().any(|s| matches!(s, Step::Other(_)))
    }

    /// Keep only what fits in `records` records and `bytes` bytes of
    /// [`retained_estimate`](Self::retained_estimate), in stream order (a
    /// call with the exit it got in the batch counts as two records);
    /// returns the records cut.
    pub(crate) fn truncate_to(&mut self, records: usize, bytes: usize) -> usize {
        let total = self.records;
        if total <= records && self.retained_estimate() <= bytes {
            return 0;
        }
        self.flush_run();
        let mut kept = 0usize;
        let mut kept_bytes = 0usize;
        let mut calls_kept = 0usize;
        let mut steps = Vec::new();
        for step in std::mem::take(&mut self.steps) {
            match step {
                Step::Calls(n) => {
                    let mut taken = 0;
                    for c in &self.calls[calls_kept..calls_kept + n] {
                        let cost = 1 + usize::from(c.returned());
                        if kept + cost > records || kept_bytes + CALL_BYTES > bytes {
                            break;
                        }
                        kept += cost;
                        kept_bytes += CALL_BYTES;
                        taken += 1;
                    }
                    if taken > 0 {
                        steps.push(Step::Calls(taken));
                        calls_kept += taken;
                    }
                    if taken < n {
                        break;
                    }
                }
                other => {
                    let cost = step_bytes(&other);
                    if kept + 1 > records || kept_bytes + cost > bytes {
                        break;
                    }
                    kept += 1;
                    kept_bytes += cost;
                    steps.push(other);
                }
            }
        }
        self.calls.truncate(calls_kept);
        self.steps = steps;
        self.records = kept;
        self.line_bytes = self.line_bytes * kept / total;
        total - kept
    }
}

/// [`TraceBatch::retained_estimate`] of one step other than a run of
/// calls.
fn step_bytes(step: &Step) -> usize {
    match step {
        Step::Calls(_) | Step::Exit(_) => 0,
        Step::Other(r) => record_slot_bytes(r) + record_heap_bytes(r),
    }
}

impl ProcessTrace {
    /// Add a batch assembled by [`TraceBatch::push`]: the same trace as
    /// pushing its records one by one with [`ProcessTrace::push`], for a
    /// fraction of the work (runs of calls are appended whole while the
    /// call ids stay dense). Leaves the batch empty.
    pub fn append_batch(&mut self, batch: &mut TraceBatch) {
        batch.flush_run();
        let last_ns = batch.last_ns;
        self.last_ns = self.last_ns.max(last_ns);
        let mut next = 0;
        for step in batch.steps.drain(..) {
            match step {
                Step::Calls(n) => {
                    self.append_run(&batch.calls[next..next + n]);
                    next += n;
                }
                Step::Exit(x) => self.push_exit(&x),
                Step::Other(r) => self.push(*r),
            }
        }
        batch.clear();
    }

    /// Append a run of calls with consecutive ids.
    fn append_run(&mut self, run: &[Call]) {
        let dense = self.index.is_empty()
            && run
                .first()
                .is_some_and(|c| c.id == self.calls.len() as u64 + 1);
        if dense {
            // Ids go on from the trace's: positions are ids, no index.
            self.calls.extend_from_slice(run);
        } else {
            for call in run {
                self.push_call(*call);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::hresult::HRESULT;
    use crate::trace::{Caller, Dropped, Interface, Method};

    fn enter(call: u64, t_ns: u64) -> CompactRecord {
        CompactRecord::Enter(CallEnter {
            t_ns,
            call,
            parent: None,
            caller: Caller::Subsystem,
            interface: Interface::ProviderShutdown,
            method: Method::DoFastShutdown,
            session: Some(1),
            provider: Some(2),
        })
    }

    fn exit(call: u64, t_ns: u64) -> CompactRecord {
        CompactRecord::Exit(CallExit {
            t_ns,
            call,
            hresult: HRESULT(t_ns as u32),
        })
    }

    /// What the store's position lookups see, beside the public fields.
    fn lookups(t: &ProcessTrace) -> Vec<Option<usize>> {
        (0..40).map(|id| t.position(id)).collect()
    }

    fn record_strategy() -> impl Strategy<Value = CompactRecord> {
        prop_oneof![
            // Mostly dense ids, sometimes repeated, zero or far off.
            6 => (0u64..30, 0u64..1_000).prop_map(|(c, t)| enter(c, t)),
            6 => (0u64..30, 0u64..1_000).prop_map(|(c, t)| exit(c, t)),
            1 => (0u64..1_000, 0u64..5).prop_map(|(t, n)| CompactRecord::from(
                Record::Dropped(Dropped { t_ns: t, count: n })
            )),
            1 => Just(enter(u64::MAX, 1)),
            1 => Just(exit(u64::MAX, 2)),
        ]
    }

    /// Well-formed calls: ids 1, 2, 3, … in time order, nested, each exit
    /// soon after its enter, some never returning.
    fn calls_strategy() -> impl Strategy<Value = Vec<CompactRecord>> {
        prop::collection::vec((0usize..4, any::<bool>()), 0..60).prop_map(|shape| {
            let mut out = Vec::new();
            let mut open: Vec<u64> = Vec::new();
            let mut next = 1u64;
            let mut t = 0u64;
            for (closes, opens) in shape {
                for _ in 0..closes.min(open.len()) {
                    t += 1;
                    out.push(exit(open.pop().unwrap_or(0), t));
                }
                if opens {
                    t += 1;
                    out.push(enter(next, t));
                    open.push(next);
                    next += 1;
                }
            }
            out
        })
    }

    /// [`calls_strategy`] with a few arbitrary records mixed in.
    fn stream_strategy() -> impl Strategy<Value = Vec<CompactRecord>> {
        (
            calls_strategy(),
            prop::collection::vec((0usize..80, record_strategy()), 0..8),
        )
            .prop_map(|(mut out, noise)| {
                for (at, r) in noise {
                    let at = at.min(out.len());
                    out.insert(at, r);
                }
                out
            })
    }

    fn one_by_one(records: &[CompactRecord]) -> ProcessTrace {
        let mut t = ProcessTrace::new();
        for r in records {
            t.push(r.clone().into_record());
        }
        t
    }

    fn batched(records: &[CompactRecord], cuts: &[usize]) -> ProcessTrace {
        let mut t = ProcessTrace::new();
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (records.len() + 1)).collect();
        cuts.push(records.len());
        cuts.sort_unstable();
        let mut from = 0;
        for to in cuts {
            let mut b = TraceBatch::with_capacity(to - from);
            for r in &records[from..to] {
                b.push(r.clone(), 10);
            }
            assert_eq!(b.records(), to - from);
            t.append_batch(&mut b);
            assert!(b.is_empty());
            from = to;
        }
        t
    }

    /// `records` cut at `cuts` and appended batch by batch give the trace
    /// (and the position lookups) of pushing them one by one.
    fn assert_batches_like_single_records(
        records: &[CompactRecord],
        cuts: &[usize],
    ) -> Result<(), TestCaseError> {
        let a = one_by_one(records);
        let b = batched(records, cuts);
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(lookups(&a), lookups(&b));
        Ok(())
    }

    proptest! {
        /// Any stream cut into any batches assembles into the trace that
        /// pushing its records one by one gives.
        #[test]
        fn batches_assemble_like_single_records(
            records in prop::collection::vec(record_strategy(), 0..80),
            cuts in prop::collection::vec(any::<usize>(), 0..6),
        ) {
            assert_batches_like_single_records(&records, &cuts)?;
        }

        #[test]
        fn realistic_streams_assemble_like_single_records(
            records in stream_strategy(),
            cuts in prop::collection::vec(any::<usize>(), 0..6),
        ) {
            assert_batches_like_single_records(&records, &cuts)?;
        }

        /// A batch's records in time order assemble into the same calls.
        #[test]
        fn to_records_round_trips_well_formed_streams(records in calls_strategy()) {
            let a = one_by_one(&records);
            let mut b = TraceBatch::default();
            for r in &records {
                b.push(r.clone(), 1);
            }
            let again = ProcessTrace::from_records(&b.to_records());
            prop_assert_eq!(&a.calls, &again.calls);
        }
    }

    /// A call is 48 bytes (the store's memory per event is mostly calls),
    /// and serializes with its optional fields as before.
    #[test]
    fn calls_are_compact_and_serialize_their_options() {
        assert_eq!(std::mem::size_of::<Call>(), 48);
        let CompactRecord::Enter(e) = enter(7, 100) else {
            unreachable!()
        };
        let mut call = Call::new(&e);
        assert_eq!(
            (
                call.parent(),
                call.session(),
                call.provider(),
                call.end_ns()
            ),
            (None, Some(1), Some(2), None)
        );
        let open = serde_json::to_value(call).unwrap();
        assert_eq!(open["parent"], serde_json::Value::Null);
        assert_eq!(open["end_ns"], serde_json::Value::Null);
        assert_eq!(open["hresult"], serde_json::Value::Null);
        assert_eq!(open["session"], 1);
        call.set_returned(150, HRESULT::MAPI_E_NO_SUPPORT);
        assert_eq!(call.duration_ns(), Some(50));
        assert!(call.failed());
        let returned = serde_json::to_string(&call).unwrap();
        assert!(returned.contains(r#""end_ns":150"#), "{returned}");
        assert_eq!(serde_json::from_str::<Call>(&returned).unwrap(), call);
        assert!(format!("{call:?}").contains("end_ns: Some(150)"));
    }

    #[test]
    fn exits_within_a_batch_are_matched_by_the_reader() {
        let mut b = TraceBatch::default();
        for r in [enter(1, 1), enter(2, 2), exit(2, 3), exit(1, 4)] {
            b.push(r, 10);
        }
        assert_eq!(b.steps, vec![]);
        assert_eq!(b.pending, 2);
        assert!(b.calls.iter().all(|c| c.end_ns().is_some()));
        assert_eq!((b.records(), b.line_bytes()), (4, 40));
        // An exit whose call started in an earlier batch is a step.
        let mut next = TraceBatch::default();
        next.push(exit(7, 9), 10);
        next.push(enter(8, 10), 10);
        assert_eq!(
            next.steps,
            vec![Step::Exit(CallExit {
                t_ns: 9,
                call: 7,
                hresult: HRESULT(9)
            })]
        );
    }

    #[test]
    fn truncate_keeps_a_prefix_and_counts_the_rest() {
        let mut b = TraceBatch::default();
        for r in [
            enter(1, 1),
            exit(1, 2),
            enter(2, 3),
            enter(3, 4),
            exit(3, 5),
        ] {
            b.push(r, 10);
        }
        // Budget 3: call 1 (2 records) and call 2 (1); call 3 does not fit.
        assert_eq!(b.truncate_to(3, usize::MAX), 2);
        assert_eq!(b.records(), 3);
        assert_eq!(b.line_bytes(), 30);
        let mut t = ProcessTrace::new();
        t.append_batch(&mut b);
        assert_eq!(t.calls.len(), 2);
        assert!(t.calls[0].end_ns().is_some() && t.calls[1].end_ns().is_none());
        // The byte cap: what the calls take once stored, not their lines.
        let mut b = TraceBatch::default();
        for r in [enter(1, 1), enter(2, 2), enter(3, 3)] {
            b.push(r, 1_000);
        }
        assert_eq!(b.retained_estimate(), 3 * CALL_BYTES);
        assert_eq!(b.truncate_to(usize::MAX, 3 * CALL_BYTES - 1), 1);
        assert_eq!(b.records(), 2);
        let mut b2 = b.clone();
        assert_eq!(b2.truncate_to(usize::MAX, 2 * CALL_BYTES), 0);
        assert_eq!(b2, b);
    }
}
