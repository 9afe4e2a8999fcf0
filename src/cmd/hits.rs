//! Printing lists of hits in every output format; shared by `search` and `similar`.

use std::io::Write;

use comfy_table::Cell;
use migdev::export::{self, CsvOptions, JsonRecord};
use migdev::search::Hit;
use migdev::sectors::Sectors;

use super::Context;
use crate::output::{self, Format};

/// Prints hits to stdout in `format`.
pub fn print(ctx: &Context, format: Format, hits: &[Hit], sectors: &Sectors) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        Format::Table | Format::Markdown => {
            let header = ["id", "title", "sector", "countries", "years", "score"];
            let mut table = if format == Format::Table {
                output::table(&header)
            } else {
                output::markdown_table(&header)
            };
            for hit in hits {
                let r = &hit.entry.record;
                let mut title = r.title.clone();
                if let Some(snippet) = &hit.snippet {
                    let color = ctx.color && format == Format::Table;
                    let separator = if format == Format::Table {
                        "\n"
                    } else {
                        " — "
                    };
                    title.push_str(separator);
                    title.push_str(&output::render_snippet(snippet, color));
                }
                table.add_row(vec![
                    Cell::new(&hit.entry.id),
                    Cell::new(title),
                    Cell::new(r.primary_sector().map(|s| sectors.label(s)).unwrap_or("")),
                    Cell::new(r.countries.join(" ")),
                    Cell::new(r.years()),
                    Cell::new(hit.score.map(|s| format!("{s:.2}")).unwrap_or_default()),
                ]);
            }
            if format == Format::Table {
                output::keep_whole(&mut table, &[4, 5]);
                output::widen(&mut table, 1, 45);
            }
            writeln!(out, "{table}")?;
        }
        Format::Csv => {
            let mut columns = export::DEFAULT_COLUMNS.to_vec();
            if hits.iter().any(|h| h.score.is_some()) {
                columns.push(export::Column::Score);
            }
            export::write_csv(&mut out, hits, &columns, sectors, CsvOptions::default())?;
        }
        Format::Json => {
            let records: Vec<JsonRecord> =
                hits.iter().map(|h| JsonRecord::new(h, sectors)).collect();
            output::write_json(&mut out, &records)?;
        }
        Format::Jsonl => {
            for hit in hits {
                serde_json::to_writer(&mut out, &JsonRecord::new(hit, sectors))?;
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
