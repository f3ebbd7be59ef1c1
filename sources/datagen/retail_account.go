package datagen

import (
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/internal/colbuf"
)

// Accounts: opened (30% of events, every event until 50 are open; balance
// 0 or an initial deposit), balance updates (62%, ±), status changes (4%:
// active ↔ frozen) and closures (4%: deleted). Ids are 2000001, ... in
// opening order; the owner of account k is retailAccountCustomer(k).

const retailAccountBase = 2000001

var accountFields = []field{{"account_id", bigint}, {"customer_id", bigint}, {"product", str},
	{"balance", dec182}, {"status", str}, {"opened_at", ts}}

var (
	retailProducts = []string{"cash", "margin", "fund", "wealth", "bond"}
	dec182         = catalog.DecimalType(18, 2)
)

type accountRow struct {
	id, customer    int64
	product, status string
	balance         int64 // cents
	opened          int64
}

type accountModel struct {
	seed   uint64
	live   []accountRow
	opened int64
}

func newAccountModel(seed uint64) *accountModel { return &accountModel{seed: seed} }

// retailAccountCustomer is the owner of the k-th account (0-based): one of
// the customers inserted before it was opened.
func retailAccountCustomer(seed uint64, k int64) int64 {
	return retailCustomerBase + int64(mix64(seed, uint64(k))%uint64(k/2+50))
}

func (m *accountModel) event(r *rng, n int64, q *retailQueue[accountRow]) {
	t := retailTime(n)
	x := r.intn(100)
	switch {
	case len(m.live) < 50 || x < 30:
		a := accountRow{id: retailAccountBase + m.opened, customer: retailAccountCustomer(m.seed, m.opened),
			product: pick(r, retailProducts), status: "active", opened: t}
		if r.intn(2) == 0 {
			a.balance = retailAmount(r)
		}
		m.opened++
		m.live = append(m.live, a)
		q.push(exec.Insert, a)
	case x < 96:
		i := r.intn(int64(len(m.live)))
		old := m.live[i]
		a := old
		if x < 92 {
			delta := retailAmount(r)
			if r.intn(2) == 0 && a.balance >= delta {
				delta = -delta
			}
			a.balance += delta
		} else if a.status == "active" {
			a.status = "frozen"
		} else {
			a.status = "active"
		}
		m.live[i] = a
		q.push(exec.UpdateBefore, old)
		q.push(exec.UpdateAfter, a)
	default:
		m.live = deleteRandom(r, m.live, q)
	}
}

func (m *accountModel) put(b *colbuf.Batch, cols []int, i int, v *accountRow) {
	for c, f := range cols {
		col := b.Cols[c]
		switch f {
		case 0:
			col.Int64s()[i] = v.id
		case 1:
			col.Int64s()[i] = v.customer
		case 2:
			col.PutStringString(i, v.product)
		case 3:
			col.Decimals()[i] = decimal128.FromI64(v.balance)
		case 4:
			col.PutStringString(i, v.status)
		case 5:
			col.Int64s()[i] = v.opened
		}
	}
}

// retailAmount is an amount in cents, 1.00 to ~100000.00, mostly small.
func retailAmount(r *rng) int64 {
	yuan := int64(1) + r.intn(100)
	for k := r.intn(4); k > 0; k-- {
		yuan *= 10
	}
	return yuan*100 + r.intn(100)
}
