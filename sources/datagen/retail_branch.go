package datagen

import (
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/internal/colbuf"
)

// Branches: a static dimension of 20 branches (ids 1–20), append-only.

var branchFields = []field{{"branch_id", catalog.IntType}, {"name", str}, {"region", str}}

type branchRow struct{ id int32 }

var retailBranches = [...]struct{ name, region string }{
	{"Shanghai Lujiazui", "east"}, {"Shanghai Xujiahui", "east"}, {"Hangzhou Wulin", "east"},
	{"Nanjing Xinjiekou", "east"}, {"Suzhou Industrial Park", "east"}, {"Beijing Financial Street", "north"},
	{"Beijing Zhongguancun", "north"}, {"Tianjin Binhai", "north"}, {"Jinan Quancheng", "north"},
	{"Shenzhen Futian", "south"}, {"Guangzhou Tianhe", "south"}, {"Xiamen Siming", "south"},
	{"Fuzhou Gulou", "south"}, {"Chengdu Jinjiang", "west"}, {"Chongqing Jiefangbei", "west"},
	{"Xi'an Qujiang", "west"}, {"Kunming Dianchi", "west"}, {"Wuhan Jianghan", "central"},
	{"Changsha Furong", "central"}, {"Zhengzhou Zhengdong", "central"},
}

type branchModel struct{}

func (branchModel) event(_ *rng, n int64, q *retailQueue[branchRow]) {
	q.push(exec.Insert, branchRow{id: int32(n + 1)})
}

func (branchModel) put(b *colbuf.Batch, cols []int, i int, v *branchRow) {
	br := &retailBranches[v.id-1]
	for c, f := range cols {
		col := b.Cols[c]
		switch f {
		case 0:
			col.Int32s()[i] = v.id
		case 1:
			col.PutStringString(i, br.name)
		case 2:
			col.PutStringString(i, br.region)
		}
	}
}
