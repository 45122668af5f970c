//! The label vocabulary the form recognisers read by: which printed labels mean which field of
//! a form (项目名称, 全年预算数 or 调整后预算数 or 预算数(A), 分值 or 权重 …). It is data
//! (`datasets/form_labels.csv`, built in; a user's copy is passed with `--labels`), so a
//! province's wording is a line to add, not code to change.
//!
//! Labels are compared after normalising what varies between printings without changing the
//! meaning: white space (labels cut by conversion: 年初预 算数), full- and half-width brackets
//! and colons, traditional characters; a label of four characters or more also matches with one
//! character wrong (an OCR slip: 实际完戍值). The text itself is kept as written.

use std::collections::HashMap;
use std::sync::OnceLock;

const BUILTIN: &str = include_str!("../../../datasets/form_labels.csv");

#[derive(Debug, Clone)]
pub struct Labels {
    /// field → its labels, normalised, longest first.
    fields: Vec<(String, Vec<String>)>,
    /// normalised label → the fields it belongs to.
    index: HashMap<String, Vec<usize>>,
    /// Labels of four characters or more by their length in characters, as characters: the
    /// candidates of the one-character-off match, so a cell is compared only with labels of its
    /// length ± 1.
    by_len: HashMap<usize, Vec<(usize, Vec<char>)>>,
    /// Labels of three characters or more by their first character: (field, label, length in
    /// characters), longest first within a field, for finding labels inside a run of text.
    by_first: HashMap<char, Vec<(usize, String, usize)>>,
    /// Unique per vocabulary built (not its address, which a later one may reuse): the key of
    /// `is`'s memo.
    id: usize,
}

/// Traditional characters that occur in form labels, and their simplified forms.
const TRAD: &[(char, char)] = &[
    ('項', '项'),
    ('預', '预'),
    ('執', '执'),
    ('績', '绩'),
    ('評', '评'),
    ('價', '价'),
    ('標', '标'),
    ('級', '级'),
    ('數', '数'),
    ('資', '资'),
    ('總', '总'),
    ('額', '额'),
    ('當', '当'),
    ('財', '财'),
    ('撥', '拨'),
    ('結', '结'),
    ('轉', '转'),
    ('實', '实'),
    ('際', '际'),
    ('値', '值'),
    ('進', '进'),
    ('單', '单'),
    ('門', '门'),
    ('負', '负'),
    ('責', '责'),
    ('聯', '联'),
    ('係', '系'),
    ('電', '电'),
    ('話', '话'),
    ('體', '体'),
    ('達', '达'),
    ('產', '产'),
    ('質', '质'),
    ('時', '时'),
    ('濟', '济'),
    ('會', '会'),
    ('態', '态'),
    ('續', '续'),
    ('響', '响'),
    ('務', '务'),
    ('對', '对'),
    ('滿', '满'),
    ('調', '调'),
    ('後', '后'),
    ('權', '权'),
    ('計', '计'),
    ('級', '级'),
    ('稱', '称'),
    ('決', '决'),
    ('過', '过'),
    ('規', '规'),
    ('範', '范'),
    ('準', '准'),
    ('效', '效'),
    ('盡', '尽'),
    ('據', '据'),
    ('價', '价'),
    ('臺', '台'),
    ('縣', '县'),
    ('區', '区'),
    ('鎮', '镇'),
    ('鄉', '乡'),
    ('為', '为'),
    ('與', '与'),
    ('認', '认'),
    ('證', '证'),
    ('設', '设'),
    ('劃', '划'),
    ('開', '开'),
    ('發', '发'),
    ('經', '经'),
    ('費', '费'),
    ('辦', '办'),
    ('書', '书'),
    ('記', '记'),
    ('圍', '围'),
    ('確', '确'),
    ('選', '选'),
];

/// The form labels are compared in: no white space, half-width brackets, colons and digits,
/// simplified characters.
pub fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '【' | '〔' => '(',
            '】' | '〕' => ')',
            _ => TRAD
                .iter()
                .find(|(t, _)| *t == c)
                .map(|(_, s)| *s)
                .unwrap_or(c),
        })
        .collect()
}

