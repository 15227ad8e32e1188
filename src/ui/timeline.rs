//! The timeline widget of the Live panel: one or several processes' shutdown
//! calls drawn as spans on lanes, with a time ruler, zoom, pan, hover and
//! selection. It owns the lane model ([`TimelineData`]), the persisted view
//! geometry ([`TimelineView`]) and the painting ([`show`]).
//!
//! # Model
//! [`TimelineData::from_trace`] builds the lanes of one [`ProcessTrace`],
//! [`TimelineData::stacked`] those of several, each session under a header.
//! Every session's time 0 is its own first `IMAPIClientShutdown` call (else
//! its first call, else the trace start), so stacked sequences line up on
//! "shutdown began" and compare side by side; calls before it (a
//! `MAPILogonEx`) have negative times. Lanes, top to bottom:
//! - **client**: the client's calls (`IMAPIClientShutdown`, `MAPI*`);
//! - **subsystem**: what the subsystem did for each client call: the
//!   stretch from its first to its last provider call (its dispatch), or the
//!   whole call when it called no provider (policy disabled,
//!   `MAPIUninitialize`); the span carries the client call's id and the
//!   answer the subsystem gave, so selecting one selects both;
//! - **one per provider**, declared providers grouped by kind (transport,
//!   address book, message store, the documented call order within a MAPI
//!   session), by provider id (load order) within a kind, then providers
//!   that calls name but no declaration does; labelled with name, kind and
//!   DLL.
//!
//! The lanes, their order and the subsystem lane's spans come from the one
//! lane model, `monitor::lanes`, which the HTML report and the Chrome trace
//! use too (tests/lanes.rs compares the three).
//!
//! A call that has not returned (no `exit` yet) is an **open** span: it
//! extends to the trace's last timestamp and is drawn hatched with a dashed
//! outline. A failed call has a red outline and `✖ HRESULT name` on it when
//! it is wide enough. Spans are identified by a selection key,
//! [`span_key`]: the call id itself for a single trace (session 0), the
//! session index in the top 16 bits when stacked.
//!
//! Each lane keeps its spans sorted by start with a running maximum of their
//! ends, so the spans visible in `[t0, t1]` are found by two binary searches
//! even when spans overlap ([`Lane::visible`]).
//!
//! # Drawing (puffin's habits)
//! Only spans intersecting the visible time range are visited. Spans
//! narrower than [`MIN_SPAN_PX`] are merged into one mark per pixel column
//! (red when any of them failed): the spans starting in that column are
//! found by binary search and taken in blocks of 32 whose longest span is
//! under a pixel too, so wide spans among them are still drawn but the
//! narrow ones are not visited one by one; when every span of a lane is that
//! narrow, the lane is drawn column by column with binary searches only
//! ([`layout_lane`]). Labels are laid out only on spans
//! wide enough to hold them.
//!
//! # Controls
//! [`help`] lists them (also shown by hovering the `?` in the corner): drag,
//! Shift+wheel or a sideways swipe to pan (the plain wheel scrolls the
//! panel); Ctrl+wheel or pinch to zoom around the pointer; double-click, `0` or `Home` to fit everything; `+`/`-` to zoom;
//! `←`/`→` to pan; `F` to toggle follow-live (every frame fits the newest
//! events; any pan or zoom turns it off). Click selects a span, Shift- or
//! Ctrl-click adds or removes it, a click on empty space clears.
//!
//! # Accessibility
//! The widget's node is labelled with a summary ("Timeline: 6 lanes, 13
//! calls, 3.01 ms"); the visible spans wide enough to point at (at most
//! [`MAX_ACCESSIBLE_SPANS`]) are its children, each a list item named
//! "DoFastShutdown, Microsoft Exchange Transport, 0x00000000 (S_OK), start
//! 2.00 ms, 1.0 µs" and clickable like the span itself. Only built when
//! AccessKit is on.
//!
//! # Use
//! ```ignore
//! let data = TimelineData::from_trace(&trace); // rebuild when the trace grows
//! let r = timeline::show(ui, &data, &mut state.timeline_view, &mut state.selected_calls);
//! if r.selection_changed { /* sync the event table */ }
//! ```

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use egui::{
    Align2, Color32, CornerRadius, FontId, Pos2, Rangef, Rect, Response, Sense, Shape, Stroke,
    StrokeKind, Ui, UiBuilder, Vec2, WidgetInfo,
};
use serde::{Deserialize, Serialize};

use crate::hresult::HRESULT;
use crate::i18n::KindText;
use crate::mapi::ProviderKind;
use crate::monitor::analysis::{Call, ProcessTrace};
use crate::monitor::lanes::{self, LaneCall, LaneId};
use crate::trace::{Caller, Interface, Method};
use crate::ui::theme::{self, Tone};

/// Spans narrower than this (points) are merged into per-column marks.
pub const MIN_SPAN_PX: f32 = 1.0;
/// Spans narrower than this get no label.
pub const MIN_LABEL_PX: f32 = 24.0;
/// At most this many visible spans become AccessKit children.
pub const MAX_ACCESSIBLE_SPANS: usize = 200;
/// Spans narrower than this are not AccessKit children.
pub const MIN_ACCESSIBLE_PX: f32 = 3.0;
/// Width of the lane label column, points.
pub const LABEL_WIDTH: f32 = 190.0;
/// Height of the time ruler, points.
pub const RULER_HEIGHT: f32 = 24.0;
/// Height of one lane, points.
pub const LANE_HEIGHT: f32 = 30.0;
/// Height of a session header (stacked sessions only), points.
pub const HEADER_HEIGHT: f32 = 20.0;
/// The narrowest view, ns.
pub const MIN_VIEW_NS: f64 = 10.0;
/// The widest view, ns (about 11 days).
pub const MAX_VIEW_NS: f64 = 1e15;

/// The controls, for the help hover and the docs, in the user's language.
pub fn help() -> String {
    crate::tr!("live-timeline-help")
}

/// A duration in the user's language (`3,20 ms` in French).
fn format_ns(ns: u64) -> String {
    crate::i18n::text::format_ns(ns, crate::i18n::current())
}

const SESSION_SHIFT: u32 = 48;
/// Spans per block of [`Lane`]'s longest-span summary (skipping sub-pixel runs).
const BLOCK: usize = 32;
const CALL_MASK: u64 = (1 << SESSION_SHIFT) - 1;

/// The selection key of call `call` of stacked session `session` (the call
/// id itself for session 0, i.e. for [`TimelineData::from_trace`]).
pub fn span_key(session: usize, call: u64) -> u64 {
    ((session as u64) << SESSION_SHIFT) | (call & CALL_MASK)
}

/// `(session, call id)` of a selection key.
pub fn split_key(key: u64) -> (usize, u64) {
    ((key >> SESSION_SHIFT) as usize, key & CALL_MASK)
}

