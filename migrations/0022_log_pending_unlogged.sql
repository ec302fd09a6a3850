-- log_pending is a queue that never outlives its transaction: the statement triggers fill it and the deferred
-- append (lotproof_log_drain) empties it before the same transaction commits. Writing its rows and index entries
-- to the WAL only to delete them moments later cost about a tenth of an issue's WAL. Unlogged, a crash leaves it
-- empty, which is the only state a committed database can have it in.
ALTER TABLE "log_pending" SET UNLOGGED;
