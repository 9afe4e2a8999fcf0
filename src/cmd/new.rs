//! `migdev new`: starts a record file from a commented template, so a curator sees every
//! field and the values it takes without opening the documentation.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use migdev::record::template::{Draft, template};
use migdev::record::{self, Kind};
use migdev::sectors::Sectors;
use migdev::{Error, build, countries, store, text, validation};

use super::{Context, parse_kind};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The programme's own name; the file name is made from it.
    #[arg(long)]
    title: String,
    /// A sector slug or label, primary first; repeat for more.
    #[arg(long = "sector", value_name = "SECTOR", required = true)]
    sectors: Vec<String>,
    /// A country involved (ISO alpha-3 code or English name); repeat for more.
    #[arg(long = "country", value_name = "COUNTRY")]
    countries: Vec<String>,
    /// What the record describes.
    #[arg(long, value_name = "KIND", default_value_t = Kind::Programme, value_parser = parse_kind)]
    kind: Kind,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let mut problems = Vec::new();
    let vocabulary = validation::load_sectors(&ctx.paths.sectors_file(), &mut problems);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems).into());
    }
    let title = args.title.trim();
    let slug = record::slugify(title);
    if slug.is_empty() {
        return Err(argument(
            format!("cannot make a file name from the title `{title}`"),
            "give the programme's name with at least one latin letter or digit".into(),
        ));
    }
    check_title_is_free(ctx, title)?;
    let draft = Draft {
        title,
        kind: args.kind,
        sectors: sector_slugs(&vocabulary, &args.sectors)?,
        countries: country_codes(&args.countries)?,
    };
    let path = write_new_record(ctx, &slug, &template(&draft, &vocabulary))?;
    writeln!(io::stdout().lock(), "{}", path.display())?;
    ctx.note(if draft.countries.is_empty() {
        "fill in the countries, the summary and the source, then run `migdev validate`"
    } else {
        "fill in the summary and the source, then run `migdev validate`"
    });
    Ok(ExitCode::SUCCESS)
}

fn argument(message: String, hint: String) -> anyhow::Error {
    Error::Argument { message, hint }.into()
}

/// Slugs for the sectors given as slugs or labels, in the order given, each once.
fn sector_slugs(vocabulary: &Sectors, given: &[String]) -> anyhow::Result<Vec<String>> {
    let mut slugs: Vec<String> = Vec::new();
    for input in given {
        let Some(sector) = vocabulary.lookup(input) else {
            let valid: Vec<&str> = vocabulary.slugs().collect();
            let hint = match text::closest(input, valid.iter().copied()) {
                Some(close) => format!(
                    "did you mean `{close}`? valid sectors: {}",
                    valid.join(", ")
                ),
                None => format!("valid sectors: {}", valid.join(", ")),
            };
            return Err(argument(format!("unknown sector `{input}`"), hint));
        };
        if !slugs.contains(&sector.slug) {
            slugs.push(sector.slug.clone());
        }
    }
    Ok(slugs)
}

/// ISO alpha-3 codes for the countries given as codes or names, in the order given, each once.
fn country_codes(given: &[String]) -> anyhow::Result<Vec<String>> {
    let mut codes: Vec<String> = Vec::new();
    for input in given {
        let Some(country) = countries::lookup(input) else {
            let hint = match countries::closest(input) {
                Some(c) => format!("did you mean `{}` ({})?", c.code, c.name),
                None => "give an ISO 3166-1 alpha-3 code, e.g. `MEX`, or the English name".into(),
            };
            return Err(argument(format!("unknown country `{input}`"), hint));
        };
        if !codes.contains(&country.code) {
            codes.push(country.code.clone());
        }
    }
    Ok(codes)
}

/// Writes `text` to `<slug>.toml`; `create_new` makes sure an existing record is never
/// replaced, even by a `new` running at the same time.
fn write_new_record(ctx: &Context, slug: &str, text: &str) -> anyhow::Result<PathBuf> {
    let dir = ctx.paths.records_dir();
    fs::create_dir_all(&dir).map_err(|err| Error::io(&dir, err))?;
    let path = ctx.paths.record_file(slug);
    match OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(mut file) => {
            if let Err(err) = file.write_all(text.as_bytes()) {
                // A half-written record would only fail validation later.
                let _ = fs::remove_file(&path);
                return Err(Error::io(path, err).into());
            }
            Ok(path)
        }
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => Err(argument(
            format!(
                "{} already exists: a record with this title, or one that makes the same file name",
                path.display()
            ),
            "edit that record, or give the new programme a title of its own".into(),
        )),
        Err(err) => Err(Error::io(path, err).into()),
    }
}

/// Refuses a title another record already has (titles are unique), when the index can
/// say; a catalogue without a usable index (the very first record) has none to clash with.
fn check_title_is_free(ctx: &Context, title: &str) -> anyhow::Result<()> {
    let bar = crate::progress::Bar::new("refreshing the index", ctx.quiet);
    let fresh = store::open_fresh(&ctx.paths, ctx.refresh, &bar);
    drop(bar);
    let Ok(fresh) = fresh else {
        return Ok(());
    };
    let key = validation::title_key(title);
    if let Some(id) = build::title_holder(&fresh.opened, &key, |_| false)? {
        return Err(argument(
            format!(
                "the title `{title}` is already used by `{id}` ({})",
                ctx.paths.record_file(&id).display()
            ),
            "edit that record, or give the new programme a title of its own".into(),
        ));
    }
    Ok(())
}
