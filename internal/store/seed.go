package store

import (
	"context"
	"fmt"
)

// The defaults of a new database: Thalara Rural Municipality, Bajhang, the
// first deployment. Another local level changes them in the settings pages.
var defaultSettings = Settings{
	MunicipalityNe: "थलारा गाउँपालिका",
	MunicipalityEn: "Thalara Rural Municipality",
	OfficeNe:       "गाउँ कार्यपालिकाको कार्यालय",
	OfficeEn:       "Office of the Rural Municipal Executive",
	AddressNe:      "खोली, बझाङ, सुदूरपश्चिम प्रदेश",
	AddressEn:      "Kholi, Bajhang, Sudurpashchim Province",
	LeocNameNe:     "स्थानीय आपत्कालीन कार्य सञ्चालन केन्द्र",
	LeocNameEn:     "Local Emergency Operations Centre",
}

const defaultWardCount = 9

var devanagariDigits = []rune("०१२३४५६७८९")

var defaultLists = []ListValue{
	{List: ListDisasterType, Key: "earthquake", LabelNe: "भूकम्प", LabelEn: "Earthquake"},
	{List: ListDisasterType, Key: "flood", LabelNe: "बाढी", LabelEn: "Flood"},
	{List: ListDisasterType, Key: "landslide", LabelNe: "पहिरो", LabelEn: "Landslide"},
	{List: ListDisasterType, Key: "windstorm", LabelNe: "हावाहुरी", LabelEn: "Windstorm"},
	{List: ListDisasterType, Key: "fire", LabelNe: "आगलागी", LabelEn: "Fire"},
	{List: ListDisasterType, Key: "lightning", LabelNe: "चट्याङ", LabelEn: "Lightning"},
	{List: ListDisasterType, Key: "wildlife", LabelNe: "जनावर आतङ्क", LabelEn: "Wildlife attack"},
	{List: ListDisasterType, Key: "hailstorm", LabelNe: "असिना", LabelEn: "Hailstorm"},
	{List: ListDisasterType, Key: "other", LabelNe: "अन्य", LabelEn: "Other"},

	{List: ListAllowanceType, Key: "senior_citizen", LabelNe: "ज्येष्ठ नागरिक", LabelEn: "Senior citizen"},
	{List: ListAllowanceType, Key: "single_woman", LabelNe: "एकल महिला", LabelEn: "Single woman"},
	{List: ListAllowanceType, Key: "widow", LabelNe: "विधवा", LabelEn: "Widow"},
	{List: ListAllowanceType, Key: "full_disability", LabelNe: "पूर्ण अशक्त अपाङ्गता", LabelEn: "Full (red card) disability"},
	{List: ListAllowanceType, Key: "severe_disability", LabelNe: "अति अशक्त अपाङ्गता", LabelEn: "Severe (blue card) disability"},
	{List: ListAllowanceType, Key: "children", LabelNe: "बालबालिका", LabelEn: "Children"},
	{List: ListAllowanceType, Key: "endangered_ethnic", LabelNe: "लोपोन्मुख जाति", LabelEn: "Endangered ethnic group"},
}

// defaultItems is the relief-item catalogue of a new database: what the
// relief-item list held before the catalogue replaced it (migration 0019).
var defaultItems = []struct{ Code, NameNe, NameEn, Category, Unit string }{
	{"rice", "चामल", "Rice", "food", "kg"},
	{"lentils", "दाल", "Lentils", "food", "kg"},
	{"salt", "नुन", "Salt", "food", "kg"},
	{"cooking_oil", "खाने तेल", "Cooking oil", "food", "litre"},
	{"tarpaulin", "त्रिपाल", "Tarpaulin", "non_food", "piece"},
	{"blanket", "कम्बल", "Blanket", "non_food", "piece"},
	{"mattress", "डसना", "Mattress", "non_food", "piece"},
	{"kitchen_set", "भाँडाकुँडा सेट", "Kitchen set", "non_food", "set"},
	{"hygiene_kit", "सरसफाइ किट", "Hygiene kit", "non_food", "set"},
	{"water_purifier", "पानी शुद्धीकरण चक्की", "Water purification tablets", "medical", "strip"},
}

// seedDefaults fills a database that has no settings yet. It runs after the
// migrations, in one transaction, and never touches a configured database.
func (s *Store) seedDefaults(ctx context.Context) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		n, err := tx.count(ctx, "SELECT COUNT(*) FROM settings")
		if err != nil || n > 0 {
			return err
		}
		st := defaultSettings
		if err := tx.putSettings(ctx, &st); err != nil {
			return err
		}
		for i := 1; i <= defaultWardCount; i++ {
			ne := fmt.Sprintf("वडा नं. %c", devanagariDigits[i])
			en := fmt.Sprintf("Ward %d", i)
			if _, err := tx.exec(ctx, "INSERT INTO wards (number, name_ne, name_en) VALUES (?, ?, ?)", i, ne, en); err != nil {
				return fmt.Errorf("store: seed ward: %w", err)
			}
		}
		for i, v := range defaultLists {
			if _, err := tx.exec(ctx, `INSERT INTO list_values (list, key, label_ne, label_en, unit_ne, unit_en, position) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				v.List, v.Key, v.LabelNe, v.LabelEn, v.UnitNe, v.UnitEn, i+1); err != nil {
				return fmt.Errorf("store: seed list value: %w", err)
			}
		}
		now := s.Now()
		for _, it := range defaultItems {
			if _, err := tx.exec(ctx, `INSERT INTO inventory_items (code, name_ne, name_en, category, unit, distributable,
				locked, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, TRUE, TRUE, ?, ?, ?, ?)
				ON CONFLICT (code) DO NOTHING`,
				it.Code, it.NameNe, it.NameEn, it.Category, it.Unit, now, SystemActor.Username, now, SystemActor.Username); err != nil {
				return fmt.Errorf("store: seed item: %w", err)
			}
		}
		return tx.Audit(ctx, SystemActor, "setting.seed", "settings", "defaults", map[string]any{"municipality": st.MunicipalityEn, "wards": defaultWardCount})
	})
}
