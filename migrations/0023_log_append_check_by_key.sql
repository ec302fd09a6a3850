-- Each queued leaf's deferred trigger asks whether its row is still queued (the first to fire appends them all).
-- Once autovacuum had analyzed the queue while it was empty, that lookup's cached plan became a sequential scan,
-- which read every dead row left since the last vacuum: under sustained issuing each check grew from 0.03 ms to
-- 0.5 ms within a minute, and PostgreSQL's time per certificate tripled until the next vacuum. As in the append
-- itself (0020), sequential scans are ruled out, so the check is always the primary-key lookup it was written as.
ALTER FUNCTION lotproof_log_append_pending() SET enable_seqscan = off;
