//! Text encoding detection shared by the dataset loader and the report extractor.
//! Finance bureaus save CSVs from Excel as GBK/GB18030 or UTF-16; reports come as UTF-8 with
//! or without a BOM. Detect, never assume.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};

/// Decode bytes: a BOM decides; otherwise valid UTF-8 is UTF-8; otherwise a UTF-16 guess from
/// NUL bytes; otherwise chardetng picks (for Chinese text GBK/GB18030 in practice). Bytes that
/// cannot be decoded become U+FFFD.
pub fn decode(bytes: &[u8]) -> String {
    decode_named(bytes).0
}

/// `decode`, with the name of the encoding the text was read as.
fn decode_named(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        let name = match enc.name() {
            "UTF-8" => "UTF-8 (BOM)",
            "UTF-16LE" => "UTF-16LE",
            "UTF-16BE" => "UTF-16BE",
            other => other_static(other),
        };
        return (text.into_owned(), name);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_owned(), "UTF-8");
    }
    if let Some(enc) = guess_utf16(bytes) {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return (text.into_owned(), other_static(enc.name()));
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    let mut enc = det.guess(Some(b"cn"), true);
    // GB18030 is a superset of GBK and GB2312: decoding with it loses nothing they encode.
    if enc.name() == "GBK" || enc.name() == "gb18030" || enc == GB18030 {
        enc = GB18030;
    }
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), other_static(enc.name()))
}

/// UTF-16 without BOM: ASCII-heavy text has NULs in every other byte.
fn guess_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || bytes.len() % 2 != 0 {
        return None;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let even_nuls = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let odd_nuls = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    let half = sample.len() / 2;
    if odd_nuls * 3 > half && even_nuls * 10 < half {
        Some(UTF_16LE)
    } else if even_nuls * 3 > half && odd_nuls * 10 < half {
        Some(UTF_16BE)
    } else {
        None
    }
}

fn other_static(name: &str) -> &'static str {
    match name {
        "UTF-8" => "UTF-8",
        "UTF-16LE" => "UTF-16LE",
        "UTF-16BE" => "UTF-16BE",
        "gb18030" | "GB18030" => "GB18030",
        "GBK" => "GBK",
        "Big5" => "Big5",
        "windows-1252" => "windows-1252",
        _ => "other",
    }
}

/// True when the bytes look like binary data rather than text of any encoding.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if Encoding::for_bom(bytes).is_some() || guess_utf16(bytes).is_some() {
        return false;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let controls = sample
        .iter()
        .filter(|b| **b == 0 || (**b < 0x09) || (**b > 0x0d && **b < 0x20 && **b != 0x1b))
        .count();
    controls * 20 > sample.len().max(1)
}

/// An encoding named on the command line (`--encoding`): the dataset loader then reads every
/// table in it instead of deciding from the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Forced {
    /// UTF-8, with or without a BOM
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// GB18030 (a superset of GBK and GB2312: what Chinese Excel saves as "CSV")
    #[value(name = "gb18030", alias = "gbk")]
    Gb18030,
    /// UTF-16 (little- or big-endian by the BOM, else by the NUL bytes, else little-endian)
    #[value(name = "utf-16", alias = "utf16")]
    Utf16,
}

/// The encoding a table is read in, as decided for the whole file (`decide`).
#[derive(Debug, Clone, Copy)]
pub struct Choice {
    pub encoding: &'static Encoding,
    /// The name reported to the user ("UTF-8", "UTF-8 (BOM)", "GB18030", "UTF-16LE", ...).
    pub name: &'static str,
    /// Bytes of BOM at the start of the file (not part of the text).
    pub bom_len: usize,
}

/// A byte sequence that is not valid in the file's encoding: where its U+FFFD stands in the
/// decoded text, and the bytes themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadBytes {
    pub at: usize,
    pub bytes: Vec<u8>,
}

