//! mapi-shutdown below the window: everything the application's panels and
//! commands show, built on the trace crate (`mapi-trace`, re-exported as
//! [`trace`], with [`hresult`] and [`clock`]) and the subsystem crate
//! (`mapi-subsystem`, re-exported as [`mapi`]). Nothing here imports egui
//! or clap.
//!
//! # Layout
//! - [`policy`]: the per-user fast-shutdown policy as the product edits it:
//!   the settings and add-ins views, safe writes with backups and undo,
//!   `.reg` import/export (docs/policy.md); the registry stores are the
//!   subsystem crate's, re-exported.
//! - [`monitor`]: the live-capture side: the server that accepts clients,
//!   the bounded session store, recordings (`watch --out`), and the one
//!   analysis that turns one process's trace into an outcome, a reason,
//!   findings and timings: `simulate`, `watch`, `analyze`, the panels and
//!   every report take their verdict from it.
//! - [`processes`]: the process view's scanner: the process list
//!   (sysinfo), the modules of each process behind one trait
//!   (`/proc/PID/maps` on Linux, Wine's PE DLLs included; Toolhelp32 on
//!   Windows), the provider catalog (`assets/providers.toml` plus
//!   `MAPISVC.INF`), and the MAPI classification (docs/processes.md).
//! - [`report`]: the report model and its formats: HTML (askama template,
//!   inline SVG timelines), CSV, JSON, Chrome Trace Event JSON with its
//!   reader; atomic writes (docs/reports.md).
//! - [`simulate`]: scenario files and the client that runs one on the
//!   subsystem, with the summary it prints.
//! - [`i18n`]: the languages (English, French, Simplified Chinese), their
//!   Fluent catalogues (`assets/i18n/`), the language in force and the
//!   `tr!` macro every user-facing string goes through (docs/i18n.md).
//!
//! Layering (each arrow is "may use"): `report` -> (`simulate`, `monitor`,
//! `processes`) -> `policy` -> `i18n`; all of them -> [`mapi`] (subsystem
//! crate) -> [`trace`] (trace crate). ARCHITECTURE.md has the whole map.

pub use mapi_subsystem as mapi;
pub use mapi_trace as trace;
pub use mapi_trace::{clock, hresult};

pub mod eventlog;
pub mod i18n;
pub mod monitor;
pub mod policy;
pub mod processes;
pub mod report;
pub mod simulate;
