//! The Tantivy index's shape: its fields, its analyzers and the document made from each
//! record. Where the index lives on disk, and how generations replace each other, is
//! [`crate::storage`]'s business.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};
use tantivy::{Index, TantivyDocument};

use crate::catalogue::{Entry, Paths};
use crate::countries;
use crate::sectors::Sectors;

/// The analyzer registered on every index open: tokenise, lowercase, ASCII-fold, stem.
pub const ANALYZER: &str = "migdev";
/// The analyzer of the `words` field: like [`ANALYZER`] but without stemming, so typo
/// corrections can be shown as real words.
pub const WORDS_ANALYZER: &str = "migdev_words";

/// The analyzer of the pairs fields: [`ANALYZER`]'s terms, each with the next one
/// (`remitt cost`). See [`Fields::pairs`].
pub const PAIRS_ANALYZER: &str = "migdev_pairs";

/// The index field names: the query syntax (`title:`, `keyword:`...) uses these.
pub mod names {
    pub const ID: &str = "id";
    pub const TITLE: &str = "title";
    pub const KEYWORD: &str = "keyword";
    pub const SUMMARY: &str = "summary";
    pub const TEXT: &str = "text";
    pub const ORGANISATION: &str = "organisation";
    pub const COUNTRY: &str = "country";
    pub const SECTOR: &str = "sector";
    pub const KIND: &str = "kind";
    pub const STATUS: &str = "status";
    pub const YEAR: &str = "year";
    pub const COUNTRY_CODE: &str = "country_code";
    pub const PRIMARY_SECTOR: &str = "primary_sector";
    pub const SECTOR_FACET: &str = "sector_facet";
    pub const REGION_FACET: &str = "region_facet";
    pub const KIND_FACET: &str = "kind_facet";
    pub const STATUS_FACET: &str = "status_facet";
    pub const ACTIVE_FROM: &str = "active_from";
    pub const ACTIVE_TO: &str = "active_to";
    pub const WORDS: &str = "words";
    pub const ORGANISATION_FACET: &str = "organisation_facet";
    pub const RECORD: &str = "record";
    pub const TITLE_KEY: &str = "title_key";
    pub const EVIDENCE_FACET: &str = "evidence_facet";
    pub const ORIGIN_FACET: &str = "origin_facet";
    pub const DESTINATION_FACET: &str = "destination_facet";
    /// The pairs fields, in the order of [`super::Fields::weighted_text`]. Internal: the
    /// query syntax does not accept them.
    pub const PAIRS: [&str; 7] = [
        "title_pairs",
        "keyword_pairs",
        "summary_pairs",
        "text_pairs",
        "organisation_pairs",
        "country_pairs",
        "sector_pairs",
    ];
}

/// Handles to every index field.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub title: Field,
    pub keyword: Field,
    pub summary: Field,
    pub text: Field,
    pub organisation: Field,
    pub country: Field,
    pub sector: Field,
    pub kind: Field,
    pub status: Field,
    pub year: Field,
    pub country_code: Field,
    pub primary_sector: Field,
    pub sector_facet: Field,
    pub region_facet: Field,
    pub kind_facet: Field,
    pub status_facet: Field,
    pub active_from: Field,
    pub active_to: Field,
    pub words: Field,
    pub organisation_facet: Field,
    pub record: Field,
    /// The folded title: sorts by title, and lets an incremental refresh check that
    /// titles stay unique.
    pub title_key: Field,
    /// The kinds of the record's sources (`/evaluation`...): what evidence it rests on.
    pub evidence_facet: Field,
    /// Origin and destination countries by code (`/PHL`).
    pub origin_facet: Field,
    pub destination_facet: Field,
    /// Each weighted text field's adjacent term pairs (the [`pairable`] ones), in the order
    /// of [`Fields::weighted_text`], with their frequencies but no positions. A two-word
    /// phrase is one pair, so a phrase of common words (the thesaurus's `transfer costs`)
    /// is found without reading the positions of every record holding both words; a
    /// longer phrase is checked only in records holding its pairs. The idea of
    /// Elasticsearch's `index_phrases`.
    pub pairs: [Field; 7],
}

impl Fields {
    /// The text fields a free query searches, with their weights: title first, then
    /// keywords and summary.
    pub fn weighted_text(&self) -> [(Field, f32); 7] {
        [
            (self.title, 3.0),
            (self.keyword, 2.0),
            (self.summary, 1.5),
            (self.text, 1.0),
            (self.organisation, 1.0),
            (self.country, 1.0),
            (self.sector, 0.8),
        ]
    }

