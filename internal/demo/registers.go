package demo

import (
	"context"
	"fmt"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// Sizes of the smaller registers Registers fills.
const (
	demoBeneficiaries = 40
	demoEventLogs     = 30
	demoSitreps       = 12
)

// Registers fills the registers besides incidents and distributions, so
// that every screen has something to show: a reserve in the relief fund
// (dated on the first day of the range, so new cash distributions can be
// paid), social-security beneficiaries, operations-log entries other than
// incident reports, recent situation reports and public advisories (some
// in force now, one expired, one withdrawn).
func Registers(ctx context.Context, st *store.Store, cal *bs.Calendar, o Options) error {
	g, err := newGenerator(ctx, st, cal, o)
	if err != nil {
		return err
	}
	now := orNow(o.Now)
	today, err := cal.Today(now)
	if err != nil {
		return err
	}
	if err := st.WithTx(ctx, func(tx *store.Tx) error {
		return tx.AddFundIncome(ctx, Actor, leoc.Money(5_00_000*100), "आर्थिक वर्षको सुरुमा विपद् व्यवस्थापन कोषमा जम्मा (नमुना)", g.first, cal)
	}); err != nil {
		return fmt.Errorf("demo: fund reserve: %w", err)
	}
	steps := []func() error{
		func() error { return g.beneficiaries(ctx, st) },
		func() error { return g.eventLogs(ctx, st) },
		func() error { return g.sitreps(ctx, st, today) },
		func() error { return g.advisories(ctx, st, now) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

var allowanceNotes = []string{"", "", "अशक्त; घरदैलोमा भत्ता", "एक्लै बस्छन्", "बैंक खाता खोल्न बाँकी"}

func (g *generator) beneficiaries(ctx context.Context, st *store.Store) error {
	rules, err := st.BeneficiaryRules(ctx)
	if err != nil {
		return err
	}
	if len(rules.AllowanceTypes) == 0 {
		return nil
	}
	creator := &leoc.User{Username: Actor.Username, Role: leoc.RoleAdmin}
	for i := range demoBeneficiaries {
		age := g.between(60, 95)
		allowance := rules.AllowanceTypes[g.rng.IntN(len(rules.AllowanceTypes))]
		gender := []string{"male", "female"}[g.rng.IntN(2)]
		in := leoc.BeneficiaryInput{Name: g.name(g.rng), IDNumber: fmt.Sprintf("%02d-%02d-%02d/%05d", g.between(1, 77), g.between(1, 99), g.between(60, 82), g.rng.IntN(100000)),
			AllowanceType: allowance, Age: &age, Gender: gender, Ward: rules.Wards[i%len(rules.Wards)], Tole: toles[g.rng.IntN(len(toles))],
			Notes: allowanceNotes[g.rng.IntN(len(allowanceNotes))]}
		if g.chance(0.7) {
			in.Phone = fmt.Sprintf("98%08d", 40000000+g.rng.IntN(9999999))
		}
		if g.chance(0.6) {
			in.BankAccountHolder, in.BankAccountNumber, in.BankName = in.Name, fmt.Sprintf("%04d-%06d", g.rng.IntN(10000), g.rng.IntN(1000000)), "राष्ट्रिय वाणिज्य बैंक"
		}
		b := &leoc.Beneficiary{}
		if err := in.Apply(rules, b); err != nil {
			return fmt.Errorf("demo: generated an invalid beneficiary: %w", err)
		}
		// A card number drawn twice is skipped, as a clerk would.
		if err := st.CreateBeneficiary(ctx, Actor, creator, b); err != nil && leoc.ErrorCode(err) != leoc.EConflict {
			return fmt.Errorf("demo: beneficiary: %w", err)
		}
	}
	return nil
}

var logEntries = []struct{ typ, text, unit string }{
	{"coordination_meeting", "जिल्ला विपद् व्यवस्थापन समितिसँग समन्वय बैठक", "गाउँपालिका"},
	{"relief_distribution", "राहत सामग्री वितरण", "वडा कार्यालय"},
	{"assessment", "क्षति मूल्याङ्कन टोली खटाइयो", "प्राविधिक शाखा"},
	{"rescue", "नेपाल प्रहरी र सशस्त्र प्रहरीसँग खोज तथा उद्धार", "सुरक्षा निकाय"},
	{"other", "आपत्कालीन सम्पर्क सूची अद्यावधिक", "LEOC"},
}

func (g *generator) eventLogs(ctx context.Context, st *store.Store) error {
	for range demoEventLogs {
		d, err := g.date()
		if err != nil {
			return err
		}
		e := logEntries[g.rng.IntN(len(logEntries))]
		status := "completed"
		if g.chance(0.2) {
			status = "active"
		}
		in := leoc.EventLogInput{DateBS: d.String(), Time: fmt.Sprintf("%02d:%02d", g.between(8, 17), 15*g.rng.IntN(4)), Type: e.typ,
			Description: e.text, Location: toles[g.rng.IntN(len(toles))], ResponsibleUnit: e.unit, Status: status}
		entry := &leoc.EventLog{}
		if err := in.Apply(g.cal, entry); err != nil {
			return fmt.Errorf("demo: generated an invalid log entry: %w", err)
		}
		if err := st.CreateEventLog(ctx, Actor, entry); err != nil {
			return fmt.Errorf("demo: log entry: %w", err)
		}
	}
	return nil
}

var weathers = []string{"आकाश सफा", "आंशिक बदली", "हल्का वर्षा", "भारी वर्षा", "हुरीबतास", "चिसो, बिहान तुसारो"}

// sitreps writes a situation report every fifth day up to today, oldest
// first, so the latest is today's.
func (g *generator) sitreps(ctx context.Context, st *store.Store, today bs.Date) error {
	for i := demoSitreps - 1; i >= 0; i-- {
		d, err := g.cal.AddDays(today, -5*i)
		if err != nil {
			return err
		}
		next, err := g.cal.AddDays(d, 1)
		if err != nil {
			return err
		}
		in := leoc.SitrepFields{DateBS: d.String(), Time: "17:00", Weather: weathers[g.rng.IntN(len(weathers))],
			Summary:           fmt.Sprintf("गाउँपालिकाभर स्थिति सामान्य; %d वडामा राहत वितरण जारी।", g.between(1, 4)),
			DetailedReport:    "सडक सञ्चालनमा छ। खानेपानी र विद्युत् आपूर्ति नियमित। जोखिमयुक्त बस्तीमा निगरानी जारी।",
			ResourcesDeployed: fmt.Sprintf("नेपाल प्रहरी %d, सशस्त्र प्रहरी %d, स्वयंसेवक %d", g.between(5, 20), g.between(5, 15), g.between(10, 40)),
			NextUpdateBS:      next.String(), NextUpdateTime: "17:00"}
		rep := &leoc.SituationReport{}
		if err := in.Apply(g.cal, rep); err != nil {
			return fmt.Errorf("demo: generated an invalid situation report: %w", err)
		}
		if err := st.SituationReports().Create(ctx, Actor, nil, rep); err != nil {
			return fmt.Errorf("demo: situation report: %w", err)
		}
	}
	return nil
}

// advisories: three in force now (the public page and the CAP feed show
// them), one expired and one withdrawn.
func (g *generator) advisories(ctx context.Context, st *store.Store, now time.Time) error {
	day := 24 * time.Hour
	yes, no := true, false
	for _, a := range []struct {
		in          leoc.AdvisoryInput
		from, until time.Duration // from now; until 0 = open-ended
	}{
		{leoc.AdvisoryInput{Title: "भारी वर्षाको पूर्वानुमान: नदी किनार नजानुहोस्", Content: "आगामी ४८ घण्टा भारी वर्षा हुने पूर्वानुमान छ। पहिरोको जोखिम भएका बस्तीका बासिन्दा सुरक्षित स्थानमा सर्नुहोस्।",
			Type: "weather", Priority: "high", Active: &yes}, -day / 2, 2 * day},
		{leoc.AdvisoryInput{Title: "आपत्कालीन सम्पर्क नम्बरहरू", Content: "प्रहरी १००, एम्बुलेन्स १०२, दमकल १०१, LEOC थलारा ९८५८०००००० (नमुना)।",
			Type: "contact", Priority: "normal", Active: &yes}, -30 * day, 0},
		{leoc.AdvisoryInput{Title: "आगलागीबाट बच्न", Content: "घर नजिक सुकेका पात र झार नबाल्नुहोस्। चुलो निभाएर मात्र घर छोड्नुहोस्।",
			Type: "safety", Priority: "normal", Active: &yes}, -10 * day, 20 * day},
		{leoc.AdvisoryInput{Title: "हुरीबतासको सूचना (समाप्त)", Content: "हुरीबतासको सम्भावना टरेको छ।",
			Type: "weather", Priority: "low", Active: &yes}, -20 * day, -15 * day},
		{leoc.AdvisoryInput{Title: "खानेपानी आपूर्ति अवरोध (फिर्ता लिइएको)", Content: "मर्मत सम्पन्न भएकाले यो सूचना फिर्ता लिइयो।",
			Type: "general", Priority: "normal", Active: &no}, -5 * day, 5 * day},
	} {
		in := a.in
		in.ValidFrom = now.Add(a.from).UTC().Format(time.RFC3339)
		if a.until != 0 {
			in.ValidUntil = now.Add(a.until).UTC().Format(time.RFC3339)
		}
		adv := &leoc.Advisory{Active: true}
		if err := in.Apply(g.cal, adv); err != nil {
			return fmt.Errorf("demo: generated an invalid advisory: %w", err)
		}
		if err := st.CreateAdvisory(ctx, Actor, adv); err != nil {
			return fmt.Errorf("demo: advisory: %w", err)
		}
	}
	return nil
}
