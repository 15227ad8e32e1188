//! The provider catalog: the DLLs the process view recognises in a MAPI
//! client, each with its role (subsystem stub, subsystem, provider), its
//! provider kinds and a description. It starts from `assets/providers.toml`
//! (the well-known DLLs of docs/domain.md, embedded in the binary) and is
//! extended at run time with the providers of a `MAPISVC.INF`
//! ([`Catalog::add_mapisvc`]). Lookups are by file name, case-insensitive.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::mapi::ProviderKind;
use crate::processes::mapisvc::MapiSvc;

/// The embedded catalog file.
pub const BUILTIN_TOML: &str = include_str!("../../../../assets/providers.toml");

/// What a catalog DLL is to a MAPI client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// `mapi32.dll` in System32: dispatches to the default mail client's
    /// subsystem (docs/domain.md).
    SubsystemStub,
    /// A MAPI subsystem (`olmapi32.dll`, `msmapi32.dll`, `exmapi32.dll`).
    Subsystem,
    /// A MAPI provider DLL (transport, address book, message store).
    Provider,
}

impl Role {
    /// Whether a process with this DLL loaded is a MAPI process (the stub
    /// and the subsystems).
    pub fn is_subsystem(self) -> bool {
        matches!(self, Role::SubsystemStub | Role::Subsystem)
    }
}

/// Where a catalog entry (or part of it) came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Source {
    /// `assets/providers.toml`.
    Builtin,
    /// A provider section of a `MAPISVC.INF`.
    MapiSvc {
        /// The file.
        file: PathBuf,
        /// The line of its `PR_PROVIDER_DLL_NAME`.
        line: usize,
        /// The provider section.
        section: String,
    },
}

/// One DLL of the catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CatalogEntry {
    /// The file name, lower case (`emsmdb32.dll`).
    pub dll: String,
    /// Subsystem stub, subsystem or provider.
    pub role: Role,
    /// Provider kinds, in call order (empty for subsystems).
    pub kinds: Vec<ProviderKind>,
    /// A short name for tables (`Microsoft Exchange`).
    pub title: String,
    /// What it is, for people.
    pub description: String,
    /// Display names from `MAPISVC.INF` (`PR_PROVIDER_DISPLAY`, service
    /// names), without duplicates.
    pub display_names: Vec<String>,
    /// Where it came from: the builtin file and/or `MAPISVC.INF` sections.
    pub sources: Vec<Source>,
}

