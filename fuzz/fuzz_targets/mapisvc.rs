//! The `MAPISVC.INF` reader (`processes::mapisvc`: decoding, then the INI
//! parse). Never panics, whatever the bytes (its content never fails).
//! Every warning and provider names a line that exists; a provider's line
//! is its `PR_PROVIDER_DLL_NAME` entry; its DLL is `loaded_dll_name` of
//! the name as written (never blank); services and providers name
//! sections of the file; the first warning of each kind prints in every
//! language. The same text as UTF-16LE with a BOM (the other encoding the
//! file comes in) reads to the same result.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use mapi_shutdown::i18n::Lang;
use mapi_shutdown::processes::mapisvc;

fuzz_target!(|data: &[u8]| {
    let file = Path::new("MAPISVC.INF");
    let text = mapisvc::decode(data);
    let inf = mapisvc::parse(file, &text);
    let lines: Vec<&str> = text.lines().collect();
    // Rendering is Fluent's work and costs far more than the parse: the
    // first warning of each kind prints in every language (which proves its
    // message exists in each catalogue with the arguments it takes), not
    // every one of the hundreds a long input can hold.
    let mut rendered = Vec::new();
    for w in &inf.warnings {
        assert!(w.line >= 1 && w.line <= lines.len(), "{w:?}");
        let kind = std::mem::discriminant(&w.problem);
        if !rendered.contains(&kind) {
            rendered.push(kind);
            for lang in Lang::ALL {
                assert!(!w.text().render(lang).is_empty());
            }
            assert!(!w.to_string().is_empty());
        }
    }
    for p in &inf.providers {
        assert!(p.line >= 1 && p.line <= lines.len(), "{p:?}");
        let entry = lines[p.line - 1].trim();
        let key = entry.split_once('=').map(|(k, _)| k.trim()).unwrap_or("");
        assert!(
            key.eq_ignore_ascii_case("PR_PROVIDER_DLL_NAME"),
            "{p:?} at {entry:?}"
        );
        assert!(!p.dll_as_written.is_empty(), "{p:?}");
        assert_eq!(p.dll, mapisvc::loaded_dll_name(&p.dll_as_written));
        assert!(p.dll.contains("32."), "{p:?}");
        assert!(p.display_name.as_deref() != Some(""), "{p:?}");
        assert_eq!(p.service.is_some(), p.service_name.is_some(), "{p:?}");
    }
    for (section, _) in &inf.services {
        assert!(
            lines.iter().any(|l| l.contains(section.as_str())),
            "{section}"
        );
    }

    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(mapisvc::decode(&utf16), text);
    assert_eq!(mapisvc::parse(file, &mapisvc::decode(&utf16)), inf);
});
