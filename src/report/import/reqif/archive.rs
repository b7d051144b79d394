//! `.reqifz`: the zip archive most tools exchange ReqIF in. Every `.reqif` inside is read in turn, each
//! unpacked only while it is read, with a ceiling on what one may unpack to; other files (attachments such
//! as the images an XHTML value shows) are named in the summary.

use std::io::Read;

use super::Documents;
use super::listing::Listing;
use crate::report::ReportError;
use crate::report::import::model::{file_problem, utf8};

/// The most one `.reqif` inside a `.reqifz` may unpack to: far above real files, far below a zip bomb.
const MAX_UNPACKED: u64 = 1 << 30;

/// Every `.reqif` in a `.reqifz` named `file`, one after the other (each unpacked only while it is read),
/// each read with `read_one(text, label)`, where the label names the member inside the archive.
pub(super) fn read(
    bytes: &[u8],
    file: &str,
    mut read_one: impl FnMut(&str, &str) -> Result<Documents, ReportError>,
) -> Result<Documents, ReportError> {
    let unreadable =
        |e: zip::result::ZipError| file_problem(file, "reqifz", format!("not a readable .reqifz (zip) archive: {e}"));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let is_reqif = |name: &str| name.to_lowercase().ends_with(".reqif");
    let several = archive.file_names().filter(|n| n.as_ref().is_ok_and(|n| is_reqif(n))).count() > 1;
    let mut all = Documents::default();
    let mut read = 0;
    let mut others = Listing::default();
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(unreadable)?;
        let name = entry.name().map_err(unreadable)?.into_owned();
        if !entry.is_file() {
            continue;
        }
        if !is_reqif(&name) {
            // Attachments are worth a word; macOS's resource forks and folder files are not.
            let junk = name.starts_with("__MACOSX/") || name.rsplit('/').next().is_some_and(|n| n.starts_with('.'));
            if !junk {
                others.push(name);
            }
            continue;
        }
        let mut text = Vec::new();
        entry
            .take(MAX_UNPACKED + 1)
            .read_to_end(&mut text)
            .map_err(|e| file_problem(file, "reqifz", format!("cannot unpack {name} from the archive: {e}")))?;
        if text.len() as u64 > MAX_UNPACKED {
            return Err(file_problem(
                file,
                "reqifz",
                format!(
                    "{name} unpacks to more than {} MiB; elicit reads ReqIF files up to that size",
                    MAX_UNPACKED >> 20
                ),
            ));
        }
        let label = format!("{file}/{name}");
        let mut parsed = read_one(utf8(&text, &label)?, &label)?;
        read += 1;
        all.rows.append(&mut parsed.rows);
        all.problems.append(&mut parsed.problems);
        all.stage_descriptions.append(&mut parsed.stage_descriptions);
        all.notes.extend(parsed.notes.into_iter().map(|n| if several { format!("{name}: {n}") } else { n }));
    }
    if read == 0 {
        let held = if others.is_empty() { "nothing".to_owned() } else { others.to_string() };
        return Err(file_problem(file, "reqifz", format!("the archive holds no .reqif file (it holds {held})")));
    }
    if !others.is_empty() {
        all.notes.push(format!("files in the archive that are not ReqIF, not read: {others}"));
    }
    Ok(all)
}
