//! Fonts pdf-extract does not decode, made readable before it runs.
//!
//! Report servers write Chinese with non-embedded Adobe CID fonts (STSong-Light, STHeiti…) under a
//! predefined CMap such as UniGB-UCS2-H, usually without a ToUnicode map; pdf-extract only knows
//! Identity-H and panics on the others. Under the UCS-2 and UTF-16 CMaps every glyph's code is
//! two bytes holding its Unicode value, so the text is recoverable exactly: such a font is read as
//! Identity-H (two-byte codes) with a ToUnicode map that keeps each code as it is, and its widths
//! are keyed by code. Widths of the Latin range come from the font's own CID widths (Adobe-GB1,
//! -CNS1, -Japan1 and -Korea1 put U+0020..U+007E at CIDs 1..95); others keep the default width, as
//! CJK glyphs are full-width. (pdf-extract's own reading of embedded CMaps takes every code as one
//! byte, so a CMap stream cannot be given instead.) Fonts under other predefined CMaps (GBK-EUC-H,
//! Big5) are left alone; their pages fall back to plain text.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

fn is_unicode_cmap(cmap: &str) -> bool {
    cmap.contains("UCS2") || cmap.contains("UTF16")
}

/// Patch every Type0 font under a UCS-2/UTF-16 CMap; returns the names of the other CMaps,
/// which are left alone because their codes are not decoded here.
pub fn patch(doc: &mut Document) -> Vec<String> {
    let mut to_patch: Vec<ObjectId> = Vec::new();
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
        if is_unicode_cmap(&enc) {
            to_patch.push(*id);
        } else {
            unknown.push(enc);
        }
    }
    let mut to_unicode: Option<ObjectId> = None;
    for id in to_patch {
        let uni = *to_unicode.get_or_insert_with(|| {
            doc.add_object(Stream::new(Dictionary::new(), identity_to_unicode()))
        });
        let descendant = doc
            .get_dictionary(id)
            .ok()
            .and_then(|d| d.get(b"DescendantFonts").ok().cloned());
        let widths = descendant.as_ref().and_then(|d| code_widths(doc, d));
        if let Ok(d) = doc.get_dictionary_mut(id) {
            d.set("Encoding", Object::Name(b"Identity-H".to_vec()));
            if !d.has(b"ToUnicode") {
                d.set("ToUnicode", Object::Reference(uni));
            }
        }
        if let (Some(desc), Some((w, dw))) = (descendant, widths) {
            set_widths(doc, id, &desc, w, dw);
        }
    }
    unknown.sort();
    unknown.dedup();
    unknown
}

fn hex(code: u32) -> String {
    format!("<{code:04X}>")
}

/// A ToUnicode CMap keeping every two-byte code as its UTF-16 value: a range per high byte, as
/// a range may only vary in its last byte; surrogates are left out.
fn identity_to_unicode() -> Vec<u8> {
    let ranges: Vec<String> = (0u32..=0xFF)
        .filter(|hi| !(0xD8..=0xDF).contains(hi))
        .map(|hi| {
            format!(
                "{} {} {}",
                hex(hi << 8),
                hex((hi << 8) | 0xFF),
                hex(hi << 8)
            )
        })
        .collect();
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /Jixiao-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in ranges.chunks(100) {
        s += &format!(
            "{} beginbfrange\n{}\nendbfrange\n",
            chunk.len(),
            chunk.join("\n")
        );
    }
    s += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    s.into_bytes()
}

/// The descendant font's widths keyed by code: the Latin range from CIDs 1..95, the rest the
/// default width.
fn code_widths(doc: &Document, descendants: &Object) -> Option<(Vec<Object>, f64)> {
    let cid = descendant_dict(doc, descendants)?;
    let default = cid.get(b"DW").ok().and_then(num).unwrap_or(1000.0);
    let by_cid = cid
        .get(b"W")
        .ok()
        .map(|w| resolve(doc, w))
        .and_then(|w| w.as_array().ok().cloned())
        .map(|w| cid_widths(doc, &w))
        .unwrap_or_default();
    let latin = (0x20u32..0x7F)
        .map(|code| {
            let w = by_cid.get(&(code - 31)).copied().unwrap_or(default / 2.0);
            Object::Real(w as f32)
        })
        .collect();
    Some((latin, default))
}

fn descendant_dict<'a>(doc: &'a Document, descendants: &'a Object) -> Option<&'a Dictionary> {
    match resolve(doc, descendants) {
        Object::Array(a) => match a.first()? {
            Object::Reference(r) => doc.get_dictionary(*r).ok(),
            Object::Dictionary(d) => Some(d),
            _ => None,
        },
        _ => None,
    }
}

/// Write the widths into the descendant font, held by reference or inline in the font.
fn set_widths(
    doc: &mut Document,
    font: ObjectId,
    descendants: &Object,
    latin: Vec<Object>,
    dw: f64,
) {
    let w = Object::Array(vec![Object::Integer(0x20), Object::Array(latin)]);
    let apply = |d: &mut Dictionary| {
        d.set("W", w.clone());
        d.set("DW", Object::Real(dw as f32));
    };
    let first = match resolve(doc, descendants) {
        Object::Array(a) => a.first().cloned(),
        _ => None,
    };
    match first {
        Some(Object::Reference(r)) => {
            if let Ok(d) = doc.get_dictionary_mut(r) {
                apply(d);
            }
        }
        Some(Object::Dictionary(_)) => {
            if let Ok(f) = doc.get_dictionary_mut(font) {
                if let Ok(Object::Array(a)) = f.get_mut(b"DescendantFonts") {
                    if let Some(Object::Dictionary(d)) = a.first_mut() {
                        apply(d);
                    }
                }
            }
        }
        _ => {}
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
    fn unicode_cmaps_are_told_and_mapped_to_themselves() {
        assert!(is_unicode_cmap("UniGB-UCS2-H"));
        assert!(is_unicode_cmap("UniCNS-UTF16-H"));
        assert!(!is_unicode_cmap("GBK-EUC-H"));
        let u = String::from_utf8(identity_to_unicode()).unwrap();
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
