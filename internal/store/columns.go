package store

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

// Column types that read and write themselves, so a register's Scan and
// Args name its fields instead of parsing text after the scan. Both drivers
// give TEXT columns as string (or []byte).

// datedDest are the scan destinations of a dated record's date_bs, date_ad
// and fiscal_year columns; datedArgs are their values.
func datedDest(d *leoc.Dated) []any {
	return []any{(*bsColumn)(&d.DateBS), (*adColumn)(&d.DateAD), &d.FiscalYear.Start}
}

func datedArgs(d leoc.Dated) []any {
	return []any{d.DateBS.String(), dateText(d.DateAD), d.FiscalYear.Start}
}

// bsColumn is a BS date kept as "YYYY-MM-DD"; "" is the zero date (none).
type bsColumn bs.Date

func (d *bsColumn) Scan(src any) error {
	text, err := columnText(src)
	if err == nil && text != "" {
		*(*bs.Date)(d), err = storedDate(text)
	}
	return err
}

func (d bsColumn) Value() (driver.Value, error) {
	if bs.Date(d).IsZero() {
		return "", nil
	}
	return bs.Date(d).String(), nil
}

// adColumn is an AD date kept as "YYYY-MM-DD".
type adColumn time.Time

func (t *adColumn) Scan(src any) error {
	text, err := columnText(src)
	if err == nil {
		*(*time.Time)(t), err = time.Parse(time.DateOnly, text)
	}
	return err
}

// jsonColumn is a value kept as JSON text; "" is nil.
type jsonColumn[T any] struct{ p **T }

func (c jsonColumn[T]) Scan(src any) error {
	text, err := columnText(src)
	if err != nil || text == "" {
		*c.p = nil
		return err
	}
	*c.p = new(T)
	return json.Unmarshal([]byte(text), *c.p)
}

func (c jsonColumn[T]) Value() (driver.Value, error) {
	if *c.p == nil {
		return "", nil
	}
	b, err := json.Marshal(*c.p)
	return string(b), err
}

func columnText(src any) (string, error) {
	switch v := src.(type) {
	case string:
		return v, nil
	case []byte:
		return string(v), nil
	case nil:
		return "", nil
	}
	return "", fmt.Errorf("store: %T in a text column", src)
}
