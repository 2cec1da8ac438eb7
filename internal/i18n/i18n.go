// Package i18n holds the message catalogs. Nepali is the first language and
// English the second; every string a person reads comes from here.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

// Each language is a folder of JSON files, one per part of the program
// (core.json, incidents.json, …), merged at load; a key defined twice is an
// error, so two parts cannot silently override each other.
//
//go:embed catalog
var catalogFS embed.FS

// Languages in the order the language switch shows them.
var Languages = []string{"ne", "en"}

// Default is the language used when nothing else decides.
const Default = "ne"

// Catalogs holds every language's messages. It is read-only after Load.
type Catalogs struct {
	msgs map[string]map[string]string
	// digits converts ASCII digits in formatted arguments for a language;
	// Nepali output uses Devanagari digits.
	digits map[string]func(string) string
}

// Load parses the embedded catalogs. A broken catalog fails the start.
func Load() (*Catalogs, error) {
	c := &Catalogs{msgs: map[string]map[string]string{}, digits: map[string]func(string) string{}}
	for _, lang := range Languages {
		files, err := fs.Glob(catalogFS, path.Join("catalog", lang, "*.json"))
		if err != nil || len(files) == 0 {
			return nil, fmt.Errorf("i18n: no catalog files for %s", lang)
		}
		m := map[string]string{}
		for _, f := range files {
			b, err := catalogFS.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("i18n: %s: %w", f, err)
			}
			part := map[string]string{}
			if err := json.Unmarshal(b, &part); err != nil {
				return nil, fmt.Errorf("i18n: %s: %w", f, err)
			}
			for k, v := range part {
				if _, dup := m[k]; dup {
					return nil, fmt.Errorf("i18n: %s: key %q is defined twice", f, k)
				}
				m[k] = v
			}
		}
		c.msgs[lang] = m
	}
	c.digits["ne"] = bs.DevanagariDigits
	return c, nil
}

// Supported reports whether lang has a catalog.
func Supported(lang string) bool { return slices.Contains(Languages, lang) }

// T returns the message key in lang, formatted with args. A missing key
// shows itself, so a gap is visible instead of blank; a test keeps the
// catalogs complete.
func (c *Catalogs) T(lang, key string, args ...any) string {
	m, ok := c.msgs[lang]
	if !ok {
		m = c.msgs[Default]
	}
	s, ok := m[key]
	if !ok {
		return key
	}
	// Messages without a verb ignore their arguments (a caller may pass
	// the same arguments to several keys).
	if len(args) == 0 || !strings.Contains(s, "%") {
		return s
	}
	args = c.translateNested(lang, args)
	conv := c.digits[lang]
	hasNumber := slices.ContainsFunc(args, func(a any) bool { _, ok := a.(leoc.Number); return ok })
	if conv != nil || hasNumber {
		// Whole numbers are written in the language's digits: the %d verbs
		// become %s and the numbers their converted text. A Number (already
		// grouped: 21,903) may stand for a %d as well.
		if conv == nil {
			conv = func(s string) string { return s }
		}
		converted := hasNumber
		for i, a := range args {
			switch a := a.(type) {
			case int, int64, int32, uint, uint64:
				args[i] = conv(fmt.Sprint(a))
				converted = true
			case leoc.Number:
				args[i] = conv(string(a))
			}
		}
		if converted {
			s = strings.ReplaceAll(s, "%d", "%s")
		}
	}
	return fmt.Sprintf(s, args...)
}

// translateNested replaces the messages among args (a leoc.Msg, or a
// leoc.MsgList joined with commas) by their text in lang, so a message built
// from parts never mixes languages. args is the caller's copy.
func (c *Catalogs) translateNested(lang string, args []any) []any {
	for i, a := range args {
		switch a := a.(type) {
		case leoc.Msg:
			args[i] = c.Msg(lang, a)
		case leoc.Label:
			if c.Has(lang, a.Key) {
				args[i] = c.T(lang, a.Key)
			} else {
				args[i] = a.Fallback
			}
		case leoc.MsgList:
			parts := make([]string, len(a))
			for j, m := range a {
				parts[j] = c.Msg(lang, m)
			}
			args[i] = strings.Join(parts, ", ")
		}
	}
	return args
}

// List translates a leoc.MsgList into one comma-separated text.
func (c *Catalogs) List(lang string, l leoc.MsgList) string {
	return c.translateNested(lang, []any{l})[0].(string)
}

// Msg translates a domain message.
func (c *Catalogs) Msg(lang string, m leoc.Msg) string {
	return c.T(lang, m.Key, append([]any(nil), m.Args...)...)
}

// Keys lists the keys of one language, sorted.
func (c *Catalogs) Keys(lang string) []string {
	var keys []string
	for k := range c.msgs[lang] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Has reports whether key exists in lang.
func (c *Catalogs) Has(lang, key string) bool {
	_, ok := c.msgs[lang][key]
	return ok
}

// Negotiate picks a supported language from an Accept-Language header.
func Negotiate(acceptLanguage string) string {
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if Supported(base) {
			return base
		}
	}
	return ""
}
