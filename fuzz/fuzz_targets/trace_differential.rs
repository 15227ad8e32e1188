//! The trace decoder's hand-written canonical fast path against serde's
//! general path. Input: one byte of chunk size, then the bytes, taken
//! both as one line and as the body of a stream after a `hello`.
//! Asserts: `decode_line` (fast paths) and `decode_general` give the same
//! record or the same error for the line; whatever the fast path alone
//! (`decode_canonical`) accepts, serde decodes to the same record; a
//! `Decoder` with its fast paths and `Decoder::general_only` say the same
//! records from the same line texts and the same errors, pushed or read.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mapi_shutdown::trace::codec::{self, Decoder};
use mapi_shutdown_fuzz::{Feed, HELLO, chunks, decoder_says};

fuzz_target!(|data: &[u8]| {
    let [chunk, line @ ..] = data else { return };
    let general = codec::decode_general(line, 3);
    assert_eq!(
        codec::decode_line(line, 3),
        general,
        "line {:?}",
        String::from_utf8_lossy(line)
    );
    if let Some(fast) = codec::decode_canonical(line) {
        assert_eq!(
            Ok(fast),
            general,
            "the fast path accepted {:?}",
            String::from_utf8_lossy(line)
        );
    }

    let mut stream = HELLO.to_vec();
    stream.extend_from_slice(line);
    let pieces = chunks(&stream, &[usize::from(*chunk) + 1]);
    let reference = decoder_says(Decoder::general_only(), &pieces, Feed::Push);
    assert_eq!(decoder_says(Decoder::new(), &pieces, Feed::Push), reference);
    assert_eq!(decoder_says(Decoder::new(), &pieces, Feed::Read), reference);
});
