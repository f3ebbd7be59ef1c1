package parser

import "strings"

// withOptions parses `WITH ( key = value, ... )`. Keys are quoted strings or
// dotted names (scan.startup.mode); values are quoted strings, numbers or
// bare words (true); all are kept as text for the planner to validate.
func (c *cursor) withOptions() ([]Option, *Error) {
	c.next() // WITH
	if err := c.expectPunct("(", "after WITH"); err != nil {
		return nil, err
	}
	opts := []Option{}
	if c.acceptPunct(")") {
		return opts, nil
	}
	for {
		opt, err := c.option()
		if err != nil {
			return nil, err
		}
		opts = append(opts, opt)
		if c.acceptPunct(")") {
			return opts, nil
		}
		if !c.acceptPunct(",") {
			return nil, c.errAt(c.peek(), "expected \",\" or \")\" after option %s, found %s", opt.Key, describe(c.peek()))
		}
	}
}

func (c *cursor) option() (Option, *Error) {
	var opt Option
	k := c.peek()
	opt.KeyPos = k.start
	switch {
	case k.kind == tokString:
		c.i++
		opt.Key = k.value()
	case k.isName():
		parts := []string{}
		for {
			id, err := c.name("an option name")
			if err != nil {
				return opt, err
			}
			parts = append(parts, id.Name)
			if !c.acceptPunct(".") {
				break
			}
		}
		opt.Key = strings.Join(parts, ".")
	default:
		return opt, c.errAt(k, "expected an option name, found %s", describe(k))
	}
	if !c.acceptPunct("=") {
		return opt, c.errAt(c.peek(), "expected \"=\" after option %s, found %s", opt.Key, describe(c.peek()))
	}
	v := c.peek()
	opt.ValuePos = v.start
	switch {
	case v.kind == tokString || v.kind == tokNumber || v.kind == tokIdent:
		c.i++
		opt.Value = v.value()
	case v.isPunct("-") && c.i+1 < len(c.toks) && c.toks[c.i+1].kind == tokNumber:
		c.i += 2
		opt.Value = "-" + c.toks[c.i-1].text
	default:
		return opt, c.errAt(v, "expected a quoted string or a number as the value of %s, found %s", opt.Key, describe(v))
	}
	return opt, nil
}

// matchParen returns the index of the ')' matching the '(' at toks[open],
// or -1.
func matchParen(toks []token, open int) int {
	depth := 0
	for i := open; i < len(toks); i++ {
		switch {
		case toks[i].isPunct("("):
			depth++
		case toks[i].isPunct(")"):
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// matchParenBack returns the index of the '(' matching the ')' at
// toks[close], or -1.
func matchParenBack(toks []token, close int) int {
	depth := 0
	for i := close; i >= 0; i-- {
		switch {
		case toks[i].isPunct(")"):
			depth++
		case toks[i].isPunct("("):
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// splitTopLevel splits toks at commas outside parentheses.
func splitTopLevel(toks []token) [][]token {
	var out [][]token
	depth, start := 0, 0
	for i, t := range toks {
		switch {
		case t.isPunct("("):
			depth++
		case t.isPunct(")"):
			depth--
		case t.isPunct(",") && depth == 0:
			out = append(out, toks[start:i])
			start = i + 1
		}
	}
	if len(toks) > 0 {
		out = append(out, toks[start:])
	}
	return out
}
