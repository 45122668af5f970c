//! `jixiao sql`: the benchmark queries as SQL for a distributed engine.

use std::path::PathBuf;

use crate::error::Result;

pub const TEMPLATE: &str = include_str!("../../sql/benchmarks.sql");

/// Print the benchmark queries as SQL for Spark, Trino or DuckDB.
///
/// Print the benchmarks as SQL (Spark SQL) over tables units, evaluations and indicators,
/// with the deduction-cause rules in force written out as a CASE expression.
///
/// For datasets too large for one machine: write them as hive-partitioned Parquet
/// (`--format parquet --partition-by province,fiscal_year`) and run this SQL on Spark, Trino
/// or DuckDB. scripts/spark_check.sh runs it on Spark in local mode and compares with bench.
#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  jixiao sql --print > benchmarks.sql")]
pub struct Args {
    /// Print the SQL on stdout (the default; kept for scripts that spell it out)
    #[arg(long)]
    pub print: bool,
    /// Deduction cause rules replacing the built-in table
    #[arg(long)]
    pub causes: Option<PathBuf>,
}

/// The SQL text with the cause CASE filled in.
pub fn sql(rules: &crate::bench::causes::CauseRules) -> String {
    let reason = "COALESCE(i.reason, '')";
    let names = "concat_ws(' ', COALESCE(i.level1, ''), COALESCE(i.level2, ''), COALESCE(i.level3, ''), COALESCE(i.level4, ''))";
    TEMPLATE.replace("{{CAUSE_CASE}}", &rules.sql_case(reason, names))
}

pub fn run(a: Args) -> Result<()> {
    let opts = crate::engine::options::bench_options(a.causes.as_deref(), None)?;
    super::print_out(sql(&opts.causes))
}
