//! Text encoding detection shared by the dataset loader and the report extractor.
//! Finance bureaus save CSVs from Excel as GBK/GB18030 or UTF-16; reports come as UTF-8 with
//! or without a BOM. Detect, never assume.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};

/// The decoded text and the name of the encoding it was read as.
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    /// True when some bytes could not be decoded and were replaced with U+FFFD.
    pub had_errors: bool,
}

/// Decode bytes: a BOM decides; otherwise valid UTF-8 is UTF-8; otherwise a UTF-16 guess from
/// NUL bytes; otherwise chardetng picks (for Chinese text GBK/GB18030 in practice).
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        let name = match enc.name() {
            "UTF-8" => "UTF-8 (BOM)",
            "UTF-16LE" => "UTF-16LE",
            "UTF-16BE" => "UTF-16BE",
            other => other_static(other),
        };
        return Decoded {
            text: text.into_owned(),
            encoding: name,
            had_errors,
        };
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded {
            text: s.to_owned(),
            encoding: "UTF-8",
            had_errors: false,
        };
    }
    if let Some(enc) = guess_utf16(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        return Decoded {
            text: text.into_owned(),
            encoding: other_static(enc.name()),
            had_errors,
        };
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    let mut enc = det.guess(Some(b"cn"), true);
    // GB18030 is a superset of GBK and GB2312: decoding with it loses nothing they encode.
    if enc.name() == "GBK" || enc.name() == "gb18030" || enc == GB18030 {
        enc = GB18030;
    }
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: other_static(enc.name()),
        had_errors,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_gbk_utf16_and_bom() {
        let s = "单位名称,得分\n示例街道,99.2\n";
        let (gbk, _, _) = GB18030.encode(s);
        let d = decode(&gbk);
        assert_eq!(d.text, s);
        assert_eq!(d.encoding, "GB18030");

        let mut le = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&le);
        assert_eq!(d.text, s);
        assert_eq!(d.encoding, "UTF-16LE");

        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(s.as_bytes());
        let d = decode(&bom);
        assert_eq!(d.text, s);
        assert_eq!(d.encoding, "UTF-8 (BOM)");
        assert_eq!(decode(s.as_bytes()).encoding, "UTF-8");
    }

    #[test]
    fn binary_is_recognised() {
        let junk: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(looks_binary(&junk));
        assert!(!looks_binary("平常的文本 text".as_bytes()));
    }
}
