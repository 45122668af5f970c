//! The data contract of SCHEMA.md as code: table names, columns, their kinds and whether
//! they are required. Loader, validator, writers and the extractor all read these.

/// How a column is typed once loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    /// Exact decimal (money in 万元, scores, percentages), stored as polars Decimal(38, SCALE).
    Decimal,
}

/// Digits after the point kept exactly for every decimal column. Six places hold 元 amounts
/// with cents converted to 万元 (0.01 元 = 0.000001 万元) and any score a report prints.
pub const SCALE: usize = 6;
pub const PRECISION: usize = 38;

/// The polars type of every decimal column.
pub fn decimal_dtype() -> polars::prelude::DataType {
    polars::prelude::DataType::Decimal(PRECISION, SCALE)
}

#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
}

const fn c(name: &'static str, kind: Kind, required: bool) -> ColumnSpec {
    ColumnSpec {
        name,
        kind,
        required,
    }
}

#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    pub name: &'static str,
    pub key: &'static [&'static str],
    pub columns: &'static [ColumnSpec],
}

pub const UNITS: TableSpec = TableSpec {
    name: "units",
    key: &["unit_id"],
    columns: &[
        c("unit_id", Kind::Text, true),
        c("unit_name", Kind::Text, true),
        c("short_name", Kind::Text, false),
        c("province", Kind::Text, false),
        c("city", Kind::Text, false),
        c("district", Kind::Text, false),
        c("unit_type", Kind::Text, false),
    ],
};

pub const EVALUATIONS: TableSpec = TableSpec {
    name: "evaluations",
    key: &["eval_id"],
    columns: &[
        c("eval_id", Kind::Text, true),
        c("unit_id", Kind::Text, true),
        c("fiscal_year", Kind::Integer, true),
        c("scope", Kind::Text, true),
        c("project_name", Kind::Text, false),
        c("evaluator_type", Kind::Text, true),
        c("evaluator", Kind::Text, false),
        c("max_score", Kind::Decimal, true),
        c("total_score", Kind::Decimal, false),
        c("grade", Kind::Text, false),
        c("budget_initial", Kind::Decimal, false),
        c("budget_full_year", Kind::Decimal, false),
        c("executed", Kind::Decimal, false),
        c("execution_rate_stated", Kind::Decimal, false),
        c("source", Kind::Text, false),
    ],
};

pub const INDICATORS: TableSpec = TableSpec {
    name: "indicators",
    key: &[],
    columns: &[
        c("eval_id", Kind::Text, true),
        c("level1", Kind::Text, true),
        c("level2", Kind::Text, false),
        c("level3", Kind::Text, false),
        c("level4", Kind::Text, false),
        c("max_points", Kind::Decimal, true),
        c("score", Kind::Decimal, false),
        c("target_value", Kind::Text, false),
        c("actual_value", Kind::Text, false),
        c("reason", Kind::Text, false),
        c("source", Kind::Text, false),
    ],
};

pub const TABLES: [TableSpec; 3] = [UNITS, EVALUATIONS, INDICATORS];

impl TableSpec {
    /// The contract's column names in order (the header every writer uses).
    pub fn names(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.name).collect()
    }
}

/// Values allowed in the enumerated columns.
pub const SCOPES: &[&str] = &["department", "project"];
pub const EVALUATOR_TYPES: &[&str] = &["self", "third_party", "expert_panel", "finance_bureau"];

/// Name of the hidden column that carries each record's row number in its file
/// (header = row 1, first record = row 2), so findings can point at it.
pub const ROW: &str = "__row";
