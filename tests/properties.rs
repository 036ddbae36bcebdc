//! Property tests: what must hold for any input text.

use namegraph::document::CharOffsets;
use namegraph::gazetteer::{alias_key, Entity, EntityId, EntityType, Gazetteer};
use namegraph::graph::{GraphBuilder, GraphOptions, Window};
use namegraph::matcher::{french_word_keys, word_keys};
use namegraph::relations::RelationLexicon;
use namegraph::resolve::{Method, FUZZY_THRESHOLD};
use namegraph::segment::{
    collapse_whitespace, collapse_whitespace_prefix, segment, tokenize, words, TokenKind,
};
use namegraph::{Document, Tagger};
use proptest::prelude::*;

fn entity(id: &str, name: &str, aliases: &[&str], entity_type: EntityType) -> Entity {
    Entity {
        id: EntityId(id.into()),
        name: name.into(),
        entity_type,
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        ..Default::default()
    }
}

fn tagger() -> Tagger {
    let mut builder = Gazetteer::builder();
    builder
        .add(entity(
            "putin",
            "Vladimir Putin",
            &["Putin"],
            EntityType::Person,
        ))
        .unwrap();
    builder
        .add(entity(
            "lukashenko",
            "Alexander Lukashenko",
            &["Lukashenko", "Łukaszenka"],
            EntityType::Person,
        ))
        .unwrap();
    builder
        .add(entity(
            "us",
            "United States",
            &["US", "U.S."],
            EntityType::State,
        ))
        .unwrap();
    builder
        .add(entity(
            "eu",
            "European Union",
            &["EU"],
            EntityType::Organization,
        ))
        .unwrap();
    builder
        .add(entity(
            "ungern",
            "Michael von Ungern-Sternberg",
            &[],
            EntityType::Person,
        ))
        .unwrap();
    builder
        .add(entity("moscow", "Moscow", &["Москва"], EntityType::Place))
        .unwrap();
    let lexicon = RelationLexicon::load(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers/relations.toml"),
    )
    .unwrap();
    Tagger::new(builder.build().unwrap()).with_relations(lexicon)
}

/// Text built from pieces that often make or nearly make mentions, with odd glue.
fn newsy_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Putin".to_string()),
        Just("PUTIN".to_string()),
        Just("putin".to_string()),
        Just("Vladimir".to_string()),
        Just("Lukashenko’s".to_string()),
        Just("Łukaszenka".to_string()),
        Just("Poutine".to_string()),
        Just("Loukachenko".to_string()),
        Just("US".to_string()),
        Just("us".to_string()),
        Just("U.S.".to_string()),
        Just("European Union".to_string()),
        Just("EU".to_string()),
        Just("von Ungern-Sternberg".to_string()),
        Just("Michael".to_string()),
        Just("Москва".to_string()),
        Just("Mr.".to_string()),
        Just(" backed ".to_string()),
        Just(" was backed by ".to_string()),
        Just(" did not back ".to_string()),
        Just(" and ".to_string()),
        Just(", who ".to_string()),
        Just(" said that ".to_string()),
        Just(" talks between ".to_string()),
        Just(" extend ".to_string()),
        Just(" a loan".to_string()),
        Just(" had a phone call".to_string()),
        "[ \\n.,;:!?\"'’“”()—-]{1,3}",
        "\\PC{1,6}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![newsy_text(), any::<String>()]
}

/// Several texts one after the other: long enough to cross the tokenizer's 64-byte blocks,
/// with any character (multi-byte ones too) at any block boundary.
fn long_text() -> impl Strategy<Value = String> {
    prop::collection::vec(any_text(), 1..8).prop_map(|texts| texts.concat())
}

