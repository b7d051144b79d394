//! Values the command line reads, parsed by clap: a typo is a usage error (exit 2) before anything is
//! opened, like every other usage error, and `--help` and the shell completions list the values.
//!
//! The domain enums keep their own `FromStr` (case-insensitive, with aliases such as `nfr`), which the
//! parsers here use; they only add the list of values for help and completion.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser, ValueParserFactory};

use crate::analysis::lint::Severity;
use crate::domain::*;

/// A value read by `parse` whose valid spellings are `names`.
#[derive(Clone)]
pub struct Listed<T> {
    names: Vec<&'static str>,
    parse: fn(&str) -> Result<T, ValidationError>,
}

impl<T: Clone + Send + Sync + 'static> TypedValueParser for Listed<T> {
    type Value = T;

    fn parse_ref(&self, cmd: &clap::Command, arg: Option<&clap::Arg>, value: &OsStr) -> Result<T, clap::Error> {
        let parse = self.parse;
        // clap's own wrapper gives the usual "invalid value 'x' for '--kind <KIND>': ..." and exit 2.
        StringValueParser::new().try_map(move |s| parse(&s)).parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.names.iter().map(|n| PossibleValue::new(*n))))
    }
}

macro_rules! listed {
    ($($t:ty),+ $(,)?) => {$(
        impl ValueParserFactory for $t {
            type Parser = Listed<$t>;
            fn value_parser() -> Listed<$t> {
                Listed { names: <$t>::ALL.iter().map(|v| v.as_str()).collect(), parse: |s| s.parse() }
            }
        }
    )+};
}

listed!(Kind, Priority, Status, Activity, Channel, Metric, InterviewMode);

impl ValueParserFactory for Severity {
    type Parser = Listed<Severity>;
    fn value_parser() -> Listed<Severity> {
        Listed {
            names: [Severity::Info, Severity::Warning, Severity::Error].iter().map(|s| s.as_str()).collect(),
            parse: |s| s.parse().map_err(ValidationError::new),
        }
    }
}

/// A touchpoint, or `none` to clear it (`edit --channel none`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelOrNone(pub Option<Channel>);

impl ValueParserFactory for ChannelOrNone {
    type Parser = Listed<ChannelOrNone>;
    fn value_parser() -> Listed<ChannelOrNone> {
        let mut names: Vec<&'static str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
        names.push("none");
        Listed {
            names,
            parse: |s| match s.trim() {
                t if t.is_empty() || t.eq_ignore_ascii_case("none") => Ok(ChannelOrNone(None)),
                t => t.parse().map(|c| ChannelOrNone(Some(c))),
            },
        }
    }
}

/// A typed duration (`90m`, `1h30m`, `2.5h`, `1:30`).
pub fn duration(text: &str) -> Result<jiff::SignedDuration, ValidationError> {
    parse_duration(text)
}

/// A typed date or date and time, checked here and kept as typed: it is read in the display zone, which
/// is known only once the whole command line (`--utc`) has been parsed.
pub fn moment(text: &str) -> Result<String, ValidationError> {
    parse_moment(text).map(|_| text.to_owned())
}

/// As [`moment`], for an exact instant: a bare date would silently pick an hour.
pub fn exact_moment(text: &str) -> Result<String, ValidationError> {
    match parse_moment(text)? {
        Moment::At(_) => Ok(text.to_owned()),
        Moment::Day(d) => Err(ValidationError::new(format!("{text:?} needs a time of day too, e.g. \"{d} 09:00\""))),
    }
}
