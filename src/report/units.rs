//! 单位画像 and the district overview: each unit's scores against its peers and over the
//! years, execution against the peer band, its level-1 profile, its main deduction causes with
//! the reasons as written, its self-vs-independent gap and the re-check list's reasons.

use std::collections::{BTreeMap, BTreeSet};

use super::context::{median, Ctx, DeptScore, Exec};
use super::model::{Attrs, Bar, Cell, Column, Row, Table, UnitPage};
use super::zh;
use crate::dataset::decimal::{cell_f64 as f, cell_text as s, fmt};

const EVALUATOR_ORDER: [&str; 4] = ["self", "third_party", "expert_panel", "finance_bureau"];

fn ev_rank(t: &str) -> usize {
    EVALUATOR_ORDER
        .iter()
        .position(|x| *x == t)
        .unwrap_or(EVALUATOR_ORDER.len())
}

pub fn columns(labels: &[&str]) -> Vec<Column> {
    labels
        .iter()
        .map(|l| Column {
            label: l.to_string(),
            key: String::new(),
        })
        .collect()
}

fn attrs(c: &Ctx, unit: &str, year: Option<i32>, evaluator: &str, scope: &str) -> Attrs {
    let opt = |v: &str| (!v.is_empty()).then(|| v.to_string());
    Attrs {
        // Always set on a unit's rows: a unit whose district is unknown ("") is hidden when a
        // district is chosen, not shown under every one.
        district: Some(c.district(unit)),
        year: year.map(|y| y.to_string()),
        evaluator: opt(evaluator),
        scope: opt(scope),
    }
}

fn signed(v: f64, unit: &str) -> String {
    if v.abs() < 0.05 {
        format!("0.0{unit}")
    } else if v > 0.0 {
        format!("+{}{unit}", zh::num(v, 1))
    } else {
        format!("−{}{unit}", zh::num(-v, 1))
    }
}

fn table(id: String, caption: &str, cols: &[&str], rows: Vec<Row>) -> Table {
    let total_rows = rows.len();
    Table {
        id,
        caption: caption.to_string(),
        note: None,
        columns: columns(cols),
        rows,
        total_rows,
    }
}

/// A score bar: 60 to 100 points fill the cell (scores below 60 are rare and fail anyway).
fn score_bar(score: f64, peer: Option<f64>) -> Option<Bar> {
    Some(Bar::new(
        ((score - 60.0) / 40.0 * 100.0).clamp(2.0, 100.0),
        peer.is_some_and(|p| score < p),
    ))
}

fn rate_bar(rate: f64, peer: Option<f64>) -> Option<Bar> {
    Some(Bar::new(
        rate.clamp(2.0, 100.0),
        rate < 80.0 || peer.is_some_and(|p| rate < p - 5.0),
    ))
}

