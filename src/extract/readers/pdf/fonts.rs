//! Fonts pdf-extract does not decode, made readable before it runs.
//!
//! Report servers write Chinese with non-embedded Adobe CID fonts (STSong-Light, STHeiti…) under a
//! predefined CMap such as UniGB-UCS2-H, usually without a ToUnicode map; pdf-extract only knows
//! Identity-H and panics on the others. The code of every glyph under these CMaps is a Unicode
//! (UCS-2/UTF-16) value or a GBK/Big5 code, so the text is recoverable exactly: each such font is
//! given an encoding CMap that keeps the codes as they are (byte widths from the CMap's code
//! space) and a ToUnicode map decoding them, and its widths are keyed by code. Widths of the
//! Latin range come from the font's own CID widths (Adobe-GB1 and -CNS1 put U+0020..U+007E at
//! CIDs 1..95); others keep the default width, as CJK glyphs are full-width.

use std::collections::HashMap;

use encoding_rs::{Encoding, BIG5, GBK};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Codes {
    /// Two bytes, a UTF-16 code unit.
    Ucs2,
    /// One byte below 0x81, else two bytes of a double-byte charset.
    DoubleByte(&'static Encoding),
}

fn codes_of(cmap: &str) -> Option<Codes> {
    if cmap.contains("UCS2") || cmap.contains("UTF16") {
        Some(Codes::Ucs2)
    } else if cmap.starts_with("GB") {
        Some(Codes::DoubleByte(GBK))
    } else if cmap.starts_with("B5") || cmap.starts_with("ETen-B5") || cmap.starts_with("HKscs") {
        Some(Codes::DoubleByte(BIG5))
    } else {
        None
    }
}

/// Patch every Type0 font whose predefined CMap pdf-extract cannot decode; returns the names of
/// the CMaps that were left alone because their codes are not known here.
pub fn patch(doc: &mut Document) -> Vec<String> {
    let mut to_patch: Vec<(ObjectId, Codes)> = Vec::new();
    let mut unknown = Vec::new();
    for (id, obj) in &doc.objects {
        let Ok(d) = obj.as_dict() else { continue };
        if d.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Type0".as_slice()) {
            continue;
        }
        let Ok(enc) = d.get(b"Encoding").and_then(Object::as_name) else {
            continue;
        };
        let enc = String::from_utf8_lossy(enc).to_string();
        if enc == "Identity-H" || enc == "Identity-V" {
            continue;
        }
        match codes_of(&enc) {
            Some(c) => to_patch.push((*id, c)),
            None => unknown.push(enc),
        }
    }
    let mut maps: HashMap<(bool, &'static str), (ObjectId, ObjectId)> = HashMap::new();
    for (id, codes) in to_patch {
        let key = match codes {
            Codes::Ucs2 => (true, ""),
            Codes::DoubleByte(e) => (false, e.name()),
        };
        let (enc_id, uni_id) = *maps.entry(key).or_insert_with(|| {
            let e = doc.add_object(Stream::new(Dictionary::new(), encoding_cmap(codes)));
            let u = doc.add_object(Stream::new(Dictionary::new(), to_unicode_cmap(codes)));
            (e, u)
        });
        let descendant = doc
            .get_dictionary(id)
            .ok()
            .and_then(|d| d.get(b"DescendantFonts").ok().cloned());
        if let Ok(d) = doc.get_dictionary_mut(id) {
            d.set("Encoding", Object::Reference(enc_id));
            if !d.has(b"ToUnicode") {
                d.set("ToUnicode", Object::Reference(uni_id));
            }
        }
        if let Some(desc) = descendant {
            rekey_widths(doc, &desc);
        }
    }
    unknown.sort();
    unknown.dedup();
    unknown
}

fn hex(code: u32, bytes: usize) -> String {
    format!("<{:0w$X}>", code, w = bytes * 2)
}

/// An encoding CMap that keeps each code as its CID, with the code space of the charset.
fn encoding_cmap(codes: Codes) -> Vec<u8> {
    let (space, ranges): (Vec<(u32, u32, usize)>, Vec<(u32, u32, usize)>) = match codes {
        Codes::Ucs2 => (vec![(0, 0xFFFF, 2)], vec![(0, 0xFFFF, 2)]),
        Codes::DoubleByte(_) => (
            vec![(0, 0x80, 1), (0x8140, 0xFEFE, 2)],
            vec![(0, 0x80, 1), (0x8140, 0xFEFE, 2)],
        ),
    };
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /Jixiao-Codes def\n",
    );
    s += &format!("{} begincodespacerange\n", space.len());
    for (a, b, n) in &space {
        s += &format!("{} {}\n", hex(*a, *n), hex(*b, *n));
    }
    s += "endcodespacerange\n";
    s += &format!("{} begincidrange\n", ranges.len());
    for (a, b, n) in &ranges {
        // pdf-extract adds the range's CID to the code itself, so 0 keeps the code.
        s += &format!("{} {} 0\n", hex(*a, *n), hex(*b, *n));
    }
    s += "endcidrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    s.into_bytes()
}

