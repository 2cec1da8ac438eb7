package leoc

import "strings"

// Personal data of households (issue 17, item 13). Whether a user sees it is
// decided by User.SeesPersonalData; what it is, is decided here, once per
// register, so that every way out — list, detail page, receipt, JSON, CSV,
// XLSX — shows the same masked record. Masking happens on a copy the
// handler is about to show, never on what is saved.

// MaskedText stands in for a masked value: the same in every language and
// in every output, so that a reader sees something was there but not what.
const MaskedText = "••••"

// maskText masks a value that was given; an empty one stays empty (the
// reader may know that no phone was recorded, not which one was).
func maskText(s *string) {
	if *s != "" {
		*s = MaskedText
	}
}

// MaskPersonal hides what identifies the household and its members: names,
// identity number, phone, place, coordinates, bank details and the free
// text (notes and the override reason may name people). Ward, tole, dates,
// counts, ages, sexes, harms' kinds, items and cash stay: the totals and
// statistics are built from them.
func (d *Distribution) MaskPersonal() {
	for _, p := range []*string{&d.HouseholdName, &d.HouseholdID, &d.FatherName, &d.Phone, &d.Place,
		&d.BankHolder, &d.BankAccount, &d.BankName, &d.Notes, &d.OverrideReason, &d.ReceivedBy} {
		maskText(p)
	}
	d.Coords = nil
	members := make([]Member, len(d.Members))
	for i, m := range d.Members {
		maskText(&m.Name)
		members[i] = m
	}
	d.Members = members
	harms := make([]Harm, len(d.Harms))
	for i, h := range d.Harms {
		maskText(&h.Member)
		harms[i] = h
	}
	d.Harms = harms
	d.Masked = true
}

// MaskPersonal hides the beneficiary's name, identity number, phone,
// coordinates, bank details and notes; allowance type, age, gender, ward and
// tole stay.
func (b *Beneficiary) MaskPersonal() {
	for _, p := range []*string{&b.Name, &b.IDNumber, &b.Phone, &b.BankAccountHolder, &b.BankAccountNumber, &b.BankName, &b.Notes} {
		maskText(p)
	}
	b.Coords = nil
	b.Masked = true
}

// MaskPersonal hides the household named in a system entry's description
// (the store writes "राहत वितरण दर्ता नं. N: <household head>"); amount, date and the
// link to the distribution stay. Manual entries name no household.
func (f *FundTransaction) MaskPersonal() {
	if !f.System {
		return
	}
	if i := strings.Index(f.Description, ": "); i >= 0 {
		f.Description = f.Description[:i+2] + MaskedText
	} else {
		f.Description = MaskedText
	}
	f.Masked = true
}
