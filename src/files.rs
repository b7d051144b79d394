//! Writing the files a user names (exports, backups) without ever destroying what is there.
//!
//! A regular file is replaced only once its new content is complete: the content goes to a temporary file
//! in the same folder (so the final rename cannot cross file systems), which is synced and then renamed over
//! the target. Anything else that exists at the path (`/dev/null`, `/dev/stdout`, a named pipe) is written
//! to directly, never replaced. The open database and its companion files are refused outright, however
//! the path is spelled.
//!
//! Temporary files hold an exclusive lock while they are written, so a later write to the same folder can
//! tell the leftovers of a killed process (unlocked) from a write in progress (locked) and remove only those.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Part of every temporary file name this module makes: `.NAME.elicit-tmp-XXXXXX`.
const TMP_MARK: &str = ".elicit-tmp-";

/// The companion files SQLite keeps beside a database.
const COMPANIONS: [&str; 3] = ["-wal", "-shm", "-journal"];

/// How a newly created file may be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Privacy {
    /// Owner only (0600): backups and exports hold people's names, contacts and words.
    Private,
}

/// Refuses `target` when it is `database` or one of its companion files (`-wal`, `-shm`, `-journal`),
/// comparing the files themselves (device and inode) where they exist and canonical paths where not.
pub fn refuse_database(target: &Path, database: Option<&Path>) -> io::Result<()> {
    let Some(db) = database else { return Ok(()) };
    // SQLite keeps -wal and -shm beside the file a symlinked path leads to.
    let real = std::fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf());
    let db = real.as_path();
    let mut protected = vec![db.to_path_buf()];
    protected.extend(COMPANIONS.iter().map(|suffix| with_suffix(db, suffix)));
    let target_id = file_id(target);
    let target_path = canonical_lenient(target);
    for p in &protected {
        let same_file = target_id.is_some() && target_id == file_id(p);
        if same_file || (target_path.is_some() && target_path == canonical_lenient(p)) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{} is the database elicit has open{}; write to another file",
                    target.display(),
                    if p.as_path() == db { String::new() } else { format!(" (its {} file)", suffix_of(db, p)) }
                ),
            ));
        }
    }
    Ok(())
}

/// Writes `target` through `write`: a regular (or missing) file is replaced atomically once `write` has
/// succeeded, keeping an existing file's permissions (a new one gets `privacy`); anything else that exists
/// there, such as a device, is written to directly. Errors name the file. On failure a regular target is
/// left exactly as it was.
pub fn write_replacing<E: From<io::Error>>(
    target: &Path,
    privacy: Privacy,
    write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), E> {
    let named = |what: &str, path: &Path, e: io::Error| {
        io::Error::new(e.kind(), format!("cannot {what} {}: {e}", path.display()))
    };
    match std::fs::metadata(target) {
        Ok(meta) if meta.is_dir() => {
            return Err(E::from(io::Error::new(
                io::ErrorKind::IsADirectory,
                format!("{} is a folder; give a file name", target.display()),
            )));
        }
        Ok(meta) if !meta.is_file() => {
            // A device or a pipe: replacing it with a regular file would break it for everyone.
            let file = OpenOptions::new().write(true).open(target).map_err(|e| named("open", target, e))?;
            let mut out = Named { inner: BufWriter::new(file), path: target };
            write(&mut out)?;
            return Ok(out.flush()?);
        }
        _ => {}
    }
    replace_regular(target, privacy, |file, _| {
        let mut out = Named { inner: BufWriter::new(file), path: target };
        write(&mut out)?;
        Ok(out.flush()?)
    })
}

/// A writer whose errors name the file, so "No space left on device" says which one.
struct Named<'p, W: Write> {
    inner: W,
    path: &'p Path,
}

impl<W: Write> Named<'_, W> {
    fn name(&self, e: io::Error) -> io::Error {
        io::Error::new(e.kind(), format!("cannot write {}: {e}", self.path.display()))
    }
}

impl<W: Write> Write for Named<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf).map_err(|e| self.name(e))
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.inner.write_all(buf).map_err(|e| self.name(e))
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush().map_err(|e| self.name(e))
    }
}