impl Labels {
    /// The built-in vocabulary (datasets/form_labels.csv).
    pub fn builtin() -> &'static Labels {
        static L: OnceLock<Labels> = OnceLock::new();
        L.get_or_init(|| Labels::from_csv(BUILTIN).expect("the built-in label vocabulary parses"))
    }

    /// A vocabulary from CSV text (`field,labels`, labels separated by `|`).
    pub fn from_csv(text: &str) -> Result<Labels, String> {
        let mut fields: Vec<(String, Vec<String>)> = Vec::new();
        for (_, field, labels) in parse_rows(text)? {
            add_labels(&mut fields, field, labels);
        }
        Ok(Labels::build(fields))
    }

    /// The built-in vocabulary with a user's rows added (a province's wording for a field the
    /// built-in vocabulary knows). Errors name the line of the user's CSV; a field the
    /// recognisers do not read is an error, not a row silently ignored.
    pub fn extended(text: &str) -> Result<Labels, String> {
        let builtin = Labels::builtin();
        let mut fields = builtin.fields.clone();
        for (line, field, labels) in parse_rows(text)? {
            if !fields.iter().any(|f| f.0 == field) {
                let known: Vec<&str> = builtin.fields.iter().map(|f| f.0.as_str()).collect();
                return Err(format!(
                    "line {line}: unknown field `{field}` (fields: {})",
                    known.join(", ")
                ));
            }
            add_labels(&mut fields, field, labels);
        }
        Ok(Labels::build(fields))
    }

    fn build(mut fields: Vec<(String, Vec<String>)>) -> Labels {
        for f in fields.iter_mut() {
            f.1.sort_by_key(|l| std::cmp::Reverse(l.chars().count()));
            let mut seen = std::collections::HashSet::new();
            f.1.retain(|l| seen.insert(l.clone()));
        }
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, (_, ls)) in fields.iter().enumerate() {
            for l in ls {
                index.entry(l.clone()).or_default().push(i);
            }
        }
        let mut by_len: HashMap<usize, Vec<(usize, Vec<char>)>> = HashMap::new();
        for (i, (_, ls)) in fields.iter().enumerate() {
            for l in ls {
                let cs: Vec<char> = l.chars().collect();
                if cs.len() >= 4 {
                    by_len.entry(cs.len()).or_default().push((i, cs));
                }
            }
        }
        let mut by_first: HashMap<char, Vec<(usize, String, usize)>> = HashMap::new();
        for (i, (_, ls)) in fields.iter().enumerate() {
            for l in ls {
                let n = l.chars().count();
                if let (true, Some(c)) = (n >= 3, l.chars().next()) {
                    by_first.entry(c).or_default().push((i, l.clone(), n));
                }
            }
        }
        // Longest first across fields: the first wanted match is the longest.
        for v in by_first.values_mut() {
            v.sort_by_key(|x| std::cmp::Reverse(x.2));
        }
        Labels {
            fields,
            index,
            by_len,
            by_first,
            id: {
                static NEXT: std::sync::atomic::AtomicUsize =
                    std::sync::atomic::AtomicUsize::new(1);
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            },
        }
    }

    fn field_index(&self, field: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.0 == field)
    }

    /// Is the cell (as a whole) a label of `field`? Exact after normalising, a trailing colon
    /// ignored, or one character off for labels of four characters or more.
    pub fn is(&self, cell: &str, field: &str) -> bool {
        let Some(i) = self.field_index(field) else {
            return false;
        };
        // A form's cells are asked about many fields in turn: each cell is classified once
        // (per thread and vocabulary) and the answer kept.
        thread_local! {
            // (the vocabulary the answers are for, cell -> its fields)
            static MEMO: std::cell::RefCell<(usize, HashMap<String, Vec<usize>>)> =
                std::cell::RefCell::new((0, HashMap::new()));
        }
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            let me = self.id;
            if m.0 != me || m.1.len() > 200_000 {
                *m = (me, HashMap::new());
            }
            if let Some(fs) = m.1.get(cell) {
                return fs.contains(&i);
            }
            let fs = self.field_ids_of(cell);
            let hit = fs.contains(&i);
            m.1.insert(cell.to_string(), fs);
            hit
        })
    }

    /// The fields whose label the cell is (see `is`).
    fn field_ids_of(&self, cell: &str) -> Vec<usize> {
        let c = norm(cell);
        let c = c.trim_end_matches(':');
        if c.is_empty() {
            return Vec::new();
        }
        if let Some(fs) = self.index.get(c) {
            return fs.clone();
        }
        // One character off: only when no other field's label is as close (预算执行数 and
        // 预算执行率 differ in one character).
        let cs: Vec<char> = c.chars().collect();
        if cs.len() < 4 {
            return Vec::new();
        }
        let mut near: Vec<usize> = Vec::new();
        for n in cs.len() - 1..=cs.len() + 1 {
            for (k, l) in self.by_len.get(&n).into_iter().flatten() {
                if !near.contains(k) && one_off(l, &cs) {
                    near.push(*k);
                }
            }
        }
        near.sort_unstable();
        near.iter()
            .copied()
            .filter(|&i| near == [i] || near.iter().all(|k| self.same_labels(*k, i)))
            .collect()
    }

    /// Fields sharing their labels (分值 is exec_points and max_points) count as one.
    fn same_labels(&self, a: usize, b: usize) -> bool {
        self.fields[a]
            .1
            .iter()
            .any(|l| self.fields[b].1.contains(l))
    }

    /// Does the cell begin with a label of `field`? Returns the rest of the cell (a value
    /// written in the label's cell: 实施单位 民生保障办), as normalised text.
    pub fn starts<'a>(&self, cell: &'a str, field: &str) -> Option<String> {
        let i = self.field_index(field)?;
        let c = norm(cell);
        self.fields[i].1.iter().find_map(|l| {
            c.strip_prefix(l.as_str())
                .map(|rest| rest.trim_start_matches(':').to_string())
        })
    }

    /// Is the cell a label of any field (so not a value)?
    pub fn is_label(&self, cell: &str) -> bool {
        let c = norm(cell);
        let c = c.trim_end_matches(':');
        !c.is_empty() && self.index.contains_key(c)
    }

    /// The fields a cell is a label of (exactly, after normalising).
    pub fn fields_of(&self, cell: &str) -> Vec<&str> {
        let c = norm(cell);
        let c = c.trim_end_matches(':');
        self.index
            .get(c)
            .map(|v| v.iter().map(|i| self.fields[*i].0.as_str()).collect())
            .unwrap_or_default()
    }

    /// Labels of the given fields found inside a longer run of text with no separators
    /// (项目名称委托业务项目主管部门…): (byte start, byte end) in `text`, in order, not
    /// overlapping; only labels of three characters or more, to keep values whole.
    pub fn find_in(&self, text: &str, fields: &[&str]) -> Vec<(usize, usize)> {
        let mut found: Vec<(usize, usize)> = Vec::new();
        let mut wanted = vec![false; self.fields.len()];
        for i in fields.iter().filter_map(|f| self.field_index(f)) {
            wanted[i] = true;
        }
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut k = 0;
        'scan: while k < chars.len() {
            let (start, c) = chars[k];
            if let Some(cands) = self.by_first.get(&c) {
                // The longest label of any wanted field starting here (预算单位名称, not the
                // 预算单位 inside it).
                let best = cands
                    .iter()
                    .find(|x| wanted[x.0] && text[start..].starts_with(x.1.as_str()));
                if let Some((_, l, n)) = best {
                    found.push((start, start + l.len()));
                    k += n;
                    continue 'scan;
                }
            }
            k += 1;
        }
        found
    }
}

