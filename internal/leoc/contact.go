package leoc

import (
	"net/mail"
	"strconv"
	"strings"

	"leoc/internal/bs"
)

// Contact is one entry of the emergency contacts directory (आपत्कालीन
// सम्पर्क): an office or a person to call in an emergency, of a ward or of
// the whole municipality (Ward 0).
type Contact struct {
	Record
	Organisation, Person, Designation string
	Category                          string // key of the contact_category list
	Phones                            []string
	Email                             string
	Ward                              int
	Address, Hours, Notes             string
}

// ContactMaxPhones is how many numbers one contact holds.
const ContactMaxPhones = 5

// ContactLimits are a contact's field limits.
var ContactLimits = Limits{
	"organisation": {Required: true, MaxLen: 200}, "person": {MaxLen: 200}, "designation": {MaxLen: 200},
	"category": {Required: true}, "email": {MaxLen: 200}, "ward": {Min: 1, Max: 99}, "address": {MaxLen: 500},
	"hours": {MaxLen: 200}, "notes": {MaxLen: 4000},
}

// ContactInput is what a person types; Apply turns it into a Contact.
type ContactInput struct {
	ContactFields
	Version int `json:"version"`
}

// ContactFields are a contact's fields as the API and the form name them.
type ContactFields struct {
	Organisation string   `json:"organisation"`
	Person       string   `json:"person"`
	Designation  string   `json:"designation"`
	Category     string   `json:"category"`
	Phones       []string `json:"phones"`
	Email        string   `json:"email"`
	Ward         *int     `json:"ward"` // null: the whole municipality
	Address      string   `json:"address"`
	Hours        string   `json:"hours"`
	Notes        string   `json:"notes"`
}

// Apply validates in and copies it onto c. The category and the ward are
// checked against the settings when the contact is saved.
func (in *ContactInput) Apply(_ *bs.Calendar, c *Contact) error {
	var v Validation
	for f, s := range map[string]*string{"organisation": &in.Organisation, "person": &in.Person, "designation": &in.Designation,
		"email": &in.Email, "address": &in.Address, "hours": &in.Hours, "notes": &in.Notes} {
		ContactLimits.Text(&v, f, s)
	}
	in.Category = strings.TrimSpace(in.Category)
	v.Check(in.Category != "", "category", "field.required")
	if in.Email != "" && !v.Has("email") {
		a, err := mail.ParseAddress(in.Email)
		v.Check(err == nil && a.Address == in.Email, "email", "contact.email_invalid")
	}
	c.Ward = 0
	if in.Ward != nil {
		v.Check(*in.Ward >= 1 && *in.Ward <= 99, "ward", "ward.number_invalid")
		c.Ward = *in.Ward
	}
	c.Phones = nil
	for _, raw := range in.Phones {
		if p, ok := NormalizePhone(raw); ok {
			c.Phones = append(c.Phones, p)
		} else if strings.TrimSpace(raw) != "" {
			v.Add("phones", "contact.phone_invalid", raw)
		}
	}
	v.Check(len(c.Phones) > 0 || v.Has("phones"), "phones", "contact.phone_required")
	v.Check(len(c.Phones) <= ContactMaxPhones, "phones", "contact.phones_max", ContactMaxPhones)
	c.Organisation, c.Person, c.Designation, c.Category = in.Organisation, in.Person, in.Designation, in.Category
	c.Email, c.Address, c.Hours, c.Notes = in.Email, in.Address, in.Hours, in.Notes
	return v.Err()
}

// Input is the contact as its form and API take it, to edit it.
func (c *Contact) Input() ContactInput {
	in := ContactInput{ContactFields{Organisation: c.Organisation, Person: c.Person, Designation: c.Designation, Category: c.Category,
		Phones: c.Phones, Email: c.Email, Address: c.Address, Hours: c.Hours, Notes: c.Notes}, c.Version}
	if c.Ward != 0 {
		w := c.Ward
		in.Ward = &w
	}
	return in
}

// Fields is the audit view of a contact.
func (c *Contact) Fields() map[string]any {
	return map[string]any{"organisation": c.Organisation, "person": c.Person, "designation": c.Designation,
		"category": c.Category, "phones": strings.Join(c.Phones, ", "), "email": c.Email, "ward": strconv.Itoa(c.Ward),
		"address": c.Address, "hours": c.Hours, "notes": c.Notes}
}