/// A ToUnicode CMap decoding the codes: UTF-16 values map to themselves (a range per high byte,
/// as ranges may only vary in their last byte); double-byte codes through encoding_rs.
fn to_unicode_cmap(codes: Codes) -> Vec<u8> {
    let mut entries: Vec<String> = Vec::new();
    let mut ranges: Vec<String> = Vec::new();
    match codes {
        Codes::Ucs2 => {
            for hi in 0u32..=0xFF {
                if (0xD8..=0xDF).contains(&hi) {
                    continue;
                }
                ranges.push(format!(
                    "{} {} {}",
                    hex(hi << 8, 2),
                    hex((hi << 8) | 0xFF, 2),
                    hex(hi << 8, 2)
                ));
            }
        }
        Codes::DoubleByte(enc) => {
            for c in 0x20u32..0x7F {
                entries.push(format!("{} {}", hex(c, 1), hex(c, 2)));
            }
            for lead in 0x81u32..=0xFE {
                for trail in 0x40u32..=0xFE {
                    let bytes = [lead as u8, trail as u8];
                    let (text, _, bad) = enc.decode(&bytes);
                    if bad {
                        continue;
                    }
                    let units: Vec<u16> = text.encode_utf16().collect();
                    let dst: String = units.iter().map(|u| format!("{u:04X}")).collect();
                    entries.push(format!("{} <{dst}>", hex((lead << 8) | trail, 2)));
                }
            }
        }
    }
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /Jixiao-UCS def\n/CMapType 2 def\n",
    );
    match codes {
        Codes::Ucs2 => s += "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        Codes::DoubleByte(_) => {
            s += "2 begincodespacerange\n<00> <80>\n<8140> <FEFE>\nendcodespacerange\n"
        }
    }
    for chunk in ranges.chunks(100) {
        s += &format!(
            "{} beginbfrange\n{}\nendbfrange\n",
            chunk.len(),
            chunk.join("\n")
        );
    }
    for chunk in entries.chunks(100) {
        s += &format!(
            "{} beginbfchar\n{}\nendbfchar\n",
            chunk.len(),
            chunk.join("\n")
        );
    }
    s += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    s.into_bytes()
}

/// Widths keyed by code instead of CID: the Latin range from CIDs 1..95, the rest the default.
fn rekey_widths(doc: &mut Document, descendants: &Object) {
    let Some(id) = first_ref(doc, descendants) else {
        return;
    };
    let Ok(cid) = doc.get_dictionary(id) else {
        return;
    };
    let default = cid.get(b"DW").ok().and_then(num).unwrap_or(1000.0);
    let by_cid = cid
        .get(b"W")
        .ok()
        .map(|w| resolve(doc, w))
        .and_then(|w| w.as_array().ok().cloned())
        .map(|w| cid_widths(doc, &w))
        .unwrap_or_default();
    let latin: Vec<Object> = (0x20u32..0x7F)
        .map(|code| {
            let w = by_cid.get(&(code - 31)).copied().unwrap_or(default / 2.0);
            Object::Real(w as f32)
        })
        .collect();
    if let Ok(d) = doc.get_dictionary_mut(id) {
        d.set(
            "W",
            Object::Array(vec![Object::Integer(0x20), Object::Array(latin)]),
        );
        d.set("DW", Object::Real(default as f32));
    }
}

fn first_ref(doc: &Document, o: &Object) -> Option<ObjectId> {
    match resolve(doc, o) {
        Object::Array(a) => a.first().and_then(|x| x.as_reference().ok()),
        _ => None,
    }
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
}

/// The W array: `c [w1 w2 …]` gives consecutive CIDs from c; `c1 c2 w` one width for a range.
fn cid_widths(doc: &Document, w: &[Object]) -> HashMap<u32, f64> {
    let mut out = HashMap::new();
    let mut i = 0;
    while i < w.len() {
        let Some(first) = num(resolve(doc, &w[i])) else {
            break;
        };
        match w.get(i + 1).map(|o| resolve(doc, o)) {
            Some(Object::Array(ws)) => {
                for (k, x) in ws.iter().enumerate() {
                    if let Some(v) = num(resolve(doc, x)) {
                        out.insert(first as u32 + k as u32, v);
                    }
                }
                i += 2;
            }
            Some(last) => {
                let (Some(last), Some(v)) = (num(last), w.get(i + 2).and_then(num)) else {
                    break;
                };
                for c in first as u32..=(last as u32).min(first as u32 + 65535) {
                    out.insert(c, v);
                }
                i += 3;
            }
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmaps_are_named_by_their_codes() {
        assert_eq!(codes_of("UniGB-UCS2-H"), Some(Codes::Ucs2));
        assert_eq!(codes_of("UniCNS-UTF16-H"), Some(Codes::Ucs2));
        assert_eq!(codes_of("GBK-EUC-H"), Some(Codes::DoubleByte(GBK)));
        assert_eq!(codes_of("B5pc-H"), Some(Codes::DoubleByte(BIG5)));
        assert_eq!(codes_of("90ms-RKSJ-H"), None);
    }

    #[test]
    fn double_byte_to_unicode_decodes_gbk() {
        let s = String::from_utf8(to_unicode_cmap(Codes::DoubleByte(GBK))).unwrap();
        // 中 is D6D0 in GBK.
        assert!(s.contains("<D6D0> <4E2D>"), "{}", &s[..200]);
        let u = String::from_utf8(to_unicode_cmap(Codes::Ucs2)).unwrap();
        assert!(u.contains("<4E00> <4EFF> <4E00>"));
        assert!(!u.contains("<D800>"));
    }

    #[test]
    fn widths_of_both_forms() {
        let d = Document::new();
        let w = vec![
            Object::Integer(1),
            Object::Array(vec![Object::Integer(207), Object::Integer(270)]),
            Object::Integer(10),
            Object::Integer(12),
            Object::Integer(500),
        ];
        let m = cid_widths(&d, &w);
        assert_eq!(m[&1], 207.0);
        assert_eq!(m[&2], 270.0);
        assert_eq!(m[&12], 500.0);
        assert!(!m.contains_key(&13));
    }
}