/// The rows of a vocabulary CSV: (line, field, its labels normalised), each checked, errors
/// naming the line.
type Row = (u64, String, Vec<String>);

fn parse_rows(text: &str) -> Result<Vec<Row>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let h = r.headers().map_err(|e| format!("line 1: {e}"))?.clone();
    if h.get(0).map(str::trim) != Some("field") || h.get(1).map(str::trim) != Some("labels") {
        return Err("line 1: the header must be `field,labels`".into());
    }
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            format!("line {line}: {e}")
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rec.len() != 2 {
            return Err(format!(
                "line {line}: {} fields where `field,labels` has 2 (labels are separated by `|`, not commas)",
                rec.len()
            ));
        }
        let field = rec.get(0).unwrap_or("").trim().to_string();
        if field.is_empty() {
            return Err(format!("line {line}: no field name"));
        }
        let labels: Vec<String> = rec
            .get(1)
            .unwrap_or("")
            .split('|')
            .map(norm)
            .filter(|l| !l.is_empty())
            .collect();
        if labels.is_empty() {
            return Err(format!("line {line}: {field} has no labels"));
        }
        out.push((line, field, labels));
    }
    Ok(out)
}

fn add_labels(fields: &mut Vec<(String, Vec<String>)>, field: String, labels: Vec<String>) {
    match fields.iter_mut().find(|f| f.0 == field) {
        Some(f) => f.1.extend(labels),
        None => fields.push((field, labels)),
    }
}