/// One call on a lane. Times are ns relative to the session's origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// Start, ns.
    pub start_ns: i64,
    /// End, ns (the trace's last timestamp for an open span).
    pub end_ns: i64,
    /// Selection key ([`span_key`]).
    pub key: u64,
    /// The method.
    pub method: Method,
    /// What it returned; `None` while open.
    pub hresult: Option<HRESULT>,
    /// No exit yet.
    pub open: bool,
    /// Who called.
    pub caller: Caller,
    /// The interface.
    pub interface: Interface,
}

impl Span {
    /// The call id (without the session bits).
    pub fn call(&self) -> u64 {
        split_key(self.key).1
    }

    /// True when it returned a failure code.
    pub fn failed(&self) -> bool {
        self.hresult.is_some_and(HRESULT::is_failure)
    }

    /// `end - start`, ns.
    pub fn duration_ns(&self) -> u64 {
        self.end_ns.saturating_sub(self.start_ns).max(0) as u64
    }
}

/// What a lane shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LaneKind {
    /// The client's calls.
    Client,
    /// The subsystem's handling of each client call.
    Subsystem,
    /// One provider's calls.
    Provider {
        /// Provider id in its trace.
        provider: u32,
        /// Its kind (`None`: called but never declared).
        kind: Option<ProviderKind>,
        /// Display name.
        name: String,
        /// DLL.
        dll: String,
        /// Whether it implements `IMAPIProviderShutdown`.
        implements_shutdown: bool,
    },
}

/// One row of spans.
#[derive(Clone, Debug)]
pub struct Lane {
    /// What it shows.
    pub kind: LaneKind,
    /// First line of its label.
    pub title: String,
    /// Second line of its label (kind, DLL, …).
    pub detail: String,
    /// Index of its session in [`TimelineData::sessions`].
    pub session: usize,
    spans: Vec<Span>,
    /// `max_end[i]` = the largest end among `spans[..=i]` (monotone).
    max_end: Vec<i64>,
    /// `failures[i]` = failed spans among `spans[..i]` (len + 1 entries).
    failures: Vec<u32>,
    /// The longest span, ns.
    max_len: i64,
    /// The longest span of each block of [`BLOCK`] spans, ns.
    block_max: Vec<i64>,
}

impl Lane {
    fn new(kind: LaneKind, title: String, detail: String, session: usize) -> Self {
        Lane {
            kind,
            title,
            detail,
            session,
            spans: Vec::new(),
            max_end: Vec::new(),
            failures: Vec::new(),
            max_len: 0,
            block_max: Vec::new(),
        }
    }

    /// Sort by start and build the search helpers.
    fn finish(&mut self) {
        if !self.spans.is_sorted_by_key(|s| s.start_ns) {
            self.spans.sort_by_key(|s| s.start_ns);
        }
        self.spans.shrink_to_fit();
        self.max_end = Vec::with_capacity(self.spans.len());
        self.failures = Vec::with_capacity(self.spans.len() + 1);
        let mut max_end = i64::MIN;
        let mut failed = 0u32;
        self.failures.push(0);
        for s in &self.spans {
            max_end = max_end.max(s.end_ns);
            self.max_end.push(max_end);
            failed += u32::from(s.failed());
            self.failures.push(failed);
            self.max_len = self.max_len.max(s.end_ns - s.start_ns);
        }
        self.block_max = self
            .spans
            .chunks(BLOCK)
            .map(|c| c.iter().map(|s| s.end_ns - s.start_ns).max().unwrap_or(0))
            .collect();
    }

    /// Every span, sorted by start.
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// The indices of the spans that may intersect `[t0, t1]`: every span
    /// intersecting it is inside; a span inside may still end before `t0`
    /// (an earlier, longer span kept the running maximum up), so callers
    /// check `end_ns >= t0` (as [`Lane::visible`] does). Two binary searches.
    pub fn candidates(&self, t0: i64, t1: i64) -> Range<usize> {
        let lo = self.max_end.partition_point(|&e| e < t0);
        let hi = self.spans.partition_point(|s| s.start_ns <= t1);
        lo..hi.max(lo)
    }

    /// The spans intersecting `[t0, t1]`, in start order.
    pub fn visible(&self, t0: i64, t1: i64) -> impl Iterator<Item = (usize, &Span)> {
        let r = self.candidates(t0, t1);
        self.spans[r.clone()]
            .iter()
            .enumerate()
            .map(move |(i, s)| (r.start + i, s))
            .filter(move |(_, s)| s.end_ns >= t0)
    }

    /// The first index at or after `from` whose span starts at or after
    /// `t`: an exponential search from `from`, then a binary search in the
    /// bracket, so successive columns touch memory near each other.
    fn first_start_at(&self, from: usize, t: i64) -> usize {
        let spans = &self.spans;
        let n = spans.len();
        if from >= n || spans[from].start_ns >= t {
            return from.min(n);
        }
        let mut step = 1;
        let mut lo = from; // spans[lo].start < t
        let mut hi = from + 1;
        while hi < n && spans[hi].start_ns < t {
            lo = hi;
            step *= 2;
            hi = (from + step).min(n);
        }
        lo + 1 + spans[lo + 1..hi].partition_point(|s| s.start_ns < t)
    }

    /// The longest span, ns.
    pub fn max_span_ns(&self) -> i64 {
        self.max_len
    }
}

/// One session (process trace) of the timeline.
#[derive(Clone, Debug)]
pub struct SessionInfo {
    /// Its header (stacked) or the process name.
    pub title: String,
    /// Its lanes, indices into [`TimelineData::lanes`].
    pub lanes: Range<usize>,
    /// The trace timestamp (ns) that is time 0 on the timeline.
    pub origin_ns: u64,
    /// Calls drawn.
    pub calls: usize,
}

/// The lanes and spans of one or several traces, ready to draw. Build it
/// again when the trace changes (about 60 ms per million calls).
#[derive(Clone, Debug, Default)]
pub struct TimelineData {
    /// Sessions in the order given.
    pub sessions: Vec<SessionInfo>,
    /// Every lane, session by session.
    pub lanes: Vec<Lane>,
    /// `(key, lane, index)` sorted by key: where each call is drawn.
    index: Vec<(u64, u32, u32)>,
    start_ns: i64,
    end_ns: i64,
    calls: usize,
}

impl TimelineData {
    /// The lanes of one trace (session 0: keys are call ids).
    pub fn from_trace(trace: &ProcessTrace) -> Self {
        let title = trace
            .hello
            .as_ref()
            .map(|h| format!("{} (pid {})", h.exe, h.pid))
            .unwrap_or_else(|| crate::tr!("live-timeline-process"));
        Self::stacked(&[(title, trace)])
    }

