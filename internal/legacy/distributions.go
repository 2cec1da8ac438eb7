package legacy

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// importedDistribution is an old relief row, validated, waiting for the fund
// to be ready for its cash (all income first, so no intermediate balance of
// the old ledger can refuse it).
type importedDistribution struct {
	r      row
	d      *leoc.Distribution
	fundID int64 // the old system expenditure it links to, 0 for none
	files  []oldUpload
	// also names the old expenditure the distribution took over, for its
	// import's audit entry.
	also map[string]string
}

var distributionStatuses = map[string]string{
	"distributed": "distributed", "completed": "distributed", "वितरित": "distributed",
	"partial": "partial", "partially distributed": "partial", "pending": "pending",
}

var harmSeverities = map[string]string{
	"minor": "minor", "mild": "minor", "low": "minor", "सामान्य": "minor",
	"moderate": "serious", "serious": "serious", "severe": "serious", "high": "serious", "गम्भीर": "serious",
	"critical": "critical", "अति गम्भीर": "critical",
}

// genericUnits are the old forms' placeholder units: the item's own unit is
// meant.
var genericUnits = map[string]bool{"": true, "unit": true, "units": true, "pcs": true, "pc": true, "piece": true, "nos": true, "no": true}

// prepareDistributions reads and validates every new relief row.
func (im *importer) prepareDistributions(ctx context.Context) ([]*importedDistribution, error) {
	const table = "relief_distribution"
	var out []*importedDistribution
	err := im.eachNew(ctx, table, func(r row) error {
		d, err := im.distribution(ctx, r)
		if err != nil {
			if _, ok := leoc.AsError(err); !ok {
				return err
			}
			im.rep.skip(table, r.legacyID(), err)
			return nil
		}
		fundID, _ := r.int("fund_transaction_id")
		out = append(out, &importedDistribution{r: r, d: d, fundID: fundID, files: uploadNames(r)})
		return nil
	})
	return out, err
}

// distribution maps one old relief row into a DistributionInput and
// applies it. A domain error means the row is refused (reported).
func (im *importer) distribution(ctx context.Context, r row) (*leoc.Distribution, error) {
	const table = "relief_distribution"
	id := r.legacyID()
	in := leoc.DistributionInput{HouseholdName: r.str("beneficiary_name"), HouseholdID: r.str("beneficiary_id"),
		FatherName: r.str("father_name"), Phone: r.str("phone"), Ward: int(intOr(r, "ward")), Tole: r.str("tole"),
		Place: r.str("location"), Latitude: floatPtr(r, "latitude"), Longitude: floatPtr(r, "longitude"),
		Shelter: r.str("current_shelter_location"), BankHolder: r.str("bank_account_holder_name"),
		BankAccount: r.str("bank_account_number"), BankName: r.str("bank_name"), Notes: r.str("notes")}
	var err error
	if in.DisasterType, err = im.lists.resolve(ctx, store.ListDisasterType, r.str("disaster_type"), table, id); err != nil {
		return nil, err
	}
	in.DateBS = im.distributionDate(r)
	switch raw := r.str("disaster_date"); {
	case raw == "":
		in.DisasterDateBS = in.DateBS
		im.rep.warn(WarnBSDateMissing, table, id, "legacy.detail.disaster_date_missing", in.DateBS)
	default:
		d, wasAD, err := bsOrAD(im.cal, raw)
		if err != nil {
			in.DisasterDateBS = raw // Apply reports it on the field
			break
		}
		in.DisasterDateBS = d.String()
		if wasAD {
			im.rep.warn(WarnDisasterDateAD, table, id, "legacy.detail.disaster_date_ad", raw, d.String())
		}
	}
	in.Pregnant = wholeCol(r, "pregnant_mother_count")
	in.InfantMothers = wholeCol(r, "mother_under_2_baby")
	in.Deaths = wholeCol(r, "deaths_during_disaster")
	in.SSFEnrolled, _ = r.bool("in_social_security_fund")
	if t := r.str("ssf_type"); t != "" {
		if in.AllowanceType, err = im.lists.resolve(ctx, store.ListAllowanceType, t, table, id); err != nil {
			return nil, err
		}
	}
	in.PovertyCard, _ = r.bool("poverty_card_holder")
	in.Status = im.choice(r, table, "status", distributionStatuses, "distributed")
	in.Cash, _ = im.amount(r, table, "cash_received")
	if in.Members, err = im.members(r); err != nil {
		return nil, err
	}
	if in.Harms, err = im.harms(r); err != nil {
		return nil, err
	}
	if in.Items, err = im.items(ctx, r); err != nil {
		return nil, err
	}
	rules, err := im.distributionRules()
	if err != nil {
		return nil, err
	}
	d := &leoc.Distribution{}
	if err := in.Apply(im.cal, rules, d); err != nil {
		return nil, err
	}
	im.keepCounts(r, d)
	im.checkFiscalYear(r, table, d.FiscalYear)
	return d, nil
}

