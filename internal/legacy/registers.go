package legacy

import (
	"context"
	"regexp"
	"strings"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// eachNew walks the rows of table not imported before, with the counts and
// the progress bar kept.
func (im *importer) eachNew(ctx context.Context, table string, fn func(r row) error) error {
	done, err := im.imported(ctx, table)
	if err != nil {
		return err
	}
	n, err := im.src.count(ctx, table)
	if err != nil {
		return err
	}
	c := im.rep.table(table)
	im.prog.start(table, n)
	return im.src.each(ctx, table, func(r row) error {
		c.Read++
		im.prog.step()
		if _, ok := done[r.legacyID()]; ok {
			c.Before++
			return nil
		}
		return fn(r)
	})
}

// intPtr is a count column; nil when NULL, so the domain can tell "not
// given" from 0.
func intPtr(r row, col string) *int64 {
	if n, ok := r.int(col); ok {
		return &n
	}
	return nil
}

func floatPtr(r row, col string) *float64 {
	if f, ok := r.float(col); ok {
		return &f
	}
	return nil
}

// amount turns an old float amount into the domain's amount input,
// reporting a value that was not a whole number of paisa.
func (im *importer) amount(r row, table, col string) (leoc.AmountInput, leoc.Money) {
	f, ok := r.float(col)
	if !ok {
		return leoc.Amount(""), 0
	}
	m, exact, err := paisa(f)
	if err != nil {
		return leoc.Amount(r.str(col)), 0 // Apply refuses it by field
	}
	if !exact {
		im.rep.warn(WarnMoneyNotPaisa, table, r.legacyID(), "legacy.detail.money_not_paisa", col, floatText(f), money(m))
	}
	return leoc.Amount(m.String()), m // a negative amount is refused by Apply on its field
}

// checkFiscalYear compares an old fiscal year with the one of the date.
func (im *importer) checkFiscalYear(r row, table string, derived bs.FiscalYear) {
	old := r.str("fiscal_year")
	if old == "" {
		return
	}
	fy, ok := fiscalYear(old)
	switch {
	case !ok:
		im.rep.warn(WarnFiscalYearBad, table, r.legacyID(), "legacy.detail.fiscal_year_unreadable", old, derived.String())
	case fy != derived:
		im.rep.warn(WarnFiscalYear, table, r.legacyID(), "legacy.detail.fiscal_year_differs", old, fy.String(), derived.String())
	}
}

// choice maps an old free-text value to one of our choices by its folded
// text; an unknown value becomes def and is reported.
func (im *importer) choice(r row, table, col string, known map[string]string, def string) string {
	old := r.str(col)
	if k, ok := known[leoc.FoldText(old)]; ok {
		return k
	}
	if old != "" || def != "" {
		im.rep.warn(WarnValueMapped, table, r.legacyID(), "legacy.detail.value_mapped", col, old, def)
	}
	return def
}

var genders = map[string]string{
	"m": "male", "male": "male", "पुरुष": "male", "f": "female", "female": "female", "महिला": "female",
	"o": "other", "other": "other", "अन्य": "other",
}

func (im *importer) importBeneficiaries(ctx context.Context) error {
	const table = "social_security_beneficiary"
	return im.eachNew(ctx, table, func(r row) error {
		allowance, err := im.lists.resolve(ctx, store.ListAllowanceType, r.str("ssf_type"), table, r.legacyID())
		if err != nil {
			return err
		}
		in := leoc.BeneficiaryInput{Name: r.str("beneficiary_name"), IDNumber: r.str("beneficiary_id"), AllowanceType: allowance,
			Ward: int(intOr(r, "ward")), Tole: r.str("tole"), Latitude: floatPtr(r, "latitude"), Longitude: floatPtr(r, "longitude"),
			Phone: r.str("phone"), BankAccountHolder: r.str("bank_account_holder_name"), BankAccountNumber: r.str("bank_account_number"),
			BankName: r.str("bank_name"), Notes: r.str("notes")}
		if age, ok := r.int("age"); ok {
			a := int(age)
			in.Age = &a
		}
		if r.str("gender") != "" {
			in.Gender = im.choice(r, table, "gender", genders, "")
		}
		b := &leoc.Beneficiary{}
		if err := in.Apply(leoc.BeneficiaryRules{Wards: im.wards, AllowanceTypes: im.lists.keys(store.ListAllowanceType)}, b); err != nil {
			im.rep.skip(table, r.legacyID(), err)
			return nil
		}
		if id, err := im.tx.BeneficiaryWithKey(ctx, leoc.HouseholdKey(b.IDNumber), b.AllowanceType); err != nil {
			return err
		} else if id != 0 {
			im.rep.warn(WarnBeneficiaryDup, table, r.legacyID(), "legacy.detail.beneficiary_duplicate", b.IDNumber, id)
			im.rep.skip(table, r.legacyID(), leoc.Errorf(leoc.EConflict, "beneficiary.duplicate"))
			return nil
		}
		if err := im.tx.CreateBeneficiary(ctx, im.actor, importUser, b); err != nil {
			return err
		}
		return im.record(ctx, table, r, store.BeneficiaryRegister.Name, b.ID)
	})
}

func intOr(r row, col string) int64 {
	n, _ := r.int(col)
	return n
}

func (im *importer) importIncidents(ctx context.Context) error {
	const table = "disaster"
	return im.eachNew(ctx, table, func(r row) error {
		id := r.legacyID()
		typ, err := im.lists.resolve(ctx, store.ListDisasterType, r.str("disaster_type"), table, id)
		if err != nil {
			return err
		}
		storedAD, adOK := adDate(r.str("disaster_date"))
		dateBS := r.str("disaster_date_bs")
		if dateBS == "" && adOK {
			if d, err := im.cal.FromAD(storedAD); err == nil {
				dateBS = d.String()
				im.rep.warn(WarnBSDateMissing, table, id, "legacy.detail.bs_date_missing", storedAD.Format(time.DateOnly), dateBS)
			}
		}
		in := leoc.IncidentInput{DateBS: dateBS, Type: typ, Ward: int(intOr(r, "ward")), Tole: r.str("tole"),
			Latitude: floatPtr(r, "latitude"), Longitude: floatPtr(r, "longitude"), Description: r.str("description"),
			Deaths: intPtr(r, "deaths"), Missing: intPtr(r, "missing_persons"),
			AffectedPeople: intPtr(r, "affected_people"), AffectedPeopleMale: intPtr(r, "affected_people_male"),
			AffectedPeopleFemale: intPtr(r, "affected_people_female"), AffectedHouseholds: intPtr(r, "affected_households"),
			PublicBuildingsDamaged: intPtr(r, "public_building_damage"), PublicBuildingsDestroyed: intPtr(r, "public_building_destruction"),
			LivestockLostCattle: intPtr(r, "cattle_lost"), LivestockInjuredCattle: intPtr(r, "cattle_injured"),
			LivestockLostGoatsSheep: intPtr(r, "goats_sheep_lost"), LivestockInjuredGoatsSheep: intPtr(r, "goats_sheep_injured"),
			LivestockLostPoultry: intPtr(r, "poultry_lost"), LivestockInjuredPoultry: intPtr(r, "poultry_injured"),
			LivestockLostOther: intPtr(r, "other_livestock_lost"), LivestockInjuredOther: intPtr(r, "other_livestock_injured"),
			AgricultureDamage: r.str("agriculture_crop_damage"),
		}
		in.RoadBlocked, _ = r.bool("road_blocked_status")
		in.ElectricityCut, _ = r.bool("electricity_blocked_status")
		in.CommunicationCut, _ = r.bool("communication_blocked_status")
		in.WaterDisrupted, _ = r.bool("drinking_water_status")
		in.EstimatedLoss, _ = im.amount(r, table, "estimated_loss")
		im.livestockRest(r, table, "livestock_death", &in.LivestockLostOther, in.LivestockLostCattle, in.LivestockLostGoatsSheep, in.LivestockLostPoultry)
		im.livestockRest(r, table, "livestock_injured", &in.LivestockInjuredOther, in.LivestockInjuredCattle, in.LivestockInjuredGoatsSheep, in.LivestockInjuredPoultry)
		inc := &leoc.Incident{}
		if err := in.Apply(im.cal, leoc.IncidentRules{Types: im.lists.keys(store.ListDisasterType), Wards: im.wards}, inc); err != nil {
			im.rep.skip(table, id, err)
			return nil
		}
		if adOK && !inc.DateAD.Equal(storedAD) {
			im.rep.warn(WarnADDate, table, id, "legacy.detail.ad_date_disagrees", inc.DateBS.String(), storedAD.Format(time.DateOnly),
				inc.DateAD.Format(time.DateOnly))
		}
		im.checkFiscalYear(r, table, inc.FiscalYear)
		if err := im.tx.CreateIncidents(ctx, im.actor, importUser, []*leoc.Incident{inc}); err != nil {
			return err
		}
		return im.record(ctx, table, r, store.IncidentRegister.Name, inc.ID)
	})
}

// livestockRest keeps an old livestock total that is more than its kinds:
// the rest is counted as "other", and reported.
func (im *importer) livestockRest(r row, table, col string, other **int64, kinds ...*int64) {
	total, ok := r.int(col)
	if !ok {
		return
	}
	var sum int64
	for _, k := range append(kinds, *other) {
		if k != nil {
			sum += *k
		}
	}
	if total > sum {
		rest := total - sum
		if *other != nil {
			rest += **other
		}
		*other = &rest
		im.rep.warn(WarnLivestock, table, r.legacyID(), "legacy.detail.livestock_total", col, total, sum)
	}
}

var eventTypes = map[string]string{
	"incident report": "incident_report", "incident": "incident_report", "assessment": "assessment",
	"relief distribution": "relief_distribution", "relief": "relief_distribution", "coordination meeting": "coordination_meeting",
	"meeting": "coordination_meeting", "rescue": "rescue", "rescue operation": "rescue", "other": "other",
}

var eventStatuses = map[string]string{"active": "active", "open": "active", "completed": "completed", "closed": "completed", "resolved": "completed"}

func (im *importer) importEventLogs(ctx context.Context) error {
	const table = "event_log"
	return im.eachNew(ctx, table, func(r row) error {
		in := leoc.EventLogInput{Description: r.str("description"), Location: r.str("location"), ResponsibleUnit: r.str("responsible_unit")}
		in.Type = im.choice(r, table, "event_type", eventTypes, "other")
		in.Status = im.choice(r, table, "status", eventStatuses, "active")
		at, ok := instant(r.str("timestamp"))
		if !ok {
			at, ok = instant(r.str("created_at"))
		}
		if ok {
			d, clock, err := nepalDay(im.cal, at)
			if err == nil {
				in.DateBS, in.Time = d.String(), clock
			}
		}
		e := &leoc.EventLog{}
		if err := in.Apply(im.cal, e); err != nil {
			im.rep.skip(table, r.legacyID(), err)
			return nil
		}
		if err := im.tx.CreateEventLog(ctx, im.actor, e); err != nil {
			return err
		}
		return im.record(ctx, table, r, store.EventLogRegister.Name, e.ID)
	})
}

// A time of day the old free-text "next update" field can be read as:
// "23:00 Hrs", "१०:०० बजे". Anything more ("१०:०० बजे बिहान सोमबार") is kept
// as text in the report.
var plainClock = regexp.MustCompile(`^([0-9]{1,2}:[0-9]{2})\s*(hrs?|बजे)?\.?$`)

func (im *importer) importSitreps(ctx context.Context) error {
	const table = "situation_report"
	return im.eachNew(ctx, table, func(r row) error {
		id := r.legacyID()
		in := leoc.SitrepFields{Summary: r.str("current_situation_summary"), Weather: r.str("weather_conditions"),
			DetailedReport: r.str("detailed_report"), ResourcesDeployed: r.str("resources_deployed")}
		if day, ok := adDate(r.str("report_date")); ok {
			if d, err := im.cal.FromAD(day); err == nil {
				in.DateBS = d.String()
				// The time of day is the creation time when it falls on the
				// report's day, so "the latest report" keeps the old order.
				if created, ok := instant(r.str("created_at")); ok {
					if cd, clock, err := nepalDay(im.cal, created); err == nil && cd == d {
						in.Time = clock
					}
				}
			}
		}
		if next := r.str("next_update_time"); next != "" {
			if m := plainClock.FindStringSubmatch(strings.ToLower(bs.ASCIIDigits(next))); m != nil {
				in.NextUpdateBS, in.NextUpdateTime = in.DateBS, m[1]
				if in.Time != "" && normalClock(m[1]) <= in.Time {
					in.NextUpdateBS, in.NextUpdateTime = "", ""
				}
			}
			if in.NextUpdateTime == "" {
				in.DetailedReport = strings.TrimSpace(in.DetailedReport + "\n\nअर्को अद्यावधिक: " + next)
				im.rep.warn(WarnNextUpdate, table, id, "legacy.detail.next_update_text", next)
			}
		}
		rep := &leoc.SituationReport{}
		if err := in.Apply(im.cal, rep); err != nil {
			im.rep.skip(table, id, err)
			return nil
		}
		if err := im.tx.CreateSituationReport(ctx, im.actor, rep); err != nil {
			return err
		}
		return im.record(ctx, table, r, store.SitrepRegister.Name, rep.ID)
	})
}

func normalClock(s string) string {
	if len(s) == 4 {
		return "0" + s
	}
	return s
}

var advisoryTypes = map[string]string{
	"general": "general", "weather advisory": "weather", "weather": "weather", "emergency contact": "contact",
	"contact": "contact", "safety instruction": "safety", "safety": "safety",
}

var advisoryPriorities = map[string]string{"low": "low", "normal": "normal", "medium": "normal", "high": "high", "critical": "critical", "urgent": "critical"}

func (im *importer) importAdvisories(ctx context.Context) error {
	const table = "public_information"
	return im.eachNew(ctx, table, func(r row) error {
		in := leoc.AdvisoryInput{Title: r.str("title"), Content: r.str("content")}
		in.Type = im.choice(r, table, "info_type", advisoryTypes, "general")
		in.Priority = im.choice(r, table, "priority", advisoryPriorities, "normal")
		active, ok := r.bool("is_active")
		active = active || !ok
		in.Active = &active
		from, ok := instant(r.str("valid_from"))
		if !ok {
			from, ok = instant(r.str("created_at"))
		}
		if ok {
			in.ValidFrom = from.Format(time.RFC3339)
		}
		if until, ok := instant(r.str("valid_until")); ok {
			in.ValidUntil = until.Format(time.RFC3339)
		}
		a := &leoc.Advisory{}
		if err := in.Apply(im.cal, a); err != nil {
			im.rep.skip(table, r.legacyID(), err)
			return nil
		}
		if err := im.tx.CreateAdvisory(ctx, im.actor, a); err != nil {
			return err
		}
		return im.record(ctx, table, r, store.AdvisoryRegister.Name, a.ID)
	})
}

// importSitrepNumbers keeps the bulletin numbers of daily_report_log: the
// old system numbered its bulletins by the log's order, so within each
// fiscal year a day's number is its rank by id, and the next bulletin
// continues after the last.
func (im *importer) importSitrepNumbers(ctx context.Context) error {
	const table = "daily_report_log"
	type entry struct {
		r   row
		day bs.Date
	}
	byYear := map[int][]entry{}
	var years []int
	err := im.src.each(ctx, table, func(r row) error {
		day, err := im.cal.Parse(bs.ASCIIDigits(r.str("report_date_bs")))
		if err != nil {
			im.rep.table(table).Read++
			im.rep.skip(table, r.legacyID(), leoc.Errorf(leoc.EInvalid, leoc.DateErrorKey(err)))
			return nil
		}
		fy := bs.FiscalYearOf(day).Start
		if _, ok := byYear[fy]; !ok {
			years = append(years, fy)
		}
		byYear[fy] = append(byYear[fy], entry{r, day})
		return nil
	})
	if err != nil {
		return err
	}
	done, err := im.imported(ctx, table)
	if err != nil {
		return err
	}
	c := im.rep.table(table)
	for _, fy := range years {
		for i, e := range byYear[fy] {
			c.Read++
			if _, ok := done[e.r.legacyID()]; ok {
				c.Before++
				continue
			}
			dayAD, err := im.cal.ToAD(e.day)
			if err != nil {
				im.rep.skip(table, e.r.legacyID(), leoc.Errorf(leoc.EInvalid, leoc.DateErrorKey(err)))
				continue
			}
			issued, ok := instant(e.r.str("created_at"))
			if !ok {
				issued = im.st.Now()
			}
			conflict, err := im.tx.ImportSitrepNumber(ctx, im.actor, e.day, dayAD, i+1, issued)
			if err != nil {
				return err
			}
			if conflict != nil {
				im.rep.warn(WarnSitrepNumber, table, e.r.legacyID(), "legacy.detail.sitrep_number_conflict", e.day.String(), i+1,
					conflict.ExistingNumber, conflict.TakenBy)
				im.rep.skip(table, e.r.legacyID(), leoc.Errorf(leoc.EConflict, "legacy.skip.sitrep_number"))
				continue
			}
			c.Imported++
			if err := im.note(ctx, store.LegacyImportItem{LegacyImport: store.LegacyImport{Table: table, LegacyID: e.r.legacyID()}}); err != nil {
				return err
			}
		}
		next, err := im.tx.NextSitrepNumber(ctx, fy)
		if err != nil {
			return err
		}
		im.rep.NextSitrep[fy] = next
	}
	return nil
}
