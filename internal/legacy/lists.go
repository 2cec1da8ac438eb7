package legacy

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The old settings lists were free text ("बाढी (Flood)", "खाद्य सामाग्री (Food
// Packages)"); ours are keyed. An old label is matched to a key by its
// Nepali or English part, or by a spelling the Flask forms are known to have
// used; an unmatched label becomes a new list value with a generated key,
// its text kept as the label.

// oldLists maps the old app_settings keys to our lists. fiscal_years is
// not a list here: fiscal years are derived from dates.
var oldLists = map[string]string{
	"disaster_types": store.ListDisasterType,
	"relief_items":   store.ListReliefItem,
	"ssf_types":      store.ListAllowanceType,
}

// knownSpellings are labels the Flask installations wrote differently from
// our lists (folded as leoc.FoldText folds), and the key they mean.
var knownSpellings = map[string]map[string]string{
	store.ListDisasterType: {
		"भुकम्प": "earthquake", "वाढी": "flood", "बाढि": "flood", "पहिरो/भुस्खलन": "landslide", "आगजनी": "fire",
		"हावाहुरी/आँधी": "windstorm", "जंगली जनावर": "wildlife", "जनावर आतंक": "wildlife",
	},
	store.ListReliefItem: {
		"कम्मल": "blanket", "तेल": "cooking_oil", "चामल (कि.ग्रा.)": "rice", "त्रिपाल (थान)": "tarpaulin",
	},
	store.ListAllowanceType: {
		"जेष्ठ नागरिक": "senior_citizen", "ज्येष्ठ नागरिक दलित": "senior_citizen", "विधुवा": "widow",
		"अति अशक्त": "severe_disability", "अति अशक्त अपाङ्गता": "severe_disability", "पूर्ण अपाङ्गता": "full_disability",
		"पूर्ण अशक्त": "full_disability", "बालबालिका": "children", "बाल संरक्षण": "children", "एकल महिला": "single_woman",
	},
}

// labelParts splits "बाढी (Flood)" into its Nepali and English parts.
var labelParts = regexp.MustCompile(`^(.*?)\s*\(([^()]*)\)\s*$`)

type lists struct {
	im     *importer
	values map[string][]store.ListValue
	// resolved caches label → key per list, including values added now.
	resolved map[string]map[string]string
	seq      int
	added    int // values added so far, so rules built from the lists know when to rebuild
}

func newLists(ctx context.Context, st *store.Store) (*lists, error) {
	l := &lists{values: map[string][]store.ListValue{}, resolved: map[string]map[string]string{}}
	// The relief items are the item catalogue, read as list values.
	for _, name := range append([]string{store.ListReliefItem}, store.Lists...) {
		vs, err := st.ListValues(ctx, name)
		if err != nil {
			return nil, err
		}
		l.values[name] = vs
		l.resolved[name] = map[string]string{}
	}
	return l, nil
}

// keys lists a list's keys (for the domain rules).
func (l *lists) keys(list string) []string {
	out := make([]string, 0, len(l.values[list]))
	for _, v := range l.values[list] {
		out = append(out, v.Key)
	}
	return out
}

// match finds the key an old label means, "" when none.
func (l *lists) match(list, label string) string {
	folded := leoc.FoldText(label)
	if folded == "" {
		return ""
	}
	candidates := []string{folded}
	if m := labelParts.FindStringSubmatch(label); m != nil {
		candidates = append(candidates, leoc.FoldText(m[1]), leoc.FoldText(m[2]))
	}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		for _, v := range l.values[list] {
			if c == leoc.FoldText(v.LabelNe) || c == leoc.FoldText(v.LabelEn) || c == v.Key {
				return v.Key
			}
		}
		if k, ok := knownSpellings[list][c]; ok && l.has(list, k) {
			return k
		}
	}
	return ""
}

func (l *lists) has(list, key string) bool {
	for _, v := range l.values[list] {
		if v.Key == key {
			return true
		}
	}
	return false
}

// resolve returns the key for an old label, adding a list value when no key
// matches (reported once per label). "" stays "".
func (l *lists) resolve(ctx context.Context, list, label, table, legacyID string) (string, error) {
	label = leoc.NormalizeText(strings.TrimSpace(label))
	if label == "" {
		return "", nil
	}
	if k, ok := l.resolved[list][label]; ok {
		return k, nil
	}
	key := l.match(list, label)
	if key == "" {
		v := l.newValue(list, label)
		if err := l.save(ctx, v); err != nil {
			return "", err
		}
		l.values[list] = append(l.values[list], v)
		l.added++
		key = v.Key
		l.im.rep.warn(WarnListValue, table, legacyID, "legacy.detail.list_value_added", label, list, key)
	}
	l.resolved[list][label] = key
	return key, nil
}

// save adds a new value to its list; a new relief item becomes a catalogue
// item (category other, counted in pieces until someone says better).
func (l *lists) save(ctx context.Context, v store.ListValue) error {
	if v.List != store.ListReliefItem {
		return l.im.tx.SaveListValue(ctx, l.im.actor, v)
	}
	it := &leoc.InventoryItem{Code: v.Key, NameNe: v.LabelNe, NameEn: v.LabelEn, Category: "other", Unit: "piece", Distributable: true}
	return l.im.tx.CreateInventoryItem(ctx, l.im.actor, it)
}

var nonKey = regexp.MustCompile(`[^a-z0-9]+`)

// newValue makes the list value for an unmatched label: the key from its
// English part when it has one ("Food Packages" → food_packages), else
// legacy_N; the old text is the Nepali label, the English part (or the old
// text) the English one.
func (l *lists) newValue(list, label string) store.ListValue {
	ne, en := label, label
	if m := labelParts.FindStringSubmatch(label); m != nil && m[1] != "" && m[2] != "" {
		ne, en = m[1], m[2]
	}
	key := strings.Trim(nonKey.ReplaceAllString(strings.ToLower(en), "_"), "_")
	if key == "" || key[0] < 'a' || key[0] > 'z' || len(key) > 30 {
		key = ""
	}
	for key == "" || l.has(list, key) {
		l.seq++
		key = "legacy_" + strconv.Itoa(l.seq)
	}
	v := store.ListValue{List: list, Key: key, LabelNe: truncate(ne, 100), LabelEn: truncate(en, 100)}
	if list == store.ListReliefItem {
		v.UnitNe, v.UnitEn = "थान", "piece"
	}
	return v
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// importSettings maps the old settings lists; other settings are listed
// as not imported.
func (im *importer) importSettings(ctx context.Context) error {
	const table = "app_settings"
	return im.eachNew(ctx, table, func(r row) error {
		key := r.str("setting_key")
		list, ok := oldLists[key]
		if !ok {
			reason := "legacy.not.setting"
			if key == "fiscal_years" {
				reason = "legacy.not.fiscal_years"
			}
			im.rep.NotImported = append(im.rep.NotImported, Skipped{Table: table, LegacyID: r.legacyID(), Reason: leoc.M(reason, key)})
			return nil
		}
		var labels []string
		if err := json.Unmarshal([]byte(r.str("setting_value")), &labels); err != nil {
			im.rep.skip(table, r.legacyID(), leoc.Errorf(leoc.EInvalid, "legacy.skip.json", "setting_value"))
			return nil
		}
		for _, label := range labels {
			if _, err := im.lists.resolve(ctx, list, label, table, r.legacyID()); err != nil {
				return err
			}
		}
		im.rep.table(table).Imported++
		return im.note(ctx, store.LegacyImportItem{LegacyImport: store.LegacyImport{Table: table, LegacyID: r.legacyID()}})
	})
}
