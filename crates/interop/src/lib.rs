//! Exchange with the tools researchers already use.
//!
//! - [`refi`]: REFI-QDA projects (`.qdpx`: a zip of `project.qde` and `Sources/`) and codebooks
//!   (`.qdc`), the exchange standard of NVivo, ATLAS.ti, MAXQDA and QualCoder. Written from
//!   documents and their coded reports; read back into selections and codes, so that what a
//!   researcher coded in one of those tools comes back as a reviewer's codings.
//! - [`positions`]: REFI-QDA counts characters (Unicode scalar values) of a text with LF line
//!   ends; hamkor keeps byte offsets into the original text. The map between the two.
//! - [`units`]: the unit (a sentence span) a researcher's selection codes, and one reviewer's
//!   selections on one unit merged into its one coding.
//! - [`gdelt`] and [`acled`]: the rows of GDELT 2.0 event exports and ACLED CSV exports that
//!   concern Central Asia, as [`hamkor_model::ImportedEvent`]s, every malformed row named by its
//!   line.
//!
//! Invariant: no I/O. Every function takes bytes or values and returns bytes or values; the
//! store and the files are the CLI's business.

pub mod acled;
mod csv;
pub mod gdelt;
pub mod positions;
pub mod refi;
pub mod units;

/// Everything that can go wrong reading or writing an exchange format.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("zip: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("XML of {part}: {reason}")]
    Xml { part: String, reason: String },
    #[error("{0}")]
    Project(String),
    #[error("{0}")]
    Format(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// A row of an input file that could not be read: where it is and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    /// The file (or `file.zip!member`) the row is in.
    pub file: String,
    /// 1-based line where the row starts.
    pub line: usize,
    pub reason: String,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.reason)
    }
}

/// What a dataset file gave: the rows kept, how many were read and left out, and the bad ones.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub events: Vec<hamkor_model::ImportedEvent>,
    /// Well-formed rows read in all.
    pub rows: usize,
    /// Well-formed rows that do not concern Central Asia.
    pub outside: usize,
    pub bad: Vec<BadRow>,
}

/// A GUID for `key`, the same every time: the first 128 bits of SHA-256("hamkor:" + key) as an
/// RFC 9562 version-8 UUID. Exports are then reproducible, and a code keeps its GUID from one
/// export to the next.
pub fn guid(key: &str) -> String {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(format!("hamkor:{key}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// Is `bytes` a zip archive (local file header magic)?
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

#[cfg(test)]
mod tests {
    #[test]
    fn guids_are_stable_uuids() {
        let g = super::guid("code:type:agreement");
        assert_eq!(g, super::guid("code:type:agreement"));
        assert_ne!(g, super::guid("code:type:meeting"));
        let parts: Vec<&str> = g.split('-').collect();
        assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
        assert!(parts[2].starts_with('8'));
        assert!(g.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit()));
    }
}
