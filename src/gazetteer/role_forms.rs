//! Role forms: a role written with one name of its state stands for the role written with any
//! of them.
//!
//! News writes the same office as "Belarusian president", "Belarussian president", "Belarus
//! president", "Belarus' president" and "president of Belarus", and "US secretary of state" as
//! "U.S. secretary of state". A gazetteer lists one or two of these; [`derived_roles`] adds the
//! others for every role whose first words (or, after "of", last words) are a name, alias or
//! demonym of a state the gazetteer models:
//!
//! - first words: every Latin-script name, alias and demonym of the state, and each name's
//!   possessive ("Belarus'", "Russia's");
//! - last words after "of": every Latin-script name and alias, with "the" before a name of
//!   several words ("President of the Russian Federation").
//!
//! A derived role keeps its source's period and source line, and is left out when the entity
//! already has a role of that key. This module owns deriving the forms; the builder checks and
//! claims them like listed ones.

use std::rc::Rc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{alias_key, Entity, EntityType, Role};
use crate::translit::is_cyrillic;

/// The most words a state's form may have to be recognized inside a role.
const MAX_STATE_WORDS: usize = 4;

/// The forms of one state that a role may be written with.
struct StateForms {
    /// Names and aliases, as written.
    names: Vec<String>,
    /// Demonyms, as written.
    demonyms: Vec<String>,
}

/// For each entity, the roles derived from its listed ones, with the number of the listed role
/// each comes from, in listing order. Empty when no person has a role.
pub(super) fn derived_roles(entities: &[Entity]) -> Vec<Vec<(usize, Role)>> {
    if entities.iter().all(|e| e.roles.is_empty()) {
        return Vec::new();
    }
    let states = state_forms(entities);
    let mut derived = Vec::with_capacity(entities.len());
    for entity in entities {
        let mut own_keys: FxHashSet<String> =
            entity.roles.iter().map(|r| alias_key(&r.alias)).collect();
        let mut forms = Vec::new();
        for (number, role) in entity.roles.iter().enumerate() {
            for alias in role_variants(&role.alias, &states) {
                if own_keys.insert(alias_key(&alias)) {
                    forms.push((
                        number,
                        Role {
                            alias,
                            from: role.from.clone(),
                            until: role.until.clone(),
                            derived_from: Some(role.alias.clone()),
                        },
                    ));
                }
            }
        }
        derived.push(forms);
    }
    derived
}

/// Every state's forms, by the key of each form. A key that two states share (an ambiguous
/// name) names neither.
fn state_forms(entities: &[Entity]) -> FxHashMap<String, Rc<StateForms>> {
    let latin = |text: &&String| !is_cyrillic(text) && text.chars().any(char::is_alphabetic);
    let mut by_key: FxHashMap<String, Option<Rc<StateForms>>> = FxHashMap::default();
    for entity in entities {
        if entity.entity_type != EntityType::State {
            continue;
        }
        let forms = Rc::new(StateForms {
            names: std::iter::once(&entity.name)
                .chain(&entity.aliases)
                .filter(latin)
                .cloned()
                .collect(),
            demonyms: entity.demonyms.iter().filter(latin).cloned().collect(),
        });
        for form in forms.names.iter().chain(&forms.demonyms) {
            by_key
                .entry(alias_key(form))
                .and_modify(|claimed| {
                    if !claimed.as_ref().is_some_and(|c| Rc::ptr_eq(c, &forms)) {
                        *claimed = None;
                    }
                })
                .or_insert_with(|| Some(forms.clone()));
        }
    }
    by_key
        .into_iter()
        .filter_map(|(key, forms)| forms.map(|forms| (key, forms)))
        .collect()
}

