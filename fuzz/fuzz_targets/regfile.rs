//! The `.reg` reader (`policy::regfile`): decoding (UTF-16 with or without
//! BOM, UTF-8, ANSI), the line-by-line validation, regashii's parse. Never
//! panics; a rejected file names a line that exists. A file it accepts
//! goes through the file store's own cycle (tree -> Regedit5 text ->
//! UTF-16LE bytes -> parse -> tree) unchanged: what the store writes, it
//! reads back, and the written text passes the validation; writing the
//! tree read back gives the same bytes again.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use mapi_shutdown::policy::regfile;
use mapi_shutdown::policy::store::StoreError;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.reg");
    let reg = match regfile::parse_bytes(data, path, false) {
        Ok(reg) => reg,
        Err(StoreError::Parse { line, message, .. }) => {
            assert!(line >= 1, "line 0: {message}");
            if let Ok(text) = regfile::decode(data) {
                let lines = text.split('\n').count();
                assert!(line <= lines.max(1), "line {line} of {lines}: {message}");
            }
            return;
        }
        Err(e) => panic!("not a parse error: {e:?}"),
    };
    let tree = regfile::tree_from_registry(&reg);
    let text = regfile::registry_from_tree(&tree).serialize();
    if let Err((line, message)) = regfile::validate(&text) {
        panic!("the store writes a file it rejects, line {line}: {message}\n{text}");
    }
    let bytes = regfile::encode_regedit5(&text);
    let back = regfile::parse_bytes(&bytes, path, true)
        .unwrap_or_else(|e| panic!("the store cannot read back what it wrote: {e}\n{text}"));
    let tree_back = regfile::tree_from_registry(&back);
    assert_eq!(
        tree_back, tree,
        "the tree changed through the file:\n{text}"
    );
    let again = regfile::encode_regedit5(&regfile::registry_from_tree(&tree_back).serialize());
    assert_eq!(again, bytes, "writing the tree read back gives other bytes");
});