/// 单位总览: one row per unit, year, evaluator type and scope.
pub fn overview(c: &Ctx, key: &str) -> Table {
    // (unit, year, evaluator type, scope) → (score sum, n, peer median, exec rates, exec peer)
    struct Acc {
        scores: Vec<f64>,
        peer: Option<f64>,
        rates: Vec<f64>,
        rate_peer: Vec<f64>,
    }
    let mut m: BTreeMap<(String, i32, String, String), Acc> = BTreeMap::new();
    for d in &c.dept {
        let e = m
            .entry((
                d.unit_id.clone(),
                d.year,
                d.evaluator_type.clone(),
                "department".into(),
            ))
            .or_insert(Acc {
                scores: vec![],
                peer: None,
                rates: vec![],
                rate_peer: vec![],
            });
        e.scores.push(d.score);
        if d.peer_n > 1 {
            e.peer = Some(d.peer_median);
        }
    }
    // Project scores: each unit's mean, against the median of its peers' means.
    let keys: BTreeSet<(i32, String)> = c
        .evals
        .iter()
        .filter(|e| e.scope == "project")
        .map(|e| (e.year, e.evaluator_type.clone()))
        .collect();
    for (year, et) in keys {
        let means = c.project_means(year, &et);
        for (unit, (n, mean)) in &means {
            let peers = c.peers_of(unit);
            let mut others: Vec<f64> = means
                .iter()
                .filter(|(u, _)| peers.contains(u))
                .map(|(_, v)| v.1)
                .collect();
            let e = m
                .entry((unit.to_string(), year, et.clone(), "project".into()))
                .or_insert(Acc {
                    scores: vec![],
                    peer: None,
                    rates: vec![],
                    rate_peer: vec![],
                });
            e.scores = vec![*mean; *n];
            if others.len() > 1 {
                e.peer = median(&mut others);
            }
        }
    }
    for x in &c.exec {
        let e = m
            .entry((
                x.unit_id.clone(),
                x.year,
                x.evaluator_type.clone(),
                x.scope.clone(),
            ))
            .or_insert(Acc {
                scores: vec![],
                peer: None,
                rates: vec![],
                rate_peer: vec![],
            });
        e.rates.push(x.rate);
        if let Some(p) = x.peer_median.filter(|_| x.n_peers.unwrap_or(0) > 1) {
            e.rate_peer.push(p);
        }
    }
    let mut keys: Vec<_> = m.keys().cloned().collect();
    keys.sort_by(|a, b| {
        c.district(&a.0)
            .cmp(&c.district(&b.0))
            .then(c.name(&a.0).cmp(&c.name(&b.0)))
            .then(a.0.cmp(&b.0))
            .then(b.1.cmp(&a.1))
            .then(ev_rank(&a.2).cmp(&ev_rank(&b.2)))
            .then(a.3.cmp(&b.3))
    });
    let rows: Vec<Row> = keys
        .into_iter()
        .map(|k| {
            let a = &m[&k];
            let (unit, year, et, scope) = k;
            let n = a.scores.len();
            let score = (n > 0).then(|| a.scores.iter().sum::<f64>() / n as f64);
            let mut rates = a.rates.clone();
            let rate = median(&mut rates);
            let mut rp = a.rate_peer.clone();
            let rate_peer = median(&mut rp);
            let mut cells = vec![
                Cell {
                    text: c.name(&unit),
                    link: c.anchor(&unit).map(str::to_string),
                    ..Cell::default()
                },
                Cell::text(c.district(&unit)),
                Cell::text(year.to_string()),
                Cell::text(zh::evaluator(&et)),
                Cell::text(if scope == "project" && n > 0 {
                    format!("项目（{n} 个）")
                } else {
                    zh::scope(&scope).to_string()
                }),
            ];
            cells.push(match score {
                Some(v) => Cell {
                    text: zh::num(v, 1),
                    bar: score_bar(v, a.peer),
                    ..Cell::default()
                },
                None => Cell::text("—"),
            });
            cells.push(Cell::text(
                a.peer.map(|p| zh::num(p, 1)).unwrap_or("—".into()),
            ));
            cells.push(Cell::text(match (score, a.peer) {
                (Some(v), Some(p)) => signed(v - p, ""),
                _ => "—".into(),
            }));
            cells.push(match rate {
                Some(r) => Cell {
                    text: zh::percent(r),
                    bar: rate_bar(r, rate_peer),
                    ..Cell::default()
                },
                None => Cell::text("—"),
            });
            cells.push(Cell::text(rate_peer.map(zh::percent).unwrap_or("—".into())));
            cells.push(Cell::text(match (rate, rate_peer) {
                (Some(r), Some(p)) => signed(r - p, ""),
                _ => "—".into(),
            }));
            Row {
                flagged: rate.is_some_and(|r| r < 80.0),
                attrs: attrs(c, &unit, Some(year), &et, &scope),
                cells,
            }
        })
        .collect();
    let mut t = table(
        format!("{key}-overview"),
        "单位总览",
        &[
            "单位",
            "区（县）",
            "年度",
            "评价主体",
            "范围",
            "得分（分）",
            "同类中位数（分）",
            "差值（分）",
            "预算执行率",
            "同类中位数",
            "差值（百分点）",
        ],
        rows,
    );
    t.note = Some(
        "得分为百分制；项目行为该单位项目得分的平均值、预算执行率为其项目执行率的中位数。同类单位：同一年度、同类评价主体、同一范围，同区单位不足 5 个时为全省（市）。红色：执行率低于 80% 或低于同类中位数 5 个百分点以上，得分低于同类中位数。".into(),
    );
    t
}

/// Every unit's page.
pub fn pages(c: &Ctx) -> Vec<UnitPage> {
    let mut order: Vec<&super::context::UnitInfo> = c.units.iter().collect();
    order.sort_by(|a, b| {
        a.district
            .cmp(&b.district)
            .then(a.name.cmp(&b.name))
            .then(a.id.cmp(&b.id))
    });
    order.into_iter().map(|u| page(c, &u.id)).collect()
}

