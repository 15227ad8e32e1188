//! The capture agent: a DLL (`mapi_capture_agent.dll`, built for
//! `x86_64-pc-windows-gnu` and `i686-pc-windows-gnu`) that `mapi-shutdown
//! capture launch|attach` loads into a real MAPI client. Inside the client
//! it instruments the MAPI subsystem the process uses (`olmapi32.dll`,
//! `msmapi32.dll`, `exmapi32.dll`, or the DLL the default mail client's
//! `DLLPathEx` names; never the `mapi32.dll` stub) and writes the trace
//! protocol of `mapi-trace` to the user's monitor endpoint (or the spool).
//!
//! It owns two layers: [`recorder`], the bookkeeping that turns what the
//! hooks see into records (portable, unit-tested on every host), and, on
//! Windows only, `win`: the DLL entry, the inline hooks on exported
//! functions (MinHook) and the vtable patches. What the agent hooks, and
//! why it is safe for its host, is in `docs/capture.md`.

pub mod recorder;

#[cfg(windows)]
mod win;