/// The other ways of writing `role` with its state's forms (none when it names no state).
fn role_variants(role: &str, states: &FxHashMap<String, Rc<StateForms>>) -> Vec<String> {
    let words: Vec<&str> = role.split_whitespace().collect();
    let mut variants = Vec::new();
    // The longest state form at the start, leaving a title after it.
    let leading = (1..=MAX_STATE_WORDS.min(words.len().saturating_sub(1)))
        .rev()
        .find_map(|n| {
            states
                .get(&alias_key(&words[..n].join(" ")))
                .map(|s| (n, s))
        });
    if let Some((n, state)) = leading {
        let title = words[n..].join(" ");
        for name in &state.names {
            variants.push(format!("{name} {title}"));
            // "Belarus' president", "Russia's president"; not "U.S.'s".
            if name.chars().any(char::is_lowercase) {
                let possessive = if name.ends_with('s') { "'" } else { "'s" };
                variants.push(format!("{name}{possessive} {title}"));
            }
        }
        for demonym in &state.demonyms {
            variants.push(format!("{demonym} {title}"));
        }
    }
    // The longest state form after the last "of", ending the role.
    if let Some(of) = words.iter().rposition(|w| w.eq_ignore_ascii_case("of")) {
        let after = &words[of + 1..];
        let skip = usize::from(after.first().is_some_and(|w| w.eq_ignore_ascii_case("the")));
        let state_words = &after[skip..];
        let named = (of > 0 && (1..=MAX_STATE_WORDS).contains(&state_words.len()))
            .then(|| states.get(&alias_key(&state_words.join(" "))))
            .flatten();
        if let Some(state) = named {
            let title = words[..=of].join(" ");
            // "of Russia", "of the Russian Federation".
            for name in &state.names {
                let article = name.contains(' ') && !name.starts_with("The ");
                let article = if article { "the " } else { "" };
                variants.push(format!("{title} {article}{name}"));
            }
        }
    }
    let own = alias_key(role);
    variants.retain(|v| alias_key(v) != own);
    variants
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::EntityId;

    fn entity(id: &str, entity_type: EntityType, aliases: &[&str], demonyms: &[&str]) -> Entity {
        Entity {
            id: EntityId(id.into()),
            name: aliases[0].into(),
            entity_type,
            aliases: aliases[1..].iter().map(|a| a.to_string()).collect(),
            demonyms: demonyms.iter().map(|d| d.to_string()).collect(),
            ..Entity::default()
        }
    }

    fn variants(role: &str, entities: &[Entity]) -> Vec<String> {
        role_variants(role, &state_forms(entities))
    }

    #[test]
    fn a_role_is_written_with_every_name_of_its_state() {
        let states = [
            entity(
                "belarus",
                EntityType::State,
                &["Belarus", "Беларусь"],
                &["Belarusian", "Belarussian"],
            ),
            entity(
                "united-states",
                EntityType::State,
                &["United States", "U.S.", "US"],
                &["American"],
            ),
            entity("nato", EntityType::Organization, &["NATO"], &[]),
        ];
        assert_eq!(
            variants("Belarusian president", &states),
            [
                "Belarus president",
                "Belarus' president",
                "Belarussian president"
            ]
        );
        assert_eq!(
            variants("President of Belarus", &states),
            Vec::<String>::new(),
            "a single name has no other"
        );
        assert!(variants("US secretary of state", &states)
            .contains(&"U.S. secretary of state".to_string()));
        assert!(variants("US secretary of state", &states)
            .contains(&"American secretary of state".to_string()));
        // Not a state; and a state alone is no role.
        assert!(variants("NATO chief", &states).is_empty());
        assert!(variants("Belarus", &states).is_empty());
    }

    #[test]
    fn a_role_ending_in_its_state_takes_its_other_names() {
        let states = [entity(
            "russia",
            EntityType::State,
            &["Russia", "Russian Federation"],
            &["Russian"],
        )];
        assert_eq!(
            variants("President of Russia", &states),
            ["President of the Russian Federation"]
        );
        assert_eq!(
            variants("president of the Russian Federation", &states),
            ["president of Russia"]
        );
    }
}
