//! Hash tables for the matchers' hot lookups: open addressing over integer keys, so that the one
//! slot a lookup reads can be asked for ahead of time ([`Table::prefetch`]).
//!
//! The exact pass looks up a few tokens of every sentence in tables far larger than the cache
//! (a large gazetteer's vocabulary and trie are megabytes). A document's lookups are independent
//! of each other, so they are made in rounds: every slot of a round is prefetched, then read, and
//! the cache misses overlap instead of stalling the pass one by one.

use crate::memory::prefetch;

/// A key of a [`Table`]: an integer with one value that is never a real key.
pub(crate) trait Key: Copy + Eq {
    /// Marks a free slot; never inserted.
    const EMPTY: Self;
    fn hash(self) -> u64;
}

/// A token of up to 15 bytes packed into two words (see [`packed`]); all zero is the empty
/// token, which no text or alias has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PackedToken(pub [u64; 2]);

impl PackedToken {
    /// The empty token's key.
    pub(crate) const EMPTY: PackedToken = PackedToken([0, 0]);

    pub(crate) fn new(key: u128) -> Self {
        PackedToken([key as u64, (key >> 64) as u64])
    }
}

/// A token of up to 15 bytes as one number: its bytes, and its length in the last byte. A
/// `const fn`, so that fixed word lists are packed when compiled.
pub(crate) const fn packed(token: &str) -> Option<u128> {
    let bytes = token.as_bytes();
    if bytes.len() > 15 {
        return None;
    }
    let mut key = [0u8; 16];
    key.split_at_mut(bytes.len()).0.copy_from_slice(bytes);
    key[15] = bytes.len() as u8;
    Some(u128::from_le_bytes(key))
}

/// [`packed`] of the lower-cased token `bytes[start..end]`, when it is ASCII and up to 15 bytes
/// long. The token's bytes are read as one 16-byte word (from the text itself, unless too near
/// its end) and lower-cased eight bytes at a time.
pub(crate) fn packed_ascii_lowercase(bytes: &[u8], start: usize, end: usize) -> Option<u128> {
    const EACH: u128 = u128::from_le_bytes([1; 16]);
    let len = end - start;
    let word = bytes_at(bytes, start, end)?;
    if word & (EACH * 0x80) != 0 {
        return None;
    }
    // With every byte below 0x80 no sum carries into the next byte: a byte's top bit says
    // whether it is at least 'A', and whether it is above 'Z'.
    let at_least_a = word + EACH * u128::from(0x80 - b'A');
    let above_z = word + EACH * u128::from(0x7f - b'Z');
    let upper = at_least_a & !above_z & (EACH * 0x80);
    Some((word | (upper >> 2)) | ((len as u128) << 120))
}

/// [`packed`] of the token `bytes[start..end]` as written, when it is up to 15 bytes long, read
/// in place like [`packed_ascii_lowercase`].
pub(crate) fn packed_at(bytes: &[u8], start: usize, end: usize) -> Option<u128> {
    Some(bytes_at(bytes, start, end)? | (((end - start) as u128) << 120))
}

/// The bytes `bytes[start..end]` (up to 15) as one little-endian number, the rest zero. They are
/// read as one 16-byte word of `bytes` itself, unless too near its end.
fn bytes_at(bytes: &[u8], start: usize, end: usize) -> Option<u128> {
    let len = end - start;
    if len > 15 {
        return None;
    }
    let window: [u8; 16] = match bytes.get(start..start + 16) {
        Some(window) => window.try_into().expect("16 bytes"),
        None => {
            let mut window = [0; 16];
            window[..len].copy_from_slice(&bytes[start..end]);
            window
        }
    };
    Some(u128::from_le_bytes(window) & ((1 << (8 * len)) - 1))
}

const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

impl Key for PackedToken {
    const EMPTY: Self = PackedToken::EMPTY;
    fn hash(self) -> u64 {
        (self.0[0] ^ self.0[1].rotate_left(29).wrapping_mul(MULTIPLIER)).wrapping_mul(MULTIPLIER)
    }
}

/// Trie edges: `node << 32 | token`. Edges from the root (node 0) are never kept in a table, so
/// zero is free.
impl Key for u64 {
    const EMPTY: Self = 0;
    fn hash(self) -> u64 {
        (self ^ (self >> 29)).wrapping_mul(MULTIPLIER)
    }
}

/// An open-addressing hash map with linear probing, at most three quarters full (the vocabulary
/// and trie of a million aliases are hundreds of megabytes at half).
#[derive(Debug, Clone)]
pub(crate) struct Table<K, V> {
    slots: Vec<(K, V)>,
    /// `64 - log2(slots.len())`: a key's first slot is the top bits of its hash.
    shift: u32,
    len: usize,
}

impl<K: Key, V: Copy + Default> Default for Table<K, V> {
    fn default() -> Self {
        Self::with_slots(16)
    }
}

impl<K: Key, V: Copy + Default> Table<K, V> {
    /// A table that holds `len` keys without growing.
    pub(crate) fn with_capacity(len: usize) -> Self {
        Self::with_slots(Self::slots_for(len))
    }

    /// The fewest slots (a power of two, 16 at least) that hold `len` keys.
    fn slots_for(len: usize) -> usize {
        (len + len / 3 + 1).next_power_of_two().max(16)
    }

    fn with_slots(slots: usize) -> Self {
        debug_assert!(slots.is_power_of_two() && slots >= 2);
        Table {
            slots: vec![(K::EMPTY, V::default()); slots],
            shift: 64 - slots.trailing_zeros(),
            len: 0,
        }
    }