fn page(c: &Ctx, id: &str) -> UnitPage {
    let u = c.unit(id).expect("a unit of the dataset");
    let anchor = c.anchor(id).unwrap_or_default().to_string();
    let dept: Vec<&DeptScore> = c.dept.iter().filter(|d| d.unit_id == id).collect();
    let exec: Vec<&Exec> = c.exec.iter().filter(|x| x.unit_id == id).collect();
    let mut summary = Vec::new();
    summary.extend(score_sentences(c, &dept));
    summary.extend(execution_sentences(&exec));
    let gap = gap_table(c, id, &anchor, &mut summary);
    let causes = causes_table(c, id, &anchor, &mut summary);
    let review = review_table(c, id, &anchor, &mut summary);
    if summary.is_empty() {
        summary.push("数据集中没有该单位的评分或预算数据。".into());
    }
    UnitPage {
        anchor: anchor.clone(),
        unit_id: id.to_string(),
        name: u.name.clone(),
        full_name: u.full_name.clone(),
        district: u.district.clone(),
        kind: zh::unit_type(&u.kind).to_string(),
        attrs: Attrs {
            district: Some(u.district.clone()),
            ..Attrs::default()
        },
        summary,
        figure: super::unit_chart::figure(c, id, &anchor),
        scores: scores_table(c, id, &anchor, &dept),
        execution: execution_table(c, id, &anchor, &exec),
        level1: level1_table(c, id, &anchor),
        causes,
        gap,
        review,
    }
}

/// The evaluator type a unit's summary leads with: independent before self, then the most
/// peers.
fn lead<'a>(dept: &[&'a DeptScore], year: i32) -> Option<&'a DeptScore> {
    dept.iter()
        .filter(|d| d.year == year)
        .min_by_key(|d| {
            (
                d.evaluator_type == "self",
                usize::MAX - d.peer_n,
                ev_rank(&d.evaluator_type),
            )
        })
        .copied()
}

fn score_sentences(_c: &Ctx, dept: &[&DeptScore]) -> Vec<String> {
    let Some(year) = dept.iter().map(|d| d.year).max() else {
        return vec![];
    };
    let Some(d) = lead(dept, year) else {
        return vec![];
    };
    let mut s = format!(
        "{year} 年度{}部门整体得分 {}",
        zh::evaluator(&d.evaluator_type),
        zh::points(d.score)
    );
    if d.peer_n > 1 {
        if let (Some(r), Some(n)) = (d.rank, d.n_peers) {
            s.push_str(&format!("，在 {n} 个同类单位中排第 {r} 名"));
            if let Some((a, b)) = d.rank_interval.filter(|(a, b)| a != b) {
                s.push_str(&format!("（可能名次 {a} 至 {b}）"));
            }
        }
        s.push_str(&format!(
            "，{}",
            zh::versus(d.score - d.peer_median, "分", "同类单位中位数")
        ));
    } else {
        s.push_str("，没有同年度、同类评价主体的同类单位可比");
    }
    s.push('。');
    let mut out = vec![s];
    // Over the years, one evaluator type at a time (a self-evaluation and a third party's
    // score are not one series): the type with the most years, the lead's type on a tie.
    let mut by_type: BTreeMap<&str, BTreeMap<i32, Vec<f64>>> = BTreeMap::new();
    for x in dept {
        by_type
            .entry(x.evaluator_type.as_str())
            .or_default()
            .entry(x.year)
            .or_default()
            .push(x.score);
    }
    let best = by_type.iter().max_by_key(|(t, ys)| {
        (
            ys.len(),
            **t == d.evaluator_type.as_str(),
            usize::MAX - ev_rank(t),
        )
    });
    let all_years: BTreeSet<i32> = dept.iter().map(|x| x.year).collect();
    match best {
        Some((t, ys)) if ys.len() > 1 => {
            let parts: Vec<String> = ys
                .iter()
                .map(|(y, v)| {
                    format!(
                        "{y} 年度 {}",
                        zh::points(v.iter().sum::<f64>() / v.len() as f64)
                    )
                })
                .collect();
            out.push(format!(
                "历年{}部门整体得分：{}。",
                zh::evaluator(t),
                zh::list(&parts)
            ));
        }
        _ if all_years.len() > 1 => {
            out.push(format!(
                "历年部门整体得分来自不同的评价主体（{}），不作历年比较。",
                zh::list(
                    &all_years
                        .iter()
                        .map(|y| {
                            let types: BTreeSet<&str> = dept
                                .iter()
                                .filter(|x| x.year == *y)
                                .map(|x| zh::evaluator(&x.evaluator_type))
                                .collect();
                            format!(
                                "{y} 年度{}",
                                types.into_iter().collect::<Vec<_>>().join("和")
                            )
                        })
                        .collect::<Vec<_>>()
                )
            ));
        }
        _ => out.push(format!(
            "只有 {year} 年度的部门整体得分，没有历年数据可比。"
        )),
    }
    out
}

