package expr

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// likeKind is the shape of a compiled LIKE pattern.
type likeKind uint8

const (
	likeExact    likeKind = iota // no wildcards
	likePrefix                   // 'abc%'
	likeSuffix                   // '%abc'
	likeContains                 // '%abc%'
	likeGeneral                  // anything else
)

// likePattern is a LIKE pattern compiled once: a fast-path shape or a
// token list for the general matcher. Matching is case-sensitive on bytes;
// '_' matches one UTF-8 character.
type likePattern struct {
	kind likeKind
	lit  string      // literal of the fast paths
	toks []likeToken // general
}

// likeToken is a literal run, '_' (any one char) or '%' (any run).
type likeToken struct {
	lit string
	any bool // '_'
	pct bool // '%'
}

func compileLikePattern(p string, esc rune) likePattern {
	var toks []likeToken
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			toks = append(toks, likeToken{lit: lit.String()})
			lit.Reset()
		}
	}
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == esc && i+1 < len(rs):
			i++
			lit.WriteRune(rs[i])
		case r == '%':
			flush()
			if len(toks) == 0 || !toks[len(toks)-1].pct {
				toks = append(toks, likeToken{pct: true})
			}
		case r == '_':
			flush()
			toks = append(toks, likeToken{any: true})
		default:
			lit.WriteRune(r)
		}
	}
	flush()
	isLit := func(t likeToken) bool { return !t.any && !t.pct }
	switch {
	case len(toks) == 0:
		return likePattern{kind: likeExact}
	case len(toks) == 1 && isLit(toks[0]):
		return likePattern{kind: likeExact, lit: toks[0].lit}
	case len(toks) == 1 && toks[0].pct:
		return likePattern{kind: likeContains}
	case len(toks) == 2 && isLit(toks[0]) && toks[1].pct:
		return likePattern{kind: likePrefix, lit: toks[0].lit}
	case len(toks) == 2 && toks[0].pct && isLit(toks[1]):
		return likePattern{kind: likeSuffix, lit: toks[1].lit}
	case len(toks) == 3 && toks[0].pct && isLit(toks[1]) && toks[2].pct:
		return likePattern{kind: likeContains, lit: toks[1].lit}
	}
	return likePattern{kind: likeGeneral, toks: toks}
}

func (p *likePattern) match(s string) bool {
	switch p.kind {
	case likeExact:
		return s == p.lit
	case likePrefix:
		return strings.HasPrefix(s, p.lit)
	case likeSuffix:
		return strings.HasSuffix(s, p.lit)
	case likeContains:
		return strings.Contains(s, p.lit)
	}
	return matchToks(p.toks, s)
}

// matchToks matches with backtracking only at '%' tokens.
func matchToks(toks []likeToken, s string) bool {
	for len(toks) > 0 {
		t := toks[0]
		switch {
		case t.pct:
			rest := toks[1:]
			if len(rest) == 0 {
				return true
			}
			for i := 0; i <= len(s); {
				if matchToks(rest, s[i:]) {
					return true
				}
				if i == len(s) {
					break
				}
				_, w := utf8.DecodeRuneInString(s[i:])
				i += w
			}
			return false
		case t.any:
			if s == "" {
				return false
			}
			_, w := utf8.DecodeRuneInString(s)
			s = s[w:]
		default:
			if !strings.HasPrefix(s, t.lit) {
				return false
			}
			s = s[len(t.lit):]
		}
		toks = toks[1:]
	}
	return s == ""
}

// likeKernel is s LIKE pattern [ESCAPE c]. A constant pattern is compiled
// once; a per-row pattern is recompiled only when it changes.
type likeKernel struct {
	s, pat Kernel
	esc    rune
	fixed  *likePattern
}

func (k *likeKernel) Type() catalog.Type { return catalog.BooleanType }

func (c *compiler) compileLike(e *scalar.Call) (Kernel, error) {
	if len(e.Args) < 2 || len(e.Args) > 3 {
		return nil, fmt.Errorf("%s: want 2 or 3 arguments", e)
	}
	ks, err := c.compileArgs(e.Args)
	if err != nil {
		return nil, err
	}
	k := &likeKernel{s: ks[0], pat: ks[1], esc: '\\'}
	if len(ks) == 3 {
		ec, ok := asConst(ks[2])
		es, _ := ec.v.(string)
		if !ok || utf8.RuneCountInString(es) > 1 {
			return nil, fmt.Errorf("%s: ESCAPE must be a constant single character", e)
		}
		k.esc = -1
		if es != "" {
			k.esc, _ = utf8.DecodeRuneInString(es)
		}
	}
	if pc, ok := asConst(ks[1]); ok && pc.v != nil {
		p := compileLikePattern(pc.v.(string), k.esc)
		k.fixed = &p
	}
	return k, nil
}

func (k *likeKernel) Eval(rec arrow.RecordBatch, mem memory.Allocator) (arrow.Array, error) {
	ops, err := evalOperands([]Kernel{k.s, k.pat}, rec, mem)
	if err != nil {
		return nil, err
	}
	defer releaseOperands(ops)
	n := int(rec.NumRows())
	if anyNullConst(ops) {
		return nullArray(mem, catalog.BooleanType, n), nil
	}
	vbuf, out := newBitOut(mem, n)
	s, pat := newStrAcc(ops[0]), newStrAcc(ops[1])
	p, last := k.fixed, ""
	for i := 0; i < n; i++ {
		v, _ := s.get(i)
		if k.fixed == nil {
			ps, ok := pat.get(i)
			if !ok {
				continue
			}
			if p == nil || ps != last {
				np := compileLikePattern(ps, k.esc)
				p, last = &np, ps
			}
		}
		if p.match(v) {
			out[i>>3] |= 1 << (uint(i) & 7)
		}
	}
	return fixedArray(arrow.FixedWidthTypes.Boolean, n, andValidity(mem, n, arrays(ops)...), vbuf), nil
}
