package store

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/errs"
)

// Page asks for one page of a list in keyset order: the rows after the row
// whose key is After ("" from the start). Lists read Limit+1 rows, so the
// caller knows whether another page follows; keys come from the list's own
// key function (IDKey, TimeIDKey, AccountKey), and inserts before a key do
// not move the pages after it.
type Page struct {
	After string
	Limit int
}

// keyset is an ORDER BY that a list pages through: its columns, the last
// one unique (the id), all ascending or all descending, so that one row
// comparison finds the rows after a key on both databases.
type keyset struct {
	cols  []string
	times []bool // which columns hold times
	desc  bool
}

func newKeyset(desc bool, cols ...string) keyset {
	k := keyset{desc: desc}
	for _, c := range cols {
		name, isTime := strings.CutSuffix(c, ":time")
		k.cols, k.times = append(k.cols, name), append(k.times, isTime)
	}
	return k
}

func (k keyset) orderBy() string {
	if !k.desc {
		return strings.Join(k.cols, ", ")
	}
	return strings.Join(k.cols, " DESC, ") + " DESC"
}

// key encodes the sort values of one row, in the keyset's column order
// (strings, times, and the int64 id last).
func (k keyset) key(vals ...any) string {
	out := make([]any, len(vals))
	for i, v := range vals {
		if t, ok := v.(time.Time); ok {
			v = normTime(t).Format(timeText)
		}
		out[i] = v
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// after is the condition selecting the rows after p.After ("" for none) and
// its arguments; a key this keyset did not make is invalid.
func (s *Store) after(k keyset, p Page) (string, []any, error) {
	if p.After == "" {
		return "", nil, nil
	}
	bad := errs.Errorf(errs.Invalid, "store.bad_cursor", "the cursor is not one this list gave")
	dec := json.NewDecoder(bytes.NewReader([]byte(p.After)))
	dec.UseNumber()
	var vals []any
	if err := dec.Decode(&vals); err != nil || len(vals) != len(k.cols) {
		return "", nil, bad
	}
	args := make([]any, len(vals))
	for i, v := range vals {
		switch v := v.(type) {
		case json.Number:
			n, err := v.Int64()
			if err != nil || k.times[i] {
				return "", nil, bad
			}
			args[i] = n
		case string:
			if !k.times[i] {
				args[i] = v
				continue
			}
			t, err := time.Parse(timeText, v)
			if err != nil {
				return "", nil, bad
			}
			args[i] = s.tv(t)
		default:
			return "", nil, bad
		}
	}
	op := " > "
	if k.desc {
		op = " < "
	}
	return "(" + strings.Join(k.cols, ", ") + ")" + op + "(?" + strings.Repeat(", ?", len(k.cols)-1) + ")", args, nil
}

var (
	idAsc     = newKeyset(false, "id")
	idDesc    = newKeyset(true, "id")
	timeIDAsc = newKeyset(false, "created_at:time", "id")
)

// afterID is the id of an IDKey ("" for none: 0), for the named queries
// that page by id with "(? = 0 OR id < ?)".
func (s *Store) afterID(after string) (int64, error) {
	_, args, err := s.after(idAsc, Page{After: after})
	if err != nil || len(args) == 0 {
		return 0, err
	}
	return args[0].(int64), nil
}

// IDKey is the key of the row id in a list ordered by id.
func IDKey(id int64) string { return idAsc.key(id) }

// TimeIDKey is the key of a row in a list ordered by (created_at, id).
func TimeIDKey(t time.Time, id int64) string { return timeIDAsc.key(t, id) }

// whereOf joins conditions into a WHERE clause ("" for none).
func whereOf(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}
