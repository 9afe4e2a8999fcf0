//! Printing lists of hits in every output format; shared by `search` and `similar`.
//!
//! At 100 columns or more hits are a table, when the longest id leaves the title room;
//! otherwise a list (id and title, a meta line, a snippet line), as `cargo search` prints.
//! Ids are never broken: they are what people copy into `show`.

use std::io::Write;

use comfy_table::{Cell, ColumnConstraint, Width};
use migdev::export::{self, CsvOptions, JsonRecord};
use migdev::facets::Facet;
use migdev::search::{Explanation, Hit, Via};
use migdev::sectors::Sectors;
use serde::Serialize;

use super::Context;
use crate::output::{self, Format};

/// Below this width hits are printed as a list instead of a table.
const TABLE_MIN_WIDTH: u16 = 100;

/// What the table needs beside the id column: sector (16), countries (11), years (5) and
/// score (6) columns, three characters of padding and border per column, and a title
/// column of at least 30.
const TABLE_BESIDE_ID: usize = 16 + 11 + 5 + 6 + 6 * 3 + 30;

/// True when the hits fit a table at this width with every id whole and room for titles;
/// otherwise they are printed as a list.
fn table_fits(hits: &[Hit], width: u16) -> bool {
    let longest_id = hits
        .iter()
        .map(|h| h.entry.id.chars().count())
        .max()
        .unwrap_or(0);
    width >= TABLE_MIN_WIDTH && usize::from(width) >= longest_id + TABLE_BESIDE_ID
}

/// A hit in JSON: the whole record, and why it matched when `--explain` asked.
#[derive(Serialize)]
struct JsonHit<'a> {
    #[serde(flatten)]
    record: JsonRecord,
    #[serde(skip_serializing_if = "Option::is_none")]
    explain: Option<&'a Explanation>,
}