fn execution_sentences(exec: &[&Exec]) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(year) = exec
        .iter()
        .filter(|x| x.scope == "department")
        .map(|x| x.year)
        .max()
    {
        let x = exec
            .iter()
            .find(|x| x.scope == "department" && x.year == year)
            .expect("found above");
        let mut s = format!("{year} 年度部门整体预算执行率 {}", zh::percent(x.rate));
        if let (Some(m), true) = (x.peer_median, x.n_peers.unwrap_or(0) > 1) {
            s.push_str(&format!(
                "，{}",
                zh::versus(x.rate - m, "个百分点", "同类单位中位数")
            ));
            if let (Some(a), Some(b)) = (x.peer_p25, x.peer_p75) {
                let inside = x.rate >= a - 1e-9 && x.rate <= b + 1e-9;
                s.push_str(&format!(
                    "，在同类单位的四分位区间（{} 至 {}）{}",
                    zh::percent(a),
                    zh::percent(b),
                    if inside { "之内" } else { "之外" }
                ));
            }
        }
        if x.rate < 80.0 {
            s.push_str("，低于 80%");
        }
        s.push('。');
        out.push(s);
    }
    if let Some(year) = exec
        .iter()
        .filter(|x| x.scope == "project")
        .map(|x| x.year)
        .max()
    {
        let of: Vec<_> = exec
            .iter()
            .filter(|x| x.scope == "project" && x.year == year)
            .collect();
        let projects: BTreeSet<&str> = of.iter().map(|x| x.project.as_str()).collect();
        let below: BTreeSet<&str> = of
            .iter()
            .filter(|x| x.rate < 80.0)
            .map(|x| x.project.as_str())
            .collect();
        out.push(if below.is_empty() {
            format!(
                "{year} 年度有预算数据的 {} 个项目执行率都不低于 80%。",
                projects.len()
            )
        } else {
            format!(
                "{year} 年度 {} 个项目中有 {} 个执行率低于 80%。",
                projects.len(),
                below.len()
            )
        });
    }
    out
}

fn scores_table(c: &Ctx, id: &str, anchor: &str, dept: &[&DeptScore]) -> Table {
    let mut rows: Vec<(i32, usize, u8, Row)> = Vec::new();
    for d in dept {
        let peer = (d.peer_n > 1).then_some(d.peer_median);
        rows.push((
            d.year,
            ev_rank(&d.evaluator_type),
            0,
            Row {
                cells: vec![
                    Cell::text(d.year.to_string()),
                    Cell::text(zh::evaluator(&d.evaluator_type)),
                    Cell::text("部门整体"),
                    Cell {
                        text: d.evaluator.clone(),
                        wrap: true,
                        ..Cell::default()
                    },
                    Cell {
                        text: zh::num(d.score, 1),
                        bar: score_bar(d.score, peer),
                        ..Cell::default()
                    },
                    Cell::text(peer.map(|p| zh::num(p, 1)).unwrap_or("—".into())),
                    Cell::text(peer.map(|p| signed(d.score - p, "")).unwrap_or("—".into())),
                    Cell::text(match (d.rank, d.n_peers) {
                        (Some(r), Some(n)) => format!("{r} / {n}"),
                        _ => "—".into(),
                    }),
                    Cell::text(
                        d.rank_interval
                            .map(|(a, b)| format!("{a} 至 {b}"))
                            .unwrap_or("—".into()),
                    ),
                ],
                attrs: attrs(c, id, Some(d.year), &d.evaluator_type, "department"),
                flagged: peer.is_some_and(|p| d.score < p),
            },
        ));
    }
    let keys: BTreeSet<(i32, String)> = c
        .evals
        .iter()
        .filter(|e| e.unit_id == id && e.scope == "project")
        .map(|e| (e.year, e.evaluator_type.clone()))
        .collect();
    for (year, et) in keys {
        let means = c.project_means(year, &et);
        let Some((n, mean)) = means.get(id).copied() else {
            continue;
        };
        let peers = c.peers_of(id);
        let mut others: Vec<f64> = means
            .iter()
            .filter(|(u, _)| peers.contains(u))
            .map(|(_, v)| v.1)
            .collect();
        let peer = if others.len() > 1 {
            median(&mut others)
        } else {
            None
        };
        rows.push((
            year,
            ev_rank(&et),
            1,
            Row {
                cells: vec![
                    Cell::text(year.to_string()),
                    Cell::text(zh::evaluator(&et)),
                    Cell::text(format!("项目（{n} 个，平均）")),
                    Cell::text(""),
                    Cell {
                        text: zh::num(mean, 1),
                        bar: score_bar(mean, peer),
                        ..Cell::default()
                    },
                    Cell::text(peer.map(|p| zh::num(p, 1)).unwrap_or("—".into())),
                    Cell::text(peer.map(|p| signed(mean - p, "")).unwrap_or("—".into())),
                    Cell::text("—"),
                    Cell::text("—"),
                ],
                attrs: attrs(c, id, Some(year), &et, "project"),
                flagged: peer.is_some_and(|p| mean < p),
            },
        ));
    }
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)).then(a.1.cmp(&b.1)));
    let mut t = table(
        format!("{anchor}-scores"),
        "得分与同类单位",
        &[
            "年度",
            "评价主体",
            "范围",
            "评价机构",
            "得分（分）",
            "同类中位数（分）",
            "差值（分）",
            "名次 / 同类单位数",
            "可能名次",
        ],
        rows.into_iter().map(|r| r.3).collect(),
    );
    t.note = Some("可能名次：考虑评分测量误差后与本单位不能区分的名次范围。".into());
    t
}

