#!/usr/bin/env bash
# Should "Page" be partitioned for 10^8 pages? Measures, on a scratch PostgreSQL database, a table
# shaped like "Page" (same columns and indexes; no foreign key, so that filling it needs no
# estimators) at 10^6 and 10^7 rows: the B-tree depth of both indexes, the time to read one
# estimator's pages (100 of them, as the results read path does) and one page by number, the
# table and index sizes, and what VACUUM costs after a retention-sized delete (1 % of the rows).
# The same lookups are then run on a copy hash-partitioned by estimator_id (16 partitions).
# Usage: bench/page-partitioning.sh [DBNAME]   (run as a role that may create databases and
# extensions, e.g. `su postgres -c bench/page-partitioning.sh`; the database is dropped at the end)
set -euo pipefail
db="${1:-yaptide_page_partitioning}"
pages_per_estimator=100
psql -q -c "DROP DATABASE IF EXISTS $db" && psql -q -c "CREATE DATABASE $db"
trap 'psql -q -c "DROP DATABASE IF EXISTS $db"' EXIT
q() { psql -d "$db" -Atq -c "$1"; }
q "CREATE EXTENSION pageinspect"
q 'CREATE TABLE "Page" (id SERIAL PRIMARY KEY, estimator_id INTEGER NOT NULL, page_number INTEGER NOT NULL,
    compressed_data BYTEA, page_name VARCHAR NOT NULL DEFAULT '"''"', page_dimension INTEGER NOT NULL DEFAULT 0)'
q 'CREATE INDEX "ix_Page_estimator_id_page_number" ON "Page" (estimator_id, page_number)'
cat > /tmp/$db-lookup.sql <<SQL
\set e random(1, :estimators)
SELECT id, page_number, length(compressed_data) FROM "Page" WHERE estimator_id = :e ORDER BY page_number;
SQL
cat > /tmp/$db-one.sql <<SQL
\set e random(1, :estimators)
\set p random(0, $((pages_per_estimator - 1)))
SELECT compressed_data FROM "Page" WHERE estimator_id = :e AND page_number = :p;
SQL
fill() { # rows from $1 to $2, estimators numbered by row / pages_per_estimator, ~100 bytes of data each
  q "INSERT INTO \"Page\" (estimator_id, page_number, compressed_data, page_name, page_dimension)
     SELECT 1 + (g - 1) / $pages_per_estimator, (g - 1) % $pages_per_estimator,
            decode(repeat(md5(g::text), 6), 'hex'), 'page', 1 FROM generate_series($1, $2) g"
  q 'VACUUM (ANALYZE) "Page"'
}
measure() { # $1 rows, $2 table name
  local estimators=$(( $1 / pages_per_estimator ))
  for ix in "Page_pkey" "ix_Page_estimator_id_page_number"; do
    [ "$2" = "Page" ] && echo "page_partitioning_$1_depth_$ix $(q "SELECT level + 1 FROM bt_metap('\"$ix\"')") levels"
  done
  # a partitioned table has no storage of its own: sum its partitions
  echo "page_partitioning_$1_${2}_table_mb $(q "SELECT (pg_total_relation_size('\"$2\"')
      + COALESCE((SELECT SUM(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = '\"$2\"'::regclass), 0)) / 1000000") MB"
  sed "s/\"Page\"/\"$2\"/" /tmp/$db-lookup.sql > /tmp/$db-lookup-$2.sql
  sed "s/\"Page\"/\"$2\"/" /tmp/$db-one.sql > /tmp/$db-one-$2.sql
  # cold-ish: random estimators, one client, so latency is one lookup's own
  echo "page_partitioning_$1_${2}_estimator_pages_ms $(pgbench -n -c 1 -T 5 -D estimators=$estimators -f /tmp/$db-lookup-$2.sql "$db" 2>/dev/null | sed -n 's/latency average = \([0-9.]*\) ms/\1/p') ms"
  echo "page_partitioning_$1_${2}_one_page_ms $(pgbench -n -c 1 -T 5 -D estimators=$estimators -f /tmp/$db-one-$2.sql "$db" 2>/dev/null | sed -n 's/latency average = \([0-9.]*\) ms/\1/p') ms"
}
vacuum_cost() { # delete 1 % (whole estimators, as retention removes whole simulations), time the VACUUM
  local estimators=$(( $1 / pages_per_estimator )) t0 t1
  q "DELETE FROM \"Page\" WHERE estimator_id % 100 = 7"
  t0=$(date +%s.%N); q 'VACUUM "Page"'; t1=$(date +%s.%N)
  echo "page_partitioning_$1_vacuum_after_1pct_delete_s $(echo "$t1 - $t0" | bc) s"
}
t0=$(date +%s); fill 1 1000000; echo "page_partitioning_fill_1e6_s $(( $(date +%s) - t0 )) s"
measure 1000000 Page
t0=$(date +%s); fill 1000001 10000000; echo "page_partitioning_fill_1e7_s $(( $(date +%s) - t0 )) s"
measure 10000000 Page
# the same 10^7 rows hash-partitioned by estimator (16 partitions); the primary key must then
# include the partition key, so it becomes (id, estimator_id)
q 'CREATE TABLE "PagePart" (LIKE "Page" INCLUDING DEFAULTS) PARTITION BY HASH (estimator_id)'
for i in $(seq 0 15); do q "CREATE TABLE \"PagePart_$i\" PARTITION OF \"PagePart\" FOR VALUES WITH (MODULUS 16, REMAINDER $i)"; done
q 'INSERT INTO "PagePart" SELECT * FROM "Page"'
q 'ALTER TABLE "PagePart" ADD PRIMARY KEY (id, estimator_id)'
q 'CREATE INDEX ON "PagePart" (estimator_id, page_number)'
q 'VACUUM (ANALYZE) "PagePart"'
measure 10000000 PagePart
vacuum_cost 10000000
echo "page_partitioning_plan_1e7 $(q "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) SELECT id, page_number FROM \"Page\" WHERE estimator_id = 54321 ORDER BY page_number" | tr '\n' ';')"
