//! The streaming trace decoder fed in arbitrary chunks. Input: one byte
//! of flags, one byte of chunk-size count N, N chunk sizes, then the
//! stream (with flag 4, expanded by `expand`, so lines over the 64 KiB
//! limit are reachable: at most 72 KiB, cut 61 times coarser past 16 KiB). Asserts: whatever the chunking (the whole stream at once,
//! the chosen sizes with `push`, the same with `read_from`, one byte at a
//! time), the decoder says the same thing: the same records from the same
//! line texts, the same errors with the same line numbers, the same end;
//! every record decodes again from its line; `read_all` agrees with it.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mapi_shutdown::trace::codec::{self, Decoder};
use mapi_shutdown_fuzz::{Feed, HELLO, chunk_sizes, chunks, clean_records, decoder_says, expand};

fuzz_target!(|data: &[u8]| {
    let [flags, n, rest @ ..] = data else { return };
    let n = usize::from(*n % 8).min(rest.len());
    let (sizes, body) = rest.split_at(n);
    let sizes = chunk_sizes(sizes);
    let mut stream = Vec::new();
    if flags & 1 == 0 {
        stream.extend_from_slice(HELLO);
    }
    // Lines past the limit only when flag 4 asks (an expanded stream costs
    // a hundred times a plain one), and room for one such line, no more;
    // a long stream in coarser pieces (still at arbitrary offsets).
    if flags & 4 != 0 {
        stream.extend(expand(body));
        stream.truncate(72 * 1024);
    } else {
        stream.extend_from_slice(body);
    }
    let sizes: Vec<usize> = if stream.len() > 16 * 1024 {
        sizes.iter().map(|s| s * 61).collect()
    } else {
        sizes
    };

    let whole = decoder_says(Decoder::new(), &[&stream], Feed::Push);
    let pieces = chunks(&stream, &sizes);
    assert_eq!(
        decoder_says(Decoder::new(), &pieces, Feed::Push),
        whole,
        "push, sizes {sizes:?}"
    );
    assert_eq!(
        decoder_says(Decoder::new(), &pieces, Feed::Read),
        whole,
        "read_from, sizes {sizes:?}"
    );
    if flags & 2 != 0 && stream.len() <= 4096 {
        let bytes = chunks(&stream, &[1]);
        assert_eq!(
            decoder_says(Decoder::new(), &bytes, Feed::Push),
            whole,
            "one byte at a time"
        );
    }

    // read_all stops at the first error of any kind.
    let clean = clean_records(&[&stream]);
    match codec::read_all(stream.as_slice()) {
        Ok(records) => assert_eq!(Some(records), clean),
        Err(e) => {
            assert!(clean.is_none(), "read_all failed ({e}) on a clean stream");
            assert!(
                whole
                    .iter()
                    .any(|s| *s == format!("error {e}") || *s == format!("finish Err({e:?})")),
                "read_all's error {e} is not the decoder's: {whole:?}"
            );
        }
    }
});