    /// The pairs field of a weighted text field.
    pub fn pairs_of(&self, field: Field) -> Option<Field> {
        let at = self.weighted_text().iter().position(|(f, _)| *f == field)?;
        Some(self.pairs[at])
    }
}

/// Builds the schema; the single definition of what is indexed and how.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let analysed = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    // Not stored: `record` holds the whole record once, and snippets are cut from it.
    let fields = Fields {
        id: b.add_text_field(names::ID, STRING | STORED | FAST),
        title: b.add_text_field(names::TITLE, analysed.clone()),
        keyword: b.add_text_field(names::KEYWORD, analysed.clone()),
        summary: b.add_text_field(names::SUMMARY, analysed.clone()),
        text: b.add_text_field(names::TEXT, analysed.clone()),
        organisation: b.add_text_field(names::ORGANISATION, analysed.clone()),
        country: b.add_text_field(names::COUNTRY, analysed.clone()),
        sector: b.add_text_field(names::SECTOR, analysed),
        kind: b.add_text_field(names::KIND, STRING),
        status: b.add_text_field(names::STATUS, STRING),
        year: b.add_i64_field(names::YEAR, INDEXED | FAST),
        country_code: b.add_text_field(names::COUNTRY_CODE, STRING),
        primary_sector: b.add_text_field(names::PRIMARY_SECTOR, STRING),
        sector_facet: b.add_facet_field(names::SECTOR_FACET, FacetOptions::default()),
        region_facet: b.add_facet_field(names::REGION_FACET, FacetOptions::default()),
        kind_facet: b.add_facet_field(names::KIND_FACET, FacetOptions::default()),
        status_facet: b.add_facet_field(names::STATUS_FACET, FacetOptions::default()),
        active_from: b.add_i64_field(names::ACTIVE_FROM, INDEXED | FAST),
        active_to: b.add_i64_field(names::ACTIVE_TO, INDEXED | FAST),
        words: b.add_text_field(
            names::WORDS,
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(WORDS_ANALYZER)
                    .set_index_option(IndexRecordOption::Basic),
            ),
        ),
        organisation_facet: b.add_facet_field(names::ORGANISATION_FACET, FacetOptions::default()),
        record: b.add_text_field(names::RECORD, STORED),
        title_key: b.add_text_field(names::TITLE_KEY, STRING | FAST),
        evidence_facet: b.add_facet_field(names::EVIDENCE_FACET, FacetOptions::default()),
        origin_facet: b.add_facet_field(names::ORIGIN_FACET, FacetOptions::default()),
        destination_facet: b.add_facet_field(names::DESTINATION_FACET, FacetOptions::default()),
        pairs: names::PAIRS.map(|name| {
            let options = TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(PAIRS_ANALYZER)
                    .set_index_option(IndexRecordOption::WithFreqs),
            );
            b.add_text_field(name, options)
        }),
    };
    (b.build(), fields)
}

pub fn register_analyzer(index: &Index) {
    let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(MemoTerms)
        .build();
    index.tokenizers().register(ANALYZER, analyzer);
    let words = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    index.tokenizers().register(WORDS_ANALYZER, words);
    let pairs = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(MemoTerms)
        .filter(AdjacentPairs)
        .build();
    index.tokenizers().register(PAIRS_ANALYZER, pairs);
}

/// The text of a pair of terms: the two, a space between.
pub fn pair_of(first: &str, second: &str) -> String {
    format!("{first} {second}")
}

/// True for two terms whose pair the index keeps: neither is a stop word's term. Pairs
/// with `of` or `the` are a large share of running text's; leaving them out about halves
/// the pairs fields (26 → 14 MB at 100k records), and a phrase of such words is still
/// found by its positions.
pub fn pairable(first: &str, second: &str) -> bool {
    !crate::text::is_stop_term(first) && !crate::text::is_stop_term(second)
}

/// Turns a stream of terms into the pairs of adjacent terms (`lower`, `remitt`, `cost`
/// gives `lower remitt` at the first one's position, then `remitt cost`), the
/// [`pairable`] ones only. Terms never hold a space, so a pair cannot be mistaken for a
/// term. Terms a gap lies between (a word too long to index) make no pair, as they make
/// no phrase.
#[derive(Clone)]
struct AdjacentPairs;