/// The bytes in hex, as a message shows them ("FF", "E4 B8").
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// UTF-8 read from the start until `cap` invalid sequences are found: (invalid sequences,
/// valid multi-byte characters, bytes looked at).
fn utf8_errors(bytes: &[u8], cap: usize) -> (usize, usize, usize) {
    // In valid UTF-8 every byte from C0 up starts a multi-byte character.
    let leads = |b: &[u8]| b.iter().filter(|c| **c >= 0xC0).count();
    let (mut at, mut errors, mut chars) = (0, 0, 0);
    while at < bytes.len() {
        match std::str::from_utf8(&bytes[at..]) {
            Ok(_) => {
                chars += leads(&bytes[at..]);
                break;
            }
            Err(e) => {
                let good = e.valid_up_to();
                chars += leads(&bytes[at..at + good]);
                errors += 1;
                at += good + e.error_len().unwrap_or(bytes.len() - at - good);
                if errors >= cap {
                    return (errors, chars, at);
                }
            }
        }
    }
    (errors, chars, bytes.len())
}

/// Malformed sequences when `bytes` are decoded as `enc`.
fn malformed(enc: &'static Encoding, bytes: &[u8]) -> usize {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(64 * 1024);
    let mut at = 0;
    let mut errors = 0;
    loop {
        out.clear();
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[at..], &mut out, true);
        at += read;
        match result {
            encoding_rs::DecoderResult::InputEmpty => return errors,
            encoding_rs::DecoderResult::OutputFull => {}
            encoding_rs::DecoderResult::Malformed(_, _) => errors += 1,
        }
    }
}

/// Decide a table's encoding from the file as a whole, not from one byte: a BOM decides; then
/// valid UTF-8 is UTF-8; then UTF-16 by its NUL bytes; then UTF-8 when its valid multi-byte
/// characters outnumber its invalid sequences four to one; otherwise UTF-8 and GB18030 are
/// compared by how many sequences each finds invalid over the same stretch of the file (from
/// the start until UTF-8 has found 256, or the whole file), and the one with fewer wins (UTF-8
/// on a tie). So a UTF-8 file with a few damaged bytes is read as UTF-8 and its damaged bytes
/// reported, while a GBK file (where nearly every Chinese character is invalid UTF-8) is read as
/// GB18030. Single-byte encodings (windows-1252, ...) are never guessed: they accept any byte,
/// so they would hide damage. `forced` (the `--encoding` flag) skips the guessing.
pub fn decide(bytes: &[u8], forced: Option<Forced>) -> Choice {
    let utf8 = |bom_len| Choice {
        encoding: encoding_rs::UTF_8,
        name: if bom_len > 0 { "UTF-8 (BOM)" } else { "UTF-8" },
        bom_len,
    };
    let utf16 = |enc: &'static Encoding, bom_len| Choice {
        encoding: enc,
        name: other_static(enc.name()),
        bom_len,
    };
    let gb = Choice {
        encoding: GB18030,
        name: "GB18030",
        bom_len: 0,
    };
    let utf8_bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    match forced {
        Some(Forced::Utf8) => return utf8(if utf8_bom { 3 } else { 0 }),
        Some(Forced::Gb18030) => return gb,
        Some(Forced::Utf16) => {
            return match Encoding::for_bom(bytes) {
                Some((enc, n)) if enc == UTF_16LE || enc == UTF_16BE => utf16(enc, n),
                _ => utf16(guess_utf16(bytes).unwrap_or(UTF_16LE), 0),
            }
        }
        None => {}
    }
    if let Some((enc, n)) = Encoding::for_bom(bytes) {
        return if enc == encoding_rs::UTF_8 {
            utf8(n)
        } else {
            utf16(enc, n)
        };
    }
    let (utf8_bad, utf8_chars, stretch) = utf8_errors(bytes, 256);
    if utf8_bad == 0 {
        return utf8(0);
    }
    if let Some(enc) = guess_utf16(bytes) {
        return utf16(enc, 0);
    }
    // Many valid multi-byte characters for each invalid sequence: UTF-8 text with some damage
    // (GBK text makes a valid UTF-8 character by chance about once in ten characters).
    if utf8_chars >= 4 * utf8_bad {
        return utf8(0);
    }
    // The stretch ends at a sequence UTF-8 found invalid; GB18030 is judged on the same bytes
    // (a character it would have completed with the next byte counts against it, at most one).
    if malformed(GB18030, &bytes[..stretch]) < utf8_bad {
        gb
    } else {
        utf8(0)
    }
}