    /// The lanes of several traces, one session each under a header, each
    /// with its own time origin (see the module docs).
    pub fn stacked(traces: &[(String, &ProcessTrace)]) -> Self {
        let mut data = TimelineData::default();
        let mut first = true;
        for (i, (title, trace)) in traces.iter().enumerate() {
            let lanes_start = data.lanes.len();
            let (origin, calls) = build_session(&mut data.lanes, i, trace);
            for lane in &data.lanes[lanes_start..] {
                if let (Some(a), Some(b)) = (lane.spans.first(), lane.max_end.last()) {
                    if first {
                        data.start_ns = a.start_ns;
                        data.end_ns = *b;
                        first = false;
                    } else {
                        data.start_ns = data.start_ns.min(a.start_ns);
                        data.end_ns = data.end_ns.max(*b);
                    }
                }
            }
            data.calls += calls;
            data.sessions.push(SessionInfo {
                title: title.clone(),
                lanes: lanes_start..data.lanes.len(),
                origin_ns: origin,
                calls,
            });
        }
        let mut index = Vec::with_capacity(data.lanes.iter().map(|l| l.spans.len()).sum());
        for (li, lane) in data.lanes.iter().enumerate() {
            for (si, s) in lane.spans.iter().enumerate() {
                index.push((s.key, li as u32, si as u32));
            }
        }
        index.sort_unstable();
        data.index = index;
        data
    }

    /// Earliest start and latest end of all spans, ns (`(0, 0)` when empty).
    pub fn time_range(&self) -> (i64, i64) {
        (self.start_ns, self.end_ns)
    }

    /// Calls drawn (a client call counts once, though the subsystem lane
    /// shows it too).
    pub fn call_count(&self) -> usize {
        self.calls
    }

    /// True when there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Where the call with selection key `key` is drawn: `(lane, span)`
    /// pairs (a client call is on the client and subsystem lanes).
    pub fn find(&self, key: u64) -> impl Iterator<Item = (usize, &Span)> {
        let lo = self.index.partition_point(|e| e.0 < key);
        self.index[lo..]
            .iter()
            .take_while(move |e| e.0 == key)
            .map(|&(_, l, s)| (l as usize, &self.lanes[l as usize].spans[s as usize]))
    }

    /// The accessible summary: `Timeline: 6 lanes, 13 calls, 3.01 ms`.
    pub fn summary(&self) -> String {
        let duration = format_ns((self.end_ns - self.start_ns).max(0) as u64);
        if self.sessions.len() > 1 {
            crate::tr!(
                "live-timeline-summary-stacked",
                sessions = crate::tr!("common-sessions", count = self.sessions.len()),
                lanes = self.lanes.len(),
                calls = self.calls,
                duration = duration
            )
        } else {
            crate::tr!(
                "live-timeline-summary",
                lanes = self.lanes.len(),
                calls = self.calls,
                duration = duration
            )
        }
    }
}

/// Append the lanes of one trace; returns `(origin, calls)`.
fn build_session(lanes: &mut Vec<Lane>, session: usize, trace: &ProcessTrace) -> (u64, usize) {
    let origin = trace
        .calls
        .iter()
        .find(|c| c.is_client_shutdown())
        .or(trace.calls.first())
        .map_or(0, |c| c.start_ns);
    let rel = |t: u64| -> i64 {
        if t >= origin {
            (t - origin).min(i64::MAX as u64) as i64
        } else {
            -((origin - t).min(i64::MAX as u64) as i64)
        }
    };
    let span_of = |c: &Call| Span {
        start_ns: rel(c.start_ns),
        end_ns: rel(c.start_ns + trace.duration_of(c).ns),
        key: span_key(session, c.id),
        method: c.method,
        hresult: c.hresult(),
        open: c.end_ns().is_none(),
        caller: c.caller,
        interface: c.interface,
    };

    let exe = trace.hello.as_ref();
    let client = Lane::new(
        LaneKind::Client,
        crate::tr!("live-timeline-client"),
        exe.map_or_else(
            || "IMAPIClientShutdown, MAPI".to_string(),
            |h| format!("{} (pid {})", h.exe, h.pid),
        ),
        session,
    );
    let subsystem = Lane::new(
        LaneKind::Subsystem,
        crate::tr!("live-timeline-subsystem"),
        exe.map_or_else(
            || crate::tr!("live-timeline-mapi-subsystem"),
            |h| h.subsystem.clone(),
        ),
        session,
    );

    // The lanes and their order: the one lane model of monitor::lanes.
    let lane_call = |c: &Call| LaneCall {
        caller: c.caller,
        interface: c.interface,
        provider: c.provider(),
    };
    let order = lanes::plan(
        trace.providers.iter().map(|p| (p.provider, p.kind)),
        trace.calls.iter().map(lane_call),
    );
    let mut client = Some(client);
    let mut subsystem = Some(subsystem);
    let mut built: Vec<Lane> = order
        .iter()
        .map(|id| match id {
            LaneId::Client => client.take(),
            LaneId::Subsystem => subsystem.take(),
            LaneId::Provider(p) => Some(provider_lane_for(trace, *p, session)),
        })
        .map(|l| l.expect("plan() names the client and subsystem lanes once"))
        .collect();
    let position: HashMap<LaneId, usize> =
        order.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    // Per client call: (first child start, last child end, any child open).
    let mut dispatch: HashMap<u64, (u64, u64, bool)> = HashMap::new();
    let mut calls = 0usize;
    for c in &trace.calls {
        calls += 1;
        let lane = lane_call(c).lane();
        if let Some(&li) = position.get(&lane) {
            built[li].spans.push(span_of(c));
        }
        if let (LaneId::Provider(_), Some(parent)) = (lane, c.parent()) {
            let end = c.start_ns + trace.duration_of(c).ns;
            let child = (c.start_ns, end, c.end_ns().is_none());
            lanes::widen(dispatch.entry(parent).or_insert(child), child);
        }
    }
    if let Some(&li) = position.get(&LaneId::Subsystem) {
        for c in trace
            .calls
            .iter()
            .filter(|c| lane_call(c).mirrored_on_subsystem())
        {
            let mut s = span_of(c);
            if let Some(&(a, b, open)) = dispatch.get(&c.id) {
                s.start_ns = rel(a);
                s.end_ns = rel(b.max(a));
                s.open = open;
            }
            built[li].spans.push(s);
        }
    }
    for mut lane in built {
        lane.finish();
        lanes.push(lane);
    }
    (origin, calls)
}