impl<'a> JsonHit<'a> {
    fn new(hit: &'a Hit, sectors: &Sectors) -> JsonHit<'a> {
        JsonHit {
            record: JsonRecord::new(hit, sectors),
            explain: hit.explain.as_ref(),
        }
    }
}

/// Prints hits to stdout in `format`.
pub fn print(ctx: &Context, format: Format, hits: &[Hit], sectors: &Sectors) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        Format::Table if !table_fits(hits, output::width()) => {
            print_list(&mut out, ctx.color, hits, sectors, output::width())?;
        }
        Format::Table | Format::Markdown => print_table(&mut out, ctx, format, hits, sectors)?,
        Format::Csv => {
            let mut columns = export::DEFAULT_COLUMNS.to_vec();
            if hits.iter().any(|h| h.score.is_some()) {
                columns.push(export::Column::Score);
            }
            export::write_csv(&mut out, hits, &columns, sectors, CsvOptions::default())?;
        }
        Format::Json => {
            let records: Vec<JsonHit> = hits.iter().map(|h| JsonHit::new(h, sectors)).collect();
            output::write_json(&mut out, &records)?;
        }
        Format::Jsonl => {
            for hit in hits {
                serde_json::to_writer(&mut out, &JsonHit::new(hit, sectors))?;
                writeln!(out)?;
            }
        }
        Format::Ids => {
            for hit in hits {
                writeln!(out, "{}", hit.entry.id)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// Hits and facet counts as one JSON object: `{"records": [...], "facets": [...]}`.
pub fn print_json_with_facets(
    hits: &[Hit],
    sectors: &Sectors,
    facets: &[Facet],
) -> anyhow::Result<()> {
    #[derive(Serialize)]
    struct WithFacets<'a> {
        records: Vec<JsonHit<'a>>,
        facets: &'a [Facet],
    }
    let value = WithFacets {
        records: hits.iter().map(|h| JsonHit::new(h, sectors)).collect(),
        facets,
    };
    let mut out = std::io::stdout().lock();
    output::write_json(&mut out, &value)?;
    out.flush()?;
    Ok(())
}

fn print_table(
    out: &mut impl Write,
    ctx: &Context,
    format: Format,
    hits: &[Hit],
    sectors: &Sectors,
) -> anyhow::Result<()> {
    let header = ["id", "title", "sector", "countries", "years", "score"];
    let mut table = if format == Format::Table {
        output::table(&header)
    } else {
        output::markdown_table(&header)
    };
    let mut longest_label_word = 0;
    for hit in hits {
        let r = &hit.entry.record;
        let mut title = output::printable(&r.title).into_owned();
        let separator = if format == Format::Table {
            "\n"
        } else {
            " — "
        };
        if let Some(snippet) = &hit.snippet {
            let color = ctx.color && format == Format::Table;
            title.push_str(separator);
            title.push_str(&output::render_snippet(snippet, color));
        }
        if let Some(explain) = &hit.explain {
            title.push_str(separator);
            title.push_str(&explain_line(explain));
        }
        let label = output::printable(r.primary_sector().map(|s| sectors.label(s)).unwrap_or(""));
        longest_label_word = label
            .split_whitespace()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0)
            .max(longest_label_word);
        table.add_row(vec![
            Cell::new(&hit.entry.id),
            Cell::new(title),
            Cell::new(&label),
            Cell::new(r.countries.join(" ")),
            Cell::new(r.years()),
            Cell::new(hit.score.map(|s| format!("{s:.2}")).unwrap_or_default()),
        ]);
    }
    if format == Format::Table {
        // Ids, years and scores whole; a sector label breaks between words only; the
        // title (with its snippet) gives way.
        output::keep_whole(&mut table, &[0, 4, 5]);
        let between = |lower: usize, upper: usize| ColumnConstraint::Boundaries {
            lower: Width::Fixed(u16::try_from(lower).unwrap_or(u16::MAX)),
            upper: Width::Fixed(u16::try_from(upper.max(lower)).unwrap_or(u16::MAX)),
        };
        let label = longest_label_word.max("sector".len());
        if let Some(column) = table.column_mut(2) {
            column.set_constraint(between(label, 16));
        }
        // Three country codes a line.
        if let Some(column) = table.column_mut(3) {
            column.set_constraint(between("countries".len(), 11));
        }
    }
    writeln!(out, "{table}")?;
    Ok(())
}

/// Hits as a list for narrow terminals: the id and title, a meta line, the snippet.
fn print_list(
    out: &mut impl Write,
    color: bool,
    hits: &[Hit],
    sectors: &Sectors,
    width: u16,
) -> anyhow::Result<()> {
    let width = usize::from(width);
    let indent = "    ";
    for (i, hit) in hits.iter().enumerate() {
        let r = &hit.entry.record;
        if i > 0 {
            writeln!(out)?;
        }
        // The id is the first indent, so it is never broken; the title wraps after it.
        let head = format!("{}  ", hit.entry.id);
        let options = textwrap::Options::new(width)
            .initial_indent(&head)
            .subsequent_indent(indent);
        for line in textwrap::wrap(&output::printable(&r.title), options) {
            writeln!(out, "{}", line.trim_end())?;
        }
        let mut meta: Vec<String> = Vec::new();
        if let Some(sector) = r.primary_sector() {
            meta.push(output::printable(sectors.label(sector)).into_owned());
        }
        if !r.countries.is_empty() {
            meta.push(r.countries.join(" "));
        }
        let years = r.years();
        if !years.is_empty() {
            meta.push(years);
        }
        if let Some(score) = hit.score {
            meta.push(format!("score {score:.2}"));
        }
        let lines = [
            Some(meta.join(" · ")),
            hit.snippet
                .as_ref()
                .map(|s| output::render_snippet(s, color)),
            hit.explain.as_ref().map(explain_line),
        ];
        for text in lines.into_iter().flatten().filter(|t| !t.is_empty()) {
            let options = textwrap::Options::new(width)
                .initial_indent(indent)
                .subsequent_indent(indent);
            for line in textwrap::wrap(&text, options) {
                writeln!(out, "{}", line.trim_end())?;
            }
        }
    }
    Ok(())
}

/// `why: 2 of 2 words; remittances: title 6.21, keyword 4.10; prices ≈ costs: summary 1.20`.
fn explain_line(explain: &Explanation) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    let matches = &explain.matches;
    while i < matches.len() {
        let first = &matches[i];
        let mut fields = Vec::new();
        while i < matches.len() && matches[i].word == first.word && matches[i].term == first.term {
            fields.push(format!("{} {:.2}", matches[i].field, matches[i].score));
            i += 1;
        }
        let name = match first.via {
            Via::Exact => first.word.clone(),
            Via::Corrected => format!("{} → {}", first.word, first.term),
            Via::Synonym => format!("{} ≈ {}", first.word, first.term),
        };
        parts.push(format!("{name}: {}", fields.join(", ")));
    }
    format!(
        "why: {} of {} words, BM25 {:.2}{}{}",
        explain.coverage,
        explain.words,
        explain.bm25,
        if parts.is_empty() { "" } else { "; " },
        parts.join("; ")
    )
}
