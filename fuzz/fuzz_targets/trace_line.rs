//! The trace decoder, one line at a time (`codec::decode_line`, fast
//! paths included): never panics; an error is a per-line one (never
//! fatal) naming the line it was given; a decoded record encodes to one
//! line that decodes to the same record on both paths, and encoding it
//! again gives the same bytes.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mapi_shutdown::trace::codec::{self, DecodeError};

fuzz_target!(|data: &[u8]| {
    match codec::decode_line(data, 7) {
        Ok(record) => {
            let encoded = codec::encode(&record);
            let text = encoded
                .strip_suffix('\n')
                .expect("an encoded record ends with its newline");
            assert!(
                !text.contains('\n'),
                "an encoded record spans lines: {text:?}"
            );
            let again = codec::decode_line(text.as_bytes(), 1);
            assert_eq!(again.as_ref(), Ok(&record), "{text}");
            assert_eq!(
                codec::decode_general(text.as_bytes(), 1).as_ref(),
                Ok(&record)
            );
            assert_eq!(codec::encode(&again.unwrap()), encoded);
        }
        Err(e) => {
            assert!(!e.is_fatal(), "decode_line said a fatal {e:?}");
            assert!(
                matches!(
                    e,
                    DecodeError::Invalid { line: 7, .. }
                        | DecodeError::MissingField { line: 7, .. }
                ),
                "{e:?}"
            );
            let _ = e.to_string();
        }
    }
});