fn provider_lane_for(trace: &ProcessTrace, id: u32, session: usize) -> Lane {
    match trace.provider(id) {
        Some(p) => Lane::new(
            LaneKind::Provider {
                provider: id,
                kind: Some(p.kind),
                name: p.name.clone(),
                dll: p.dll.clone(),
                implements_shutdown: p.implements_shutdown,
            },
            p.name.clone(),
            if p.implements_shutdown {
                format!("{} · {}", p.kind.localized(), p.dll)
            } else {
                format!(
                    "{} · {} · {}",
                    p.kind.localized(),
                    p.dll,
                    crate::tr!("live-no-provider-shutdown")
                )
            },
            session,
        ),
        None => Lane::new(
            LaneKind::Provider {
                provider: id,
                kind: None,
                name: crate::tr!("live-timeline-provider-number", id = id.to_string()),
                dll: String::new(),
                implements_shutdown: true,
            },
            crate::tr!("live-timeline-provider-number", id = id.to_string()),
            crate::tr!("live-timeline-not-declared"),
            session,
        ),
    }
}

/// The visible time range and follow-live flag: plain geometry, persisted
/// by the panel (`#[serde(default)]`). Pixel arguments are screen x
/// coordinates and `plot` is the x range of the drawing area.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TimelineView {
    /// Left edge, ns.
    pub start_ns: f64,
    /// Right edge, ns.
    pub end_ns: f64,
    /// Fit the whole data every frame, so the newest events stay in view;
    /// turned off by any pan or zoom, on again with `F`.
    pub follow_live: bool,
}

impl Default for TimelineView {
    fn default() -> Self {
        TimelineView {
            start_ns: 0.0,
            end_ns: 1e6,
            follow_live: true,
        }
    }
}

impl TimelineView {
    /// Visible duration, ns.
    pub fn duration_ns(&self) -> f64 {
        self.end_ns - self.start_ns
    }

    /// Show `range` (ns) with a 2 % margin each side; an empty range gets
    /// 1 µs around it.
    pub fn fit(&mut self, range: (i64, i64)) {
        let (a, b) = (range.0 as f64, range.1.max(range.0) as f64);
        let len = b - a;
        if len <= 0.0 {
            self.start_ns = a - 500.0;
            self.end_ns = a + 500.0;
        } else {
            let margin = len * 0.02;
            self.start_ns = a - margin;
            self.end_ns = b + margin;
        }
        self.clamp();
    }

    /// The x of time `t_ns`.
    pub fn time_to_x(&self, t_ns: f64, plot: Rangef) -> f32 {
        let f = (t_ns - self.start_ns) / self.duration_ns();
        plot.min + (f * plot.span() as f64) as f32
    }

    /// The time at x.
    pub fn x_to_time(&self, x: f32, plot: Rangef) -> f64 {
        let f = (x - plot.min) as f64 / plot.span().max(1.0) as f64;
        self.start_ns + f * self.duration_ns()
    }

    /// ns per point.
    pub fn ns_per_px(&self, plot: Rangef) -> f64 {
        self.duration_ns() / plot.span().max(1.0) as f64
    }

    /// Zoom by `factor` (> 1 zooms in) keeping the time under `x` at `x`.
    pub fn zoom_around(&mut self, x: f32, factor: f32, plot: Rangef) {
        if !(factor.is_finite() && factor > 0.0) {
            return;
        }
        let t = self.x_to_time(x, plot);
        let new = (self.duration_ns() / factor as f64).clamp(MIN_VIEW_NS, MAX_VIEW_NS);
        let f = (x - plot.min) as f64 / plot.span().max(1.0) as f64;
        self.start_ns = t - f * new;
        self.end_ns = self.start_ns + new;
    }

    /// Move the content `dx` points right (as a drag does: earlier times
    /// come into view for `dx > 0`).
    pub fn pan_px(&mut self, dx: f32, plot: Rangef) {
        let dt = dx as f64 * self.ns_per_px(plot);
        self.start_ns -= dt;
        self.end_ns -= dt;
    }

    fn clamp(&mut self) {
        let d = self.duration_ns();
        if !d.is_finite() || d < MIN_VIEW_NS || !self.start_ns.is_finite() {
            let mid = if self.start_ns.is_finite() && self.end_ns.is_finite() {
                (self.start_ns + self.end_ns) / 2.0
            } else {
                0.0
            };
            self.start_ns = mid - MIN_VIEW_NS / 2.0;
            self.end_ns = mid + MIN_VIEW_NS / 2.0;
        } else if d > MAX_VIEW_NS {
            self.end_ns = self.start_ns + MAX_VIEW_NS;
        }
    }

    /// The visible range as whole ns, widened by a pixel each side.
    fn visible_ns(&self, plot: Rangef) -> (i64, i64) {
        let px = self.ns_per_px(plot);
        (
            (self.start_ns - px).floor() as i64,
            (self.end_ns + px).ceil() as i64,
        )
    }
}

/// What one lane shows this frame (the culling decisions, pure).
#[derive(Clone, Debug, PartialEq)]
pub enum LaneMark {
    /// A span wide enough to draw on its own.
    Span {
        /// Index in [`Lane::spans`].
        index: usize,
        /// Left x, clamped to the plot (minus a margin).
        x0: f32,
        /// Right x, clamped likewise.
        x1: f32,
        /// Whether it is wide enough for a label.
        label: bool,
    },
    /// Consecutive pixel columns `[x0, x1)` holding spans under a pixel.
    Merged {
        /// Left x.
        x0: f32,
        /// Right x.
        x1: f32,
        /// Spans merged.
        count: usize,
        /// Whether any of them failed.
        failed: bool,
    },
}