impl TokenFilter for AdjacentPairs {
    type Tokenizer<T: Tokenizer> = AdjacentPairsFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> AdjacentPairsFilter<T> {
        AdjacentPairsFilter { inner }
    }
}

#[derive(Clone)]
struct AdjacentPairsFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for AdjacentPairsFilter<T> {
    type TokenStream<'a> = AdjacentPairsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        AdjacentPairsStream {
            tail: self.inner.token_stream(text),
            previous: None,
            pair: Token::default(),
        }
    }
}

struct AdjacentPairsStream<S> {
    tail: S,
    previous: Option<Token>,
    pair: Token,
}

impl<S: TokenStream> TokenStream for AdjacentPairsStream<S> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let current = self.tail.token();
            let Some(previous) = self.previous.as_mut() else {
                self.previous = Some(current.clone());
                continue;
            };
            let kept = current.position == previous.position + 1
                && pairable(&previous.text, &current.text);
            if kept {
                self.pair.text.clear();
                self.pair.text.push_str(&previous.text);
                self.pair.text.push(' ');
                self.pair.text.push_str(&current.text);
                self.pair.position = previous.position;
                self.pair.offset_from = previous.offset_from;
                self.pair.offset_to = current.offset_to;
            }
            previous.clone_from(current);
            if kept {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.pair
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.pair
    }
}

/// Turns each word into its index term (lower case, ASCII-folded, English stem, as
/// Snowball stems it) and remembers the answer. The same few thousand words recur in
/// every record, so the memo saves most of the folding and stemming a rebuild did.
#[derive(Clone)]
struct MemoTerms;

/// Words remembered per analyzer; past this the memo stops growing.
const TERM_MEMO_LIMIT: usize = 200_000;

impl TokenFilter for MemoTerms {
    type Tokenizer<T: Tokenizer> = MemoTermsFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> MemoTermsFilter<T> {
        MemoTermsFilter {
            inner,
            memo: FxHashMap::default(),
            fold: crate::text::folding_analyzer(),
        }
    }
}

/// Each indexing thread holds its own analyzer, so the memo needs no lock.
#[derive(Clone)]
struct MemoTermsFilter<T> {
    inner: T,
    memo: FxHashMap<String, String>,
    fold: TextAnalyzer,
}

impl<T: Tokenizer> Tokenizer for MemoTermsFilter<T> {
    type TokenStream<'a> = MemoTermsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoTermsStream {
            tail: self.inner.token_stream(text),
            memo: &mut self.memo,
            fold: &mut self.fold,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

struct MemoTermsStream<'a, S> {
    tail: S,
    memo: &'a mut FxHashMap<String, String>,
    fold: &'a mut TextAnalyzer,
    stemmer: frostem::Stemmer,
}

impl<S: TokenStream> TokenStream for MemoTermsStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(term) = self.memo.get(&token.text) {
            token.text.clone_from(term);
            return true;
        }
        let mut folded = String::new();
        let mut stream = self.fold.token_stream(&token.text);
        if stream.advance() {
            folded.push_str(&stream.token().text);
        }
        drop(stream);
        let term = self.stemmer.stem(&folded).into_owned();
        if self.memo.len() < TERM_MEMO_LIMIT {
            self.memo
                .insert(std::mem::take(&mut token.text), term.clone());
        }
        token.text = term;
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Where an open-ended programme is taken to run until, for `--since`/`--until`.
pub const OPEN_END: i64 = 9999;

/// The stored form of an entry: what `show` and exports read back.
#[derive(Debug, Serialize, Deserialize)]
struct StoredEntry<'a> {
    id: std::borrow::Cow<'a, str>,
    record: std::borrow::Cow<'a, crate::record::Record>,
}

