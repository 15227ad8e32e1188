//! The one lane model of a shutdown sequence's timeline, shared by the Live
//! panel's timeline, the HTML report's SVG and the Chrome trace: which lanes
//! a process trace has, in which order, which lane each call goes on, what
//! the subsystem lane shows, and the step between ruler ticks.
//!
//! Lanes, top to bottom: the client; the subsystem (each client call, drawn
//! over the time the subsystem spent on it: from its first provider call to
//! the end of its last, else the call itself; and the subsystem's own calls
//! that target no provider); then one lane per provider, declared providers
//! first, in the order the subsystem calls them within a MAPI session
//! (transport, address book, message store: "Fast Shutdown Overview",
//! docs/domain.md; load order, i.e. provider id, within a kind), then the
//! providers that calls name but no declaration does, by id.

use crate::trace::model::ProviderKind;
use crate::trace::{Caller, Interface};

/// A lane of one process trace's timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LaneId {
    /// The client's calls (`IMAPIClientShutdown`, MAPI functions).
    Client,
    /// What the subsystem did: each client call over its providers' time,
    /// and the subsystem's own calls that target no provider.
    Subsystem,
    /// Provider `N`'s calls (the trace's provider id).
    Provider(u32),
}

/// What the lane model needs of one call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LaneCall {
    /// Who made the call.
    pub caller: Caller,
    /// The interface called.
    pub interface: Interface,
    /// The provider it targets, if any.
    pub provider: Option<u32>,
}

impl LaneCall {
    /// The lane the call itself is drawn on: its provider's lane when it
    /// targets one, else the subsystem's for the subsystem's own calls, else
    /// the client's.
    pub fn lane(self) -> LaneId {
        match (self.provider, self.caller) {
            (Some(p), _) => LaneId::Provider(p),
            (None, Caller::Subsystem) => LaneId::Subsystem,
            (None, Caller::Client) => LaneId::Client,
        }
    }

    /// True when the call is also drawn on the subsystem lane: a client
    /// call that is not a (wrong) direct call of a provider's interface.
    pub fn mirrored_on_subsystem(self) -> bool {
        self.caller == Caller::Client && self.lane() == LaneId::Client
    }
}

/// The lanes of one process trace, in drawing order (see the module doc):
/// `declared` are the provider declarations `(id, kind)` in any order,
/// `calls` every call of the trace. The client lane is always there; the
/// subsystem lane when a call is drawn on it; a provider lane for every
/// declared provider (called or not) and every provider a call names.
pub fn plan(
    declared: impl IntoIterator<Item = (u32, ProviderKind)>,
    calls: impl IntoIterator<Item = LaneCall>,
) -> Vec<LaneId> {
    let mut declared: Vec<(ProviderKind, u32)> =
        declared.into_iter().map(|(p, k)| (k, p)).collect();
    declared.sort_unstable();
    declared.dedup_by_key(|(_, p)| *p);
    let mut subsystem = false;
    let mut undeclared: Vec<u32> = Vec::new();
    for c in calls {
        subsystem |= c.lane() == LaneId::Subsystem || c.mirrored_on_subsystem();
        if let Some(p) = c.provider
            && !declared.iter().any(|&(_, d)| d == p)
        {
            undeclared.push(p);
        }
    }
    undeclared.sort_unstable();
    undeclared.dedup();
    let mut lanes = vec![LaneId::Client];
    if subsystem {
        lanes.push(LaneId::Subsystem);
    }
    lanes.extend(declared.into_iter().map(|(_, p)| LaneId::Provider(p)));
    lanes.extend(undeclared.into_iter().map(LaneId::Provider));
    lanes
}

/// Where a client call is drawn on the subsystem lane: from the start of
/// its first child call to the end of its last (`children` are
/// `(start_ns, end_ns, open)` of the calls whose parent it is, `end_ns` of
/// an unreturned one being the last time known of the process), else the
/// call's own `(start_ns, end_ns, open)`. Times in ns.
pub fn subsystem_window(
    own: (u64, u64, bool),
    children: impl IntoIterator<Item = (u64, u64, bool)>,
) -> (u64, u64, bool) {
    let mut window: Option<(u64, u64, bool)> = None;
    for child in children {
        match window.as_mut() {
            None => window = Some((child.0, child.1.max(child.0), child.2)),
            Some(w) => widen(w, child),
        }
    }
    window.unwrap_or(own)
}

