-- ctip schema, version 7: the person's age band (code list age_bands), for
-- records that give a band instead of an age or a birth date (CTDC ageBroad,
-- domain.md §3). Numbers 002-006 are reserved for other areas (FOUNDATION.md).
ALTER TABLE person ADD COLUMN age_band TEXT;