fn execution_table(c: &Ctx, id: &str, anchor: &str, exec: &[&Exec]) -> Table {
    // Department rows, one per year and rate (self and independent share the budget).
    let mut seen = BTreeSet::new();
    let mut rows: Vec<(i32, u8, f64, Row)> = Vec::new();
    let mk = |x: &Exec, what: String| {
        let peer = x.peer_median.filter(|_| x.n_peers.unwrap_or(0) > 1);
        Row {
            cells: vec![
                Cell::text(x.year.to_string()),
                Cell {
                    text: what,
                    wrap: true,
                    ..Cell::default()
                },
                Cell {
                    text: zh::percent(x.rate),
                    bar: rate_bar(x.rate, peer),
                    ..Cell::default()
                },
                Cell::text(peer.map(zh::percent).unwrap_or("—".into())),
                Cell::text(match (x.peer_p25, x.peer_p75, peer) {
                    (Some(a), Some(b), Some(_)) => {
                        format!("{} 至 {}", zh::percent(a), zh::percent(b))
                    }
                    _ => "—".into(),
                }),
                Cell::text(peer.map(|p| signed(x.rate - p, "")).unwrap_or("—".into())),
            ],
            attrs: attrs(c, id, Some(x.year), &x.evaluator_type, &x.scope),
            flagged: x.rate < 80.0,
        }
    };
    for x in exec.iter().filter(|x| x.scope == "department") {
        if seen.insert((x.year, (x.rate * 1e4).round() as i64)) {
            rows.push((x.year, 0, x.rate, mk(x, "部门整体".into())));
        }
    }
    // Projects: the lowest rates of each year (a unit may have a hundred projects).
    const PROJECTS_SHOWN: usize = 5;
    let years: BTreeSet<i32> = exec
        .iter()
        .filter(|x| x.scope == "project")
        .map(|x| x.year)
        .collect();
    let mut hidden = 0;
    for y in years {
        let mut of: Vec<&&Exec> = exec
            .iter()
            .filter(|x| x.scope == "project" && x.year == y)
            .collect();
        of.sort_by(|a, b| a.rate.total_cmp(&b.rate));
        let mut seen = BTreeSet::new();
        of.retain(|x| seen.insert(x.project.clone()));
        hidden += of.len().saturating_sub(PROJECTS_SHOWN);
        for x in of.into_iter().take(PROJECTS_SHOWN) {
            let name = if x.project.is_empty() {
                "项目".to_string()
            } else {
                format!("项目：{}", x.project)
            };
            rows.push((y, 1, x.rate, mk(x, name)));
        }
    }
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.total_cmp(&b.2)));
    let mut t = table(
        format!("{anchor}-execution"),
        "预算执行与同类单位",
        &[
            "年度",
            "范围",
            "预算执行率",
            "同类中位数",
            "同类四分位区间",
            "差值（百分点）",
        ],
        rows.into_iter().map(|r| r.3).collect(),
    );
    if hidden > 0 {
        t.note = Some(format!(
            "项目每年只列执行率最低的 {PROJECTS_SHOWN} 个，另有 {hidden} 个项目未列出（见 execution.csv）。"
        ));
    }
    t
}