    fn home(&self, key: K) -> usize {
        (key.hash() >> self.shift) as usize
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn get(&self, key: K) -> Option<V> {
        if key == K::EMPTY {
            // An empty token (a lone combining mark folds to nothing), say: never stored.
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut at = self.home(key);
        loop {
            let (found, value) = self.slots[at];
            if found == key {
                return Some(value);
            }
            if found == K::EMPTY {
                return None;
            }
            at = (at + 1) & mask;
        }
    }

    /// Asks the processor to bring the slot where a lookup of `key` starts, and the cache line
    /// after it, into the cache. A lookup reads on from its first slot until it finds the key or
    /// an empty slot, and one that misses (nearly half of the exact pass's first steps: most
    /// capitalized words are not the start of an alias) often reads into the next line.
    pub(crate) fn prefetch(&self, key: K) {
        let home = self.home(key);
        prefetch(&self.slots[home]);
        if let Some(next) = self
            .slots
            .get(home + 64 / std::mem::size_of::<(K, V)>().max(1))
        {
            prefetch(next);
        }
    }

    /// Makes room for `additional` more keys, so that inserting them does not grow the table.
    pub(crate) fn reserve(&mut self, additional: usize) {
        let slots = Self::slots_for(self.len + additional);
        if slots > self.slots.len() {
            self.grow_to(slots);
        }
    }

    /// Moves every key into a table of `slots` slots.
    fn grow_to(&mut self, slots: usize) {
        let mut grown = Self::with_slots(slots);
        for &(old, old_value) in &self.slots {
            if old != K::EMPTY {
                grown.insert(old, old_value);
            }
        }
        *self = grown;
    }

    /// Inserts or replaces; returns the value replaced.
    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<V> {
        assert!(key != K::EMPTY, "the empty key is never stored");
        if 4 * (self.len + 1) > 3 * self.slots.len() {
            self.grow_to(self.slots.len() * 2);
        }
        let mask = self.slots.len() - 1;
        let mut at = self.home(key);
        loop {
            let slot = &mut self.slots[at];
            if slot.0 == key {
                return Some(std::mem::replace(&mut slot.1, value));
            }
            if slot.0 == K::EMPTY {
                *slot = (key, value);
                self.len += 1;
                return None;
            }
            at = (at + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_after_growing_and_absent_ones_are_not() {
        let mut table: Table<u64, u32> = Table::default();
        for key in 1..5000u64 {
            assert_eq!(table.insert(key * 7919, key as u32), None);
        }
        assert_eq!(table.insert(7919, 0), Some(1));
        assert_eq!(table.len(), 4999);
        assert_eq!(table.get(7919), Some(0));
        for key in 2..5000u64 {
            assert_eq!(table.get(key * 7919), Some(key as u32));
            assert_eq!(table.get(key * 7919 + 1), None);
        }
        let mut tokens: Table<PackedToken, u32> = Table::default();
        tokens.insert(PackedToken::new(1 << 120 | 0x41), 7);
        assert_eq!(tokens.get(PackedToken::new(1 << 120 | 0x41)), Some(7));
        assert_eq!(tokens.get(PackedToken::new(1 << 120 | 0x42)), None);
    }

    #[test]
    fn a_reserved_table_takes_its_keys_without_growing() {
        let mut table: Table<u64, u32> = Table::default();
        for key in 1..100u64 {
            table.insert(key, key as u32);
        }
        table.reserve(20_000);
        let slots = table.slots.len();
        assert!(4 * (99 + 20_000) <= 3 * slots);
        for key in 100..20_100u64 {
            assert_eq!(table.insert(key, key as u32), None);
        }
        assert_eq!(table.slots.len(), slots);
        assert_eq!(table.len(), 20_099);
        for key in 1..20_100u64 {
            assert_eq!(table.get(key), Some(key as u32));
        }
        // Room for fewer keys than it holds changes nothing.
        table.reserve(1);
        assert_eq!(table.slots.len(), slots);
    }

    #[test]
    fn packed_ascii_keys_are_the_packed_lower_case_tokens() {
        // Every ASCII byte, in tokens of every length up to 15, at shifting positions.
        let all: Vec<u8> = (0u8..0x80).cycle().take(600).collect();
        for start in 0..all.len() {
            for len in 0..=15.min(all.len() - start) {
                let token = std::str::from_utf8(&all[start..start + len]).unwrap();
                let expected = packed(&token.to_ascii_lowercase());
                assert_eq!(packed_ascii_lowercase(&all, start, start + len), expected);
            }
        }
        for start in 0..all.len() {
            for len in 0..=15.min(all.len() - start) {
                let token = std::str::from_utf8(&all[start..start + len]).unwrap();
                assert_eq!(packed_at(&all, start, start + len), packed(token));
            }
        }
        assert_eq!(packed_at("Łódź".as_bytes(), 0, 7), packed("Łódź"));
        assert_eq!(packed_ascii_lowercase("Łódź".as_bytes(), 0, 7), None);
        assert_eq!(packed_ascii_lowercase(&[b'a'; 16], 0, 16), None);
    }

    #[test]
    #[should_panic(expected = "empty key")]
    fn the_empty_key_is_refused() {
        Table::<u64, u32>::default().insert(0, 1);
    }

    #[test]
    fn the_empty_key_is_never_found() {
        assert_eq!(
            Table::<PackedToken, u32>::default().get(PackedToken::EMPTY),
            None
        );
    }
}