// distributionDate is the BS day of the old distribution_date (an
// instant), or of the creation time when it is missing.
func (im *importer) distributionDate(r row) string {
	at, ok := instant(r.str("distribution_date"))
	if !ok {
		if at, ok = instant(r.str("created_at")); ok {
			im.rep.warn(WarnDateFromCreated, "relief_distribution", r.legacyID(), "legacy.detail.date_from_created", at.Format(time.DateOnly))
		}
	}
	if !ok {
		return ""
	}
	d, _, err := nepalDay(im.cal, at)
	if err != nil {
		return r.str("distribution_date") // refused by Apply with the calendar's message
	}
	return d.String()
}

func wholeCol(r row, col string) leoc.WholeInput {
	if n, ok := r.int(col); ok {
		return leoc.WholeOf(n)
	}
	return leoc.Whole(r.str(col))
}

// jsonWhole turns a JSON number or string into the domain's whole input.
func jsonWhole(v any) leoc.WholeInput {
	switch x := v.(type) {
	case nil:
		return leoc.WholeInput{}
	case float64:
		if x == float64(int64(x)) {
			return leoc.WholeOf(int64(x))
		}
		return leoc.Whole(strconv.FormatFloat(x, 'f', -1, 64))
	case string:
		return leoc.Whole(x)
	default:
		return leoc.Whole(fmt.Sprint(x))
	}
}

func jsonText(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return strings.TrimSpace(s)
	}
	return fmt.Sprint(v)
}

// jsonRows reads an old JSON column: a list of objects. NULL, "" and
// "null" are no rows.
func jsonRows(r row, col string) ([]map[string]any, error) {
	raw := r.str(col)
	if raw == "" || raw == "null" {
		return nil, nil
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(raw), &rows); err != nil {
		return nil, leoc.Errorf(leoc.EInvalid, "legacy.skip.json", col)
	}
	return rows, nil
}

func (im *importer) members(r row) ([]leoc.MemberInput, error) {
	rows, err := jsonRows(r, "family_members_json")
	if err != nil {
		return nil, err
	}
	out := make([]leoc.MemberInput, 0, len(rows))
	for _, m := range rows {
		sex := jsonText(m["gender"])
		if s, ok := genders[leoc.FoldText(sex)]; ok {
			sex = s
		}
		out = append(out, leoc.MemberInput{Name: jsonText(m["name"]), Relation: jsonText(m["relation"]), Age: jsonWhole(m["age"]), Sex: sex})
	}
	return out, nil
}

func (im *importer) harms(r row) ([]leoc.HarmInput, error) {
	rows, err := jsonRows(r, "harms_json")
	if err != nil {
		return nil, err
	}
	out := make([]leoc.HarmInput, 0, len(rows))
	for _, h := range rows {
		old := jsonText(h["severity"])
		sev, ok := harmSeverities[leoc.FoldText(old)]
		if !ok {
			sev = old // refused by Apply on the row's field
		} else if sev != leoc.FoldText(old) {
			im.rep.warn(WarnValueMapped, "relief_distribution", r.legacyID(), "legacy.detail.value_mapped", "harms.severity", old, sev)
		}
		member := jsonText(h["member_name"])
		if member == "" {
			member = jsonText(h["member"])
		}
		out = append(out, leoc.HarmInput{Member: member, Harm: jsonText(h["harm"]), Severity: sev})
	}
	return out, nil
}

