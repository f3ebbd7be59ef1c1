package pgwire

import (
	"context"
	"sort"
	"strings"

	wire "github.com/jeroenrinzema/psql-wire"
)

// defaultSettings are the PostgreSQL settings SHOW and current_setting
// answer, by lower-case name: canonical name and value. The endpoint is
// read-only, reads one snapshot per transaction, and sends times in UTC.
var defaultSettings = map[string][2]string{
	"server_encoding":               {"server_encoding", "UTF8"},
	"client_encoding":               {"client_encoding", "UTF8"},
	"datestyle":                     {"DateStyle", "ISO, MDY"},
	"intervalstyle":                 {"IntervalStyle", "postgres"},
	"timezone":                      {"TimeZone", "UTC"},
	"integer_datetimes":             {"integer_datetimes", "on"},
	"standard_conforming_strings":   {"standard_conforming_strings", "on"},
	"transaction_isolation":         {"transaction_isolation", "repeatable read"},
	"default_transaction_isolation": {"default_transaction_isolation", "repeatable read"},
	"transaction_read_only":         {"transaction_read_only", "on"},
	"default_transaction_read_only": {"default_transaction_read_only", "on"},
	"search_path":                   {"search_path", "main"},
	"application_name":              {"application_name", ""},
	"extra_float_digits":            {"extra_float_digits", "1"},
	"max_identifier_length":         {"max_identifier_length", "63"},
	"is_superuser":                  {"is_superuser", "off"},
	"statement_timeout":             {"statement_timeout", "0"},
	"lc_collate":                    {"lc_collate", "C"},
	"lc_ctype":                      {"lc_ctype", "C"},
	"lc_messages":                   {"lc_messages", "C"},
	"lc_monetary":                   {"lc_monetary", "C"},
	"lc_numeric":                    {"lc_numeric", "C"},
	"lc_time":                       {"lc_time", "C"},
	"max_index_keys":                {"max_index_keys", "32"},
	"block_size":                    {"block_size", "8192"},
}

// setting returns the canonical name and value of a setting: set in this
// session, else the server's version, else a default.
func (c *conn) setting(name string) (string, string, bool) {
	key := strings.ToLower(name)
	switch key {
	case "server_version":
		return "server_version", c.srv.cfg.ServerVersion, true
	case "server_version_num":
		return "server_version_num", versionNum(c.srv.cfg.ServerVersion), true
	case "session_authorization", "current_user":
		return key, c.user, true
	}
	canon, def, known := key, "", false
	if d, ok := defaultSettings[key]; ok {
		canon, def, known = d[0], d[1], true
	}
	if v, ok := c.settings[key]; ok {
		return canon, v, true
	}
	return canon, def, known
}

// versionNum turns "15.0" into "150000".
func versionNum(v string) string {
	major, minor, _ := strings.Cut(v, ".")
	minor, _, _ = strings.Cut(minor, " ")
	if len(minor) < 2 {
		minor = strings.Repeat("0", 2-len(minor)) + minor
	}
	return major + "00" + minor
}

// setStatement handles SET: session settings are remembered for SHOW and
// current_setting; SET TRANSACTION and similar are accepted (transactions
// are read-only snapshots whatever they ask for).
func (c *conn) setStatement(text string, kw []string) *wire.PreparedStatement {
	name, value := parseSet(text, kw)
	return wire.NewStatement(func(_ context.Context, w wire.DataWriter, _ []wire.Parameter) error {
		if err := c.guard(); err != nil {
			return err
		}
		if name != "" {
			if strings.EqualFold(value, "DEFAULT") {
				delete(c.settings, name)
			} else {
				c.settings[name] = value
			}
		}
		return w.Complete("SET")
	})
}

