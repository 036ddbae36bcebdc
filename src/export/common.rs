//! What the exporters share: colours, JSON strings, XML and CSV escaping, full dates, edge ids.

use crate::document::is_json_special;
#[cfg(target_arch = "x86_64")]
use crate::document::json_special_mask;
use crate::gazetteer::EntityType;
use crate::graph::{Edge, Node};
use crate::relations::Polarity;

/// The colour of an entity type as RGB, the same hues as the DOT fills, strong enough for
/// nodes drawn on white.
pub fn type_colour(entity_type: EntityType) -> (u8, u8, u8) {
    match entity_type {
        EntityType::Person => (0x0d, 0x6e, 0xfd),
        EntityType::State => (0x19, 0x87, 0x54),
        EntityType::Organization => (0xfd, 0x7e, 0x14),
        EntityType::Place => (0x6f, 0x42, 0xc1),
    }
}

/// The colour of an edge: grey for co-mention, by polarity for a relation.
pub fn edge_colour(edge: &Edge) -> (u8, u8, u8) {
    match edge.relation.as_ref() {
        None => (0x6c, 0x75, 0x7d),
        Some(relation) => polarity_colour(relation.polarity),
    }
}

/// The colour of a relation's polarity: green cooperative, red hostile, blue neutral.
pub fn polarity_colour(polarity: Polarity) -> (u8, u8, u8) {
    match polarity {
        Polarity::Cooperative => (0x19, 0x87, 0x54),
        Polarity::Hostile => (0xdc, 0x35, 0x45),
        Polarity::Neutral => (0x0d, 0x6e, 0xfd),
    }
}

pub fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Appends `text` as a JSON string. Text that needs no escape (nearly all of it, told so by
/// [`needs_escape`]) is copied as it is; the rest goes through serde_json, so that escapes come
/// out exactly as serde_json writes them.
pub fn write_json_str(out: &mut Vec<u8>, text: &str) {
    if needs_escape(text.as_bytes()) {
        serde_json::to_writer(&mut *out, text).expect("writing to a Vec cannot fail");
    } else {
        out.reserve(text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    }
}

/// Whether a JSON string of these bytes needs an escape: a control character, `"` or `\\`.
///
/// Sixteen bytes at a time with SSE2 (on x86_64), else eight at a time. No byte is looked at
/// alone except in strings of three bytes or fewer: the last block of a string is the one that
/// ends where it ends, overlapping the one before, and so is the last word.
fn needs_escape(bytes: &[u8]) -> bool {
    #[cfg(target_arch = "x86_64")]
    if bytes.len() >= 16 {
        let block_needs_escape =
            |at: usize| json_special_mask(bytes[at..at + 16].try_into().expect("16 bytes")) != 0;
        let last = bytes.len() - 16;
        return (0..last).step_by(16).any(block_needs_escape) || block_needs_escape(last);
    }
    needs_escape_by_words(bytes)
}

/// [`needs_escape`], eight bytes at a time.
fn needs_escape_by_words(bytes: &[u8]) -> bool {
    const EACH: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = EACH * 0x80;
    // A byte of `word` is zero: its high bit in the result (exact for every byte value).
    let zero_byte = |word: u64| (word.wrapping_sub(EACH) & !word & HIGH) != 0;
    let word_needs_escape = |word: u64| {
        // Bytes below 0x20 are the ones whose high bit stays clear when 0x60 is added to their
        // low seven bits (no carry leaves a byte) and the byte itself is below 0x80.
        let low = word & !HIGH;
        let control = (low.wrapping_add(EACH * 0x60) | word) & HIGH != HIGH;
        control
            || zero_byte(word ^ (EACH * u64::from(b'"')))
            || zero_byte(word ^ (EACH * u64::from(b'\\')))
    };
    let word_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
    let half_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    match bytes.len() {
        0..=3 => bytes.iter().any(|&b| is_json_special(b)),
        // Two halves, overlapping when shorter than eight bytes.
        4..=7 => {
            word_needs_escape(u64::from(half_at(0)) | u64::from(half_at(bytes.len() - 4)) << 32)
        }
        len => {
            let last = len - 8;
            (0..last)
                .step_by(8)
                .any(|at| word_needs_escape(word_at(at)))
                || word_needs_escape(word_at(last))
        }
    }
}

/// Escapes text for XML content and attribute values. Characters XML 1.0 cannot hold (most
/// control characters) are dropped; line breaks and tabs are written as character references
/// so attribute values keep them.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// One CSV field: quoted (with doubled quotes) when it holds a comma, quote or line break, or
/// starts or ends with a space.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// One spelling of a node as the articles wrote it: how often, and how it was resolved.
pub struct Spelling<'a> {
    pub text: &'a str,
    pub count: u64,
    /// Resolution methods ("exact", "fuzzy", ...), in their order.
    pub methods: Vec<&'static str>,
}

/// The node's distinct spellings, most frequent first (ties by text).
pub fn spellings(node: &Node) -> Vec<Spelling<'_>> {
    let mut spellings: Vec<Spelling> = Vec::new();
    // Surface forms are sorted by text, then method: one text's forms are adjacent.
    for (form, &count) in &node.surface_forms {
        match spellings.last_mut() {
            Some(last) if last.text == form.text => {
                last.count += count;
                last.methods.push(form.method.as_str());
            }
            _ => spellings.push(Spelling {
                text: &form.text,
                count,
                methods: vec![form.method.as_str()],
            }),
        }
    }
    spellings.sort_by(|a, b| b.count.cmp(&a.count).then(a.text.cmp(b.text)));
    spellings
}

