package datagen

import (
	"github.com/sqlstream/sqlstream/exec"
	"math"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/sources/internal/colbuf"
)

// The Nexmark model of the Beam/Flink generator: event n is a person, an
// auction or a bid by n mod 50 (1:3:46), every value drawn from a PRNG
// seeded by (seed, n), so sources of different kinds with the same seed see
// one event sequence and their joins are meaningful.
const (
	personProportion    = 1
	auctionProportion   = 3
	totalProportion     = 50
	firstPersonID       = 1000
	firstAuctionID      = 1000
	firstCategoryID     = 10
	numCategories       = 5
	numActivePeople     = 1000
	personIDLead        = 10
	numInFlightAuctions = 100
	auctionIDLead       = 10
	hotRatio            = 100 // hot sellers, auctions and bidders are every 100th id
	hotAuctionOdds      = 2   // 1 - 1/2 of bids go to a hot auction
	hotBidderOdds       = 4   // 1 - 1/4 of bids come from a hot bidder
	hotSellerOdds       = 4
	hotChannelOdds      = 2
	numChannels         = 10000
	// NexmarkBaseTime is date_time of event 0 (2025-01-01 00:00:00 UTC);
	// event n is at NexmarkBaseTime + n/10 ms (10,000 events per second of
	// event time, the Nexmark default).
	NexmarkBaseTime   = 1735689600000
	interEventDelayUs = 100
)

type nexKind uint8

const (
	nexPerson nexKind = iota
	nexAuction
	nexBid
)

// Field indexes per kind, in the order of the field lists below.
const (
	pID, pName, pEmail, pCard, pCity, pState, pDateTime, pExtra = 0, 1, 2, 3, 4, 5, 6, 7
)
const (
	aID, aItem, aDesc, aInitial, aReserve, aDateTime, aExpires, aSeller, aCategory, aExtra = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9
)
const (
	bAuction, bBidder, bPrice, bChannel, bURL, bDateTime, bExtra = 0, 1, 2, 3, 4, 5, 6
)

var (
	bigint = catalog.BigIntType
	str    = catalog.VarcharType
	ts     = catalog.TimestampType
)

var nexFields = [...][]field{
	nexPerson: {{"id", bigint}, {"name", str}, {"email_address", str}, {"credit_card", str},
		{"city", str}, {"state", str}, {"date_time", ts}, {"extra", str}},
	nexAuction: {{"id", bigint}, {"item_name", str}, {"description", str}, {"initial_bid", bigint},
		{"reserve", bigint}, {"date_time", ts}, {"expires", ts}, {"seller", bigint}, {"category", bigint}, {"extra", str}},
	nexBid: {{"auction", bigint}, {"bidder", bigint}, {"price", bigint}, {"channel", str},
		{"url", str}, {"date_time", ts}, {"extra", str}},
}

// nexmark generates the events of one kind.
type nexmark struct {
	kind  nexKind
	seed  uint64
	rows  int64 // events of all kinds; -1 unbounded
	next  int64 // next event id
	cols  []int // schema column → field
	b     *colbuf.Batch
	i64   [][]int64 // per schema column, its value buffer (nil for VARCHAR)
	pool  *nexPool
	buf   []byte
	first int64 // first offset in a block of 50 of this kind
	last  int64 // last offset
}

func newNexmark(cfg config, schema catalog.Schema) (func(*colbuf.Batch) generator, error) {
	var kind nexKind
	switch cfg.kind {
	case "person":
		kind = nexPerson
	case "auction":
		kind = nexAuction
	case "bid":
		kind = nexBid
	default:
		return nil, exec.OptionErrorf("kind", "option 'kind' = '%s': generator nexmark needs 'person', 'auction' or 'bid'", cfg.kind)
	}
	cols, err := bind("nexmark "+cfg.kind, nexFields[kind], schema)
	if err != nil {
		return nil, err
	}
	return func(b *colbuf.Batch) generator {
		g := &nexmark{kind: kind, seed: cfg.seed, rows: cfg.rows, cols: cols, b: b, pool: newNexPool(cfg.seed)}
		g.first, g.last = [...]int64{0, 1, 4}[kind], [...]int64{0, 3, 49}[kind]
		g.i64 = make([][]int64, len(cols))
		return g
	}, nil
}

