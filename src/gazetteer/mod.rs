//! The entity model and the gazetteer: who and what can be recognized, under which names.
//!
//! A gazetteer is a list of [`Entity`]s, each with a stable id, a canonical name, a type, its
//! aliases and (for states) demonyms. It is read from hand-edited TOML files or bulk JSON Lines
//! files (see [`load`]), and checked as it is built: ids are unique, and no alias belongs to two
//! entities unless every claimant lists it under `ambiguous`.
//!
//! This module owns the data and its invariants; it does not search text (see
//! [`crate::matcher`]) or decide between candidates (see [`crate::resolve`]).

mod lint;
mod load;
mod role_forms;

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use lint::{lint, LintReport};
pub use load::{load, load_files};

use crate::error::{AliasConflict, Error, Location, Result};
use crate::normalize;
use crate::segment::tokenize;

/// A stable, readable entity id (`alexander-lukashenko`).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntityId(pub String);

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl EntityId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What kind of thing an entity is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum EntityType {
    #[default]
    Person,
    State,
    Organization,
    Place,
}

impl EntityType {
    pub const ALL: [EntityType; 4] = [
        EntityType::Person,
        EntityType::State,
        EntityType::Organization,
        EntityType::Place,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "person",
            EntityType::State => "state",
            EntityType::Organization => "organization",
            EntityType::Place => "place",
        }
    }
}

impl std::str::FromStr for EntityType {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "person" | "people" => Ok(EntityType::Person),
            "state" | "states" => Ok(EntityType::State),
            "organization" | "organisation" | "org" | "organizations" => {
                Ok(EntityType::Organization)
            }
            "place" | "places" => Ok(EntityType::Place),
            other => Err(format!(
                "unknown entity type \"{other}\" (expected person, state, organization or place)"
            )),
        }
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Index of an entity in its [`Gazetteer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityIndex(pub u32);

/// Index of an alias in its [`Gazetteer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AliasIndex(pub u32);

/// One entity as the gazetteer describes it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Entity {
    pub id: EntityId,
    pub name: String,
    pub entity_type: EntityType,
    pub aliases: Vec<String>,
    pub demonyms: Vec<String>,
    /// Aliases this entity knowingly shares with other entities.
    pub ambiguous: Vec<String>,
    /// Ambiguous aliases that go to this entity when the document does not decide.
    pub default_for: Vec<String>,
    /// Names that look like this entity's but are known to be someone or something else; the
    /// fuzzy pass never gives them to this entity.
    pub not: Vec<String>,
    /// Role aliases ("Russian president") valid only within a period.
    pub roles: Vec<Role>,
    pub description: Option<String>,
    /// The entity's Wikidata item ("Q7747"), when known.
    pub wikidata: Option<String>,
}

/// A role alias: names the entity only in documents dated within `from..=until`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub alias: String,
    /// First day (ISO 8601; a year or year-month means its first day). None: always.
    #[serde(default)]
    pub from: Option<String>,
    /// Last day (a year or year-month means its last day). None: still holds.
    #[serde(default)]
    pub until: Option<String>,
    /// For a role form the gazetteer derives from a listed role (in the state's other names),
    /// that listed role.
    #[serde(skip)]
    pub derived_from: Option<String>,
}

impl Role {
    fn start(&self) -> String {
        self.from
            .as_deref()
            .map_or_else(|| "0000-00-00".to_string(), |d| pad_date(d, "01"))
    }

    fn end(&self) -> String {
        self.until
            .as_deref()
            .map_or_else(|| "9999-99-99".to_string(), |d| pad_date(d, "99"))
    }

    /// Whether a document dated `date` (ISO 8601, possibly partial) falls in the period.
    pub fn holds_on(&self, date: &str) -> bool {
        let day = pad_date(date, "01");
        self.start() <= day && day <= self.end()
    }

    fn overlaps(&self, other: &Role) -> bool {
        self.start() <= other.end() && other.start() <= self.end()
    }
}

/// `2020` → `2020-01-01` (or `2020-99-99` as an end), `2020-08` → `2020-08-01`.
fn pad_date(date: &str, fill: &str) -> String {
    let mut padded = date.to_string();
    while padded.len() < 10 {
        padded.push('-');
        padded.push_str(fill);
    }
    padded
}

