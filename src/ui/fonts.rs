//! The window's CJK font: egui's bundled fonts have no Chinese glyphs, and
//! a CJK font is too big to ship inside the exe (10 to 20 MB), so one is
//! looked up among the system's fonts at start ([`find_cjk`]) and added
//! after egui's own fonts ([`install`]), for the proportional and the
//! monospace families. When none is found, [`FontStatus::Missing`] lets
//! the status bar say so in one line.
//!
//! Where it looks, in order of preference (docs/i18n.md): on Windows,
//! Microsoft YaHei, then SimSun and its kin, in the fonts folder; elsewhere
//! (through fontconfig's font directories), Noto Sans CJK SC, Source Han
//! Sans SC, WenQuanYi Micro Hei and Zen Hei, Droid Sans Fallback, AR PL.
//! Under Wine the prefix's fonts folder has no CJK font; the Linux host's
//! font directories are searched too, through drive `Z:`.

use std::sync::OnceLock;

/// Family names of CJK fonts with Simplified Chinese glyphs, best first.
pub const CJK_FAMILIES: &[&str] = &[
    "Microsoft YaHei",
    "Microsoft YaHei UI",
    "SimSun",
    "NSimSun",
    "DengXian",
    "SimHei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "AR PL UKai CN",
];

/// A CJK font found on the system.
#[derive(Debug)]
pub struct CjkFont {
    /// Its family name (one of [`CJK_FAMILIES`]).
    pub family: String,
    /// The file it came from.
    pub path: std::path::PathBuf,
    /// The face's index in the file (font collections, `.ttc`).
    pub index: u32,
    /// The file's bytes, read once per process.
    pub data: &'static [u8],
}

/// Whether the window has a CJK font.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FontStatus {
    /// This family, from this file.
    Loaded {
        /// The family name.
        family: String,
        /// The file.
        path: std::path::PathBuf,
    },
    /// None of [`CJK_FAMILIES`] is installed: Chinese shows as boxes.
    Missing,
}

/// The system's font database: its default directories, and under Wine
/// the host's too.
fn system_fonts() -> fontdb::Database {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    if super::running_under_wine() {
        for dir in [r"Z:\usr\share\fonts", r"Z:\usr\local\share\fonts"] {
            db.load_fonts_dir(dir);
        }
    }
    db
}

/// The first of [`CJK_FAMILIES`] installed on the system, read into memory
/// (once per process: later calls return the same font).
pub fn find_cjk() -> Option<&'static CjkFont> {
    static FOUND: OnceLock<Option<CjkFont>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let db = system_fonts();
            CJK_FAMILIES.iter().find_map(|family| {
                let id = db.query(&fontdb::Query {
                    families: &[fontdb::Family::Name(family)],
                    ..Default::default()
                })?;
                let (source, index) = db.face_source(id)?;
                let path = match source {
                    fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => path,
                    fontdb::Source::Binary(_) => return None,
                };
                let data = std::fs::read(&path).ok()?;
                Some(CjkFont {
                    family: (*family).to_string(),
                    path,
                    index,
                    data: Box::leak(data.into_boxed_slice()),
                })
            })
        })
        .as_ref()
}

/// Adds the system's CJK font to `ctx` as the last fallback of both
/// families, and says whether there was one.
pub fn install(ctx: &egui::Context) -> FontStatus {
    let Some(font) = find_cjk() else {
        return FontStatus::Missing;
    };
    let mut data = egui::FontData::from_static(font.data);
    data.index = font.index;
    let families = [egui::FontFamily::Proportional, egui::FontFamily::Monospace]
        .into_iter()
        .map(|family| egui::epaint::text::InsertFontFamily {
            family,
            priority: egui::epaint::text::FontPriority::Lowest,
        })
        .collect();
    ctx.add_font(egui::epaint::text::FontInsert::new(
        "system-cjk",
        data,
        families,
    ));
    FontStatus::Loaded {
        family: font.family.clone(),
        path: font.path.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where a CJK font is installed (CI installs fonts-wqy-microhei), the
    /// window can draw Chinese after `install`.
    #[test]
    fn an_installed_cjk_font_draws_chinese() {
        let ctx = egui::Context::default();
        let status = install(&ctx);
        // Fonts are built on the first frame.
        let mut out = ctx.run_ui(Default::default(), |_| {});
        out.textures_delta.clear();
        let has = ctx.fonts_mut(|f| f.has_glyphs(&egui::FontId::proportional(14.0), "快速关闭"));
        match status {
            FontStatus::Loaded { family, path } => {
                assert!(
                    has,
                    "{family} from {} has no Chinese glyphs",
                    path.display()
                )
            }
            FontStatus::Missing => {
                assert!(!has);
                if std::env::var_os("MAPI_SHUTDOWN_REQUIRE_CJK_FONT").is_some() {
                    panic!("no CJK font found, and MAPI_SHUTDOWN_REQUIRE_CJK_FONT is set");
                }
                eprintln!("skipped: no CJK font on this machine (install fonts-wqy-microhei)");
            }
        }
    }
}