/// Decide what to draw for `lane` in `view`: only spans intersecting the
/// visible range are visited; spans under [`MIN_SPAN_PX`] merge into
/// per-column marks (runs of adjacent columns with the same failed flag are
/// one mark); a lane whose longest span is under a pixel is done column by
/// column with binary searches, without visiting spans.
pub fn layout_lane(lane: &Lane, view: &TimelineView, plot: Rangef) -> Vec<LaneMark> {
    let mut out = Vec::new();
    if lane.spans.is_empty() {
        return out;
    }
    let ns_per_px = view.ns_per_px(plot);
    let (t0, t1) = view.visible_ns(plot);
    let mut merged = MergeRun::default();
    if (lane.max_len as f64) < ns_per_px * MIN_SPAN_PX as f64 {
        // Column mode: the spans starting in each pixel column, found by a
        // search that starts where the previous column's ended.
        let columns = plot.span().ceil().max(1.0) as usize;
        let first_x = plot.min - 1.0;
        let mut a = lane.first_start_at(0, view.x_to_time(first_x, plot).floor() as i64);
        for col in 0..=columns {
            let x = first_x + col as f32;
            let b = lane.first_start_at(a, view.x_to_time(x + 1.0, plot).floor() as i64);
            if b > a {
                let failed = lane.failures[b] > lane.failures[a];
                merged.add(x, b - a, failed, &mut out);
            }
            a = b;
        }
    } else {
        // Span mode: visit the visible spans; at a span under a pixel, take
        // every span starting in its column at once, skipping whole blocks
        // whose longest span is under a pixel too.
        let lo_x = plot.min - 2.0;
        let hi_x = plot.max + 2.0;
        let px_ns = ns_per_px * MIN_SPAN_PX as f64;
        let r = lane.candidates(t0, t1);
        let spans = &lane.spans;
        let mut i = r.start;
        while i < r.end {
            let s = &spans[i];
            if s.end_ns < t0 {
                i += 1;
                continue;
            }
            let x0 = view.time_to_x(s.start_ns as f64, plot);
            let x1 = view.time_to_x(s.end_ns as f64, plot);
            if x1 - x0 >= MIN_SPAN_PX {
                push_span(&mut out, &mut merged, i, x0.max(lo_x), x1.min(hi_x));
                i += 1;
                continue;
            }
            let col = x0.floor();
            let col_end = view.x_to_time(col + 1.0, plot).ceil() as i64;
            let j = (i + spans[i..r.end].partition_point(|s| s.start_ns < col_end)).max(i + 1);
            let (mut count, mut failed) = (0usize, false);
            let mut k = i;
            while k < j {
                if k.is_multiple_of(BLOCK)
                    && k + BLOCK <= j
                    && (lane.block_max[k / BLOCK] as f64) < px_ns
                {
                    count += BLOCK;
                    failed |= lane.failures[k + BLOCK] > lane.failures[k];
                    k += BLOCK;
                    continue;
                }
                let s = &spans[k];
                k += 1;
                if s.end_ns < t0 {
                    continue;
                }
                let x0 = view.time_to_x(s.start_ns as f64, plot);
                let x1 = view.time_to_x(s.end_ns as f64, plot);
                if x1 - x0 >= MIN_SPAN_PX {
                    push_span(&mut out, &mut merged, k - 1, x0.max(lo_x), x1.min(hi_x));
                } else {
                    count += 1;
                    failed |= s.failed();
                }
            }
            if count > 0 {
                merged.add(col, count, failed, &mut out);
            }
            i = j;
        }
    }
    merged.flush(&mut out);
    out
}

fn push_span(out: &mut Vec<LaneMark>, merged: &mut MergeRun, index: usize, x0: f32, x1: f32) {
    merged.flush(out);
    out.push(LaneMark::Span {
        index,
        x0,
        x1,
        label: x1 - x0 >= MIN_LABEL_PX,
    });
}

#[derive(Default)]
struct MergeRun {
    run: Option<(f32, f32, usize, bool)>,
}

impl MergeRun {
    fn add(&mut self, col_x: f32, count: usize, failed: bool, out: &mut Vec<LaneMark>) {
        match &mut self.run {
            Some((_, x1, n, f)) if col_x <= *x1 && *f == failed => {
                *x1 = x1.max(col_x + 1.0);
                *n += count;
            }
            Some((_, x1, n, f)) if col_x < *x1 => {
                // Same column, different flag: a failure wins the column.
                *n += count;
                *f |= failed;
            }
            _ => {
                self.flush(out);
                self.run = Some((col_x, col_x + 1.0, count, failed));
            }
        }
    }

    fn flush(&mut self, out: &mut Vec<LaneMark>) {
        if let Some((x0, x1, count, failed)) = self.run.take() {
            out.push(LaneMark::Merged {
                x0,
                x1,
                count,
                failed,
            });
        }
    }
}

/// A "nice" tick step (1, 2 or 5 × 10^k ns) at least `raw_ns` long.
pub fn nice_step(raw_ns: f64) -> f64 {
    lanes::tick_step_ns(raw_ns) as f64
}

/// A ruler label for time `t_ns` with ticks `step_ns` apart, in the step's
/// unit: `250 ns`, `40 µs`, `3 ms`, `12 s`.
pub fn tick_label(t_ns: f64, step_ns: f64) -> String {
    let (unit, name) = if step_ns < 1e3 {
        (1.0, "ns")
    } else if step_ns < 1e6 {
        (1e3, "µs")
    } else if step_ns < 1e9 {
        (1e6, "ms")
    } else {
        (1e9, "s")
    };
    let v = (t_ns / unit).round();
    let v = if v == 0.0 { 0.0 } else { v };
    format!("{v} {name}")
}

/// A time on the timeline (may be negative), in human units.
pub fn format_time(t_ns: i64) -> String {
    if t_ns < 0 {
        format!("-{}", format_ns(t_ns.unsigned_abs()))
    } else {
        format_ns(t_ns as u64)
    }
}

/// What happened in the widget this frame.
#[derive(Debug)]
pub struct TimelineResponse {
    /// The widget's response (its rect, hover, focus).
    pub response: Response,
    /// The selection key of the span under the pointer.
    pub hovered: Option<u64>,
    /// The selection key of the span clicked this frame.
    pub clicked: Option<u64>,
    /// True when `selection` changed.
    pub selection_changed: bool,
}

/// One row of the widget.
#[derive(Clone, Copy)]
enum Row {
    Header(usize),
    Lane(usize),
}

fn rows(data: &TimelineData) -> Vec<(Row, f32)> {
    let stacked = data.sessions.len() > 1;
    let mut out = Vec::new();
    for (si, s) in data.sessions.iter().enumerate() {
        if stacked {
            out.push((Row::Header(si), HEADER_HEIGHT));
        }
        for l in s.lanes.clone() {
            out.push((Row::Lane(l), LANE_HEIGHT));
        }
    }
    out
}

/// The height [`show`] takes for `data`, points.
pub fn desired_height(data: &TimelineData) -> f32 {
    RULER_HEIGHT + rows(data).iter().map(|r| r.1).sum::<f32>().max(LANE_HEIGHT)
}

