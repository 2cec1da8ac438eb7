package store

import (
	"context"
	"database/sql"
	"strings"

	"leoc/internal/leoc"
)

// ListContactCategory is the list of contact categories.
const ListContactCategory = "contact_category"

// ContactRegister plugs the emergency contacts into locking, ward limits
// and settings.
var ContactRegister = contacts.Register

// Contacts are the emergency contacts.
func (s *Store) Contacts() Records[*leoc.Contact] { return contacts.In(s) }

// contacts declares how emergency contacts are kept: q searches the
// organisation, person and designation; Types filter the category; a ward
// filter keeps the contacts of the whole municipality (ward NULL), which
// concern every ward.
var contacts = Table[*leoc.Contact]{
	Register: Register{Name: "contacts", Table: "contacts", WardColumn: "ward",
		ListColumns: []ListColumn{{List: ListContactCategory, Table: "contacts", Column: "category"}}},
	Read:  "id, organisation, person, designation, category, phones, email, ward, address, hours, notes, " + recordColumns,
	Write: []string{"organisation", "person", "designation", "category", "phones", "email", "ward", "address", "hours", "notes"},
	Scan: func(s *Store, r rowScanner) (*leoc.Contact, error) {
		var c leoc.Contact
		var phones string
		var ward sql.NullInt64
		dest := append([]any{&c.ID, &c.Organisation, &c.Person, &c.Designation, &c.Category, &phones, &c.Email, &ward,
			&c.Address, &c.Hours, &c.Notes}, recordDest(&c.Record)...)
		if err := r.Scan(dest...); err != nil {
			return nil, err
		}
		c.Phones, c.Ward = strings.Split(phones, ","), int(ward.Int64)
		s.settle(&c.Record)
		return &c, nil
	},
	Args: func(c *leoc.Contact) []any {
		return []any{c.Organisation, c.Person, c.Designation, c.Category, strings.Join(c.Phones, ","), c.Email, nullWard(c.Ward),
			c.Address, c.Hours, c.Notes}
	},
	// The ward must exist and be the user's to write.
	Check: func(ctx context.Context, tx *Tx, u *leoc.User, c *leoc.Contact) error {
		if err := u.WardWriteError(c.Ward); err != nil {
			return err
		}
		return tx.checkEventLogWard(ctx, c.Ward)
	},
	// A category not in the list fails its foreign key.
	WriteError: func(err error) error {
		if IsForeignKey(err) {
			return &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("error.validation"), Fields: map[string]leoc.Msg{"category": leoc.M("field.choice")}, Err: err}
		}
		return err
	},
	Search: []string{"organisation", "person", "designation"},
	Narrow: func(w *where, f RecordFilter) {
		w.in("category", len(f.Types), func(i int) any { return f.Types[i] })
		if len(f.Wards) > 0 {
			var in where
			in.in("ward", len(f.Wards), func(i int) any { return f.Wards[i] })
			w.add("("+in.parts[0]+" OR ward IS NULL)", in.args...)
		}
	},
	Sort:  map[string]string{"organisation": "organisation", "category": "category", "ward": "ward"},
	Order: "category, organisation, id",
}