/// Widen a subsystem-lane window `(start_ns, end_ns, open)` by one more
/// child call, for callers that meet the children one at a time.
pub fn widen(window: &mut (u64, u64, bool), child: (u64, u64, bool)) {
    window.0 = window.0.min(child.0);
    window.1 = window.1.max(child.1);
    window.2 |= child.2;
}

/// The step between two ruler ticks, ns: the smallest 1, 2 or 5 × 10^k ns
/// that is at least `min_step_ns` (and at least 1 ns). The timeline asks
/// for a tick about every 100 points, the HTML report for about six ticks
/// over the session.
pub fn tick_step_ns(min_step_ns: f64) -> u64 {
    if min_step_ns.is_nan() || min_step_ns <= 1.0 {
        return 1;
    }
    let mut step = 1u64;
    loop {
        for m in [1u64, 2, 5] {
            let s = step.saturating_mul(m);
            if s as f64 >= min_step_ns || s == u64::MAX {
                return s;
            }
        }
        step = step.saturating_mul(10);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ProviderKind::{AddressBook, MessageStore, Transport};

    fn client(interface: Interface) -> LaneCall {
        LaneCall {
            caller: Caller::Client,
            interface,
            provider: None,
        }
    }

    fn to(p: u32) -> LaneCall {
        LaneCall {
            caller: Caller::Subsystem,
            interface: Interface::ProviderShutdown,
            provider: Some(p),
        }
    }

    #[test]
    fn providers_by_kind_then_id_declared_first() {
        let declared = [
            (7, MessageStore),
            (3, Transport),
            (5, AddressBook),
            (2, MessageStore),
        ];
        // Calls in an order that differs from the plan's, and one provider
        // (9) that no declaration names.
        let calls = [
            client(Interface::ClientShutdown),
            to(2),
            to(9),
            to(7),
            to(3),
        ];
        assert_eq!(
            plan(declared, calls),
            vec![
                LaneId::Client,
                LaneId::Subsystem,
                LaneId::Provider(3),
                LaneId::Provider(5),
                LaneId::Provider(2),
                LaneId::Provider(7),
                LaneId::Provider(9),
            ]
        );
    }

    #[test]
    fn the_subsystem_lane_only_when_something_is_drawn_on_it() {
        assert_eq!(plan([], []), vec![LaneId::Client]);
        // A client calling a provider directly (a violation) is drawn on the
        // provider's lane, not mirrored on the subsystem's.
        let direct = LaneCall {
            caller: Caller::Client,
            interface: Interface::ProviderShutdown,
            provider: Some(1),
        };
        assert_eq!(
            plan([(1, Transport)], [direct]),
            vec![LaneId::Client, LaneId::Provider(1)]
        );
        let own = LaneCall {
            caller: Caller::Subsystem,
            interface: Interface::Mapi,
            provider: None,
        };
        assert_eq!(own.lane(), LaneId::Subsystem);
        assert_eq!(plan([], [own]), vec![LaneId::Client, LaneId::Subsystem]);
        assert_eq!(
            plan([], [client(Interface::Mapi)]),
            vec![LaneId::Client, LaneId::Subsystem]
        );
    }

    #[test]
    fn a_declaration_named_twice_is_one_lane() {
        assert_eq!(
            plan([(1, Transport), (1, Transport)], []),
            vec![LaneId::Client, LaneId::Provider(1)]
        );
    }

    #[test]
    fn subsystem_window_spans_the_children() {
        assert_eq!(subsystem_window((10, 20, false), []), (10, 20, false));
        assert_eq!(
            subsystem_window((10, 100, false), [(30, 40, false), (12, 25, false)]),
            (12, 40, false)
        );
        assert_eq!(
            subsystem_window((10, 100, false), [(30, 90, true), (12, 25, false)]),
            (12, 90, true)
        );
    }

    #[test]
    fn tick_steps_are_one_two_five() {
        let cases = [
            (0.0, 1),
            (0.3, 1),
            (1.0, 1),
            (1.5, 2),
            (2.0, 2),
            (2.1, 5),
            (5.0, 5),
            (5.5, 10),
            (99.0, 100),
            (101.0, 200),
            (3.4e6, 5_000_000),
            (1e9, 1_000_000_000),
        ];
        for (min, want) in cases {
            assert_eq!(tick_step_ns(min), want, "min {min}");
        }
        assert_eq!(tick_step_ns(f64::INFINITY), u64::MAX);
        assert_eq!(tick_step_ns(f64::NAN), 1);
    }
}