/// How an alias names its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AliasKind {
    /// The canonical name or an alias: the entity itself.
    Name,
    /// An adjective or noun of nationality (`Belarusian`): the state, indirectly.
    Demonym,
    /// A role ("Russian president"): the entity, only while the role holds.
    Role,
}

impl AliasKind {
    pub const ALL: [AliasKind; 3] = [AliasKind::Name, AliasKind::Demonym, AliasKind::Role];

    pub fn as_str(self) -> &'static str {
        match self {
            AliasKind::Name => "name",
            AliasKind::Demonym => "demonym",
            AliasKind::Role => "role",
        }
    }
}

/// One surface form of one entity, as listed in the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct Alias {
    pub text: String,
    pub entity: EntityIndex,
    pub kind: AliasKind,
    /// Listed by the entity under `ambiguous`.
    pub ambiguous: bool,
    /// Listed by the entity under `default_for`.
    pub default: bool,
    /// For a role alias, when it holds. Boxed: few aliases are roles, and a role held in place
    /// would make every alias record more than twice as large (a million aliases: 64 MB more).
    pub role: Option<Box<Role>>,
}

/// Where an entity or alias was defined: index into [`Gazetteer::files`] and 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SourceLine {
    file: u32,
    line: u32,
}

/// Where the parts of one entity are written in its file, so that a problem is reported at the
/// line of the part at fault. A JSON Lines record has all its parts on its one line.
#[derive(Debug, Clone)]
pub(crate) struct PartLines {
    /// The entity's first line (its `[[entity]]`, or its JSON line).
    pub entity: u32,
    pub id: u32,
    pub wikidata: u32,
    /// The name, then each alias, each demonym and each role, in the order they are listed.
    pub forms: Vec<u32>,
    /// Each `ambiguous` entry, then each `default_for` entry.
    pub listed: Vec<u32>,
}

impl PartLines {
    /// Every part of `entity` on `line`.
    pub fn all_on(line: u32, entity: &Entity) -> Self {
        let forms = 1 + entity.aliases.len() + entity.demonyms.len() + entity.roles.len();
        PartLines {
            entity: line,
            id: line,
            wikidata: line,
            forms: vec![line; forms],
            // Left empty: [`PartLines::listed`] then gives the entity's line, the same one.
            listed: Vec::new(),
        }
    }

    fn form(&self, position: usize) -> u32 {
        self.forms.get(position).copied().unwrap_or(self.entity)
    }

    fn listed(&self, position: usize) -> u32 {
        self.listed.get(position).copied().unwrap_or(self.entity)
    }
}

/// A checked set of entities and their aliases.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    entities: Vec<Entity>,
    entity_lines: Vec<SourceLine>,
    aliases: Vec<Alias>,
    /// Index of each entity's first alias (its name); its aliases run to the next entity's.
    first_alias: Vec<u32>,
    /// Fx-hashed: nothing iterates it, and a million aliases' entities are looked up in it
    /// while loading (SipHash made that 200M instructions of loading a million aliases).
    by_id: rustc_hash::FxHashMap<EntityId, EntityIndex>,
    files: Vec<PathBuf>,
}

/// Whether `text` has a letter or a digit: a name, alias, demonym or role without one ("--")
/// can name nothing.
fn has_letter_or_digit(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// The key under which aliases are compared and matched: folded tokens joined by spaces.
pub fn alias_key(text: &str) -> String {
    if text.is_ascii() {
        return ascii_alias_key(text);
    }
    tokenized_alias_key(text)
}

/// [`alias_key`] of ASCII text, in one pass over its bytes (a gazetteer keys every alias when it
/// loads; a million of them went through the tokenizer twice as slowly). The same tokens as
/// [`tokenize`]: a run of letters and digits, or any other single character that is not white
/// space or a control character; folding an ASCII token only lower-cases it.
fn ascii_alias_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    let mut in_word = false;
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() {
            if !in_word && !key.is_empty() {
                key.push(' ');
            }
            key.push(byte.to_ascii_lowercase() as char);
            in_word = true;
        } else {
            in_word = false;
            if byte > b' ' && byte != 0x7f {
                if !key.is_empty() {
                    key.push(' ');
                }
                key.push(byte as char);
            }
        }
    }
    key
}

