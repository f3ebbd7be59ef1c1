// Package datagen owns the 'datagen' source connector: built-in,
// deterministic data generators that write columns straight into Arrow
// buffers. A source declares any subset of a generator's columns, by name
// (case-insensitive), with exactly the documented types.
//
// Options: generator (nexmark | banklog | sequence, required), kind (which
// stream of the generator), rows (bounded size; absent = unbounded), rate
// (rows emitted per second of wall clock; absent = as fast as possible),
// seed (integer, default 0), max_delay (banklog: the largest arrival delay,
// default '1h').
//
// nexmark (kind = person | auction | bid): the Beam/Flink Nexmark model.
// rows counts events of all kinds, 1 person : 3 auctions : 46 bids of every
// 50 (rows = 1000000 gives 920000 bids); every value of event n comes from
// a PRNG seeded by (seed, n), so person, auction and bid sources with the
// same seed and rows see one event sequence. date_time of event n is
// 2025-01-01 00:00:00 UTC + n/10 ms. Columns (BIGINT unless noted;
// date_time/expires TIMESTAMP(3); text VARCHAR):
//
//	person(id, name, email_address, credit_card, city, state, date_time, extra)
//	auction(id, item_name, description, initial_bid, reserve, date_time, expires, seller, category, extra)
//	bid(auction, bidder, price, channel, url, date_time, extra)
//
// banklog (kind = request | response | tracking): rows business actions
// (traces), each a step apply → approve → issue → make_card → activate of a
// customer process (256 in flight; ~2% of steps fail with status 'error' and
// are repeated, ~3% are rejected and ~4% abandoned, ending the process).
// Each action yields a request, a response 5–500 ms later and a tracking
// record after the response, sharing trace_id; ~0.5% of traces miss the
// response and ~1% the tracking record. Records are emitted in arrival
// order: arrival = ts + a delay that is < 5 s for 80%, 5–60 s for 19%, and
// up to max_delay for 1%, so ts is out of order. Columns:
//
//	common:   trace_id VARCHAR, process_id VARCHAR, step VARCHAR, customer_id BIGINT,
//	          channel VARCHAR (app|web|branch|call_center), branch_id INT,
//	          product VARCHAR (credit_card|debit_card|loan|deposit), ts TIMESTAMP(3)
//	request:  request_body VARCHAR (a JSON text), amount DECIMAL(18,2)
//	response: status VARCHAR (ok|rejected|error), latency_ms INT
//	tracking: page VARCHAR, event VARCHAR (page_view|click|submit)
//
// sequence: seq BIGINT = 0, 1, 2, ... and ts TIMESTAMP(3) = 2025-01-01 + seq ms.
package datagen
