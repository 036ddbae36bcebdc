//! The tokenizer: what each byte is, 64 bytes at a time, as bit masks; tokens read off them.
//!
//! A block of 64 bytes becomes a handful of `u64` masks (bit `i` tells about byte `i`): word
//! bytes, separator bytes, line feeds, ASCII capitals, and the first and last byte of every
//! other character. ASCII, nearly all of any news text, is classified 16 bytes at a time
//! (SSE2 on x86_64, a table elsewhere); only the characters of other scripts are decoded and
//! asked Unicode's questions, and their bits patched in. Token starts and ends are then bit
//! operations on the masks, and the loop that writes the tokens runs once per token, not once
//! per byte, with no branch that depends on the text. For a document, the tokens that start
//! with a capital or beyond ASCII are listed too, from the same masks.
//!
//! The masks give the same tokens as the definition in [`super`]: a maximal run of word
//! characters, or any single other character that is not a separator.

use super::{is_separator, is_word_char, Token, TokenKind};

/// One block of text as bit masks: bit `i` describes byte `i` of the block.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Masks {
    /// Bytes of word characters (letters, digits, combining marks).
    word: u64,
    /// Bytes of separators (white space, control characters, U+FEFF).
    separator: u64,
    /// Line feeds.
    newline: u64,
    /// ASCII capital letters.
    capital: u64,
    /// The first byte of every character that is a token by itself...
    punct_first: u64,
    /// ... and its last byte.
    punct_last: u64,
}

impl Masks {
    fn or(self, other: Masks) -> Masks {
        Masks {
            word: self.word | other.word,
            separator: self.separator | other.separator,
            newline: self.newline | other.newline,
            capital: self.capital | other.capital,
            punct_first: self.punct_first | other.punct_first,
            punct_last: self.punct_last | other.punct_last,
        }
    }
}

/// Bytes per block.
const BLOCK: usize = 64;

/// For [`super::is_collapsed`], of 16 bytes: the mask of the spaces, and the mask of the bytes
/// that are never in collapsed text (ASCII white space other than the space, and the lead bytes
/// of the other white space characters: 0xC2, 0xE1 to 0xE3).
#[cfg(target_arch = "x86_64")]
pub(super) fn collapse_masks(block: &[u8; 16]) -> (u32, u32) {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8, _mm_sub_epi8,
    };
    // SAFETY: SSE2 is part of x86_64, and the load reads the block's 16 bytes, unaligned.
    unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast());
        // `v - low` is at most `span` (unsigned) for the bytes from `low` to `low + span`.
        let within = |low: u8, span: u8| {
            let shifted = _mm_sub_epi8(v, _mm_set1_epi8(low as i8));
            let span = _mm_set1_epi8(span as i8);
            _mm_cmpeq_epi8(_mm_max_epu8(shifted, span), span)
        };
        let spaces = _mm_cmpeq_epi8(v, _mm_set1_epi8(b' ' as i8));
        let other = _mm_or_si128(
            _mm_or_si128(within(b'\t', 4), within(0xE1, 2)),
            _mm_cmpeq_epi8(v, _mm_set1_epi8(0xC2u8 as i8)),
        );
        (
            _mm_movemask_epi8(spaces) as u32,
            _mm_movemask_epi8(other) as u32,
        )
    }
}

/// The masks of the ASCII bytes of a block, and which bytes start a character that is not
/// ASCII (classified as nothing yet, like the bytes that continue it).
#[cfg(target_arch = "x86_64")]
// Inlined into both instances of `tokenize_into` (with and without the list of capitalized
// tokens): called, segmenting took about 4% more instructions.
#[inline(always)]
fn classify_ascii(block: &[u8; BLOCK]) -> (Masks, u64) {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_cmplt_epi8, _mm_loadu_si128,
        _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    // SAFETY: SSE2 is part of x86_64 itself, so every x86_64 processor runs these; the loads
    // read bytes 16 * part .. 16 * part + 16 of the 64-byte array, unaligned loads being fine.
    unsafe {
        let splat = |byte: u8| _mm_set1_epi8(byte as i8);
        // Bytes below 0x80 are the non-negative ones in these signed comparisons.
        let between = |v: __m128i, low: u8, high: u8| {
            _mm_and_si128(
                _mm_cmpgt_epi8(v, splat(low - 1)),
                _mm_cmplt_epi8(v, splat(high + 1)),
            )
        };
        let equal = |v: __m128i, byte: u8| _mm_cmpeq_epi8(v, splat(byte));
        let bits = |v: __m128i| u64::from(_mm_movemask_epi8(v) as u16);
        let mut masks = Masks::default();
        let mut leads = 0;
        for part in 0..BLOCK / 16 {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * part).cast::<__m128i>());
            let shift = 16 * part;
            let high = bits(v);
            let letter = between(_mm_or_si128(v, splat(0x20)), b'a', b'z');
            let word = bits(_mm_or_si128(letter, between(v, b'0', b'9')));
            // Below 0x21 counts every non-ASCII byte too (they are negative): taken out here.
            let separator =
                bits(_mm_or_si128(_mm_cmplt_epi8(v, splat(0x21)), equal(v, 0x7f))) & !high;
            let punct = !(word | separator | high) & 0xffff;
            // 0x80..=0xBF (below -64 as signed bytes) continue a character.
            let continuation = bits(_mm_cmplt_epi8(v, splat(0xC0)));
            masks.word |= word << shift;
            masks.separator |= separator << shift;
            masks.newline |= bits(equal(v, b'\n')) << shift;
            masks.capital |= bits(between(v, b'A', b'Z')) << shift;
            masks.punct_first |= punct << shift;
            masks.punct_last |= punct << shift;
            leads |= (high & !continuation) << shift;
        }
        (masks, leads)
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn classify_ascii(block: &[u8; BLOCK]) -> (Masks, u64) {
    classify_ascii_bytewise(block)
}

