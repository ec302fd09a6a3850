-- A certificate row is about 3.9 KB, most of it the signed token (2.6 KB of base64url, which does not compress).
-- Past the default 2 KB target PostgreSQL tried to compress the token, failed, and moved it to the TOAST table:
-- two more rows and index entries on every issue, and two more page fetches on every verify and uncached scan.
-- Rows up to a page's worth now stay whole in the table; only an unusually large one is still moved out.
ALTER TABLE "certificates" SET (toast_tuple_target = 8160);