/// The catalog file could not be parsed (a build-time asset, so a bug).
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// Not valid TOML for [`CatalogFile`].
    #[error("bad provider catalog: {0}")]
    Toml(#[from] toml::de::Error),
    /// A DLL listed twice.
    #[error("bad provider catalog: {0} is listed twice")]
    Duplicate(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    dll: Vec<FileEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileEntry {
    name: String,
    role: Role,
    #[serde(default)]
    kinds: Vec<ProviderKind>,
    title: String,
    description: String,
}

/// DLL file name -> entry, case-insensitive.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalog {
    entries: BTreeMap<String, CatalogEntry>,
}

impl Catalog {
    /// The embedded `assets/providers.toml`.
    ///
    /// # Errors
    /// Never for the file shipped (a unit test parses it); a
    /// [`CatalogError`] would mean the asset is broken.
    pub fn builtin() -> Result<Catalog, CatalogError> {
        Catalog::from_toml(BUILTIN_TOML)
    }

    /// A catalog in the format of `assets/providers.toml`.
    ///
    /// # Errors
    /// [`CatalogError`] for bad TOML or a DLL listed twice.
    pub fn from_toml(text: &str) -> Result<Catalog, CatalogError> {
        let file: CatalogFile = toml::from_str(text)?;
        let mut entries = BTreeMap::new();
        for e in file.dll {
            let dll = e.name.to_ascii_lowercase();
            let mut kinds = e.kinds;
            kinds.sort();
            kinds.dedup();
            let entry = CatalogEntry {
                dll: dll.clone(),
                role: e.role,
                kinds,
                title: e.title,
                description: e.description,
                display_names: Vec::new(),
                sources: vec![Source::Builtin],
            };
            if entries.insert(dll.clone(), entry).is_some() {
                return Err(CatalogError::Duplicate(dll));
            }
        }
        Ok(Catalog { entries })
    }

    /// Add the providers of a `MAPISVC.INF`: a DLL already known gains the
    /// kind and display names; a new DLL becomes a provider entry titled
    /// with its display name. Subsystem entries keep their role.
    pub fn add_mapisvc(&mut self, svc: &MapiSvc) {
        for p in &svc.providers {
            let source = Source::MapiSvc {
                file: svc.file.clone(),
                line: p.line,
                section: p.section.clone(),
            };
            let entry = self.entries.entry(p.dll.clone()).or_insert_with(|| {
                let title = p
                    .service_name
                    .clone()
                    .or_else(|| p.display_name.clone())
                    .unwrap_or_else(|| p.section.clone());
                CatalogEntry {
                    dll: p.dll.clone(),
                    role: Role::Provider,
                    kinds: Vec::new(),
                    title,
                    description: format!(
                        "MAPI provider {} from {}",
                        p.dll_as_written,
                        svc.file.display()
                    ),
                    display_names: Vec::new(),
                    sources: Vec::new(),
                }
            });
            if let Some(kind) = p.kind
                && entry.role == Role::Provider
                && !entry.kinds.contains(&kind)
            {
                entry.kinds.push(kind);
                entry.kinds.sort();
            }
            for name in [&p.display_name, &p.service_name].into_iter().flatten() {
                if !entry.display_names.contains(name) {
                    entry.display_names.push(name.clone());
                }
            }
            if !entry.sources.contains(&source) {
                entry.sources.push(source);
            }
        }
    }

    /// The entry for a DLL file name (any case, no path).
    pub fn get(&self, dll: &str) -> Option<&CatalogEntry> {
        if dll.bytes().any(|b| b.is_ascii_uppercase()) {
            self.entries.get(&dll.to_ascii_lowercase())
        } else {
            self.entries.get(dll)
        }
    }

    /// Every entry, by DLL name.
    pub fn entries(&self) -> impl Iterator<Item = &CatalogEntry> {
        self.entries.values()
    }

    /// Number of DLLs.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the catalog is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The MAPI subsystem DLLs (docs/domain.md): a process with one of them loaded
/// is a MAPI process, whatever the catalog says.
pub const SUBSYSTEM_DLLS: [&str; 4] =
    ["mapi32.dll", "olmapi32.dll", "msmapi32.dll", "exmapi32.dll"];

/// Whether `dll` (a file name, any case) is a MAPI subsystem DLL.
pub fn is_subsystem_dll(dll: &str) -> bool {
    SUBSYSTEM_DLLS.iter().any(|s| s.eq_ignore_ascii_case(dll))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::processes::mapisvc;

    #[test]
    fn the_builtin_catalog_has_every_dll_of_the_domain() {
        let c = Catalog::builtin().expect("asset parses");
        for dll in SUBSYSTEM_DLLS {
            assert!(c.get(dll).expect(dll).role.is_subsystem(), "{dll}");
        }
        assert_eq!(
            c.get("mapi32.dll").map(|e| e.role),
            Some(Role::SubsystemStub)
        );
        let pst = c.get("MSPST32.DLL").expect("any case");
        assert_eq!(pst.role, Role::Provider);
        assert_eq!(
            pst.kinds,
            vec![ProviderKind::AddressBook, ProviderKind::MessageStore]
        );
        for dll in [
            "emsmdb32.dll",
            "emsabp32.dll",
            "emsui32.dll",
            "contab32.dll",
            "pstprx32.dll",
            "msncon32.dll",
        ] {
            let e = c.get(dll).expect(dll);
            assert_eq!(e.role, Role::Provider, "{dll}");
            assert!(!e.kinds.is_empty() && !e.description.is_empty(), "{dll}");
        }
        assert_eq!(c.len(), 11);
    }

    #[test]
    fn bad_catalogs_are_errors() {
        assert!(matches!(
            Catalog::from_toml("[[dll]]\nname = 'a.dll'\n"),
            Err(CatalogError::Toml(_))
        ));
        let twice = "[[dll]]\nname='A.dll'\nrole='provider'\ntitle='a'\ndescription='a'\n\
                     [[dll]]\nname='a.DLL'\nrole='provider'\ntitle='a'\ndescription='a'\n";
        assert!(matches!(
            Catalog::from_toml(twice),
            Err(CatalogError::Duplicate(d)) if d == "a.dll"
        ));
    }

    #[test]
    fn mapisvc_extends_the_catalog() {
        let mut c = Catalog::builtin().expect("asset parses");
        let file = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .join("tests/data/mapisvc/MAPISVC.INF");
        let svc = mapisvc::read(&file).expect("fixture");
        c.add_mapisvc(&svc);
        let acme = c.get("acmearc32.dll").expect("new provider from the INF");
        assert_eq!(acme.role, Role::Provider);
        assert_eq!(acme.kinds, vec![ProviderKind::MessageStore]);
        assert_eq!(acme.title, "Acme Archive");
        assert!(
            matches!(&acme.sources[0], Source::MapiSvc { section, .. } if section == "ACME_STORE")
        );
        let mdb = c.get("emsmdb32.dll").expect("known");
        assert_eq!(mdb.title, "Microsoft Exchange", "builtin title kept");
        assert!(
            mdb.display_names
                .contains(&"Microsoft Exchange Message Store".to_owned())
        );
        assert_eq!(mdb.sources.len(), 3, "builtin + two INF sections");
        assert_eq!(c.len(), 12);
    }

    #[test]
    fn subsystem_dlls_any_case() {
        assert!(is_subsystem_dll("OLMAPI32.DLL"));
        assert!(is_subsystem_dll("mapi32.dll"));
        assert!(!is_subsystem_dll("mapi32.dll.mui"));
        assert!(!is_subsystem_dll("emsmdb32.dll"));
    }
}