func (im *importer) items(ctx context.Context, r row) ([]leoc.ItemInput, error) {
	rows, err := jsonRows(r, "relief_items_json")
	if err != nil {
		return nil, err
	}
	rules, err := im.distributionRules()
	if err != nil {
		return nil, err
	}
	out := make([]leoc.ItemInput, 0, len(rows))
	for _, it := range rows {
		key, err := im.lists.resolve(ctx, store.ListReliefItem, jsonText(it["item"]), "relief_distribution", r.legacyID())
		if err != nil {
			return nil, err
		}
		if key != "" {
			rules, _ = im.distributionRules() // the item may be new
		}
		unit := jsonText(it["unit"])
		if units := rules.Units[key]; len(units) > 0 && !containsFold(units, unit) {
			if !genericUnits[strings.ToLower(unit)] {
				im.rep.warn(WarnValueMapped, "relief_distribution", r.legacyID(), "legacy.detail.value_mapped", "items.unit", unit, units[0])
			}
			unit = ""
		}
		out = append(out, leoc.ItemInput{Item: key, Quantity: jsonWhole(it["quantity"]), Unit: unit})
	}
	return out, nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if leoc.FoldText(x) == leoc.FoldText(s) {
			return true
		}
	}
	return false
}

// distributionRules are the domain rules with the lists as they are now,
// values added by this import included.
func (im *importer) distributionRules() (leoc.DistributionRules, error) {
	if im.rules != nil && im.rulesAt == im.lists.added {
		return *im.rules, nil
	}
	r := leoc.DistributionRules{Types: im.lists.keys(store.ListDisasterType), Wards: im.wards,
		Allowances: im.lists.keys(store.ListAllowanceType), Units: map[string][]string{}}
	for _, v := range im.lists.values[store.ListReliefItem] {
		var units []string
		for _, u := range []string{v.UnitNe, v.UnitEn} {
			if u != "" && !containsFold(units, u) {
				units = append(units, u)
			}
		}
		r.Units[v.Key] = units
	}
	im.rules, im.rulesAt = &r, im.lists.added
	return r, nil
}

// keepCounts: our male, female and children figures are counted from the
// members list. Old rows often have counts and no list; the old counts are
// then kept in the notes and reported rather than lost.
func (im *importer) keepCounts(r row, d *leoc.Distribution) {
	male, female, children := intOr(r, "male_count"), intOr(r, "female_count"), intOr(r, "children_count")
	same := male == int64(d.Male()) && female == int64(d.Female()) && children == int64(d.Children())
	if same || male+female+children == 0 { // no counts: the old form left them at 0
		return
	}
	note := fmt.Sprintf("पुरानो प्रणालीको परिवार सङ्ख्या: पुरुष %s, महिला %s, बालबालिका %s",
		bs.DevanagariDigits(strconv.FormatInt(male, 10)), bs.DevanagariDigits(strconv.FormatInt(female, 10)),
		bs.DevanagariDigits(strconv.FormatInt(children, 10)))
	d.Notes = strings.TrimSpace(d.Notes + "\n" + note)
	im.rep.warn(WarnCounts, "relief_distribution", r.legacyID(), "legacy.detail.household_counts", male, female, children,
		d.Male(), d.Female(), d.Children())
}

// createDistribution creates one prepared distribution. A household the old
// system recorded twice for the same disaster (its rule was one row per
// identity number as typed; ours compares the normalised key) is imported
// with an override reason naming the other record, and reported.
func (im *importer) createDistribution(ctx context.Context, p *importedDistribution) error {
	d := p.d
	if im.keys == nil {
		var err error
		if im.keys, err = im.tx.DistributionKeys(ctx); err != nil {
			return err
		}
	}
	key := d.DuplicateKey()
	if key != "" {
		if other := im.keys[key]; other != 0 {
			d.OverrideReason = fmt.Sprintf("पुरानो प्रणालीबाट आयात (relief_distribution #%s): यही परिवार र विपद्को अभिलेख दर्ता नं. %s पनि छ",
				p.r.legacyID(), bs.DevanagariDigits(strconv.FormatInt(other, 10)))
			im.rep.warn(WarnHousehold, "relief_distribution", p.r.legacyID(), "legacy.detail.household_conflict", d.HouseholdID, other)
		}
	}
	if _, err := im.tx.CreateDistribution(ctx, im.actor, importUser, d); err != nil {
		return err
	}
	if d.OverrideReason == "" {
		im.keys[key] = d.ID
	}
	if err := im.recordWith(ctx, "relief_distribution", p.r, store.DistributionRegister.Name, d.ID, p.also); err != nil {
		return err
	}
	return im.copyUploads(ctx, p)
}
