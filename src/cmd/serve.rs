//! `migdev serve`: the catalogue as a local web page and JSON API.

use std::net::IpAddr;
use std::process::ExitCode;

use migdev::serve::{self, Options};

use super::Context;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on. The default is this machine only; any other address lets
    /// anyone who can reach it read the catalogue (read-only).
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    bind: IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 7878)]
    port: u16,
    /// Open the page in the default browser once the server listens.
    #[arg(long)]
    open: bool,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let options = Options {
        bind: args.bind,
        port: args.port,
        refresh: ctx.refresh,
    };
    serve::run(ctx.paths.clone(), options, |address, notes| {
        ctx.report(notes);
        if !address.ip().is_loopback() {
            eprintln!(
                "warning: listening on {}: anyone who can reach this address can read the catalogue (read-only)",
                address.ip()
            );
        }
        let url = format!("http://{address}");
        println!("serving {url} (Ctrl-C to stop)");
        if args.open
            && let Err(err) = opener::open(&url)
        {
            eprintln!("warning: could not open a browser: {err}");
        }
    })?;
    ctx.note("stopped");
    Ok(ExitCode::SUCCESS)
}