/// As [`write_replacing`] for a regular file only, handing `fill` the temporary file and its path (for
/// writers that open the path themselves, such as SQLite's backup).
pub fn replace_regular<E: From<io::Error>>(
    target: &Path,
    privacy: Privacy,
    fill: impl FnOnce(&File, &Path) -> Result<(), E>,
) -> Result<(), E> {
    let named = |what: &str, path: &Path, e: io::Error| {
        io::Error::new(e.kind(), format!("cannot {what} {}: {e}", path.display()))
    };
    // Write through a symlink to the file it names, rather than replace the link with a file.
    let target = match std::fs::symlink_metadata(target) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(target).unwrap_or_else(|_| target.to_path_buf()),
        _ => target.to_path_buf(),
    };
    let existing = std::fs::metadata(&target).ok();
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        return Err(E::from(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} exists and is not a regular file; give a file name", target.display()),
        )));
    }
    let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "export".into());
    if !dir.is_dir() {
        return Err(E::from(io::Error::new(
            io::ErrorKind::NotFound,
            format!("cannot write {}: the folder {} does not exist", target.display(), dir.display()),
        )));
    }
    remove_stale_temporaries(dir);
    let tmp = locked_temporary(dir, &name).map_err(|e| {
        // tempfile's message names its random file; the user knows the folder.
        E::from(named("create a file in", dir, io::Error::from(e.kind())))
    })?;
    set_mode(tmp.as_file(), existing.as_ref(), privacy).map_err(|e| E::from(named("write", tmp.path(), e)))?;
    fill(tmp.as_file(), tmp.path())?;
    tmp.as_file().sync_all().map_err(|e| E::from(named("write", &target, e)))?;
    tmp.persist(&target).map_err(|e| E::from(named("write", &target, e.error)))?;
    Ok(())
}

/// A new temporary file beside the target, locked; if a cleaner removed it before the lock was taken,
/// another is made.
fn locked_temporary(dir: &Path, name: &str) -> io::Result<tempfile::NamedTempFile> {
    loop {
        let tmp = tempfile::Builder::new().prefix(&format!(".{name}{TMP_MARK}")).tempfile_in(dir)?;
        // Unix locks are advisory, so SQLite can still open a locked temporary by its path (a backup does);
        // elsewhere a lock would shut it out, and leftovers are not judged by lock there.
        #[cfg(unix)]
        tmp.as_file().lock()?;
        // Between creating the file and locking it, another process cleaning up could have taken it for a
        // leftover and removed it; then it is no longer the file at that path.
        if file_id(tmp.path()) == handle_id(tmp.as_file()) {
            return Ok(tmp);
        }
    }
}

/// Removes the temporary files that killed writers left in `dir`: ours by name, and unlocked. Where locks
/// are not advisory (not Unix) temporaries are not locked, so none can be told stale and none is removed.
pub fn remove_stale_temporaries(dir: &Path) {
    if cfg!(not(unix)) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // SQLite's own files beside a temporary (a backup's -journal) are not ours to judge by lock.
        let sqlite_companion = COMPANIONS.iter().any(|c| name.ends_with(c));
        if !name.starts_with('.') || !name.contains(TMP_MARK) || sqlite_companion {
            continue;
        }
        let path = entry.path();
        let Ok(file) = OpenOptions::new().read(true).open(&path) else { continue };
        if !file.metadata().is_ok_and(|m| m.is_file()) {
            continue;
        }
        // A writer still running holds the lock; a killed one's lock went with it (and SQLite's files
        // beside its temporary, skipped above, go with it).
        if file.try_lock().is_ok() {
            let _ = std::fs::remove_file(&path);
            for suffix in COMPANIONS {
                let _ = std::fs::remove_file(with_suffix(&path, suffix));
            }
        }
    }
}

#[cfg(unix)]
fn set_mode(file: &File, existing: Option<&std::fs::Metadata>, privacy: Privacy) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = match (existing, privacy) {
        (Some(m), _) => m.permissions().mode() & 0o7777,
        (None, Privacy::Private) => 0o600,
    };
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(file: &File, existing: Option<&std::fs::Metadata>, _privacy: Privacy) -> io::Result<()> {
    match existing {
        Some(m) => file.set_permissions(m.permissions()),
        None => Ok(()),
    }
}

/// Makes `path` readable by its owner only (a no-op where permissions are not Unix modes).
pub fn make_private(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// `path` with `suffix` appended to its file name: `my.db` -> `my.db-wal`.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn suffix_of(db: &Path, companion: &Path) -> String {
    let db = db.as_os_str().to_string_lossy();
    companion.as_os_str().to_string_lossy().strip_prefix(db.as_ref()).unwrap_or_default().trim_start_matches('-').into()
}

