//! The tagging pipeline for one document: segment → match → resolve.
//!
//! A [`Tagger`] owns a gazetteer and its compiled matcher and can be shared between threads;
//! [`Tagger::tag`] is a pure function of the document.

use crate::document::Document;
use crate::gazetteer::Gazetteer;
use crate::matcher::ExactMatcher;
use crate::resolve::{resolve, Mention};
use crate::segment::{segment, Segmented};

/// A gazetteer compiled for tagging.
#[derive(Debug, Clone)]
pub struct Tagger {
    gazetteer: Gazetteer,
    exact: ExactMatcher,
}

/// One document with its sentences and mentions.
#[derive(Debug, Clone)]
pub struct TaggedDocument<'d> {
    pub document: &'d Document,
    pub segmented: Segmented,
    /// In text order, non-overlapping.
    pub mentions: Vec<Mention>,
}

impl Tagger {
    pub fn new(gazetteer: Gazetteer) -> Self {
        let exact = ExactMatcher::new(&gazetteer);
        Tagger { gazetteer, exact }
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    pub fn tag<'d>(&self, document: &'d Document) -> TaggedDocument<'d> {
        let segmented = segment(&document.text);
        let candidates = self.exact.find(&self.gazetteer, &document.text, &segmented);
        let mentions = resolve(&self.gazetteer, candidates);
        TaggedDocument {
            document,
            segmented,
            mentions,
        }
    }
}
