//! A fast path for the common document record of JSON Lines: one object whose members are
//! `id`, `text`, `date` and `title` with string values (or `null` for the last two), each at
//! most once.
//!
//! It owns only the reading of such a line. It never decides that a line is malformed: for
//! anything else (another key, a key or value it does not read, a duplicate, an escape it does
//! not decode, trailing text) it gives up, and the caller parses the line with serde_json, which
//! accepts or rejects it and words the error. For every line it reads, it gives what serde_json
//! gives for it; the property test in the tests below holds it to that.
//!
//! Why: serde_json found the end of the text eight bytes at a time and copied it twice (into
//! its scratch buffer, then into the `String`); news texts are most of the input. Here the
//! string is scanned 16 bytes at a time (SSE2) and copied once.

/// A document record as [`super::JsonDocument`] holds it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Record {
    pub id: String,
    pub text: String,
    pub date: Option<String>,
    pub title: Option<String>,
}

/// The record of `line`, when it is one this fast path reads; `None` leaves it to serde_json.
pub(super) fn read_record(line: &str) -> Option<Record> {
    let mut reader = Reader {
        line,
        bytes: line.as_bytes(),
        at: 0,
    };
    let (mut id, mut text, mut date, mut title) = (None, None, None, None);
    reader.skip_space();
    reader.expect(b'{')?;
    loop {
        reader.skip_space();
        let key = reader.plain_key()?;
        reader.skip_space();
        reader.expect(b':')?;
        reader.skip_space();
        let slot = match key {
            b"id" => &mut id,
            b"text" => &mut text,
            b"date" => &mut date,
            b"title" => &mut title,
            _ => return None,
        };
        if slot.is_some() {
            // A duplicate: serde_json refuses it.
            return None;
        }
        *slot = Some(if reader.peek() == Some(b'n') {
            // `null` is an absent date or title, and no id or text.
            if !matches!(key, b"date" | b"title") {
                return None;
            }
            reader.literal(b"null")?;
            None
        } else {
            Some(reader.string(key == b"text")?)
        });
        reader.skip_space();
        match reader.next()? {
            b',' => continue,
            b'}' => break,
            _ => return None,
        }
    }
    reader.skip_space();
    if reader.at != reader.bytes.len() {
        return None;
    }
    Some(Record {
        id: id??,
        text: text??,
        date: date.flatten(),
        title: title.flatten(),
    })
}

struct Reader<'a> {
    line: &'a str,
    /// The line's bytes.
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.next()? == byte).then_some(())
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let found = self.bytes.get(self.at..self.at + word.len())? == word;
        self.at += word.len();
        found.then_some(())
    }

    /// JSON's white space: space, tab, line feed, carriage return.
    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// A key with no escape in it.
    fn plain_key(&mut self) -> Option<&'a [u8]> {
        self.expect(b'"')?;
        let start = self.at;
        let end = start + special_at(&self.bytes[start..]);
        if self.bytes.get(end) != Some(&b'"') {
            return None;
        }
        self.at = end + 1;
        let bytes: &'a [u8] = self.bytes;
        Some(&bytes[start..end])
    }

    /// A string value, its escapes decoded (all but `\u` escapes of surrogates, left to
    /// serde_json); `None` for a control character or an unknown escape (serde_json refuses
    /// both). `long` says the string is most of the line (a document's text): then, at its
    /// first escape, it is given room for the rest of the line, which it never outgrows.
    fn string(&mut self, long: bool) -> Option<String> {
        self.expect(b'"')?;
        // Every piece copied lies between ASCII bytes (quotes and escapes) of a `str`: it is
        // text on its own, sliced without checking it again.
        let mut out = String::new();
        loop {
            let run = special_at(&self.bytes[self.at..]);
            let piece = &self.line[self.at..self.at + run];
            if out.capacity() == 0 && self.bytes.get(self.at + run) == Some(&b'"') {
                // No escape at all: one copy.
                self.at += run + 1;
                return Some(piece.to_owned());
            }
            if out.capacity() == 0 {
                // Each escape makes the text shorter than it is written: the rest of the line
                // is room enough for a long one, and a short one gets a little to spare.
                out.reserve(if long {
                    self.bytes.len() - self.at
                } else {
                    run + 64
                });
            }
            out.push_str(piece);
            self.at += run;
            match self.next()? {
                b'"' => return Some(out),
                b'\\' => {
                    let decoded = match self.next()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => char::from_u32(self.hex4()?)?,
                        _ => return None,
                    };
                    out.push(decoded);
                }
                // A control character.
                _ => return None,
            }
        }
    }

    /// Four hex digits of a `\u` escape; `None` for a surrogate (`char::from_u32` refuses it
    /// too) or a digit that is not hex.
    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.at..self.at + 4)?;
        self.at += 4;
        let text = std::str::from_utf8(digits).ok()?;
        if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(text, 16).ok()
    }
}

/// Whether a JSON string cannot hold this byte as it is: a control character, `"` or `\\`.
/// Reading JSON strings here and writing them (`export`) look for the same bytes.
pub(crate) fn is_json_special(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// The bytes of a 16-byte block that [`is_json_special`], as bits (bit `i` for byte `i`), with
/// SSE2.
#[cfg(target_arch = "x86_64")]
#[inline]
pub(crate) fn json_special_mask(block: &[u8; 16]) -> u32 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    // SAFETY: SSE2 is part of x86_64, and the load reads the array's 16 bytes, unaligned.
    unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast());
        // A byte is at most 0x1f (unsigned) when its maximum with 0x1f is 0x1f.
        let control = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
        let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
        _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))) as u32
    }
}