/// Two labels of four characters or more differing in one character (substituted, missing or
/// extra).
fn one_off(a: &[char], b: &[char]) -> bool {
    if a.len() < 4 || b.len() < 4 || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    if a.len() == b.len() {
        return a.iter().zip(b).filter(|(x, y)| x != y).count() == 1;
    }
    let (long, short) = if a.len() > b.len() { (a, b) } else { (b, a) };
    let mut i = 0;
    while i < short.len() && long[i] == short[i] {
        i += 1;
    }
    long[i + 1..] == short[i..]
}

/// A grade word (优秀, 良, 合格 …) as a whole cell, quotes and punctuation around it ignored.
pub fn grade_word(s: &str) -> Option<String> {
    let c: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let c = c.trim_matches(|ch: char| "“”\"'。，,：:".contains(ch));
    const WORDS: &[&str] = &[
        "优秀",
        "良好",
        "一般",
        "较差",
        "合格",
        "不合格",
        "中等",
        "优",
        "良",
        "中",
        "差",
    ];
    WORDS.iter().find(|w| c == **w).map(|w| w.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_match_whatever_the_printing() {
        let l = Labels::builtin();
        assert!(l.is("年初预 算数", "budget_initial"));
        assert!(l.is("全年預算數", "budget_full_year"));
        assert!(l.is("调整后预算数", "budget_full_year"));
        assert!(l.is("预算数（A）", "budget_full_year"));
        assert!(l.is("执行率(B/A)", "exec_rate"));
        assert!(l.is("实际完戍值", "actual"), "one character off");
        assert!(!l.is("实际", "actual"));
        assert!(l.is("预算执行数", "executed"));
        assert!(
            !l.is("预算执行数", "exec_rate"),
            "a label of another field is not a slip"
        );
        assert!(l.is("年度资金总额：", "funds_total"));
        assert_eq!(
            l.starts("实施单位 民生保障办", "implementing_unit")
                .as_deref(),
            Some("民生保障办")
        );
        assert!(l.fields_of("分值").contains(&"max_points"));
        assert!(l.fields_of("分 值").contains(&"exec_points"));
    }

    #[test]
    fn labels_inside_a_run_of_text() {
        let l = Labels::builtin();
        let t = "项目名称委托业务项目主管部门池州市棠溪镇";
        let f = l.find_in(t, &["project_name", "department"]);
        let parts: Vec<&str> = f.iter().map(|(a, b)| &t[*a..*b]).collect();
        assert_eq!(parts, ["项目名称", "主管部门"]);
    }

    #[test]
    fn a_user_vocabulary_is_checked() {
        assert!(Labels::from_csv("field,labels\nproject_name,项目名称|项目\n").is_ok());
        assert!(Labels::from_csv("name,labels\n").is_err());
        assert!(Labels::from_csv("field,labels\nproject_name,\n").is_err());
        let l = Labels::extended("field,labels\n\nproject_name,工程名称|项目\n").unwrap();
        assert!(l.is("工程名称", "project_name") && l.is("项目名称", "project_name"));
        assert!(
            l.is("全年预算数", "budget_full_year"),
            "the built-in labels stay"
        );
        let e = Labels::extended("field,labels\nproject_name,工程名称\nprojct_name,名称\n")
            .unwrap_err();
        assert!(e.starts_with("line 3:") && e.contains("projct_name"), "{e}");
        let e = Labels::extended("field,labels\nproject_name,工程,名称\n").unwrap_err();
        assert!(e.starts_with("line 2:"), "{e}");
    }
}