/// The canonical path of `path`, also when the file itself does not exist yet (its folder must).
fn canonical_lenient(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = std::fs::canonicalize(path) {
        return Some(p);
    }
    let name = path.file_name()?;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Some(std::fs::canonicalize(dir).ok()?.join(name))
}

#[cfg(unix)]
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(unix)]
fn handle_id(file: &File) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    file.metadata().ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(_path: &Path) -> Option<(u64, u64)> {
    None
}

#[cfg(not(unix))]
fn handle_id(_file: &File) -> Option<(u64, u64)> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_and_its_companions_are_refused_however_spelled() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("my.db");
        std::fs::write(&db, b"x").unwrap();
        std::fs::write(with_suffix(&db, "-wal"), b"x").unwrap();
        let spelled = dir.path().join(".").join("my.db");
        for target in [db.clone(), spelled, with_suffix(&db, "-wal"), with_suffix(&db, "-shm")] {
            let err = refuse_database(&target, Some(&db)).unwrap_err();
            assert!(err.to_string().contains("database elicit has open"), "{target:?}: {err}");
        }
        #[cfg(unix)]
        {
            let link = dir.path().join("link.db");
            std::os::unix::fs::symlink(&db, &link).unwrap();
            assert!(refuse_database(&link, Some(&db)).is_err(), "a symlink to the database");
            // The database reached through a symlink: its -wal lives beside the real file.
            let elsewhere = tempfile::tempdir().unwrap();
            let through = elsewhere.path().join("via-link.db");
            std::os::unix::fs::symlink(&db, &through).unwrap();
            assert!(refuse_database(&with_suffix(&db, "-shm"), Some(&through)).is_err(), "companions of the real file");
            let hard = dir.path().join("hard.db");
            std::fs::hard_link(&db, &hard).unwrap();
            assert!(refuse_database(&hard, Some(&db)).is_err(), "a hard link to the database");
        }
        assert!(refuse_database(&dir.path().join("report.csv"), Some(&db)).is_ok());
        assert!(refuse_database(&dir.path().join("my.db.csv"), Some(&db)).is_ok());
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        std::fs::write(&target, b"old").unwrap();
        let r: Result<(), io::Error> = write_replacing(&target, Privacy::Private, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("boom"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary left behind");
    }

    #[cfg(unix)]
    #[test]
    fn replacing_keeps_the_mode_and_new_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old.csv");
        std::fs::write(&old, b"old").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_replacing::<io::Error>(&old, Privacy::Private, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read(&old).unwrap(), b"new");
        assert_eq!(std::fs::metadata(&old).unwrap().permissions().mode() & 0o777, 0o640);
        let new = dir.path().join("new.csv");
        write_replacing::<io::Error>(&new, Privacy::Private, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::metadata(&new).unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[test]
    fn leftovers_of_a_killed_writer_are_removed_but_a_locked_one_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".out.csv.elicit-tmp-abc123");
        std::fs::write(&stale, b"half").unwrap();
        let busy = dir.path().join(".out.csv.elicit-tmp-def456");
        std::fs::write(&busy, b"half").unwrap();
        let held = File::open(&busy).unwrap();
        held.lock().unwrap();
        // SQLite's journal beside a live temporary is never taken for a leftover.
        let journal = dir.path().join(".out.csv.elicit-tmp-def456-journal");
        std::fs::write(&journal, b"live").unwrap();
        let other = dir.path().join(".hidden-notes");
        std::fs::write(&other, b"mine").unwrap();
        write_replacing::<io::Error>(&dir.path().join("out.csv"), Privacy::Private, |w| w.write_all(b"x")).unwrap();
        assert!(!stale.exists(), "an unlocked leftover is removed");
        assert!(busy.exists(), "a write in progress is left alone");
        assert!(journal.exists(), "nor its journal");
        assert!(other.exists(), "other files are never touched");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_written_to_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        write_replacing::<io::Error>(Path::new("/dev/null"), Privacy::Private, |w| w.write_all(b"x")).unwrap();
        assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device());
        if Path::new("/dev/full").exists() {
            let err = write_replacing::<io::Error>(Path::new("/dev/full"), Privacy::Private, |w| {
                w.write_all(&[b'x'; 70_000])
            })
            .unwrap_err();
            assert!(err.to_string().contains("/dev/full"), "{err}");
            assert!(std::fs::metadata("/dev/full").unwrap().file_type().is_char_device());
        }
    }
}