fn level1_table(c: &Ctx, id: &str, anchor: &str) -> Table {
    let l = &c.t.rankings_level1;
    // eval_id → peer group, from rankings.
    let group: BTreeMap<&str, &str> = c
        .dept
        .iter()
        .map(|d| (d.eval_id.as_str(), d.peer_group.as_str()))
        .collect();
    struct R {
        unit: String,
        eval: String,
        year: i32,
        et: String,
        level1: String,
        rate: Option<f64>,
    }
    let all: Vec<R> = (0..l.height())
        .filter_map(|i| {
            Some(R {
                unit: s(l, "unit_id", i),
                eval: s(l, "eval_id", i),
                year: f(l, "fiscal_year", i)? as i32,
                et: s(l, "evaluator_type", i),
                level1: s(l, "level1", i),
                rate: f(l, "score_rate", i),
            })
        })
        .collect();
    let mine: Vec<&R> = all.iter().filter(|r| r.unit == id).collect();
    // The latest year of each evaluator type.
    let mut latest: BTreeMap<&str, i32> = BTreeMap::new();
    for r in &mine {
        let y = latest.entry(r.et.as_str()).or_insert(r.year);
        *y = (*y).max(r.year);
    }
    let mut rows = Vec::new();
    let mut mine_sorted: Vec<&&R> = mine
        .iter()
        .filter(|r| latest.get(r.et.as_str()) == Some(&r.year))
        .collect();
    mine_sorted.sort_by(|a, b| {
        ev_rank(&a.et)
            .cmp(&ev_rank(&b.et))
            .then(a.level1.cmp(&b.level1))
    });
    for r in mine_sorted {
        let g = group.get(r.eval.as_str()).copied().unwrap_or("");
        let mut peers: Vec<f64> = all
            .iter()
            .filter(|o| {
                o.year == r.year
                    && o.et == r.et
                    && o.level1 == r.level1
                    && group.get(o.eval.as_str()).copied().unwrap_or("") == g
            })
            .filter_map(|o| o.rate)
            .collect();
        let n_peers = peers.len();
        let peer = if n_peers > 1 {
            median(&mut peers)
        } else {
            None
        };
        let rate = r.rate.map(|x| x * 100.0);
        let peer = peer.map(|x| x * 100.0);
        rows.push(Row {
            cells: vec![
                Cell::text(&r.level1),
                Cell::text(r.year.to_string()),
                Cell::text(zh::evaluator(&r.et)),
                match rate {
                    Some(v) => Cell {
                        text: zh::percent(v),
                        bar: Some(Bar::new(v.clamp(2.0, 100.0), peer.is_some_and(|p| v < p))),
                        ..Cell::default()
                    },
                    None => Cell::text("空白"),
                },
                Cell::text(peer.map(zh::percent).unwrap_or("—".into())),
                Cell::text(match (rate, peer) {
                    (Some(v), Some(p)) => signed(v - p, ""),
                    _ => "—".into(),
                }),
            ],
            attrs: attrs(c, id, Some(r.year), &r.et, "department"),
            flagged: matches!((rate, peer), (Some(v), Some(p)) if v < p - 5.0),
        });
    }
    let mut t = table(
        format!("{anchor}-level1"),
        "一级指标得分率",
        &[
            "一级指标",
            "年度",
            "评价主体",
            "本单位得分率",
            "同类中位数",
            "差值（百分点）",
        ],
        rows,
    );
    t.note = Some(
        "部门整体评价，各评价主体最近一个年度；得分率 = 该一级指标下各指标得分之和 ÷ 分值之和。"
            .into(),
    );
    t
}