// fill implements generator.
func (g *nexmark) fill(b *colbuf.Batch, max int) bool {
	for i, c := range b.Cols {
		g.i64[i] = nil
		if c.Type.ID != catalog.Varchar {
			g.i64[i] = c.Int64s()
		}
	}
	r := 0
	done := false
	for r < max {
		id := g.nextID()
		if g.rows >= 0 && id >= g.rows {
			done = true
			break
		}
		g.next = id + 1
		switch g.kind {
		case nexBid:
			g.bid(id, r)
		case nexAuction:
			g.auction(id, r)
		default:
			g.person(id, r)
		}
		r++
	}
	b.SetLen(r)
	return done
}

// nextID is the first event id >= g.next of the generator's kind.
func (g *nexmark) nextID() int64 {
	id := g.next
	off := id % totalProportion
	if off < g.first {
		id += g.first - off
	} else if off > g.last {
		id += totalProportion - off + g.first
	}
	return id
}

func dateTime(id int64) int64 { return NexmarkBaseTime + id*interEventDelayUs/1000 }

// lastPerson is the base-0 id of the last person created by event id.
func lastPerson(id int64) int64 {
	epoch, off := id/totalProportion, id%totalProportion
	if off >= personProportion {
		off = personProportion - 1
	}
	return epoch*personProportion + off
}

// lastAuction is the base-0 id of the last auction created by event id.
func lastAuction(id int64) int64 {
	epoch, off := id/totalProportion, id%totalProportion
	switch {
	case off < personProportion:
		epoch--
		off = auctionProportion - 1
	case off >= personProportion+auctionProportion:
		off = auctionProportion - 1
	default:
		off -= personProportion
	}
	return epoch*auctionProportion + off
}

// nextPerson picks a recent person (a seller or bidder), base 0.
func nextPerson(id int64, r *rng) int64 {
	n := lastPerson(id) + 1
	active := min(n, numActivePeople)
	return n - active + r.intn(active+personIDLead)
}

// nextAuction picks an auction in flight, base 0.
func nextAuction(id int64, r *rng) int64 {
	maxA := lastAuction(id)
	minA := max(maxA-numInFlightAuctions, 0)
	return minA + r.intn(maxA-minA+1+auctionIDLead)
}

// nextPrice is a price in cents spread over six orders of magnitude.
func nextPrice(r *rng) int64 {
	return int64(math.Round(math.Exp(r.float()*6*math.Ln10) * 100))
}

func (g *nexmark) bid(id int64, row int) {
	r := seeded(g.seed, uint64(id))
	var auction, bidder int64
	if r.intn(hotAuctionOdds) > 0 {
		auction = (lastAuction(id) / hotRatio) * hotRatio
	} else {
		auction = nextAuction(id, &r)
	}
	if r.intn(hotBidderOdds) > 0 {
		bidder = (lastPerson(id)/hotRatio)*hotRatio + 1
	} else {
		bidder = nextPerson(id, &r)
	}
	price := nextPrice(&r)
	var ch int64
	if r.intn(hotChannelOdds) > 0 {
		ch = r.intn(int64(len(hotChannels)))
	} else {
		ch = int64(len(hotChannels)) + r.intn(numChannels)
	}
	extra := r.intn(poolSize)
	for i, f := range g.cols {
		switch f {
		case bAuction:
			g.i64[i][row] = auction + firstAuctionID
		case bBidder:
			g.i64[i][row] = bidder + firstPersonID
		case bPrice:
			g.i64[i][row] = price
		case bDateTime:
			g.i64[i][row] = dateTime(id)
		case bChannel:
			g.b.Cols[i].PutString(row, g.pool.channels[ch])
		case bURL:
			g.b.Cols[i].PutString(row, g.pool.urls[ch])
		case bExtra:
			g.b.Cols[i].PutString(row, g.pool.extras[nexBid][extra])
		}
	}
}
