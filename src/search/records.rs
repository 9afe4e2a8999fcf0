//! Lookups that are not text queries: a record by id, every id, "did you mean" for ids,
//! sector counts, and the records most like one (`similar`).

use tantivy::Term;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption, OwnedValue, Value};

use super::Sort;
use super::filters::{Filters, term, with_filters};
use super::page::{Hit, Results, counted_page, load_entry};
use crate::catalogue::{Entry, Paths};
use crate::error::Error;
use crate::index::{self, names};
use crate::storage::{Opened, Unusable};

/// Fetches one record by id from the index.
pub fn by_id(opened: &Opened, paths: &Paths, id: &str) -> Result<Option<Entry>, Error> {
    let searcher = opened.reader.searcher();
    let query = TermQuery::new(
        Term::from_field_text(opened.fields.id, id),
        IndexRecordOption::Basic,
    );
    let found = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    found
        .into_iter()
        .next()
        .map(|(_, address)| load_entry(&searcher, &opened.fields, paths, address))
        .transpose()
}

/// Every id in the index, for "did you mean" on an unknown id.
pub fn all_ids(opened: &Opened) -> Result<Vec<String>, Error> {
    let searcher = opened.reader.searcher();
    let mut ids = Vec::new();
    for segment in searcher.segment_readers() {
        let column = segment.fast_fields().str(names::ID)?.ok_or_else(|| {
            Error::Unusable(Unusable::Corrupt("the id field has no fast column".into()))
        })?;
        // The dictionary keeps the ids of records an update deleted: go by live documents.
        let mut buffer = String::new();
        for doc in segment.doc_ids_alive() {
            for ord in column.term_ords(doc) {
                buffer.clear();
                column
                    .ord_to_str(ord, &mut buffer)
                    .map_err(|e| Error::io(&opened.dir, e))?;
                ids.push(buffer.clone());
            }
        }
    }
    ids.sort();
    Ok(ids)
}

/// How many records a sector has, as primary and in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectorCount {
    pub slug: String,
    pub label: String,
    pub primary: usize,
    pub any: usize,
}

/// Record counts for each sector, in handbook order.
pub fn sector_counts(opened: &Opened) -> Result<Vec<SectorCount>, Error> {
    let searcher = opened.reader.searcher();
    let f = &opened.fields;
    opened
        .manifest
        .sectors
        .list
        .iter()
        .map(|sector| {
            let primary = searcher.search(
                &TermQuery::new(
                    Term::from_field_text(f.primary_sector, &sector.slug),
                    IndexRecordOption::Basic,
                ),
                &Count,
            )?;
            let any = searcher.search(
                &TermQuery::new(
                    Term::from_facet(f.sector_facet, &Facet::from_path([&sector.slug])),
                    IndexRecordOption::Basic,
                ),
                &Count,
            )?;
            Ok(SectorCount {
                slug: sector.slug.clone(),
                label: sector.label.clone(),
                primary,
                any,
            })
        })
        .collect()
}

/// Records most like the one with `id` (Tantivy's more-like-this over the text fields),
/// the record itself excluded. Thresholds are low to suit a catalogue of a few hundred records.
pub fn similar(
    opened: &Opened,
    paths: &Paths,
    id: &str,
    filters: &Filters,
    limit: usize,
) -> Result<Option<Results>, Error> {
    use tantivy::query::MoreLikeThisQuery;
    let searcher = opened.reader.searcher();
    let id_term = Term::from_field_text(opened.fields.id, id);
    let Some(entry) = by_id(opened, paths, id)? else {
        return Ok(None);
    };
    // The record's own texts, as the index analysed them (the index does not store them).
    let doc = index::document(&entry, &opened.manifest.sectors, &opened.fields);
    let texts = opened
        .fields
        .weighted_text()
        .into_iter()
        .map(|(field, _)| {
            let values = doc
                .get_all(field)
                .filter_map(|v| v.as_str().map(|s| OwnedValue::Str(s.to_string())))
                .collect();
            (field, values)
        })
        .collect();
    let like = MoreLikeThisQuery::builder()
        .with_min_doc_frequency(1)
        .with_max_doc_frequency((searcher.num_docs() / 2).max(2))
        .with_min_term_frequency(1)
        .with_min_word_length(3)
        .with_max_query_terms(40)
        .with_document_fields(texts);
    let query: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
        (Occur::Must, Box::new(like) as Box<dyn Query>),
        (Occur::MustNot, term(id_term)),
    ]));
    let query = with_filters(query, filters.query(&opened.fields, None));
    let (total, addresses) = counted_page(&searcher, &*query, Sort::Relevance, Some(limit), 0)?;
    let hits = addresses
        .into_iter()
        .map(|(score, address)| {
            Ok(Hit {
                entry: load_entry(&searcher, &opened.fields, paths, address)?,
                score,
                snippet: None,
                explain: None,
            })
        })
        .collect::<Result<_, Error>>()?;
    Ok(Some(Results {
        total,
        hits,
        notes: vec![],
    }))
}

/// Up to three ids close to an unknown one, for "did you mean".
pub fn closest_ids(opened: &Opened, id: &str) -> Result<Vec<String>, Error> {
    // Ids are lowercase: `M-PESA-KENYA` is as close to `m-pesa-kenya` as can be.
    let id = crate::text::fold(id);
    let id = id.as_str();
    let mut scored: Vec<(usize, String)> = all_ids(opened)?
        .into_iter()
        .map(|candidate| (strsim::levenshtein(id, &candidate), candidate))
        .filter(|(distance, candidate)| *distance <= candidate.len() / 2 || candidate.contains(id))
        .collect();
    scored.sort();
    Ok(scored.into_iter().take(3).map(|(_, id)| id).collect())
}
