//! mapi-shutdown: edit, watch and explain MAPI client fast shutdown.
//!
//! The library holds everything but the window: the MAPI fast-shutdown
//! model, the instrumented MAPI subsystem that MAPI clients and providers
//! written in Rust link against, the trace protocol it speaks, and the
//! `simulate` client. The binary `mapi-shutdown` adds the CLI (and, with the
//! default `gui` feature, the desktop application).
//!
//! # Layout
//! - [`hresult`]: the `HRESULT` newtype, MAPI codes and their names.
//! - [`policy`]: Office versions, their policy keys, raw registry data, and
//!   the interpretation of `FastShutdownBehavior` (not configured / valid /
//!   invalid, never coerced); the registry stores behind one trait
//!   (Windows registry, `.reg` file, memory), the settings and add-ins
//!   views, safe writes with backups and undo, `.reg` import/export
//!   (docs/policy.md).
//! - [`mapi`]: the instrumented subsystem: `Subsystem`, `Session`,
//!   `ClientShutdown` (`IMAPIClientShutdown`), the `ProviderShutdown` trait
//!   (`IMAPIProviderShutdown`), provider kinds, the policy decision rules.
//! - [`trace`]: the versioned JSON Lines record model, its streaming
//!   codec, the non-blocking emitter and its sinks (memory, file); the
//!   per-user local endpoint, the socket sink clients send through and the
//!   spool files it falls back to (docs/trace-format.md,
//!   docs/live-capture.md).
//! - [`monitor`]: the live-capture side: the server that accepts clients,
//!   the bounded session store, recordings (`watch --out`), and the
//!   analysis that turns one process's trace into an outcome, a reason,
//!   findings and timings.
//! - [`processes`]: the process view's scanner: the process list
//!   (sysinfo), the modules of each process behind one trait
//!   (`/proc/PID/maps` on Linux, Wine's PE DLLs included; Toolhelp32 on
//!   Windows), the provider catalog (`assets/providers.toml` plus
//!   `MAPISVC.INF`), and the MAPI classification (subsystem, providers,
//!   instrumented clients) (docs/processes.md).
//! - [`report`]: the report model (host, time, policy, add-ins, MAPI
//!   processes, shutdown sessions with their verdicts and calls), built
//!   from the registry store, a process scan and the monitor's sessions,
//!   and its formats: self-contained HTML (askama template, inline SVG
//!   timelines), CSV (one row per call), JSON (the model, versioned) and
//!   Chrome Trace Event JSON with its reader; atomic writes
//!   (docs/reports.md).
//! - [`simulate`]: scenario files and the client that runs one on the
//!   subsystem, with the summary it prints.
//! - [`clock`]: the monotonic/wall clock behind a trait for tests.
//! - [`i18n`]: the languages (English, French, Simplified Chinese), their
//!   Fluent catalogues (`assets/i18n/`), the language in force and the
//!   `tr!` macro every user-facing string goes through (docs/i18n.md).
//! - `ui` (the default `gui` feature): the desktop application: the shell,
//!   the panels, the theme, the file dialogs behind a trait, the renderer
//!   choice, the window icon, the screenshot tour of the smoke tests
//!   (docs/gui.md).
//!
//! The binary adds `src/main.rs` (clap), `src/console.rs` (the Windows
//! release build has no console window; its subcommands attach to the
//! parent's console) and `src/cli/` (the human and JSON output of the
//! `policy`, `addins`, `watch`, `analyze`, `processes` and `report`
//! commands). `build.rs` embeds the icon and version information in the
//! Windows exe; `wix/main.wxs` is its installer (`scripts/package`).
//!
//! Layering: `report` -> (`simulate`, `monitor`, `processes`) -> (`mapi`, `trace`) -> (`policy`,
//! `hresult`, `clock`); `ui` sits on top of all of them. Nothing outside
//! `ui` imports egui, and the library builds without it
//! (`--no-default-features`).

pub mod clock;
pub mod hresult;
pub mod i18n;
pub mod mapi;
pub mod monitor;
pub mod policy;
pub mod processes;
pub mod report;
pub mod simulate;
pub mod trace;
#[cfg(feature = "gui")]
pub mod ui;
