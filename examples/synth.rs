//! Generates synthetic migdev catalogues for benchmarks and crash tests.
//!
//! ```sh
//! cargo run --release --example synth -- --records 100000 --out /tmp/cat
//! migdev --data /tmp/cat/data --index /tmp/cat/index validate
//! ```
//!
//! writes `OUT/data/sectors.toml` (a copy of the real vocabulary: `data/sectors.toml` of
//! this repository, or `--sectors FILE`) and one record file per record,
//! `OUT/data/programmes/synth-000001.toml`, `synth-000002.toml`, ...
//!
//! Every record passes `migdev validate`: real sector slugs, real ISO 3166-1 alpha-3
//! codes, kind/scope/status from the real vocabularies, years in range, a unique title
//! and exactly one source, marked as synthetic (publisher "migdev synthetic benchmark
//! data"). The texts (summary, description, results, lessons: about 2 KB per file) are
//! sentences assembled from a fixed vocabulary of migration-and-development words and
//! phrases by a small PRNG, so searches for `remittances`, `diaspora investment` or the
//! phrase `"skills training"` find realistic shares of the catalogue, and every 50th
//! record has the keyword `kestrel`, which no other text uses. Records are built
//! as `migdev::Record` values and written with `Record::to_toml`, so the schema has one
//! definition. The generator itself is `examples/synth/generator.rs`, which the tests
//! share.
//!
//! The output depends only on `--seed` and `--records`: record `i` is drawn from its own
//! PRNG stream, so the files are the same however rayon splits the work.
//!
//! An `--out` whose `data/programmes/` already holds files is refused unless `--force`;
//! with `--force`, record files are overwritten and `synth-*.toml` files numbered above
//! `--records` are removed, so the catalogue holds exactly the records asked for.
//! Errors print `error: ...` and exit with code 2.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Parser;
use migdev::sectors::Sectors;
use rayon::prelude::*;

#[path = "synth/generator.rs"]
mod generator;

use generator::{DEFAULT_SEED, Generator, ID_PREFIX, id};

/// Generate a synthetic migdev catalogue of valid records for benchmarks and crash tests.
#[derive(Debug, Parser)]
#[command(name = "synth")]
struct Args {
    /// How many records to write.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    records: u64,
    /// The folder to write `data/sectors.toml` and `data/programmes/*.toml` into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Seed of the generator: the same seed and count give the same files.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    /// The sector vocabulary to copy and draw slugs from (default: the repository's).
    #[arg(long, value_name = "FILE")]
    sectors: Option<PathBuf>,
    /// Write even when `data/programmes/` already holds files.
    #[arg(long)]
    force: bool,
}

/// Records per unit of parallel work.
const CHUNK: u64 = 512;

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let sectors_file = args.sectors.clone().unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data")
            .join("sectors.toml")
    });
    let sectors_text = fs::read_to_string(&sectors_file).with_context(|| {
        format!(
            "cannot read the sector vocabulary {}",
            sectors_file.display()
        )
    })?;
    let sectors: Sectors = toml::from_str(&sectors_text)
        .with_context(|| format!("{} is not a sector vocabulary", sectors_file.display()))?;
    let slugs: Vec<String> = sectors.slugs().map(str::to_string).collect();
    if slugs.is_empty() {
        bail!("{} lists no sectors", sectors_file.display());
    }
    let generator = Generator::new(args.seed, slugs)?;

    let data = args.out.join("data");
    let programmes = data.join("programmes");
    let existing = record_files(&programmes)?;
    if !existing.is_empty() && !args.force {
        bail!(
            "{} already holds {} files; choose an empty --out or pass --force to overwrite",
            programmes.display(),
            existing.len()
        );
    }
    let sectors_target = data.join("sectors.toml");
    if let Ok(old) = fs::read_to_string(&sectors_target)
        && old != sectors_text
        && !args.force
    {
        bail!(
            "{} exists with other content; pass --force to replace it",
            sectors_target.display()
        );
    }
    fs::create_dir_all(&programmes)
        .with_context(|| format!("cannot create {}", programmes.display()))?;
    fs::write(&sectors_target, &sectors_text)
        .with_context(|| format!("cannot write {}", sectors_target.display()))?;

    // With --force, drop synth files a larger earlier run left beyond this count.
    let mut foreign = 0;
    for path in &existing {
        match synth_number(path) {
            Some(n) if (1..=args.records).contains(&n) => {}
            Some(_) => fs::remove_file(path)
                .with_context(|| format!("cannot remove {}", path.display()))?,
            None => foreign += 1,
        }
    }
    if foreign > 0 {
        eprintln!(
            "warning: {foreign} files in {} are not synth records and were left in place",
            programmes.display()
        );
    }

    let chunks = args.records.div_ceil(CHUNK);
    (0..chunks).into_par_iter().try_for_each(|chunk| {
        let first = chunk * CHUNK + 1;
        let last = (first + CHUNK - 1).min(args.records);
        for n in first..=last {
            let record = generator.record(n);
            let path = programmes.join(format!("{}.toml", id(n)));
            // One write of the whole file: the text is built in memory first.
            fs::write(&path, record.to_toml())
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        anyhow::Ok(())
    })?;
    eprintln!(
        "wrote {} records (seed {}) to {} in {:.2} s",
        args.records,
        args.seed,
        programmes.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The files in the records folder (none when it does not exist yet).
fn record_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    match fs::read_dir(dir) {
        Ok(read) => read
            .map(|item| Ok(item?.path()))
            .collect::<std::io::Result<_>>()
            .with_context(|| format!("cannot list {}", dir.display())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(err) => Err(err).with_context(|| format!("cannot list {}", dir.display())),
    }
}

/// The number of a `synth-NNNNNN.toml` file, or `None` for any other file.
fn synth_number(path: &Path) -> Option<u64> {
    let name = path.file_name()?.to_str()?;
    let digits = name.strip_prefix(ID_PREFIX)?.strip_suffix(".toml")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}