fn gap_table(c: &Ctx, id: &str, anchor: &str, summary: &mut Vec<String>) -> Table {
    let p = &c.t.inflation;
    // (year, scope, reference type) → (n, self sum, reference sum)
    let mut g: BTreeMap<(i32, String, String), (usize, f64, f64)> = BTreeMap::new();
    for i in 0..p.height() {
        if s(p, "unit_id", i) != id {
            continue;
        }
        let (Some(y), Some(gap), Some(r)) = (
            f(p, "fiscal_year", i),
            f(p, "gap_100", i),
            f(p, "reference_score", i),
        ) else {
            continue;
        };
        let e = g
            .entry((y as i32, s(p, "scope", i), s(p, "reference_type", i)))
            .or_insert((0, 0.0, 0.0));
        e.0 += 1;
        e.1 += r + gap;
        e.2 += r;
    }
    let cols = [
        "年度",
        "范围",
        "对照",
        "配对数",
        "自评平均（分）",
        "对照平均（分）",
        "自评高出（分）",
    ];
    if !g.is_empty() {
        let (n, gaps): (usize, f64) = g
            .values()
            .fold((0, 0.0), |a, v| (a.0 + v.0, a.1 + (v.1 - v.2)));
        let years: Vec<i32> = g.keys().map(|k| k.0).collect();
        summary.push(format!(
            "与同一对象的独立评价相比，自评平均{} {} 分（{} {} 对）。",
            if gaps >= 0.0 { "高" } else { "低" },
            zh::num((gaps / n as f64).abs(), 1),
            zh::years(&years),
            n
        ));
        let mut rows: Vec<Row> = g
            .iter()
            .rev()
            .map(|((y, scope, rt), (n, ss, rs))| {
                let (ms, mr) = (ss / *n as f64, rs / *n as f64);
                Row {
                    cells: vec![
                        Cell::text(y.to_string()),
                        Cell::text(zh::scope(scope)),
                        Cell::text(zh::evaluator(rt)),
                        Cell::text(n.to_string()),
                        Cell::text(zh::num(ms, 1)),
                        Cell::text(zh::num(mr, 1)),
                        Cell::text(signed(ms - mr, "")),
                    ],
                    attrs: attrs(c, id, Some(*y), "", scope),
                    flagged: ms - mr >= 5.0,
                }
            })
            .collect();
        rows.sort_by(|a, b| b.cells[0].text.cmp(&a.cells[0].text));
        let mut t = table(
            format!("{anchor}-gap"),
            "自评与独立评价（同一对象逐项配对）",
            &cols,
            rows,
        );
        t.note = Some("配对：同一单位、年度、范围和项目既有自评又有独立评价。".into());
        return t;
    }
    let di = &c.t.inflation_distribution;
    let rows: Vec<Row> = (0..di.height())
        .filter(|&i| s(di, "unit_id", i) == id && f(di, "mean_difference", i).is_some())
        .map(|i| {
            let y = f(di, "fiscal_year", i).map(|y| y as i32);
            Row {
                cells: vec![
                    Cell::text(y.map(|y| y.to_string()).unwrap_or_default()),
                    Cell::text(zh::scope(&s(di, "scope", i))),
                    Cell::text(format!(
                        "独立评价 {} 个（分布比较）",
                        s(di, "n_independent", i)
                    )),
                    Cell::text(format!("自评 {} 个", s(di, "n_self", i))),
                    Cell::text(zh::num(f(di, "mean_self", i).unwrap_or(f64::NAN), 1)),
                    Cell::text(zh::num(f(di, "mean_independent", i).unwrap_or(f64::NAN), 1)),
                    Cell::text(signed(f(di, "mean_difference", i).unwrap_or(f64::NAN), "")),
                ],
                attrs: attrs(c, id, y, "", &s(di, "scope", i)),
                flagged: false,
            }
        })
        .collect();
    if let Some(r) = rows.first() {
        summary.push(format!(
            "没有可逐项配对的独立评价；{} 年度{}自评平均 {} 分，同年同范围独立评价平均 {} 分（分布比较，不证明某个项目被高估）。",
            r.cells[0].text, r.cells[1].text, r.cells[4].text, r.cells[5].text
        ));
    }
    let mut t = table(
        format!("{anchor}-gap"),
        "自评与独立评价（分布比较）",
        &cols,
        rows,
    );
    t.note = Some(
        "没有同一对象的配对时，比较同一单位、年度和范围的自评与独立评价的分布；这只说明分布差异。"
            .into(),
    );
    t
}

