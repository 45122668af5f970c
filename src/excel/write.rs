//! Workbooks people open in Excel: a sheet per table, Chinese headers in row 1 with the
//! contract names in row 2, number formats for percentages and money, frozen headers and an
//! auto-filter; a 说明 (legend) sheet lists every column.

use std::path::Path;

use polars::prelude::*;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::headers::{chinese, number_format};
use crate::dataset::decimal::{cell_f64, cell_text};
use crate::dataset::write::write_atomic;
use crate::error::{JxError, Result};

fn xerr(e: rust_xlsxwriter::XlsxError) -> JxError {
    JxError::internal(format!("xlsx: {e}"))
}

fn is_numeric(dt: &DataType) -> bool {
    dt.is_primitive_numeric() || matches!(dt, DataType::Decimal(_, _))
}

/// Sheet names are at most 31 characters and may not contain []:*?/\.
fn sheet_name(name: &str) -> String {
    name.chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

fn write_sheet(ws: &mut Worksheet, name: &str, df: &DataFrame) -> Result<()> {
    ws.set_name(sheet_name(name)).map_err(xerr)?;
    let bold = Format::new().set_bold().set_background_color(0xDDE7F3);
    let small = Format::new().set_italic().set_font_color(0x808080);
    let cols = df.columns();
    for (j, c) in cols.iter().enumerate() {
        let n = c.name().as_str();
        ws.write_string_with_format(0, j as u16, chinese(n), &bold)
            .map_err(xerr)?;
        ws.write_string_with_format(1, j as u16, n, &small)
            .map_err(xerr)?;
        ws.set_column_width(
            j as u16,
            (chinese(n).chars().count() as f64 * 2.2).clamp(8.0, 40.0),
        )
        .map_err(xerr)?;
    }
    let formats: Vec<Option<Format>> = cols
        .iter()
        .map(|c| number_format(c.name()).map(|f| Format::new().set_num_format(f)))
        .collect();
    for i in 0..df.height() {
        let r = (i + 2) as u32;
        for (j, c) in cols.iter().enumerate() {
            let n = c.name().as_str();
            if is_numeric(c.dtype()) {
                // Shares are fractions in the tables, as Excel's percent format expects.
                let Some(v) = cell_f64(df, n, i) else {
                    continue;
                };
                match &formats[j] {
                    Some(f) => ws
                        .write_number_with_format(r, j as u16, v, f)
                        .map_err(xerr)?,
                    None => ws.write_number(r, j as u16, v).map_err(xerr)?,
                };
            } else {
                let t = cell_text(df, n, i);
                if !t.is_empty() {
                    ws.write_string(r, j as u16, t).map_err(xerr)?;
                }
            }
        }
    }
    ws.set_freeze_panes(2, 0).map_err(xerr)?;
    if !cols.is_empty() {
        ws.autofilter(1, 0, (df.height() + 1) as u32, (cols.len() - 1) as u16)
            .map_err(xerr)?;
    }
    Ok(())
}

/// A workbook with one sheet per (name, table) and a 说明 legend sheet; written atomically.
pub fn write_workbook(path: &Path, tables: &[(&str, &DataFrame)]) -> Result<()> {
    let mut wb = Workbook::new();
    for (name, df) in tables {
        let df = df
            .drop(crate::dataset::schema::ROW)
            .unwrap_or_else(|_| (*df).clone());
        write_sheet(wb.add_worksheet(), name, &df)?;
    }
    let legend = wb.add_worksheet();
    legend.set_name("说明").map_err(xerr)?;
    let bold = Format::new().set_bold();
    for (j, h) in ["表 (sheet)", "列名 (column)", "中文"].iter().enumerate() {
        legend
            .write_string_with_format(0, j as u16, *h, &bold)
            .map_err(xerr)?;
    }
    let mut r = 1;
    for (name, df) in tables {
        for c in df
            .columns()
            .iter()
            .filter(|c| c.name().as_str() != crate::dataset::schema::ROW)
        {
            legend.write_string(r, 0, *name).map_err(xerr)?;
            legend.write_string(r, 1, c.name().as_str()).map_err(xerr)?;
            legend.write_string(r, 2, chinese(c.name())).map_err(xerr)?;
            r += 1;
        }
    }
    legend.set_column_width(0, 22).map_err(xerr)?;
    legend.set_column_width(1, 24).map_err(xerr)?;
    legend.set_column_width(2, 24).map_err(xerr)?;
    let bytes = wb.save_to_buffer().map_err(xerr)?;
    write_atomic(path, &bytes)
}