/// [`classify_ascii`] one byte at a time: the definition the fast version must agree with.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn classify_ascii_bytewise(block: &[u8; BLOCK]) -> (Masks, u64) {
    let mut masks = Masks::default();
    let mut leads = 0;
    for (i, &byte) in block.iter().enumerate() {
        let bit = 1u64 << i;
        if byte >= 0xC0 {
            leads |= bit;
        } else if !byte.is_ascii() {
            // Continues a character.
        } else if byte.is_ascii_alphanumeric() {
            masks.word |= bit;
            if byte.is_ascii_uppercase() {
                masks.capital |= bit;
            }
        } else if byte <= b' ' || byte == 0x7f {
            masks.separator |= bit;
            if byte == b'\n' {
                masks.newline |= bit;
            }
        } else {
            masks.punct_first |= bit;
            masks.punct_last |= bit;
        }
    }
    (masks, leads)
}

/// Classifies the characters that start at the non-ASCII bytes `lead_bytes` of the block at
/// `base`: bits for this block, and bits that spill into the next one (a character that starts
/// near the block's end).
fn classify_non_ascii(text: &str, base: usize, mut lead_bytes: u64) -> (Masks, Masks) {
    let (mut here, mut spill) = (Masks::default(), Masks::default());
    while lead_bytes != 0 {
        let i = lead_bytes.trailing_zeros() as usize;
        lead_bytes &= lead_bytes - 1;
        let ch = text[base + i..]
            .chars()
            .next()
            .expect("a lead byte starts a character");
        let len = ch.len_utf8();
        // The character's bytes, over this block and the next.
        let bytes = ((1u128 << len) - 1) << i;
        let (low, high) = (bytes as u64, (bytes >> BLOCK) as u64);
        let last = 1u128 << (i + len - 1);
        let (last_low, last_high) = (last as u64, (last >> BLOCK) as u64);
        if is_separator(ch) {
            here.separator |= low;
            spill.separator |= high;
        } else if is_word_char(ch) {
            here.word |= low;
            spill.word |= high;
        } else {
            here.punct_first |= 1 << i;
            here.punct_last |= last_low;
            spill.punct_last |= last_high;
        }
    }
    (here, spill)
}

/// How many bits are set, up to two (no population count: x86_64 does not have to have one).
fn at_most_two(bits: u64) -> u8 {
    u8::from(bits != 0) + u8::from(bits & bits.wrapping_sub(1) != 0)
}

/// The positions of the set bits of a mask, lowest first.
struct Bits(u64);

impl Iterator for Bits {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.0 == 0 {
            return None;
        }
        let bit = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        Some(bit)
    }
}

