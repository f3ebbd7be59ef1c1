// Package kafka owns the 'kafka' source connector: the records of one or
// more topics, read with franz-go and decoded by sources/format.
//
// Options (WITH clause):
//
//	brokers                        host:port list, comma-separated (required;
//	                               alias 'properties.bootstrap.servers')
//	topic                          a topic or a comma-separated list (required)
//	format                         json, csv, debezium-json, canal-json,
//	                               maxwell-json, upsert-json (alias upsert):
//	                               the record value, decoded as by the file
//	                               source (required)
//	scan.startup.mode              earliest (default) | latest | group-offsets
//	                               | timestamp: where each partition starts
//	                               when there is no checkpoint to resume from
//	scan.startup.timestamp-millis  for 'timestamp': the first record whose
//	                               timestamp is at or after it (epoch ms); a
//	                               partition without one starts at its end
//	properties.group.id            for 'group-offsets': the consumer group
//	                               whose committed offsets are read once at
//	                               start (a partition without a commit starts
//	                               at its earliest offset). Offsets are never
//	                               committed back: the checkpoint holds them.
//	scan.bounded                   'latest': record every partition's end
//	                               offset at start and stop there (io.EOF when
//	                               all are reached), so the same SQL re-runs
//	                               as a batch job over the topic's history;
//	                               'false' (default): unbounded
//	properties.isolation.level     read_committed (default: records of open
//	                               or aborted transactions are not read; the
//	                               bounded end is the last stable offset) or
//	                               read_uncommitted
//	properties.client.id           the client id (default 'sqlstream')
//	on_error                       'continue' (default): bad records go to
//	                               errors_<source> with File = topic/partition
//	                               and Line = offset; 'fail': stop on the first
//	csv.delimiter, csv.null        as for the file source; each record is one
//	                               CSV record matched to columns by position
//
// Metadata columns: a source column with one of these reserved names is
// filled from the Kafka record instead of the value: kafka_topic VARCHAR,
// kafka_partition INT (or BIGINT), kafka_offset BIGINT, kafka_timestamp
// TIMESTAMP(3) (the record's timestamp), kafka_key VARCHAR (the key bytes
// as text, NULL when the record has no key). Each row decoded from a
// record carries that record's values (both rows of a CDC update).
//
// Upsert: with format upsert-json the value is the whole row (key columns
// included) and is an upsert of its PRIMARY KEY, or a delete with the
// field "__op": "d". A record with a null value (a tombstone) is a delete
// of the key its message key names: a key that is a JSON object carries
// the PRIMARY KEY columns by name ({"id": 7}); any other key is the raw
// value of a single-column PRIMARY KEY (7, or abc for a VARCHAR key).
// With debezium-json a tombstone is ignored (Debezium follows every delete
// with one); with the other formats it is a bad record.
//
// Positions and checkpoints: the source assigns itself every partition of
// its topics at open (no group membership; partitions added later are not
// read) and resolves each partition's start offset to a number, so its
// Position (exec.PositionedSource) is always the next offset of every
// partition, plus the end offsets when bounded; Seek resumes there
// exactly. Control records of transactions advance the offsets and are
// skipped.
//
// Watermarks: with a WATERMARK the source implements exec.WatermarkSource,
// the minimum of its partitions' watermarks (see watermark.go).
//
// Failures: a broker that goes away is retried by franz-go with backoff
// (it logs a warning line on stderr); Next meanwhile returns empty batches,
// never an error. Next returns an error only for what the client does not
// recover from (authorization, a closed client). The lookups at open
// (partitions, offsets) retry transient errors for 30 s, then fail with
// an error wrapping exec.ErrRetry.
package kafka
