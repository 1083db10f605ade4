//! Browser tests in a page (headless Chromium and Firefox): `make test-browser`.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod browser;

#[path = "browser/dom.rs"]
mod dom;

#[path = "browser/search_input.rs"]
mod search_input;

#[path = "browser/visibility.rs"]
mod visibility;

#[path = "browser/register.rs"]
mod register;

#[path = "browser/offline_ui.rs"]
mod offline_ui;
