//! Scores written in a report's prose, one numbered heading per indicator: `一、投入(14分)`,
//! `(一)项目立项(8分)`, `(2)项目预算规范性(3分):` and under each leaf heading a paragraph ending
//! `…自评得3分。` (Anhui's 项目支出绩效自评报告 and the like, with no score table).

use std::sync::OnceLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::table::{Indicator, Subtotal};
use crate::extract::text::{number, re};

/// What the headings and their paragraphs give.
#[derive(Debug, Default)]
pub struct ProseRead {
    pub indicators: Vec<Indicator>,
    /// Headings with children: (level, name, points, line).
    pub subtotals: Vec<Subtotal>,
}

struct Heading {
    line: usize,
    level: usize,
    name: String,
    points: Decimal,
}

/// A numbered heading stating its points, alone on its line.
fn heading(line: &str) -> Option<(usize, String, Decimal)> {
    static HEAD: OnceLock<Regex> = OnceLock::new();
    let head = re(
        &HEAD,
        r"^\s*(?:([一二三四五六七八九十]+)\s*[、.．]|[(（]\s*([一二三四五六七八九十]+)\s*[)）]|[(（]?\s*([0-9]{1,2})\s*[)）、.．])\s*(\S{2,24}?)\s*[(（]\s*([0-9]+(?:\.[0-9]+)?)\s*分\s*[)）]\s*[:：。]?\s*$",
    );
    let c = head.captures(line)?;
    let level = if c.get(1).is_some() {
        0
    } else if c.get(2).is_some() {
        1
    } else {
        2
    };
    let name = c.get(4)?.as_str().trim_end_matches([':', '：']).to_string();
    // A name is words, not a sentence or a number.
    if name.contains(['，', ',', '。', ';', '；']) || number(&name).is_some() {
        return None;
    }
    Some((level, name, number(c.get(5)?.as_str())?))
}

/// The self-assessed scores a paragraph states (自评得3分, 自评得分为2.5分).
fn stated_scores(line: &str) -> Vec<Decimal> {
    static SCORE: OnceLock<Regex> = OnceLock::new();
    let score = re(
        &SCORE,
        r"自评(?:得分)?(?:为|得)?\s*([0-9]+(?:\.[0-9]+)?)\s*分",
    );
    score
        .captures_iter(line)
        .filter_map(|c| number(c.get(1)?.as_str()))
        .collect()
}

/// Read lines `from..to` (skipping those `skip` says belong to something else). Needs three
/// headings stating points and two paragraph scores under them, so that a report's outline
/// with points alone is not taken for scores.
pub fn read(
    lines: &[String],
    from: usize,
    to: usize,
    skip: &dyn Fn(usize) -> bool,
) -> Option<ProseRead> {
    let mut heads: Vec<Heading> = Vec::new();
    // Scores stated under each heading, in order.
    let mut scores: Vec<Vec<Decimal>> = Vec::new();
    for (i, l) in lines.iter().enumerate().take(to).skip(from) {
        if skip(i) || l.contains('\t') {
            continue;
        }
        if let Some((level, name, points)) = heading(l) {
            heads.push(Heading {
                line: i,
                level,
                name,
                points,
            });
            scores.push(Vec::new());
        } else if let Some(s) = scores.last_mut() {
            s.extend(stated_scores(l));
        }
    }
    let scored = scores.iter().filter(|s| !s.is_empty()).count();
    if heads.len() < 3 || scored < 2 {
        return None;
    }
    let mut out = ProseRead::default();
    let mut path: [Option<String>; 4] = Default::default();
    for (k, h) in heads.iter().enumerate() {
        path[h.level] = Some(h.name.clone());
        for deeper in path.iter_mut().skip(h.level + 1) {
            *deeper = None;
        }
        let leaf = heads.get(k + 1).is_none_or(|n| n.level <= h.level);
        if !leaf {
            out.subtotals
                .push((h.level, h.name.clone(), h.points, h.line));
            continue;
        }
        // The same score said twice (one per fund) is the score; two different ones are not
        // guessed between.
        let s = &scores[k];
        let score = s.first().copied().filter(|f| s.iter().all(|x| x == f));
        out.indicators.push(Indicator {
            levels: path.clone(),
            max_points: Some(h.points),
            score,
            line: h.line,
            ..Default::default()
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Option<Decimal> {
        Some(Decimal::from_str(s).unwrap())
    }

    fn lines(s: &[&str]) -> Vec<String> {
        s.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn headings_state_points_and_paragraphs_the_scores() {
        let l = lines(&[
            "一、决策(10分)",
            "(一)项目立项(6分):",
            "(1)立项依据充分性(4分)",
            "项目符合规划,依据充分。自评得4分。",
            "(2)绩效目标明确性(2分):",
            "目标已细化。自评得1.5分。",
            "资金一用于培训,自评得1.5分",
            "(二)资金落实(4分):",
            "资金到位率100%。",
            "二、过程(20分)",
            "(一)资金管理(20分)",
            "(1)资金使用合规性(20分)",
            "一笔支出超范围,自评得18分;另一笔合规,自评得20分。",
        ]);
        let r = read(&l, 0, l.len(), &|_| false).unwrap();
        let rows: Vec<String> = r
            .indicators
            .iter()
            .map(|i| {
                let n: Vec<&str> = i.levels.iter().flatten().map(|s| s.as_str()).collect();
                format!("{} {:?}|{:?}", n.join("/"), i.max_points, i.score)
            })
            .collect();
        assert_eq!(
            rows,
            [
                "决策/项目立项/立项依据充分性 Some(4)|Some(4)",
                "决策/项目立项/绩效目标明确性 Some(2)|Some(1.5)",
                // No score stated: blank, not 0.
                "决策/资金落实 Some(4)|None",
                // Two different scores: not guessed between.
                "过程/资金管理/资金使用合规性 Some(20)|None",
            ]
        );
        assert_eq!(r.subtotals[0], (0, "决策".to_string(), d("10").unwrap(), 0));
        assert!(r.subtotals.iter().any(|s| s.1 == "项目立项" && s.0 == 1));
    }

    #[test]
    fn an_outline_with_points_but_no_scores_is_not_read() {
        let l = lines(&[
            "一、决策(10分)",
            "(一)项目立项(6分)",
            "(二)资金落实(4分)",
            "二、过程(20分)",
            "本项目按计划实施,得到好评。",
        ]);
        assert!(read(&l, 0, l.len(), &|_| false).is_none());
        // A sentence is no heading, nor is a line with text after its points.
        assert!(heading("1、本项目共计投入资金(20分)以上,成效明显").is_none());
        assert!(heading("(3)项目绩效目标设立(3分):").is_some());
        assert_eq!(
            stated_scores("…一致,自评得3分。设立…自评得分为2.5分"),
            [d("3").unwrap(), d("2.5").unwrap()]
        );
    }
}
