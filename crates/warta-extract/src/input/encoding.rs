//! Bytes to text: binary sniffing and UTF-8 decoding (strict, with an
//! error that shows where, or lossy on request).

use super::{InputError, SNIFF_BYTES};

pub(super) fn sniff(bytes: &[u8]) -> &[u8] {
    bytes.get(..SNIFF_BYTES).unwrap_or(bytes)
}

pub(super) fn check_not_binary(bytes: &[u8], name: &str) -> Result<(), InputError> {
    // UTF-16 is full of NULs; say what it is rather than "binary".
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(InputError::Utf16 {
            path: name.to_owned(),
        });
    }
    if sniff(bytes).contains(&0) {
        return Err(InputError::Binary {
            path: name.to_owned(),
        });
    }
    Ok(())
}

/// For input that is not UTF-8: many C0 control bytes mean binary data,
/// whereas legacy-encoded text (Latin-1, Windows-1252) has almost none.
pub(super) fn looks_binary(head: &[u8]) -> bool {
    let controls = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)) || b == 0x7f)
        .count();
    controls * 20 > head.len()
}

/// Builds the error for invalid UTF-8 at `valid_up_to` in `body`, which
/// starts on line `first_line` and at file offset `base`.
pub(super) fn invalid_utf8(
    name: &str,
    body: &[u8],
    valid_up_to: usize,
    first_line: u64,
    base: usize,
) -> InputError {
    let valid = body
        .get(..valid_up_to)
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or("");
    // Count CR, LF and CRLF as one break each, like normalise_text.
    let (mut line, mut column) = (first_line, 1u64);
    let mut after_cr = false;
    for c in valid.chars() {
        match c {
            '\n' if after_cr => {}
            '\n' | '\r' => {
                line += 1;
                column = 1;
            }
            _ => column += 1,
        }
        after_cr = c == '\r';
    }
    InputError::InvalidUtf8 {
        path: name.to_owned(),
        line,
        column,
        byte: u64::try_from(base.saturating_add(valid_up_to)).unwrap_or(u64::MAX),
    }
}
