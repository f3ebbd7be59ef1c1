// Package datagen owns the 'datagen' source connector: built-in,
// deterministic data generators that write columns straight into Arrow
// buffers. A source declares any subset of a generator's columns, by name
// (case-insensitive), with exactly the documented types.
//
// Options: generator (nexmark | banklog | retail | sequence, required), kind (which
// stream of the generator), rows (bounded size; absent = unbounded), rate
// (rows emitted per second of wall clock; absent = as fast as possible),
// seed (integer, default 0), max_delay (banklog: the largest arrival delay,
// default '1h'), event_time ('generator', the default, or 'wall' with a
// rate: every TIMESTAMP is rescaled so a row's event time is the wall
// clock when the rate made it due, for latency measurements; walltime.go).
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
// are repeated, ~4% are abandoned, ending the process, and ~3% are rejected:
// a rejection at the k-th step (k = 0, 1, ...) sends the process back to a
// uniformly drawn earlier step with probability k/5, a rollback such as
// approve → apply, and ends it otherwise).
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
// retail (kind = customer | account | transaction | branch): CDC
// changelogs of a securities firm's retail business. Batches carry ops
// (+I/-U/+U/-D); every -U/-D repeats exactly the row last emitted for its
// key (the first column), so the stream is a retract changelog keyed by
// it. rows counts change events per source (an update is one event of two
// rows, -U then +U, which may fall in consecutive batches); event n has
// event time 2025-01-01 00:00:00 UTC + n*100 ms; the same seed gives the
// same changelog at any batch size.
//
//	customer(customer_id BIGINT, name VARCHAR, phone VARCHAR, id_card VARCHAR(18), branch_id INT,
//	         risk_level VARCHAR (C1..C5), created_at TIMESTAMP(3), updated_at TIMESTAMP(3))
//	    45% inserts (ids 1000001, ... in order), 50% updates of a random live
//	    customer (phone, risk_level or branch_id; updated_at = event time), 5% deletes.
//	account(account_id BIGINT, customer_id BIGINT, product VARCHAR (cash|margin|fund|wealth|bond),
//	        balance DECIMAL(18,2), status VARCHAR (active|frozen), opened_at TIMESTAMP(3))
//	    30% openings (ids 2000001, ...), 62% balance changes, 4% status flips,
//	    4% closures (deletes).
//	transaction(txn_id BIGINT, account_id BIGINT, customer_id BIGINT,
//	            kind VARCHAR (deposit|withdrawal|transfer_in|transfer_out|fund_buy|fund_redeem),
//	            amount DECIMAL(18,2), channel VARCHAR (app|web|branch|atm|call_center), ts TIMESTAMP(3))
//	    94% appends (ids 3000001, ...), 4% corrections of a recent
//	    transaction's amount (update), 2% reversals (delete).
//	branch(branch_id INT (1..20), name VARCHAR, region VARCHAR (east|north|south|west|central))
//	    20 static rows, all +I (an append-only stream; rows caps it).
//
// Each kind is generated independently; references agree by rule: the
// owner of the k-th account is a function of (seed, k) shared by the
// account and transaction streams, and owners and accounts referenced at
// event n are among those the customer and account streams (with the same
// seed) have created by about the same event number. Deleted customers and
// closed accounts may still be referenced.
//
// sequence: seq BIGINT = 0, 1, 2, ... and ts TIMESTAMP(3) = 2025-01-01 + seq ms.
package datagen
