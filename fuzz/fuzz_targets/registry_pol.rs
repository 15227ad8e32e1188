//! The Group Policy `Registry.pol` reader (`policy::gpo::parse`) and its
//! import review (`policy::gpo::plan_import`). Never panics. A refused
//! file names an offset inside it, and a message; an accepted one has
//! records in file order, each starting with `[` at its offset, with the
//! key and value name `preg` reads there, and plans like a `.reg` import
//! ([`check_import_plan`]: only shutdown values, valid data, idempotent).

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use mapi_shutdown::policy::gpo;
use mapi_shutdown::policy::store::StoreError;
use mapi_shutdown_fuzz::check_import_plan;

fuzz_target!(|data: &[u8]| {
    let pol = match gpo::parse(data, Path::new("Registry.pol")) {
        Ok(pol) => pol,
        Err(StoreError::Malformed {
            offset, message, ..
        }) => {
            assert!(
                offset as usize <= data.len(),
                "offset {offset} past the end"
            );
            assert!(!message.is_empty());
            return;
        }
        Err(e) => panic!("not a malformed-file error: {e:?}"),
    };
    let theirs = preg::PolicyFile::parse(data).expect("we accept only what preg reads");
    assert_eq!(theirs.entries.len(), pol.records.len());
    let mut last = None;
    for (r, e) in pol.records.iter().zip(&theirs.entries) {
        let at = r.offset as usize;
        assert!(last.is_none_or(|l| l < at), "records out of order");
        last = Some(at);
        assert_eq!(data.get(at..at + 2), Some(&b"[\0"[..]), "no record at {at}");
        assert_eq!((&r.key, &r.value), (&e.key, &e.value));
        // An exact name holds no replacement character that the file
        // does not hold.
        assert!(!r.key.contains('\u{fffd}') || data.windows(2).any(|w| w == [0xfd, 0xff]));
    }
    check_import_plan(|store| gpo::plan_import(store, &pol).expect("the memory store never fails"));
});
