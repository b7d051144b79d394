//! Pure computations over domain values: the requirements share of project time, coverage gaps, sign-off per
//! stakeholder and the requirement quality lint.
//!
//! No I/O and no SQL: the dashboard, the report and `lint` call the same functions on the same values, so a
//! number is computed once and means the same everywhere.

pub mod coverage;
pub mod lint;
pub mod share;
pub mod signoff;

pub use coverage::*;
pub use share::*;
pub use signoff::*;