/// [`alias_key`] by its definition: the tokenizer's tokens, each folded.
fn tokenized_alias_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for token in tokenize(text) {
        if !key.is_empty() {
            key.push(' ');
        }
        normalize::fold_into(token.text(text), true, &mut key);
    }
    key
}

impl Gazetteer {
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    pub fn entity(&self, index: EntityIndex) -> &Entity {
        &self.entities[index.0 as usize]
    }

    pub fn aliases(&self) -> &[Alias] {
        &self.aliases
    }

    pub fn alias(&self, index: AliasIndex) -> &Alias {
        &self.aliases[index.0 as usize]
    }

    /// The alias that is the entity's canonical name.
    pub fn name_alias(&self, entity: EntityIndex) -> AliasIndex {
        AliasIndex(self.first_alias[entity.0 as usize])
    }

    /// Every alias of an entity (name, aliases, demonyms, roles).
    pub fn aliases_of(&self, entity: EntityIndex) -> impl Iterator<Item = AliasIndex> + '_ {
        let from = self.first_alias[entity.0 as usize];
        let to = self
            .first_alias
            .get(entity.0 as usize + 1)
            .copied()
            .unwrap_or(self.aliases.len() as u32);
        (from..to).map(AliasIndex)
    }

    /// Brings in the memory [`Gazetteer::aliases_of`] reads for `entity` (for a caller that
    /// will ask for several entities' aliases, at random places in a large gazetteer).
    pub fn prefetch_aliases_of(&self, entity: EntityIndex) {
        if let Some(first) = self.first_alias.get(entity.0 as usize) {
            crate::memory::prefetch(first);
        }
    }

    pub fn find(&self, id: &str) -> Option<EntityIndex> {
        self.by_id.get(&EntityId(id.to_string())).copied()
    }

    /// The files the gazetteer was read from, in order.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// Where an entity was defined.
    pub fn location(&self, index: EntityIndex) -> Location {
        self.source_location(self.entity_lines[index.0 as usize])
    }

    fn source_location(&self, source: SourceLine) -> Location {
        Location {
            path: self.files[source.file as usize].clone(),
            line: source.line as usize,
        }
    }

    /// Starts a gazetteer in code: add entities with [`GazetteerBuilder::add`].
    pub fn builder() -> GazetteerBuilder {
        GazetteerBuilder::default()
    }
}

/// Collects entities, then checks and freezes them into a [`Gazetteer`].
#[derive(Debug, Default)]
pub struct GazetteerBuilder {
    gazetteer: Gazetteer,
    /// Per entity, the line of each name, alias, demonym and role, in the order they are listed.
    alias_lines: Vec<Vec<u32>>,
    /// Per entity, the keys of its name and aliases, in that order: computed to check the
    /// entity when it is added, and taken again by [`GazetteerBuilder::build`].
    name_keys: Vec<Vec<String>>,
    /// Entities read but not added, for their problems.
    refused: usize,
}

impl GazetteerBuilder {
    /// Registers a source file; returns its number for [`GazetteerBuilder::add_from`].
    pub(crate) fn add_file(&mut self, path: &Path) -> u32 {
        self.gazetteer.files.push(path.to_path_buf());
        (self.gazetteer.files.len() - 1) as u32
    }

    /// Makes room for `entities` more entities at once. A million-alias gazetteer holds several
    /// hundred thousand, and growing their lists by doubling copied them (and faulted in fresh
    /// memory for each copy) for a third of loading it.
    pub(crate) fn reserve(&mut self, entities: usize) {
        self.gazetteer.entities.reserve(entities);
        self.gazetteer.entity_lines.reserve(entities);
        self.gazetteer.by_id.reserve(entities);
        self.alias_lines.reserve(entities);
        self.name_keys.reserve(entities);
    }

