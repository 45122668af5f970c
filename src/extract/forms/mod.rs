//! Form recognisers: what a document's lines mean. One recogniser per form family, all reading
//! the document's text layer and the label vocabulary (`labels`, data):
//!
//! - `selfeval`: the 项目支出绩效自评表 and 部门整体支出绩效自评表 family, by their labels, in any
//!   layout (table rows, one cell per line, glued onto one line);
//! - `table`: scored indicator tables (指标体系 with 一级…四级指标, 分值, 得分), read by their
//!   numbers where cells drift;
//! - `prose`: scores written in a report's prose under numbered headings stating points
//!   (`(2)项目预算规范性(3分)` … `自评得3分`), where no table holds them;
//! - `headline`: facts stated in a report's prose (the unit, the year, who scored, the total and
//!   grade, grade thresholds, the budget).

pub mod headline;
pub mod labels;
pub mod prose;
pub mod selfeval;
pub mod stream;
pub mod table;
