package demo

import (
	"math"
	"strconv"

	"leoc/internal/leoc"
)

// Made-up but plausible settlement names of a hill municipality; they are
// not a claim about Thalara's real toles.
var toles = []string{
	"खोली", "कोटफेरा", "सेरालागाउँ", "बिष्खेत", "डाँडागाउँ", "पाटा", "तल्लोगाउँ", "माथिल्लोगाउँ", "धारापानी", "रिठापाटा",
	"सिमलचौर", "लामाबगर", "कडाचौर", "देउलेख", "बाँसबगर", "चौपाटा", "गैरागाउँ", "ओखलढुङ्गा टोल", "पिपलचौर", "सुनकुडा",
}

var descriptions = map[string][]string{
	"earthquake": {"भूकम्पको धक्काले घरका भित्तामा चिरा पर्‍यो", "भूकम्पपछि केही घर असुरक्षित भए"},
	"flood":      {"खोलामा आएको बाढीले खेतबारी र घर डुबायो", "भारी वर्षापछि गाडमा बाढी आयो", "बाढीले झोलुङ्गे पुलको पहुँचमार्ग बगायो"},
	"landslide": {"भारी वर्षाका कारण पहिरो खस्यो", "पहिरोले घर र गोठ पुरियो", "सडकमा पहिरो खसेर यातायात अवरुद्ध भयो",
		"पहिरोको जोखिमका कारण परिवार सुरक्षित स्थानमा सारियो"},
	"windstorm": {"हावाहुरीले घरको छाना उडायो", "हावाहुरीले रुख ढलेर बिजुलीको तार चुँडियो"},
	"fire":      {"आगलागीबाट घर पूर्ण रूपमा जल्यो", "चुल्होको आगो सल्केर गोठ जल्यो", "वन डढेलो बस्तीतर्फ फैलियो"},
	"lightning": {"चट्याङ परेर मानवीय तथा पशु क्षति भयो", "चट्याङले घरको बिजुली जडान बिग्रियो"},
	"wildlife":  {"चितुवाको आक्रमणमा बाख्रा मारिए", "भालुको आक्रमणमा एक जना घाइते", "बाँदरले बाली नष्ट गरे"},
	"hailstorm": {"असिनाले गहुँ र तरकारी बालीमा क्षति", "असिना पानीले फलफूल बाली नष्ट"},
	"other":     {"खानेपानीको मुहान सुक्यो", "झोलुङ्गे पुल बिग्रियो", "डुबानमा परी एक जनाको मृत्यु"},
}

var cropDamage = []string{"मकै बाली नष्ट", "धान खेत पुरियो", "गहुँ बालीमा क्षति", "तरकारी बाली नष्ट", "फलफूलका बोट ढले"}

var rescues = []string{
	"वडा कार्यालय, नेपाल प्रहरी र स्थानीय युवाको सहयोगमा उद्धार गरियो",
	"सशस्त्र प्रहरी बलको टोली परिचालन गरियो",
	"घाइतेलाई स्वास्थ्य चौकी पुर्‍याइयो",
	"प्रभावित परिवारलाई अस्थायी आश्रय र राहत उपलब्ध गराइयो",
}

// profile is how an incident of one type usually hurts.
type profile struct {
	deaths, injured, missing float64 // probability of any
	households               int     // up to this many affected households
	damaged, destroyed       float64 // probability of damaged / destroyed houses
	livestock                float64 // probability of animals lost or injured
	flags                    [leoc.NumIncidentFlags]float64
	crops                    float64
	bigLoss                  float64 // probability of a loss over 5 lakh
}

var profiles = map[string]profile{
	"earthquake": {0.03, 0.2, 0, 12, 0.7, 0.15, 0.1, [4]float64{0.2, 0.2, 0.15, 0.15}, 0, 0.15},
	"flood":      {0.06, 0.1, 0.05, 10, 0.35, 0.1, 0.3, [4]float64{0.3, 0.15, 0.05, 0.3}, 0.5, 0.1},
	"landslide":  {0.06, 0.15, 0.03, 6, 0.4, 0.15, 0.3, [4]float64{0.45, 0.1, 0.08, 0.15}, 0.3, 0.08},
	"windstorm":  {0.01, 0.1, 0, 8, 0.6, 0.05, 0.05, [4]float64{0.1, 0.4, 0.2, 0}, 0.2, 0.02},
	"fire":       {0.02, 0.12, 0, 2, 0.2, 0.6, 0.2, [4]float64{0, 0.05, 0, 0}, 0.05, 0.05},
	"lightning":  {0.15, 0.3, 0, 1, 0.1, 0.02, 0.35, [4]float64{0, 0.15, 0.1, 0}, 0, 0},
	"wildlife":   {0.01, 0.4, 0, 1, 0, 0, 0.7, [4]float64{}, 0.3, 0},
	"hailstorm":  {0, 0.02, 0, 15, 0.1, 0, 0.05, [4]float64{}, 0.9, 0.02},
	"other":      {0.03, 0.1, 0.02, 3, 0.1, 0.02, 0.05, [4]float64{0.05, 0.05, 0.05, 0.1}, 0.1, 0.02},
}