fn causes_table(c: &Ctx, id: &str, anchor: &str, summary: &mut Vec<String>) -> Table {
    let d = &c.t.deductions_detail;
    let rows_of: Vec<usize> = (0..d.height())
        .filter(|&i| s(d, "unit_id", i) == id)
        .collect();
    let year = rows_of
        .iter()
        .filter_map(|&i| f(d, "fiscal_year", i))
        .map(|y| y as i32)
        .max();
    struct G {
        n: usize,
        points: f64,
        reasons: Vec<(f64, String)>,
    }
    // (evaluator type, scope) → cause → G
    let mut g: BTreeMap<(usize, String, String), BTreeMap<String, G>> = BTreeMap::new();
    for &i in &rows_of {
        if f(d, "fiscal_year", i).map(|y| y as i32) != year {
            continue;
        }
        let et = s(d, "evaluator_type", i);
        let e = g
            .entry((ev_rank(&et), et, s(d, "scope", i)))
            .or_default()
            .entry(s(d, "cause", i))
            .or_insert(G {
                n: 0,
                points: 0.0,
                reasons: vec![],
            });
        let p = f(d, "points_lost", i).unwrap_or(0.0);
        e.n += 1;
        e.points += p;
        let reason = s(d, "reason", i);
        if !reason.trim().is_empty() {
            e.reasons.push((p, reason));
        }
    }
    let mut rows = Vec::new();
    let mut lead: Option<(String, String, String, usize, f64)> = None;
    for ((_, et, scope), causes) in &g {
        let total: f64 = causes.values().map(|x| x.points).sum();
        let mut list: Vec<(&String, &G)> = causes.iter().collect();
        list.sort_by(|a, b| b.1.points.total_cmp(&a.1.points).then(a.0.cmp(b.0)));
        for (k, (cause, x)) in list.into_iter().take(3).enumerate() {
            // The summary names one cause: independent evaluators' before self's, then the
            // most points.
            let better = |l: &(String, String, String, usize, f64)| {
                ((et != "self"), x.points) > ((l.0 != "self"), l.4)
            };
            if k == 0 && lead.as_ref().is_none_or(better) {
                lead = Some((et.clone(), scope.clone(), cause.clone(), x.n, x.points));
            }
            let mut reasons = x.reasons.clone();
            reasons.sort_by(|a, b| b.0.total_cmp(&a.0));
            let mut seen = BTreeSet::new();
            let written: Vec<String> = reasons
                .into_iter()
                .filter(|r| seen.insert(r.1.clone()))
                .take(2)
                .map(|r| format!("“{}”", zh::clip(&r.1, 60)))
                .collect();
            rows.push(Row {
                cells: vec![
                    Cell::text(zh::evaluator(et)),
                    Cell::text(zh::scope(scope)),
                    Cell::text(cause.clone()),
                    Cell::text(x.n.to_string()),
                    Cell::text(zh::num(x.points, 2)),
                    Cell::text(if total > 0.0 {
                        format!("{}%", zh::num(x.points / total * 100.0, 0))
                    } else {
                        "—".into()
                    }),
                    Cell {
                        text: if written.is_empty() {
                            "（未写明理由）".into()
                        } else {
                            written.join("；")
                        },
                        wrap: true,
                        ..Cell::default()
                    },
                ],
                attrs: attrs(c, id, year, et, scope),
                flagged: false,
            });
        }
    }
    if let (Some(y), Some((et, scope, cause, n, p))) = (year, &lead) {
        summary.push(format!(
            "{y} 年度{}的{}评价中扣分最多的原因是“{cause}”（{n} 处，共扣 {}）。",
            zh::evaluator(et),
            zh::scope(scope),
            zh::points(*p)
        ));
    }
    let mut t = table(
        format!("{anchor}-causes"),
        &match year {
            Some(y) => format!("主要扣分原因（{y} 年度）"),
            None => "主要扣分原因".to_string(),
        },
        &[
            "评价主体",
            "范围",
            "原因",
            "扣分处数",
            "扣分（分）",
            "占比",
            "报告原文理由",
        ],
        rows,
    );
    t.note = Some("每个评价主体与范围列扣分最多的三类原因；占比为占该评价主体该范围全部扣分的比例；理由照录报告原文。".into());
    t
}

fn review_table(c: &Ctx, id: &str, anchor: &str, summary: &mut Vec<String>) -> Table {
    let mut rows = Vec::new();
    if let Some(r) = c.review {
        let mine: Vec<_> = r
            .rows
            .iter()
            .filter(|x| x.unit_id == id && x.risk_score > rust_decimal::Decimal::ZERO)
            .collect();
        if let Some(first) = mine.first() {
            summary.push(format!(
                "自评抽查复核清单中该单位有 {} 次自评值得复核，最靠前的排第 {} 位。",
                mine.len(),
                first.rank
            ));
        }
        for x in mine.iter().take(8) {
            let labels: Vec<&str> = x
                .hits
                .iter()
                .map(|h| r.weights.get(h.reason).label.as_str())
                .collect();
            rows.push(Row {
                cells: vec![
                    Cell::text(x.rank.to_string()),
                    Cell::text(x.fiscal_year.map(|y| y.to_string()).unwrap_or_default()),
                    Cell {
                        text: x
                            .project_name
                            .clone()
                            .unwrap_or_else(|| "部门整体支出".into()),
                        wrap: true,
                        ..Cell::default()
                    },
                    Cell::text(x.total_score.map(fmt).unwrap_or_else(|| "空白".into())),
                    Cell::text(fmt(x.risk_score)),
                    Cell {
                        text: zh::list(&labels),
                        wrap: true,
                        ..Cell::default()
                    },
                    Cell {
                        text: x
                            .hits
                            .iter()
                            .map(|h| h.evidence.as_str())
                            .collect::<Vec<_>>()
                            .join("\n"),
                        wrap: true,
                        ..Cell::default()
                    },
                ],
                attrs: attrs(c, id, x.fiscal_year, &x.evaluator_type, &x.scope),
                flagged: x.stratum.is_some(),
            });
        }
    }
    let mut t = table(
        format!("{anchor}-review"),
        "自评抽查复核的原因",
        &[
            "优先序",
            "年度",
            "项目",
            "自评得分",
            "风险分",
            "原因",
            "依据（报告原文位置）",
        ],
        rows,
    );
    t.note = Some("来自自评抽查复核清单（review.csv）；加粗的已抽入样本。原因是值得复核的理由，不是评分有误的结论。".into());
    t
}
