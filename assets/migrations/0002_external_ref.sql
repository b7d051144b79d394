-- elicit schema v2: the id a requirement had in another tool (a CSV `id` column, a ReqIF ForeignID), kept so
-- exports can name it and a later import can be matched by people. Never used as elicit's own id.
ALTER TABLE requirement ADD COLUMN external_ref TEXT NOT NULL DEFAULT '';
