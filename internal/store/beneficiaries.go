package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

// BeneficiaryRegister plugs the social-security beneficiaries into
// locking, ward limits and settings.
var BeneficiaryRegister = beneficiaries.Register

// beneficiaries declares how beneficiaries are kept.
var beneficiaries = Table[*leoc.Beneficiary]{
	Register: Register{Name: "beneficiaries", Table: "beneficiaries", WardColumn: "ward",
		ListColumns: []ListColumn{{List: ListAllowanceType, Table: "beneficiaries", Column: "allowance_type"}}},
	Read: beneficiaryColumns,
	Write: []string{"name", "id_number", "id_key", "allowance_type", "age", "gender", "ward", "tole", "latitude", "longitude",
		"phone", "bank_account_holder", "bank_account_number", "bank_name", "notes", "search"},
	Scan: (*Store).scanBeneficiary,
	Args: beneficiaryArgs,
}

const beneficiaryColumns = `id, name, id_number, allowance_type, age, gender, ward, tole, latitude, longitude, phone,
	bank_account_holder, bank_account_number, bank_name, notes, ` + recordColumns

func (s *Store) scanBeneficiary(r rowScanner) (*leoc.Beneficiary, error) {
	var b leoc.Beneficiary
	var age sql.NullInt64
	var lat, lon sql.NullFloat64
	dest := append([]any{&b.ID, &b.Name, &b.IDNumber, &b.AllowanceType, &age, &b.Gender, &b.Ward, &b.Tole, &lat, &lon, &b.Phone,
		&b.BankAccountHolder, &b.BankAccountNumber, &b.BankName, &b.Notes}, recordDest(&b.Record)...)
	if err := r.Scan(dest...); err != nil {
		return nil, err
	}
	if age.Valid {
		a := int(age.Int64)
		b.Age = &a
	}
	if lat.Valid && lon.Valid {
		b.Coords = &leoc.Coordinates{Latitude: lat.Float64, Longitude: lon.Float64}
	}
	s.settle(&b.Record)
	return &b, nil
}

func beneficiaryArgs(b *leoc.Beneficiary) []any {
	var age, lat, lon any
	if b.Age != nil {
		age = *b.Age
	}
	if b.Coords != nil {
		lat, lon = b.Coords.Latitude, b.Coords.Longitude
	}
	return []any{b.Name, b.IDNumber, leoc.HouseholdKey(b.IDNumber), b.AllowanceType, age, b.Gender, b.Ward, b.Tole, lat, lon, b.Phone,
		b.BankAccountHolder, b.BankAccountNumber, b.BankName, b.Notes, b.SearchText()}
}

// BeneficiaryRules loads the wards and allowance types a beneficiary is
// checked against.
func (s *Store) BeneficiaryRules(ctx context.Context) (leoc.BeneficiaryRules, error) {
	var rules leoc.BeneficiaryRules
	wards, err := s.Wards(ctx)
	if err != nil {
		return rules, err
	}
	for _, w := range wards {
		rules.Wards = append(rules.Wards, w.Number)
	}
	values, err := s.ListValues(ctx, ListAllowanceType)
	if err != nil {
		return rules, err
	}
	for _, v := range values {
		rules.AllowanceTypes = append(rules.AllowanceTypes, v.Key)
	}
	return rules, nil
}

// beneficiaryWriteError turns constraint failures into answers: the same
// card enrolled twice for one allowance is a conflict; a ward or allowance
// type removed while the form was open is one too.
func beneficiaryWriteError(op string, err error) error {
	if _, ok := leoc.AsError(err); ok || err == nil {
		return err
	}
	switch {
	case IsUnique(err):
		return &leoc.Error{Code: leoc.EConflict, Message: leoc.M("beneficiary.duplicate"),
			Fields: map[string]leoc.Msg{"id_number": leoc.M("beneficiary.duplicate")}, Err: err}
	case IsForeignKey(err):
		return &leoc.Error{Code: leoc.EConflict, Message: leoc.M("beneficiary.setting_gone"), Err: err}
	}
	return fmt.Errorf("store: %s beneficiary: %w", op, err)
}

// CreateBeneficiary adds a beneficiary, locked, and audits it. A user
// limited to wards may only add beneficiaries of those wards.
func (s *Store) CreateBeneficiary(ctx context.Context, actor Actor, u *leoc.User, b *leoc.Beneficiary) error {
	if !u.CanWriteWard(b.Ward) {
		return leoc.Errorf(leoc.EForbidden, "record.other_ward", b.Ward)
	}
	return s.WithTx(ctx, func(tx *Tx) error { return tx.CreateBeneficiary(ctx, actor, u, b) })
}

// CreateBeneficiary adds a beneficiary inside a larger transaction (the
// legacy import). On PostgreSQL a refused row aborts the transaction, so
// callers check the identity key first.
func (t *Tx) CreateBeneficiary(ctx context.Context, actor Actor, u *leoc.User, b *leoc.Beneficiary) error {
	if !u.CanWriteWard(b.Ward) {
		return leoc.Errorf(leoc.EForbidden, "record.other_ward", b.Ward)
	}
	return beneficiaryWriteError("create", beneficiaries.insert(ctx, t, actor, b))
}

// Beneficiary loads one beneficiary.
func (s *Store) Beneficiary(ctx context.Context, id int64) (*leoc.Beneficiary, error) {
	return beneficiaries.Get(ctx, s, id)
}

