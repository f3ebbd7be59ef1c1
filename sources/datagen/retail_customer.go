package datagen

import (
	"strconv"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/internal/colbuf"
)

// Customers: inserted (45% of events, every event until 50 are live),
// updated (50%: a new phone, risk level or branch; updated_at moves) and
// deleted (5%). Ids are 1000001, 1000002, ... in insertion order.

const retailCustomerBase = 1000001

var customerFields = []field{{"customer_id", bigint}, {"name", str}, {"phone", str},
	{"id_card", str}, {"branch_id", catalog.IntType}, {"risk_level", str},
	{"created_at", ts}, {"updated_at", ts}}

var (
	retailSurnames = []string{"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun"}
	retailGiven    = []string{"Wei", "Fang", "Na", "Min", "Jing", "Lei", "Jun", "Yan", "Tao", "Ming", "Hui", "Xin", "Qiang", "Li"}
	retailRisk     = []string{"C1", "C2", "C3", "C4", "C5"}
	retailRegions  = []string{"310115", "110105", "440305", "330106", "510107", "420106"}
)

// retailNames are every surname + given name.
var retailNames = func() []string {
	var out []string
	for _, s := range retailSurnames {
		for _, g := range retailGiven {
			out = append(out, s+" "+g)
		}
	}
	return out
}()

type customerRow struct {
	id                  int64
	name, phone, idCard string
	branch              int32
	risk                string
	created, updated    int64
}

type customerModel struct {
	live     []customerRow
	inserted int64
}

func newCustomerModel(uint64) *customerModel { return &customerModel{} }

func (m *customerModel) event(r *rng, n int64, q *retailQueue[customerRow]) {
	t := retailTime(n)
	x := r.intn(100)
	switch {
	case len(m.live) < 50 || x < 45:
		c := customerRow{id: retailCustomerBase + m.inserted, name: pick(r, retailNames),
			phone: retailPhone(r), idCard: retailIDCard(r), branch: int32(1 + r.intn(int64(len(retailBranches)))),
			risk: pick(r, retailRisk), created: t, updated: t}
		m.inserted++
		m.live = append(m.live, c)
		q.push(exec.Insert, c)
	case x < 95:
		i := r.intn(int64(len(m.live)))
		old := m.live[i]
		c := old
		switch r.intn(3) {
		case 0:
			c.phone = retailPhone(r)
		case 1:
			c.risk = pick(r, retailRisk)
		default:
			c.branch = int32(1 + r.intn(int64(len(retailBranches))))
		}
		c.updated = t
		m.live[i] = c
		q.push(exec.UpdateBefore, old)
		q.push(exec.UpdateAfter, c)
	default:
		m.live = deleteRandom(r, m.live, q)
	}
}

func (m *customerModel) put(b *colbuf.Batch, cols []int, i int, v *customerRow) {
	for c, f := range cols {
		col := b.Cols[c]
		switch f {
		case 0:
			col.Int64s()[i] = v.id
		case 1:
			col.PutStringString(i, v.name)
		case 2:
			col.PutStringString(i, v.phone)
		case 3:
			col.PutStringString(i, v.idCard)
		case 4:
			col.Int32s()[i] = v.branch
		case 5:
			col.PutStringString(i, v.risk)
		case 6:
			col.Int64s()[i] = v.created
		case 7:
			col.Int64s()[i] = v.updated
		}
	}
}

// retailPhone is an 11-digit mobile number starting 13–19.
func retailPhone(r *rng) string {
	var buf [11]byte
	buf[0], buf[1] = '1', byte('3'+r.intn(7))
	for k := 2; k < 11; k++ {
		buf[k] = byte('0' + r.intn(10))
	}
	return string(buf[:])
}

// retailIDCard is an 18-character resident identity number: region, birth
// date (1950–2003), sequence and the ISO 7064 MOD 11-2 check character.
func retailIDCard(r *rng) string {
	buf := make([]byte, 0, 18)
	buf = append(buf, pick(r, retailRegions)...)
	buf = strconv.AppendInt(buf, 1950+r.intn(54), 10)
	buf = append2(buf, 1+r.intn(12))
	buf = append2(buf, 1+r.intn(28))
	for k := 0; k < 3; k++ {
		buf = append(buf, byte('0'+r.intn(10)))
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k, w := range weights {
		sum += int(buf[k]-'0') * w
	}
	return string(append(buf, "10X98765432"[sum%11]))
}

func append2(buf []byte, v int64) []byte {
	return append(buf, byte('0'+v/10), byte('0'+v%10))
}
