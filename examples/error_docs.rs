//! Generates the support dictionary from the catalog:
//! `docs/errors/error-codes.md` and `docs/errors/error-dictionary.json`.
//! `cargo run --example error_docs` writes them; `-- --check` fails when they
//! are stale (run by `make test`).

#[cfg(target_arch = "wasm32")]
fn main() {} // The dictionary is generated natively; nothing to do in a browser.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::fmt::Write as _;
    use std::{env, fs, process};

    use offline_runtime::errors::catalog::{Category, CATALOG, GENERIC};
    use offline_runtime::errors::format::DICTIONARY_URL;

    const MARKDOWN: &str = "docs/errors/error-codes.md";
    const JSON: &str = "docs/errors/error-dictionary.json";

    pub fn main() {
        let check = env::args().any(|arg| arg == "--check");
        let mut stale = Vec::new();
        for (path, contents) in [(MARKDOWN, markdown()), (JSON, json())] {
            let current = fs::read_to_string(path).unwrap_or_default();
            if current == contents {
                continue;
            }
            if check {
                stale.push(path);
            } else {
                fs::create_dir_all("docs/errors").expect("create docs/errors");
                fs::write(path, contents).expect("write generated docs");
                println!("wrote {path}");
            }
        }
        if !stale.is_empty() {
            eprintln!(
                "stale generated docs: {}; run `make docs` and commit them",
                stale.join(", ")
            );
            process::exit(1);
        }
        if check {
            println!("generated docs are up to date ({MARKDOWN}, {JSON})");
        }
    }

    fn heading(category: Category) -> &'static str {
        match category {
            Category::Auth => "E1xxx: authentication and permissions",
            Category::Validation => "E2xxx: validation (E21xx: the app called the library wrongly)",
            Category::Storage => "E3xxx: storage (IndexedDB, Cache Storage, the server's database)",
            Category::Network => "E4xxx: network",
            Category::Business => "E5xxx: business rules",
        }
    }

    fn markdown() -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# Error dictionary\n\n\
             Generated from `src/errors/catalog.rs` by `make docs`; do not edit by hand.\n\
             Every code keeps its meaning once published. {} codes. Input that matches no\n\
             code classifies as `{GENERIC}`. The same data as JSON: `error-dictionary.json`.\n\n\
             | code | title | HTTP | retryable |\n|---|---|---|---|",
            CATALOG.len()
        );
        for entry in CATALOG {
            let _ = writeln!(
                out,
                "| [{code}](#{anchor}) | {} | {} | {} |",
                entry.title,
                status(entry.http_status),
                if entry.retryable { "yes" } else { "no" },
                code = entry.code,
                anchor = entry.code.to_ascii_lowercase(),
            );
        }
        let mut category = None;
        for entry in CATALOG {
            if category != Some(entry.category()) {
                category = Some(entry.category());
                let _ = writeln!(out, "\n## {}", heading(entry.category()));
            }
            let _ = writeln!(
                out,
                "\n### {}\n\n**{}** ({}, HTTP {}, {})\n\n\
                 - User message: {}\n- Technical detail: {}\n- Support: {}",
                entry.code,
                entry.title,
                entry.category().as_str(),
                status(entry.http_status),
                if entry.retryable {
                    "retryable"
                } else {
                    "not retryable"
                },
                entry.user_message,
                entry.technical_detail,
                entry.support_action,
            );
        }
        out
    }

    fn status(http_status: u16) -> String {
        if http_status == 0 {
            "none (client-side)".into()
        } else {
            http_status.to_string()
        }
    }

    fn json() -> String {
        let entries: Vec<_> = CATALOG
            .iter()
            .map(|entry| {
                serde_json::json!({
                    "code": entry.code,
                    "category": entry.category().as_str(),
                    "title": entry.title,
                    "userMessage": entry.user_message,
                    "technicalDetail": entry.technical_detail,
                    "supportAction": entry.support_action,
                    "httpStatus": entry.http_status,
                    "retryable": entry.retryable,
                    "docs": format!("{DICTIONARY_URL}#{}", entry.code.to_ascii_lowercase()),
                })
            })
            .collect();
        let document = serde_json::json!({ "generic": GENERIC, "errors": entries });
        serde_json::to_string_pretty(&document).expect("serialize dictionary") + "\n"
    }
}
