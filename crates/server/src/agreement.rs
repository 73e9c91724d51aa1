//! Inter-coder agreement: Krippendorff's alpha per field, computed by
//! `hamkor_analysis::reliability` (statistics live in the analysis; the server renders them).

pub use hamkor_analysis::reliability::*;
