//! Stated relations: what the text says one entity did to another ("Putin backs Lukashenko" →
//! supports), as opposed to co-mention.
//!
//! - [`lexicon`] reads and checks the user's relation lexicon (`gazetteers/relations.toml`):
//!   relation types, their triggers, polarity and symmetry, negation cues, news agencies.
//! - [`extract`] finds subject, trigger and object inside one sentence from the tagger's
//!   resolved mentions.
//!
//! The graph builder turns the [`StatedRelation`]s into relation edges; this module never
//! touches the graph.

pub mod extract;
pub mod lexicon;

pub use extract::{Extractor, StatedRelation};
pub use lexicon::{Polarity, RelationLexicon, RelationType, RELATIONS_FILE};
