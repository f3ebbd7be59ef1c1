// Package kafka is the 'kafka' sink connector: it writes a view's (or a
// query's) changelog to a Kafka topic with franz-go, exactly once through
// the checkpoint epochs.
//
//	CREATE SINK orders_out FROM orders_by_region WITH (
//	  connector = 'kafka',
//	  brokers   = 'localhost:9092',      -- required, comma-separated
//	  topic     = 'orders_by_region',    -- required; must exist
//	  format    = 'debezium-json',       -- json | debezium-json | upsert-json
//	  'sink.delivery'           = 'exactly-once',   -- or 'at-least-once'
//	  'sink.epoch.topic'        = 'orders_by_region.sqlstream-epochs',
//	  'transactional.id.prefix' = 'sqlstream-orders_by_region',
//	  'sink.delivery.timeout'   = '30s'
//	);
//
// # Formats
//
// Values are JSON objects of the row's columns rendered by sinks/render,
// which the file source's decoders (sources/format) read back: TIMESTAMP
// as 'YYYY-MM-DD HH:MM:SS[.fff]', DATE as 'YYYY-MM-DD', DECIMAL as a JSON
// number with its exact digits, NULL as null. When the input has a unique
// key, the message key is the key columns as a JSON object ({"id": 1};
// {} for a single-row result) and messages are partitioned by it (kgo's
// default partitioner: murmur2 of the key bytes, as Kafka's Java client);
// without one, messages have no key.
//
//   - json: one message per row; the input must be append-only (opening
//     the sink on a changelog is an error naming the formats to use).
//   - debezium-json: {"before": row|null, "after": row|null, "op": ...}:
//     +I → op c with after; -D → op d with before; a -U directly followed
//     by the +U of the same key → one op u with both images, otherwise
//     op d then op c. The input must carry before-images (a retract
//     changelog; the planner normalizes upsert streams into one).
//   - upsert-json (alias upsert): key = the input's unique key (required),
//     value = the row for +I/+U, null (a tombstone) for -D/-U, except that
//     a retraction whose key is upserted again later in the same epoch is
//     left out (the later value replaces it). A topic compacted by key
//     holds exactly the view's rows.
//
// # Delivery
//
// Every epoch the sink writes ends with a marker record in the marker
// topic ('sink.epoch.topic', default '<topic>.sqlstream-epochs', created
// with 1 partition and cleanup.policy=compact when missing): key = the
// transactional id, value {"epoch": n}. LastDelivered reads the sink's
// last marker with read_committed isolation; with exactly-once delivery
// it first initializes the transactional producer, which fences a
// previous instance and aborts the transaction a crash left open. A
// transaction of another producer open in the marker topic is waited
// for (a retriable error), since it hides later markers from
// read_committed readers. The transactional id is
// '<transactional.id.prefix>-<sink name>', the prefix defaulting to
// 'sqlstream-<topic>': two pipelines writing one topic through sinks of
// the same name must set different prefixes.
//
//   - exactly-once (the default, unlike Flink's at-least-once: the engine
//     always checkpoints, so transactions cost one commit per checkpoint
//     interval and epoch): each epoch's records and its marker are
//     produced in one Kafka transaction, committed after the store has
//     committed the epoch. After a crash the runner redelivers the
//     store's outbox; epochs at or below LastDelivered are skipped, so a
//     read_committed consumer sees every epoch exactly once. A
//     read_uncommitted consumer may also see aborted attempts. The
//     transaction timeout is 'sink.delivery.timeout' + 30s.
//   - at-least-once: no transactions; the epoch's records are produced
//     and flushed, then the marker. A crash between the two repeats that
//     one epoch on redelivery (at most one epoch is duplicated).
//
// Epochs without rows write nothing. A failed delivery is cleaned up (the
// buffered records failed and the transaction aborted; if that fails too,
// the client is dropped and the next attempt's producer fences the old
// one, which aborts its transaction) and classified: a broker that went
// away, a timeout ('sink.delivery.timeout' bounds one attempt) or a
// retriable Kafka error wraps exec.ErrRetry, so the runner retries with
// backoff up to SET 'sink.retry.timeout'; a missing topic, a message larger
// than the broker accepts, a failed authorization or a fenced producer is
// fatal, with a message saying what to do.
//
// Without a checkpoint store (exec tests with fakes) the runner pushes the
// stream instead: Push buffers the batches, Barrier(epoch) delivers them
// as that epoch (with no LastDelivered check: there is no recovery to
// deduplicate) and Close delivers the rest.
package kafka