/// The node's aliases as seen in the articles: its distinct spellings, most frequent first.
pub fn aliases(node: &Node) -> Vec<&str> {
    spellings(node).into_iter().map(|s| s.text).collect()
}

/// An edge's kept evidence, one line per sentence: "text (document)".
pub fn evidence_lines(edge: &Edge) -> Vec<String> {
    edge.evidence
        .iter()
        .map(|e| format!("{} ({})", e.text, e.document))
        .collect()
}

/// The edge's human label: "co-mention", "supports", "not supports".
pub fn edge_label(edge: &Edge) -> String {
    match (&edge.relation, edge.kind) {
        (Some(r), _) if r.negated => format!("not {}", r.name),
        (Some(r), _) => r.name.clone(),
        (None, kind) => kind.as_str().to_string(),
    }
}

/// The edge's id in every export: its position in the sorted edge list, "e0", "e1", ...
pub fn edge_id(index: usize) -> String {
    format!("e{index}")
}

/// A date range as full `YYYY-MM-DD` dates: a year or month alone becomes its first day at the
/// start and its last day at the end.
pub fn full_dates(first: &str, last: &str) -> (String, String) {
    (start_of(first), end_of(last))
}

fn start_of(date: &str) -> String {
    match date.len() {
        4 => format!("{date}-01-01"),
        7 => format!("{date}-01"),
        _ => date.to_string(),
    }
}

fn end_of(date: &str) -> String {
    match date.len() {
        4 => format!("{date}-12-31"),
        7 => {
            let year: u32 = date[..4].parse().unwrap_or(2000);
            let month: u32 = date[5..].parse().unwrap_or(1);
            let leap =
                (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
            let days = match month {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            format!("{date}-{days}")
        }
        _ => date.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both tests, sixteen bytes and eight bytes at a time, find every byte that needs an escape,
    /// at every position of a string of every length up to 40 and around 48 and 64 bytes, and
    /// nothing else.
    #[test]
    fn escapes_are_found_sixteen_and_eight_bytes_at_a_time() {
        for len in (0..=40).chain([47, 48, 49, 63, 64, 65]) {
            for at in 0..len {
                for value in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = value;
                    let expected = value < 0x20 || value == b'"' || value == b'\\';
                    assert_eq!(
                        needs_escape(&bytes),
                        expected,
                        "{value:#x} at {at} of {len}"
                    );
                    assert_eq!(needs_escape_by_words(&bytes), expected);
                }
            }
        }
        let mut out = Vec::new();
        write_json_str(&mut out, "Łukaszenka said \"no\"\n");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#""Łukaszenka said \"no\"\n""#
        );
    }

    #[test]
    fn xml_escaping_keeps_text_and_drops_what_xml_cannot_hold() {
        assert_eq!(
            xml_escape("Tom & \"Jerry\" <b>\u{1}\n"),
            "Tom &amp; &quot;Jerry&quot; &lt;b&gt;&#10;"
        );
    }

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("Putin"), "Putin");
        assert_eq!(csv_field("Minsk, Belarus"), "\"Minsk, Belarus\"");
        assert_eq!(csv_field("say \"no\""), "\"say \"\"no\"\"\"");
    }

    #[test]
    fn partial_dates_become_whole_ranges() {
        assert_eq!(
            full_dates("2020", "2020-02"),
            ("2020-01-01".into(), "2020-02-29".into())
        );
        assert_eq!(
            full_dates("2020-08-15", "2021-11"),
            ("2020-08-15".into(), "2021-11-30".into())
        );
    }
}