/// The index of the first byte of `bytes` that [`is_json_special`] (its length if none):
/// sixteen bytes at a time with SSE2 on x86_64.
fn special_at(bytes: &[u8]) -> usize {
    let mut at = 0;
    #[cfg(target_arch = "x86_64")]
    while let Some(block) = bytes.get(at..at + 16) {
        let found = json_special_mask(block.try_into().expect("16 bytes"));
        if found != 0 {
            return at + found.trailing_zeros() as usize;
        }
        at += 16;
    }
    at + bytes[at..]
        .iter()
        .position(|&b| is_json_special(b))
        .unwrap_or(bytes.len() - at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What serde_json makes of a line, as a [`Record`].
    fn by_serde(line: &str) -> Option<Record> {
        let record: super::super::JsonDocument = serde_json::from_str(line).ok()?;
        Some(Record {
            id: record.id,
            text: record.text,
            date: record.date,
            title: record.title,
        })
    }

    #[test]
    fn common_records_are_read_as_serde_json_reads_them() {
        let lines = [
            r#"{"id": "d1", "text": "Putin \"backs\" Lukashenko.\n\nMinsk", "date": "2020-08-15"}"#,
            r#"{"text":"a\u00e9\u2019\/\\\b\f\r\t","id":"x","title":null,"date":null}"#,
            " {\"id\": \"a\", \"text\": \"\"} \n",
            r#"{"id": "Ціханоўская", "text": "Łukaszenka 🇧🇾"}"#,
        ];
        for line in lines {
            assert!(read_record(line).is_some(), "{line}");
            assert_eq!(read_record(line), by_serde(line), "{line}");
        }
    }

    #[test]
    fn anything_else_is_left_to_serde_json() {
        let lines = [
            r#"{"id": "a", "text": "b", "id": "c"}"#,
            r#"{"id": "a", "text": "b", "other": 1}"#,
            r#"{"id": "a"}"#,
            r#"{"id": "a", "text": "b"} x"#,
            r#"{"id": "a", "text": "\ud83c\udde7"}"#,
            r#"{"id": "a", "text": "\ud83c"}"#,
            r#"{"id": "a", "text": "\x"}"#,
            "{\"id\": \"a\", \"text\": \"tab\tinside\"}",
            r#"{"\u0069d": "a", "text": "b"}"#,
            r#"{"id": null, "text": "b"}"#,
            r#"{"id": "a", "text": "b",}"#,
            r#"["id", "text"]"#,
            "",
        ];
        for line in lines {
            assert_eq!(read_record(line), None, "{line}");
        }
    }

    #[test]
    fn special_bytes_are_found_at_every_position() {
        for len in 0..40 {
            for at in 0..=len {
                for special in [b'"', b'\\', 0x00, 0x1f] {
                    let mut bytes = vec![b'a'; len];
                    if at < len {
                        bytes[at] = special;
                    }
                    assert_eq!(special_at(&bytes), at, "{special:#x} at {at} of {len}");
                }
            }
        }
    }

    /// Lines that are mostly records (an id and a text, maybe a date and a title, in any order)
    /// with now and then what makes a line something else: another member (unknown, escaped or
    /// duplicate key, a number), a bad escape or control character in a value, trailing text.
    fn line() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            8 => "[a-zé’🇧 .]{0,20}",
            2 => Just("\\\"".to_string()),
            1 => Just("\\\\".to_string()),
            1 => Just("\\/".to_string()),
            2 => Just("\\n".to_string()),
            1 => Just("\\u00e9".to_string()),
            1 => Just("\\u2019".to_string()),
            1 => Just("\\ud83c\\udde7".to_string()),
            1 => Just("\\ud83c".to_string()),
            1 => Just("\\x".to_string()),
            1 => Just("\\u12".to_string()),
            1 => Just("\t".to_string()),
            1 => Just("\u{1}".to_string()),
        ];
        let string = || {
            prop::collection::vec(piece.clone(), 0..4).prop_map(|p| format!("\"{}\"", p.concat()))
        };
        let optional = prop_oneof![3 => string(), 1 => Just("null".to_string())];
        let key = prop_oneof![
            Just("id"),
            Just("text"),
            Just("date"),
            Just("other"),
            Just("\\u0074ext"),
        ];
        let extra_value = prop_oneof![string(), Just("12".to_string()), Just("null".to_string())];
        let extra = prop_oneof![
            5 => Just(None),
            1 => (key, extra_value).prop_map(|(k, v)| Some(format!("\"{k}\": {v}"))),
        ];
        let space = prop_oneof![Just(""), Just(" "), Just("\n"), Just(" \t\r")];
        let end = prop_oneof![8 => Just(""), 1 => Just(","), 1 => Just(" x")];
        (
            string(),
            string(),
            prop::option::of(optional.clone()),
            prop::option::of(optional),
            extra,
            space,
            end,
        )
            .prop_flat_map(|(id, text, date, title, extra, space, end)| {
                let mut members = vec![format!("\"id\":{space}{id}"), format!("\"text\": {text}")];
                members.extend(date.map(|d| format!("\"date\" :{d}")));
                members.extend(title.map(|t| format!("\"title\":{t}{space}")));
                members.extend(extra);
                Just(members)
                    .prop_shuffle()
                    .prop_map(move |m| format!("{space}{{{}}}{end}{space}", m.join(",")))
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Whatever the fast path reads, serde_json reads the same way.
        #[test]
        fn the_fast_path_reads_only_what_serde_json_reads_the_same(line in line()) {
            if let Some(record) = read_record(&line) {
                prop_assert_eq!(Some(record), by_serde(&line));
            }
        }
    }
}
