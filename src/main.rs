//! The `borderline` command: parses arguments and dispatches to `cmd::*::run`.

mod cmd;

use clap::{Parser, Subcommand};

const EXAMPLES: &str = "\
Examples (the bundled Kyrgyz–Tajik border is the default):
  borderline share                            # km and % per status today
  borderline share --as-of 2022-10-07 --format json
  borderline share --history                  # from the first record to the treaty
  borderline tag incidents.csv -o tagged.csv  # nearest segment, status on each row's date
  borderline report tagged.csv --svg chart.svg
  borderline map --as-of 2022-10-07 --incidents tagged.csv -o map.html
  borderline share --border fergana --by border  # every pair of the Fergana Valley
  borderline derive countries.geojson --a KGZ --b TJK -o border.geojson
  borderline derive countries.geojson --all -o borders.geojson   # every pair at once

Exit codes: 0 success, 1 failure, 2 bad usage or input.";

/// Analyse international borders segment by segment: how much is undelimited, on which segment
/// each incident happened, and maps.
#[derive(Parser)]
#[command(name = "borderline", version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Share(cmd::share::Args),
    Derive(cmd::derive::Args),
    Export(cmd::export::Args),
    Map(cmd::map::Args),
    Tag(cmd::tag::Args),
    Report(cmd::report::Args),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if let Err(e) = cmd::output::clean_up_on_signals() {
        eprintln!("borderline: cannot watch for signals: {e}");
        return std::process::ExitCode::FAILURE;
    }
    let outcome = match cli.command {
        Command::Share(args) => cmd::share::run(args),
        Command::Derive(args) => cmd::derive::run(args),
        Command::Export(args) => cmd::export::run(args),
        Command::Map(args) => cmd::map::run(args),
        Command::Tag(args) => cmd::tag::run(args),
        Command::Report(args) => cmd::report::run(args),
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(failure) if failure.code == 0 => std::process::ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("borderline: {}", failure.message.replace('\n', " "));
            std::process::ExitCode::from(failure.code)
        }
    }
}
