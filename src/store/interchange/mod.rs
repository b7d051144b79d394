//! Backup, restore and bulk import: whole-project reads with every row (deleted ones and the change log
//! included), inserts of rows with their own UUIDs, and a fast path for importing many new requirements.
//! Each has its own reason to change, so each has its own file: the record types a backup is made of
//! (`records`), reading them (`backup`), writing them back (`restore`), and the bulk insert (`bulk`).
//!
//! Restoring is idempotent: a row whose UUID is already in the file is left as it is, and change-log actions
//! already present are not added again, so importing the same backup twice adds nothing the second time.
//! A restore is not itself logged: the restored change log is the history, and logging the restore would
//! make a backup of the restored file differ from the original.

mod backup;
mod bulk;
mod records;
mod restore;

pub use records::{
    ChangeRecord, ConfirmationRecord, DraftRecord, InterviewRecord, OutcomeRecord, ProjectRecord, RequirementRecord,
    RestoreCounts, StageRecord, StakeholderRecord, TimeEntryRecord,
};
