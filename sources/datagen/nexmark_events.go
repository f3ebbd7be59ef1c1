package datagen

import (
	"strconv"
)

var (
	hotChannels = []string{"Google", "Facebook", "Baidu", "Apple"}
	firstNames  = []string{"Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"}
	lastNames   = []string{"Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"}
	usStates    = []string{"AZ", "CA", "ID", "OR", "WA", "WY"}
	usCities    = []string{"Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle", "Kent", "Cheyenne"}
)

const poolSize = 1024

// nexPool holds the strings the model draws from a finite set: channels
// with their urls, and padding extras sized like the Nexmark defaults
// (average event sizes 200, 500 and 100 bytes for person, auction, bid).
type nexPool struct {
	channels, urls [][]byte
	extras         [3][][]byte
}

func newNexPool(seed uint64) *nexPool {
	r := seeded(seed, 0x6e65786d61726b)
	p := &nexPool{}
	baseURL := func() []byte {
		u := append([]byte(nil), "https://www.nexmark.com/"...)
		u = randString(&r, u, 5)
		u = append(u, '/')
		u = randString(&r, u, 5)
		u = append(u, '/')
		u = randString(&r, u, 5)
		return append(u, "/item.htm?query=1"...)
	}
	for _, c := range hotChannels {
		p.channels = append(p.channels, []byte(c))
		p.urls = append(p.urls, baseURL())
	}
	for i := 0; i < numChannels; i++ {
		p.channels = append(p.channels, []byte("channel-"+strconv.Itoa(i)))
		p.urls = append(p.urls, strconv.AppendUint(append(baseURL(), "&channel_id="...), uint64(reverseBits32(uint32(i))), 10))
	}
	for k, avg := range [3]int{nexPerson: 140, nexAuction: 320, nexBid: 20} {
		delta := avg / 5
		for i := 0; i < poolSize; i++ {
			n := avg - delta + int(r.intn(int64(2*delta+1)))
			p.extras[k] = append(p.extras[k], randString(&r, nil, n))
		}
	}
	return p
}

func reverseBits32(x uint32) uint32 {
	var y uint32
	for i := 0; i < 32; i++ {
		y = y<<1 | x&1
		x >>= 1
	}
	return y
}

func (g *nexmark) person(id int64, row int) {
	r := seeded(g.seed, uint64(id))
	first, last := r.intn(int64(len(firstNames))), r.intn(int64(len(lastNames)))
	email, card := r.next(), r.next()
	city, state := r.intn(int64(len(usCities))), r.intn(int64(len(usStates)))
	extra := r.intn(poolSize)
	for i, f := range g.cols {
		c := g.b.Cols[i]
		switch f {
		case pID:
			g.i64[i][row] = lastPerson(id) + firstPersonID
		case pDateTime:
			g.i64[i][row] = dateTime(id)
		case pName:
			g.buf = append(append(append(g.buf[:0], firstNames[first]...), ' '), lastNames[last]...)
			c.PutString(row, g.buf)
		case pEmail:
			s := rng{s: email}
			g.buf = append(randString(&s, g.buf[:0], 7), '@')
			g.buf = append(randString(&s, g.buf, 5), ".com"...)
			c.PutString(row, g.buf)
		case pCard:
			s := rng{s: card}
			g.buf = g.buf[:0]
			for k := 0; k < 4; k++ {
				if k > 0 {
					g.buf = append(g.buf, ' ')
				}
				g.buf = strconv.AppendInt(g.buf, 1000+s.intn(9000), 10)
			}
			c.PutString(row, g.buf)
		case pCity:
			c.PutStringString(row, usCities[city])
		case pState:
			c.PutStringString(row, usStates[state])
		case pExtra:
			c.PutString(row, g.pool.extras[nexPerson][extra])
		}
	}
}

func (g *nexmark) auction(id int64, row int) {
	r := seeded(g.seed, uint64(id))
	item, desc := r.next(), r.next()
	initial := nextPrice(&r)
	reserve := initial + nextPrice(&r)
	// Auctions last up to twice the event time in which numInFlightAuctions
	// new auctions are created.
	horizonMs := int64(numInFlightAuctions*totalProportion/auctionProportion) * interEventDelayUs / 1000
	expires := dateTime(id) + 1 + r.int63n(max(2*horizonMs, 1))
	var seller int64
	if r.intn(hotSellerOdds) > 0 {
		seller = (lastPerson(id) / hotRatio) * hotRatio
	} else {
		seller = nextPerson(id, &r)
	}
	category := firstCategoryID + r.intn(numCategories)
	extra := r.intn(poolSize)
	for i, f := range g.cols {
		c := g.b.Cols[i]
		switch f {
		case aID:
			g.i64[i][row] = lastAuction(id) + firstAuctionID
		case aInitial:
			g.i64[i][row] = initial
		case aReserve:
			g.i64[i][row] = reserve
		case aDateTime:
			g.i64[i][row] = dateTime(id)
		case aExpires:
			g.i64[i][row] = expires
		case aSeller:
			g.i64[i][row] = seller + firstPersonID
		case aCategory:
			g.i64[i][row] = category
		case aItem:
			s := rng{s: item}
			c.PutString(row, randString(&s, g.buf[:0], 20))
		case aDesc:
			s := rng{s: desc}
			g.buf = randString(&s, g.buf[:0], 100)
			c.PutString(row, g.buf)
		case aExtra:
			c.PutString(row, g.pool.extras[nexAuction][extra])
		}
	}
}