/// Draw `data` in the full available width (height: [`desired_height`]),
/// handle zoom, pan, keys, hover and clicks, and update `view` and
/// `selection` (keys from [`span_key`]). See the module docs for controls.
pub fn show(
    ui: &mut Ui,
    data: &TimelineData,
    view: &mut TimelineView,
    selection: &mut BTreeSet<u64>,
) -> TimelineResponse {
    let width = ui.available_width().max(LABEL_WIDTH + 100.0);
    let (rect, response) = ui.allocate_exact_size(
        Vec2::new(width, desired_height(data)),
        Sense::click_and_drag(),
    );
    let summary = data.summary();
    response.widget_info(|| WidgetInfo::labeled(egui::Role::Group, true, &summary));
    let id = response.id;
    let plot_rect = Rect::from_min_max(Pos2::new(rect.min.x + LABEL_WIDTH, rect.min.y), rect.max);
    let plot = plot_rect.x_range();

    let mut selection_changed = false;
    let mut clicked = None;

    // ---- input ----
    let hovered = ui.rect_contains_pointer(rect);
    if response.clicked() || response.dragged() {
        response.request_focus();
    }
    let focused = response.has_focus();
    if focused {
        ui.memory_mut(|m| {
            m.set_focus_lock_filter(
                id,
                egui::EventFilter {
                    horizontal_arrows: true,
                    vertical_arrows: false,
                    ..Default::default()
                },
            );
        });
    }
    let mut user_moved = false;
    if hovered {
        let (zoom, scroll, pointer) =
            ui.input(|i| (i.zoom_delta(), i.smooth_scroll_delta, i.pointer.hover_pos()));
        let x = pointer.map_or(plot.center(), |p| p.x.clamp(plot.min, plot.max));
        if zoom != 1.0 {
            view.zoom_around(x, zoom, plot);
            user_moved = true;
        } else if scroll.x != 0.0 {
            // Horizontal only (Shift+wheel arrives as horizontal, so do a
            // trackpad's sideways swipes): the plain wheel scrolls the
            // panel the timeline sits in.
            view.pan_px(scroll.x, plot);
            user_moved = true;
            ui.input_mut(|i| i.smooth_scroll_delta.x = 0.0);
        }
    }
    if response.dragged() {
        let dx = response.drag_delta().x;
        if dx != 0.0 {
            view.pan_px(dx, plot);
            user_moved = true;
        }
    }
    if response.double_clicked() {
        view.fit(data.time_range());
    }
    if focused || hovered {
        use egui::Key;
        let keys = ui.input(|i| {
            (
                i.key_pressed(Key::Plus) || i.key_pressed(Key::Equals),
                i.key_pressed(Key::Minus),
                i.key_pressed(Key::ArrowLeft),
                i.key_pressed(Key::ArrowRight),
                i.key_pressed(Key::Num0) || i.key_pressed(Key::Home),
                i.key_pressed(Key::F),
                i.modifiers.shift,
            )
        });
        let (zoom_in, zoom_out, left, right, fit, follow, shift) = keys;
        let step = plot.span() * if shift { 0.5 } else { 0.1 };
        if zoom_in {
            view.zoom_around(plot.center(), 1.25, plot);
            user_moved = true;
        }
        if zoom_out {
            view.zoom_around(plot.center(), 0.8, plot);
            user_moved = true;
        }
        if left {
            view.pan_px(step, plot);
            user_moved = true;
        }
        if right {
            view.pan_px(-step, plot);
            user_moved = true;
        }
        if fit {
            view.fit(data.time_range());
        }
        if follow {
            view.follow_live = !view.follow_live;
        }
    }
    if user_moved {
        view.follow_live = false;
        view.clamp();
    }
    if view.follow_live && !data.is_empty() {
        view.fit(data.time_range());
    }

    // ---- layout of rows ----
    let mut row_rects = Vec::new();
    let mut y = rect.min.y + RULER_HEIGHT;
    for (row, h) in rows(data) {
        row_rects.push((
            row,
            Rect::from_min_max(Pos2::new(rect.min.x, y), Pos2::new(rect.max.x, y + h)),
        ));
        y += h;
    }

    // ---- hover hit test ----
    let pointer = ui.input(|i| i.pointer.hover_pos());
    let hit = pointer
        .filter(|p| plot_rect.contains(*p) && hovered)
        .and_then(|p| hit_test(data, view, plot, &row_rects, p));
    let hovered_key = hit.map(|(l, i)| data.lanes[l].spans[i].key);

    if !ui.is_rect_visible(rect) {
        return TimelineResponse {
            response,
            hovered: hovered_key,
            clicked,
            selection_changed,
        };
    }

    // ---- paint ----
    let visuals = ui.visuals().clone();
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, CornerRadius::ZERO, visuals.extreme_bg_color);
    let small = FontId::proportional(11.0);
    let body = FontId::proportional(12.5);
    let weak = visuals.weak_text_color();
    let strong = visuals.strong_text_color();
    let grid = visuals.widgets.noninteractive.bg_stroke.color;

    // Ruler.
    let step = nice_step(view.ns_per_px(plot) * 100.0);
    let minor = step
        / if (step / 10f64.powf(step.log10().floor())).round() == 2.0 {
            4.0
        } else {
            5.0
        };
    let plot_painter = painter.with_clip_rect(plot_rect);
    let mut t = (view.start_ns / minor).floor() * minor;
    let mut guard = 0;
    while t <= view.end_ns && guard < 2000 {
        guard += 1;
        let x = view.time_to_x(t, plot);
        let major = ((t / step).round() * step - t).abs() < minor * 0.01;
        if major {
            plot_painter.line_segment(
                [Pos2::new(x, rect.min.y + 4.0), Pos2::new(x, rect.max.y)],
                Stroke::new(1.0, grid),
            );
            plot_painter.text(
                Pos2::new(x + 3.0, rect.min.y + 3.0),
                Align2::LEFT_TOP,
                tick_label(t, step),
                small.clone(),
                weak,
            );
        } else {
            plot_painter.line_segment(
                [
                    Pos2::new(x, rect.min.y + RULER_HEIGHT - 5.0),
                    Pos2::new(x, rect.min.y + RULER_HEIGHT),
                ],
                Stroke::new(1.0, grid),
            );
        }
        t += minor;
    }
    painter.line_segment(
        [
            Pos2::new(rect.min.x, rect.min.y + RULER_HEIGHT),
            Pos2::new(rect.max.x, rect.min.y + RULER_HEIGHT),
        ],
        Stroke::new(1.0, grid),
    );
    // Corner: help and follow state.
    let corner = Rect::from_min_size(rect.min, Vec2::new(LABEL_WIDTH, RULER_HEIGHT));
    painter.text(
        corner.left_center() + Vec2::new(6.0, 0.0),
        Align2::LEFT_CENTER,
        if view.follow_live {
            crate::tr!("live-timeline-follow-on")
        } else {
            crate::tr!("live-timeline-follow-off")
        },
        small.clone(),
        weak,
    );
    let help = ui.interact(corner, id.with("help"), Sense::hover());
    help.widget_info(|| {
        WidgetInfo::labeled(
            egui::Role::Label,
            true,
            crate::tr!("live-timeline-controls"),
        )
    });
    help.on_hover_text(self::help());

    // Rows.
    let error = Tone::Error.color(&visuals);
    let text_on = theme::method_text_color(&visuals);
    let mut a11y: Vec<(usize, u64, Rect, String)> = Vec::new();
    for (i, (row, r)) in row_rects.iter().enumerate() {
        match *row {
            Row::Header(s) => {
                painter.rect_filled(*r, CornerRadius::ZERO, visuals.faint_bg_color);
                painter.text(
                    r.left_center() + Vec2::new(6.0, 0.0),
                    Align2::LEFT_CENTER,
                    &data.sessions[s].title,
                    body.clone(),
                    strong,
                );
            }
            Row::Lane(l) => {
                let lane = &data.lanes[l];
                if i % 2 == 1 {
                    painter.rect_filled(*r, CornerRadius::ZERO, visuals.faint_bg_color);
                }
                let label_painter = painter.with_clip_rect(Rect::from_min_max(
                    r.min,
                    Pos2::new(plot.min - 4.0, r.max.y),
                ));
                label_painter.text(
                    Pos2::new(r.min.x + 6.0, r.min.y + 3.0),
                    Align2::LEFT_TOP,
                    &lane.title,
                    body.clone(),
                    strong,
                );
                label_painter.text(
                    Pos2::new(r.min.x + 6.0, r.max.y - 3.0),
                    Align2::LEFT_BOTTOM,
                    &lane.detail,
                    small.clone(),
                    weak,
                );
                let y0 = r.min.y + 3.0;
                let y1 = r.max.y - 3.0;
                for mark in layout_lane(lane, view, plot) {
                    match mark {
                        LaneMark::Merged { x0, x1, failed, .. } => {
                            let c = if failed { error } else { weak };
                            plot_painter.rect_filled(
                                Rect::from_min_max(
                                    Pos2::new(x0, y0 + 4.0),
                                    Pos2::new(x1, y1 - 4.0),
                                ),
                                CornerRadius::ZERO,
                                c,
                            );
                        }
                        LaneMark::Span {
                            index,
                            x0,
                            x1,
                            label,
                        } => {
                            let s = &lane.spans[index];
                            let sr = Rect::from_min_max(Pos2::new(x0, y0), Pos2::new(x1, y1));
                            paint_span(
                                &plot_painter,
                                s,
                                sr,
                                label,
                                &visuals,
                                error,
                                text_on,
                                &small,
                            );
                            if a11y.len() < MAX_ACCESSIBLE_SPANS && x1 - x0 >= MIN_ACCESSIBLE_PX {
                                a11y.push((
                                    l,
                                    s.key,
                                    sr.intersect(plot_rect),
                                    describe(data, l, s),
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    // Selection on top (also for spans merged into a column).
    let sel_stroke = Stroke::new(2.5, visuals.selection.stroke.color);
    for &key in selection.iter().take(10_000) {
        for (l, s) in data.find(key) {
            let Some((_, r)) = row_rects
                .iter()
                .find(|(row, _)| matches!(row, Row::Lane(x) if *x == l))
            else {
                continue;
            };
            if (s.end_ns as f64) < view.start_ns || (s.start_ns as f64) > view.end_ns {
                continue;
            }
            let x0 = view.time_to_x(s.start_ns as f64, plot).max(plot.min - 2.0);
            let x1 = view.time_to_x(s.end_ns as f64, plot).min(plot.max + 2.0);
            let (x0, x1) = if x1 - x0 < 3.0 {
                let c = (x0 + x1) / 2.0;
                (c - 1.5, c + 1.5)
            } else {
                (x0, x1)
            };
            plot_painter.rect_stroke(
                Rect::from_min_max(Pos2::new(x0, r.min.y + 1.5), Pos2::new(x1, r.max.y - 1.5)),
                CornerRadius::same(2),
                sel_stroke,
                StrokeKind::Outside,
            );
        }
    }
    // Hover outline.
    if let Some((l, i)) = hit
        && let Some((_, r)) = row_rects
            .iter()
            .find(|(row, _)| matches!(row, Row::Lane(x) if *x == l))
    {
        let s = &data.lanes[l].spans[i];
        let x0 = view.time_to_x(s.start_ns as f64, plot).max(plot.min - 2.0);
        let x1 = view
            .time_to_x(s.end_ns as f64, plot)
            .min(plot.max + 2.0)
            .max(x0 + 1.0);
        plot_painter.rect_stroke(
            Rect::from_min_max(Pos2::new(x0, r.min.y + 2.0), Pos2::new(x1, r.max.y - 2.0)),
            CornerRadius::same(2),
            Stroke::new(1.0, strong),
            StrokeKind::Outside,
        );
    }
    if focused {
        painter.rect_stroke(
            rect.shrink(1.0),
            CornerRadius::ZERO,
            visuals.selection.stroke,
            StrokeKind::Inside,
        );
    }

    // ---- accessible children (also clickable, like the spans) ----
    let accesskit_on = ui.ctx().accesskit_node_builder(id, |_| ()).is_some();
    let mut child_clicked = None;
    if accesskit_on && !a11y.is_empty() {
        let child = ui.new_child(
            UiBuilder::new()
                .max_rect(plot_rect)
                .id_salt(id.with("spans"))
                .accessibility_parent(id)
                .accessibility_role(egui::Role::List)
                .accessibility_label(crate::tr!(
                    "live-timeline-visible-calls",
                    count = a11y.len()
                )),
        );
        for (lane, key, r, label) in &a11y {
            let resp = child.interact(*r, id.with(("span", *lane, *key)), Sense::click());
            let sel = selection.contains(key);
            resp.widget_info(|| WidgetInfo::selected(egui::Role::ListItem, true, sel, label));
            if resp.clicked() {
                child_clicked = Some(*key);
            }
            if resp.double_clicked() {
                view.fit(data.time_range());
            }
        }
    }

    // ---- clicks ----
    let click_key = if let Some(k) = child_clicked {
        Some(Some(k))
    } else if response.clicked() {
        let p = response.interact_pointer_pos();
        Some(
            p.filter(|p| plot_rect.contains(*p))
                .and_then(|p| hit_test(data, view, plot, &row_rects, p))
                .map(|(l, i)| data.lanes[l].spans[i].key),
        )
    } else {
        None
    };
    if let Some(k) = click_key {
        let add = ui.input(|i| i.modifiers.shift || i.modifiers.command || i.modifiers.ctrl);
        let before = selection.clone();
        match (k, add) {
            (Some(k), true) => {
                if !selection.remove(&k) {
                    selection.insert(k);
                }
            }
            (Some(k), false) => {
                selection.clear();
                selection.insert(k);
            }
            (None, true) => {}
            (None, false) => selection.clear(),
        }
        selection_changed = *selection != before;
        clicked = k;
    }

    // ---- tooltip ----
    if let Some((l, i)) = hit {
        let s = &data.lanes[l].spans[i];
        egui::Tooltip::always_open(
            ui.ctx().clone(),
            ui.layer_id(),
            id.with("tooltip"),
            egui::PopupAnchor::Pointer,
        )
        .show(|ui| tooltip(ui, data, l, s));
    }

    TimelineResponse {
        response,
        hovered: hovered_key,
        clicked,
        selection_changed,
    }
}

#[allow(clippy::too_many_arguments)]
fn paint_span(
    painter: &egui::Painter,
    s: &Span,
    r: Rect,
    label: bool,
    visuals: &egui::Visuals,
    error: Color32,
    text_on: Color32,
    font: &FontId,
) {
    let fill = theme::method_color(s.method, visuals);
    if s.open {
        let faint = fill.gamma_multiply(0.55);
        painter.rect_filled(r, CornerRadius::same(2), faint);
        // Hatching, every 8 points.
        let mut x = (r.min.x / 8.0).floor() * 8.0;
        let stroke = Stroke::new(1.0, fill);
        let clipped = painter.with_clip_rect(r.intersect(painter.clip_rect()));
        while x < r.max.x + r.height() {
            clipped.line_segment(
                [Pos2::new(x, r.max.y), Pos2::new(x - r.height(), r.min.y)],
                stroke,
            );
            x += 8.0;
        }
        let c = if s.failed() {
            error
        } else {
            visuals.strong_text_color()
        };
        painter.extend(Shape::dashed_line(
            &[
                r.left_top(),
                r.right_top(),
                r.right_bottom(),
                r.left_bottom(),
                r.left_top(),
            ],
            Stroke::new(1.0, c),
            4.0,
            3.0,
        ));
    } else {
        painter.rect_filled(r, CornerRadius::same(2), fill);
        if s.failed() {
            painter.rect_stroke(
                r,
                CornerRadius::same(2),
                Stroke::new(1.5, error),
                StrokeKind::Inside,
            );
        }
    }
    if !label {
        return;
    }
    let avail = r.width() - 6.0;
    let candidates: Vec<String> = if s.failed() {
        let name = s
            .hresult
            .map(|h| h.name().map_or_else(|| h.hex(), str::to_string))
            .unwrap_or_default();
        vec![
            format!("{} {} {name}", Tone::Error.icon(), s.method),
            format!("{} {name}", Tone::Error.icon()),
            Tone::Error.icon().to_string(),
        ]
    } else if s.open {
        vec![
            format!("{} ({})", s.method, crate::tr!("live-running")),
            s.method.to_string(),
        ]
    } else {
        vec![s.method.to_string()]
    };
    for text in candidates {
        // Cheap reject before laying out: ~5 points per character at least.
        if text.chars().count() as f32 * 5.0 > avail {
            continue;
        }
        let galley = painter.layout_no_wrap(text, font.clone(), text_on);
        if galley.size().x <= avail {
            let pos = Pos2::new(
                r.min.x.max(painter.clip_rect().min.x) + 3.0,
                r.center().y - galley.size().y / 2.0,
            );
            let color = if s.failed() && !visuals.dark_mode {
                error
            } else {
                text_on
            };
            painter.galley(pos, galley, color);
            break;
        }
    }
}

/// Which span is under `p`: the lane by y, then the narrowest span within
/// 3 points of x (so thin spans can be pointed at).
fn hit_test(
    data: &TimelineData,
    view: &TimelineView,
    plot: Rangef,
    rows: &[(Row, Rect)],
    p: Pos2,
) -> Option<(usize, usize)> {
    let (row, _) = rows.iter().find(|(_, r)| r.y_range().contains(p.y))?;
    let Row::Lane(l) = *row else { return None };
    let lane = &data.lanes[l];
    let slack = 3.0 * view.ns_per_px(plot);
    let t = view.x_to_time(p.x, plot);
    let (t0, t1) = ((t - slack).floor() as i64, (t + slack).ceil() as i64);
    let tf = t as i64;
    let mut best: Option<(usize, i64, i64)> = None; // (index, distance, length)
    for (i, s) in lane.visible(t0, t1).take(10_000) {
        let dist = if tf < s.start_ns {
            s.start_ns - tf
        } else if tf > s.end_ns {
            tf - s.end_ns
        } else {
            0
        };
        let len = s.end_ns - s.start_ns;
        if best.is_none_or(|(_, d, bl)| (dist, len) < (d, bl)) {
            best = Some((i, dist, len));
        }
    }
    best.map(|(i, _, _)| (l, i))
}

fn provider_words(lane: &Lane) -> Option<String> {
    match &lane.kind {
        LaneKind::Provider {
            name,
            kind: Some(kind),
            dll,
            ..
        } => Some(format!("{name} ({}, {dll})", kind.localized())),
        LaneKind::Provider { name, .. } => Some(format!(
            "{name} ({})",
            crate::tr!("live-timeline-not-declared")
        )),
        _ => None,
    }
}

/// The accessible name of a span.
fn describe(data: &TimelineData, lane: usize, s: &Span) -> String {
    let l = &data.lanes[lane];
    let who = match &l.kind {
        LaneKind::Client => crate::tr!("live-caller-client"),
        LaneKind::Subsystem => crate::tr!("live-caller-subsystem"),
        LaneKind::Provider { name, .. } => name.clone(),
    };
    let result = match s.hresult {
        Some(h) if s.open => format!("{h}, {}", crate::tr!("live-running")),
        Some(h) => h.to_string(),
        None => crate::tr!("live-running"),
    };
    crate::tr!(
        "live-timeline-span",
        method = s.method.as_str(),
        who = who,
        result = result,
        start = format_time(s.start_ns),
        duration = format_ns(s.duration_ns())
    )
}

fn tooltip(ui: &mut Ui, data: &TimelineData, lane: usize, s: &Span) {
    let l = &data.lanes[lane];
    ui.strong(s.method.as_str());
    let iface = s.interface.as_str();
    match l.kind {
        LaneKind::Subsystem => {
            ui.label(crate::tr!(
                "live-timeline-tip-subsystem",
                call = format!("{iface}::{}", s.method)
            ));
        }
        _ => {
            ui.label(match s.caller {
                Caller::Client => {
                    crate::tr!("live-timeline-tip-called-by-client", interface = iface)
                }
                Caller::Subsystem => {
                    crate::tr!("live-timeline-tip-called-by-subsystem", interface = iface)
                }
            });
        }
    }
    if let Some(p) = provider_words(l) {
        ui.label(crate::tr!("live-timeline-tip-provider", provider = p));
    }
    match s.hresult {
        Some(h) => {
            let text = format!("HRESULT: {h}");
            if h.is_failure() {
                theme::badge(ui, Tone::Error, &text);
            } else {
                ui.label(text);
            }
        }
        None => {
            theme::badge(ui, Tone::Warning, &crate::tr!("live-timeline-not-returned"));
        }
    }
    let session = &data.sessions[l.session];
    let (start, duration) = (format_time(s.start_ns), format_ns(s.duration_ns()));
    ui.label(if s.open {
        crate::tr!(
            "live-timeline-tip-time-so-far",
            start = start,
            duration = duration
        )
    } else {
        crate::tr!("live-timeline-tip-time", start = start, duration = duration)
    });
    theme::muted(
        ui,
        crate::tr!(
            "live-timeline-tip-origin",
            call = s.call().to_string(),
            origin = session.origin_ns.to_string()
        ),
    );
}

#[cfg(test)]
mod tests;
