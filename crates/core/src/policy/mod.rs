//! The per-user fast-shutdown policy as the product edits it. The model
//! (Office versions, registry data, the `FastShutdownBehavior` options and
//! a value as read, never coerced) is the trace crate's `model`, re-exported
//! here; the registry stores are the subsystem crate's `registry`, which the
//! subsystem reads its policy through, re-exported here too.
//!
//! Source: "Fast Shutdown User Options" (Outlook MAPI reference) and the
//! Office 2016 administrative template outlk16.admx / outlk16.adml,
//! category "Shutdown" under Microsoft Outlook 2016 (docs/domain.md).
//!
//! - [`store`]: the [`store::RegistryStore`] trait, hives, errors, and
//!   `--registry windows|file:PATH|memory`; its implementations
//!   `windows` (Windows only), [`file`](mod@file) (a regedit `.reg` file, the
//!   default elsewhere) and [`memory`] (tests, injectable failures), the
//!   latter two over the [`tree`] model; [`regfile`] reads, validates and
//!   writes `.reg` text.
//! - [`settings`]: every Office version's three policy values as not
//!   configured / valid / invalid, with meaning, ADMX label and fix;
//!   [`addins`]: the COM add-ins and their `RequireShutdownNotification`.
//! - [`edit`]: safe writes (backup, re-read, all or nothing, read back) and
//!   undo, with [`backup`] keeping the `.reg` backups; [`transfer`]: `.reg`
//!   export and the filtered, diffed import.

use crate::i18n::text::Text;

pub use mapi_subsystem::policy::{
    ADDIN_FAST_SHUTDOWN_BEHAVIOR, ALLOW_SHUTDOWN_WITH_EXTERNAL_REFERENCES, FAST_SHUTDOWN_BEHAVIOR,
    REQUIRE_SHUTDOWN_NOTIFICATION,
};
#[cfg(windows)]
pub use mapi_subsystem::registry::windows;
pub use mapi_subsystem::registry::{file, memory, regfile, store, tree};
pub use mapi_trace::model::{
    FastShutdownBehavior, OfficeVersion, ParseBehaviorError, ParseOfficeVersionError, RegistryData,
    Setting,
};

pub mod addins;
pub mod backup;
pub mod edit;
pub mod gpo;
pub mod settings;
pub mod transfer;

/// The ADMX labels of [`FastShutdownBehavior`]'s options as texts, in
/// any language (the English ones are also `FastShutdownBehavior::admx_label`,
/// in the trace crate, which has no catalogue).
pub trait AdmxLabel {
    /// The option's label as outlk16.adml gives it (render it at the edge).
    fn admx_label_text(self) -> Text;
}

impl AdmxLabel for FastShutdownBehavior {
    fn admx_label_text(self) -> Text {
        Text::new(match self {
            FastShutdownBehavior::OptOut => "policy-admx-option-opt-out",
            FastShutdownBehavior::OptIn => "policy-admx-option-opt-in",
            FastShutdownBehavior::Disabled => "policy-admx-option-never",
        })
    }
}
