//! `migdev rebuild`: build the index from data/ and swap it in when complete.

use std::process::ExitCode;

use migdev::store;

use super::Context;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> anyhow::Result<ExitCode> {
    let built = store::rebuild_locked(&ctx.paths, false)?;
    ctx.note(&format!(
        "indexed {} in {} ms into {}",
        migdev::text::count(built.manifest.record_count, "record"),
        built.millis,
        ctx.paths.index.display()
    ));
    Ok(ExitCode::SUCCESS)
}
