//! mapi-shutdown, the application: the desktop window (`ui`, the default
//! `gui` feature) over the workspace's crates, which this library
//! re-exports whole so the binary, the tests and the benches name one path
//! (`mapi_shutdown::monitor`, `mapi_shutdown::trace`, …):
//! - `mapi-trace` (`crates/trace`, [`trace`], [`hresult`], [`clock`]): the
//!   record model, codec, emitter, sinks, endpoint, socket sink and spool:
//!   the protocol, and what the capture agent links;
//! - `mapi-subsystem` (`crates/subsystem`, [`mapi`]): the instrumented MAPI
//!   subsystem and the policy read it needs (the registry stores);
//! - `mapi-shutdown-core` (`crates/core`): policy editing, processes, the
//!   monitor and its one analysis, reports, simulate, i18n.
//!
//! The binary adds `src/main.rs` (clap), `src/console.rs` (the Windows
//! release build has no console window; its subcommands attach to the
//! parent's console) and `src/cli/` (the human and JSON output of the
//! commands). `build.rs` embeds the icon and version information in the
//! Windows exe; only this package runs it. `wix/main.wxs` is the
//! installer (`scripts/package`). ARCHITECTURE.md has the whole map.

pub use mapi_shutdown_core::*;

#[cfg(feature = "gui")]
pub mod ui;
