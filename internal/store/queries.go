package store

import (
	"bufio"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// queryFiles hold the store's fixed queries as "-- name: x" blocks, written
// with ? placeholders in SQL that both dialects accept: queries.sql for the
// core, queries_<area>.sql for each later area.
//
//go:embed queries*.sql
var queryFiles embed.FS

// loadQueries parses every query file and rewrites it for dialect.
func loadQueries(dialect string) (map[string]string, error) {
	out := map[string]string{}
	files, err := fs.Glob(queryFiles, "queries*.sql")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := queryFiles.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if err := parseQueries(f, string(data), dialect, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// parseQueries adds the named queries of one file to out.
func parseQueries(file, text, dialect string, out map[string]string) error {
	var name string
	var b strings.Builder
	flush := func() error {
		if name == "" {
			return nil
		}
		text := strings.TrimSpace(b.String())
		if text == "" {
			return fmt.Errorf("store: %s: query %q is empty", file, name)
		}
		if _, dup := out[name]; dup {
			return fmt.Errorf("store: %s: query %q defined twice", file, name)
		}
		out[name] = bind(dialect, text)
		b.Reset()
		return nil
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		if n, ok := strings.CutPrefix(line, "-- name:"); ok {
			if err := flush(); err != nil {
				return err
			}
			name = strings.TrimSpace(n)
			continue
		}
		if name != "" && !strings.HasPrefix(strings.TrimSpace(line), "--") {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return flush()
}

// bind is the one place that rewrites placeholders: every query is written
// with ?, and for PostgreSQL each ? outside quoted text becomes $1, $2, ...
// Named queries are bound once at start-up; queries built at run time
// (filters, IN lists) go through Store.bind.
func bind(dialect, q string) string {
	if dialect != Postgres {
		return q
	}
	return rebind(q)
}

// bind rewrites a query built at run time for the store's dialect.
func (s *Store) bind(q string) string { return bind(s.dialect, q) }

// rebind rewrites ? placeholders as $1, $2, ... outside quoted text.
func rebind(q string) string {
	var b strings.Builder
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// validate prepares every query against the current schema, so a query
// broken by a typo or a migration fails at start-up rather than in front of a
// user. The dynamic queries are validated with every filter set.
func (s *Store) validate(ctx context.Context) error {
	texts := make(map[string]string, len(s.queries)+2)
	for name, text := range s.queries {
		texts[name] = text
	}
	every := AccountFilter{Query: "x", Platform: "x", Kind: "x", Office: "x", Status: "x", Sort: "-created",
		After: accountKeysets["-created"].key(s.now(), int64(1))}
	accQ, _, _, err := s.accountsQuery(every)
	if err != nil {
		return err
	}
	texts["accounts (dynamic)"] = accQ
	texts["audit events (dynamic)"], _ = s.auditQuery(AuditFilter{
		Actor: "x", ActionPrefix: "x", ObjectType: "x", ObjectID: "x",
		Since: s.now(), Until: s.now(), BeforeSeq: 1, Limit: 1,
	})
	for name, text := range texts {
		st, err := s.r.PrepareContext(ctx, text)
		if err != nil {
			return fmt.Errorf("store: query %s does not fit the schema: %w", name, err)
		}
		st.Close()
	}
	return nil
}
