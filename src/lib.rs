//! namegraph turns news text into a knowledge graph of who relates to whom.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//!  document   read articles (files, folders, JSON Lines, stdin); ids, dates
//!     │
//!  segment    tokens, sentences, paragraphs: spans into the original text
//!  normalize  case / diacritic / quote folding of each token
//!     │
//!  matcher    exact pass: a trie of alias token ids over the tokens → candidates
//!     │
//!  resolve    candidates → mentions (the one place that picks an entity)
//!     │
//!  relations  subject, trigger, object inside a sentence, from a user-edited lexicon
//!     │
//!  graph      entities, co-mention and stated-relation edges over petgraph
//!     │
//!  export     node-link JSON, DOT, SVG/PNG through Graphviz; atomic writes
//! ```
//!
//! [`gazetteer`] holds the entities and their aliases; [`tagger::Tagger`] runs segment → match →
//! resolve on one document.
//!
//! ```
//! use namegraph::gazetteer::{Entity, EntityId, EntityType, Gazetteer};
//! use namegraph::{Document, Tagger};
//!
//! let mut builder = Gazetteer::builder();
//! builder.add(Entity {
//!     id: EntityId("vladimir-putin".into()),
//!     name: "Vladimir Putin".into(),
//!     entity_type: EntityType::Person,
//!     aliases: vec!["Putin".into()],
//!     demonyms: vec![],
//!     ambiguous: vec![],
//!     default_for: vec![],
//!     not: vec![],
//!     roles: vec![],
//!     description: None,
//!     wikidata: Some("Q7747".into()),
//! })?;
//! let tagger = Tagger::new(builder.build()?);
//! let document = Document::new("example", "Putin’s call came late.");
//! let tagged = tagger.tag(&document);
//! let mention = &tagged.mentions[0];
//! assert_eq!(&document.text[mention.start..mention.end], "Putin");
//! # Ok::<(), namegraph::Error>(())
//! ```

pub mod audit;
pub mod document;
pub mod error;
pub mod eval;
pub mod export;
pub mod gazetteer;
pub mod graph;
pub mod matcher;
mod memory;
pub mod normalize;
pub mod pipeline;
pub mod relations;
pub mod resolve;
pub mod segment;
pub mod tagger;
pub mod translit;
pub mod wording;

pub use document::Document;
pub use error::{Error, Result};
pub use tagger::Tagger;
