//! The uniffi generator, pinned to the same uniffi version as the library it reads.
//!
//! `cargo run -p pivotal-uniffi --features cli --bin uniffi-bindgen -- generate --library <lib> …`

fn main() {
    uniffi::uniffi_bindgen_main()
}