// impact fills the figures: mostly zeros and small numbers, a few larger
// disasters, losses mostly under 5 lakh rupees.
func (g *generator) impact(typ string, in *leoc.IncidentInput) {
	p, ok := profiles[typ]
	if !ok {
		p = profiles["other"]
	}
	in.Description = descriptions["other"][0]
	if ds := descriptions[typ]; len(ds) > 0 {
		in.Description = ds[g.rng.IntN(len(ds))]
	}
	households := int64(g.between(1, max(p.households, 1)))
	if g.chance(0.15) {
		households = 0 // not yet assessed
	}
	c := func(n int64) *int64 { return &n }
	in.AffectedHouseholds = c(households)
	// People: some reports give only the split, some only the total.
	g.people(&in.AffectedPeople, &in.AffectedPeopleMale, &in.AffectedPeopleFemale, households*int64(g.between(4, 6)))
	hurt := g.people(&in.Deaths, &in.DeathsMale, &in.DeathsFemale, g.few(p.deaths, 3)) +
		g.people(&in.Injured, &in.InjuredMale, &in.InjuredFemale, g.few(p.injured, 6)) +
		g.people(&in.Missing, &in.MissingMale, &in.MissingFemale, g.few(p.missing, 2))
	in.HousesDamaged = c(min(g.few(p.damaged, 8), households+1))
	in.HousesDestroyed = c(min(g.few(p.destroyed, 3), households+1))
	in.PublicBuildingsDamaged = c(g.few(p.damaged/10, 2))
	in.PublicBuildingsDestroyed = c(g.few(p.destroyed/20, 1))
	if g.chance(p.livestock) {
		in.LivestockLostCattle = c(g.few(0.4, 3))
		in.LivestockLostGoatsSheep = c(g.few(0.6, 8))
		in.LivestockLostPoultry = c(g.few(0.3, 20))
		in.LivestockLostOther = c(g.few(0.05, 2))
		in.LivestockInjuredCattle = c(g.few(0.2, 2))
		in.LivestockInjuredGoatsSheep = c(g.few(0.2, 4))
	}
	for i, f := range in.FlagFields() {
		*f = g.chance(p.flags[i])
	}
	if g.chance(p.crops) {
		in.AgricultureDamage = cropDamage[g.rng.IntN(len(cropDamage))]
	}
	if hurt > 0 || g.chance(0.1) {
		in.RescueOperations = rescues[g.rng.IntN(len(rescues))]
	}
	in.EstimatedLoss = leoc.Amount(strconv.FormatInt(g.loss(p), 10))
}

// people sets a count of people: a total, its split, or both. It returns
// the total.
func (g *generator) people(total, male, female **int64, n int64) int64 {
	m := int64(0)
	if n > 0 {
		m = int64(g.rng.IntN(int(n) + 1))
	}
	f := n - m
	switch g.rng.IntN(3) {
	case 0:
		*total = &n
	case 1:
		*male, *female = &m, &f
	default:
		*total, *male, *female = &n, &m, &f
	}
	return n
}

// loss is whole rupees: a quarter not assessed (0), most between 5,000 and
// 5 lakh (log-uniform, rounded to hundreds), a few up to 50 lakh.
func (g *generator) loss(p profile) int64 {
	if g.chance(0.25) {
		return 0
	}
	lo, hi := 5_000.0, 500_000.0
	if g.chance(p.bigLoss) {
		lo, hi = 500_000, 5_000_000
	}
	r := lo * math.Exp(g.rng.Float64()*math.Log(hi/lo))
	return int64(math.Round(r/100) * 100)
}