    /// Adds an entity made in code.
    pub fn add(&mut self, entity: Entity) -> Result<()> {
        if self.gazetteer.files.is_empty() {
            self.add_file(Path::new("<code>"));
        }
        let lines = PartLines::all_on(1, &entity);
        match self.add_from(entity, 0, lines).into_iter().next() {
            Some(first) => Err(first),
            None => Ok(()),
        }
    }

    /// Adds an entity read from file number `file`, its parts written on `lines`. Returns every
    /// problem found in the entity, in line order (none: it was added; else it was not).
    pub(crate) fn add_from(&mut self, entity: Entity, file: u32, lines: PartLines) -> Vec<Error> {
        let here = SourceLine {
            file,
            line: lines.entity,
        };
        let mut problems: Vec<(u32, String)> = Vec::new();
        let id = &entity.id;
        if id.0.trim().is_empty() || id.0.chars().any(|c| c.is_whitespace() || c == '"') {
            problems.push((
                lines.id,
                format!("entity id \"{id}\" must be a non-empty slug without spaces or quotes"),
            ));
        }
        if let Some(item) = &entity.wikidata {
            let digits = item.strip_prefix('Q').unwrap_or("");
            if digits.is_empty()
                || digits.starts_with('0')
                || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                problems.push((
                    lines.wikidata,
                    format!("entity `{id}` has wikidata = \"{item}\", which is not a Wikidata item id like \"Q7747\""),
                ));
            }
        }
        let name_is_empty = entity.name.trim().is_empty();
        if name_is_empty {
            problems.push((lines.form(0), format!("entity `{id}` has an empty name")));
        }
        // The keys of the name and aliases, computed once: used below for `ambiguous` and
        // `default_for`, and again by `build`.
        let keys: Vec<String> = std::iter::once(&entity.name)
            .chain(&entity.aliases)
            .map(|a| alias_key(a))
            .collect();
        let forms = std::iter::once(&entity.name)
            .chain(&entity.aliases)
            .chain(&entity.demonyms);
        // An empty name is reported above, once.
        let skip = usize::from(name_is_empty);
        for (position, form) in forms.enumerate().skip(skip) {
            if !has_letter_or_digit(form) {
                problems.push((
                    lines.form(position),
                    format!("entity `{id}` has an alias with no letters or digits: \"{form}\""),
                ));
            }
        }
        let first_role = keys.len() + entity.demonyms.len();
        for (number, role) in entity.roles.iter().enumerate() {
            let line = lines.form(first_role + number);
            if !has_letter_or_digit(&role.alias) {
                problems.push((
                    line,
                    format!(
                        "entity `{id}` has a role with no letters or digits: \"{}\"",
                        role.alias
                    ),
                ));
            }
            let mut dates_exist = true;
            for date in role.from.iter().chain(&role.until) {
                if let Err(message) = crate::document::check_date(date) {
                    problems.push((
                        line,
                        format!("entity `{id}`, role \"{}\": {message}", role.alias),
                    ));
                    dates_exist = false;
                }
            }
            if dates_exist && role.start() > role.end() {
                problems.push((
                    line,
                    format!(
                        "entity `{id}`, role \"{}\": the period ends ({}) before it starts ({})",
                        role.alias,
                        role.until.as_deref().unwrap_or(""),
                        role.from.as_deref().unwrap_or("")
                    ),
                ));
            }
        }
        let listed = entity.ambiguous.iter().chain(&entity.default_for);
        for (number, listed) in listed.enumerate() {
            if !keys.contains(&alias_key(listed)) {
                problems.push((
                    lines.listed(number),
                    format!("entity `{id}` lists \"{listed}\" under ambiguous/default_for, but not as its name or an alias"),
                ));
            }
        }
        for (number, listed) in entity.default_for.iter().enumerate() {
            let key = alias_key(listed);
            if !entity.ambiguous.iter().any(|a| alias_key(a) == key) {
                problems.push((
                    lines.listed(entity.ambiguous.len() + number),
                    format!("entity `{id}` lists \"{listed}\" under default_for but not under ambiguous"),
                ));
            }
        }
        if !problems.is_empty() {
            self.refused += 1;
            // In the order the lines run (a stable sort: one line's problems as found).
            problems.sort_by_key(|&(line, _)| line);
            return problems
                .into_iter()
                .map(|(line, message)| Error::Malformed {
                    location: self.gazetteer.source_location(SourceLine { file, line }),
                    message,
                })
                .collect();
        }
        let index = EntityIndex(self.gazetteer.entities.len() as u32);
        match self.gazetteer.by_id.entry(entity.id.clone()) {
            Entry::Occupied(first) => {
                let first_line = self.gazetteer.entity_lines[first.get().0 as usize];
                self.refused += 1;
                return vec![Error::DuplicateEntity {
                    id: entity.id.0.clone(),
                    first: self.gazetteer.source_location(first_line),
                    second: self.gazetteer.source_location(here),
                }];
            }
            Entry::Vacant(slot) => {
                slot.insert(index);
            }
        }
        self.gazetteer.entities.push(entity);
        self.gazetteer.entity_lines.push(here);
        self.alias_lines.push(lines.forms);
        self.name_keys.push(keys);
        Vec::new()
    }

    /// How many entities were read but not added, for their problems.
    pub(crate) fn refused(&self) -> usize {
        self.refused
    }

    /// Builds the alias table and checks that no alias is claimed twice by accident.
    pub fn build(self) -> Result<Gazetteer> {
        let (gazetteer, mut errors) = self.build_collecting();
        if errors.is_empty() {
            Ok(gazetteer)
        } else {
            Err(errors.remove(0))
        }
    }

    /// Like [`GazetteerBuilder::build`], but returns every problem found rather than the first.
    pub fn build_collecting(mut self) -> (Gazetteer, Vec<Error>) {
        let mut errors = Vec::new();
        // Every listed form may become an alias and claim its key: room for all of them at
        // once (growing the table rehashed a million keys into fresh memory).
        let forms: usize = self.alias_lines.iter().map(Vec::len).sum();
        let mut claims: rustc_hash::FxHashMap<String, (AliasIndex, SourceLine)> =
            rustc_hash::FxHashMap::default();
        claims.reserve(forms);
        self.gazetteer.aliases.reserve(forms);
        self.gazetteer
            .first_alias
            .reserve(self.gazetteer.entities.len() + 1);
        let mut role_claims: BTreeMap<String, Vec<(EntityIndex, Role, SourceLine)>> =
            BTreeMap::new();
        // Each role in the other ways its state is written, on its source role's line.
        for (entity_number, derived) in role_forms::derived_roles(&self.gazetteer.entities)
            .into_iter()
            .enumerate()
        {
            let entity = &mut self.gazetteer.entities[entity_number];
            let lines = &mut self.alias_lines[entity_number];
            let first_role = 1 + entity.aliases.len() + entity.demonyms.len();
            for (source, role) in derived {
                let line = lines.get(first_role + source).copied();
                entity.roles.push(role);
                if let Some(line) = line {
                    lines.resize(first_role + entity.roles.len(), line);
                }
            }
        }
        for (entity_number, entity) in self.gazetteer.entities.iter().enumerate() {
            let entity_index = EntityIndex(entity_number as u32);
            self.gazetteer
                .first_alias
                .push(self.gazetteer.aliases.len() as u32);
            let lines = &self.alias_lines[entity_number];
            let home = self.gazetteer.entity_lines[entity_number];
            let ambiguous: Vec<String> = entity.ambiguous.iter().map(|a| alias_key(a)).collect();
            let defaults: Vec<String> = entity.default_for.iter().map(|a| alias_key(a)).collect();
            let forms = std::iter::once((&entity.name, AliasKind::Name, None))
                .chain(entity.aliases.iter().map(|a| (a, AliasKind::Name, None)))
                .chain(
                    entity
                        .demonyms
                        .iter()
                        .map(|d| (d, AliasKind::Demonym, None)),
                )
                .chain(
                    entity
                        .roles
                        .iter()
                        .map(|r| (&r.alias, AliasKind::Role, Some(r))),
                );
            let mut own_keys: Vec<String> = Vec::new();
            // The name's and aliases' keys were made when the entity was added; the demonyms'
            // and roles' are made here.
            let mut known_keys = std::mem::take(&mut self.name_keys[entity_number]).into_iter();
            for (position, (text, kind, role)) in forms.enumerate() {
                let key = known_keys.next().unwrap_or_else(|| alias_key(text));
                debug_assert_eq!(key, alias_key(text));
                let line = SourceLine {
                    file: home.file,
                    line: lines.get(position).copied().unwrap_or(home.line),
                };
                let alias_index = AliasIndex(self.gazetteer.aliases.len() as u32);
                let is_ambiguous = ambiguous.contains(&key);
                if let Some(role) = role {
                    role_claims.entry(key.clone()).or_default().push((
                        entity_index,
                        role.clone(),
                        line,
                    ));
                } else if !own_keys.contains(&key) {
                    match claims.entry(key.clone()) {
                        Entry::Occupied(first) => {
                            let (first_alias, first_line) = *first.get();
                            let first_alias = &self.gazetteer.aliases[first_alias.0 as usize];
                            if !(is_ambiguous && first_alias.ambiguous) {
                                let first_entity =
                                    &self.gazetteer.entities[first_alias.entity.0 as usize];
                                errors.push(Error::AliasConflict(Box::new(AliasConflict {
                                    alias: text.clone(),
                                    first_id: first_entity.id.0.clone(),
                                    first: self.gazetteer.source_location(first_line),
                                    second_id: entity.id.0.clone(),
                                    second: self.gazetteer.source_location(line),
                                })));
                            }
                        }
                        Entry::Vacant(slot) => {
                            slot.insert((alias_index, line));
                        }
                    }
                    own_keys.push(key.clone());
                }
                self.gazetteer.aliases.push(Alias {
                    text: text.clone(),
                    entity: entity_index,
                    kind,
                    ambiguous: is_ambiguous,
                    default: defaults.contains(&key),
                    role: role.cloned().map(Box::new),
                });
            }
        }
        self.check_role_overlaps(&role_claims, &mut errors);
        self.check_single_defaults(&mut errors);
        (self.gazetteer, errors)
    }

    /// Two entities may share a role alias ("Russian president") only in periods that do not
    /// overlap: every pair that does is an error, at the later one's line.
    fn check_role_overlaps(
        &self,
        role_claims: &BTreeMap<String, Vec<(EntityIndex, Role, SourceLine)>>,
        errors: &mut Vec<Error>,
    ) {
        for claims in role_claims.values() {
            for (i, (first_entity, first_role, first_line)) in claims.iter().enumerate() {
                for (second_entity, second_role, second_line) in &claims[i + 1..] {
                    if first_entity != second_entity && first_role.overlaps(second_role) {
                        errors.push(Error::Malformed {
                            location: self.gazetteer.source_location(*second_line),
                            message: format!(
                                "role \"{}\" of `{}` overlaps in time with the same role of `{}` ({}); give them periods that do not overlap",
                                second_role.alias,
                                self.gazetteer.entity(*second_entity).id,
                                self.gazetteer.entity(*first_entity).id,
                                self.gazetteer.source_location(*first_line)
                            ),
                        });
                    }
                }
            }
        }
    }

    /// An alias can be the default (`default_for`) of one entity only.
    fn check_single_defaults(&self, errors: &mut Vec<Error>) {
        let mut defaults: HashMap<String, EntityIndex> = HashMap::new();
        for alias in self.gazetteer.aliases.iter().filter(|a| a.default) {
            let key = alias_key(&alias.text);
            if let Some(&other) = defaults.get(&key) {
                if other != alias.entity {
                    errors.push(Error::Malformed {
                        location: self.gazetteer.location(alias.entity),
                        message: format!(
                            "\"{}\" is declared the default of both `{}` ({}) and `{}`; only one entity can be its default",
                            alias.text,
                            self.gazetteer.entity(other).id,
                            self.gazetteer.location(other),
                            self.gazetteer.entity(alias.entity).id
                        ),
                    });
                    continue;
                }
            }
            defaults.insert(key, alias.entity);
        }
    }
}

