//! A provider whose answers, delays and hangs are given up front: what
//! `simulate` loads for each scenario provider, and what tests use to check
//! the subsystem's calls.

use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use super::ProviderShutdown;
use mapi_trace::Method;
use mapi_trace::hresult::HRESULT;

/// How a provider that implements `IMAPIProviderShutdown` answers
/// `QueryFastShutdown`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProviderBehaviour {
    /// Answers `S_OK`: supports fast shutdown.
    Supports,
    /// Answers `MAPI_E_NO_SUPPORT`: prevents fast shutdown.
    OptsOut,
}

/// A shared, ordered log of `(provider name, method)` calls, for tests.
#[derive(Clone, Debug, Default)]
pub struct CallLog(Arc<Mutex<Vec<(String, Method)>>>);

impl CallLog {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// The calls so far, in order.
    pub fn calls(&self) -> Vec<(String, Method)> {
        match self.0.lock() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn push(&self, name: &str, method: Method) {
        let mut g = match self.0.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        g.push((name.to_string(), method));
    }
}

/// An `IMAPIProviderShutdown` with scripted answers, per-method delays
/// (sleeps, in the caller's thread) and an optional hang (the method never
/// returns; the process must be killed).
#[derive(Debug, Clone)]
pub struct ScriptedProvider {
    name: String,
    query_answer: HRESULT,
    delays: [Duration; 3],
    hang: Option<Method>,
    log: Option<CallLog>,
}

impl ScriptedProvider {
    /// A provider named `name` (used only in the log) with `behaviour`.
    pub fn new(name: &str, behaviour: ProviderBehaviour) -> Self {
        ScriptedProvider {
            name: name.to_string(),
            query_answer: match behaviour {
                ProviderBehaviour::Supports => HRESULT::S_OK,
                ProviderBehaviour::OptsOut => HRESULT::MAPI_E_NO_SUPPORT,
            },
            delays: [Duration::ZERO; 3],
            hang: None,
            log: None,
        }
    }

    /// Answer `QueryFastShutdown` with `hr` instead.
    pub fn with_query_answer(mut self, hr: HRESULT) -> Self {
        self.query_answer = hr;
        self
    }

    /// Sleep `delay` inside `method` before answering.
    pub fn with_delay(mut self, method: Method, delay: Duration) -> Self {
        if let Some(i) = slot(method) {
            self.delays[i] = delay;
        }
        self
    }

    /// Never return from `method`.
    pub fn with_hang(mut self, method: Method) -> Self {
        self.hang = Some(method);
        self
    }

    /// Record each call in `log`.
    pub fn with_log(mut self, log: CallLog) -> Self {
        self.log = Some(log);
        self
    }

    fn run(&self, method: Method) {
        if let Some(log) = &self.log {
            log.push(&self.name, method);
        }
        if let Some(i) = slot(method)
            && !self.delays[i].is_zero()
        {
            thread::sleep(self.delays[i]);
        }
        if self.hang == Some(method) {
            loop {
                thread::park();
            }
        }
    }
}

fn slot(method: Method) -> Option<usize> {
    match method {
        Method::QueryFastShutdown => Some(0),
        Method::NotifyProcessShutdown => Some(1),
        Method::DoFastShutdown => Some(2),
        Method::MapiLogonEx | Method::MapiUninitialize => None,
    }
}

impl ProviderShutdown for ScriptedProvider {
    fn query_fast_shutdown(&mut self) -> HRESULT {
        self.run(Method::QueryFastShutdown);
        self.query_answer
    }

    fn notify_process_shutdown(&mut self) -> HRESULT {
        self.run(Method::NotifyProcessShutdown);
        HRESULT::S_OK
    }

    fn do_fast_shutdown(&mut self) -> HRESULT {
        self.run(Method::DoFastShutdown);
        HRESULT::S_OK
    }
}
