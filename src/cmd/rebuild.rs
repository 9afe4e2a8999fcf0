//! `migdev rebuild`: build the index from data/ and swap it in when complete.

use std::process::ExitCode;

use migdev::store;

use super::Context;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> anyhow::Result<ExitCode> {
    let bar = crate::progress::Bar::new("indexing", ctx.quiet);
    let built = store::rebuild(&ctx.paths, &bar)?;
    drop(bar);
    ctx.note(&format!(
        "indexed {} in {} ms into {}",
        migdev::text::count(built.manifest.record_count, "record"),
        built.millis,
        ctx.paths.index.display()
    ));
    Ok(ExitCode::SUCCESS)
}