/// Decode a table's bytes (after its BOM) as `choice` decided: the text, with each invalid
/// sequence replaced by U+FFFD and listed (where it stands in the text, and its bytes). Valid
/// UTF-8 comes back as it is, without a copy.
pub fn decode_table(mut bytes: Vec<u8>, choice: &Choice) -> (Vec<u8>, Vec<BadBytes>) {
    if choice.bom_len > 0 {
        bytes.drain(..choice.bom_len.min(bytes.len()));
    }
    if choice.encoding == encoding_rs::UTF_8 && std::str::from_utf8(&bytes).is_ok() {
        return (bytes, Vec::new());
    }
    let mut out = Vec::new();
    let bad = decode_table_into(&bytes, choice.encoding, &mut out);
    (out, bad)
}

/// Decode `bytes` (no BOM) as `encoding`, appending the text to `out`; the invalid sequences
/// are listed with offsets from where the text was appended.
pub fn decode_table_into(
    bytes: &[u8],
    encoding: &'static Encoding,
    out: &mut Vec<u8>,
) -> Vec<BadBytes> {
    let base = out.len();
    if encoding == encoding_rs::UTF_8 {
        out.reserve(bytes.len() + 64);
        let mut bad = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            match std::str::from_utf8(&bytes[at..]) {
                Ok(_) => {
                    out.extend_from_slice(&bytes[at..]);
                    break;
                }
                Err(e) => {
                    let good = e.valid_up_to();
                    let n = e.error_len().unwrap_or(bytes.len() - at - good);
                    out.extend_from_slice(&bytes[at..at + good]);
                    bad.push(BadBytes {
                        at: out.len() - base,
                        bytes: bytes[at + good..at + good + n].to_vec(),
                    });
                    out.extend_from_slice("\u{FFFD}".as_bytes());
                    at += good + n;
                }
            }
        }
        return bad;
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    // Decoded straight after what `out` holds (text already: a header line).
    let mut text = String::from_utf8(std::mem::take(out))
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    text.reserve(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len() * 3)
            + 16,
    );
    let mut bad = Vec::new();
    let mut at = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[at..], &mut text, true);
        at += read;
        match result {
            encoding_rs::DecoderResult::InputEmpty => break,
            encoding_rs::DecoderResult::OutputFull => text.reserve(text.capacity().max(1024)),
            encoding_rs::DecoderResult::Malformed(len, after) => {
                let end = at.saturating_sub(after as usize);
                let start = end.saturating_sub(len as usize);
                bad.push(BadBytes {
                    at: text.len() - base,
                    bytes: bytes[start..end].to_vec(),
                });
                if text.capacity() - text.len() < 3 {
                    text.reserve(1024);
                }
                text.push('\u{FFFD}');
            }
        }
    }
    *out = text.into_bytes();
    bad
}

