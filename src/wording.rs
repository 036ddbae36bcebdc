//! How words read in messages and labels: counts ("1 document", "2 documents") and
//! capitals ("February", "Alexander Lukashenko").
//!
//! One place for the singular/plural choice, so that every report, label and summary line
//! agrees. It only formats; it never decides what is counted.

/// `count` and the noun that fits it: `one` for exactly 1, `many` otherwise.
pub fn counted(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// `count` and `noun`, with an "s" unless `count` is 1 (for nouns whose plural is regular).
pub fn counted_s(count: u64, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// `word` with its first letter in upper case ("february" -> "February", "łukaszenka" ->
/// "Łukaszenka").
pub fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_letter_is_put_in_upper_case() {
        assert_eq!(capitalized("february"), "February");
        assert_eq!(capitalized("łukaszenka"), "Łukaszenka");
        assert_eq!(capitalized("Putin"), "Putin");
        assert_eq!(capitalized(""), "");
    }

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(counted(1, "entity", "entities"), "1 entity");
        assert_eq!(counted(0, "entity", "entities"), "0 entities");
        assert_eq!(counted(12, "entity", "entities"), "12 entities");
        assert_eq!(counted_s(1, "edge"), "1 edge");
        assert_eq!(counted_s(2, "edge"), "2 edges");
        assert_eq!(counted_s(0, "edge"), "0 edges");
    }
}