/// For tests elsewhere in the crate: a gazetteer of people, each `(id, name)` with no other
/// alias.
#[cfg(test)]
pub(crate) fn people(people: &[(&str, &str)]) -> Gazetteer {
    let mut builder = Gazetteer::builder();
    for (id, name) in people {
        builder.add(tests::entity(id, name, &[])).unwrap();
    }
    builder.build().unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The one-pass key of ASCII text is the tokenizer's.
        #[test]
        fn ascii_alias_keys_are_the_tokenizers(text in "[ -~\t\n\x00-\x1f\x7f]{0,40}") {
            proptest::prop_assert_eq!(ascii_alias_key(&text), tokenized_alias_key(&text));
        }
    }

    #[test]
    fn ascii_alias_keys_of_names_acronyms_and_punctuation() {
        for text in [
            "Putin",
            "  Vladimir  Putin ",
            "U.S.",
            "O'Neill",
            "Ungern-Sternberg",
            "R2-D2",
            "\t-\x7f-",
            "",
            " ",
        ] {
            assert_eq!(ascii_alias_key(text), tokenized_alias_key(text), "{text:?}");
        }
        assert_eq!(ascii_alias_key("U.S."), "u . s .");
    }

    pub(crate) fn entity(id: &str, name: &str, aliases: &[&str]) -> Entity {
        Entity {
            id: EntityId(id.into()),
            name: name.into(),
            entity_type: EntityType::Person,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            ..Default::default()
        }
    }

    /// A million aliases are a million of these records: a role (three strings) held in place
    /// would make each 104 bytes instead of 40.
    #[test]
    fn alias_records_stay_small() {
        assert!(
            std::mem::size_of::<Alias>() <= 40,
            "{}",
            std::mem::size_of::<Alias>()
        );
    }

    #[test]
    fn wikidata_ids_must_look_like_items() {
        for (item, accepted) in [
            ("Q7747", true),
            ("Q0", false),
            ("7747", false),
            ("Q", false),
            ("Q77a", false),
        ] {
            let mut builder = Gazetteer::builder();
            let result = builder.add(Entity {
                wikidata: Some(item.into()),
                ..entity("vladimir-putin", "Vladimir Putin", &[])
            });
            assert_eq!(result.is_ok(), accepted, "{item}");
        }
    }

    #[test]
    fn alias_keys_fold_case_diacritics_and_quotes() {
        assert_eq!(alias_key("Łukaszenka"), "lukaszenka");
        assert_eq!(alias_key("U.S."), "u . s .");
        assert_eq!(alias_key("Côte d’Ivoire"), "cote d ' ivoire");
    }

    #[test]
    fn an_alias_claimed_twice_is_an_error_naming_both() {
        let mut builder = Gazetteer::builder();
        builder
            .add(entity("a", "Alexander Lukashenko", &["Lukashenko"]))
            .unwrap();
        builder
            .add(entity("v", "Viktor Lukashenko", &["Lukashenko"]))
            .unwrap();
        let error = builder.build().unwrap_err().to_string();
        assert!(
            error.contains("`a`") && error.contains("`v`") && error.contains("Lukashenko"),
            "{error}"
        );
    }

    #[test]
    fn an_alias_marked_ambiguous_by_both_is_allowed() {
        let mut builder = Gazetteer::builder();
        let mut a = entity("a", "Alexander Lukashenko", &["Lukashenko"]);
        a.ambiguous = vec!["Lukashenko".into()];
        let mut v = entity("v", "Viktor Lukashenko", &["Lukashenko"]);
        v.ambiguous = vec!["Lukashenko".into()];
        builder.add(a).unwrap();
        builder.add(v).unwrap();
        let gazetteer = builder.build().unwrap();
        assert_eq!(
            gazetteer.aliases().iter().filter(|a| a.ambiguous).count(),
            2
        );
    }

    #[test]
    fn duplicate_ids_are_an_error() {
        let mut builder = Gazetteer::builder();
        builder.add(entity("a", "One", &[])).unwrap();
        let error = builder.add(entity("a", "Two", &[])).unwrap_err();
        assert!(matches!(error, Error::DuplicateEntity { .. }));
    }
}
