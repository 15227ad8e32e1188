//! The registry as the subsystem reads it and the product edits it: the
//! [`store::RegistryStore`] trait, hives, errors and `--registry
//! windows|file:PATH|memory`; its implementations `windows` (the real
//! registry, Windows only), [`file`](mod@file) (a regedit `.reg` file, the
//! default elsewhere) and [`memory`] (tests, injectable failures), the
//! latter two over the [`tree`] model; [`regfile`] reads, validates and
//! writes `.reg` text. Registry data itself is the trace crate's
//! [`RegistryData`] (a policy record carries it).

pub use mapi_trace::model::RegistryData;

pub mod file;
pub mod memory;
pub mod regfile;
pub mod store;
pub mod tree;
#[cfg(windows)]
pub mod windows;
