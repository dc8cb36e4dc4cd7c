//! `SILT_VERSION`, exactly as the native CLI gets it: see crates/silt-cli/build.rs.
include!("../silt-cli/build.rs");