// UpdateBeneficiary saves an unlocked beneficiary if nobody saved it since
// version b.Version was loaded; the save locks it again. Moving it to a
// ward the user may not write is refused like writing in one.
func (s *Store) UpdateBeneficiary(ctx context.Context, actor Actor, u *leoc.User, b *leoc.Beneficiary) error {
	if !u.CanWriteWard(b.Ward) {
		return leoc.Errorf(leoc.EForbidden, "record.other_ward", b.Ward)
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		old, err := beneficiaries.change(ctx, tx, actor, u, b, nil)
		if err != nil {
			return beneficiaryWriteError("update", err)
		}
		return beneficiaries.audit(ctx, tx, actor, "record.update", b.ID, map[string]any{"changes": Changes(old.Fields(), b.Fields())})
	})
}

// DeleteBeneficiary removes an unlocked beneficiary; the content stays in
// the audit trail.
func (s *Store) DeleteBeneficiary(ctx context.Context, actor Actor, u *leoc.User, id int64) error {
	return beneficiaries.Delete(ctx, s, actor, u, id)
}

var beneficiarySort = map[string]string{"name": "name", "ward": "ward", "allowance_type": "allowance_type", "age": "age", "id": "id"}

var beneficiarySearch = []string{"search"}

// searchWords adds one condition per word of q: the word, folded, must be
// in the search column; a word with digits also matches the household key,
// so "12-01-75/1234" finds "12 01 75 1234".
func (s *Store) searchWords(w *where, q string, scan func(word string) bool) {
	for _, word := range strings.Fields(leoc.SearchFold(q)) {
		cond, args := s.wordIn(beneficiarySearch, "LIKE", word, scan(word))
		if strings.ContainsAny(word, "0123456789") {
			// The household key and the search key (leading zeros kept) are
			// in the search column too: "120175" finds "12-01-75/1234".
			keys := []string{leoc.HouseholdKey(word)}
			if sk := leoc.HouseholdSearchKey(word); sk != keys[0] {
				keys = append(keys, sk)
			}
			for _, key := range keys {
				if key != "" && key != word {
					c, a := s.wordIn(beneficiarySearch, "LIKE", key, scan(word))
					cond += " OR " + c
					args = append(args, a...)
				}
			}
			cond = "(" + cond + ")"
		}
		w.add(cond, args...)
	}
}

// Beneficiaries lists one page of beneficiaries, sorted by name, and the
// total. Filters: wards, allowance types (f.Types), words of f.Query in
// the name, ID or phone.
func (s *Store) Beneficiaries(ctx context.Context, f RecordFilter) ([]*leoc.Beneficiary, int, error) {
	if err := s.prepareSearch(ctx, &f, "beneficiaries", leoc.SearchFold); err != nil {
		return nil, 0, err
	}
	var w where
	w.in("ward", len(f.Wards), func(i int) any { return f.Wards[i] })
	w.in("allowance_type", len(f.Types), func(i int) any { return f.Types[i] })
	s.searchWords(&w, f.Query, f.scanWord)
	scopeSearch(&w, f, "ward")
	order := " ORDER BY name, id"
	if _, ok := beneficiarySort[f.Sort]; ok {
		order = orderBy(f, beneficiarySort, "")
	}
	var total int
	var err error
	if searching(f) {
		var capped bool
		// A word with digits matches the household keys too, which the
		// index count of the words alone does not know.
		total, capped, err = s.countSearch(ctx, "beneficiaries", &w, rowOrder(f, order), -1, nil)
		reportCapped(f, capped)
	} else if err = s.queryRow(ctx, "SELECT COUNT(*) FROM beneficiaries"+w.sql(), w.args...).Scan(&total); err != nil {
		err = fmt.Errorf("store: count beneficiaries: %w", err)
	}
	if err != nil {
		return nil, 0, err
	}
	var list []*leoc.Beneficiary
	err = s.readPage(ctx, listPage{table: "beneficiaries", read: beneficiaryColumns, w: &w, order: order}, f, func(r rowScanner) error {
		b, err := s.scanBeneficiary(r)
		list = append(list, b)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

func (s *Store) listBeneficiaries(ctx context.Context, q string, args ...any) ([]*leoc.Beneficiary, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list beneficiaries: %w", err)
	}
	defer rows.Close()
	var out []*leoc.Beneficiary
	for rows.Next() {
		b, err := s.scanBeneficiary(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list beneficiaries: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// maxLookup bounds a household lookup: it prefills a form, it is not a list.
const maxLookup = 20

// BeneficiariesByHousehold finds the beneficiaries a relief form is about:
// q is an ID number (any spelling of it, exact), a phone number (exact) or
// words of a name (in Devanagari or Latin); ward, when not 0, narrows to
// one ward. Exact ID and phone matches come first.
func (s *Store) BeneficiariesByHousehold(ctx context.Context, q string, ward int) ([]*leoc.Beneficiary, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	key := leoc.HouseholdKey(q)
	phone := bs.ASCIIDigits(strings.ReplaceAll(q, " ", ""))
	var byName where
	s.searchWords(&byName, q, func(string) bool { return false })
	cond := "(" + strings.Join(byName.parts, " AND ") + ")"
	args := byName.args
	rank := "CASE WHEN id_key = ? THEN 0 WHEN phone = ? THEN 1 ELSE 2 END"
	if key != "" {
		cond = "(id_key = ? OR phone = ? OR " + cond + ")"
		args = append([]any{key, phone}, args...)
	}
	var w where
	w.add(cond, args...)
	if ward > 0 {
		w.add("ward = ?", ward)
	}
	return s.listBeneficiaries(ctx, "SELECT "+beneficiaryColumns+" FROM beneficiaries"+w.sql()+
		" ORDER BY "+rank+", name, id LIMIT ?", append(w.args, key, phone, maxLookup)...)
}