/// Newsy text hard-wrapped at some width, as a mail or a plain-text wire is: many single line
/// breaks, most of them inside sentences (the segmenter's hard-wrap reading).
fn wrapped_text() -> impl Strategy<Value = String> {
    (prop::collection::vec(newsy_text(), 1..6), 8usize..70).prop_map(|(texts, width)| {
        let mut wrapped = String::new();
        let mut line = 0;
        for word in texts.join(" ").split(' ') {
            if line > 0 && line + 1 + word.chars().count() > width {
                wrapped.push('\n');
                line = 0;
            } else if line > 0 {
                wrapped.push(' ');
                line += 1;
            }
            wrapped.push_str(word);
            line += word.chars().count();
        }
        wrapped
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// The tokenizer classifies bytes 64 at a time in bit masks for speed; it must cut exactly
    /// where the plain definition (runs of letters, digits and combining marks; any other
    /// non-space character alone) cuts, whatever the text.
    #[test]
    fn the_fast_tokenizer_cuts_where_the_definition_does(text in long_text()) {
        let word = |c: char| c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c);
        let separator = |c: char| c.is_whitespace() || c.is_control() || c == '\u{FEFF}';
        let mut expected: Vec<(usize, usize, bool, u8, bool)> = Vec::new();
        let (mut breaks, mut space) = (0u8, false);
        let mut chars = text.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            if separator(c) {
                space = true;
                if c == '\n' {
                    breaks = (breaks + 1).min(2);
                }
                continue;
            }
            let mut end = start + c.len_utf8();
            if word(c) {
                while let Some(&(at, next)) = chars.peek() {
                    if !word(next) {
                        break;
                    }
                    end = at + next.len_utf8();
                    chars.next();
                }
            }
            expected.push((start, end, word(c), breaks, space));
            breaks = 0;
            space = false;
        }
        let tokens: Vec<(usize, usize, bool, u8, bool)> = tokenize(&text)
            .iter()
            .map(|t| (t.start, t.end, t.kind == TokenKind::Word, t.breaks_before, t.space_before))
            .collect();
        prop_assert_eq!(tokens, expected);
    }

    /// `collapse_whitespace` (evidence excerpts) scans bytes; it must give what splitting on
    /// white space and joining with single spaces gives.
    #[test]
    fn collapsed_whitespace_is_split_and_joined(text in prop_oneof![
        any_text(),
        "[ \\t\\n\\r\\x0b\\x0c\\u{85}\\u{a0}\\u{2028}\\u{3000}\\u{200b}a-zé]{0,40}",
    ]) {
        let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
        prop_assert_eq!(collapse_whitespace(&text), expected.as_str());
        for at_least in [0, 1, 5, 17] {
            let prefix = collapse_whitespace_prefix(&text, at_least);
            prop_assert!(expected.starts_with(&prefix));
            prop_assert!(prefix.len() >= at_least.min(expected.len()));
        }
    }

    /// `words` (used for name keys) skips building tokens; it must find the same words.
    #[test]
    fn words_are_the_tokenizers_word_tokens(text in any_text()) {
        let tokens: Vec<&str> = tokenize(&text)
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| t.text(&text))
            .collect();
        prop_assert_eq!(words(&text).collect::<Vec<_>>(), tokens);
    }

    #[test]
    fn tokens_and_sentences_slice_the_text_on_character_boundaries(
        text in prop_oneof![long_text(), wrapped_text()]
    ) {
        let segmented = segment(&text);
        let mut previous_end = 0;
        for token in &segmented.tokens {
            prop_assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
            prop_assert!(previous_end <= token.start && token.start < token.end);
            prop_assert!(!text[token.start..token.end].trim().is_empty());
            previous_end = token.end;
        }
        let mut next_token = 0;
        for sentence in &segmented.sentences {
            prop_assert_eq!(sentence.tokens.start, next_token, "sentences cover every token in order");
            next_token = sentence.tokens.end;
            prop_assert!(text.is_char_boundary(sentence.start) && text.is_char_boundary(sentence.end));
        }
        prop_assert_eq!(next_token, segmented.tokens.len());
        // The capitalized tokens, by their definition.
        let capitalized: Vec<usize> = (0..segmented.tokens.len())
            .filter(|&i| {
                let first = text.as_bytes()[segmented.tokens[i].start];
                first.is_ascii_uppercase() || !first.is_ascii()
            })
            .collect();
        prop_assert_eq!(&segmented.capitalized, &capitalized);
    }

    /// Character offsets are read from lead bytes for speed; at every character boundary they
    /// must equal the number of characters before it.
    #[test]
    fn char_offsets_count_the_characters_before_each_boundary(text in any_text()) {
        let offsets = CharOffsets::new(&text);
        for (count, (byte, _)) in text.char_indices().enumerate() {
            prop_assert_eq!(offsets.char_offset(byte), count);
        }
        prop_assert_eq!(offsets.char_offset(text.len()), text.chars().count());
    }

    #[test]
    fn every_mention_slices_the_text_and_reads_as_its_alias(
        text in prop_oneof![any_text(), wrapped_text()]
    ) {
        let tagger = tagger();
        let document = Document::new("d", text.clone());
        let tagged = tagger.tag(&document);
        let offsets = CharOffsets::new(&text);
        let mut previous_end = 0;
        let mut previous_start = 0;
        for mention in &tagged.mentions {
            prop_assert!(text.is_char_boundary(mention.start) && text.is_char_boundary(mention.end));
            prop_assert!(previous_start <= mention.start && mention.start < mention.end, "mentions are in text order");
            previous_start = mention.start;
            if mention.kind != namegraph::gazetteer::AliasKind::Role {
                prop_assert!(previous_end <= mention.start, "name mentions never overlap");
                previous_end = mention.end;
            }
            let surface = &text[mention.start..mention.end];
            let alias = &tagger.gazetteer().alias(mention.alias).text;
            let entity = tagger.gazetteer().entity(mention.entity);
            match mention.method {
                Method::Exact => prop_assert_eq!(surface, alias.as_str()),
                Method::Normalized => prop_assert_eq!(alias_key(surface), alias_key(alias)),
                Method::Transliterated => {
                    // Its own keys, or those of its French reading ("Poutine").
                    let readings = [Some(word_keys(surface)), french_word_keys(surface)];
                    prop_assert!(readings.iter().flatten().any(|keys| {
                        tagger.gazetteer().aliases_of(mention.entity).any(|a| {
                            let alias_keys = word_keys(&tagger.gazetteer().alias(a).text);
                            alias_keys == *keys || alias_keys.last() == keys.last()
                        })
                    }), "transliterated mention {:?} has no alias with its keys", surface);
                }
                Method::Fuzzy => {
                    prop_assert!(mention.score >= FUZZY_THRESHOLD && mention.score < 1.0);
                    prop_assert_eq!(entity.entity_type, EntityType::Person, "only persons resolve by similarity");
                }
                Method::Context => prop_assert_eq!(entity.entity_type, EntityType::Person),
                Method::Role | Method::Default => {}
            }
            let start = offsets.char_offset(mention.start);
            let end = offsets.char_offset(mention.end);
            let by_chars: String = text.chars().skip(start).take(end - start).collect();
            prop_assert_eq!(by_chars.as_str(), surface);
            prop_assert!(surface != "us", "the pronoun is never the state");
        }
    }

    #[test]
    fn building_a_graph_never_panics(texts in prop::collection::vec(any_text(), 0..4)) {
        let tagger = tagger();
        let documents: Vec<Document> = texts.into_iter().enumerate().map(|(i, t)| Document::new(i.to_string(), t)).collect();
        for window in [Window::Sentence, Window::Paragraph, Window::Document] {
            let options = GraphOptions { window, ..GraphOptions::default() };
            let lexicon = tagger.relations().map(|r| r.lexicon());
            let mut builder = GraphBuilder::new(tagger.gazetteer(), lexicon, options);
            for document in &documents {
                let tagged = tagger.tag(document);
                for relation in &tagged.relations {
                    let sentence = &tagged.segmented.sentences[relation.sentence];
                    prop_assert!(relation.subject != relation.object);
                    for span in [&relation.trigger, &relation.subject_span, &relation.object_span] {
                        prop_assert!(sentence.start <= span.start && span.end <= sentence.end);
                        prop_assert!(document.text.is_char_boundary(span.start) && document.text.is_char_boundary(span.end));
                    }
                }
                builder.add(&tagged);
            }
            let graph = builder.finish();
            let selection = namegraph::graph::Selection::default();
            let provenance = namegraph::export::Provenance {
                gazetteer: tagger.gazetteer(),
                relation_lexicon: None,
                selection: &selection,
            };
            let json = namegraph::export::to_json(&graph, &provenance);
            let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(parsed["nodes"].as_array().unwrap().len(), graph.node_count());
            let dot = namegraph::export::to_dot(&graph);
            prop_assert!(graphviz_rust::parse(&dot).is_ok());
            // Whatever the text, the XML formats stay well-formed with one element per node
            // and edge, and the Cytoscape JSON parses.
            for xml in [namegraph::export::to_gexf(&graph), namegraph::export::to_graphml(&graph)] {
                let document = roxmltree::Document::parse(&xml);
                prop_assert!(document.is_ok(), "{:?}", document.err());
                let document = document.unwrap();
                let count = |name: &str| document.descendants().filter(|n| n.has_tag_name(name)).count();
                prop_assert_eq!(count("node"), graph.node_count());
                prop_assert_eq!(count("edge"), graph.edge_count());
            }
            let cytoscape: serde_json::Value = serde_json::from_str(&namegraph::export::to_cytoscape(&graph)).unwrap();
            prop_assert_eq!(cytoscape["elements"]["edges"].as_array().unwrap().len(), graph.edge_count());
            let (nodes, relationships) = namegraph::export::to_neo4j(&graph);
            prop_assert_eq!(nodes.lines().count(), graph.node_count() + 1);
            prop_assert!(relationships.lines().count() > graph.edge_count());
        }
    }
}
