//! Names counted, of which only the first few are shown: the import summary's notes list a few
//! identifiers (or archive members) without holding them all.

/// How many names (or values) a note lists before "and N more".
pub(super) const LISTED: usize = 5;

/// Names counted, of which the first few are kept to show: a note lists a few without holding them all.
#[derive(Debug, Default)]
pub(super) struct Listing {
    count: usize,
    first: Vec<String>,
}

impl Listing {
    pub(super) fn push(&mut self, item: impl Into<String>) {
        self.count += 1;
        if self.first.len() < LISTED {
            self.first.push(item.into());
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub(super) fn len(&self) -> usize {
        self.count
    }
}

/// The first few names, then how many more.
impl std::fmt::Display for Listing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.first.join(", "))?;
        if self.count > self.first.len() {
            write!(f, " and {} more", self.count - self.first.len())?;
        }
        Ok(())
    }
}
