//! The generated tables of `data/README.md`: every dated delimitation statement beside the
//! modelled status history, and the places whose `side` differs from their gazetteer country.
//! Run after changing any bundled data:
//!
//! ```sh
//! cargo run --example statements            # print the tables; fail if a followed statement is not met
//! cargo run --example statements -- --write # and write them into data/README.md
//! ```
//!
//! `tests/statements.rs` fails while the README shows anything else.

mod table;

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let write = std::env::args().skip(1).any(|a| a == "--write");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = || -> Result<Vec<String>, String> {
        let border = table::bundled_border(root)?;
        if write {
            let readme = table::updated_readme(root, &border)?;
            std::fs::write(root.join(table::README), readme).map_err(|e| e.to_string())?;
            eprintln!("wrote {}", table::README);
        } else {
            for (_, block) in table::blocks(root, &border)? {
                println!("{block}");
            }
        }
        Ok(table::problems(&table::statements(root, &border)?))
    };
    match run() {
        Ok(problems) if problems.is_empty() => ExitCode::SUCCESS,
        Ok(problems) => {
            for p in problems {
                eprintln!("statements: {p}");
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("statements: {e}");
            ExitCode::from(2)
        }
    }
}