/// Appends the tokens of `text` to `tokens`; with `CAPITALS`, also appends to `capitalized` the
/// index in `tokens` of every token that starts with an ASCII capital or a character that is
/// not ASCII (see [`super::Segmented::capitalized`]).
pub(super) fn tokenize_into<const CAPITALS: bool>(
    text: &str,
    tokens: &mut Vec<Token>,
    capitalized: &mut Vec<usize>,
) {
    let bytes = text.as_bytes();
    // About one token per five bytes in prose; a short text (an alias) at most one per byte.
    tokens.reserve((bytes.len() / 5).max(bytes.len().min(BLOCK)));
    if CAPITALS {
        // About one token in six or seven starts with a capital in news text.
        capitalized.reserve(bytes.len() / 32 + 8);
    }
    // The last block is padded with separators: every token ends inside the blocks read, and
    // there is always at least one padding byte to end the last one.
    let blocks = bytes.len() / BLOCK + 1;
    let mut spill = Masks::default();
    // Carried from the previous block: whether its last byte was a word byte, a separator,
    // or the last byte of a character that is a token by itself.
    let (mut word_before, mut separator_before, mut punct_ended) = (0u64, 0u64, 0u64);
    // Line feeds seen since the last token started (0, 1, or 2 for two or more).
    let mut newlines_pending: u8 = 0;
    // The first token still without its end.
    let mut next_end = tokens.len();
    for block_index in 0..blocks {
        let base = block_index * BLOCK;
        let mut padded = [b' '; BLOCK];
        let block: &[u8; BLOCK] = match bytes.get(base..base + BLOCK) {
            Some(full) => full.try_into().expect("a whole block"),
            None => {
                padded[..bytes.len() - base].copy_from_slice(&bytes[base..]);
                &padded
            }
        };
        let (mut masks, leads) = classify_ascii(block);
        masks = masks.or(std::mem::take(&mut spill));
        if leads != 0 {
            let (here, next) = classify_non_ascii(text, base, leads);
            masks = masks.or(here);
            spill = next;
        }
        let word = masks.word;
        let word_shifted = (word << 1) | word_before;
        let starts = (word & !word_shifted) | masks.punct_first;
        let ends = (!word & word_shifted) | (masks.punct_last << 1) | punct_ended;
        let space_before = (masks.separator << 1) | separator_before;
        // At most one token starts at each byte of the text in the block (padding starts none).
        let room = BLOCK.min(bytes.len() - base);
        tokens.reserve(room);
        let first_new = tokens.len();
        let spare = &mut tokens.spare_capacity_mut()[..room];
        if CAPITALS {
            // Where a token starts with a capital, or with a character beyond ASCII (its lead
            // byte); its index is the number of tokens that start before it in the block.
            for i in Bits(starts & (masks.capital | leads)) {
                let before = (starts & ((1u64 << i) - 1)).count_ones() as usize;
                capitalized.push(first_new + before);
            }
        }
        let mut added = 0;
        for i in Bits(starts) {
            spare[added].write(Token {
                start: base + i,
                end: 0,
                kind: if (word >> i) & 1 == 1 {
                    TokenKind::Word
                } else {
                    TokenKind::Punct
                },
                breaks_before: 0,
                space_before: (space_before >> i) & 1 == 1,
            });
            added += 1;
        }
        // SAFETY: the `added` slots after the tokens were written just now (`spare` has room
        // for every token that can start in the block).
        unsafe { tokens.set_len(first_new + added) };
        if masks.newline != 0 || newlines_pending != 0 {
            // Each token's line breaks: the line feeds after the previous token's start.
            let mut newlines = masks.newline;
            for (token, i) in tokens[first_new..].iter_mut().zip(Bits(starts)) {
                let below = (1u64 << i) - 1;
                token.breaks_before = newlines_pending
                    .saturating_add(at_most_two(newlines & below))
                    .min(2);
                newlines_pending = 0;
                newlines &= !below;
            }
            newlines_pending = newlines_pending
                .saturating_add(at_most_two(newlines))
                .min(2);
        }
        for (token, i) in tokens[next_end..].iter_mut().zip(Bits(ends)) {
            token.end = base + i;
            next_end += 1;
        }
        word_before = word >> (BLOCK - 1);
        separator_before = masks.separator >> (BLOCK - 1);
        punct_ended = masks.punct_last >> (BLOCK - 1);
    }
    debug_assert_eq!(next_end, tokens.len(), "every token ended");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(&str, u8, bool)> {
        let mut tokens = Vec::new();
        tokenize_into::<false>(text, &mut tokens, &mut Vec::new());
        tokens
            .iter()
            .map(|t| (&text[t.start..t.end], t.breaks_before, t.space_before))
            .collect()
    }

    /// Line feeds and spaces are counted for the next token however many blocks lie between.
    #[test]
    fn line_breaks_count_across_blocks_without_tokens() {
        for at in [0, 1, 62, 63, 64, 65, 127, 128, 200] {
            let gap = format!(
                "{}\n{}\n{}",
                " ".repeat(at),
                " ".repeat(130),
                " ".repeat(at)
            );
            let text = format!("a{gap}b");
            assert_eq!(tokens(&text), [("a", 0, false), ("b", 2, true)], "{at}");
            let text = format!("a{}\n{}b", " ".repeat(at), " ".repeat(140));
            assert_eq!(tokens(&text), [("a", 0, false), ("b", 1, true)], "{at}");
        }
    }

    /// Words, punctuation and multi-byte characters that straddle a block boundary.
    #[test]
    fn tokens_straddle_blocks() {
        for at in 55..70 {
            let text = format!("{}Łukaszenka’s «x» — end…", "x ".repeat(at / 2));
            let found: Vec<&str> = tokens(&text).into_iter().map(|(t, _, _)| t).collect();
            let mut expected = vec!["x"; at / 2];
            expected.extend(["Łukaszenka", "’", "s", "«", "x", "»", "—", "end", "…"]);
            assert_eq!(found, expected, "{at}");
        }
    }

    /// The SSE2 classification gives the byte-by-byte masks for every ASCII and non-ASCII byte
    /// value, at every position of a block.
    #[test]
    fn vector_classification_is_the_bytewise_one() {
        for offset in 0..BLOCK {
            let mut block = [0u8; BLOCK];
            for (i, byte) in block.iter_mut().enumerate() {
                *byte = ((i * 4 + offset) % 256) as u8;
            }
            for value in 0..=255u8 {
                block[offset] = value;
                assert_eq!(
                    classify_ascii(&block),
                    classify_ascii_bytewise(&block),
                    "byte {value:#x} at {offset}"
                );
            }
        }
    }
}
