//! One reader per format: bytes in, a [`Document`] out. The format is told by the file's name and
//! checked against its first bytes, so a renamed file is reported for what it is.
//!
//! Readers never take jixiao down: a file that cannot be read comes back as a [`Refusal`] with a
//! reason for the manifest (scanned, encrypted, truncated, an old binary format and how to
//! convert it).

pub mod docx;
pub mod pdf;
pub mod text;

use std::path::Path;

use super::document::Document;

/// Why a file gave no document: `status` for the manifest (`unreadable`, `unsupported`, or
/// `nothing found` for an empty file) and the reason, in words a user can act on.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub status: &'static str,
    pub reason: String,
}

impl Refusal {
    pub fn unreadable(reason: impl Into<String>) -> Refusal {
        Refusal {
            status: "unreadable",
            reason: reason.into(),
        }
    }
    pub fn unsupported(reason: impl Into<String>) -> Refusal {
        Refusal {
            status: "unsupported",
            reason: reason.into(),
        }
    }
}

/// The formats jixiao reads, by extension (lower case).
pub const READ: &[&str] = &["txt", "docx", "pdf"];

/// Report formats jixiao does not read, with how to convert them.
const CONVERT: &[(&str, &str)] = &[
    ("doc", "an old binary Word file (.doc): save it as .docx in Word, WPS or LibreOffice (`soffice --headless --convert-to docx FILE`)"),
    ("wps", "a WPS document (.wps): save it as .docx in WPS, or `soffice --headless --convert-to docx FILE`"),
    ("rtf", "an RTF file: save it as .docx (`soffice --headless --convert-to docx FILE`)"),
    ("odt", "an OpenDocument text (.odt): save it as .docx (`soffice --headless --convert-to docx FILE`)"),
    ("xls", "a workbook: read score sheets with `jixiao import-xlsx`"),
    ("xlsx", "a workbook: read score sheets with `jixiao import-xlsx`"),
    ("et", "a WPS workbook (.et): save it as .xlsx and use `jixiao import-xlsx`"),
    ("ofd", "an OFD file: print it to PDF (with a text layer) first"),
    ("jpg", "an image: jixiao reads no scans; OCR it to a PDF with a text layer or to text first"),
    ("jpeg", "an image: jixiao reads no scans; OCR it to a PDF with a text layer or to text first"),
    ("png", "an image: jixiao reads no scans; OCR it to a PDF with a text layer or to text first"),
    ("tif", "an image: jixiao reads no scans; OCR it to a PDF with a text layer or to text first"),
    ("tiff", "an image: jixiao reads no scans; OCR it to a PDF with a text layer or to text first"),
];

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// True for files an extraction of a folder should account for: every format it reads or can
/// name a conversion for. Other files (notes, checksums) are not reports.
pub fn is_report_file(path: &Path) -> bool {
    let e = extension(path);
    READ.contains(&e.as_str()) || CONVERT.iter().any(|(x, _)| *x == e)
}

const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Read one report file into the document model.
pub fn read(path: &Path, file: &str, bytes: &[u8]) -> Result<Document, Refusal> {
    let ext = extension(path);
    if let Some((_, how)) = CONVERT.iter().find(|(x, _)| *x == ext) {
        return Err(Refusal::unsupported(format!("not read: {how}")));
    }
    if bytes.is_empty() {
        return Err(Refusal {
            status: "nothing found",
            reason: "empty file".into(),
        });
    }
    // The first bytes decide between formats whose names were swapped.
    let is_pdf = bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-");
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    if bytes.starts_with(OLE2) {
        return Err(Refusal::unsupported(format!(
            "not read: {}",
            CONVERT[0]
                .1
                .replace("(.doc)", "(.doc, whatever its name says)")
        )));
    }
    match ext.as_str() {
        "pdf" if is_pdf => pdf::read(file, bytes),
        "pdf" => Err(Refusal::unreadable(
            "not a PDF: the file does not start with %PDF-",
        )),
        "docx" if is_zip => docx::read(file, bytes),
        "docx" => Err(Refusal::unreadable(
            "not a Word .docx: the file is not a zip package",
        )),
        _ if is_pdf => pdf::read(file, bytes),
        _ if is_zip => docx::read(file, bytes),
        _ => text::read(file, bytes),
    }
}
