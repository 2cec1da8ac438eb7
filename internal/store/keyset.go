package store

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"leoc/internal/leoc"
)

// Keyset pagination. A list page is read from where the page before ended
// (the sort values and id of its last row, sealed into an opaque cursor),
// so page 1000 costs what page 1 costs. A page asked for by number reads
// only the ids of the rows before it from an index (a deferred join), never
// the rows themselves.

// Keyset is where a list reports the cursor of the page after the one it
// read: Next is empty on the last page.
type Keyset struct {
	Next string
	// Capped: the list's total counts only the first matches of a search
	// (maxSearchTotal); more follow.
	Capped bool
}

const cursorLabel = "leoc list cursor v1"

// SetCursorKey derives the key that seals list cursors from the secret key,
// so every replica reads the others' cursors. Without it a store seals
// with a random key of its own (cursors then last as long as the process).
func (s *Store) SetCursorKey(secret []byte) error {
	key, err := hkdf.Key(sha256.New, secret, nil, cursorLabel, 32)
	if err != nil {
		return fmt.Errorf("store: derive cursor key: %w", err)
	}
	return s.setCursorKey(key)
}

func (s *Store) setCursorKey(key []byte) error {
	block, err := aes.NewCipher(key)
	if err != nil {
		return fmt.Errorf("store: cursor key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return fmt.Errorf("store: cursor key: %w", err)
	}
	s.cursorAEAD = aead
	return nil
}

func (s *Store) randomCursorKey() error {
	key := make([]byte, 32)
	rand.Read(key)
	return s.setCursorKey(key)
}

// cursorKey is one row's place in a list: the list it belongs to (table and
// order) and the values of the order's columns, the id last. It is sealed
// because sort values may be personal data (a name) the user sees masked.
type cursorKey struct {
	Order  string      `json:"o"`
	Values []cursorVal `json:"v"`
}

// cursorVal keeps a value's type through JSON: a time stays a time, so it
// is compared with stored times as the driver writes them.
type cursorVal struct {
	Int  *int64     `json:"i,omitempty"`
	Text *string    `json:"s,omitempty"`
	Time *time.Time `json:"t,omitempty"`
	Real *float64   `json:"f,omitempty"`
	Bool *bool      `json:"b,omitempty"`
}

func toCursorVal(v any) (cursorVal, error) {
	switch x := v.(type) {
	case nil:
		return cursorVal{}, nil
	case int64:
		return cursorVal{Int: &x}, nil
	case string:
		return cursorVal{Text: &x}, nil
	case []byte:
		s := string(x)
		return cursorVal{Text: &s}, nil
	case time.Time:
		return cursorVal{Time: &x}, nil
	case float64:
		return cursorVal{Real: &x}, nil
	case bool:
		return cursorVal{Bool: &x}, nil
	}
	return cursorVal{}, fmt.Errorf("store: cursor value of type %T", v)
}

func (c cursorVal) value() any {
	switch {
	case c.Int != nil:
		return *c.Int
	case c.Text != nil:
		return *c.Text
	case c.Time != nil:
		return c.Time.UTC()
	case c.Real != nil:
		return *c.Real
	case c.Bool != nil:
		return *c.Bool
	}
	return nil
}

func (s *Store) sealCursor(k cursorKey) (string, error) {
	plain, err := json.Marshal(k)
	if err != nil {
		return "", fmt.Errorf("store: cursor: %w", err)
	}
	nonce := make([]byte, s.cursorAEAD.NonceSize())
	rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(s.cursorAEAD.Seal(nonce, nonce, plain, nil)), nil
}

// errBadCursor answers a cursor that was changed, cut, made for another list
// or order, or sealed with another key: the client gets 400, never a page
// of something else.
var errBadCursor = leoc.Errorf(leoc.EInvalid, "list.cursor_invalid")

func (s *Store) openCursor(token, order string) ([]any, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	n := s.cursorAEAD.NonceSize()
	if err != nil || len(raw) < n {
		return nil, errBadCursor
	}
	plain, err := s.cursorAEAD.Open(nil, raw[:n], raw[n:], nil)
	if err != nil {
		return nil, errBadCursor
	}
	var k cursorKey
	if json.Unmarshal(plain, &k) != nil || k.Order != order {
		return nil, errBadCursor
	}
	out := make([]any, len(k.Values))
	for i, v := range k.Values {
		out[i] = v.value()
	}
	return out, nil
}

// keyOrder is an ORDER BY that keyset pagination can follow: plain columns,
// all in one direction, ending in the unique id.
type keyOrder struct {
	clause string // " ORDER BY …" as given
	cols   []string
	desc   bool
}

// parseOrder reads " ORDER BY a DESC, b DESC, id DESC"; ok is false for an
// order keyset pages cannot follow (mixed directions, expressions, not
// ending in the unique id unless unique says the columns identify a row
// together), which is then paged by offset only.
func parseOrder(clause string, unique bool) (o keyOrder, ok bool) {
	o.clause = clause
	body, found := strings.CutPrefix(strings.TrimSpace(clause), "ORDER BY ")
	if !found {
		return o, false
	}
	for i, part := range strings.Split(body, ",") {
		f := strings.Fields(part)
		if len(f) == 0 || len(f) > 2 || !isColumnName(f[0]) {
			return o, false
		}
		desc := len(f) == 2 && strings.EqualFold(f[1], "DESC")
		if len(f) == 2 && !desc && !strings.EqualFold(f[1], "ASC") {
			return o, false
		}
		if i > 0 && desc != o.desc {
			return o, false
		}
		o.desc = desc
		o.cols = append(o.cols, f[0])
	}
	return o, unique || o.cols[len(o.cols)-1] == "id"
}

func isColumnName(s string) bool {
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// nullableSortColumns are the sort columns that may hold NULL (a contact or
// an operations-log entry of the whole municipality has no ward); the
// others are NOT NULL in the schema, and their keyset condition can be one
// row-value comparison, which both databases follow in an index.
var nullableSortColumns = map[string]bool{
	"contacts.ward":   true,
	"event_logs.ward": true,
}

// listPage describes one list query: the table, the columns scan reads, the
// filter and the order.
type listPage struct {
	table, read string
	w           *where
	order       string // " ORDER BY …"
	// unique: the order's columns identify a row together (a table whose
	// key is composite, such as the stock balances, has no id to end on).
	unique bool
	// keysFirst: the first page and a page after a cursor, too, find their
	// rows' keys first (the deferred join) in an index that covers filter
	// and order. Without it PostgreSQL may walk the primary key in id order
	// and filter, counting on the matches being spread evenly over the
	// table: when they all lie before the cursor (or after the table's
	// start) it reads the rest of the table for one page.
	keysFirst bool
	// total is the filter's number of rows when the caller knows it (0:
	// not known): a page by number in the second half is then counted
	// from the end, so the last page skips no rows.
	total int
	// narrow, when set, is where the filter and the order are answered from
	// an index that holds their columns (a search of common words tested
	// row by row, 0029): the rows of w in order, at most n, selecting cols
	// (narrowRows). The page's ids are found there first, as for a page by
	// number, and only the page's rows are read from the table.
	narrow narrowFunc
	// carry: a page by number sums a column over the rows it skips, in
	// the same read of the index (carrySkip), rather than skipping them
	// and summing them again.
	carry *pageCarry
}

// pageCarry is a column summed over the rows a page by number skips: the
// rows before the page, or, when the page is counted from the end, the
// rows after it. It serves lists whose order within the filter is the id
// order (the order's other columns fixed by the filter: fixed are their
// values), so the last row skipped is the one with the highest id.
type pageCarry struct {
	col   string
	fixed []any
	// Set by readPage: done when it summed the skipped rows; after when
	// sum is over the rows after the page.
	sum         int64
	done, after bool
}

// narrowFunc is a FROM item of the rows of w in order, at most n, selecting
// cols, read from an index that holds the filter's and the order's columns.
type narrowFunc func(cols string, w *where, order string, n int) (string, []any)

// rowKey is what the deferred join selects to name a page's rows: the id,
// or the order's columns where they are the key.
func (p listPage) rowKey(o keyOrder) string {
	if p.unique {
		return "(" + strings.Join(o.cols, ", ") + ")"
	}
	return "id"
}

// readPage reads the page f asks for — after its cursor, else by page
// number — calling scan for each row, and sets f.Keyset.Next when more
// rows follow.
func (s *Store) readPage(ctx context.Context, p listPage, f RecordFilter, scan func(rowScanner) error) error {
	limit, offset := pageBounds(f.Page, f.PerPage)
	o, keyed := parseOrder(p.order, p.unique)
	sig := p.table + ":" + strings.Join(o.cols, ",")
	if o.desc {
		sig += ":desc"
	}
	w := &where{parts: slices.Clone(p.w.parts), args: slices.Clone(p.w.args)}
	var q string
	var args []any
	inner := ""
	if f.After == "" && offset > 0 && keyed && p.carry != nil {
		var err error
		if inner, err = s.carrySkip(ctx, p, o, w, offset, limit); err != nil {
			return err
		}
	}
	switch {
	case inner != "":
		q, args = p.deferredJoin(o, keyed, w, inner, limit+1, 0)
	case f.After != "" && !keyed:
		return errBadCursor
	case f.After != "":
		after, err := s.openCursor(f.After, sig)
		if err != nil || len(after) != len(o.cols) {
			return errBadCursor
		}
		s.addAfter(w, p.table, o, after)
		q, args = p.pageFrom(o, keyed, w, limit+1)
	case offset > 0 && p.total > 0 && offset > p.total/2:
		// The rows offset … offset+limit (one more to know a page
		// follows) are the rows total-offset-limit-1 … from the end.
		back, n := p.total-offset-limit-1, limit+1
		if back < 0 {
			back, n = 0, max(n+back, 0)
		}
		q, args = p.deferredJoin(o, keyed, w, o.reversed(), n, back)
	case offset > 0:
		q, args = p.deferredJoin(o, keyed, w, p.order, limit+1, offset)
	default:
		q, args = p.pageFrom(o, keyed, w, limit+1)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: list %s: %w", p.table, err)
	}
	defer rows.Close()
	kr := &keyRow{r: rows}
	if keyed {
		kr.keys = make([]any, len(o.cols))
	}
	n := 0
	for rows.Next() {
		if n == limit {
			if f.Keyset != nil && keyed {
				if f.Keyset.Next, err = s.nextCursor(sig, kr.keys); err != nil {
					return err
				}
			}
			break
		}
		if err := scan(kr); err != nil {
			return fmt.Errorf("store: list %s: %w", p.table, err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: list %s: %w", p.table, err)
	}
	return nil
}

// carrySkip skips the rows before the page by number (or, in the second
// half, those after it, from the end), summing p.carry's column over them
// in one read of the index: SUM and the edge id over the first offset rows
// (LIMIT ?). It then bounds w to the page's rows, from the edge on, and
// returns the order to read them in (LIMIT ?), "" when it did not (the
// last page, which skips nothing from the end, or a page past the end).
func (s *Store) carrySkip(ctx context.Context, p listPage, o keyOrder, w *where, offset, limit int) (string, error) {
	inner, n, edge, cmp := p.order, offset, "MAX", " > "
	after := p.total > 0 && offset > p.total/2
	if after {
		// Every row after the page is summed; the first of them (the
		// lowest id, which tells that a page follows) is read again
		// with the page (<=).
		inner, n, edge, cmp = o.reversed(), p.total-offset-limit, "MIN", " <= "
		if n <= 0 {
			return "", nil
		}
	}
	if o.desc {
		return "", nil
	}
	var sum, id sql.NullInt64
	err := s.queryRow(ctx, "SELECT SUM("+p.carry.col+"), "+edge+"(id) FROM (SELECT id, "+p.carry.col+" FROM "+p.table+w.sql()+inner+" LIMIT ?) s",
		append(slices.Clone(w.args), n)...).Scan(&sum, &id)
	if err != nil {
		return "", fmt.Errorf("store: list %s: %w", p.table, err)
	}
	if !id.Valid {
		return "", nil
	}
	key := append(slices.Clone(p.carry.fixed), id.Int64)
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(key)), ", ")
	w.add("("+strings.Join(o.cols, ", ")+")"+cmp+"("+marks+")", key...)
	p.carry.sum, p.carry.done, p.carry.after = sum.Int64, true, after
	return inner, nil
}

// pageFrom reads the first n rows that pass w in the order.
func (p listPage) pageFrom(o keyOrder, keyed bool, w *where, n int) (string, []any) {
	if p.keysFirst || p.narrow != nil {
		return p.deferredJoin(o, keyed, w, p.order, n, 0)
	}
	return "SELECT " + p.read + keyColumns(o, keyed) + " FROM " + p.table + w.sql() + p.order + " LIMIT ?", append(w.args, n)
}

// deferredJoin finds the keys of the page (in the order inner, limit rows
// after skipping offset) in an index that covers filter and order — or in
// the narrow index of a search (p.narrow) — and reads only the page's rows,
// in the list's order.
func (p listPage) deferredJoin(o keyOrder, keyed bool, w *where, inner string, limit, offset int) (string, []any) {
	key := p.rowKey(o)
	from, args := p.table+w.sql(), w.args
	if p.narrow != nil {
		from, args = p.narrow(strings.Join(o.cols, ", "), w, inner, limit+offset)
		from += " AS found"
	}
	q := "SELECT " + p.read + keyColumns(o, keyed) + " FROM " + p.table + " WHERE " + key + " IN (SELECT " + strings.Trim(key, "()") + " FROM " + from +
		inner + " LIMIT ?"
	args = append(args, limit)
	if offset > 0 {
		q += " OFFSET ?"
		args = append(args, offset)
	}
	return q + ")" + p.order, args
}

// reversed is the order read from its end.
func (o keyOrder) reversed() string {
	dir := " DESC"
	if o.desc {
		dir = ""
	}
	return " ORDER BY " + strings.Join(o.cols, dir+", ") + dir
}

func keyColumns(o keyOrder, keyed bool) string {
	if !keyed {
		return ""
	}
	return ", " + strings.Join(o.cols, ", ")
}

func (s *Store) nextCursor(sig string, keys []any) (string, error) {
	k := cursorKey{Order: sig, Values: make([]cursorVal, len(keys))}
	for i, v := range keys {
		cv, err := toCursorVal(v)
		if err != nil {
			return "", err
		}
		k.Values[i] = cv
	}
	return s.sealCursor(k)
}

// keyRow scans a row's order columns behind the columns the register's
// scan reads, so the last row's place is known without another query.
type keyRow struct {
	r    rowScanner
	keys []any
	dest []any // the register's destinations and the keys', kept between rows
}

func (k *keyRow) Scan(dest ...any) error {
	if len(k.keys) == 0 {
		return k.r.Scan(dest...)
	}
	k.dest = append(k.dest[:0], dest...)
	for i := range k.keys {
		k.dest = append(k.dest, &k.keys[i])
	}
	return k.r.Scan(k.dest...)
}

// addAfter keeps the rows that come after the cursor's row in the order.
func (s *Store) addAfter(w *where, table string, o keyOrder, after []any) {
	cmp := " > "
	if o.desc {
		cmp = " < "
	}
	nullable := slices.ContainsFunc(o.cols, func(c string) bool { return nullableSortColumns[table+"."+c] })
	if !nullable {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(after)), ", ")
		w.add("("+strings.Join(o.cols, ", ")+")"+cmp+"("+marks+")", after...)
		return
	}
	// With NULLs a row value compares to NULL, so the condition is spelt
	// out: equal on the columns before, after on this one, where NULL
	// sorts as each database sorts it (SQLite: smallest; PostgreSQL:
	// largest).
	nullsAfter := (s.dialect == SQLite) == o.desc
	var ors []string
	var args []any
	for i, col := range o.cols {
		var ands []string
		for j := range i {
			if after[j] == nil {
				ands = append(ands, o.cols[j]+" IS NULL")
			} else {
				ands = append(ands, o.cols[j]+" = ?")
				args = append(args, after[j])
			}
		}
		switch {
		case after[i] != nil && nullsAfter:
			ands = append(ands, "("+col+cmp+"? OR "+col+" IS NULL)")
			args = append(args, after[i])
		case after[i] != nil:
			ands = append(ands, col+cmp+"?")
			args = append(args, after[i])
		case nullsAfter:
			ands = append(ands, "1 = 0")
		default:
			ands = append(ands, col+" IS NOT NULL")
		}
		ors = append(ors, "("+strings.Join(ands, " AND ")+")")
	}
	w.add("("+strings.Join(ors, " OR ")+")", args...)
}
