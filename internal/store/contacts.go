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

// contacts declares how emergency contacts are kept.
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
}

// contactRules checks what the domain cannot: the ward exists and the user
// may write it. A category not in the list fails its foreign key.
func (t *Tx) contactRules(ctx context.Context, u *leoc.User, c *leoc.Contact) error {
	if err := u.WardWriteError(c.Ward); err != nil {
		return err
	}
	return t.checkEventLogWard(ctx, c.Ward)
}

// contactError answers a category removed from the list, or never in it.
func contactError(err error) error {
	if IsForeignKey(err) {
		return &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("error.validation"), Fields: map[string]leoc.Msg{"category": leoc.M("field.choice")}, Err: err}
	}
	return err
}

// CreateContact adds a contact, locked, and audits it.
func (s *Store) CreateContact(ctx context.Context, actor Actor, u *leoc.User, c *leoc.Contact) error {
	return contactError(s.WithTx(ctx, func(tx *Tx) error {
		if err := tx.contactRules(ctx, u, c); err != nil {
			return err
		}
		return contacts.insert(ctx, tx, actor, c)
	}))
}

// Contact loads one contact.
func (s *Store) Contact(ctx context.Context, id int64) (*leoc.Contact, error) {
	return contacts.Get(ctx, s, id)
}

// UpdateContact saves a contact writable by u if nobody saved it since
// version c.Version was loaded.
func (s *Store) UpdateContact(ctx context.Context, actor Actor, u *leoc.User, c *leoc.Contact) error {
	return contactError(s.WithTx(ctx, func(tx *Tx) error {
		old, err := contacts.change(ctx, tx, actor, u, c, func() error { return tx.contactRules(ctx, u, c) })
		if err != nil {
			return err
		}
		return contacts.audit(ctx, tx, actor, "record.update", c.ID, map[string]any{"changes": Changes(old.Fields(), c.Fields())})
	}))
}

// DeleteContact removes a contact writable by u; it stays in the audit trail.
func (s *Store) DeleteContact(ctx context.Context, actor Actor, u *leoc.User, id int64) error {
	return contacts.Delete(ctx, s, actor, u, id)
}

var contactSort = map[string]string{"organisation": "organisation", "category": "category", "ward": "ward"}

// Contacts lists one page of contacts, by category and organisation unless
// sorted otherwise. Types filter the category; a ward filter keeps the
// contacts of the whole municipality, which concern every ward.
func (s *Store) Contacts(ctx context.Context, f RecordFilter) ([]*leoc.Contact, int, error) {
	var w where
	s.common(&w, RecordFilter{Query: f.Query}, "", "organisation", "person", "designation")
	w.in("category", len(f.Types), func(i int) any { return f.Types[i] })
	if len(f.Wards) > 0 {
		var in where
		in.in("ward", len(f.Wards), func(i int) any { return f.Wards[i] })
		w.add("("+in.parts[0]+" OR ward IS NULL)", in.args...)
	}
	return contacts.List(ctx, s, w, f, contactSort, "category, organisation, id")
}
