//! Integration tests: the real `namegraph` binary on the real sample corpus and gazetteers.
//! JSON is checked by deserializing it, never by comparing strings.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde::Deserialize;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn namegraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_namegraph"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("namegraph runs")
}

fn namegraph_with_stdin(args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_namegraph"))
        .args(args)
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("namegraph runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn graphviz_installed() -> bool {
    Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Rendering tests need Graphviz; CI installs it, so there a missing `dot` is a failure.
fn require_graphviz() -> bool {
    if graphviz_installed() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "Graphviz `dot` must be installed in CI (.ci/run installs it)"
    );
    eprintln!("skipping: Graphviz `dot` is not installed");
    false
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NodeLink {
    directed: bool,
    multigraph: bool,
    graph: Metadata,
    nodes: Vec<Node>,
    links: Vec<Link>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Metadata {
    generator: String,
    version: String,
    window: String,
    documents: usize,
    mentions: u64,
    unresolved_mentions: u64,
    gazetteer: GazetteerInfo,
    #[serde(default)]
    relation_lexicon: Option<String>,
    #[serde(default)]
    selection: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GazetteerInfo {
    files: Vec<String>,
    entities: usize,
    aliases: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Node {
    id: String,
    label: String,
    #[serde(rename = "type")]
    entity_type: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    wikidata: Option<String>,
    mentions: u64,
    documents: u64,
    #[serde(default)]
    first_date: Option<String>,
    #[serde(default)]
    last_date: Option<String>,
    surface_forms: Vec<SurfaceForm>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SurfaceForm {
    text: String,
    method: String,
    count: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Link {
    source: String,
    target: String,
    key: String,
    kind: String,
    #[serde(default)]
    relation: Option<String>,
    #[serde(default)]
    polarity: Option<String>,
    #[serde(default)]
    negated: Option<bool>,
    directed: bool,
    weight: u64,
    documents: u64,
    #[serde(default)]
    first_date: Option<String>,
    #[serde(default)]
    last_date: Option<String>,
    evidence: Vec<Evidence>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Evidence {
    document: String,
    start: usize,
    end: usize,
    text: String,
    #[serde(default)]
    trigger_start: Option<usize>,
    #[serde(default)]
    trigger_end: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MentionLine {
    doc: String,
    start: usize,
    end: usize,
    text: String,
    entity: Option<String>,
    #[serde(rename = "type")]
    entity_type: Option<String>,
    kind: String,
    method: String,
    score: f64,
    #[serde(default)]
    alias: Option<String>,
    #[serde(default)]
    candidates: Vec<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    nearest: Option<String>,
}

fn build_into(dir: &Path, extra: &[&str]) -> NodeLink {
    build_files(dir, extra);
    serde_json::from_slice(&fs::read(dir.join("graph.json")).unwrap())
        .expect("graph.json matches the documented schema")
}

/// Runs `build --out dir` with `extra` arguments on the sample corpus.
fn build_files(dir: &Path, extra: &[&str]) {
    let out = dir.to_str().unwrap();
    let mut args = vec!["build", "--out", out];
    args.extend_from_slice(extra);
    let output = namegraph(&args);
    assert!(output.status.success(), "build failed: {}", stderr(&output));
    let summary = stderr(&output);
    assert!(summary.contains("5 documents"), "{summary}");
}

/// The mention objects `namegraph tag` printed, one per line.
fn mention_lines(output: &Output) -> Vec<MentionLine> {
    String::from_utf8(output.stdout.clone())
        .expect("the output is UTF-8")
        .lines()
        .map(|line| serde_json::from_str(line).expect("each tag line is a mention object"))
        .collect()
}

fn tag_corpus() -> Vec<MentionLine> {
    let output = namegraph(&["tag"]);
    assert!(output.status.success(), "{}", stderr(&output));
    mention_lines(&output)
}

fn node<'g>(graph: &'g NodeLink, id: &str) -> &'g Node {
    graph
        .nodes
        .iter()
        .find(|n| n.id == id)
        .unwrap_or_else(|| panic!("no node {id}"))
}

#[test]
fn sample_graph_merges_the_variant_spellings_of_tikhanovskaya() {
    let dir = tempfile::tempdir().unwrap();
    let graph = build_into(dir.path(), &["--format", "json"]);
    let node = node(&graph, "svetlana-tikhanovskaya");
    let forms: BTreeSet<&str> = node.surface_forms.iter().map(|f| f.text.as_str()).collect();
    for form in [
        "Svetlana Tikhanovskaya",
        "Tikhanovskaya",
        "Sviatlana Tsikhanouskaya",
    ] {
        assert!(forms.contains(form), "{form} missing from {forms:?}");
    }
    let elsewhere: Vec<&str> = graph
        .nodes
        .iter()
        .filter(|n| n.id != node.id)
        .flat_map(|n| n.surface_forms.iter().map(|f| f.text.as_str()))
        .filter(|t| t.contains("ikhan") || t.contains("Tsikh"))
        .collect();
    assert!(
        elsewhere.is_empty(),
        "variants on other nodes: {elsewhere:?}"
    );
    assert_eq!(
        node.mentions,
        node.surface_forms.iter().map(|f| f.count).sum::<u64>()
    );
}

#[test]
fn a_name_written_with_a_line_break_or_two_spaces_is_one_surface_form_on_one_csv_line() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("wrapped.txt");
    fs::write(
        &article,
        "Diplomats said Michael\nvon Ungern-Sternberg met Maria  Kolesnikova.\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = namegraph(&[
        "build",
        article.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--format",
        "json,neo4j",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let graph: NodeLink =
        serde_json::from_slice(&fs::read(out.join("graph.json")).unwrap()).unwrap();
    let forms: Vec<&str> = graph
        .nodes
        .iter()
        .flat_map(|n| n.surface_forms.iter().map(|f| f.text.as_str()))
        .collect();
    assert_eq!(
        forms,
        ["Maria Kolesnikova", "Michael von Ungern-Sternberg"],
        "{forms:?}"
    );
    let nodes = fs::read_to_string(out.join("neo4j-nodes.csv")).unwrap();
    assert_eq!(nodes.lines().count(), 1 + graph.nodes.len(), "{nodes}");
}

/// `text` with every line longer than `width` broken at spaces, as a mail reader or a plain-text
/// newswire hard-wraps it (lines already shorter are left alone).
fn hard_wrap(text: &str, width: usize) -> String {
    let mut wrapped = Vec::new();
    for line in text.split('\n') {
        let mut current = String::new();
        for word in line.split(' ') {
            if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
                wrapped.push(std::mem::take(&mut current));
            } else if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        wrapped.push(current);
    }
    wrapped.join("\n")
}

/// The JSON lines a successful run of namegraph writes with `args`.
fn json_lines(args: &[&str]) -> Vec<serde_json::Value> {
    let output = namegraph(args);
    assert!(output.status.success(), "{}", stderr(&output));
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// What `tag` and `relations` find in `corpus`, white space in the mentions' text collapsed:
/// (entity, kind, text) of every mention, and (subject, relation, negated, object, document) of
/// every relation, sorted.
fn findings(corpus: &Path) -> (Vec<String>, Vec<String>) {
    let corpus = corpus.to_str().unwrap();
    let mut mentions: Vec<String> = json_lines(&["tag", corpus, "--unresolved"])
        .iter()
        .map(|m| {
            let text = m["text"].as_str().unwrap().split_whitespace();
            let text = text.collect::<Vec<_>>().join(" ");
            format!("{} {} {text}", m["entity"], m["kind"])
        })
        .collect();
    mentions.sort();
    let mut relations: Vec<String> = json_lines(&["relations", "--json", corpus])
        .iter()
        .map(|r| {
            let (subject, relation, object) = (&r["subject"], &r["relation"], &r["object"]);
            let (negated, document) = (&r["negated"], &r["document"]);
            format!("{subject} {relation} {negated} {object} {document}")
        })
        .collect();
    relations.sort();
    (mentions, relations)
}

#[test]
fn hard_wrapped_articles_give_what_the_articles_give_unwrapped() {
    let corpus = repo().join("corpus");
    let unwrapped = findings(&corpus);
    assert!(unwrapped.0.len() > 300 && unwrapped.1.len() > 30);
    for width in [48, 64, 80] {
        let dir = tempfile::tempdir().unwrap();
        for entry in fs::read_dir(&corpus).unwrap() {
            let path = entry.unwrap().path();
            let text = fs::read_to_string(&path).unwrap();
            let text = if path.extension().is_some_and(|e| e == "txt") {
                hard_wrap(&text, width)
            } else {
                text
            };
            fs::write(dir.path().join(path.file_name().unwrap()), text).unwrap();
        }
        let wrapped = findings(dir.path());
        assert_eq!(wrapped.0, unwrapped.0, "mentions, wrapped at {width}");
        assert_eq!(wrapped.1, unwrapped.1, "relations, wrapped at {width}");
    }
}

#[test]
fn putin_lukashenko_is_the_heaviest_co_mention_edge() {
    let dir = tempfile::tempdir().unwrap();
    let graph = build_into(dir.path(), &["--format", "json"]);
    let heaviest = graph.links.iter().max_by_key(|l| l.weight).unwrap();
    let pair = BTreeSet::from([heaviest.source.as_str(), heaviest.target.as_str()]);
    assert_eq!(
        pair,
        BTreeSet::from(["alexander-lukashenko", "vladimir-putin"])
    );
    let others = graph
        .links
        .iter()
        .filter(|l| l.weight == heaviest.weight)
        .count();
    assert_eq!(others, 1, "the heaviest edge is not unique");
    assert_eq!(heaviest.documents, 5);
}

/// The false friends a large gazetteer brings: a three-letter acronym and a sentence-initial
/// word ("Set"), a capitalized noun one deletion from a surname ("Resolution"), a place named
/// like a common word ("Some"). They stay unresolved, each with its reason, or are no mention
/// at all; what the same rules let through still resolves.
#[test]
fn large_gazetteer_false_friends_stay_unresolved() {
    let dir = tempfile::tempdir().unwrap();
    let gazetteer = dir.path().join("big.jsonl");
    fs::write(
        &gazetteer,
        concat!(
            "{\"id\": \"set\", \"name\": \"SET\", \"type\": \"organization\"}\n",
            "{\"id\": \"nato\", \"name\": \"NATO\", \"type\": \"organization\"}\n",
            "{\"id\": \"anna\", \"name\": \"Anna Reslutyain\", \"type\": \"person\", \"aliases\": [\"Reslutyain\"]}\n",
            "{\"id\": \"some\", \"name\": \"Some\", \"type\": \"place\"}\n",
        ),
    )
    .unwrap();
    let output = namegraph_with_stdin(
        &["tag", "-", "-g", gazetteer.to_str().unwrap(), "--unresolved"],
        "Set in the hills, the town waits. The Resolution was adopted. Nato met. Anna Resolution spoke. Some protesters came.",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let lines = mention_lines(&output);
    let line = |text: &str| {
        lines
            .iter()
            .find(|l| l.text == text)
            .unwrap_or_else(|| panic!("no line for {text:?} in {lines:?}"))
    };
    for (text, reason) in [
        ("Set", "fewer than four letters"),
        ("Resolution", "English noun ending"),
    ] {
        let line = line(text);
        assert_eq!(line.entity, None, "{line:?}");
        assert!(
            line.reason.as_deref().is_some_and(|r| r.contains(reason)),
            "{line:?}"
        );
    }
    assert_eq!(line("Nato").entity.as_deref(), Some("nato"));
    assert_eq!(line("Anna Resolution").entity.as_deref(), Some("anna"));
    // A place named like a common word is never matched: "Some" is no mention at all.
    assert!(lines.iter().all(|l| l.text != "Some"), "{lines:?}");
}

#[test]
fn possessives_resolve_without_their_suffix() {
    let corpus = |doc: &str| fs::read_to_string(repo().join("corpus").join(doc)).unwrap();
    let mentions = tag_corpus();
    let mut found: BTreeMap<&str, usize> = BTreeMap::new();
    for mention in &mentions {
        let text: Vec<char> = corpus(&mention.doc).chars().collect();
        let after: String = text[mention.end..(mention.end + 2).min(text.len())]
            .iter()
            .collect();
        for (entity, suffix, label) in [
            ("alexander-lukashenko", "’s", "Lukashenko’s"),
            ("alexander-lukashenko", "'s", "Lukashenko's"),
            ("belarus", "' ", "Belarus'"),
            ("belarus", "'s", "Belarus's"),
            ("vladimir-putin", "’s", "Putin’s"),
            ("lithuania", "’s", "Lithuania’s"),
        ] {
            if mention.entity.as_deref() == Some(entity) && after == suffix {
                assert!(
                    !mention.text.contains('\'') && !mention.text.contains('’'),
                    "{mention:?}"
                );
                *found.entry(label).or_default() += 1;
            }
        }
    }
    for label in [
        "Lukashenko’s",
        "Lukashenko's",
        "Belarus'",
        "Belarus's",
        "Putin’s",
        "Lithuania’s",
    ] {
        assert!(
            found.contains_key(label),
            "no {label} resolved; found {found:?}"
        );
    }
}

#[test]
fn no_node_comes_from_a_pronoun_or_a_common_word() {
    let dir = tempfile::tempdir().unwrap();
    let graph = build_into(dir.path(), &["--format", "json"]);
    for node in &graph.nodes {
        for form in &node.surface_forms {
            let first = form.text.chars().next().unwrap();
            assert!(
                first.is_uppercase(),
                "node {} from lower-case text {:?}",
                node.id,
                form.text
            );
        }
    }
    let forms: BTreeSet<&str> = graph
        .nodes
        .iter()
        .flat_map(|n| n.surface_forms.iter().map(|f| f.text.as_str()))
        .collect();
    for common in [
        "us",
        "Us",
        "It",
        "He",
        "We",
        "Share",
        "Advertising",
        "Union",
        "State",
        "Saturday",
        "Monday",
        "August",
        "Skip",
        "Page",
        "Story",
    ] {
        assert!(!forms.contains(common), "a node was made from {common:?}");
    }
    // "US" the state is there, from "the US", not from the pronoun in "with us".
    assert!(node(&graph, "united-states")
        .surface_forms
        .iter()
        .any(|f| f.text == "US"));
}

#[test]
fn graph_json_is_a_consistent_node_link_document() {
    let dir = tempfile::tempdir().unwrap();
    let graph = build_into(dir.path(), &["--format", "json"]);
    assert!(graph.directed && graph.multigraph);
    assert_eq!(graph.graph.generator, "namegraph");
    assert_eq!(graph.graph.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(graph.graph.window, "sentence");
    assert_eq!(graph.graph.documents, 5);
    assert!(
        graph.graph.gazetteer.entities > 250
            && graph.graph.gazetteer.aliases > graph.graph.gazetteer.entities
    );
    assert!(graph
        .graph
        .gazetteer
        .files
        .iter()
        .any(|f| f.ends_with("people.toml")));
    assert_eq!(
        graph.graph.mentions,
        graph.nodes.iter().map(|n| n.mentions).sum::<u64>()
    );
    assert_eq!(graph.graph.unresolved_mentions, 0);
    let ids: BTreeSet<&str> = graph.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids.len(), graph.nodes.len(), "duplicate node ids");
    let mut keys = BTreeSet::new();
    for node in &graph.nodes {
        assert!(["person", "state", "organization", "place"].contains(&node.entity_type.as_str()));
        assert!(!node.label.is_empty() && node.documents >= 1 && node.documents <= 5);
        assert!(node.surface_forms.iter().all(|f| [
            "exact",
            "normalized",
            "transliterated",
            "fuzzy",
            "context",
            "role",
            "default"
        ]
        .contains(&f.method.as_str())));
        let _ = &node.description;
    }
    let corpus: BTreeMap<String, Vec<char>> = fs::read_dir(repo().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read_to_string(&p).unwrap().chars().collect(),
            )
        })
        .collect();
    for link in &graph.links {
        assert!(
            ids.contains(link.source.as_str()) && ids.contains(link.target.as_str()),
            "dangling {link:?}"
        );
        if link.kind == "co-mention" {
            assert!(
                link.source < link.target,
                "co-mention edges run from the smaller id: {link:?}"
            );
            assert_eq!((link.key.as_str(), link.directed), ("co-mention", false));
        } else {
            assert_eq!(link.kind, "relation");
            assert!(link.directed || link.source < link.target, "{link:?}");
        }
        assert!(
            keys.insert((link.source.clone(), link.target.clone(), link.key.clone())),
            "duplicate edge {link:?}"
        );
        assert!(link.weight >= 1 && link.documents >= 1 && link.documents <= link.weight);
        assert!(!link.evidence.is_empty() && link.evidence.len() <= 3);
        for evidence in &link.evidence {
            let text = &corpus[&evidence.document];
            let sentence: String = text[evidence.start..evidence.end].iter().collect();
            let collapsed = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(
                collapsed, evidence.text,
                "evidence offsets give back the sentence"
            );
        }
    }
}

/// Every file in `dir`, by name.
fn files_in(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().to_string_lossy().into_owned(),
                fs::read(entry.path()).unwrap(),
            )
        })
        .collect()
}

/// The text formats `build` writes (all but the Graphviz drawings).
const TEXT_FORMATS: &str = "json,dot,gexf,graphml,cytoscape,neo4j,html";
const TEXT_FILES: [&str; 8] = [
    "graph.json",
    "graph.dot",
    "graph.gexf",
    "graph.graphml",
    "graph.cyjs",
    "neo4j-nodes.csv",
    "neo4j-relationships.csv",
    "graph.html",
];

#[test]
fn two_builds_give_byte_identical_files_in_every_format_on_any_number_of_threads() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    let formats = if graphviz_installed() {
        format!("{TEXT_FORMATS},svg")
    } else {
        TEXT_FORMATS.to_string()
    };
    build_files(first.path(), &["--format", &formats, "-j", "2"]);
    build_files(second.path(), &["--format", &formats, "-j", "1"]);
    let (first, second) = (files_in(first.path()), files_in(second.path()));
    assert_eq!(
        first.len(),
        TEXT_FILES.len() + usize::from(graphviz_installed())
    );
    for name in TEXT_FILES {
        assert!(first.contains_key(name), "{name} not written");
    }
    for (name, bytes) in &first {
        assert!(
            second.get(name) == Some(bytes),
            "{name} differs between runs"
        );
    }
}

#[test]
fn committed_output_is_what_the_code_builds() {
    for (folder, extra) in [
        ("output", vec![]),
        (
            "output/focus-lukashenko",
            vec!["--focus", "lukashenko", "--depth", "1"],
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut args = vec!["--format", TEXT_FORMATS];
        args.extend(extra);
        build_files(dir.path(), &args);
        for name in TEXT_FILES {
            let fresh = fs::read(dir.path().join(name)).unwrap();
            let committed = fs::read(repo().join(folder).join(name)).unwrap_or_default();
            assert!(
                fresh == committed,
                "{folder}/{name} is stale: rebuild output/ as the README says and commit it"
            );
        }
        let svg = fs::read_to_string(repo().join(folder).join("graph.svg"))
            .unwrap_or_else(|_| panic!("{folder}/graph.svg is committed"));
        assert!(svg.contains("<svg") && svg.contains("Alexander Lukashenko"));
    }
}

#[test]
fn xml_and_csv_exports_hold_every_node_and_edge_once() {
    let dir = tempfile::tempdir().unwrap();
    let graph = build_into(dir.path(), &["--format", TEXT_FORMATS]);
    let node_ids: std::collections::BTreeSet<&str> =
        graph.nodes.iter().map(|n| n.id.as_str()).collect();
    for name in ["graph.gexf", "graph.graphml"] {
        let text = fs::read_to_string(dir.path().join(name)).unwrap();
        let xml = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let elements = |tag: &str| -> Vec<roxmltree::Node> {
            xml.descendants().filter(|n| n.has_tag_name(tag)).collect()
        };
        let nodes: std::collections::BTreeSet<&str> = elements("node")
            .iter()
            .map(|n| n.attribute("id").unwrap())
            .collect();
        assert_eq!(nodes, node_ids, "{name}: nodes");
        let edges = elements("edge");
        assert_eq!(edges.len(), graph.links.len(), "{name}: edges");
        let ids: std::collections::BTreeSet<&str> =
            edges.iter().map(|e| e.attribute("id").unwrap()).collect();
        assert_eq!(ids.len(), edges.len(), "{name}: duplicate edge ids");
        for edge in &edges {
            for end in ["source", "target"] {
                assert!(
                    nodes.contains(edge.attribute(end).unwrap()),
                    "{name}: dangling {end}"
                );
            }
        }
    }
    let gexf = fs::read_to_string(dir.path().join("graph.gexf")).unwrap();
    assert!(gexf.contains(r#"<attribute id="entity_type" title="entity_type" type="string"/>"#));
    assert!(
        !gexf.contains(r#"title="type""#),
        "sigma.js reads `type` as a renderer"
    );
    assert!(gexf.contains(r#"mode="dynamic" timeformat="date""#));
    assert!(gexf.contains(r#"<spell start="2020-08-15" end="2020-09-14"/>"#));
    assert!(gexf.contains(r#"<attvalue for="wikidata" value="Q7747"/>"#));
    assert!(gexf.contains(r#"kind="supports" label="supports""#));

    let cyjs: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("graph.cyjs")).unwrap()).unwrap();
    assert_eq!(
        cyjs["elements"]["nodes"].as_array().unwrap().len(),
        graph.nodes.len()
    );
    assert_eq!(
        cyjs["elements"]["edges"].as_array().unwrap().len(),
        graph.links.len()
    );

    let nodes_csv = fs::read_to_string(dir.path().join("neo4j-nodes.csv")).unwrap();
    let relationships_csv = fs::read_to_string(dir.path().join("neo4j-relationships.csv")).unwrap();
    assert!(nodes_csv.starts_with("entityId:ID,name,:LABEL,"));
    assert!(relationships_csv.starts_with(":START_ID,:END_ID,:TYPE,"));
    assert_eq!(nodes_csv.lines().count(), graph.nodes.len() + 1);
    assert_eq!(relationships_csv.lines().count(), graph.links.len() + 1);
    assert!(nodes_csv.contains("\nvladimir-putin,Vladimir Putin,Entity;Person,person,"));
    assert!(relationships_csv.contains("\nvladimir-putin,alexander-lukashenko,SUPPORTS,relation,supports,cooperative,false,true,5,"));

    let html = fs::read_to_string(dir.path().join("graph.html")).unwrap();
    assert!(
        html.contains("Copyright (c) 2016-2026, The Cytoscape Consortium."),
        "licence embedded"
    );
    assert!(
        !html.contains("<script src") && !html.contains("https://cdn"),
        "nothing fetched"
    );
}

#[test]
fn focus_depth_and_filters_keep_what_they_say() {
    let dir = tempfile::tempdir().unwrap();
    let whole = build_into(dir.path(), &["--format", "json"]);
    let focused = build_into(
        dir.path(),
        &["--format", "json", "--focus", "Lukashenka", "--depth", "1"],
    );
    let neighbours: std::collections::BTreeSet<&str> = whole
        .links
        .iter()
        .filter_map(|l| match (l.source.as_str(), l.target.as_str()) {
            ("alexander-lukashenko", other) | (other, "alexander-lukashenko") => Some(other),
            _ => None,
        })
        .chain(["alexander-lukashenko"])
        .collect();
    let kept: std::collections::BTreeSet<&str> =
        focused.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(kept, neighbours);
    let selection = focused
        .graph
        .selection
        .as_ref()
        .expect("the selection is recorded");
    assert_eq!(selection["focus"], "alexander-lukashenko");
    assert_eq!(selection["depth"], 1);
    assert_eq!(
        whole.graph.relation_lexicon.as_deref(),
        Some("gazetteers/relations.toml")
    );
    assert_eq!(
        node(&whole, "vladimir-putin").wikidata.as_deref(),
        Some("Q7747")
    );
    assert!(focused.nodes.len() < whole.nodes.len());

    let top = build_into(
        dir.path(),
        &[
            "--format",
            "json",
            "--types",
            "person,state",
            "--top",
            "3",
            "--rank-by",
            "degree",
        ],
    );
    let ids: Vec<&str> = top.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["alexander-lukashenko", "belarus", "vladimir-putin"]);

    let heavy = build_into(dir.path(), &["--format", "json", "--min-weight", "5"]);
    assert!(heavy.links.iter().all(|l| l.weight >= 5));

    // A name that fits nothing is an error that suggests the right one, and leaves the output.
    let before = fs::read(dir.path().join("graph.json")).unwrap();
    let output = namegraph(&[
        "build",
        "--out",
        dir.path().to_str().unwrap(),
        "--focus",
        "Lukashenkko",
    ]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("did you mean alexander-lukashenko"),
        "{message}"
    );
    assert_eq!(fs::read(dir.path().join("graph.json")).unwrap(), before);
}

#[test]
fn stats_lists_top_entities_components_and_strongest_edges() {
    let output = namegraph(&["stats", "--json", "-n", "3"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let facts: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for list in ["by_mentions", "by_weighted_degree", "by_pagerank"] {
        assert_eq!(facts[list].as_array().unwrap().len(), 3, "{list}");
        assert_eq!(facts[list][0]["id"], "alexander-lukashenko", "{list}");
    }
    let sizes: u64 = facts["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["size"].as_u64().unwrap())
        .sum();
    assert_eq!(sizes, facts["nodes"].as_u64().unwrap());
    assert_eq!(
        facts["strongest_edges"][0]["source"],
        "alexander-lukashenko"
    );
    assert_eq!(facts["strongest_edges"][0]["target"], "vladimir-putin");
    let table = namegraph(&["stats"]);
    let text = String::from_utf8(table.stdout).unwrap();
    for heading in [
        "Top entities by mentions",
        "PageRank",
        "Connected components",
        "Strongest edges",
    ] {
        assert!(text.contains(heading), "{heading} missing:\n{text}");
    }
}

#[test]
fn one_of_anything_is_counted_in_the_singular() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    fs::write(&article, "Putin met Lukashenko.\n").unwrap();
    let article = article.to_str().unwrap();
    let out = dir.path().join("out");
    let build = namegraph(&["build", article, "-o", out.to_str().unwrap()]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(stderr(&build).contains("namegraph: 1 document, 2 mentions, 2 entities, 2 edges"));
    let read = |name: &str| fs::read_to_string(out.join(name)).unwrap();
    assert!(read("graph.dot").contains("namegraph: 1 document, co-mention window"));
    assert!(read("graph.gexf").contains("<description>1 document;"));
    assert!(read("graph.html").contains("1 document · 2 entities · 2 edges (1 stated relation)"));
    let stats = String::from_utf8(namegraph(&["stats", article]).stdout).unwrap();
    assert!(
        stats.starts_with("1 document, 2 entities, 2 edges, 1 connected component\n"),
        "{stats}"
    );
    let aliases = String::from_utf8(namegraph(&["aliases", article]).stdout).unwrap();
    assert!(
        aliases.starts_with("1 document, 2 entities named"),
        "{aliases}"
    );
}

#[test]
fn dot_parses_back_and_renders_without_warnings() {
    let dir = tempfile::tempdir().unwrap();
    build_files(dir.path(), &["--format", "dot"]);
    let dot = fs::read_to_string(dir.path().join("graph.dot")).unwrap();
    let parsed = graphviz_rust::parse(&dot).expect("graph.dot parses with graphviz_rust::parse");
    let statements = match parsed {
        graphviz_rust::dot_structures::Graph::DiGraph { stmts, .. } => stmts,
        other => panic!("expected a digraph, got {other:?}"),
    };
    let nodes = statements
        .iter()
        .filter(|s| matches!(s, graphviz_rust::dot_structures::Stmt::Node(_)))
        .count();
    let edges = statements
        .iter()
        .filter(|s| matches!(s, graphviz_rust::dot_structures::Stmt::Edge(_)))
        .count();
    let graph = build_into(dir.path(), &["--format", "json"]);
    assert_eq!((nodes, edges), (graph.nodes.len(), graph.links.len()));
    if !require_graphviz() {
        return;
    }
    let output = Command::new("dot")
        .args(["-Tsvg", "-o"])
        .arg(dir.path().join("check.svg"))
        .arg(dir.path().join("graph.dot"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output), "", "dot printed warnings");
    let svg = fs::read_to_string(dir.path().join("check.svg")).unwrap();
    assert_eq!(svg.matches("class=\"node").count(), graph.nodes.len());
    assert_eq!(svg.matches("class=\"edge").count(), graph.links.len());
}

/// A graph too large for Graphviz to lay out soon is not drawn by default: `build` says so and
/// writes every other format at once, instead of waiting on `dot` for many minutes.
#[test]
fn a_graph_too_large_to_draw_is_not_drawn_by_default() {
    if !require_graphviz() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // 1,001 places, each alone in its sentence: as many nodes, no edge.
    let names: Vec<String> = (0..1001)
        .map(|n| {
            let letter = |k: usize| char::from(b'a' + (k % 26) as u8);
            format!("Zu{}{}{}ovo", letter(n / 676), letter(n / 26), letter(n))
        })
        .collect();
    let gazetteer: String = names
        .iter()
        .map(|name| format!("{{\"id\": \"{name}\", \"name\": \"{name}\", \"type\": \"place\"}}\n"))
        .collect();
    fs::write(dir.path().join("places.jsonl"), gazetteer).unwrap();
    let text: String = names
        .iter()
        .map(|name| format!("They went to {name}. "))
        .collect();
    fs::write(dir.path().join("trip.txt"), text).unwrap();
    let out = dir.path().join("out");
    let build = || {
        namegraph(&[
            "build",
            dir.path().join("trip.txt").to_str().unwrap(),
            "-g",
            dir.path().join("places.jsonl").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
    };
    let output = build();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("graph.svg is not rendered: 1001 entities"),
        "{}",
        stderr(&output)
    );
    assert!(!out.join("graph.svg").exists());
    let graph: NodeLink =
        serde_json::from_str(&fs::read_to_string(out.join("graph.json")).unwrap()).unwrap();
    assert_eq!(graph.nodes.len(), 1001);
    // A drawing from an earlier build is kept, and the note says it is not this graph's.
    fs::write(out.join("graph.svg"), "<svg/>").unwrap();
    let again = build();
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("is left as it was, from an earlier build"),
        "{}",
        stderr(&again)
    );
    assert_eq!(fs::read_to_string(out.join("graph.svg")).unwrap(), "<svg/>");
}

#[test]
fn names_with_quotes_and_backslashes_do_not_break_dot() {
    let dir = tempfile::tempdir().unwrap();
    let gazetteer = dir.path().join("odd.toml");
    fs::write(
        &gazetteer,
        "[[entity]]\nid = \"odd\"\nname = 'Alice \"Al\" C:\\Path'\ntype = \"person\"\naliases = [\"Alice\"]\n\n[[entity]]\nid = \"bob\"\nname = \"Bob\"\ntype = \"person\"\n",
    )
    .unwrap();
    let article = dir.path().join("a.txt");
    fs::write(&article, "Alice met Bob.\n").unwrap();
    let out = dir.path().join("out");
    let output = namegraph(&[
        "build",
        article.to_str().unwrap(),
        "-g",
        gazetteer.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--format",
        "json,dot",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let dot = fs::read_to_string(out.join("graph.dot")).unwrap();
    graphviz_rust::parse(&dot).expect("escaped DOT parses");
    if require_graphviz() {
        let rendered = Command::new("dot")
            .arg("-Tsvg")
            .arg(out.join("graph.dot"))
            .output()
            .unwrap();
        assert!(
            rendered.status.success() && rendered.stderr.is_empty(),
            "{}",
            stderr(&rendered)
        );
        assert!(String::from_utf8_lossy(&rendered.stdout).contains("Alice &quot;Al&quot; C:\\Path"));
    }
}

#[test]
fn tag_offsets_are_code_points_into_the_original_text() {
    let mentions = tag_corpus();
    assert!(mentions.len() > 250);
    let mut non_ascii_documents = BTreeSet::new();
    for mention in &mentions {
        let text = fs::read_to_string(repo().join("corpus").join(&mention.doc)).unwrap();
        if !text.is_ascii() {
            non_ascii_documents.insert(mention.doc.clone());
        }
        let slice: String = text
            .chars()
            .skip(mention.start)
            .take(mention.end - mention.start)
            .collect();
        assert_eq!(slice, mention.text, "{mention:?}");
        assert!(mention.score > 0.9 && mention.score <= 1.0, "{mention:?}");
        assert!(
            [
                "exact",
                "normalized",
                "transliterated",
                "fuzzy",
                "context",
                "role"
            ]
            .contains(&mention.method.as_str()),
            "{mention:?}"
        );
        assert!(["name", "demonym", "role"].contains(&mention.kind.as_str()));
        assert!(
            mention.entity.is_some()
                && mention.entity_type.is_some()
                && mention.candidates.is_empty()
        );
        assert!(mention.alias.is_some() && mention.reason.is_none() && mention.nearest.is_none());
    }
    assert!(
        !non_ascii_documents.is_empty(),
        "the corpus has curly quotes that shift byte offsets"
    );
    let moscow = mentions
        .iter()
        .find(|m| m.text == "MOSCOW")
        .expect("the all-caps dateline is tagged");
    assert_eq!(
        (moscow.entity.as_deref(), moscow.method.as_str()),
        (Some("moscow"), "normalized")
    );
    let demonym = mentions.iter().find(|m| m.text == "Belarusian").unwrap();
    assert_eq!(
        (demonym.entity.as_deref(), demonym.kind.as_str()),
        (Some("belarus"), "demonym")
    );
}

#[test]
fn tag_reads_standard_input_as_text_or_json_lines() {
    let output = namegraph_with_stdin(
        &["tag", "-"],
        "Lukashenko’s talks with the US, not with us.",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let lines: Vec<MentionLine> = mention_lines(&output);
    let found: Vec<(&str, &str, usize)> = lines
        .iter()
        .map(|m| (m.doc.as_str(), m.text.as_str(), m.start))
        .collect();
    assert_eq!(found, [("stdin", "Lukashenko", 0), ("stdin", "US", 28)]);

    let jsonl = "{\"id\": \"a\", \"text\": \"Putin backs Lukashenko.\", \"date\": \"2020-09-14\"}\n{\"id\": \"b\", \"text\": \"Minsk.\"}\n";
    let output = namegraph_with_stdin(&["tag", "-"], jsonl);
    assert!(output.status.success(), "{}", stderr(&output));
    let docs: Vec<String> = mention_lines(&output).into_iter().map(|m| m.doc).collect();
    assert_eq!(docs, ["a", "a", "b"]);
}

#[test]
fn build_reads_json_lines_and_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("news.jsonl");
    fs::write(&corpus, "{\"id\": \"a\", \"text\": \"Putin backs Lukashenko.\"}\n{\"id\": \"b\", \"text\": \"Putin and Lukashenko met in Sochi.\"}\n").unwrap();
    let out = dir.path().join("out");
    let output = namegraph(&[
        "build",
        corpus.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let graph: NodeLink =
        serde_json::from_slice(&fs::read(out.join("graph.json")).unwrap()).unwrap();
    let edge = graph
        .links
        .iter()
        .find(|l| l.source == "alexander-lukashenko" && l.target == "vladimir-putin")
        .unwrap();
    assert_eq!((edge.weight, edge.documents), (2, 2));

    let output = namegraph_with_stdin(
        &[
            "build",
            "-",
            "-o",
            out.to_str().unwrap(),
            "--format",
            "json",
        ],
        "Putin met Lukashenko.",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("1 documents") || stderr(&output).contains("1 document"));
}

#[test]
fn wider_windows_link_more_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let sentence = build_into(&dir.path().join("s"), &["--format", "json"]);
    let paragraph = build_into(
        &dir.path().join("p"),
        &["--format", "json", "--window", "paragraph"],
    );
    let document = build_into(
        &dir.path().join("d"),
        &["--format", "json", "--window", "document"],
    );
    assert_eq!(paragraph.graph.window, "paragraph");
    assert!(
        sentence.links.len() <= paragraph.links.len()
            && paragraph.links.len() < document.links.len()
    );
    let pairs = |g: &NodeLink| {
        g.links
            .iter()
            .map(|l| (l.source.clone(), l.target.clone()))
            .collect::<BTreeSet<_>>()
    };
    assert!(
        pairs(&sentence).is_subset(&pairs(&paragraph))
            && pairs(&paragraph).is_subset(&pairs(&document))
    );
}

/// Runs a failing command and checks that it names the problem and leaves `out` untouched.
fn assert_fails_cleanly(args: &[&str], out: &Path, expected: &[&str]) {
    fs::create_dir_all(out).unwrap();
    fs::write(out.join("graph.json"), "previous graph").unwrap();
    let output = namegraph(args);
    assert!(!output.status.success(), "expected failure for {args:?}");
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(!message.contains("panicked"), "{message}");
    for part in expected {
        assert!(message.contains(part), "{part:?} not in: {message}");
    }
    assert_eq!(
        fs::read_to_string(out.join("graph.json")).unwrap(),
        "previous graph"
    );
    let leftovers: Vec<_> = fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "graph.json")
        .collect();
    assert!(leftovers.is_empty(), "left files behind: {leftovers:?}");
}

#[test]
fn bad_input_gets_a_clear_error_and_leaves_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = d.join("out");
    let out_s = out.to_str().unwrap();
    let path = |name: &str| d.join(name).to_str().unwrap().to_string();

    assert_fails_cleanly(
        &["build", &path("missing.txt"), "-o", out_s],
        &out,
        &["missing.txt", "no such file or folder"],
    );

    fs::create_dir(d.join("empty")).unwrap();
    assert_fails_cleanly(
        &["build", &path("empty"), "-o", out_s],
        &out,
        &["empty", "no documents found"],
    );

    fs::write(
        d.join("latin1.txt"),
        b"Putin\nmet Lukashenko in Minsk \xe9t\xe9.\n",
    )
    .unwrap();
    assert_fails_cleanly(
        &["build", &path("latin1.txt"), "-o", out_s],
        &out,
        &["latin1.txt:2:", "not valid UTF-8"],
    );

    fs::write(d.join("article.txt"), "Putin met Lukashenko.\n").unwrap();
    let article = path("article.txt");

    fs::write(
        d.join("broken.toml"),
        "[[entity]]\nid = \"a\"\nname = \"A\"\ntype = \"person\"\naliases = [\"x\"\n",
    )
    .unwrap();
    assert_fails_cleanly(
        &["build", &article, "-g", &path("broken.toml"), "-o", out_s],
        &out,
        &["broken.toml:", "could not load the gazetteer"],
    );

    fs::write(
        d.join("badtype.toml"),
        "[[entity]]\nid = \"a\"\nname = \"A\"\n\ntype = \"persn\"\n",
    )
    .unwrap();
    assert_fails_cleanly(
        &["build", &article, "-g", &path("badtype.toml"), "-o", out_s],
        &out,
        &["badtype.toml:5", "persn"],
    );

    fs::write(d.join("twice.toml"), "[[entity]]\nid = \"a\"\nname = \"A\"\ntype = \"person\"\n\n[[entity]]\nid = \"a\"\nname = \"B\"\ntype = \"person\"\n").unwrap();
    assert_fails_cleanly(
        &["build", &article, "-g", &path("twice.toml"), "-o", out_s],
        &out,
        &["`a`", "twice.toml:1", "twice.toml:6"],
    );

    fs::write(
        d.join("claimed.toml"),
        "[[entity]]\nid = \"alexander\"\nname = \"Alexander Lukashenko\"\ntype = \"person\"\naliases = [\"Lukashenko\"]\n\n[[entity]]\nid = \"viktor\"\nname = \"Viktor Lukashenko\"\ntype = \"person\"\naliases = [\"Lukashenko\"]\n",
    )
    .unwrap();
    assert_fails_cleanly(
        &["build", &article, "-g", &path("claimed.toml"), "-o", out_s],
        &out,
        &["\"Lukashenko\"", "`alexander`", "`viktor`", "ambiguous"],
    );

    fs::write(
        d.join("bulk.jsonl"),
        "{\"id\": \"a\", \"name\": \"A\", \"type\": \"person\"}\nnot json\n",
    )
    .unwrap();
    assert_fails_cleanly(
        &["build", &article, "-g", &path("bulk.jsonl"), "-o", out_s],
        &out,
        // The column within the record's line, not serde_json's "line 1" of the record.
        &["bulk.jsonl:2:", "(column 2)"],
    );

    fs::write(
        d.join("docs.jsonl"),
        "{\"id\": \"a\", \"text\": \"x\"}\n{\"id\": \"b\"}\n",
    )
    .unwrap();
    assert_fails_cleanly(
        &["build", &path("docs.jsonl"), "-o", out_s],
        &out,
        &["docs.jsonl:2:", "missing field `text` (column 11)"],
    );

    fs::create_dir_all(d.join("one")).unwrap();
    fs::create_dir_all(d.join("two")).unwrap();
    fs::write(d.join("one/x.txt"), "Putin.").unwrap();
    fs::write(d.join("two/x.txt"), "Lukashenko.").unwrap();
    assert_fails_cleanly(
        &["build", &path("one"), &path("two"), "-o", out_s],
        &out,
        // Both files, not only the folders they were found in.
        &[
            "`x.txt`",
            "used twice",
            "one/x.txt",
            "two/x.txt",
            "distinct folders",
        ],
    );

    fs::write(
        d.join("repeats.jsonl"),
        "{\"id\": \"a\", \"text\": \"Putin.\"}\n\n{\"id\": \"a\", \"text\": \"Lukashenko.\"}\n",
    )
    .unwrap();
    assert_fails_cleanly(
        &["build", &path("repeats.jsonl"), "-o", out_s],
        &out,
        &[
            "`a`",
            "used twice",
            "repeats.jsonl:1 and",
            "repeats.jsonl:3",
            "give one of the lines another \"id\"",
        ],
    );

    // An output "folder" that is a file: refused before the run, the file left as it was.
    fs::write(d.join("taken"), "mine").unwrap();
    let output = namegraph(&["build", &article, "-o", &path("taken")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("is a file, not a folder"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fs::read_to_string(d.join("taken")).unwrap(), "mine");
    let output = namegraph(&["build", &article, "-o", out_s, "--top", "0"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("at least 1"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_ambiguous_alias_marked_in_both_entities_is_accepted_and_decided_by_context() {
    let dir = tempfile::tempdir().unwrap();
    let gazetteer = dir.path().join("people.toml");
    fs::write(
        &gazetteer,
        "[[entity]]\nid = \"alexander\"\nname = \"Alexander Lukashenko\"\ntype = \"person\"\naliases = [\"Lukashenko\"]\nambiguous = [\"Lukashenko\"]\n\n[[entity]]\nid = \"viktor\"\nname = \"Viktor Lukashenko\"\ntype = \"person\"\naliases = [\"Lukashenko\"]\nambiguous = [\"Lukashenko\"]\n",
    )
    .unwrap();
    let article = dir.path().join("a.txt");
    fs::write(
        &article,
        "Viktor Lukashenko spoke. Later Lukashenko left.\n",
    )
    .unwrap();
    let lonely = dir.path().join("b.txt");
    fs::write(&lonely, "Lukashenko spoke.\n").unwrap();
    let output = namegraph(&[
        "tag",
        article.to_str().unwrap(),
        lonely.to_str().unwrap(),
        "-g",
        gazetteer.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let lines: Vec<MentionLine> = mention_lines(&output);
    let summary: Vec<(&str, Option<&str>, &str)> = lines
        .iter()
        .map(|m| (m.text.as_str(), m.entity.as_deref(), m.method.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("Viktor Lukashenko", Some("viktor"), "exact"),
            ("Lukashenko", Some("viktor"), "context"),
            ("Lukashenko", None, "unresolved")
        ]
    );
    assert_eq!(lines[2].candidates, ["alexander", "viktor"]);
}

#[test]
fn rendering_without_graphviz_says_how_to_install_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("graph.json"), "previous graph").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_namegraph"))
        .args(["build", "-o", out.to_str().unwrap(), "--format", "json,svg"])
        .current_dir(repo())
        .env("PATH", dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("Graphviz") && message.contains("apt-get install graphviz"),
        "{message}"
    );
    assert_eq!(
        fs::read_to_string(out.join("graph.json")).unwrap(),
        "previous graph"
    );

    let output = Command::new(env!("CARGO_BIN_EXE_namegraph"))
        .args(["build", "-o", out.to_str().unwrap()])
        .current_dir(repo())
        .env("PATH", dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("graph.svg is not rendered"));
    assert!(out.join("graph.dot").exists() && !out.join("graph.svg").exists());
}

#[test]
fn help_has_examples_for_every_command() {
    for args in [
        &["--help"][..],
        &["build", "--help"],
        &["tag", "--help"],
        &["relations", "--help"],
    ] {
        let output = namegraph(args);
        assert!(output.status.success());
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.contains("Examples"), "{args:?}: {text}");
    }
    let output = namegraph(&["build", "--window", "chapter"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("chapter"));
}

/// Copies the shipped gazetteers into `dir`, removing the given aliases from people.toml.
fn gazetteers_without(dir: &Path, aliases: &[&str]) -> PathBuf {
    let copy = dir.join("gazetteers");
    fs::create_dir_all(&copy).unwrap();
    for entry in fs::read_dir(repo().join("gazetteers")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let mut text = fs::read_to_string(&path).unwrap();
            if path.file_name().unwrap() == "people.toml" {
                for alias in aliases {
                    let before = text.len();
                    text = text
                        .replace(&format!("\"{alias}\", "), "")
                        .replace(&format!(", \"{alias}\""), "");
                    assert!(text.len() < before, "{alias} not found in people.toml");
                }
            }
            fs::write(copy.join(path.file_name().unwrap()), text).unwrap();
        }
    }
    copy
}

#[test]
fn unlisted_belarusian_spelling_still_reaches_the_same_node() {
    let dir = tempfile::tempdir().unwrap();
    let gazetteers =
        gazetteers_without(dir.path(), &["Sviatlana Tsikhanouskaya", "Tsikhanouskaya"]);
    let people = fs::read_to_string(gazetteers.join("people.toml")).unwrap();
    assert!(!people.contains("Tsikhanouskaya") && people.contains("\"Svetlana Tikhanovskaya\""));
    let g = gazetteers.to_str().unwrap();

    let output = namegraph(&["tag", "-g", g]);
    assert!(output.status.success(), "{}", stderr(&output));
    let mentions: Vec<MentionLine> = mention_lines(&output);
    let belarusian = mentions
        .iter()
        .find(|m| m.text == "Sviatlana Tsikhanouskaya")
        .expect("the span is tagged");
    assert_eq!(belarusian.entity.as_deref(), Some("svetlana-tikhanovskaya"));
    assert!(
        ["fuzzy", "transliterated"].contains(&belarusian.method.as_str()),
        "{belarusian:?}"
    );
    assert!(belarusian.score >= 0.9);

    let output = namegraph(&["aliases", "-g", g, "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let entity = report["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "svetlana-tikhanovskaya")
        .unwrap();
    let form = entity["forms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["text"] == "Sviatlana Tsikhanouskaya")
        .expect("listed under the node");
    assert!(
        ["fuzzy", "transliterated"].contains(&form["method"].as_str().unwrap()),
        "{form}"
    );

    let out = dir.path().join("out");
    let output = namegraph(&[
        "build",
        "-g",
        g,
        "-o",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(output.status.success());
    let graph: NodeLink =
        serde_json::from_slice(&fs::read(out.join("graph.json")).unwrap()).unwrap();
    let node = graph
        .nodes
        .iter()
        .find(|n| n.id == "svetlana-tikhanovskaya")
        .unwrap();
    assert!(node
        .surface_forms
        .iter()
        .any(|f| f.text == "Sviatlana Tsikhanouskaya" && f.method != "exact"));
    assert!(!graph
        .nodes
        .iter()
        .any(|n| n.id != node.id && n.surface_forms.iter().any(|f| f.text.contains("Tsikh"))));
}

#[test]
fn resolve_explains_names_in_text_and_json() {
    let output = namegraph(&[
        "resolve",
        "Łukaszenka",
        "Viktor Lukashenko",
        "Russian president",
        "--date",
        "2020-09-14",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("Łukaszenka -> alexander-lukashenko") && text.contains("transliterated"),
        "{text}"
    );
    assert!(
        text.contains("Viktor Lukashenko -> unresolved") && text.contains("given name"),
        "{text}"
    );
    assert!(
        text.contains("Russian president -> vladimir-putin") && text.contains("by role"),
        "{text}"
    );
    assert!(
        !text.contains("a form of the listed role"),
        "a listed role is no derived form: {text}"
    );

    // A French spelling says it was read as one.
    let output = namegraph(&["resolve", "Vladimir Poutine", "Lukaschenko"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(
            "Vladimir Poutine -> vladimir-putin (Vladimir Putin, person) by transliterated (read as a French romanization)"
        ) && text.contains("Lukaschenko -> alexander-lukashenko (Alexander Lukashenko, person) by transliterated, score"),
        "{text}"
    );

    // A role form the gazetteer derives names the role it was listed as.
    let output = namegraph(&["resolve", "Belarus' president", "--date", "2020-09-14"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("Belarus' president -> alexander-lukashenko")
            && text.contains("(a form of the listed role \"Belarusian president\")"),
        "{text}"
    );

    // Words that name two entities are explained as such, not as a name the gazetteer lacks.
    let output = namegraph(&[
        "resolve",
        "Lukashenko Putin",
        "Russian President Lukashenko",
    ]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("Lukashenko Putin -> unresolved: the words name 2 entities, not one: \"Lukashenko\" names alexander-lukashenko, \"Putin\" names vladimir-putin"),
        "{text}"
    );
    assert!(
        text.contains("Russian President Lukashenko -> unresolved: the words name 2 entities")
            && !text.contains("a different given name"),
        "{text}"
    );

    // A name in lower case is never read as one, and the explanation says so.
    let output = namegraph(&["resolve", "putin", "lukashenko putin"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("putin -> unresolved: written without capitals")
            && text.contains("\"Putin\" resolves to vladimir-putin")
            && text.contains("lukashenko putin -> unresolved: written without capitals")
            && text.contains("as \"Lukashenko Putin\", the words name 2 entities")
            && !text.contains("no clear winner")
            && !text.contains("a different given name"),
        "{text}"
    );

    let output = namegraph(&["resolve", "--json", "Tichanowska", "Prussia"]);
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["entity"], "svetlana-tikhanovskaya");
    assert_eq!(lines[0]["method"], "transliterated");
    assert!(lines[0]["alias"].is_string() && lines[0]["score"].as_f64().unwrap() > 0.9);
    assert_eq!(lines[1]["entity"], serde_json::Value::Null);
    assert!(lines[1]["runners_up"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["entity"] == "russia"));
}

#[test]
fn aliases_reports_forms_and_writes_suggestions_that_load() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    fs::write(&article, "Putin met Lukashenka. Later Valery Kovalenko and Veronika Kovalenko spoke to Tsikhanouskaya.\n").unwrap();
    let suggestions = dir.path().join("suggested.toml");
    let output = namegraph(&[
        "aliases",
        article.to_str().unwrap(),
        "--suggest",
        suggestions.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("alexander-lukashenko") && text.contains("Lukashenka"),
        "{text}"
    );
    assert!(
        text.contains("Valery Kovalenko") && text.contains("unresolved name-like spans"),
        "{text}"
    );
    let fragment = fs::read_to_string(&suggestions).unwrap();
    assert!(
        fragment.contains("name = \"Valery Kovalenko\"") && fragment.contains("type = \"person\""),
        "{fragment}"
    );
    // The fragment is a gazetteer: it loads, and with it the name resolves.
    let lint = namegraph(&["lint", suggestions.to_str().unwrap()]);
    assert!(
        lint.status.success(),
        "{}",
        String::from_utf8_lossy(&lint.stdout)
    );
    let output = namegraph(&[
        "tag",
        article.to_str().unwrap(),
        "-g",
        "gazetteers",
        "-g",
        suggestions.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8(output.stdout)
        .unwrap()
        .contains("\"entity\":\"valery-kovalenko\""));
}

#[test]
fn lint_lists_every_error_and_warning() {
    let output = namegraph(&["lint"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(String::from_utf8(output.stdout)
        .unwrap()
        .contains("0 errors"));

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    let entities = [
        "[[entity]]\nid = \"a\"\nname = \"Anna Ivanova\"\ntype = \"person\"\naliases = [\"Ivanova\", \"Ivanova\"]\n",
        "[[entity]]\nid = \"a\"\nname = \"Second A\"\ntype = \"person\"\n",
        "[[entity]]\nid = \"b\"\nname = \"Boris Ivanov\"\ntype = \"person\"\naliases = [\"Ivanova\"]\n",
        "[[entity]]\nid = \"c\"\nname = \"  \"\ntype = \"person\"\n",
        "[[entity]]\nid = \"e\"\nname = \"Olga Petrovskaya\"\ntype = \"person\"\nroles = [{ alias = \"Mayor\", from = \"2020\", until = \"2019\" }]\n",
        "[[entity]]\nid = \"f\"\nname = \"Olga Petrovskaia\"\ntype = \"person\"\n",
        // A place named like a common word; an organization so named (an agency) is fine.
        "[[entity]]\nid = \"some\"\nname = \"Some\"\ntype = \"place\"\n",
        "[[entity]]\nid = \"reuters\"\nname = \"Reuters\"\ntype = \"organization\"\n",
    ];
    let lint_json = |content: String| {
        fs::write(&bad, content).unwrap();
        let output = namegraph(&["lint", bad.to_str().unwrap(), "--json"]);
        assert_eq!(output.status.code(), Some(1));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let list = |key: &str| -> Vec<String> {
            report[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e.as_str().unwrap().to_string())
                .collect()
        };
        (list("errors"), list("warnings"))
    };
    let has = |list: &[String], part: &str| list.iter().any(|e| e.contains(part));

    // A syntax-level error (an unknown type) stops its file: TOML gives no entities to check.
    let mut with_bad_type = entities.join("\n");
    with_bad_type.push_str("\n[[entity]]\nid = \"d\"\nname = \"D\"\ntype = \"persn\"\n");
    let (errors, _) = lint_json(with_bad_type);
    assert!(has(&errors, "persn") && errors.len() == 1, "{errors:?}");

    // Otherwise every problem is listed at once.
    let (errors, warnings_now) = lint_json(entities.join("\n"));
    assert!(has(&errors, "defined twice"), "{errors:?}");
    assert!(has(&errors, "empty name"), "{errors:?}");
    assert!(
        has(&errors, "ends (2019) before it starts (2020)"),
        "{errors:?}"
    );
    assert!(has(&errors, "\"Ivanova\" is claimed by `a`"), "{errors:?}");
    assert!(has(&warnings_now, "more than once"), "{warnings_now:?}");
    assert!(
        has(&warnings_now, "close enough for fuzzy matching"),
        "{warnings_now:?}"
    );
    assert!(
        has(&warnings_now, "\"Some\", a common capitalized word"),
        "{warnings_now:?}"
    );
    assert!(
        !has(&warnings_now, "\"Reuters\", a common"),
        "{warnings_now:?}"
    );
}

#[test]
fn lint_reports_each_problem_of_an_entity_at_the_line_at_fault() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("people.toml");
    let lines = [
        "[[entity]]",                                                                // 1
        "id = \"anna-ivanova\"",                                                     // 2
        "name = \"Anna Ivanova\"",                                                   // 3
        "type = \"person\"",                                                         // 4
        "wikidata = \"Q0\"",                                                         // 5
        "aliases = [\"Ivanova\",",                                                   // 6
        "  \"--\"]",                                                                 // 7
        "ambiguous = [\"Nobody\"]",                                                  // 8
        "roles = [",                                                                 // 9
        "  { alias = \"Mayor\", from = \"2020-01-01\" },",                           // 10
        "  { alias = \"Governor\", from = \"2020-02-30\" },",                        // 11
        "  { alias = \"Speaker\", from = \"2021-01-01\", until = \"2020-01-01\" },", // 12
        "]",                                                                         // 13
        "",                                                                          // 14
        "[[entity]]",                                                                // 15
        "id = \"boris-ivanov\"",                                                     // 16
        "name = \"Boris Ivanov\"",                                                   // 17
        "type = \"person\"",                                                         // 18
        "roles = [",                                                                 // 19
        "  { alias = \"Mayor\", from = \"2019-01-01\" },",                           // 20
        "  { alias = \"Minister\", from = \"2019-01-01\" },",                        // 21
        "]",                                                                         // 22
        "",                                                                          // 23
        "[[entity]]",                                                                // 24
        "id = \"olga-ivanova\"",                                                     // 25
        "name = \"Olga Ivanova\"",                                                   // 26
        "type = \"person\"",                                                         // 27
        "roles = [{ alias = \"Minister\", from = \"2018-01-01\" }]",                 // 28
    ];
    fs::write(&file, lines.join("\n")).unwrap();
    let path = file.display().to_string();
    let output = namegraph(&["lint", &path, "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors: Vec<&str> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    // Every problem of the first entity, each at its own line, in line order; then the one
    // overlap of the two that loaded (boris-ivanov's and olga-ivanova's "Minister").
    let at = |line: usize, part: &str| format!("{path}:{line}: {part}");
    let expected = [
        at(5, "entity `anna-ivanova` has wikidata = \"Q0\""),
        at(7, "entity `anna-ivanova` has an alias with no letters or digits: \"--\""),
        at(8, "entity `anna-ivanova` lists \"Nobody\" under ambiguous/default_for"),
        at(11, "entity `anna-ivanova`, role \"Governor\": date \"2020-02-30\" is not a day"),
        at(12, "entity `anna-ivanova`, role \"Speaker\": the period ends (2020-01-01)"),
        at(28, "role \"Minister\" of `olga-ivanova` overlaps in time with the same role of `boris-ivanov`"),
    ];
    assert_eq!(errors.len(), expected.len(), "{errors:#?}");
    // anna-ivanova was read but refused; the other two loaded.
    assert_eq!(
        (report["entities"].as_u64(), report["refused"].as_u64()),
        (Some(2), Some(1))
    );
    for (error, expected) in errors.iter().zip(&expected) {
        assert!(
            error.starts_with(expected.as_str()),
            "{error}\nexpected {expected}"
        );
    }
    // Loading stops at the first of them, with the same line.
    let output = namegraph(&["tag", "-g", &path, "-"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(&expected[0]),
        "{}",
        stderr(&output)
    );
}

#[test]
fn roles_resolve_only_on_dates_in_their_period() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("news.jsonl");
    fs::write(
        &corpus,
        concat!(
            "{\"id\": \"2020\", \"text\": \"The Russian president met NATO chief Jens Stoltenberg.\", \"date\": \"2020-09-14\"}\n",
            "{\"id\": \"2010\", \"text\": \"The Russian president met NATO chief Jens Stoltenberg.\", \"date\": \"2010-01-01\"}\n",
            "{\"id\": \"undated\", \"text\": \"The Russian president spoke.\"}\n",
            "{\"id\": \"dated-in-text\", \"text\": \"MOSCOW, Sept. 14, 2020\\nThe Russian president spoke.\"}\n",
            "{\"id\": \"undated-apposition\", \"text\": \"Russian President Vladimir Putin and NATO chief Lukashenko spoke.\"}\n",
            "{\"id\": \"former\", \"text\": \"The former Russian president spoke to an ex-NATO chief. Jens Stoltenberg, the former NATO chief, and the Russian president.\", \"date\": \"2020-09-14\"}\n",
            "{\"id\": \"undated-comma\", \"text\": \"Jens Stoltenberg, the NATO chief, met Lukashenko, the Russian president, and Putin. Putin, Belarusian leader.\"}\n",
        ),
    )
    .unwrap();
    let output = namegraph(&["tag", corpus.to_str().unwrap(), "--unresolved"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let lines: Vec<MentionLine> = mention_lines(&output);
    let of = |doc: &str| {
        lines
            .iter()
            .filter(|m| m.doc == doc)
            .map(|m| (m.text.as_str(), m.entity.as_deref(), m.method.as_str()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        of("2020"),
        [
            ("Russian", Some("russia"), "exact"),
            ("Russian president", Some("vladimir-putin"), "role"),
            ("NATO", Some("nato"), "exact"),
            ("NATO chief", Some("jens-stoltenberg"), "role"),
            ("Jens Stoltenberg", Some("jens-stoltenberg"), "exact"),
        ]
    );
    // In 2010 the Russian president was Medvedev, and NATO's chief not yet Stoltenberg.
    let in_2010 = of("2010");
    assert!(
        in_2010.contains(&("Russian president", Some("dmitry-medvedev"), "role"))
            && in_2010.contains(&("NATO chief", None, "unresolved")),
        "{in_2010:?}"
    );
    assert!(!in_2010.iter().any(|m| m.1 == Some("vladimir-putin")));
    assert!(of("undated")
        .iter()
        .any(|m| m.0 == "Russian president" && m.1.is_none()));
    assert!(of("dated-in-text").contains(&("Russian president", Some("vladimir-putin"), "role")));
    // Undated, a role is the person named right after it, if that person ever held it.
    let apposition = of("undated-apposition");
    assert!(
        apposition.contains(&("Russian President", Some("vladimir-putin"), "context")),
        "{apposition:?}"
    );
    assert!(
        apposition.contains(&("NATO chief", None, "unresolved")),
        "{apposition:?}"
    );
    // After "former", a role is a past holder's: not the one on the date, unless named beside.
    let former = of("former");
    assert_eq!(
        former
            .iter()
            .filter(|m| m.0.ends_with("president") || m.0.ends_with("chief"))
            .copied()
            .collect::<Vec<_>>(),
        [
            ("Russian president", None, "unresolved"),
            ("NATO chief", None, "unresolved"),
            ("NATO chief", Some("jens-stoltenberg"), "context"),
            ("Russian president", Some("vladimir-putin"), "role"),
        ],
        "{former:?}"
    );
    // ... or the person named right before it and a comma.
    let comma = of("undated-comma");
    assert!(
        comma.contains(&("NATO chief", Some("jens-stoltenberg"), "context")),
        "{comma:?}"
    );
    assert!(
        comma.contains(&("Russian president", None, "unresolved"))
            && comma.contains(&("Belarusian leader", None, "unresolved")),
        "{comma:?}"
    );
    // A role that went to no one is still listed as a role, so that filtering on the kind
    // finds it.
    for line in lines.iter().filter(|m| m.method == "unresolved") {
        let is_role = line.text.ends_with("president")
            || line.text.ends_with("chief")
            || line.text.ends_with("leader");
        assert_eq!(line.kind, if is_role { "role" } else { "name" }, "{line:?}");
    }
}

#[test]
fn one_sense_per_discourse_resolves_surnames_and_titles() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    fs::write(
        &article,
        "Opposition leader Sviatlana Tsikhanouskaya spoke in Vilnius. Later Ms Tsikhanouskaya left. \
         Viktor Lukashenko, a son, spoke. Lukashenko smiled.\n",
    )
    .unwrap();
    let dir2 = tempfile::tempdir().unwrap();
    let gazetteers =
        gazetteers_without(dir2.path(), &["Sviatlana Tsikhanouskaya", "Tsikhanouskaya"]);
    let output = namegraph(&[
        "tag",
        article.to_str().unwrap(),
        "-g",
        gazetteers.to_str().unwrap(),
        "--unresolved",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let lines: Vec<MentionLine> = mention_lines(&output);
    let summary: Vec<(&str, Option<&str>, &str)> = lines
        .iter()
        .map(|m| (m.text.as_str(), m.entity.as_deref(), m.method.as_str()))
        .collect();
    assert!(
        summary.contains(&(
            "Sviatlana Tsikhanouskaya",
            Some("svetlana-tikhanovskaya"),
            "fuzzy"
        )),
        "{summary:?}"
    );
    assert!(
        summary.contains(&("Tsikhanouskaya", Some("svetlana-tikhanovskaya"), "context")),
        "{summary:?}"
    );
    assert!(
        summary.contains(&("Viktor Lukashenko", None, "unresolved")),
        "{summary:?}"
    );
    // The bare surname after the document named another Lukashenko in full is not guessed.
    assert!(
        summary.contains(&("Lukashenko", None, "unresolved")),
        "{summary:?}"
    );
}

/// The sample articles cut into paragraphs, `copies` times over, as JSON Lines: thousands of
/// small documents, so that the pipeline reads, tags and writes several batches at once.
fn paragraphs_jsonl(copies: usize) -> String {
    let mut corpus = String::new();
    let mut paths: Vec<PathBuf> = fs::read_dir(repo().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    for copy in 0..copies {
        for (i, path) in paths.iter().enumerate() {
            let text = fs::read_to_string(path).unwrap();
            for (j, paragraph) in text.split("\n\n").enumerate() {
                let record = serde_json::json!({"id": format!("{copy}-{i}-{j}"), "text": paragraph, "date": "2020-09-14"});
                corpus.push_str(&record.to_string());
                corpus.push('\n');
            }
        }
    }
    corpus
}

#[test]
fn a_bad_line_after_several_batches_fails_with_its_line_on_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let mut corpus = paragraphs_jsonl(20);
    let bad_line = corpus.lines().count() + 1;
    corpus.push_str("{\"id\": \"broken\", \"text\": \n");
    let input = dir.path().join("broken.jsonl");
    fs::write(&input, corpus).unwrap();
    for threads in ["1", "2"] {
        let tag = namegraph(&["tag", input.to_str().unwrap(), "--threads", threads]);
        assert!(!tag.status.success());
        let message = stderr(&tag);
        assert!(
            message.contains(&format!("broken.jsonl:{bad_line}")),
            "{threads} threads: {message}"
        );
        assert!(!message.contains("panicked"), "{message}");
        let out = dir.path().join(format!("out{threads}"));
        let build = namegraph(&[
            "build",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--format",
            "json",
            "--threads",
            threads,
        ]);
        assert!(!build.status.success());
        assert!(stderr(&build).contains(&format!("broken.jsonl:{bad_line}")));
        assert!(!out.join("graph.json").exists(), "no half-built graph");
    }
}

/// Documents are parsed and their ids checked on the worker threads and at hand-on: whatever
/// goes wrong mid-corpus, every thread count stops at the same document, with the same message,
/// after writing the same lines.
#[test]
fn an_error_mid_corpus_stops_every_thread_count_at_the_same_document() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = paragraphs_jsonl(20);
    let lines: Vec<&str> = corpus.lines().collect();
    let middle = lines.len() / 2;
    let not_utf8 = |line: &str| {
        let mut bytes = line.as_bytes().to_vec();
        let quote = bytes.iter().rposition(|&b| b == b'"').unwrap();
        bytes.insert(quote, 0xff);
        bytes
    };
    // Every seventh record is followed by a line of white space only (as `str::trim` sees
    // it), which is skipped but counted: the bad record is on this line of the file.
    let bad_line = middle + middle.div_ceil(7) + 1;
    let cases: [(&str, Vec<u8>, String); 3] = [
        (
            "malformed",
            b"{\"id\": \"broken\"}".to_vec(),
            format!("malformed.jsonl:{bad_line}:"),
        ),
        (
            "not-utf8",
            not_utf8(lines[middle]),
            format!("not-utf8.jsonl:{bad_line}:"),
        ),
        (
            "repeated",
            lines[3].as_bytes().to_vec(),
            "`0-0-3`".to_string(),
        ),
    ];
    for (name, bad, expected) in cases {
        let mut file = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if i == middle {
                file.extend_from_slice(&bad);
            } else {
                file.extend_from_slice(line.as_bytes());
            }
            file.extend_from_slice(if i % 7 == 0 { b"\n \x0b\t\n" } else { b"\n" });
        }
        let input = dir.path().join(format!("{name}.jsonl"));
        fs::write(&input, &file).unwrap();
        let mut outputs = Vec::new();
        for threads in ["1", "2", "4"] {
            let tag = namegraph(&["tag", input.to_str().unwrap(), "--threads", threads]);
            assert!(!tag.status.success(), "{name}, {threads} threads");
            let message = stderr(&tag);
            assert!(message.contains(&expected), "{name}, {threads}: {message}");
            assert!(!message.contains("panicked"), "{message}");
            outputs.push((tag.stdout, message));
        }
        assert!(outputs.windows(2).all(|w| w[0] == w[1]), "{name}");
        // The batches before the bad one were tagged and written, the bad one's not at all.
        let written = String::from_utf8(outputs[0].0.clone()).unwrap();
        assert!(!written.is_empty(), "{name}");
        let last_doc = written.lines().last().unwrap();
        assert!(!last_doc.contains("\"doc\":\"broken\""), "{name}");
    }
}

#[test]
fn any_number_of_threads_gives_byte_identical_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("paragraphs.jsonl");
    fs::write(&input, paragraphs_jsonl(20)).unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2", "4"] {
        let out = dir.path().join(format!("out{threads}"));
        let output = namegraph(&[
            "build",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--format",
            "json,dot",
            "--threads",
            threads,
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        let tag = namegraph(&[
            "tag",
            input.to_str().unwrap(),
            "--threads",
            threads,
            "--unresolved",
        ]);
        assert!(tag.status.success());
        outputs.push((
            fs::read(out.join("graph.json")).unwrap(),
            fs::read(out.join("graph.dot")).unwrap(),
            tag.stdout,
        ));
    }
    assert!(
        outputs.windows(2).all(|w| w[0] == w[1]),
        "output differs between thread counts"
    );
    assert!(String::from_utf8_lossy(&outputs[0].2).lines().count() > 20 * 250);
}

#[test]
fn gold_spans_give_back_their_text() {
    let gold: serde_json::Value =
        serde_json::from_slice(&fs::read(repo().join("tests/gold/sample.json")).unwrap()).unwrap();
    let mut checked = 0;
    for document in gold["documents"].as_array().unwrap() {
        let text: Vec<char> =
            fs::read_to_string(repo().join("corpus").join(document["id"].as_str().unwrap()))
                .unwrap()
                .chars()
                .collect();
        for list in ["mentions", "demonyms", "roles", "relations"] {
            for span in document[list].as_array().unwrap() {
                let (start, end) = (
                    span["start"].as_u64().unwrap() as usize,
                    span["end"].as_u64().unwrap() as usize,
                );
                let slice: String = text[start..end].iter().collect();
                assert_eq!(
                    slice,
                    span["text"].as_str().unwrap(),
                    "{} {list} {start}..{end}",
                    document["id"]
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 270 + 43 + 29 + 32);
}

/// The quality floors: raise them as namegraph gets better; never lower them to make a change
/// pass. (Raised on 2026-12-01 from 0.97 and 0.85, with resolution at 1.000 and strict
/// relations at 0.906; the relation floor again on 2026-12-02 from 0.88, with strict relations
/// at 0.923; and on 2026-12-03 from 0.90, with strict relations at 0.952: one relation more
/// or fewer still passes, two do not.)
const RESOLUTION_F1_FLOOR: f64 = 0.99;
const RELATION_F1_FLOOR: f64 = 0.93;

#[test]
fn the_sample_corpus_meets_the_quality_floor() {
    let output = namegraph(&["eval", "--gold", "tests/gold/sample.json", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let f1 = |key: &str| result[key]["f1"].as_f64().unwrap();
    assert_eq!(result["documents"], 5);
    assert!(
        f1("resolution") >= RESOLUTION_F1_FLOOR,
        "resolution F1 {} below the floor",
        f1("resolution")
    );
    assert!(f1("spans") >= RESOLUTION_F1_FLOOR);
    assert!(
        f1("relations_strict") >= RELATION_F1_FLOOR,
        "strict relation F1 {} below the floor",
        f1("relations_strict")
    );
    assert!(f1("relations_relaxed") >= f1("relations_strict"));
    assert!(f1("demonyms") >= 0.95 && f1("roles") >= 0.95, "{result}");
    assert!(result["unknown_entities"].as_array().unwrap().is_empty());
    assert!(result["misaligned_spans"].as_array().unwrap().is_empty());
    for entity_type in ["person", "state", "organization", "place"] {
        assert!(
            result["resolution_by_type"][entity_type]["f1"]
                .as_f64()
                .unwrap()
                >= 0.95,
            "{entity_type}"
        );
    }
    // Every disagreement is listed with its sentence.
    assert!(result["disagreements"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| !d["sentence"].as_str().unwrap().is_empty()));
}

#[test]
fn eval_reports_foreign_gold_files_instead_of_crashing() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    fs::write(&article, "Putin met Lukashenka in Minsk.\n").unwrap();
    let gold = dir.path().join("gold.json");
    fs::write(
        &gold,
        r#"{"documents": [
            {"id": "a.txt", "annotator": "someone else",
             "mentions": [{"start": 0, "end": 5, "text": "Putin", "entity": "putin-their-id"},
                          {"start": 10, "end": 20, "text": "Lukashenka", "entity": "alexander-lukashenko"},
                          {"start": 24, "end": 28, "text": "Minsk", "entity": "minsk"}]},
            {"id": "missing.txt"}]}"#,
    )
    .unwrap();
    let output = namegraph(&[
        "eval",
        "--gold",
        gold.to_str().unwrap(),
        article.to_str().unwrap(),
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        result["unknown_entities"],
        serde_json::json!(["putin-their-id"])
    );
    assert_eq!(
        result["missing_documents"],
        serde_json::json!(["missing.txt"])
    );
    assert_eq!(result["misaligned_spans"].as_array().unwrap().len(), 1);
    assert_eq!(result["resolution"]["true_positives"], 1);
    assert_eq!(result["spans"]["true_positives"], 2);
    let text = namegraph(&[
        "eval",
        "--gold",
        gold.to_str().unwrap(),
        article.to_str().unwrap(),
    ]);
    let shown = String::from_utf8(text.stdout).unwrap();
    assert!(
        shown.starts_with("1 document evaluated\n")
            && shown.contains("putin-their-id")
            && shown.contains("false negative")
            && shown.contains("Putin met Lukashenka"),
        "{shown}"
    );

    fs::write(&gold, "{\"documents\": [\n  {\"id\": 3,\n").unwrap();
    let output = namegraph(&[
        "eval",
        "--gold",
        gold.to_str().unwrap(),
        article.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("gold.json:"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn run_outside_the_repository_says_where_the_defaults_are_looked_for() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_namegraph"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("namegraph runs");
        assert_eq!(output.status.code(), Some(1));
        stderr(&output)
    };
    let message = run(&["build"]);
    assert!(
        message.contains("gazetteers: no such file or folder")
            && message.contains("current folder")
            && message.contains("-g PATH"),
        "{message}"
    );
    let gazetteers = repo().join("gazetteers");
    let message = run(&["tag", "-g", gazetteers.to_str().unwrap()]);
    assert!(
        message.contains("corpus: no such file or folder") && message.contains("as arguments"),
        "{message}"
    );
    // A path the user gave gets no such hint.
    let message = run(&["tag", "-g", gazetteers.to_str().unwrap(), "elsewhere"]);
    assert!(!message.contains("current folder"), "{message}");
}

#[test]
fn files_that_start_with_a_byte_order_mark_are_read() {
    // As Windows tools (PowerShell, Excel) write them.
    let dir = tempfile::tempdir().unwrap();
    let documents = dir.path().join("docs.jsonl");
    fs::write(
        &documents,
        "\u{feff}{\"id\": \"a\", \"text\": \"Foobar met Putin.\"}\r\n",
    )
    .unwrap();
    let gazetteer = dir.path().join("people.jsonl");
    fs::write(
        &gazetteer,
        "\u{feff}{\"id\": \"foo-bar\", \"name\": \"Foo Bar\", \"type\": \"person\", \"aliases\": [\"Foobar\"]}\r\n",
    )
    .unwrap();
    let output = namegraph(&[
        "tag",
        documents.to_str().unwrap(),
        "-g",
        gazetteer.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let lines: Vec<MentionLine> = mention_lines(&output);
    assert_eq!(lines.len(), 1);
    assert_eq!(
        (lines[0].start, lines[0].entity.as_deref()),
        (0, Some("foo-bar"))
    );
    // On standard input too; a text document keeps its mark (offsets count it, as Python's
    // open() does).
    let output = namegraph_with_stdin(
        &["tag", "-"],
        "\u{feff}{\"id\": \"b\", \"text\": \"Putin\"}\n",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(mention_lines(&output)[0].doc, "b");
    let output = namegraph_with_stdin(&["tag", "-"], "\u{feff}Putin");
    assert_eq!(mention_lines(&output)[0].start, 1);
    // UTF-16 text with its mark, as Notepad saves "Unicode", little- and big-endian; offsets
    // as Python's open(encoding="utf-16") reads it, without the mark.
    let utf16 = |big_endian: bool, text: &str| {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        bytes
    };
    for big_endian in [false, true] {
        let article = dir.path().join("notepad.txt");
        fs::write(&article, utf16(big_endian, "Putin met Лукашенко.\r\n")).unwrap();
        let output = namegraph(&["tag", article.to_str().unwrap()]);
        assert!(output.status.success(), "{}", stderr(&output));
        let found: Vec<(usize, String)> = mention_lines(&output)
            .into_iter()
            .map(|m| (m.start, m.text))
            .collect();
        assert_eq!(
            found,
            [(0, "Putin".to_string()), (10, "Лукашенко".to_string())]
        );
    }
    // UTF-16 JSON Lines are refused by name, not as broken UTF-8.
    fs::write(
        &documents,
        utf16(false, "{\"id\": \"a\", \"text\": \"Putin\"}\n"),
    )
    .unwrap();
    let output = namegraph(&["tag", documents.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("UTF-16"), "{}", stderr(&output));
    // And a gold file.
    let gold = dir.path().join("gold.json");
    let sample = fs::read_to_string(repo().join("tests/gold/sample.json")).unwrap();
    fs::write(&gold, format!("\u{feff}{sample}")).unwrap();
    let output = namegraph(&["eval", "--gold", gold.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn eval_refuses_a_gold_it_cannot_measure_against() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    fs::write(&article, "Putin met Lukashenka in Minsk.\n").unwrap();
    let gold = dir.path().join("gold.json");
    let eval = |content: &str| {
        fs::write(&gold, content).unwrap();
        let output = namegraph(&[
            "eval",
            "--gold",
            gold.to_str().unwrap(),
            article.to_str().unwrap(),
        ]);
        assert_eq!(output.status.code(), Some(1), "{content}");
        assert!(output.stdout.is_empty(), "{content}");
        let message = stderr(&output);
        assert!(!message.contains("panicked"), "{message}");
        message
    };
    // Ids that match no input: an error, not a table of zeros.
    let message = eval(r#"{"documents": [{"id": "b.txt"}, {"id": "c.txt"}]}"#);
    assert!(
        message.contains("none of the 2 documents")
            && message.contains("`b.txt`, `c.txt`")
            && message.contains("/a.txt`"),
        "{message}"
    );
    let message = eval("{\"documents\": [\n {\"id\": \"a.txt\"},\n {\"id\": \"a.txt\"}]}");
    assert!(
        message.contains("gold.json:3:") && message.contains("`a.txt` is listed twice"),
        "{message}"
    );
    let message = eval(r#"{"format": "namegraph-gold/9", "documents": [{"id": "a.txt"}]}"#);
    assert!(message.contains("`namegraph-gold/9`"), "{message}");
    let message = eval(r#"{"documents": []}"#);
    assert!(message.contains("no documents"), "{message}");
    let message = eval("[]");
    assert!(message.contains("expected a JSON object"), "{message}");
    // Another kind of namegraph file.
    let message = eval(r#"{"directed": true, "nodes": [], "links": []}"#);
    assert!(message.contains("missing field `documents`"), "{message}");
    // serde's position within the file is given as the column of the line named.
    let message = eval("{\"documents\": [\n  {\"id\": 3}]}");
    assert!(
        message.contains("gold.json:2:") && message.contains("(column 10)"),
        "{message}"
    );
    fs::remove_file(&gold).unwrap();
    let output = namegraph(&["eval", "--gold", gold.to_str().unwrap()]);
    let message = stderr(&output);
    // The reason once, not once from the error and again from its source.
    assert_eq!(message.matches("No such file").count(), 1, "{message}");
}

#[test]
fn names_listed_under_not_are_never_given_to_the_entity() {
    let dir = tempfile::tempdir().unwrap();
    let gazetteer = dir.path().join("people.toml");
    let entry = |not: &str| {
        format!("[[entity]]\nid = \"maria-kolesnikova\"\nname = \"Maria Kolesnikova\"\ntype = \"person\"\naliases = [\"Kolesnikova\"]\nnot = [{not}]\n")
    };
    fs::write(&gazetteer, entry("")).unwrap();
    let g = gazetteer.to_str().unwrap();
    let output = namegraph(&["resolve", "-g", g, "--json", "Marja Kolesnikowa"]);
    let before: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(before["entity"], "maria-kolesnikova", "{before}");

    fs::write(&gazetteer, entry("\"Marja Kolesnikowa\"")).unwrap();
    let output = namegraph(&["resolve", "-g", g, "--json", "Marja Kolesnikowa"]);
    let after: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(after["entity"], serde_json::Value::Null, "{after}");
    assert!(
        after["runners_up"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["reason"].as_str().unwrap().contains("`not`")),
        "{after}"
    );
}

/// The relation links of a graph, as "source relation target" (with "not " when negated).
fn relation_links(graph: &NodeLink) -> Vec<(String, &Link)> {
    graph
        .links
        .iter()
        .filter(|l| l.kind == "relation")
        .map(|l| {
            let negated = if l.negated == Some(true) { "not " } else { "" };
            let relation = l
                .relation
                .as_deref()
                .expect("relation links name their relation");
            (format!("{} {negated}{relation} {}", l.source, l.target), l)
        })
        .collect()
}

#[test]
fn sample_graph_has_the_stated_relations_with_their_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let graph = build_into(dir.path(), &[]);
    let relations = relation_links(&graph);
    let find = |triple: &str| {
        relations
            .iter()
            .find(|(t, _)| t == triple)
            .map(|(_, l)| *l)
            .unwrap_or_else(|| panic!("no relation {triple}"))
    };
    let corpus: BTreeMap<String, Vec<char>> = fs::read_dir(repo().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read_to_string(&p).unwrap().chars().collect())
        })
        .collect();
    for (triple, trigger, directed, polarity) in [
        (
            "vladimir-putin supports alexander-lukashenko",
            "backs",
            true,
            "cooperative",
        ),
        (
            "svetlana-tikhanovskaya criticizes vladimir-putin",
            "condemned",
            true,
            "hostile",
        ),
        (
            "russia aids belarus",
            "extend Belarus a government loan",
            true,
            "cooperative",
        ),
        (
            "alexander-lukashenko thanks vladimir-putin",
            "thanked",
            true,
            "cooperative",
        ),
        (
            "alexander-lukashenko calls vladimir-putin",
            "phone call",
            false,
            "neutral",
        ),
    ] {
        let link = find(triple);
        assert_eq!(link.directed, directed, "{triple}");
        assert_eq!(link.polarity.as_deref(), Some(polarity), "{triple}");
        assert_eq!(link.key, link.relation.clone().unwrap(), "{triple}");
        assert!(link.weight >= 1 && link.first_date.is_some(), "{triple}");
        // The evidence offsets give back the sentence and, inside it, the trigger.
        let mut triggers = Vec::new();
        for evidence in &link.evidence {
            let text = &corpus[&evidence.document];
            let sentence: String = text[evidence.start..evidence.end].iter().collect();
            let collapsed = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapsed, evidence.text);
            let (start, end) = (
                evidence.trigger_start.unwrap(),
                evidence.trigger_end.unwrap(),
            );
            assert!(evidence.start <= start && end <= evidence.end);
            triggers.push(text[start..end].iter().collect::<String>());
        }
        assert!(
            triggers.iter().any(|t| t == trigger),
            "{triple}: {triggers:?}"
        );
    }
    assert_eq!(
        find("vladimir-putin supports alexander-lukashenko").documents,
        2
    );
    // Dates span the documents that state it, and those that mention the entity.
    let backs = find("vladimir-putin supports alexander-lukashenko");
    assert_eq!(
        (backs.first_date.as_deref(), backs.last_date.as_deref()),
        (Some("2020-08-28"), Some("2020-09-14"))
    );
    let putin = node(&graph, "vladimir-putin");
    assert_eq!(
        (putin.first_date.as_deref(), putin.last_date.as_deref()),
        (Some("2020-08-15"), Some("2020-09-14"))
    );
    // A news agency is quoted, never acting.
    for agency in ["afp", "associated-press", "reuters", "tass", "belta"] {
        assert!(
            relations.iter().all(|(_, l)| l.source != agency),
            "a relation runs from {agency}"
        );
    }
    // Co-mention links carry none of the relation fields.
    assert!(graph
        .links
        .iter()
        .filter(|l| l.kind == "co-mention")
        .all(|l| l.relation.is_none() && l.polarity.is_none() && !l.directed));
    // DOT draws relations as labelled arrows coloured by polarity, apart from co-mention lines.
    let dot = fs::read_to_string(dir.path().join("graph.dot")).unwrap();
    let supports = dot
        .lines()
        .find(|l| {
            l.contains("\"vladimir-putin\" -> \"alexander-lukashenko\"") && l.contains("supports")
        })
        .expect("a supports arrow in DOT");
    assert!(
        supports.contains("dir=forward") && supports.contains("#198754"),
        "{supports}"
    );
    let criticizes = dot
        .lines()
        .find(|l| l.contains("criticizes"))
        .expect("a criticizes arrow in DOT");
    assert!(criticizes.contains("#dc3545"), "{criticizes}");
}

#[test]
fn edges_choose_kinds_and_min_weight_drops_weak_edges() {
    let dir = tempfile::tempdir().unwrap();
    let all = build_into(&dir.path().join("all"), &[]);
    let co = build_into(&dir.path().join("co"), &["--edges", "co-mention"]);
    let rel = build_into(&dir.path().join("rel"), &["--edges", "relation"]);
    let heavy = build_into(&dir.path().join("heavy"), &["--min-weight", "2"]);
    assert!(co.links.iter().all(|l| l.kind == "co-mention"));
    assert!(rel.links.iter().all(|l| l.kind == "relation"));
    assert_eq!(co.links.len() + rel.links.len(), all.links.len());
    assert!(!heavy.links.is_empty() && heavy.links.len() < all.links.len());
    assert!(heavy.links.iter().all(|l| l.weight >= 2));
    // The same nodes: dropping an edge never drops a mentioned entity.
    assert_eq!(heavy.nodes.len(), all.nodes.len());
    let output = namegraph(&["build", "--edges", "gossip", "-o", "/nonexistent"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("gossip"));
}

#[test]
fn relations_lists_triples_as_a_table_and_as_json_lines() {
    let output = namegraph(&["relations"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(table.lines().next().unwrap().starts_with("SUBJECT"));
    assert!(table.lines().any(|l| l.starts_with("vladimir-putin")
        && l.contains(" supports ")
        && l.contains("2020-09-14-afp-putin-backs-lukashenko.txt:3")
        && l.ends_with(
            "Putin backs Lukashenko as visiting Belarus leader vows closer ties with Moscow"
        )));

    let output = namegraph_with_stdin(
        &["relations", "--json", "-"],
        "Putin did not back Lukashenko.\nTASS praised Lukashenko.\nThe EU imposed sanctions on Belarus.\n",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["subject"], "vladimir-putin");
    assert_eq!(lines[0]["relation"], "supports");
    assert_eq!(lines[0]["negated"], true);
    assert_eq!(lines[0]["trigger"], "back");
    assert_eq!(lines[0]["line"], 1);
    assert_eq!(lines[1]["subject"], "european-union");
    assert_eq!(lines[1]["relation"], "sanctions");
    assert_eq!(lines[1]["polarity"], "hostile");
    assert_eq!(lines[1]["line"], 3);
}

#[test]
fn a_bad_relation_lexicon_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = d.join("out");
    let lexicon = d.join("relations.toml");
    fs::write(
        &lexicon,
        "[[relation]]\nname = \"supports\"\npolarity = \"cooperative\"\ntriggers = [\"back\", \"{object} backed\"]\n",
    )
    .unwrap();
    let lexicon_s = lexicon.to_str().unwrap();
    assert_fails_cleanly(
        &[
            "build",
            "--relations",
            lexicon_s,
            "-o",
            out.to_str().unwrap(),
        ],
        &out,
        &["relations.toml:4", "must start with a word"],
    );
    fs::write(
        &lexicon,
        "[[relation]]\nname = \"supports\"\npolarity = \"friendly\"\ntriggers = []\n",
    )
    .unwrap();
    assert_fails_cleanly(
        &[
            "build",
            "--relations",
            lexicon_s,
            "-o",
            out.to_str().unwrap(),
        ],
        &out,
        &["relations.toml:3", "friendly"],
    );
    let output = namegraph(&["lint", "gazetteers", lexicon_s]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("relations.toml:3"));
    let missing = d.join("nothing.toml");
    assert_fails_cleanly(
        &[
            "build",
            "--relations",
            missing.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        &out,
        &["nothing.toml", "No such file"],
    );
}

#[test]
fn a_reader_that_goes_away_ends_tag_quietly_on_any_number_of_threads() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("paragraphs.jsonl");
    fs::write(&input, paragraphs_jsonl(20)).unwrap();
    for threads in ["1", "2", "4"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_namegraph"))
            .args(["tag", input.to_str().unwrap(), "--threads", threads])
            .current_dir(repo())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("namegraph runs");
        // Read a line's worth, then go away (as `| head -1` does).
        let mut stdout = child.stdout.take().unwrap();
        let mut start = [0u8; 100];
        stdout.read_exact(&mut start).unwrap();
        drop(stdout);
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{threads}: {}", stderr(&output));
        assert_eq!(stderr(&output), "", "{threads} threads");
    }
}