/// Turns one catalogue entry into an index document.
pub fn document(entry: &Entry, sectors: &Sectors, f: &Fields) -> TantivyDocument {
    use tantivy::schema::Value;
    let r = &entry.record;
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &entry.id);
    doc.add_text(f.title, &r.title);
    doc.add_text(f.title_key, crate::validation::title_key(&r.title));
    doc.add_text(f.words, &r.title);
    for keyword in &r.keywords {
        doc.add_text(f.keyword, keyword);
        doc.add_text(f.words, keyword);
    }
    doc.add_text(f.summary, &r.summary);
    doc.add_text(f.words, &r.summary);
    // The long texts stay out of `words`: indexing them twice was a large share of a
    // rebuild, and a word that only they hold is still found through its stem.
    for text in [&r.description, &r.results, &r.lessons]
        .into_iter()
        .flatten()
    {
        doc.add_text(f.text, text);
    }
    for organisation in &r.organisations {
        doc.add_text(f.organisation, organisation);
        doc.add_text(f.words, organisation);
        doc.add_facet(f.organisation_facet, Facet::from_path([organisation]));
    }
    for code in &r.countries {
        doc.add_text(f.country_code, code);
        doc.add_text(f.country, code);
        if let Some(country) = countries::by_code(code) {
            doc.add_text(f.country, &country.name);
            doc.add_text(f.words, &country.name);
            for path in countries::facet_paths(country) {
                doc.add_facet(f.region_facet, Facet::from_path(path));
            }
        }
    }
    let mut evidence: Vec<&str> = r.sources.iter().map(|s| s.kind.as_str()).collect();
    evidence.sort_unstable();
    evidence.dedup();
    for kind in evidence {
        doc.add_facet(f.evidence_facet, Facet::from_path([kind]));
    }
    for code in &r.origin {
        doc.add_facet(f.origin_facet, Facet::from_path([code]));
    }
    for code in &r.destination {
        doc.add_facet(f.destination_facet, Facet::from_path([code]));
    }
    if let Some(primary) = r.primary_sector() {
        doc.add_text(f.primary_sector, primary);
    }
    for slug in &r.sectors {
        doc.add_text(f.sector, slug.replace('-', " "));
        doc.add_text(f.sector, sectors.label(slug));
        doc.add_facet(f.sector_facet, Facet::from_path([slug]));
    }
    doc.add_text(f.kind, r.kind.as_str());
    doc.add_facet(f.kind_facet, Facet::from_path([r.kind.as_str()]));
    let status = r.status.unwrap_or(crate::record::Status::Unknown);
    doc.add_text(f.status, status.as_str());
    doc.add_facet(f.status_facet, Facet::from_path([status.as_str()]));
    if let Some(year) = r.start_year {
        doc.add_i64(f.year, year);
    }
    // The span a programme was active, for --since/--until: an unknown start begins at
    // the end year, an unknown end runs on; no year at all matches no span.
    if let Some(from) = r.start_year.or(r.end_year) {
        doc.add_i64(f.active_from, from);
        doc.add_i64(f.active_to, r.end_year.unwrap_or(OPEN_END));
    }
    for ((field, _), pairs) in f.weighted_text().into_iter().zip(f.pairs) {
        let texts: Vec<String> = (doc.get_all(field))
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        for text in texts {
            doc.add_text(pairs, text);
        }
    }
    let stored = StoredEntry {
        id: (&entry.id).into(),
        record: std::borrow::Cow::Borrowed(r),
    };
    doc.add_text(
        f.record,
        serde_json::to_string(&stored).expect("records serialise"),
    );
    doc
}

/// Reads an entry back from a stored document.
pub fn entry_of(doc: &TantivyDocument, f: &Fields, paths: &Paths) -> Option<Entry> {
    use tantivy::schema::Value;
    let json = doc.get_first(f.record)?.as_str()?;
    let stored: StoredEntry<'static> = serde_json::from_str(json).ok()?;
    let id = stored.id.into_owned();
    Some(Entry {
        path: paths.record_file(&id),
        id,
        record: stored.record.into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs_of(text: &str) -> Vec<(String, usize)> {
        let index = Index::create_in_ram(schema().0);
        register_analyzer(&index);
        let mut analyzer = index.tokenizers().get(PAIRS_ANALYZER).unwrap();
        let mut stream = analyzer.token_stream(text);
        let mut pairs = Vec::new();
        while let Some(token) = stream.next() {
            pairs.push((token.text.clone(), token.position));
        }
        pairs
    }

    #[test]
    fn pairs_are_adjacent_terms_at_the_first_ones_position() {
        assert_eq!(
            pairs_of("Lower transfer costs"),
            [
                ("lower transfer".to_string(), 0),
                ("transfer cost".to_string(), 1)
            ]
        );
        assert!(pairs_of("remittances").is_empty());
    }

    #[test]
    fn pairs_with_a_stop_word_are_not_kept() {
        assert_eq!(
            pairs_of("the cost of sending money"),
            [("send money".to_string(), 3)]
        );
    }

    #[test]
    fn a_word_too_long_to_index_makes_no_pair_across_it() {
        let long = "x".repeat(60);
        let pairs = pairs_of(&format!("transfer {long} costs"));
        assert!(pairs.is_empty(), "{pairs:?}");
    }
}