// parseSet returns the lower-case name and value of SET name {TO|=} value,
// SET TIME ZONE value; "" for the SET forms that store nothing.
func parseSet(text string, kw []string) (string, string) {
	n := 1
	if len(kw) > 1 && (kw[1] == "SESSION" || kw[1] == "LOCAL") {
		n = 2
	}
	if len(kw) > n && (kw[n] == "TRANSACTION" || kw[n] == "CHARACTERISTICS" || kw[n] == "AUTHORIZATION" || kw[n] == "ROLE") {
		return "", ""
	}
	if len(kw) > n+1 && kw[n] == "TIME" && kw[n+1] == "ZONE" {
		return "timezone", unquote(afterKeywords(text, n+2))
	}
	rest := afterKeywords(text, n)
	name, value := splitAssign(rest)
	return strings.ToLower(unquote(name)), value
}

// splitAssign splits "name TO value" or "name = value"; the value's quotes
// are removed from each comma-separated item.
func splitAssign(s string) (string, string) {
	var name, value string
	if i := strings.IndexByte(s, '='); i >= 0 {
		name, value = s[:i], s[i+1:]
	} else if f := strings.Fields(s); len(f) >= 2 && strings.EqualFold(f[1], "TO") {
		name = f[0]
		value = strings.TrimSpace(s[strings.Index(strings.ToUpper(s), " TO ")+4:])
	} else {
		return strings.TrimSpace(s), ""
	}
	parts := strings.Split(value, ",")
	for i, p := range parts {
		parts[i] = unquote(p)
	}
	return strings.TrimSpace(name), strings.Join(parts, ", ")
}

// unquote trims s and removes one pair of single or double quotes.
func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		q := string(s[0])
		return strings.ReplaceAll(s[1:len(s)-1], q+q, q)
	}
	return s
}

// resetStatement handles RESET name and RESET ALL.
func (c *conn) resetStatement(text string) *wire.PreparedStatement {
	name := strings.ToLower(unquote(afterKeywords(text, 1)))
	return wire.NewStatement(func(_ context.Context, w wire.DataWriter, _ []wire.Parameter) error {
		if name == "all" {
			clear(c.settings)
		} else {
			delete(c.settings, name)
		}
		return w.Complete("RESET")
	})
}

// showStatement answers SHOW of a PostgreSQL setting (or one SET in the
// session) and SHOW ALL; any other SHOW (SHOW TABLES, SHOW a table) goes
// to the backend.
func (c *conn) showStatement(text string, kw []string) (*wire.PreparedStatement, bool, error) {
	arg := afterKeywords(text, 1)
	switch {
	case len(kw) >= 4 && kw[1] == "TRANSACTION" && kw[2] == "ISOLATION" && kw[3] == "LEVEL":
		arg = "transaction_isolation"
	case len(kw) >= 3 && kw[1] == "TIME" && kw[2] == "ZONE":
		arg = "timezone"
	case len(kw) >= 3 && kw[1] == "SESSION" && kw[2] == "AUTHORIZATION":
		arg = "session_authorization"
	case len(kw) == 2 && kw[1] == "ALL" && strings.EqualFold(arg, "ALL"):
		return c.showAll(), true, nil
	}
	name, _, ok := c.setting(unquote(arg))
	if !ok {
		return nil, false, nil
	}
	return oneValue(name, func() (string, bool) {
		_, v, _ := c.setting(name)
		return v, true
	}), true, nil
}

// showAll lists every setting with its value.
func (c *conn) showAll() *wire.PreparedStatement {
	cols := wire.Columns{{Name: "name", Oid: oidText, Width: -1}, {Name: "setting", Oid: oidText, Width: -1}}
	return wire.NewStatement(func(_ context.Context, w wire.DataWriter, _ []wire.Parameter) error {
		names := []string{"server_version", "server_version_num", "session_authorization"}
		for k := range defaultSettings {
			names = append(names, k)
		}
		for k := range c.settings {
			if _, ok := defaultSettings[k]; !ok {
				names = append(names, k)
			}
		}
		sort.Strings(names)
		for _, n := range names {
			canon, v, _ := c.setting(n)
			if err := w.Row([]any{canon, v}); err != nil {
				return err
			}
		}
		return w.Complete("SHOW")
	}, wire.WithColumns(cols))
}