/// Like `looks_binary`, for a dataset table: NUL bytes do not count, so a text file with a
/// hole of zeros (a crash or an interrupted copy) is read, and the rows the hole damaged are
/// reported, rather than the whole file refused. Random or compressed bytes (an xlsx or
/// Parquet file renamed .csv) still have one control byte in ten.
pub fn looks_binary_table(bytes: &[u8]) -> bool {
    if Encoding::for_bom(bytes).is_some() || guess_utf16(bytes).is_some() {
        return false;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let controls = sample
        .iter()
        .filter(|b| (**b > 0 && **b < 0x09) || (**b > 0x0d && **b < 0x20 && **b != 0x1b))
        .count();
    controls * 20 > sample.len().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_gbk_utf16_and_bom() {
        let s = "单位名称,得分\n示例街道,99.2\n";
        let (gbk, _, _) = GB18030.encode(s);
        let d = decode_named(&gbk);
        assert_eq!(d.0, s);
        assert_eq!(d.1, "GB18030");

        let mut le = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode_named(&le);
        assert_eq!(d.0, s);
        assert_eq!(d.1, "UTF-16LE");

        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(s.as_bytes());
        let d = decode_named(&bom);
        assert_eq!(d.0, s);
        assert_eq!(d.1, "UTF-8 (BOM)");
        assert_eq!(decode_named(s.as_bytes()).1, "UTF-8");
    }

    /// The whole file decides: UTF-8 with a damaged byte stays UTF-8 (the byte listed where
    /// it stands), GBK stays GB18030 even with a damaged byte, a GBK file with one Chinese
    /// name among ASCII is GB18030, and --encoding overrides.
    #[test]
    fn the_file_decides_not_one_byte() {
        let rows = "eval_id,level1,reason\n".to_string()
            + &"e1,决策,预算执行率偏低\ne2,产出,未按时完成\n".repeat(50);
        let mut utf8 = rows.clone().into_bytes();
        let at = utf8.len() / 2;
        let at = at + utf8[at..].iter().position(|b| *b == b'\n').unwrap();
        utf8.insert(at, 0xFF);
        let c = decide(&utf8, None);
        assert_eq!(c.name, "UTF-8");
        let (text, bad) = decode_table(utf8.clone(), &c);
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].bytes, [0xFF]);
        assert_eq!(&text[bad[0].at..bad[0].at + 3], "\u{FFFD}".as_bytes());
        assert_eq!(text.len(), rows.len() + 3);

        let mut gbk = GB18030.encode(&rows).0.into_owned();
        assert_eq!(decide(&gbk, None).name, "GB18030");
        let at = gbk.len() / 3;
        let at = at + gbk[at..].iter().position(|b| *b == b',').unwrap();
        gbk.insert(at, 0xFF);
        let c = decide(&gbk, None);
        assert_eq!(c.name, "GB18030");
        let (text, bad) = decode_table(gbk, &c);
        assert_eq!(bad.len(), 1);
        assert_eq!(
            String::from_utf8(text).unwrap().replace('\u{FFFD}', ""),
            rows
        );

        let one = GB18030
            .encode("unit_id,unit_name\nu1,abc\nu2,甲\n")
            .0
            .into_owned();
        assert_eq!(decide(&one, None).name, "GB18030");
        // ASCII with one byte no encoding knows: UTF-8, the byte reported.
        assert_eq!(decide(b"a,b\n1,\xFF\n", None).name, "UTF-8");

        assert_eq!(decide(&utf8, Some(Forced::Gb18030)).name, "GB18030");
        assert_eq!(decide(&one, Some(Forced::Utf8)).name, "UTF-8");
        let mut be = vec![0xFE, 0xFF];
        "a,b\n"
            .encode_utf16()
            .for_each(|u| be.extend_from_slice(&u.to_be_bytes()));
        let c = decide(&be, Some(Forced::Utf16));
        assert_eq!((c.name, c.bom_len), ("UTF-16BE", 2));
        assert_eq!(decode_table(be, &c).0, b"a,b\n");
    }

    #[test]
    fn binary_is_recognised() {
        let junk: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(looks_binary(&junk));
        assert!(!looks_binary("平常的文本 text".as_bytes()));
        assert!(looks_binary_table(&junk));
        // A table with a hole of zeros is text with damage, not binary.
        let mut holed = "a,b\n1,2\n".repeat(100).into_bytes();
        holed[200..600].fill(0);
        assert!(looks_binary(&holed) && !looks_binary_table(&holed));
    }
}
